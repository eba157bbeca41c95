/* I/O faults under the SQLite store (DESIGN §7, docs/durability.md): a VFS
 * shim, registered as SQLite's default, wraps the real one and fails the
 * N-th xWrite (SQLITE_IOERR_WRITE) or xSync (SQLITE_IOERR_FSYNC) counted
 * from the moment the test arms it; once ("one-shot") or from then on
 * ("sticky": a disk that went bad). For N = 1, 2, … a fixed workload runs
 * until a run passes with no fault. At every N:
 *   - nothing crashes;
 *   - the failing command answers io_error (conflict and no_memory would be
 *     allowed too, never ok), and the engine's memory is as before it;
 *   - after a failed commit every later write is refused with io_error
 *     (commands and outbox acks) until the database is reopened, while
 *     reads go on;
 *   - reopened with the fault disarmed, the database is consistent:
 *     integrity_check ok, events gapless, every command that answered ok is
 *     there, and the failed one is there whole or not at all (the state is
 *     exactly that of an in-memory engine that ran the acknowledged
 *     commands, with or without the failed one);
 *   - the reopened engine writes again.
 * The same shim counts syncs to show what the durability levels do: FULL
 * syncs before a command is acknowledged, OFF never syncs. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/storeutil.h"

#define T0 SU_T0

/* ---- the VFS shim ---- */

enum { F_NONE, F_WRITE, F_SYNC };

static struct {
    int kind;      /* F_WRITE or F_SYNC while armed, F_NONE when not */
    int sticky;    /* fail every call from the N-th on */
    long at;       /* N */
    long count;    /* calls of that kind since armed */
    long hits;     /* faults returned */
    long writes, syncs; /* all calls, armed or not (for the durability checks) */
} F;

typedef struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
} shim_file;

static sqlite3_vfs *orig_vfs;
static sqlite3_vfs shim_vfs;

static int fault(int kind)
{
    if (F.kind != kind)
        return 0;
    F.count++;
    if (F.count == F.at || (F.sticky && F.count > F.at)) {
        F.hits++;
        return 1;
    }
    return 0;
}

#define REAL(f) (((shim_file *)(f))->real)

static int x_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods->xClose(REAL(f));
    return rc;
}
static int x_read(sqlite3_file *f, void *b, int n, sqlite3_int64 off)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, off);
}
static int x_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 off)
{
    F.writes++;
    if (fault(F_WRITE))
        return SQLITE_IOERR_WRITE;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, off);
}
static int x_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int x_sync(sqlite3_file *f, int flags)
{
    F.syncs++;
    if (fault(F_SYNC))
        return SQLITE_IOERR_FSYNC;
    return REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int x_size(sqlite3_file *f, sqlite3_int64 *out) { return REAL(f)->pMethods->xFileSize(REAL(f), out); }
static int x_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int x_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int x_check(sqlite3_file *f, int *out)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int x_fctl(sqlite3_file *f, int op, void *arg)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int x_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int x_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int x_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int x_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}
static void x_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int x_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int x_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}
static int x_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods shim_io[3] = {
    {1, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check, x_fctl,
     x_sector, x_dev, NULL, NULL, NULL, NULL, NULL, NULL},
    {2, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check, x_fctl,
     x_sector, x_dev, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, NULL, NULL},
    {3, x_close, x_read, x_write, x_truncate, x_sync, x_size, x_lock, x_unlock, x_check, x_fctl,
     x_sector, x_dev, x_shm_map, x_shm_lock, x_shm_barrier, x_shm_unmap, x_fetch, x_unfetch},
};

