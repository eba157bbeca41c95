/* The invoice record through l2c_exec_json: lines from the order (default
 * and explicit), the limits against the order, issue with its dates and
 * cascades, overdue, disputes, void, write-off, the sweep, and the derived
 * amounts (DESIGN §2 invoice, §6 invoices). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

/* tu_confirmed_order: SO-000001 with line 1: 2 x 4800.00 at 25% off, 21%
 * tax (8712.00) and line 2: 1 x 950.00, 21% tax (1149.50); total 9861.50.
 * Account ACC-000001 with 30 days of terms. */
#define SO "SO-000001"

static l2c_engine *confirmed(void)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    return e;
}

static void invoice(l2c_engine *e, const char *id, const char *lines)
{
    ok(e, J("{'op':'create','type':'invoice','id':'%s','data':{'order':'SO-000001','lines':%s}}",
            id,
            lines ? lines : "null"));
}

static void ifire(l2c_engine *e, const char *id, const char *event, const char *rest)
{
    ok(e, J("{'op':'fire','type':'invoice','id':'%s','event':'%s'%s}", id, event, rest));
}

static void issued(l2c_engine *e, const char *id, const char *lines)
{
    invoice(e, id, lines);
    ifire(e, id, "issue", "");
}

static void clock(l2c_engine *e, const char *now) { ok(e, J("{'op':'clock','now':'%s'}", now)); }

static void pay(l2c_engine *e, const char *inv, const char *amount)
{
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'%s',"
            "'allocations':[{'invoice':'%s','amount':'%s'}]}}",
            amount, inv, amount));
}

static void refused(l2c_engine *e, const char *id, const char *event)
{
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'invoice','id':'%s','event':'%s',"
                         "'data':{'reason':'other'}," FIN "}",
                         id, event),
                       "invalid_transition", NULL);
}

/* ---- create ---- */

