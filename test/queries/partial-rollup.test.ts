// While a capture piped in is indexed, the overview's rollup (its span, the timeline's buckets) is
// a partial one made again as the index grows: within a second or two of new data, not every 10 s.
// The capture is written into a growing copy in two pieces, the ingest following it in-thread; the
// rollup is read from another connection, as the server reads it.

import { openIndexDb } from '../helpers/index-db';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentRollup, totalsFor } from '../../core/domain/state-cache/rollup';
import { GrowingEvidence } from '../../core/ingest/growing-evidence';
import { runIngest, type IngestProgressEvent } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('the partial rollup of a capture piped in', () => {
  it('follows the stream within two seconds of new data', { timeout: 60_000 }, async () => {
    const dir = scratchDir('partial-rollup');
    const bytes = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const copy = path.join(dir, 'stdin.pcap');
    const dbPath = path.join(dir, 'stdin.sqlite');
    const half = Math.ceil(bytes.length / 2);
    fs.writeFileSync(copy, bytes.subarray(0, half));
    const growing = new GrowingEvidence({ size: half, final: false });
    let progress: IngestProgressEvent | null = null;
    const ingest = runIngest({ file: copy, dbPath, growing, onProgress: (e) => (progress = e) });
    const caughtUp = async (size: number) => {
      while ((progress as IngestProgressEvent | null)?.bytesDone !== size) await sleep(20);
      await sleep(300);
    };

    await caughtUp(half);
    const reader = openIndexDb(dbPath, { readonly: true });
    try {
      const first = currentRollup(reader)!;
      expect(first.ingesting).toBe(true);
      const firstStreams = totalsFor(reader, 'streams', null, null);

      // The rest arrives (not yet the end): the same rollup is asked for two seconds later.
      fs.appendFileSync(copy, bytes.subarray(half, bytes.length - 1));
      growing.update({ size: bytes.length - 1, final: false });
      await caughtUp(bytes.length - 1);
      await sleep(1700);
      const second = currentRollup(reader)!;
      expect(second.ingesting).toBe(true);
      expect(second.span.to).toBeGreaterThan(first.span.to);
      expect([...totalsFor(reader, 'streams', null, null).values()]).not.toEqual([...firstStreams.values()]);

      fs.appendFileSync(copy, bytes.subarray(bytes.length - 1));
      growing.update({ size: bytes.length, final: true });
      expect((await ingest).state).toBe('done');
      // Ended: the stored rollup, held as long as the index stays as it is.
      const done = currentRollup(reader)!;
      expect(done.ingesting).toBe(false);
      expect(currentRollup(reader)).toBe(done);
    } finally {
      reader.close();
    }
  });
});
