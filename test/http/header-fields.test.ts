// An exchange's header columns are written into the staged row batches as UTF-8 straight from the
// fields (HeaderFields.writeUtf8, core/analysis/http/group-rows.ts): they must be the bytes of the
// JSON the index's other paths bind (json(), JSON.stringify of the pairs), whatever the fields hold.
import { describe, expect, it } from 'vitest';
import { HeaderFields } from '../../core/analysis/http/group-rows';

function written(fields: HeaderFields): Buffer {
  const d = Buffer.alloc(fields.maxBytes());
  const end = fields.writeUtf8(d, 0);
  return d.subarray(0, end);
}

const h = (pairs: [string, string][]) => new HeaderFields(pairs.map(([name, value], i) => ({ name, value, offset: i })));

describe('HeaderFields', () => {
  it('writes the UTF-8 of the JSON of its pairs, escapes and all', () => {
    const cases: [string, string][][] = [
      [],
      [['Host', 'example.com'], ['Content-Length', '427']],
      [['X-Quote', 'say "hi" \\ bye'], ['X-Ctl', 'a\x00b\x01\x08\t\n\x0c\r\x1f\x7f']],
      [['X-Latin1', 'caf\xe9 \xff\x80'], ['', '']],
      [['X-Utf16', 'snow \u2603 \u{1f600}'], ['X-Lone', 'a\ud800b\udfffc']],
    ];
    for (const pairs of cases) {
      const f = h(pairs);
      expect(f.json()).toBe(JSON.stringify(pairs));
      expect(written(f).equals(Buffer.from(f.json(), 'utf8'))).toBe(true);
    }
  });

  it('never writes past maxBytes, even when every character is escaped', () => {
    const worst = h([['\x01'.repeat(50), '\ud800'.repeat(50)], ['\u2603'.repeat(10), '"\\'.repeat(10)]]);
    expect(written(worst).length).toBeLessThanOrEqual(worst.maxBytes());
    expect(written(worst).equals(Buffer.from(worst.json(), 'utf8'))).toBe(true);
  });
});
