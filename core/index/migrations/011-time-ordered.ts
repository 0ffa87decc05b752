// Schema version 11: whether a syscall capture's events are in time order (each no earlier than the
// one before it), as libscap writes them. A brushed time range is then a range of event numbers:
// the events page walks it by the primary key (core/queries/event-page.ts).

export const timeOrderedMigration = `
  ALTER TABLE machine ADD COLUMN time_ordered INTEGER;  -- 1 yes, 0 no, NULL: written before version 11
`;
