// Writes what a syscall capture holds into the case index: events, threads, containers, fds,
// streams and chunks. Rows are encoded into batches (row-batch.ts) that a writer thread inserts,
// one transaction per batch, while this thread reads on (row-writer.ts); readers (the UI) see
// progress as each batch lands. Stream ids are given here, not by SQLite, so that nothing waits
// for an insert to learn one.

import type Database from 'better-sqlite3';
import { startEarlyRollup } from '../../analysis/rollup/store';
import type { MachineInfo, ScapUser } from './parser/state-blocks';
import type { Container } from './containers';
import type { EventRow } from './event-processor';
import type { ScapEvent } from './parser/event';
import { infoTableBlob, writeInfoRecord } from './info-record';
import type { FdInfo } from './parser/fds';
import { RowBatchEncoder, type TableSpec } from '../../index/row-batch';
import { openRowBatchWriter, type RowBatchWriter } from '../../index/row-batch-writer';
import { WalCheckpointer } from '../../index/wal-checkpointer';
import type { ChunkRecord, StreamRecord, StreamSink } from './stream-builder';
import type { Thread } from './threads';
import { metaEventTypes } from './parser/event-table';
import { EVENTS_TABLE } from './schema/events';

/** Where the events are inserted: the store under the events view (schema/events.ts). */
const EVENT_STORE = EVENTS_TABLE.columnBlocks!.store;

/** Per event type, 1 for a metaevent (a typed array: looked up once an event). */
const META_EVENTS = new Uint8Array(65536);
for (const type of metaEventTypes()) META_EVENTS[type] = 1;

/** A batch is handed to the writer after this many events, if it has not filled up before (4 blocks of the event store). */
const BATCH_EVENTS = 32_768;

// Tables, in the order of tableSpecs().
const EVENT = 0;
const THREAD = 1;
const CONTAINER = 2;
const USER = 3;
const FD = 4;
const STREAM_OPEN = 5;
const STREAM_FINISH = 6;
const CHUNK = 7;
const MACHINE = 8;
const MACHINE_FORMAT = 9;
const MACHINE_SPAN = 10;
const EXITS = 11;

/** Event numbers per event_exits row: a row's bits are 1 KiB. */
const EXIT_BITS = 8192;

