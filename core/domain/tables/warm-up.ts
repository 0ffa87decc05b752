// What the exploring views keep in memory per state of the index, loaded in the background as soon
// as a case is shown, so that the first page of each table answers at once instead of paying for
// the load (on the 1 GiB syscall index: 1.7 s for the file streams of the directories table, 0.3 s
// for the connections). The loads run in slices with the event loop's turn between them: a view
// asked for meanwhile answers, and a table that needs a load still running waits for it instead of
// starting its own.

import type Database from 'better-sqlite3';
import { prepareErrorGroups } from './error-groups';
import { currentRollup } from '../state-cache/rollup';
import { prepareHeldConnections } from './connection-list';
import { prepareHeldFiles } from './file-groups';
import { durations } from './stream-window';

const warmed = new WeakMap<Database.Database, string>();

/** Starts the loads for the index as it is now, once per state of it (not while an ingest writes it). */
export function warmUp(db: Database.Database): void {
  const rollup = currentRollup(db);
  if (!rollup || rollup.ingesting || warmed.get(db) === rollup.version) return;
  warmed.set(db, rollup.version);
  void (async () => {
    // After the request that started it has answered.
    await new Promise((resolve) => setImmediate(resolve));
    await prepareErrorGroups(db);
    await prepareHeldConnections(db);
    await prepareHeldFiles(db);
    await new Promise((resolve) => setImmediate(resolve));
    if (db.open) durations(db);
  })().catch(() => {
    // A load that fails is done again, and reported, by the table that needs it.
  });
}
