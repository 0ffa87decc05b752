// The flow table's index: one value per protocol and unordered pair of endpoints, iterated in the
// order flows began (a value put in place of another keeps its place, as the Map it replaced did).

import { describe, expect, it } from 'vitest';
import { endpointKey, FlowMap } from '../../core/formats/pcap/parser/flow-map';
import type { IpPacket } from '../../core/formats/pcap/parser/ip';

const v4 = (a: number[], b: number[]) => ({ family: 4, header: Uint8Array.from([...a, ...b]), srcAt: 0, dstAt: 4 }) as unknown as IpPacket;
const v6 = (a: number[], b: number[]) => ({ family: 6, header: Uint8Array.from([...a, ...b]), srcAt: 0, dstAt: 16 }) as unknown as IpPacket;

describe('flow map', () => {
  it('keys IPv4 endpoints as exact numbers and IPv6 ones as strings', () => {
    const ip = v4([255, 255, 255, 255], [10, 0, 0, 1]);
    expect(endpointKey(ip, 0, 65535)).toBe(0xffffffff * 65536 + 65535);
    expect(endpointKey(ip, 4, 80)).toBe(0x0a000001 * 65536 + 80);
    const six = v6(Array(16).fill(0), [0xfd, ...Array(14).fill(0), 1]);
    expect(typeof endpointKey(six, 16, 80)).toBe('string');
    expect(endpointKey(six, 16, 80)).not.toBe(endpointKey(six, 16, 81));
  });

  it('finds a flow from either direction, apart per protocol', () => {
    const m = new FlowMap<string>();
    m.set('tcp', 1, 2, 'a');
    m.set('udp', 2, 1, 'b');
    m.set('tcp', 'x|1', 'y|2', 'c');
    expect([m.get('tcp', 2, 1), m.get('tcp', 1, 2), m.get('udp', 1, 2), m.get('tcp', 'y|2', 'x|1'), m.get('udp', 'x|1', 'y|2')]).toEqual(['a', 'a', 'b', 'c', undefined]);
    expect(m.size).toBe(3);
  });

  it('iterates in the order flows began; a replaced value keeps its place; deleting while iterating is safe', () => {
    const m = new FlowMap<string>();
    m.set('tcp', 5, 6, 'first');
    m.set('tcp', 1, 2, 'second');
    m.set('udp', 3, 4, 'third');
    m.set('tcp', 6, 5, 'first again');
    expect([...m.entries()].map((s) => s.value)).toEqual(['first again', 'second', 'third']);
    for (const slot of m.entries()) if (slot.value !== 'third') m.delete(slot);
    expect([...m.entries()].map((s) => s.value)).toEqual(['third']);
    expect(m.get('tcp', 5, 6)).toBeUndefined();
    m.set('tcp', 5, 6, 'new');
    expect([...m.entries()].map((s) => s.value)).toEqual(['third', 'new']);
    m.clear();
    expect(m.size).toBe(0);
  });

  it('forgets the flow it found last when that flow is deleted or the map cleared', () => {
    const m = new FlowMap<string>();
    m.set('tcp', 1, 2, 'a');
    m.set('tcp', 1, 3, 'b');
    expect(m.get('tcp', 2, 1)).toBe('a');
    const slot = [...m.entries()].find((e) => e.value === 'a')!;
    m.delete(slot);
    expect(m.get('tcp', 1, 2)).toBeUndefined();
    expect(m.get('tcp', 3, 1)).toBe('b');
    m.set('tcp', 3, 1, 'c');
    expect(m.get('tcp', 1, 3)).toBe('c');
    m.clear();
    expect(m.get('tcp', 1, 3)).toBeUndefined();
  });
});