/** The statements of one scap source's rows (its id written into them) and their column kinds. */
function tableSpecs(sourceId: number): TableSpec[] {
  const src = String(sourceId);
  return [
    {
      // No dir: it follows from event_type (schema/events.ts). The info is the event's raw
      // parameters, made text on the writer's thread (info-record.ts).
      kinds: 'nbnnnssnsnsnnbsin',
      setup: [{ sql: 'SELECT scap_info_table(?)', args: [infoTableBlob()] }],
      head: `INSERT OR FAIL INTO ${EVENT_STORE} (source_id, num, ts, cpu, tid, pid, proc, type, event_type, category, fd, fd_name, fd_flags, res, latency, container_id, info, file_offset) VALUES `,
      row: `(${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'nnnsstsnnnntsnnbb',
      row: `INSERT INTO threads (source_id, tid, pid, ptid, comm, exe, args, cwd, uid, gid, vtid, vpid, cgroups, container_id, exited, events, first_ts, last_ts)
        VALUES (${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'sssstsssns',
      row: `INSERT INTO containers (source_id, id, name, image, type, labels, pod_uid, pod_name, namespace, privileged, origin)
        VALUES (${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (source_id, id) DO UPDATE SET name = excluded.name, image = excluded.image, type = excluded.type, labels = excluded.labels,
          pod_uid = coalesce(excluded.pod_uid, pod_uid), pod_name = excluded.pod_name, namespace = excluded.namespace,
          privileged = excluded.privileged, origin = excluded.origin
        WHERE excluded.origin = 'metadata' OR origin <> 'metadata'`,
    },
    {
      // A later list's entry replaces an earlier one's.
      kinds: 'snnsss',
      row: `INSERT OR REPLACE INTO users (source_id, kind, id, gid, name, home, shell) VALUES (${src}, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'nnsssssnb',
      row: `INSERT INTO fds (source_id, pid, fd, type, name, l4proto, role, container_id, stream_id, closed_ts) VALUES (${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'nssnsnsnnssnnnsssnbbs',
      row: `INSERT INTO streams (id, source_id, kind, l4proto, family, client_addr, client_port, server_addr, server_port, client_guessed, tuple,
          container_id, pid, tid, fd, proc, fd_name, role, connection_index, first_ts, last_ts, state)
        VALUES (?, ${src}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    },
    {
      kinds: 'snsnsnnsssnnnnnbsn',
      row: `UPDATE streams SET l4proto = ?, family = ?, client_addr = ?, client_port = ?, server_addr = ?, server_port = ?, client_guessed = ?, tuple = ?,
          fd_name = ?, role = ?, bytes_in = ?, bytes_out = ?, captured_in = ?, captured_out = ?, chunk_count = ?, last_ts = ?, state = ? WHERE id = ?`,
    },
    {
      kinds: 'nnbsnnnxn',
      head: 'INSERT OR FAIL INTO chunks (stream_id, seq, ts, dir, offset, length, captured, gap_before, data, frame) VALUES ',
      row: '(?, ?, ?, ?, ?, ?, ?, 0, ?, ?)',
    },
    {
      kinds: 'snnbs',
      row: `INSERT INTO machine (source_id, hostname, num_cpus, memory_bytes, boot_ts, format) VALUES (${src}, ?, ?, ?, ?, ?)
        ON CONFLICT (source_id) DO UPDATE SET hostname = excluded.hostname, num_cpus = excluded.num_cpus, memory_bytes = excluded.memory_bytes, boot_ts = excluded.boot_ts`,
    },
    {
      kinds: 's',
      row: `INSERT INTO machine (source_id, format) VALUES (${src}, ?) ON CONFLICT (source_id) DO NOTHING`,
    },
    {
      kinds: 'bbnnn',
      row: `UPDATE machine SET first_ts = ?, last_ts = ?, event_count = ?, metaevent_count = ?, time_ordered = ? WHERE source_id = ${src}`,
    },
    {
      // Replaced: a row is written again as it fills (at each hand-over), so that the bits always
      // cover the events written.
      kinds: 'nnx',
      row: `INSERT OR REPLACE INTO event_exits (source_id, first_num, count, bits) VALUES (${src}, ?, ?, ?)`,
    },
  ];
}

export class ScapIndexWriter implements StreamSink {
  private readonly rows: RowBatchWriter;
  private readonly batch: RowBatchEncoder;
  /** Moves the write-ahead log into the database while the writer goes on (null: the writer does). */
  private readonly checkpointer: WalCheckpointer | null;
  private inBatch = 0;
  private nextStreamId: number;
  firstTs: bigint | null = null;
  lastTs: bigint | null = null;
  /** No event so far came before the one before it (libscap merges its per-CPU buffers by time). */
  private timeOrdered = true;
  events = 0;
  /** Of them, metaevents (procinfo, container records, drops): the events table lists the rest. */
  metaEvents = 0;
  /** The event_exits row being filled: its first event number, how many numbers it covers, its bits. */
  private exitsFirst = 0;
  private exitsCount = 0;
  private readonly exitBits = new Uint8Array(EXIT_BITS / 8);

  /** Starts the writer. */
  constructor(
    private readonly db: Database.Database,
    sourceId: number,
  ) {
    this.nextStreamId = Number(db.prepare('SELECT coalesce(max(id), 0) FROM streams').pluck().get()) + 1;
    this.checkpointer = db.memory ? null : WalCheckpointer.start(db.name);
    this.rows = openRowBatchWriter(db, tableSpecs(sourceId), this.checkpointer === null, undefined, true);
    this.batch = new RowBatchEncoder(this.rows.buffers());
  }

  /** Hands the batch in progress to the writer. */
  flush(): void {
    // The exits row in progress goes with the events it covers (and again, fuller, later).
    if (this.exitsCount > 0) this.writeExits();
    if (this.batch.empty) return;
    this.rows.write(this.batch.take(this.rows.buffers()));
    this.inBatch = 0;
    this.checkpointer?.nudge();
  }

  /**
   * Writes what is left and releases the writer, then (with `startRollup`) starts the overview
   * rollup of the capture's events, chunks and streams on a query thread, where it runs while the
   * analyses after ingest run on this one (the rollup analysis takes it). Throws the writer's failure.
   */
  async close(options: { startRollup: boolean } = { startRollup: true }): Promise<void> {
    let failure: unknown = null;
    try {
      this.flush();
      await this.rows.settled();
      if (this.rows.threaded && options.startRollup) startEarlyRollup(this.db);
    } catch (err) {
      failure = err;
    }
    // Waited for even after a failure: the threads must be gone before the ingest goes on.
    await this.rows.close().finally(() => this.checkpointer?.stop());
    if (failure !== null) throw failure;
  }

  private ended(): void {
    if (this.batch.full) this.flush();
  }

  machine(mi: MachineInfo, format: string): void {
    const b = this.batch;
    b.row(MACHINE);
    b.str(mi.hostname);
    b.num(mi.numCpus);
    b.num(mi.memorySizeBytes);
    b.big(mi.bootTsEpoch);
    b.str(format);
    this.ended();
  }

  /** Records the capture's format even when it has no machine block, and its time span. */
  finishMachine(format: string): void {
    const b = this.batch;
    b.row(MACHINE_FORMAT);
    b.str(format);
    this.ended();
    b.row(MACHINE_SPAN);
    b.big(this.firstTs);
    b.big(this.lastTs);
    b.num(this.events);
    b.num(this.metaEvents);
    b.num(this.timeOrdered ? 1 : 0);
    this.ended();
  }

  /** Writes event `ev`'s row `r` (while ev's bytes are valid: during the reader's event call). */
  event(r: EventRow, fileOffset: number, ev: ScapEvent): void {
    const b = this.batch;
    b.row(EVENT);
    b.num(r.num);
    b.big(r.ts);
    b.num(r.cpu);
    b.num(r.tid);
    b.num(r.pid);
    b.strCol(0, r.proc);
    b.strCol(1, r.type);
    b.num(r.eventType);
    b.strCol(2, r.category);
    b.num(r.fd);
    b.strCol(3, r.fdName);
    b.num(r.fdFlags);
    b.num(r.res);
    b.big(r.latency);
    b.strCol(4, r.containerId);
    writeInfoRecord(b, ev, r.fds);
    b.num(fileOffset);
    this.noteExit(r.num, r.eventType);
    if (this.firstTs === null) this.firstTs = r.ts;
    else if (r.ts < this.lastTs!) this.timeOrdered = false;
    this.lastTs = r.ts;
    this.events++;
    this.metaEvents += META_EVENTS[r.eventType]!;
    if (++this.inBatch >= BATCH_EVENTS || b.full) this.flush();
  }

  /** Sets event `num`'s bit in the exits row when it is an exit (odd type); numbers come in order, one apart. */
  private noteExit(num: number, eventType: number): void {
    let i = num - this.exitsFirst;
    if (this.exitsCount === 0 || i !== this.exitsCount || i >= EXIT_BITS) {
      // A full row, or a number not next (a second capture's numbering): the row is written, a new one begun.
      if (this.exitsCount > 0) this.writeExits();
      this.exitBits.fill(0);
      this.exitsFirst = num;
      this.exitsCount = 0;
      i = 0;
    }
    if (eventType & 1) this.exitBits[i >> 3]! |= 1 << (i & 7);
    this.exitsCount = i + 1;
    if (this.exitsCount === EXIT_BITS) {
      this.writeExits();
      this.exitsCount = 0;
    }
  }

  private writeExits(): void {
    const b = this.batch;
    b.row(EXITS);
    b.num(this.exitsFirst);
    b.num(this.exitsCount);
    b.bytes(this.exitBits.subarray(0, (this.exitsCount + 7) >> 3));
    // No ended() here: event() and flush(), its callers, hand the batch over themselves.
  }

  thread(t: Thread): void {
    const b = this.batch;
    b.row(THREAD);
    b.num(t.tid);
    b.num(t.pid);
    b.num(t.ptid);
    b.str(t.comm);
    b.str(t.exe);
    b.text(JSON.stringify(t.args));
    b.str(t.cwd);
    b.num(t.uid);
    b.num(t.gid);
    b.num(t.vtid);
    b.num(t.vpid);
    b.text(JSON.stringify(t.cgroups));
    b.str(t.containerId);
    b.num(t.exited ? 1 : 0);
    b.num(t.activity);
    b.big(t.firstActivityTs);
    b.big(t.lastActivityTs);
    this.ended();
  }

  container(c: Container): void {
    const b = this.batch;
    b.row(CONTAINER);
    b.str(c.id);
    b.str(c.name || null);
    b.str(c.image || null);
    b.str(c.type || null);
    b.text(JSON.stringify(c.labels));
    b.str(c.podUid);
    b.str(c.podName);
    b.str(c.namespace);
    b.num(c.privileged === null ? null : c.privileged ? 1 : 0);
    b.str(c.source);
    this.ended();
  }

  /** The capture's user and group lists (a later list's entry replaces an earlier one's). */
  users(list: ScapUser[]): void {
    const b = this.batch;
    for (const u of list) {
      b.row(USER);
      b.str(u.kind);
      b.num(u.kind === 'user' ? u.uid : u.gid);
      b.num(u.kind === 'user' ? u.gid : null);
      b.str(u.name);
      b.str(u.home || null);
      b.str(u.shell || null);
      this.ended();
    }
  }

  fd(f: FdInfo, t: Thread, closedTs: bigint | null): void {
    const b = this.batch;
    b.row(FD);
    b.num(t.pid);
    b.num(f.fd);
    b.str(f.type);
    b.str(f.name);
    b.str(f.l4proto);
    b.str(f.role);
    b.str(t.containerId);
    b.num(f.streamId ?? null);
    b.big(closedTs);
    this.ended();
  }

  // ----- StreamSink -----

  open(s: Omit<StreamRecord, 'id'>): number {
    const id = this.nextStreamId++;
    const b = this.batch;
    b.row(STREAM_OPEN);
    b.num(id);
    b.str(s.kind);
    this.addresses(s);
    b.str(s.containerId);
    b.num(s.pid);
    b.num(s.tid);
    b.num(s.fd);
    b.str(s.proc);
    b.str(s.fdName);
    b.str(s.role);
    b.num(s.connectionIndex);
    b.big(s.firstTs);
    b.big(s.lastTs);
    b.str(s.state);
    this.ended();
    return id;
  }

  /** What a stream knows of its connection, in the column order both stream rows share. */
  private addresses(s: Omit<StreamRecord, 'id'>): void {
    const b = this.batch;
    b.str(s.l4proto);
    b.num(s.family);
    b.str(s.clientAddr);
    b.num(s.clientPort);
    b.str(s.serverAddr);
    b.num(s.serverPort);
    b.num(s.clientGuessed ? 1 : 0);
    b.str(s.tuple);
  }

  chunk(c: ChunkRecord): void {
    const b = this.batch;
    b.row(CHUNK);
    b.num(c.streamId);
    b.num(c.seq);
    b.big(c.ts);
    b.str(c.dir);
    b.num(c.offset);
    b.num(c.length);
    b.num(c.captured);
    b.bytes(c.data);
    b.num(c.frame);
    this.ended();
  }

  finish(s: StreamRecord): void {
    const b = this.batch;
    b.row(STREAM_FINISH);
    this.addresses(s);
    b.str(s.fdName);
    b.str(s.role);
    b.num(s.bytesIn);
    b.num(s.bytesOut);
    b.num(s.capturedIn);
    b.num(s.capturedOut);
    b.num(s.chunkCount);
    b.big(s.lastTs);
    b.str(s.state);
    b.num(s.id);
    this.ended();
  }
}
