/* The SQLite store (DESIGN §7, docs/durability.md): reopening gives back
 * every record, list, event and id counter byte for byte; the state equals
 * a replay of the event log and an in-memory engine that ran the same
 * commands; two engines on one file see each other's commands; busy,
 * foreign, corrupt, read-only and newer databases; outbox positions;
 * durability options; failed commands leave the database as it was. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
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

#define T0 SU_T0

/* ---- helpers ---- */

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* Commands are written with ' for " to stay readable. */
static char *q(const char *s)
{
    char *c = strdup(s);
    ck_assert_ptr_nonnull(c);
    for (char *p = c; *p; p++)
        if (*p == '\'')
            *p = '"';
    return c;
}

static cJSON *ok(l2c_engine *e, const char *cmd)
{
    char *c = q(cmd);
    cJSON *j = tu_ok(e, c);
    free(c);
    return j;
}

static void ok0(l2c_engine *e, const char *cmd) { cJSON_Delete(ok(e, cmd)); }

/* Run a command that must fail with `code`, nothing changed (tu_fails_unchanged). */
static void fails(l2c_engine *e, const char *cmd, const char *code)
{
    char *c = q(cmd);
    tu_fails_unchanged(e, c, code, NULL);
    free(c);
}

/* The raw result text of a command. */
static char *raw(l2c_engine *e, const char *cmd, int *rc)
{
    char *c = q(cmd), *out = NULL;
    int r = l2c_exec_json(&out, e, c);
    if (rc)
        *rc = r;
    free(c);
    ck_assert_ptr_nonnull(out);
    char *s = strdup(out);
    l2c_free(out);
    return s;
}

static l2c_engine *open_db(const char *path) { return su_open(path, L2C_DURABILITY_NORMAL, 5000); }

/* Expect l2c_engine_open to fail with `code`. */
static void open_fails(const char *path, const l2c_engine_options *o, int code)
{
    l2c_engine *e = (l2c_engine *)(uintptr_t)1;
    int rc = l2c_engine_open(&e, path, o);
    ck_assert_msg(rc == code, "open %s: got %d (%s), want %d", path, rc,
                  l2c_last_error_message(NULL), code);
    ck_assert_ptr_null(e);
    ck_assert_int_eq(l2c_last_error_code(NULL), code);
}

static void sql_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    ck_assert_msg(rc == SQLITE_OK, "%s: %s", sql, err ? err : "?");
    sqlite3_close(db);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t k;
    while ((k = fread(b + n, 1, cap - n, f)) > 0)
        if ((n += k) == cap)
            b = realloc(b, cap *= 2);
    fclose(f);
    *len = n;
    return b;
}

/* Everything a reader can see: every record's `get`, the `list` of every
 * type, the `events` output and the last sequence, as one text. */
static char *everything(l2c_engine *e)
{
    su_buf b = {0};
    for (size_t t = 0; t < SU_NTYPES; t++) {
        char cmd[128], *out = NULL;
        snprintf(cmd, sizeof cmd, "{\"op\":\"list\",\"type\":\"%s\"}", su_types[t]);
        ck_assert_int_eq(l2c_exec_json(&out, e, cmd), 0);
        su_buf_add(&b, out);
        cJSON *j = cJSON_Parse(out);
        l2c_free(out);
        const cJSON *ents = cJSON_GetObjectItem(j, "entities"), *it;
        cJSON_ArrayForEach(it, ents)
        {
            char *g = NULL;
            const char *id = cJSON_GetObjectItem(it, "id")->valuestring;
            ck_assert_int_eq(l2c_get_json(&g, e, su_types[t], id), 0);
            su_buf_add(&b, g);
            l2c_free(g);
            char c2[512];
            snprintf(c2, sizeof c2, "{\"op\":\"get\",\"type\":\"%s\",\"id\":\"%s\"}", su_types[t], id);
            ck_assert_int_eq(l2c_exec_json(&out, e, c2), 0);
            su_buf_add(&b, out);
            l2c_free(out);
        }
        cJSON_Delete(j);
    }
    char *out = NULL;
    ck_assert_int_eq(l2c_exec_json(&out, e, "{\"op\":\"events\"}"), 0);
    su_buf_add(&b, out);
    l2c_free(out);
    char last[32];
    snprintf(last, sizeof last, "last=%llu", (unsigned long long)l2c_events_last(e));
    su_buf_add(&b, last);
    return b.s;
}

static void same(const char *a, const char *b, const char *what)
{
    if (strcmp(a, b) == 0)
        return;
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    size_t from = i > 120 ? i - 120 : 0;
    ck_abort_msg("%s differ at byte %zu:\n  a: ...%.240s\n  b: ...%.240s", what, i, a + from, b + from);
}

/* ---- the lead-to-cash flow: every record type and most events ---- */

