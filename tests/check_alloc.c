/* Allocation failure: every allocation of the library and of cJSON goes
 * through a counting allocator that fails the N-th one and every later one
 * until the command returns. For each N a whole lead-to-cash flow runs on a
 * fresh engine: the command that meets the failure either answers (a
 * no_memory result, or NULL) with every record and the event log exactly as
 * before, or succeeds fully; then the flow is finished with memory available
 * and must end exactly as a run without failures. Leaks are caught by ASan
 * (LeakSanitizer) in `make check` and by valgrind in `make check-valgrind`.
 *
 * The N range: by default every allocation of the small commands and a
 * spread sample of the large ones (cJSON output of big results repeats the
 * same few allocation sites); L2C_LONG=1 tries every N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* ---- the counting allocator ---- */

static unsigned long n_allocs;  /* allocations counted while armed */
static unsigned long fail_at;   /* 0: never fail */
static unsigned long n_failed;  /* allocations refused while armed */
static int armed, failing;
static int only_one;            /* fail the fail_at-th alone, not the later ones */

static int refuse(void)
{
    if (!armed)
        return 0;
    n_allocs++;
    if (failing || (fail_at && n_allocs == fail_at)) {
        failing = !only_one;
        n_failed++;
        return 1;
    }
    return 0;
}

static void *t_malloc(size_t n) { return refuse() ? NULL : malloc(n); }
static void *t_realloc(void *p, size_t n) { return refuse() ? NULL : realloc(p, n); }
static void t_free(void *p) { free(p); }

/* Arm: count from 0, fail the `at`-th allocation (0: none) and all later
 * ones, or that one alone when `only_one` is set. */
static void arm(unsigned long at)
{
    n_allocs = 0;
    n_failed = 0;
    fail_at = at;
    failing = 0;
    armed = 1;
}

static void disarm(void)
{
    armed = 0;
    failing = 0;
}

static void setup(void)
{
    disarm();
    ck_assert_int_eq(l2c_set_allocator(t_malloc, t_realloc, t_free), 0);
    cJSON_Hooks hooks = {t_malloc, t_free};
    cJSON_InitHooks(&hooks);
}

static void teardown(void)
{
    disarm();
    cJSON_InitHooks(NULL);
    l2c_set_allocator(NULL, NULL, NULL);
}

/* ---- the flow ---- */

#define MGR "'actor':{'id':'mgr-1','roles':['sales_manager']}"

typedef struct step {
    const char *cmd;
    const char *fails; /* expected error code, or NULL when it succeeds */
} step;

static const step flow_src[] = {
    {"{'op':'create','type':'lead','data':{'name':'Ines Ortega','email':'ines@example.org',"
     "'company':'Ortega Foods','source':'webinar'}}", NULL},
    {"{'op':'fire','type':'lead','id':'L-000001','event':'contact',"
     "'actor':{'id':'rep-3','roles':['sales_rep']}}", NULL},
    {"{'op':'fire','type':'lead','id':'L-000001','event':'qualify','version':2}", NULL},
    {"{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{'opportunity':"
     "{'name':'Cold storage','amount':'12000.00','close_date':'2026-06-30'}}}", NULL},
    {"{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','valid_until':'2026-04-30',"
     "'lines':[{'sku':'FRZ-200','description':'Freezer unit','qty':2,'unit_price':'4800.00',"
     "'discount_pct':'25','tax_rate_pct':'21'},{'sku':'INST','description':'Installation',"
     "'qty':1,'unit_price':'950.00','tax_rate_pct':'21'}]}}", NULL},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'send'}", "guard_rejected"},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'submit'}", NULL},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'approve'," MGR "}", NULL},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'send'}", NULL},
    {"{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}", NULL},
    {"{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}", NULL},
    {"{'op':'fire','type':'order','id':'SO-000001','event':'fulfill','data':{'lines':"
     "[{'line':1,'qty':2},{'line':2,'qty':1}]}}", NULL},
    {"{'op':'create','type':'invoice','data':{'order':'SO-000001'}}", NULL},
    {"{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}", NULL},
    {"{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'5000.00',"
     "'method':'bank_transfer','reference':'OF-7781'}}", NULL},
    {"{'op':'fire','type':'payment','id':'PAY-000001','event':'allocate','data':"
     "{'invoice':'INV-000001','amount':'5000.00'}}", NULL},
    {"{'op':'create','type':'credit_note','data':{'invoice':'INV-000001','lines':"
     "[{'invoice_line':2,'qty':1}],'reason':'installation not needed'}}", NULL},
    {"{'op':'fire','type':'credit_note','id':'CN-000001','event':'issue'}", NULL},
    {"{'op':'batch','commands':[{'op':'create','type':'account','data':{'name':'Beta'}},"
     "{'op':'update','type':'account','id':'ACC-000002','data':{'credit_limit':'5000.00'}}]}",
     NULL},
    {"{'op':'clock','now':'2026-05-15T09:00:00Z'}", NULL},
    {"{'op':'sweep'}", NULL},
    {"{'op':'events','after':'3','limit':50,'topic':'l2c/v1/billing/#'}", NULL},
    {"{'op':'get','type':'invoice','id':'INV-000001'}", NULL},
};

