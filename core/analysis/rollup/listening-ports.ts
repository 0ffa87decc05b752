// The listening-ports tile: a count with no time line (the fd table has no times). Stored with the
// rollup by the ingest (store.ts): counting it scans the fds table.

import type Database from 'better-sqlite3';
import { hasEvents } from './event-sources';

/** Distinct listening sockets: syscall captures' server fds, plus network captures' server ports that answered a SYN. */
export function countListeningPorts(db: Database.Database): number {
  let n = 0;
  if (hasEvents(db)) {
    n += db.prepare("SELECT COUNT(DISTINCT name) FROM fds WHERE type IN ('ipv4-server', 'ipv6-server')").pluck().get() as number;
  }
  // Network captures: server ports that answered a SYN (a SYN-ACK was seen).
  n += db
    .prepare("SELECT COUNT(DISTINCT server_addr || ' ' || server_port) FROM streams WHERE pid IS NULL AND l4proto = 'tcp' AND client_guessed = 0 AND state NOT IN ('syn', 'midstream')")
    .pluck()
    .get() as number;
  return n;
}