static const char *const flow[] = {
    "{'op':'clock','now':'2026-04-01T08:30:00Z'}",
    "{'op':'create','type':'lead','data':{'name':'Ines Ortega','email':'ines@example.org','company':'Ortega Foods','source':'webinar'}}",
    "{'op':'create','type':'lead','id':'L-000003','data':{'name':'Bo Berg'}}",
    "{'op':'create','type':'lead','data':{'name':'Cy Chan','company':'Chan Ltd'}}",
    "{'op':'create','type':'lead','data':{'name':'Di Dorn'}}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'contact','actor':{'id':'rep-3','roles':['sales_rep']}}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'qualify','version':2}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{'opportunity':{'name':'Ortega cold storage','amount':'12000.00','close_date':'2026-06-30'}}}",
    "{'op':'fire','type':'lead','id':'L-000002','event':'disqualify','data':{'reason':'no budget'}}",
    "{'op':'fire','type':'lead','id':'L-000002','event':'reopen'}",
    "{'op':'update','type':'lead','id':'L-000004','data':{'email':'di@example.org'}}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','valid_until':'2026-04-30','lines':[{'sku':'FRZ-200','description':'Freezer unit','qty':2,'unit_price':'4800.00','discount_pct':'25','tax_rate_pct':'21'},{'sku':'INST','description':'Installation','qty':1,'unit_price':'950.00','tax_rate_pct':'21'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'submit'}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'approve','actor':{'id':'mgr-1','roles':['sales_manager']}}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'send'}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}",
    "{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}",
    "{'op':'fire','type':'order','id':'SO-000001','event':'fulfill','data':{'lines':[{'line':1,'qty':2},{'line':2,'qty':1}]}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000001','lines':[{'order_line':1,'qty':2}]}}",
    "{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000001'}}",
    "{'op':'fire','type':'invoice','id':'INV-000002','event':'issue'}",
    "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'5000.00','method':'bank_transfer','reference':'OF-7781','allocations':[{'invoice':'INV-000001','amount':'5000.00'}]}}",
    "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'1149.50'}}",
    "{'op':'fire','type':'payment','id':'PAY-000002','event':'allocate','data':{'invoice':'INV-000002','amount':'1149.50'}}",
    "{'op':'fire','type':'payment','id':'PAY-000002','event':'reverse','actor':{'id':'fin-1','roles':['finance']}}",
    "{'op':'clock','now':'2026-05-15T09:00:00Z'}",
    "{'op':'sweep'}",
    "{'op':'fire','type':'invoice','id':'INV-000001','event':'dispute','data':{'reason':'quantity'}}",
    "{'op':'create','type':'credit_note','data':{'invoice':'INV-000001','lines':[{'invoice_line':1,'qty':1}],'reason':'one unit returned'}}",
    "{'op':'fire','type':'credit_note','id':'CN-000001','event':'issue'}",
    "{'op':'fire','type':'invoice','id':'INV-000002','event':'write_off','actor':{'id':'fin-1','roles':['finance']}}",
    "{'op':'create','type':'opportunity','id':'OPP-000010','data':{'account':'ACC-000001','name':'Second site','amount':'3000.00'}}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000010','lines':[{'sku':'SVC','qty':'1.5','unit_price':'200.00'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000002','event':'send'}",
    "{'op':'fire','type':'quote','id':'Q-000002','event':'decline','data':{'reason':'too expensive'}}",
    "{'op':'fire','type':'quote','id':'Q-000002','event':'revise','data':{'new_id':'Q-REV-1'}}",
    "{'op':'fire','type':'opportunity','id':'OPP-000010','event':'lose','data':{'reason':'went elsewhere'}}",
    "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'10.00','currency':'USD'}}",
    "{'op':'fire','type':'payment','id':'PAY-000003','event':'refund','actor':{'id':'fin-1','roles':['finance']}}",
    "{'op':'create','type':'credit_note','data':{'invoice':'INV-000001','lines':[{'invoice_line':1,'qty':1}],'reason':'draft only'}}",
    "{'op':'fire','type':'credit_note','id':'CN-000002','event':'void'}",
    "{'op':'fire','type':'account','id':'ACC-000001','event':'hold','actor':{'id':'fin-1','roles':['finance']}}",
    "{'op':'fire','type':'account','id':'ACC-000001','event':'release','actor':{'id':'fin-1','roles':['finance']}}",
    "{'op':'create','type':'account','id':'ACC-JP','data':{'name':'Tokyo KK','currency':'JPY','credit_limit':'1000000'}}",
    "{'op':'create','type':'order','data':{'account':'ACC-JP','lines':[{'sku':'X','qty':3,'unit_price':'1200'}]}}",
    "{'op':'fire','type':'order','id':'SO-000002','event':'cancel'}",
    "{'op':'batch','commands':[{'op':'create','type':'lead','data':{'name':'Eve'}},{'op':'fire','type':'lead','id':'L-000005','event':'contact'}]}",
    "{'op':'create','type':'lead','id':'L-000007','data':{'name':'Given id'}}",
    "{'op':'create','type':'payment','id':'PAY-000005','data':{'account':'ACC-JP','amount':500}}",
};
#define NFLOW (sizeof flow / sizeof *flow)

/* Commands after the reopen: generated ids must skip L-000007 and
 * PAY-000005 exactly as the engine that never closed does. */
static const char *const after_reopen[] = {
    "{'op':'create','type':'lead','data':{'name':'After 1'}}",
    "{'op':'create','type':'lead','data':{'name':'After 2'}}",
    "{'op':'create','type':'lead','data':{'name':'After 3'}}",
    "{'op':'create','type':'payment','data':{'account':'ACC-JP','amount':1}}",
    "{'op':'create','type':'payment','data':{'account':'ACC-JP','amount':2}}",
    "{'op':'create','type':'account','data':{'name':'New Co'}}",
    "{'op':'create','type':'opportunity','data':{'account':'ACC-000002','name':'Deal'}}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000002'}}",
    "{'op':'create','type':'order','data':{'account':'ACC-JP','lines':[{'sku':'Y','qty':1,'unit_price':'10'}]}}",
    "{'op':'create','type':'credit_note','data':{'invoice':'INV-000001','lines':[{'invoice_line':1,'qty':1}]}}",
    "{'op':'fire','type':'lead','id':'L-000004','event':'contact'}",
    "{'op':'update','type':'account','id':'ACC-000001','data':{'credit_limit':'50000.00'}}",
    "{'op':'sweep'}",
};
#define NAFTER (sizeof after_reopen / sizeof *after_reopen)

