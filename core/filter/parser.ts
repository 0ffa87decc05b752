// Reads a filter expression in sysdig's syntax into a tree. Pure: no fields, no SQL.
//
// Grammar (sysdig 0.29 / libsinsp):
//   expr    := unary (('and' unary)* | ('or' unary)*)   -- one level never mixes 'and' and 'or'
//   unary   := 'not' unary | '(' expr ')' | check
//   check   := field ( cmp value | ('in' | 'pmatch' | 'intersects') list | 'exists' )
//   cmp     := = == != < <= > >= contains icontains bcontains startswith bstartswith endswith glob
//   list    := '(' value (',' value)* ')'
//   value   := "…" | '…' (backslash escapes) | bare characters up to a blank, a parenthesis or a comma
// Values are read in context, after their operator: `evt.dir=>` compares with '>'.
//
// Falco's conditions ({ falco: true }) are the same language as libsinsp reads it today: 'or' binds
// looser than 'and' (`a and b or c` is `(a and b) or c`, which Falco's appended conditions rely on),
// a bare name with no operator after it is a macro reference, and a list may be empty (a Falco list
// with no items expands to one).

import { FilterError } from './filter-error';

export type CompareOp =
  | '=' | '!=' | '<' | '<=' | '>' | '>='
  | 'contains' | 'icontains' | 'bcontains' | 'startswith' | 'bstartswith' | 'endswith' | 'glob';
export type ListOp = 'in' | 'pmatch' | 'intersects';

export interface Value {
  text: string;
  quoted: boolean;
  /** 1-based column where the value starts. */
  column: number;
}

export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'compare'; field: string; column: number; op: CompareOp; value: Value }
  | { kind: 'list'; field: string; column: number; op: ListOp; values: Value[] }
  | { kind: 'exists'; field: string; column: number }
  /** Falco conditions only: a macro named by itself, expanded before compiling. */
  | { kind: 'macro'; name: string; column: number };

export interface ParseOptions {
  /** Read a Falco condition: 'and' before 'or', macro references, empty lists. */
  falco?: boolean;
}

const WORD_OPS: ReadonlySet<string> = new Set(['contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob']);
const LIST_OPS: ReadonlySet<string> = new Set(['in', 'pmatch', 'intersects']);
const SYMBOL_OPS = ['==', '!=', '<=', '>=', '=', '<', '>'] as const;
const FIELD = /[A-Za-z_][A-Za-z0-9_.]*(\[[^\]\s]*\])?/y;
const WORD = /[A-Za-z_]+/y;
const BARE_VALUE = /[^\s(),]+/y;

/** Parses `text`; an empty (all-blank) text gives null: no filter. */
export function parseFilter(text: string, options: ParseOptions = {}): FilterNode | null {
  const p = new Parser(text, options.falco === true);
  p.skipBlanks();
  if (p.atEnd()) return null;
  const node = p.expr();
  p.skipBlanks();
  if (!p.atEnd()) {
    const rest = p.peekWord();
    if (rest === 'and' || rest === 'or') throw p.fault(`'${rest}' here needs a condition after it`);
    throw p.fault(`expected 'and', 'or' or the end of the filter, found '${p.snippet()}'`);
  }
  return node;
}

