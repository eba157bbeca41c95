/* The credit_note record through l2c_exec_json: lines priced from the
 * invoice, the rules at create, update of the lines and issue
 * (invoice.not_creditable, credit_note.exceeds_invoice), issue with its
 * applied part, excess and settle cascade, the account's credit_balance,
 * void (DESIGN §2 credit_note). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

/* tu_confirmed_order, then INV-1 of the whole order, issued: line 1 is
 * 2 x 4800.00 at 25% off, 21% tax (4356.00 a unit), line 2 is 1 x 950.00,
 * 21% tax (1149.50); total 9861.50. */
static l2c_engine *issued_invoice(void)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    return e;
}

static void note(l2c_engine *e, const char *id, const char *lines)
{
    ok(e, J("{'op':'create','type':'credit_note','id':'%s','data':{'invoice':'INV-1','lines':%s}}",
            id, lines));
}

static void issue(l2c_engine *e, const char *id)
{
    ok(e, J("{'op':'fire','type':'credit_note','id':'%s','event':'issue'}", id));
}

static void pay(l2c_engine *e, const char *amount)
{
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'%s',"
            "'allocations':[{'invoice':'INV-1','amount':'%s'}]}}",
            amount, amount));
}

/* ---- create ---- */

START_TEST(create_prices_lines_from_the_invoice)
{
    l2c_engine *e = issued_invoice();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                          "'lines':[{'invoice_line':1,'qty':1},{'invoice_line':2,'qty':'0.5'}],"
                          "'reason':'one unit returned'}}"));
    ck_assert_str_eq(evs(r), "credit_note.create CN-000001 draft v1");
    ck_assert_str_eq(tu_str(r, "entity.invoice"), "INV-1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "one unit returned");
    ck_assert_int_eq(tu_len(r, "entity.lines"), 2);
    ck_assert_int_eq(tu_num(r, "entity.lines.0.invoice_line"), 1);
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "1");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "4800.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "3600.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.total"), "4356.00");
    ck_assert_int_eq(tu_num(r, "entity.lines.1.invoice_line"), 2);
    ck_assert_str_eq(tu_str(r, "entity.lines.1.tax"), "99.75");
    ck_assert_str_eq(tu_str(r, "entity.subtotal"), "4075.00");
    ck_assert_str_eq(tu_str(r, "entity.tax"), "855.75");
    ck_assert_str_eq(tu_str(r, "entity.total"), "4930.75");
    ck_assert_ptr_null(tu_str(r, "entity.applied"));
    ck_assert_ptr_null(tu_str(r, "entity.excess"));
    cJSON_Delete(r);
    /* a draft changes nothing on the invoice */
    expect_str(e, "invoice", "INV-1", "credited", "0.00");
    expect_str(e, "invoice", "INV-1", "balance", "9861.50");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_missing_and_bad_data)
{
    l2c_engine *e = issued_invoice();
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note',"
                            "'data':{'lines':[{'invoice_line':1,'qty':1}]}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                            "'lines':[]}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-9',"
                            "'lines':[{'invoice_line':1,'qty':1}]}}"),
                       "not_found", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                         "'currency':'USD','lines':[{'invoice_line':1,'qty':1}]}}"),
                       "invalid_argument", "currency.mismatch");
    static const struct {
        const char *lines;
        const char *rule;
    } bad[] = {
        {"{'invoice_line':1}", "field.invalid"},
        {"[{'qty':1}]", "field.required"},
        {"[{'invoice_line':1}]", "field.required"},
        {"[{'invoice_line':3,'qty':1}]", "field.invalid"},
        {"[{'invoice_line':0,'qty':1}]", "field.invalid"},
        {"[{'invoice_line':1,'qty':0}]", "field.invalid"},
        {"[{'invoice_line':1,'qty':0.5}]", "field.invalid"},
        {"[{'invoice_line':1,'qty':'0.0005'}]", "field.invalid"},
        {"['x']", "field.invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                             "'lines':%s}}", bad[i].lines),
                           "invalid_argument", bad[i].rule);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                         "'reason':7,'lines':[{'invoice_line':1,'qty':1}]}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_needs_a_creditable_invoice)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','id':'INV-D','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-V','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-V','event':'issue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-V','event':'void'," FIN "}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-W','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-W','event':'issue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-W','event':'write_off'," FIN "}"));
    static const char *inv[] = {"INV-D", "INV-V", "INV-W"};
    for (int i = 0; i < 3; i++)
        /* before credit_note.exceeds_invoice: 5 would pass that too */
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'credit_note','data':{'invoice':'%s',"
                             "'lines':[{'invoice_line':1,'qty':5}]}}", inv[i]),
                           "guard_rejected", "invoice.not_creditable");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_on_issued_overdue_disputed_and_paid_invoices)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    static const char *ids[] = {"INV-I", "INV-O", "INV-D", "INV-P"};
    for (int i = 0; i < 4; i++) {
        ok(e,
           J("{'op':'create','type':'invoice','id':'%s','data':{'order':'SO-000001',"
             "'lines':[{'order_line':1,'qty':'0.5'}]}}", ids[i]));
        ok(e, J("{'op':'fire','type':'invoice','id':'%s','event':'issue'}", ids[i]));
    }
    ok(e, J("{'op':'clock','now':'2026-06-01T00:00:00Z'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-O','event':'mark_overdue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-D','event':'dispute',"
            "'data':{'reason':'pricing'}}"));
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'2178.00',"
            "'allocations':[{'invoice':'INV-P','amount':'2178.00'}]}}"));
    for (int i = 0; i < 4; i++) {
        cJSON *r = tu_ok(e,
                         J("{'op':'create','type':'credit_note','data':{'invoice':'%s',"
                           "'lines':[{'invoice_line':1,'qty':'0.5'}]}}", ids[i]));
        ck_assert_str_eq(tu_str(r, "entity.state"), "draft");
        ck_assert_str_eq(tu_str(r, "entity.total"), "2178.00");
        cJSON_Delete(r);
    }
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_more_than_invoiced_counting_issued_notes)
{
    l2c_engine *e = issued_invoice();
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                            "'lines':[{'invoice_line':2,'qty':'1.001'}]}}"),
                       "guard_rejected", "credit_note.exceeds_invoice");
    /* two lines of one note naming the same invoice line add up */
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                         "'lines':[{'invoice_line':1,'qty':1},{'invoice_line':1,'qty':'1.5'}]}}"),
                       "guard_rejected", "credit_note.exceeds_invoice");
    note(e, "CN-1", "[{'invoice_line':1,'qty':'1.5'}]");
    /* a draft note does not count; an issued one does */
    note(e, "CN-2", "[{'invoice_line':1,'qty':'1.5'}]");
    issue(e, "CN-1");
    tu_fails_unchanged(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                            "'lines':[{'invoice_line':1,'qty':'0.501'}]}}"),
                       "guard_rejected", "credit_note.exceeds_invoice");
    note(e, "CN-3", "[{'invoice_line':1,'qty':'0.5'},{'invoice_line':2,'qty':1}]");
    /* a void note does not count */
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-3','event':'void'}"));
    note(e, "CN-4", "[{'invoice_line':2,'qty':1}]");
    l2c_engine_free(e);
}
END_TEST

