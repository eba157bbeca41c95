/* The engine through l2c_exec_json: ids, versions, the protocol's order of
 * checks (DESIGN §6), batches, the events op and topic patterns, the clock,
 * the CloudEvents envelope (§5), causes of cascades, lists, data keys. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

#define FIN "'actor':{'id':'fin-1','roles':['finance']}"
#define MGR "'actor':{'id':'mgr-1','roles':['sales_manager']}"

/* A command written with single quotes, printf-style. Returns one of a ring
 * of static buffers, good for the next few calls. */
__attribute__((format(printf, 1, 2))) static const char *J(const char *fmt, ...)
{
    static char ring[8][8192];
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

/* The id of a record created by `json`. Static buffer. */
static const char *created_id(l2c_engine *e, const char *json)
{
    static char id[256];
    cJSON *r = tu_ok(e, json);
    const char *s = tu_str(r, "entity.id");
    ck_assert_ptr_nonnull(s);
    snprintf(id, sizeof id, "%s", s);
    cJSON_Delete(r);
    return id;
}

static const char *new_lead(l2c_engine *e, const char *name)
{
    return created_id(e, J("{'op':'create','type':'lead','data':{'name':'%s'}}", name));
}

/* A path inside a result, formatted. Static ring. */
__attribute__((format(printf, 1, 2))) static const char *P(const char *fmt, ...)
{
    static char ring[8][128];
    static unsigned next;
    char *b = ring[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof ring[0], fmt, ap);
    va_end(ap);
    return b;
}

/* Sequences of the events of a result as "3,4,5". Static buffer. */
static const char *seqs(const cJSON *r)
{
    static char buf[1024];
    size_t len = 0;
    buf[0] = '\0';
    int n = tu_len(r, "events");
    ck_assert_int_ge(n, 0);
    for (int i = 0; i < n; i++) {
        const char *s = tu_str(r, P("events.%d.sequence", i));
        ck_assert_ptr_nonnull(s);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "," : "", s);
    }
    return buf;
}

/* The events op's answer for a pattern, as its sequences. */
static const char *topic_seqs(l2c_engine *e, const char *pattern)
{
    cJSON *r = tu_ok(e, J("{'op':'events','topic':'%s'}", pattern));
    const char *s = seqs(r);
    cJSON_Delete(r);
    return s;
}

/* A paid invoice INV-000001 (all of SO-000001) and its payment PAY-000001. */
static void paid_invoice(l2c_engine *e)
{
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    cJSON *r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-000001'}"));
    char total[32];
    snprintf(total, sizeof total, "%s", tu_str(r, "entity.total"));
    cJSON_Delete(r);
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'%s',"
            "'allocations':[{'invoice':'INV-000001','amount':'%s'}]}}",
            total, total));
}

/* ---- ids ---- */

