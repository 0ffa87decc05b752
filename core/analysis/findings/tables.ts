// The findings: what the analyses conclude, each with the evidence that shows it.

import type { TableDeclaration } from '../../index/schema/declaration';

const findings: TableDeclaration = {
  name: 'findings',
  columns: [
    ['id', 'INTEGER PRIMARY KEY', 'in the order they were found'],
    ['kind', 'TEXT NOT NULL', "'proxy-error', 'request-rejected', ..."],
    ['severity', 'TEXT NOT NULL', 'info, warning, error'],
    ['title', 'TEXT NOT NULL', 'one line'],
    ['explanation', 'TEXT NOT NULL', 'what it means, in words'],
    ['cause', 'TEXT', 'machine-readable cause, per kind'],
    ['exchange_id', 'INTEGER REFERENCES http_exchanges (id) ON DELETE CASCADE', 'the exchange it is about, if one'],
    ['evidence', 'TEXT NOT NULL', 'JSON [{stream, dir, offset, length, excerpt}]'],
    ['heap_object', 'TEXT', 'JSON {sourceId, objectId}: the heap dump object it is about (a leak suspect); null for none'],
  ],
};

export const FINDINGS_TABLES: readonly TableDeclaration[] = [findings];
