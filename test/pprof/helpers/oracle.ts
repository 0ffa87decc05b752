// go tool pprof -top's answers (written by fixtures/oracle.sh) read back: flat and cum per
// function, exact (the script asks for -unit=byte / -unit=ns, so no value is rounded).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const PROFILES = path.join(__dirname, '..', 'fixtures', 'profiles');

export function fixture(name: string): string {
  return path.join(PROFILES, name);
}

/** The fixture's bytes, gunzipped when it is gzip. */
export function fixtureBytes(name: string): Uint8Array {
  const raw = fs.readFileSync(fixture(name));
  return raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw;
}

export interface OracleTop {
  type: string;
  /** "of 5344721B total" */
  rows: Map<string, { flat: number; cum: number }>;
}

/** The oracle files for a profile: one per sample type. */
export function oracleFiles(prefix: string): { file: string; sampleType: string }[] {
  return fs
    .readdirSync(path.join(PROFILES, 'oracle'))
    .filter((f) => f.startsWith(`${prefix}.`) && f.endsWith('.top') && !f.slice(prefix.length + 1, -'.top'.length).includes('.'))
    .map((f) => ({ file: path.join(PROFILES, 'oracle', f), sampleType: f.slice(prefix.length + 1, -'.top'.length) }));
}

const ROW = /^\s*(-?[\d.]+(?:B|ns)?|0)\s+-?[\d.]+%\s+-?[\d.]+%\s+(-?[\d.]+(?:B|ns)?|0)\s+-?[\d.]+%\s+(.*)$/;

export function readOracle(file: string): OracleTop {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const type = /^Type: (.*)$/m.exec(lines.join('\n'))?.[1] ?? '';
  const start = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  const rows = new Map<string, { flat: number; cum: number }>();
  for (const line of lines.slice(start + 1)) {
    const m = ROW.exec(line);
    if (!m) continue;
    rows.set(m[3]!.replace(/ \(inline\)$/, ''), { flat: value(m[1]!), cum: value(m[2]!) });
  }
  return { type, rows };
}

function value(text: string): number {
  const n = Number(text.replace(/(B|ns)$/, ''));
  if (!Number.isInteger(n)) throw new Error(`a rounded value in the oracle: ${text}`);
  return n;
}
