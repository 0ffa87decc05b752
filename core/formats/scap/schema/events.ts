// Every event of a syscall capture. Timestamps are INTEGER ns since the epoch (read with
// safeIntegers()).
//
// Stored column by column in blocks of up to 8,192 events (the column_blocks virtual table,
// core/index/native/column-blocks.c), compressed, each block with a zone map: 30 to 40 bytes an
// event instead of the 230 a row and five B-tree indexes took, and nothing to build after the
// load. `events` is a view over the store that adds `dir`; queries read the view, the scap writer
// inserts into the store. The roles say how queries find blocks: KEY and SEQUENCE (a capture's
// events in number order, consumed as ORDER BY source_id, num in either direction), RANGE (the
// block's first and last time), SET (a Bloom filter of the block's values: what the views drill by).

import type { TableDeclaration } from '../../../index/schema/declaration';

export const EVENTS_TABLE: TableDeclaration = {
  name: 'events',
  columnBlocks: { store: 'event_store' },
  columns: [
    ['source_id', 'INTEGER KEY', 'the capture (sources.id)'],
    ['num', 'INTEGER SEQUENCE', "1-based, as sysdig's evt.num"],
    ['ts', 'INTEGER RANGE', 'ns since the epoch'],
    ['pid', 'INTEGER SET', "the thread's process"],
    ['container_id', 'TEXT SET', 'NULL when the event has no thread'],
    ['type', 'TEXT SET', 'the syscall name for generic events'],
    ['fd', 'INTEGER SET', 'the fd it is about'],
    ['cpu', 'INTEGER', 'the CPU it ran on'],
    ['tid', 'INTEGER SET', 'the thread'],
    ['event_type', 'INTEGER', 'the ppm event number'],
    // Derived, not stored: even ppm event numbers are enters (the event table defines direction
    // so, core/formats/scap/parser/event-table.ts). Queries over many events test the number
    // instead (schema/event-direction.ts).
    ['dir', "AS (CASE event_type & 1 WHEN 0 THEN '>' ELSE '<' END)", "'>' enter, '<' exit"],
    ['res', 'INTEGER', 'exit events: the result (negative: -errno)'],
    ['latency', 'INTEGER', 'exit events paired with their enter: ns'],
    ['proc', 'TEXT', "NULL: sysdig's <NA>"],
    ['fd_name', 'TEXT', "NULL: sysdig's <NA>"],
    ['fd_flags', 'INTEGER', "the fd's type, layer-4 protocol and role at that event (core/formats/scap/parser/fd-flags.ts); NULL without one"],
    ['category', 'TEXT', "'FILE', 'NET', 'IO_READ', 'PROCESS', ..."],
    ['info', 'TEXT', 'parameters as name=value text'],
    ['file_offset', 'INTEGER', "of the event's block in the uncompressed source"],
  ],
};
