// What the Falco analysis tells the diagnostics: how many alerts the default rules raised, and how
// many of its rules it could not run (each listed with why in falco_skipped and by `capscope alerts`).

import { defineDiagnostics } from '../../../common/diagnostics';

export const FALCO_DIAGNOSTICS = defineDiagnostics('falco', {
  summary: {
    severity: 'info',
    group: 'summary',
    template: '{alerts} security {alerts:alert|alerts}; {skipped} {skipped:rule|rules} of the default set not run',
  },
});
