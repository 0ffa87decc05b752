// The diagnostics the scap reader emits while it reads on, and the faults that stop it (its
// result's fault). The ingest prefixes each with the file and byte it is about.

import { defineDiagnostics } from '../../../../common/diagnostics';

export const SCAP_DIAGNOSTICS = defineDiagnostics('scap', {
  'block-too-large': {
    severity: 'warning',
    group: 'limit',
    template: '{block} of {length} bytes is larger than {max} bytes: skipped without reading it',
  },
  'unknown-event-type': {
    severity: 'warning',
    group: 'unsupported',
    template: 'event of unknown type {type} (a newer capture format than this capscope knows): skipped',
  },
  'unknown-event-type-count': {
    severity: 'warning',
    group: 'unsupported',
    template: '{count} events of unknown type {type} were skipped in all',
  },
  'unknown-block-type': {
    severity: 'warning',
    group: 'unsupported',
    template: 'unknown block type {type} ({length} bytes): skipped',
  },
  'block-fault': {
    severity: 'error',
    group: 'malformed',
    // The ingest puts the file and the fault's byte in front.
    template: '{block} block at {blockOffset}: {fault}; the block was skipped',
  },
  'value-out-of-range': {
    severity: 'error',
    group: 'malformed',
    // The ingest puts the file and the field's byte in front.
    template: '{block} block at {blockOffset}: {field} is {value}, beyond ±2^53, which capscope cannot keep exactly; {outcome}',
  },
  'faults-not-listed': {
    severity: 'warning',
    group: 'limit',
    template: '{count} more "{kind}" faults were not listed',
  },
  // Faults that stop the reading (the result's fault): what was expected where, and what was found.
  // The ingest passes them on as the source's error, with the file and byte in front.
  'block-truncated': { severity: 'error', group: 'truncated', template: 'expected {expected}, found {found}' },
  'no-section-header': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-byte-order': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-block-length': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
  'bad-trailer': { severity: 'error', group: 'malformed', template: 'expected {expected}, found {found}' },
});

/** The codes of the faults that stop the reading (ScapFault.name). */
export type ScapFaultName = 'block-truncated' | 'no-section-header' | 'bad-byte-order' | 'bad-block-length' | 'bad-trailer';
