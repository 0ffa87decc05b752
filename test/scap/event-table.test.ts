// The event table as data: reproducible from its sources, and shaped as the libs define it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RAW_FLAG_TABLES } from '../../core/formats/scap/parser/event-table-data';
import { EF, eventInfo, EVENT_TYPE_COUNT, syscallName } from '../../core/formats/scap/parser/event-table';
import { REPO_ROOT, scratchDir } from '../helpers/paths';

describe('scap event table', () => {
  it('is what the generator makes from the installed libscap and the later-libs additions', () => {
    const out = path.join(scratchDir('event-table'), 'event-table-data.ts');
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'core/formats/scap/parser/gen/extract-event-table.mjs'), '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'core/formats/scap/parser/event-table-data.ts'), 'utf8'));
  });

  it('has every event of current libs, enters even and exits odd, with their parameters', () => {
    expect(EVENT_TYPE_COUNT).toBe(420);
    expect(eventInfo(3)).toMatchObject({ name: 'open', direction: '<' });
    expect(eventInfo(3)!.params.map((p) => p.name)).toEqual(['fd', 'name', 'flags', 'mode', 'dev', 'ino']);
    expect(eventInfo(324)).toMatchObject({ name: 'container', direction: '>' });
    expect(eventInfo(324)!.flags & EF.LARGE_PAYLOAD).toBeTruthy();
    expect(eventInfo(419)).toMatchObject({ name: 'newfstatat', direction: '<' });
    expect(eventInfo(420)).toBeUndefined();
    expect(syscallName(380)).toBe('rseq');
    expect(syscallName(328)).toBe('clone3');
    // Flag parameters point at real tables.
    for (let t = 0; t < EVENT_TYPE_COUNT; t++) {
      for (const p of eventInfo(t)!.params) if (p.flags) expect(p.flags.length, `${t} ${p.name}`).toBeGreaterThan(0);
    }
    expect(RAW_FLAG_TABLES.file_flags!.find(([n]) => n === 'O_CREAT')).toBeDefined();
  });
});