/* ---- issue ---- */

START_TEST(issue_reduces_the_invoice_balance)
{
    l2c_engine *e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "credit_note.issue CN-1 issued v2");
    ck_assert_str_eq(tu_str(r, "entity.applied"), "1149.50");
    ck_assert_str_eq(tu_str(r, "entity.excess"), "0.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-1'}"));
    ck_assert_str_eq(tu_str(r, "entity.credited"), "1149.50");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "8712.00");
    ck_assert_str_eq(tu_str(r, "entity.state"), "issued");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    cJSON_Delete(r);
    expect_str(e, "account", "ACC-000001", "credit_balance", "0.00");
    expect_str(e, "account", "ACC-000001", "open_balance", "8712.00");
    l2c_engine_free(e);
}
END_TEST

START_TEST(issue_keeps_the_excess_as_account_credit_and_settles_at_zero)
{
    l2c_engine *e = issued_invoice();
    pay(e, "5000.00");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
            "'data':{'reason':'quantity'}}"));
    note(e, "CN-1", "[{'invoice_line':1,'qty':1},{'invoice_line':2,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "credit_note.issue CN-1 issued v2, invoice.settle INV-1 paid v4");
    ck_assert_str_eq(tu_str(r, "entity.total"), "5505.50");
    ck_assert_str_eq(tu_str(r, "entity.applied"), "4861.50");
    ck_assert_str_eq(tu_str(r, "entity.excess"), "644.00");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "disputed");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.credited"), "4861.50");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.balance"), "0.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'get','type':'account','id':'ACC-000001'}"));
    ck_assert_str_eq(tu_str(r, "entity.credit_balance"), "644.00");
    ck_assert_str_eq(tu_str(r, "entity.open_balance"), "0.00");
    ck_assert_int_eq(tu_num(r, "entity.version"), 1);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(issue_on_a_paid_invoice_is_all_excess)
{
    l2c_engine *e = issued_invoice();
    pay(e, "9861.50");
    note(e, "CN-1", "[{'invoice_line':2,'qty':1}]");
    note(e, "CN-2", "[{'invoice_line':1,'qty':'0.001'}]");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "credit_note.issue CN-1 issued v2");
    ck_assert_str_eq(tu_str(r, "entity.applied"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.excess"), "1149.50");
    cJSON_Delete(r);
    issue(e, "CN-2");
    expect_str(e, "credit_note", "CN-2", "excess", "4.36"); /* 3.6 + 0.756 */
    expect_str(e, "account", "ACC-000001", "credit_balance", "1153.86");
    expect_str(e, "invoice", "INV-1", "credited", "0.00");
    expect(e, "invoice", "INV-1", "paid", 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(issue_checks_the_rules_again)
{
    l2c_engine *e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':'0.6'}]");
    note(e, "CN-2", "[{'invoice_line':2,'qty':'0.6'}]");
    issue(e, "CN-1");
    tu_fails_unchanged(e, J("{'op':'fire','type':'credit_note','id':'CN-2','event':'issue'}"),
                       "guard_rejected", "credit_note.exceeds_invoice");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'credit_note','id':'CN-2','event':'issue'}"),
                       "guard_rejected", "invoice.not_creditable");
    l2c_engine_free(e);
    /* a draft note does not hold its invoice: once void, it cannot issue */
    e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':1}]");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"),
                       "guard_rejected", "invoice.not_creditable");
    l2c_engine_free(e);
}
END_TEST

