// Reads the event table out of a falcosecurity/libs source tree (driver/event_table.c,
// driver/ppm_events_public.h, driver/flags_table.c, driver/dynamic_params_table.c) and writes it
// as data: ./libs-event-table.json. extract-event-table.mjs lays it over the table of the libscap
// that Debian's sysdig links, so capscope knows every event and parameter libs knows today.
//
// The C is read, not compiled: the table is one designated initializer per event, and every value
// in it is a name defined in the header (an enum member or a #define of shifts and ors), so a
// small tokenizer and an evaluator of those expressions are enough. Anything it cannot evaluate is
// an error, never a guess.
// Run: node core/formats/scap/parser/gen/read-libs-source.mjs path/to/libs [--commit SHA] [--out FILE]
// (--commit names the libs commit when the tree is an export without git.)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Removes C comments and preprocessor continuation lines' backslashes. */
function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** Splits `text` at commas that are outside braces, parentheses and strings. */
function splitTopLevel(text) {
  const parts = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

/** The text between the brace at `open` and its matching close. */
function braced(text, open) {
  let depth = 0;
  let inString = false;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { body: text.slice(open + 1, i), end: i };
  }
  throw new Error(`unbalanced brace at ${open}`);
}

const unquote = (s) => {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(s.trim());
  if (!m) throw new Error(`expected a string literal, got ${s}`);
  return m[1];
};

