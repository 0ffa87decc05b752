// pcapng: a sequence of blocks (type, length, body, length again) in sections, each opened by a
// section header block that sets the byte order and starts a new list of interfaces. Packets come
// in enhanced (EPB), simple (SPB) and obsolete (PB) packet blocks and name the interface that
// captured them; name-resolution, statistics, decryption-secrets and custom blocks are skipped.
//
// A block whose framing is broken (a length that is not a multiple of 4, runs past the end of the
// data or disagrees with its trailing copy) ends the reading with a CaptureFault: nothing after it
// can be trusted. A block that is framed correctly but makes no sense (a packet naming an interface
// that does not exist) is reported and skipped.

import { ByteWindow } from './byte-window';
import { CaptureFault } from './capture-fault';
import { PCAP_DIAGNOSTICS as D } from './diagnostics';
import { PCAPNG_BLOCK_TYPES } from './magic';
import { MAX_RECORD_BYTES, type CapturedPacket, type CaptureInterface, type CaptureVisitor } from './packet';
import { comments, IF_NAME, IF_TSOFFSET, IF_TSRESOL, optionText, parseOptions, type PcapngOption } from './pcapng-options';
import { TimestampConverter, unitsPerSecond } from './timestamp';
import type { ByteReader } from '../../../../parsers/source/byte-reader';

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** Record type of a systemd journal export block: tshark counts it as a frame, so it is one here. */
export const LINKTYPE_SYSTEMD_JOURNAL_PSEUDO = -1;

interface SectionInterface {
  info: CaptureInterface;
  clock: TimestampConverter;
}

interface Section {
  le: boolean;
  interfaces: SectionInterface[];
}

export interface PcapngSummary {
  sections: number;
  interfaces: number;
}

