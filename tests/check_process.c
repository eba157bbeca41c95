/* Process definitions (DESIGN §8): the JSON and DOT forms, custom processes
 * (validation, nothing half-loaded, custom flows end to end) and the
 * AsyncAPI document. Commands and definitions are written with single
 * quotes for readability; dq() turns them into JSON. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

static const char *const types[] = {"account", "lead",    "opportunity", "quote",
                                    "order",   "invoice", "payment",     "credit_note"};
#define NTYPES 8

static char *dq(const char *s)
{
    char *c = strdup(s);
    for (char *p = c; *p; p++)
        if (*p == '\'')
            *p = '"';
    return c;
}

static cJSON *run(l2c_engine *e, const char *cmd)
{
    char *j = dq(cmd);
    cJSON *r = tu_ok(e, j);
    free(j);
    return r;
}

static void ok(l2c_engine *e, const char *cmd) { cJSON_Delete(run(e, cmd)); }

static void fails(l2c_engine *e, const char *cmd, const char *code, const char *rule)
{
    char *j = dq(cmd);
    tu_fails_unchanged(e, j, code, rule);
    free(j);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run the tests from the source tree)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void load_file(l2c_engine *e, const char *path)
{
    char *s = read_text(path);
    int rc = l2c_engine_load_process(e, s);
    ck_assert_msg(rc == 0, "%s: %s", path, l2c_last_error_message(e));
    free(s);
}

static void load(l2c_engine *e, const char *def)
{
    char *j = dq(def);
    int rc = l2c_engine_load_process(e, j);
    ck_assert_msg(rc == 0, "load failed: %s", l2c_last_error_message(e));
    free(j);
}

static char *process_json(l2c_engine *e, const char *type)
{
    char *out = NULL;
    ck_assert_int_eq(l2c_process_json(&out, e, type), 0);
    char *copy = strdup(out);
    l2c_free(out);
    return copy;
}

/* Every process definition, every record and the event log, as one string. */
static char *everything(l2c_engine *e)
{
    size_t len = 0;
    char *all = tu_snapshot(e);
    len = strlen(all);
    for (int t = 0; t < NTYPES; t++) {
        char *p = process_json(e, types[t]);
        all = realloc(all, len + strlen(p) + 1);
        strcpy(all + len, p);
        len += strlen(p);
        free(p);
    }
    return all;
}

/* Loading `def` fails with `code` (and `rule`, and a message holding
 * `msg`), and nothing changed: definitions, records, events. */
static void load_fails(l2c_engine *e, const char *def, int code, const char *rule,
                       const char *msg)
{
    char *before = everything(e);
    char *j = dq(def);
    int rc = l2c_engine_load_process(e, j);
    const char *m = l2c_last_error_message(e);
    ck_assert_msg(rc == code, "%s: rc %d, want %d (%s)", def, rc, code, m);
    ck_assert_int_eq(l2c_last_error_code(e), code);
    if (rule)
        ck_assert_msg(l2c_last_error_rule(e) && strcmp(l2c_last_error_rule(e), rule) == 0,
                      "%s: rule %s, want %s", def, l2c_last_error_rule(e), rule);
    if (msg)
        ck_assert_msg(strstr(m, msg) != NULL, "%s: message '%s' lacks '%s'", def, m, msg);
    char *after = everything(e);
    ck_assert_msg(strcmp(before, after) == 0, "a failed load changed something: %s", def);
    free(j);
    free(before);
    free(after);
}

/* ------------------------------------------------------------ JSON, DOT */

START_TEST(process_json_shows_the_builtin_quote)
{
    l2c_engine *e = tu_engine();
    char *s = process_json(e, "quote");
    cJSON *j = cJSON_Parse(s);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(tu_str(j, "type"), "quote");
    ck_assert_str_eq(tu_str(j, "initial"), "draft");
    ck_assert_int_eq(tu_len(j, "states"), 9);
    ck_assert_int_eq(tu_len(j, "terminal"), 3);
    ck_assert_int_eq(tu_len(j, "sets.open"), 4);
    ck_assert_str_eq(tu_str(j, "sets.open.3"), "sent");
    ck_assert_str_eq(tu_str(j, "create_guards.0"), "account.closed");
    ck_assert_str_eq(tu_str(j, "transitions.1.event"), "approve");
    ck_assert_str_eq(tu_str(j, "transitions.1.to"), "approved");
    ck_assert_str_eq(tu_str(j, "transitions.1.roles.0"), "sales_manager");
    ck_assert_str_eq(tu_str(j, "transitions.3.event"), "send");
    ck_assert_int_eq(tu_len(j, "transitions.3.from"), 2);
    ck_assert_int_eq(tu_len(j, "transitions.3.guards"), 3);
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(j, "transitions"), 3), "cascade_only")));
    cJSON_Delete(j);
    free(s);
    /* several targets: "to" is an array and the chooser is named */
    s = process_json(e, "invoice");
    j = cJSON_Parse(s);
    ck_assert_str_eq(tu_str(j, "transitions.3.event"), "resolve");
    ck_assert_int_eq(tu_len(j, "transitions.3.to"), 2);
    ck_assert_str_eq(tu_str(j, "transitions.3.chooser"), "by_due_date");
    ck_assert_str_eq(tu_str(j, "transitions.4.event"), "settle");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(j, "transitions"), 4), "cascade_only")));
    cJSON_Delete(j);
    free(s);
    /* a type without named sets */
    s = process_json(e, "lead");
    j = cJSON_Parse(s);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sets")), 0);
    cJSON_Delete(j);
    free(s);
    l2c_engine_free(e);
}
END_TEST