/** #define NAME value and enum members of the header, evaluated on demand. */
class Constants {
  constructor(header) {
    this.raw = new Map();
    this.values = new Map();
    const src = stripComments(header).replace(/\\\n/g, ' ');
    for (const m of src.matchAll(/^[ \t]*#define[ \t]+([A-Za-z_]\w*)[ \t]+([^\n]+)$/gm)) this.raw.set(m[1], m[2].trim());
    for (const m of src.matchAll(/enum\s+\w*\s*\{([^}]*)\}/g)) {
      // Enums inside macros (X-macro lists) have members that are not constants: such an enum is
      // left out from its first member that does not evaluate.
      let next = 0;
      for (const member of splitTopLevel(m[1])) {
        const [name, value] = member.split('=').map((s) => s.trim());
        if (!name || !/^[A-Za-z_]\w*$/.test(name)) break;
        let v;
        try {
          v = value === undefined ? next : this.eval(value);
        } catch {
          break;
        }
        this.values.set(name, v);
        next = v + 1;
      }
    }
  }

  eval(expr) {
    const js = expr.replace(/\b0x[0-9a-fA-F]+[uUlL]*|\b\d+[uUlL]*|[A-Za-z_]\w*/g, (token) => {
      if (/^(0x[0-9a-fA-F]+|\d+)/.test(token)) {
        const digits = token.replace(/[uUlL]+$/, '');
        // C's leading zero is octal (the mode bits are written so).
        return /^0[0-7]+$/.test(digits) ? String(parseInt(digits, 8)) : digits;
      }
      return `(${this.get(token)})`;
    });
    if (!/^[\s\d()xa-fA-F|&<>~+\-*^]*$/.test(js)) throw new Error(`cannot evaluate ${expr}`);
    // Sums of shifted bits can pass 2^31: evaluate in BigInt-free doubles, then keep 32 bits unsigned.
    const v = Function(`"use strict"; return (${js});`)();
    if (!Number.isFinite(v)) throw new Error(`cannot evaluate ${expr}`);
    return v < 0 ? v >>> 0 : v;
  }

  get(name) {
    if (this.values.has(name)) return this.values.get(name);
    const raw = this.raw.get(name);
    if (raw === undefined) throw new Error(`${name} is not defined in the header`);
    const v = this.eval(raw);
    this.values.set(name, v);
    return v;
  }
}

const CATEGORY_PARTS = new Set(['EC_SYSCALL', 'EC_TRACEPOINT', 'EC_PLUGIN', 'EC_METAEVENT', 'EC_ITER']);

function parseParam(text, where) {
  const body = text.trim().replace(/^\{|\}$/g, '');
  const [name, type, fmt, info, count] = splitTopLevel(body);
  const param = { name: unquote(name), type: type.replace(/^PT_/, ''), fmt: fmt.replace(/^PF_/, '') };
  if (info && info !== '0' && info !== 'NULL') {
    const dirfd = /^DIRFD_PARAM\((\d+)\)$/.exec(info);
    if (dirfd) param.dirfd = Number(dirfd[1]);
    else if (param.type === 'DYN') {
      param.dyn = info;
      if (!count) throw new Error(`${where}: dynamic param ${param.name} without its count`);
    } else param.flags = info;
  }
  return param;
}

function parseEvents(tableSource, constants) {
  const src = stripComments(tableSource);
  const start = src.indexOf('g_event_info[]');
  if (start < 0) throw new Error('event_table.c has no g_event_info[]');
  const table = braced(src, src.indexOf('{', start)).body;
  const events = [];
  for (const m of table.matchAll(/\[(PPME_\w+)\]\s*=\s*\{/g)) {
    const number = constants.get(m[1]);
    const { body } = braced(table, m.index + m[0].length - 1);
    const [name, category, flags, nparams, params] = splitTopLevel(body);
    const categoryNames = category.split('|').map((s) => s.trim()).filter((s) => !CATEGORY_PARTS.has(s));
    const flagNames = flags.split('|').map((s) => s.trim()).filter((s) => s && s !== 'EF_NONE' && s !== '0');
    const list = params ? splitTopLevel(params.trim().replace(/^\{|\}$/g, '')).map((p) => parseParam(p, m[1])) : [];
    if (list.length !== Number(nparams)) throw new Error(`${m[1]}: nparams ${nparams} but ${list.length} params`);
    const sources = category.split('|').map((s) => s.trim()).filter((s) => CATEGORY_PARTS.has(s));
    events[number] = {
      enumName: m[1],
      name: unquote(name),
      category: categoryNames.length === 1 ? categoryNames[0].replace(/^EC_/, '') : 'UNKNOWN',
      // Where the event comes from: a syscall, a kernel tracepoint, a plugin, or the framework's
      // own metadata (containers, process info, drops), which is no activity of the machine.
      source: sources.length === 1 ? sources[0].replace(/^EC_/, '').toLowerCase() : 'unknown',
      flags: flagNames.map((f) => f.replace(/^EF_/, '')),
      params: list,
    };
  }
  return events;
}

function parseFlagTables(flagsSource, constants) {
  const src = stripComments(flagsSource);
  const tables = {};
  for (const m of src.matchAll(/const\s+struct\s+ppm_name_value\s+(\w+)\s*\[\]\s*=\s*\{/g)) {
    const { body } = braced(src, m.index + m[0].length - 1);
    const entries = [];
    for (const entry of splitTopLevel(body)) {
      const [name, value] = splitTopLevel(entry.replace(/^\{|\}$/g, ''));
      if (value === undefined || name === '0' || name === 'NULL') continue; // the {0, 0} terminator
      entries.push([unquote(name), constants.eval(value)]);
    }
    tables[m[1]] = entries;
  }
  return tables;
}

function parseDynamicTables(dynSource, constants) {
  const src = stripComments(dynSource);
  const tables = {};
  for (const m of src.matchAll(/const\s+struct\s+ppm_param_info\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{/g)) {
    const { body } = braced(src, m.index + m[0].length - 1);
    const params = [];
    for (const entry of body.matchAll(/\[(\w+)\]\s*=\s*\{\{0\},\s*PT_(\w+),\s*PF_(\w+)/g)) {
      params[constants.get(entry[1])] = { name: '', type: entry[2], fmt: entry[3] };
    }
    tables[m[1]] = params;
  }
  return tables;
}

function parseSyscallNames(header) {
  const names = [];
  for (const m of header.matchAll(/PPM_SC_X\((\w+),\s*(\d+)\)/g)) names[Number(m[2])] = m[1].toLowerCase();
  return Array.from(names, (n) => n ?? '');
}

export function readLibsSource(libsDir) {
  const read = (rel) => fs.readFileSync(path.join(libsDir, rel), 'utf8');
  const header = read('driver/ppm_events_public.h');
  const constants = new Constants(header);
  let commit = null;
  try {
    commit = execFileSync('git', ['-C', libsDir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // A source tree without git: the table says nothing about its commit.
  }
  const events = parseEvents(read('driver/event_table.c'), constants);
  const max = constants.get('PPM_EVENT_MAX');
  if (events.length !== max) throw new Error(`event_table.c fills ${events.length} events, PPM_EVENT_MAX is ${max}`);
  for (let i = 0; i < max; i++) if (!events[i]) throw new Error(`event ${i} is missing from event_table.c`);
  return {
    commit,
    events,
    flagTables: parseFlagTables(read('driver/flags_table.c'), constants),
    dynamicTables: parseDynamicTables(read('driver/dynamic_params_table.c'), constants),
    syscallNames: parseSyscallNames(stripComments(header)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv.splice(outAt, 2)[1] : path.join(here, 'libs-event-table.json');
  const commitAt = argv.indexOf('--commit');
  const commitArg = commitAt >= 0 ? argv.splice(commitAt, 2)[1] : null;
  if (!argv[0]) throw new Error('usage: read-libs-source.mjs path/to/falcosecurity/libs [--out FILE]');
  const table = readLibsSource(argv[0]);
  table.commit ??= commitArg;
  const lines = ['{', `  "commit": ${JSON.stringify(table.commit)},`, '  "events": ['];
  table.events.forEach((e, i) => lines.push(`    ${JSON.stringify(e)}${i + 1 < table.events.length ? ',' : ''}`));
  lines.push('  ],', '  "flagTables": {');
  const flagNames = Object.keys(table.flagTables).sort();
  flagNames.forEach((n, i) => lines.push(`    ${JSON.stringify(n)}: ${JSON.stringify(table.flagTables[n])}${i + 1 < flagNames.length ? ',' : ''}`));
  lines.push('  },', `  "dynamicTables": ${JSON.stringify(table.dynamicTables)},`, `  "syscallNames": ${JSON.stringify(table.syscallNames)}`, '}', '');
  fs.writeFileSync(out, lines.join('\n'));
  console.log(`${table.events.length} events, ${flagNames.length} flag tables, ${Object.keys(table.dynamicTables).length} dynamic tables, ${table.syscallNames.length} syscall names from ${argv[0]}${table.commit ? ` at ${table.commit}` : ''}`);
}
