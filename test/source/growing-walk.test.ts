// The walk over a file still being written (standard input's copy): it reads to the file's current
// end, says it has caught up, waits there for the writer, and ends only once the writer says the
// file is complete; a cancel wakes it.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GrowingEvidence } from '../../core/ingest/growing-evidence';
import { EVIDENCE_SNIFFERS } from '../../core/registry/formats';
import { CancelledError, walkEvidence, type EvidenceEntry } from '../../parsers/source/walk';
import { corpus, scratchDir } from '../helpers/paths';

const tick = () => new Promise((done) => setTimeout(done, 30));

describe('walking a growing file', () => {
  it('reads what arrives until the writer says the file is complete', async () => {
    const whole = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const file = path.join(scratchDir('growing-walk'), 'copy.pcap');
    fs.writeFileSync(file, whole.subarray(0, 10_000));
    const growing = new GrowingEvidence({ size: 10_000, final: false });
    let caughtUp = 0;
    const walk = walkEvidence(file, { formats: EVIDENCE_SNIFFERS, growing, onCaughtUp: () => caughtUp++ });
    const first = await walk.next();
    const entry = first.value as EvidenceEntry;
    expect(entry).toMatchObject({ kind: 'evidence', format: 'pcap', declaredBytes: null });

    // Reading on waits at the end of what is there, having said so.
    let read = 0;
    let ended = false;
    const reading = (async () => {
      for await (const chunk of entry.reader.chunks()) read += chunk.length;
      ended = true;
    })();
    await tick();
    expect(read).toBe(10_000);
    expect(ended).toBe(false);
    expect(caughtUp).toBe(1);

    // More arrives: it is read, and the walk waits again.
    fs.appendFileSync(file, whole.subarray(10_000, 100_000));
    growing.update({ size: 100_000, final: false });
    await tick();
    expect(read).toBe(100_000);
    expect(ended).toBe(false);
    expect(caughtUp).toBe(2);

    // The rest, and the word that the file is complete: the walk reads it and ends.
    fs.appendFileSync(file, whole.subarray(100_000));
    growing.update({ size: whole.length, final: true });
    await reading;
    expect(read).toBe(whole.length);
    expect((await walk.next()).done).toBe(true);
  });

  it('recognises a quiet capture from its header and first packet, without waiting for kilobytes', async () => {
    const whole = fs.readFileSync(corpus('pcap', 'haproxy-502.pcap'));
    const file = path.join(scratchDir('growing-walk-quiet'), 'copy.pcap');
    fs.writeFileSync(file, whole.subarray(0, 100)); // the 24-byte header and the first record
    const growing = new GrowingEvidence({ size: 100, final: false });
    const walk = walkEvidence(file, { formats: EVIDENCE_SNIFFERS, growing });
    const first = await Promise.race([walk.next(), new Promise((done) => setTimeout(() => done('still waiting'), 2000))]);
    expect(first).toMatchObject({ value: { kind: 'evidence', format: 'pcap' } });
    growing.update({ size: 100, final: true });
    await walk.return(undefined);
  });

  it('ends a wait for more when the ingest is cancelled', async () => {
    const file = path.join(scratchDir('growing-walk-cancel'), 'copy.pcap');
    fs.writeFileSync(file, fs.readFileSync(corpus('pcap', 'haproxy-502.pcap')).subarray(0, 10_000));
    const growing = new GrowingEvidence({ size: 10_000, final: false });
    const abort = new AbortController();
    const walk = walkEvidence(file, { formats: EVIDENCE_SNIFFERS, growing, signal: abort.signal });
    const entry = (await walk.next()).value as EvidenceEntry;
    const reading = entry.reader.drain();
    await tick();
    abort.abort();
    growing.wakeAll();
    await expect(reading).rejects.toBeInstanceOf(CancelledError);
  });
});