/* Failures along the way: nothing may reach the database. */
static const struct {
    const char *cmd, *code;
} refusals[] = {
    {"{'op':'fire','type':'lead','id':'L-000001','event':'convert'}", "invalid_transition"},
    {"{'op':'create','type':'lead','data':{'email':'x@y'}}", "invalid_argument"},
    {"{'op':'fire','type':'lead','id':'L-000002','event':'qualify','version':1}", "conflict"},
    {"{'op':'fire','type':'invoice','id':'INV-000001','event':'void','actor':{'id':'f','roles':['finance']}}",
     "invalid_transition"},
    {"{'op':'create','type':'lead','id':'L-000001','data':{'name':'dup'}}", "already_exists"},
    {"{'op':'batch','commands':[{'op':'create','type':'payment','id':'PAY-X','data':{'account':'ACC-000001','amount':'100.00'}},{'op':'fire','type':'payment','id':'PAY-X','event':'allocate','data':{'invoice':'INV-000001','amount':'19.99'}}]}",
     "guard_rejected"},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'approve'}", "invalid_transition"},
    {"{'op':'fire','type':'account','id':'ACC-000001','event':'hold'}", "forbidden"},
    {"{'op':'fire','type':'nope','id':'x','event':'y'}", "invalid_argument"},
    {"{'op':'get','type':'lead','id':'L-999999'}", "not_found"},
    {"not json", "parse_error"},
};
#define NREFUSALS (sizeof refusals / sizeof *refusals)

static void run_flow(l2c_engine *e, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < NFLOW; i++)
        ok0(e, flow[i]);
}

/* Counts of the stored tables, as one text. */
static char *table_counts(const char *path)
{
    char *s = malloc(256);
    snprintf(s, 256, "events=%lld records=%lld counters=%lld sum=%lld maxseq=%lld",
             su_sql_int(path, "SELECT count(*) FROM events"),
             su_sql_int(path, "SELECT count(*) FROM records"),
             su_sql_int(path, "SELECT count(*) FROM counters"),
             su_sql_int(path, "SELECT coalesce(sum(value),0) FROM counters"),
             su_sql_int(path, "SELECT coalesce(max(seq),0) FROM events"));
    return s;
}

/* The stored `records` table agrees with the engine: one row per record,
 * its state and version, pointing at the record's last event. */
static void records_table_matches(l2c_engine *e, const char *path)
{
    sqlite3 *db = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT r.type, r.id, r.state, r.version, e.subject, e.type, "
                                        "(SELECT max(seq) FROM events x WHERE x.type=r.type AND "
                                        "x.subject=r.id) = r.seq FROM records r JOIN events e ON "
                                        "e.seq = r.seq",
                                        -1, &st, NULL),
                     SQLITE_OK);
    uint64_t rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        const char *state = NULL;
        uint32_t version = 0;
        ck_assert_int_eq(l2c_get_state(&state, e, type, id), 0);
        ck_assert_int_eq(l2c_get_version(&version, e, type, id), 0);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 2), state);
        ck_assert_int_eq(sqlite3_column_int(st, 3), (int)version);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 4), id);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 5), type);
        ck_assert_msg(sqlite3_column_int(st, 6) == 1, "%s %s: records.seq is not its last event", type, id);
        rows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    uint64_t total = 0;
    for (size_t t = 0; t < SU_NTYPES; t++) {
        uint64_t n = 0;
        ck_assert_int_eq(l2c_count(&n, e, su_types[t]), 0);
        total += n;
    }
    ck_assert_uint_eq(rows, total);
}

/* ---- tests ---- */