START_TEST(test_generated_ids_count_per_type_with_six_digits)
{
    l2c_engine *e = tu_engine();
    ck_assert_str_eq(new_lead(e, "A"), "L-000001");
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'account','data':{'name':'X'}}")),
                     "ACC-000001");
    ck_assert_str_eq(new_lead(e, "B"), "L-000002");
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'opportunity','data':{"
                                     "'account':'ACC-000001','name':'Deal'}}")),
                     "OPP-000001");
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'quote','data':{"
                                     "'opportunity':'OPP-000001'}}")),
                     "Q-000001");
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'order','data':{'account':"
                                     "'ACC-000001','lines':[{'sku':'A','qty':1,'unit_price':"
                                     "'10.00'}]}}")),
                     "SO-000001");
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}"));
    ck_assert_str_eq(
        created_id(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}")),
        "INV-000001");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'payment','data':{'account':"
                                     "'ACC-000001','amount':'1.00'}}")),
                     "PAY-000001");
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'credit_note','data':{'invoice':"
                                     "'INV-000001','lines':[{'invoice_line':1,'qty':1}]}}")),
                     "CN-000001");
    ck_assert_str_eq(new_lead(e, "C"), "L-000003");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_generated_ids_skip_taken_ones)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'lead','id':'L-000001','data':{'name':'A'}}"));
    ok(e, J("{'op':'create','type':'lead','id':'L-000003','data':{'name':'B'}}"));
    ck_assert_str_eq(new_lead(e, "C"), "L-000002");
    ck_assert_str_eq(new_lead(e, "D"), "L-000004");
    /* a taken id of another type does not count */
    ok(e, J("{'op':'create','type':'account','id':'L-000005','data':{'name':'X'}}"));
    ck_assert_str_eq(new_lead(e, "E"), "L-000005");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_failed_command_gives_back_drawn_ids)
{
    l2c_engine *e = tu_engine();
    /* a batch draws two numbers, then fails: both come back */
    tu_fails_unchanged(e,
                       J("{'op':'batch','commands':[{'op':'create','type':'lead','data':{'name':"
                         "'A'}},{'op':'create','type':'lead','data':{'name':'B'}},{'op':'create',"
                         "'type':'lead','data':{}}]}"),
                       "invalid_argument", "field.required");
    ck_assert_str_eq(new_lead(e, "A"), "L-000001");
    /* convert draws an account number before it meets the taken opportunity id */
    ok(e, J("{'op':'create','type':'account','id':'ACC-X','data':{'name':'X'}}"));
    ok(e, J("{'op':'create','type':'opportunity','id':'OPP-X','data':{'account':'ACC-X',"
            "'name':'Old'}}"));
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}"));
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{"
                         "'opportunity':{'id':'OPP-X','name':'New'}}}"),
                       "already_exists", NULL);
    ck_assert_str_eq(created_id(e, J("{'op':'create','type':'account','data':{'name':'Y'}}")),
                     "ACC-000001");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{"
                          "'opportunity':{'name':'New'}}}"));
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000002");
    ck_assert_str_eq(tu_str(r, "entity.opportunity"), "OPP-000001");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_given_id_format_rules)
{
    l2c_engine *e = tu_engine();
    char id[140], taken[140];
    memset(taken, 'x', 128);
    taken[128] = '\0';
    ok(e, J("{'op':'create','type':'lead','id':'%s','data':{'name':'A'}}", taken));
    memset(id, 'y', 129);
    id[129] = '\0';
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','id':'%s','data':{'name':'A'}}", id),
                       "invalid_argument", "field.invalid");
    static const char *const bad[] = {"a b", "a\\tb", "a\\nb", "a\\u0001b", "a\\u007fb",
                                      "a/b", "a+b",   "a#b",   "#",         "+"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'lead','id':'%s','data':{'name':'A'}}", bad[i]),
                           "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','id':42,'data':{'name':'A'}}"),
                       "invalid_argument", "field.invalid");
    /* characters that are fine in an id */
    ok(e, J("{'op':'create','type':'lead','id':'lead:42.x_y-\\u00e9','data':{'name':'A'}}"));
    /* the id format comes before the data; a taken id before the data too */
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','id':'a b','data':{}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','id':'%s','data':{}}", taken),
                       "already_exists", NULL);
    l2c_engine_free(e);
}
END_TEST

/* ---- versions and updates ---- */

START_TEST(test_version_rises_by_one_per_event)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    cJSON *r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    /* invoicing moved only derived figures: no event, no version */
    r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    /* fulfil everything: fulfill and the cascaded complete, two versions */
    r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill','version':2,"
                   "'data':{'lines':[{'line':1,'qty':2},{'line':2,'qty':1}]}}"));
    ck_assert_int_eq(tu_len(r, "events"), 2);
    ck_assert_str_eq(tu_str(r, "events.0.type"), "l2c.order.fulfill");
    ck_assert_int_eq(tu_num(r, "events.0.data.record.version"), 3);
    ck_assert_str_eq(tu_str(r, "events.1.type"), "l2c.order.complete");
    ck_assert_int_eq(tu_num(r, "events.1.data.record.version"), 4);
    ck_assert_int_eq(tu_num(r, "entity.version"), 4);
    ck_assert_str_eq(tu_str(r, "entity.state"), "completed");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_stale_version_is_conflict_without_rule)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'contact','version':1}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify',"
                            "'version':1}"),
                       "conflict", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify',"
                            "'version':3}"),
                       "conflict", NULL);
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'L-000001','version':1,"
                            "'data':{'name':'B'}}"),
                       "conflict", NULL);
    /* a version that is no version at all is a bad argument */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify',"
                            "'version':0}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify',"
                            "'version':1.5}"),
                       "invalid_argument", "field.invalid");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','version':2,"
                          "'data':{'name':'B'}}"));
    ck_assert_int_eq(tu_num(r, "entity.version"), 3);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_update_is_one_event_even_without_change)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "Ann");
    uint64_t last = l2c_events_last(e);
    cJSON *r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'name':'Ann'}}"));
    ck_assert_int_eq(tu_len(r, "events"), 1);
    ck_assert_str_eq(tu_str(r, "events.0.type"), "l2c.lead.update");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "new");
    ck_assert_str_eq(tu_str(r, "events.0.data.to"), "new");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    ck_assert_str_eq(tu_str(r, "entity.name"), "Ann");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{}}"));
    ck_assert_int_eq(tu_len(r, "events"), 1);
    ck_assert_int_eq(tu_num(r, "entity.version"), 3);
    cJSON_Delete(r);
    ck_assert_uint_eq(l2c_events_last(e), last + 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_changing_a_non_updatable_field_is_immutable)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "Ann");
    static const char *const keys[] = {"reason", "account", "opportunity", "id",
                                       "type",   "state",   "version",     "created_at",
                                       "updated_at"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        tu_fails_unchanged(e,
                           J("{'op':'update','type':'lead','id':'L-000001','data':{'name':'B',"
                             "'%s':'x'}}",
                             keys[i]),
                           "invalid_argument", "field.immutable");
    ok(e, J("{'op':'create','type':'account','data':{'name':'X'}}"));
    tu_fails_unchanged(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{"
                            "'currency':'USD'}}"),
                       "invalid_argument", "field.immutable");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_unknown_keys_in_data_are_ignored)
{
    l2c_engine *e = tu_engine();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'A','colour':'red',"
                          "'nested':{'x':[1,2]}}}"));
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "entity"), "colour"));
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "entity"), "nested"));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'colour':'blue'}}"));
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "entity"), "colour"));
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'contact','data':{"
                   "'why':'called'}}"));
    ck_assert_str_eq(tu_str(r, "entity.state"), "working");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- protocol: the order of checks ---- */

