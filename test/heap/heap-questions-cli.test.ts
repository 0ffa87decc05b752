// `capscope heap` asked about one object or class (--path, --refs, --instances, --merge-paths,
// --by-class) on test/heap/java/leakapp's dump: the answers the heap view gets, as text and JSON.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { capscope, onlyJson } from '../helpers/cli';
import { scratchDir } from '../helpers/paths';
import { LEAK_APP_DUMP, SESSIONS, sourceLine } from './helpers/leak-app';

let args: (more: string[]) => string[];
let env: NodeJS.ProcessEnv;
let holder: string;

beforeAll(() => {
  const dir = scratchDir('heap-questions');
  env = { CAPSCOPE_CACHE_DIR: path.join(dir, 'cache') };
  args = (more) => ['heap', '--db', path.join(dir, 'leak.sqlite'), LEAK_APP_DUMP, ...more];
  const report = onlyJson(capscope(args(['--json']), env)) as { suspects: { holder: { objectId: string } }[] };
  holder = report.suspects[0]!.holder.objectId;
});

describe('capscope heap, one question at a time', () => {
  it('--path: the root\'s kind and the field at every step, as text and JSON', () => {
    const text = capscope(args(['--path', holder]), env);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\n').slice(1, 7)).toEqual([
      'GC root: JNI global',
      expect.stringMatching(/^ {2}jdk\.internal\.loader\.ClassLoaders\$AppClassLoader 0x[0-9a-f]+$/),
      expect.stringMatching(/^ {2}classes → java\.util\.ArrayList 0x/),
      expect.stringMatching(/^ {2}elementData → java\.lang\.Object\[\] 0x/),
      expect.stringMatching(/^ {2}\[\d+\] → class com\.example\.leak\.SessionCache 0x/),
      `  static CACHE → java.util.HashMap ${holder}`,
    ]);
    const json = onlyJson(capscope(args(['--path', holder, '--json']), env)) as { pathToRoot: { root: { kind: string } }; error: unknown };
    expect(json.pathToRoot.root.kind).toBe('jni-global');
    expect(json.error).toBeNull();
  });

  it('--refs --incoming, --instances with --top and --offset, --merge-paths, --by-class', () => {
    const incoming = onlyJson(capscope(args(['--refs', holder, '--incoming', '--json']), env)) as { references: { total: number; rows: { field: string; classOf: string }[] } };
    expect(incoming.references.rows).toEqual([expect.objectContaining({ field: 'static CACHE', classOf: 'com.example.leak.SessionCache' })]);

    const page = onlyJson(capscope(args(['--instances', 'com.example.leak.Session', '--top', '7', '--offset', '295', '--json']), env)) as { instances: { total: number; rows: unknown[] } };
    expect(page.instances.total).toBe(SESSIONS);
    expect(page.instances.rows).toHaveLength(5);

    const merged = onlyJson(capscope(args(['--merge-paths', 'com.example.leak.Session', '--top', '3', '--json']), env)) as {
      mergedPaths: { instances: number; reachedInstances: number; cut: boolean; roots: { instances: number; root: { kind: string } }[] };
    };
    expect(merged.mergedPaths).toMatchObject({ instances: SESSIONS, reachedInstances: SESSIONS, cut: false });
    expect(merged.mergedPaths.roots[0]).toMatchObject({ instances: SESSIONS, root: { kind: 'jni-global' } });
    const text = capscope(args(['--merge-paths', 'com.example.leak.Session', '--top', '3']), env).stdout;
    expect(text).toMatch(/static CACHE → java\.util\.HashMap 0x[0-9a-f]+ {2}300 instances, 7,200 B/);
    expect(text).toMatch(/… \d+ more/);

    const groups = onlyJson(capscope(args(['--by-class', '--top', '3', '--json']), env)) as { dominatorsByClass: { total: number; rows: { class: string; objects: number }[] } };
    expect(groups.dominatorsByClass.rows[0]).toMatchObject({ class: 'jdk.internal.loader.ClassLoaders$AppClassLoader', objects: 1 });
    expect(groups.dominatorsByClass.total).toBeGreaterThan(3);
  });

  it('the Request worker-0 holds: a Java frame root at the line LeakApp.java marks', () => {
    const request = onlyJson(capscope(args(['--instances', 'com.example.leak.Request', '--json']), env)) as { instances: { rows: { objectId: string }[] } };
    const text = capscope(args(['--path', request.instances.rows[0]!.objectId]), env).stdout;
    expect(text).toContain(`GC root: Java frame of thread worker-0 at com.example.leak.LeakApp.work(LeakApp.java:${sourceLine('worker-0 waits here')})`);
  });

  it('an object or class the dump does not hold: one line, exit 1; a malformed id or two questions: usage, exit 2', () => {
    const missing = capscope(args(['--path', '0x1']), env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('capscope: no object 0x1 in this heap dump\n');
    const noClass = capscope(args(['--instances', 'com.example.Nope']), env);
    expect(noClass.status).toBe(1);
    expect(noClass.stderr).toBe("capscope: no class named 'com.example.Nope' has instances in this heap dump\n");
    expect(capscope(args(['--path', 'zz']), env).status).toBe(2);
    expect(capscope(args(['--path', holder, '--by-class']), env).status).toBe(2);
    expect(capscope(args(['--incoming']), env).status).toBe(2);
  });
});
