// Network captures: classic pcap and pcapng, from tcpdump, ksniff, dumpcap.

import { sniffPacketCapture } from './parser/sniff';
import { PCAP_DIAGNOSTICS } from './parser/diagnostics';
import type { EvidenceFormat } from '../format';
import { PCAP_INGEST_DIAGNOSTICS } from './diagnostics';
import { ingestPcap } from './ingest';
import { PCAP_TABLES } from './schema/tables';

export const pcapFormat: EvidenceFormat = {
  id: 'pcap',
  label: 'Network capture',
  names: ['pcap', 'pcapng'],
  extensions: ['pcap', 'pcapng', 'cap'],
  noun: { kind: 'capture', names: ['pcap', 'pcapng'] },
  sniff: sniffPacketCapture,
  ingest: ingestPcap,
  tables: PCAP_TABLES,
  diagnostics: [
    { file: 'core/formats/pcap/parser/diagnostics.ts', catalogue: PCAP_DIAGNOSTICS },
    { file: 'core/formats/pcap/diagnostics.ts', catalogue: PCAP_INGEST_DIAGNOSTICS },
  ],
  capabilities: ['packets'],
  filterTargets: ['streams'],
};