START_TEST(test_bad_json_and_trailing_text_are_parse_errors)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    static const char *const bad[] = {"",         "{",         "{\"op\":\"get\"} x",
                                      "{} {}",    "nul",       "{'op':'get'}",
                                      "{\"op\":}", "[1,]",     "{\"op\":\"list\",\"type\":\"lead\"}\n]"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e, bad[i], "parse_error", NULL);
    /* whitespace around the value is not text after it */
    ok(e, " \n{\"op\":\"list\",\"type\":\"lead\"}\n ");
    char *out = (char *)1;
    ck_assert_int_eq(l2c_exec_json(&out, e, NULL), L2C_EPARSE);
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(strstr(out, "parse_error"));
    l2c_free(out);
    ck_assert_int_eq(l2c_exec_json(NULL, e, "{}"), L2C_EINVAL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_non_object_command_is_field_invalid)
{
    l2c_engine *e = tu_engine();
    static const char *const bad[] = {"[]", "[{\"op\":\"sweep\"}]", "1", "\"sweep\"", "null",
                                      "true"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e, bad[i], "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_missing_op_is_required_and_unknown_op_invalid)
{
    l2c_engine *e = tu_engine();
    tu_fails_unchanged(e, "{}", "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':null,'type':'lead'}"), "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'','type':'lead'}"), "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'delete','type':'lead','id':'L-000001'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'Create','type':'lead'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':5}"), "invalid_argument", "field.invalid");
    /* op comes before type: an unknown op with an unknown type is about the op */
    tu_fails_unchanged(e, J("{'type':'bogus'}"), "invalid_argument", "field.required");
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_type_event_and_id_are_checked_in_that_order)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    /* type missing / unknown, whatever else is wrong */
    tu_fails_unchanged(e, J("{'op':'fire'}"), "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','event':'qualify','id':'L-000001'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'prospect'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'get','type':'prospect','id':'L-000001'}"), "invalid_argument",
                       "field.invalid");
    /* then the event: missing / unknown, even without an id */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead'}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001'}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'ship'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'ship','id':'nope'}"),
                       "invalid_argument", "field.invalid");
    /* an event of another type is unknown for this one */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'hold'}"),
                       "invalid_argument", "field.invalid");
    /* create and update are not events to fire */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'create'}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'update'}"),
                       "invalid_argument", "field.invalid");
    /* then the id */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify'}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify','id':''}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'get','type':'lead'}"), "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','data':{}}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'get','type':'lead','id':7}"), "invalid_argument",
                       "field.invalid");
    /* then actor and data must be objects, before the record is looked up */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify','id':'nope',"
                            "'actor':'me'}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify','id':'nope',"
                            "'data':[1]}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify','id':'L-000001',"
                            "'actor':{'id':'u','roles':'finance'}}"),
                       "invalid_argument", "field.invalid");
    /* then the record */
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','event':'qualify','id':'nope'}"),
                       "not_found", NULL);
    tu_fails_unchanged(e, J("{'op':'get','type':'lead','id':'nope'}"), "not_found", NULL);
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'nope','data':{'name':'x'}}"),
                       "not_found", NULL);
    /* a record of another type with that id is not found either */
    ok(e, J("{'op':'create','type':'account','id':'ACC-1','data':{'name':'X'}}"));
    tu_fails_unchanged(e, J("{'op':'get','type':'lead','id':'ACC-1'}"), "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_record_checks_come_in_contract_order)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'X'}}"));
    /* stale version before a transition that is not allowed */
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release',"
                            "'version':5}"),
                       "conflict", NULL);
    /* a transition not allowed in the state before the role */
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release'}"),
                       "invalid_transition", NULL);
    /* the role: no actor, an actor without the role, a role of another name */
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold',"
                            "'actor':{'id':'u-1'}}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold',"
                            "'actor':{'id':'u-1','roles':['sales_manager','Finance']}}"),
                       "forbidden", NULL);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN
                          "}"));
    ck_assert_str_eq(tu_str(r, "entity.state"), "on_hold");
    ck_assert_str_eq(tu_str(r, "events.0.data.actor.id"), "fin-1");
    ck_assert_str_eq(tu_str(r, "events.0.data.actor.roles.0"), "finance");
    cJSON_Delete(r);
    /* the role before the contents of data: reject needs a reason and a manager */
    tu_confirmed_order(e); /* its own account ACC-000002 */
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000002','name':'More'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000002','lines':[{'sku':"
            "'A','qty':1,'unit_price':'10.00'}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000002','event':'submit'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000002','event':'reject'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000002','event':'reject'," MGR
                            "}"),
                       "invalid_argument", "field.required");
    /* the contents of data: required and formats before the records they name */
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000002','amount':'10.00'}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'PAY-000001','event':'allocate',"
                            "'data':{'invoice':'INV-404'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'PAY-000001','event':'allocate',"
                            "'data':{'invoice':'INV-404','amount':'5.00'}}"),
                       "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_cascade_only_events_are_invalid_transition_from_clients)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    /* order.complete on a confirmed order */
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'complete'}"),
                       "invalid_transition", NULL);
    ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    /* invoice.settle on an issued invoice, even by finance */
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'settle'}"),
                       "invalid_transition", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'settle',"
                            FIN "}"),
                       "invalid_transition", NULL);
    l2c_engine_free(e);

    /* invoice.reopen on a paid invoice */
    e = tu_engine();
    paid_invoice(e);
    cJSON *r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.state"), "paid");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'reopen'}"),
                       "invalid_transition", NULL);
    /* the engine itself still runs it, as a cascade of a reversal */
    r = tu_ok(e, J("{'op':'fire','type':'payment','id':'PAY-000001','event':'reverse'," FIN "}"));
    ck_assert_int_eq(tu_len(r, "events"), 2);
    ck_assert_str_eq(tu_str(r, "events.1.type"), "l2c.invoice.reopen");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- batches ---- */