class Parser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly falco: boolean,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipBlanks(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  fault(message: string, at = this.pos): FilterError {
    return new FilterError(`${message} at column ${at + 1}`, at + 1);
  }

  snippet(): string {
    const s = this.text.slice(this.pos, this.pos + 20);
    return s.length < this.text.length - this.pos ? `${s}…` : s;
  }

  /** The keyword-like word at the cursor (lower-cased), without consuming it. */
  peekWord(): string | null {
    WORD.lastIndex = this.pos;
    const m = WORD.exec(this.text);
    if (!m) return null;
    // A keyword ends where the word ends: 'andy' is not 'and', 'not(' is 'not'.
    const next = this.text[this.pos + m[0].length];
    if (next !== undefined && /[A-Za-z0-9_.]/.test(next)) return null;
    return m[0].toLowerCase();
  }

  private takeWord(word: string): void {
    this.pos += word.length;
  }

  expr(): FilterNode {
    return this.falco ? this.joined('or', () => this.joined('and', () => this.unary())) : this.sysdigExpr();
  }

  /** Falco: operands joined by one connective, each operand read by `operand` (the tighter level). */
  private joined(joiner: 'and' | 'or', operand: () => FilterNode): FilterNode {
    const children = [operand()];
    for (;;) {
      this.skipBlanks();
      if (this.peekWord() !== joiner) break;
      this.takeWord(joiner);
      children.push(operand());
    }
    return children.length === 1 ? children[0]! : { kind: joiner, children };
  }

  private sysdigExpr(): FilterNode {
    const first = this.unary();
    let joiner: 'and' | 'or' | null = null;
    let joinerAt = 0;
    const children = [first];
    for (;;) {
      this.skipBlanks();
      const at = this.pos;
      const word = this.peekWord();
      if (word !== 'and' && word !== 'or') break;
      if (joiner !== null && word !== joiner) {
        throw this.fault(`'${word}' after '${joiner}' (column ${joinerAt + 1}) without parentheses is ambiguous; group with ( )`, at);
      }
      joiner = word;
      joinerAt = at;
      this.takeWord(word);
      children.push(this.unary());
    }
    return joiner === null ? first : { kind: joiner, children };
  }

  private unary(): FilterNode {
    this.skipBlanks();
    if (this.atEnd()) throw this.fault('expected a condition, found the end of the filter');
    if (this.peekWord() === 'not') {
      this.takeWord('not');
      return { kind: 'not', child: this.unary() };
    }
    if (this.text[this.pos] === '(') {
      const open = this.pos;
      this.pos++;
      const inner = this.expr();
      this.skipBlanks();
      if (this.text[this.pos] !== ')') {
        throw this.fault(this.atEnd() ? `the '(' at column ${open + 1} is never closed` : `expected ')', found '${this.snippet()}'`);
      }
      this.pos++;
      return inner;
    }
    return this.check();
  }

  private check(): FilterNode {
    const column = this.pos + 1;
    FIELD.lastIndex = this.pos;
    const m = FIELD.exec(this.text);
    if (!m) throw this.fault(`expected a field name such as evt.type or proc.name, found '${this.snippet()}'`);
    const field = m[0];
    if (this.falco && (field === 'and' || field === 'or')) throw this.fault(`expected a condition, found '${field}'`);
    this.pos += field.length;
    this.skipBlanks();
    const word = this.peekWord();
    if (this.falco && this.endsOperand(word)) return { kind: 'macro', name: field, column };
    if (word === 'exists') {
      this.takeWord(word);
      return { kind: 'exists', field, column };
    }
    if (word !== null && LIST_OPS.has(word)) {
      this.takeWord(word);
      return { kind: 'list', field, column, op: word as ListOp, values: this.list() };
    }
    if (word !== null && WORD_OPS.has(word)) {
      this.takeWord(word);
      return { kind: 'compare', field, column, op: word as CompareOp, value: this.value() };
    }
    const symbol = SYMBOL_OPS.find((op) => this.text.startsWith(op, this.pos));
    if (symbol) {
      this.pos += symbol.length;
      return { kind: 'compare', field, column, op: symbol === '==' ? '=' : symbol, value: this.value() };
    }
    if (this.atEnd()) throw this.fault(`expected an operator after ${field}, found the end of the filter`);
    throw this.fault(`expected an operator after ${field} (=, !=, <, >, contains, in, exists, ...), found '${this.snippet()}'`);
  }

  /** Falco: nothing that could start an operator follows a name, so the name is a macro's. */
  private endsOperand(word: string | null): boolean {
    return this.atEnd() || this.text[this.pos] === ')' || word === 'and' || word === 'or';
  }

  private value(): Value {
    this.skipBlanks();
    const start = this.pos;
    const quote = this.text[this.pos];
    if (quote === '"' || quote === "'") return { text: this.quoted(quote), quoted: true, column: start + 1 };
    BARE_VALUE.lastIndex = this.pos;
    const m = BARE_VALUE.exec(this.text);
    if (!m) throw this.fault(this.atEnd() ? 'expected a value, found the end of the filter' : `expected a value, found '${this.snippet()}'`);
    this.pos += m[0].length;
    return { text: m[0], quoted: false, column: start + 1 };
  }

  private quoted(quote: string): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '\\' && this.pos + 1 < this.text.length) {
        const next = this.text[this.pos + 1]!;
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
        this.pos += 2;
        continue;
      }
      if (c === quote) {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
    throw this.fault(`the ${quote === '"' ? 'double' : 'single'} quote at column ${start + 1} is never closed`, start);
  }

  private list(): Value[] {
    this.skipBlanks();
    if (this.text[this.pos] !== '(') throw this.fault(`expected '(' to open a list of values, found '${this.snippet()}'`);
    const open = this.pos;
    this.pos++;
    const values: Value[] = [];
    for (;;) {
      this.skipBlanks();
      if (this.text[this.pos] === ')' && values.length === 0) {
        if (!this.falco) throw this.fault('an empty list matches nothing; give at least one value');
        this.pos++;
        return values;
      }
      values.push(this.value());
      this.skipBlanks();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        return values;
      }
      if (c === undefined) throw this.fault(`the list opened at column ${open + 1} is never closed`);
      throw this.fault(`expected ',' or ')' after a value in the list, found '${this.snippet()}'`);
    }
  }
}
