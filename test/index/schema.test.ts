// The index's schema as the registries compose it: each table declared once, by one owner, and
// each analysis reading only what the formats or the analyses before it fill.

import { describe, expect, it } from 'vitest';
import { caseTables } from '../../core/index/schema/case-tables';
import { STREAM_TABLES } from '../../core/index/schema/stream-tables';
import { ANALYSES } from '../../core/registry/analyses';
import { FORMATS } from '../../core/registry/formats';
import { INDEX_SCHEMA } from '../../core/registry/schema';

const names = (tables: readonly { name: string }[]) => tables.map((t) => t.name);

describe('the index schema', () => {
  it('declares each table, index and view once', () => {
    const objects = INDEX_SCHEMA.flatMap((t) => [t.name, ...names(t.indexes ?? []), ...names(t.views ?? [])]);
    expect(objects.filter((name, i) => objects.indexOf(name) !== i)).toEqual([]);
  });

  it('says on one line what each column holds', () => {
    for (const table of INDEX_SCHEMA) {
      for (const [column, , holds] of table.columns) expect(holds, `${table.name}.${column}`).toMatch(/^[^\n]+$/);
    }
  });

  it('lets sources hold exactly the names the registered formats give entries', () => {
    const sources = caseTables(['a', "b'c"]).find((t) => t.name === 'sources')!;
    expect(sources.columns.find(([name]) => name === 'format')![1]).toContain("CHECK (format IN ('a', 'b''c'))");
    const registered = INDEX_SCHEMA.find((t) => t.name === 'sources')!.columns.find(([name]) => name === 'format')![1];
    for (const name of FORMATS.flatMap((f) => f.names)) expect(registered).toContain(`'${name}'`);
  });

  it('runs each analysis after whatever fills the tables it reads, and has it write only declared tables', () => {
    const filled = new Set(names([...caseTables([]), ...STREAM_TABLES, ...FORMATS.flatMap((f) => f.tables)]));
    const declared = new Set(names(INDEX_SCHEMA));
    for (const analysis of ANALYSES) {
      for (const table of analysis.reads) expect(filled.has(table), `${analysis.name} reads ${table}`).toBe(true);
      for (const table of analysis.writes) expect(declared.has(table), `${analysis.name} writes ${table}`).toBe(true);
      for (const table of names(analysis.tables)) expect(analysis.writes, `${analysis.name} owns ${table}`).toContain(table);
      for (const table of analysis.writes) filled.add(table);
    }
  });
});
