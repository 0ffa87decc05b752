// A value bound to an SQL parameter: what better-sqlite3 binds (strings, numbers, bigints, blobs).

export type SqlParam = string | number | bigint | Buffer;
