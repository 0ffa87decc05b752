// Magic numbers of the two packet-capture file formats.

/** Classic pcap: the four magic / byte-order variants (as read little-endian from the file). */
export const PCAP_MAGICS = [
  { bytes: [0xd4, 0xc3, 0xb2, 0xa1], littleEndian: true, nanoseconds: false },
  { bytes: [0xa1, 0xb2, 0xc3, 0xd4], littleEndian: false, nanoseconds: false },
  { bytes: [0x4d, 0x3c, 0xb2, 0xa1], littleEndian: true, nanoseconds: true },
  { bytes: [0xa1, 0xb2, 0x3c, 0x4d], littleEndian: false, nanoseconds: true },
] as const;

/** Alexey Kuznetzov's modified pcap (extra per-record fields); tshark reads it, capscope does not yet. */
export const PCAP_KUZNETZOV_MAGICS = [
  [0x34, 0xcd, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xcd, 0x34],
] as const;

export const PCAP_GLOBAL_HEADER_BYTES = 24;

/** pcapng block types that may follow a section header block. */
export const PCAPNG_BLOCK_TYPES = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB_OBSOLETE: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  SYSTEMD_JOURNAL: 0x00000009,
  DSB: 0x0000000a,
  CUSTOM: 0x00000bad,
  CUSTOM_NO_COPY: 0x40000bad,
} as const;

const PCAPNG_TYPES = new Set<number>(Object.values(PCAPNG_BLOCK_TYPES));

export function isPcapngBlockType(type: number): boolean {
  return PCAPNG_TYPES.has(type >>> 0);
}
