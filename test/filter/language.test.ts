// The filter language on its own: what it accepts, the SQL it never splices user text into, and
// errors that point at the place.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compileFilter, FilterError } from '../../core/filter/language';
import { parseFilter } from '../../core/filter/parser';
import { unfilledFieldNotes } from '../../core/filter/unfilled';

function fault(expr: string, target: 'events' | 'streams' | 'http' = 'events'): FilterError {
  try {
    compileFilter(expr, target);
  } catch (err) {
    if (err instanceof FilterError) return err;
    throw err;
  }
  throw new Error(`'${expr}' compiled`);
}

describe('reading', () => {
  it('reads values in context: evt.dir=> compares with ">"', () => {
    expect(parseFilter('evt.dir=>')).toEqual({ kind: 'compare', field: 'evt.dir', column: 1, op: '=', value: { text: '>', quoted: false, column: 9 } });
  });

  it('reads quoted values with escapes, and lists with commas', () => {
    const n = parseFilter(`fd.name in ("/a b", '/c\\'d', /e)`);
    expect(n).toMatchObject({ kind: 'list', op: 'in', values: [{ text: '/a b', quoted: true }, { text: "/c'd", quoted: true }, { text: '/e', quoted: false }] });
  });

  it('binds not tighter than and, and groups with parentheses', () => {
    expect(parseFilter('not evt.type=read and evt.dir=>')).toMatchObject({ kind: 'and', children: [{ kind: 'not' }, { kind: 'compare' }] });
    expect(parseFilter('(evt.type=read or evt.type=close) and evt.dir=>')).toMatchObject({ kind: 'and', children: [{ kind: 'or' }, { kind: 'compare' }] });
  });

  it("refuses to mix 'and' and 'or' on one level, as sysdig does", () => {
    const e = fault('evt.type=read or evt.type=close and evt.dir=>');
    expect(e.message).toMatch(/'and' after 'or' \(column 15\) without parentheses is ambiguous/);
    expect(e.column).toBe(33);
  });

  it('an empty filter matches everything', () => {
    expect(compileFilter('   ', 'events')).toEqual({ where: '1', params: [] });
    expect(compileFilter(undefined, 'http')).toEqual({ where: '1', params: [] });
  });
});

describe('errors point at the place', () => {
  it('names an unknown field with its column and the closest known one', () => {
    const e = fault('container.name=edge and fd.sprot=80');
    expect(e.message).toBe("unknown field 'fd.sprot' at column 25 — did you mean fd.sport?");
    expect(e.column).toBe(25);
  });

  it('says where a field applies when it does not apply here', () => {
    expect(fault('http.status=502', 'events').message).toMatch(/'http.status' at column 1 applies to HTTP exchanges, not to syscall events/);
    expect(fault('evt.type=read', 'streams').message).toMatch(/applies to syscall events, not to streams/);
  });

  it.each([
    ['fd.num > abc', /'abc' at column 10 is not a valid number for fd.num/, 10],
    ['evt.latency > 2weeks', /not a valid number for evt.latency \(a number of ns, or with a unit/, 15],
    ['evt.failed=maybe', /evt.failed is true or false, not 'maybe' \(column 12\)/, 12],
    ['evt.num contains 3', /'contains' compares text, but evt.num is a number/, 18],
    ['proc.name=', /expected a value, found the end of the filter at column 11/, 11],
    ['proc.name', /expected an operator after proc.name, found the end of the filter/, 10],
    ['proc.name ~ x', /expected an operator after proc.name .*found '~ x'/, 11],
    ['(proc.name=a', /the '\(' at column 1 is never closed/, 13],
    ['proc.name="abc', /the double quote at column 11 is never closed/, 11],
    ['evt.type in (open close)', /expected ',' or '\)' after a value in the list, found 'close\)' at column 19/, 19],
    ['evt.type in ()', /an empty list matches nothing/, 14],
    ['evt.type=open and', /expected a condition, found the end of the filter at column 18/, 18],
    ['evt.type=open x', /expected 'and', 'or' or the end of the filter, found 'x'/, 15],
    ['evt.ar[1]=3', /unknown field 'evt.ar' at column 1/, 1],
    ['evt.arg[x-y]=3', /'x-y' at column 9 is not an argument evt.arg takes/, 9],
    ['proc.aname[abc]=sh', /'abc' at column 12 is not an argument proc.aname takes/, 12],
    ['fd.name[0]=3', /fd.name takes no argument in brackets at column 8/, 8],
  ])('%s', (expr, message, column) => {
    const e = fault(expr);
    expect(e.message).toMatch(message);
    expect(e.column).toBe(column);
  });
});

describe('user text never becomes SQL', () => {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE events (source_id INTEGER, num INTEGER, type TEXT NOT NULL, dir TEXT NOT NULL, proc TEXT, fd_name TEXT, res INTEGER, category TEXT NOT NULL DEFAULT 'X', latency INTEGER, ts INTEGER, cpu INTEGER, tid INTEGER, pid INTEGER, fd INTEGER, fd_flags INTEGER, container_id TEXT, info TEXT DEFAULT '')");
  db.exec("INSERT INTO events (source_id, num, type, dir, proc) VALUES (1, 1, 'open', '>', 'a''b'), (1, 2, 'read', '<', 'x\") OR 1=1 --')");

  it.each([
    [`proc.name="x\\") OR 1=1 --"`, [2]],
    [`proc.name="a'b"`, [1]],
    [`proc.name in ("'; DROP TABLE events; --", "a'b")`, [1]],
    [`proc.name contains "%"`, []],
    [`proc.name glob "*'*"`, [1]],
  ])('%s', (expr, nums) => {
    const f = compileFilter(expr, 'events');
    expect(f.where).not.toContain("'b");
    expect(f.where).not.toContain('DROP');
    expect(db.prepare(`SELECT num FROM events e WHERE ${f.where} ORDER BY num`).pluck().all(...f.params)).toEqual(nums);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(2);
  });
});

describe('docs/filter.md', () => {
  it('lists every field of every kind of row, with its type', async () => {
    const fs = await import('node:fs');
    const { FIELDS } = await import('../../core/filter/fields');
    const { REPO_ROOT } = await import('../helpers/paths');
    const doc = fs.readFileSync(`${REPO_ROOT}/docs/filter.md`, 'utf8');
    const sections = doc.split(/^### /m);
    const titles = { events: 'Syscall events', streams: 'Streams', http: 'HTTP exchanges' } as const;
    for (const [target, title] of Object.entries(titles)) {
      const section = sections.find((s) => s.startsWith(title));
      expect(section, title).toBeDefined();
      for (const [name, f] of Object.entries(FIELDS[target as keyof typeof titles])) expect(section).toContain(`| \`${name}\` | ${f.type}`);
    }
  });
});

describe('fields the evidence never fills', () => {
  it('names each field only a syscall capture fills, with its column, when the case has none', () => {
    expect(unfilledFieldNotes('fd.sport=80 and not container.name=edge', 'streams', ['packets'])).toEqual([
      'container.name at column 21 is only known from syscall captures; this case has none, so it is never set here',
    ]);
    expect(unfilledFieldNotes('proc=haproxy', 'http', ['packets'])).toEqual(['proc at column 1 is only known from syscall captures; this case has none, so it is never set here']);
    expect(unfilledFieldNotes('proc.name=haproxy', 'streams', ['syscalls', 'packets'])).toEqual([]);
    expect(unfilledFieldNotes('fd.sport=80', 'streams', ['packets'])).toEqual([]);
  });
});
