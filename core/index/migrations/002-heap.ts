// Schema version 2: Java heap dumps (HPROF). The object graph itself is not stored — millions of
// rows nobody reads one by one; what is stored is what the UI and the report show: the classes,
// and per size model (docs/heap.md) the summary, the class histogram, the objects with the largest
// retained sizes, leak suspects, duplicate strings and threads. JSON columns hold small nested
// lists (a path from a GC root, a stack trace).

export const heapMigration = `
  -- One row per heap dump and size model ('jvm': the VM's own object sizes; 'visualvm': VisualVM's).
  CREATE TABLE heap_summary (
    source_id           INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model               TEXT NOT NULL CHECK (model IN ('jvm', 'visualvm')),
    format              TEXT NOT NULL,          -- "JAVA PROFILE 1.0.2"
    id_size             INTEGER NOT NULL,
    taken_at            TEXT NOT NULL,          -- the header's timestamp, ISO 8601
    vm                  TEXT NOT NULL CHECK (vm IN ('hotspot', 'art')),
    layout              TEXT NOT NULL,          -- the object layout inferred, and why
    model_description   TEXT NOT NULL,
    objects             INTEGER NOT NULL,       -- histogram instances in all
    classes             INTEGER NOT NULL,       -- classes dumped
    shallow_bytes       INTEGER NOT NULL,
    gc_roots            INTEGER NOT NULL,       -- GC root records
    gc_root_objects     INTEGER NOT NULL,       -- distinct objects they name
    heap_bytes          INTEGER NOT NULL,       -- reachable objects' shallow bytes: the base of percentages
    unreachable_objects INTEGER NOT NULL,
    unreachable_bytes   INTEGER NOT NULL,
    unreachable_policy  TEXT NOT NULL,
    complete            INTEGER NOT NULL,       -- 0 when the dump was cut short
    analysis_ms         REAL NOT NULL,
    PRIMARY KEY (source_id, model)
  ) STRICT;

  -- Every class the dump names (model-independent).
  CREATE TABLE heap_classes (
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    class_index   INTEGER NOT NULL,
    class_id      TEXT NOT NULL,                -- the class object's id, "0x…"
    name          TEXT NOT NULL,
    super_id      TEXT,                         -- NULL for java.lang.Object
    loader_id     TEXT,                         -- NULL for the boot loader
    dumped        INTEGER NOT NULL,             -- 0: only named (LOAD CLASS) or referenced
    instance_fields INTEGER NOT NULL,
    static_fields INTEGER NOT NULL,
    PRIMARY KEY (source_id, class_index)
  ) STRICT;

  CREATE TABLE heap_histogram (
    source_id      INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model          TEXT NOT NULL,
    rank           INTEGER NOT NULL,            -- by shallow bytes, largest first
    class          TEXT NOT NULL,
    class_id       TEXT NOT NULL,
    instances      INTEGER NOT NULL,
    shallow_bytes  INTEGER NOT NULL,
    retained_bytes INTEGER NOT NULL,
    PRIMARY KEY (source_id, model, rank)
  ) STRICT;

  -- The objects with the largest retained sizes (top of the dominator tree's weight), with the
  -- shortest path from a GC root.
  CREATE TABLE heap_dominators (
    source_id      INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model          TEXT NOT NULL,
    rank           INTEGER NOT NULL,
    object_id      TEXT NOT NULL,
    class          TEXT NOT NULL,
    class_of       TEXT,                        -- for a class object: the class it stands for
    shallow_bytes  INTEGER NOT NULL,
    retained_bytes INTEGER NOT NULL,
    gc_root        INTEGER NOT NULL,
    path           TEXT NOT NULL,               -- JSON: [{objectId, class}] root first, or {elided: n}
    PRIMARY KEY (source_id, model, rank)
  ) STRICT;

  CREATE TABLE heap_suspects (
    source_id      INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model          TEXT NOT NULL,
    rank           INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('object', 'class')),
    title          TEXT NOT NULL,
    object_id      TEXT NOT NULL,
    class          TEXT NOT NULL,
    instances      INTEGER NOT NULL,
    retained_bytes INTEGER NOT NULL,
    percent        REAL NOT NULL,
    accumulation   TEXT NOT NULL,               -- JSON: {objectId, class, retainedBytes, path}
    PRIMARY KEY (source_id, model, rank)
  ) STRICT;

  CREATE TABLE heap_duplicate_strings (
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model        TEXT NOT NULL,
    rank         INTEGER NOT NULL,              -- by wasted bytes
    value        TEXT NOT NULL,                 -- at most 120 characters, "…" when cut
    count        INTEGER NOT NULL,
    wasted_bytes INTEGER NOT NULL,
    length       INTEGER NOT NULL,              -- of the value, in characters
    arrays       INTEGER NOT NULL,              -- distinct value arrays behind the copies
    object_id    TEXT NOT NULL,                 -- one of the copies
    PRIMARY KEY (source_id, model, rank)
  ) STRICT;

  CREATE TABLE heap_threads (
    source_id             INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    model                 TEXT NOT NULL,
    rank                  INTEGER NOT NULL,     -- in the dump's order
    thread_serial         INTEGER NOT NULL,
    object_id             TEXT NOT NULL,
    name                  TEXT,
    stack                 TEXT NOT NULL,        -- JSON: [{frame, class, method, sourceFile, line, locals}]
    retained_bytes        INTEGER NOT NULL,
    locals_retained_bytes INTEGER NOT NULL,
    PRIMARY KEY (source_id, model, rank)
  ) STRICT;
`;
