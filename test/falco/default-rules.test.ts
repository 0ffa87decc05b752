// capscope's default rules over every capture of the corpus, as the ingest raises them: the
// container captures of Falco's traces raise what they show (a privileged container; a program
// started as another user in a container), the HTTP incidents and the plain captures raise nothing.
// And the default set loads clean, with its one rule capscope cannot run said by name.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE, DEFAULT_RULES_YAML } from '../../core/analysis/falco/default-rules';
import { loadRules } from '../../core/analysis/falco/rules-compile';
import { exploreApiOver } from '../helpers/explore-api';
import { corpus, scratchDir } from '../helpers/paths';
import { BAD_GATEWAY, BAD_RESPONSE, proxiedExchange, request, seedIncidentScap } from '../helpers/scap-incident';
import { indexCapture } from '../scap/oracle-helpers';

/** The alerts each capture raises, by rule and count; a capture not named here raises none. */
const EXPECTED: Record<string, Record<string, number>> = {
  'scap/falco-privileged.scap': { 'Launch privileged container': 1 },
  'scap/falco-run_as_user_65534_container.scap': { 'User switched in container': 1 },
};

const CAPTURES = ['scap', 'pcap'].flatMap((dir) =>
  fs
    .readdirSync(corpus(dir))
    .filter((f) => /\.(scap|pcap|pcapng)(\.gz|\.zst)?$/.test(f))
    .map((f) => `${dir}/${f}`),
);

describe('the default rules', () => {
  it('load with no fault, and say which rule they cannot run and why', () => {
    const set = loadRules([{ file: DEFAULT_RULES_FILE, text: DEFAULT_RULES_YAML }]);
    expect(set.problems).toEqual([]);
    expect(set.skipped).toEqual([{ rule: 'Launch sensitive mount container', reason: 'field container.mount.dest not supported' }]);
    expect(set.rules.length).toBe(14);
  });

  it('raise nothing on the HTTP incident as a syscall capture sees it (haproxy and python in containers)', async () => {
    const file = path.join(scratchDir('falco-incident'), 'incident.scap');
    const w = proxiedExchange(seedIncidentScap(), { round: 0, request: request('/getticket'), upstreamRequest: request('/getticket', { lowercase: true }), upstreamResponse: BAD_RESPONSE, clientResponse: BAD_GATEWAY });
    fs.writeFileSync(file, w.bytes());
    const { db, state, error } = await indexCapture(file);
    try {
      expect(state, error ?? '').toBe('done');
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBeGreaterThan(0);
      expect(db.prepare('SELECT output FROM falco_alerts').pluck().all()).toEqual([]);
    } finally {
      db.close();
    }
  });

  it.each(CAPTURES)('over %s', async (file) => {
    const { db, state, error } = await indexCapture(corpus(...file.split('/')));
    try {
      expect(state, error ?? '').toBe('done');
      const rows = db.prepare('SELECT rule, count(*) AS n FROM falco_alerts GROUP BY rule').all() as { rule: string; n: number }[];
      expect(Object.fromEntries(rows.map((r) => [r.rule, r.n]))).toEqual(EXPECTED[file] ?? {});
      const total = rows.reduce((n, r) => n + r.n, 0);
      // A capture without syscall events runs no rule, so none is said to be skipped.
      const skipped = file.startsWith('scap/') ? [{ rule: 'Launch sensitive mount container', reason: 'field container.mount.dest not supported' }] : [];
      expect(db.prepare('SELECT rule, reason FROM falco_skipped').all()).toEqual(skipped);
      const summary = db.prepare("SELECT message FROM diagnostics WHERE code = 'falco.summary'").pluck().all();
      expect(summary).toEqual(total > 0 ? [`${total} security ${total === 1 ? 'alert' : 'alerts'}; 1 rule of the default set not run`] : []);
      // One finding per rule that fired, titled with its count.
      const findings = db.prepare("SELECT title FROM findings WHERE kind = 'falco-alert' ORDER BY id").pluck().all();
      expect(findings).toEqual(rows.map((r) => `${r.rule}: ${r.n} ${r.n === 1 ? 'alert' : 'alerts'}`));
      // The overview's Security tile counts them, over the whole capture and over its own span.
      const api = exploreApiOver(new Map([['c', db]]));
      const tile = (await api['overview.tiles']({ caseId: 'c', scope: {} })).tiles.find((t) => t.metric === 'securityAlerts')!;
      expect(tile.category).toBe('Security');
      expect(tile.value).toBe(file.startsWith('scap/') ? total : null);
    } finally {
      db.close();
    }
  });
});