START_TEST(test_reopen_is_byte_identical)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db");
    l2c_engine *mem = tu_engine(); /* the same commands, never stored */
    l2c_engine *e = open_db(path);
    run_flow(mem, 0, NFLOW);
    run_flow(e, 0, NFLOW);
    for (size_t i = 0; i < NREFUSALS; i++) {
        char *before = table_counts(path);
        fails(e, refusals[i].cmd, refusals[i].code);
        char *after = table_counts(path);
        ck_assert_str_eq(before, after);
        free(before);
        free(after);
    }
    for (size_t t = 0; t < SU_NTYPES; t++) { /* every record type is in the flow */
        uint64_t n = 0;
        ck_assert_int_eq(l2c_count(&n, e, su_types[t]), 0);
        ck_assert_msg(n > 0, "no %s in the flow", su_types[t]);
    }
    char *a = everything(e), *m = everything(mem);
    same(a, m, "stored engine vs in-memory engine");
    records_table_matches(e, path);
    uint64_t last = l2c_events_last(e);
    ck_assert_uint_ge(last, 60);
    l2c_engine_free(e);

    /* reopen: every get, list and event byte-identical; clock set to where it was */
    e = open_db(path);
    ck_assert_int_eq(l2c_clock_set(e, l2c_clock_now(mem)), 0);
    char *b = everything(e);
    same(a, b, "before close vs after reopen");
    ck_assert_uint_eq(l2c_events_last(e), last);
    su_gapless(path, last);
    su_integrity_ok(path);

    /* events op after the reopen, with after/limit/topic */
    static const char *const reads[] = {
        "{'op':'events','after':'12','limit':3,'topic':'l2c/v1/billing/#'}",
        "{'op':'events','after':5,'limit':4}",
        "{'op':'events','topic':'l2c/v1/+/invoice/+/+'}",
        "{'op':'events','after':1000}",
        "{'op':'list','type':'invoice','state':'paid'}",
        "{'op':'list','type':'quote','state':'cancelled'}",
    };
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++) {
        int r1, r2;
        char *x = raw(e, reads[i], &r1), *y = raw(mem, reads[i], &r2);
        ck_assert_int_eq(r1, 0);
        ck_assert_int_eq(r2, 0);
        same(x, y, reads[i]);
        free(x);
        free(y);
    }

    /* generated ids continue, skipping the given ones, like the engine
     * that never closed: compare the whole results */
    for (size_t i = 0; i < NAFTER; i++) {
        int r1, r2;
        char *x = raw(e, after_reopen[i], &r1), *y = raw(mem, after_reopen[i], &r2);
        ck_assert_msg(r1 == 0, "%s -> %s", after_reopen[i], x);
        ck_assert_int_eq(r2, 0);
        same(x, y, after_reopen[i]);
        free(x);
        free(y);
    }
    cJSON *j = ok(e, "{'op':'get','type':'lead','id':'L-000008'}");
    ck_assert_str_eq(tu_str(j, "entity.name"), "After 2"); /* L-000006, then 8: 7 was given */
    cJSON_Delete(j);
    j = ok(e, "{'op':'get','type':'payment','id':'PAY-000006'}");
    ck_assert_str_eq(tu_str(j, "entity.amount"), "2");
    cJSON_Delete(j);
    j = ok(e, "{'op':'get','type':'quote','id':'Q-000003'}");
    ck_assert_str_eq(tu_str(j, "entity.opportunity"), "OPP-000002");
    cJSON_Delete(j);

    /* and once more through a reopen */
    char *c1 = everything(e);
    l2c_engine_free(e);
    e = open_db(path);
    ck_assert_int_eq(l2c_clock_set(e, l2c_clock_now(mem)), 0);
    char *c2 = everything(e);
    same(c1, c2, "second reopen");
    records_table_matches(e, path);
    su_integrity_ok(path);
    su_gapless(path, l2c_events_last(e));

    free(a);
    free(b);
    free(m);
    free(c1);
    free(c2);
    l2c_engine_free(e);
    l2c_engine_free(mem);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

/* The state after opening is a replay of the stored log: for every prefix
 * of the log that ends a command, a copy of the database cut there (events
 * after it and the records table's rows for them deleted) opens into
 * exactly the records an in-memory engine had after that command. */
