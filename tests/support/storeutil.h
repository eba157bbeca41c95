/* Shared helpers of the SQLite-store suites (check_store.c, check_iofault.c,
 * check_crash.c): temporary directories, opening a database file, raw
 * SQLite checks and text snapshots of what an engine shows. */
#ifndef L2C_TEST_STOREUTIL_H
#define L2C_TEST_STOREUTIL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "support/testutil.h"

#define SU_T0 1775032200 /* 2026-04-01T08:30:00Z */

/* ---- temporary directories ----
 * Directories made by su_tmpdir_new and not yet removed are removed at exit
 * too, so that a failed assertion (which ends the test's process, or jumps
 * out of the test with CK_FORK=no) leaves nothing behind in /tmp. */

/* A fresh directory /tmp/l2c-<tag>-XXXXXX for one test (free with
 * su_rmdir_all). */
char *su_tmpdir_new(const char *tag);
/* Remove the directory, its files and the directories a test made in it,
 * and free `dir`. */
void su_rmdir_all(char *dir);
/* Keep the directory: it is no longer removed at exit. */
void su_tmpdir_keep(const char *dir);
/* Remove every file of a directory (and the empty directories in it). */
void su_empty_dir(const char *dir);

/* ---- engines on a database file ---- */

/* l2c_engine_open with that durability and busy timeout (ms), which must
 * succeed; the clock is set to SU_T0. */
l2c_engine *su_open(const char *path, int durability, int busy_ms);

/* ---- raw SQLite checks ---- */

/* One integer from a query (its first row must exist). */
long long su_sql_int_db(sqlite3 *db, const char *sql);
/* The same on a read-only connection of its own to `path`. */
long long su_sql_int(const char *path, const char *sql);
/* PRAGMA integrity_check answers exactly "ok"; `ctx` (may be NULL) prefixes
 * the failure message. */
void su_integrity_ok_db(sqlite3 *db, const char *ctx);
void su_integrity_ok(const char *path);
/* Stored events numbered 1..N without a gap, N = `last`. */
void su_gapless_db(sqlite3 *db, uint64_t last);
void su_gapless(const char *path, uint64_t last);

/* ---- text snapshots ---- */

/* The record types, in a fixed order. */
#define SU_NTYPES 8
extern const char *const su_types[SU_NTYPES];

/* A growing text; su_buf_add appends `s` and a newline. Start with {0},
 * free `s` with free(). */
typedef struct su_buf {
    char *s;
    size_t n, cap;
} su_buf;
void su_buf_add(su_buf *b, const char *s);

enum {
    SU_EVENTS = 1, /* and the `events` output */
    SU_LAST = 2    /* and "last=N", the engine's last sequence */
};
/* The `list` output of every type, one per line, then what `with` asks for,
 * as one text (free with free()). */
char *su_lists(l2c_engine *e, int with);

#endif
