// What the capture-file readers (pcap, pcapng) hand on: one record per captured packet, plus the
// interfaces and comments around them and diagnostics about the file itself.

import type { Diagnostic } from '../../../../common/diagnostics';

/** A packet record as the file holds it. `data` is only valid during the callback: copy to keep. */
export interface CapturedPacket {
  /** 1-based, counting every packet record of the entry (tshark's frame.number). */
  frame: number;
  /** Entry offset of the record (its header / block start). */
  offset: number;
  /** Entry offset of the first captured byte (`data[0]`): a payload's bytes lie there in the file. */
  dataOffset: number;
  /** Seconds since the epoch and nanoseconds within the second. */
  tsSec: number;
  tsNsec: number;
  linkType: number;
  /** Interface the packet came from (pcapng; 0 for classic pcap), counted across sections. */
  interfaceId: number;
  /** The captured bytes (caplen of them). */
  data: Uint8Array;
  /** Length of the packet on the wire (≥ data.length unless the file is odd). */
  origLen: number;
  /** pcapng opt_comment values on the packet, if any. */
  comments: string[] | null;
}

export interface CaptureInterface {
  /** Index across the whole entry (sections append to it). */
  id: number;
  linkType: number;
  snapLen: number;
  name: string | null;
  /** Units per second of this interface's timestamps. */
  unitsPerSecond: bigint;
  /** Seconds added to every timestamp (if_tsoffset). */
  offsetSeconds: bigint;
  comments: string[];
}

/** A code of PCAP_DIAGNOSTICS (core/formats/pcap/parser/diagnostics.ts) at a byte of the file. */
export interface ReaderDiagnostic extends Diagnostic {
  offset: number;
}

/** What a capture-file reader calls as it goes. Calls are synchronous and in file order. */
export interface CaptureVisitor {
  packet(p: CapturedPacket): void;
  interface(i: CaptureInterface): void;
  /** A comment on the file (section header) rather than on a packet. */
  comment(offset: number, text: string): void;
  diagnostic(d: ReaderDiagnostic): void;
}

/** Records larger than this are corrupt headers, not packets (Wireshark's limit for pcapng blocks). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** Wireshark's maximum packet size for ordinary link types; larger caplens are suspect. */
export const MAX_PACKET_BYTES = 262_144;
