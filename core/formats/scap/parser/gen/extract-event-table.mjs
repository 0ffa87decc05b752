// Generates core/formats/scap/parser/event-table-data.ts: the event table of the falcosecurity libs, as data.
//
// The base is read out of an installed libscap shared library (Debian's sysdig package ships one:
// /lib/x86_64-linux-gnu/libscap.so.*), where g_event_info, g_syscall_info_table and the flag
// tables are plain data: reading them from the binary copies the table without transcription
// mistakes. The events and parameters that later libs added (after that library was built) come
// from ./libs-event-table.json, which read-libs-source.mjs reads out of a libs source tree.
// Run: node core/formats/scap/parser/gen/extract-event-table.mjs [path/to/libscap.so] [--libs-table FILE] [--out FILE]

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
const outFile = outAt >= 0 ? argv.splice(outAt, 2)[1] : path.join(here, '..', 'event-table-data.ts');
const libsAt = argv.indexOf('--libs-table');
const libsTablePath = libsAt >= 0 ? argv.splice(libsAt, 2)[1] : path.join(here, 'libs-event-table.json');
const libPath = argv[0] ?? fs.readdirSync('/lib/x86_64-linux-gnu').filter((f) => f.startsWith('libscap.so')).map((f) => `/lib/x86_64-linux-gnu/${f}`)[0];
if (!libPath) throw new Error('no libscap.so found: install sysdig (apt-get install sysdig) or pass its path');
const elf = fs.readFileSync(libPath);

// ----- ELF64 little-endian: sections, dynamic symbols, relative relocations -----
const shoff = Number(elf.readBigUInt64LE(0x28));
const shentsize = elf.readUInt16LE(0x3a);
const shnum = elf.readUInt16LE(0x3c);
const sections = [];
for (let i = 0; i < shnum; i++) {
  const o = shoff + i * shentsize;
  sections.push({ type: elf.readUInt32LE(o + 4), addr: Number(elf.readBigUInt64LE(o + 0x10)), offset: Number(elf.readBigUInt64LE(o + 0x18)), size: Number(elf.readBigUInt64LE(o + 0x20)), link: elf.readUInt32LE(o + 0x28), entsize: Number(elf.readBigUInt64LE(o + 0x38)) });
}
const SHT_RELA = 4;
const SHT_DYNSYM = 11;
const fileOffset = (addr) => {
  const s = sections.find((x) => x.addr && addr >= x.addr && addr < x.addr + x.size && x.type !== 8 /* NOBITS */);
  if (!s) throw new Error(`address 0x${addr.toString(16)} is in no section`);
  return addr - s.addr + s.offset;
};
const symbols = new Map();
const symbolValues = []; // dynsym index → value, for relocations against a symbol
for (const s of sections.filter((x) => x.type === SHT_DYNSYM)) {
  const strtab = sections[s.link];
  for (let o = s.offset; o < s.offset + s.size; o += 24) {
    symbolValues.push(Number(elf.readBigUInt64LE(o + 8)));
    const nameOff = elf.readUInt32LE(o);
    let e = strtab.offset + nameOff;
    while (elf[e]) e++;
    const name = elf.toString('latin1', strtab.offset + nameOff, e);
    if (name) symbols.set(name, { addr: Number(elf.readBigUInt64LE(o + 8)), size: Number(elf.readBigUInt64LE(o + 16)) });
  }
}
const relative = new Map(); // address of a pointer → the address it points to
for (const s of sections.filter((x) => x.type === SHT_RELA)) {
  for (let o = s.offset; o < s.offset + s.size; o += 24) {
    const info = elf.readBigUInt64LE(o + 8);
    const type = Number(info & 0xffffffffn);
    const addend = Number(elf.readBigInt64LE(o + 16));
    if (type === 8 /* R_X86_64_RELATIVE */) relative.set(Number(elf.readBigUInt64LE(o)), addend);
    else if (type === 1 /* R_X86_64_64: symbol + addend */) relative.set(Number(elf.readBigUInt64LE(o)), symbolValues[Number(info >> 32n)] + addend);
  }
}
const cstring = (off, max = Infinity) => {
  let e = off;
  while (elf[e] && e - off < max) e++;
  return elf.toString('latin1', off, e);
};
const pointerAt = (addr) => relative.get(addr) ?? Number(elf.readBigUInt64LE(fileOffset(addr)));
const symbolAt = (addr) => [...symbols].find(([, s]) => s.addr === addr)?.[0];

