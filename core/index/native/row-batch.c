/*
 * row_batch: an SQLite table-valued function that yields the rows of one table from a batch of
 * ingest rows in capscope's batch format (core/scap/row-batch.ts), so that the writer thread
 * inserts a whole batch's events with one `INSERT ... SELECT ... FROM row_batch(...)` instead of
 * binding every value from JavaScript. Binding was most of the writer's time: each value crossed
 * from V8 into SQLite through a type check and a bind call (docs/benchmarks.md).
 *
 *   SELECT c0, c1, ... FROM row_batch(kinds, tbl, slots, data, strings, offsets)
 *
 *   kinds    every table's column kinds, comma-separated, in table order ("nbns...,nns...")
 *   tbl      the table whose rows to yield (its position in kinds)
 *   slots    the batch's records as little-endian 8-byte slots: the table's number (a double), then
 *            one slot per column: n a double (NaN: NULL), b an int64 (INT64_MIN: NULL),
 *            s a double index into the string table (-1: NULL), t and x a double byte length of
 *            UTF-8 text or bytes in the data area (-1: NULL), i as x: a syscall event's info record,
 *            yielded as the text scap-info.c makes of it
 *   data     the data area: t, x and i values back to back, in record order
 *   strings  the string table's UTF-8 back to back
 *   offsets  int32 byte offsets into strings, one per string and one past the last
 *
 * Column cN is the yielded row's N-th value; columns past the table's width are NULL. A batch that
 * does not parse (a table number or length out of range) fails the statement: the batch is made
 * by capscope itself, so that is a bug, never bad input.
 *
 * Built as a loadable extension against the sqlite3ext.h of the SQLite that better-sqlite3 bundles
 * (scripts/build.mjs); the writer falls back to binding from JavaScript where it is missing.
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "row-batch.h"
#include "scap-info.h"

int columnBlocksRegister(sqlite3 *db);
int eventArgsRegister(sqlite3 *db);
int scapInfoRegister(sqlite3 *db);

#define MAX_COLUMNS 64
#define MAX_TABLES 32
/* The arguments are hidden columns after the MAX_COLUMNS value columns, in the order above. */
#define FIRST_ARG MAX_COLUMNS
#define ARG_COUNT 6

typedef struct {
  sqlite3_vtab base;
} BatchVtab;

typedef struct {
  sqlite3_vtab_cursor base;
  /* Copies of the arguments: the statement's values may change under a cursor between steps. */
  unsigned char *slots;
  sqlite3_int64 slotCount;
  unsigned char *data;
  sqlite3_int64 dataBytes;
  unsigned char *strings;
  sqlite3_int64 stringBytes;
  int32_t *offsets;
  sqlite3_int64 offsetCount;
  /* The four buffers point into the arguments themselves (row_batch_rows' bound ones), not copies. */
  int borrowed;
  char kinds[MAX_TABLES][MAX_COLUMNS + 1];
  int widths[MAX_TABLES];
  int tableCount;
  int table;
  /* Walk state: the next record's first slot and data offset. */
  sqlite3_int64 at;
  sqlite3_int64 dataAt;
  /* The current row: each column's slot and, for t and x, its data offset. */
  sqlite3_int64 rowSlot;
  sqlite3_int64 colData[MAX_COLUMNS];
  sqlite3_int64 rowid;
  int eof;
} BatchCursor;

static double slotDouble(const BatchCursor *c, sqlite3_int64 i) {
  double v;
  memcpy(&v, c->slots + i * 8, 8);
  return v;
}

static sqlite3_int64 slotInt(const BatchCursor *c, sqlite3_int64 i) {
  sqlite3_int64 v;
  memcpy(&v, c->slots + i * 8, 8);
  return v;
}

static int batchConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  char sql[1024];
  size_t n = 0;
  sqlite3_snprintf((int)sizeof(sql), sql, "CREATE TABLE x(");
  n = strlen(sql);
  for (int i = 0; i < MAX_COLUMNS; i++) {
    sqlite3_snprintf((int)(sizeof(sql) - n), sql + n, "c%d, ", i);
    n += strlen(sql + n);
  }
  sqlite3_snprintf((int)(sizeof(sql) - n), sql + n, "kinds HIDDEN, tbl HIDDEN, slots HIDDEN, data HIDDEN, strings HIDDEN, offsets HIDDEN)");
  int rc = sqlite3_declare_vtab(db, sql);
  if (rc != SQLITE_OK) return rc;
  BatchVtab *v = sqlite3_malloc(sizeof(*v));
  if (!v) return SQLITE_NOMEM;
  memset(v, 0, sizeof(*v));
  *out = &v->base;
  return SQLITE_OK;
}

