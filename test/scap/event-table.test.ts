// The event table as data: reproducible from its sources, and shaped as the libs define it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RAW_FLAG_TABLES } from '../../core/formats/scap/parser/event-table-data';
import { EF, eventInfo, EVENT_TYPE_COUNT, syscallName } from '../../core/formats/scap/parser/event-table';
import { REPO_ROOT, scratchDir } from '../helpers/paths';

describe('scap event table', () => {
  it('is what the generator makes from the installed libscap and the table read from libs\' sources', () => {
    const out = path.join(scratchDir('event-table'), 'event-table-data.ts');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'core/formats/scap/parser/gen/extract-event-table.mjs'), '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'core/formats/scap/parser/event-table-data.ts'), 'utf8'));
  });

  it('has every event of current libs, enters even and exits odd, with their parameters', () => {
    expect(EVENT_TYPE_COUNT).toBe(454);
    // Exits that gained their enter's parameters (libs #2068): the old ones first, so a block's
    // parameter count picks the form.
    expect(eventInfo(7)!.params.map((p) => p.name)).toEqual(['res', 'data', 'fd', 'size']);
    expect(eventInfo(19)!.params.map((p) => p.name)).toEqual(['fd', 'domain', 'type', 'proto', 'flags']);
    // The base keeps sysdig 0.29's flags: libs later marked mmap as using an fd.
    expect(eventInfo(161)!.flags & EF.USES_FD).toBe(0);
    expect(eventInfo(402)).toMatchObject({ name: 'asyncevent', direction: '>', source: 'metaevent' });
    // Where an event comes from is libs' word for every number, the old ones too.
    expect(eventInfo(324)!.source).toBe('metaevent');
    expect(eventInfo(272)!.source).toBe('metaevent');
    expect(eventInfo(186)!.source).toBe('tracepoint');
    expect(eventInfo(7)!.source).toBe('syscall');
    expect(eventInfo(402)!.params.map((p) => p.name)).toEqual(['plugin_id', 'name', 'data']);
    // The enter of a current pair is not an old version (libs marks it so: drivers stopped sending it).
    expect(eventInfo(6)!.flags & EF.OLD_VERSION).toBe(0);
    expect(eventInfo(3)).toMatchObject({ name: 'open', direction: '<' });
    expect(eventInfo(3)!.params.map((p) => p.name)).toEqual(['fd', 'name', 'flags', 'mode', 'dev', 'ino']);
    expect(eventInfo(324)).toMatchObject({ name: 'container', direction: '>' });
    expect(eventInfo(324)!.flags & EF.LARGE_PAYLOAD).toBeTruthy();
    expect(eventInfo(419)).toMatchObject({ name: 'newfstatat', direction: '<' });
    expect(eventInfo(454)).toBeUndefined();
    expect(syscallName(380)).toBe('rseq');
    expect(syscallName(328)).toBe('clone3');
    // Flag parameters point at real tables.
    for (let t = 0; t < EVENT_TYPE_COUNT; t++) {
      for (const p of eventInfo(t)!.params) if (p.flags) expect(p.flags.length, `${t} ${p.name}`).toBeGreaterThan(0);
    }
    expect(RAW_FLAG_TABLES.file_flags!.find(([n]) => n === 'O_CREAT')).toBeDefined();
  });

  it('libs-event-table.json is what read-libs-source.mjs reads from the libs commit it names (with a libs tree in CAPSCOPE_LIBS_SOURCE)', () => {
    const tree = process.env.CAPSCOPE_LIBS_SOURCE;
    const checked = path.join(REPO_ROOT, 'core/formats/scap/parser/gen/libs-event-table.json');
    const { commit } = JSON.parse(fs.readFileSync(checked, 'utf8')) as { commit: string };
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    if (!tree) return; // CI has no libs checkout: the reader itself is tested on the tree below.
    const out = path.join(scratchDir('libs-table'), 'libs-event-table.json');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'core/formats/scap/parser/gen/read-libs-source.mjs'), tree, '--commit', commit, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(checked, 'utf8'));
  });

  it('read-libs-source.mjs reads designated initializers, macro-valued flags, dynamic tables and ppm_sc names', () => {
    const tree = scratchDir('libs-tree');
    fs.mkdirSync(path.join(tree, 'driver'));
    const write = (name: string, text: string) => fs.writeFileSync(path.join(tree, 'driver', name), text);
    write('ppm_events_public.h', [
      '#define PPM_O_RDONLY 0',
      '#define PPM_O_CREAT (1 << 2) /* create */',
      '#define PPM_O_MODE 0100',
      '#define PPM_O_BOTH (PPM_O_CREAT | PPM_O_MODE)',
      'enum ppm_event_type {', '  PPME_A_E = 0,', '  PPME_A_X = 1,', '  PPME_B_E,', '  PPME_B_X,', '  PPM_EVENT_MAX', '};',
      'enum ppm_dyn { PPM_DYN_IDX_FD = 0, PPM_DYN_IDX_RES, PPM_DYN_IDX_MAX };',
      '#define PPM_SC_FIELDS \\', '  PPM_SC_X(UNKNOWN, 0) \\', '  PPM_SC_X(READ, 1) \\', '  PPM_SC_X(CLOSE_RANGE, 3)',
    ].join('\n'));
    write('event_table.c', [
      'const struct ppm_event_info g_event_info[] = {',
      '  [PPME_A_E] = {"a", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_OLD_VERSION, 1, {{"fd", PT_FD, PF_DEC}}},',
      '  // a comment, {"not", PT_FD}',
      '  [PPME_A_X] = {"a",', '      EC_FILE | EC_SYSCALL,', '      EF_USES_FD,', '      3,',
      '      {{"res", PT_ERRNO, PF_DEC},', '       {"flags", PT_FLAGS32, PF_HEX, file_flags},', '       {"path", PT_FSRELPATH, PF_NA, DIRFD_PARAM(0)}}},',
      '  [PPME_B_E] = {"b", EC_OTHER | EC_METAEVENT, EF_NONE, 0},',
      '  [PPME_B_X] = {"b", EC_OTHER, EF_NONE, 1, {{"val", PT_DYN, PF_NA, b_dynamic_param, PPM_DYN_IDX_MAX}}},',
      '};',
    ].join('\n'));
    write('flags_table.c', 'const struct ppm_name_value file_flags[] = {\n  {"O_RDONLY", PPM_O_RDONLY},\n  {"O_CREAT", PPM_O_CREAT},\n  {"O_BOTH", PPM_O_BOTH},\n  {0, 0},\n};\n');
    write('dynamic_params_table.c', 'const struct ppm_param_info b_dynamic_param[PPM_DYN_IDX_MAX] = {\n  [PPM_DYN_IDX_RES] = {{0}, PT_ERRNO, PF_DEC, 0, 0},\n  [PPM_DYN_IDX_FD] = {{0}, PT_FD, PF_DEC, 0, 0},\n};\n');
    const out = path.join(tree, 'out.json');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'core/formats/scap/parser/gen/read-libs-source.mjs'), tree, '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const table = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(table.events).toEqual([
      { enumName: 'PPME_A_E', name: 'a', category: 'FILE', source: 'syscall', flags: ['USES_FD', 'OLD_VERSION'], params: [{ name: 'fd', type: 'FD', fmt: 'DEC' }] },
      { enumName: 'PPME_A_X', name: 'a', category: 'FILE', source: 'syscall', flags: ['USES_FD'], params: [{ name: 'res', type: 'ERRNO', fmt: 'DEC' }, { name: 'flags', type: 'FLAGS32', fmt: 'HEX', flags: 'file_flags' }, { name: 'path', type: 'FSRELPATH', fmt: 'NA', dirfd: 0 }] },
      { enumName: 'PPME_B_E', name: 'b', category: 'OTHER', source: 'metaevent', flags: [], params: [] },
      { enumName: 'PPME_B_X', name: 'b', category: 'OTHER', source: 'unknown', flags: [], params: [{ name: 'val', type: 'DYN', fmt: 'NA', dyn: 'b_dynamic_param' }] },
    ]);
    expect(table.flagTables).toEqual({ file_flags: [['O_RDONLY', 0], ['O_CREAT', 4], ['O_BOTH', 68]] });
    expect(table.dynamicTables).toEqual({ b_dynamic_param: [{ name: '', type: 'FD', fmt: 'DEC' }, { name: '', type: 'ERRNO', fmt: 'DEC' }] });
    expect(table.syscallNames).toEqual(['unknown', 'read', '', 'close_range']);
    // A table whose nparams disagrees with its list is refused, not guessed at.
    write('event_table.c', 'const struct ppm_event_info g_event_info[] = {\n [PPME_A_E] = {"a", EC_FILE, EF_NONE, 2, {{"fd", PT_FD, PF_DEC}}},\n [PPME_A_X] = {"a", EC_FILE, EF_NONE, 0},\n [PPME_B_E] = {"b", EC_FILE, EF_NONE, 0},\n [PPME_B_X] = {"b", EC_FILE, EF_NONE, 0},\n};');
    const bad = spawnSync(process.execPath, [path.join(REPO_ROOT, 'core/formats/scap/parser/gen/read-libs-source.mjs'), tree, '--out', out], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/PPME_A_E: nparams 2 but 1 params/);
  });
});