// ----- enums of driver/ppm_events_public.h -----
const PARAM_TYPES = ['NONE', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'CHARBUF', 'BYTEBUF', 'ERRNO', 'SOCKADDR', 'SOCKTUPLE', 'FD', 'PID', 'FDLIST', 'FSPATH', 'SYSCALLID', 'SIGTYPE', 'RELTIME', 'ABSTIME', 'PORT', 'L4PROTO', 'SOCKFAMILY', 'BOOL', 'IPV4ADDR', 'DYN', 'FLAGS8', 'FLAGS16', 'FLAGS32', 'UID', 'GID', 'DOUBLE', 'SIGSET', 'CHARBUFARRAY', 'CHARBUF_PAIR_ARRAY', 'IPV4NET', 'IPV6ADDR', 'IPV6NET', 'IPADDR', 'IPNET', 'MODE', 'FSRELPATH', 'ENUMFLAGS8', 'ENUMFLAGS16', 'ENUMFLAGS32'];
// The width of each fixed-size type on the wire; 'var' for those a length prefix sizes.
const PARAM_SIZES = Object.fromEntries([
  ...['INT8', 'UINT8', 'FLAGS8', 'ENUMFLAGS8', 'SIGTYPE', 'L4PROTO', 'SOCKFAMILY'].map((t) => [t, 1]),
  ...['INT16', 'UINT16', 'FLAGS16', 'ENUMFLAGS16', 'SYSCALLID', 'PORT'].map((t) => [t, 2]),
  ...['INT32', 'UINT32', 'FLAGS32', 'ENUMFLAGS32', 'UID', 'GID', 'MODE', 'BOOL', 'IPV4ADDR', 'SIGSET'].map((t) => [t, 4]),
  ...['INT64', 'UINT64', 'ERRNO', 'FD', 'PID', 'RELTIME', 'ABSTIME', 'DOUBLE'].map((t) => [t, 8]),
  ...['IPV6ADDR'].map((t) => [t, 16]),
  ...['NONE', 'CHARBUF', 'BYTEBUF', 'SOCKADDR', 'SOCKTUPLE', 'FDLIST', 'FSPATH', 'DYN', 'CHARBUFARRAY', 'CHARBUF_PAIR_ARRAY', 'IPV4NET', 'IPV6NET', 'IPADDR', 'IPNET', 'FSRELPATH'].map((t) => [t, 'var']),
]);
const FORMATS = ['NA', 'DEC', 'HEX', '10_PADDED_DEC', 'ID', 'DIR', 'OCT'];
const CATEGORIES = { 0: 'UNKNOWN', 1: 'OTHER', 2: 'FILE', 3: 'NET', 4: 'IPC', 5: 'MEMORY', 6: 'PROCESS', 7: 'SLEEP', 8: 'SYSTEM', 9: 'SIGNAL', 10: 'USER', 11: 'TIME', 12: 'PROCESSING', 32: 'IO_READ', 33: 'IO_WRITE', 34: 'IO_OTHER', 64: 'WAIT', 128: 'SCHEDULER', 256: 'INTERNAL' };
const FLAGS = ['CREATES_FD', 'DESTROYS_FD', 'USES_FD', 'READS_FROM_FD', 'WRITES_TO_FD', 'MODIFIES_STATE', 'UNUSED', 'WAITS', 'SKIPPARSERESET', 'OLD_VERSION', 'DROP_SIMPLE_CONS', 'LARGE_PAYLOAD'];

const NAME_LEN = 32;
const MAX_PARAMS = 32;
const PARAM_SIZE = NAME_LEN + 4 + 4 + 8 + 1; // packed struct ppm_param_info
const EVENT_SIZE = NAME_LEN + 4 + 4 + 4 + MAX_PARAMS * PARAM_SIZE;

const flagTables = new Map(); // table name → [[name, value], ...]
const dynTables = new Map(); // table name → params

