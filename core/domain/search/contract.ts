// The search domain: find a string, hex bytes or a regular expression in the captured bytes of one
// stream or of every stream of the case (Wireshark's Find Packet by string, Sysdig Inspect's
// search), each hit placed at a byte of a direction of a stream. Types only, like every contract.

export type SearchMode = 'text' | 'hex' | 'regex';

export interface ByteQuery {
  mode: SearchMode;
  /** The text (UTF-8), the hex bytes ("de ad be ef", "0xdeadbeef"), or a JavaScript regular expression over bytes read as Latin-1. */
  pattern: string;
  /** Letters match either case (text and regex). */
  ignoreCase?: boolean;
}

export interface ByteHit {
  streamId: number;
  /** Stream's tuple or kind, for the list. */
  label: string;
  dir: 'in' | 'out';
  /** Byte offset of the hit's first byte in its direction (as the stream view addresses bytes). */
  offset: number;
  length: number;
  /** ns since the epoch of the chunk where the hit starts. */
  ts: string;
  /** The bytes around the hit, printable ASCII with dots for the rest; the hit is preview[before, before + shown). */
  preview: string;
  before: number;
  shown: number;
}

export interface ByteSearchResult {
  hits: ByteHit[];
  /** Hits found up to the cap; more may exist when `complete` is false. */
  complete: boolean;
  streamsSearched: number;
  bytesSearched: number;
}

export interface SearchMethods {
  /** Hits of a query in one stream's bytes (streamId) or in every stream of the case, in stream order, at most `limit`. */
  'search.bytes': { req: { caseId: string; query: ByteQuery; streamId?: number; limit?: number }; res: ByteSearchResult };
}

// A record, not an array, so that the compiler insists every method of the map is listed.
export const SEARCH_METHOD_NAMES: Record<keyof SearchMethods, true> = { 'search.bytes': true };
