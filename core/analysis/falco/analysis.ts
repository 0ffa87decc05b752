// The security alerts from capscope's default Falco rules, raised over the whole capture at ingest
// and stored (falco_alerts, findings), so that reopening a case shows them at once. Other rules run
// on demand (`capscope alerts --rules`), through the same loader and evaluator.

import type { Analysis } from '../analysis';
import { DEFAULT_RULES_FILE, DEFAULT_RULES_YAML } from './default-rules';
import { FALCO_DIAGNOSTICS } from './diagnostics';
import { evaluateRules, selectRules } from './evaluate';
import { loadRules } from './rules-compile';
import { problemLine } from './rules-problem';
import { storeAlerts } from './store-alerts';
import { FALCO_TABLES } from './tables';

export const falcoAnalysis: Analysis = {
  name: 'security alerts (Falco rules)',
  // Everything a rule's fields read: the events and the state tables of the scap format, the
  // streams and chunks for evt.buffer; findings is written after the findings analysis fills it.
  reads: ['events', 'threads', 'containers', 'fds', 'users', 'machine', 'streams', 'chunks', 'findings'],
  writes: ['falco_alerts', 'falco_skipped', 'findings'],
  tables: FALCO_TABLES,
  diagnostics: [{ file: 'core/analysis/falco/diagnostics.ts', catalogue: FALCO_DIAGNOSTICS }],
  run: (db) => {
    // Rules read syscall events: a case without any (network captures, heap dumps) has nothing to say.
    if (db.prepare('SELECT 1 FROM events LIMIT 1').get() === undefined) {
      storeAlerts(db, [], [], []);
      return null;
    }
    const set = loadRules([{ file: DEFAULT_RULES_FILE, text: DEFAULT_RULES_YAML }]);
    // Our own file: a fault in it is a defect of capscope, not of the evidence.
    if (set.problems.length > 0) throw new Error(`the default rules do not load: ${set.problems.map(problemLine).join('; ')}`);
    const rules = selectRules(set.rules);
    const alerts = evaluateRules(db, rules);
    storeAlerts(db, alerts, rules, set.skipped);
    // Said when there is something to see; the rules not run are listed with the alerts (falco_skipped).
    return alerts.length > 0 ? FALCO_DIAGNOSTICS.emit('summary', { alerts: alerts.length, skipped: set.skipped.length }) : null;
  },
};
