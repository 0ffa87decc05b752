// Writes what a syscall capture holds into the case index: events, threads, containers, fds,
// streams and chunks, in batched transactions (one per BATCH_EVENTS events) so that a large
// capture costs one fsync per batch, and readers (the UI) see progress as it lands.

import type Database from 'better-sqlite3';
import { EVENT_VIEW_INDEXES, EVENT_VIEW_INDEX_NAMES } from '../index/migrations/004-scap';
import type { MachineInfo, ScapUser } from '../../parsers/scap/state-blocks';
import type { Container } from './containers';
import type { EventRow } from './event-processor';
import type { FdInfo } from './fds';
import type { ChunkRecord, StreamRecord, StreamSink } from './stream-builder';
import type { Thread } from './threads';

const BATCH_EVENTS = 20_000;
/**
 * Memory for SQLite's sorter while it builds the event indexes (KiB). Each sorter thread takes up
 * to this much, and the page cache too: 2 threads × 32 MiB keeps the ingest well under 512 MiB.
 */
const SORT_CACHE_KIB = 32 * 1024;
/** Events go in by multi-row INSERTs: one statement call per ROWS events costs far less than ROWS calls. */
const ROWS = 64;
const EVENT_COLUMNS = 19;
const EVENT_INSERT = `INSERT INTO events (source_id, num, ts, cpu, tid, pid, proc, dir, type, event_type, category, fd, fd_name, fd_flags, res, latency, container_id, info, file_offset) VALUES `;
const EVENT_ROW = `(${Array(EVENT_COLUMNS).fill('?').join(', ')})`;

