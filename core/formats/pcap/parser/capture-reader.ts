// Reads a pcap or pcapng entry, whichever it is.

import type { ByteReader } from '../../../../parsers/source/byte-reader';
import type { CaptureVisitor } from './packet';
import { readPcap } from './pcap-reader';
import { readPcapng } from './pcapng-reader';

export async function readCapture(format: 'pcap' | 'pcapng', reader: ByteReader, visit: CaptureVisitor): Promise<void> {
  if (format === 'pcap') await readPcap(reader, visit);
  else await readPcapng(reader, visit);
}
