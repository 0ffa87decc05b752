// The index's whole schema: the case's own tables and the shared streams and chunks, then every
// registered format's tables and every registered analysis's. The index plumbing knows no format
// or analysis; CaseIndex.open is handed this.

import { caseTables } from '../index/schema/case-tables';
import type { TableDeclaration } from '../index/schema/declaration';
import { STREAM_TABLES } from '../index/schema/stream-tables';
import { ANALYSES } from './analyses';
import { FORMATS } from './formats';

export const INDEX_SCHEMA: readonly TableDeclaration[] = [
  ...caseTables(FORMATS.flatMap((f) => f.names)),
  ...STREAM_TABLES,
  ...FORMATS.flatMap((f) => f.tables),
  ...ANALYSES.flatMap((a) => a.tables),
];
