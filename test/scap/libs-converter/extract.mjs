#!/usr/bin/env node
// Reads libs' scap converter tests (test/libscap/test_suites/engines/savefile/converter.cpp of a
// falcosecurity/libs tree) into a JSON fixture of their conversion cases: the enter event a case
// stores first (if any), the event it converts and the event it expects, with every parameter's
// value. The C++ is evaluated as far as these tests write it: constexpr locals, string and char
// literals, byte arrays, scap_const_sized_buffer{...}, sizeof, empty_value<T>(), a sockaddr_in built
// field by field (htons/htonl), the SCAP_EMPTY_PARAMS_SET of a case, PPM_* macros from the tree's
// driver/ppm_events_public.h and the few libc constants the tests name. A test that only checks a
// drop, a pass, a failure or the storage, or that holds something this cannot evaluate, is listed
// as skipped with its reason; the counts are printed.
//
//   node test/scap/libs-converter/extract.mjs <libs-tree> [--out <file.json>] [--commit <sha>]

import fs from 'node:fs';
import path from 'node:path';

const TEST_FILE = 'test/libscap/test_suites/engines/savefile/converter.cpp';
const HEADER = 'driver/ppm_events_public.h';

/** The libc constants the tests use, with their Linux values. */
const LIBC = {
  AF_UNSPEC: 0n, AF_UNIX: 1n, AF_LOCAL: 1n, AF_INET: 2n, AF_INET6: 10n, AF_NETLINK: 16n,
  SOCK_STREAM: 1n, SOCK_DGRAM: 2n, SOCK_RAW: 3n, IPPROTO_IP: 0n, IPPROTO_TCP: 6n, IPPROTO_UDP: 17n,
  INADDR_ANY: 0n, INADDR_LOOPBACK: 0x7f000001n, CLONE_NEWNET: 0x40000000n, nullptr: null,
};

class Unevaluable extends Error {}

// ----- the tree's PPM_* macros -----

function readMacros(tree) {
  const file = path.join(tree, HEADER);
  const macros = new Map();
  if (!fs.existsSync(file)) return macros;
  const text = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(/^#define\s+(PPM_\w+)\s+(.+?)\s*(?:\/\/.*)?$/gm)) macros.set(m[1], m[2]);
  return macros;
}

// ----- tokens and expressions -----

function tokenize(src) {
  const out = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|("(?:[^"\\]|\\.)*")|('(?:[^'\\]|\\.)*')|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*(?:::\w+)*)|(<<|>>|::|->|&&|\|\||[-+*/%&|^~!<>=(){}[\],;.?:])/y;
  let m;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    m = re.exec(src);
    if (!m) throw new Unevaluable(`unexpected text at ${at}: ${src.slice(at, at + 20)}`);
    if (m[1]) out.push({ k: 'str', v: unescape(m[1].slice(1, -1)) });
    else if (m[2]) out.push({ k: 'num', v: BigInt(unescape(m[2].slice(1, -1)).charCodeAt(0)) });
    else if (m[3]) out.push({ k: 'num', v: BigInt(m[3].startsWith('0') && m[3].length > 1 && !/^0[xX]/.test(m[3]) ? `0o${m[3].slice(1)}` : m[3]) });
    else if (m[4]) out.push({ k: 'id', v: m[4] });
    else if (m[5]) out.push({ k: 'op', v: m[5] });
  }
  return out;
}

function unescape(s) {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, e) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return { n: '\n', t: '\t', r: '\r', '0': '\0' }[e] ?? e;
  });
}

