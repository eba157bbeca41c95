/* Crash test of the SQLite store (DESIGN §7): a child process runs a
 * random (seeded) lead-to-cash workload through l2c_exec_json and reports
 * every answer through a pipe only after l2c_exec_json returned, i.e. once
 * the command was acknowledged. The parent kills it with SIGKILL at a
 * random moment, then checks the database the child left behind:
 *   - every acknowledged command's events are there, complete;
 *   - sequences are gapless 1..N;
 *   - no half command: the events of one command (one `cause`) are
 *     consecutive and start at the cause, record versions go up by one per
 *     event, the records table agrees with the last event of every record,
 *     every lead convert has its 3 events and every batch all its parts;
 *   - PRAGMA integrity_check is ok;
 *   - an engine that was open during the crash and catches up equals a
 *     fresh engine replaying the log (every list).
 * Every round continues on the same database file.
 *
 *   L2C_SEED=n      seed (printed; the kill moments are timing-dependent,
 *                   so a seed repeats the workloads, not the exact kills)
 *   L2C_LONG=1      500 kills instead of 50
 *   L2C_VALGRIND=1  3 kills (the children run under valgrind too)
 *   L2C_TIMING=1    a line per round (the child's open, the checks)
 *   L2C_KEEP=1      keep the database (its path is printed)
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/storeutil.h"

#if defined(__GNUC__)
#define L2C_TEST_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define L2C_TEST_PRINTF(f, a)
#endif

#define T0 SU_T0
#define DEFAULT_SEED 20260401u
#define MAX_CMDS 150

/* ---- a small seeded PRNG (xorshift64*) ---- */
typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1DULL) >> 32);
}

static void rng_seed(rng *r, uint64_t seed) { r->s = seed * 0x9E3779B97F4A7C15ULL + 1; }

