/* The order record through l2c_exec_json: orders made by accept and
 * directly, update, confirm, hold/release, fulfill and the `complete`
 * cascade, close, cancel and its rules, and the derived invoiced
 * quantities and statuses (DESIGN §2 order). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

/* tu_confirmed_order: SO-000001 (v2, confirmed) with line 1: 2 x 4800.00
 * at 25% off, 21% tax (8712.00) and line 2: 1 x 950.00, 21% tax (1149.50). */
#define SO "SO-000001"

static l2c_engine *confirmed(void)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    return e;
}

static void ofire(l2c_engine *e, const char *event, const char *data)
{
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'%s','data':%s}", event,
            data ? data : "null"));
}

static void fulfill(l2c_engine *e, const char *lines)
{
    ofire(e, "fulfill", J("{'lines':%s}", lines));
}

/* An invoice `id` of SO-000001 with `lines` (JSON, or NULL for all that is left). */
static void invoice(l2c_engine *e, const char *id, const char *lines, int issue)
{
    ok(e, J("{'op':'create','type':'invoice','id':'%s','data':{'order':'SO-000001','lines':%s}}",
            id,
            lines ? lines : "null"));
    if (issue)
        ok(e, J("{'op':'fire','type':'invoice','id':'%s','event':'issue'}", id));
}

/* A direct draft order SO-000001 of a new account ACC-000001. */
static l2c_engine *direct_draft(void)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001','lines':["
            "{'sku':'A','qty':3,'unit_price':'10.00'},{'sku':'B','qty':'0.5',"
            "'unit_price':'4.00'}]}}"));
    return e;
}

static void refused(l2c_engine *e, const char *event)
{
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'order','id':'SO-000001','event':'%s',"
                         "'data':{'reason':'r','lines':[{'line':1,'qty':1}]}," FIN "}",
                         event),
                       "invalid_transition", NULL);
}

/* ---- orders made by accept ---- */

START_TEST(order_from_a_quote_starts_in_draft_and_confirms)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    cJSON *r = tu_ok(e, J("{'op':'events','after':12}"));
    ck_assert_str_eq(evs(r), "order.confirm SO-000001 confirmed v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "draft");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.quote"), "Q-000001");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_int_eq(tu_len(r, "entity.lines"), 2);
    ck_assert_int_eq(tu_num(r, "entity.lines.1.line"), 2);
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.ordered"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "7200.00");
    ck_assert_str_eq(tu_str(r, "entity.total"), "9861.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(order_from_a_quote_keeps_its_locked_prices)
{
    /* even in draft, the lines of an order from a quote cannot be changed */
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'D'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','lines':[{'qty':1,"
            "'unit_price':'5.00'}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'send'}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}"));
    tu_fails_unchanged(e,
                       J("{'op':'update','type':'order','id':'SO-000001',"
                         "'data':{'lines':[{'qty':1,'unit_price':'1.00'}]}}"),
                       "invalid_argument", "field.immutable");
    /* an update without lines is still an event */
    cJSON *r = tu_ok(e, J("{'op':'update','type':'order','id':'SO-000001','data':{}}"));
    ck_assert_str_eq(evs(r), "order.update SO-000001 draft v2");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- direct orders ---- */

START_TEST(direct_order_shows_qty_ordered_fulfilled_and_invoiced)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Sato','currency':'JPY'}}"));
    cJSON *r = tu_ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                          "'currency':'JPY',"
                          "'lines':[{'sku':'A','qty':3,'unit_price':1000,'tax_rate_pct':10},"
                          "{'sku':'B','qty':'0.25','unit_price':'333'}]}}"));
    ck_assert_str_eq(evs(r), "order.create SO-000001 draft v1");
    ck_assert_ptr_null(tu_str(r, "entity.quote"));
    ck_assert_str_eq(tu_str(r, "entity.currency"), "JPY");
    ck_assert_int_eq(tu_num(r, "entity.lines.0.line"), 1);
    ck_assert_int_eq(tu_num(r, "entity.lines.1.line"), 2);
    ck_assert_str_eq(tu_str(r, "entity.lines.1.qty"), "0.25");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.ordered"), "0.25");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.fulfilled"), "0");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.invoiced"), "0");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.net"), "83"); /* 83.25 */
    ck_assert_str_eq(tu_str(r, "entity.total"), "3383");
    ck_assert_str_eq(tu_str(r, "entity.fulfillment_status"), "none");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "none");
    ck_assert_ptr_null(tu_str(r, "entity.reason"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(direct_order_refuses_missing_and_bad_data)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'lines':[{'qty':1,"
                            "'unit_price':1}]}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                            "'lines':[]}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                            "'lines':'A'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                         "'lines':[{'sku':'X','qty':1,'unit_price':19.99}]}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                         "'currency':'USD','lines':[{'qty':1,'unit_price':1}]}}"),
                       "invalid_argument", "currency.mismatch");
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'account':'ACC-9',"
                            "'lines':[{'qty':1,'unit_price':1}]}}"),
                       "not_found", NULL);
    /* a quote given by a client is not a way to make an order */
    tu_fails_unchanged(e, J("{'op':'create','type':'order','data':{'quote':'Q-000001'}}"),
                       "invalid_argument", "field.required");
    l2c_engine_free(e);
}
END_TEST

