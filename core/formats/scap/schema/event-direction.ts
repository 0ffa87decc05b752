// SQL for an event's direction in queries that scan many events. An event is an exit when its ppm
// event number is odd, which is how the events table derives its `dir` column (events.ts); reading `dir` computes
// that expression and compares text each time, which made the overview rollup's pass over every
// event 15 % slower than testing the number (docs/benchmarks.md). `e` is the events table's alias.

export const EXIT_EVENT = '(e.event_type & 1) = 1';

/** An exit event whose call failed (a negative result: -errno). */
export const FAILED_CALL = `${EXIT_EVENT} AND e.res < 0`;