START_TEST(create_without_lines_takes_everything_not_yet_invoiced)
{
    l2c_engine *e = confirmed();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ck_assert_str_eq(evs(r), "invoice.create INV-000001 draft v1");
    ck_assert_str_eq(tu_str(r, "entity.order"), SO);
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_int_eq(tu_len(r, "entity.lines"), 2);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.line"), 1);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.order_line"), 1);
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "4800.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.discount_pct"), "25");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "7200.00");
    ck_assert_int_eq(tu_num(r, "entity.lines.1.order_line"), 2);
    ck_assert_str_eq(tu_str(r, "entity.subtotal"), "8150.00");
    ck_assert_str_eq(tu_str(r, "entity.tax"), "1711.50");
    ck_assert_str_eq(tu_str(r, "entity.total"), "9861.50");
    ck_assert_str_eq(tu_str(r, "entity.paid"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.credited"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.written_off"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "9861.50");
    ck_assert_ptr_null(tu_str(r, "entity.issue_date"));
    ck_assert_ptr_null(tu_str(r, "entity.due_date"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(default_lines_take_only_what_is_left)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':1,'qty':'0.5'}]");
    cJSON *r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 2);
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "1.5");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "5400.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
    /* a line fully invoiced is left out; the rest is renumbered from 1 */
    e = confirmed();
    invoice(e, "INV-1", "[{'order_line':1,'qty':2}]");
    r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 1);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.line"), 1);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.order_line"), 2);
    ck_assert_str_eq(tu_str(r, "entity.total"), "1149.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(two_lines_naming_one_order_line_add_up)
{
    l2c_engine *e = confirmed();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001','lines':["
                          "{'order_line':2,'qty':'0.5'},{'order_line':1,'qty':1},{'order_line':1,"
                          "'qty':1}]}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 3);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.order_line"), 2);
    ck_assert_int_eq(tu_num(r, "entity.lines.2.line"), 3);
    ck_assert_int_eq(tu_num(r, "entity.lines.2.order_line"), 1);
    ck_assert_str_eq(tu_str(r, "entity.lines.0.total"), "574.75");
    ck_assert_str_eq(tu_str(r, "entity.total"), "9286.75");
    cJSON_Delete(r);
    expect_str(e, "order", SO, "lines.0.invoiced", "2");
    expect_str(e, "order", SO, "lines.1.invoiced", "0.5");
    /* their sum counts against the order */
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'invoice','data':{'order':'SO-000001','lines':["
                         "{'order_line':2,'qty':'0.25'},{'order_line':2,'qty':'0.251'}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_missing_and_bad_data)
{
    l2c_engine *e = confirmed();
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{}}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-404'}}"),
                       "not_found", NULL);
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'currency':'JPY'}}"),
                       "invalid_argument", "currency.mismatch");
    static const struct {
        const char *lines;
        const char *rule;
    } bad[] = {
        {"'x'", "field.invalid"},
        {"[3]", "field.invalid"},
        {"[{'qty':1}]", "field.required"},
        {"[{'order_line':1}]", "field.required"},
        {"[{'order_line':3,'qty':1}]", "field.invalid"},
        {"[{'order_line':0,'qty':1}]", "field.invalid"},
        {"[{'order_line':'one','qty':1}]", "field.invalid"},
        {"[{'order_line':1,'qty':0}]", "field.invalid"},
        {"[{'order_line':1,'qty':1.5}]", "field.invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                             "'lines':%s}}", bad[i].lines),
                           "invalid_argument", bad[i].rule);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_needs_a_confirmed_order)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
            "'lines':[{'qty':1,'unit_price':'5.00'}]}}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"),
                       "guard_rejected", "order.not_confirmed");
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'hold'}"));
    /* not_confirmed comes before exceeds_order */
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'lines':[{'order_line':1,'qty':5}]}}"),
                       "guard_rejected", "order.not_confirmed");
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'release'}"));
    cJSON *r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ck_assert_str_eq(evs(r), "invoice.create INV-000001 draft v1");
    cJSON_Delete(r);
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'void'," FIN "}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'cancel'}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"),
                       "guard_rejected", "order.not_confirmed");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_more_than_ordered_counting_drafts)
{
    l2c_engine *e = confirmed();
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'lines':[{'order_line':1,'qty':3}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    invoice(e, "INV-D", "[{'order_line':1,'qty':1}]"); /* a draft */
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'lines':[{'order_line':1,'qty':'1.001'}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    /* exceeds_order comes before empty-ness of the rest */
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                         "'lines':[{'order_line':2,'qty':1},{'order_line':1,'qty':2}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    invoice(e, "INV-2", "[{'order_line':1,'qty':1}]");
    expect(e, "invoice", "INV-2", "draft", 1);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_an_empty_invoice)
{
    l2c_engine *e = confirmed();
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'lines':[]}}"),
                       "guard_rejected", "invoice.empty");
    invoice(e, "INV-1", NULL);
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"),
                       "guard_rejected", "invoice.empty");
    /* explicit lines past what is left are exceeds_order, not empty */
    tu_fails_unchanged(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001',"
                            "'lines':[{'order_line':2,'qty':1}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    l2c_engine_free(e);
}
END_TEST

START_TEST(void_frees_its_quantities)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    ifire(e, "INV-1", "void", "," FIN);
    expect_str(e, "order", SO, "lines.0.invoiced", "0");
    cJSON *r = tu_ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ck_assert_str_eq(tu_str(r, "entity.total"), "9861.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_changes_lines_in_draft_under_the_same_rules)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':1,'qty':1}]");
    invoice(e, "INV-2", "[{'order_line':1,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'invoice','id':'INV-1',"
                          "'data':{'lines':[{'order_line':2,'qty':1}]}}"));
    ck_assert_str_eq(evs(r), "invoice.update INV-1 draft v2");
    ck_assert_str_eq(tu_str(r, "entity.total"), "1149.50");
    cJSON_Delete(r);
    /* this invoice's own lines do not count against it */
    tu_fails_unchanged(e, J("{'op':'update','type':'invoice','id':'INV-2',"
                            "'data':{'lines':[{'order_line':1,'qty':'2.001'}]}}"),
                       "guard_rejected", "invoice.exceeds_order");
    r = tu_ok(e, J("{'op':'update','type':'invoice','id':'INV-2','data':{'lines':[{'order_line':1,"
                   "'qty':2}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "2");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'update','type':'invoice','id':'INV-1','data':{'lines':[]}}"),
                       "guard_rejected", "invoice.empty");
    /* lines null: everything left, this invoice's own lines included */
    r = tu_ok(e, J("{'op':'update','type':'invoice','id':'INV-1','data':{'lines':null}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 1);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.order_line"), 2);
    cJSON_Delete(r);
    /* an order that is not confirmed takes no changes */
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'hold'}"));
    tu_fails_unchanged(e, J("{'op':'update','type':'invoice','id':'INV-1',"
                            "'data':{'lines':[{'order_line':2,'qty':'0.5'}]}}"),
                       "guard_rejected", "order.not_confirmed");
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_refuses_other_fields_and_issued_invoices)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", NULL);
    static const char *imm[] = {"'order':'SO-000001'", "'account':'ACC-000001'", "'currency':'EUR'",
                                "'issue_date':'2026-04-01'", "'due_date':'2026-05-01'",
                                "'balance':'0.00'", "'reason':'other'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'invoice','id':'INV-1','data':{%s}}",
                                imm[i]),
                           "invalid_argument", "field.immutable");
    ifire(e, "INV-1", "issue", "");
    tu_fails_unchanged(e, J("{'op':'update','type':'invoice','id':'INV-1',"
                            "'data':{'lines':[{'order_line':2,'qty':1}]}}"),
                       "invalid_argument", "field.immutable");
    l2c_engine_free(e);
}
END_TEST

