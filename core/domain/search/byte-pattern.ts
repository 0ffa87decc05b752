// A search query as a regular expression over bytes: each byte is one Latin-1 character, so a
// match's index is its byte offset. Text is searched as its UTF-8 bytes, hex as the bytes it
// spells; a regular expression is taken as written (over bytes, not characters).

import { ApiError } from '../../api/wire';
import type { ByteQuery } from './contract';

/** Longest hit a pattern can have that the scan looks across chunk boundaries for. */
export const MAX_HIT_BYTES = 4096;

export interface BytePattern {
  regex: RegExp;
  /** Bytes kept from the end of a chunk so that a hit across the boundary is found: longest hit - 1. */
  carry: number;
}

const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

export function hexBytes(pattern: string): Uint8Array {
  const digits = pattern.replace(/0x/gi, '').replace(/[\s:,.-]/g, '');
  if (!/^[0-9a-f]*$/i.test(digits) || digits.length === 0) throw new ApiError('bad-request', `query.pattern: hex bytes are pairs of hex digits ("de ad be ef"), got '${pattern}'`);
  if (digits.length % 2) throw new ApiError('bad-request', `query.pattern: hex bytes are pairs of digits; '${pattern}' has an odd number`);
  return Uint8Array.from(digits.match(/../g)!.map((h) => parseInt(h, 16)));
}

export function bytePattern(query: ByteQuery): BytePattern {
  const flags = `g${query.ignoreCase ? 'i' : ''}`;
  if (query.mode === 'regex') {
    try {
      return { regex: new RegExp(query.pattern, flags), carry: MAX_HIT_BYTES - 1 };
    } catch (err) {
      throw new ApiError('bad-request', `query.pattern: not a regular expression: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const bytes = query.mode === 'hex' ? hexBytes(query.pattern) : new TextEncoder().encode(query.pattern);
  // Hex is bytes: no case folding of what happen to be letters.
  const literal = new RegExp(escape(latin1(bytes)), query.mode === 'hex' ? 'g' : flags);
  return { regex: literal, carry: bytes.length - 1 };
}