START_TEST(direct_order_lines_change_in_draft_only)
{
    l2c_engine *e = direct_draft();
    cJSON *r = tu_ok(e, J("{'op':'update','type':'order','id':'SO-000001',"
                          "'data':{'lines':[{'sku':'C','qty':2,'unit_price':'7.50'}]}}"));
    ck_assert_str_eq(evs(r), "order.update SO-000001 draft v2");
    ck_assert_int_eq(tu_len(r, "entity.lines"), 1);
    ck_assert_str_eq(tu_str(r, "entity.total"), "15.00");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'update','type':'order','id':'SO-000001','data':{'lines':[]}}"),
                       "invalid_argument", "field.required");
    static const char *imm[] = {"'account':'ACC-000001'", "'currency':'EUR'", "'quote':null",
                                "'fulfillment_status':'full'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'order','id':'SO-000001','data':{%s}}",
                                imm[i]),
                           "invalid_argument", "field.immutable");
    ofire(e, "confirm", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'update','type':'order','id':'SO-000001',"
                         "'data':{'lines':[{'qty':1,'unit_price':1}]}}"),
                       "invalid_argument", "field.immutable");
    l2c_engine_free(e);
}
END_TEST

/* ---- hold, release ---- */

START_TEST(hold_and_release_need_no_role)
{
    l2c_engine *e = confirmed();
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'hold'}"));
    ck_assert_str_eq(evs(r), "order.hold SO-000001 on_hold v3");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'release'}"));
    ck_assert_str_eq(evs(r), "order.release SO-000001 confirmed v4");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- fulfill and complete ---- */

START_TEST(fulfill_adds_quantities_per_line)
{
    l2c_engine *e = confirmed();
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                          "'data':{'lines':[{'line':1,'qty':1}]}}"));
    ck_assert_str_eq(evs(r), "order.fulfill SO-000001 confirmed v3");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "confirmed");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.fulfilled"), "1");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.fulfilled"), "0");
    ck_assert_str_eq(tu_str(r, "entity.fulfillment_status"), "partial");
    cJSON_Delete(r);
    /* one line named twice adds up */
    r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                   "'data':{'lines':[{'line':2,'qty':'0.5'},{'line':1,'qty':1},{'line':2,"
                   "'qty':'0.5'}]}}"));
    ck_assert_str_eq(evs(r), "order.fulfill SO-000001 confirmed v4");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.fulfilled"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.fulfilled"), "1");
    ck_assert_str_eq(tu_str(r, "entity.fulfillment_status"), "full");
    ck_assert_str_eq(tu_str(r, "entity.state"), "confirmed"); /* nothing invoiced yet */
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(fulfill_refuses_more_than_ordered)
{
    l2c_engine *e = confirmed();
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                            "'data':{'lines':[{'line':1,'qty':3}]}}"),
                       "guard_rejected", "order.overfulfillment");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                         "'data':{'lines':[{'line':2,'qty':'0.6'},{'line':2,'qty':'0.401'}]}}"),
                       "guard_rejected", "order.overfulfillment");
    fulfill(e, "[{'line':1,'qty':'1.999'}]");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                            "'data':{'lines':[{'line':1,'qty':'0.002'}]}}"),
                       "guard_rejected", "order.overfulfillment");
    fulfill(e, "[{'line':1,'qty':'0.001'}]");
    expect_str(e, "order", SO, "lines.0.fulfilled", "2");
    l2c_engine_free(e);
}
END_TEST

