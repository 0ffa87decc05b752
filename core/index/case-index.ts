// One case's SQLite index: opening it (WAL, so the UI reads while the ingest worker writes),
// giving it the declared tables, and the typed reads and writes of the case's own tables
// (schema/case-tables.ts). Which tables there are it is told (core/registry/schema.ts): the index
// plumbing knows no format or analysis.

import Database from 'better-sqlite3';
import path from 'node:path';
import type { ContainerLayer, FormatName, Severity } from '../../common/evidence';
import type { DiagnosticRow, SourceRow, SourceStatus } from '../domain/case/contract';
import type { Fingerprint } from './fingerprint';
import { INDEXER_VERSION } from './indexer-version';
import { prepareSchema } from './prepare-schema';
import type { TableDeclaration } from './schema/declaration';
import { loadIndexExtension } from './row-batch-extension';
import { installFilterFunctions } from './sql-functions';
import { makeDir } from './make-dir';

const PAGE_SIZE = 32768;

export type IngestRunState = 'running' | 'done' | 'failed' | 'cancelled';

export interface IngestRun {
  id: number;
  file: string;
  fingerprint: Fingerprint;
  indexer: number;
  state: IngestRunState;
  bytesTotal: number;
  bytesDone: number;
  startedAt: number;
  finishedAt: number | null;
  error: string | null;
}

export interface NewSource {
  file: string;
  entry: string;
  format: FormatName;
  compression: ContainerLayer[];
  detail: string;
}

export interface NewDiagnostic {
  sourceId: number | null;
  offset: number | null;
  /** Its code in a declared catalogue ("scap.block-fault", core/ingest/diagnostic-catalogues.ts). */
  code: string;
  severity: Severity;
  message: string;
}