/* ---- issue ---- */

START_TEST(issue_sets_issue_date_today_and_due_date_by_terms)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", "[{'order_line':2,'qty':1}]");
    clock(e, "2026-04-20T23:59:59+00:00");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "invoice.issue INV-1 issued v2");
    ck_assert_str_eq(tu_str(r, "entity.issue_date"), "2026-04-20");
    ck_assert_str_eq(tu_str(r, "entity.due_date"), "2026-05-20");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "1149.50");
    cJSON_Delete(r);
    /* terms of the account at issue time; 0 days is due the same day */
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'payment_terms_days':0}}"));
    invoice(e, "INV-2", "[{'order_line':1,'qty':1}]");
    clock(e, "2026-12-31T10:00:00-05:00"); /* 15:00 UTC */
    r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'issue'}"));
    ck_assert_str_eq(tu_str(r, "entity.issue_date"), "2026-12-31");
    ck_assert_str_eq(tu_str(r, "entity.due_date"), "2026-12-31");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(an_invoice_of_total_zero_is_paid_when_issued)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001','lines':["
            "{'sku':'FREE','qty':2,'unit_price':'10.00','discount_pct':100},{'sku':'X','qty':1,"
            "'unit_price':0}]}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
            "'data':{'lines':[{'line':1,'qty':2},{'line':2,'qty':1}]}}"));
    invoice(e, "INV-0", "[{'order_line':1,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-0','event':'issue'}"));
    ck_assert_str_eq(evs(r), "invoice.issue INV-0 issued v2, invoice.settle INV-0 paid v3");
    ck_assert_str_eq(tu_str(r, "entity.state"), "paid");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.paid"), "0.00");
    cJSON_Delete(r);
    /* the last invoice settles, then its order completes */
    invoice(e, "INV-1", NULL);
    r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "invoice.issue INV-1 issued v2, invoice.settle INV-1 paid v3, "
                             "order.complete SO-000001 completed v4");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- overdue, dispute, resolve ---- */

START_TEST(mark_overdue_only_after_the_due_date)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL); /* due 2026-05-01 */
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'mark_overdue'}"),
                       "guard_rejected", "invoice.not_due");
    clock(e, "2026-05-01T23:59:59Z");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'mark_overdue'}"),
                       "guard_rejected", "invoice.not_due");
    clock(e, "2026-05-02T00:00:00Z");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'mark_overdue'}"));
    ck_assert_str_eq(evs(r), "invoice.mark_overdue INV-1 overdue v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(dispute_takes_one_of_the_listed_reasons)
{
    static const char *reasons[] = {"pricing", "quantity", "not_ordered", "not_delivered",
                                    "quality", "other"};
    for (size_t i = 0; i < 6; i++) {
        l2c_engine *e = confirmed();
        issued(e, "INV-1", NULL);
        cJSON *r = tu_ok(e,
                         J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
                           "'data':{'reason':'%s'}}", reasons[i]));
        ck_assert_str_eq(evs(r), "invoice.dispute INV-1 disputed v3");
        ck_assert_str_eq(tu_str(r, "entity.reason"), reasons[i]);
        cJSON_Delete(r);
        l2c_engine_free(e);
    }
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
                            "'data':{'reason':'too expensive'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
                            "'data':{'reason':'Pricing'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
                            "'data':{'reason':''}}"),
                       "invalid_argument", "field.required");
    l2c_engine_free(e);
}
END_TEST

