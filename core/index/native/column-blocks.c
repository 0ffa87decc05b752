/*
 * column_blocks: an SQLite virtual table that keeps its rows the way analytical engines do, in
 * blocks of up to BLOCK_ROWS rows stored column by column and compressed, each block with a zone
 * map, so that a table of tens of millions of rows takes a few tens of bytes a row and needs no
 * B-tree index per column (a syscall capture's events: core/formats/scap/schema/events.ts).
 *
 *   CREATE VIRTUAL TABLE t USING column_blocks(source_id INTEGER KEY, num INTEGER SEQUENCE,
 *                                              ts INTEGER RANGE, pid INTEGER SET, info TEXT, ...)
 *
 * Every column is INTEGER or TEXT (NULL allowed), with at most one role:
 *   KEY       the partition: one value per block (a capture's id), kept in the block's row
 *   SEQUENCE  increasing within a partition (an event's number): first and last in the block's row;
 *             rows come in (KEY, SEQUENCE) order and a scan yields them in that order
 *   RANGE     its least and greatest value in the block's row (time)
 *   SET       a Bloom filter of the block's values in its zone map (process, container, type, fd)
 * The blocks live in the shadow table t_blocks (key, first, last, least, greatest, rows, zone,
 * data), keyed by (key, first). `data` is one segment per stored column, each deflated apart, so
 * a query inflates only the columns it reads: integers as zigzag varints of the difference from
 * the row before (a NULL bitmap in front when there are NULLs), text as the block's dictionary of
 * distinct strings and a varint code per row.
 *
 * Rows are inserted (INSERT, one by one, or a whole batch's at once through the hidden column
 * rows_from_batch and row_batch_rows(): row-batch.h) and buffered in the connection's table until a
 * block is full, the partition changes or the transaction commits (xSync), so each transaction's
 * rows are on disk when it commits and readers see whole blocks. Rows are not updated or deleted:
 * a partition goes with its blocks (DELETE FROM t_blocks).
 *
 * Queries: xBestIndex takes equality, IN (all at once) and ranges on every INTEGER column,
 * equality and IN on every TEXT column. KEY, SEQUENCE and RANGE constraints pick blocks from the
 * block directory (t_blocks but the data, held in memory per state of the database: a binary
 * search on (key, sequence), the time range checked per block), SET constraints skip blocks by the
 * Bloom filter and then by the block's dictionary, and every constraint drops rows in C before
 * SQLite sees them; SQLite checks them again (nothing is omitted: a value of another type compares
 * as SQLite compares it). ORDER BY key, sequence (either direction) is consumed.
 *
 * Built into the same loadable extension as row_batch (scripts/build.mjs, linked with -lz).
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#include <limits.h>
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "row-batch.h"

#define BLOCK_ROWS 8192
#define MAX_COLS 32
#define BLOOM_BYTES 256
#define BLOOM_MASK (BLOOM_BYTES * 8 - 1)

enum { ROLE_NONE, ROLE_KEY, ROLE_SEQ, ROLE_RANGE, ROLE_SET };
enum { OP_EQ, OP_RANGE };

typedef struct {
  char *name;
  int text;
  int role;
} Col;

/* A growable byte buffer. */
typedef struct {
  unsigned char *p;
  sqlite3_int64 n, cap;
} Buf;

/* bufReserve's growing, out of line: the check before it runs for every value of every row. */
static int bufGrow(Buf *b, sqlite3_int64 more) {
  sqlite3_int64 cap = b->cap ? b->cap : 256;
  while (cap < b->n + more) cap *= 2;
  unsigned char *p = sqlite3_realloc64(b->p, (sqlite3_uint64)cap);
  if (!p) return SQLITE_NOMEM;
  b->p = p;
  b->cap = cap;
  return SQLITE_OK;
}

static inline int bufReserve(Buf *b, sqlite3_int64 more) {
  return b->n + more <= b->cap ? SQLITE_OK : bufGrow(b, more);
}

static int bufPut(Buf *b, const void *p, sqlite3_int64 n) {
  if (bufReserve(b, n)) return SQLITE_NOMEM;
  if (n) memcpy(b->p + b->n, p, (size_t)n);
  b->n += n;
  return SQLITE_OK;
}

static inline int bufVarint(Buf *b, uint64_t v) {
  if (bufReserve(b, 10)) return SQLITE_NOMEM;
  while (v >= 0x80) {
    b->p[b->n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  b->p[b->n++] = (unsigned char)v;
  return SQLITE_OK;
}

static void bufFree(Buf *b) {
  sqlite3_free(b->p);
  memset(b, 0, sizeof(*b));
}

/* Reads a varint at *at, not past end; 0 when it runs past. */
static int getVarint(const unsigned char *p, sqlite3_int64 end, sqlite3_int64 *at, uint64_t *out) {
  uint64_t v = 0;
  int shift = 0;
  while (*at < end && shift < 64) {
    unsigned char c = p[(*at)++];
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80)) {
      *out = v;
      return 1;
    }
    shift += 7;
  }
  return 0;
}

