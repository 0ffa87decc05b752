// `capscope serve`'s limits from its command line: --max-upload refuses a larger upload with 413,
// and a limit that does not read is a usage error.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPSCOPE_BIN, capscope } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';

describe('capscope serve --max-upload, --max-ingests', () => {
  const env = { CAPSCOPE_CACHE_DIR: path.join(scratchDir('serve-limits'), 'cache') };

  it('refuses an upload over --max-upload with 413 and says which limit', async () => {
    const child = spawn(process.execPath, [CAPSCOPE_BIN, 'serve', '--json', '--max-upload', '64K', '--max-ingests', '1'], { env: { ...process.env, ...env } });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      const res = await fetch(new URL('/upload', url), { method: 'POST', headers: { 'x-capscope-token': token, 'x-capscope-filename': 'big.pcap' }, body: Buffer.alloc(65 * 1024) });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("over this server's limit of 65,536 bytes");
    } finally {
      child.kill('SIGTERM');
    }
  });

  it.each([['--max-upload', 'lots'], ['--max-upload', '0'], ['--max-ingests', '0'], ['--max-ingests', 'many']])('refuses %s %s as a usage error', (flag, value) => {
    const result = capscope(['serve', flag, value], env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(flag);
  });
});