START_TEST(resolve_returns_to_issued_before_the_due_date)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    ifire(e, "INV-1", "dispute", ",'data':{'reason':'pricing'}");
    clock(e, "2026-05-01T12:00:00Z");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'resolve'}"));
    ck_assert_str_eq(evs(r), "invoice.resolve INV-1 issued v4");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "disputed");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "pricing");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(resolve_goes_to_overdue_past_the_due_date)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    ifire(e, "INV-1", "dispute", ",'data':{'reason':'quality'}");
    clock(e, "2026-05-02T00:00:00Z");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'resolve'}"));
    ck_assert_str_eq(evs(r), "invoice.resolve INV-1 overdue v4");
    cJSON_Delete(r);
    /* disputed again from overdue */
    ifire(e, "INV-1", "dispute", ",'data':{'reason':'other'}");
    expect(e, "invoice", "INV-1", "disputed", 5);
    expect_str(e, "invoice", "INV-1", "reason", "other");
    l2c_engine_free(e);
}
END_TEST

START_TEST(sweep_marks_issued_invoices_overdue_but_never_disputed_ones)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-B", "[{'order_line':1,'qty':1}]");
    issued(e, "INV-D", "[{'order_line':1,'qty':'0.5'}]");
    ifire(e, "INV-D", "dispute", ",'data':{'reason':'quantity'}");
    invoice(e, "INV-DRAFT", "[{'order_line':2,'qty':'0.5'}]");
    clock(e, "2026-04-15T00:00:00Z");
    issued(e, "INV-LATE", "[{'order_line':1,'qty':'0.5'}]"); /* due 2026-05-15 */
    issued(e, "INV-A", "[{'order_line':2,'qty':'0.5'}]");
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'payment_terms_days':1}}"));
    /* a sent quote of another deal expires in the same sweep, first */
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'More'}}"));
    ok(e, J("{'op':'create','type':'quote','id':'Q-X','data':{'opportunity':'OPP-000002',"
            "'valid_until':'2026-04-20',"
            "'lines':[{'qty':1,'unit_price':1}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-X','event':'send'}"));
    clock(e, "2026-05-02T00:00:00Z");
    cJSON *r = tu_ok(e, J("{'op':'sweep'}"));
    ck_assert_str_eq(evs(r), "quote.expire Q-X expired v3, invoice.mark_overdue INV-B overdue v3");
    cJSON_Delete(r);
    expect(e, "invoice", "INV-D", "disputed", 3);
    expect(e, "invoice", "INV-DRAFT", "draft", 1);
    expect(e, "invoice", "INV-LATE", "issued", 2);
    expect(e, "invoice", "INV-A", "issued", 2);
    clock(e, "2026-05-16T00:00:00Z");
    r = tu_ok(e, J("{'op':'sweep'}"));
    ck_assert_str_eq(evs(r), "invoice.mark_overdue INV-LATE overdue v3, "
                             "invoice.mark_overdue INV-A overdue v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- void ---- */

START_TEST(void_needs_finance)
{
    l2c_engine *e = confirmed();
    invoice(e, "INV-1", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," MGR "}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'}"),
                       "invalid_transition", NULL);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    ck_assert_str_eq(evs(r), "invoice.void INV-1 void v2");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.total"), "9861.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(void_from_issued_overdue_and_disputed)
{
    for (int i = 0; i < 3; i++) {
        l2c_engine *e = confirmed();
        issued(e, "INV-1", NULL);
        if (i == 1) {
            clock(e, "2026-06-01T00:00:00Z");
            ifire(e, "INV-1", "mark_overdue", "");
        } else if (i == 2) {
            ifire(e, "INV-1", "dispute", ",'data':{'reason':'not_ordered'}");
        }
        cJSON *r = tu_ok(e,
                         J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
        static const char *from[] = {"issued", "overdue", "disputed"};
        ck_assert_str_eq(tu_str(r, "events.0.data.from"), from[i]);
        ck_assert_str_eq(tu_str(r, "entity.state"), "void");
        ck_assert_int_eq(tu_len(r, "events"), 1);
        cJSON_Delete(r);
        expect_str(e, "account", "ACC-000001", "open_balance", "0.00");
        l2c_engine_free(e);
    }
}
END_TEST

START_TEST(void_refused_with_payments_or_issued_credit_notes)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    pay(e, "INV-1", "0.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"),
                       "guard_rejected", "invoice.has_payments");
    /* once the payment is reversed the invoice may be voided */
    ok(e, J("{'op':'fire','type':'payment','id':'PAY-000001','event':'reverse'," FIN "}"));
    ifire(e, "INV-1", "void", "," FIN);
    expect(e, "invoice", "INV-1", "void", 3);
    l2c_engine_free(e);

    e = confirmed();
    issued(e, "INV-1", NULL);
    ok(e, J("{'op':'create','type':'credit_note','id':'CN-1','data':{'invoice':'INV-1',"
            "'lines':[{'invoice_line':2,'qty':'0.1'}]}}"));
    /* a draft credit note does not hold it */
    ifire(e, "INV-1", "void", "," FIN);
    expect(e, "invoice", "INV-1", "void", 3);
    l2c_engine_free(e);

    e = confirmed();
    issued(e, "INV-1", NULL);
    ok(e, J("{'op':'create','type':'credit_note','id':'CN-1','data':{'invoice':'INV-1',"
            "'lines':[{'invoice_line':2,'qty':'0.1'}]}}"));
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"),
                       "guard_rejected", "invoice.has_payments");
    l2c_engine_free(e);
}
END_TEST

