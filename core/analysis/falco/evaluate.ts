// Runs loaded rules over the whole capture in the index: every rule's condition compiled by the
// filter compiler into a CASE over the events table (an event raises the first rule it matches, as
// Falco's default rule matching does), then each alert's output fields read for its event and its
// output formatted as Falco prints it. The CASE runs only on the events a rule can match: the
// rules' event types (rule-event-types.ts) are asked of the event store, which skips the blocks
// without them and hands SQLite the rows of those types alone, and each event is tried against the
// rules of its type's group only, in one scan.

import type Database from 'better-sqlite3';
import { compileTree, fieldValueSql, type SqlParam } from '../../filter/compile';
import { FilterError } from '../../filter/filter-error';
import { pairedEnterEventTypes, skippedEventTypes } from './considered-events';
import { formatOutput } from './output-format';
import { priorityRank, type Priority } from './priority';
import type { LoadedRule } from './rules-compile';
import { ruleEventTypes, ruleGroups } from './rule-event-types';

export interface Alert {
  sourceId: number;
  /** evt.num of the event that raised it. */
  num: number;
  /** ns since the epoch (beyond a double's exact integers, so a bigint). */
  ts: bigint;
  rule: string;
  priority: Priority;
  /** As Falco prints it: `<time>: <Priority> <the rule's output, formatted>`. */
  output: string;
  /** Each field the output prints, its value as text, null where it has none (Falco's <NA>). */
  outputFields: Record<string, string | null>;
  tags: readonly string[];
  evt: { num: number; type: string; dir: string; tid: number; pid: number | null; containerId: string | null; fd: number | null; fdName: string | null };
}

/** Which rules run, as Falco's command line chooses them (-D, -T, -t, the minimum priority). */
export interface RuleSelection {
  /** Only rules this severe or more (Falco's `priority:` setting). */
  minPriority?: Priority;
  /** Patterns (regular expressions, matched anywhere) of rule names not to run. */
  disabledRules?: readonly string[];
  /** Rules with any of these tags do not run. */
  disableTags?: readonly string[];
  /** Only rules with one of these tags run. */
  runTags?: readonly string[];
}

export function selectRules(rules: readonly LoadedRule[], s: RuleSelection = {}): LoadedRule[] {
  const disabled = (s.disabledRules ?? []).map((p) => new RegExp(p));
  return rules.filter(
    (r) =>
      r.enabled &&
      (s.minPriority === undefined || priorityRank(r.priority) <= priorityRank(s.minPriority)) &&
      !disabled.some((re) => re.test(r.name)) &&
      !(s.disableTags ?? []).some((t) => r.tags.includes(t)) &&
      (s.runTags === undefined || s.runTags.some((t) => r.tags.includes(t))),
  );
}

export interface EvaluateOptions {
  /** Falco's -A: evaluate the event types a simple consumer skips (read, write, close, ...) too. */
  allEvents?: boolean;
}

