// What the HTTP analysis tells the diagnostics once it has paired the exchanges: how many, and how
// many HTTP diagnostics they carry (those are stored per exchange, declared in
// parsers/http/diagnostics.ts).

import { defineDiagnostics } from '../../../common/diagnostics';

export const HTTP_ANALYSIS_DIAGNOSTICS = defineDiagnostics('http', {
  summary: {
    severity: 'info',
    group: 'summary',
    template: '{exchanges} HTTP {exchanges:exchange|exchanges}, {diagnostics} HTTP {diagnostics:diagnostic|diagnostics}',
  },
});
