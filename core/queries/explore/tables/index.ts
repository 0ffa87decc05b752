// The tables, by id.
import type { TableId } from '../../../api/explore';
import { containersTable } from './containers';
import { errorsTable, eventsTable } from './events';
import type { TableDef } from './kit';
import { processesTable, threadsTable } from './processes';
import { connectionsTable, directoriesTable, filesTable } from './streams';

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
