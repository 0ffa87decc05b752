// A chunk's captured bytes, wherever the index keeps them: in the row (`chunks.data`), or, for a
// plain capture file, in the capture itself at `chunks.data_at` (the pcap ingest stores its payload
// by reference: docs/schema.md "Chunks by reference"). Every reader of chunk bytes (follow-stream,
// the stream view, the HTTP analysis, search, exports, the report) goes through ChunkBytes.
//
// The capture is the evidence the case was indexed from, and a reference into it is only as good as
// the file: before a reader's first read from it, the file is checked against the fingerprint the
// ingest recorded (size, modification time, first and last 64 KiB; a file that matched before and
// has the same size and times since, ctime included, by a stat alone). A file that is gone, or is not the one
// indexed any more, is one line naming it and the byte asked for, never other bytes shown as the
// stream's. While an ingest runs, the file may be a copy of standard input still growing: then
// only that it is there and holds the bytes asked for is checked.

import crypto from 'node:crypto';
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { ApiError } from '../api/wire';
import type { Fingerprint } from './fingerprint';

/**
 * Bytes read from the file at a time when a chunk is read whole: the next chunks of a stream often
 * lie within a few packets of it. Small, because readers that walk many streams (the HTTP analysis
 * reading the views it has no parse of) jump across the file: a large window would be read for one
 * chunk each time (256 KiB made that pass 1.7 times the CPU on 50,000 short connections).
 */
const WINDOW_BYTES = 32 * 1024;
/** As the fingerprint samples them (fingerprint.ts). */
const SAMPLE_BYTES = 64 * 1024;

/** Why the bytes a chunk refers to cannot be read; its message is the one line to show. */
export class EvidenceBytesError extends ApiError {
  constructor(message: string) {
    super('not-found', message);
    this.name = 'EvidenceBytesError';
  }
}

type Int = number | bigint;

/**
 * Reads chunk bytes over one index connection; make one per request (or per pass over the index):
 * each checks the files it reads against their fingerprints once, on its first read. It holds no
 * file open itself: the capture files stay open in a small pool (OPEN_FILES_MAX) shared by every
 * reader of the thread, so a reader needs no closing.
 */
export class ChunkBytes {
  private readonly sourceOfStream: Database.Statement;
  private readonly fileOfSource: Database.Statement;
  private readonly lastIngest: Database.Statement;
  /** The last stream asked about and its source: readers ask about one stream many times in a row. */
  private lastStream = -1;
  private lastSource = -1;
  private readonly files = new Map<number, CaptureWindow>();

  constructor(db: Database.Database) {
    this.sourceOfStream = db.prepare('SELECT source_id FROM streams WHERE id = ?').pluck();
    this.fileOfSource = db.prepare('SELECT file FROM sources WHERE id = ?').pluck();
    this.lastIngest = db.prepare('SELECT fingerprint, state FROM ingests ORDER BY id DESC LIMIT 1');
  }

  /**
   * The captured bytes of a chunk of stream `streamId`: `data` when the row holds them, else
   * `captured` bytes read from its source's file at `dataAt` (the first `limit` of them, if given).
   */
  of(streamId: Int, data: Buffer | null, dataAt: Int | null, captured: Int, limit = Infinity): Buffer {
    if (data !== null) return limit < data.length ? data.subarray(0, limit) : data;
    if (dataAt === null) throw new Error(`a chunk of stream ${streamId} holds neither its bytes nor where they lie`);
    const length = Math.min(Number(captured), limit);
    if (length <= 0) return Buffer.alloc(0);
    // A chunk's head (protocol detection) is read alone: the rest of the window would go unread.
    return this.fileOf(Number(streamId)).read(Number(dataAt), length, length < Number(captured));
  }

  /**
   * Checks that source `sourceId`'s file is still the capture that was indexed, as every read from
   * it is (for readers that read its records themselves: the packet list); throws an
   * EvidenceBytesError naming the file and byte `at` when it is not.
   */
  checkSource(sourceId: number, at: number): void {
    this.windowOf(sourceId).check(at);
  }

  private fileOf(streamId: number): CaptureWindow {
    if (streamId !== this.lastStream) {
      const source = this.sourceOfStream.get(streamId) as Int | undefined;
      if (source === undefined) throw new Error(`no stream ${streamId} in this index`);
      this.lastStream = streamId;
      this.lastSource = Number(source);
    }
    return this.windowOf(this.lastSource);
  }

  private windowOf(sourceId: number): CaptureWindow {
    let file = this.files.get(sourceId);
    if (!file) {
      const path = this.fileOfSource.get(sourceId) as string;
      const ingest = this.lastIngest.get() as { fingerprint: string; state: string } | undefined;
      const indexed = ingest ? (JSON.parse(ingest.fingerprint) as Fingerprint) : null;
      file = new CaptureWindow(path, indexed, ingest?.state === 'running');
      this.files.set(sourceId, file);
    }
    return file;
  }
}

/** Capture files held open per thread, the least recently opened closed first. */
const OPEN_FILES_MAX = 8;

