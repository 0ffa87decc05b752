// Writes a pcap of `connections` short HTTP/1.1 connections on loopback-like addresses, the shape
// of a busy service's capture (one request per connection, "Connection: close"), for the memory
// curve of bench/pcap-index.mjs: the same traffic at 10k, 50k, 100k, 200k connections, so that what
// grows with the number of connections shows. 12 connections are open at a time, each taking a
// fresh client port (wrapping around the ephemeral range, so ports are reused as in a real capture),
// with the mix of bench/pcap-record.sh's short recording: mostly small pages, a 404 in 8, a 32 KiB
// object in 16, a 256 KiB one in 64. Segments are 1448 bytes, as on a 1500-byte MTU.
//
//   node bench/lib/short-connections-pcap.mjs OUT CONNECTIONS

import fs from 'node:fs';

const MSS = 1448;
const CONCURRENT = 12;
const PAGE = Buffer.from(`<html><body>${'x'.repeat(400)}</body></html>\n`);

function bodyFor(i) {
  if (i % 64 === 63) return Buffer.alloc(262_144, i & 0xff);
  if (i % 16 === 15) return Buffer.alloc(32_768, i & 0xff);
  return PAGE;
}

/** A pcap writer that flushes in large blocks. */
function pcapWriter(file) {
  const fd = fs.openSync(file, 'w');
  let buf = Buffer.alloc(8 << 20);
  let at = 0;
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(262_144, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  fs.writeSync(fd, header);
  return {
    packet(usec, frame) {
      if (at + frame.length + 16 > buf.length) this.flush();
      buf.writeUInt32LE(Math.floor(usec / 1e6), at);
      buf.writeUInt32LE(usec % 1e6, at + 4);
      buf.writeUInt32LE(frame.length, at + 8);
      buf.writeUInt32LE(frame.length, at + 12);
      frame.copy(buf, at + 16);
      at += 16 + frame.length;
    },
    flush() {
      fs.writeSync(fd, buf, 0, at);
      at = 0;
    },
    close() {
      this.flush();
      fs.closeSync(fd);
    },
  };
}

function checksum(b, start, end) {
  let sum = 0;
  for (let i = start; i < end; i += 2) sum += (b[i] << 8) | (i + 1 < end ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet/IPv4/TCP frame from 127.0.0.1:sport to 127.0.0.1:dport. */
function frame(sport, dport, seq, ack, flags, payload) {
  const f = Buffer.alloc(14 + 20 + 20 + payload.length);
  f.writeUInt16BE(0x0800, 12);
  const ip = 14;
  f[ip] = 0x45;
  f.writeUInt16BE(20 + 20 + payload.length, ip + 2);
  f[ip + 6] = 0x40;
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.writeUInt32BE(0x7f000001, ip + 12);
  f.writeUInt32BE(0x7f000001, ip + 16);
  f.writeUInt16BE(checksum(f, ip, ip + 20), ip + 10);
  const tcp = ip + 20;
  f.writeUInt16BE(sport, tcp);
  f.writeUInt16BE(dport, tcp + 2);
  f.writeUInt32BE(seq >>> 0, tcp + 4);
  f.writeUInt32BE(ack >>> 0, tcp + 8);
  f[tcp + 12] = 5 << 4;
  f[tcp + 13] = flags;
  f.writeUInt16BE(65535, tcp + 14);
  payload.copy(f, tcp + 20);
  return f;
}

const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

/** The packets of connection i, as [offset in µs from its start, frame]. */
function connection(i, sport) {
  const dport = 18480;
  const paths = ['/index.html', '/missing.html'];
  const target = i % 8 === 3 ? paths[1] : i % 16 === 15 ? '/obj-32k.bin' : i % 64 === 63 ? '/obj-256k.bin' : paths[0];
  const req = Buffer.from(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:18480\r\nUser-Agent: wrk\r\nConnection: close\r\n\r\n`);
  const body = target === '/missing.html' ? Buffer.from('<html>404</html>\n') : bodyFor(i);
  const status = target === '/missing.html' ? '404 Not Found' : '200 OK';
  const resp = Buffer.concat([Buffer.from(`HTTP/1.1 ${status}\r\nServer: nginx\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]);
  let c = (i * 2654435761) >>> 0;
  let s = (i * 40503 + 7) >>> 0;
  const out = [];
  let t = 0;
  const up = (flags, payload = Buffer.alloc(0)) => out.push([(t += 7), frame(sport, dport, c, s, flags, payload)]);
  const down = (flags, payload = Buffer.alloc(0)) => out.push([(t += 7), frame(dport, sport, s, c, flags, payload)]);
  up(SYN);
  c++;
  down(SYN | ACK);
  s++;
  up(ACK);
  up(ACK | PSH, req);
  c += req.length;
  for (let at = 0; at < resp.length; at += MSS) {
    const seg = resp.subarray(at, Math.min(resp.length, at + MSS));
    down(ACK | PSH, seg);
    s += seg.length;
    if ((at / MSS) % 2 === 1) up(ACK);
  }
  down(ACK | FIN);
  s++;
  up(ACK | FIN);
  c++;
  down(ACK);
  return out;
}

const [out, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!out || !(count > 0)) {
  console.error('usage: node bench/lib/short-connections-pcap.mjs OUT CONNECTIONS');
  process.exit(2);
}
const w = pcapWriter(out);
// Connections start 300 µs apart and their packets interleave with those of the others open.
const start = 1_796_000_000 * 1e6;
let open = [];
let next = 0;
let now = 0;
while (next < count || open.length > 0) {
  while (open.length < CONCURRENT && next < count) {
    const port = 32768 + ((next * 7) % 28000);
    open.push({ packets: connection(next, port), at: 0, base: now });
    next++;
    now += 300;
  }
  // The earliest next packet of the open connections goes out.
  let best = 0;
  for (let k = 1; k < open.length; k++) if (open[k].base + open[k].packets[open[k].at][0] < open[best].base + open[best].packets[open[best].at][0]) best = k;
  const conn = open[best];
  const [offset, f] = conn.packets[conn.at++];
  w.packet(start + conn.base + offset, f);
  if (conn.at === conn.packets.length) open.splice(best, 1);
}
w.close();