START_TEST(test_state_equals_replay_of_the_log)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db"), *cut = path_in(dir, "cut.db");
    l2c_engine *mem = tu_engine();
    char *want[NFLOW + 1] = {0};
    uint64_t seq[NFLOW + 1] = {0};
    int64_t clk[NFLOW + 1] = {0};
    size_t n = 0;
    for (size_t i = 0; i < NFLOW; i++) {
        ok0(mem, flow[i]);
        if (n && seq[n - 1] == l2c_events_last(mem))
            continue;
        seq[n] = l2c_events_last(mem);
        clk[n] = l2c_clock_now(mem);
        want[n++] = su_lists(mem, 0);
    }
    l2c_engine *e = open_db(path);
    run_flow(e, 0, NFLOW);
    ck_assert_uint_eq(l2c_events_last(e), seq[n - 1]);
    l2c_engine_free(e);

    sqlite3 *src = NULL;
    ck_assert_int_eq(sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    for (size_t k = 0; k < n; k++) {
        unlink(cut);
        char sql[512];
        snprintf(sql, sizeof sql, "VACUUM INTO '%s'", cut);
        ck_assert_int_eq(sqlite3_exec(src, sql, NULL, NULL, NULL), SQLITE_OK);
        snprintf(sql, sizeof sql,
                 "DELETE FROM records WHERE seq > %llu; DELETE FROM events WHERE seq > %llu",
                 (unsigned long long)seq[k], (unsigned long long)seq[k]);
        sql_exec(cut, sql);
        l2c_engine *r = open_db(cut);
        ck_assert_int_eq(l2c_clock_set(r, clk[k]), 0);
        ck_assert_uint_eq(l2c_events_last(r), seq[k]);
        char *got = su_lists(r, 0);
        same(got, want[k], "replayed prefix vs in-memory engine");
        free(got);
        l2c_engine_free(r);
    }
    sqlite3_close(src);
    /* and the full log: every get/list/event */
    e = open_db(path);
    ck_assert_int_eq(l2c_clock_set(e, l2c_clock_now(mem)), 0);
    char *a = everything(e), *b = everything(mem);
    same(a, b, "replay of the whole log vs in-memory engine");
    free(a);
    free(b);
    for (size_t k = 0; k < n; k++)
        free(want[k]);
    l2c_engine_free(e);
    l2c_engine_free(mem);
    unlink(cut);
    free(cut);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

START_TEST(test_two_engines_on_one_file)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db");
    l2c_engine *a = open_db(path), *b = open_db(path);
    l2c_engine *mem = tu_engine();
    /* alternate the flow between the two engines: each command sees what
     * the other committed (ids, versions, rules), like one engine would */
    for (size_t i = 0; i < NFLOW; i++) {
        l2c_engine *e = (i % 3 == 1) ? b : a;
        if (strstr(flow[i], "'clock'")) { /* the clock is per engine */
            ok0(a, flow[i]);
            ok0(b, flow[i]);
        } else {
            ok0(e, flow[i]);
        }
        ok0(mem, flow[i]);
    }
    char *m = everything(mem), *x = everything(a), *y = everything(b);
    same(m, x, "engine A vs in-memory");
    same(m, y, "engine B vs in-memory");
    su_gapless(path, l2c_events_last(mem));

    /* a stale version from the other engine is a conflict */
    uint32_t v = 0;
    ck_assert_int_eq(l2c_get_version(&v, a, "lead", "L-000004"), 0);
    ok0(b, "{'op':'fire','type':'lead','id':'L-000004','event':'contact'}");
    char cmd[160];
    snprintf(cmd, sizeof cmd,
             "{'op':'fire','type':'lead','id':'L-000004','event':'qualify','version':%u}", v);
    int rc;
    char *r = raw(a, cmd, &rc);
    ck_assert_msg(rc == L2C_ECONFLICT, "%s", r);
    ck_assert_ptr_nonnull(strstr(r, "\"conflict\""));
    free(r);
    snprintf(cmd, sizeof cmd,
             "{'op':'fire','type':'lead','id':'L-000004','event':'qualify','version':%u}", v + 1);
    ok0(a, cmd);

    /* generated ids never collide across the engines */
    cJSON *j1 = ok(a, "{'op':'create','type':'lead','data':{'name':'from A'}}");
    cJSON *j2 = ok(b, "{'op':'create','type':'lead','data':{'name':'from B'}}");
    ck_assert_str_ne(tu_str(j1, "entity.id"), tu_str(j2, "entity.id"));
    ck_assert_int_eq(atoi(tu_str(j2, "events.0.sequence")), atoi(tu_str(j1, "events.0.sequence")) + 1);
    cJSON_Delete(j1);
    cJSON_Delete(j2);

    /* a batch in B after a command in A */
    ok0(a, "{'op':'create','type':'lead','id':'L-AB','data':{'name':'ab'}}");
    cJSON *bj = ok(b, "{'op':'batch','commands':[{'op':'fire','type':'lead','id':'L-AB','event':'contact'},{'op':'fire','type':'lead','id':'L-AB','event':'qualify','version':2}]}");
    ck_assert_str_eq(tu_str(bj, "results.1.entity.state"), "qualified");
    cJSON_Delete(bj);

    /* reads catch up too, and both agree with a fresh open */
    char *x2 = everything(a), *y2 = everything(b);
    same(x2, y2, "A vs B after more commands");
    l2c_engine *c = open_db(path);
    ck_assert_int_eq(l2c_clock_set(c, l2c_clock_now(a)), 0);
    char *z = everything(c);
    same(x2, z, "A vs a fresh open");
    su_gapless(path, l2c_events_last(c));
    records_table_matches(c, path);
    su_integrity_ok(path);

    free(m);
    free(x);
    free(y);
    free(x2);
    free(y2);
    free(z);
    l2c_engine_free(a);
    l2c_engine_free(b);
    l2c_engine_free(c);
    l2c_engine_free(mem);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

START_TEST(test_busy_is_conflict_and_changes_nothing)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db");
    l2c_engine *e = su_open(path, L2C_DURABILITY_NORMAL, 50);
    run_flow(e, 0, 12);
    char *before = everything(e), *counts = table_counts(path);

    sqlite3 *lock = NULL;
    ck_assert_int_eq(sqlite3_open(path, &lock), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(lock, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);

    static const char *const cmds[] = {
        "{'op':'create','type':'lead','data':{'name':'Blocked'}}",
        "{'op':'fire','type':'lead','id':'L-000004','event':'contact'}",
        "{'op':'batch','commands':[{'op':'create','type':'lead','data':{'name':'B1'}}]}",
        "{'op':'sweep'}",
    };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        int rc;
        char *r = raw(e, cmds[i], &rc);
        ck_assert_msg(rc == L2C_ECONFLICT, "%s -> %s", cmds[i], r);
        cJSON *j = cJSON_Parse(r);
        ck_assert_str_eq(tu_str(j, "error.code"), "conflict");
        ck_assert_ptr_null(tu_str(j, "error.rule"));
        cJSON_Delete(j);
        free(r);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    ck_assert_msg(secs < 3.0, "busy commands took %.2f s with a 50 ms timeout", secs);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_ECONFLICT);
    /* the typed API too */
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000004", "contact", NULL, NULL, 0), L2C_ECONFLICT);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay", 1), L2C_ECONFLICT);

    /* reads go on under the lock (WAL) and nothing changed */
    char *during = everything(e);
    same(before, during, "state while locked");
    ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    char *counts2 = table_counts(path);
    ck_assert_str_eq(counts, counts2);

    /* once the lock is gone the same command succeeds, with the next id */
    cJSON *j = ok(e, "{'op':'create','type':'lead','data':{'name':'Unblocked'}}");
    ck_assert_str_eq(tu_str(j, "entity.id"), "L-000005");
    cJSON_Delete(j);
    su_gapless(path, l2c_events_last(e));

    free(before);
    free(during);
    free(counts);
    free(counts2);
    l2c_engine_free(e);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

/* Creating the schema needs the lock too: a new file held by another
 * connection is a conflict at open, and leaves no schema behind. */