START_TEST(test_batch_is_all_or_nothing_with_error_index)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    char *before = tu_snapshot(e);
    cJSON *r = tu_exec(e, J("{'op':'batch','commands':[{'op':'create','type':'lead','data':{"
                            "'name':'B'}},{'op':'fire','type':'lead','id':'L-000001','event':"
                            "'contact'},{'op':'fire','type':'lead','id':'L-000001','event':"
                            "'convert'},{'op':'create','type':'lead','data':{'name':'C'}}]}"));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r, "ok")));
    ck_assert_str_eq(tu_str(r, "error.code"), "invalid_transition");
    ck_assert_int_eq(tu_num(r, "error.index"), 2);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "error"), "rule"));
    ck_assert_ptr_null(cJSON_GetObjectItem(r, "results"));
    cJSON_Delete(r);
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    /* and the same through tu_fails_unchanged, a rule error at index 0 */
    tu_fails_unchanged(e, J("{'op':'batch','commands':[{'op':'create','type':'lead','data':{}}]}"),
                       "invalid_argument", "field.required");
    /* a successful batch answers every result, each with its own cause */
    r = tu_ok(e, J("{'op':'batch','commands':[{'op':'create','type':'lead','data':{'name':'B'}},"
                   "{'op':'fire','type':'lead','id':'L-000002','event':'qualify'},"
                   "{'op':'get','type':'lead','id':'L-000001'}]}"));
    ck_assert_int_eq(tu_len(r, "results"), 3);
    ck_assert_str_eq(tu_str(r, "results.0.entity.id"), "L-000002");
    ck_assert_str_eq(tu_str(r, "results.0.events.0.data.cause"), "2");
    ck_assert_str_eq(tu_str(r, "results.1.entity.state"), "qualified");
    ck_assert_str_eq(tu_str(r, "results.1.events.0.sequence"), "3");
    ck_assert_str_eq(tu_str(r, "results.1.events.0.data.cause"), "3");
    ck_assert_str_eq(tu_str(r, "results.2.entity.state"), "new");
    ck_assert_ptr_null(cJSON_GetObjectItem(r, "events"));
    cJSON_Delete(r);
    ck_assert_uint_eq(l2c_events_last(e), 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_nested_batch_failure_reports_the_top_level_index)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    char *before = tu_snapshot(e);
    cJSON *r = tu_exec(e, J("{'op':'batch','commands':[{'op':'create','type':'lead','data':{"
                            "'name':'B'}},{'op':'get','type':'lead','id':'L-000001'},{'op':"
                            "'batch','commands':[{'op':'create','type':'lead','data':{'name':"
                            "'C'}},{'op':'fire','type':'lead','id':'L-000404','event':'qualify'}"
                            "]}]}"));
    ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(r, "ok")));
    ck_assert_str_eq(tu_str(r, "error.code"), "not_found");
    ck_assert_int_eq(tu_num(r, "error.index"), 2);
    cJSON_Delete(r);
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    free(before);
    free(after);
    /* a nested batch that works is one result holding its own results */
    r = tu_ok(e, J("{'op':'batch','commands':[{'op':'batch','commands':[{'op':'create','type':"
                   "'lead','data':{'name':'B'}}]}]}"));
    ck_assert_str_eq(tu_str(r, "results.0.results.0.entity.id"), "L-000002");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_batch_needs_an_array_of_objects)
{
    l2c_engine *e = tu_engine();
    tu_fails_unchanged(e, J("{'op':'batch'}"), "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'batch','commands':{'op':'sweep'}}"), "invalid_argument",
                       "field.invalid");
    cJSON *r = tu_exec(e, J("{'op':'batch','commands':[{'op':'sweep'},7]}"));
    ck_assert_str_eq(tu_str(r, "error.code"), "invalid_argument");
    ck_assert_str_eq(tu_str(r, "error.rule"), "field.invalid");
    ck_assert_int_eq(tu_num(r, "error.index"), 1);
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'batch','commands':[]}"));
    ck_assert_int_eq(tu_len(r, "results"), 0);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_batch_rolls_back_the_clock)
{
    l2c_engine *e = tu_engine();
    int64_t now = l2c_clock_now(e);
    tu_fails_unchanged(e, J("{'op':'batch','commands':[{'op':'clock','now':"
                            "'2030-01-01T00:00:00Z'},{'op':'get','type':'lead','id':'x'}]}"),
                       "not_found", NULL);
    ck_assert_int_eq(l2c_clock_now(e), now);
    /* a batch that works keeps it, and its later commands run at that time */
    cJSON *r = tu_ok(e, J("{'op':'batch','commands':[{'op':'clock','now':"
                          "'2030-01-01T00:00:00Z'},{'op':'create','type':'lead','data':{"
                          "'name':'A'}}]}"));
    ck_assert_str_eq(tu_str(r, "results.1.entity.created_at"), "2030-01-01T00:00:00Z");
    cJSON_Delete(r);
    ck_assert_int_eq(l2c_clock_now(e), 1893456000);
    l2c_engine_free(e);
}
END_TEST