START_TEST(issued_and_void_notes_are_never_changed)
{
    l2c_engine *e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':'0.5'}]");
    note(e, "CN-2", "[{'invoice_line':2,'qty':'0.5'}]");
    issue(e, "CN-1");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'credit_note','id':'CN-2','event':'void'}"));
    ck_assert_str_eq(evs(r), "credit_note.void CN-2 void v2");
    ck_assert_ptr_null(tu_str(r, "entity.applied"));
    cJSON_Delete(r);
    static const char *ids[] = {"CN-1", "CN-2"};
    for (int i = 0; i < 2; i++) {
        tu_fails_unchanged(e, J("{'op':'fire','type':'credit_note','id':'%s','event':'void'}",
                                ids[i]),
                           "invalid_transition", NULL);
        tu_fails_unchanged(e, J("{'op':'fire','type':'credit_note','id':'%s','event':'issue'}",
                                ids[i]),
                           "invalid_transition", NULL);
        tu_fails_unchanged(e,
                           J("{'op':'update','type':'credit_note','id':'%s','data':{'reason':'x'}}",
                             ids[i]),
                           "invalid_argument", "field.immutable");
    }
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_changes_lines_and_reason_in_draft)
{
    l2c_engine *e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':1}]");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'credit_note','id':'CN-1',"
                          "'data':{'reason':'damaged',"
                          "'lines':[{'invoice_line':1,'qty':2}]}}"));
    ck_assert_str_eq(evs(r), "credit_note.update CN-1 draft v2");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "damaged");
    ck_assert_str_eq(tu_str(r, "entity.total"), "8712.00");
    cJSON_Delete(r);
    static const char *imm[] = {"'invoice':'INV-1'", "'account':'ACC-000001'", "'currency':'EUR'",
                                "'applied':'1.00'", "'excess':null", "'total':'1.00'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'credit_note','id':'CN-1','data':{%s}}",
                                imm[i]),
                           "invalid_argument", "field.immutable");
    tu_fails_unchanged(e, J("{'op':'update','type':'credit_note','id':'CN-1','data':{'lines':[]}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'update','type':'credit_note','id':'CN-1',"
                            "'data':{'lines':[{'invoice_line':1,'qty':'2.001'}]}}"),
                       "guard_rejected", "credit_note.exceeds_invoice");
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_of_lines_needs_a_creditable_invoice)
{
    l2c_engine *e = issued_invoice();
    note(e, "CN-1", "[{'invoice_line':2,'qty':1}]");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'update','type':'credit_note','id':'CN-1',"
                            "'data':{'lines':[{'invoice_line':2,'qty':'0.5'}]}}"),
                       "guard_rejected", "invoice.not_creditable");
    /* the reason alone may still change */
    cJSON *r = tu_ok(e, J("{'op':'update','type':'credit_note','id':'CN-1',"
                          "'data':{'reason':'kept for the file'}}"));
    ck_assert_str_eq(evs(r), "credit_note.update CN-1 draft v2");
    cJSON_Delete(r);
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'void'}"));
    l2c_engine_free(e);
}
END_TEST