static int v_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    shim_file *s = (shim_file *)f;
    s->real = (sqlite3_file *)(s + 1);
    s->base.pMethods = NULL;
    int rc = orig_vfs->xOpen(orig_vfs, name, s->real, flags, out_flags);
    if (s->real->pMethods) {
        int ver = s->real->pMethods->iVersion;
        s->base.pMethods = &shim_io[(ver < 1 ? 1 : ver > 3 ? 3 : ver) - 1];
    }
    return rc;
}
static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
    return orig_vfs->xDelete(orig_vfs, name, sync);
}
static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    return orig_vfs->xAccess(orig_vfs, name, flags, out);
}
static int v_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
    return orig_vfs->xFullPathname(orig_vfs, name, n, out);
}
static void *v_dlopen(sqlite3_vfs *v, const char *name) { return orig_vfs->xDlOpen(orig_vfs, name); }
static void v_dlerror(sqlite3_vfs *v, int n, char *msg) { orig_vfs->xDlError(orig_vfs, n, msg); }
static void (*v_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    return orig_vfs->xDlSym(orig_vfs, h, sym);
}
static void v_dlclose(sqlite3_vfs *v, void *h) { orig_vfs->xDlClose(orig_vfs, h); }
static int v_random(sqlite3_vfs *v, int n, char *out) { return orig_vfs->xRandomness(orig_vfs, n, out); }
static int v_sleep(sqlite3_vfs *v, int us) { return orig_vfs->xSleep(orig_vfs, us); }
static int v_time(sqlite3_vfs *v, double *out) { return orig_vfs->xCurrentTime(orig_vfs, out); }
static int v_lasterr(sqlite3_vfs *v, int n, char *out) { return orig_vfs->xGetLastError(orig_vfs, n, out); }
static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out) { return orig_vfs->xCurrentTimeInt64(orig_vfs, out); }

