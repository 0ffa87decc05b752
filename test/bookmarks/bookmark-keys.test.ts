// Bookmarks are kept by what they point at, not by row ids: the same evidence indexed again (into a
// fresh index whose streams, exchanges and findings are numbered differently) resolves every
// bookmark to the same thing (the same bytes, the same exchange, the same finding, the same event);
// a place the index no longer holds is said, not dropped; the file beside the index outlives it.

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../core/ingest/pipeline';
import { addBookmark, listBookmarks, removeBookmark, updateBookmark } from '../../core/domain/bookmarks/case-bookmarks';
import { bookmarksPathFor } from '../../core/domain/bookmarks/bookmark-store';
import type { BookmarkPlace, ResolvedBookmark } from '../../core/domain/bookmarks/contract';
import { corpus, scratchDir } from '../helpers/paths';
import { openIndexDb } from '../helpers/index-db';

const dir = scratchDir('bookmark-keys');

async function indexOf(file: string, name: string): Promise<Database.Database> {
  const dbPath = path.join(dir, `${name}.sqlite`);
  expect((await runIngest({ file, dbPath })).state).toBe('done');
  return openIndexDb(dbPath);
}

/**
 * What a place is, in the evidence's own terms (no row id): the same for the same thing in any index.
 */
function describePlace(db: Database.Database, place: BookmarkPlace | null): unknown {
  if (!place) return null;
  const stream = (id: number) => db.prepare('SELECT s.tuple, s.kind, s.pid, s.fd, s.role, CAST(s.first_ts AS TEXT) AS first, src.entry FROM streams s JOIN sources src ON src.id = s.source_id WHERE s.id = ?').get(id);
  switch (place.kind) {
    case 'event':
      return db.prepare('SELECT num, CAST(ts AS TEXT) AS ts, type, tid, info FROM events WHERE source_id = ? AND num = ?').get(place.sourceId, place.num);
    case 'packet':
      return db.prepare('SELECT frame, CAST(ts AS TEXT) AS ts, proto, cap_len FROM packets WHERE source_id = ? AND frame = ?').get(place.sourceId, place.frame);
    case 'stream':
      return stream(place.streamId);
    case 'stream-range': {
      const bytes = db.prepare('SELECT hex(data) AS data, offset FROM chunks WHERE stream_id = ? AND dir = ? AND offset <= ? AND offset + length > ? ORDER BY seq LIMIT 1').get(place.streamId, place.dir, place.offset, place.offset);
      return { stream: stream(place.streamId), dir: place.dir, offset: place.offset, length: place.length, bytes };
    }
    case 'exchange': {
      const e = db.prepare('SELECT stream_id, method, target, status, CAST(req_ts AS TEXT) AS ts FROM http_exchanges WHERE id = ?').get(place.exchangeId) as { stream_id: number };
      return { ...e, stream_id: undefined, stream: stream(e.stream_id) };
    }
    case 'finding':
      return db.prepare("SELECT kind, title, json_extract(evidence, '$[0].excerpt') AS excerpt, (SELECT CAST(req_ts AS TEXT) FROM http_exchanges WHERE id = exchange_id) AS ts FROM findings WHERE id = ?").get(place.findingId);
    case 'heap-object':
      return { objectId: place.objectId };
  }
}

/**
 * Numbers the index's streams, exchanges and findings differently, as an index made by another
 * version of capscope (or from an evidence file read in another order) would: keys that were row ids
 * would now point at other rows or at none.
 */
function renumber(db: Database.Database): void {
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    // Streams in reverse order, far from their old ids; exchanges and findings shifted.
    db.exec(`
      UPDATE streams SET id = 100000 - id;
      UPDATE chunks SET stream_id = 100000 - stream_id;
      UPDATE packets SET stream_id = 100000 - stream_id WHERE stream_id IS NOT NULL;
      UPDATE http_exchanges SET stream_id = 100000 - stream_id, response_stream_id = 100000 - response_stream_id;
      UPDATE http_exchanges SET id = id + 5000;
      UPDATE findings SET exchange_id = exchange_id + 5000 WHERE exchange_id IS NOT NULL;
      UPDATE findings SET id = id + 7000;
    `);
  })();
}

