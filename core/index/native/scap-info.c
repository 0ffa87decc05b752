/*
 * A syscall event's info text ("fd=3(<f>/etc/hosts) size=4096") made in C on the writer's thread
 * from the event's raw parameter bytes, instead of as a JavaScript string on the ingest's thread
 * (docs/benchmarks.md, issue 20: the text was a fifth of the ingest thread's time).
 *
 * The text is exactly the one core/formats/scap/event-processor.ts (infoText) and
 * core/formats/scap/parser/params.ts (formatValueAt) make, which stay the reference: number and
 * flag texts, errno names, addresses, strings decoded as TextDecoder does (a leading BOM dropped,
 * invalid UTF-8 replaced by U+FFFD), a value cut at 200 UTF-16 units. The ingest writes, per event,
 * a record (core/formats/scap/info-record.ts) in a row batch's data area under the column kind 'i'
 * (row-batch.c), laid out little-endian:
 *
 *   u16 event type, u8 flags (1: the rest is the text itself, UTF-8; 2: u16 lengths), u8 n (params)
 *   u8 notes, then per note: u8 param, u16 length, the UTF-8 of "<f>/etc/hosts" (an fd param's
 *   fd as the fd table had it: the text is "3(<f>/etc/hosts)")
 *   n x u32 (or u16) the bytes of each param given below (a BYTEBUF's first 41 at most: all its
 *   text needs); as the event's block has them where it can, so that they are copied at once
 *   the params' bytes back to back
 *
 * What each event's params are (names, types, print formats, flag names, dynamic shapes) and the
 * errno names come from the ingest once per connection: scap_info_table(blob), the blob made by
 * info-record.ts (infoTableBlob) from the event table. scap_info(record) returns the text (the
 * JavaScript way of binding a batch's rows, row-batch-store.ts).
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scap-info.h"

/* Param kinds (info-record.ts PARAM_KIND). */
enum { K_INT, K_STR, K_BYTEBUF, K_ERRNO, K_CHARBUFARRAY, K_SOCKADDR, K_SOCKTUPLE, K_FDLIST, K_DYN, K_IPV4ADDR, K_IPV6ADDR };
/* Param bits. */
enum { P_SIGNED = 1, P_INTEGER = 2, P_ENUM = 4 };
/* Print formats. */
enum { F_DEC, F_HEX, F_OCT };

typedef struct {
  const char *name;
  int nameLen;
  double value;
} Flag;

typedef struct Param {
  int kind, fmt, bits;
  const char *name;
  int nameLen;
  Flag *flags;
  int nflags;
  struct Param *dyn;
  int ndyn;
} Param;

typedef struct {
  Param *params;
  int n;
} Event;

typedef struct {
  unsigned char *blob;
  int blobLen;
  Event *events;
  int nevents;
  const char **errnos; /* by -res; NULL: none */
  int *errnoLens;
  int nerrnos;
} Table;

/* The table the ingest last registered (the same blob every time: one is made per process). */
static Table *current = 0;

/* ----- the table blob ----- */

typedef struct {
  const unsigned char *p;
  int n, at, bad;
} Rd;

static unsigned rdU8(Rd *r) {
  if (r->at + 1 > r->n) return r->bad = 1, 0;
  return r->p[r->at++];
}
static unsigned rdU16(Rd *r) {
  if (r->at + 2 > r->n) return r->bad = 1, 0;
  unsigned v = r->p[r->at] | (r->p[r->at + 1] << 8);
  r->at += 2;
  return v;
}
static uint32_t rdU32(Rd *r) {
  if (r->at + 4 > r->n) return r->bad = 1, 0;
  uint32_t v = (uint32_t)r->p[r->at] | ((uint32_t)r->p[r->at + 1] << 8) | ((uint32_t)r->p[r->at + 2] << 16) | ((uint32_t)r->p[r->at + 3] << 24);
  r->at += 4;
  return v;
}
static double rdF64(Rd *r) {
  double v = 0;
  if (r->at + 8 > r->n) return r->bad = 1, 0;
  memcpy(&v, r->p + r->at, 8); /* little-endian hosts only, as the rest of the extension */
  r->at += 8;
  return v;
}
static const char *rdName(Rd *r, int *len) {
  *len = (int)rdU8(r);
  if (r->at + *len > r->n) return r->bad = 1, "";
  const char *s = (const char *)r->p + r->at;
  r->at += *len;
  return s;
}