static void shim_register(void)
{
    if (!orig_vfs) {
        sqlite3_initialize();
        orig_vfs = sqlite3_vfs_find(NULL);
        ck_assert_ptr_nonnull(orig_vfs);
        ck_assert_int_ge(orig_vfs->iVersion, 2);
        memset(&shim_vfs, 0, sizeof shim_vfs);
        shim_vfs.iVersion = 2;
        shim_vfs.szOsFile = (int)sizeof(shim_file) + orig_vfs->szOsFile;
        shim_vfs.mxPathname = orig_vfs->mxPathname;
        shim_vfs.zName = "l2c-fault";
        shim_vfs.xOpen = v_open;
        shim_vfs.xDelete = v_delete;
        shim_vfs.xAccess = v_access;
        shim_vfs.xFullPathname = v_full;
        shim_vfs.xDlOpen = v_dlopen;
        shim_vfs.xDlError = v_dlerror;
        shim_vfs.xDlSym = v_dlsym;
        shim_vfs.xDlClose = v_dlclose;
        shim_vfs.xRandomness = v_random;
        shim_vfs.xSleep = v_sleep;
        shim_vfs.xCurrentTime = v_time;
        shim_vfs.xGetLastError = v_lasterr;
        shim_vfs.xCurrentTimeInt64 = v_time64;
    }
    memset(&F, 0, sizeof F);
    ck_assert_int_eq(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
    ck_assert_ptr_eq(sqlite3_vfs_find(NULL), &shim_vfs);
}

static void shim_unregister(void)
{
    ck_assert_int_eq(sqlite3_vfs_unregister(&shim_vfs), SQLITE_OK);
    ck_assert_ptr_eq(sqlite3_vfs_find(NULL), orig_vfs);
}

static void arm(int kind, long at, int sticky)
{
    F.kind = kind;
    F.at = at;
    F.sticky = sticky;
    F.count = 0;
    F.hits = 0;
}

static void disarm(void) { F.kind = F_NONE; }

/* ---- the workload ---- */

static const char *const setup_cmds[] = {
    "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Before\"}}",
};

static const char *const work[] = {
    "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Ines\",\"company\":\"Ortega Foods\"}}",
    "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000002\",\"event\":\"contact\"}",
    "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000002\",\"event\":\"qualify\",\"version\":2}",
    "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000002\",\"event\":\"convert\",\"data\":{\"opportunity\":{\"name\":\"Cold\",\"amount\":\"12000.00\"}}}",
    "{\"op\":\"batch\",\"commands\":[{\"op\":\"create\",\"type\":\"lead\",\"id\":\"L-B\",\"data\":{\"name\":\"B\"}},{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-B\",\"event\":\"contact\"}]}",
    "{\"op\":\"create\",\"type\":\"quote\",\"data\":{\"opportunity\":\"OPP-000001\",\"lines\":[{\"sku\":\"A\",\"qty\":2,\"unit_price\":\"4800.00\",\"tax_rate_pct\":\"21\"}]}}",
    "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Last\"}}",
};
#define NWORK (sizeof work / sizeof *work)

static l2c_engine *ref_engine(const int *include, size_t upto)
{
    l2c_engine *e = tu_engine();
    for (size_t i = 0; i < sizeof setup_cmds / sizeof *setup_cmds; i++)
        cJSON_Delete(tu_ok(e, setup_cmds[i]));
    for (size_t i = 0; i < upto; i++)
        if (include[i])
            cJSON_Delete(tu_ok(e, work[i]));
    return e;
}

typedef struct outcome {
    int faulted;   /* the fault fired */
    int failed;    /* index of the first failed command, -1 when none */
    int past_open; /* armed at open, and the open and setup did not meet it */
    int kept;      /* the failed command was found whole after the reopen */
} outcome;

/* One run at fault position N. `open_armed`: the fault is armed before the
 * database is created (schema creation can fail), else after the setup. */
static outcome run_one(const char *dir, int kind, long n, int sticky, int durability, int open_armed)
{
    char path[512];
    snprintf(path, sizeof path, "%s/f.db", dir);
    su_empty_dir(dir);
    outcome out = {0, -1, 0, 0};
    int ok[NWORK] = {0};
    l2c_engine *e = NULL;
    const char *ctx = kind == F_WRITE ? "write" : "sync";

    if (open_armed) {
        arm(kind, n, sticky);
        l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
        o.durability = durability;
        int rc = l2c_engine_open(&e, path, &o);
        if (rc) {
            ck_assert_msg(rc == L2C_EIO, "%s fault %ld at open: %d", ctx, n, rc);
            ck_assert_ptr_null(e);
            ck_assert_int_gt(F.hits, 0);
            disarm();
            out.faulted = 1;
            /* the file opens afterwards, as a new database or with its schema */
            e = su_open(path, durability, 5000);
            ck_assert_uint_eq(l2c_events_last(e), 0);
            l2c_engine_free(e);
            su_integrity_ok(path);
            return out;
        }
        l2c_clock_set(e, T0);
    } else {
        e = su_open(path, durability, 5000);
    }
    for (size_t i = 0; i < sizeof setup_cmds / sizeof *setup_cmds; i++) {
        char *r = NULL;
        int rc = l2c_exec_json(&r, e, setup_cmds[i]);
        l2c_free(r);
        if (rc) { /* only when armed at open */
            ck_assert_msg(open_armed && rc == L2C_EIO, "%s fault %ld: setup gave %d", ctx, n, rc);
            disarm();
            l2c_engine_free(e);
            out.faulted = 1;
            l2c_engine *r2 = su_open(path, durability, 5000);
            ck_assert_uint_eq(l2c_events_last(r2), 0);
            l2c_engine_free(r2);
            su_integrity_ok(path);
            return out;
        }
    }
    if (!open_armed)
        arm(kind, n, sticky);
    else
        out.past_open = F.hits == 0;

    for (size_t i = 0; i < NWORK; i++) {
        char *before = su_lists(e, SU_EVENTS);
        uint64_t last = l2c_events_last(e);
        char *r = NULL;
        int rc = l2c_exec_json(&r, e, work[i]);
        ck_assert_ptr_nonnull(r);
        if (out.failed < 0 && rc == 0) {
            ok[i] = 1;
        } else if (out.failed < 0) {
            /* the failing command: io_error (or conflict / no_memory), never ok */
            ck_assert_msg(rc == L2C_EIO || rc == L2C_ECONFLICT || rc == L2C_ENOMEM,
                          "%s fault %ld%s: command %zu gave %d: %s", ctx, n, sticky ? " sticky" : "", i, rc,
                          r);
            ck_assert_msg(F.hits > 0, "command %zu failed without a fault: %s", i, r);
            out.failed = (int)i;
        } else {
            /* after a failed commit: refused until reopened */
            ck_assert_msg(rc == L2C_EIO, "%s fault %ld%s: command %zu after the failure gave %d: %s", ctx, n,
                          sticky ? " sticky" : "", i, rc, r);
            ck_assert_ptr_nonnull(strstr(r, "\"io_error\""));
        }
        l2c_free(r);
        if (rc) {
            /* nothing of a failed command stays in memory */
            char *after = su_lists(e, SU_EVENTS);
            ck_assert_msg(strcmp(before, after) == 0, "%s fault %ld: state changed by a failed command %zu", ctx,
                          n, i);
            ck_assert_uint_eq(l2c_events_last(e), last);
            free(after);
        }
        free(before);
    }
    if (out.failed >= 0) {
        /* the typed API and outbox acks are refused too; reads still work */
        ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 0), L2C_EIO);
        ck_assert_int_eq(l2c_outbox_ack(e, "relay", 1), L2C_EIO);
        uint64_t cnt = 0;
        ck_assert_int_eq(l2c_count(&cnt, e, "lead"), 0);
        char *g = NULL;
        ck_assert_int_eq(l2c_get_json(&g, e, "lead", "L-000001"), 0);
        l2c_free(g);
    }
    out.faulted = F.hits > 0;
    if (!sticky)
        disarm(); /* one-shot: close cleanly; sticky: the disk stays bad through the close */
    uint64_t mem_last = l2c_events_last(e);
    l2c_engine_free(e);
    disarm();

    /* reopen: consistent, and exactly the acknowledged commands (+ maybe
     * the failed one, whole) */
    su_integrity_ok(path);
    l2c_engine *r = su_open(path, durability, 5000);
    uint64_t last = l2c_events_last(r);
    su_gapless(path, last);
    ck_assert_uint_ge(last, mem_last);
    char *got = su_lists(r, SU_EVENTS);
    l2c_engine *without = ref_engine(ok, NWORK);
    char *w = su_lists(without, SU_EVENTS);
    int match = strcmp(got, w) == 0;
    if (!match && out.failed >= 0) {
        int with[NWORK];
        memcpy(with, ok, sizeof with);
        with[out.failed] = 1;
        l2c_engine *wi = ref_engine(with, NWORK);
        char *x = su_lists(wi, SU_EVENTS);
        match = out.kept = strcmp(got, x) == 0;
        free(x);
        l2c_engine_free(wi);
    }
    ck_assert_msg(match, "%s fault %ld%s (failed command %d): the reopened database is not the acknowledged "
                         "commands (with or without the failed one):\n%s",
                  ctx, n, sticky ? " sticky" : "", out.failed, got);
    free(w);
    free(got);
    l2c_engine_free(without);
    /* and it takes writes again */
    char *res = NULL;
    ck_assert_int_eq(l2c_exec_json(&res, r, "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"again\"}}"),
                     0);
    l2c_free(res);
    ck_assert_int_eq(l2c_outbox_ack(r, "relay", l2c_events_last(r)), 0);
    ck_assert_int_eq(su_sql_int(path, "SELECT count(*) FROM events"), (long long)l2c_events_last(r));
    l2c_engine_free(r);
    su_integrity_ok(path);
    return out;
}

