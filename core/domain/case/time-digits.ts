// How many fraction digits a capture's times carry: a pcap with microsecond timestamps (the
// common one) is shown with 6, as tcpdump and Wireshark show it, not with three zeros behind;
// nanosecond captures (sysdig, a pcap of nanosecond resolution) with 9.

import type Database from 'better-sqlite3';

/** Timestamps sampled: a capture's resolution shows in its first few thousand. */
const SAMPLE = 5000;

export function timeDigits(db: Database.Database): 6 | 9 {
  // Any sampled time that is not a whole microsecond makes the capture a nanosecond one.
  const finer = (table: string) =>
    db.prepare(`SELECT EXISTS (SELECT 1 FROM (SELECT ts FROM ${table} LIMIT ${SAMPLE}) WHERE ts % 1000 <> 0)`).pluck().get() === 1;
  return finer('chunks') || finer('events') ? 9 : 6;
}
