// Schema version 10: the listening-ports tile's count stored with the rollup (counting it scans the
// fds table: a fifth of a second on the 1 GiB syscall index, on the first overview).

export const listeningPortsMigration = `
  ALTER TABLE rollup ADD COLUMN listening_ports INTEGER;  -- NULL: not stored (a rollup written before)
`;