export class CaseIndex {
  readonly db: Database.Database;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  /**
   * Opens the index at `dbPath` with the declared `tables`: creates them in a new index, makes them
   * again (empty) in one an older capscope wrote, refuses one a newer capscope wrote.
   */
  static open(dbPath: string, tables: readonly TableDeclaration[]): CaseIndex {
    makeDir(path.dirname(dbPath));
    const db = new Database(dbPath);
    installFilterFunctions(db);
    try {
      loadIndexExtension(db);
      // Large pages: the chunks table is mostly blobs of a few KiB, which 4 KiB pages split into
      // overflow chains (indexing the 718 MB bench capture: 23.1 s with 4 KiB, 15.8 s with 32 KiB,
      // docs/benchmarks.md). Only takes effect on a new, empty database.
      db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      prepareSchema(db, tables);
    } catch (err) {
      db.close();
      throw err;
    }
    return new CaseIndex(db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ----- ingest runs -----

  beginIngest(file: string, fingerprint: Fingerprint): number {
    const info = this.db
      .prepare('INSERT INTO ingests (file, fingerprint, indexer, state, bytes_total, started_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(file, JSON.stringify(fingerprint), INDEXER_VERSION, 'running', fingerprint.size, Date.now());
    return Number(info.lastInsertRowid);
  }

  /**
   * What the evidence looked like once it was whole: a file that grew while it was read (standard
   * input copied as it arrived) is fingerprinted again at its end, so that reopening it reuses this index.
   */
  setIngestFingerprint(ingestId: number, fingerprint: Fingerprint): void {
    this.db.prepare('UPDATE ingests SET fingerprint = ?, bytes_total = ? WHERE id = ?').run(JSON.stringify(fingerprint), fingerprint.size, ingestId);
  }

  updateIngestBytes(ingestId: number, bytesDone: number): void {
    this.db.prepare('UPDATE ingests SET bytes_done = ? WHERE id = ?').run(bytesDone, ingestId);
  }

  finishIngest(ingestId: number, state: Exclude<IngestRunState, 'running'>, bytesDone: number, error: string | null): void {
    this.db.prepare('UPDATE ingests SET state = ?, bytes_done = ?, finished_at = ?, error = ? WHERE id = ?').run(state, bytesDone, Date.now(), error, ingestId);
  }

  lastIngest(): IngestRun | null {
    const row = this.db.prepare('SELECT * FROM ingests ORDER BY id DESC LIMIT 1').get() as IngestRow | undefined;
    return row ? toIngestRun(row) : null;
  }

  /**
   * Removes everything derived from the evidence (every table but meta and ingests, including the
   * tables later features add), before indexing it again.
   */
  clearDerived(): void {
    const tables = this.db
      // A virtual table's rows go with its shadow tables (the event store's blocks), listed apart.
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('meta', 'ingests') AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")
      .pluck()
      .all() as string[];
    this.db.pragma('foreign_keys = OFF'); // tables go in any order; no row survives to dangle
    try {
      this.db.transaction(() => {
        for (const table of tables) this.db.exec(`DELETE FROM "${table.replace(/"/g, '""')}"`);
      })();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  // ----- sources -----

  addSource(source: NewSource): number {
    const info = this.db
      .prepare('INSERT INTO sources (file, entry, format, compression, detail, status, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(source.file, source.entry, source.format, JSON.stringify(source.compression), source.detail, 'indexing', Date.now());
    return Number(info.lastInsertRowid);
  }

  finishSource(sourceId: number, status: Exclude<SourceStatus, 'pending' | 'indexing'>, size: number | null, parseMs: number, error: string | null): void {
    this.db
      .prepare('UPDATE sources SET status = ?, size = ?, finished_at = ?, parse_ms = ?, error = ? WHERE id = ?')
      .run(status, size, Date.now(), parseMs, error, sourceId);
  }

  listSources(): SourceRow[] {
    const rows = this.db.prepare('SELECT * FROM sources ORDER BY id').all() as SourceDbRow[];
    return rows.map(toSourceRow);
  }

  // ----- diagnostics -----

  addDiagnostic(d: NewDiagnostic): void {
    this.db.prepare('INSERT INTO diagnostics (source_id, offset, code, severity, message) VALUES (?, ?, ?, ?, ?)').run(d.sourceId, d.offset, d.code, d.severity, d.message);
  }

  // ----- documents -----

  addDocument(d: { entry: string; compression: ContainerLayer[]; bytes: number; truncated: boolean; text: string }): void {
    this.db.prepare('INSERT INTO documents (entry, compression, bytes, truncated, text) VALUES (?, ?, ?, ?, ?)').run(d.entry, JSON.stringify(d.compression), d.bytes, d.truncated ? 1 : 0, d.text);
  }

  countDiagnostics(sourceId?: number): number {
    const row = (sourceId === undefined
      ? this.db.prepare('SELECT count(*) AS n FROM diagnostics').get()
      : this.db.prepare('SELECT count(*) AS n FROM diagnostics WHERE source_id = ?').get(sourceId)) as { n: number };
    return row.n;
  }

  listDiagnostics(options: { sourceId?: number; limit: number; offset: number }): DiagnosticRow[] {
    const rows = (options.sourceId === undefined
      ? this.db.prepare('SELECT * FROM diagnostics ORDER BY id LIMIT ? OFFSET ?').all(options.limit, options.offset)
      : this.db.prepare('SELECT * FROM diagnostics WHERE source_id = ? ORDER BY id LIMIT ? OFFSET ?').all(options.sourceId, options.limit, options.offset)) as DiagnosticDbRow[];
    return rows.map((r) => ({ id: r.id, sourceId: r.source_id, offset: r.offset, code: r.code, severity: r.severity, message: r.message }));
  }
}

interface IngestRow {
  id: number;
  file: string;
  fingerprint: string;
  indexer: number;
  state: IngestRunState;
  bytes_total: number;
  bytes_done: number;
  started_at: number;
  finished_at: number | null;
  error: string | null;
}

interface SourceDbRow {
  id: number;
  file: string;
  entry: string;
  format: FormatName;
  compression: string;
  detail: string;
  size: number | null;
  status: SourceStatus;
  started_at: number | null;
  finished_at: number | null;
  parse_ms: number | null;
  error: string | null;
}

interface DiagnosticDbRow {
  id: number;
  source_id: number | null;
  offset: number | null;
  code: string;
  severity: Severity;
  message: string;
}

function toIngestRun(r: IngestRow): IngestRun {
  return {
    id: r.id,
    file: r.file,
    fingerprint: JSON.parse(r.fingerprint) as Fingerprint,
    indexer: r.indexer,
    state: r.state,
    bytesTotal: r.bytes_total,
    bytesDone: r.bytes_done,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}

function toSourceRow(r: SourceDbRow): SourceRow {
  return {
    id: r.id,
    file: r.file,
    entry: r.entry,
    format: r.format,
    compression: JSON.parse(r.compression) as ContainerLayer[],
    detail: r.detail,
    bytes: r.size,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    parseMs: r.parse_ms,
    error: r.error,
  };
}
