// Turns a parsed filter into a SQL condition with bound parameters. User text only ever becomes
// a parameter; the SQL is assembled from the field table's fixed expressions.
//
// Every leaf is 0 or 1, never NULL, so that `not` behaves as in sysdig: a comparison with a field
// that does not apply is false, and its negation true.

import { ALIASES, FIELDS, type FieldDef } from './fields';
import { FilterError } from './filter-error';
import type { CompareOp, FilterNode, ListOp, Value } from './parser';
import { suggestField } from './suggest';
import { TARGET_TABLES, type FilterTarget } from './targets';

import type { SqlParam } from '../index/sql-param';

export type { SqlParam };

export interface CompiledFilter {
  where: string;
  params: SqlParam[];
  /** It searches captured bytes (evt.buffer): one pass over all chunk data, whatever the page. */
  searchesContent?: boolean;
}

export function compileTree(node: FilterNode, target: FilterTarget): CompiledFilter {
  const params: SqlParam[] = [];
  const compiler = new Compiler(target, params);
  const where = compiler.node(node);
  return compiler.searchesContent ? { where, params, searchesContent: true } : { where, params };
}

/**
 * A field's value as a SQL expression over the target's row, for printing it (Falco's output
 * strings): the first value of a field with several, NULL where it does not apply. Throws a
 * FilterError for a field the target lacks.
 */
export function fieldValueSql(written: string, target: FilterTarget): { sql: string; type: FieldDef['type'] } {
  const f = new Compiler(target, []).fieldNamed(written);
  return { sql: f.sql, type: f.type };
}

/**
 * What a condition costs a row, roughly, by the calls it makes: capscope's SQL functions made in
 * JavaScript (core/index/sql-functions.ts: a call into V8 per row) the most, subqueries next,
 * capscope_evt_arg (made in C, native/event-args.c) and text searches less; column comparisons 0.
 */
function sqlCost(sql: string): number {
  let cost = 0;
  for (const m of sql.matchAll(/\b(capscope_\w+|instr|json_each|SELECT|EXISTS|LIKE|GLOB)\b/gi)) cost += CALL_COST[m[1]!.toLowerCase()] ?? (m[1]!.startsWith('capscope_') ? 10 : 1);
  return cost;
}

const CALL_COST: Readonly<Record<string, number>> = { capscope_evt_arg: 2, select: 5, exists: 5, json_each: 5 };

const TEXT_OPS: ReadonlySet<CompareOp> = new Set(['contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob']);
const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

class Compiler {
  searchesContent = false;

  constructor(
    private readonly target: FilterTarget,
    private readonly params: SqlParam[],
  ) {}

  node(n: FilterNode): string {
    switch (n.kind) {
      case 'and':
      case 'or':
        return this.junction(n.kind, n.children);
      case 'not':
        return `(NOT ${this.node(n.child)})`;
      case 'exists': {
        const f = this.field(n.field, n.column);
        if (f.buffer) return this.bufferLeaf('c.data IS NOT NULL');
        return f.notNull ? '1' : `(${f.sql} IS NOT NULL)`;
      }
      case 'compare':
        return this.compare(n.field, n.column, n.op, n.value);
      case 'list':
        return this.list(n.field, n.column, n.op, n.values);
      case 'macro':
        // Only Falco's conditions have macros, and its rules layer expands them before compiling.
        throw new FilterError(`'${n.name}' at column ${n.column} is not a field with an operator, nor a known macro`, n.column);
    }
  }

  /**
   * An 'and' or 'or' of its children, nested ones of the same kind flattened, the cheap ones first:
   * SQLite stops at the first false operand of an AND (true of an OR) where it tests a condition,
   * so a column comparison placed before a function call or a subquery spares the call on the
   * rows it decides (Falco's open_write macro parsed an open's flags from its info text twice,
   * before the rule's `fd.name startswith /etc/` rejected most opens). Every leaf is 0 or 1, so
   * the order changes no result; each child's parameters move with it.
   */
  private junction(kind: 'and' | 'or', children: readonly FilterNode[]): string {
    const flat: FilterNode[] = [];
    const flatten = (c: FilterNode) => (c.kind === kind ? c.children.forEach(flatten) : flat.push(c));
    children.forEach(flatten);
    const start = this.params.length;
    const parts = flat.map((c) => {
      const from = this.params.length;
      const sql = this.node(c);
      return { sql, params: this.params.slice(from), cost: sqlCost(sql) };
    });
    // A stable sort: operands of the same cost keep their written order.
    parts.sort((a, b) => a.cost - b.cost);
    this.params.length = start;
    for (const p of parts) this.params.push(...p.params);
    return `(${parts.map((p) => p.sql).join(kind === 'and' ? ' AND ' : ' OR ')})`;
  }

