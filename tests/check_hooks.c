/* Host hooks (DESIGN §4 Hooks, §5): guards that veto, listeners after the
 * commit, reentrancy, removal and destructors, the topic bus with grants,
 * topic matching and the event accessors of the C API. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

__attribute__((format(printf, 1, 2))) static const char *J(const char *fmt, ...)
{
    static char ring[8][4096];
    static unsigned next;
    char *b = ring[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof ring[0], fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof ring[0], "command too long");
    for (char *p = b; *p; p++)
        if (*p == '\'')
            *p = '"';
    return b;
}

static void ok(l2c_engine *e, const char *json) { cJSON_Delete(tu_ok(e, json)); }

#define LEAD(name) J("{'op':'create','type':'lead','data':{'name':'%s','company':'Acme'}}", name)
#define FIRE(id, ev) J("{'op':'fire','type':'lead','id':'%s','event':'%s'}", id, ev)
#define CONVERT J("{'op':'fire','type':'lead','id':'L-000001','event':'convert'," \
                  "'data':{'opportunity':{'name':'Deal'}}}")

/* What a hook saw: one line per call, "type.event subject seq" (plus extra
 * text a hook adds), and the hook's own veto settings. */
typedef struct rec {
    char log[4096];
    int calls;
    int veto_at;         /* guard: veto the n-th call (1-based); 0 never */
    const char *message; /* guard: message of the veto, or NULL */
    char msgbuf[64];     /* guard: when set, the message points here */
    int destroyed;
    int reenter;         /* try commands and reads from inside the hook */
    int reenter_rc[16];  /* what they returned */
    char reenter_note[512];
} rec;

static void note(rec *r, const l2c_event *ev)
{
    size_t len = strlen(r->log);
    snprintf(r->log + len, sizeof r->log - len, "%s%s.%s %s %llu", len ? ", " : "",
             l2c_event_record_type(ev), l2c_event_name(ev), l2c_event_subject(ev),
             (unsigned long long)l2c_event_sequence(ev));
}

static void destroy_rec(void *user) { ((rec *)user)->destroyed++; }

static void noop(l2c_engine *e, const l2c_event *ev, void *user)
{
    (void)e;
    (void)ev;
    (void)user;
}

/* Commands and reads from inside a hook; every command must be refused. */
static void reenter(l2c_engine *e, rec *r, const l2c_event *ev)
{
    int i = 0;
    char *out = NULL;
    r->reenter_rc[i++] = l2c_exec_json(&out, e, LEAD("Inner"));
    if (out && !strstr(out, "\"unsupported\""))
        snprintf(r->reenter_note, sizeof r->reenter_note, "exec answered %s", out);
    l2c_free(out);
    char *id = NULL;
    r->reenter_rc[i++] = l2c_create(&id, e, "lead", NULL, NULL, NULL);
    l2c_free(id);
    r->reenter_rc[i++] = l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 0);
    r->reenter_rc[i++] = l2c_update(e, "lead", "L-000001", NULL, NULL, 0);
    uint64_t n = 0;
    r->reenter_rc[i++] = l2c_sweep(&n, e);
    r->reenter_rc[i++] = l2c_clock_set(e, 0);
    r->reenter_rc[i++] = l2c_clock_reset(e);
    r->reenter_rc[i++] = l2c_hook_remove(e, 1);
    r->reenter_rc[i++] = l2c_listener_add(NULL, e, NULL, NULL, noop, NULL, NULL);
    r->reenter_rc[i++] = l2c_bus_grant(e, "p", "#");
    /* reads work: the committed state of the record */
    const char *state = NULL;
    int rs = l2c_get_state(&state, e, "lead", "L-000001");
    char *json = NULL;
    int rj = l2c_get_json(&json, e, "lead", "L-000001");
    uint32_t v = 0;
    int rv = l2c_get_version(&v, e, "lead", "L-000001");
    char *field = NULL;
    int rf = l2c_get_field(&field, e, "lead", "L-000001", "state");
    /* get_json must show the same record as get_state */
    cJSON *j = rj ? NULL : cJSON_Parse(json);
    const char *jstate = j ? tu_str(j, "state") : NULL;
    size_t len = strlen(r->reenter_note);
    snprintf(r->reenter_note + len, sizeof r->reenter_note - len, "[%s %d %d %d %d v%u %s %s %s]",
             l2c_event_name(ev), rs, rj, rv, rf, (unsigned)v, rs ? "-" : state,
             jstate ? jstate : "-", field ? field : "-");
    cJSON_Delete(j);
    l2c_free(json);
    l2c_free(field);
}

