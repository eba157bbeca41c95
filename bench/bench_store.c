/* bench_store: what durability costs, against raw SQLite doing the same
 * writes with the same settings, in the same binary, the same run and the
 * same directory (DESIGN §10).
 *
 *   ours   an engine opened on a database (l2c_engine_open, WAL) firing lead
 *          transitions: one command per transaction through l2c_fire, or
 *          batches of 100 / 1000 commands through l2c_exec_json
 *          ({"op":"batch"}, the command text built in the timed loop).
 *   raw    one sqlite3 connection, WAL, the same `synchronous`, the same
 *          tables (our schema), prepared statements; per transition an
 *          UPDATE of the record row and an INSERT of an event row whose JSON
 *          has the size of our event for that transition (formatted with
 *          snprintf from the record's fields); one transaction
 *          (BEGIN IMMEDIATE … COMMIT) per transition, per 100, per 1000.
 *   reopen the time l2c_engine_open takes on a database of 1e5 records (one
 *          create event each), and of 1e6 when the 1e5 figures say it fits
 *          in about a minute.
 *
 * Both sides walk the same 1000 leads in id order, each step firing the
 * lead's next event of the cycle qualify, disqualify (with a reason),
 * reopen. Each row is measured in paired slices (ours then raw, or raw then
 * ours, alternating), so that a disturbance (other processes' I/O on a
 * shared disk) hits both sides alike: cmd/s are totals over the slices, the
 * ratio is the median of the per-pair ratios. Pending writes are flushed
 * (sync) before each row. Nothing is asserted: the ratios are printed
 * against their targets, with the load average as a hint of disturbance.
 * Options: --quick (short slices, 1e4 records for reopen), --dir D (where the
 * databases go; default a new directory under $TMPDIR or /tmp), --only
 * full|normal 1|100|1000 (one row, e.g. under a profiler). */
#define _XOPEN_SOURCE 700 /* sync() */
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "l2c.h"

#define NLEADS 1000
#define T0 1775032200 /* 2026-04-01T08:30:00Z */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_store: %s failed: %s\n", what, detail ? detail : "");
    exit(1);
}

static void check_l2c(int rc, l2c_engine *e, const char *what)
{
    if (rc)
        die(what, e ? l2c_last_error_message(e) : l2c_last_error_message(NULL));
}

static void check_sql(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        die(what, sqlite3_errmsg(db));
}

static char dir[512];

static void path_for(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", dir, name); }

static void remove_db(const char *path)
{
    static const char *const sfx[2] = {"-wal", "-shm"};
    char p[1100];
    unlink(path);
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(path);
        if (n + 5 > sizeof p)
            return;
        memcpy(p, path, n);
        memcpy(p + n, sfx[i], 5);
        unlink(p);
    }
}

/* ---- the transitions: the same walk for both sides ---- */

enum { EV_QUALIFY, EV_DISQUALIFY, EV_REOPEN };
static const char *const ev_name[3] = {"qualify", "disqualify", "reopen"};
static const char *const to_state[3] = {"qualified", "disqualified", "working"};

typedef struct walk {
    size_t next;           /* lead index of the next transition */
    int phase[NLEADS];     /* its next event */
    uint32_t ver[NLEADS];  /* its version (for raw) */
    uint64_t seq;          /* last event sequence (for raw) */
} walk;

static void lead_id(char *buf, size_t i) { snprintf(buf, 16, "L-%06zu", i + 1); }

/* ---- ours ---- */

typedef struct ours {
    l2c_engine *e;
    l2c_data *reason;
    walk w;
} ours;