  fieldNamed(written: string): FieldDef {
    return this.field(written, 1);
  }

  private field(written: string, column: number): FieldDef {
    const bracket = written.indexOf('[');
    const name = bracket >= 0 ? written.slice(0, bracket) : written;
    const canonical = ALIASES[name] ?? name;
    const table = FIELDS[this.target];
    const own = table[canonical];
    if (own) {
      if (bracket < 0) return own;
      if (!own.withArg) throw new FilterError(`${name} takes no argument in brackets at column ${column + bracket}`, column + bracket);
      return this.argumentOf(own, name, written.slice(bracket + 1, -1), column + bracket + 1);
    }
    // A family named by a prefix and a suffix: evt.arg.path is evt.arg with the argument 'path'.
    const family = Object.keys(table).find((k) => table[k]!.dottedArg && canonical.startsWith(`${k}.`));
    if (family && bracket < 0) return this.argumentOf(table[family]!, family, canonical.slice(family.length + 1), column + family.length + 1);
    const other = (Object.keys(FIELDS) as FilterTarget[]).find((t) => FIELDS[t][canonical]);
    if (other) {
      throw new FilterError(
        `'${name}' at column ${column} applies to ${TARGET_TABLES[other].what}, not to ${TARGET_TABLES[this.target].what}`,
        column,
      );
    }
    const guess = suggestField(name, this.target);
    throw new FilterError(`unknown field '${name}' at column ${column}${guess ? ` — did you mean ${guess}?` : ''}`, column);
  }

  /** A field given its argument (proc.aname[2], evt.arg.path): a plain field of its own. */
  private argumentOf(f: FieldDef, name: string, arg: string, column: number): FieldDef {
    const sql = f.withArg!(arg);
    if (sql === null) throw new FilterError(`'${arg}' at column ${column} is not an argument ${name} takes (${f.argDoc ?? 'see its documentation'})`, column);
    return { type: f.type, sql, doc: f.doc };
  }

  private bind(value: SqlParam): string {
    this.params.push(value);
    return '?';
  }

  /** A leaf that is 0 or 1 even where the field is NULL. */
  private guard(f: FieldDef, predicate: (x: string) => string): string {
    // A field with several values (proc.aname: every ancestor's name) holds when one of them does.
    if (f.anyOf) return `EXISTS (SELECT 1 FROM (${f.anyOf}) AS anyof WHERE anyof.v IS NOT NULL AND ${predicate('anyof.v')})`;
    if (f.notNull) return `(${predicate(f.sql)})`;
    if (f.plain) return `(${f.sql} IS NOT NULL AND ${predicate(f.sql)})`;
    return `coalesce(${predicate(`(${f.sql})`)}, 0)`;
  }

  /** evt.buffer: the events whose captured data bytes satisfy `predicate` over c.data. */
  private bufferLeaf(predicate: string): string {
    this.searchesContent = true;
    return `((e.source_id, e.num) IN (SELECT st.source_id, c.frame FROM chunks c JOIN streams st ON st.id = c.stream_id WHERE c.frame IS NOT NULL AND ${predicate}))`;
  }

  private compare(name: string, column: number, op: CompareOp, value: Value): string {
    const f = this.field(name, column);
    if (f.buffer) return this.bufferLeaf(this.textPredicate('c.data', op, value, true));
    if (f.type === 'bool') {
      if (op !== '=' && op !== '!=') throw new FilterError(`${name} is true or false: compare it with = or != (column ${value.column})`, value.column);
      const b = this.boolean(name, value);
      return this.guard(f, (x) => `${x} ${op === '=' ? '=' : '!='} ${b ? 1 : 0}`);
    }
    if (f.network) return this.network(f, name, op === '!=' ? '!=' : op, [value]);
    if (f.type === 'number') {
      if (TEXT_OPS.has(op)) throw new FilterError(`'${op}' compares text, but ${name} is a number (column ${value.column})`, value.column);
      const n = this.number(name, f, value);
      return this.guard(f, (x) => `${x} ${op} ${this.bind(n)}`);
    }
    return this.guard(f, (x) => this.textPredicate(x, op, value, false));
  }