typedef struct tally {
    long runs, faulted, failed_cmd, kept;
} tally;

static tally series(int kind, int sticky, int durability, int open_armed)
{
    char *dir = su_tmpdir_new("iofault");
    tally t = {0, 0, 0, 0};
    for (long n = 1;; n++) {
        ck_assert_msg(n < 2000, "the workload never ran without a fault");
        outcome o = run_one(dir, kind, n, sticky, durability, open_armed);
        t.runs++;
        if (o.failed >= 0)
            t.failed_cmd++;
        t.kept += o.kept;
        if (!o.faulted)
            break; /* N past every write/sync of the workload: done */
        if (o.past_open)
            break; /* the open is covered; the workload is the other series' */
        t.faulted++;
    }
    su_rmdir_all(dir);
    return t;
}

static void report(const char *name, tally t)
{
    fprintf(stderr,
            "check_iofault: %-26s %3ld runs, %3ld with a fault, %3ld failed commands (%ld of them found "
            "whole after the reopen)\n",
            name, t.runs, t.faulted, t.failed_cmd, t.kept);
}

START_TEST(test_write_faults_full)
{
    shim_register();
    tally t = series(F_WRITE, 0, L2C_DURABILITY_FULL, 0);
    report("write, one-shot, full", t);
    ck_assert_int_gt(t.failed_cmd, 5);
    t = series(F_WRITE, 1, L2C_DURABILITY_FULL, 0);
    report("write, sticky, full", t);
    ck_assert_int_gt(t.failed_cmd, 5);
    shim_unregister();
}
END_TEST