static int batchDisconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}

static int batchOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
  BatchCursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static void freeArgs(BatchCursor *c) {
  if (!c->borrowed) {
    sqlite3_free(c->slots);
    sqlite3_free(c->data);
    sqlite3_free(c->strings);
    sqlite3_free(c->offsets);
  }
  c->slots = c->data = c->strings = 0;
  c->offsets = 0;
  c->borrowed = 0;
}

static int batchClose(sqlite3_vtab_cursor *cur) {
  BatchCursor *c = (BatchCursor *)cur;
  freeArgs(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

static int fail(BatchCursor *c, const char *message, sqlite3_int64 slot) {
  sqlite3_vtab *v = c->base.pVtab;
  sqlite3_free(v->zErrMsg);
  v->zErrMsg = sqlite3_mprintf("row_batch: %s at slot %lld", message, slot);
  return SQLITE_ERROR;
}

/* Moves to the next record of the wanted table, skipping the others (and their data bytes). */
static int advance(BatchCursor *c) {
  while (c->at < c->slotCount) {
    sqlite3_int64 start = c->at;
    double t = slotDouble(c, c->at);
    if (!(t >= 0 && t < c->tableCount) || t != (double)(int)t) return fail(c, "bad table number", start);
    int table = (int)t;
    const char *kinds = c->kinds[table];
    int width = c->widths[table];
    if (start + 1 + width > c->slotCount) return fail(c, "record runs past the batch", start);
    for (int k = 0; k < width; k++) {
      char kind = kinds[k];
      sqlite3_int64 s = start + 1 + k;
      if (kind == 't' || kind == 'x' || kind == 'i') {
        double len = slotDouble(c, s);
        if (table == c->table) c->colData[k] = c->dataAt;
        if (len >= 0) {
          if (len != (double)(sqlite3_int64)len || c->dataAt + (sqlite3_int64)len > c->dataBytes) return fail(c, "bad data length", s);
          c->dataAt += (sqlite3_int64)len;
        }
      }
    }
    c->at = start + 1 + width;
    if (table == c->table) {
      c->rowSlot = start + 1;
      c->rowid++;
      return SQLITE_OK;
    }
  }
  c->eof = 1;
  return SQLITE_OK;
}

static int copyBlob(sqlite3_value *v, unsigned char **out, sqlite3_int64 *bytes) {
  int n = sqlite3_value_bytes(v);
  const void *p = sqlite3_value_blob(v);
  *out = sqlite3_malloc64(n > 0 ? (sqlite3_uint64)n : 1);
  if (!*out) return SQLITE_NOMEM;
  if (n > 0) memcpy(*out, p, (size_t)n);
  *bytes = n;
  return SQLITE_OK;
}

/*
 * Reads the six arguments (kinds, tbl, slots, data, strings, offsets) into the cursor, copied; or,
 * with `borrow` and when all four buffers are bound parameters, pointed at where the statement
 * keeps them (see rowBatchRowsFunc).
 */
static int batchLoad(BatchCursor *c, sqlite3_value **argv, int borrow) {
  const char *kinds = (const char *)sqlite3_value_text(argv[0]);
  if (!kinds) return fail(c, "no kinds", 0);
  c->tableCount = 0;
  for (const char *p = kinds; *p;) {
    if (c->tableCount == MAX_TABLES) return fail(c, "too many tables", 0);
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len > MAX_COLUMNS) return fail(c, "too many columns", 0);
    memcpy(c->kinds[c->tableCount], p, len);
    c->kinds[c->tableCount][len] = 0;
    c->widths[c->tableCount] = (int)len;
    c->tableCount++;
    p += len + (end ? 1 : 0);
  }
  c->table = sqlite3_value_int(argv[1]);
  if (c->table < 0 || c->table >= c->tableCount) return fail(c, "no such table", 0);
  sqlite3_int64 slotBytes, offsetBytes;
  int rc = SQLITE_OK;
  for (int k = 2; k < ARG_COUNT && borrow; k++) borrow = sqlite3_value_frombind(argv[k]) && sqlite3_value_type(argv[k]) == SQLITE_BLOB && sqlite3_value_bytes(argv[k]) > 0;
  if (borrow) {
    /* sqlite3_value_blob of a blob is the value's own bytes, no conversion: they stay while the statement runs. */
    c->borrowed = 1;
    c->slots = (unsigned char *)sqlite3_value_blob(argv[2]), slotBytes = sqlite3_value_bytes(argv[2]);
    c->data = (unsigned char *)sqlite3_value_blob(argv[3]), c->dataBytes = sqlite3_value_bytes(argv[3]);
    c->strings = (unsigned char *)sqlite3_value_blob(argv[4]), c->stringBytes = sqlite3_value_bytes(argv[4]);
    c->offsets = (int32_t *)sqlite3_value_blob(argv[5]), offsetBytes = sqlite3_value_bytes(argv[5]);
  } else {
    rc = copyBlob(argv[2], &c->slots, &slotBytes);
    if (rc == SQLITE_OK) rc = copyBlob(argv[3], &c->data, &c->dataBytes);
    if (rc == SQLITE_OK) rc = copyBlob(argv[4], &c->strings, &c->stringBytes);
    if (rc == SQLITE_OK) rc = copyBlob(argv[5], (unsigned char **)&c->offsets, &offsetBytes);
    if (rc != SQLITE_OK) return rc;
  }
  c->slotCount = slotBytes / 8;
  c->offsetCount = offsetBytes / 4;
  c->at = 0;
  c->dataAt = 0;
  c->rowid = 0;
  c->eof = 0;
  return SQLITE_OK;
}

static int batchFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  BatchCursor *c = (BatchCursor *)cur;
  freeArgs(c);
  c->eof = 1;
  if (argc != ARG_COUNT) return fail(c, "needs all six arguments", 0);
  int rc = batchLoad(c, argv, 0);
  if (rc != SQLITE_OK) {
    c->eof = 1;
    return rc;
  }
  return advance(c);
}