/** A value: { int } (bigint), { str }, { bytes } (number[]), { sockaddr }, { net: bits, v }, { nul } or an event. */
class Parser {
  constructor(tokens, scope) {
    this.t = tokens;
    this.i = 0;
    this.scope = scope;
  }
  peek(v) {
    const t = this.t[this.i];
    return t && (v === undefined || t.v === v) ? t : undefined;
  }
  take(v) {
    const t = this.t[this.i];
    if (!t || (v !== undefined && t.v !== v)) throw new Unevaluable(`expected ${v ?? 'more'} at ${t ? String(t.v) : 'end'}`);
    this.i++;
    return t;
  }
  list(close) {
    const items = [];
    while (!this.peek(close)) {
      items.push(this.expr());
      if (!this.peek(close)) this.take(',');
    }
    this.take(close);
    return items;
  }
  expr() {
    return this.binary(0);
  }
  binary(level) {
    const LEVELS = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.t[this.i];
      if (!op || op.k !== 'op' || !LEVELS[level].includes(op.v)) return left;
      this.i++;
      const right = this.binary(level + 1);
      left = { int: arith(op.v, asInt(left), asInt(right)) };
    }
  }
  unary() {
    if (this.peek('-')) {
      this.take();
      return { int: -asInt(this.unary()) };
    }
    if (this.peek('~')) {
      this.take();
      return { int: ~asInt(this.unary()) };
    }
    if (this.peek('&')) {
      this.take();
      const v = this.unary();
      if (!v.sockaddr && !v.set) throw new Unevaluable('& of something not a struct or a params set');
      return v;
    }
    return this.primary();
  }
  primary() {
    const t = this.take();
    if (t.k === 'num') return { int: t.v };
    if (t.k === 'str') {
      let s = t.v;
      while (this.peek() && this.peek().k === 'str') s += this.take().v;
      return { str: s };
    }
    if (t.v === '(') {
      const v = this.expr();
      this.take(')');
      return v;
    }
    if (t.v === '{') return { init: this.list('}') };
    if (t.k !== 'id') throw new Unevaluable(`unexpected ${t.v}`);
    switch (t.v) {
      case 'sizeof': {
        this.take('(');
        const v = this.expr();
        this.take(')');
        return { int: BigInt(sizeOf(v)) };
      }
      case 'htons':
      case 'htonl': {
        this.take('(');
        const v = asInt(this.expr());
        this.take(')');
        return { net: t.v === 'htons' ? 16 : 32, v };
      }
      case 'empty_value': {
        this.take('<');
        const type = [];
        while (!this.peek('>')) type.push(this.take().v);
        this.take('>');
        this.take('(');
        this.take(')');
        const ty = type.join(' ');
        if (ty === 'char *' || ty === 'scap_const_sized_buffer') return { nul: true };
        return { int: 0n };
      }
      case 'scap_const_sized_buffer': {
        this.take('{');
        const [buf, size] = this.list('}');
        return sizedBuffer(buf, size);
      }
      default: {
        if (this.peek('(')) throw new Unevaluable(`a call to ${t.v}`);
        const v = this.scope(t.v);
        if (v === undefined) throw new Unevaluable(`unknown name ${t.v}`);
        return v;
      }
    }
  }
}

function arith(op, a, b) {
  switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '<<': return a << b;
    case '>>': return a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    default: return a % b;
  }
}

function asInt(v) {
  if (v && typeof v.int === 'bigint') return v.int;
  throw new Unevaluable(`not a number: ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x))}`);
}

function bytesOf(v) {
  if (v.bytes) return v.bytes;
  if (v.str !== undefined) return [...Buffer.from(`${v.str}\0`, 'latin1')];
  if (v.sockaddr) return sockaddrBytes(v.sockaddr);
  throw new Unevaluable('not a buffer');
}

function sizeOf(v) {
  if (v.bytes || v.str !== undefined || v.sockaddr) return bytesOf(v).length;
  throw new Unevaluable('sizeof of a scalar');
}

function sizedBuffer(buf, size) {
  if (buf.nul) {
    if (asInt(size) !== 0n) throw new Unevaluable('a null buffer with a size');
    return { bytes: [] };
  }
  const all = bytesOf(buf);
  const n = Number(asInt(size));
  if (n > all.length) throw new Unevaluable('a buffer size past its bytes');
  return { bytes: all.slice(0, n) };
}

/** struct sockaddr_in on Linux: family (host order, little-endian here), port, address, 8 zeros. */
function sockaddrBytes(s) {
  const b = Buffer.alloc(16);
  b.writeUInt16LE(Number(s.sin_family ?? 0n));
  const net = (v, bits) => (v && v.net === bits ? v.v : v === undefined ? 0n : null);
  const port = net(s.sin_port, 16);
  const addr = net(s['sin_addr.s_addr'], 32);
  if (port === null || addr === null) throw new Unevaluable('a sockaddr_in field not in network order');
  b.writeUInt16BE(Number(port), 2);
  b.writeUInt32BE(Number(addr), 4);
  return [...b];
}

// ----- test cases -----