static int readParam(Rd *r, Param *p, int depth) {
  p->kind = (int)rdU8(r);
  p->fmt = (int)rdU8(r);
  p->bits = (int)rdU8(r);
  p->name = rdName(r, &p->nameLen);
  p->nflags = (int)rdU16(r);
  p->flags = p->nflags ? sqlite3_malloc64(sizeof(Flag) * (sqlite3_uint64)p->nflags) : 0;
  if (p->nflags && !p->flags) return SQLITE_NOMEM;
  for (int i = 0; i < p->nflags; i++) {
    p->flags[i].name = rdName(r, &p->flags[i].nameLen);
    p->flags[i].value = rdF64(r);
  }
  p->ndyn = (int)rdU8(r);
  if (p->ndyn && depth > 0) r->bad = 1;
  p->dyn = p->ndyn ? sqlite3_malloc64(sizeof(Param) * (sqlite3_uint64)p->ndyn) : 0;
  if (p->ndyn && !p->dyn) return SQLITE_NOMEM;
  if (p->dyn) memset(p->dyn, 0, sizeof(Param) * (size_t)p->ndyn);
  for (int i = 0; i < p->ndyn && !r->bad; i++) {
    int rc = readParam(r, &p->dyn[i], depth + 1);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

/* Builds a table from a blob (copied: the names point into the copy). 0 on a blob that does not parse. */
static Table *tableFrom(const unsigned char *blob, int n, int *nomem) {
  Table *t = sqlite3_malloc(sizeof(Table));
  if (!t) return *nomem = 1, (Table *)0;
  memset(t, 0, sizeof(*t));
  t->blob = sqlite3_malloc(n > 0 ? n : 1);
  if (!t->blob) return *nomem = 1, (Table *)0;
  memcpy(t->blob, blob, (size_t)n);
  t->blobLen = n;
  Rd r = {t->blob, n, 0, 0};
  if (rdU32(&r) != 0x31495343 /* "CSI1" */) return (Table *)0;
  t->nevents = (int)rdU32(&r);
  if (r.bad || t->nevents > 65536) return (Table *)0;
  t->events = sqlite3_malloc64(sizeof(Event) * (sqlite3_uint64)(t->nevents ? t->nevents : 1));
  if (!t->events) return *nomem = 1, (Table *)0;
  memset(t->events, 0, sizeof(Event) * (size_t)t->nevents);
  for (int e = 0; e < t->nevents && !r.bad; e++) {
    Event *ev = &t->events[e];
    ev->n = (int)rdU8(&r);
    ev->params = ev->n ? sqlite3_malloc64(sizeof(Param) * (sqlite3_uint64)ev->n) : 0;
    if (ev->n && !ev->params) return *nomem = 1, (Table *)0;
    if (ev->params) memset(ev->params, 0, sizeof(Param) * (size_t)ev->n);
    for (int i = 0; i < ev->n && !r.bad; i++)
      if (readParam(&r, &ev->params[i], 0) != SQLITE_OK) return *nomem = 1, (Table *)0;
  }
  t->nerrnos = (int)rdU32(&r);
  if (r.bad || t->nerrnos > 100000) return (Table *)0;
  t->errnos = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(t->nerrnos + 1));
  t->errnoLens = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(t->nerrnos + 1));
  if (!t->errnos || !t->errnoLens) return *nomem = 1, (Table *)0;
  memset(t->errnos, 0, sizeof(char *) * (size_t)(t->nerrnos + 1));
  uint32_t count = rdU32(&r);
  for (uint32_t i = 0; i < count && !r.bad; i++) {
    uint32_t v = rdU32(&r);
    int len;
    const char *name = rdName(&r, &len);
    if (v < (uint32_t)t->nerrnos) {
      t->errnos[v] = name;
      t->errnoLens[v] = len;
    }
  }
  if (r.bad || r.at != n) return (Table *)0;
  return t;
}

