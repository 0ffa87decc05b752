// What a format tells the source layer about a stream's first bytes. Each evidence format has one
// (parsers/<format>/sniff.ts, pure); the core hands the registered ones to the walk, so the source
// layer never names a format itself.

import type { FormatName } from '../../common/evidence';

export type FormatSniff =
  /** The stream is this format (`format` may name one of its variants, e.g. pcapng). */
  | { kind: 'evidence'; format: FormatName; detail: string }
  /** It claims to be this format but is not one capscope reads; `found` says what it is. */
  | { kind: 'rejected'; found: string }
  /** Too few bytes to decide; ask again with at least `bytes` bytes. */
  | { kind: 'need-more'; bytes: number };

/** Looks at a stream's first bytes (`complete`: the stream has no more); null when not its format. */
export type FormatSniffer = (prefix: Uint8Array, complete: boolean) => FormatSniff | null;
