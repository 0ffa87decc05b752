/*
 * One table's rows of a row batch, handed whole to a virtual table that takes them in C
 * (column_blocks' rows_from_batch column) through one INSERT instead of one row per VDBE step:
 *
 *   INSERT INTO t (key_column, rows_from_batch)
 *     VALUES (1, row_batch_rows(kinds, tbl, slots, data, strings, offsets, 'column,column,...'))
 *
 * row_batch_rows takes row_batch's six arguments (row-batch.c) and the names of the columns the
 * table's values go to, one per kind; it returns a pointer value (sqlite3_result_pointer) of type
 * ROW_BATCH_ROWS that only such a table reads. Values come as row_batch would yield them.
 */
#ifndef CAPSCOPE_ROW_BATCH_H
#define CAPSCOPE_ROW_BATCH_H
#include <sqlite3ext.h>

#define ROW_BATCH_ROWS "capscope-row-batch-rows"

typedef struct RowBatchRows RowBatchRows;

enum { RB_NULL, RB_INTEGER, RB_REAL, RB_TEXT, RB_BLOB };

/* Moves to the next row: 1 a row, 0 none left, -1 a batch that does not parse (rowBatchRowsError). */
int rowBatchRowsNext(RowBatchRows *r);
const char *rowBatchRowsError(const RowBatchRows *r);
/* The values per row (the table's kinds), and the name of the column each goes to. */
int rowBatchRowsWidth(const RowBatchRows *r);
const char *rowBatchRowsName(const RowBatchRows *r, int col);
/* The current row's value `col`: RB_NULL, RB_INTEGER (*i), RB_REAL (not an integer), RB_TEXT or RB_BLOB (*p, *n); -1 a fault. */
int rowBatchRowsValue(RowBatchRows *r, int col, sqlite3_int64 *i, const unsigned char **p, int *n);

#endif