function readFlagTable(addr) {
  const name = symbolAt(addr) ?? `flags_0x${addr.toString(16)}`;
  if (flagTables.has(name)) return name;
  const entries = [];
  for (let a = addr; ; a += 16) {
    const namePtr = pointerAt(a);
    const value = elf.readUInt32LE(fileOffset(a + 8));
    if (!namePtr) break;
    entries.push([cstring(fileOffset(namePtr)), value]);
  }
  flagTables.set(name, entries);
  return name;
}

function readParam(addr) {
  const o = fileOffset(addr);
  const type = PARAM_TYPES[elf.readUInt32LE(o + NAME_LEN)];
  const fmt = FORMATS[elf.readUInt32LE(o + NAME_LEN + 4)];
  const infoAddr = pointerAt(addr + NAME_LEN + 8);
  const ninfo = elf[o + NAME_LEN + 16];
  const param = { name: cstring(o, NAME_LEN), type, fmt };
  if (type === 'FSRELPATH') param.dirfd = infoAddr;
  else if (type === 'DYN' && infoAddr) {
    const table = symbolAt(infoAddr) ?? `dyn_0x${infoAddr.toString(16)}`;
    if (!dynTables.has(table)) dynTables.set(table, Array.from({ length: ninfo }, (_, i) => readParam(infoAddr + i * PARAM_SIZE)));
    param.dyn = table;
  } else if (infoAddr && /FLAGS|MODE/.test(type)) param.flags = readFlagTable(infoAddr);
  return param;
}

const eventInfo = symbols.get('g_event_info');
const events = [];
for (let i = 0; i < eventInfo.size / EVENT_SIZE; i++) {
  const addr = eventInfo.addr + i * EVENT_SIZE;
  const o = fileOffset(addr);
  const category = elf.readUInt32LE(o + NAME_LEN);
  const flags = elf.readUInt32LE(o + NAME_LEN + 4);
  const nparams = elf.readUInt32LE(o + NAME_LEN + 8);
  events.push({
    name: cstring(o, NAME_LEN),
    category: CATEGORIES[category & 0x3ff] ?? 'UNKNOWN',
    flags: FLAGS.filter((_, bit) => flags & (1 << bit)),
    params: Array.from({ length: nparams }, (_, p) => readParam(addr + NAME_LEN + 12 + p * PARAM_SIZE)),
  });
}

const syscallTable = symbols.get('g_syscall_info_table');
const syscalls = [];
for (let i = 0; i < syscallTable.size / 16; i++) {
  const namePtr = pointerAt(syscallTable.addr + i * 16 + 8);
  syscalls.push(namePtr ? cstring(fileOffset(namePtr)) : '');
}

// ----- what later libs added (libs-event-table.json, read from libs' sources) -----
// The only change libs allows to an existing event is appending parameters, so the base library's
// events keep their names, types and flag tables (what sysdig 0.29 prints, and what captures of
// its time hold) and gain the parameters appended since; events the base did not have are taken
// whole. A capture's own block says how many parameters it carries, so one table reads both forms.
const libs = JSON.parse(fs.readFileSync(libsTablePath, 'utf8'));
const baseCount = events.length;
const baseSyscalls = syscalls.length;
const KNOWN_FLAGS = new Set(FLAGS);
const usedTables = new Set();
// libs now also marks OLD_VERSION the enter events its drivers stopped sending (their exits carry
// the parameters). capscope keeps the flag's first meaning, a form replaced by a newer event
// number: the enter of a current pair is still current, and old captures are full of them.
const laterFlags = (number) => {
  const flags = libs.events[number].flags.filter((f) => KNOWN_FLAGS.has(f));
  const replaced = number % 2 === 0 && libs.events[number + 1] ? libs.events[number + 1].flags.includes('OLD_VERSION') : flags.includes('OLD_VERSION');
  return replaced ? flags : flags.filter((f) => f !== 'OLD_VERSION');
};
libs.events.forEach((later, number) => {
  const event = events[number];
  if (!event) {
    events[number] = { name: later.name, category: later.category, flags: laterFlags(number), params: later.params, source: later.source };
    return;
  }
  // Where an event comes from is a property of its number, which libs now records for all of them.
  event.source = later.source;
  event.params.forEach((p, i) => {
    const l = later.params[i];
    if (!l) throw new Error(`event ${number} (${later.enumName}): libs has fewer parameters than the base (${later.params.length} < ${event.params.length})`);
    if (PARAM_SIZES[p.type] !== PARAM_SIZES[l.type]) throw new Error(`event ${number} param ${i}: ${p.type} in the base, ${l.type} in libs: not the same width`);
  });
  // The base's flags stay: they say how sysdig 0.29 treats the event (libs later marked mmap as
  // using its fd, for one). An exit that now carries its fd names it by the parameter itself.
  event.params.push(...later.params.slice(event.params.length));
});
for (const e of events) for (const p of e.params) if (p.flags) usedTables.add(p.flags);
for (const [name, entries] of Object.entries(libs.flagTables)) {
  const base = flagTables.get(name);
  if (!base) {
    if (usedTables.has(name)) flagTables.set(name, entries);
    continue;
  }
  // Values a later kernel or driver added go after the base's, which keep their order.
  const known = new Set(base.map(([n, v]) => `${n}=${v}`));
  for (const [n, v] of entries) if (!known.has(`${n}=${v}`)) base.push([n, v]);
}
for (const name of usedTables) if (!flagTables.has(name)) throw new Error(`flag table ${name} is in neither the base nor libs`);
for (const [name, params] of Object.entries(libs.dynamicTables)) if (!dynTables.has(name)) dynTables.set(name, params);
libs.syscallNames.forEach((name, i) => {
  if (i >= baseSyscalls) syscalls[i] = name;
});
for (let i = 0; i < syscalls.length; i++) syscalls[i] ??= '';