START_TEST(test_busy_at_open_is_conflict)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "new.db");
    sqlite3 *lock = NULL;
    ck_assert_int_eq(sqlite3_open(path, &lock), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(lock, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.busy_timeout_ms = 20;
    open_fails(path, &o, L2C_ECONFLICT);
    ck_assert_int_eq(sqlite3_exec(lock, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(lock);
    l2c_engine *e = open_db(path);
    ok0(e, "{'op':'create','type':'lead','data':{'name':'x'}}");
    l2c_engine_free(e);
    ck_assert_int_eq(su_sql_int(path, "PRAGMA application_id"), 0x4C324331);
    ck_assert_int_eq(su_sql_int(path, "PRAGMA user_version"), 1);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

/* A file that is not ours is refused with io_error, and left untouched. */
static void refused_untouched(const char *path, int code)
{
    size_t n1, n2;
    char *b1 = slurp(path, &n1);
    open_fails(path, NULL, code);
    char *b2 = slurp(path, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_msg(memcmp(b1, b2, n1) == 0, "%s was changed by a refused open", path);
    free(b1);
    free(b2);
}

START_TEST(test_foreign_files_are_io_errors)
{
    char *dir = su_tmpdir_new("store");
    /* another application's SQLite database (application_id 0) */
    char *p = path_in(dir, "foreign.db");
    sql_exec(p, "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT);"
                "INSERT INTO customers(name) VALUES('x')");
    refused_untouched(p, L2C_EIO);
    ck_assert_ptr_nonnull(strstr(l2c_last_error_message(NULL), "not an l2c database"));
    free(p);
    /* another application id, no tables */
    p = path_in(dir, "otherapp.db");
    sql_exec(p, "PRAGMA application_id=1234; CREATE TABLE t(x); DROP TABLE t");
    refused_untouched(p, L2C_EIO);
    free(p);
    /* random bytes */
    p = path_in(dir, "random.db");
    FILE *f = fopen(p, "wb");
    srand(7);
    for (int i = 0; i < 8192; i++)
        fputc(rand() & 0xff, f);
    fclose(f);
    refused_untouched(p, L2C_EIO);
    free(p);
    /* a short text file */
    p = path_in(dir, "text.db");
    f = fopen(p, "wb");
    fputs("hello, this is not a database\n", f);
    fclose(f);
    refused_untouched(p, L2C_EIO);
    free(p);
    /* an l2c database with a newer schema */
    p = path_in(dir, "newer.db");
    l2c_engine *e = open_db(p);
    ok0(e, "{'op':'create','type':'lead','data':{'name':'x'}}");
    l2c_engine_free(e);
    sql_exec(p, "PRAGMA user_version=99");
    refused_untouched(p, L2C_EIO);
    ck_assert_ptr_nonnull(strstr(l2c_last_error_message(NULL), "99"));
    sql_exec(p, "PRAGMA user_version=1");
    e = open_db(p); /* back to version 1: opens again */
    l2c_engine_free(e);
    free(p);
    /* an l2c database whose log is damaged: a gap, then a malformed event */
    p = path_in(dir, "gap.db");
    e = open_db(p);
    run_flow(e, 0, 8);
    l2c_engine_free(e);
    sql_exec(p, "DELETE FROM events WHERE seq = 3");
    open_fails(p, NULL, L2C_EIO);
    free(p);
    p = path_in(dir, "bad.db");
    e = open_db(p);
    run_flow(e, 0, 8);
    l2c_engine_free(e);
    sql_exec(p, "UPDATE events SET json = '{\"type\":' WHERE seq = 2");
    open_fails(p, NULL, L2C_EIO);
    free(p);
    /* a directory is not a database file */
    p = path_in(dir, "sub");
    ck_assert_int_eq(mkdir(p, 0700), 0);
    open_fails(p, NULL, L2C_EIO);
    rmdir(p);
    free(p);
    /* nor a path in a directory that does not exist */
    p = path_in(dir, "missing/l2c.db");
    open_fails(p, NULL, L2C_EIO);
    free(p);
    su_rmdir_all(dir);
}
END_TEST

/* Read-only database file. SQLite opens a file it may not write read-only:
 *   - in a directory the process may write (the -wal/-shm files can be
 *     made), the engine opens, reads work (e.g. for reporting), and every
 *     write (commands, outbox acks) fails with io_error, changing nothing;
 *   - in a directory it may not write either, the open itself fails with
 *     io_error.
 * Root ignores file modes, so as root each case runs in a child that drops
 * to user `nobody` first; when that is not possible the test says so and
 * skips. */
static int ro_child(const char *path, const char *want, int dir_writable)
{
    l2c_engine *e = NULL;
    int rc = l2c_engine_open(&e, path, NULL);
    if (!dir_writable) {
        if (rc != L2C_EIO || e) {
            fprintf(stderr, "read-only dir: open gave %d, want io_error\n", rc);
            l2c_engine_free(e);
            return 12;
        }
        return 0;
    }
    if (rc) {
        fprintf(stderr, "read-only: open failed %d: %s\n", rc, l2c_last_error_message(NULL));
        return 10;
    }
    l2c_clock_set(e, T0);
    char *out = NULL;
    rc = l2c_exec_json(&out, e, "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"x\"}}");
    int bad = rc != L2C_EIO || !out || !strstr(out, "\"io_error\"");
    if (bad)
        fprintf(stderr, "read-only: create gave %d %s\n", rc, out ? out : "");
    l2c_free(out);
    rc = l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 0);
    if (rc != L2C_EIO) {
        fprintf(stderr, "read-only: fire gave %d\n", rc);
        bad = 1;
    }
    if (l2c_outbox_ack(e, "relay", 1) != L2C_EIO) {
        fprintf(stderr, "read-only: ack did not fail with io_error\n");
        bad = 1;
    }
    rc = l2c_exec_json(&out, e, "{\"op\":\"list\",\"type\":\"lead\"}");
    if (rc || !out || strcmp(out, want) != 0) {
        fprintf(stderr, "read-only: list changed: %s\n", out ? out : "");
        bad = 1;
    }
    l2c_free(out);
    l2c_engine_free(e);
    return bad ? 11 : 0;
}

/* Run ro_child in a child process as `uid` (0: as we are). 77 = skipped. */
static int ro_run(uid_t uid, const char *path, const char *want, int dir_writable)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* the child answers through the pipe and then dies by SIGKILL, so
         * that nothing of the parent's (Check's, valgrind's leak check) runs
         * at its exit */
        unsigned char res = 77;
        close(fds[0]);
        if (!uid || setuid(uid) == 0)
            res = (unsigned char)ro_child(path, want, dir_writable);
        if (write(fds[1], &res, 1) != 1)
            res = 1;
        raise(SIGKILL);
        _exit(1);
    }
    close(fds[1]);
    unsigned char res = 255;
    ssize_t got = read(fds[0], &res, 1);
    close(fds[0]);
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(got, 1);
    return res;
}

START_TEST(test_read_only_file)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "ro.db");
    l2c_engine *e = open_db(path);
    ok0(e, "{'op':'create','type':'lead','data':{'name':'Ro'}}");
    char *want = raw(e, "{'op':'list','type':'lead'}", NULL);
    l2c_engine_free(e);
    ck_assert_int_eq(chmod(path, 0444), 0);
    size_t n1, n2;
    char *b1 = slurp(path, &n1);

    uid_t drop = 0;
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("nobody");
        if (!pw || pw->pw_uid == 0) {
            fprintf(stderr, "test_read_only_file: skipped (root, and no user 'nobody' to drop to)\n");
            goto out;
        }
        drop = pw->pw_uid;
        ck_assert_int_eq(chown(dir, drop, (gid_t)-1), 0); /* the directory is theirs */
    }
    /* 1: only the file is read-only */
    int res = ro_run(drop, path, want, 1);
    if (res == 77) {
        fprintf(stderr, "test_read_only_file: skipped (cannot drop root privileges)\n");
        goto out;
    }
    ck_assert_msg(res == 0, "read-only file: child failed with %d", res);
    /* 2: the directory too (the -wal/-shm files of case 1 removed) */
    char *wal = path_in(dir, "ro.db-wal"), *shm = path_in(dir, "ro.db-shm");
    unlink(wal);
    unlink(shm);
    if (drop)
        ck_assert_int_eq(chown(dir, 0, (gid_t)-1), 0);
    ck_assert_int_eq(chmod(dir, 0555), 0);
    res = ro_run(drop, path, want, 0);
    ck_assert_int_eq(chmod(dir, 0700), 0);
    ck_assert_msg(res == 0, "read-only directory: child failed with %d", res);
    ck_assert_int_eq(access(wal, F_OK), -1);
    free(wal);
    free(shm);
    char *b2 = slurp(path, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_msg(memcmp(b1, b2, n1) == 0, "the read-only file was changed");
    free(b2);
out:
    free(b1);
    free(want);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

START_TEST(test_outbox_positions_persist)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db");
    l2c_engine *e = open_db(path);
    run_flow(e, 0, 10);
    uint64_t last = l2c_events_last(e), pos = 99;
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-1"), 0);
    ck_assert_uint_eq(pos, 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", 3), 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-2", last), 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", 5), 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", last + 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", UINT64_MAX), L2C_EINVAL);
    ck_assert_int_eq(l2c_outbox_ack(e, "", 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_outbox_ack(e, NULL, 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, ""), L2C_EINVAL);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-1"), 0);
    ck_assert_uint_eq(pos, 5);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-0", 0), 0); /* 0: nothing handled yet */
    l2c_engine_free(e);

    e = open_db(path);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-1"), 0);
    ck_assert_uint_eq(pos, 5);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-2"), 0);
    ck_assert_uint_eq(pos, last);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-0"), 0);
    ck_assert_uint_eq(pos, 0);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "never"), 0);
    ck_assert_uint_eq(pos, 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", last + 1), L2C_EINVAL);

    /* a position can move back (a relay replays) */
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", 2), 0);
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "relay-1"), 0);
    ck_assert_uint_eq(pos, 2);

    /* another engine's events make a larger ack valid: the ack catches up */
    l2c_engine *b = open_db(path);
    run_flow(b, 10, 14);
    uint64_t last2 = l2c_events_last(b);
    ck_assert_uint_gt(last2, last);
    ck_assert_int_eq(l2c_outbox_ack(e, "relay-1", last2), 0);
    ck_assert_int_eq(l2c_outbox_position(&pos, b, "relay-1"), 0);
    ck_assert_uint_eq(pos, last2);
    ck_assert_int_eq(l2c_outbox_ack(b, "relay-1", last2 + 1), L2C_EINVAL);
    ck_assert_int_eq(su_sql_int(path, "SELECT seq FROM consumers WHERE name='relay-1'"), (long long)last2);
    /* acks are not events */
    su_gapless(path, last2);
    l2c_engine_free(b);
    l2c_engine_free(e);
    su_integrity_ok(path);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