static uint64_t zigzag(sqlite3_int64 v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static sqlite3_int64 unzigzag(uint64_t v) { return (sqlite3_int64)(v >> 1) ^ -(sqlite3_int64)(v & 1); }

static uint64_t hashInt(sqlite3_int64 v) {
  uint64_t z = (uint64_t)v + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static uint64_t hashText(const unsigned char *p, sqlite3_int64 n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (sqlite3_int64 i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return hashInt((sqlite3_int64)h);
}

static void bloomAdd(unsigned char *bloom, uint64_t h) {
  for (int k = 0; k < 3; k++, h >>= 21) bloom[(h & BLOOM_MASK) >> 3] |= (unsigned char)(1 << (h & 7));
}

static int bloomHas(const unsigned char *bloom, uint64_t h) {
  for (int k = 0; k < 3; k++, h >>= 21)
    if (!(bloom[(h & BLOOM_MASK) >> 3] & (1 << (h & 7)))) return 0;
  return 1;
}

/* ----- the table ----- */

/* One column's rows waiting for their block: integers, or text as offsets into bytes. */
typedef struct {
  sqlite3_int64 ints[BLOCK_ROWS];
  unsigned char nulls[BLOCK_ROWS];
  sqlite3_int64 textAt[BLOCK_ROWS];
  int textLen[BLOCK_ROWS];
  Buf bytes;
} Pending;

/*
 * The table's block directory as of one state of the database: every block's row but its data,
 * in (key, first) order. Read once per state (a commit anywhere, a change on this connection) and
 * shared by the cursors that started on it, so finding blocks is a binary search, not a statement.
 */
typedef struct {
  int refs;
  int n;
  sqlite3_int64 *id, *key, *first, *last, *least, *greatest;
  int *rows;
  unsigned char *hasRange;
  /*
   * The greatest RANGE value of the entries up to each one, and the least from each one on: both
   * monotone whatever the order of the blocks' times, so a time bound finds where a scan starts
   * and ends by a binary search (blocks without a RANGE value count as neither).
   */
  sqlite3_int64 *greatestSoFar, *leastFrom;
  unsigned char *zones;
  int zoneBytes;
} Dir;

static void dirRelease(Dir *d) {
  if (!d || --d->refs > 0) return;
  sqlite3_free(d->id);
  sqlite3_free(d->key);
  sqlite3_free(d->first);
  sqlite3_free(d->last);
  sqlite3_free(d->least);
  sqlite3_free(d->greatest);
  sqlite3_free(d->rows);
  sqlite3_free(d->hasRange);
  sqlite3_free(d->greatestSoFar);
  sqlite3_free(d->leastFrom);
  sqlite3_free(d->zones);
  sqlite3_free(d);
}

struct Block;
static void blockFree(struct Block *b);

/*
 * One connection's count of the blocks its scans looked into (each block a scan loads, from the
 * table or reused from the one a cursor before decoded), which `column_blocks_loaded()` returns:
 * what tests hold a scan to, and what a profile reads to tell skipped blocks from read ones.
 */
typedef struct {
  sqlite3_int64 blocksLoaded;
} Stats;

typedef struct {
  sqlite3_vtab base;
  sqlite3 *db;
  Stats *stats;
  Dir *dir;
  /* Counts the directory's readings: blocks decoded under another reading are not reused. */
  sqlite3_uint64 dirGeneration;
  /*
   * The block a closed cursor had decoded, for the next cursor that wants it: a statement run once
   * per bucket or per row (a new cursor each time) then decodes each block once, not once a run.
   */
  struct Block *spare;
  /* The state the directory was read at: the file's data version and this connection's changes. */
  unsigned int dirDataVersion;
  sqlite3_int64 dirChanges;
  sqlite3_stmt *readBlock;
  char *schema;
  char *name;
  int ncol;
  Col cols[MAX_COLS];
  int keyCol, seqCol, rangeCol;
  /* Rows buffered for the next block (allocated on the first insert). */
  Pending *pending[MAX_COLS];
  int pendingRows;
  sqlite3_int64 pendingKey;
  sqlite3_int64 lastSeq;
  sqlite3_stmt *insertBlock;
} Table;

static void setError(sqlite3_vtab *v, const char *fmt, const char *detail) {
  sqlite3_free(v->zErrMsg);
  v->zErrMsg = sqlite3_mprintf(fmt, detail);
}

static void tableFree(Table *t) {
  if (!t) return;
  for (int i = 0; i < t->ncol; i++) {
    sqlite3_free(t->cols[i].name);
    if (t->pending[i]) {
      bufFree(&t->pending[i]->bytes);
      sqlite3_free(t->pending[i]);
    }
  }
  sqlite3_finalize(t->insertBlock);
  sqlite3_finalize(t->readBlock);
  dirRelease(t->dir);
  if (t->spare) {
    blockFree(t->spare);
    sqlite3_free(t->spare);
  }
  sqlite3_free(t->schema);
  sqlite3_free(t->name);
  sqlite3_free(t);
}

/* "name TYPE [ROLE]" */
static int parseColumn(Table *t, const char *arg, char **err) {
  char name[128], type[32], role[32];
  role[0] = 0;
  int n = sscanf(arg, " %127s %31s %31s", name, type, role);
  if (n < 2) {
    *err = sqlite3_mprintf("column_blocks: a column is \"name INTEGER|TEXT [KEY|SEQUENCE|RANGE|SET]\", not \"%s\"", arg);
    return SQLITE_ERROR;
  }
  if (t->ncol == MAX_COLS) {
    *err = sqlite3_mprintf("column_blocks: more than %d columns", MAX_COLS);
    return SQLITE_ERROR;
  }
  Col *c = &t->cols[t->ncol];
  if (!sqlite3_stricmp(type, "INTEGER")) c->text = 0;
  else if (!sqlite3_stricmp(type, "TEXT")) c->text = 1;
  else {
    *err = sqlite3_mprintf("column_blocks: column %s is INTEGER or TEXT, not %s", name, type);
    return SQLITE_ERROR;
  }
  if (!role[0]) c->role = ROLE_NONE;
  else if (!sqlite3_stricmp(role, "KEY")) c->role = ROLE_KEY, t->keyCol = t->ncol;
  else if (!sqlite3_stricmp(role, "SEQUENCE")) c->role = ROLE_SEQ, t->seqCol = t->ncol;
  else if (!sqlite3_stricmp(role, "RANGE")) c->role = ROLE_RANGE, t->rangeCol = t->ncol;
  else if (!sqlite3_stricmp(role, "SET")) c->role = ROLE_SET;
  else {
    *err = sqlite3_mprintf("column_blocks: column %s has no role %s", name, role);
    return SQLITE_ERROR;
  }
  if (c->role != ROLE_NONE && c->role != ROLE_SET && c->text) {
    *err = sqlite3_mprintf("column_blocks: column %s: a %s column is INTEGER", name, role);
    return SQLITE_ERROR;
  }
  c->name = sqlite3_mprintf("%s", name);
  if (!c->name) return SQLITE_NOMEM;
  t->ncol++;
  return SQLITE_OK;
}

static int tableInit(sqlite3 *db, void *aux, int create, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  Table *t = sqlite3_malloc(sizeof(*t));
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->stats = aux;
  t->keyCol = t->seqCol = t->rangeCol = -1;
  t->schema = sqlite3_mprintf("%s", argv[1]);
  t->name = sqlite3_mprintf("%s", argv[2]);
  int rc = t->schema && t->name ? SQLITE_OK : SQLITE_NOMEM;
  for (int i = 3; rc == SQLITE_OK && i < argc; i++) rc = parseColumn(t, argv[i], err);
  if (rc == SQLITE_OK && (t->keyCol < 0 || t->seqCol < 0 || t->rangeCol < 0)) {
    *err = sqlite3_mprintf("column_blocks: needs a KEY, a SEQUENCE and a RANGE column");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK) {
    Buf sql = {0};
    char *head = sqlite3_mprintf("CREATE TABLE x(");
    rc = head ? bufPut(&sql, head, (sqlite3_int64)strlen(head)) : SQLITE_NOMEM;
    sqlite3_free(head);
    for (int i = 0; rc == SQLITE_OK && i < t->ncol; i++) {
      char *col = sqlite3_mprintf("%s\"%w\" %s", i ? ", " : "", t->cols[i].name, t->cols[i].text ? "TEXT" : "INTEGER");
      rc = col ? bufPut(&sql, col, (sqlite3_int64)strlen(col) + (i == t->ncol - 1 ? 0 : 0)) : SQLITE_NOMEM;
      sqlite3_free(col);
    }
    /* Written only: a batch's rows in one INSERT (row-batch.h), never read (NULL). */
    if (rc == SQLITE_OK) rc = bufPut(&sql, ", rows_from_batch HIDDEN)", 26);
    if (rc == SQLITE_OK) rc = sqlite3_declare_vtab(db, (const char *)sql.p);
    bufFree(&sql);
  }
  if (rc == SQLITE_OK && create) {
    char *sql = sqlite3_mprintf(
      "CREATE TABLE \"%w\".\"%w_blocks\" (key INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, least INTEGER, greatest INTEGER,"
      " rows INTEGER NOT NULL, zone BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (key, first))",
      t->schema, t->name);
    rc = sql ? sqlite3_exec(db, sql, 0, 0, err) : SQLITE_NOMEM;
    sqlite3_free(sql);
  }
  if (rc != SQLITE_OK) {
    tableFree(t);
    return rc;
  }
  *out = &t->base;
  return SQLITE_OK;
}

static int tableCreate(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return tableInit(db, aux, 1, argc, argv, out, err);
}

static int tableConnect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  return tableInit(db, aux, 0, argc, argv, out, err);
}

static int tableDisconnect(sqlite3_vtab *v) {
  tableFree((Table *)v);
  return SQLITE_OK;
}

static int tableDestroy(sqlite3_vtab *v) {
  Table *t = (Table *)v;
  char *sql = sqlite3_mprintf("DROP TABLE IF EXISTS \"%w\".\"%w_blocks\"", t->schema, t->name);
  int rc = sql ? sqlite3_exec(t->db, sql, 0, 0, 0) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) tableFree(t);
  return rc;
}

/* ----- writing blocks ----- */

/* Deflates `raw` onto `out` as varint raw length, varint deflated length, deflated bytes. */
static int putSegment(Buf *out, const Buf *raw) {
  uLongf bound = compressBound((uLong)raw->n);
  Buf z = {0};
  if (bufReserve(&z, (sqlite3_int64)bound)) return SQLITE_NOMEM;
  uLongf zn = bound;
  int rc = compress2(z.p, &zn, raw->n ? raw->p : (const Bytef *)"", (uLong)raw->n, 1) == Z_OK ? SQLITE_OK : SQLITE_ERROR;
  if (rc == SQLITE_OK) rc = bufVarint(out, (uint64_t)raw->n);
  if (rc == SQLITE_OK) rc = bufVarint(out, (uint64_t)zn);
  if (rc == SQLITE_OK) rc = bufPut(out, z.p, (sqlite3_int64)zn);
  bufFree(&z);
  return rc;
}

/* One integer column of the pending rows, and its Bloom filter for a SET column. */
static int encodeInts(const Pending *p, int rows, Buf *raw, unsigned char *bloom) {
  int anyNull = 0;
  for (int r = 0; r < rows; r++) anyNull |= p->nulls[r];
  if (bufVarint(raw, (uint64_t)anyNull)) return SQLITE_NOMEM;
  if (anyNull) {
    int bytes = (rows + 7) / 8;
    if (bufReserve(raw, bytes)) return SQLITE_NOMEM;
    memset(raw->p + raw->n, 0, (size_t)bytes);
    for (int r = 0; r < rows; r++)
      if (p->nulls[r]) raw->p[raw->n + r / 8] |= (unsigned char)(1 << (r & 7));
    raw->n += bytes;
  }
  sqlite3_int64 prev = 0;
  for (int r = 0; r < rows; r++) {
    if (p->nulls[r]) continue;
    sqlite3_int64 v = p->ints[r];
    if (bufVarint(raw, zigzag((sqlite3_int64)((uint64_t)v - (uint64_t)prev)))) return SQLITE_NOMEM;
    prev = v;
    if (bloom) bloomAdd(bloom, hashInt(v));
  }
  return SQLITE_OK;
}

/* One text column: its dictionary (first-seen order) and a code per row, 0 for NULL. */
static int encodeText(const Pending *p, int rows, Buf *raw, unsigned char *bloom) {
  /* Open addressing over the rows' strings: slot holds 1 + the first row with that string. */
  enum { SLOTS = BLOCK_ROWS * 2 };
  int *slots = sqlite3_malloc(SLOTS * (int)sizeof(int));
  uint32_t *codes = sqlite3_malloc(BLOCK_ROWS * (int)sizeof(uint32_t));
  uint32_t *codeOfRow = sqlite3_malloc(BLOCK_ROWS * (int)sizeof(uint32_t));
  Buf dict = {0};
  int rc = slots && codes && codeOfRow ? SQLITE_OK : SQLITE_NOMEM;
  uint32_t distinct = 0;
  if (rc == SQLITE_OK) memset(slots, 0, SLOTS * sizeof(int));
  for (int r = 0; rc == SQLITE_OK && r < rows; r++) {
    if (p->nulls[r]) {
      codes[r] = 0;
      continue;
    }
    const unsigned char *s = p->bytes.p + p->textAt[r];
    int len = p->textLen[r];
    uint64_t h = hashText(s, len);
    unsigned slot = (unsigned)(h % SLOTS);
    for (;;) {
      int first = slots[slot];
      if (first == 0) {
        slots[slot] = r + 1;
        codeOfRow[r] = ++distinct;
        codes[r] = distinct;
        rc = bufVarint(&dict, (uint64_t)len);
        if (rc == SQLITE_OK) rc = bufPut(&dict, s, len);
        if (bloom) bloomAdd(bloom, h);
        break;
      }
      int f = first - 1;
      if (p->textLen[f] == len && memcmp(p->bytes.p + p->textAt[f], s, (size_t)len) == 0) {
        codes[r] = codeOfRow[f];
        break;
      }
      slot = (slot + 1) % SLOTS;
    }
  }
  if (rc == SQLITE_OK) rc = bufVarint(raw, distinct);
  if (rc == SQLITE_OK) rc = bufPut(raw, dict.p, dict.n);
  for (int r = 0; rc == SQLITE_OK && r < rows; r++) rc = bufVarint(raw, codes[r]);
  sqlite3_free(slots);
  sqlite3_free(codes);
  sqlite3_free(codeOfRow);
  bufFree(&dict);
  return rc;
}

/* Writes the pending rows as one block. */
static int flushBlock(Table *t) {
  int rows = t->pendingRows;
  if (rows == 0) return SQLITE_OK;
  int rc = SQLITE_OK;
  if (!t->insertBlock) {
    char *sql = sqlite3_mprintf("INSERT INTO \"%w\".\"%w_blocks\" (key, first, last, least, greatest, rows, zone, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", t->schema, t->name);
    rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->insertBlock, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc;
  }
  int sets = 0;
  for (int i = 0; i < t->ncol; i++) sets += t->cols[i].role == ROLE_SET;
  unsigned char *zone = sqlite3_malloc(sets * BLOOM_BYTES + 1);
  if (!zone) return SQLITE_NOMEM;
  memset(zone, 0, (size_t)sets * BLOOM_BYTES + 1);
  Buf data = {0}, raw = {0};
  int set = 0;
  for (int i = 0; rc == SQLITE_OK && i < t->ncol; i++) {
    if (i == t->keyCol) continue;
    unsigned char *bloom = t->cols[i].role == ROLE_SET ? zone + BLOOM_BYTES * set++ : 0;
    raw.n = 0;
    rc = t->cols[i].text ? encodeText(t->pending[i], rows, &raw, bloom) : encodeInts(t->pending[i], rows, &raw, bloom);
    if (rc == SQLITE_OK) rc = putSegment(&data, &raw);
  }
  const Pending *seq = t->pending[t->seqCol], *range = t->pending[t->rangeCol];
  int haveRange = 0;
  sqlite3_int64 least = 0, greatest = 0;
  for (int r = 0; r < rows; r++) {
    if (range->nulls[r]) continue;
    sqlite3_int64 v = range->ints[r];
    if (!haveRange || v < least) least = v;
    if (!haveRange || v > greatest) greatest = v;
    haveRange = 1;
  }
  if (rc == SQLITE_OK) {
    sqlite3_stmt *s = t->insertBlock;
    sqlite3_bind_int64(s, 1, t->pendingKey);
    sqlite3_bind_int64(s, 2, seq->ints[0]);
    sqlite3_bind_int64(s, 3, seq->ints[rows - 1]);
    if (haveRange) sqlite3_bind_int64(s, 4, least), sqlite3_bind_int64(s, 5, greatest);
    else sqlite3_bind_null(s, 4), sqlite3_bind_null(s, 5);
    sqlite3_bind_int(s, 6, rows);
    sqlite3_bind_blob(s, 7, zone, sets * BLOOM_BYTES, SQLITE_STATIC);
    sqlite3_bind_blob64(s, 8, data.p, (sqlite3_uint64)data.n, SQLITE_STATIC);
    rc = sqlite3_step(s);
    rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
  if (rc != SQLITE_OK && !t->base.zErrMsg) setError(&t->base, "column_blocks: writing a block: %s", sqlite3_errmsg(t->db));
  sqlite3_free(zone);
  bufFree(&data);
  bufFree(&raw);
  for (int i = 0; i < t->ncol; i++) t->pending[i]->bytes.n = 0;
  t->pendingRows = 0;
  return rc;
}

/* An INTEGER, or a REAL with an integer's value (JavaScript's numbers are bound as REAL). */
static int integerOf(sqlite3_value *x, sqlite3_int64 *out) {
  int type = sqlite3_value_type(x);
  if (type == SQLITE_INTEGER) {
    *out = sqlite3_value_int64(x);
    return 1;
  }
  if (type != SQLITE_FLOAT) return 0;
  double d = sqlite3_value_double(x);
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != floor(d)) return 0;
  *out = (sqlite3_int64)d;
  return 1;
}

/* One value of the row being appended: from the batch (`col` >= 0) or the INSERT's own (`x`). */
typedef struct {
  int kind; /* RB_* */
  sqlite3_int64 i;
  const unsigned char *p;
  int n;
} Value;

static void valueOf(sqlite3_value *x, Value *out) {
  switch (sqlite3_value_type(x)) {
    case SQLITE_NULL: out->kind = RB_NULL; break;
    case SQLITE_INTEGER: out->kind = RB_INTEGER; out->i = sqlite3_value_int64(x); break;
    case SQLITE_FLOAT: out->kind = integerOf(x, &out->i) ? RB_INTEGER : RB_REAL; break;
    case SQLITE_TEXT: out->kind = RB_TEXT; out->p = sqlite3_value_text(x); out->n = sqlite3_value_bytes(x); break;
    default: out->kind = RB_BLOB; out->p = sqlite3_value_blob(x); out->n = sqlite3_value_bytes(x); break;
  }
}

/* Appends one row of values (in column order) to the pending block, flushing a full one first. */
static int appendRow(Table *t, const Value *values) {
  sqlite3_vtab *v = &t->base;
  const Value *k = &values[t->keyCol], *q = &values[t->seqCol];
  if (k->kind != RB_INTEGER || q->kind != RB_INTEGER) {
    setError(v, "column_blocks: %s's KEY and SEQUENCE are integers", t->name);
    return SQLITE_CONSTRAINT;
  }
  sqlite3_int64 key = k->i, seq = q->i;
  int rc;
  if (t->pendingRows > 0 && (key != t->pendingKey || t->pendingRows == BLOCK_ROWS)) {
    if ((rc = flushBlock(t)) != SQLITE_OK) return rc;
  }
  if (t->pendingRows > 0 && seq <= t->lastSeq) {
    setError(v, "column_blocks: %s's rows come in increasing SEQUENCE within a KEY", t->name);
    return SQLITE_CONSTRAINT;
  }
  int r = t->pendingRows;
  for (int i = 0; i < t->ncol; i++) {
    Pending *p = t->pending[i];
    const Value *x = &values[i];
    p->nulls[r] = x->kind == RB_NULL;
    if (x->kind == RB_NULL) continue;
    if (t->cols[i].text) {
      if (x->kind != RB_TEXT && x->kind != RB_BLOB) {
        setError(v, "column_blocks: column %s holds text", t->cols[i].name);
        return SQLITE_CONSTRAINT;
      }
      p->textAt[r] = p->bytes.n;
      p->textLen[r] = x->n;
      if (bufPut(&p->bytes, x->p, x->n)) return SQLITE_NOMEM;
    } else {
      if (x->kind != RB_INTEGER) {
        setError(v, "column_blocks: column %s holds integers", t->cols[i].name);
        return SQLITE_CONSTRAINT;
      }
      p->ints[r] = x->i;
    }
  }
  t->pendingKey = key;
  t->lastSeq = seq;
  t->pendingRows++;
  return SQLITE_OK;
}

static int allocPending(Table *t) {
  for (int i = 0; i < t->ncol; i++) {
    if (t->pending[i]) continue;
    t->pending[i] = sqlite3_malloc(sizeof(Pending));
    if (!t->pending[i]) return SQLITE_NOMEM;
    memset(t->pending[i], 0, sizeof(Pending));
  }
  return SQLITE_OK;
}

/*
 * A batch's rows (rows_from_batch, row-batch.h): each batch value goes to the column it names; a
 * column it does not name takes the INSERT's own value for every row (the capture's KEY).
 */
static int appendBatch(Table *t, sqlite3_value **values, RowBatchRows *rows) {
  sqlite3_vtab *v = &t->base;
  int from[MAX_COLS];
  Value row[MAX_COLS];
  for (int i = 0; i < t->ncol; i++) from[i] = -1;
  int width = rowBatchRowsWidth(rows);
  for (int j = 0; j < width; j++) {
    const char *name = rowBatchRowsName(rows, j);
    int i = 0;
    while (i < t->ncol && sqlite3_stricmp(t->cols[i].name, name ? name : "")) i++;
    if (i == t->ncol || from[i] >= 0) {
      setError(v, "column_blocks: a batch's value goes to no column or a column twice (%s)", name ? name : "?");
      return SQLITE_ERROR;
    }
    from[i] = j;
  }
  for (int i = 0; i < t->ncol; i++)
    if (from[i] < 0) valueOf(values[i], &row[i]);
  int rc = allocPending(t);
  for (;;) {
    if (rc != SQLITE_OK) return rc;
    int more = rowBatchRowsNext(rows);
    if (more < 0) {
      setError(v, "%s", rowBatchRowsError(rows));
      return SQLITE_ERROR;
    }
    if (!more) return SQLITE_OK;
    for (int i = 0; i < t->ncol; i++) {
      if (from[i] < 0) continue;
      Value *x = &row[i];
      x->kind = rowBatchRowsValue(rows, from[i], &x->i, &x->p, &x->n);
      if (x->kind < 0) {
        setError(v, "%s", rowBatchRowsError(rows));
        return SQLITE_ERROR;
      }
    }
    rc = appendRow(t, row);
  }
}

static int tableUpdate(sqlite3_vtab *v, int argc, sqlite3_value **argv, sqlite_int64 *rowid) {
  Table *t = (Table *)v;
  if (argc == 1 || sqlite3_value_type(argv[0]) != SQLITE_NULL) {
    setError(v, "column_blocks: rows are not updated or deleted one by one; a partition goes with its blocks (%s_blocks)", t->name);
    return SQLITE_CONSTRAINT;
  }
  if (argc != t->ncol + 3) return SQLITE_ERROR;
  sqlite3_value **values = argv + 2;
  *rowid = 0;
  RowBatchRows *rows = sqlite3_value_pointer(values[t->ncol], ROW_BATCH_ROWS);
  if (rows) return appendBatch(t, values, rows);
  Value row[MAX_COLS];
  for (int i = 0; i < t->ncol; i++) valueOf(values[i], &row[i]);
  int rc = allocPending(t);
  return rc != SQLITE_OK ? rc : appendRow(t, row);
}

static int tableSync(sqlite3_vtab *v) { return flushBlock((Table *)v); }
static int tableBegin(sqlite3_vtab *v) { return SQLITE_OK; }
static int tableCommit(sqlite3_vtab *v) { return SQLITE_OK; }
static int tableRollback(sqlite3_vtab *v) {
  Table *t = (Table *)v;
  t->pendingRows = 0;
  for (int i = 0; i < t->ncol; i++)
    if (t->pending[i]) t->pending[i]->bytes.n = 0;
  return SQLITE_OK;
}

/* ----- reading ----- */

/* A constraint as xFilter compiles it: integer bounds, or the values a column must equal. */
typedef struct {
  int col;
  int op;
  /* OP_RANGE: lo <= v <= hi. OP_EQ on an INTEGER column: sorted values. */
  sqlite3_int64 lo, hi;
  sqlite3_int64 *ints;
  int n;
  /* OP_EQ on a TEXT column: the values, and their codes in the current block. */
  unsigned char **texts;
  int *textLens;
  uint32_t *codes;
  int codeCount;
  /* Holds a value of a type the C filter does not compare (SQLite's own check decides). */
  int inert;
} Cons;

/* A block as read: its segments, each column decoded when first asked for. */
typedef struct Block {
  sqlite3_int64 id;
  sqlite3_int64 key;
  int rows;
  Buf data;
  sqlite3_int64 segAt[MAX_COLS], segZ[MAX_COLS], segRaw[MAX_COLS];
  int decoded[MAX_COLS];
  sqlite3_int64 *ints[MAX_COLS];
  unsigned char *nulls[MAX_COLS];
  Buf raw[MAX_COLS];
  uint32_t *codes[MAX_COLS];
  int dictN[MAX_COLS];
  sqlite3_int64 *dictAt[MAX_COLS];
  int *dictLen[MAX_COLS];
  /* Whether the RANGE column's values are sorted without NULLs: -1 not yet known. */
  int rangeSorted;
  /* The table's directory generation it was read in (a block id names other data after a clear). */
  sqlite3_uint64 generation;
} Block;

typedef struct {
  sqlite3_vtab_cursor base;
  Table *t;
  Dir *dir;
  /* The directory entry of the current (or last looked at) block. */
  int at;
  int desc;
  sqlite3_int64 used;
  Cons cons[MAX_COLS * 2];
  int ncons;
  /* Bounds from the KEY, SEQUENCE and RANGE constraints. */
  sqlite3_int64 keyLo, keyHi, seqLo, seqHi, rangeLo, rangeHi;
  int empty;
  Block *b;
  int haveBlock;
  int row;
  /*
   * The constraint a scan tests first (an equality, by a tight loop over its one column); the others
   * are checked on the rows that pass it. -1: every row is checked.
   */
  int cand;
  /* The block's rows within the SEQUENCE bounds (and the RANGE bounds where its times are sorted). */
  int rowLo, rowHi;
  int eof;
} Cursor;

static void consFree(Cons *c) {
  sqlite3_free(c->ints);
  if (c->texts)
    for (int i = 0; i < c->n; i++) sqlite3_free(c->texts[i]);
  sqlite3_free(c->texts);
  sqlite3_free(c->textLens);
  sqlite3_free(c->codes);
  memset(c, 0, sizeof(*c));
}

static void blockFree(struct Block *b) {
  bufFree(&b->data);
  for (int i = 0; i < MAX_COLS; i++) {
    sqlite3_free(b->ints[i]);
    sqlite3_free(b->nulls[i]);
    bufFree(&b->raw[i]);
    sqlite3_free(b->codes[i]);
    sqlite3_free(b->dictAt[i]);
    sqlite3_free(b->dictLen[i]);
  }
  memset(b, 0, sizeof(*b));
}

static int cursorOpen(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
  Cursor *c = sqlite3_malloc(sizeof(*c));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  c->b = sqlite3_malloc(sizeof(Block));
  if (!c->b) {
    sqlite3_free(c);
    return SQLITE_NOMEM;
  }
  memset(c->b, 0, sizeof(Block));
  c->t = (Table *)v;
  c->eof = 1;
  *out = &c->base;
  return SQLITE_OK;
}

static int cursorClose(sqlite3_vtab_cursor *cur) {
  Cursor *c = (Cursor *)cur;
  for (int i = 0; i < c->ncons; i++) consFree(&c->cons[i]);
  dirRelease(c->dir);
  Table *t = c->t;
  if (c->b->data.n > 0 && c->b->generation == t->dirGeneration) {
    if (t->spare) {
      blockFree(t->spare);
      sqlite3_free(t->spare);
    }
    t->spare = c->b;
  } else {
    blockFree(c->b);
    sqlite3_free(c->b);
  }
  sqlite3_free(c);
  return SQLITE_OK;
}

static int corrupt(Cursor *c, const char *what) {
  sqlite3_free(c->t->base.zErrMsg);
  c->t->base.zErrMsg = sqlite3_mprintf("column_blocks: block %lld of %s is damaged (its %s)", c->b->id, c->t->name, what);
  return SQLITE_CORRUPT;
}

/* Inflates and decodes column `col` of the current block. */
static int decodeColumn(Cursor *c, int col) {
  Block *b = c->b;
  if (b->decoded[col]) return SQLITE_OK;
  Buf *raw = &b->raw[col];
  raw->n = 0;
  if (bufReserve(raw, b->segRaw[col] + 1)) return SQLITE_NOMEM;
  uLongf n = (uLongf)b->segRaw[col];
  if (uncompress(raw->p, &n, b->data.p + b->segAt[col], (uLong)b->segZ[col]) != Z_OK || n != (uLongf)b->segRaw[col]) return corrupt(c, "inflate");
  raw->n = (sqlite3_int64)n;
  const unsigned char *p = raw->p;
  sqlite3_int64 at = 0, end = raw->n;
  uint64_t x;
  int rows = b->rows;
  if (!c->t->cols[col].text) {
    if (!b->ints[col]) b->ints[col] = sqlite3_malloc(BLOCK_ROWS * sizeof(sqlite3_int64));
    if (!b->nulls[col]) b->nulls[col] = sqlite3_malloc(BLOCK_ROWS);
    if (!b->ints[col] || !b->nulls[col]) return SQLITE_NOMEM;
    if (!getVarint(p, end, &at, &x)) return corrupt(c, "null flag");
    memset(b->nulls[col], 0, (size_t)rows);
    if (x) {
      int bytes = (rows + 7) / 8;
      if (at + bytes > end) return corrupt(c, "null bitmap");
      for (int r = 0; r < rows; r++) b->nulls[col][r] = (p[at + r / 8] >> (r & 7)) & 1;
      at += bytes;
    }
    sqlite3_int64 prev = 0;
    for (int r = 0; r < rows; r++) {
      if (b->nulls[col][r]) continue;
      if (!getVarint(p, end, &at, &x)) return corrupt(c, "integer");
      prev = (sqlite3_int64)((uint64_t)prev + (uint64_t)unzigzag(x));
      b->ints[col][r] = prev;
    }
  } else {
    if (!getVarint(p, end, &at, &x) || x > (uint64_t)rows) return corrupt(c, "dictionary size");
    int n = (int)x;
    sqlite3_free(b->dictAt[col]);
    sqlite3_free(b->dictLen[col]);
    b->dictAt[col] = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(n + 1));
    b->dictLen[col] = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(n + 1));
    if (!b->codes[col]) b->codes[col] = sqlite3_malloc(BLOCK_ROWS * sizeof(uint32_t));
    if (!b->dictAt[col] || !b->dictLen[col] || !b->codes[col]) return SQLITE_NOMEM;
    for (int i = 0; i < n; i++) {
      if (!getVarint(p, end, &at, &x) || at + (sqlite3_int64)x > end) return corrupt(c, "dictionary");
      b->dictAt[col][i] = at;
      b->dictLen[col][i] = (int)x;
      at += (sqlite3_int64)x;
    }
    b->dictN[col] = n;
    for (int r = 0; r < rows; r++) {
      if (!getVarint(p, end, &at, &x) || x > (uint64_t)n) return corrupt(c, "code");
      b->codes[col][r] = (uint32_t)x;
    }
  }
  b->decoded[col] = 1;
  return SQLITE_OK;
}