static int batchNext(sqlite3_vtab_cursor *cur) {
  return advance((BatchCursor *)cur);
}

static int batchEof(sqlite3_vtab_cursor *cur) {
  return ((BatchCursor *)cur)->eof;
}

static int batchColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  BatchCursor *c = (BatchCursor *)cur;
  const char *kinds = c->kinds[c->table];
  if (col >= c->widths[c->table]) return SQLITE_OK; /* NULL: past the table's width, or an argument */
  sqlite3_int64 s = c->rowSlot + col;
  switch (kinds[col]) {
    case 'n': {
      double v = slotDouble(c, s);
      if (v != v) break;
      if (v >= -9007199254740992.0 && v <= 9007199254740992.0 && v == (double)(sqlite3_int64)v) sqlite3_result_int64(ctx, (sqlite3_int64)v);
      else sqlite3_result_double(ctx, v);
      break;
    }
    case 'b': {
      sqlite3_int64 v = slotInt(c, s);
      if (v != INT64_MIN) sqlite3_result_int64(ctx, v);
      break;
    }
    case 's': {
      double v = slotDouble(c, s);
      if (v < 0) break;
      if (!(v + 1 < (double)c->offsetCount)) return fail(c, "bad string index", s);
      sqlite3_int64 i = (sqlite3_int64)v;
      if (i + 1 >= c->offsetCount || c->offsets[i] < 0 || c->offsets[i] > c->offsets[i + 1] || c->offsets[i + 1] > c->stringBytes) {
        return fail(c, "bad string index", s);
      }
      sqlite3_result_text(ctx, (const char *)c->strings + c->offsets[i], c->offsets[i + 1] - c->offsets[i], SQLITE_TRANSIENT);
      break;
    }
    case 'i': {
      /* A syscall event's info, rendered from its record (scap-info.c). */
      double len = slotDouble(c, s);
      if (len < 0) break;
      ScapInfoBuf o = {0, 0, 0, 0};
      if (scapInfoRender(c->data + c->colData[col], (int)len, &o) != 0) {
        sqlite3_free(o.p);
        return fail(c, "an info record that does not parse", s);
      }
      if (o.p) sqlite3_result_text(ctx, o.p, o.n, sqlite3_free);
      else sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
      break;
    }
    case 't':
    case 'x': {
      double len = slotDouble(c, s);
      if (len < 0) break;
      const unsigned char *p = c->data + c->colData[col];
      if (kinds[col] == 't') sqlite3_result_text(ctx, (const char *)p, (int)len, SQLITE_TRANSIENT);
      else sqlite3_result_blob(ctx, p, (int)len, SQLITE_TRANSIENT);
      break;
    }
    default:
      return fail(c, "unknown column kind", s);
  }
  return SQLITE_OK;
}