// ----- the data module -----
const compactParam = (p) => {
  const out = [p.name, p.type];
  if (p.fmt !== 'NA' && p.fmt !== 'DEC') out.push(p.fmt);
  else if (p.flags || p.dyn || p.dirfd !== undefined) out.push(p.fmt);
  if (p.flags) out.push(p.flags);
  else if (p.dyn) out.push(p.dyn);
  else if (p.dirfd !== undefined) out.push(p.dirfd);
  return out;
};
const lines = [];
lines.push('// Generated by core/formats/scap/parser/gen/extract-event-table.mjs from libscap\'s own tables and');
lines.push('// core/formats/scap/parser/gen/libs-event-table.json: do not edit by hand, change those and run the script.');
lines.push(`// Events 0..${baseCount - 1} come from ${path.basename(libPath)}, with the parameters falcosecurity/libs`);
lines.push(`// appended since; the rest from libs${libs.commit ? ` at ${libs.commit}` : ''}.`);
lines.push('');
lines.push('/**');
lines.push(' * [name, category, flags, params, source?]; a param is [name, type, format?, flag table | dynamic table |');
lines.push(' * dirfd param index]; source is where the event comes from when it is not a syscall (tracepoint,');
lines.push(' * plugin, metaevent: the framework\'s own metadata, unknown for unused numbers).');
lines.push(' */');
lines.push('export type RawParam = [string, string, string?, (string | number)?];');
lines.push('export type RawEvent = [string, string, string[], RawParam[], string?];');
lines.push('');
lines.push('export const RAW_EVENTS: RawEvent[] = [');
events.forEach((e, i) => {
  const row = [e.name, e.category, e.flags, e.params.map(compactParam)];
  if (e.source !== 'syscall') row.push(e.source);
  lines.push(`  /* ${i} */ ${JSON.stringify(row)},`);
});
lines.push('];');
lines.push('');
lines.push('export const RAW_FLAG_TABLES: Record<string, [string, number][]> = {');
for (const [name, entries] of [...flagTables].sort()) lines.push(`  ${name}: ${JSON.stringify(entries)},`);
lines.push('};');
lines.push('');
lines.push('export const RAW_DYNAMIC_PARAMS: Record<string, RawParam[]> = {');
for (const [name, params] of [...dynTables].sort()) lines.push(`  ${name}: ${JSON.stringify(params.map(compactParam))},`);
lines.push('};');
lines.push('');
lines.push('/** ppm_sc syscall codes (the ID of generic syscall events) → syscall name. */');
lines.push(`export const RAW_SYSCALL_NAMES: string[] = ${JSON.stringify(syscalls)};`);
lines.push('');
fs.writeFileSync(outFile, lines.join('\n'));
console.log(`${events.length} events (${baseCount} from ${libPath}), ${flagTables.size} flag tables, ${dynTables.size} dynamic tables, ${syscalls.length} syscall names`);