/* Reads the directory entry `at`'s block into the cursor (its segments located, none decoded). */
static int loadBlock(Cursor *c) {
  Block *b = c->b;
  Table *t = c->t;
  Dir *d = c->dir;
  sqlite3_int64 id = d->id[c->at];
  c->haveBlock = 1;
  if (t->stats) t->stats->blocksLoaded++;
  if (b->id == id && b->data.n > 0 && b->generation == t->dirGeneration) return SQLITE_OK;
  Block *spare = t->spare;
  if (spare && spare->id == id && spare->data.n > 0 && spare->generation == t->dirGeneration) {
    t->spare = b;
    c->b = spare;
    return SQLITE_OK;
  }
  b->data.n = 0;
  b->id = id;
  b->generation = t->dirGeneration;
  b->key = d->key[c->at];
  b->rows = d->rows[c->at];
  if (b->rows <= 0 || b->rows > BLOCK_ROWS) return corrupt(c, "rows");
  int rc = SQLITE_OK;
  if (!t->readBlock) {
    char *sql = sqlite3_mprintf("SELECT data FROM \"%w\".\"%w_blocks\" WHERE rowid = ?", t->schema, t->name);
    rc = sql ? sqlite3_prepare_v3(t->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &t->readBlock, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return rc;
  }
  sqlite3_stmt *s = t->readBlock;
  sqlite3_bind_int64(s, 1, id);
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    const unsigned char *data = sqlite3_column_blob(s, 0);
    int n = sqlite3_column_bytes(s, 0);
    rc = bufPut(&b->data, data, n);
  } else if (rc == SQLITE_DONE) rc = SQLITE_CORRUPT;
  sqlite3_reset(s);
  if (rc != SQLITE_OK) {
    b->data.n = 0;
    if (rc == SQLITE_CORRUPT) return corrupt(c, "row");
    return rc;
  }
  memset(b->decoded, 0, sizeof(b->decoded));
  b->rangeSorted = -1;
  sqlite3_int64 at = 0, n = b->data.n;
  for (int i = 0; i < t->ncol; i++) {
    if (i == t->keyCol) continue;
    uint64_t raw, z;
    if (!getVarint(b->data.p, n, &at, &raw) || !getVarint(b->data.p, n, &at, &z) || at + (sqlite3_int64)z > n) {
      b->data.n = 0;
      return corrupt(c, "segments");
    }
    b->segRaw[i] = (sqlite3_int64)raw;
    b->segZ[i] = (sqlite3_int64)z;
    b->segAt[i] = at;
    at += (sqlite3_int64)z;
  }
  return SQLITE_OK;
}

