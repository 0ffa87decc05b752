// The stream view's API on a syscall capture that saw one connection from both ends, cut at the
// snaplen (test/fixtures/ui/stitched-scap.ts): each end's view names the other as its peer, with
// directions swapped, and each chunk says how much was moved and how much captured, as sysdig
// reads the same file.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../core/api';
import type { ChunkView, StreamInfo } from '../../core/domain/streams/contract';
import { createCore, type Core } from '../../core/app/create-core';
import { REQUEST, RESPONSE, SNAPLEN, stitchedScap } from '../fixtures/ui/stitched-scap';
import { scratchDir } from '../helpers/paths';

let core: Core;
let api: ApiHandlers;
let caseId: string;
let file: string;
const views: { stream: StreamInfo; chunks: ChunkView[] }[] = [];

beforeAll(async () => {
  const dir = scratchDir('evidence-stitched');
  file = path.join(dir, 'stitched.scap');
  fs.writeFileSync(file, stitchedScap());
  core = createCore({ transport: 'web', samplePath: null, cacheDir: path.join(dir, 'cache') });
  api = core.handlers;
  caseId = (await core.open(file, { dbPath: path.join(dir, 'case.sqlite') })).caseId;
  const done = await core.waitForIngest(caseId);
  expect(done.progress.state).toBe('done');
  for (let id = 1; ; id++) {
    const got = await api['stream.get']({ caseId, streamId: id }).catch(() => null);
    if (!got) break;
    if (got.stream.kind !== 'tcp' && got.stream.l4proto !== 'tcp') continue;
    views.push({ stream: got.stream, chunks: (await api['stream.chunks']({ caseId, streamId: id })).chunks });
  }
}, 120_000);

afterAll(async () => {
  await core?.close();
});

describe('a connection seen from both ends', () => {
  it('has two views, and each names the other as its peer with the directions swapped', async () => {
    expect(views.map((v) => [v.stream.role, v.stream.endpoints[0]?.proc]).sort()).toEqual([
      ['client', 'curl'],
      ['server', 'python'],
    ]);
    for (const v of views) {
      const { peers } = await api['stream.peers']({ caseId, streamId: v.stream.id });
      const other = views.find((o) => o !== v)!;
      expect(peers).toEqual([{ stream: other.stream, outIs: 'in' }]);
    }
  });

  it('each chunk moved what sysdig says the call returned, and holds the first 80 bytes of it', () => {
    const sysdig = spawnSync('sysdig', ['-r', file, '-p', '%proc.name %evt.type %evt.rawres', 'evt.dir=< and evt.type in (read, write) and fd.type=ipv4'], { encoding: 'utf8', timeout: 30_000 });
    expect(sysdig.status, sysdig.stderr).toBe(0);
    const calls = sysdig.stdout.trim().split('\n').sort();
    const ours = views.flatMap((v) => v.chunks.map((c) => `${v.stream.endpoints[0]!.proc} ${c.dir === 'out' ? 'write' : 'read'} ${c.length}`)).sort();
    expect(ours).toEqual(calls);
    for (const v of views) {
      for (const c of v.chunks) {
        const text = (c.dir === 'out') === (v.stream.role === 'client') ? REQUEST : RESPONSE;
        expect(c.captured).toBe(Math.min(SNAPLEN, text.length));
        expect(Buffer.from(c.data, 'base64').toString('latin1')).toBe(text.slice(0, SNAPLEN));
      }
    }
  });

  it("marks the bad header line in the view that carried the response's head", async () => {
    const marked = await Promise.all(views.map((v) => api['stream.get']({ caseId, streamId: v.stream.id })));
    const marks = marked.flatMap((m) => m.marks.map((k) => ({ ...k, role: m.stream.role })));
    expect(marks).toHaveLength(1);
    const mark = marks[0]!;
    const view = views.find((v) => v.stream.role === mark.role)!;
    const chunk = view.chunks.find((c) => c.dir === mark.dir)!;
    expect(Buffer.from(chunk.data, 'base64').subarray(mark.offset - chunk.offset, mark.offset - chunk.offset + mark.length).toString('latin1')).toBe('text/plain: Content-type');
  });
});
