// capscope_evt_arg in C (core/index/native/event-args.c) answers as eventArg in JavaScript
// (core/index/sql-functions.ts), which a connection without the index's extension uses: on every
// parameter, by name and by position, raw and printed, of every event text of four corpus
// captures, and on texts made to find where a scanner and the regular expression could part.

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadIndexExtension, indexExtensionPath } from '../../core/index/row-batch-extension';
import { eventArg } from '../../core/index/sql-functions';
import { corpus } from '../helpers/paths';
import { indexCapture } from '../scap/oracle-helpers';

const CAPTURES = ['curl_google.scap', 'falco-syscall.scap', 'falco-privileged.scap', 'libs-sample.scap'];

describe.skipIf(indexExtensionPath() === null)('capscope_evt_arg in C', () => {
  const native = new Database(':memory:');
  loadIndexExtension(native);
  const call = native.prepare('SELECT capscope_evt_arg(?, ?, ?)').pluck();
  const texts = new Set<string>();
  beforeAll(async () => {
    for (const f of CAPTURES) {
      const { db } = await indexCapture(corpus('scap', f));
      for (const info of db.prepare('SELECT DISTINCT info FROM events').pluck().all() as string[]) texts.add(info);
      db.close();
    }
  }, 120_000);
  afterAll(() => native.close());

  const agree = (info: unknown, which: unknown, raw: unknown) => {
    const js = typeof info === 'string' ? eventArg(info, which as string | number, raw === 1) : null;
    expect(call.get(info, which, raw), `${JSON.stringify(info)} ${String(which)} ${String(raw)}`).toBe(js);
  };

  it('is registered by the extension, and reads as eventArg does', () => {
    const info = 'fd=3(<f>/etc/shadow) dirfd=-100(AT_FDCWD) name=/etc/shadow flags=1(O_RDONLY) mode=0 res=-2(ENOENT)';
    expect(call.get(info, 'flags', 0)).toBe('1(O_RDONLY)');
    expect(call.get(info, 'res', 1)).toBe('-2');
    expect(call.get(info, 0, 0)).toBe('3(<f>/etc/shadow)');
    expect(call.get(info, 'missing', 0)).toBeNull();
  });

  it('agrees with eventArg on every parameter of the corpus events', () => {
    expect(texts.size).toBeGreaterThan(500);
    let asked = 0;
    for (const info of texts) {
      const names = [...info.matchAll(/(?:^| )([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!);
      for (const raw of [0, 1]) {
        for (const name of [...new Set(names), 'missing']) agree(info, name, raw), asked++;
        for (let i = -1; i <= names.length; i++) agree(info, i, raw), asked++;
      }
    }
    expect(asked).toBeGreaterThan(10_000);
  });

  it('agrees on texts made to part them', () => {
    const made = [
      '', '=', 'a=', 'a=1', ' a=1', '  a=1', 'a=1 b=2', 'a=1  b=2', 'a=1 b=2 ', 'abc def=1', '1a=2 b=3', 'a b=1', 'a=b=c d=e',
      'x=(y)', 'x=1(y)', 'x=1(y) z', 'x=1(y)z', 'x=(', 'x=1(', 'x=)', 'x=a(b)(c)', 'fd=3(<f>/a b=c) next=1', 'ünï=1 ab=ç(é)',
      '_=1 _9=2 9=3', 'a=1\tb=2', 'a=1 a=2', 'name=/tmp/x flags=1(O_RDONLY|O_CLOEXEC)', 'res=-2(ENOENT)',
    ];
    for (const info of made) {
      for (const raw of [0, 1]) {
        for (const which of ['a', 'b', 'x', 'fd', 'next', 'ab', 'ünï', '_', '_9', '9', 'name', 'flags', 'res', 'd', -1, 0, 1, 2, 3]) agree(info, which, raw);
      }
    }
    // Not text: no parameter.
    expect(call.get(null, 'a', 0)).toBeNull();
    expect(call.get(7, 'a', 0)).toBeNull();
    expect(call.get('a=1', null, 0)).toBeNull();
    expect(call.get('a=1 b=2', 1.0, 0)).toBe('2');
    expect(call.get('a=1 b=2', 0.5, 0)).toBeNull();
  });
});
