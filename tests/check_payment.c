/* The payment record through l2c_exec_json: amounts in any currency,
 * allocations with their rules in the order of DESIGN §2 (currency,
 * account, open invoice, over-allocation, overpayment), the settle
 * cascade, payments created with allocations, reverse (reopen, write-offs)
 * and refund. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

/* tu_confirmed_order, then INV-1 (line 1: 8712.00) and INV-2 (line 2:
 * 1149.50) issued on 2026-04-01, due 2026-05-01. */
static l2c_engine *two_invoices(void)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':2}]}}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-2','data':{'order':'SO-000001',"
            "'lines':[{'order_line':2,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'issue'}"));
    return e;
}

static void payment(l2c_engine *e, const char *id, const char *amount)
{
    ok(e,
       J("{'op':'create','type':'payment','id':'%s','data':{'account':'ACC-000001','amount':'%s'}}",
         id, amount));
}

static void allocate(l2c_engine *e, const char *pay, const char *inv, const char *amount)
{
    ok(e, J("{'op':'fire','type':'payment','id':'%s','event':'allocate','data':{'invoice':'%s',"
            "'amount':'%s'}}",
            pay, inv, amount));
}

/* Allocate and expect the failure. */
static void alloc_fails(l2c_engine *e, const char *pay, const char *data, const char *code,
                        const char *rule)
{
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'%s','event':'allocate','data':%s}",
                            pay, data),
                       code, rule);
}

/* ---- creation ---- */

START_TEST(create_defaults_to_the_account_currency_and_today)
{
    l2c_engine *e = two_invoices();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                          "'amount':'5000.00',"
                          "'method':'bank_transfer','reference':'OF-7781'}}"));
    ck_assert_str_eq(evs(r), "payment.create PAY-000001 received v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.amount"), "5000.00");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_str_eq(tu_str(r, "entity.method"), "bank_transfer");
    ck_assert_str_eq(tu_str(r, "entity.reference"), "OF-7781");
    ck_assert_str_eq(tu_str(r, "entity.received_date"), "2026-04-01");
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 0);
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "5000.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':7,"
                   "'currency':'JPY','received_date':'2026-03-30'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "PAY-000002");
    ck_assert_str_eq(tu_str(r, "entity.amount"), "7");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "JPY");
    ck_assert_str_eq(tu_str(r, "entity.received_date"), "2026-03-30");
    ck_assert_ptr_null(tu_str(r, "entity.method"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_amounts_are_exact_in_the_payment_currency)
{
    l2c_engine *e = two_invoices();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                          "'amount':'1.500'}}"));
    ck_assert_str_eq(tu_str(r, "entity.amount"), "1.50");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                   "'amount':'1.235','currency':'KWD'}}"));
    ck_assert_str_eq(tu_str(r, "entity.amount"), "1.235");
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "1.235");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                   "'amount':'92233720368547758.07'}}"));
    ck_assert_str_eq(tu_str(r, "entity.amount"), "92233720368547758.07");
    cJSON_Delete(r);
    static const char *bad[] = {
        "'amount':'1.505'",
        "'amount':19.99",
        "'amount':'-5.00'",
        "'amount':0",
        "'amount':'0.00'",
        "'amount':'1.5','currency':'JPY'",
        "'amount':'1.2345','currency':'KWD'",
        "'amount':1e17",
        "'amount':'5','currency':'usd'",
        "'amount':'5','received_date':'yesterday'",
        "'amount':'5','allocations':{}",
        "'amount':'5','method':5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'payment','data':{'account':'ACC-000001',%s}}",
                             bad[i]),
                           "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                            "'amount':'92233720368547758.08'}}"),
                       "invalid_argument", "amount.overflow");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                            "'amount':'1000000000000000000000'}}"),
                       "invalid_argument", "amount.overflow");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_needs_account_and_amount)
{
    l2c_engine *e = two_invoices();
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'amount':'5.00'}}"),
                       "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'',"
                            "'amount':'5.00'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                            "'amount':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'payment','data':{'account':'ACC-9',"
                            "'amount':'5.00'}}"),
                       "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