START_TEST(fulfill_refuses_bad_lines)
{
    l2c_engine *e = confirmed();
    static const struct {
        const char *data;
        const char *rule;
    } bad[] = {
        {"{}", "field.required"},
        {"{'lines':[]}", "field.required"},
        {"{'lines':{'line':1}}", "field.invalid"},
        {"{'lines':[{'qty':1}]}", "field.required"},
        {"{'lines':[{'line':1}]}", "field.required"},
        {"{'lines':[{'line':3,'qty':1}]}", "field.invalid"},
        {"{'lines':[{'line':0,'qty':1}]}", "field.invalid"},
        {"{'lines':[{'line':1,'qty':0}]}", "field.invalid"},
        {"{'lines':[{'line':1,'qty':0.5}]}", "field.invalid"},
        {"{'lines':[{'line':1.5,'qty':1}]}", "field.invalid"},
        {"{'lines':[{'line':1,'qty':'0.0001'}]}", "field.invalid"},
        {"{'lines':[{'line':1,'qty':'-1'}]}", "field.invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                             "'data':%s}", bad[i].data),
                           "invalid_argument", bad[i].rule);
    l2c_engine_free(e);
}
END_TEST

START_TEST(fulfill_completes_an_order_invoiced_in_full)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", NULL, 1);
    fulfill(e, "[{'line':2,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                          "'data':{'lines':[{'line':1,'qty':2}]}}"));
    ck_assert_str_eq(evs(r), "order.fulfill SO-000001 confirmed v4, "
                             "order.complete SO-000001 completed v5");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "confirmed");
    ck_assert_str_eq(tu_str(r, "entity.state"), "completed");
    ck_assert_int_eq(tu_num(r, "entity.version"), 5);
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "full");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(draft_invoices_do_not_complete_an_order)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':1,'qty':2}]", 1);
    invoice(e, "INV-2", NULL, 0);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
                          "'data':{'lines':[{'line':1,'qty':2},{'line':2,'qty':1}]}}"));
    ck_assert_str_eq(evs(r), "order.fulfill SO-000001 confirmed v3");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "full");
    cJSON_Delete(r);
    /* issuing the last invoice completes it */
    r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'issue'}"));
    ck_assert_str_eq(evs(r), "invoice.issue INV-2 issued v2, "
                             "order.complete SO-000001 completed v4");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(complete_fired_by_a_client_is_invalid_transition)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", NULL, 1);
    fulfill(e, "[{'line':1,'qty':2}]");
    /* fully invoiced, not fully fulfilled: still a cascade-only event */
    refused(e, "complete");
    fulfill(e, "[{'line':2,'qty':1}]");
    expect(e, "order", SO, "completed", 5);
    refused(e, "complete");
    l2c_engine_free(e);
}
END_TEST

/* ---- close ---- */

START_TEST(close_short_closes_and_needs_a_reason)
{
    l2c_engine *e = confirmed();
    fulfill(e, "[{'line':1,'qty':1}]");
    invoice(e, "INV-1", "[{'order_line':1,'qty':1}]", 1);
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'close'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'close',"
                            "'data':{'reason':''}}"),
                       "invalid_argument", "field.required");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'close',"
                          "'data':{'reason':'customer stopped'}}"));
    ck_assert_str_eq(evs(r), "order.close SO-000001 closed v4");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "customer stopped");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.ordered"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.fulfilled"), "1");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.invoiced"), "1");
    ck_assert_str_eq(tu_str(r, "entity.fulfillment_status"), "partial");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "partial");
    cJSON_Delete(r);
    /* nothing more is fulfilled or invoiced */
    refused(e, "fulfill");
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"),
                       "guard_rejected", "order.not_confirmed");
    l2c_engine_free(e);
}
END_TEST

/* ---- cancel ---- */

START_TEST(cancel_from_draft_confirmed_and_on_hold)
{
    l2c_engine *e = direct_draft();
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"));
    ck_assert_str_eq(evs(r), "order.cancel SO-000001 cancelled v2");
    cJSON_Delete(r);
    l2c_engine_free(e);
    e = confirmed();
    r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"));
    ck_assert_str_eq(evs(r), "order.cancel SO-000001 cancelled v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
    e = confirmed();
    ofire(e, "hold", NULL);
    r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"));
    ck_assert_str_eq(evs(r), "order.cancel SO-000001 cancelled v4");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "on_hold");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(cancel_refused_with_fulfillment)
{
    l2c_engine *e = confirmed();
    fulfill(e, "[{'line':2,'qty':'0.001'}]");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"),
                       "guard_rejected", "order.has_fulfillment");
    /* fulfillment is checked before invoices */
    invoice(e, "INV-1", NULL, 0);
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"),
                       "guard_rejected", "order.has_fulfillment");
    l2c_engine_free(e);
}
END_TEST

