// Redaction on a recorded capture (test/fixtures/report/record-fixtures.sh): curl requests with
// Authorization, Proxy-Authorization, X-Api-Key, a session cookie and ?token= / ?api_key=, and a
// response that sets a cookie. Masked by default in both formats; kept with --no-redact.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paths';
import { reportRunner } from './helpers/report-cli';

const CREDENTIALS = path.join(REPO_ROOT, 'test', 'fixtures', 'report', 'credentials.pcap');
// What curl sent and the server set (record-fixtures.sh), byte for byte.
const SECRETS = ['s3cr3t-bearer-token-value', 'tok-abc123', 'sess-xyz789', 'newsess-456def', 'dXNlcjpwYXNzd29yZA==', 'key-qwerty-777', 'ak-555'];

describe('redaction in reports', () => {
  const runner = reportRunner('redaction');

  for (const format of ['html', 'md'] as const) {
    it(`masks credentials by default (${format})`, async () => {
      const r = await runner.run([CREDENTIALS, '--format', format, '--out', '-']);
      expect(r.status, r.stderr).toBe(0);
      for (const secret of SECRETS) expect(r.stdout, secret).not.toContain(secret);
      // What is masked is still named, so the reader knows it was there.
      expect(r.stdout).toContain('Bearer [redacted]');
      expect(r.stdout).toContain('Basic [redacted]');
      expect(r.stdout).toContain(format === 'html' ? '/api/orders?token=[redacted]&amp;page=2' : '/api/orders?token=[redacted]&page=2');
      expect(r.stdout).toContain('/missing?api_key=[redacted]');
      expect(r.stdout).toContain('session=[redacted]; theme=[redacted]');
      expect(r.stdout).toContain('session=[redacted]; Path=/; HttpOnly');
      expect(r.stdout).toMatch(/Redaction.*on: credential values are masked/);
    });

    it(`keeps them with --no-redact, and says so (${format})`, async () => {
      const out = path.join(runner.dir, `plain.${format}`);
      const r = await runner.run([CREDENTIALS, '--format', format, '--out', out, '--no-redact']);
      expect(r.status, r.stderr).toBe(0);
      const text = fs.readFileSync(out, 'utf8');
      for (const secret of SECRETS) expect(text, secret).toContain(secret);
      expect(text).toContain('Bearer s3cr3t-bearer-token-value');
      expect(text).toContain('this report may contain credentials');
      expect(text).not.toContain('[redacted]');
    });
  }
});
