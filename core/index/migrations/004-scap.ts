// The tables of syscall captures (scap): the machine, processes and threads, containers, fds and
// every event, as libsinsp's state tracking sees them. Their I/O goes to the shared streams and
// chunks tables (003-streams). Timestamps are INTEGER ns since the epoch (read with safeIntegers()).

// The event view indexes as this version created them; their current form is in
// core/index/event-view-indexes.ts (008 made events_by_fd partial).
const EVENT_VIEW_INDEXES_V4 = `
  CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
  CREATE INDEX IF NOT EXISTS events_by_container ON events (container_id, ts);
  CREATE INDEX IF NOT EXISTS events_by_process ON events (pid, ts);
  CREATE INDEX IF NOT EXISTS events_by_fd ON events (pid, fd, num);
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, ts);
`;

export const scapMigration = `
  CREATE TABLE machine (
    source_id     INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    hostname      TEXT,
    num_cpus      INTEGER,
    memory_bytes  INTEGER,
    boot_ts       INTEGER,                   -- ns since the epoch, when the capture says
    format        TEXT NOT NULL,             -- 'scap 1.2, little-endian'
    first_ts      INTEGER,
    last_ts       INTEGER,
    event_count   INTEGER NOT NULL DEFAULT 0
  ) STRICT;

  -- One row per container seen (from cgroups, and named by the capture's container metadata).
  CREATE TABLE containers (
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,               -- 12-hex id as sysdig shows it, or 'host'
    name        TEXT,
    image       TEXT,
    type        TEXT,                        -- docker, containerd, cri-o, podman, ...
    labels      TEXT NOT NULL DEFAULT '{}',  -- JSON object
    pod_uid     TEXT,
    pod_name    TEXT,
    namespace   TEXT,
    privileged  INTEGER,
    origin      TEXT NOT NULL,               -- 'metadata' | 'cgroup' | 'host'
    PRIMARY KEY (source_id, id)
  ) STRICT;

  -- One row per thread lifetime (a tid can be reused), in its last known state.
  CREATE TABLE threads (
    id           INTEGER PRIMARY KEY,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    tid          INTEGER NOT NULL,
    pid          INTEGER NOT NULL,
    ptid         INTEGER,
    comm         TEXT,
    exe          TEXT,
    args         TEXT NOT NULL DEFAULT '[]',  -- JSON array
    cwd          TEXT,
    uid          INTEGER,
    gid          INTEGER,
    vtid         INTEGER,
    vpid         INTEGER,
    cgroups      TEXT NOT NULL DEFAULT '[]',  -- JSON array of "subsystem=path"
    container_id TEXT NOT NULL,
    exited       INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX threads_by_tid ON threads (source_id, tid);
  CREATE INDEX threads_by_pid ON threads (source_id, pid);

  -- Processes: the main threads (tid = pid).
  CREATE VIEW processes AS
    SELECT id, source_id, pid, ptid, comm, exe, args, cwd, uid, gid, container_id, exited FROM threads WHERE tid = pid;

  -- One row per fd lifetime per process.
  CREATE TABLE fds (
    id          INTEGER PRIMARY KEY,
    source_id   INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    pid         INTEGER NOT NULL,
    fd          INTEGER NOT NULL,
    type        TEXT NOT NULL,               -- file, directory, ipv4, ipv6, unix, pipe, event, ...
    name        TEXT NOT NULL,               -- as sysdig prints fd.name
    l4proto     TEXT,
    role        TEXT,                        -- 'client' | 'server' for sockets
    container_id TEXT,
    stream_id   INTEGER,                     -- streams.id when the fd carried I/O
    closed_ts   INTEGER                      -- NULL if still open at the end of the capture
  ) STRICT;
  CREATE INDEX fds_by_process ON fds (source_id, pid, fd);

  -- Every event of the capture.
  -- Keyed by (source, number): rows arrive in key order, so the table is its own num index.
  CREATE TABLE events (
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    num          INTEGER NOT NULL,           -- 1-based, as sysdig's evt.num
    ts           INTEGER NOT NULL,           -- ns since the epoch
    cpu          INTEGER NOT NULL,
    tid          INTEGER NOT NULL,
    pid          INTEGER,
    proc         TEXT,                       -- NULL: sysdig's <NA>
    dir          TEXT NOT NULL CHECK (dir IN ('>', '<')),
    type         TEXT NOT NULL,              -- the syscall name for generic events
    event_type   INTEGER NOT NULL,           -- the ppm event number
    category     TEXT NOT NULL,
    fd           INTEGER,
    fd_name      TEXT,                       -- NULL: sysdig's <NA>
    res          INTEGER,                    -- exit events: the result (negative: -errno)
    latency      INTEGER,                    -- exit events paired with their enter: ns
    container_id TEXT,                       -- NULL when the event has no thread
    info         TEXT NOT NULL,
    file_offset  INTEGER NOT NULL,           -- of the event's block in the uncompressed source
    PRIMARY KEY (source_id, num)
  ) STRICT, WITHOUT ROWID;
  ${EVENT_VIEW_INDEXES_V4}`;
