// HPACK (RFC 7541): the RFC's own example, encode-then-decode identity over random header lists
// (with the test's encoder, tables shared as facts only), Huffman round trips, and a decoder that
// joined a connection late counts what it cannot know instead of guessing.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HpackDecoder } from '../../parsers/http2/hpack';
import { huffmanDecode, huffmanEncode } from '../../parsers/http2/huffman';
import { HpackEncoder, type Representation } from '../helpers/http2-writer';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('HPACK decoding', () => {
  it('decodes RFC 7541 C.4 (requests with Huffman coding) and keeps the dynamic table across blocks', () => {
    const d = new HpackDecoder({ fromStart: true });
    const first = d.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'));
    expect(first.error).toBeNull();
    expect(first.fields).toEqual([
      { name: ':method', value: 'GET' },
      { name: ':scheme', value: 'http' },
      { name: ':path', value: '/' },
      { name: ':authority', value: 'www.example.com' },
    ]);
    // C.4.2: index 62 is the :authority inserted by the first block.
    const second = d.decode(hex('8286 84be 5886 a8eb 1064 9cbf'));
    expect(second.fields.map((f) => [f.name, f.value])).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ]);
    expect(d.tableSize).toBe(110);
  });

  const token = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
  const value = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const field = fc.oneof(
    fc.tuple(token, value),
    fc.constantFrom<[string, string]>([':method', 'GET'], [':method', 'POST'], [':path', '/'], [':status', '200'], [':status', '500'], ['content-type', 'application/grpc'], ['grpc-status', '2']),
  );
  const representation = fc.constantFrom<Representation>('indexed-or-incremental', 'without-indexing', 'never-indexed');

  it('gives back what the encoder encoded, block after block, whatever the representation and table size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ fields: fc.array(field, { maxLength: 12 }), huffman: fc.boolean(), representation, resize: fc.option(fc.integer({ min: 0, max: 4096 }), { nil: undefined }) }), { minLength: 1, maxLength: 12 }),
        (blocks) => {
          const encoder = new HpackEncoder();
          const decoder = new HpackDecoder({ fromStart: true });
          for (const b of blocks) {
            if (b.resize !== undefined) encoder.setMaxSize(b.resize);
            const decoded = decoder.decode(encoder.encode(b.fields, { huffman: b.huffman, representation: b.representation }));
            expect(decoded.error).toBeNull();
            expect(decoded.undecodable).toBe(0);
            expect(decoded.fields.map((f) => [f.name, f.value])).toEqual(b.fields);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('joining late: fields of entries it never saw are counted as undecodable, never invented; the rest are exact', () => {
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 8 }), { minLength: 2, maxLength: 8 }), fc.nat(), (blocks, skipSeed) => {
        const encoder = new HpackEncoder();
        const encoded = blocks.map((b) => encoder.encode(b));
        const skip = 1 + (skipSeed % (blocks.length - 1));
        const decoder = new HpackDecoder({ fromStart: false });
        for (let i = skip; i < blocks.length; i++) {
          const decoded = decoder.decode(encoded[i]!);
          expect(decoded.error).toBeNull();
          expect(decoded.fields.length + decoded.undecodable).toBe(blocks[i]!.length);
          // Every decoded field is one the block holds, in order.
          let j = 0;
          for (const f of decoded.fields) {
            while (j < blocks[i]!.length && (blocks[i]![j]![0] !== f.name || blocks[i]![j]![1] !== f.value)) j++;
            expect(j).toBeLessThan(blocks[i]!.length);
            j++;
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports an index past the table, with its offset, when the table is known', () => {
    const d = new HpackDecoder({ fromStart: true });
    const r = d.decode(hex('82 be'));
    expect(r.fields).toEqual([{ name: ':method', value: 'GET' }]);
    expect(r.error).toEqual({ offset: 1, message: 'index 62 is past the end of the table (61 static and 0 dynamic entries)' });
  });

  it('reports a string literal that runs past the block, and a size update after a field', () => {
    expect(new HpackDecoder({ fromStart: true }).decode(hex('40 05 61 62')).error?.message).toMatch(/runs past the end of the block/);
    expect(new HpackDecoder({ fromStart: true }).decode(hex('82 3f e1 1f')).error).toEqual({ offset: 1, message: expect.stringMatching(/size update after a field/) });
  });
});

describe('HPACK Huffman code', () => {
  it('round-trips any octet string', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = Buffer.from(bytes).toString('latin1');
        const coded = huffmanEncode(text);
        expect(huffmanDecode(coded, 0, coded.length)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects padding that is not ones or longer than 7 bits', () => {
    // 'a' is 00011 (5 bits): three bits of padding must be 111.
    expect(() => huffmanDecode(Uint8Array.of(0b00011000), 0, 1)).toThrow(/padding is not/);
    expect(() => huffmanDecode(Uint8Array.of(0b00011111, 0xff), 0, 2)).toThrow(/bits of padding/);
  });
});