/* ---- allocate ---- */

START_TEST(allocate_part_of_an_invoice)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "5000.00");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'allocate',"
                          "'data':{'invoice':'INV-1','amount':'3000.00'}}"));
    ck_assert_str_eq(evs(r), "payment.allocate P received v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "received");
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 1);
    ck_assert_str_eq(tu_str(r, "entity.allocations.0.invoice"), "INV-1");
    ck_assert_str_eq(tu_str(r, "entity.allocations.0.amount"), "3000.00");
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "2000.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-1'}"));
    ck_assert_str_eq(tu_str(r, "entity.paid"), "3000.00");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "5712.00");
    ck_assert_int_eq(tu_num(r, "entity.version"), 2);
    ck_assert_str_eq(tu_str(r, "entity.state"), "issued");
    cJSON_Delete(r);
    expect_str(e, "account", "ACC-000001", "open_balance", "6861.50");
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_settles_the_invoice_at_zero)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "10000");
    allocate(e, "P", "INV-2", "149.50");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'allocate',"
                          "'data':{'invoice':'INV-2','amount':1000}}"));
    ck_assert_str_eq(evs(r), "payment.allocate P received v3, invoice.settle INV-2 paid v3");
    /* several allocations to one invoice are kept as separate entries */
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 2);
    ck_assert_str_eq(tu_str(r, "entity.allocations.0.amount"), "149.50");
    ck_assert_str_eq(tu_str(r, "entity.allocations.1.invoice"), "INV-2");
    ck_assert_str_eq(tu_str(r, "entity.allocations.1.amount"), "1000.00");
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "8850.50");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "issued");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.balance"), "0.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_to_overdue_and_disputed_invoices)
{
    l2c_engine *e = two_invoices();
    ok(e, J("{'op':'clock','now':'2026-05-20T00:00:00Z'}"));
    ok(e, J("{'op':'sweep'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'dispute',"
            "'data':{'reason':'pricing'}}"));
    payment(e, "P", "9861.50");
    allocate(e, "P", "INV-1", "8712.00");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'allocate',"
                          "'data':{'invoice':'INV-2','amount':'1149.50'}}"));
    ck_assert_str_eq(evs(r), "payment.allocate P received v3, invoice.settle INV-2 paid v5");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "disputed");
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "0.00");
    cJSON_Delete(r);
    expect(e, "invoice", "INV-1", "paid", 4);
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_missing_and_bad_data)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "100.00");
    alloc_fails(e, "P", "{'amount':'1.00'}", "invalid_argument", "field.required");
    alloc_fails(e, "P", "{'invoice':'','amount':'1.00'}", "invalid_argument", "field.required");
    alloc_fails(e, "P", "{'invoice':'INV-1'}", "invalid_argument", "field.required");
    alloc_fails(e, "P", "null", "invalid_argument", "field.required");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':0}", "invalid_argument", "field.invalid");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':'-1.00'}", "invalid_argument",
                "field.invalid");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':0.5}", "invalid_argument", "field.invalid");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':'0.001'}", "invalid_argument",
                "field.invalid");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':'92233720368547758.08'}", "invalid_argument",
                "amount.overflow");
    alloc_fails(e, "P", "{'invoice':'INV-404','amount':'1.00'}", "not_found", NULL);
    /* a record named is looked up before the money is read */
    alloc_fails(e, "P", "{'invoice':'INV-404','amount':'0.001'}", "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_another_currency)
{
    l2c_engine *e = two_invoices();
    ok(e, J("{'op':'create','type':'payment','id':'P-USD','data':{'account':'ACC-000001',"
            "'amount':'50','currency':'USD'}}"));
    alloc_fails(e, "P-USD", "{'invoice':'INV-1','amount':'10.00'}", "invalid_argument",
                "currency.mismatch");
    /* currency.mismatch comes first of the rules: before account.mismatch too */
    ok(e, J("{'op':'create','type':'account','id':'OTHER','data':{'name':'Other'}}"));
    ok(e, J("{'op':'create','type':'payment','id':'P-O-USD','data':{'account':'OTHER',"
            "'amount':'50','currency':'USD'}}"));
    alloc_fails(e, "P-O-USD", "{'invoice':'INV-1','amount':'10.00'}", "invalid_argument",
                "currency.mismatch");
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_an_invoice_of_another_account)
{
    l2c_engine *e = two_invoices();
    ok(e, J("{'op':'create','type':'account','id':'OTHER','data':{'name':'Other'}}"));
    ok(e, J("{'op':'create','type':'payment','id':'P-O','data':{'account':'OTHER',"
            "'amount':'50'}}"));
    alloc_fails(e, "P-O", "{'invoice':'INV-1','amount':'10.00'}", "guard_rejected",
                "account.mismatch");
    l2c_engine_free(e);
    /* before invoice.not_open and the amounts */
    e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','id':'INV-D','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'create','type':'account','id':'OTHER','data':{'name':'Other'}}"));
    ok(e, J("{'op':'create','type':'payment','id':'P-O','data':{'account':'OTHER',"
            "'amount':'50'}}"));
    alloc_fails(e, "P-O", "{'invoice':'INV-D','amount':'60.00'}", "guard_rejected",
                "account.mismatch");
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_an_invoice_that_is_not_open)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','id':'INV-D','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':'0.5'}]}}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-V','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':'0.5'}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-V','event':'void'," FIN "}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-W','data':{'order':'SO-000001',"
            "'lines':[{'order_line':1,'qty':'0.5'}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-W','event':'issue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-W','event':'write_off'," FIN "}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-P','data':{'order':'SO-000001',"
            "'lines':[{'order_line':2,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-P','event':'issue'}"));
    payment(e, "P", "2000.00");
    allocate(e, "P", "INV-P", "1149.50");
    static const char *inv[] = {"INV-D", "INV-V", "INV-W", "INV-P"};
    for (int i = 0; i < 4; i++)
        /* before the amounts: this one passes both */
        alloc_fails(e, "P", J("{'invoice':'%s','amount':'5000.00'}", inv[i]), "guard_rejected",
                    "invoice.not_open");
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_more_than_is_unallocated)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "100.00");
    allocate(e, "P", "INV-1", "60.00");
    alloc_fails(e, "P", "{'invoice':'INV-1','amount':'40.01'}", "guard_rejected",
                "payment.over_allocation");
    /* before invoice.overpayment: this one passes both */
    alloc_fails(e, "P", "{'invoice':'INV-2','amount':'2000.00'}", "guard_rejected",
                "payment.over_allocation");
    allocate(e, "P", "INV-2", "40.00");
    expect_str(e, "payment", "P", "unallocated", "0.00");
    l2c_engine_free(e);
}
END_TEST