START_TEST(cancel_refused_with_invoices_that_are_not_void)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':2,'qty':1}]", 0);
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"),
                       "guard_rejected", "order.has_invoices");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    ofire(e, "hold", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"),
                       "guard_rejected", "order.has_invoices");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    ofire(e, "cancel", NULL);
    expect(e, "order", SO, "cancelled", 4);
    l2c_engine_free(e);
}
END_TEST

/* ---- refusals by state ---- */

START_TEST(refused_transitions_in_every_state)
{
    l2c_engine *e = direct_draft();
    static const char *draft[] = {"hold", "release", "fulfill", "complete", "close"};
    for (size_t i = 0; i < 5; i++)
        refused(e, draft[i]);
    l2c_engine_free(e);

    e = confirmed();
    refused(e, "confirm");
    refused(e, "release");
    ofire(e, "hold", NULL);
    static const char *hold[] = {"confirm", "hold", "fulfill", "complete", "close"};
    for (size_t i = 0; i < 5; i++)
        refused(e, hold[i]);
    l2c_engine_free(e);

    static const char *all[] = {"confirm",  "hold",  "release", "fulfill",
                                "complete", "close", "cancel"};
    for (int end = 0; end < 3; end++) {
        e = confirmed();
        if (end == 0) {
            ofire(e, "cancel", NULL);
        } else if (end == 1) {
            ofire(e, "close", "{'reason':'r'}");
        } else {
            invoice(e, "INV-1", NULL, 1);
            fulfill(e, "[{'line':1,'qty':2},{'line':2,'qty':1}]");
        }
        for (size_t i = 0; i < 7; i++)
            refused(e, all[i]);
        tu_fails_unchanged(e, J("{'op':'update','type':'order','id':'SO-000001','data':{}}"),
                           "invalid_argument", "field.immutable");
        l2c_engine_free(e);
    }
}
END_TEST

/* ---- derived amounts ---- */

START_TEST(invoiced_counts_every_invoice_that_is_not_void_without_new_versions)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':1,'qty':1}]", 0);
    cJSON *r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.invoiced"), "1");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "partial");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    invoice(e, "INV-2", NULL, 1);
    r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.invoiced"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.invoiced"), "1");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "full");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'void'," FIN "}"));
    r = tu_ok(e, J("{'op':'get','type':'order','id':'SO-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.invoiced"), "1");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.invoiced"), "0");
    ck_assert_str_eq(tu_str(r, "entity.billing_status"), "partial");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    expect_str(e, "order", SO, "billing_status", "none");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("order");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, order_from_a_quote_starts_in_draft_and_confirms);
    tcase_add_test(tc, order_from_a_quote_keeps_its_locked_prices);
    tcase_add_test(tc, direct_order_shows_qty_ordered_fulfilled_and_invoiced);
    tcase_add_test(tc, direct_order_refuses_missing_and_bad_data);
    tcase_add_test(tc, direct_order_lines_change_in_draft_only);
    suite_add_tcase(s, tc);
    tc = tcase_create("transitions");
    tcase_add_test(tc, hold_and_release_need_no_role);
    tcase_add_test(tc, fulfill_adds_quantities_per_line);
    tcase_add_test(tc, fulfill_refuses_more_than_ordered);
    tcase_add_test(tc, fulfill_refuses_bad_lines);
    tcase_add_test(tc, fulfill_completes_an_order_invoiced_in_full);
    tcase_add_test(tc, draft_invoices_do_not_complete_an_order);
    tcase_add_test(tc, complete_fired_by_a_client_is_invalid_transition);
    tcase_add_test(tc, close_short_closes_and_needs_a_reason);
    tcase_add_test(tc, cancel_from_draft_confirmed_and_on_hold);
    tcase_add_test(tc, cancel_refused_with_fulfillment);
    tcase_add_test(tc, cancel_refused_with_invoices_that_are_not_void);
    tcase_add_test(tc, refused_transitions_in_every_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("derived");
    tcase_add_test(tc, invoiced_counts_every_invoice_that_is_not_void_without_new_versions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