  private textPredicate(x: string, op: CompareOp, value: Value, bytes: boolean): string {
    const text = value.text;
    const asParam = (s: string): SqlParam => (bytes ? Buffer.from(s, 'utf8') : s);
    switch (op) {
      case '=':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return `${x} ${op} ${this.bind(asParam(text))}`;
      case 'contains':
        return `instr(${x}, ${this.bind(asParam(text))}) > 0`;
      case 'icontains':
        return `instr(lower(${bytes ? `CAST(${x} AS TEXT)` : x}), ${this.bind(text.toLowerCase())}) > 0`;
      case 'startswith':
        return `substr(${x}, 1, ${bytes ? Buffer.byteLength(text) : [...text].length}) = ${this.bind(asParam(text))}`;
      case 'endswith':
        return `substr(${x}, -${Math.max(1, bytes ? Buffer.byteLength(text) : [...text].length)}) = ${this.bind(asParam(text))}`;
      case 'glob':
        return `${bytes ? `CAST(${x} AS TEXT)` : x} GLOB ${this.bind(text)}`;
      case 'bcontains':
      case 'bstartswith': {
        const raw = this.hex(value);
        const blob = bytes ? x : `CAST(${x} AS BLOB)`;
        return op === 'bcontains' ? `instr(${blob}, ${this.bind(raw)}) > 0` : `substr(${blob}, 1, ${raw.length}) = ${this.bind(raw)}`;
      }
    }
  }

  private list(name: string, column: number, op: ListOp, values: Value[]): string {
    const f = this.field(name, column);
    if (op === 'pmatch') {
      if (f.type !== 'string' || f.buffer) throw new FilterError(`pmatch compares paths, but ${name} is not a path (column ${column})`, column);
      return this.guard(f, (x) =>
        `(${values
          .map((v) => {
            const prefix = v.text.replace(/\/+$/, '');
            const n = [...prefix].length;
            return `(${x} = ${this.bind(prefix)} OR (substr(${x}, 1, ${n + 1}) = ${this.bind(`${prefix}/`)}))`;
          })
          .join(' OR ')})`,
      );
    }
    if (f.buffer) return this.bufferLeaf(`(${values.map((v) => `c.data = ${this.bind(Buffer.from(v.text, 'utf8'))}`).join(' OR ')})`);
    if (f.network && op === 'in') return this.network(f, name, '=', values);
    if (values.length === 0) return '0';
    const bound = values.map((v) => (f.type === 'number' ? this.number(name, f, v) : f.type === 'bool' ? (this.boolean(name, v) ? 1 : 0) : v.text));
    return this.guard(f, (x) => `${x} IN (${bound.map((b) => this.bind(b)).join(', ')})`);
  }

  /** fd.net and its kin: one of the fd's addresses lies in one of the networks (a.b.c.d/n, or one address). */
  private network(f: FieldDef, name: string, op: CompareOp, values: Value[]): string {
    if (op !== '=' && op !== '!=') throw new FilterError(`${name} compares with networks: use =, != or in (column ${values[0]!.column})`, values[0]!.column);
    for (const v of values) {
      if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v.text)) throw new FilterError(`'${v.text}' at column ${v.column} is not a network such as 10.0.0.0/8`, v.column);
    }
    // A placeholder per use: each address is compared with each network.
    const inside = `(${f.network!.map((addr) => values.map((v) => `coalesce(capscope_in_network(${addr}, ${this.bind(v.text)}), 0)`).join(' OR ')).join(' OR ')})`;
    if (op === '=') return inside;
    // != holds only where the fd has an address: a comparison with <NA> is false, as in sysdig.
    const present = `(${f.network!.map((addr) => `${addr} IS NOT NULL`).join(' OR ')})`;
    return `(${present} AND NOT ${inside})`;
  }

  private number(name: string, f: FieldDef, value: Value): number | bigint {
    const text = value.text.trim();
    if (/^-?\d+$/.test(text)) {
      const big = BigInt(text);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    if (/^0x[0-9a-f]+$/i.test(text)) return Number(BigInt(text));
    if (f.duration) {
      const m = /^(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h)$/.exec(text);
      if (m) return Math.round(Number(m[1]) * DURATION_UNITS[m[2]!]!);
    }
    const hint = f.duration ? ' (a number of ns, or with a unit: 500us, 10ms, 2s)' : '';
    throw new FilterError(`'${value.text}' at column ${value.column} is not a valid number for ${name}${hint}`, value.column);
  }

  private boolean(name: string, value: Value): boolean {
    const t = value.text.toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    throw new FilterError(`${name} is true or false, not '${value.text}' (column ${value.column})`, value.column);
  }

  private hex(value: Value): Buffer {
    const clean = value.text.replace(/\s+/g, '');
    if (!/^([0-9a-fA-F]{2})+$/.test(clean)) throw new FilterError(`'${value.text}' at column ${value.column} is not hex bytes (e.g. 48545450)`, value.column);
    return Buffer.from(clean, 'hex');
  }
}