/* ---- the events op ---- */

START_TEST(test_events_after_and_limit_take_integers_or_decimal_strings)
{
    l2c_engine *e = tu_engine();
    for (int i = 0; i < 5; i++)
        new_lead(e, "A");
    static const char *const forms[][2] = {{"2", "2"}, {"'2'", "'2'"}, {"2", "'2'"}};
    for (size_t i = 0; i < 3; i++) {
        cJSON *r = tu_ok(e, J("{'op':'events','after':%s}", forms[i][0]));
        ck_assert_str_eq(seqs(r), "3,4,5");
        cJSON_Delete(r);
        r = tu_ok(e, J("{'op':'events','after':%s,'limit':%s}", forms[i][0], forms[i][1]));
        ck_assert_str_eq(seqs(r), "3,4");
        cJSON_Delete(r);
    }
    cJSON *r = tu_ok(e, J("{'op':'events'}"));
    ck_assert_str_eq(seqs(r), "1,2,3,4,5");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'events','limit':0}"));
    ck_assert_str_eq(seqs(r), "");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'events','after':'5'}"));
    ck_assert_str_eq(seqs(r), "");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'events','after':99,'limit':'1'}"));
    ck_assert_str_eq(seqs(r), "");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'events','after':'0','limit':'1'}"));
    ck_assert_str_eq(seqs(r), "1");
    cJSON_Delete(r);
    static const char *const bad[] = {"-1", "1.5", "'x'", "'1.5'", "'-2'", "true", "[1]", "{}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tu_fails_unchanged(e, J("{'op':'events','after':%s}", bad[i]), "invalid_argument",
                           "field.invalid");
        tu_fails_unchanged(e, J("{'op':'events','limit':%s}", bad[i]), "invalid_argument",
                           "field.invalid");
    }
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_events_topic_patterns_select_events)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");                                                          /* 1 */
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}")); /* 2 */
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{"
            "'opportunity':{'name':'Deal'}}}")); /* 3 lead, 4 account, 5 opportunity */
    new_lead(e, "B");                            /* 6 */
    ck_assert_str_eq(topic_seqs(e, "#"), "1,2,3,4,5,6");
    ck_assert_str_eq(topic_seqs(e, "l2c/#"), "1,2,3,4,5,6");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/marketing/#"), "1,2,3,6");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/sales/#"), "5");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/customer/account/create/+"), "4");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/+/lead/+/L-000001"), "1,2,3");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/+/+/create/+"), "1,4,5,6");
    ck_assert_str_eq(topic_seqs(e, "+/+/+/+/+/L-000002"), "6");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/marketing/lead/convert/L-000001"), "3");
    /* '#' also matches its parent level: the whole topic */
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/marketing/lead/convert/L-000001/#"), "3");
    /* '+' is exactly one level: five of them match no six-level topic */
    ck_assert_str_eq(topic_seqs(e, "+/+/+/+/+"), "");
    ck_assert_str_eq(topic_seqs(e, "+/+/+/+/+/+/+"), "");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/marketing/lead"), "");
    ck_assert_str_eq(topic_seqs(e, "l2c/v1/billing/#"), "");
    ck_assert_str_eq(topic_seqs(e, "L2C/#"), "");
    /* topic combines with after and limit: limit counts the matching ones */
    cJSON *r = tu_ok(e, J("{'op':'events','topic':'l2c/v1/marketing/#','after':1,'limit':2}"));
    ck_assert_str_eq(seqs(r), "2,3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_events_invalid_topic_patterns_are_field_invalid)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    static const char *const bad[] = {"a/#/b", "a+",  "#/a", "a/b#", "l2c/v1/+x", "x#",
                                      "++",    "##", "a/+b/c"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e, J("{'op':'events','topic':'%s'}", bad[i]), "invalid_argument",
                           "field.invalid");
    tu_fails_unchanged(e, J("{'op':'events','topic':5}"), "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

/* ---- the clock ---- */

START_TEST(test_clock_set_and_read_back)
{
    l2c_engine *e = tu_engine();
    cJSON *r = tu_ok(e, J("{'op':'clock'}"));
    ck_assert_str_eq(tu_str(r, "now"), "2026-04-01T08:30:00Z");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'clock','now':'2026-05-15T09:00:00Z'}"));
    ck_assert_str_eq(tu_str(r, "now"), "2026-05-15T09:00:00Z");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'clock'}"));
    ck_assert_str_eq(tu_str(r, "now"), "2026-05-15T09:00:00Z");
    cJSON_Delete(r);
    ck_assert_int_eq(l2c_clock_now(e), 1778835600);
    /* records and events take the time of the clock */
    r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'A'}}"));
    ck_assert_str_eq(tu_str(r, "entity.created_at"), "2026-05-15T09:00:00Z");
    ck_assert_str_eq(tu_str(r, "events.0.time"), "2026-05-15T09:00:00Z");
    cJSON_Delete(r);
    /* it moves backwards too */
    r = tu_ok(e, J("{'op':'clock','now':'2020-02-29T23:59:59Z'}"));
    ck_assert_str_eq(tu_str(r, "now"), "2020-02-29T23:59:59Z");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{}}"));
    ck_assert_str_eq(tu_str(r, "entity.updated_at"), "2020-02-29T23:59:59Z");
    ck_assert_str_eq(tu_str(r, "entity.created_at"), "2026-05-15T09:00:00Z");
    cJSON_Delete(r);
    /* setting the clock is no event */
    ck_assert_uint_eq(l2c_events_last(e), 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_clock_converts_offsets_to_utc_and_drops_fractions)
{
    l2c_engine *e = tu_engine();
    static const char *const cases[][2] = {
        {"2026-04-01T10:30:00+02:00", "2026-04-01T08:30:00Z"},
        {"2026-04-01T03:00:00-05:30", "2026-04-01T08:30:00Z"},
        {"2026-01-01T01:00:00+02:00", "2025-12-31T23:00:00Z"},
        {"2026-04-01T08:30:00.999Z", "2026-04-01T08:30:00Z"},
        {"2026-04-01T10:30:59.5+02:00", "2026-04-01T08:30:59Z"},
        {"2026-04-01T08:30:00+00:00", "2026-04-01T08:30:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cJSON *r = tu_ok(e, J("{'op':'clock','now':'%s'}", cases[i][0]));
        ck_assert_msg(strcmp(tu_str(r, "now"), cases[i][1]) == 0, "%s -> %s, want %s",
                      cases[i][0], tu_str(r, "now"), cases[i][1]);
        cJSON_Delete(r);
    }
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_invalid_clock_is_field_invalid)
{
    l2c_engine *e = tu_engine();
    static const char *const bad[] = {"garbage",
                                      "2026-04-01",
                                      "2026-04-01T08:30:00",
                                      "2026-13-01T00:00:00Z",
                                      "2026-02-30T00:00:00Z",
                                      "2026-04-01T25:00:00Z",
                                      "2026-04-01T08:61:00Z",
                                      "2026-04-01T08:30:00Zjunk",
                                      "2026-04-01T08:30:00+2:00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tu_fails_unchanged(e, J("{'op':'clock','now':'%s'}", bad[i]), "invalid_argument",
                           "field.invalid");
        ck_assert_int_eq(l2c_clock_now(e), 1775032200);
    }
    tu_fails_unchanged(e, J("{'op':'clock','now':1775032200}"), "invalid_argument",
                       "field.invalid");
    ck_assert_int_eq(l2c_clock_now(e), 1775032200);
    l2c_engine_free(e);
}
END_TEST

