// The text documents of the case: what came with the profiles in a bundle (shards.txt, stats.txt,
// diagnostics.txt of a /debug/pprof/all archive), kept by the ingest (the `documents` table) and
// shown as they are. The list leaves the text out; one document is read when it is opened.

import type Database from 'better-sqlite3';
import type { ContainerLayer } from '../../../common/evidence';
import { ApiError } from '../../api/wire';
import type { DocumentInfo } from './contract';

interface DocumentRow {
  id: number;
  entry: string;
  compression: string;
  bytes: number;
  truncated: number;
}

export function profileDocuments(db: Database.Database): DocumentInfo[] {
  const rows = db.prepare('SELECT id, entry, compression, bytes, truncated FROM documents ORDER BY id').all() as DocumentRow[];
  return rows.map((r) => ({ id: r.id, entry: r.entry, compression: JSON.parse(r.compression) as ContainerLayer[], bytes: r.bytes, truncated: r.truncated === 1 }));
}

export function profileDocument(db: Database.Database, id: number): DocumentInfo & { text: string } {
  const row = db.prepare('SELECT id, entry, compression, bytes, truncated, text FROM documents WHERE id = ?').get(id) as (DocumentRow & { text: string }) | undefined;
  if (!row) throw new ApiError('not-found', `document ${id} is not in this case`);
  return { id: row.id, entry: row.entry, compression: JSON.parse(row.compression) as ContainerLayer[], bytes: row.bytes, truncated: row.truncated === 1, text: row.text };
}
