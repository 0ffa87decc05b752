// The diagnostics the scap reader emits while it reads on (faults that stop it are its result's
// fault instead). The ingest prefixes each with the file and byte it is about.

import { defineDiagnostics } from '../../common/diagnostics';

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
    template: '{block} at {blockOffset}, byte {offset}: {fault}; the block was skipped',
  },
  'faults-not-listed': {
    severity: 'warning',
    group: 'limit',
    template: '{count} more "{kind}" faults were not listed',
  },
});