static int guard(l2c_engine *e, const l2c_event *ev, const char **message, void *user)
{
    rec *r = user;
    note(r, ev);
    r->calls++;
    if (r->reenter)
        reenter(e, r, ev);
    if (r->veto_at && r->calls == r->veto_at) {
        if (r->msgbuf[0])
            *message = r->msgbuf;
        else if (r->message)
            *message = r->message;
        return 1;
    }
    return 0;
}

static void listener(l2c_engine *e, const l2c_event *ev, void *user)
{
    rec *r = user;
    note(r, ev);
    r->calls++;
    if (r->reenter)
        reenter(e, r, ev);
}

/* ---- guards ---- */

START_TEST(test_guard_veto_is_hook_error_and_changes_nothing)
{
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    rec g = {.veto_at = 1, .message = "credit check failed"};
    uint64_t id = 0;
    ck_assert_int_eq(l2c_guard_add(&id, e, "lead", "qualify", guard, &g, NULL), 0);
    ck_assert_uint_gt(id, 0);
    tu_fails_unchanged(e, FIRE("L-000001", "qualify"), "hook_error", NULL);
    ck_assert_int_eq(g.calls, 1);
    ck_assert_str_eq(g.log, "lead.qualify L-000001 2");
    /* the guard's message is the error's message */
    g.calls = 0;
    cJSON *r = tu_exec(e, FIRE("L-000001", "qualify"));
    ck_assert_str_eq(tu_str(r, "error.code"), "hook_error");
    ck_assert_str_eq(tu_str(r, "error.message"), "credit check failed");
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "error"), "rule"));
    cJSON_Delete(r);
    /* other events are not guarded by it */
    ok(e, FIRE("L-000001", "contact"));
    ck_assert_int_eq(g.calls, 1);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guard_message_is_copied_at_once)
{
    l2c_engine *e = tu_engine();
    rec g = {.veto_at = 1};
    snprintf(g.msgbuf, sizeof g.msgbuf, "blocked by policy 7");
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", NULL, guard, &g, NULL), 0);
    l2c_data *d = NULL;
    ck_assert_int_eq(l2c_data_new(&d), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "name", "Ann"), 0);
    char *id = NULL;
    ck_assert_int_eq(l2c_create(&id, e, "lead", NULL, d, NULL), L2C_EHOOK);
    ck_assert_ptr_null(id);
    memset(g.msgbuf, 'z', sizeof g.msgbuf - 1); /* the host reuses its buffer */
    ck_assert_int_eq(l2c_last_error_code(e), L2C_EHOOK);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    ck_assert_str_eq(l2c_last_error_message(e), "blocked by policy 7");
    /* without a message, a default text */
    g.msgbuf[0] = '\0';
    g.calls = 0;
    ck_assert_int_eq(l2c_create(&id, e, "lead", NULL, d, NULL), L2C_EHOOK);
    ck_assert_str_ne(l2c_last_error_message(e), "");
    /* the vetoed creations drew no number for good */
    g.veto_at = 0;
    ck_assert_int_eq(l2c_create(&id, e, "lead", NULL, d, NULL), 0);
    ck_assert_str_eq(id, "L-000001");
    l2c_free(id);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guards_run_for_cascaded_events)
{
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    rec g = {.veto_at = 1, .message = "no new accounts today"};
    uint64_t id = 0;
    ck_assert_int_eq(l2c_guard_add(&id, e, "account", "create", guard, &g, NULL), 0);
    tu_fails_unchanged(e, CONVERT, "hook_error", NULL);
    ck_assert_str_eq(g.log, "account.create ACC-000001 4");
    /* a guard on every event sees the whole cascade in order */
    ck_assert_int_eq(l2c_hook_remove(e, id), 0);
    rec all = {0};
    ck_assert_int_eq(l2c_guard_add(NULL, e, NULL, NULL, guard, &all, NULL), 0);
    ok(e, CONVERT);
    ck_assert_str_eq(all.log, "lead.convert L-000001 3, account.create ACC-000001 4, "
                              "opportunity.create OPP-000001 5");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guards_run_only_after_the_built_in_rules_pass)
{
    l2c_engine *e = tu_engine();
    rec g = {0};
    ck_assert_int_eq(l2c_guard_add(NULL, e, NULL, NULL, guard, &g, NULL), 0);
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','data':{}}"), "invalid_argument",
                       "field.required");
    ok(e, LEAD("Ann"));
    ck_assert_int_eq(g.calls, 1);
    tu_fails_unchanged(e, FIRE("L-000001", "convert"), "invalid_transition", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'disqualify'}"),
                       "invalid_argument", "field.required");
    ck_assert_int_eq(g.calls, 1);
    /* update events are guarded too */
    ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'email':'a@b.c'}}"));
    ck_assert_int_eq(g.calls, 2);
    ck_assert_str_eq(g.log, "lead.create L-000001 1, lead.update L-000001 2");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guards_wait_for_the_rules_of_cascades)
{
    /* revise passes its own rule, but the new quote it cascades is refused
     * by account.closed: the built-in rule answers, the guard never runs */
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, CONVERT);
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','lines':"
            "[{'qty':1,'unit_price':'10.00'}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'send'}"));
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    rec g = {.veto_at = 1, .message = "no revisions"};
    ck_assert_int_eq(l2c_guard_add(NULL, e, NULL, NULL, guard, &g, NULL), 0);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'revise'}"),
                       "guard_rejected", "account.closed");
    ck_assert_int_eq(g.calls, 0);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guard_veto_on_a_swept_event_fails_the_sweep)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    ok(e, J("{'op':'clock','now':'2026-06-15T00:00:00Z'}"));
    rec g = {.veto_at = 1, .message = "dunning paused"};
    uint64_t id = 0;
    ck_assert_int_eq(l2c_guard_add(&id, e, "invoice", "mark_overdue", guard, &g, NULL), 0);
    tu_fails_unchanged(e, J("{'op':'sweep'}"), "hook_error", NULL);
    ck_assert_int_eq(g.calls, 1);
    g.calls = 0;
    uint64_t n = 99;
    ck_assert_int_eq(l2c_sweep(&n, e), L2C_EHOOK);
    ck_assert_uint_eq(n, 99);
    ck_assert_int_eq(g.calls, 1);
    ck_assert_str_eq(l2c_last_error_message(e), "dunning paused");
    ck_assert_int_eq(l2c_hook_remove(e, id), 0);
    ck_assert_int_eq(l2c_sweep(&n, e), 0);
    ck_assert_uint_eq(n, 1);
    const char *state = NULL;
    ck_assert_int_eq(l2c_get_state(&state, e, "invoice", "INV-000001"), 0);
    ck_assert_str_eq(state, "overdue");
    l2c_engine_free(e);
}
END_TEST