static int env_on(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* ---- the child: workload ---- */

static void say(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static uint64_t count_of(l2c_engine *e, const char *type)
{
    uint64_t n = 0;
    l2c_count(&n, e, type);
    return n;
}

/* One random command into buf. Ids are picked among the generated ones
 * (gapless per type), so most commands name records that exist; many are
 * refused by the rules, which is part of the workload. */
static void gen(char *buf, size_t cap, rng *r, l2c_engine *e, unsigned round, unsigned *tag)
{
    uint64_t nl = count_of(e, "lead"), no = count_of(e, "opportunity"), nq = count_of(e, "quote"),
             nso = count_of(e, "order"), ninv = count_of(e, "invoice");
    unsigned k = rnd(r) % 100;
    if (k < 18 || nl == 0) {
        snprintf(buf, cap,
                 "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Lead %u-%u\","
                 "\"company\":\"Co %u\",\"email\":\"l%u@example.org\"}}",
                 round, rnd(r) % 1000, rnd(r) % 50, rnd(r) % 1000);
    } else if (k < 32) {
        static const char *const evs[] = {"contact", "qualify", "qualify"};
        snprintf(buf, cap, "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-%06u\",\"event\":\"%s\"}",
                 1 + (unsigned)(rnd(r) % nl), evs[rnd(r) % 3]);
    } else if (k < 40) {
        snprintf(buf, cap,
                 "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-%06u\",\"event\":\"convert\","
                 "\"data\":{\"opportunity\":{\"name\":\"Deal %u\",\"amount\":\"%u.00\"}}}",
                 1 + (unsigned)(rnd(r) % nl), rnd(r) % 1000, 1000 + rnd(r) % 90000);
    } else if (k < 50 && no) {
        snprintf(buf, cap,
                 "{\"op\":\"create\",\"type\":\"quote\",\"data\":{\"opportunity\":\"OPP-%06u\","
                 "\"lines\":[{\"sku\":\"A\",\"qty\":%u,\"unit_price\":\"%u.50\",\"discount_pct\":\"%s\","
                 "\"tax_rate_pct\":\"21\"},{\"sku\":\"B\",\"qty\":\"1.5\",\"unit_price\":\"%u\"}]}}",
                 1 + (unsigned)(rnd(r) % no), 1 + rnd(r) % 5, 10 + rnd(r) % 900,
                 rnd(r) % 4 ? "0" : "25", 1 + rnd(r) % 200);
    } else if (k < 64 && nq) {
        static const char *const evs[] = {"submit", "approve", "send", "send", "accept", "accept"};
        const char *ev = evs[rnd(r) % 6];
        snprintf(buf, cap,
                 "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"Q-%06u\",\"event\":\"%s\"%s}",
                 1 + (unsigned)(rnd(r) % nq), ev,
                 strcmp(ev, "approve") ? "" : ",\"actor\":{\"id\":\"m\",\"roles\":[\"sales_manager\"]}");
    } else if (k < 70 && nso) {
        snprintf(buf, cap, "{\"op\":\"fire\",\"type\":\"order\",\"id\":\"SO-%06u\",\"event\":\"confirm\"}",
                 1 + (unsigned)(rnd(r) % nso));
    } else if (k < 76 && nso) {
        snprintf(buf, cap, "{\"op\":\"create\",\"type\":\"invoice\",\"data\":{\"order\":\"SO-%06u\"}}",
                 1 + (unsigned)(rnd(r) % nso));
    } else if (k < 82 && ninv) {
        snprintf(buf, cap, "{\"op\":\"fire\",\"type\":\"invoice\",\"id\":\"INV-%06u\",\"event\":\"issue\"}",
                 1 + (unsigned)(rnd(r) % ninv));
    } else if (k < 90 && ninv) {
        char inv[32], *acc = NULL;
        snprintf(inv, sizeof inv, "INV-%06u", 1 + (unsigned)(rnd(r) % ninv));
        l2c_get_field(&acc, e, "invoice", inv, "account");
        snprintf(buf, cap,
                 "{\"op\":\"create\",\"type\":\"payment\",\"data\":{\"account\":\"%s\",\"amount\":\"%u.00\","
                 "\"allocations\":[{\"invoice\":\"%s\",\"amount\":\"%u.00\"}]}}",
                 acc ? acc : "ACC-000001", 100 + rnd(r) % 5000, inv, 1 + rnd(r) % 100);
        l2c_free(acc);
    } else {
        /* a batch: K leads created and contacted, all named alike so that
         * the parent can tell a whole batch from part of one */
        unsigned n = 2 + rnd(r) % 4, t = (*tag)++;
        size_t len = (size_t)snprintf(buf, cap, "{\"op\":\"batch\",\"commands\":[");
        for (unsigned i = 0; i < n && len < cap; i++)
            len += (size_t)snprintf(buf + len, cap - len,
                                    "%s{\"op\":\"create\",\"type\":\"lead\",\"id\":\"LB-%u-%u-%u\","
                                    "\"data\":{\"name\":\"B%u-%u/%u\"}},"
                                    "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"LB-%u-%u-%u\",\"event\":\"contact\"}",
                                    i ? "," : "", round, t, i, round, t, n, round, t, i);
        if (len < cap)
            snprintf(buf + len, cap - len, "]}");
    }
}

/* Sequences of every event in a result (events, and results[].events). */
static void seqs(const cJSON *j, uint64_t *first, uint64_t *n)
{
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(j, "events"), *it;
    cJSON_ArrayForEach(it, evs)
    {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(it, "sequence");
        uint64_t v = cJSON_IsString(s) ? strtoull(s->valuestring, NULL, 10) : 0;
        if (v && (!*first || v < *first))
            *first = v;
        (*n)++;
    }
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(j, "results");
    cJSON_ArrayForEach(it, res) seqs(it, first, n);
}

static void child(const char *path, unsigned seed, unsigned round, int fd)
{
    rng r;
    rng_seed(&r, (uint64_t)seed * 1000003u + round);
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.durability = (round % 4 == 3) ? L2C_DURABILITY_NORMAL : L2C_DURABILITY_FULL;
    l2c_engine *e = NULL;
    char line[256];
    int rc = l2c_engine_open(&e, path, &o);
    if (rc) {
        snprintf(line, sizeof line, "E open %d %s\n", rc, l2c_last_error_message(NULL));
        say(fd, line);
        for (;;)
            pause();
    }
    l2c_clock_set(e, T0 + (int64_t)round * 3600);
    say(fd, "R\n");
    static char cmd[4096];
    unsigned tag = 0;
    /* at most MAX_CMDS commands (the kill comes within 30 ms anyway): this
     * bounds how fast the log, and so every later round's replay, grows */
    for (unsigned c = 0; c < MAX_CMDS; c++) {
        gen(cmd, sizeof cmd, &r, e, round, &tag);
        char *out = NULL;
        rc = l2c_exec_json(&out, e, cmd);
        /* acknowledged: only now does the parent hear of it */
        if (!out) {
            snprintf(line, sizeof line, "E null result %d\n", rc);
        } else if (rc == 0) {
            cJSON *j = cJSON_Parse(out);
            uint64_t first = 0, n = 0;
            seqs(j, &first, &n);
            cJSON_Delete(j);
            snprintf(line, sizeof line, "A %llu %llu\n", (unsigned long long)first, (unsigned long long)n);
        } else {
            snprintf(line, sizeof line, "F %s\n", l2c_error_name(rc) ? l2c_error_name(rc) : "?");
        }
        l2c_free(out);
        say(fd, line);
    }
    for (;;)
        pause();
}

/* ---- the parent: checks ---- */

typedef struct ack {
    uint64_t first, n;
} ack;

typedef struct acks {
    ack *a;
    size_t n, cap;
    uint64_t fails, io_errors;
    char err[256];
    int ready;
} acks;

static void parse_line(acks *A, const char *l)
{
    if (l[0] == 'R') {
        A->ready = 1;
    } else if (l[0] == 'A') {
        unsigned long long f = 0, n = 0;
        if (sscanf(l + 2, "%llu %llu", &f, &n) == 2 && n) {
            if (A->n == A->cap) {
                A->cap = A->cap ? A->cap * 2 : 256;
                A->a = realloc(A->a, A->cap * sizeof *A->a);
            }
            A->a[A->n].first = f;
            A->a[A->n++].n = n;
        }
    } else if (l[0] == 'F') {
        A->fails++;
        if (strstr(l, "io_error") || strstr(l, "no_memory") || strstr(l, "conflict"))
            A->io_errors++;
    } else if (l[0] == 'E') {
        snprintf(A->err, sizeof A->err, "%.200s", l);
    }
}

/* Read whatever is in the pipe (waiting up to `ms`); complete lines only.
 * Returns 0 at EOF. */
typedef struct linebuf {
    char b[8192];
    size_t n;
} linebuf;

static int pump(int fd, linebuf *lb, acks *A, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int pr = poll(&p, 1, ms);
    if (pr <= 0)
        return 1;
    ssize_t k = read(fd, lb->b + lb->n, sizeof lb->b - 1 - lb->n);
    if (k < 0)
        return errno == EINTR;
    if (k == 0)
        return 0;
    lb->n += (size_t)k;
    lb->b[lb->n] = '\0';
    char *s = lb->b, *nl;
    while ((nl = strchr(s, '\n')) != NULL) {
        *nl = '\0';
        parse_line(A, s);
        s = nl + 1;
    }
    lb->n = strlen(s);
    memmove(lb->b, s, lb->n + 1);
    return 1;
}

static long long sqlf(sqlite3 *db, const char *fmt, ...) L2C_TEST_PRINTF(2, 3);
static long long sqlf(sqlite3 *db, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return su_sql_int_db(db, sql);
}

typedef struct checked {
    uint64_t last;  /* log checked up to here */
    long long sum;  /* fingerprint of that prefix */
} checked;

static void check_db(const char *path, const acks *A, size_t from, checked *prev, l2c_engine *during,
                     unsigned round)
{
    /* a fresh engine: the replay of the log */
    l2c_engine *fresh = NULL;
    int rc = l2c_engine_open(&fresh, path, NULL);
    ck_assert_msg(rc == 0, "round %u: reopen failed %d: %s", round, rc, l2c_last_error_message(NULL));
    uint64_t last = l2c_events_last(fresh);

    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    char ctx[32];
    snprintf(ctx, sizeof ctx, "round %u", round);
    su_integrity_ok_db(db, ctx);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL); /* one snapshot for all the queries */

    /* gapless 1..N, N = what the engine replayed */
    su_gapless_db(db, last);
    /* every command acknowledged in this round is there, whole (those of
     * earlier rounds were checked then, and the log only grows: the prefix
     * checked last round is unchanged) */
    ck_assert_int_ge((long long)last, (long long)prev->last);
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT total(length(json)) + total(cause * 7 + length(subject)) FROM events WHERE seq <= %llu",
             (unsigned long long)prev->last);
    ck_assert_int_eq(su_sql_int_db(db, sql), prev->sum);
    sqlite3_stmt *q1 = NULL, *q2 = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT coalesce((SELECT cause FROM events WHERE seq = ?1), ?1)",
                                        -1, &q1, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE seq BETWEEN ?1 AND ?2 AND "
                                            "cause BETWEEN ?1 AND ?2",
                                        -1, &q2, NULL),
                     SQLITE_OK);
    for (size_t i = from; i < A->n; i++) {
        const ack *k = &A->a[i];
        uint64_t end = k->first + k->n - 1;
        ck_assert_msg(end <= last, "round %u: acknowledged events %llu..%llu lost (last %llu)", round,
                      (unsigned long long)k->first, (unsigned long long)end, (unsigned long long)last);
        /* it starts a command, holds n events of its own, and the next
         * event starts another command */
        sqlite3_bind_int64(q1, 1, (sqlite3_int64)k->first);
        ck_assert_int_eq(sqlite3_step(q1), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int64(q1, 0), (long long)k->first);
        sqlite3_reset(q1);
        sqlite3_bind_int64(q1, 1, (sqlite3_int64)(end + 1));
        ck_assert_int_eq(sqlite3_step(q1), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int64(q1, 0), (long long)(end + 1));
        sqlite3_reset(q1);
        sqlite3_bind_int64(q2, 1, (sqlite3_int64)k->first);
        sqlite3_bind_int64(q2, 2, (sqlite3_int64)end);
        ck_assert_int_eq(sqlite3_step(q2), SQLITE_ROW);
        ck_assert_int_eq(sqlite3_column_int64(q2, 0), (long long)k->n);
        sqlite3_reset(q2);
    }
    sqlite3_finalize(q1);
    sqlite3_finalize(q2);
    /* The rest looks at the commands that are new since the last round
     * (events after P), and at the records they touched. */
    unsigned long long P = (unsigned long long)prev->last;
    /* no half command: a command's events are consecutive from its cause */
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM (SELECT cause, min(seq) mn, max(seq) mx, count(*) c "
                              "FROM events WHERE cause > %llu GROUP BY cause) WHERE mn != cause OR "
                              "mx - mn + 1 != c",
                          P),
                     0);
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM events WHERE seq > %llu AND cause <= %llu", P, P), 0);
    /* versions: +1 per event of a record, from 1; `to` is the record's state */
    ck_assert_int_eq(
        sqlf(db, "SELECT count(*) FROM (SELECT seq, json_extract(json,'$.data.record.version') v, "
                 "lag(json_extract(json,'$.data.record.version')) OVER (PARTITION BY type, subject "
                 "ORDER BY seq) pv, json_extract(json,'$.data.to') t, "
                 "json_extract(json,'$.data.record.state') s, json_extract(json,'$.subject') sj, "
                 "json_extract(json,'$.data.cause') c, cause, subject FROM events WHERE (type, subject) IN "
                 "(SELECT type, subject FROM events WHERE seq > %llu)) WHERE seq > %llu AND "
                 "((pv IS NULL AND v != 1) OR (pv IS NOT NULL AND v != pv + 1) OR t != s OR sj != subject "
                 "OR CAST(c AS INTEGER) != cause)",
             P, P),
        0);
    /* the records table: one row per record, at its last event */
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM records"),
                     sqlf(db, "SELECT count(*) FROM (SELECT DISTINCT type, subject FROM events)"));
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM records r JOIN (SELECT type, subject, max(seq) m, "
                              "count(*) c FROM events WHERE (type, subject) IN (SELECT type, subject FROM "
                              "events WHERE seq > %llu) GROUP BY type, subject) g ON g.type = r.type AND "
                              "g.subject = r.id WHERE r.seq != g.m OR r.version != g.c OR r.state != "
                              "(SELECT json_extract(json,'$.data.to') FROM events WHERE seq = g.m)",
                          P),
                     0);
    /* shapes: a convert (always with an opportunity here) is 3 events;
     * an accept at least 3 (quote, order, opportunity) */
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM (SELECT e.cause, count(*) c FROM events e JOIN events f "
                              "ON f.seq = e.cause WHERE e.seq > %llu AND f.type = 'lead' AND "
                              "f.event = 'convert' GROUP BY e.cause) WHERE c != 3",
                          P),
                     0);
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM (SELECT e.cause, count(*) c FROM events e JOIN events f "
                              "ON f.seq = e.cause WHERE e.seq > %llu AND f.type = 'quote' AND "
                              "f.event = 'accept' GROUP BY e.cause) WHERE c < 3",
                          P),
                     0);
    /* batches: all K leads of a batch, created and contacted, or none */
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM (SELECT json_extract(json,'$.data.record.name') nm, "
                              "sum(event = 'create') cr, sum(event = 'contact') ct FROM events WHERE "
                              "seq > %llu AND type = 'lead' AND subject LIKE 'LB-%%' GROUP BY nm) WHERE "
                              "cr != ct OR cr != CAST(substr(nm, instr(nm, '/') + 1) AS INTEGER)",
                          P),
                     0);
    /* counters never behind the generated ids */
    ck_assert_int_eq(sqlf(db, "SELECT count(*) FROM records r JOIN counters c ON c.type = r.type WHERE "
                              "r.id GLOB '*-[0-9][0-9][0-9][0-9][0-9][0-9]' AND r.id NOT GLOB 'LB-*' AND "
                              "CAST(substr(r.id, instr(r.id, '-') + 1) AS INTEGER) > c.value"),
                     0);
    snprintf(sql, sizeof sql, "SELECT total(length(json)) + total(cause * 7 + length(subject)) FROM events WHERE seq <= %llu",
             (unsigned long long)last);
    prev->sum = su_sql_int_db(db, sql);
    prev->last = last;
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);

    /* replay = state: the engine that was open during the crash catches up
     * (its reads refresh) to exactly what a fresh replay of the log gives */
    char *a = su_lists(fresh, SU_LAST);
    if (during) {
        char *b = su_lists(during, SU_LAST);
        ck_assert_msg(strcmp(a, b) == 0, "round %u: caught-up engine differs from the replayed one", round);
        free(b);
    }
    free(a);
    l2c_engine_free(fresh);
}