/* The table's directory as the database is now (read again after any change), with a reference for the caller. */
static int currentDir(Table *t, Dir **out) {
  unsigned int version = 0;
  sqlite3_file_control(t->db, t->schema, SQLITE_FCNTL_DATA_VERSION, &version);
  sqlite3_int64 changes = sqlite3_total_changes64(t->db);
  if (!t->dir || version != t->dirDataVersion || changes != t->dirChanges) {
    char *sql = sqlite3_mprintf("SELECT rowid, key, first, last, least, greatest, rows, zone FROM \"%w\".\"%w_blocks\" ORDER BY key, first", t->schema, t->name);
    sqlite3_stmt *s = 0;
    int rc = sql ? sqlite3_prepare_v2(t->db, sql, -1, &s, 0) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
      setError(&t->base, "column_blocks: %s", sqlite3_errmsg(t->db));
      return rc;
    }
    Dir *d = sqlite3_malloc(sizeof(*d));
    if (!d) {
      sqlite3_finalize(s);
      return SQLITE_NOMEM;
    }
    memset(d, 0, sizeof(*d));
    d->refs = 1;
    int cap = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      int zoneBytes = sqlite3_column_bytes(s, 7);
      if (d->n == 0) d->zoneBytes = zoneBytes;
      if (d->n == cap) {
        cap = cap ? cap * 2 : 64;
        sqlite3_int64 **cols[] = {&d->id, &d->key, &d->first, &d->last, &d->least, &d->greatest};
        for (int k = 0; k < 6; k++) {
          void *p = sqlite3_realloc64(*cols[k], sizeof(sqlite3_int64) * (sqlite3_uint64)cap);
          if (!p) rc = SQLITE_NOMEM;
          else *cols[k] = p;
        }
        void *p = sqlite3_realloc64(d->rows, sizeof(int) * (sqlite3_uint64)cap);
        if (!p) rc = SQLITE_NOMEM;
        else d->rows = p;
        p = sqlite3_realloc64(d->hasRange, (sqlite3_uint64)cap);
        if (!p) rc = SQLITE_NOMEM;
        else d->hasRange = p;
        p = sqlite3_realloc64(d->zones, (sqlite3_uint64)cap * (sqlite3_uint64)(d->zoneBytes + 1));
        if (!p) rc = SQLITE_NOMEM;
        else d->zones = p;
        if (rc == SQLITE_NOMEM) break;
      }
      int i = d->n++;
      d->id[i] = sqlite3_column_int64(s, 0);
      d->key[i] = sqlite3_column_int64(s, 1);
      d->first[i] = sqlite3_column_int64(s, 2);
      d->last[i] = sqlite3_column_int64(s, 3);
      d->hasRange[i] = sqlite3_column_type(s, 4) != SQLITE_NULL;
      d->least[i] = sqlite3_column_int64(s, 4);
      d->greatest[i] = sqlite3_column_int64(s, 5);
      d->rows[i] = sqlite3_column_int(s, 6);
      /* Zone maps are all one size (one filter per SET column); another size is read as none. */
      unsigned char *zone = d->zones + (sqlite3_int64)i * d->zoneBytes;
      if (zoneBytes == d->zoneBytes && d->zoneBytes > 0) memcpy(zone, sqlite3_column_blob(s, 7), (size_t)zoneBytes);
      else if (d->zoneBytes > 0) memset(zone, 0xff, (size_t)d->zoneBytes);
    }
    sqlite3_finalize(s);
    if (rc == SQLITE_DONE && d->n > 0) {
      d->greatestSoFar = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)d->n);
      d->leastFrom = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)d->n);
      if (!d->greatestSoFar || !d->leastFrom) rc = SQLITE_NOMEM;
      else {
        sqlite3_int64 g = LLONG_MIN, l = LLONG_MAX;
        for (int i = 0; i < d->n; i++) {
          if (d->hasRange[i] && d->greatest[i] > g) g = d->greatest[i];
          d->greatestSoFar[i] = g;
        }
        for (int i = d->n - 1; i >= 0; i--) {
          if (d->hasRange[i] && d->least[i] < l) l = d->least[i];
          d->leastFrom[i] = l;
        }
      }
    }
    if (rc != SQLITE_DONE) {
      dirRelease(d);
      if (rc != SQLITE_NOMEM) setError(&t->base, "column_blocks: reading blocks: %s", sqlite3_errmsg(t->db));
      return rc;
    }
    dirRelease(t->dir);
    t->dir = d;
    t->dirGeneration++;
    t->dirDataVersion = version;
    t->dirChanges = changes;
  }
  t->dir->refs++;
  *out = t->dir;
  return SQLITE_OK;
}