static int guard_checks_event(l2c_engine *e, const l2c_event *ev, const char **message,
                              void *user)
{
    int *bad = user;
    const l2c_event *got = NULL;
    /* the event is not committed while a guard looks at it */
    if (l2c_event_get(&got, e, l2c_event_sequence(ev)) != L2C_ENOTFOUND)
        (*bad)++;
    if (l2c_events_last(e) + 1 != l2c_event_sequence(ev))
        (*bad)++;
    const char *from = l2c_event_from(ev), *actor = l2c_event_actor_id(ev);
    if (strcmp(l2c_event_name(ev), "contact") || !from || strcmp(from, "new") ||
        strcmp(l2c_event_to(ev), "working") || !actor || strcmp(actor, "rep-3") ||
        l2c_event_cause(ev) != l2c_event_sequence(ev))
        (*bad)++;
    char *json = NULL;
    if (l2c_event_json(&json, e, ev) || !strstr(json, "\"l2c.lead.contact\""))
        (*bad)++;
    l2c_free(json);
    *message = NULL;
    return 0;
}

START_TEST(test_guard_sees_the_pending_event)
{
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    int bad = 0;
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", "contact", guard_checks_event, &bad, NULL), 0);
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'contact','actor':{'id':'rep-3'}}"));
    ck_assert_int_eq(bad, 0);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_guard_add_refuses_unknown_names)
{
    l2c_engine *e = tu_engine();
    rec g = {0};
    ck_assert_int_eq(l2c_guard_add(NULL, e, "prospect", NULL, guard, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", "ship", guard, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", NULL, NULL, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_listener_add(NULL, e, "lead", "ship", listener, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_listener_add(NULL, e, "lead", NULL, NULL, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_listener_add_topic(NULL, e, "a/#/b", listener, &g, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_listener_add_topic(NULL, e, NULL, listener, &g, NULL), L2C_EINVAL);
    /* an event name without a type: any type with that event */
    uint64_t a = 0, b = 0;
    ck_assert_int_eq(l2c_guard_add(&a, e, NULL, "create", guard, &g, NULL), 0);
    ck_assert_int_eq(l2c_listener_add(&b, e, "lead", "create", listener, &g, NULL), 0);
    ck_assert_uint_ne(a, b);
    ok(e, LEAD("Ann"));
    ok(e, J("{'op':'create','type':'account','data':{'name':'X'}}"));
    ck_assert_str_eq(g.log, "lead.create L-000001 1, lead.create L-000001 1, "
                            "account.create ACC-000001 2");
    l2c_engine_free(e);
}
END_TEST

/* ---- listeners ---- */

typedef struct seen {
    rec r;
    l2c_engine *e;
    int bad;
} seen;

static void listener_checks_commit(l2c_engine *e, const l2c_event *ev, void *user)
{
    seen *s = user;
    listener(e, ev, &s->r);
    const l2c_event *got = NULL;
    /* committed: the log and the record show it already */
    if (l2c_event_get(&got, e, l2c_event_sequence(ev)) || got != ev)
        s->bad++;
    if (l2c_events_last(e) < l2c_event_sequence(ev))
        s->bad++;
    const char *state = NULL;
    if (l2c_get_state(&state, e, l2c_event_record_type(ev), l2c_event_subject(ev)))
        s->bad++;
    /* a JSON read works from a listener */
    char *out = NULL;
    if (l2c_exec_json(&out, e, J("{'op':'get','type':'%s','id':'%s'}", l2c_event_record_type(ev),
                                 l2c_event_subject(ev))))
        s->bad++;
    l2c_free(out);
}

START_TEST(test_listeners_run_after_commit_in_sequence_order)
{
    l2c_engine *e = tu_engine();
    seen s = {0};
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener_checks_commit, &s, NULL), 0);
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, CONVERT);
    ck_assert_str_eq(s.r.log, "lead.create L-000001 1, lead.qualify L-000001 2, "
                              "lead.convert L-000001 3, account.create ACC-000001 4, "
                              "opportunity.create OPP-000001 5");
    ck_assert_int_eq(s.bad, 0);
    l2c_engine_free(e);
    /* several listeners: for each event, each, in the order they were added */
    e = tu_engine();
    rec order = {0}, a = {0}, b = {0};
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener, &order, NULL), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, "lead", NULL, listener, &a, NULL), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener, &order, NULL), 0);
    ok(e, LEAD("Ann"));
    ok(e, LEAD("Bo"));
    ck_assert_str_eq(order.log, "lead.create L-000001 1, lead.create L-000001 1, "
                                "lead.create L-000002 2, lead.create L-000002 2");
    ck_assert_int_eq(l2c_listener_add(NULL, e, "account", NULL, listener, &b, NULL), 0);
    ok(e, LEAD("Cy"));
    ck_assert_int_eq(a.calls, 3);
    ck_assert_int_eq(b.calls, 0);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_listeners_are_not_called_for_failed_commands)
{
    l2c_engine *e = tu_engine();
    rec l = {0}, g = {.veto_at = 1};
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener, &l, NULL), 0);
    ok(e, LEAD("Ann"));
    ck_assert_int_eq(l.calls, 1);
    tu_fails_unchanged(e, FIRE("L-000001", "convert"), "invalid_transition", NULL);
    tu_fails_unchanged(e, J("{'op':'batch','commands':[{'op':'fire','type':'lead','id':"
                            "'L-000001','event':'qualify'},{'op':'fire','type':'lead','id':"
                            "'L-000001','event':'contact'}]}"),
                       "invalid_transition", NULL);
    ck_assert_int_eq(l2c_guard_add(NULL, e, "opportunity", "create", guard, &g, NULL), 0);
    ok(e, FIRE("L-000001", "qualify"));
    ck_assert_int_eq(l.calls, 2);
    tu_fails_unchanged(e, CONVERT, "hook_error", NULL);
    ck_assert_int_eq(l.calls, 2);
    ck_assert_str_eq(l.log, "lead.create L-000001 1, lead.qualify L-000001 2");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_listeners_filter_by_type_and_event)
{
    l2c_engine *e = tu_engine();
    rec qualify = {0}, account = {0}, creates = {0};
    ck_assert_int_eq(l2c_listener_add(NULL, e, "lead", "qualify", listener, &qualify, NULL), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, "account", NULL, listener, &account, NULL), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, "create", listener, &creates, NULL), 0);
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, CONVERT);
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'name':'Acme AG'}}"));
    ck_assert_str_eq(qualify.log, "lead.qualify L-000001 2");
    ck_assert_str_eq(account.log, "account.create ACC-000001 4, account.update ACC-000001 6");
    ck_assert_str_eq(creates.log, "lead.create L-000001 1, account.create ACC-000001 4, "
                                  "opportunity.create OPP-000001 5");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_listeners_filter_by_topic_pattern)
{
    l2c_engine *e = tu_engine();
    rec sales = {0}, converts = {0}, one = {0};
    ck_assert_int_eq(l2c_listener_add_topic(NULL, e, "l2c/v1/sales/#", listener, &sales, NULL),
                     0);
    ck_assert_int_eq(
        l2c_listener_add_topic(NULL, e, "l2c/v1/+/+/convert/+", listener, &converts, NULL), 0);
    ck_assert_int_eq(l2c_listener_add_topic(NULL, e, "l2c/v1/marketing/lead/+/L-000002/#",
                                            listener, &one, NULL),
                     0);
    ok(e, LEAD("Ann"));
    ok(e, LEAD("Bo"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, FIRE("L-000002", "contact"));
    ok(e, CONVERT);
    ck_assert_str_eq(sales.log, "opportunity.create OPP-000001 7");
    ck_assert_str_eq(converts.log, "lead.convert L-000001 5");
    ck_assert_str_eq(one.log, "lead.create L-000002 2, lead.contact L-000002 4");
    l2c_engine_free(e);
}
END_TEST

/* ---- reentrancy ---- */

static void check_refused(const rec *r)
{
    for (int i = 0; i < 10; i++)
        ck_assert_msg(r->reenter_rc[i] == L2C_EUNSUPPORTED, "re-entry %d returned %d", i,
                      r->reenter_rc[i]);
    ck_assert_msg(strncmp(r->reenter_note, "exec answered", 13) != 0, "%s", r->reenter_note);
}

START_TEST(test_commands_from_inside_a_guard_are_unsupported)
{
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    rec g = {.reenter = 1};
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", "qualify", guard, &g, NULL), 0);
    int64_t clock = l2c_clock_now(e);
    cJSON *r = tu_ok(e, FIRE("L-000001", "qualify"));
    ck_assert_int_eq(tu_len(r, "events"), 1);
    cJSON_Delete(r);
    check_refused(&g);
    /* reads inside the guard saw the committed record: still new, version 1 */
    ck_assert_str_eq(g.reenter_note, "[qualify 0 0 0 0 v1 new new new]");
    ck_assert_int_eq(l2c_clock_now(e), clock);
    r = tu_ok(e, J("{'op':'list','type':'lead'}"));
    ck_assert_int_eq(tu_len(r, "entities"), 1);
    ck_assert_str_eq(tu_str(r, "entities.0.state"), "qualified");
    cJSON_Delete(r);
    ck_assert_uint_eq(l2c_events_last(e), 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_commands_from_inside_a_listener_are_unsupported)
{
    l2c_engine *e = tu_engine();
    ok(e, LEAD("Ann"));
    rec l = {.reenter = 1};
    uint64_t id = 0;
    ck_assert_int_eq(l2c_listener_add(&id, e, "lead", "qualify", listener, &l, NULL), 0);
    int64_t clock = l2c_clock_now(e);
    ok(e, FIRE("L-000001", "qualify"));
    check_refused(&l);
    /* reads inside the listener saw the committed change */
    ck_assert_str_eq(l.reenter_note, "[qualify 0 0 0 0 v2 qualified qualified qualified]");
    ck_assert_int_eq(l2c_clock_now(e), clock);
    ck_assert_uint_eq(l2c_events_last(e), 2);
    uint64_t n = 0;
    ck_assert_int_eq(l2c_count(&n, e, "lead"), 0);
    ck_assert_uint_eq(n, 1);
    /* the hook that tried to remove hook 1 from inside did not */
    ck_assert_int_eq(l2c_hook_remove(e, id), 0);
    /* after the hook, commands work again */
    ok(e, LEAD("Bo"));
    l2c_engine_free(e);
}
END_TEST

/* ---- removal and destructors ---- */

START_TEST(test_hook_remove_runs_the_destructor_once)
{
    l2c_engine *e = tu_engine();
    rec g = {0}, l = {0}, t = {0};
    uint64_t gid = 0, lid = 0, tid = 0;
    ck_assert_int_eq(l2c_guard_add(&gid, e, NULL, NULL, guard, &g, destroy_rec), 0);
    ck_assert_int_eq(l2c_listener_add(&lid, e, NULL, NULL, listener, &l, destroy_rec), 0);
    ck_assert_int_eq(l2c_listener_add_topic(&tid, e, "#", listener, &t, destroy_rec), 0);
    ok(e, LEAD("Ann"));
    ck_assert_int_eq(g.calls + l.calls + t.calls, 3);
    ck_assert_int_eq(l2c_hook_remove(e, lid), 0);
    ck_assert_int_eq(l.destroyed, 1);
    ck_assert_int_eq(g.destroyed + t.destroyed, 0);
    ck_assert_int_eq(l2c_hook_remove(e, lid), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_hook_remove(e, 9999), L2C_ENOTFOUND);
    ck_assert_int_eq(l.destroyed, 1);
    ck_assert_int_eq(l2c_hook_remove(e, gid), 0);
    ck_assert_int_eq(g.destroyed, 1);
    ok(e, LEAD("Bo"));
    ck_assert_int_eq(g.calls, 1);
    ck_assert_int_eq(l.calls, 1);
    ck_assert_int_eq(t.calls, 2);
    l2c_engine_free(e);
    /* the remaining one at engine free, the removed ones not again */
    ck_assert_int_eq(t.destroyed, 1);
    ck_assert_int_eq(g.destroyed, 1);
    ck_assert_int_eq(l.destroyed, 1);
}
END_TEST

START_TEST(test_engine_free_runs_every_destructor)
{
    l2c_engine *e = tu_engine();
    rec g = {0}, l = {0}, t = {0}, s = {0}, none = {0};
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", NULL, guard, &g, destroy_rec), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, "create", listener, &l, destroy_rec), 0);
    ck_assert_int_eq(l2c_listener_add_topic(NULL, e, "l2c/#", listener, &t, destroy_rec), 0);
    ck_assert_int_eq(l2c_bus_grant(e, "erp", "#"), 0);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "erp", "#", listener, &s, destroy_rec), 0);
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener, &none, NULL), 0);
    ok(e, LEAD("Ann"));
    l2c_engine_free(e);
    ck_assert_int_eq(g.destroyed, 1);
    ck_assert_int_eq(l.destroyed, 1);
    ck_assert_int_eq(t.destroyed, 1);
    ck_assert_int_eq(s.destroyed, 1);
    ck_assert_int_eq(none.destroyed, 0);
    l2c_engine_free(NULL);
}
END_TEST

