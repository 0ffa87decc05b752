// The tables' actions on the read side (issue 22): every column that says which filter field its
// cells equal is held to it (the cell applied as a filter keeps its row, excluded drops it), and
// table.export gives every row in scope, not a page, as CSV and as JSON.

import Database from 'better-sqlite3';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cellClause } from '../../common/filter-clause';
import { TABLE_IDS } from '../../core/domain/tables/contract';
import { runIngest } from '../../core/ingest/pipeline';
import { corpus, scratchDir } from '../helpers/paths';
import { exploreApiOver } from '../helpers/explore-api';
import { openIndexDb } from '../helpers/index-db';

const dbs = new Map<string, Database.Database>();
const api = exploreApiOver(dbs);

beforeAll(async () => {
  const dir = scratchDir('table-export');
  for (const [id, file] of [['curl', corpus('scap', 'curl_google.scap')], ['haproxy', corpus('pcap', 'haproxy-502.pcap')]] as const) {
    const dbPath = path.join(dir, `${id}.sqlite`);
    expect((await runIngest({ file, dbPath })).state).toBe('done');
    dbs.set(id, openIndexDb(dbPath, { readonly: true }));
  }
});

describe('a cell as a filter', () => {
  it('keeps its row when applied and drops it when excluded, for every column that names its field', async () => {
    let checked = 0;
    for (const table of TABLE_IDS) {
      const page = await api['table.page']({ caseId: 'curl', table, scope: {}, limit: 5 });
      for (const [c, column] of page.columns.entries()) {
        if (!column.field) continue;
        const row = page.rows.find((r) => r.cells[c] !== null);
        if (!row) continue;
        const value = row.cells[c]!;
        const kept = await api['table.page']({ caseId: 'curl', table, scope: { filter: cellClause(column.field, value, false) }, limit: 1000 });
        expect(kept.rows.length, `${table}.${column.id} = ${value}`).toBeGreaterThan(0);
        const dropped = await api['table.page']({ caseId: 'curl', table, scope: { filter: cellClause(column.field, value, true) }, limit: 1000 });
        if (table === 'events' || table === 'errors') {
          // Rows are the filtered events (or their groups): every kept row has the value, no dropped row does.
          for (const r of kept.rows) expect(r.cells[c], `${table}.${column.id}`).toEqual(value);
          for (const r of dropped.rows) expect(r.cells[c], `${table}.${column.id}`).not.toEqual(value);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });
});

describe('table.export', () => {
  it('gives every row in scope as CSV, however many pages they take', async () => {
    const all = await api['table.page']({ caseId: 'curl', table: 'events', scope: {}, limit: 1 });
    expect(all.total).toBeGreaterThan(1000);
    const csv = await api['table.export']({ caseId: 'curl', table: 'events', scope: {}, columns: ['num', 'time', 'type', 'info'], format: 'csv' });
    expect(csv.rows).toBe(all.total);
    expect(csv.fileName).toBe('events.csv');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Num,Time,Type,Arguments');
    const first = await api['table.page']({ caseId: 'curl', table: 'events', scope: {}, limit: 1 });
    const [num, time] = first.rows[0]!.cells;
    expect(lines[1]).toMatch(new RegExp(`^${num},\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.${String(time).slice(-9)}Z,`));
    // A record per row: a field with a comma or a quote is quoted, its quotes doubled.
    expect(lines.length).toBeGreaterThanOrEqual(all.total + 1);
  });

  it('gives the rows of the scope as JSON, the columns asked in their order, times as the API gives them', async () => {
    const filter = 'evt.type=connect';
    const page = await api['table.page']({ caseId: 'curl', table: 'events', scope: { filter }, limit: 1000 });
    const json = await api['table.export']({ caseId: 'curl', table: 'events', scope: { filter }, columns: ['pid', 'time'], format: 'json' });
    const parsed = JSON.parse(json.text) as { columns: { id: string }[]; rows: Record<string, unknown>[] };
    expect(parsed.columns.map((c) => c.id)).toEqual(['pid', 'time']);
    expect(parsed.rows).toEqual(page.rows.map((r) => ({ pid: r.cells[page.columns.findIndex((c) => c.id === 'pid')], time: r.cells[page.columns.findIndex((c) => c.id === 'time')] })));
    expect(json.rows).toBe(page.total);
  });

  it('refuses a column the table does not have, naming those it has', async () => {
    await expect(api['table.export']({ caseId: 'haproxy', table: 'connections', scope: {}, columns: ['pid'], format: 'csv' })).rejects.toThrow(/no column 'pid'; columns: id, tuple, proto/);
  });
});

describe('http.export', () => {
  it('gives every exchange in scope, in the order asked, as CSV and JSON', async () => {
    const scope = { filter: 'http.status=502' };
    const page = await api['http.exchanges']({ caseId: 'haproxy', scope, sort: { column: 'latency', desc: true }, limit: 200, offset: 0 });
    expect(page.total).toBe(49);
    const json = await api['http.export']({ caseId: 'haproxy', scope, sort: { column: 'latency', desc: true }, format: 'json' });
    const parsed = JSON.parse(json.text) as { rows: { id: number; status: number; time: string; stream: number }[] };
    expect(parsed.rows.map((r) => r.id)).toEqual(page.rows.map((r) => r.id));
    expect(parsed.rows.every((r) => r.status === 502)).toBe(true);
    expect(parsed.rows[0]!.time).toBe(page.rows[0]!.reqTs);
    const csv = await api['http.export']({ caseId: 'haproxy', scope: {}, format: 'csv' });
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('Exchange,Time,Method,Host,Target,Status,Reason,Latency (ns),Client,Server,Container,Process,Request bytes,Response bytes,Diagnostics,Stream');
    expect(lines).toHaveLength(170 + 1);
    expect(csv.fileName).toBe('http-exchanges.csv');
  });
});

