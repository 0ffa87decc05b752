// What the findings analysis tells the diagnostics: how many findings it stored.

import { defineDiagnostics } from '../../../common/diagnostics';

export const FINDINGS_DIAGNOSTICS = defineDiagnostics('findings', {
  summary: {
    severity: 'info',
    group: 'summary',
    template: '{findings} {findings:finding|findings}',
  },
});
