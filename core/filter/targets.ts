// What a filter can narrow, and the alias its compiled SQL uses for that table.

export type FilterTarget = 'events' | 'streams' | 'http';

export const TARGET_TABLES: Readonly<Record<FilterTarget, { table: string; alias: string; what: string }>> = {
  events: { table: 'events', alias: 'e', what: 'syscall events' },
  streams: { table: 'streams', alias: 's', what: 'streams (connections and fds)' },
  http: { table: 'http_exchanges', alias: 'x', what: 'HTTP exchanges' },
};
