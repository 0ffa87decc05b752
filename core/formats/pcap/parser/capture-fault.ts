// A fault in a capture file that stops reading it: the reader has handed on every packet before
// it. The ingester turns it into a SourceError naming the file and entry.

import type { CaptureFaultName } from './diagnostics';

export class CaptureFault extends Error {
  constructor(
    /** Its code in PCAP_DIAGNOSTICS. */
    readonly code: CaptureFaultName,
    readonly offset: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`at byte ${offset}: expected ${expected}, found ${found}`);
    this.name = 'CaptureFault';
  }
}