function testBodies(text) {
  const out = [];
  const re = /TEST_F\(\s*convert_event_test\s*,\s*(\w+)\s*\)\s*\{/g;
  let m;
  while ((m = re.exec(text))) {
    let depth = 1;
    let i = re.lastIndex;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (c === '"' || c === "'") {
        for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      } else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    out.push({ name: m[1], body: text.slice(re.lastIndex, i - 1) });
    re.lastIndex = i;
  }
  return out;
}

function statements(tokens) {
  const out = [];
  let cur = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.k === 'op' && (t.v === '(' || t.v === '{' || t.v === '[')) depth++;
    if (t.k === 'op' && (t.v === ')' || t.v === '}' || t.v === ']')) depth--;
    if (t.k === 'op' && t.v === ';' && depth === 0) {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

const TYPE_WORDS = new Set(['constexpr', 'const', 'static', 'auto', 'char', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'scap_const_sized_buffer', 'sockaddr_in', 'std::string', '*']);

function evaluateCase(name, body, macros) {
  const vars = new Map();
  const sets = new Map();
  const scope = (id) => {
    if (vars.has(id)) return vars.get(id);
    if (id in LIBC) return LIBC[id] === null ? { nul: true } : { int: LIBC[id] };
    if (/^PPME_\w+$/.test(id)) return { ppme: id };
    if (macros.has(id)) return new Parser(tokenize(macros.get(id)), scope).expr();
    if (/^CONVERSION_\w+$/.test(id)) return { result: id };
    if (sets.has(id)) return { set: sets.get(id) };
    return undefined;
  };
  const events = new Map();
  const stored = [];
  let conversion = null;
  const checks = new Set();
  const event = (p, withEmpty) => {
    const args = p.list(')');
    const [ts, tid, type] = args;
    let at = 3;
    let empty = new Set();
    if (withEmpty) {
      empty = args[at].set;
      at++;
    }
    const n = Number(asInt(args[at]));
    const values = args.slice(at + 1, at + 1 + n);
    if (!type?.ppme) throw new Unevaluable('an event call without a PPME_ type');
    // A few tests name more params than they pass (their C varargs read past the end).
    if (values.length !== n) throw new Unevaluable(`${type.ppme} made with ${n} params but ${values.length} values`);
    return {
      type: type.ppme,
      ts: String(asInt(ts)),
      tid: String(asInt(tid)),
      params: values.map((v, i) => (empty.has(i) || v.nul ? { empty: true } : paramValue(v))),
    };
  };
  for (const st of statements(tokenize(body))) {
    const p = new Parser(st, (id) => {
      const v = scope(id);
      if (v && v.event) return v;
      return v;
    });
    const head = st[0].v;
    if (head === 'SCAP_EMPTY_PARAMS_SET') {
      p.take();
      p.take('(');
      const setName = p.take().v;
      const idx = [];
      while (p.peek(',')) {
        p.take(',');
        idx.push(Number(asInt(p.expr())));
      }
      sets.set(setName, new Set(idx));
      continue;
    }
    if (/^assert_/.test(head)) {
      p.take();
      p.take('(');
      if (head === 'assert_single_conversion_success' || head === 'assert_full_conversion') {
        if (head === 'assert_single_conversion_success') {
          p.expr();
          p.take(',');
        }
        const input = callOrVar(p, event);
        p.take(',');
        const expected = callOrVar(p, event);
        if (conversion) throw new Unevaluable('two conversions in one test');
        conversion = { input, expected };
      } else {
        const arg = callOrVar(p, event);
        checks.add(head);
        if (head === 'assert_single_conversion_drop' || head === 'assert_single_conversion_pass') {
          if (arg.type.endsWith('_E')) stored.push(arg);
        }
      }
      continue;
    }
    // A declaration: [const|constexpr] type name[[]] (= expr | {init} | init-list)
    let i = 0;
    const words = [];
    while (i < st.length && (TYPE_WORDS.has(st[i].v) || (st[i].k === 'id' && i + 1 < st.length && st[i + 1].k === 'id'))) words.push(st[i++].v);
    if (words.length && st[i]?.k === 'id') {
      const varName = st[i++].v;
      let isArray = false;
      if (st[i]?.v === '[') {
        i += 2;
        isArray = true;
      }
      const q = new Parser(st.slice(i), scope);
      if (words.includes('std::string')) throw new Unevaluable('a std::string');
      if (words.includes('sockaddr_in')) {
        vars.set(varName, { sockaddr: {} });
        continue;
      }
      if (q.peek('=')) q.take('=');
      let v;
      if (q.peek() && q.peek().k === 'id' && /^create_safe_scap_event(_with_empty_params)?$/.test(q.peek().v)) {
        const fn = q.take().v;
        q.take('(');
        v = { event: event(q, fn.endsWith('_with_empty_params')) };
      } else if (words.includes('scap_const_sized_buffer') && q.peek('{')) {
        q.take('{');
        const [buf, size] = q.list('}');
        v = sizedBuffer(buf, size);
      } else {
        v = q.expr();
        if (v.init) v = { bytes: v.init.map((x) => Number(asInt(x)) & 0xff) };
        else if (isArray && v.str === undefined && !v.bytes) throw new Unevaluable(`an array ${varName}`);
      }
      vars.set(varName, v);
      continue;
    }
    // A struct field set: name.field[.field] = expr
    if (st[0].k === 'id' && st[1]?.v === '.') {
      const target = vars.get(st[0].v);
      if (!target?.sockaddr) throw new Unevaluable(`a field of ${st[0].v}`);
      let j = 1;
      const field = [];
      while (st[j]?.v === '.') {
        field.push(st[j + 1].v);
        j += 2;
      }
      const q = new Parser(st.slice(j + 1), scope);
      const v = q.expr();
      target.sockaddr[field.join('.')] = v.net ? v : asInt(v);
      continue;
    }
    throw new Unevaluable(`a statement starting ${head}`);
  }
  return { conversion, stored, checks };
}

function callOrVar(p, event) {
  const t = p.peek();
  if (t && /^create_safe_scap_event(_with_empty_params)?$/.test(t.v)) {
    p.take();
    p.take('(');
    return event(p, t.v.endsWith('_with_empty_params'));
  }
  const v = p.expr();
  if (!v.event) throw new Unevaluable('an assertion on something not an event');
  return v.event;
}

function paramValue(v) {
  if (typeof v.int === 'bigint') return { int: String(v.int) };
  if (v.str !== undefined) return { str: v.str };
  if (v.bytes) return { bytes: Buffer.from(v.bytes).toString('hex') };
  if (v.sockaddr) return { bytes: Buffer.from(sockaddrBytes(v.sockaddr)).toString('hex') };
  throw new Unevaluable('a parameter of another kind');
}

export function extract(tree, commit) {
  const text = fs.readFileSync(path.join(tree, TEST_FILE), 'utf8');
  const macros = readMacros(tree);
  const cases = [];
  const skipped = [];
  for (const { name, body } of testBodies(text)) {
    let r;
    try {
      r = evaluateCase(name, body, macros);
    } catch (err) {
      if (!(err instanceof Unevaluable)) throw err;
      skipped.push({ name, reason: `cannot evaluate: ${err.message}` });
      continue;
    }
    if (!r.conversion) {
      skipped.push({ name, reason: `no conversion, only ${[...r.checks].sort().join(', ')}` });
      continue;
    }
    const { input, expected } = r.conversion;
    if (!input.type.endsWith('_X')) {
      skipped.push({ name, reason: 'converts an enter or metadata event, not an exit' });
      continue;
    }
    const enter = r.stored.filter((e) => e.tid === input.tid).at(-1) ?? null;
    cases.push({ name, enter, input, expected });
  }
  return { source: TEST_FILE, commit: commit ?? null, cases, skipped };
}

/** One case a line, so that a change to libs' tests reads as a change to its cases. */
export function serialize(fixture) {
  const lines = (list) => list.map((x) => `  ${JSON.stringify(x)}`).join(',\n');
  return `{\n "source": ${JSON.stringify(fixture.source)},\n "commit": ${JSON.stringify(fixture.commit)},\n "cases": [\n${lines(fixture.cases)}\n ],\n "skipped": [\n${lines(fixture.skipped)}\n ]\n}\n`;
}

function main() {
  const args = process.argv.slice(2);
  const tree = args[0];
  if (!tree || tree.startsWith('--')) {
    process.stderr.write('usage: extract.mjs <libs-tree> [--out <file.json>] [--commit <sha>]\n');
    process.exit(2);
  }
  const opt = (n) => {
    const i = args.indexOf(n);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = opt('--out');
  const fixture = extract(tree, opt('--commit'));
  const reasons = new Map();
  for (const s of fixture.skipped) {
    const key = s.reason.replace(/^cannot evaluate: .*/, 'cannot evaluate');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  const json = serialize(fixture);
  if (out) fs.writeFileSync(out, json);
  else process.stdout.write(json);
  process.stderr.write(`${fixture.cases.length} conversion cases (${fixture.cases.filter((c) => c.enter).length} with their enter), ${fixture.skipped.length} skipped:\n`);
  for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) process.stderr.write(`  ${String(n).padStart(4)}  ${reason}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