static int batchRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid) {
  *rowid = ((BatchCursor *)cur)->rowid;
  return SQLITE_OK;
}

/* Every argument must be given (an equality constraint on each hidden column), in order. */
static int batchBestIndex(sqlite3_vtab *v, sqlite3_index_info *info) {
  int seen = 0;
  for (int i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *k = &info->aConstraint[i];
    if (k->iColumn < FIRST_ARG) continue;
    if (k->op != SQLITE_INDEX_CONSTRAINT_EQ || !k->usable) return SQLITE_CONSTRAINT;
    int arg = k->iColumn - FIRST_ARG;
    info->aConstraintUsage[i].argvIndex = arg + 1;
    info->aConstraintUsage[i].omit = 1;
    seen |= 1 << arg;
  }
  if (seen != (1 << ARG_COUNT) - 1) {
    sqlite3_free(v->zErrMsg);
    v->zErrMsg = sqlite3_mprintf("row_batch: needs all six arguments");
    return SQLITE_ERROR;
  }
  info->estimatedCost = 1000;
  info->estimatedRows = 1000;
  return SQLITE_OK;
}

static sqlite3_module batchModule = {
  .iVersion = 0,
  .xCreate = 0, /* eponymous only: row_batch(...) needs no CREATE VIRTUAL TABLE */
  .xConnect = batchConnect,
  .xBestIndex = batchBestIndex,
  .xDisconnect = batchDisconnect,
  .xOpen = batchOpen,
  .xClose = batchClose,
  .xFilter = batchFilter,
  .xNext = batchNext,
  .xEof = batchEof,
  .xColumn = batchColumn,
  .xRowid = batchRowid,
};

/* ----- row_batch_rows: a table's rows of a batch as one value (row-batch.h) ----- */

struct RowBatchRows {
  BatchVtab vtab; /* where fail() leaves its message */
  BatchCursor c;
  int nameCount;
  char *names; /* the column names, NUL-separated */
  const char *name[MAX_COLUMNS];
  /* The current row's rendered info ('i'), reused from row to row. */
  ScapInfoBuf info;
};

static void rowsFree(void *p) {
  RowBatchRows *r = p;
  if (!r) return;
  freeArgs(&r->c);
  sqlite3_free(r->vtab.base.zErrMsg);
  sqlite3_free(r->names);
  sqlite3_free(r->info.p);
  sqlite3_free(r);
}

int rowBatchRowsNext(RowBatchRows *r) {
  if (r->c.eof) return 0;
  if (advance(&r->c) != SQLITE_OK) return -1;
  return r->c.eof ? 0 : 1;
}

const char *rowBatchRowsError(const RowBatchRows *r) {
  return r->vtab.base.zErrMsg ? r->vtab.base.zErrMsg : "row_batch: a fault";
}

int rowBatchRowsWidth(const RowBatchRows *r) { return r->c.widths[r->c.table]; }

const char *rowBatchRowsName(const RowBatchRows *r, int col) { return col < r->nameCount ? r->name[col] : 0; }