START_TEST(process_json_round_trips_through_load)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e); /* records in use do not stop an identical definition */
    for (int t = 0; t < NTYPES; t++) {
        char *a = process_json(e, types[t]);
        ck_assert_msg(l2c_engine_load_process(e, a) == 0, "%s: %s", types[t],
                      l2c_last_error_message(e));
        char *b = process_json(e, types[t]);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
    }
    /* an extension round-trips too, as a replacing definition */
    load_file(e, "examples/processes/quote_legal_review.json");
    char *a = process_json(e, "quote");
    ck_assert_int_eq(l2c_engine_load_process(e, a), 0);
    char *b = process_json(e, "quote");
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
    l2c_engine_free(e);
}
END_TEST

START_TEST(process_calls_check_their_arguments)
{
    l2c_engine *e = tu_engine();
    char *out = (char *)"x";
    ck_assert_int_eq(l2c_process_json(&out, e, "widget"), L2C_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_int_eq(l2c_process_dot(&out, e, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_process_json(NULL, e, "quote"), L2C_EINVAL);
    ck_assert_int_eq(l2c_asyncapi_json(&out, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_engine_load_process(NULL, "{}"), L2C_EINVAL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(dot_has_every_state_and_event)
{
    l2c_engine *e = tu_engine();
    load_file(e, "examples/processes/quote_legal_review.json");
    for (int t = 0; t < NTYPES; t++) {
        char *dot = NULL;
        ck_assert_int_eq(l2c_process_dot(&dot, e, types[t]), 0);
        ck_assert(strncmp(dot, "digraph ", 8) == 0);
        ck_assert_ptr_nonnull(strstr(dot, "[shape=point"));
        char *def = process_json(e, types[t]);
        cJSON *j = cJSON_Parse(def);
        free(def);
        char needle[160];
        const cJSON *s;
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "states"))
        {
            snprintf(needle, sizeof needle, "\"%s\"", s->valuestring);
            ck_assert_msg(strstr(dot, needle) != NULL, "%s: state %s missing", types[t],
                          s->valuestring);
        }
        cJSON_ArrayForEach(s, cJSON_GetObjectItem(j, "terminal"))
        {
            snprintf(needle, sizeof needle, "\"%s\" [shape=doublecircle]", s->valuestring);
            ck_assert_msg(strstr(dot, needle) != NULL, "%s: terminal %s", types[t],
                          s->valuestring);
        }
        const cJSON *tr;
        cJSON_ArrayForEach(tr, cJSON_GetObjectItem(j, "transitions"))
        {
            snprintf(needle, sizeof needle, "[label=\"%s",
                     cJSON_GetObjectItem(tr, "event")->valuestring);
            ck_assert_msg(strstr(dot, needle) != NULL, "%s: event missing: %s", types[t], needle);
        }
        snprintf(needle, sizeof needle, "\"__start\" -> \"%s\"", tu_str(j, "initial"));
        ck_assert_ptr_nonnull(strstr(dot, needle));
        cJSON_Delete(j);
        l2c_free(dot);
    }
    char *dot = NULL;
    ck_assert_int_eq(l2c_process_dot(&dot, e, "quote"), 0);
    ck_assert_ptr_nonnull(strstr(
        dot, "\"approved\" -> \"legal_review\" [label=\"request_legal [legal]\"];"));
    ck_assert_ptr_nonnull(strstr(
        dot, "\"draft\" -> \"sent\" [label=\"send {quote.empty, quote.approval_required, "
             "quote.expired}\"];"));
    l2c_free(dot);
    ck_assert_int_eq(l2c_process_dot(&dot, e, "invoice"), 0);
    ck_assert_ptr_nonnull(
        strstr(dot, "\"issued\" -> \"paid\" [label=\"settle\", style=dashed];"));
    ck_assert_ptr_nonnull(strstr(dot, "\"void\" [shape=doublecircle];"));
    l2c_free(dot);
    l2c_engine_free(e);
}
END_TEST

/* ------------------------------------------------------------ validation */

START_TEST(load_refuses_bad_definitions_and_changes_nothing)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    load_fails(e, "{'type':'quote'", L2C_EPARSE, NULL, "not valid JSON");
    load_fails(e, "{'type':'quote'} x", L2C_EPARSE, NULL, NULL);
    load_fails(e, "['quote']", L2C_EINVAL, "field.invalid", "object");
    load_fails(e, "{'extends':true}", L2C_EINVAL, "field.required", "type");
    load_fails(e, "{'type':'widget','extends':true}", L2C_EINVAL, "field.invalid", "widget");
    load_fails(e, "{'type':'quote','extends':'yes'}", L2C_EINVAL, "field.invalid", "extends");
    load_fails(e, "{'type':'quote','extends':true,'transtions':[]}", L2C_EINVAL, "field.invalid",
               "unknown key 'transtions'");
    load_fails(e, "{'type':'quote','transitions':[]}", L2C_EINVAL, "field.required", "states");
    /* names */
    load_fails(e, "{'type':'quote','extends':true,'states':['Legal Review']}", L2C_EINVAL,
               "field.invalid", "'Legal Review' is not a valid name");
    load_fails(e, "{'type':'quote','extends':true,'states':['a','a']}", L2C_EINVAL,
               "field.invalid", "duplicate state 'a'");
    /* states: unknown, missing target, unreachable */
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x',"
                  "'from':'limbo','to':'sent'}]}",
               L2C_EINVAL, "field.invalid", "unknown state 'limbo'");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x',"
                  "'from':'sent','to':'limbo'}]}",
               L2C_EINVAL, "field.invalid", "event 'x' goes to unknown state 'limbo'");
    load_fails(e, "{'type':'quote','extends':true,'states':['limbo']}", L2C_EINVAL,
               "field.invalid", "state 'limbo' is unreachable");
    load_fails(e, "{'type':'quote','extends':true,'terminal':['limbo']}", L2C_EINVAL,
               "field.invalid", "unknown state 'limbo'");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent'}]}",
               L2C_EINVAL, "field.required", "target");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'to':'sent','from':'sent'}]}",
               L2C_EINVAL, "field.required", "event");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'create',"
                  "'from':'sent','to':'sent'}]}",
               L2C_EINVAL, "field.invalid", "reserved");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'accepted',"
                  "'to':'sent'}]}",
               L2C_EINVAL, "field.invalid", "terminal state 'accepted' has outgoing event 'x'");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'submit',"
                  "'from':'draft','to':'approved','roles':['boss']}]}",
               L2C_EINVAL, "field.invalid", "defined twice");
    /* guards and choosers */
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent',"
                  "'to':'declined','guards':['quote.too_cheap']}]}",
               L2C_EINVAL, "field.invalid", "unknown guard 'quote.too_cheap'");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent',"
                  "'to':'declined','guards':['payment.over_allocation']}]}",
               L2C_EINVAL, "field.invalid", "cannot guard event 'x'");
    load_fails(e, "{'type':'quote','extends':true,'create_guards':['quote.empty']}", L2C_EINVAL,
               "field.invalid", "cannot guard create");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent',"
                  "'to':['declined','expired']}]}",
               L2C_EINVAL, "field.invalid", "needs a chooser");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent',"
                  "'to':['declined','expired'],'chooser':'by_due_date'}]}",
               L2C_EINVAL, "field.invalid", "'by_due_date' is unknown");
    load_fails(e, "{'type':'quote','extends':true,'transitions':[{'event':'x','from':'sent',"
                  "'to':'declined','cascade_only':true}]}",
               L2C_EINVAL, "field.invalid", "cannot be cascade_only");
    /* sets */
    load_fails(e, "{'type':'lead','extends':true,'sets':{'open':['new']}}", L2C_EINVAL,
               "field.invalid", "no named set");
    load_fails(e, "{'type':'quote','extends':true,'sets':{'closed':['sent']}}", L2C_EINVAL,
               "field.invalid", "unknown set 'closed'");
    /* a state added to quote.open must be cancellable: lose cascades cancel */
    load_fails(e, "{'type':'quote','extends':true,'states':['legal_review'],"
                  "'sets':{'quote.open':['legal_review']},'transitions':[{'event':'request_legal',"
                  "'from':'approved','to':'legal_review'},{'event':'clear_legal',"
                  "'from':'legal_review','to':'approved'}]}",
               L2C_EINVAL, "field.invalid", "needs a 'cancel' transition");
    l2c_engine_free(e);
}
END_TEST

