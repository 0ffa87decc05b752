// Every diagnostic an ingest writes carries a code declared in a catalogue, with the declared
// severity and a message its template produces: a run over a bundle of corpus files, some cut short
// on purpose, and over a file that is not evidence at all.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosticRow } from '../../core/api';
import { INDEX_SCHEMA } from '../../core/registry/schema';
import { CaseIndex } from '../../core/index/case-index';
import { declaredDiagnostics, type DeclaredDiagnostic } from '../../core/ingest/diagnostic-catalogues';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';

let dir: string;
beforeAll(() => {
  dir = scratchDir('diagnostic-codes');
});

const declared = new Map(declaredDiagnostics().map((d) => [d.code, d]));

/** The messages a template can produce; a located diagnostic starts with its place and ': '. */
function templatePattern(d: DeclaredDiagnostic): RegExp {
  const body = d.template
    .split(/(\{[^{}]*\})/)
    .map((part) => {
      const placeholder = /^\{(\w+)(?::([^|]*)\|(.*))?\}$/.exec(part);
      if (!placeholder) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (placeholder[2] === undefined) return '(.*)';
      return `(?:${placeholder[2]}|${placeholder[3]})`;
    })
    .join('');
  return new RegExp(`^(?:.+: )?${body}$`, 's');
}

async function diagnosticsOf(file: string, label: string): Promise<DiagnosticRow[]> {
  const dbPath = path.join(dir, `${label}.sqlite`);
  await runIngest({ file, dbPath });
  const index = CaseIndex.open(dbPath, INDEX_SCHEMA);
  try {
    return index.listDiagnostics({ limit: 10_000, offset: 0 });
  } finally {
    index.close();
  }
}

function expectDeclared(rows: DiagnosticRow[]): void {
  for (const row of rows) {
    const d = declared.get(row.code);
    expect(d, `${row.code}: ${row.message}`).toBeDefined();
    expect(row.severity, row.code).toBe(d!.severity);
    expect(row.message, row.code).toMatch(templatePattern(d!));
  }
}

describe('diagnostic codes in an ingest', () => {
  it('a bundle of whole and cut-short captures and dumps: every diagnostic has a declared code', async () => {
    const work = path.join(dir, 'bundle');
    fs.mkdirSync(work);
    const scap = zlib.gunzipSync(fs.readFileSync(corpus('scap', 'falco-syscall.scap')));
    fs.writeFileSync(path.join(work, 'cut-block.scap'), scap.subarray(0, Math.floor(scap.length * 0.6)));
    const gz = fs.readFileSync(corpus('scap', 'curl_google.scap'));
    fs.writeFileSync(path.join(work, 'cut-gzip.scap.gz'), gz.subarray(0, gz.length - 64));
    fs.copyFileSync(corpus('pcap', 'haproxy-502.pcap'), path.join(work, 'haproxy-502.pcap'));
    // A block of a type neither reader knows, after the last one (both files are little-endian):
    // read past with a diagnostic that names the file and byte.
    const unknownBlock = Buffer.alloc(16);
    unknownBlock.writeUInt32LE(0xdead, 0);
    unknownBlock.writeUInt32LE(16, 4);
    unknownBlock.writeUInt32LE(16, 12);
    fs.writeFileSync(path.join(work, 'unknown-block.scap'), Buffer.concat([scap, unknownBlock]));
    const pcapng = fs.readFileSync(corpus('pcap', 'seladb_PcapPlusPlus__HttpMalformedResponse.pcapng'));
    fs.writeFileSync(path.join(work, 'malformed.pcapng'), Buffer.concat([pcapng, unknownBlock]));
    const pcap = fs.readFileSync(corpus('pcap', 'google_gopacket__test_vlan.pcap'));
    fs.writeFileSync(path.join(work, 'cut.pcap'), pcap.subarray(0, pcap.length - 10));
    const hprof = fs.readFileSync(corpus('hprof', 'square_haha__sun_jdk5_13_x32.hprof'));
    fs.writeFileSync(path.join(work, 'cut.hprof'), hprof.subarray(0, Math.floor(hprof.length / 2)));
    fs.writeFileSync(path.join(work, 'notes.md'), '# what we did\n');
    const bundle = path.join(dir, 'bundle.tgz');
    execFileSync('tar', ['-czf', bundle, '-C', work, ...fs.readdirSync(work).sort()]);

    const rows = await diagnosticsOf(bundle, 'bundle');
    expectDeclared(rows);
    const codes = new Set(rows.map((r) => r.code));
    const located = rows.find((r) => r.code === 'scap.unknown-block-type')!;
    expect(located.message).toBe(`${bundle} › unknown-block.scap at byte ${scap.length}: unknown block type 0xdead (16 bytes): skipped`);
    for (const code of ['ingest.entry-skipped', 'ingest.entry-failed', 'scap.block-truncated', 'pcap.capture-truncated', 'scap.summary', 'pcap.summary', 'hprof.record-truncated', 'http.summary', 'scap.unknown-block-type', 'pcap.unknown-block-type']) {
      expect(codes, code).toContain(code);
    }
  });

  it('a file that is not evidence: the failure has its code too', async () => {
    const file = path.join(dir, 'slides.pdf');
    fs.writeFileSync(file, '%PDF-1.7\n');
    const rows = await diagnosticsOf(file, 'pdf');
    expectDeclared(rows);
    expect(rows.map((r) => r.code)).toEqual(['ingest.evidence-failed']);
  });
});