export class ScapIndexWriter implements StreamSink {
  private readonly insertEvent: Database.Statement;
  private readonly insertEvents: Database.Statement;
  private readonly pendingEvents: unknown[] = [];
  private readonly insertThread: Database.Statement;
  private readonly upsertContainer: Database.Statement;
  private readonly insertFd: Database.Statement;
  private readonly insertStream: Database.Statement;
  private readonly updateStream: Database.Statement;
  private readonly insertChunk: Database.Statement;
  private inBatch = 0;
  private inTransaction = false;
  firstTs: bigint | null = null;
  lastTs: bigint | null = null;
  events = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly sourceId: number,
  ) {
    this.insertEvent = db.prepare(EVENT_INSERT + EVENT_ROW);
    this.insertEvents = db.prepare(EVENT_INSERT + Array(ROWS).fill(EVENT_ROW).join(', '));
    this.insertThread = db.prepare(
      `INSERT INTO threads (source_id, tid, pid, ptid, comm, exe, args, cwd, uid, gid, vtid, vpid, cgroups, container_id, exited)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertContainer = db.prepare(
      `INSERT INTO containers (source_id, id, name, image, type, labels, pod_uid, pod_name, namespace, privileged, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, id) DO UPDATE SET name = excluded.name, image = excluded.image, type = excluded.type, labels = excluded.labels,
         pod_uid = coalesce(excluded.pod_uid, pod_uid), pod_name = excluded.pod_name, namespace = excluded.namespace,
         privileged = excluded.privileged, origin = excluded.origin
       WHERE excluded.origin = 'metadata' OR origin <> 'metadata'`,
    );
    this.insertFd = db.prepare('INSERT INTO fds (source_id, pid, fd, type, name, l4proto, role, container_id, stream_id, closed_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.insertStream = db.prepare(
      `INSERT INTO streams (source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple,
         container_id, pid, tid, fd, proc, fd_name, role, connection_index, first_ts, last_ts, state)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateStream = db.prepare(
      `UPDATE streams SET l4proto = ?, family = ?, client_addr = ?, client_port = ?, server_addr = ?, server_port = ?, client_guessed = ?, tuple = ?,
         fd_name = ?, role = ?, bytes_in = ?, bytes_out = ?, captured_in = ?, captured_out = ?, chunk_count = ?, last_ts = ?, state = ? WHERE id = ?`,
    );
    this.insertChunk = db.prepare('INSERT INTO chunks (stream_id, seq, ts, dir, offset, length, captured, gap_before, data, frame) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)');
  }

  private begin(): void {
    if (!this.inTransaction) {
      this.db.exec('BEGIN');
      this.inTransaction = true;
    }
  }

  private writePendingEvents(): void {
    const rows = this.pendingEvents;
    if (rows.length === ROWS * EVENT_COLUMNS) this.insertEvents.run(rows);
    else for (let i = 0; i < rows.length; i += EVENT_COLUMNS) this.insertEvent.run(rows.slice(i, i + EVENT_COLUMNS));
    rows.length = 0;
  }

  /** Drops the event view indexes for the bulk load (see EVENT_VIEW_INDEXES). */
  dropViewIndexes(): void {
    this.flush();
    for (const name of EVENT_VIEW_INDEX_NAMES) this.db.exec(`DROP INDEX IF EXISTS ${name}`);
  }

  /** Builds the event view indexes again, over every source's events; returns the ms it took. */
  buildViewIndexes(): number {
    const started = performance.now();
    this.flush();
    // Index builds sort every row: give the sorter memory (bounded) and a second thread.
    const cache = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = ${-SORT_CACHE_KIB}`);
    this.db.pragma('threads = 2');
    try {
      this.db.exec(EVENT_VIEW_INDEXES);
    } finally {
      this.db.pragma(`cache_size = ${cache}`);
    }
    return performance.now() - started;
  }

  /** Commits the batch in progress. */
  flush(): void {
    if (this.pendingEvents.length) {
      this.begin();
      this.writePendingEvents();
    }
    if (this.inTransaction) {
      this.db.exec('COMMIT');
      this.inTransaction = false;
      this.inBatch = 0;
    }
  }

  machine(mi: MachineInfo, format: string): void {
    this.begin();
    this.db
      .prepare('INSERT INTO machine (source_id, hostname, num_cpus, memory_bytes, boot_ts, format) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET hostname = excluded.hostname, num_cpus = excluded.num_cpus, memory_bytes = excluded.memory_bytes, boot_ts = excluded.boot_ts')
      .run(this.sourceId, mi.hostname, mi.numCpus, mi.memorySizeBytes, mi.bootTsEpoch, format);
  }

  /** Records the capture's format even when it has no machine block, and its time span. */
  finishMachine(format: string): void {
    this.begin();
    this.db.prepare('INSERT INTO machine (source_id, format) VALUES (?, ?) ON CONFLICT (source_id) DO NOTHING').run(this.sourceId, format);
    this.db.prepare('UPDATE machine SET first_ts = ?, last_ts = ?, event_count = ? WHERE source_id = ?').run(this.firstTs, this.lastTs, this.events, this.sourceId);
  }

  event(r: EventRow, fileOffset: number): void {
    this.begin();
    this.pendingEvents.push(
      this.sourceId, r.num, r.ts, r.cpu, r.tid, r.pid, r.proc, r.dir, r.type, r.eventType, r.category, r.fd, r.fdName, r.fdFlags, r.res, r.latency, r.containerId, r.info, fileOffset,
    );
    if (this.pendingEvents.length === ROWS * EVENT_COLUMNS) this.writePendingEvents();
    if (this.firstTs === null) this.firstTs = r.ts;
    this.lastTs = r.ts;
    this.events++;
    if (++this.inBatch >= BATCH_EVENTS) this.flush();
  }

  thread(t: Thread): void {
    this.begin();
    this.insertThread.run(
      this.sourceId, t.tid, t.pid, t.ptid, t.comm, t.exe, JSON.stringify(t.args), t.cwd, t.uid, t.gid, t.vtid, t.vpid, JSON.stringify(t.cgroups), t.containerId, t.exited ? 1 : 0,
    );
  }

  container(c: Container): void {
    this.begin();
    this.upsertContainer.run(
      this.sourceId, c.id, c.name || null, c.image || null, c.type || null, JSON.stringify(c.labels), c.podUid, c.podName, c.namespace,
      c.privileged === null ? null : c.privileged ? 1 : 0, c.source,
    );
  }

  /** The capture's user and group lists (a later list's entry replaces an earlier one's). */
  users(list: ScapUser[]): void {
    this.begin();
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO users (source_id, kind, id, gid, name, home, shell) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const u of list) insert.run(this.sourceId, u.kind, u.kind === 'user' ? u.uid : u.gid, u.kind === 'user' ? u.gid : null, u.name, u.home || null, u.shell || null);
  }

  fd(f: FdInfo, t: Thread, closedTs: bigint | null): void {
    this.begin();
    this.insertFd.run(this.sourceId, t.pid, f.fd, f.type, f.name, f.l4proto, f.role, t.containerId, f.streamId ?? null, closedTs);
  }

  // ----- StreamSink -----

  open(s: Omit<StreamRecord, 'id'>): number {
    this.begin();
    const info = this.insertStream.run(
      this.sourceId, s.kind, s.l4proto, s.family, s.clientAddr, s.clientPort, s.serverAddr, s.serverPort, s.clientGuessed ? 1 : 0, s.tuple,
      s.containerId, s.pid, s.tid, s.fd, s.proc, s.fdName, s.role, s.connectionIndex, s.firstTs, s.lastTs, s.state,
    );
    return Number(info.lastInsertRowid);
  }

  chunk(c: ChunkRecord): void {
    this.begin();
    this.insertChunk.run(c.streamId, c.seq, c.ts, c.dir, c.offset, c.length, c.captured, c.data, c.frame);
  }

  finish(s: StreamRecord): void {
    this.begin();
    this.updateStream.run(
      s.l4proto, s.family, s.clientAddr, s.clientPort, s.serverAddr, s.serverPort, s.clientGuessed ? 1 : 0, s.tuple, s.fdName, s.role,
      s.bytesIn, s.bytesOut, s.capturedIn, s.capturedOut, s.chunkCount, s.lastTs, s.state, s.id,
    );
  }
}