START_TEST(allocate_refuses_more_than_the_invoice_balance)
{
    l2c_engine *e = two_invoices();
    payment(e, "P1", "1000.00");
    allocate(e, "P1", "INV-2", "1000.00");
    payment(e, "P2", "1000.00");
    alloc_fails(e, "P2", "{'invoice':'INV-2','amount':'149.51'}", "guard_rejected",
                "invoice.overpayment");
    /* credited amounts lower the balance too */
    ok(e, J("{'op':'create','type':'credit_note','data':{'invoice':'INV-2',"
            "'lines':[{'invoice_line':1,'qty':'0.1'}]}}"));
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-000001','event':'issue'}"));
    alloc_fails(e, "P2", "{'invoice':'INV-2','amount':'34.56'}", "guard_rejected",
                "invoice.overpayment");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P2','event':'allocate',"
                          "'data':{'invoice':'INV-2','amount':'34.55'}}"));
    ck_assert_str_eq(evs(r), "payment.allocate P2 received v2, invoice.settle INV-2 paid v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- create with allocations ---- */

START_TEST(create_with_allocations_is_one_create_event_then_settles)
{
    l2c_engine *e = two_invoices();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                          "'amount':'10000.00',"
                          "'allocations':[{'invoice':'INV-2','amount':'1149.50'},"
                          "{'invoice':'INV-1','amount':'100.00'},"
                          "{'invoice':'INV-1','amount':'8612.00'}]}}"));
    /* the settles follow in the invoices' creation order */
    ck_assert_str_eq(evs(r), "payment.create PAY-000001 received v1, invoice.settle INV-1 paid v3, "
                             "invoice.settle INV-2 paid v3");
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 3);
    ck_assert_str_eq(tu_str(r, "entity.allocations.0.invoice"), "INV-2");
    ck_assert_str_eq(tu_str(r, "entity.allocations.2.amount"), "8612.00");
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "138.50");
    ck_assert_int_eq(tu_len(r, "events.0.data.record.allocations"), 3);
    cJSON_Delete(r);
    /* a part allocation settles nothing */
    l2c_engine_free(e);
    e = two_invoices();
    r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                   "'amount':'10.00',"
                   "'allocations':[{'invoice':'INV-2','amount':'10.00'}]}}"));
    ck_assert_str_eq(evs(r), "payment.create PAY-000001 received v1");
    cJSON_Delete(r);
    expect_str(e, "invoice", "INV-2", "balance", "1139.50");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_with_allocations_applies_the_allocate_rules)
{
    l2c_engine *e = two_invoices();
    ok(e, J("{'op':'create','type':'account','id':'OTHER','data':{'name':'Other'}}"));
    static const struct {
        const char *data;
        const char *code;
        const char *rule;
    } bad[] = {
        {"'amount':'100','allocations':[{'invoice':'INV-1','amount':'60'},{'invoice':'INV-2',"
         "'amount':'40.01'}]",
         "guard_rejected", "payment.over_allocation"},
        {"'amount':'2000','allocations':[{'invoice':'INV-2','amount':'1000'},{'invoice':'INV-2',"
         "'amount':'149.51'}]",
         "guard_rejected", "invoice.overpayment"},
        {"'amount':'100','currency':'USD','allocations':[{'invoice':'INV-1','amount':'10'}]",
         "invalid_argument", "currency.mismatch"},
        {"'amount':'100','allocations':[{'invoice':'INV-1','amount':'10'},{'amount':'10'}]",
         "invalid_argument", "field.required"},
        {"'amount':'100','allocations':[{'invoice':'INV-1','amount':'10'},{'invoice':'INV-1',"
         "'amount':0}]",
         "invalid_argument", "field.invalid"},
        {"'amount':'100','allocations':['INV-1']", "invalid_argument", "field.invalid"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'payment','data':{'account':'ACC-000001',%s}}",
                             bad[i].data),
                           bad[i].code, bad[i].rule);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'payment','data':{'account':'OTHER','amount':'5',"
                         "'allocations':[{'invoice':'INV-1','amount':'5'}]}}"),
                       "guard_rejected", "account.mismatch");
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                         "'amount':'5',"
                         "'allocations':[{'invoice':'INV-404','amount':'5'}]}}"),
                       "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_with_allocations_reads_all_data_before_the_rules)
{
    /* DESIGN §6: the contents of data (records named: not_found) come
     * before the business rules */
    l2c_engine *e = two_invoices();
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                         "'amount':'5',"
                         "'allocations':[{'invoice':'INV-1','amount':'6'},{'invoice':'INV-404',"
                         "'amount':'1'}]}}"),
                       "not_found", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                         "'amount':'5',"
                         "'allocations':[{'invoice':'INV-1','amount':'6'},{'invoice':'INV-2',"
                         "'amount':0.5}]}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