#define NSTEPS (sizeof flow_src / sizeof *flow_src)

static char *flow[NSTEPS];         /* the commands with double quotes */
static char *ref_out[NSTEPS];      /* answers of a run without failures */
static unsigned long ref_count[NSTEPS]; /* allocations of each command */
static char *ref_final;            /* snapshot at the end of that run */

static char *dq(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    ck_assert_ptr_nonnull(d);
    strcpy(d, s);
    for (char *p = d; *p; p++)
        if (*p == '\'')
            *p = '"';
    return d;
}

/* A fresh engine, made with memory available. */
static l2c_engine *fresh(void)
{
    disarm();
    return tu_engine();
}

/* Run a command with memory available; it must answer as in the reference run. */
static void run_plain(l2c_engine *e, size_t k)
{
    char *out = NULL;
    disarm();
    int rc = l2c_exec_json(&out, e, flow[k]);
    ck_assert_ptr_nonnull(out);
    ck_assert_msg(strcmp(out, ref_out[k]) == 0, "step %zu answered differently:\n  %s\n  want %s",
                  k, out, ref_out[k]);
    ck_assert_int_eq(rc == 0, flow_src[k].fails == NULL);
    l2c_free(out);
}

static void reference(void)
{
    if (ref_final)
        return;
    l2c_engine *e = fresh();
    for (size_t k = 0; k < NSTEPS; k++) {
        flow[k] = dq(flow_src[k].cmd);
        char *out = NULL;
        arm(0);
        int rc = l2c_exec_json(&out, e, flow[k]);
        ref_count[k] = n_allocs;
        disarm();
        ck_assert_ptr_nonnull(out);
        cJSON *j = cJSON_Parse(out);
        ck_assert_ptr_nonnull(j);
        if (flow_src[k].fails) {
            ck_assert_msg(rc < 0 && cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")), "step %zu: %s", k,
                          out);
            ck_assert_str_eq(tu_str(j, "error.code"), flow_src[k].fails);
        } else {
            ck_assert_msg(rc == 0 && cJSON_IsTrue(cJSON_GetObjectItem(j, "ok")), "step %zu: %s", k,
                          out);
        }
        cJSON_Delete(j);
        ref_out[k] = malloc(strlen(out) + 1);
        strcpy(ref_out[k], out);
        l2c_free(out);
        ck_assert_uint_gt(ref_count[k], 0);
    }
    ref_final = tu_snapshot(e);
    /* the flow went where it should: the invoice is overdue with 3712.00 due */
    cJSON *inv = tu_ok(e, "{\"op\":\"get\",\"type\":\"invoice\",\"id\":\"INV-000001\"}");
    ck_assert_str_eq(tu_str(inv, "entity.state"), "overdue");
    ck_assert_str_eq(tu_str(inv, "entity.balance"), "3712.00");
    cJSON_Delete(inv);
    cJSON *ord = tu_ok(e, "{\"op\":\"get\",\"type\":\"order\",\"id\":\"SO-000001\"}");
    ck_assert_str_eq(tu_str(ord, "entity.state"), "completed");
    cJSON_Delete(ord);
    l2c_engine_free(e);
}