int rowBatchRowsValue(RowBatchRows *r, int col, sqlite3_int64 *i, const unsigned char **p, int *n) {
  BatchCursor *c = &r->c;
  sqlite3_int64 s = c->rowSlot + col;
  switch (c->kinds[c->table][col]) {
    case 'n': {
      /* As batchColumn and then column_blocks' integerOf take it: an integer's value, or not one. */
      double v = slotDouble(c, s);
      if (v != v) return RB_NULL;
      if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0) || v != floor(v)) return RB_REAL;
      *i = (sqlite3_int64)v;
      return RB_INTEGER;
    }
    case 'b': {
      sqlite3_int64 v = slotInt(c, s);
      if (v == INT64_MIN) return RB_NULL;
      *i = v;
      return RB_INTEGER;
    }
    case 's': {
      double v = slotDouble(c, s);
      if (v < 0) return RB_NULL;
      if (!(v + 1 < (double)c->offsetCount)) return fail(c, "bad string index", s), -1;
      sqlite3_int64 k = (sqlite3_int64)v;
      if (k + 1 >= c->offsetCount || c->offsets[k] < 0 || c->offsets[k] > c->offsets[k + 1] || c->offsets[k + 1] > c->stringBytes) {
        return fail(c, "bad string index", s), -1;
      }
      *p = c->strings + c->offsets[k];
      *n = c->offsets[k + 1] - c->offsets[k];
      return RB_TEXT;
    }
    case 't':
    case 'x': {
      double len = slotDouble(c, s);
      if (len < 0) return RB_NULL;
      *p = c->data + c->colData[col];
      *n = (int)len;
      return c->kinds[c->table][col] == 't' ? RB_TEXT : RB_BLOB;
    }
    case 'i': {
      double len = slotDouble(c, s);
      if (len < 0) return RB_NULL;
      if (scapInfoRender(c->data + c->colData[col], (int)len, &r->info) != 0) return fail(c, "an info record that does not parse", s), -1;
      *p = (const unsigned char *)(r->info.p ? r->info.p : "");
      *n = r->info.n;
      return RB_TEXT;
    }
    default:
      return fail(c, "unknown column kind", s), -1;
  }
}

static void rowBatchRowsFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  RowBatchRows *r = sqlite3_malloc(sizeof(*r));
  if (!r) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  memset(r, 0, sizeof(*r));
  r->c.base.pVtab = &r->vtab.base;
  r->c.eof = 1;
  /*
   * The rows are read by column_blocks' xUpdate in the same step of the same INSERT, before the
   * statement can be bound again: bound buffers are read where they are (a batch's slots and data
   * are megabytes, copied for each batch on the writer's thread), anything else is copied.
   */
  int rc = batchLoad(&r->c, argv, 1);
  const char *names = (const char *)sqlite3_value_text(argv[6]);
  if (rc == SQLITE_OK && !names) rc = fail(&r->c, "no column names", 0);
  if (rc == SQLITE_OK) {
    int len = sqlite3_value_bytes(argv[6]);
    r->names = sqlite3_malloc(len + 1);
    if (!r->names) rc = SQLITE_NOMEM;
    else {
      memcpy(r->names, names, (size_t)len + 1);
      for (char *q = r->names; q && r->nameCount < MAX_COLUMNS;) {
        r->name[r->nameCount++] = q;
        q = strchr(q, ',');
        if (q) *q++ = 0;
      }
      if (r->nameCount != r->c.widths[r->c.table]) rc = fail(&r->c, "one column name per value needed", 0);
    }
  }
  if (rc != SQLITE_OK) {
    if (rc == SQLITE_NOMEM) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_error(ctx, rowBatchRowsError(r), -1);
    rowsFree(r);
    return;
  }
  sqlite3_result_pointer(ctx, r, ROW_BATCH_ROWS, rowsFree);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_rowbatch_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  int rc = sqlite3_create_module(db, "row_batch", &batchModule, 0);
  /* The same library holds the column_blocks virtual table (column-blocks.c). */
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "row_batch_rows", 7, SQLITE_UTF8, 0, rowBatchRowsFunc, 0, 0);
  if (rc == SQLITE_OK) rc = columnBlocksRegister(db);
  /* And capscope_evt_arg, which the Falco rules call (event-args.c). */
  if (rc == SQLITE_OK) rc = eventArgsRegister(db);
  /* And scap_info / scap_info_table, a syscall event's info text (scap-info.c). */
  if (rc == SQLITE_OK) rc = scapInfoRegister(db);
  return rc;
}
