// The diagnostics the scap ingest adds to the reader's (core/formats/scap/parser/diagnostics.ts): one line
// saying what the capture held and how long it took.

import { defineDiagnostics } from '../../../common/diagnostics';

export const SCAP_INGEST_DIAGNOSTICS = defineDiagnostics('scap', {
  summary: {
    severity: 'info',
    group: 'summary',
    template: '{events} events, {containers} containers, {threads} threads alive at the end; read and stored in {readSeconds} s',
  },
});