/* ----- text ----- */

static int outPut(ScapInfoBuf *o, const void *p, int n) {
  if (o->n + n > o->cap) {
    int cap = o->cap ? o->cap : 256;
    while (cap < o->n + n) cap *= 2;
    char *q = sqlite3_realloc(o->p, cap);
    if (!q) return o->nomem = 1, -1;
    o->p = q;
    o->cap = cap;
  }
  if (n > 0) memcpy(o->p + o->n, p, (size_t)n);
  o->n += n;
  return 0;
}
static void outCh(ScapInfoBuf *o, char c) { outPut(o, &c, 1); }
static void outStr(ScapInfoBuf *o, const char *s) { outPut(o, s, (int)strlen(s)); }

static uint64_t le64(const unsigned char *b) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | b[i];
  return v;
}
static unsigned le16(const unsigned char *b) { return b[0] | (b[1] << 8); }
static uint32_t le32(const unsigned char *b) { return (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) | ((uint32_t)b[3] << 24); }

/* An unsigned magnitude in base 10, 16 or 8. */
static void outUnsigned(ScapInfoBuf *o, uint64_t v, int base) {
  char tmp[32];
  int i = 32;
  do {
    unsigned d = (unsigned)(v % (uint64_t)base);
    tmp[--i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= (uint64_t)base;
  } while (v);
  outPut(o, tmp + i, 32 - i);
}

/* An exact integer (neg: its magnitude is negated) as formatValueAt prints a number in `fmt`. */
static void outInteger(ScapInfoBuf *o, int neg, uint64_t mag, int fmt) {
  if (fmt == F_HEX) {
    if (neg && mag) outCh(o, '-');
    outUnsigned(o, mag, 16);
  } else if (fmt == F_OCT) {
    outCh(o, '0');
    if (neg && mag) outCh(o, '-');
    outUnsigned(o, mag, 8);
  } else {
    if (neg && mag) outCh(o, '-');
    outUnsigned(o, mag, 10);
  }
}

/* String(v) for an integral double of any size below 1e21 (JavaScript's shortest round trip). */
static void outJsNumber(ScapInfoBuf *o, double v) {
  if (v == 0) {
    outCh(o, '0');
    return;
  }
  if (fabs(v) < 9007199254740992.0) {
    outInteger(o, v < 0, (uint64_t)fabs(v), F_DEC);
    return;
  }
  char buf[40];
  int p = 1;
  for (; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    if (strtod(buf, 0) == v) break;
  }
  /* "-d.ddde+XX": the digits, then zeros up to the integer's length. */
  const char *s = buf;
  if (*s == '-') outCh(o, '-'), s++;
  char digits[24];
  int k = 0;
  for (; *s && *s != 'e'; s++)
    if (*s >= '0' && *s <= '9') digits[k++] = *s;
  int e = *s == 'e' ? atoi(s + 1) : 0;
  outPut(o, digits, k);
  for (int i = k; i < e + 1; i++) outCh(o, '0');
}

/* An integral double below 2^64 + 2^12 (u64n's largest) in base 16 or 8, exactly. */
static void outDoubleBase(ScapInfoBuf *o, double v, int base) {
  if (v < 18446744073709551616.0) {
    outUnsigned(o, (uint64_t)v, base);
    return;
  }
  char tmp[40];
  int i = 40;
  do {
    double d = fmod(v, base);
    tmp[--i] = (char)(d < 10 ? '0' + (int)d : 'a' + (int)d - 10);
    v = (v - d) / base;
  } while (v > 0 && i > 0);
  outPut(o, tmp + i, 40 - i);
}

/* TextDecoder('utf-8').decode(bytes): a leading BOM dropped, invalid sequences as U+FFFD (WHATWG). */
static void outUtf8(ScapInfoBuf *o, const unsigned char *b, int n) {
  static const unsigned char FFFD[3] = {0xef, 0xbf, 0xbd};
  int i = 0;
  if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf) i = 3;
  int start = i; /* a run of bytes known good, copied at once */
  while (i < n) {
    unsigned c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    int need;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;
    } else {
      outPut(o, b + start, i - start);
      outPut(o, FFFD, 3);
      start = ++i;
      continue;
    }
    int j = i + 1, got = 0;
    while (got < need && j < n) {
      unsigned d = b[j];
      if (d < lo || d > hi) break;
      lo = 0x80;
      hi = 0xbf;
      j++;
      got++;
    }
    if (got == need) {
      i = j;
      continue;
    }
    /* A cut sequence: one U+FFFD for what was read of it; the byte that broke it is read again. */
    outPut(o, b + start, i - start);
    outPut(o, FFFD, 3);
    start = i = j;
  }
  outPut(o, b + start, i - start);
}

