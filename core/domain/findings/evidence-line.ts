// Where the line a finding's evidence quotes starts. A malformed header line's evidence points at
// the offending byte (the '/' at byte 21) and quotes the whole line (which starts at byte 17); the
// views and the report say both ("line at byte 17, '/' at byte 21"), so the line's start is found
// in the captured bytes, as the stream view's marks find theirs.

import type Database from 'better-sqlite3';
import type { StreamDir } from '../streams/contract';
import { lineAround } from '../streams/stream-views';

export interface QuotedBytes {
  stream: number;
  dir: string | null;
  offset: number;
  length: number;
  excerpt: string;
}

/** The start of the line the evidence quotes, or null when it quotes no line of one direction's bytes. */
export function evidenceLineOffset(db: Database.Database, e: QuotedBytes): number | null {
  if ((e.dir !== 'in' && e.dir !== 'out') || e.excerpt.length === 0 || e.length !== e.excerpt.length) return null;
  const found = lineAround(db, e.stream, e.dir as StreamDir, e.offset, e.excerpt);
  return found.length === e.excerpt.length ? found.offset : null;
}
