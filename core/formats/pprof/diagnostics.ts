// The diagnostics of the Go profile ingest (the readers' own are in parser/diagnostics.ts).

import { defineDiagnostics } from '../../../common/diagnostics';

export const PPROF_INGEST_DIAGNOSTICS = defineDiagnostics('pprof', {
  'trace-not-read': {
    severity: 'info',
    group: 'unsupported',
    template: '{detail} of {bytes} bytes: recognised and kept as a source of the case, but capscope does not read execution traces yet',
  },
});
