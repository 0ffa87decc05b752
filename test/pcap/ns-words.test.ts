// nsWords (core/formats/pcap/parser/timestamp.ts) gives the batch writer a packet's time as two
// 32-bit halves without a BigInt: it must be toNs exactly, wherever it answers.
import { describe, expect, it } from 'vitest';
import { nsWords, toNs } from '../../core/formats/pcap/parser/timestamp';

function viaWords(sec: number, nsec: number): bigint | null {
  const w = { high: 0, low: 0 };
  if (!nsWords(sec, nsec, w)) return null;
  expect(Number.isInteger(w.high) && w.high >= 0 && w.high < 2 ** 32).toBe(true);
  expect(Number.isInteger(w.low) && w.low >= 0 && w.low < 2 ** 32).toBe(true);
  return (BigInt(w.high) << 32n) | BigInt(w.low);
}

describe('nsWords', () => {
  it('is toNs at the edges of its range and at the carries between its steps', () => {
    const edges: [number, number][] = [
      [0, 0], [0, 999_999_999], [2 ** 32 - 1, 999_999_999], [2 ** 32 - 1, 0], [65_535, 999_999_999], [65_536, 0],
      [1_796_679_990, 953_508_000], [4_294, 967_296], [2 ** 31, 1], [1, 294_967_295], [1, 294_967_296],
    ];
    for (const [sec, nsec] of edges) expect(viaWords(sec, nsec)).toBe(toNs(sec, nsec));
  });

  it('is toNs on random times of 1970 to 2106', () => {
    let seed = 12345;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 100_000; i++) {
      const sec = Math.floor(next() * 2 ** 32);
      const nsec = Math.floor(next() * 1e9);
      expect(viaWords(sec, nsec)).toBe(toNs(sec, nsec));
    }
  });

  it('leaves times outside that range to toNs', () => {
    for (const [sec, nsec] of [[-1, 0], [2 ** 32, 0], [0, 1e9], [0, -1], [9_223_372_035, 0]] as [number, number][]) expect(viaWords(sec, nsec)).toBeNull();
  });
});