START_TEST(test_durability_options)
{
    char *dir = su_tmpdir_new("store");
    static const int levels[] = {L2C_DURABILITY_FULL, L2C_DURABILITY_NORMAL, L2C_DURABILITY_OFF};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "d%d.db", i);
        char *p = path_in(dir, name);
        l2c_engine *e = su_open(p, levels[i], 1000);
        run_flow(e, 0, 8);
        char *a = everything(e);
        l2c_engine_free(e);
        /* any level may reopen any database */
        e = su_open(p, levels[(i + 1) % 3], 0);
        char *b = everything(e);
        same(a, b, "reopen at another durability");
        l2c_engine_free(e);
        sqlite3 *db;
        ck_assert_int_eq(sqlite3_open(p, &db), SQLITE_OK);
        sqlite3_stmt *st;
        ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        sqlite3_close(db);
        su_integrity_ok(p);
        free(a);
        free(b);
        free(p);
    }
    char *p = path_in(dir, "bad.db");
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.durability = 3;
    open_fails(p, &o, L2C_EINVAL);
    o.durability = -1;
    open_fails(p, &o, L2C_EINVAL);
    o.durability = L2C_DURABILITY_FULL;
    o.busy_timeout_ms = -1;
    open_fails(p, &o, L2C_EINVAL);
    o.busy_timeout_ms = 0;
    o.version = 99;
    open_fails(p, &o, L2C_EINVAL);
    o = (l2c_engine_options)L2C_ENGINE_OPTIONS_INIT;
    o.approval_threshold = "abc";
    open_fails(p, &o, L2C_EINVAL);
    ck_assert_int_eq(access(p, F_OK), -1); /* bad options create no file */
    /* NULL options: the defaults */
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_open(&e, p, NULL), 0);
    l2c_engine_free(e);
    ck_assert_int_eq(l2c_engine_open(NULL, p, NULL), L2C_EINVAL);
    free(p);
    su_rmdir_all(dir);
}
END_TEST

