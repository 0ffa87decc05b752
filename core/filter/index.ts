// The filter language: sysdig-style expressions compiled to a parameterised SQL condition.
//
// Contract for callers: compileFilter(expr, target) returns a WHERE condition that refers only to
// the target's table under its alias (events AS e, streams AS s, http_exchanges AS x) and reaches
// other tables through subqueries, plus the values to bind. An empty expression matches all.
// FilterError carries the 1-based column of the fault.
//
// (Until the full language lands: conditions joined by "and", each `field op value`.)

export class FilterError extends Error {
  constructor(
    message: string,
    readonly column: number = 1,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

export type FilterTarget = 'events' | 'streams' | 'http';
export type SqlParam = string | number | bigint;

const FIELDS: Record<string, { sql: string; numeric: boolean }> = {
  num: { sql: 'e.num', numeric: true },
  'evt.num': { sql: 'e.num', numeric: true },
  type: { sql: 'e.type', numeric: false },
  'evt.type': { sql: 'e.type', numeric: false },
  dir: { sql: 'e.dir', numeric: false },
  'evt.dir': { sql: 'e.dir', numeric: false },
  cpu: { sql: 'e.cpu', numeric: true },
  'evt.cpu': { sql: 'e.cpu', numeric: true },
  tid: { sql: 'e.tid', numeric: true },
  'thread.tid': { sql: 'e.tid', numeric: true },
  pid: { sql: 'e.pid', numeric: true },
  'proc.pid': { sql: 'e.pid', numeric: true },
  proc: { sql: 'e.proc', numeric: false },
  'proc.name': { sql: 'e.proc', numeric: false },
  fd: { sql: 'e.fd', numeric: true },
  'fd.num': { sql: 'e.fd', numeric: true },
  fdname: { sql: 'e.fd_name', numeric: false },
  'fd.name': { sql: 'e.fd_name', numeric: false },
  res: { sql: 'e.res', numeric: true },
  'evt.rawres': { sql: 'e.res', numeric: true },
  latency: { sql: 'e.latency', numeric: true },
  'evt.latency': { sql: 'e.latency', numeric: true },
  category: { sql: 'e.category', numeric: false },
  container: { sql: 'e.container_id', numeric: false },
  'container.id': { sql: 'e.container_id', numeric: false },
  'container.name': { sql: "CASE WHEN e.container_id = 'host' THEN 'host' ELSE (SELECT c.name FROM containers c WHERE c.source_id = e.source_id AND c.id = e.container_id) END", numeric: false },
  ts: { sql: 'e.ts', numeric: true },
  'evt.rawtime': { sql: 'e.ts', numeric: true },
};

const CONDITION = /^\s*([a-zA-Z_.]+)\s*(!=|<=|>=|=|<|>)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S+)\s*$/;

export interface CompiledFilter {
  where: string;
  params: SqlParam[];
}

export function compileFilter(expr: string | undefined, target: FilterTarget = 'events'): CompiledFilter {
  if (target !== 'events') throw new FilterError(`filters over ${target} are not readable yet`);
  if (!expr || !expr.trim()) return { where: '1', params: [] };
  const parts = expr.split(/\s+and\s+/i);
  const clauses: string[] = [];
  const params: SqlParam[] = [];
  for (const part of parts) {
    const m = CONDITION.exec(part);
    if (!m) throw new FilterError(`cannot read the condition '${part.trim()}': expected field=value (or != < <= > >=), joined by 'and'`);
    const [, name, op, raw] = m as unknown as [string, string, string, string];
    const field = FIELDS[name.toLowerCase()];
    if (!field) throw new FilterError(`unknown field '${name}'; known: ${Object.keys(FIELDS).join(', ')}`);
    const quoted = /^["']/.test(raw);
    const text = quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    if (!quoted && (text === '<NA>' || text === 'null') && (op === '=' || op === '!=')) {
      clauses.push(`${field.sql} IS ${op === '=' ? '' : 'NOT '}NULL`);
      continue;
    }
    let value: string | number | bigint = text;
    if (field.numeric) {
      if (!/^-?\d+$/.test(text)) throw new FilterError(`'${name}' takes a number, got '${text}'`);
      value = BigInt(text) >= BigInt(Number.MIN_SAFE_INTEGER) && BigInt(text) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(text) : BigInt(text);
    } else if (op !== '=' && op !== '!=') throw new FilterError(`'${name}' is text: use = or !=`);
    clauses.push(op === '!=' ? `(${field.sql} IS NULL OR ${field.sql} != ?)` : `${field.sql} ${op} ?`);
    params.push(value);
  }
  return { where: clauses.join(' AND '), params };
}