static void ours_open(ours *o, const char *path, int durability)
{
    l2c_engine_options opt = L2C_ENGINE_OPTIONS_INIT;
    opt.durability = durability;
    remove_db(path);
    check_l2c(l2c_engine_open(&o->e, path, &opt), NULL, "l2c_engine_open");
    check_l2c(l2c_clock_set(o->e, T0), o->e, "l2c_clock_set");
    /* 1000 leads, contacted (working), in two untimed batches */
    size_t cap = NLEADS * 160 + 64, len;
    char *cmd = malloc(cap);
    for (int pass = 0; pass < 2; pass++) {
        len = (size_t)snprintf(cmd, cap, "{\"op\":\"batch\",\"commands\":[");
        for (size_t i = 0; i < NLEADS; i++) {
            char id[16];
            lead_id(id, i);
            len += (size_t)snprintf(cmd + len, cap - len,
                                    pass == 0 ? "%s{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Lead "
                                                "%zu\",\"email\":\"lead%zu@example.org\",\"company\":\"Company "
                                                "%zu\",\"source\":\"webinar\"}}"
                                              : "%s{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-%06zu\","
                                                "\"event\":\"contact\"}",
                                    i ? "," : "", i + 1, i + 1, i % 997 + 1);
        }
        snprintf(cmd + len, cap - len, "]}");
        char *out = NULL;
        int rc = l2c_exec_json(&out, o->e, cmd);
        if (rc)
            die("setting up the leads", out);
        l2c_free(out);
    }
    free(cmd);
    memset(&o->w, 0, sizeof o->w);
    check_l2c(l2c_data_new(&o->reason), NULL, "l2c_data_new");
    check_l2c(l2c_data_set_string(o->reason, "reason", "no budget this year"), NULL, "l2c_data_set_string");
}

static void ours_close(ours *o)
{
    l2c_data_free(o->reason);
    l2c_engine_free(o->e);
    o->e = NULL;
}

/* n single-command transactions through l2c_fire */
static void ours_single(ours *o, size_t n)
{
    walk *w = &o->w;
    char id[16];
    for (size_t k = 0; k < n; k++) {
        size_t i = w->next;
        int ev = w->phase[i];
        lead_id(id, i);
        int rc = l2c_fire(o->e, "lead", id, ev_name[ev], ev == EV_DISQUALIFY ? o->reason : NULL, NULL, 0);
        check_l2c(rc, o->e, "l2c_fire");
        w->phase[i] = (ev + 1) % 3;
        w->next = (i + 1) % NLEADS;
    }
}

/* b commands through l2c_fire inside one l2c_begin … l2c_commit */
static void ours_ctx(ours *o, size_t b)
{
    check_l2c(l2c_begin(o->e), o->e, "l2c_begin");
    ours_single(o, b);
    check_l2c(l2c_commit(o->e), o->e, "l2c_commit");
}

/* one batch of b commands through l2c_exec_json */
static void ours_batch(ours *o, size_t b, char *cmd, size_t cap)
{
    walk *w = &o->w;
    size_t len = (size_t)snprintf(cmd, cap, "{\"op\":\"batch\",\"commands\":[");
    for (size_t k = 0; k < b; k++) {
        size_t i = w->next;
        int ev = w->phase[i];
        len += (size_t)snprintf(cmd + len, cap - len,
                                "%s{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-%06zu\",\"event\":\"%s\"%s}",
                                k ? "," : "", i + 1, ev_name[ev],
                                ev == EV_DISQUALIFY ? ",\"data\":{\"reason\":\"no budget this year\"}" : "");
        w->phase[i] = (ev + 1) % 3;
        w->next = (i + 1) % NLEADS;
    }
    snprintf(cmd + len, cap - len, "]}");
    char *out = NULL;
    int rc = l2c_exec_json(&out, o->e, cmd);
    if (rc)
        die("batch", out);
    l2c_free(out);
}

/* ---- raw SQLite ---- */

typedef struct raw {
    sqlite3 *db;
    sqlite3_stmt *up, *ins, *begin, *commit;
    walk w;
    size_t target[3]; /* our event JSON size per event kind */
} raw;

static const char raw_schema[] =
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, type TEXT NOT NULL, event TEXT NOT NULL,"
    " subject TEXT NOT NULL, cause INTEGER NOT NULL, time TEXT NOT NULL, json TEXT NOT NULL);"
    "CREATE TABLE records(type TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL,"
    " seq INTEGER NOT NULL REFERENCES events(seq), PRIMARY KEY(type, id)) WITHOUT ROWID;";

