// The indexes the event views use. The scap ingester drops four of them while it loads a capture's
// events and builds them again at its end: one sort per index costs far less than keeping four
// B-trees up to date row by row. events_by_time it keeps: libscap writes events in time order, so
// each entry lands at the index's end (on the 1 GiB benchmark capture that cost less than its sort,
// docs/benchmarks.md), and the overview rollup, which needs only it, is computed while the others
// build (core/scap/scap-index-writer.ts).

export const EVENT_TIME_INDEX_NAME = 'events_by_time';
export const EVENT_TIME_INDEX = `CREATE INDEX IF NOT EXISTS ${EVENT_TIME_INDEX_NAME} ON events (ts);`;

// events_by_fd holds only the events that have an fd (a quarter of them in a typical capture):
// every query that reads it asks for one fd (`fd = ?`), which SQLite knows implies the condition.
export const EVENT_OTHER_VIEW_INDEXES = `
  CREATE INDEX IF NOT EXISTS events_by_container ON events (container_id, ts);
  CREATE INDEX IF NOT EXISTS events_by_process ON events (pid, ts);
  CREATE INDEX IF NOT EXISTS events_by_fd ON events (pid, fd, num) WHERE fd IS NOT NULL;
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, ts);
`;

export const EVENT_VIEW_INDEX_NAMES = ['events_by_time', 'events_by_container', 'events_by_process', 'events_by_fd', 'events_by_type'];