/* Bytes.str: up to the first NUL, decoded. */
static void outCStr(ScapInfoBuf *o, const unsigned char *b, int n) {
  const unsigned char *z = memchr(b, 0, (size_t)n);
  outUtf8(o, b, z ? (int)(z - b) : n);
}

static void outIpv4(ScapInfoBuf *o, const unsigned char *b) {
  char tmp[20];
  int k = snprintf(tmp, sizeof tmp, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
  outPut(o, tmp, k);
}

static void outHexWords(ScapInfoBuf *o, const unsigned *w, int from, int to) {
  for (int i = from; i < to; i++) {
    if (i > from) outCh(o, ':');
    outUnsigned(o, w[i], 16);
  }
}

/* params.ts ipv6(). */
static void outIpv6(ScapInfoBuf *o, const unsigned char *b) {
  unsigned w[8];
  for (int i = 0; i < 8; i++) w[i] = (b[2 * i] << 8) | b[2 * i + 1];
  if (!w[0] && !w[1] && !w[2] && !w[3] && !w[4] && w[5] == 0xffff) {
    outStr(o, "::ffff:");
    outIpv4(o, b + 12);
    return;
  }
  int bestStart = -1, bestLen = 0;
  for (int i = 0; i < 8;) {
    if (w[i] != 0) {
      i++;
      continue;
    }
    int j = i;
    while (j < 8 && w[j] == 0) j++;
    if (j - i > bestLen && j - i > 1) bestStart = i, bestLen = j - i;
    i = j;
  }
  if (bestStart < 0) {
    outHexWords(o, w, 0, 8);
    return;
  }
  outHexWords(o, w, 0, bestStart);
  outStr(o, "::");
  outHexWords(o, w, bestStart + bestLen, 8);
}

static void outEndpointPort(ScapInfoBuf *o, unsigned port) {
  outCh(o, ':');
  outUnsigned(o, port, 10);
}

static void outFamily(ScapInfoBuf *o, unsigned family) {
  outStr(o, "family ");
  outUnsigned(o, family, 10);
}

/* params.ts flagNames(): an ENUMFLAGS value's name, or the names of a FLAGS / MODE value's bits. */
static void outFlagNames(ScapInfoBuf *o, const Param *p, double value) {
  if (p->bits & P_ENUM) {
    for (int i = 0; i < p->nflags; i++)
      if (p->flags[i].value == value) {
        outPut(o, p->flags[i].name, p->flags[i].nameLen);
        return;
      }
    return;
  }
  /* value >>> 0, then JavaScript's 32-bit & and ~. */
  double m = fmod(value, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  uint32_t rest = (uint32_t)m;
  int any = 0;
  for (int i = 0; i < p->nflags; i++) {
    double v = p->flags[i].value;
    if (v == 0) {
      if (value == 0) {
        if (any++) outCh(o, '|');
        outPut(o, p->flags[i].name, p->flags[i].nameLen);
      }
      continue;
    }
    /* (rest & v) === v: an int32 result equals v only where v is an int32. */
    if (!(v >= -2147483648.0 && v < 2147483648.0) || v != floor(v)) continue;
    int32_t f = (int32_t)v;
    if ((int32_t)(rest & (uint32_t)f) == f) {
      if (any++) outCh(o, '|');
      outPut(o, p->flags[i].name, p->flags[i].nameLen);
      rest &= ~(uint32_t)f;
    }
  }
}

/* params.ts intAt() as an exact integer: 0 for widths it does not read. */
static int intAt(const Param *p, const unsigned char *b, int len, int *neg, uint64_t *mag, double *d) {
  int sgn = p->bits & P_SIGNED;
  int64_t s;
  uint64_t u;
  switch (len) {
    case 1: s = sgn ? (int8_t)b[0] : b[0]; break;
    case 2: s = sgn ? (int16_t)le16(b) : (int64_t)le16(b); break;
    case 4: s = sgn ? (int32_t)le32(b) : (int64_t)le32(b); break;
    case 8:
      u = le64(b);
      if (sgn) {
        s = (int64_t)u;
        break;
      }
      *neg = 0;
      *mag = u;
      /* u64n: hi * 2^32 + lo, rounded as a double. */
      *d = (double)(uint32_t)(u >> 32) * 4294967296.0 + (double)(uint32_t)u;
      return 1;
    default: return 0;
  }
  *neg = s < 0;
  *mag = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
  if (len == 8) {
    /* i64n: hi * 2^32 + lo, rounded as a double. */
    *d = (double)(int32_t)(uint32_t)((uint64_t)s >> 32) * 4294967296.0 + (double)(uint32_t)(uint64_t)s;
  } else *d = (double)s;
  return 1;
}

static void formatValue(const Table *t, const Param *p, const unsigned char *b, int len, ScapInfoBuf *o);

/* params.ts formatValueAt's default: a number (hex, octal or decimal) and its flag names. */
static void formatNumber(const Param *p, const unsigned char *b, int len, ScapInfoBuf *o) {
  int neg;
  uint64_t mag;
  double d;
  if (!intAt(p, b, len, &neg, &mag, &d)) return;
  /* Below 2^53 the number is exact (an integer type's always is here); beyond it, the text of the
   * double a u64 of another type reads as. */
  int wide = len == 8 && !(fabs(d) < 9007199254740992.0);
  if (!wide) outInteger(o, neg, mag, p->fmt);
  else if (p->fmt == F_HEX) {
    if (d < 0) outCh(o, '-');
    outDoubleBase(o, fabs(d), 16);
  } else if (p->fmt == F_OCT) {
    outCh(o, '0');
    if (d < 0) outCh(o, '-');
    outDoubleBase(o, fabs(d), 8);
  } else outJsNumber(o, d);
  if (p->nflags) {
    int at = o->n;
    outCh(o, '(');
    outFlagNames(o, p, d);
    if (o->n == at + 1) o->n = at;
    else outCh(o, ')');
  }
}

static void formatValue(const Table *t, const Param *p, const unsigned char *b, int len, ScapInfoBuf *o) {
  if (len == 8 && (p->bits & P_INTEGER)) {
    /* 64 bits a number would round are written from their exact value (no flag or errno names). */
    uint64_t u = le64(b);
    int64_t s = (int64_t)u;
    int exact = (p->bits & P_SIGNED) ? (s >= -9007199254740992LL && s < 9007199254740992LL) : u < 9007199254740992ULL;
    if (!exact) {
      if (p->bits & P_SIGNED) outInteger(o, s < 0, s < 0 ? (uint64_t)0 - u : u, p->fmt);
      else outInteger(o, 0, u, p->fmt);
      return;
    }
  }
  switch (p->kind) {
    case K_STR:
      outCStr(o, b, len);
      return;
    case K_BYTEBUF: {
      int n = len < 40 ? len : 40;
      for (int i = 0; i < n; i++) outCh(o, b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.');
      if (len > 40) outStr(o, "...");
      return;
    }
    case K_ERRNO: {
      int neg;
      uint64_t mag;
      double d;
      if (!intAt(p, b, len, &neg, &mag, &d)) return;
      outInteger(o, neg, mag, F_DEC);
      if (neg && mag) {
        outCh(o, '(');
        if (mag < (uint64_t)t->nerrnos && t->errnos[mag]) outPut(o, t->errnos[mag], t->errnoLens[mag]);
        else {
          outCh(o, 'E');
          outUnsigned(o, mag, 10);
        }
        outCh(o, ')');
      }
      return;
    }
    case K_CHARBUFARRAY: {
      /* splitNulList(...).join('.'): the NUL-ended pieces, and what follows the last NUL. */
      int start = 0, pieces = 0;
      for (int i = 0; i < len; i++) {
        if (b[i] != 0) continue;
        if (pieces++) outCh(o, '.');
        outUtf8(o, b + start, i - start);
        start = i + 1;
      }
      if (start < len) {
        if (pieces) outCh(o, '.');
        outUtf8(o, b + start, len - start);
      }
      return;
    }
    case K_SOCKADDR: {
      if (len < 1) return;
      unsigned family = b[0];
      if (family == 2 && len >= 7) {
        outIpv4(o, b + 1);
        outEndpointPort(o, le16(b + 5));
      } else if (family == 10 && len >= 19) {
        outIpv6(o, b + 1);
        outEndpointPort(o, le16(b + 17));
      } else if (family == 1) outCStr(o, b + 1, len - 1);
      else outFamily(o, family);
      return;
    }
    case K_SOCKTUPLE: {
      if (len < 1) return;
      unsigned family = b[0];
      if (family == 2 && len >= 13) {
        outIpv4(o, b + 1);
        outEndpointPort(o, le16(b + 5));
        outStr(o, "->");
        outIpv4(o, b + 7);
        outEndpointPort(o, le16(b + 11));
      } else if (family == 10 && len >= 37) {
        outIpv6(o, b + 1);
        outEndpointPort(o, le16(b + 17));
        outStr(o, "->");
        outIpv6(o, b + 19);
        outEndpointPort(o, le16(b + 35));
      } else if (family == 1 && len >= 17) {
        outUnsigned(o, le64(b + 1), 16);
        outStr(o, "->");
        outUnsigned(o, le64(b + 9), 16);
        outCh(o, ' ');
        outCStr(o, b + 17, len - 17);
      } else outFamily(o, family);
      return;
    }
    case K_FDLIST: {
      if (len < 2) return;
      unsigned n = le16(b);
      int at = 2;
      for (unsigned i = 0; i < n && at + 10 <= len; i++, at += 10) {
        if (i) outCh(o, ' ');
        uint64_t u = le64(b + at);
        double d = (double)(int32_t)(uint32_t)(u >> 32) * 4294967296.0 + (double)(uint32_t)u;
        outJsNumber(o, d);
        outCh(o, ':');
        outUnsigned(o, le16(b + at + 8), 10);
      }
      return;
    }
    case K_DYN: {
      if (len < 1 || b[0] >= p->ndyn) return;
      formatValue(t, &p->dyn[b[0]], b + 1, len - 1, o);
      return;
    }
    case K_IPV4ADDR:
      if (len >= 4) outIpv4(o, b);
      return;
    case K_IPV6ADDR:
      if (len >= 16) outIpv6(o, b);
      return;
    default:
      formatNumber(p, b, len, o);
      return;
  }
}

/* A value longer than 200 UTF-16 units is cut there and "..." added (a pair cut in half: U+FFFD). */
static void cutValue(ScapInfoBuf *o, int from) {
  const unsigned char *s = (const unsigned char *)o->p;
  int units = 0, i = from;
  int cutAt = -1, half = 0;
  while (i < o->n) {
    unsigned c = s[i];
    int w = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    int u = w == 4 ? 2 : 1;
    if (cutAt < 0 && units + u > 200) {
      cutAt = i;
      half = units + 1 == 200 && u == 2;
    }
    units += u;
    i += w;
  }
  if (units <= 200) return;
  o->n = cutAt;
  if (half) outPut(o, "\xef\xbf\xbd", 3);
  outStr(o, "...");
}

int scapInfoRender(const unsigned char *rec, int n, ScapInfoBuf *o) {
  o->n = 0;
  o->nomem = 0;
  if (n < 4) return -1;
  unsigned type = le16(rec);
  if (rec[2] & 1) {
    outPut(o, rec + 4, n - 4);
    return o->nomem ? -1 : 0;
  }
  const Table *t = __atomic_load_n(&current, __ATOMIC_ACQUIRE);
  if (!t || (int)type >= t->nevents) return -1;
  const Event *ev = &t->events[type];
  int count = rec[3];
  int lenSize = rec[2] & 2 ? 2 : 4;
  if (count > ev->n || n < 5) return -1;
  int at = 4;
  int notes = rec[at++];
  const unsigned char *noteAt[256];
  int noteLen[256];
  for (int i = 0; i < count; i++) noteAt[i] = 0;
  for (int k = 0; k < notes; k++) {
    if (at + 3 > n) return -1;
    int i = rec[at];
    int len = (int)le16(rec + at + 1);
    at += 3;
    if (i >= count || at + len > n) return -1;
    noteAt[i] = rec + at;
    noteLen[i] = len;
    at += len;
  }
  if (at + lenSize * count > n) return -1;
  const unsigned char *lens = rec + at;
  at += lenSize * count;
  for (int i = 0; i < count; i++) {
    const Param *p = &ev->params[i];
    uint32_t len = lenSize == 2 ? le16(lens + 2 * i) : le32(lens + 4 * i);
    if (len > (uint32_t)(n - at)) return -1;
    if (i) outCh(o, ' ');
    outPut(o, p->name, p->nameLen);
    outCh(o, '=');
    int from = o->n;
    if (noteAt[i] && len == 8) {
      outInteger(o, 0, le64(rec + at), F_DEC);
      outCh(o, '(');
      outPut(o, noteAt[i], noteLen[i]);
      outCh(o, ')');
    } else formatValue(t, p, rec + at, (int)len, o);
    cutValue(o, from);
    at += (int)len;
  }
  if (at != n) return -1;
  return o->nomem ? -1 : 0;
}

/* ----- SQL ----- */

static void tableFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *blob = sqlite3_value_blob(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  Table *now = __atomic_load_n(&current, __ATOMIC_ACQUIRE);
  if (now && now->blobLen == n && (n == 0 || memcmp(now->blob, blob, (size_t)n) == 0)) {
    sqlite3_result_int(ctx, 1);
    return;
  }
  int nomem = 0;
  Table *t = tableFrom(blob ? blob : (const unsigned char *)"", n, &nomem);
  if (!t) {
    if (nomem) sqlite3_result_error_nomem(ctx);
    else sqlite3_result_error(ctx, "scap_info_table: a table that does not parse", -1);
    return; /* what was allocated stays: a bug, never bad input */
  }
  /* The table before stays allocated: another connection may be rendering with it. */
  __atomic_store_n(&current, t, __ATOMIC_RELEASE);
  sqlite3_result_int(ctx, 1);
}

static void infoFunc(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  ScapInfoBuf o = {0, 0, 0, 0};
  const unsigned char *rec = sqlite3_value_blob(argv[0]);
  if (scapInfoRender(rec, sqlite3_value_bytes(argv[0]), &o) != 0) {
    sqlite3_free(o.p);
    sqlite3_result_error(ctx, "scap_info: a record that does not parse (or no scap_info_table)", -1);
    return;
  }
  if (o.p) sqlite3_result_text(ctx, o.p, o.n, sqlite3_free);
  else sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
}

int scapInfoRegister(sqlite3 *db) {
  int rc = sqlite3_create_function(db, "scap_info_table", 1, SQLITE_UTF8, 0, tableFunc, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "scap_info", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, infoFunc, 0, 0);
  return rc;
}