/* The event JSON of a lead transition, shaped like ours (CloudEvents with
 * the record), padded to `target` bytes when given. */
static size_t raw_json(char *buf, size_t cap, size_t i, int ev, uint32_t ver, uint64_t seq, size_t target)
{
    char pad[512] = "";
    for (int pass = 0; pass < 2; pass++) {
        int n = snprintf(buf, cap,
                         "{\"specversion\":\"1.0\",\"id\":\"%" PRIu64 "\",\"source\":\"/l2c\",\"type\":"
                         "\"l2c.lead.%s\",\"subject\":\"L-%06zu\",\"time\":\"2026-04-01T08:30:00Z\","
                         "\"datacontenttype\":\"application/json\",\"sequence\":\"%" PRIu64 "\",\"data\":{"
                         "\"from\":\"%s\",\"to\":\"%s\",\"actor\":null,\"cause\":\"%" PRIu64 "\",\"record\":{"
                         "\"id\":\"L-%06zu\",\"type\":\"lead\",\"state\":\"%s\",\"version\":%u,\"name\":\"Lead "
                         "%zu%s\",\"email\":\"lead%zu@example.org\",\"company\":\"Company %zu\",\"source\":"
                         "\"webinar\",\"reason\":%s,\"account\":null,\"opportunity\":null,\"created_at\":"
                         "\"2026-04-01T08:30:00Z\",\"updated_at\":\"2026-04-01T08:30:00Z\"}}}",
                         seq, ev_name[ev], i + 1, seq, to_state[(ev + 2) % 3], to_state[ev], seq, i + 1,
                         to_state[ev], ver, i + 1, pad, i + 1, i % 997 + 1,
                         ev == EV_QUALIFY ? "null" : "\"no budget this year\"");
        if (pass || !target || (size_t)n >= target)
            return (size_t)n;
        size_t k = target - (size_t)n;
        if (k >= sizeof pad)
            k = sizeof pad - 1;
        memset(pad, ' ', k);
        pad[k] = '\0';
    }
    return 0;
}

static void raw_open(raw *r, const char *path, int durability)
{
    remove_db(path);
    check_sql(sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), r->db, "open");
    sqlite3_busy_timeout(r->db, 5000);
    static const char *const sync[] = {"PRAGMA synchronous=FULL", "PRAGMA synchronous=NORMAL",
                                       "PRAGMA synchronous=OFF"};
    check_sql(sqlite3_exec(r->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), r->db, "WAL");
    check_sql(sqlite3_exec(r->db, sync[durability], NULL, NULL, NULL), r->db, "synchronous");
    check_sql(sqlite3_exec(r->db, raw_schema, NULL, NULL, NULL), r->db, "schema");
    check_sql(sqlite3_prepare_v3(r->db, "UPDATE records SET state=?, version=?, seq=? WHERE type=? AND id=?",
                                 -1, SQLITE_PREPARE_PERSISTENT, &r->up, NULL),
              r->db, "prepare");
    check_sql(sqlite3_prepare_v3(r->db,
                                 "INSERT INTO events(seq, type, event, subject, cause, time, json) "
                                 "VALUES(?,?,?,?,?,?,?)",
                                 -1, SQLITE_PREPARE_PERSISTENT, &r->ins, NULL),
              r->db, "prepare");
    check_sql(sqlite3_prepare_v3(r->db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &r->begin, NULL), r->db,
              "prepare");
    check_sql(sqlite3_prepare_v3(r->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &r->commit, NULL), r->db,
              "prepare");
    /* the same 1000 records, created and contacted, each with its events */
    memset(&r->w, 0, sizeof r->w);
    check_sql(sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL), r->db, "BEGIN");
    sqlite3_stmt *ins_rec;
    check_sql(sqlite3_prepare_v2(r->db, "INSERT INTO records(type, id, state, version, seq) VALUES('lead',?,?,2,?)",
                                 -1, &ins_rec, NULL),
              r->db, "prepare");
    char json[2048], id[16];
    for (size_t i = 0; i < NLEADS; i++) {
        for (int k = 0; k < 2; k++) {
            uint64_t seq = ++r->w.seq;
            size_t n = raw_json(json, sizeof json, i, EV_REOPEN, (uint32_t)k + 1, seq, 0);
            lead_id(id, i);
            sqlite3_bind_int64(r->ins, 1, (sqlite3_int64)seq);
            sqlite3_bind_text(r->ins, 2, "lead", -1, SQLITE_STATIC);
            sqlite3_bind_text(r->ins, 3, k ? "contact" : "create", -1, SQLITE_STATIC);
            sqlite3_bind_text(r->ins, 4, id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(r->ins, 5, (sqlite3_int64)seq);
            sqlite3_bind_text(r->ins, 6, "2026-04-01T08:30:00Z", -1, SQLITE_STATIC);
            sqlite3_bind_text(r->ins, 7, json, (int)n, SQLITE_TRANSIENT);
            check_sql(sqlite3_step(r->ins), r->db, "insert");
            sqlite3_reset(r->ins);
        }
        sqlite3_bind_text(ins_rec, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins_rec, 2, "working", -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_rec, 3, (sqlite3_int64)r->w.seq);
        check_sql(sqlite3_step(ins_rec), r->db, "insert record");
        sqlite3_reset(ins_rec);
        r->w.ver[i] = 2;
    }
    sqlite3_finalize(ins_rec);
    check_sql(sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL), r->db, "COMMIT");
}