/* What a rule or cascade of DESIGN §2 names cannot go. */
START_TEST(load_keeps_what_the_rules_name)
{
    l2c_engine *e = tu_engine();
    char *q = process_json(e, "quote");
    cJSON *j = cJSON_Parse(q);
    /* replace quote without "expired" (the sweep and expire target it) */
    cJSON *states = cJSON_GetObjectItem(j, "states");
    cJSON_DeleteItemFromArray(states, 6);
    cJSON *trs = cJSON_GetObjectItem(j, "transitions");
    cJSON_DeleteItemFromArray(trs, 6); /* expire */
    cJSON *rev = cJSON_GetArrayItem(trs, 6); /* revise, now */
    ck_assert_str_eq(cJSON_GetObjectItem(rev, "event")->valuestring, "revise");
    cJSON_DeleteItemFromArray(cJSON_GetObjectItem(rev, "from"), 2);
    char *s = cJSON_PrintUnformatted(j);
    for (char *p = s; *p; p++)
        if (*p == '"')
            *p = '\'';
    load_fails(e, s, L2C_EINVAL, "field.invalid", "state 'expired' cannot be removed");
    free(s);
    cJSON_Delete(j);
    free(q);
    load_fails(e, "{'type':'quote','states':['draft','sent','accepted'],'terminal':['accepted'],"
                  "'transitions':[{'event':'send','from':'draft','to':'sent'},{'event':'accept',"
                  "'from':'sent','to':'accepted'}]}",
               L2C_EINVAL, "field.invalid", "cannot be removed");
    /* the initial state stays */
    load_fails(e, "{'type':'lead','states':['working','new','qualified','converted',"
                  "'disqualified'],'terminal':['converted'],'transitions':[{'event':'contact',"
                  "'from':'working','to':'new'},{'event':'qualify','from':'new','to':'qualified'},"
                  "{'event':'convert','from':'qualified','to':'converted'},{'event':'disqualify',"
                  "'from':'new','to':'disqualified'}]}",
               L2C_EINVAL, "field.invalid", "initial state must stay 'new'");
    load_fails(e, "{'type':'lead','extends':true,'initial':'working'}", L2C_EINVAL,
               "field.invalid", "initial state must stay 'new'");
    /* the transitions the engine fires itself */
    load_fails(e, "{'type':'order','states':['draft','confirmed','on_hold','completed','closed'],"
                  "'terminal':['completed','closed'],'transitions':[{'event':'confirm',"
                  "'from':'draft','to':'confirmed'},{'event':'hold','from':'confirmed',"
                  "'to':'on_hold'},{'event':'release','from':'on_hold','to':'confirmed'},"
                  "{'event':'close','from':'confirmed','to':'closed'},{'event':'finish',"
                  "'from':'confirmed','to':'completed'}]}",
               L2C_EINVAL, "field.invalid", "the 'complete' transition from 'confirmed' must stay");
    /* the members of a named set stay in it */
    char *inv = process_json(e, "invoice");
    j = cJSON_Parse(inv);
    cJSON *open = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sets"), "open");
    cJSON_DeleteItemFromArray(open, 2); /* disputed */
    s = cJSON_PrintUnformatted(j);
    load_fails(e, s, L2C_EINVAL, "field.invalid", "'disputed' must stay in the set invoice.open");
    free(s);
    cJSON_Delete(j);
    free(inv);
    l2c_engine_free(e);
}
END_TEST

