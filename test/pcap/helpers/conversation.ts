// One TCP connection on Ethernet as a pcap file's bytes, for tests that need a small real capture
// of a given exchange: the handshake, each payload in turn (acknowledged by the other side), both
// FINs and the last ACK, optionally bytes the server sends after the FINs.

import { ACK, ethernet, FIN, ipv4, pcapFile, PSH, SYN, tcpSegment } from './build';

export interface Payload {
  from: 'client' | 'server';
  data: string | Buffer;
}

export function tcpConversationPcap(payloads: readonly Payload[], afterFins?: string): Buffer {
  const [client, server, cport, sport] = ['10.0.0.1', '10.0.0.2', 41000, 80];
  let c = 5000;
  let s = 700_000;
  const packets: Buffer[] = [];
  const up = (flags: number, payload?: Buffer) => packets.push(...ipv4(client, server, 6, tcpSegment({ src: client, dst: server, sport: cport, dport: sport, seq: c, ack: s, flags, payload })));
  const down = (flags: number, payload?: Buffer) => packets.push(...ipv4(server, client, 6, tcpSegment({ src: server, dst: client, sport, dport: cport, seq: s, ack: c, flags, payload })));
  packets.push(...ipv4(client, server, 6, tcpSegment({ src: client, dst: server, sport: cport, dport: sport, seq: c++, flags: SYN })));
  down(SYN | ACK);
  s++;
  up(ACK);
  for (const p of payloads) {
    const data = Buffer.from(p.data);
    if (p.from === 'client') {
      up(ACK | PSH, data);
      c += data.length;
      down(ACK);
    } else {
      down(ACK | PSH, data);
      s += data.length;
      up(ACK);
    }
  }
  up(ACK | FIN);
  c++;
  down(ACK | FIN);
  s++;
  up(ACK);
  // Bytes the server sends after both FINs (a broken stack, or a capture's late duplicate).
  if (afterFins !== undefined) down(ACK | PSH, Buffer.from(afterFins));
  return pcapFile(1, packets.map((p, i) => ({ sec: 1_800_000_000, usec: i * 100, data: ethernet(p) })));
}