interface OpenCapture {
  fd: number;
  /** The file it is: a path that names another file now is opened again. */
  dev: number;
  ino: number;
  /**
   * The file's state when it last matched a fingerprint (`fingerprint`: its JSON), so that the
   * many readers of one request (a call's messages, one read each) check it by a stat, not by
   * reading and hashing its samples again. Any write to the file, and setting its times back
   * after one, changes its ctime.
   */
  matched: { fingerprint: string; size: number; mtimeMs: number; ctimeMs: number } | null;
}

const openCaptures = new Map<string, OpenCapture>();

/** One capture file as one reader reads it: checked on the first read, then read a window at a time. */
class CaptureWindow {
  private capture: OpenCapture | null = null;
  private window = Buffer.alloc(0);
  private windowAt = 0;

  constructor(
    private readonly path: string,
    /** What the file looked like when indexed (null: no ingest recorded it). */
    private readonly indexed: Fingerprint | null,
    /** An ingest is still writing the case: the file may be a copy of standard input still growing. */
    private readonly growing: boolean,
  ) {}

  /** Opens and checks the file (once per reader), as a read at `at` would. */
  check(at: number): void {
    this.capture ??= this.open(at);
  }

  /** `length` bytes at `at`; `alone`: without reading a window around them. */
  read(at: number, length: number, alone: boolean): Buffer {
    const { fd } = (this.capture ??= this.open(at));
    if (at >= this.windowAt && at + length <= this.windowAt + this.window.length) {
      return Buffer.from(this.window.subarray(at - this.windowAt, at - this.windowAt + length));
    }
    if (alone || length >= WINDOW_BYTES) return this.readExactly(fd, at, length);
    const window = Buffer.allocUnsafe(WINDOW_BYTES);
    const got = fs.readSync(fd, window, 0, WINDOW_BYTES, at);
    if (got < length) throw this.cutShort(at, length, got);
    this.window = window.subarray(0, got);
    this.windowAt = at;
    return Buffer.from(this.window.subarray(0, length));
  }

  private readExactly(fd: number, at: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const got = fs.readSync(fd, out, done, length - done, at + done);
      if (got === 0) throw this.cutShort(at, length, done);
      done += got;
    }
    return out;
  }

  /**
   * The file at the path, checked against the fingerprint (once per reader: a request's worth of
   * reads), open from the pool if the pool holds that very file, else opened and pooled.
   */
  private open(at: number): OpenCapture {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.path);
    } catch (err) {
      forget(this.path);
      const code = (err as NodeJS.ErrnoException).code;
      const found = code === 'ENOENT' ? 'no file there (moved or deleted)' : `a file that cannot be read (${code ?? (err as Error).message})`;
      throw new EvidenceBytesError(`${this.path} at byte ${at}: expected the capture this case was indexed from, whose payload is read from it; found ${found}: put it back or index the capture again`);
    }
    const held = openCaptures.get(this.path);
    const capture = held && held.dev === stat.dev && held.ino === stat.ino ? held : this.pool(stat);
    if (this.growing || this.indexed === null) return capture;
    const fingerprint = JSON.stringify(this.indexed);
    const m = capture.matched;
    if (m && m.fingerprint === fingerprint && m.size === stat.size && m.mtimeMs === stat.mtimeMs && m.ctimeMs === stat.ctimeMs) return capture;
    capture.matched = null;
    const changed = this.changeFrom(capture.fd, stat);
    if (changed) throw new EvidenceBytesError(`${this.path} at byte ${at}: expected the capture as it was indexed (${this.indexed.size} bytes, modified ${iso(this.indexed.mtimeMs)}), whose payload is read from it; found ${changed}: index it again`);
    capture.matched = { fingerprint, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
    return capture;
  }

  private pool(stat: fs.Stats): OpenCapture {
    forget(this.path);
    const capture: OpenCapture = { fd: fs.openSync(this.path, 'r'), dev: stat.dev, ino: stat.ino, matched: null };
    if (openCaptures.size >= OPEN_FILES_MAX) forget(openCaptures.keys().next().value!);
    openCaptures.set(this.path, capture);
    return capture;
  }

  /** What differs from the fingerprint, in words; null when it is the file that was indexed. */
  private changeFrom(fd: number, stat: fs.Stats): string | null {
    const want = this.indexed!;
    if (stat.size !== want.size || Math.trunc(stat.mtimeMs) !== want.mtimeMs) return `${stat.size} bytes, modified ${iso(stat.mtimeMs)} (changed since)`;
    const sample = (position: number) => {
      const length = Math.min(SAMPLE_BYTES, Math.max(0, stat.size - position));
      const buffer = Buffer.alloc(length);
      if (length > 0) fs.readSync(fd, buffer, 0, length, position);
      return crypto.createHash('sha256').update(buffer).digest('hex');
    };
    if (sample(0) !== want.head || sample(Math.max(0, stat.size - SAMPLE_BYTES)) !== want.tail) return 'other bytes of the same size and time (changed since)';
    return null;
  }

  private cutShort(at: number, length: number, got: number): EvidenceBytesError {
    return new EvidenceBytesError(`${this.path} at byte ${at + got}: expected ${length} bytes of captured payload from byte ${at}, found the end of the file after ${got} (the file is shorter than when it was indexed): index it again`);
  }
}

function forget(path: string): void {
  const held = openCaptures.get(path);
  if (!held) return;
  openCaptures.delete(path);
  fs.closeSync(held.fd);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
