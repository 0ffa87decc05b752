// Where a case's bookmarks are kept: a small JSON file beside the case's index (`<index>.bookmarks.json`).
// Not in the index: re-indexing makes the index again from the evidence (a new INDEXER_VERSION, the
// Re-index button), and the bookmarks must outlive that. Written whole to a temporary file and
// renamed over the old one, so a crash leaves the old list or the new one, never half of one.

import fs from 'node:fs';
import { ApiError } from '../../api/wire';
import type { Bookmark } from './contract';

const FILE_VERSION = 1;

interface BookmarkFile {
  version: number;
  bookmarks: Bookmark[];
}

/** The bookmarks file of the case whose index is at `indexPath`. */
export function bookmarksPathFor(indexPath: string): string {
  return `${indexPath}.bookmarks.json`;
}

export function readBookmarks(file: string): Bookmark[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new ApiError('storage', `${file}: the bookmarks could not be read: ${(err as Error).message}`);
  }
  let parsed: BookmarkFile;
  try {
    parsed = JSON.parse(text) as BookmarkFile;
  } catch (err) {
    throw new ApiError('storage', `${file}: expected the case's bookmarks as JSON: ${(err as Error).message}`);
  }
  if (parsed?.version !== FILE_VERSION || !Array.isArray(parsed.bookmarks)) {
    throw new ApiError('storage', `${file}: expected a bookmarks file of version ${FILE_VERSION}`);
  }
  return parsed.bookmarks;
}

export function writeBookmarks(file: string, bookmarks: readonly Bookmark[]): void {
  const body: BookmarkFile = { version: FILE_VERSION, bookmarks: [...bookmarks] };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(body, null, 1)}\n`);
    fs.renameSync(temporary, file);
  } catch (err) {
    fs.rmSync(temporary, { force: true });
    throw new ApiError('storage', `${file}: the bookmarks could not be written: ${(err as Error).message}`);
  }
}
