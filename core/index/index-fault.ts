// Faults of the index itself (not of the evidence) in one line that names the index and the evidence
// file: SQLite alone says `database or disk is full` and leaves the reader to guess which disk, which
// index, which capture.

const DISK_FULL_TEXT = 'database or disk is full';

/** True for SQLite's SQLITE_FULL (and ENOSPC), however many layers of messages wrapped it. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  const message = err instanceof Error ? err.message : String(err);
  return message.includes(DISK_FULL_TEXT) || message.includes('ENOSPC');
}

/** The disk holding the index filled up while the evidence was being indexed. */
export function diskFullMessage(dbPath: string, evidence: string): string {
  return `${dbPath}: the disk holding this index is full (${DISK_FULL_TEXT}) while indexing ${evidence}; free space there, or put the index on another disk (--db PATH, CAPSCOPE_CACHE_DIR), and index again`;
}

/** Any fault opening or writing the index of `evidence` at `dbPath`, as one line naming both. */
export function indexFaultMessage(err: unknown, dbPath: string, evidence: string): string {
  if (isDiskFull(err)) return diskFullMessage(dbPath, evidence);
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
  // A message that already names the index (prepare-schema's "newer than this capscope") stays as it is.
  return message.includes(dbPath) ? message : `${dbPath}: the index of ${evidence} could not be opened: ${message}`;
}