/* ---- the bus ---- */

START_TEST(test_bus_subscribe_needs_a_covering_grant)
{
    l2c_engine *e = tu_engine();
    rec r = {0};
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "crm", "#", listener, &r, NULL), L2C_EFORBIDDEN);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_EFORBIDDEN);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    ck_assert_int_eq(l2c_bus_grant(e, "crm", "l2c/v1/sales/#"), 0);
    ck_assert_int_eq(l2c_bus_grant(e, "ops", "l2c/v1/billing/#"), 0);
    ck_assert_int_eq(
        l2c_bus_subscribe(NULL, e, "crm", "l2c/v1/billing/#", listener, &r, NULL),
        L2C_EFORBIDDEN);
    ck_assert_int_eq(
        l2c_bus_subscribe(NULL, e, "crm", "l2c/v1/marketing/lead/+/+", listener, &r, NULL),
        L2C_EFORBIDDEN);
    /* another principal's grant covers nothing for this one */
    ck_assert_int_eq(
        l2c_bus_subscribe(NULL, e, "nobody", "l2c/v1/billing/#", listener, &r, NULL),
        L2C_EFORBIDDEN);
    /* grant and subscription patterns must be well formed */
    ck_assert_int_eq(l2c_bus_grant(e, "crm", "l2c/#/x"), L2C_EINVAL);
    ck_assert_int_eq(l2c_bus_grant(e, "", "#"), L2C_EINVAL);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "crm", "l2c/v1/sales+", listener, &r, NULL),
                     L2C_EINVAL);
    /* covered: inside the grant, or overlapping it */
    uint64_t id = 0;
    ck_assert_int_eq(l2c_bus_subscribe(&id, e, "crm", "l2c/v1/sales/quote/#", listener, &r, NULL),
                     0);
    ck_assert_uint_gt(id, 0);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "crm", "l2c/v1/+/+/create/+", listener, &r, NULL),
                     0);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "crm", "#", listener, &r, NULL), 0);
    ck_assert_int_eq(l2c_last_error_code(e), 0);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_bus_delivers_only_what_pattern_and_grant_both_match)
{
    l2c_engine *e = tu_engine();
    rec all = {0}, creates = {0}, quotes = {0}, ops = {0};
    ck_assert_int_eq(l2c_bus_grant(e, "crm", "l2c/v1/sales/#"), 0);
    ck_assert_int_eq(l2c_bus_grant(e, "crm", "l2c/v1/customer/account/create/+"), 0);
    ck_assert_int_eq(l2c_bus_grant(e, "ops", "l2c/v1/billing/#"), 0);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "crm", "#", listener, &all, NULL), 0);
    ck_assert_int_eq(
        l2c_bus_subscribe(NULL, e, "crm", "l2c/v1/+/+/create/+", listener, &creates, NULL), 0);
    uint64_t qid = 0;
    ck_assert_int_eq(
        l2c_bus_subscribe(&qid, e, "crm", "l2c/v1/sales/quote/#", listener, &quotes, NULL), 0);
    ck_assert_int_eq(l2c_bus_subscribe(NULL, e, "ops", "#", listener, &ops, NULL), 0);
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, CONVERT);
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'name':'Acme AG'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"));
    ck_assert_int_eq(l2c_hook_remove(e, qid), 0);
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'cancel'}"));
    /* no marketing events (no grant), no account update (its grant is create only) */
    ck_assert_str_eq(all.log, "account.create ACC-000001 4, opportunity.create OPP-000001 5, "
                              "quote.create Q-000001 7, quote.cancel Q-000001 8");
    ck_assert_str_eq(creates.log, "account.create ACC-000001 4, opportunity.create OPP-000001 5, "
                                  "quote.create Q-000001 7");
    ck_assert_str_eq(quotes.log, "quote.create Q-000001 7");
    ck_assert_int_eq(ops.calls, 0);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_topic_matches_truth_table)
{
    static const struct {
        const char *pattern, *topic;
        int want;
    } cases[] = {
        {"a/b", "a/b", 1},
        {"a/b", "a/c", 0},
        {"a/b", "a/b/c", 0},
        {"a/b/c", "a/b", 0},
        {"a/+", "a/b", 1},
        {"a/+", "a/b/c", 0},
        {"a/+", "a", 0},
        {"+", "a", 1},
        {"+", "a/b", 0},
        {"+/+", "a/b", 1},
        {"+/b", "a/b", 1},
        {"+/b", "a/c", 0},
        {"a/+/c", "a/x/c", 1},
        {"a/+/c", "a/x/d", 0},
        {"#", "a", 1},
        {"#", "a/b/c", 1},
        {"a/#", "a", 1}, /* the parent level */
        {"a/#", "a/b", 1},
        {"a/#", "a/b/c/d", 1},
        {"a/#", "b/a", 0},
        {"a/b/#", "a", 0},
        {"a/+/#", "a/b", 1},
        {"a/+/#", "a/b/c", 1},
        {"a/+/#", "a", 0},
        {"l2c/v1/sales/#", "l2c/v1/sales", 1},
        {"l2c/v1/sales/#", "l2c/v1/sales/quote/accept/Q-000001", 1},
        {"l2c/v1/sales/#", "l2c/v1/salesforce/x", 0},
        {"l2c/v1/+/quote/#", "l2c/v1/sales/quote/accept/Q-1", 1},
        {"A/b", "a/b", 0},
        {"a/b", "a/b/", 0},
        {"a/b/", "a/b/", 1},
        {"a//b", "a//b", 1},
        {"a/+/b", "a//b", 1},
        {"+/x", "/x", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        ck_assert_msg(l2c_topic_matches(cases[i].pattern, cases[i].topic) == cases[i].want,
                      "'%s' on '%s': %d, want %d", cases[i].pattern, cases[i].topic,
                      l2c_topic_matches(cases[i].pattern, cases[i].topic), cases[i].want);
    static const char *const bad[] = {"a/#/b", "a+", "#a", "a/b#", "+a/b", "", "##", "a/++"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(l2c_topic_matches(bad[i], "a/b") == L2C_EINVAL, "'%s' accepted", bad[i]);
    ck_assert_int_eq(l2c_topic_matches(NULL, "a"), L2C_EINVAL);
    ck_assert_int_eq(l2c_topic_matches("a", NULL), L2C_EINVAL);
}
END_TEST

/* ---- event accessors ---- */

START_TEST(test_event_accessors)
{
    l2c_engine *e = tu_engine();
    ck_assert_uint_eq(l2c_events_last(e), 0);
    const l2c_event *ev = NULL;
    ck_assert_int_eq(l2c_event_get(&ev, e, 1), L2C_ENOTFOUND);
    ok(e, LEAD("Ann"));
    ok(e, FIRE("L-000001", "qualify"));
    ok(e, J("{'op':'clock','now':'2026-04-02T10:00:00Z'}"));
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert','actor':{'id':'rep-9',"
            "'roles':['sales_rep']},'data':{'opportunity':{'name':'Deal'}}}"));
    ck_assert_uint_eq(l2c_events_last(e), 5);
    ck_assert_int_eq(l2c_event_get(&ev, e, 0), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_event_get(&ev, e, 6), L2C_ENOTFOUND);

    ck_assert_int_eq(l2c_event_get(&ev, e, 1), 0);
    ck_assert_uint_eq(l2c_event_sequence(ev), 1);
    ck_assert_uint_eq(l2c_event_cause(ev), 1);
    ck_assert_str_eq(l2c_event_record_type(ev), "lead");
    ck_assert_str_eq(l2c_event_name(ev), "create");
    ck_assert_str_eq(l2c_event_subject(ev), "L-000001");
    ck_assert_ptr_null(l2c_event_from(ev));
    ck_assert_str_eq(l2c_event_to(ev), "new");
    ck_assert_int_eq(l2c_event_time(ev), 1775032200);
    ck_assert_ptr_null(l2c_event_actor_id(ev));
    char *topic = NULL;
    ck_assert_int_eq(l2c_event_topic(&topic, ev), 0);
    ck_assert_str_eq(topic, "l2c/v1/marketing/lead/create/L-000001");
    l2c_free(topic);

    ck_assert_int_eq(l2c_event_get(&ev, e, 4), 0);
    ck_assert_uint_eq(l2c_event_sequence(ev), 4);
    ck_assert_uint_eq(l2c_event_cause(ev), 3);
    ck_assert_str_eq(l2c_event_record_type(ev), "account");
    ck_assert_str_eq(l2c_event_name(ev), "create");
    ck_assert_str_eq(l2c_event_subject(ev), "ACC-000001");
    ck_assert_str_eq(l2c_event_to(ev), "active");
    ck_assert_int_eq(l2c_event_time(ev), 1775124000);
    ck_assert_str_eq(l2c_event_actor_id(ev), "rep-9");
    ck_assert_int_eq(l2c_event_topic(&topic, ev), 0);
    ck_assert_str_eq(topic, "l2c/v1/customer/account/create/ACC-000001");
    l2c_free(topic);

    ck_assert_int_eq(l2c_event_get(&ev, e, 3), 0);
    ck_assert_str_eq(l2c_event_name(ev), "convert");
    ck_assert_str_eq(l2c_event_from(ev), "qualified");
    ck_assert_str_eq(l2c_event_to(ev), "converted");
    ck_assert_int_eq(l2c_event_topic(&topic, ev), 0);
    ck_assert_str_eq(topic, "l2c/v1/marketing/lead/convert/L-000001");
    l2c_free(topic);

    /* l2c_event_json is the events op's form of the same event */
    for (uint64_t s = 1; s <= 5; s++) {
        ck_assert_int_eq(l2c_event_get(&ev, e, s), 0);
        char *json = NULL;
        ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
        cJSON *mine = cJSON_Parse(json);
        ck_assert_ptr_nonnull(mine);
        cJSON *r = tu_ok(e, J("{'op':'events','after':%llu,'limit':1}", (unsigned long long)s - 1));
        ck_assert(cJSON_Compare(mine, cJSON_GetArrayItem(cJSON_GetObjectItem(r, "events"), 0), 1));
        cJSON_Delete(r);
        cJSON_Delete(mine);
        l2c_free(json);
    }
    /* the event keeps the record as it was: the lead at 2 was qualified, v2 */
    ck_assert_int_eq(l2c_event_get(&ev, e, 2), 0);
    char *json = NULL;
    ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
    cJSON *j = cJSON_Parse(json);
    ck_assert_str_eq(tu_str(j, "data.record.state"), "qualified");
    ck_assert_int_eq(tu_num(j, "data.record.version"), 2);
    ck_assert_str_eq(tu_str(j, "time"), "2026-04-01T08:30:00Z");
    cJSON_Delete(j);
    l2c_free(json);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("hooks");
    TCase *tc = tcase_create("guards");
    tcase_add_test(tc, test_guard_veto_is_hook_error_and_changes_nothing);
    tcase_add_test(tc, test_guard_message_is_copied_at_once);
    tcase_add_test(tc, test_guards_run_for_cascaded_events);
    tcase_add_test(tc, test_guards_run_only_after_the_built_in_rules_pass);
    tcase_add_test(tc, test_guards_wait_for_the_rules_of_cascades);
    tcase_add_test(tc, test_guard_veto_on_a_swept_event_fails_the_sweep);
    tcase_add_test(tc, test_guard_sees_the_pending_event);
    tcase_add_test(tc, test_guard_add_refuses_unknown_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("listeners");
    tcase_add_test(tc, test_listeners_run_after_commit_in_sequence_order);
    tcase_add_test(tc, test_listeners_are_not_called_for_failed_commands);
    tcase_add_test(tc, test_listeners_filter_by_type_and_event);
    tcase_add_test(tc, test_listeners_filter_by_topic_pattern);
    suite_add_tcase(s, tc);
    tc = tcase_create("reentrancy");
    tcase_add_test(tc, test_commands_from_inside_a_guard_are_unsupported);
    tcase_add_test(tc, test_commands_from_inside_a_listener_are_unsupported);
    suite_add_tcase(s, tc);
    tc = tcase_create("lifecycle");
    tcase_add_test(tc, test_hook_remove_runs_the_destructor_once);
    tcase_add_test(tc, test_engine_free_runs_every_destructor);
    suite_add_tcase(s, tc);
    tc = tcase_create("bus");
    tcase_add_test(tc, test_bus_subscribe_needs_a_covering_grant);
    tcase_add_test(tc, test_bus_delivers_only_what_pattern_and_grant_both_match);
    tcase_add_test(tc, test_topic_matches_truth_table);
    tcase_add_test(tc, test_event_accessors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