export async function readPcapng(reader: ByteReader, visit: CaptureVisitor): Promise<PcapngSummary> {
  const win = new ByteWindow(reader);
  let section: Section | null = null;
  let sections = 0;
  let interfaceCount = 0;
  let frame = 0;
  let lastSec = 0;
  let lastNsec = 0;
  const skippedTypes = new Map<number, { count: number; offset: number }>();
  const packet: CapturedPacket = { frame: 0, offset: 0, dataOffset: 0, tsSec: 0, tsNsec: 0, linkType: 0, interfaceId: 0, data: win.buf, origLen: 0, comments: null };
  /** Hands one packet to the visitor, stamped with the time of the last timestamped block. */
  /** `dataAt`: where `data` starts in the block (the block header is 8 bytes, then the body). */
  const emit = (offset: number, dataAt: number, linkType: number, interfaceId: number, data: Uint8Array, origLen: number, comments: CapturedPacket['comments']) => {
    packet.frame = ++frame;
    packet.offset = offset;
    packet.dataOffset = offset + dataAt;
    packet.tsSec = lastSec;
    packet.tsNsec = lastNsec;
    packet.linkType = linkType;
    packet.interfaceId = interfaceId;
    packet.data = data;
    packet.origLen = origLen;
    packet.comments = comments;
    visit.packet(packet);
  };

  const skipBlock = (offset: number, expected: string, found: string | number) => visit.diagnostic({ offset, ...D.emit('block-skipped', { expected, found }) });

  for (;;) {
    if (win.available < 12 && !(await win.ensure(12))) {
      if (win.available === 0) break;
      throw new CaptureFault('capture-truncated', win.offset, 'a pcapng block header', `the end of the data after ${win.available} bytes (the file is cut short)`);
    }
    const blockOffset = win.offset;
    let view = new DataView(win.buf.buffer, win.buf.byteOffset + win.pos, win.available);
    const type0 = view.getUint32(0, true);
    let le: boolean;
    if (type0 === PCAPNG_BLOCK_TYPES.SHB) {
      const bom = view.getUint32(8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new CaptureFault('bad-magic', blockOffset + 8, 'the section header byte-order magic 1a2b3c4d', `${bom.toString(16).padStart(8, '0')}`);
    } else if (section === null) {
      throw new CaptureFault('no-section-header', blockOffset, 'a pcapng section header block', `block type 0x${type0.toString(16)}`);
    } else le = section.le;
    const type = view.getUint32(0, le);
    const length = view.getUint32(4, le);
    if (length < 12 || length % 4 !== 0) {
      throw new CaptureFault('bad-block-length', blockOffset + 4, 'a block length that is a multiple of 4 and at least 12', `${length}`);
    }
    if (length > MAX_RECORD_BYTES) throw new CaptureFault('bad-block-length', blockOffset + 4, `a block of at most ${MAX_RECORD_BYTES} bytes`, `a block length of ${length}`);
    if (win.available < length && !(await win.ensure(length))) {
      throw new CaptureFault('capture-truncated', blockOffset, `a block of ${length} bytes (type 0x${type.toString(16)})`, `only ${win.available} bytes before the end of the data (the block runs past the end)`);
    }
    view = new DataView(win.buf.buffer, win.buf.byteOffset + win.pos, length);
    const trailer = view.getUint32(length - 4, le);
    if (trailer !== length) {
      throw new CaptureFault('bad-trailer', blockOffset + length - 4, `the block's trailing length to repeat its length ${length}`, `${trailer}`);
    }
    const body = win.buf.subarray(win.pos + 8, win.pos + length - 4);
    win.pos += length;

    switch (type) {
      case PCAPNG_BLOCK_TYPES.SHB: {
        if (body.length < 16) throw new CaptureFault('bad-section-header', blockOffset, 'a section header of at least 28 bytes', `${length} bytes`);
        const major = view.getUint16(12, le);
        if (major !== 1) throw new CaptureFault('unsupported-version', blockOffset + 12, 'pcapng major version 1', `version ${major}.${view.getUint16(14, le)}`);
        section = { le, interfaces: [] };
        sections++;
        const opts = options(body.subarray(16), le, blockOffset + 24, visit);
        for (const text of comments(opts)) visit.comment(blockOffset, text);
        break;
      }
      case PCAPNG_BLOCK_TYPES.IDB: {
        if (body.length < 8) {
          skipBlock(blockOffset, 'an interface description of at least 20 bytes', length);
          break;
        }
        const opts = options(body.subarray(8), le, blockOffset + 16, visit);
        let ups = 1_000_000n;
        let offsetSeconds = 0n;
        let name: string | null = null;
        for (const o of opts) {
          if (o.code === IF_TSRESOL && o.value.length >= 1) {
            const resolved = unitsPerSecond(o.value[0]!);
            if (resolved === null) visit.diagnostic({ offset: blockOffset, ...D.emit('bad-tsresol', { found: `0x${o.value[0]!.toString(16)}` }) });
            else ups = resolved;
          } else if (o.code === IF_TSOFFSET && o.value.length >= 8) {
            offsetSeconds = new DataView(o.value.buffer, o.value.byteOffset, 8).getBigInt64(0, le);
          } else if (o.code === IF_NAME) name = optionText(o.value);
        }
        const info: CaptureInterface = {
          id: interfaceCount++,
          linkType: view.getUint16(8, le),
          snapLen: view.getUint32(12, le),
          name,
          unitsPerSecond: ups,
          offsetSeconds,
          comments: comments(opts),
        };
        section!.interfaces.push({ info, clock: new TimestampConverter(info) });
        visit.interface(info);
        break;
      }
      case PCAPNG_BLOCK_TYPES.EPB:
      case PCAPNG_BLOCK_TYPES.PB_OBSOLETE: {
        const enhanced = type === PCAPNG_BLOCK_TYPES.EPB;
        if (body.length < 20) {
          skipBlock(blockOffset, 'a packet block of at least 32 bytes', length);
          break;
        }
        const ifIndex = enhanced ? view.getUint32(8, le) : view.getUint16(8, le);
        const iface = section!.interfaces[ifIndex];
        if (!iface) {
          skipBlock(blockOffset, `a packet from one of the ${section!.interfaces.length} interfaces described so far in this section`, `one naming interface ${ifIndex}`);
          break;
        }
        const capLen = view.getUint32(20, le);
        const origLen = view.getUint32(24, le);
        if (20 + capLen > body.length) {
          skipBlock(blockOffset, `a captured length that fits the ${length}-byte block`, capLen);
          break;
        }
        iface.clock.set(view.getUint32(12, le), view.getUint32(16, le));
        const padded = 20 + ((capLen + 3) & ~3);
        const opts = padded < body.length ? options(body.subarray(padded), le, blockOffset + 8 + padded, visit) : [];
        const notes = opts.length ? comments(opts) : [];
        lastSec = iface.clock.sec;
        lastNsec = iface.clock.nsec;
        emit(blockOffset, 28, iface.info.linkType, iface.info.id, body.subarray(20, 20 + capLen), origLen, notes.length ? notes : null);
        break;
      }
      case PCAPNG_BLOCK_TYPES.SPB: {
        const iface = section!.interfaces[0];
        if (!iface) {
          skipBlock(blockOffset, 'an interface description before a simple packet block', 'none in this section');
          break;
        }
        if (body.length < 4) {
          skipBlock(blockOffset, 'a simple packet block of at least 16 bytes', length);
          break;
        }
        const origLen = view.getUint32(8, le);
        const snap = iface.info.snapLen > 0 ? iface.info.snapLen : Number.MAX_SAFE_INTEGER;
        const capLen = Math.min(origLen, snap, body.length - 4);
        // A simple packet block has no timestamp: it keeps the time of the packet before it.
        emit(blockOffset, 12, iface.info.linkType, iface.info.id, body.subarray(4, 4 + capLen), origLen, null);
        break;
      }
      case PCAPNG_BLOCK_TYPES.SYSTEMD_JOURNAL: {
        emit(blockOffset, 8, LINKTYPE_SYSTEMD_JOURNAL_PSEUDO, -1, body, body.length, null);
        break;
      }
      case PCAPNG_BLOCK_TYPES.NRB:
      case PCAPNG_BLOCK_TYPES.ISB:
      case PCAPNG_BLOCK_TYPES.DSB:
      case PCAPNG_BLOCK_TYPES.CUSTOM:
      case PCAPNG_BLOCK_TYPES.CUSTOM_NO_COPY:
        break;
      default: {
        const seen = skippedTypes.get(type);
        if (seen) seen.count++;
        else skippedTypes.set(type, { count: 1, offset: blockOffset });
      }
    }
  }
  for (const [type, { count, offset }] of skippedTypes) {
    visit.diagnostic({ offset, ...D.emit('unknown-block-type', { count, type: `0x${type.toString(16)}` }) });
  }
  return { sections, interfaces: interfaceCount };
}

function options(bytes: Uint8Array, le: boolean, offset: number, visit: CaptureVisitor): PcapngOption[] {
  const parsed = parseOptions(bytes, le);
  if (parsed.overrun) {
    const o = parsed.overrun;
    visit.diagnostic({ offset: offset + o.at, ...D.emit('option-overrun', { code: o.code, length: o.length, left: bytes.length - o.at - 4 }) });
  }
  return parsed.options;
}
