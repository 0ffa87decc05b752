// Network captures: classic pcap and pcapng, from tcpdump, ksniff, dumpcap.

import { sniffPacketCapture } from '../../../parsers/pcap/sniff';
import type { EvidenceFormat } from '../format';
import { ingestPcap } from './ingest';
import { PCAP_TABLES } from './schema/tables';

export const pcapFormat: EvidenceFormat = {
  id: 'pcap',
  label: 'Network capture',
  names: ['pcap', 'pcapng'],
  noun: { kind: 'capture', names: ['pcap', 'pcapng'] },
  sniff: sniffPacketCapture,
  ingest: ingestPcap,
  tables: PCAP_TABLES,
  capabilities: ['packets'],
  filterTargets: ['streams'],
};
