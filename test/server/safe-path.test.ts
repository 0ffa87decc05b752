import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveInside } from '../../core/server/safe-path';

describe('resolveInside', () => {
  const root = path.resolve('/srv/renderer');

  it('maps the root to index.html and plain paths to files inside', () => {
    expect(resolveInside(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveInside(root, '/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
  });

  it.each(['/../package.json', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/index.html%00.png', '/%E0%A4%A', '/assets/..'])(
    'refuses %s',
    (urlPath) => {
      expect(resolveInside(root, urlPath)).toBeNull();
    },
  );
});