static const char lead_without_disqualified[] =
    "{'type':'lead','states':['new','working','qualified','converted'],'terminal':['converted'],"
    "'transitions':[{'event':'contact','from':'new','to':'working'},{'event':'qualify',"
    "'from':['new','working'],'to':'qualified'},{'event':'convert','from':'qualified',"
    "'to':'converted','guards':['account.closed']}]}";

START_TEST(load_refuses_to_remove_a_state_in_use)
{
    l2c_engine *e = tu_engine();
    ok(e, "{'op':'create','type':'lead','data':{'name':'A'}}");
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'disqualify','data':{'reason':'x'}}");
    load_fails(e, lead_without_disqualified, L2C_EINVAL, "field.invalid",
               "state 'disqualified' cannot be removed: lead L-000001 is in it");
    /* out of it now, but the history still names it */
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'reopen'}");
    load_fails(e, lead_without_disqualified, L2C_EINVAL, "field.invalid",
               "state 'disqualified' cannot be removed: event 2 (lead L-000001) names it");
    l2c_engine_free(e);
    /* with no record ever in it, it can go */
    e = tu_engine();
    ok(e, "{'op':'create','type':'lead','data':{'name':'A'}}");
    load(e, lead_without_disqualified);
    fails(e, "{'op':'fire','type':'lead','id':'L-000001','event':'disqualify',"
             "'data':{'reason':'x'}}",
          "invalid_transition", NULL);
    fails(e, "{'op':'list','type':'lead','state':'disqualified'}", "invalid_argument",
          "field.invalid");
    /* the dropped events keep their place but have no transition */
    char *aa = NULL;
    ck_assert_int_eq(l2c_asyncapi_json(&aa, e), 0);
    ck_assert_ptr_null(strstr(aa, "lead.reopen"));
    ck_assert_ptr_nonnull(strstr(aa, "lead.contact"));
    l2c_free(aa);
    l2c_engine_free(e);
}
END_TEST