START_TEST(void_refused_when_the_order_is_finished)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'fulfill',"
            "'data':{'lines':[{'line':1,'qty':2},{'line':2,'qty':1}]}}"));
    expect(e, "order", SO, "completed", 4);
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"),
                       "guard_rejected", "order.finished");
    /* has_payments comes first */
    pay(e, "INV-1", "1.00");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"),
                       "guard_rejected", "invoice.has_payments");
    l2c_engine_free(e);

    e = confirmed();
    issued(e, "INV-1", "[{'order_line':1,'qty':1}]");
    invoice(e, "INV-2", "[{'order_line':2,'qty':1}]");
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'close','data':{'reason':'r'}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"),
                       "guard_rejected", "order.finished");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'void'," FIN "}"),
                       "guard_rejected", "order.finished");
    l2c_engine_free(e);
}
END_TEST

/* ---- write-off ---- */

START_TEST(write_off_leaves_balance_zero_and_keeps_what_was_left)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    pay(e, "INV-1", "861.50");
    tu_fails_unchanged(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'}"),
                       "forbidden", NULL);
    cJSON *r = tu_ok(e,
                     J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'," FIN "}"));
    ck_assert_str_eq(evs(r), "invoice.write_off INV-1 written_off v3");
    ck_assert_str_eq(tu_str(r, "entity.paid"), "861.50");
    ck_assert_str_eq(tu_str(r, "entity.written_off"), "9000.00");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "0.00");
    cJSON_Delete(r);
    expect_str(e, "account", "ACC-000001", "open_balance", "0.00");
    l2c_engine_free(e);
}
END_TEST

START_TEST(write_off_from_overdue_and_disputed)
{
    for (int i = 0; i < 2; i++) {
        l2c_engine *e = confirmed();
        issued(e, "INV-1", NULL);
        clock(e, "2026-06-01T00:00:00Z");
        ifire(e, "INV-1", "mark_overdue", "");
        if (i)
            ifire(e, "INV-1", "dispute", ",'data':{'reason':'other'}");
        cJSON *r =
            tu_ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'," FIN "}"));
        ck_assert_str_eq(tu_str(r, "events.0.data.from"), i ? "disputed" : "overdue");
        ck_assert_str_eq(tu_str(r, "entity.written_off"), "9861.50");
        cJSON_Delete(r);
        l2c_engine_free(e);
    }
}
END_TEST

/* ---- refusals by state ---- */