/* Failed commands of every kind leave the stored tables as they were. */
START_TEST(test_failed_commands_leave_the_database_unchanged)
{
    char *dir = su_tmpdir_new("store"), *path = path_in(dir, "l2c.db");
    l2c_engine *e = open_db(path);
    run_flow(e, 0, NFLOW);
    static const char *const more[] = {
        "{'op':'create','type':'lead','data':{}}",
        "{'op':'create','type':'quote','data':{'opportunity':'OPP-404'}}",
        "{'op':'create','type':'invoice','data':{'order':'SO-000001'}}",
        "{'op':'fire','type':'order','id':'SO-000001','event':'complete'}",
        "{'op':'batch','commands':[{'op':'create','type':'lead','data':{'name':'a'}},{'op':'create','type':'lead','data':{'name':'b'}},{'op':'fire','type':'lead','id':'L-000001','event':'contact'}]}",
        "{'op':'batch','commands':[{'op':'create','type':'account','data':{'name':'A'}},{'op':'batch','commands':[{'op':'create','type':'lead','data':{}}]}]}",
        "{'op':'update','type':'quote','id':'Q-000001','data':{'valid_until':'2027-01-01'}}",
    };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        char *before = table_counts(path);
        long long sum = su_sql_int(path, "SELECT total(length(json)) FROM events");
        int rc;
        char *r = raw(e, more[i], &rc);
        ck_assert_msg(rc != 0, "%s should fail: %s", more[i], r);
        free(r);
        char *after = table_counts(path);
        ck_assert_str_eq(before, after);
        ck_assert_int_eq(sum, su_sql_int(path, "SELECT total(length(json)) FROM events"));
        free(before);
        free(after);
    }
    /* the numbers drawn by failed creations were given back */
    cJSON *j = ok(e, "{'op':'create','type':'lead','data':{'name':'next'}}");
    ck_assert_str_eq(tu_str(j, "entity.id"), "L-000006");
    cJSON_Delete(j);
    su_gapless(path, l2c_events_last(e));
    l2c_engine_free(e);
    su_integrity_ok(path);
    free(path);
    su_rmdir_all(dir);
}
END_TEST

/* In-memory engines (empty path) still work through l2c_engine_open. */
START_TEST(test_empty_path_is_in_memory)
{
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_open(&e, "", NULL), 0);
    ck_assert_int_eq(l2c_clock_set(e, T0), 0);
    ok0(e, "{'op':'create','type':'lead','data':{'name':'x'}}");
    ck_assert_int_eq(l2c_outbox_ack(e, "r", 1), 0);
    ck_assert_int_eq(l2c_outbox_ack(e, "r", 2), L2C_EINVAL);
    uint64_t pos = 0;
    ck_assert_int_eq(l2c_outbox_position(&pos, e, "r"), 0);
    ck_assert_uint_eq(pos, 1);
    l2c_engine_free(e);
}
END_TEST

static Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("sqlite");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_reopen_is_byte_identical);
    tcase_add_test(tc, test_state_equals_replay_of_the_log);
    tcase_add_test(tc, test_two_engines_on_one_file);
    tcase_add_test(tc, test_busy_is_conflict_and_changes_nothing);
    tcase_add_test(tc, test_busy_at_open_is_conflict);
    tcase_add_test(tc, test_foreign_files_are_io_errors);
    tcase_add_test(tc, test_read_only_file);
    tcase_add_test(tc, test_outbox_positions_persist);
    tcase_add_test(tc, test_durability_options);
    tcase_add_test(tc, test_failed_commands_leave_the_database_unchanged);
    tcase_add_test(tc, test_empty_path_is_in_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(store_suite()); }
