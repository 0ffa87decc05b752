// The report's own section for security alerts: the default Falco rules' alerts by rule, in
// Markdown and HTML, narrowed like the events; absent for evidence without syscall events.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { gatherReport } from '../../core/domain/report/gather';
import { renderHtml } from '../../core/domain/report/html';
import { renderMarkdown } from '../../core/domain/report/markdown';
import { installFilterFunctions } from '../../core/filter/language';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

let privileged: Database.Database;
let pcap: Database.Database;
beforeAll(async () => {
  privileged = (await indexCapture(corpus('scap', 'falco-privileged.scap'))).db;
  pcap = (await indexCapture(corpus('pcap', 'haproxy-502.pcap'))).db;
  installFilterFunctions(privileged);
  installFilterFunctions(pcap);
});
afterAll(() => {
  privileged.close();
  pcap.close();
});

describe('the security alerts section', () => {
  it('lists the alerts by rule, and the rules not run', () => {
    const md = renderMarkdown(gatherReport(privileged));
    const section = md.slice(md.indexOf('## Security alerts'), md.indexOf('## Timeline'));
    expect(section).toContain('| Launch privileged container | Warning | 1 |');
    expect(section).toContain('- evt 1405: `21:35:33.350505660: Warning Privileged container started (container_id=9dbcbd0c435f container_name=epic_cray image=nginx:latest)`');
    expect(section).toContain('Not run: Launch sensitive mount container (field container.mount.dest not supported).');
    const page = renderHtml(gatherReport(privileged));
    expect(page).toContain('<a href="#alerts">Security alerts</a>');
    expect(page).toContain('<td>Launch privileged container</td><td>Warning</td>');
  });

  it('is narrowed by the filter like the events', () => {
    const md = renderMarkdown(gatherReport(privileged, { filter: 'proc.name=cat' }));
    expect(md).toContain("No alerts: capscope's default Falco rules matched no event.");
  });

  it('is absent without syscall events', () => {
    expect(renderMarkdown(gatherReport(pcap))).not.toContain('## Security alerts');
  });
});
