// The tables, by id.
import type { TableId } from './contract';
import { containersTable } from './containers';
import { errorsTable, eventsTable } from './events';
import type { TableDef } from './table-def';
import { processesTable, threadsTable } from './processes';
import { connectionsTable, directoriesTable, filesTable } from './stream-tables';

export const TABLES: Record<TableId, TableDef> = {
  containers: containersTable,
  processes: processesTable,
  threads: threadsTable,
  connections: connectionsTable,
  files: filesTable,
  directories: directoriesTable,
  errors: errorsTable,
  events: eventsTable,
};