/* Resolves the text constraints' values to the block's codes; 0 when a constraint matches no row. */
static int resolveCodes(Cursor *c, int *any) {
  Block *b = c->b;
  *any = 1;
  for (int k = 0; k < c->ncons; k++) {
    Cons *q = &c->cons[k];
    if (q->inert || !c->t->cols[q->col].text) continue;
    int rc = decodeColumn(c, q->col);
    if (rc != SQLITE_OK) return rc;
    q->codeCount = 0;
    for (int d = 0; d < b->dictN[q->col]; d++) {
      const unsigned char *s = b->raw[q->col].p + b->dictAt[q->col][d];
      int len = b->dictLen[q->col][d];
      for (int i = 0; i < q->n; i++) {
        if (q->textLens[i] == len && memcmp(q->texts[i], s, (size_t)len) == 0) {
          q->codes[q->codeCount++] = (uint32_t)d + 1;
          break;
        }
      }
    }
    if (q->codeCount == 0) {
      *any = 0;
      return SQLITE_OK;
    }
  }
  return SQLITE_OK;
}

/* Whether directory entry `i`'s block can hold a row matching the constraints (ranges, Bloom filters). */
static int blockMayMatch(Cursor *c, int i) {
  Dir *d = c->dir;
  if (d->key[i] < c->keyLo || d->key[i] > c->keyHi || d->last[i] < c->seqLo || d->first[i] > c->seqHi) return 0;
  if (c->rangeLo > LLONG_MIN || c->rangeHi < LLONG_MAX) {
    if (!d->hasRange[i]) return 0;
    if (d->greatest[i] < c->rangeLo || d->least[i] > c->rangeHi) return 0;
  }
  const unsigned char *zone = d->zones + (sqlite3_int64)i * d->zoneBytes;
  int set = 0;
  for (int col = 0; col < c->t->ncol; col++) {
    if (c->t->cols[col].role != ROLE_SET) continue;
    const unsigned char *bloom = d->zoneBytes >= (set + 1) * BLOOM_BYTES ? zone + set * BLOOM_BYTES : 0;
    set++;
    if (!bloom) continue;
    for (int k = 0; k < c->ncons; k++) {
      Cons *q = &c->cons[k];
      if (q->col != col || q->op != OP_EQ || q->inert) continue;
      int hit = 0;
      for (int v = 0; v < q->n && !hit; v++) hit = bloomHas(bloom, c->t->cols[col].text ? hashText(q->texts[v], q->textLens[v]) : hashInt(q->ints[v]));
      if (!hit) return 0;
    }
  }
  return 1;
}

