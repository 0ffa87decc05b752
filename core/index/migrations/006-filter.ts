// Schema version 6: what the filter language needs beyond 004-scap. Each event keeps the kind of
// fd it was about (sysdig evaluates fd.type, fd.l4proto, fd.is_server... on the fd as it was at
// that event), and the capture's user and group lists name uids (user.name).

export const filterMigration = `
  -- NULL when the event had no fd libsinsp knew; else core/scap/fd-flags.ts's packing of the fd's
  -- type, layer-4 protocol and role.
  ALTER TABLE events ADD COLUMN fd_flags INTEGER;

  CREATE TABLE users (
    source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('user', 'group')),
    id        INTEGER NOT NULL,          -- uid or gid
    gid       INTEGER,                   -- a user's primary group
    name      TEXT NOT NULL,
    home      TEXT,
    shell     TEXT,
    PRIMARY KEY (source_id, kind, id)
  ) STRICT;
`;
