// Damaged profiles: a diagnostic naming the file and the byte offset, everything else read, memory
// bounded by the data, not by what a length field declares.
//   - a truncated .pb.gz: the source fails (exit 1) with the gzip's error; what arrived is listed;
//   - a length of 4 GiB in a small profile: the field's offset and what it declares, the fields
//     before it kept, nothing allocated for it;
//   - a sample naming a location the profile does not hold, a string index past the table:
//     warnings with their offsets, the frame named for what is missing, the values still counted.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeProfileProto } from '../../core/formats/pprof/parser/decode-proto';
import { profileProto } from '../../core/formats/pprof/parser/profile-proto';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { fixtureBytes } from './helpers/oracle';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = scratchDir('pprof-damaged');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
});

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** A small CPU-like profile: main.work ← main.main, 3 samples of 10 each, one string table. */
function smallProfile(edit: (p: Record<string, unknown>) => void = () => {}): Uint8Array {
  const strings = ['', 'samples', 'count', 'main.main', 'main.work', 'main.go'];
  const profile: Record<string, unknown> = {
    sample_type: [{ type: 1, unit: 2 }],
    sample: [
      { location_id: [2, 1], value: [10] },
      { location_id: [2, 1], value: [10] },
      { location_id: [1], value: [10] },
    ],
    location: [
      { id: 1, line: [{ function_id: 1, line: 3 }] },
      { id: 2, line: [{ function_id: 2, line: 7 }] },
    ],
    function: [
      { id: 1, name: 3, filename: 5 },
      { id: 2, name: 4, filename: 5 },
    ],
    string_table: strings,
  };
  edit(profile);
  const { Profile } = profileProto();
  return Profile.encode(Profile.fromObject(profile)).finish();
}

interface Out {
  profiles: { entry: string; total: number; top: { function: string; flat: number; cum: number }[]; diagnostics: { offset: number | null; code: string; message: string }[] }[];
  error: { message: string } | null;
}

describe('damaged Go profiles', () => {
  it('a truncated .pb.gz fails its source with the gzip fault, naming the file and offset; what arrived is listed', () => {
    const whole = zlib.gzipSync(fixtureBytes('heap-2.pb'));
    const file = write('cut-heap.pb.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    const result = capscope(['profile', '--json', file], env);
    expect(result.status).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^capscope: ${file}.* at byte \\d+.*gzip`));
    const out = onlyJson(result) as Out;
    expect(out.error?.message).toBe(lines[0]!.slice('capscope: '.length));
    // The samples before the cut are read: the profile is listed, its values add up.
    expect(out.profiles).toHaveLength(1);
    expect(out.profiles[0]!.total).toBeGreaterThan(0);
    // Where the profile's own reading stopped in the bytes that arrived is said beside it.
    const stopped = out.profiles[0]!.diagnostics.find((d) => /^pprof\.(field-overrun|varint-truncated)$/.test(d.code))!;
    expect(stopped.offset).toBeGreaterThan(0);
    expect(stopped.message).toContain(`offset ${stopped.offset}`);
  });

  it('a 4 GiB declared length: the field, its offset and its length; the fields before it kept; no memory for it', () => {
    const good = smallProfile();
    // A sample field (field 2, length-delimited) declaring 2^32 bytes, then a few bytes.
    const huge = Uint8Array.from([0x12, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 2, 3, 4]);
    const bytes = new Uint8Array([...good, ...huge]);
    const before = process.memoryUsage().arrayBuffers;
    const messages: string[] = [];
    const { profile, stop } = decodeProfileProto(bytes, (_o, d) => messages.push(d.message));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 << 20);
    expect(stop?.offset).toBe(good.length);
    expect(stop?.diagnostic.code).toBe('pprof.field-overrun');
    expect(stop?.diagnostic.message).toBe(`field 2 (sample) at offset ${good.length} declares 4294967296 bytes, but only 4 remain: expected the field to end by offset ${good.length + 6 + 4294967296} (the profile was cut short, or the length is corrupt); everything before it is kept`);
    expect(profile.samples).toHaveLength(3);
    expect(messages).toEqual([]);

    const file = write('huge-length.pb', bytes);
    const result = capscope(['profile', '--json', file], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`capscope: ${file} at byte ${good.length}: ${stop!.diagnostic.message}\n`);
    expect((onlyJson(result) as Out).profiles[0]!.top).toEqual([
      { function: 'main.work', flat: 20, cum: 20 },
      { function: 'main.main', flat: 10, cum: 30 },
    ]);
  });

  it('a sample naming a missing location: a warning with its offset, the frame named for it, the value counted', () => {
    const file = write('dangling.pb', smallProfile((p) => ((p['sample'] as { location_id: number[] }[])[2]!.location_id = [99])));
    const result = capscope(['profile', '--json', file], env);
    expect(result.status).toBe(0);
    const out = (onlyJson(result) as Out).profiles[0]!;
    expect(out.top).toEqual([
      { function: 'main.work', flat: 20, cum: 20 },
      { function: '<location 99 missing>', flat: 10, cum: 10 },
      { function: 'main.main', flat: 0, cum: 20 },
    ]);
    expect(out.diagnostics).toEqual([
      { offset: expect.any(Number), code: 'pprof.dangling-location', severity: 'warning', message: expect.stringMatching(/^a sample at offset \d+ names location 99, which the profile does not hold: the frame is shown as "<location 99 missing>"$/) },
    ]);
    expect(out.diagnostics[0]!.message).toContain(`offset ${out.diagnostics[0]!.offset} `);
  });

  it('a string index past the table: a warning with its offset, the name says which string is missing', () => {
    const file = write('bad-string.pb', smallProfile((p) => ((p['function'] as { name: number }[])[1]!.name = 500)));
    const result = capscope(['profile', '--json', file], env);
    expect(result.status).toBe(0);
    const out = (onlyJson(result) as Out).profiles[0]!;
    expect(out.top[0]).toEqual({ function: '<string 500 missing>', flat: 20, cum: 20 });
    expect(out.diagnostics).toHaveLength(1);
    expect(out.diagnostics[0]!.message).toMatch(/^function 2's name at offset \d+ names string 500, but the string table holds 6 strings/);
    expect(out.diagnostics[0]!.message).toContain(`offset ${out.diagnostics[0]!.offset} `);
  });
});