static int rowMatches(Cursor *c, int r) {
  Block *b = c->b;
  for (int k = 0; k < c->ncons; k++) {
    Cons *q = &c->cons[k];
    if (q->inert) continue;
    int col = q->col;
    if (c->t->cols[col].text) {
      uint32_t code = b->codes[col][r];
      int hit = 0;
      for (int i = 0; i < q->codeCount && !hit; i++) hit = q->codes[i] == code;
      if (!hit) return 0;
      continue;
    }
    if (col == c->t->keyCol) continue; /* the block's, checked with it */
    if (b->nulls[col][r]) return 0;
    sqlite3_int64 v = b->ints[col][r];
    if (q->op == OP_RANGE) {
      if (v < q->lo || v > q->hi) return 0;
    } else {
      int lo = 0, hi = q->n - 1, hit = 0;
      while (lo <= hi && !hit) {
        int mid = (lo + hi) / 2;
        if (q->ints[mid] == v) hit = 1;
        else if (q->ints[mid] < v) lo = mid + 1;
        else hi = mid - 1;
      }
      if (!hit) return 0;
    }
  }
  return 1;
}

/* The first row whose value in `v` is >= x (rows lo..hi-1 sorted ascending). */
static int lowerBound(const sqlite3_int64 *v, int lo, int hi, sqlite3_int64 x) {
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* The first row whose value in `v` is > x (rows lo..hi-1 sorted ascending). */
static int upperBound(const sqlite3_int64 *v, int lo, int hi, sqlite3_int64 x) {
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/*
 * Narrows the rows a scan of the current block visits: by binary search on the SEQUENCE (always
 * increasing) and on the RANGE column where the block's values are sorted without NULLs (as a
 * capture's times are).
 */
static int rowWindow(Cursor *c) {
  Block *b = c->b;
  Table *t = c->t;
  int lo = 0, hi = b->rows;
  int rc;
  if (c->seqLo > LLONG_MIN || c->seqHi < LLONG_MAX) {
    if ((rc = decodeColumn(c, t->seqCol)) != SQLITE_OK) return rc;
    const sqlite3_int64 *v = b->ints[t->seqCol];
    lo = lowerBound(v, lo, hi, c->seqLo);
    hi = upperBound(v, lo, hi, c->seqHi);
  }
  if (lo < hi && (c->rangeLo > LLONG_MIN || c->rangeHi < LLONG_MAX)) {
    if ((rc = decodeColumn(c, t->rangeCol)) != SQLITE_OK) return rc;
    if (b->rangeSorted < 0) {
      const sqlite3_int64 *v = b->ints[t->rangeCol];
      const unsigned char *nulls = b->nulls[t->rangeCol];
      int sorted = !nulls[0];
      for (int r = 1; r < b->rows && sorted; r++) sorted = !nulls[r] && v[r - 1] <= v[r];
      b->rangeSorted = sorted;
    }
    if (b->rangeSorted) {
      const sqlite3_int64 *v = b->ints[t->rangeCol];
      lo = lowerBound(v, lo, hi, c->rangeLo);
      hi = upperBound(v, lo, hi, c->rangeHi);
    }
  }
  c->rowLo = lo;
  c->rowHi = hi - 1;
  return SQLITE_OK;
}

/* Picks the constraint a scan of the block tests first: its first usable equality (none: -1). */
static void pickCandidate(Cursor *c) {
  c->cand = -1;
  for (int k = 0; k < c->ncons && c->cand < 0; k++) {
    Cons *q = &c->cons[k];
    if (q->op == OP_EQ && !q->inert && q->col != c->t->keyCol) c->cand = k;
  }
}

/*
 * The next row after `r` (before it, scanning backwards) within the window that passes the picked
 * equality, found by a tight loop over that one column: an EXISTS stops at the first, so the rows
 * are found as the scan needs them rather than all at once. Past the window when there is none.
 */
static int nextCandidate(Cursor *c, int r) {
  const Block *b = c->b;
  const Cons *q = &c->cons[c->cand];
  int col = q->col, step = c->desc ? -1 : 1, lo = c->rowLo, hi = c->rowHi;
  if (c->t->cols[col].text) {
    const uint32_t *codes = b->codes[col];
    if (q->codeCount == 1) {
      uint32_t want = q->codes[0];
      for (r += step; r >= lo && r <= hi; r += step)
        if (codes[r] == want) return r;
      return r;
    }
    for (r += step; r >= lo && r <= hi; r += step)
      for (int i = 0; i < q->codeCount; i++)
        if (codes[r] == q->codes[i]) return r;
    return r;
  }
  const sqlite3_int64 *v = b->ints[col];
  const unsigned char *nulls = b->nulls[col];
  if (q->n == 1) {
    sqlite3_int64 want = q->ints[0];
    for (r += step; r >= lo && r <= hi; r += step)
      if (v[r] == want && !nulls[r]) return r;
    return r;
  }
  for (r += step; r >= lo && r <= hi; r += step) {
    if (nulls[r]) continue;
    int a = 0, z = q->n - 1;
    while (a <= z) {
      int mid = (a + z) / 2;
      if (q->ints[mid] == v[r]) return r;
      if (q->ints[mid] < v[r]) a = mid + 1;
      else z = mid - 1;
    }
  }
  return r;
}

/* Moves to the next block that may match and decodes what its constraints read. */
static int nextBlock(Cursor *c) {
  Dir *d = c->dir;
  for (;;) {
    c->haveBlock = 0;
    c->at += c->desc ? -1 : 1;
    if (c->at < 0 || c->at >= d->n) {
      c->eof = 1;
      return SQLITE_OK;
    }
    int i = c->at;
    /* Past the key bounds, or past the SEQUENCE bounds of the last key: nothing further this way. */
    if (c->desc ? d->key[i] < c->keyLo || (d->key[i] == c->keyLo && d->last[i] < c->seqLo)
                : d->key[i] > c->keyHi || (d->key[i] == c->keyHi && d->first[i] > c->seqHi)) {
      c->eof = 1;
      return SQLITE_OK;
    }
    /* No block further this way reaches into the time range. */
    if (c->desc ? d->greatestSoFar[i] < c->rangeLo : d->leastFrom[i] > c->rangeHi) {
      c->eof = 1;
      return SQLITE_OK;
    }
    if (!blockMayMatch(c, i)) continue;
    int rc = loadBlock(c);
    if (rc != SQLITE_OK) return rc;
    for (int k = 0; k < c->ncons; k++) {
      Cons *q = &c->cons[k];
      if (!q->inert && q->col != c->t->keyCol && (rc = decodeColumn(c, q->col)) != SQLITE_OK) return rc;
    }
    int any;
    if ((rc = resolveCodes(c, &any)) != SQLITE_OK) return rc;
    if (!any) continue;
    if ((rc = rowWindow(c)) != SQLITE_OK) return rc;
    if (c->rowLo > c->rowHi) continue;
    pickCandidate(c);
    c->row = c->desc ? c->rowHi + 1 : c->rowLo - 1;
    return SQLITE_OK;
  }
}

/* Entries before the first with (key, last) >= (k, s): where an ascending scan starts. */
static int firstReaching(const Dir *d, sqlite3_int64 k, sqlite3_int64 s) {
  int lo = 0, hi = d->n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (d->key[mid] < k || (d->key[mid] == k && d->last[mid] < s)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Entries before the first whose greatest-so-far reaches `lo`: none of them is in a range from `lo`. */
static int firstReachingTime(const Dir *d, sqlite3_int64 lo) {
  int a = 0, b = d->n;
  while (a < b) {
    int mid = a + (b - a) / 2;
    if (d->greatestSoFar[mid] < lo) a = mid + 1;
    else b = mid;
  }
  return a;
}

/* Entries up to the last whose least-from is within `hi` (exclusive end): none after is in a range to `hi`. */
static int pastWithinTime(const Dir *d, sqlite3_int64 hi) {
  int a = 0, b = d->n;
  while (a < b) {
    int mid = a + (b - a) / 2;
    if (d->leastFrom[mid] <= hi) a = mid + 1;
    else b = mid;
  }
  return a;
}

/* Entries up to the last with (key, first) <= (k, s): where a descending scan starts (exclusive). */
static int pastWithin(const Dir *d, sqlite3_int64 k, sqlite3_int64 s) {
  int lo = 0, hi = d->n;
  while (lo < hi) {
    int mid = lo + (hi - lo) / 2;
    if (d->key[mid] < k || (d->key[mid] == k && d->first[mid] <= s)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Steps to the next matching row, across blocks. */
static int advanceRow(Cursor *c) {
  while (!c->eof) {
    if (c->haveBlock && c->cand >= 0) {
      for (;;) {
        c->row = nextCandidate(c, c->row);
        if (c->row < c->rowLo || c->row > c->rowHi) break;
        if (rowMatches(c, c->row)) return SQLITE_OK;
      }
    } else if (c->haveBlock) {
      for (;;) {
        c->row += c->desc ? -1 : 1;
        if (c->row < c->rowLo || c->row > c->rowHi) break;
        if (rowMatches(c, c->row)) return SQLITE_OK;
      }
    }
    int rc = nextBlock(c);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* Integer bounds lo <= v <= hi that `v op x` implies for an integer v; 0 when x is no number. */
static int boundsOf(int op, sqlite3_value *x, sqlite3_int64 *lo, sqlite3_int64 *hi) {
  *lo = LLONG_MIN;
  *hi = LLONG_MAX;
  int type = sqlite3_value_type(x);
  if (type == SQLITE_INTEGER) {
    sqlite3_int64 v = sqlite3_value_int64(x);
    switch (op) {
      case SQLITE_INDEX_CONSTRAINT_GT: if (v == LLONG_MAX) *lo = LLONG_MAX, *hi = LLONG_MIN; else *lo = v + 1; break;
      case SQLITE_INDEX_CONSTRAINT_GE: *lo = v; break;
      case SQLITE_INDEX_CONSTRAINT_LT: if (v == LLONG_MIN) *lo = LLONG_MAX, *hi = LLONG_MIN; else *hi = v - 1; break;
      case SQLITE_INDEX_CONSTRAINT_LE: *hi = v; break;
      default: *lo = *hi = v;
    }
    return 1;
  }
  if (type != SQLITE_FLOAT) return 0;
  double d = sqlite3_value_double(x);
  if (d != d) return 0;
  /* Beyond int64's range every integer is on one side of it. */
  const double top = 9223372036854775808.0;
  switch (op) {
    case SQLITE_INDEX_CONSTRAINT_GT:
    case SQLITE_INDEX_CONSTRAINT_GE: {
      double f = op == SQLITE_INDEX_CONSTRAINT_GT ? floor(d) + 1 : ceil(d);
      if (f >= top) *lo = LLONG_MAX, *hi = LLONG_MIN;
      else if (f > -top) *lo = (sqlite3_int64)f;
      return 1;
    }
    case SQLITE_INDEX_CONSTRAINT_LT:
    case SQLITE_INDEX_CONSTRAINT_LE: {
      double f = op == SQLITE_INDEX_CONSTRAINT_LT ? ceil(d) - 1 : floor(d);
      if (f < -top) *lo = LLONG_MAX, *hi = LLONG_MIN;
      else if (f < top) *hi = (sqlite3_int64)f;
      return 1;
    }
    default:
      if (d != floor(d) || d >= top || d < -top) *lo = LLONG_MAX, *hi = LLONG_MIN;
      else *lo = *hi = (sqlite3_int64)d;
      return 1;
  }
}

static int cmpInt(const void *a, const void *b) {
  sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
  return x < y ? -1 : x > y;
}

/* Adds one value to an equality constraint; marks it inert for a value it does not compare. */
static int consAdd(Cons *q, int text, sqlite3_value *x, int cap) {
  int type = sqlite3_value_type(x);
  if (q->n == cap) return SQLITE_OK;
  if (text) {
    if (type != SQLITE_TEXT) {
      if (type != SQLITE_NULL) q->inert = 1; /* NULL never equals: leaving it out is exact */
      return SQLITE_OK;
    }
    int n = sqlite3_value_bytes(x);
    unsigned char *s = sqlite3_malloc(n + 1);
    if (!s) return SQLITE_NOMEM;
    memcpy(s, sqlite3_value_text(x), (size_t)n);
    q->texts[q->n] = s;
    q->textLens[q->n++] = n;
    return SQLITE_OK;
  }
  if (type == SQLITE_NULL) return SQLITE_OK;
  sqlite3_int64 lo, hi;
  if (!boundsOf(SQLITE_INDEX_CONSTRAINT_EQ, x, &lo, &hi)) {
    q->inert = 1;
    return SQLITE_OK;
  }
  if (lo == hi) q->ints[q->n++] = lo;
  return SQLITE_OK;
}

/*
 * idxNum: the columns the statement reads (bit i, column i; bit 31 for any past 30).
 * idxStr: 'A' or 'D' (the scan's direction), then per argument its column and operator as two
 * characters: 'a' + column, then 'e' (equality), 'i' (IN, all at once), 'g' >, 'G' >=, 'l' <, 'L' <=.
 */
static int cursorFilter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc, sqlite3_value **argv) {
  Cursor *c = (Cursor *)cur;
  Table *t = c->t;
  for (int i = 0; i < c->ncons; i++) consFree(&c->cons[i]);
  c->ncons = 0;
  c->eof = 0;
  c->haveBlock = 0;
  c->desc = idxStr && idxStr[0] == 'D';
  c->keyLo = c->seqLo = c->rangeLo = LLONG_MIN;
  c->keyHi = c->seqHi = c->rangeHi = LLONG_MAX;
  int rc = SQLITE_OK;
  for (int a = 0; a < argc && rc == SQLITE_OK; a++) {
    int col = idxStr[1 + 2 * a] - 'a';
    char op = idxStr[2 + 2 * a];
    if (col < 0 || col >= t->ncol) return SQLITE_ERROR;
    Cons *q = &c->cons[c->ncons++];
    memset(q, 0, sizeof(*q));
    q->col = col;
    int text = t->cols[col].text;
    if (op == 'e' || op == 'i') {
      q->op = OP_EQ;
      int cap = 1;
      sqlite3_value *x;
      if (op == 'i') {
        cap = 0;
        for (rc = sqlite3_vtab_in_first(argv[a], &x); rc == SQLITE_OK && x; rc = sqlite3_vtab_in_next(argv[a], &x)) cap++;
        if (rc != SQLITE_DONE && rc != SQLITE_OK) return rc;
        rc = SQLITE_OK;
      }
      if (text) {
        q->texts = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(cap + 1));
        q->textLens = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(cap + 1));
        q->codes = sqlite3_malloc64(sizeof(uint32_t) * (sqlite3_uint64)(cap + 1));
        if (!q->texts || !q->textLens || !q->codes) return SQLITE_NOMEM;
      } else {
        q->ints = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)(cap + 1));
        if (!q->ints) return SQLITE_NOMEM;
      }
      if (op == 'i') {
        for (rc = sqlite3_vtab_in_first(argv[a], &x); rc == SQLITE_OK && x; rc = sqlite3_vtab_in_next(argv[a], &x)) {
          if ((rc = consAdd(q, text, x, cap)) != SQLITE_OK) return rc;
        }
        if (rc != SQLITE_DONE && rc != SQLITE_OK) return rc;
        rc = SQLITE_OK;
      } else rc = consAdd(q, text, argv[a], cap);
      if (rc != SQLITE_OK) return rc;
      if (q->inert) continue;
      if (!text) {
        qsort(q->ints, (size_t)q->n, sizeof(sqlite3_int64), cmpInt);
        sqlite3_int64 lo = q->n ? q->ints[0] : LLONG_MAX, hi = q->n ? q->ints[q->n - 1] : LLONG_MIN;
        if (col == t->keyCol) { if (lo > c->keyLo) c->keyLo = lo; if (hi < c->keyHi) c->keyHi = hi; }
        if (col == t->seqCol) { if (lo > c->seqLo) c->seqLo = lo; if (hi < c->seqHi) c->seqHi = hi; }
        if (col == t->rangeCol) { if (lo > c->rangeLo) c->rangeLo = lo; if (hi < c->rangeHi) c->rangeHi = hi; }
      }
      if (q->n == 0) c->eof = 1; /* only NULLs: equal to nothing */
    } else {
      int sop = op == 'g' ? SQLITE_INDEX_CONSTRAINT_GT : op == 'G' ? SQLITE_INDEX_CONSTRAINT_GE : op == 'l' ? SQLITE_INDEX_CONSTRAINT_LT : SQLITE_INDEX_CONSTRAINT_LE;
      q->op = OP_RANGE;
      if (sqlite3_value_type(argv[a]) == SQLITE_NULL) {
        c->eof = 1; /* a comparison with NULL holds for no row */
        continue;
      }
      if (text || !boundsOf(sop, argv[a], &q->lo, &q->hi)) {
        q->inert = 1;
        continue;
      }
      if (col == t->keyCol) { if (q->lo > c->keyLo) c->keyLo = q->lo; if (q->hi < c->keyHi) c->keyHi = q->hi; }
      if (col == t->seqCol) { if (q->lo > c->seqLo) c->seqLo = q->lo; if (q->hi < c->seqHi) c->seqHi = q->hi; }
      if (col == t->rangeCol) { if (q->lo > c->rangeLo) c->rangeLo = q->lo; if (q->hi < c->rangeHi) c->rangeHi = q->hi; }
    }
  }
  (void)idxNum;
  if (c->keyLo > c->keyHi || c->seqLo > c->seqHi || c->rangeLo > c->rangeHi) c->eof = 1;
  if (c->eof) return SQLITE_OK;
  dirRelease(c->dir);
  c->dir = 0;
  if ((rc = currentDir(t, &c->dir)) != SQLITE_OK) return rc;
  /* Ascending: from the first block whose last number reaches the lower bound; descending: back
     from the last block whose first number is within the upper bound. */
  if (c->desc) {
    c->at = pastWithin(c->dir, c->keyHi, c->seqHi);
    if (c->rangeHi < LLONG_MAX && c->dir->n > 0) {
      int t = pastWithinTime(c->dir, c->rangeHi);
      if (t < c->at) c->at = t;
    }
  } else {
    c->at = firstReaching(c->dir, c->keyLo, c->seqLo);
    if (c->rangeLo > LLONG_MIN && c->dir->n > 0) {
      int t = firstReachingTime(c->dir, c->rangeLo);
      if (t > c->at) c->at = t;
    }
    c->at--;
  }
  c->used = idxNum;
  return advanceRow(c);
}

static int cursorNext(sqlite3_vtab_cursor *cur) { return advanceRow((Cursor *)cur); }
static int cursorEof(sqlite3_vtab_cursor *cur) { return ((Cursor *)cur)->eof; }

static int cursorColumn(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  Cursor *c = (Cursor *)cur;
  Block *b = c->b;
  int r = c->row;
  if (col >= c->t->ncol) return SQLITE_OK; /* rows_from_batch */
  if (col == c->t->keyCol) {
    sqlite3_result_int64(ctx, b->key);
    return SQLITE_OK;
  }
  int rc = decodeColumn(c, col);
  if (rc != SQLITE_OK) return rc;
  if (c->t->cols[col].text) {
    uint32_t code = b->codes[col][r];
    if (code) sqlite3_result_text(ctx, (const char *)b->raw[col].p + b->dictAt[col][code - 1], b->dictLen[col][code - 1], SQLITE_TRANSIENT);
  } else if (!b->nulls[col][r]) sqlite3_result_int64(ctx, b->ints[col][r]);
  return SQLITE_OK;
}

static int cursorRowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid) {
  Cursor *c = (Cursor *)cur;
  *rowid = c->b->id * BLOCK_ROWS + c->row;
  return SQLITE_OK;
}

static int bestIndex(sqlite3_vtab *v, sqlite3_index_info *info) {
  Table *t = (Table *)v;
  char str[2 + MAX_COLS * 4 * 2];
  int n = 0, args = 0;
  double rows = 1e7;
  int keyEq = 0, seqEq = 0;
  str[n++] = 'A';
  for (int i = 0; i < info->nConstraint && args < MAX_COLS * 2; i++) {
    const struct sqlite3_index_constraint *k = &info->aConstraint[i];
    if (!k->usable || k->iColumn < 0 || k->iColumn >= t->ncol) continue;
    const Col *col = &t->cols[k->iColumn];
    char op;
    switch (k->op) {
      case SQLITE_INDEX_CONSTRAINT_EQ: op = sqlite3_vtab_in(info, i, -1) ? 'i' : 'e'; break;
      case SQLITE_INDEX_CONSTRAINT_GT: op = 'g'; break;
      case SQLITE_INDEX_CONSTRAINT_GE: op = 'G'; break;
      case SQLITE_INDEX_CONSTRAINT_LT: op = 'l'; break;
      case SQLITE_INDEX_CONSTRAINT_LE: op = 'L'; break;
      default: continue;
    }
    if (col->text && op != 'e' && op != 'i') continue;
    if (op == 'i') sqlite3_vtab_in(info, i, 1);
    info->aConstraintUsage[i].argvIndex = ++args;
    info->aConstraintUsage[i].omit = 0;
    str[n++] = (char)('a' + k->iColumn);
    str[n++] = op;
    int eq = op == 'e' || op == 'i';
    if (col->role == ROLE_KEY) keyEq |= eq;
    else if (col->role == ROLE_SEQ) {
      if (eq) seqEq = 1;
      else rows /= 8;
    } else if (col->role == ROLE_RANGE) rows /= eq ? 1e5 : 4;
    /* Barely fewer: an OR of equalities is then read as one scan, not one scan per term and a sort. */
    else if (eq) rows /= col->role == ROLE_SET ? 1.5 : 1.2;
  }
  if (seqEq) rows = keyEq ? 1 : 4;
  if (rows < 1) rows = 1;
  /* ORDER BY key[, sequence] or sequence alone under one key, all one way, is the scan's order. */
  if (info->nOrderBy > 0) {
    int desc = info->aOrderBy[0].desc, ok = 1;
    for (int i = 0; i < info->nOrderBy && ok; i++) {
      const struct sqlite3_index_orderby *o = &info->aOrderBy[i];
      if (o->desc != desc) ok = 0;
      else if (o->iColumn == t->keyCol) ok = i == 0;
      else if (o->iColumn == t->seqCol) ok = i == info->nOrderBy - 1 && (i == 1 || keyEq);
      else ok = 0;
    }
    if (ok) {
      info->orderByConsumed = 1;
      str[0] = desc ? 'D' : 'A';
    }
  }
  str[n] = 0;
  info->idxStr = sqlite3_mprintf("%s", str);
  if (!info->idxStr) return SQLITE_NOMEM;
  info->needToFreeIdxStr = 1;
  sqlite3_uint64 used = info->colUsed;
  info->idxNum = (int)(used & 0x7fffffff);
  info->estimatedRows = (sqlite3_int64)rows;
  info->estimatedCost = rows * 2 + 10;
  if (keyEq && seqEq) info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
  return SQLITE_OK;
}

static int tableRename(sqlite3_vtab *v, const char *name) {
  Table *t = (Table *)v;
  char *sql = sqlite3_mprintf("ALTER TABLE \"%w\".\"%w_blocks\" RENAME TO \"%w_blocks\"", t->schema, t->name, name);
  int rc = sql ? sqlite3_exec(t->db, sql, 0, 0, 0) : SQLITE_NOMEM;
  sqlite3_free(sql);
  if (rc == SQLITE_OK) {
    sqlite3_free(t->name);
    t->name = sqlite3_mprintf("%s", name);
    sqlite3_finalize(t->insertBlock);
    t->insertBlock = 0;
  }
  return rc;
}

static sqlite3_module columnBlocksModule = {
  .iVersion = 1,
  .xCreate = tableCreate,
  .xConnect = tableConnect,
  .xBestIndex = bestIndex,
  .xDisconnect = tableDisconnect,
  .xDestroy = tableDestroy,
  .xOpen = cursorOpen,
  .xClose = cursorClose,
  .xFilter = cursorFilter,
  .xNext = cursorNext,
  .xEof = cursorEof,
  .xColumn = cursorColumn,
  .xRowid = cursorRowid,
  .xUpdate = tableUpdate,
  .xBegin = tableBegin,
  .xSync = tableSync,
  .xCommit = tableCommit,
  .xRollback = tableRollback,
  .xRename = tableRename,
};

static void blocksLoadedFunction(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_int64(ctx, ((Stats *)sqlite3_user_data(ctx))->blocksLoaded);
}

int columnBlocksRegister(sqlite3 *db) {
  Stats *stats = sqlite3_malloc(sizeof(*stats));
  if (!stats) return SQLITE_NOMEM;
  memset(stats, 0, sizeof(*stats));
  /* The module owns the counter (freed with it, or at once if it is refused); the function reads it. */
  int rc = sqlite3_create_module_v2(db, "column_blocks", &columnBlocksModule, stats, sqlite3_free);
  if (rc == SQLITE_OK) rc = sqlite3_create_function_v2(db, "column_blocks_loaded", 0, SQLITE_UTF8, stats, blocksLoadedFunction, 0, 0, 0);
  return rc;
}