/* Reordering states remaps every version and event: nothing visible moves. */
START_TEST(load_remaps_reordered_states)
{
    l2c_engine *e = tu_engine();
    ok(e, "{'op':'create','type':'lead','data':{'name':'A'}}");
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'contact'}");
    ok(e, "{'op':'create','type':'lead','data':{'name':'B'}}");
    ok(e, "{'op':'fire','type':'lead','id':'L-000002','event':'disqualify',"
          "'data':{'reason':'x'}}");
    ok(e, "{'op':'fire','type':'lead','id':'L-000002','event':'reopen'}");
    char *before = tu_snapshot(e);
    load(e, "{'type':'lead','states':['new','disqualified','qualified','working','converted'],"
            "'terminal':['converted'],'transitions':[{'event':'contact','from':'new',"
            "'to':'working'},{'event':'qualify','from':['new','working'],'to':'qualified'},"
            "{'event':'disqualify','from':['new','working','qualified'],'to':'disqualified'},"
            "{'event':'reopen','from':'disqualified','to':'working'},{'event':'convert',"
            "'from':'qualified','to':'converted','guards':['account.closed']}]}");
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    const char *st = NULL;
    ck_assert_int_eq(l2c_get_state(&st, e, "lead", "L-000002"), 0);
    ck_assert_str_eq(st, "working");
    cJSON *r = run(e, "{'op':'list','type':'lead','state':'working'}");
    ck_assert_int_eq(tu_len(r, "entities"), 2);
    cJSON_Delete(r);
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}");
    r = run(e, "{'op':'fire','type':'lead','id':'L-000002','event':'disqualify',"
               "'data':{'reason':'y'}}");
    ck_assert_str_eq(tu_str(r, "entity.state"), "disqualified");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "working");
    cJSON_Delete(r);
    free(before);
    free(after);
    l2c_engine_free(e);
}
END_TEST

static int hook_rc = 1;

static void load_from_listener(l2c_engine *e, const l2c_event *ev, void *user)
{
    (void)ev;
    hook_rc = l2c_engine_load_process(e, (const char *)user);
}

static int load_from_guard(l2c_engine *e, const l2c_event *ev, const char **msg, void *user)
{
    (void)ev;
    (void)msg;
    hook_rc = l2c_engine_load_process(e, (const char *)user);
    return 0;
}

START_TEST(load_is_refused_inside_hooks)
{
    l2c_engine *e = tu_engine();
    char *def = read_text("examples/processes/lead_nurture.json");
    char *before = process_json(e, "lead");
    ck_assert_int_eq(l2c_listener_add(NULL, e, "lead", NULL, load_from_listener, def, NULL), 0);
    hook_rc = 1;
    ok(e, "{'op':'create','type':'lead','data':{'name':'A'}}");
    ck_assert_int_eq(hook_rc, L2C_EUNSUPPORTED);
    ck_assert_int_eq(l2c_guard_add(NULL, e, "lead", "contact", load_from_guard, def, NULL), 0);
    hook_rc = 1;
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'contact'}");
    ck_assert_int_eq(hook_rc, L2C_EUNSUPPORTED);
    char *after = process_json(e, "lead");
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    l2c_engine_free(e);
    free(def);
}
END_TEST

START_TEST(engine_options_load_processes)
{
    char *def = read_text("examples/processes/quote_legal_review.json");
    const char *defs[] = {def};
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.processes = defs;
    o.nprocesses = 1;
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &o), 0);
    char *q = process_json(e, "quote");
    ck_assert_ptr_nonnull(strstr(q, "legal_review"));
    free(q);
    l2c_engine_free(e);
    const char *bad[] = {"{\"type\":\"quote\",\"extends\":true,\"states\":[\"limbo\"]}"};
    o.processes = bad;
    e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &o), L2C_EINVAL);
    ck_assert_ptr_null(e);
    ck_assert_ptr_nonnull(strstr(l2c_last_error_message(NULL), "unreachable"));
    free(def);
}
END_TEST

/* ------------------------------------------------------------ custom flows */