export function evaluateRules(db: Database.Database, rules: readonly LoadedRule[], options: EvaluateOptions = {}): Alert[] {
  if (rules.length === 0) return [];
  const skipped = skippedEventTypes(options.allEvents === true);
  const enters = pairedEnterEventTypes().join(', ');
  const conditions = rules.map((r) => {
    const c = compileTree(r.tree, 'events');
    return { sql: `${r.exitEventsOnly ? `e.event_type NOT IN (${enters}) AND ` : ''}(${c.where})`, params: c.params };
  });
  const ruleTypes = rules.map((r) => ruleEventTypes(r.tree));
  // Parameters are bound in the order of the text: each piece of SQL is made with its own, in turn.
  const params: SqlParam[] = [];
  const placeholders = (values: readonly SqlParam[]) => (params.push(...values), values.map(() => '?').join(', '));
  const firstMatch = (group: readonly number[]) =>
    `CASE ${group.map((i) => (params.push(...conditions[i]!.params), `WHEN ${conditions[i]!.sql} THEN ${i}`)).join(' ')} END`;
  // A branch per group of types, trying its rules in their order; the rules that name no type for the rest.
  const groups = ruleGroups(ruleTypes);
  const branches = groups.flatMap((g) => (g.types === null ? [] : [`WHEN e.type IN (${placeholders(g.types)}) THEN (${firstMatch(g.rules)})`]));
  const anyType = groups.find((g) => g.types === null);
  const rest = anyType ? firstMatch(anyType.rules) : 'NULL';
  // Unless a rule takes any type, the events of the types the rules name are all that is read.
  const named = groups.flatMap((g) => g.types ?? []);
  const typeTest = anyType ? '' : ` AND e.type IN (${placeholders(named)})`;
  const firstRule = branches.length === 0 ? rest : `CASE ${branches.join(' ')} ELSE ${rest} END`;
  const matches = db
    .prepare(`SELECT source_id, num, r FROM (SELECT e.source_id, e.num, ${firstRule} AS r FROM events e WHERE e.event_type NOT IN (${skipped.join(', ')})${typeTest}) WHERE r IS NOT NULL ORDER BY source_id, num`)
    .raw()
    .all(...params) as [number, number, number][];
  const readers = new Map<number, (sourceId: number, num: number) => Alert>();
  return matches.map(([sourceId, num, i]) => {
    let read = readers.get(i);
    if (!read) readers.set(i, (read = outputReader(db, rules[i]!)));
    return read(sourceId, num);
  });
}

const EVENT_COLUMNS = 'e.ts, e.type, e.dir, e.tid, e.pid, e.container_id, e.fd, e.fd_name';

/** Reads one alert of `rule` at an event: its output fields, formatted. */
function outputReader(db: Database.Database, rule: LoadedRule): (sourceId: number, num: number) => Alert {
  const columns = rule.outputFields.map((f) => printable(f));
  const select = db.prepare(`SELECT ${[EVENT_COLUMNS, ...columns].join(', ')} FROM events e WHERE e.source_id = ? AND e.num = ?`).raw().safeIntegers(true);
  return (sourceId, num) => {
    const row = select.get(sourceId, num) as unknown[];
    const [ts, type, dir, tid, pid, containerId, fd, fdName] = row as [bigint, string, string, bigint, bigint | null, string | null, bigint | null, string | null];
    const n = (v: bigint | null) => (v === null ? null : Number(v));
    const values = new Map<string, string | null>();
    rule.outputFields.forEach((f, i) => values.set(f, row[8 + i] === null || row[8 + i] === undefined ? null : String(row[8 + i])));
    const fields: Record<string, string | null> = {};
    for (const [k, v] of values) fields[k] = v;
    return {
      sourceId,
      num,
      ts,
      rule: rule.name,
      priority: rule.priority,
      output: `${timeOfDay(ts)}: ${rule.priority} ${formatOutput(rule.outputParts, values)}`,
      outputFields: fields,
      tags: rule.tags,
      evt: { num, type, dir, tid: Number(tid), pid: n(pid), containerId, fd: n(fd), fdName },
    };
  };
}

/** A field's value as SQL text: booleans as true/false; NULL for a field capscope lacks. */
function printable(field: string): string {
  try {
    const v = fieldValueSql(field, 'events');
    return v.type === 'bool' ? `CASE (${v.sql}) WHEN 1 THEN 'true' WHEN 0 THEN 'false' END` : `(${v.sql})`;
  } catch (err) {
    // The loader let through only fields Falco has; those capscope lacks print <NA>.
    if (err instanceof FilterError) return 'NULL';
    throw err;
  }
}

/** Falco's evt.time: the time of day, UTC, with nanoseconds. */
export function timeOfDay(ns: bigint): string {
  const seconds = Number(ns / 1_000_000_000n);
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

/** Falco's json `time`: ISO 8601, UTC, with nanoseconds. */
export function isoTime(ns: bigint): string {
  const d = new Date(Number(ns / 1_000_000_000n) * 1000);
  return `${d.toISOString().slice(0, 19)}.${String(ns % 1_000_000_000n).padStart(9, '0')}Z`;
}
