// The Huffman code of HPACK (RFC 7541 §5.2, the code of Appendix B): a string literal with its H bit
// set is these codes packed most significant bit first, padded to a whole byte with the high bits
// of EOS (ones). Decoding walks a binary tree built once from the table, a bit at a time: header
// strings are short, and most repeat through the dynamic table rather than being coded again.

import { HUFFMAN_CODES } from './hpack-tables';

const EOS = 256;

/**
 * The tree as flat arrays: node n's children are child[2n] (bit 0) and child[2n + 1] (bit 1), a
 * positive child is another node, a negative one the leaf of symbol -child - 1, 0 no code at all.
 */
const child = new Int32Array(2 * 512);
(function buildTree() {
  let nodes = 1;
  HUFFMAN_CODES.forEach(([code, bits], symbol) => {
    let node = 0;
    for (let i = bits - 1; i >= 0; i--) {
      const slot = 2 * node + ((code >>> i) & 1);
      if (i === 0) child[slot] = -symbol - 1;
      else {
        if (child[slot] === 0) child[slot] = nodes++;
        node = child[slot]!;
      }
    }
  });
})();

export class HuffmanError extends Error {}

/**
 * Decodes a Huffman-coded string literal into latin1 text (one character per octet). Throws
 * HuffmanError for EOS inside the string, padding longer than 7 bits, or padding that is not ones.
 */
export function huffmanDecode(bytes: Uint8Array, start: number, end: number): string {
  const out: number[] = [];
  let node = 0;
  // Bits walked since the last symbol, and whether they were all ones (a valid padding so far).
  let pending = 0;
  let allOnes = true;
  for (let p = start; p < end; p++) {
    const byte = bytes[p]!;
    for (let i = 7; i >= 0; i--) {
      const bit = (byte >>> i) & 1;
      const next = child[2 * node + bit]!;
      pending++;
      if (bit === 0) allOnes = false;
      if (next < 0) {
        const symbol = -next - 1;
        if (symbol === EOS) throw new HuffmanError('the Huffman-coded string contains EOS (RFC 7541 §5.2)');
        out.push(symbol);
        node = 0;
        pending = 0;
        allOnes = true;
      } else if (next === 0) {
        throw new HuffmanError('a Huffman code that is not in the table');
      } else node = next;
    }
  }
  if (pending > 7) throw new HuffmanError(`the Huffman-coded string ends in ${pending} bits of padding (at most 7, RFC 7541 §5.2)`);
  if (!allOnes) throw new HuffmanError('the Huffman padding is not the most significant bits of EOS (all ones)');
  return Buffer.from(out).toString('latin1');
}

/** Encodes latin1 text with the Huffman code (for tests and for measuring what a literal would take). */
export function huffmanEncode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const [code, len] = HUFFMAN_CODES[text.charCodeAt(i) & 0xff]!;
    for (let b = len - 1; b >= 0; b--) {
      acc = (acc << 1) | ((code >>> b) & 1);
      if (++bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Uint8Array.from(out);
}
