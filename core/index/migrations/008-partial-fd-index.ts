// Schema version 8: events_by_fd keeps only the events that have an fd (see
// core/index/event-view-indexes.ts). Three quarters of its entries were never read, and building
// it was the longest of the five index builds at the end of a syscall capture's ingest.

export const partialFdIndexMigration = `
  DROP INDEX IF EXISTS events_by_fd;
  CREATE INDEX events_by_fd ON events (pid, fd, num) WHERE fd IS NOT NULL;
`;
