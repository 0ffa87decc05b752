// The case's own tables: the index's bookkeeping, its sources and the diagnostics found while
// reading them, the text documents that came with them, and the ingest runs. Every other table is declared by its owner (a format's
// folder, an analysis, stream-tables.ts) and composed with these in core/registry/schema.ts.

import type { TableDeclaration } from './declaration';

const meta: TableDeclaration = {
  name: 'meta',
  columns: [
    ['key', 'TEXT PRIMARY KEY', 'a setting of the case'],
    ['value', 'TEXT NOT NULL', 'its value'],
  ],
};

/**
 * One row per piece of evidence: a plain file is one source, an archive one per member.
 * `formatNames`: the names the registered formats give entries (sources.format may hold no other).
 */
function sources(formatNames: readonly string[]): TableDeclaration {
  const names = formatNames.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
  return {
    name: 'sources',
    columns: [
      ['id', 'INTEGER PRIMARY KEY', 'the source, as every evidence table names it'],
      ['file', 'TEXT NOT NULL', 'the evidence file on disk'],
      ['entry', 'TEXT NOT NULL', "the entry's name (an archive member's, or the file's)"],
      ['format', `TEXT NOT NULL CHECK (format IN (${names}))`, 'what its sniffer called it'],
      ['compression', 'TEXT NOT NULL', 'JSON array of layers, outermost first'],
      ['detail', 'TEXT NOT NULL', 'what the sniffer saw'],
      ['size', 'INTEGER', 'uncompressed bytes, once read; NULL if the entry broke off'],
      ['status', "TEXT NOT NULL CHECK (status IN ('pending', 'indexing', 'indexed', 'failed', 'cancelled'))", 'how far its ingest got'],
      ['started_at', 'INTEGER', 'ms since the epoch'],
      ['finished_at', 'INTEGER', 'ms since the epoch'],
      ['parse_ms', 'REAL', 'time spent reading it'],
      ['error', 'TEXT', "the one-line error, when 'failed'"],
    ],
  };
}

const diagnostics: TableDeclaration = {
  name: 'diagnostics',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order they were found'],
    ['source_id', 'INTEGER REFERENCES sources (id) ON DELETE CASCADE', 'NULL for the file as a whole (a skipped member, a fault in its layers)'],
    ['offset', 'INTEGER', "in the source's uncompressed bytes, when it is about a place"],
    ['code', 'TEXT NOT NULL', 'which declared diagnostic it is (module.name, docs/diagnostics.md)'],
    ['severity', "TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error'))", 'how bad'],
    ['message', 'TEXT NOT NULL', 'one line'],
  ],
  indexes: [{ name: 'diagnostics_by_source', columns: 'source_id, offset' }],
};

/** An archive member that is text, not evidence (a bundle's stats.txt, a README): kept to be read as it is. */
const documents: TableDeclaration = {
  name: 'documents',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order the archive holds them'],
    ['entry', 'TEXT NOT NULL', "the member's name in its archive"],
    ['compression', 'TEXT NOT NULL', 'JSON array of layers, outermost first'],
    ['bytes', 'INTEGER NOT NULL', 'its size'],
    ['truncated', 'INTEGER NOT NULL', '1 when only its first MiB is kept'],
    ['text', 'TEXT NOT NULL', 'its text (UTF-8), as it is'],
  ],
};

/** One row per ingest run of the case's evidence file: kept when the derived tables are cleared. */
const ingests: TableDeclaration = {
  name: 'ingests',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'the run, the last one largest'],
    ['file', 'TEXT NOT NULL', 'the evidence file'],
    ['fingerprint', 'TEXT NOT NULL', 'JSON: what the evidence file looked like'],
    ['indexer', 'INTEGER NOT NULL', 'INDEXER_VERSION that wrote it'],
    ['state', "TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled'))", 'how it ended, or that it runs'],
    ['bytes_total', 'INTEGER NOT NULL', "the file's bytes (compressed, for a compressed file)"],
    ['bytes_done', 'INTEGER NOT NULL DEFAULT 0', 'of which read so far'],
    ['started_at', 'INTEGER NOT NULL', 'ms since the epoch'],
    ['finished_at', 'INTEGER', 'ms since the epoch'],
    ['error', 'TEXT', 'why it failed'],
  ],
};

/** The case's own tables, for a capscope whose formats name their entries `formatNames`. */
export function caseTables(formatNames: readonly string[]): TableDeclaration[] {
  return [meta, sources(formatNames), diagnostics, documents, ingests];
}
