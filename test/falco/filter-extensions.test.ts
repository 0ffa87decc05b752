// The filter language's extensions for Falco's conditions: its precedence, macros and empty lists
// (parser, falco mode), and the SQL functions its fields read with.

import { describe, expect, it } from 'vitest';
import { eventArg, imagePart, inNetwork } from '../../core/index/sql-functions';
import { parseFilter } from '../../core/filter/parser';

describe('Falco conditions', () => {
  it("read 'and' before 'or', as libsinsp does", () => {
    const tree = parseFilter('evt.type=open and proc.name=cat or evt.type=execve', { falco: true });
    expect(tree).toMatchObject({ kind: 'or', children: [{ kind: 'and' }, { kind: 'compare', field: 'evt.type' }] });
  });
  it('take a bare name for a macro, and an empty list', () => {
    expect(parseFilter('is_cat and not (spawned)', { falco: true })).toMatchObject({
      kind: 'and',
      children: [{ kind: 'macro', name: 'is_cat', column: 1 }, { kind: 'not', child: { kind: 'macro', name: 'spawned' } }],
    });
    expect(parseFilter('proc.name in ()', { falco: true })).toMatchObject({ kind: 'list', values: [] });
  });
  it('leave sysdig filters as they were', () => {
    expect(() => parseFilter('a=1 or b=2 and c=3')).toThrow(/ambiguous/);
    expect(() => parseFilter('is_cat')).toThrow(/expected an operator after is_cat/);
  });
});

describe("the Falco fields' SQL functions", () => {
  const info = 'fd=3(<f>/etc/shadow) dirfd=-100(AT_FDCWD) name=/etc/shadow flags=1(O_RDONLY) mode=0 res=-2(ENOENT)';
  it('read one parameter by name or position, raw or printed', () => {
    expect(eventArg(info, 'name', false)).toBe('/etc/shadow');
    expect(eventArg(info, 'flags', false)).toBe('1(O_RDONLY)');
    expect(eventArg(info, 'res', true)).toBe('-2');
    expect(eventArg(info, 0, false)).toBe('3(<f>/etc/shadow)');
    expect(eventArg(info, 'missing', false)).toBeNull();
  });
  it('place addresses in networks', () => {
    expect(inNetwork('127.0.0.1', '127.0.0.0/8')).toBe(1);
    expect(inNetwork('10.1.2.3', '127.0.0.0/8')).toBe(0);
    expect(inNetwork('192.168.1.7', '192.168.1.7')).toBe(1);
    expect(inNetwork('::1', '::1/128')).toBe(1);
    expect(inNetwork('fe80::1', 'fe80::/10')).toBe(1);
    expect(inNetwork('::1', '127.0.0.0/8')).toBe(0);
    expect(inNetwork('not-an-ip', '127.0.0.0/8')).toBeNull();
  });
  it("split an image into repository, tag and digest", () => {
    expect(imagePart('docker.io/library/nginx:1.25', 'repository')).toBe('docker.io/library/nginx');
    expect(imagePart('docker.io/library/nginx:1.25', 'tag')).toBe('1.25');
    expect(imagePart('localhost:5000/app@sha256:abc', 'repository')).toBe('localhost:5000/app');
    expect(imagePart('localhost:5000/app@sha256:abc', 'digest')).toBe('sha256:abc');
    expect(imagePart('localhost:5000/app', 'tag')).toBe('latest');
    expect(imagePart('localhost:5000/app@sha256:abc', 'tag')).toBeNull();
  });
});

describe('network fields', () => {
  it('bind a value for every place it is compared (fd.net compares both ends)', async () => {
    const { compileFilter } = await import('../../core/filter/language');
    for (const expr of ['fd.net = 127.0.0.0/8', 'fd.net in ("127.0.0.1/24", 10.0.0.0/8)', 'fd.snet != 10.0.0.0/8']) {
      const f = compileFilter(expr, 'events');
      expect(f.where.split('?').length - 1, expr).toBe(f.params.length);
    }
  });
});
