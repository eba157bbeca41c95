/* Shared helpers of the SQLite-store suites; see storeutil.h. */
#include "support/storeutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary directories ---- */

static char live_dirs[8][64];

void su_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (unlink(p) != 0) {
            chmod(p, 0700);
            rmdir(p); /* a directory a test made */
        }
    }
    closedir(d);
}

static void wipe(const char *dir)
{
    chmod(dir, 0700);
    su_empty_dir(dir);
    rmdir(dir);
}

static void wipe_live(void)
{
    for (size_t i = 0; i < sizeof live_dirs / sizeof *live_dirs; i++)
        if (live_dirs[i][0]) {
            wipe(live_dirs[i]);
            live_dirs[i][0] = '\0';
        }
}

static void live_add(const char *dir)
{
    static int registered;
    if (!registered)
        registered = atexit(wipe_live) == 0;
    for (size_t i = 0; i < sizeof live_dirs / sizeof *live_dirs; i++)
        if (!live_dirs[i][0]) {
            snprintf(live_dirs[i], sizeof live_dirs[i], "%s", dir);
            return;
        }
}

void su_tmpdir_keep(const char *dir)
{
    for (size_t i = 0; i < sizeof live_dirs / sizeof *live_dirs; i++)
        if (!strcmp(live_dirs[i], dir))
            live_dirs[i][0] = '\0';
}

char *su_tmpdir_new(const char *tag)
{
    size_t n = strlen("/tmp/l2c--XXXXXX") + strlen(tag) + 1;
    ck_assert_uint_lt(n, sizeof live_dirs[0]);
    char *d = malloc(n);
    ck_assert_ptr_nonnull(d);
    snprintf(d, n, "/tmp/l2c-%s-XXXXXX", tag);
    ck_assert_msg(mkdtemp(d) != NULL, "mkdtemp: %s", strerror(errno));
    live_add(d);
    return d;
}

void su_rmdir_all(char *dir)
{
    wipe(dir);
    su_tmpdir_keep(dir);
    free(dir);
}

/* ---- engines on a database file ---- */

l2c_engine *su_open(const char *path, int durability, int busy_ms)
{
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.durability = durability;
    o.busy_timeout_ms = busy_ms;
    l2c_engine *e = NULL;
    int rc = l2c_engine_open(&e, path, &o);
    ck_assert_msg(rc == 0, "open %s: %d %s", path, rc, l2c_last_error_message(NULL));
    ck_assert_int_eq(l2c_clock_set(e, SU_T0), 0);
    return e;
}

/* ---- raw SQLite checks ---- */

long long su_sql_int_db(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
    ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static sqlite3 *open_ro(const char *path)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    return db;
}

long long su_sql_int(const char *path, const char *sql)
{
    sqlite3 *db = open_ro(path);
    long long v = su_sql_int_db(db, sql);
    sqlite3_close(db);
    return v;
}

void su_integrity_ok_db(sqlite3 *db, const char *ctx)
{
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    const char *r = (const char *)sqlite3_column_text(st, 0);
    ck_assert_msg(r && !strcmp(r, "ok"), "%s%sintegrity_check: %s", ctx ? ctx : "", ctx ? ": " : "",
                  r ? r : "(null)");
    ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

void su_integrity_ok(const char *path)
{
    sqlite3 *db = open_ro(path);
    su_integrity_ok_db(db, NULL);
    sqlite3_close(db);
}

void su_gapless_db(sqlite3 *db, uint64_t last)
{
    ck_assert_int_eq(su_sql_int_db(db, "SELECT count(*) FROM events"), (long long)last);
    ck_assert_int_eq(su_sql_int_db(db, "SELECT coalesce(max(seq),0) FROM events"), (long long)last);
    ck_assert_int_eq(su_sql_int_db(db, "SELECT coalesce(min(seq),1) FROM events"), 1);
}

void su_gapless(const char *path, uint64_t last)
{
    sqlite3 *db = open_ro(path);
    su_gapless_db(db, last);
    sqlite3_close(db);
}

/* ---- text snapshots ---- */

const char *const su_types[SU_NTYPES] = {"account", "lead",    "opportunity", "quote",
                                         "order",   "invoice", "payment",     "credit_note"};

void su_buf_add(su_buf *b, const char *s)
{
    size_t k = strlen(s);
    if (b->n + k + 2 > b->cap) {
        b->cap = (b->n + k + 2) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, s, k);
    b->n += k;
    b->s[b->n++] = '\n';
    b->s[b->n] = '\0';
}

char *su_lists(l2c_engine *e, int with)
{
    su_buf b = {0};
    for (size_t t = 0; t < SU_NTYPES; t++) {
        char cmd[128], *out = NULL;
        snprintf(cmd, sizeof cmd, "{\"op\":\"list\",\"type\":\"%s\"}", su_types[t]);
        ck_assert_int_eq(l2c_exec_json(&out, e, cmd), 0);
        su_buf_add(&b, out);
        l2c_free(out);
    }
    if (with & SU_EVENTS) {
        char *out = NULL;
        ck_assert_int_eq(l2c_exec_json(&out, e, "{\"op\":\"events\"}"), 0);
        su_buf_add(&b, out);
        l2c_free(out);
    }
    if (with & SU_LAST) {
        char last[32];
        snprintf(last, sizeof last, "last=%llu", (unsigned long long)l2c_events_last(e));
        su_buf_add(&b, last);
    }
    return b.s;
}
