// Link layers: where the network-layer header starts inside a captured frame, for the link types
// capscope reads. Values are tcpdump.org's LINKTYPE_ registry; the DLT_RAW aliases 12 and 14 are
// what BSD libpcaps wrote into files before LINKTYPE_RAW (101) existed, and Wireshark reads them
// as raw IP too.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW_BSD: 12,
  RAW_OPENBSD: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  [LINKTYPE.NULL]: 'BSD loopback (NULL)',
  [LINKTYPE.ETHERNET]: 'Ethernet',
  [LINKTYPE.RAW_BSD]: 'raw IP (DLT_RAW 12)',
  [LINKTYPE.RAW_OPENBSD]: 'raw IP (DLT_RAW 14)',
  [LINKTYPE.RAW]: 'raw IP',
  [LINKTYPE.LOOP]: 'OpenBSD loopback (LOOP)',
  [LINKTYPE.LINUX_SLL]: 'Linux cooked (SLL)',
  [LINKTYPE.IPV4]: 'raw IPv4',
  [LINKTYPE.IPV6]: 'raw IPv6',
  [LINKTYPE.LINUX_SLL2]: 'Linux cooked v2 (SLL2)',
  // Common ones capscope does not read, named so the diagnostic says what the file holds.
  6: 'Token Ring',
  9: 'PPP',
  10: 'FDDI',
  105: 'IEEE 802.11',
  127: 'IEEE 802.11 radiotap',
  147: 'user-defined (147)',
  192: 'PPI',
  195: 'IEEE 802.15.4',
  220: 'USB (Linux mmapped)',
  249: 'USBPcap',
  [-1]: 'systemd journal export',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `link type ${linkType}`;
}

export function isSupportedLinkType(linkType: number): boolean {
  switch (linkType) {
    case LINKTYPE.NULL:
    case LINKTYPE.ETHERNET:
    case LINKTYPE.RAW_BSD:
    case LINKTYPE.RAW_OPENBSD:
    case LINKTYPE.RAW:
    case LINKTYPE.LOOP:
    case LINKTYPE.LINUX_SLL:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
    case LINKTYPE.LINUX_SLL2:
      return true;
    default:
      return false;
  }
}

/** What sits on top of the link layer. */
export const NET = {
  /** Not IP (ARP, LLDP, 802.3 LLC, ...): counted, not decoded. */
  OTHER: 0,
  IPV4: 4,
  IPV6: 6,
  /** The frame ends inside its own link header. */
  TRUNCATED: -1,
} as const;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100; // 802.1Q
const ETHERTYPE_QINQ = 0x88a8; // 802.1ad
const ETHERTYPE_QINQ_OLD = 0x9100; // pre-standard double tagging, still in the wild
const ETHERTYPE_PPPOE_SESSION = 0x8864;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** More VLAN tags than this is a loop in a corrupt frame, not a network. */
const MAX_TAGS = 8;

/** Where the network header starts, set by decodeLink. */
export interface LinkResult {
  net: number;
  offset: number;
}

/**
 * Decodes the link header of `data` (link type `linkType`, which must be supported) into `out`.
 * The network protocol is named by the link header where it has one, else by the IP version nibble.
 */
export function decodeLink(linkType: number, data: Uint8Array, out: LinkResult): void {
  switch (linkType) {
    case LINKTYPE.ETHERNET:
      return etherTypeAt(data, 12, out);
    case LINKTYPE.LINUX_SLL:
      // packet type(2) ARPHRD(2) address length(2) address(8) protocol(2)
      return etherTypeAt(data, 14, out);
    case LINKTYPE.LINUX_SLL2:
      // protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) address length(1) address(8)
      if (data.length < 20) return set(out, NET.TRUNCATED, 0);
      return fromEtherType((data[0]! << 8) | data[1]!, data, 20, out);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (data.length < 4) return set(out, NET.TRUNCATED, 0);
      // NULL holds the address family in the capturing host's byte order, LOOP in network order.
      let family = linkType === LINKTYPE.LOOP ? ((data[0]! << 24) | (data[1]! << 16) | (data[2]! << 8) | data[3]!) >>> 0 : (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
      if (family > 0xffff) family = ((family & 0xff) << 24 | (family & 0xff00) << 8 | (family >>> 8) & 0xff00 | family >>> 24) >>> 0;
      // AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (NetBSD, OpenBSD), 28 (FreeBSD), 30 (macOS).
      if (family === 2) return set(out, NET.IPV4, 4);
      if (family === 10 || family === 24 || family === 28 || family === 30) return set(out, NET.IPV6, 4);
      return set(out, NET.OTHER, 4);
    }
    case LINKTYPE.IPV4:
      return set(out, NET.IPV4, 0);
    case LINKTYPE.IPV6:
      return set(out, NET.IPV6, 0);
    default: {
      // LINKTYPE_RAW and its aliases: no header at all.
      if (data.length < 1) return set(out, NET.TRUNCATED, 0);
      const version = data[0]! >> 4;
      return set(out, version === 4 ? NET.IPV4 : version === 6 ? NET.IPV6 : NET.OTHER, 0);
    }
  }
}

function set(out: LinkResult, net: number, offset: number): void {
  out.net = net;
  out.offset = offset;
}

function etherTypeAt(data: Uint8Array, at: number, out: LinkResult): void {
  if (data.length < at + 2) return set(out, NET.TRUNCATED, 0);
  fromEtherType((data[at]! << 8) | data[at + 1]!, data, at + 2, out);
}

function fromEtherType(etherType: number, data: Uint8Array, at: number, out: LinkResult): void {
  let type = etherType;
  let offset = at;
  for (let tags = 0; ; tags++) {
    if (type === ETHERTYPE_IPV4) return set(out, NET.IPV4, offset);
    if (type === ETHERTYPE_IPV6) return set(out, NET.IPV6, offset);
    if ((type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) && tags < MAX_TAGS) {
      // TCI(2) then the encapsulated type.
      if (data.length < offset + 4) return set(out, NET.TRUNCATED, 0);
      type = (data[offset + 2]! << 8) | data[offset + 3]!;
      offset += 4;
      continue;
    }
    if (type === ETHERTYPE_PPPOE_SESSION) {
      // version/type(1) code(1) session(2) length(2), then the PPP protocol(2).
      if (data.length < offset + 8) return set(out, NET.TRUNCATED, 0);
      const ppp = (data[offset + 6]! << 8) | data[offset + 7]!;
      return set(out, ppp === PPP_IPV4 ? NET.IPV4 : ppp === PPP_IPV6 ? NET.IPV6 : NET.OTHER, offset + 8);
    }
    return set(out, NET.OTHER, offset);
  }
}