/* ---- money ---- */

START_TEST(amounts_are_in_the_invoice_currency)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Gulf','currency':'KWD'}}"));
    ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
            "'lines':[{'qty':3,'unit_price':'1.235','tax_rate_pct':5}]}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    cJSON *r = tu_ok(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-1',"
                          "'currency':'KWD',"
                          "'lines':[{'invoice_line':1,'qty':'0.5'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.currency"), "KWD");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "0.618");  /* 0.6175 */
    ck_assert_str_eq(tu_str(r, "entity.lines.0.tax"), "0.031");  /* 0.0309 */
    ck_assert_str_eq(tu_str(r, "entity.total"), "0.649");
    cJSON_Delete(r);
    issue(e, "CN-000001");
    expect_str(e, "invoice", "INV-1", "balance", "3.241"); /* 3.705 + 0.185 - 0.649 */
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("credit_note");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_prices_lines_from_the_invoice);
    tcase_add_test(tc, create_refuses_missing_and_bad_data);
    tcase_add_test(tc, create_needs_a_creditable_invoice);
    tcase_add_test(tc, create_on_issued_overdue_disputed_and_paid_invoices);
    tcase_add_test(tc, create_refuses_more_than_invoiced_counting_issued_notes);
    suite_add_tcase(s, tc);
    tc = tcase_create("issue");
    tcase_add_test(tc, issue_reduces_the_invoice_balance);
    tcase_add_test(tc, issue_keeps_the_excess_as_account_credit_and_settles_at_zero);
    tcase_add_test(tc, issue_on_a_paid_invoice_is_all_excess);
    tcase_add_test(tc, issue_checks_the_rules_again);
    tcase_add_test(tc, issued_and_void_notes_are_never_changed);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_changes_lines_and_reason_in_draft);
    tcase_add_test(tc, update_of_lines_needs_a_creditable_invoice);
    suite_add_tcase(s, tc);
    tc = tcase_create("money");
    tcase_add_test(tc, amounts_are_in_the_invoice_currency);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