START_TEST(test_kill_during_workload)
{
    unsigned seed = DEFAULT_SEED;
    const char *s = getenv("L2C_SEED");
    if (s && *s)
        seed = (unsigned)strtoul(s, NULL, 0);
    int valgrind = env_on("L2C_VALGRIND"), longrun = env_on("L2C_LONG");
    unsigned rounds = longrun ? 500 : 50;
    if (valgrind)
        rounds = 3;
    fprintf(stderr, "check_crash: seed %u, %u kills (L2C_SEED=%u repeats the workloads)\n", seed, rounds, seed);

    char *dir = su_tmpdir_new("crash");
    if (env_on("L2C_KEEP"))
        su_tmpdir_keep(dir);
    char path[64];
    snprintf(path, sizeof path, "%s/crash.db", dir);
    {
        /* the database exists before the first child */
        l2c_engine *e = NULL;
        ck_assert_int_eq(l2c_engine_open(&e, path, NULL), 0);
        l2c_engine_free(e);
    }
    rng pr;
    rng_seed(&pr, seed ^ 0xC0FFEEu);
    acks A = {0};
    checked done = {0, 0};
    uint64_t total_acked = 0, total_fails = 0, during_open = 0;
    double t_start = now_ms();
    for (unsigned round = 0; round < rounds; round++) {
        int fds[2];
        ck_assert_int_eq(pipe(fds), 0);
        /* nothing of SQLite's may be open across fork: the child opens its own */
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            child(path, seed, round, fds[1]);
            _exit(0); /* not reached */
        }
        close(fds[1]);
        linebuf lb = {{0}, 0};
        size_t before = A.n;
        A.ready = 0;
        unsigned delay = rnd(&pr) % 31; /* ms */
        int from_fork = rnd(&pr) % 8 == 0; /* sometimes during the child's open */
        if (valgrind) { /* everything is ~50 times slower: scale the moment */
            delay = 200 + delay * 30;
            from_fork = 0;
        }
        double t0 = now_ms(), tfork = t0;
        l2c_engine *during = NULL;
        int alive = 1;
        if (!from_fork) {
            while (alive && !A.ready && !A.err[0] && now_ms() - t0 < 60000)
                alive = pump(fds[0], &lb, &A, 100);
            ck_assert_msg(A.ready, "round %u: the child never got ready: %s", round, A.err);
            /* open while the child writes (after the fork: nothing shared);
             * in long runs every 5th round, to keep them linear enough */
            if (!longrun || round % 5 == 0) {
                ck_assert_int_eq(l2c_engine_open(&during, path, NULL), 0);
                ck_assert_int_eq(l2c_clock_set(during, T0), 0);
            }
            t0 = now_ms();
        }
        double left;
        while (alive && (left = (double)delay - (now_ms() - t0)) > 0)
            alive = pump(fds[0], &lb, &A, (int)left + 1);
        kill(pid, SIGKILL);
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        while (pump(fds[0], &lb, &A, 1000))
            ; /* what the child acknowledged before it died */
        close(fds[0]);
        ck_assert_msg(!A.err[0], "round %u: child: %s", round, A.err);
        ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "round %u: child ended on its own",
                      round);
        if (!A.ready)
            during_open++;
        total_acked += A.n - before;
        double tc0 = now_ms();
        check_db(path, &A, before, &done, during, round);
        if (env_on("L2C_TIMING"))
            fprintf(stderr, "round %u: ready %.0f ms, check %.0f ms, events %llu\n", round, t0 - tfork,
                    now_ms() - tc0, (unsigned long long)done.last);
        l2c_engine_free(during);
    }
    total_fails = A.fails;
    ck_assert_msg(A.io_errors == 0, "%llu commands failed with io_error/no_memory/conflict",
                  (unsigned long long)A.io_errors);
    ck_assert_msg(total_acked > 0, "no command was ever acknowledged");
    {
        l2c_engine *e = NULL;
        ck_assert_int_eq(l2c_engine_open(&e, path, NULL), 0);
        fprintf(stderr,
                "check_crash: %u kills (%llu during open), %llu commands acknowledged, %llu refused, "
                "%llu events, %.1f s\n",
                rounds, (unsigned long long)during_open, (unsigned long long)total_acked,
                (unsigned long long)total_fails, (unsigned long long)l2c_events_last(e),
                (now_ms() - t_start) / 1000);
        l2c_engine_free(e);
    }
    free(A.a);
    if (!env_on("L2C_KEEP")) {
        su_rmdir_all(dir);
    } else {
        fprintf(stderr, "kept %s\n", path);
        free(dir);
    }
}
END_TEST

static Suite *crash_suite(void)
{
    Suite *s = suite_create("crash");
    TCase *tc = tcase_create("sigkill");
    tcase_set_timeout(tc, 3600);
    tcase_add_test(tc, test_kill_during_workload);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(crash_suite()); }
