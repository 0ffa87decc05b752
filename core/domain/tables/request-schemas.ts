// The tables domain's requests as schemas, held to ./contract.ts by requestSchemas().

import { z } from 'zod';
import { caseIdField, oneOf, requestSchemas, viewScope, wholeNumber } from '../request-checks/request-schema';
import type { FilterTargetName, TableExportFormat, TableId, TableMethods } from './contract';

const TABLES: Record<TableId, true> = { containers: true, processes: true, threads: true, connections: true, files: true, directories: true, errors: true, events: true };
const FILTER_TARGETS: Record<FilterTargetName, true> = { events: true, streams: true, http: true };
const EXPORT_FORMATS: Record<TableExportFormat, true> = { csv: true, json: true };

/** A whole number that may be negative (a system call's result: -2 is ENOENT). */
const integer = z.number().int();

const drill = z.object({
  containerId: z.string().optional(),
  pid: wholeNumber(0).optional(),
  tid: wholeNumber(0).optional(),
  directory: z.string().optional(),
  syscall: z.string().optional(),
  res: integer.optional(),
});

export const TABLE_REQUESTS = requestSchemas<TableMethods>()({
  'table.page': z.object({
    caseId: caseIdField,
    table: oneOf(TABLES),
    scope: viewScope,
    drill: drill.optional(),
    sort: z.object({ column: z.string(), desc: z.boolean() }).nullable().optional(),
    offset: wholeNumber(0).optional(),
    limit: wholeNumber(1).optional(),
    metadata: z.boolean().optional(),
  }),
  'table.export': z.object({
    caseId: caseIdField,
    table: oneOf(TABLES),
    scope: viewScope,
    drill: drill.optional(),
    sort: z.object({ column: z.string(), desc: z.boolean() }).nullable().optional(),
    columns: z.array(z.string()).optional(),
    format: oneOf(EXPORT_FORMATS),
  }),
  'filter.check': z.object({ expr: z.string(), target: oneOf(FILTER_TARGETS), caseId: caseIdField.optional() }),
});
