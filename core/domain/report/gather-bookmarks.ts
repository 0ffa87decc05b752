// The report's "What we looked at and why": the case's bookmarks, in the order they were made, each
// with its note, what it points at and when, or why the index no longer holds it. Not narrowed by
// the report's scope: they are the investigation's trail, whatever part of the capture it covers.

import type Database from 'better-sqlite3';
import { listBookmarksNow } from '../bookmarks/case-bookmarks';
import type { BookmarkEntry } from './model';
import type { Redactor } from './redact';

export function gatherBookmarks(db: Database.Database, redact: Redactor): BookmarkEntry[] {
  return listBookmarksNow(db).map((b) => ({
    kind: b.key.kind,
    what: redact.text(b.label),
    note: redact.text(b.note),
    ts: b.ts,
    missing: b.missing,
    markedAt: new Date(b.createdAt).toISOString(),
  }));
}