START_TEST(refused_transitions_in_every_state)
{
    static const struct {
        const char *state;
        const char *refused;
    } cases[] = {
        {"draft", "mark_overdue dispute resolve settle reopen write_off"},
        {"issued", "issue resolve settle reopen"},
        {"overdue", "issue mark_overdue resolve settle reopen"},
        {"disputed", "issue mark_overdue dispute settle reopen"},
        {"paid", "issue mark_overdue dispute resolve settle reopen void write_off"},
        {"void", "issue mark_overdue dispute resolve settle reopen void write_off"},
        {"written_off", "issue mark_overdue dispute resolve settle reopen void write_off"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        l2c_engine *e = confirmed();
        const char *st = cases[i].state;
        invoice(e, "INV-1", NULL);
        if (strcmp(st, "draft") && strcmp(st, "void"))
            ifire(e, "INV-1", "issue", "");
        if (!strcmp(st, "overdue") || !strcmp(st, "disputed")) {
            clock(e, "2026-06-01T00:00:00Z");
            ifire(e, "INV-1", "mark_overdue", "");
        }
        if (!strcmp(st, "disputed"))
            ifire(e, "INV-1", "dispute", ",'data':{'reason':'other'}");
        if (!strcmp(st, "paid"))
            pay(e, "INV-1", "9861.50");
        if (!strcmp(st, "void") || !strcmp(st, "written_off"))
            ifire(e, "INV-1", !strcmp(st, "void") ? "void" : "write_off", "," FIN);
        expect_str(e, "invoice", "INV-1", "state", st);
        for (const char *ev = cases[i].refused; *ev;) {
            int n = (int)strcspn(ev, " ");
            char name[32];
            snprintf(name, sizeof name, "%.*s", n, ev);
            refused(e, "INV-1", name);
            ev += n + (ev[n] == ' ');
        }
        l2c_engine_free(e);
    }
}
END_TEST

/* ---- derived amounts ---- */

START_TEST(paid_credited_and_balance_move_without_new_versions)
{
    l2c_engine *e = confirmed();
    issued(e, "INV-1", NULL);
    pay(e, "INV-1", "1000.00");
    ok(e, J("{'op':'create','type':'credit_note','id':'CN-1','data':{'invoice':'INV-1',"
            "'lines':[{'invoice_line':2,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    cJSON *r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-1'}"));
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    ck_assert_str_eq(tu_str(r, "entity.state"), "issued");
    ck_assert_str_eq(tu_str(r, "entity.paid"), "1000.00");
    ck_assert_str_eq(tu_str(r, "entity.credited"), "1149.50");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "7712.00");
    cJSON_Delete(r);
    expect_str(e, "account", "ACC-000001", "open_balance", "7712.00");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("invoice");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_without_lines_takes_everything_not_yet_invoiced);
    tcase_add_test(tc, default_lines_take_only_what_is_left);
    tcase_add_test(tc, two_lines_naming_one_order_line_add_up);
    tcase_add_test(tc, create_refuses_missing_and_bad_data);
    tcase_add_test(tc, create_needs_a_confirmed_order);
    tcase_add_test(tc, create_refuses_more_than_ordered_counting_drafts);
    tcase_add_test(tc, create_refuses_an_empty_invoice);
    tcase_add_test(tc, void_frees_its_quantities);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_changes_lines_in_draft_under_the_same_rules);
    tcase_add_test(tc, update_refuses_other_fields_and_issued_invoices);
    suite_add_tcase(s, tc);
    tc = tcase_create("issue");
    tcase_add_test(tc, issue_sets_issue_date_today_and_due_date_by_terms);
    tcase_add_test(tc, an_invoice_of_total_zero_is_paid_when_issued);
    suite_add_tcase(s, tc);
    tc = tcase_create("dunning");
    tcase_add_test(tc, mark_overdue_only_after_the_due_date);
    tcase_add_test(tc, dispute_takes_one_of_the_listed_reasons);
    tcase_add_test(tc, resolve_returns_to_issued_before_the_due_date);
    tcase_add_test(tc, resolve_goes_to_overdue_past_the_due_date);
    tcase_add_test(tc, sweep_marks_issued_invoices_overdue_but_never_disputed_ones);
    suite_add_tcase(s, tc);
    tc = tcase_create("void_write_off");
    tcase_add_test(tc, void_needs_finance);
    tcase_add_test(tc, void_from_issued_overdue_and_disputed);
    tcase_add_test(tc, void_refused_with_payments_or_issued_credit_notes);
    tcase_add_test(tc, void_refused_when_the_order_is_finished);
    tcase_add_test(tc, write_off_leaves_balance_zero_and_keeps_what_was_left);
    tcase_add_test(tc, write_off_from_overdue_and_disputed);
    tcase_add_test(tc, refused_transitions_in_every_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("derived");
    tcase_add_test(tc, paid_credited_and_balance_move_without_new_versions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
