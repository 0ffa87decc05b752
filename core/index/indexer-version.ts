// The version of what fills the index: its table declarations and the code that parses evidence
// into them. The index is a cache of the evidence, so a change to either is not migrated: an index
// of another version is rebuilt from the evidence (prepare-schema.ts, core/app/create-core.ts).

/**
 * Bump when a table declaration changes or parsing or ingest changes what ends up in the tables.
 * It is also the index's PRAGMA user_version, which capscopes before 13 counted their schema
 * migrations in (up to 12): going on from there, their indexes read as older, not newer.
 */
export const INDEXER_VERSION = 25;