static void legal_deal(l2c_engine *e)
{
    static const char *const cmds[] = {
        "{'op':'create','type':'account','id':'ACC-1','data':{'name':'Ortega'}}",
        "{'op':'create','type':'opportunity','id':'OPP-1','data':{'account':'ACC-1',"
        "'name':'Deal'}}",
        "{'op':'create','type':'quote','id':'Q-1','data':{'opportunity':'OPP-1',"
        "'lines':[{'sku':'A','qty':1,'unit_price':'100.00'}]}}",
        "{'op':'fire','type':'quote','id':'Q-1','event':'submit'}",
        "{'op':'fire','type':'quote','id':'Q-1','event':'approve','actor':{'id':'m',"
        "'roles':['sales_manager']}}",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        ok(e, cmds[i]);
}

START_TEST(custom_quote_flow_end_to_end)
{
    l2c_engine *e = tu_engine();
    load_file(e, "examples/processes/quote_legal_review.json");
    legal_deal(e);
    fails(e, "{'op':'fire','type':'quote','id':'Q-1','event':'request_legal'}", "forbidden",
          NULL);
    cJSON *r = run(e, "{'op':'fire','type':'quote','id':'Q-1','event':'request_legal',"
                      "'actor':{'id':'lawyer','roles':['legal']}}");
    ck_assert_str_eq(tu_str(r, "entity.state"), "legal_review");
    ck_assert_int_eq(tu_len(r, "events"), 1);
    ck_assert_str_eq(tu_str(r, "events.0.type"), "l2c.quote.request_legal");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "approved");
    ck_assert_str_eq(tu_str(r, "events.0.data.to"), "legal_review");
    ck_assert_str_eq(tu_str(r, "events.0.data.actor.id"), "lawyer");
    const char *seq = tu_str(r, "events.0.sequence");
    char cmd[160];
    snprintf(cmd, sizeof cmd, "{'op':'events','topic':'l2c/v1/sales/quote/request_legal/Q-1'}");
    cJSON *ev = run(e, cmd);
    ck_assert_int_eq(tu_len(ev, "events"), 1);
    ck_assert_str_eq(tu_str(ev, "events.0.sequence"), seq);
    cJSON_Delete(ev);
    cJSON_Delete(r);
    /* the custom event reaches topic listeners and the C accessors */
    const l2c_event *last = NULL;
    ck_assert_int_eq(l2c_event_get(&last, e, l2c_events_last(e)), 0);
    ck_assert_str_eq(l2c_event_name(last), "request_legal");
    ck_assert_str_eq(l2c_event_to(last), "legal_review");
    char *topic = NULL;
    ck_assert_int_eq(l2c_event_topic(&topic, last), 0);
    ck_assert_str_eq(topic, "l2c/v1/sales/quote/request_legal/Q-1");
    l2c_free(topic);
    r = run(e, "{'op':'list','type':'quote','state':'legal_review'}");
    ck_assert_int_eq(tu_len(r, "entities"), 1);
    cJSON_Delete(r);
    /* quotes in legal review cannot be changed, accepted or sent twice */
    fails(e, "{'op':'update','type':'quote','id':'Q-1','data':{'valid_until':'2026-12-31'}}",
          "invalid_argument", "field.immutable");
    fails(e, "{'op':'fire','type':'quote','id':'Q-1','event':'accept'}", "invalid_transition",
          NULL);
    /* back and forth, then send: send from legal_review keeps send's rules */
    ok(e, "{'op':'fire','type':'quote','id':'Q-1','event':'clear_legal','actor':{'id':'l',"
          "'roles':['legal']}}");
    ok(e, "{'op':'fire','type':'quote','id':'Q-1','event':'request_legal','actor':{'id':'l',"
          "'roles':['legal']}}");
    r = run(e, "{'op':'fire','type':'quote','id':'Q-1','event':'send'}");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "legal_review");
    ck_assert_str_eq(tu_str(r, "entity.state"), "sent");
    cJSON_Delete(r);
    r = run(e, "{'op':'fire','type':'quote','id':'Q-1','event':'accept'}");
    ck_assert_str_eq(tu_str(r, "events.1.type"), "l2c.order.create");
    ck_assert_str_eq(tu_str(r, "events.2.type"), "l2c.opportunity.win");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(custom_state_joins_the_rules_of_its_set)
{
    l2c_engine *e = tu_engine();
    load_file(e, "examples/processes/quote_legal_review.json");
    legal_deal(e);
    /* an empty quote in legal review: send keeps quote.empty */
    ok(e, "{'op':'create','type':'quote','id':'Q-2','data':{'opportunity':'OPP-1'}}");
    ok(e, "{'op':'fire','type':'quote','id':'Q-2','event':'submit'}");
    ok(e, "{'op':'fire','type':'quote','id':'Q-2','event':'approve','actor':{'id':'m',"
          "'roles':['sales_manager']}}");
    ok(e, "{'op':'fire','type':'quote','id':'Q-2','event':'request_legal','actor':{'id':'l',"
          "'roles':['legal']}}");
    fails(e, "{'op':'fire','type':'quote','id':'Q-2','event':'send'}", "guard_rejected",
          "quote.empty");
    ok(e, "{'op':'fire','type':'quote','id':'Q-1','event':'request_legal','actor':{'id':'l',"
          "'roles':['legal']}}");
    /* legal_review is in quote.open: losing the deal cancels both */
    cJSON *r = run(e, "{'op':'fire','type':'opportunity','id':'OPP-1','event':'lose',"
                      "'data':{'reason':'budget'}}");
    ck_assert_int_eq(tu_len(r, "events"), 3);
    ck_assert_str_eq(tu_str(r, "events.1.type"), "l2c.quote.cancel");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "legal_review");
    ck_assert_str_eq(tu_str(r, "events.2.subject"), "Q-2");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(custom_lead_flow_with_nurture)
{
    l2c_engine *e = tu_engine();
    load_file(e, "examples/processes/lead_nurture.json");
    ok(e, "{'op':'create','type':'lead','data':{'name':'A'}}");
    cJSON *r = run(e, "{'op':'fire','type':'lead','id':'L-000001','event':'park'}");
    ck_assert_str_eq(tu_str(r, "entity.state"), "nurture");
    ck_assert_str_eq(tu_str(r, "events.0.type"), "l2c.lead.park");
    cJSON_Delete(r);
    /* disqualify joined the built-in transition: it still needs a reason */
    fails(e, "{'op':'fire','type':'lead','id':'L-000001','event':'disqualify'}",
          "invalid_argument", "field.required");
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'revive'}");
    ok(e, "{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}");
    r = run(e, "{'op':'fire','type':'lead','id':'L-000001','event':'convert'}");
    ck_assert_str_eq(tu_str(r, "entity.state"), "converted");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'funnel'}");
    ck_assert_double_eq(tu_num(r, "leads.nurture"), 0);
    ck_assert_double_eq(tu_num(r, "leads.converted"), 1);
    cJSON_Delete(r);
    /* a later extension builds on the loaded one */
    load(e, "{'type':'lead','extends':true,'transitions':[{'event':'park','from':'qualified',"
            "'to':'nurture'}]}");
    char *s = process_json(e, "lead");
    cJSON *j = cJSON_Parse(s);
    const cJSON *t;
    int found = 0;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(j, "transitions"))
    {
        if (strcmp(cJSON_GetObjectItem(t, "event")->valuestring, "park") == 0) {
            found++;
            ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(t, "from")), 3);
        }
    }
    ck_assert_int_eq(found, 1);
    cJSON_Delete(j);
    free(s);
    l2c_engine_free(e);
}
END_TEST