START_TEST(test_sync_faults_full)
{
    shim_register();
    tally t = series(F_SYNC, 0, L2C_DURABILITY_FULL, 0);
    report("sync, one-shot, full", t);
    ck_assert_int_ge(t.failed_cmd, (long)NWORK); /* every commit syncs */
    t = series(F_SYNC, 1, L2C_DURABILITY_FULL, 0);
    report("sync, sticky, full", t);
    ck_assert_int_ge(t.failed_cmd, (long)NWORK);
    shim_unregister();
}
END_TEST

START_TEST(test_write_faults_normal)
{
    shim_register();
    tally t = series(F_WRITE, 0, L2C_DURABILITY_NORMAL, 0);
    report("write, one-shot, normal", t);
    ck_assert_int_gt(t.failed_cmd, 5);
    t = series(F_SYNC, 1, L2C_DURABILITY_NORMAL, 0);
    report("sync, sticky, normal", t);
    shim_unregister();
}
END_TEST

START_TEST(test_faults_while_creating_the_database)
{
    shim_register();
    tally t = series(F_WRITE, 0, L2C_DURABILITY_FULL, 1);
    report("write, one-shot, at open", t);
    t = series(F_SYNC, 1, L2C_DURABILITY_FULL, 1);
    report("sync, sticky, at open", t);
    ck_assert_int_gt(t.faulted, 0);
    shim_unregister();
}
END_TEST

/* What the durability levels do, seen by the shim: FULL syncs the log
 * before a command is acknowledged; NORMAL and OFF do not sync at commit
 * (NORMAL syncs at checkpoints, OFF never). */
START_TEST(test_durability_levels_sync)
{
    shim_register();
    char *dir = su_tmpdir_new("iofault");
    static const int levels[] = {L2C_DURABILITY_FULL, L2C_DURABILITY_NORMAL, L2C_DURABILITY_OFF};
    for (int l = 0; l < 3; l++) {
        char path[512];
        snprintf(path, sizeof path, "%s/d%d.db", dir, l);
        l2c_engine *e = su_open(path, levels[l], 5000);
        for (size_t i = 0; i < sizeof setup_cmds / sizeof *setup_cmds; i++)
            cJSON_Delete(tu_ok(e, setup_cmds[i]));
        for (size_t i = 0; i < NWORK; i++) {
            long s0 = F.syncs, w0 = F.writes;
            char *r = NULL;
            ck_assert_int_eq(l2c_exec_json(&r, e, work[i]), 0);
            l2c_free(r);
            ck_assert_int_gt(F.writes, w0);
            if (levels[l] == L2C_DURABILITY_FULL)
                ck_assert_msg(F.syncs > s0, "command %zu acknowledged without a sync", i);
            else
                ck_assert_msg(F.syncs == s0, "durability %d synced at commit", levels[l]);
        }
        long s0 = F.syncs;
        l2c_engine_free(e); /* the closing checkpoint */
        if (levels[l] == L2C_DURABILITY_OFF)
            ck_assert_int_eq(F.syncs, s0);
        su_integrity_ok(path);
    }
    su_rmdir_all(dir);
    shim_unregister();
}
END_TEST

static Suite *iofault_suite(void)
{
    Suite *s = suite_create("iofault");
    TCase *tc = tcase_create("vfs");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_durability_levels_sync);
    tcase_add_test(tc, test_write_faults_full);
    tcase_add_test(tc, test_sync_faults_full);
    tcase_add_test(tc, test_write_faults_normal);
    tcase_add_test(tc, test_faults_while_creating_the_database);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(iofault_suite()); }