/* ---- events: envelope, causes ---- */

START_TEST(test_cloudevents_envelope_fields)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "Ann");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'contact',"
                          "'actor':{'id':'rep-3','roles':['sales_rep','x']}}"));
    ck_assert_int_eq(tu_len(r, "events"), 1);
    const cJSON *ev = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "events"), 0);
    ck_assert_str_eq(tu_str(ev, "specversion"), "1.0");
    ck_assert_str_eq(tu_str(ev, "id"), "2");
    ck_assert_str_eq(tu_str(ev, "sequence"), "2");
    ck_assert_str_eq(tu_str(ev, "source"), "/l2c");
    ck_assert_str_eq(tu_str(ev, "type"), "l2c.lead.contact");
    ck_assert_str_eq(tu_str(ev, "subject"), "L-000001");
    ck_assert_str_eq(tu_str(ev, "time"), "2026-04-01T08:30:00Z");
    ck_assert_str_eq(tu_str(ev, "datacontenttype"), "application/json");
    ck_assert_str_eq(tu_str(ev, "data.from"), "new");
    ck_assert_str_eq(tu_str(ev, "data.to"), "working");
    ck_assert_str_eq(tu_str(ev, "data.actor.id"), "rep-3");
    ck_assert_int_eq(tu_len(ev, "data.actor.roles"), 2);
    ck_assert_str_eq(tu_str(ev, "data.actor.roles.1"), "x");
    ck_assert_str_eq(tu_str(ev, "data.cause"), "2");
    ck_assert_str_eq(tu_str(ev, "data.record.id"), "L-000001");
    ck_assert_str_eq(tu_str(ev, "data.record.state"), "working");
    ck_assert_int_eq(tu_num(ev, "data.record.version"), 2);
    ck_assert_str_eq(tu_str(ev, "data.record.name"), "Ann");
    /* exactly these keys, in this order */
    static const char *const keys[] = {"specversion", "id",   "source",          "type",
                                       "subject",     "time", "datacontenttype", "sequence",
                                       "data"};
    size_t i = 0;
    for (const cJSON *c = ev->child; c; c = c->next, i++) {
        ck_assert_uint_lt(i, sizeof keys / sizeof *keys);
        ck_assert_str_eq(c->string, keys[i]);
    }
    ck_assert_uint_eq(i, sizeof keys / sizeof *keys);
    cJSON_Delete(r);
    /* create: from null; no actor: actor null; the record as it was then */
    r = tu_ok(e, J("{'op':'events','limit':1}"));
    ev = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "events"), 0);
    ck_assert_str_eq(tu_str(ev, "type"), "l2c.lead.create");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "data"), "from")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "data"), "actor")));
    ck_assert_str_eq(tu_str(ev, "data.to"), "new");
    ck_assert_str_eq(tu_str(ev, "data.record.state"), "new");
    ck_assert_int_eq(tu_num(ev, "data.record.version"), 1);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_event_source_is_the_engine_name)
{
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    opts.name = "urn:acme:crm";
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), 0);
    cJSON *r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'A'}}"));
    ck_assert_str_eq(tu_str(r, "events.0.source"), "urn:acme:crm");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'events'}"));
    ck_assert_str_eq(tu_str(r, "events.0.source"), "urn:acme:crm");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_cascades_share_the_cause_of_the_first_event)
{
    l2c_engine *e = tu_engine();
    new_lead(e, "A");
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}"));
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{"
                          "'opportunity':{'name':'Deal'}}}"));
    static const char *const types[] = {"l2c.lead.convert", "l2c.account.create",
                                        "l2c.opportunity.create"};
    static const char *const subjects[] = {"L-000001", "ACC-000001", "OPP-000001"};
    ck_assert_int_eq(tu_len(r, "events"), 3);
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(tu_str(r, P("events.%d.type", i)), types[i]);
        ck_assert_str_eq(tu_str(r, P("events.%d.subject", i)), subjects[i]);
        ck_assert_str_eq(tu_str(r, P("events.%d.data.cause", i)), "3");
    }
    ck_assert_str_eq(seqs(r), "3,4,5");
    cJSON_Delete(r);
    /* quote accept: quote accept, order create, opportunity win, one cause */
    l2c_engine_free(e);
    e = tu_engine();
    tu_confirmed_order(e);
    r = tu_ok(e, J("{'op':'events','topic':'l2c/v1/sales/+/+/+'}"));
    int n = tu_len(r, "events"), found = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(tu_str(r, P("events.%d.type", i)), "l2c.quote.accept") != 0)
            continue;
        const char *cause = tu_str(r, P("events.%d.sequence", i));
        ck_assert_str_eq(tu_str(r, P("events.%d.data.cause", i)), cause);
        ck_assert_str_eq(tu_str(r, P("events.%d.type", i + 1)), "l2c.order.create");
        ck_assert_str_eq(tu_str(r, P("events.%d.data.cause", i + 1)), cause);
        ck_assert_str_eq(tu_str(r, P("events.%d.type", i + 2)), "l2c.opportunity.win");
        ck_assert_str_eq(tu_str(r, P("events.%d.data.cause", i + 2)), cause);
        ck_assert_int_eq(atoi(tu_str(r, P("events.%d.sequence", i + 2))), atoi(cause) + 2);
        found++;
    }
    ck_assert_int_eq(found, 1);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- lists ---- */