describe('bookmark keys survive re-indexing', () => {
  let first: Database.Database;
  let again: Database.Database;
  const marked: ResolvedBookmark[] = [];
  const places: BookmarkPlace[] = [];

  beforeAll(async () => {
    const pcap = corpus('pcap', 'haproxy-502.pcap');
    first = await indexOf(pcap, 'first');
    const q = <T>(sql: string, ...params: unknown[]) => first.prepare(sql).pluck().get(...params) as T;
    const source = q<number>('SELECT id FROM sources LIMIT 1');
    // A stream in the middle of the capture (many alike before and after it share its server end).
    const stream = q<number>("SELECT id FROM streams WHERE kind = 'tcp' ORDER BY first_ts LIMIT 1 OFFSET 40");
    const lastFinding = q<number>('SELECT max(id) FROM findings');
    const exchange = q<number>('SELECT id FROM http_exchanges WHERE status = 502 ORDER BY req_ts LIMIT 1 OFFSET 20');
    const outBytes = q<number>("SELECT offset FROM chunks WHERE stream_id = ? AND dir = 'in' ORDER BY seq LIMIT 1", stream);
    places.push(
      { kind: 'packet', sourceId: source, frame: 333 },
      { kind: 'stream', streamId: stream },
      { kind: 'stream-range', streamId: stream, dir: 'in', offset: outBytes + 9, length: 3 },
      { kind: 'exchange', exchangeId: exchange },
      { kind: 'finding', findingId: lastFinding },
    );
    for (const [i, place] of places.entries()) marked.push(await addBookmark(first, place, `note ${i}`, 1_700_000_000_000 + i));

    // The same evidence again, into a fresh index numbered differently; its bookmarks file beside it.
    again = await indexOf(pcap, 'again');
    renumber(again);
    fs.copyFileSync(bookmarksPathFor(first.name), bookmarksPathFor(again.name));
  }, 120_000);

  it('resolves every bookmark to the same thing, under other row ids', async () => {
    const listed = await listBookmarks(again);
    expect(listed.map((b) => b.note)).toEqual(places.map((_, i) => `note ${i}`));
    for (const [i, b] of listed.entries()) {
      expect(b.missing, b.label).toBeNull();
      expect(describePlace(again, b.place)).toEqual(describePlace(first, places[i]!));
      expect(b.ts).toBe(marked[i]!.ts);
      expect(b.label).toBe(marked[i]!.label);
    }
    // The row ids did change: a bookmark kept by them would point elsewhere.
    expect(listed.map((b) => b.place)).not.toEqual(places);
  });

  it('opens the byte a stream range starts at and the packet its frame carried', async () => {
    const [packet, , range] = await listBookmarks(again);
    expect(range!.stream).toEqual({ streamId: (range!.place as { streamId: number }).streamId, dir: 'in', offset: (places[2] as { offset: number }).offset });
    const frameChunk = again.prepare('SELECT stream_id, dir, offset FROM chunks WHERE frame = 333').get() as { stream_id: number; dir: string; offset: number } | undefined;
    expect(packet!.stream).toEqual(frameChunk ? { streamId: frameChunk.stream_id, dir: frameChunk.dir, offset: frameChunk.offset } : { streamId: expect.any(Number) });
  });

  it('says what is gone when the index no longer holds a place, and keeps the bookmark', async () => {
    const gone = await indexOf(corpus('pcap', 'haproxy-502.pcap'), 'gone');
    gone.prepare('DELETE FROM packets WHERE frame = 333').run();
    gone.prepare('DELETE FROM http_exchanges').run();
    gone.pragma('foreign_keys = OFF');
    fs.copyFileSync(bookmarksPathFor(first.name), bookmarksPathFor(gone.name));
    const listed = await listBookmarks(gone);
    expect(listed).toHaveLength(places.length);
    expect(listed[0]!.missing).toBe('haproxy-502.pcap holds no packet 333');
    expect(listed[0]!.place).toBeNull();
    expect(listed[3]!.missing).toMatch(/^127\.0\.0\.1:\d+->127\.0\.0\.1:\d+ holds no exchange 1$/);
  });

  it('marks a place once, changes a note and removes a bookmark', async () => {
    const db = await indexOf(corpus('pcap', 'haproxy-502.pcap'), 'edits');
    const a = await addBookmark(db, places[1]!, 'first look');
    const b = await addBookmark(db, places[1]!, 'second look');
    expect(b.id).toBe(a.id);
    expect((await updateBookmark(db, a.id, 'why it closed')).note).toBe('why it closed');
    expect((await listBookmarks(db)).map((x) => x.note)).toEqual(['why it closed']);
    expect(removeBookmark(db, a.id)).toBe(true);
    expect(removeBookmark(db, a.id)).toBe(false);
    expect(await listBookmarks(db)).toEqual([]);
  });
});

describe('bookmarks on a syscall capture and a heap dump', () => {
  it('keeps an event by its capture and number, and a stream of a process by its fd', async () => {
    const scap = corpus('scap', 'curl_google.scap');
    const first = await indexOf(scap, 'scap-first');
    const source = first.prepare('SELECT id FROM sources LIMIT 1').pluck().get() as number;
    const stream = first.prepare('SELECT id FROM streams ORDER BY first_ts DESC LIMIT 1').pluck().get() as number;
    const places: BookmarkPlace[] = [{ kind: 'event', sourceId: source, num: 600 }, { kind: 'stream', streamId: stream }];
    for (const place of places) await addBookmark(first, place, '');
    const again = await indexOf(scap, 'scap-again');
    renumber(again);
    fs.copyFileSync(bookmarksPathFor(first.name), bookmarksPathFor(again.name));
    const listed = await listBookmarks(again);
    expect(listed.map((b) => describePlace(again, b.place))).toEqual(places.map((p) => describePlace(first, p)));
    expect(listed[0]!.label).toMatch(/^event 600 \(\w+\) in curl_google\.scap$/);
  }, 60_000);

  it('keeps a heap object by its dump and id, and says when the dump has no such object', async () => {
    const hprof = corpus('hprof', 'small-jcmd-live.hprof.gz');
    const db = await indexOf(hprof, 'heap');
    const source = db.prepare('SELECT id FROM sources LIMIT 1').pluck().get() as number;
    const objectId = db.prepare('SELECT object_id FROM heap_suspects LIMIT 1').pluck().get() as string;
    const b = await addBookmark(db, { kind: 'heap-object', sourceId: source, objectId }, 'the cache');
    expect(b.place).toEqual({ kind: 'heap-object', sourceId: source, objectId: objectId.toLowerCase() });
    expect(b.label).toMatch(/^object 0x[0-9a-f]+ \(.+\) in small-jcmd-live\.hprof$/);
    const file = bookmarksPathFor(db.name);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { bookmarks: { key: { objectId: string } }[] };
    kept.bookmarks[0]!.key.objectId = '0x1';
    fs.writeFileSync(file, JSON.stringify(kept));
    expect((await listBookmarks(db))[0]!.missing).toBe('small-jcmd-live.hprof holds no object 0x1');
  }, 60_000);
});
