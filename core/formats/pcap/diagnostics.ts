// The diagnostics the pcap ingest adds from what it counted while decoding and reassembling: what
// it could not decode, the bounds it kept, and one line saying what the capture held. Those about
// a place start with the file and byte. The readers' own are in core/formats/pcap/parser/diagnostics.ts.

import { defineDiagnostics } from '../../../common/diagnostics';

export const PCAP_INGEST_DIAGNOSTICS = defineDiagnostics('pcap', {
  'far-timestamp': {
    severity: 'warning',
    group: 'malformed',
    template: 'expected timestamps between the years 1677 and 2262, found {count} {count:packet|packets} outside them (the first here); their times are clamped to that range',
  },
  'unsupported-link-type': {
    severity: 'warning',
    group: 'unsupported',
    template: 'expected a link type capscope reads (Ethernet, Linux cooked SLL/SLL2, raw IP, BSD loopback), found {linkType}; {count} {count:packet|packets} counted and skipped (the first here)',
  },
  'malformed-packets': {
    severity: 'warning',
    group: 'malformed',
    template: '{count} {count:packet|packets} with link, IP or transport headers cut short or inconsistent were counted and skipped (the first here)',
  },
  'fragments-dropped': {
    severity: 'warning',
    group: 'limit',
    template: '{count} fragmented IP {count:datagram|datagrams} could not be reassembled (fragments missing, cut by the snapshot length, or waiting too long)',
  },
  'connections-evicted': {
    severity: 'info',
    group: 'limit',
    template: '{count} idle connections were closed early to bound memory; a later packet on one of them starts a new stream',
  },
  'forced-gaps': {
    severity: 'warning',
    group: 'limit',
    template: 'out-of-order data outgrew its memory bound {count} times: the holes in front of it were recorded as gaps',
  },
  summary: {
    severity: 'info',
    group: 'summary',
    template: '{packets} packets: {tcp} TCP in {tcpStreams} connections, {udp} UDP in {udpStreams} flows, {icmp} ICMP, {ip} other IP, {fragment} IP fragments, {other} not IP, {malformed} malformed, {unsupported} of unsupported link types',
  },
});
