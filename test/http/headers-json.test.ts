// The header JSON of an exchange row is written out by hand (HeaderFields.json in group-rows.ts, for speed): it must be
// what JSON.stringify makes of the [name, value] pairs, whatever the characters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderFields } from '../../core/analysis/http/group-rows';

const headersJson = (m: { headers: { name: string; value: string; offset: number }[] } | null) => new HeaderFields(m?.headers ?? []).json();

const pairs = (headers: { name: string; value: string }[]) => JSON.stringify(headers.map((h) => [h.name, h.value]));
const field = (text: fc.Arbitrary<string>) => fc.record({ name: text, value: text, offset: fc.nat() });

describe('header JSON of exchange rows', () => {
  it('is JSON.stringify of the pairs: quotes, backslashes, control characters, lone and paired surrogates, latin-1', () => {
    const tricky = fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\u00e9', '\ud800', '\udfff', '\ud83d\ude00', 'a', '/', ' ');
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(tricky, { maxLength: 8 }).map((a) => a.join('')));
    fc.assert(
      fc.property(fc.array(field(text), { maxLength: 10 }), (headers) => {
        expect(headersJson({ headers })).toBe(pairs(headers));
      }),
      { numRuns: 2000 },
    );
  });

  it('is [] without a message or fields', () => {
    expect(headersJson(null)).toBe('[]');
    expect(headersJson({ headers: [] })).toBe('[]');
  });
});