static int env_on(const char *name)
{
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

/* Whether to try failing the j-th allocation (1-based) of a command that
 * makes n of them: all when long, else the first ones densely and a spread
 * of the rest, always the last. */
static int try_j(unsigned long j, unsigned long n)
{
    if (env_on("L2C_LONG"))
        return 1;
    unsigned long dense = env_on("L2C_VALGRIND") ? 12 : 48;
    unsigned long spread = env_on("L2C_VALGRIND") ? 6 : 40;
    if (j <= dense || j == n)
        return 1;
    unsigned long stride = (n - dense) / spread + 1;
    return (j - dense) % stride == 0;
}

/* One run: a fresh engine, steps before k plainly, step k with the j-th of
 * its allocations failing (and every later one until it returns, unless
 * `only_one`), then the rest plainly; the end state must be the reference's. */
static void one_run(size_t k, unsigned long j)
{
    l2c_engine *e = fresh();
    for (size_t i = 0; i < k; i++)
        run_plain(e, i);
    char *before = tu_snapshot(e);
    uint64_t last = l2c_events_last(e);
    char *out = NULL;
    arm(j);
    int rc = l2c_exec_json(&out, e, flow[k]);
    unsigned long refused = n_failed;
    disarm();
    int last_code = l2c_last_error_code(e);
    ck_assert_msg(refused > 0, "step %zu made fewer than %lu allocations", k, j);
    ck_assert_int_eq(last_code, rc);
    if (rc == 0) {
        /* a failure the command could live with: it must have applied whole */
        ck_assert_ptr_nonnull(out);
        ck_assert_msg(strcmp(out, ref_out[k]) == 0, "step %zu, alloc %lu: %s", k, j, out);
    } else {
        if (out) {
            cJSON *res = cJSON_Parse(out);
            ck_assert_msg(res != NULL, "step %zu, alloc %lu: not JSON: %s", k, j, out);
            ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItem(res, "ok")), "step %zu: %s", k, out);
            const char *code = tu_str(res, "error.code");
            ck_assert_ptr_nonnull(code);
            ck_assert_str_eq(code, l2c_error_name(rc));
            /* out of memory, or the refusal the command gets anyway */
            ck_assert_msg(rc == L2C_ENOMEM ||
                              (flow_src[k].fails && strcmp(code, flow_src[k].fails) == 0),
                          "step %zu, alloc %lu: %s", k, j, out);
            cJSON_Delete(res);
        } else {
            ck_assert_int_eq(rc, L2C_ENOMEM);
        }
        char *after = tu_snapshot(e);
        ck_assert_msg(strcmp(before, after) == 0, "step %zu, alloc %lu: state changed", k, j);
        ck_assert_uint_eq(l2c_events_last(e), last);
        free(after);
        run_plain(e, k); /* memory is back: the same command now works */
    }
    l2c_free(out);
    free(before);
    for (size_t i = k + 1; i < NSTEPS; i++)
        run_plain(e, i);
    char *final = tu_snapshot(e);
    ck_assert_msg(strcmp(final, ref_final) == 0, "step %zu, alloc %lu: the flow ended elsewhere",
                  k, j);
    free(final);
    l2c_engine_free(e);
}

static void flow_under_failures(int one)
{
    reference();
    only_one = one;
    unsigned long total = 0, runs = 0;
    for (size_t k = 0; k < NSTEPS; k++) {
        for (unsigned long j = 1; j <= ref_count[k]; j++) {
            if (!try_j(j, ref_count[k]))
                continue;
            one_run(k, j);
            runs++;
        }
        total += ref_count[k];
    }
    ck_assert_uint_gt(runs, NSTEPS);
    /* and with N past the last allocation, a whole flow passes untouched */
    l2c_engine *e = fresh();
    arm(total + 1);
    for (size_t k = 0; k < NSTEPS; k++) {
        char *out = NULL;
        int rc = l2c_exec_json(&out, e, flow[k]);
        ck_assert_ptr_nonnull(out);
        ck_assert_str_eq(out, ref_out[k]);
        ck_assert_int_eq(rc == 0, flow_src[k].fails == NULL);
        l2c_free(out);
    }
    ck_assert_uint_eq(n_failed, 0);
    ck_assert_uint_eq(n_allocs, total);
    disarm();
    char *final = tu_snapshot(e);
    ck_assert_str_eq(final, ref_final);
    free(final);
    l2c_engine_free(e);
    only_one = 0;
}

START_TEST(test_flow_survives_allocations_failing_from_the_nth_on)
{
    flow_under_failures(0);
}
END_TEST

START_TEST(test_flow_survives_a_single_failed_allocation)
{
    flow_under_failures(1);
}
END_TEST