static void raw_close(raw *r)
{
    sqlite3_finalize(r->up);
    sqlite3_finalize(r->ins);
    sqlite3_finalize(r->begin);
    sqlite3_finalize(r->commit);
    sqlite3_close(r->db);
    r->db = NULL;
}

static void step_reset(raw *r, sqlite3_stmt *q, const char *what)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        die(what, sqlite3_errmsg(r->db));
}

/* one transaction of b transitions */
static void raw_tx(raw *r, size_t b)
{
    walk *w = &r->w;
    char json[2048], id[16];
    step_reset(r, r->begin, "BEGIN IMMEDIATE");
    for (size_t k = 0; k < b; k++) {
        size_t i = w->next;
        int ev = w->phase[i];
        uint64_t seq = ++w->seq;
        uint32_t ver = ++w->ver[i];
        lead_id(id, i);
        size_t n = raw_json(json, sizeof json, i, ev, ver, seq, r->target[ev]);
        sqlite3_bind_int64(r->ins, 1, (sqlite3_int64)seq);
        sqlite3_bind_text(r->ins, 2, "lead", -1, SQLITE_STATIC);
        sqlite3_bind_text(r->ins, 3, ev_name[ev], -1, SQLITE_STATIC);
        sqlite3_bind_text(r->ins, 4, id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(r->ins, 5, (sqlite3_int64)seq);
        sqlite3_bind_text(r->ins, 6, "2026-04-01T08:30:00Z", -1, SQLITE_STATIC);
        sqlite3_bind_text(r->ins, 7, json, (int)n, SQLITE_STATIC);
        step_reset(r, r->ins, "INSERT event");
        sqlite3_bind_text(r->up, 1, to_state[ev], -1, SQLITE_STATIC);
        sqlite3_bind_int64(r->up, 2, ver);
        sqlite3_bind_int64(r->up, 3, (sqlite3_int64)seq);
        sqlite3_bind_text(r->up, 4, "lead", -1, SQLITE_STATIC);
        sqlite3_bind_text(r->up, 5, id, -1, SQLITE_STATIC);
        step_reset(r, r->up, "UPDATE record");
        if (sqlite3_changes(r->db) != 1)
            die("UPDATE record", "no row");
        w->phase[i] = (ev + 1) % 3;
        w->next = (i + 1) % NLEADS;
    }
    step_reset(r, r->commit, "COMMIT");
}

/* ---- measuring ---- */

#define MAX_SLICES 16

typedef struct fig {
    double ours_cmds, ours_s, ours_cpu, raw_cmds, raw_s, raw_cpu;
    double pair[MAX_SLICES]; /* ours/raw per pair of slices */
    int npairs;
} fig;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void loadavg(char *buf, size_t n)
{
    FILE *f = fopen("/proc/loadavg", "r");
    buf[0] = '\0';
    if (f) {
        if (!fgets(buf, (int)n, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
}

/* Our event JSON size for each kind of transition (the raw side's target). */
static void measure_sizes(ours *o, size_t target[3])
{
    for (int k = 0; k < 3; k++) {
        ours_single(o, 1);
        const l2c_event *ev = NULL;
        check_l2c(l2c_event_get(&ev, o->e, l2c_events_last(o->e)), o->e, "l2c_event_get");
        char *j = NULL;
        check_l2c(l2c_event_json(&j, o->e, ev), o->e, "l2c_event_json");
        int kind = !strcmp(l2c_event_name(ev), "qualify")      ? EV_QUALIFY
                   : !strcmp(l2c_event_name(ev), "disqualify") ? EV_DISQUALIFY
                                                               : EV_REOPEN;
        target[kind] = strlen(j);
        l2c_free(j);
    }
}

static fig run_config(int durability, size_t batch, int capi, double slice, int slices)
{
    char po[1100], pr[1100];
    path_for(po, sizeof po, "ours.db");
    path_for(pr, sizeof pr, "raw.db");
    ours o;
    raw r;
    memset(&r, 0, sizeof r);
    ours_open(&o, po, durability);
    measure_sizes(&o, r.target);
    raw_open(&r, pr, durability);
    size_t cap = batch * 160 + 64;
    char *cmd = malloc(cap);
    fig f;
    memset(&f, 0, sizeof f);
    /* warm-up: a few transactions each */
    for (int k = 0; k < 3; k++) {
        if (batch == 1)
            ours_single(&o, 1);
        else if (capi)
            ours_ctx(&o, batch);
        else
            ours_batch(&o, batch, cmd, cap);
        raw_tx(&r, batch);
    }
    for (int s = 0; s < slices && s < MAX_SLICES; s++) {
        double rate[2] = {0, 0}; /* ours, raw */
        for (int side = 0; side < 2; side++) {
            int is_ours = (s % 2 == 0) == (side == 0); /* alternate who goes first */
            double t0 = now_s(), c0 = cpu_s(), t;
            size_t n = 0;
            do {
                if (is_ours) {
                    if (batch == 1)
                        ours_single(&o, 1);
                    else if (capi)
                        ours_ctx(&o, batch);
                    else
                        ours_batch(&o, batch, cmd, cap);
                } else {
                    raw_tx(&r, batch);
                }
                n += batch;
            } while ((t = now_s() - t0) < slice);
            double c = cpu_s() - c0;
            rate[!is_ours] = (double)n / t;
            if (is_ours) {
                f.ours_cmds += (double)n;
                f.ours_s += t;
                f.ours_cpu += c;
            } else {
                f.raw_cmds += (double)n;
                f.raw_s += t;
                f.raw_cpu += c;
            }
        }
        f.pair[f.npairs++] = rate[0] / rate[1];
    }
    /* both logs hold what was written: a cheap sanity check */
    uint64_t last = l2c_events_last(o.e);
    if (last < (uint64_t)f.ours_cmds)
        die("checking our log", "too few events");
    free(cmd);
    ours_close(&o);
    raw_close(&r);
    remove_db(po);
    remove_db(pr);
    return f;
}

/* ---- reopen ---- */

typedef struct reopen_fig {
    size_t n;
    double build_s, open_s[2];
    long long bytes;
} reopen_fig;

static reopen_fig reopen_bench(size_t n)
{
    reopen_fig f = {n, 0, {0, 0}, 0};
    char p[1100];
    path_for(p, sizeof p, "reopen.db");
    remove_db(p);
    l2c_engine_options opt = L2C_ENGINE_OPTIONS_INIT;
    opt.durability = L2C_DURABILITY_OFF; /* a bulk load */
    l2c_engine *e = NULL;
    double t0 = now_s();
    check_l2c(l2c_engine_open(&e, p, &opt), NULL, "l2c_engine_open");
    check_l2c(l2c_clock_set(e, T0), e, "l2c_clock_set");
    size_t cap = 1000 * 200 + 64;
    char *cmd = malloc(cap);
    for (size_t done = 0; done < n;) {
        size_t b = n - done < 1000 ? n - done : 1000;
        size_t len = (size_t)snprintf(cmd, cap, "{\"op\":\"batch\",\"commands\":[");
        for (size_t k = 0; k < b; k++, done++)
            len += (size_t)snprintf(cmd + len, cap - len,
                                    "%s{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Lead %zu\","
                                    "\"email\":\"lead%zu@example.org\",\"company\":\"Company %zu\","
                                    "\"source\":\"webinar\"}}",
                                    k ? "," : "", done + 1, done + 1, done % 997 + 1);
        snprintf(cmd + len, cap - len, "]}");
        char *out = NULL;
        if (l2c_exec_json(&out, e, cmd))
            die("loading leads", out);
        l2c_free(out);
    }
    free(cmd);
    l2c_engine_free(e); /* checkpoints the log into the database */
    f.build_s = now_s() - t0;
    struct stat st;
    if (stat(p, &st) == 0)
        f.bytes = (long long)st.st_size;
    for (int k = 0; k < 2; k++) {
        t0 = now_s();
        check_l2c(l2c_engine_open(&e, p, NULL), NULL, "reopening");
        f.open_s[k] = now_s() - t0;
        uint64_t cnt = 0;
        check_l2c(l2c_count(&cnt, e, "lead"), e, "l2c_count");
        if (cnt != n || l2c_events_last(e) != n)
            die("reopening", "wrong record count");
        l2c_engine_free(e);
    }
    remove_db(p);
    return f;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
    int quick = 0, only_d = -1, only_b = -1;
    const char *where = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            where = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 2 < argc) {
            only_d = strcmp(argv[++i], "normal") == 0;
            long b = strtol(argv[++i], NULL, 10);
            only_b = b == 1 ? 0 : b == 100 ? 1 : b == 1000 ? 2 : -1;
            if (only_b < 0) {
                fprintf(stderr, "--only full|normal 1|100|1000\n");
                return 2;
            }
        }
        else {
            fprintf(stderr, "usage: %s [--quick] [--dir D] [--only full|normal 1|100|1000]\n", argv[0]);
            return 2;
        }
    }
    int own_dir = 0;
    if (where) {
        snprintf(dir, sizeof dir, "%s", where);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/l2c-bench-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
            die("mkdtemp", strerror(errno));
        own_dir = 1;
    }
    double slice = quick ? 0.2 : 0.6;
    int slices = quick ? 2 : 6;
    double t_start = now_s();
    printf("bench_store: libl2c %s, SQLite %s, databases in %s%s\n", l2c_version(), sqlite3_libversion(), dir,
           quick ? "; --quick" : "");
    printf("-------------------------------------------------------------------------------\n");
    char la[128];
    loadavg(la, sizeof la);
    printf("lead transitions on 1000 leads; ours = l2c_engine_open + l2c_fire (1 per tx) or\n"
           "l2c_exec_json batch; raw = sqlite3, same schema/WAL/synchronous: UPDATE record +\n"
           "INSERT event (JSON of our size) per transition; %d pairs of %.1f s slices;\n"
           "ratio = median of the pairs' ours/raw; cpu = CPU time / wall time of that side\n"
           "(below 100%%: waiting for the disk or for a CPU); load average: %s\n",
           slices, slice, la);
    printf("%-8s %5s %12s %12s %7s %7s %7s %8s\n", "sync", "batch", "ours cmd/s", "raw cmd/s", "ratio",
           "target", "ours cpu", "raw cpu");
    static const int durs[2] = {L2C_DURABILITY_FULL, L2C_DURABILITY_NORMAL};
    static const char *const dname[2] = {"FULL", "NORMAL"};
    /* rows 3 and 4: the same batches as C API transactions (l2c_begin/commit) */
    static const size_t batches[5] = {1, 100, 1000, 100, 1000};
    int missed = 0;
    for (int d = 0; d < 2; d++)
        for (int b = 0; b < 5; b++) {
            if (only_b >= 0 && (d != only_d || b != only_b))
                continue;
            sync(); /* start each row without the previous rows' writeback */
            fig f = run_config(durs[d], batches[b], b >= 3, slice, slices);
            double our = f.ours_cmds / f.ours_s, rawr = f.raw_cmds / f.raw_s, ratio = median(f.pair, f.npairs);
            double target = batches[b] == 1 ? (d == 0 ? 0.85 : 0.80) : batches[b] == 1000 ? 0.70 : 0;
            char tg[16];
            if (target > 0)
                snprintf(tg, sizeof tg, "%s%.0f%%", ratio >= target ? ">=" : "<", target * 100);
            else
                snprintf(tg, sizeof tg, "-");
            if (target > 0 && ratio < target)
                missed++;
            printf("%-8s %4zu%s %12.0f %12.0f %6.1f%% %7s %7.0f%% %7.0f%%\n", dname[d], batches[b],
                   b >= 3 ? "c" : (b ? "j" : " "), our, rawr,
                   100 * ratio, tg, 100 * f.ours_cpu / f.ours_s, 100 * f.raw_cpu / f.raw_s);
            fflush(stdout);
        }
    printf("batch: j = one l2c_exec_json batch, c = l2c_fire calls in one l2c_begin/l2c_commit\n"
           "targets: ours/raw >= 85%% (FULL, 1 per tx), >= 80%% (NORMAL, 1 per tx), >= 70%% (batches of\n"
           "1000); %s\n",
           missed ? "SOME MISSED (see above)" : "all met");
    if (only_b >= 0) {
        if (own_dir)
            rmdir(dir);
        return 0;
    }
    printf("-------------------------------------------------------------------------------\n");
    printf("reopen (l2c_engine_open replays the event log; leads, one create event each;\n"
           "built through l2c_exec_json batches of 1000 creates at durability OFF):\n");
    printf("%9s %10s %10s %12s %12s %9s\n", "records", "build s", "build c/s", "open s (1st)", "open s (2nd)",
           "db MB");
    size_t n1 = quick ? 10000 : 100000;
    reopen_fig r1 = reopen_bench(n1);
    printf("%9zu %10.2f %10.0f %12.3f %12.3f %9.1f\n", r1.n, r1.build_s, (double)r1.n / r1.build_s,
           r1.open_s[0], r1.open_s[1], (double)r1.bytes / 1e6);
    fflush(stdout);
    double projected = 10 * (r1.build_s + r1.open_s[0] + r1.open_s[1]);
    if (!quick && projected < 70) {
        reopen_fig r2 = reopen_bench(n1 * 10);
        printf("%9zu %10.2f %10.0f %12.3f %12.3f %9.1f\n", r2.n, r2.build_s, (double)r2.n / r2.build_s,
               r2.open_s[0], r2.open_s[1], (double)r2.bytes / 1e6);
        printf("reopen per record: %.2f us at %zu, %.2f us at %zu\n", 1e6 * r1.open_s[1] / (double)r1.n, r1.n,
               1e6 * r2.open_s[1] / (double)r2.n, r2.n);
    } else {
        printf("%9zu   skipped: the 1e5 figures project %.0f s for building and opening it\n", n1 * 10,
               projected);
    }
    printf("-------------------------------------------------------------------------------\n");
    loadavg(la, sizeof la);
    printf("total %.0f s; load average at the end: %s\n", now_s() - t_start, la);
    if (own_dir)
        rmdir(dir);
    return 0;
}
