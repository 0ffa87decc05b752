// The diagnostics the pcap and pcapng readers emit while they read on (faults that stop them are
// thrown as CaptureFault instead). The ingest prefixes each with the file and byte it is about.

import { defineDiagnostics } from '../../common/diagnostics';

export const PCAP_DIAGNOSTICS = defineDiagnostics('pcap', {
  'record-over-snaplen': {
    severity: 'warning',
    group: 'malformed',
    template: 'expected packet records of at most the snapshot length ({snapLen} bytes), found {count} larger (the first here); they were read in full',
  },
  'block-skipped': {
    severity: 'warning',
    group: 'malformed',
    template: 'expected {expected}, found {found}; the block is skipped',
  },
  'bad-tsresol': {
    severity: 'warning',
    group: 'malformed',
    template: 'expected an if_tsresol of at most 10^-18 or 2^-63 seconds, found {found}; microseconds are assumed',
  },
  'option-overrun': {
    severity: 'warning',
    group: 'malformed',
    template: 'expected option {code} of {length} bytes to fit its block, found {left} bytes left; the options after it are ignored',
  },
  'unknown-block-type': {
    severity: 'info',
    group: 'unsupported',
    template: 'skipped {count} {count:block|blocks} of unknown type {type} (the first here)',
  },
});
