// The flow table's index: values by protocol and the unordered pair of their two endpoints, looked
// up once per packet. An IPv4 endpoint is a number (address × 65,536 + port: 48 bits, exact in a
// double), so that a lookup makes no string; an IPv6 endpoint is a string of its 16 address bytes
// and its port. Iteration follows insertion order, and a value put in place of another keeps that
// one's place (as a Map does), so that sweeps and the end of the capture close flows in the order
// they began.

import type { IpPacket } from './ip';

export type EndpointKey = number | string;

/** The key of the endpoint whose address starts at `at` in the packet's header. */
export function endpointKey(ip: IpPacket, at: number, port: number): EndpointKey {
  const b = ip.header;
  if (ip.family === 4) return (((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0) * 65536 + port;
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(b[at + i]!);
  return `${s}|${port}`;
}

export type FlowProtocol = 'tcp' | 'udp';

interface Slot<V> {
  protocol: FlowProtocol;
  low: EndpointKey;
  high: EndpointKey;
  value: V;
}

export class FlowMap<V> {
  private readonly byLow: Record<FlowProtocol, Map<EndpointKey, Map<EndpointKey, Slot<V>>>> = { tcp: new Map(), udp: new Map() };
  private readonly slots = new Set<Slot<V>>();
  /**
   * The slot found last: the next packet is often of the same flow (a body's segments back to
   * back), and comparing its two keys costs less than two Map lookups by a 48-bit number.
   */
  private last: Slot<V> | null = null;

  get size(): number {
    return this.slots.size;
  }

  get(protocol: FlowProtocol, a: EndpointKey, b: EndpointKey): V | undefined {
    return this.slot(protocol, a, b)?.value;
  }

  set(protocol: FlowProtocol, a: EndpointKey, b: EndpointKey, value: V): void {
    const held = this.slot(protocol, a, b);
    if (held) {
      held.value = value;
      return;
    }
    const [low, high] = a < b ? [a, b] : [b, a];
    const slot: Slot<V> = { protocol, low, high, value };
    let inner = this.byLow[protocol].get(low);
    if (!inner) this.byLow[protocol].set(low, (inner = new Map()));
    inner.set(high, slot);
    this.slots.add(slot);
  }

  /** Every value in insertion order, with what delete() needs; deleting while iterating is safe. */
  entries(): IterableIterator<Slot<V>> {
    return this.slots.values();
  }

  delete(slot: Slot<V>): void {
    const inner = this.byLow[slot.protocol].get(slot.low);
    if (inner?.get(slot.high) !== slot) return;
    inner.delete(slot.high);
    if (inner.size === 0) this.byLow[slot.protocol].delete(slot.low);
    this.slots.delete(slot);
    if (this.last === slot) this.last = null;
  }

  clear(): void {
    this.last = null;
    this.byLow.tcp.clear();
    this.byLow.udp.clear();
    this.slots.clear();
  }

  private slot(protocol: FlowProtocol, a: EndpointKey, b: EndpointKey): Slot<V> | undefined {
    const last = this.last;
    if (last !== null && last.protocol === protocol && ((last.low === a && last.high === b) || (last.low === b && last.high === a))) return last;
    const found = a < b ? this.byLow[protocol].get(a)?.get(b) : this.byLow[protocol].get(b)?.get(a);
    if (found !== undefined) this.last = found;
    return found;
  }
}
