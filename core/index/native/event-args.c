/*
 * capscope_evt_arg(info, which, raw): one parameter of an event from its printed parameters, in C.
 * The same function as eventArg in core/index/sql-functions.ts, which a connection without this
 * extension uses (installFilterFunctions registers it only where this one is missing); the Falco
 * rules over the open family call it several times an event, and calling into JavaScript (the
 * event's text made a JavaScript string each time) was most of their cost.
 *
 * A parameter starts where "name=" follows the text's start or a space (name: a letter or _, then
 * letters, digits or _), the starts found left to right without overlapping, as the regular
 * expression /(?:^| )([A-Za-z_][A-Za-z0-9_]*)=/g finds them; its value runs to the next start (the
 * space before it). `which` is a name (the first parameter of that name) or a position from 0;
 * `raw` drops a trailing "(...)" decoding from a value that does not start with it.
 */

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

#include <string.h>

static int identStart(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static int identPart(unsigned char c) { return identStart(c) || (c >= '0' && c <= '9'); }

/* The match at `i` (a space or the text's start before a name and '='): the name's bounds and where the value starts; 0 when none. */
static int matchAt(const unsigned char *s, int n, int i, int *nameAt, int *nameEnd, int *valueAt) {
  int j;
  if (i == 0 && n > 0 && identStart(s[0])) j = 0;
  else if (s[i] == ' ' && i + 1 < n && identStart(s[i + 1])) j = i + 1;
  else return 0;
  int k = j + 1;
  while (k < n && identPart(s[k])) k++;
  if (k >= n || s[k] != '=') return 0;
  *nameAt = j;
  *nameEnd = k;
  *valueAt = k + 1;
  return 1;
}

static void evtArgFunction(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) return;
  const unsigned char *s = sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  if (!s) return;
  int whichType = sqlite3_value_type(argv[1]);
  sqlite3_int64 position = -1;
  const unsigned char *name = 0;
  int nameLen = 0;
  if (whichType == SQLITE_INTEGER) position = sqlite3_value_int64(argv[1]);
  else if (whichType == SQLITE_TEXT) {
    name = sqlite3_value_text(argv[1]);
    nameLen = sqlite3_value_bytes(argv[1]);
  } else if (whichType == SQLITE_FLOAT) {
    double d = sqlite3_value_double(argv[1]);
    if (d != (double)(sqlite3_int64)d) return; /* no parameter at a fractional position */
    position = (sqlite3_int64)d;
  } else return;
  if (whichType != SQLITE_TEXT && position < 0) return;
  int rawType = sqlite3_value_type(argv[2]);
  int raw = (rawType == SQLITE_INTEGER && sqlite3_value_int64(argv[2]) == 1) || (rawType == SQLITE_FLOAT && sqlite3_value_double(argv[2]) == 1.0);
  /* Walk the starts: the chosen one, then the next (where its value ends). */
  sqlite3_int64 index = 0;
  int found = 0, valueAt = 0, valueEnd = n;
  for (int i = 0; i < n;) {
    int a, b, v;
    if (!matchAt(s, n, i, &a, &b, &v)) {
      i++;
      continue;
    }
    if (found) {
      valueEnd = i; /* the next start: its space (or, at 0, nothing before it) */
      break;
    }
    if (name ? (b - a == nameLen && memcmp(s + a, name, (size_t)nameLen) == 0) : index == position) {
      found = 1;
      valueAt = v;
    }
    index++;
    i = v;
  }
  if (!found) return;
  int end = valueEnd;
  if (raw) {
    const unsigned char *paren = memchr(s + valueAt, '(', (size_t)(end - valueAt));
    if (paren && paren > s + valueAt && end > valueAt && s[end - 1] == ')') end = (int)(paren - s);
  }
  sqlite3_result_text(ctx, (const char *)s + valueAt, end - valueAt, SQLITE_TRANSIENT);
}

int eventArgsRegister(sqlite3 *db) {
  return sqlite3_create_function_v2(db, "capscope_evt_arg", 3, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, evtArgFunction, 0, 0, 0);
}