/* The harness itself: both the library's and cJSON's allocations fail. */
START_TEST(test_failing_allocator_reaches_l2c_and_cjson)
{
    arm(1);
    cJSON *j = cJSON_CreateObject();
    l2c_data *d = NULL;
    int rc = l2c_data_new(&d);
    unsigned long refused = n_failed;
    disarm();
    ck_assert_ptr_null(j);
    ck_assert_int_eq(rc, L2C_ENOMEM);
    ck_assert_ptr_null(d);
    ck_assert_uint_eq(refused, 2);
    /* only the N-th: the one after it works */
    only_one = 1;
    arm(1);
    j = cJSON_CreateObject();
    rc = l2c_data_new(&d);
    disarm();
    only_one = 0;
    ck_assert_ptr_null(j);
    ck_assert_int_eq(rc, 0);
    l2c_data_free(d);
}
END_TEST

START_TEST(test_engine_new_fails_cleanly_without_memory)
{
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    opts.name = "/alloc-test";
    unsigned long n;
    for (n = 1;; n++) {
        l2c_engine *e = (l2c_engine *)&n; /* must stay untouched on failure */
        arm(n);
        int rc = l2c_engine_new(&e, &opts);
        unsigned long refused = n_failed;
        disarm();
        if (rc == 0) {
            ck_assert_uint_eq(refused, 0);
            ck_assert_ptr_nonnull(e);
            l2c_engine_free(e);
            break;
        }
        ck_assert_int_eq(rc, L2C_ENOMEM);
        ck_assert_ptr_eq(e, (l2c_engine *)&n);
        ck_assert_int_eq(l2c_last_error_code(NULL), L2C_ENOMEM);
        ck_assert_uint_gt(refused, 0);
        ck_assert_uint_lt(n, 100000);
    }
    ck_assert_uint_gt(n, 1);
}
END_TEST

/* Reads and the C API under failure answer no_memory and change nothing. */
START_TEST(test_c_api_calls_fail_cleanly_without_memory)
{
    l2c_engine *e = fresh();
    tu_confirmed_order(e);
    char *before = tu_snapshot(e);
    int done = 0;
    for (unsigned long n = 1; !done; n++) {
        l2c_data *d = NULL;
        l2c_actor *a = NULL;
        char *id = NULL;
        arm(n);
        int rc = l2c_data_new(&d);
        if (!rc)
            rc = l2c_data_set_string(d, "name", "Beta GmbH");
        if (!rc)
            rc = l2c_actor_new(&a, "u-1");
        if (!rc)
            rc = l2c_actor_add_role(a, "finance");
        if (!rc)
            rc = l2c_create(&id, e, "account", NULL, d, a);
        unsigned long refused = n_failed;
        disarm();
        if (rc == 0) {
            ck_assert_uint_eq(refused, 0);
            ck_assert_str_eq(id, "ACC-000002");
            done = 1;
        } else {
            ck_assert_int_eq(rc, L2C_ENOMEM);
            ck_assert_ptr_null(id);
            char *after = tu_snapshot(e);
            ck_assert_str_eq(before, after);
            free(after);
        }
        l2c_free(id);
        l2c_data_free(d);
        l2c_actor_free(a);
        ck_assert_uint_lt(n, 100000);
    }
    /* reads: get_json, get_field, event_json, event_topic */
    for (unsigned long n = 1;; n++) {
        char *json = NULL, *field = NULL, *evj = NULL, *topic = NULL;
        const l2c_event *ev = NULL;
        arm(n);
        int rc = l2c_get_json(&json, e, "order", "SO-000001");
        if (!rc)
            rc = l2c_get_field(&field, e, "order", "SO-000001", "lines");
        if (!rc)
            rc = l2c_event_get(&ev, e, 1);
        if (!rc)
            rc = l2c_event_json(&evj, e, ev);
        if (!rc)
            rc = l2c_event_topic(&topic, ev);
        unsigned long refused = n_failed;
        disarm();
        l2c_free(json);
        l2c_free(field);
        l2c_free(evj);
        l2c_free(topic);
        if (rc == 0) {
            ck_assert_uint_eq(refused, 0);
            break;
        }
        ck_assert_int_eq(rc, L2C_ENOMEM);
        ck_assert_uint_lt(n, 100000);
    }
    char *after = tu_snapshot(e);
    ck_assert_str_ne(before, after); /* the account of the first loop is there */
    free(after);
    free(before);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("alloc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_failing_allocator_reaches_l2c_and_cjson);
    tcase_add_test(tc, test_flow_survives_allocations_failing_from_the_nth_on);
    tcase_add_test(tc, test_flow_survives_a_single_failed_allocation);
    tcase_add_test(tc, test_engine_new_fails_cleanly_without_memory);
    tcase_add_test(tc, test_c_api_calls_fail_cleanly_without_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
