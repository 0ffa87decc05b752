// How a table of the index is declared: once, where a reader looks for it (the case's own tables
// here, a format's in its folder, an analysis's beside its code), with a line per column saying
// what it holds and its indexes beside it. The index is a cache of the evidence, rebuilt when
// INDEXER_VERSION changes, so a declaration is the table as it is, never a step in a history.

/** One column: its name, its SQL type and constraints, and what it holds (for people). */
export type ColumnDeclaration = readonly [name: string, type: string, holds: string];

export interface IndexDeclaration {
  name: string;
  /** The indexed columns, "pid, fd, num". */
  columns: string;
  /** For a partial index: the rows it keeps. */
  where?: string;
}

export interface TableDeclaration {
  name: string;
  columns: readonly ColumnDeclaration[];
  /** Constraints over several columns, after the columns: "PRIMARY KEY (source_id, num)". */
  constraints?: readonly string[];
  /** Keyed by its primary key alone (rows arrive in key order, or the key is all it is read by). */
  withoutRowid?: boolean;
  indexes?: readonly IndexDeclaration[];
  /** Views over this table, created after it: name and SELECT. */
  views?: readonly ViewDeclaration[];
  /**
   * Stored in a column_blocks virtual table named `store` (core/index/native/column-blocks.c),
   * whose column types are "INTEGER|TEXT [KEY|SEQUENCE|RANGE|SET]"; the table's name is a view
   * over it, in which a column typed "AS (expression)" is computed rather than stored. Rows are
   * inserted into the store.
   */
  columnBlocks?: { store: string };
}

export interface ViewDeclaration {
  name: string;
  select: string;
}

/** A column of a columnBlocks table that the view computes. */
const DERIVED = /^AS \((.*)\)$/s;

/** CREATE VIRTUAL TABLE for the store of a columnBlocks table, and the view named as the table. */
function columnBlocksSql(table: TableDeclaration, store: string): string[] {
  const stored = table.columns.filter(([, type]) => !DERIVED.test(type));
  const view = table.columns.map(([name, type]) => {
    const derived = DERIVED.exec(type);
    return derived ? `${derived[1]} AS ${name}` : name;
  });
  return [
    `CREATE VIRTUAL TABLE ${store} USING column_blocks(${stored.map(([name, type]) => `${name} ${type}`).join(', ')})`,
    `CREATE VIEW ${table.name} AS SELECT ${view.join(', ')} FROM ${store}`,
  ];
}

/** CREATE TABLE for a declaration; the comments go along, so that `.schema` shows them too. */
export function createTableSql(table: TableDeclaration): string {
  const lines = [
    ...table.columns.map(([name, type, holds]) => ({ text: `${name} ${type}`, holds })),
    ...(table.constraints ?? []).map((text) => ({ text, holds: '' })),
  ];
  const body = lines.map((line, i) => `  ${line.text}${i < lines.length - 1 ? ',' : ''}${line.holds ? ` -- ${line.holds}` : ''}`).join('\n');
  return `CREATE TABLE ${table.name} (\n${body}\n) STRICT${table.withoutRowid ? ', WITHOUT ROWID' : ''}`;
}

/** CREATE INDEX for one of a table's indexes; `ifNotExists` for a writer that rebuilds it. */
export function createIndexSql(table: string, index: IndexDeclaration, options: { ifNotExists?: boolean } = {}): string {
  const where = index.where ? ` WHERE ${index.where}` : '';
  return `CREATE INDEX ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${index.name} ON ${table} (${index.columns})${where}`;
}

/** Every statement that makes the declared tables, their indexes and views in an empty database. */
export function createStatements(tables: readonly TableDeclaration[]): string[] {
  return tables.flatMap((t) => [
    ...(t.columnBlocks ? columnBlocksSql(t, t.columnBlocks.store) : [createTableSql(t)]),
    ...(t.indexes ?? []).map((i) => createIndexSql(t.name, i)),
    ...(t.views ?? []).map((v) => `CREATE VIEW ${v.name} AS ${v.select}`),
  ]);
}
