// The diagnostics the pcap and pcapng readers emit while they read on, and the faults that stop
// them (thrown as CaptureFault). The ingest prefixes each with the file and byte it is about.

import { defineDiagnostics } from '../../../../common/diagnostics';

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
  // Faults that stop the reading (thrown as CaptureFault): what was expected where, and what was
  // found. The ingest passes them on as the source's error, with the file and byte in front.
  'capture-truncated': { severity: 'error', group: 'truncated', template: 'expected {expected}, found {found}' },
  'bad-magic': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-record-length': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'no-section-header': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-block-length': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-trailer': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-section-header': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'unsupported-version': { severity: 'error', group: 'unsupported', template: 'expected {expected}, found {found}' },
});

/** The codes of the faults that stop the reading (CaptureFault.name). */
export type CaptureFaultName =
  | 'capture-truncated'
  | 'bad-magic'
  | 'bad-record-length'
  | 'no-section-header'
  | 'bad-block-length'
  | 'bad-trailer'
  | 'bad-section-header'
  | 'unsupported-version';