/* ---- reverse ---- */

START_TEST(reverse_needs_finance_and_undoes_every_allocation)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "9000.00");
    allocate(e, "P", "INV-2", "1149.50");
    allocate(e, "P", "INV-1", "7000.00");
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'P','event':'reverse'}"),
                       "forbidden", NULL);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'reverse'," FIN "}"));
    ck_assert_str_eq(evs(r), "payment.reverse P reversed v4, invoice.reopen INV-2 issued v4");
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 0);
    ck_assert_str_eq(tu_str(r, "entity.unallocated"), "9000.00");
    ck_assert_str_eq(tu_str(r, "events.1.data.from"), "paid");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.balance"), "1149.50");
    cJSON_Delete(r);
    /* the open invoice only gets its balance back */
    expect(e, "invoice", "INV-1", "issued", 2);
    expect_str(e, "invoice", "INV-1", "balance", "8712.00");
    expect_str(e, "account", "ACC-000001", "open_balance", "9861.50");
    l2c_engine_free(e);
}
END_TEST

START_TEST(reverse_reopens_paid_invoices_to_overdue_past_due)
{
    l2c_engine *e = two_invoices();
    ok(e, J("{'op':'create','type':'payment','id':'P','data':{'account':'ACC-000001',"
            "'amount':'9861.50',"
            "'allocations':[{'invoice':'INV-1','amount':'8712.00'},{'invoice':'INV-2',"
            "'amount':'1149.50'}]}}"));
    ok(e, J("{'op':'clock','now':'2026-05-02T00:00:00Z'}"));
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'reverse'," FIN "}"));
    ck_assert_str_eq(evs(r), "payment.reverse P reversed v2, invoice.reopen INV-1 overdue v4, "
                             "invoice.reopen INV-2 overdue v4");
    ck_assert_str_eq(tu_str(r, "events.1.data.actor.id"), "fin-1");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(reverse_leaves_a_written_off_invoice_written_off)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "1000.00");
    allocate(e, "P", "INV-2", "1000.00");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'write_off'," FIN "}"));
    expect_str(e, "invoice", "INV-2", "written_off", "149.50");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P','event':'reverse'," FIN "}"));
    ck_assert_str_eq(evs(r), "payment.reverse P reversed v3");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'get','type':'invoice','id':'INV-2'}"));
    ck_assert_str_eq(tu_str(r, "entity.state"), "written_off");
    ck_assert_int_eq(tu_num(r, "entity.version"), 3);
    ck_assert_str_eq(tu_str(r, "entity.paid"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.written_off"), "1149.50");
    ck_assert_str_eq(tu_str(r, "entity.balance"), "0.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(reverse_one_of_two_payments_reopens_the_invoice)
{
    l2c_engine *e = two_invoices();
    payment(e, "P1", "1000.00");
    payment(e, "P2", "149.50");
    allocate(e, "P1", "INV-2", "1000.00");
    allocate(e, "P2", "INV-2", "149.50");
    expect(e, "invoice", "INV-2", "paid", 3);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'P2','event':'reverse'," FIN "}"));
    ck_assert_str_eq(evs(r), "payment.reverse P2 reversed v3, invoice.reopen INV-2 issued v4");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.paid"), "1000.00");
    cJSON_Delete(r);
    /* a new payment settles it again */
    payment(e, "P3", "149.50");
    allocate(e, "P3", "INV-2", "149.50");
    expect(e, "invoice", "INV-2", "paid", 5);
    l2c_engine_free(e);
}
END_TEST

/* ---- refund ---- */

START_TEST(refund_needs_finance_and_no_allocations)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "50.00");
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'P','event':'refund'," MGR "}"),
                       "forbidden", NULL);
    allocate(e, "P", "INV-1", "0.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'payment','id':'P','event':'refund'," FIN "}"),
                       "guard_rejected", "payment.allocated");
    payment(e, "Q", "50.00");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'payment','id':'Q','event':'refund'," FIN "}"));
    ck_assert_str_eq(evs(r), "payment.refund Q refunded v2");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(refused_transitions_after_reverse_and_refund)
{
    l2c_engine *e = two_invoices();
    payment(e, "R", "50.00");
    payment(e, "F", "50.00");
    ok(e, J("{'op':'fire','type':'payment','id':'R','event':'reverse'," FIN "}"));
    ok(e, J("{'op':'fire','type':'payment','id':'F','event':'refund'," FIN "}"));
    static const char *ids[] = {"R", "F"};
    static const char *events[] = {"allocate", "reverse", "refund"};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 3; k++)
            tu_fails_unchanged(e,
                               J("{'op':'fire','type':'payment','id':'%s','event':'%s',"
                                 "'data':{'invoice':'INV-1','amount':'1.00'}," FIN "}",
                                 ids[i], events[k]),
                               "invalid_transition", NULL);
        tu_fails_unchanged(e,
                           J("{'op':'update','type':'payment','id':'%s','data':{'reference':'x'}}",
                             ids[i]),
                           "invalid_argument", "field.immutable");
    }
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_changes_method_reference_and_date)
{
    l2c_engine *e = two_invoices();
    payment(e, "P", "50.00");
    allocate(e, "P", "INV-1", "10.00");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'payment','id':'P','data':{'method':'card',"
                          "'reference':'R-1',"
                          "'received_date':'2026-03-31'}}"));
    ck_assert_str_eq(evs(r), "payment.update P received v3");
    ck_assert_str_eq(tu_str(r, "entity.method"), "card");
    ck_assert_str_eq(tu_str(r, "entity.reference"), "R-1");
    ck_assert_str_eq(tu_str(r, "entity.received_date"), "2026-03-31");
    ck_assert_int_eq(tu_len(r, "entity.allocations"), 1);
    cJSON_Delete(r);
    static const char *imm[] = {"'amount':'60.00'", "'currency':'EUR'", "'account':'ACC-000001'",
                                "'allocations':[]", "'unallocated':'1.00'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'payment','id':'P','data':{%s}}", imm[i]),
                           "invalid_argument", "field.immutable");
    tu_fails_unchanged(e, J("{'op':'update','type':'payment','id':'P',"
                            "'data':{'received_date':null}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'update','type':'payment','id':'P',"
                            "'data':{'received_date':'2026-04-31'}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("payment");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_defaults_to_the_account_currency_and_today);
    tcase_add_test(tc, create_amounts_are_exact_in_the_payment_currency);
    tcase_add_test(tc, create_needs_account_and_amount);
    suite_add_tcase(s, tc);
    tc = tcase_create("allocate");
    tcase_add_test(tc, allocate_part_of_an_invoice);
    tcase_add_test(tc, allocate_settles_the_invoice_at_zero);
    tcase_add_test(tc, allocate_to_overdue_and_disputed_invoices);
    tcase_add_test(tc, allocate_refuses_missing_and_bad_data);
    tcase_add_test(tc, allocate_refuses_another_currency);
    tcase_add_test(tc, allocate_refuses_an_invoice_of_another_account);
    tcase_add_test(tc, allocate_refuses_an_invoice_that_is_not_open);
    tcase_add_test(tc, allocate_refuses_more_than_is_unallocated);
    tcase_add_test(tc, allocate_refuses_more_than_the_invoice_balance);
    suite_add_tcase(s, tc);
    tc = tcase_create("create_allocations");
    tcase_add_test(tc, create_with_allocations_is_one_create_event_then_settles);
    tcase_add_test(tc, create_with_allocations_applies_the_allocate_rules);
    tcase_add_test(tc, create_with_allocations_reads_all_data_before_the_rules);
    suite_add_tcase(s, tc);
    tc = tcase_create("reverse_refund");
    tcase_add_test(tc, reverse_needs_finance_and_undoes_every_allocation);
    tcase_add_test(tc, reverse_reopens_paid_invoices_to_overdue_past_due);
    tcase_add_test(tc, reverse_leaves_a_written_off_invoice_written_off);
    tcase_add_test(tc, reverse_one_of_two_payments_reopens_the_invoice);
    tcase_add_test(tc, refund_needs_finance_and_no_allocations);
    tcase_add_test(tc, refused_transitions_after_reverse_and_refund);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_changes_method_reference_and_date);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
