// The bookmarks domain: places in the evidence a person marked with a note (an event, a packet, a
// stream's bytes, an HTTP exchange, a finding, a heap object). A bookmark is kept by what it points
// at, never by a row id of the index (which re-indexing renumbers), and is resolved against the
// index as it is now: a place it no longer finds is said, not dropped. Types only, like every contract.

/** A place as the views name it: row ids of the index as it is now. */
export type BookmarkPlace =
  | { kind: 'event'; sourceId: number; num: number }
  | { kind: 'packet'; sourceId: number; frame: number }
  | { kind: 'stream'; streamId: number }
  | { kind: 'stream-range'; streamId: number; dir: 'in' | 'out'; offset: number; length: number }
  | { kind: 'exchange'; exchangeId: number }
  | { kind: 'finding'; findingId: number }
  | { kind: 'heap-object'; sourceId: number; objectId: string };

export type BookmarkKind = BookmarkPlace['kind'];

/**
 * A stream named by what it is, not by its row id: its capture's entry, its kind and endpoints (the
 * tuple, and on a syscall capture the process and fd), whose view it is, and the how-manieth of the
 * streams alike it is, in the order they began.
 */
export interface StreamKey {
  entry: string;
  kind: string;
  tuple: string | null;
  pid: number | null;
  fd: number | null;
  role: string | null;
  index: number;
}

/** What a bookmark keeps: what it points at, in words that survive re-indexing the same evidence. */
export type BookmarkKey =
  | { kind: 'event'; entry: string; num: number }
  | { kind: 'packet'; entry: string; frame: number }
  | { kind: 'stream'; stream: StreamKey }
  | { kind: 'stream-range'; stream: StreamKey; dir: 'in' | 'out'; offset: number; length: number }
  /** The index-th exchange of its stream, in the connection's order. */
  | { kind: 'exchange'; stream: StreamKey; index: number }
  /** The index-th finding (in the order found) of those that read as one problem (findings/group-key.ts). */
  | { kind: 'finding'; findingKind: string; groupKey: string; index: number }
  | { kind: 'heap-object'; entry: string; objectId: string };

export interface Bookmark {
  id: string;
  key: BookmarkKey;
  note: string;
  /** What the place was when it was marked, in words ("event 1234 read in nginx.scap"). */
  label: string;
  /** ms since the epoch. */
  createdAt: number;
}

/** A bookmark and where its place is in the index as it is now. */
export interface ResolvedBookmark extends Bookmark {
  /** The place today, null when the index no longer holds it (then `missing` says what is gone). */
  place: BookmarkPlace | null;
  missing: string | null;
  /** The stream and byte to open, for a place in a stream's bytes (a packet's, a range's, an exchange's request). */
  stream: { streamId: number; dir?: 'in' | 'out'; offset?: number } | null;
  /** ns since the epoch of the place (an event's, a packet's, an exchange's request), as a decimal string; null when it has none. */
  ts: string | null;
}

export interface BookmarksMethods {
  /** The case's bookmarks in the order they were made, each resolved against the index as it is now. */
  'bookmarks.list': { req: { caseId: string }; res: { bookmarks: ResolvedBookmark[] } };
  /** Marks a place with a note. */
  'bookmarks.add': { req: { caseId: string; place: BookmarkPlace; note: string }; res: ResolvedBookmark };
  /** Changes a bookmark's note. */
  'bookmarks.update': { req: { caseId: string; id: string; note: string }; res: ResolvedBookmark };
  'bookmarks.remove': { req: { caseId: string; id: string }; res: { removed: boolean } };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const BOOKMARKS_METHOD_NAMES: Record<keyof BookmarksMethods, true> = {
  'bookmarks.list': true,
  'bookmarks.add': true,
  'bookmarks.update': true,
  'bookmarks.remove': true,
};