START_TEST(test_list_returns_records_in_creation_order)
{
    l2c_engine *e = tu_engine();
    static const char *const given[] = {"zeta", "alpha", NULL, "L-000009", "mid", NULL};
    const char *want[] = {"zeta", "alpha", "L-000001", "L-000009", "mid", "L-000002"};
    for (size_t i = 0; i < 6; i++) {
        if (given[i])
            ok(e, J("{'op':'create','type':'lead','id':'%s','data':{'name':'n%zu'}}", given[i], i));
        else
            new_lead(e, "g");
    }
    ok(e, J("{'op':'fire','type':'lead','id':'alpha','event':'contact'}"));
    ok(e, J("{'op':'fire','type':'lead','id':'mid','event':'contact'}"));
    cJSON *r = tu_ok(e, J("{'op':'list','type':'lead'}"));
    ck_assert_int_eq(tu_len(r, "entities"), 6);
    for (int i = 0; i < 6; i++)
        ck_assert_str_eq(tu_str(r, P("entities.%d.id", i)), want[i]);
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'list','type':'lead','state':'working'}"));
    ck_assert_int_eq(tu_len(r, "entities"), 2);
    ck_assert_str_eq(tu_str(r, "entities.0.id"), "alpha");
    ck_assert_str_eq(tu_str(r, "entities.1.id"), "mid");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'list','type':'lead','state':'converted'}"));
    ck_assert_int_eq(tu_len(r, "entities"), 0);
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'list','type':'invoice'}"));
    ck_assert_int_eq(tu_len(r, "entities"), 0);
    cJSON_Delete(r);
    /* a state of another type, or of none */
    tu_fails_unchanged(e, J("{'op':'list','type':'lead','state':'paid'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'list','type':'lead','state':'Working'}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'list','type':'lead','state':3}"), "invalid_argument",
                       "field.invalid");
    tu_fails_unchanged(e, J("{'op':'list','type':'leads'}"), "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'list'}"), "invalid_argument", "field.required");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("ids");
    tcase_add_test(tc, test_generated_ids_count_per_type_with_six_digits);
    tcase_add_test(tc, test_generated_ids_skip_taken_ones);
    tcase_add_test(tc, test_failed_command_gives_back_drawn_ids);
    tcase_add_test(tc, test_given_id_format_rules);
    suite_add_tcase(s, tc);
    tc = tcase_create("versions");
    tcase_add_test(tc, test_version_rises_by_one_per_event);
    tcase_add_test(tc, test_stale_version_is_conflict_without_rule);
    tcase_add_test(tc, test_update_is_one_event_even_without_change);
    tcase_add_test(tc, test_changing_a_non_updatable_field_is_immutable);
    tcase_add_test(tc, test_unknown_keys_in_data_are_ignored);
    suite_add_tcase(s, tc);
    tc = tcase_create("protocol");
    tcase_add_test(tc, test_bad_json_and_trailing_text_are_parse_errors);
    tcase_add_test(tc, test_non_object_command_is_field_invalid);
    tcase_add_test(tc, test_missing_op_is_required_and_unknown_op_invalid);
    tcase_add_test(tc, test_type_event_and_id_are_checked_in_that_order);
    tcase_add_test(tc, test_record_checks_come_in_contract_order);
    tcase_add_test(tc, test_cascade_only_events_are_invalid_transition_from_clients);
    suite_add_tcase(s, tc);
    tc = tcase_create("batch");
    tcase_add_test(tc, test_batch_is_all_or_nothing_with_error_index);
    tcase_add_test(tc, test_nested_batch_failure_reports_the_top_level_index);
    tcase_add_test(tc, test_batch_needs_an_array_of_objects);
    tcase_add_test(tc, test_batch_rolls_back_the_clock);
    suite_add_tcase(s, tc);
    tc = tcase_create("events");
    tcase_add_test(tc, test_events_after_and_limit_take_integers_or_decimal_strings);
    tcase_add_test(tc, test_events_topic_patterns_select_events);
    tcase_add_test(tc, test_events_invalid_topic_patterns_are_field_invalid);
    tcase_add_test(tc, test_cloudevents_envelope_fields);
    tcase_add_test(tc, test_event_source_is_the_engine_name);
    tcase_add_test(tc, test_cascades_share_the_cause_of_the_first_event);
    suite_add_tcase(s, tc);
    tc = tcase_create("clock");
    tcase_add_test(tc, test_clock_set_and_read_back);
    tcase_add_test(tc, test_clock_converts_offsets_to_utc_and_drops_fractions);
    tcase_add_test(tc, test_invalid_clock_is_field_invalid);
    suite_add_tcase(s, tc);
    tc = tcase_create("list");
    tcase_add_test(tc, test_list_returns_records_in_creation_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
