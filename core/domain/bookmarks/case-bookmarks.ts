// A case's bookmarks read from their file (./bookmark-store.ts) and resolved against its index
// (./resolve-key.ts): what the Bookmarks panel lists and the report's "What we looked at and why" prints.

import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { ApiError } from '../../api/wire';
import type { Bookmark, BookmarkPlace, ResolvedBookmark } from './contract';
import { bookmarksPathFor, readBookmarks, writeBookmarks } from './bookmark-store';
import { keyForPlace } from './place-key';
import { confirmHeapObject, resolveKey } from './resolve-key';

async function resolved(db: Database.Database, bookmark: Bookmark): Promise<ResolvedBookmark> {
  const resolution = resolveKey(db, bookmark.key);
  return { ...bookmark, ...(bookmark.key.kind === 'heap-object' ? await confirmHeapObject(db, bookmark.key, resolution) : resolution) };
}

export async function listBookmarks(db: Database.Database): Promise<ResolvedBookmark[]> {
  const bookmarks = readBookmarks(bookmarksPathFor(db.name));
  const out: ResolvedBookmark[] = [];
  for (const b of bookmarks) out.push(await resolved(db, b));
  return out;
}

/** Marks a place; a place already marked keeps its one bookmark, with the new note. */
export async function addBookmark(db: Database.Database, place: BookmarkPlace, note: string, now = Date.now()): Promise<ResolvedBookmark> {
  const file = bookmarksPathFor(db.name);
  const { key, label } = await keyForPlace(db, place);
  const bookmarks = readBookmarks(file);
  const same = JSON.stringify(key);
  const existing = bookmarks.find((b) => JSON.stringify(b.key) === same);
  const bookmark: Bookmark = existing ? { ...existing, note, label } : { id: crypto.randomUUID(), key, note, label, createdAt: now };
  writeBookmarks(file, existing ? bookmarks.map((b) => (b === existing ? bookmark : b)) : [...bookmarks, bookmark]);
  return resolved(db, bookmark);
}

export async function updateBookmark(db: Database.Database, id: string, note: string): Promise<ResolvedBookmark> {
  const file = bookmarksPathFor(db.name);
  const bookmarks = readBookmarks(file);
  const found = bookmarks.find((b) => b.id === id);
  if (!found) throw new ApiError('not-found', `no bookmark ${id} in this case`);
  const bookmark = { ...found, note };
  writeBookmarks(file, bookmarks.map((b) => (b === found ? bookmark : b)));
  return resolved(db, bookmark);
}

export function removeBookmark(db: Database.Database, id: string): boolean {
  const file = bookmarksPathFor(db.name);
  const bookmarks = readBookmarks(file);
  const kept = bookmarks.filter((b) => b.id !== id);
  if (kept.length === bookmarks.length) return false;
  writeBookmarks(file, kept);
  return true;
}

/** The bookmarks resolved without reading a heap dump's graph (a heap object is taken as present): for the report. */
export function listBookmarksNow(db: Database.Database): ResolvedBookmark[] {
  return readBookmarks(bookmarksPathFor(db.name)).map((b) => ({ ...b, ...resolveKey(db, b.key) }));
}