/* ------------------------------------------------------------ AsyncAPI */

/* A full lead-to-cash flow: every kind of event the built-in processes emit
 * along the happy path, plus billing corrections. */
static void full_flow(l2c_engine *e)
{
    tu_confirmed_order(e);
    static const char *const cmds[] = {
        "{'op':'update','type':'account','id':'ACC-000001','data':{'payment_terms_days':14}}",
        "{'op':'fire','type':'order','id':'SO-000001','event':'fulfill','data':{'lines':"
        "[{'line':1,'qty':2},{'line':2,'qty':1}]}}",
        "{'op':'create','type':'invoice','data':{'order':'SO-000001'}}",
        "{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}",
        "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'1000.00'}}",
        "{'op':'fire','type':'payment','id':'PAY-000001','event':'allocate','data':{'invoice':"
        "'INV-000001','amount':'1000.00'}}",
        "{'op':'fire','type':'invoice','id':'INV-000001','event':'dispute','data':{'reason':"
        "'quality'}}",
        "{'op':'create','type':'credit_note','data':{'invoice':'INV-000001','lines':"
        "[{'invoice_line':2,'qty':1}],'reason':'late'}}",
        "{'op':'fire','type':'credit_note','id':'CN-000001','event':'issue'}",
        "{'op':'fire','type':'invoice','id':'INV-000001','event':'resolve'}",
        "{'op':'clock','now':'2026-06-01T00:00:00Z'}",
        "{'op':'sweep'}",
        "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'9000.00',"
        "'allocations':[{'invoice':'INV-000001','amount':'7712.00'}]}}",
        "{'op':'fire','type':'payment','id':'PAY-000002','event':'reverse','actor':{'id':'f',"
        "'roles':['finance']}}",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        ok(e, cmds[i]);
}

static const cJSON *obj(const cJSON *j, const char *k) { return cJSON_GetObjectItemCaseSensitive(j, k); }

START_TEST(asyncapi_lists_every_event_of_a_full_flow)
{
    l2c_engine *e = tu_engine();
    load_file(e, "examples/processes/quote_legal_review.json");
    full_flow(e);
    char *s = NULL;
    ck_assert_int_eq(l2c_asyncapi_json(&s, e), 0);
    cJSON *doc = cJSON_Parse(s);
    ck_assert_ptr_nonnull(doc);
    l2c_free(s);
    ck_assert_str_eq(tu_str(doc, "asyncapi"), "3.0.0");
    ck_assert_str_eq(tu_str(doc, "defaultContentType"), "application/cloudevents+json");
    ck_assert_ptr_nonnull(tu_str(doc, "info.title"));
    ck_assert_str_eq(tu_str(doc, "info.version"), l2c_version());
    const cJSON *channels = obj(doc, "channels"), *ops = obj(doc, "operations");
    const cJSON *msgs = obj(obj(doc, "components"), "messages");
    const cJSON *schemas = obj(obj(doc, "components"), "schemas");
    cJSON *evs = run(e, "{'op':'events'}");
    const cJSON *ev;
    int n = 0, seen_settle = 0, seen_reopen = 0, seen_complete = 0, seen_overdue = 0;
    cJSON_ArrayForEach(ev, obj(evs, "events"))
    {
        const char *type = obj(ev, "type")->valuestring; /* l2c.<type>.<event> */
        const cJSON *rec = obj(obj(ev, "data"), "record");
        char chan[128], rtype[64], want[256], opid[160];
        snprintf(chan, sizeof chan, "%s", type + 4); /* <type>.<event> */
        snprintf(rtype, sizeof rtype, "%.*s", (int)strcspn(chan, "."), chan);
        /* the channel's address is the event's topic with {id} for the record id */
        const l2c_event *cev = NULL;
        char *topic = NULL;
        ck_assert_int_eq(l2c_event_get(&cev, e, strtoull(obj(ev, "sequence")->valuestring,
                                                         NULL, 10)),
                         0);
        ck_assert_int_eq(l2c_event_topic(&topic, cev), 0);
        const cJSON *ch = obj(channels, chan);
        ck_assert_msg(ch != NULL, "no channel %s", chan);
        snprintf(want, sizeof want, "%.*s{id}", (int)(strlen(topic) - strlen(obj(rec, "id")->valuestring)),
                 topic);
        ck_assert_str_eq(obj(ch, "address")->valuestring, want);
        ck_assert_ptr_nonnull(obj(obj(ch, "parameters"), "id"));
        ck_assert_ptr_nonnull(obj(obj(ch, "messages"), type));
        const cJSON *m = obj(msgs, type);
        ck_assert_msg(m != NULL, "no message %s", type);
        ck_assert_str_eq(tu_str(m, "payload.properties.type.const"), type);
        snprintf(opid, sizeof opid, "%s.send", chan);
        ck_assert_msg(obj(ops, opid) != NULL, "no operation %s", opid);
        ck_assert_str_eq(tu_str(obj(ops, opid), "action"), "send");
        /* every key of the record is in its schema */
        const cJSON *props = obj(obj(schemas, rtype), "properties");
        const cJSON *k;
        cJSON_ArrayForEach(k, rec)
        {
            ck_assert_msg(obj(props, k->string) != NULL, "%s schema lacks %s", rtype, k->string);
        }
        seen_settle |= strcmp(type, "l2c.invoice.settle") == 0;
        seen_reopen |= strcmp(type, "l2c.invoice.reopen") == 0;
        seen_complete |= strcmp(type, "l2c.order.complete") == 0;
        seen_overdue |= strcmp(type, "l2c.invoice.mark_overdue") == 0;
        l2c_free(topic);
        n++;
    }
    ck_assert_int_gt(n, 25);
    ck_assert(seen_settle && seen_reopen && seen_complete && seen_overdue);
    /* the custom events of the loaded definitions are there too */
    ck_assert_str_eq(obj(obj(channels, "quote.request_legal"), "address")->valuestring,
                     "l2c/v1/sales/quote/request_legal/{id}");
    ck_assert_ptr_nonnull(obj(msgs, "l2c.quote.clear_legal"));
    cJSON_Delete(evs);
    cJSON_Delete(doc);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("process");
    TCase *tc = tcase_create("process");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, process_json_shows_the_builtin_quote);
    tcase_add_test(tc, process_json_round_trips_through_load);
    tcase_add_test(tc, process_calls_check_their_arguments);
    tcase_add_test(tc, dot_has_every_state_and_event);
    tcase_add_test(tc, load_refuses_bad_definitions_and_changes_nothing);
    tcase_add_test(tc, load_keeps_what_the_rules_name);
    tcase_add_test(tc, load_refuses_to_remove_a_state_in_use);
    tcase_add_test(tc, load_remaps_reordered_states);
    tcase_add_test(tc, load_is_refused_inside_hooks);
    tcase_add_test(tc, engine_options_load_processes);
    tcase_add_test(tc, custom_quote_flow_end_to_end);
    tcase_add_test(tc, custom_state_joins_the_rules_of_its_set);
    tcase_add_test(tc, custom_lead_flow_with_nurture);
    tcase_add_test(tc, asyncapi_lists_every_event_of_a_full_flow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
