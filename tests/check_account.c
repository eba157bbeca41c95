/* The account record through l2c_exec_json: fields and defaults, hold,
 * release and close with their roles and rules, the derived open_balance
 * and credit_balance, and every place a closed account refuses new
 * business (DESIGN §2 account, §6 credit exposure). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

static l2c_engine *with_account(const char *data)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':%s}", data));
    return e;
}

/* A direct order `id` of ACC-000001: one line, qty 1 at `price`, 0% tax. */
static void draft_order(l2c_engine *e, const char *id, const char *price)
{
    ok(e, J("{'op':'create','type':'order','id':'%s','data':{'account':'ACC-000001',"
            "'lines':[{'sku':'S','qty':1,'unit_price':'%s'}]}}",
            id, price));
}

static void confirmed_order(l2c_engine *e, const char *id, const char *price)
{
    draft_order(e, id, price);
    ok(e, J("{'op':'fire','type':'order','id':'%s','event':'confirm'}", id));
}

/* Invoice `inv` of everything left on order `order`, issued. */
static void issued_invoice(l2c_engine *e, const char *inv, const char *order)
{
    ok(e, J("{'op':'create','type':'invoice','id':'%s','data':{'order':'%s'}}", inv, order));
    ok(e, J("{'op':'fire','type':'invoice','id':'%s','event':'issue'}", inv));
}

static void close_account(l2c_engine *e)
{
    ok(e, "{\"op\":\"fire\",\"type\":\"account\",\"id\":\"ACC-000001\",\"event\":\"close\"}");
}

/* ---- creation ---- */

START_TEST(create_defaults_currency_terms_and_limit)
{
    l2c_engine *e = tu_engine();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.type"), "account");
    ck_assert_str_eq(tu_str(r, "entity.state"), "active");
    ck_assert_int_eq(tu_num(r, "entity.version"), 1);
    ck_assert_str_eq(tu_str(r, "entity.name"), "Acme");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_ptr_null(tu_str(r, "entity.credit_limit"));
    ck_assert_int_eq(tu_num(r, "entity.payment_terms_days"), 30);
    ck_assert_str_eq(tu_str(r, "entity.open_balance"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.credit_balance"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.created_at"), "2026-04-01T08:30:00Z");
    ck_assert_str_eq(evs(r), "account.create ACC-000001 active v1");
    ck_assert_ptr_null(tu_str(r, "events.0.data.from"));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'account','data':{'name':'Sato','currency':'JPY',"
                   "'credit_limit':'150000','payment_terms_days':14}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "ACC-000002");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "JPY");
    ck_assert_str_eq(tu_str(r, "entity.credit_limit"), "150000");
    ck_assert_str_eq(tu_str(r, "entity.open_balance"), "0");
    ck_assert_int_eq(tu_num(r, "entity.payment_terms_days"), 14);
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'account','id':'K-1','data':{'name':'Kuwait Co',"
                   "'currency':'KWD','credit_limit':'12.5'}}"));
    ck_assert_str_eq(tu_str(r, "entity.credit_limit"), "12.500");
    ck_assert_str_eq(tu_str(r, "entity.credit_balance"), "0.000");
    cJSON_Delete(r);
    /* generated ids skip those already taken */
    ok(e, J("{'op':'create','type':'account','id':'ACC-000003','data':{'name':'Taken'}}"));
    r = tu_ok(e, J("{'op':'create','type':'account','data':{'name':'Next'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "ACC-000004");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_requires_a_name)
{
    l2c_engine *e = tu_engine();
    tu_fails_unchanged(e, J("{'op':'create','type':'account','data':{}}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'account','data':{'name':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'account'}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'account','data':{'name':7}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_bad_currency_and_limit)
{
    l2c_engine *e = tu_engine();
    static const char *bad[] = {
        "'currency':'eur'",           "'currency':'XYZ'",        "'currency':978",
        "'credit_limit':'-1.00'",     "'credit_limit':19.99",    "'credit_limit':'1.001'",
        "'credit_limit':'12,50'",     "'payment_terms_days':-1", "'payment_terms_days':'x'",
        "'payment_terms_days':1.5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e, J("{'op':'create','type':'account','data':{'name':'A',%s}}", bad[i]),
                           "invalid_argument", "field.invalid");
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'account','data':{'name':'A',"
                         "'credit_limit':'92233720368547758.08'}}"),
                       "invalid_argument", "amount.overflow");
    /* a failed create gives its number back */
    cJSON *r = tu_ok(e, J("{'op':'create','type':'account','data':{'name':'A',"
                          "'credit_limit':'1.500'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.credit_limit"), "1.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- hold, release, close ---- */

START_TEST(hold_and_release_need_finance)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold',"
                         "'actor':{'id':'rep','roles':['sales_rep','sales_manager']}}"),
                       "forbidden", NULL);
    cJSON *r = tu_ok(e,
                     J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    ck_assert_str_eq(evs(r), "account.hold ACC-000001 on_hold v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "active");
    ck_assert_str_eq(tu_str(r, "events.0.data.actor.id"), "fin-1");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release'}"),
                       "forbidden", NULL);
    r = tu_ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release'," FIN "}"));
    ck_assert_str_eq(evs(r), "account.release ACC-000001 active v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(refused_transitions_change_nothing)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    /* active: release is not allowed (even for finance) */
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'account','id':'ACC-000001','event':'release',"
                         FIN "}"),
                       "invalid_transition", NULL);
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"),
                       "invalid_transition", NULL);
    /* the state is checked before the role */
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'}"),
                       "invalid_transition", NULL);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    ck_assert_str_eq(evs(r), "account.close ACC-000001 closed v3");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "on_hold");
    cJSON_Delete(r);
    static const char *events[] = {"hold", "release", "close"};
    for (size_t i = 0; i < 3; i++)
        tu_fails_unchanged(e,
                           J("{'op':'fire','type':'account','id':'ACC-000001','event':'%s',"
                             FIN "}",
                             events[i]),
                           "invalid_transition", NULL);
    expect(e, "account", "ACC-000001", "closed", 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(close_from_active)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    ck_assert_str_eq(evs(r), "account.close ACC-000001 closed v2");
    ck_assert_str_eq(tu_str(r, "entity.state"), "closed");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(close_refused_with_an_open_balance)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "100.00");
    issued_invoice(e, "INV-1", "SO-1");
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"),
                       "guard_rejected", "account.has_open_balance");
    /* the rule holds on hold too */
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"),
                       "guard_rejected", "account.has_open_balance");
    /* a disputed invoice is open as well */
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'dispute',"
            "'data':{'reason':'quality'}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"),
                       "guard_rejected", "account.has_open_balance");
    /* paid in full: nothing is open any more */
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'100.00',"
            "'allocations':[{'invoice':'INV-1','amount':'100.00'}]}}"));
    expect(e, "invoice", "INV-1", "paid", 4);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    ck_assert_str_eq(evs(r), "account.close ACC-000001 closed v3");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(close_refused_with_a_draft_invoice_that_owes)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "100.00");
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-1'}}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "0.00");
    tu_fails_unchanged(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"),
                       "guard_rejected", "account.has_open_balance");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    expect(e, "account", "ACC-000001", "closed", 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(close_allowed_with_a_draft_invoice_of_zero)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "0.00");
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-1'}}"));
    expect_str(e, "invoice", "INV-1", "balance", "0.00");
    close_account(e);
    expect(e, "account", "ACC-000001", "closed", 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(close_allowed_after_write_off)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "80.00");
    issued_invoice(e, "INV-1", "SO-1");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'write_off'," FIN "}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "0.00");
    close_account(e);
    expect(e, "account", "ACC-000001", "closed", 2);
    l2c_engine_free(e);
}
END_TEST

/* ---- derived amounts ---- */

START_TEST(open_balance_sums_issued_overdue_and_disputed_invoices)
{
    l2c_engine *e = with_account("{'name':'Acme','payment_terms_days':10}");
    confirmed_order(e, "SO-1", "100.00");
    confirmed_order(e, "SO-2", "20.50");
    confirmed_order(e, "SO-3", "3.25");
    confirmed_order(e, "SO-4", "1000.00");
    issued_invoice(e, "INV-1", "SO-1");
    issued_invoice(e, "INV-2", "SO-2");
    issued_invoice(e, "INV-3", "SO-3");
    ok(e, J("{'op':'create','type':'invoice','id':'INV-4','data':{'order':'SO-4'}}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "123.75");
    ok(e, J("{'op':'clock','now':'2026-04-20T00:00:00Z'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'mark_overdue'}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'dispute',"
            "'data':{'reason':'other'}}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "123.75");
    /* a part payment lowers it; the account gets no event or version */
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'0.75',"
            "'allocations':[{'invoice':'INV-1','amount':'0.75'}]}}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "123.00");
    /* paid and void invoices owe nothing */
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'3.25',"
            "'allocations':[{'invoice':'INV-3','amount':'3.25'}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'void'," FIN "}"));
    expect_str(e, "account", "ACC-000001", "open_balance", "99.25");
    expect(e, "account", "ACC-000001", "active", 1);
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_balance_is_the_excess_of_issued_credit_notes)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "100.00");
    issued_invoice(e, "INV-1", "SO-1");
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'60.00',"
            "'allocations':[{'invoice':'INV-1','amount':'60.00'}]}}"));
    ok(e, J("{'op':'create','type':'credit_note','id':'CN-1','data':{'invoice':'INV-1',"
            "'lines':[{'invoice_line':1,'qty':1}]}}"));
    expect_str(e, "account", "ACC-000001", "credit_balance", "0.00");
    ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    expect_str(e, "account", "ACC-000001", "credit_balance", "60.00");
    expect_str(e, "account", "ACC-000001", "open_balance", "0.00");
    expect(e, "account", "ACC-000001", "active", 1);
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_changes_name_limit_and_terms)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'clock','now':'2026-04-02T10:00:00+02:00'}"));
    cJSON *r = tu_ok(e, J("{'op':'update','type':'account','id':'ACC-000001',"
                          "'data':{'name':'Acme AG',"
                          "'credit_limit':'5000','payment_terms_days':45,'color':'red'}}"));
    ck_assert_str_eq(evs(r), "account.update ACC-000001 active v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "active");
    ck_assert_str_eq(tu_str(r, "entity.name"), "Acme AG");
    ck_assert_str_eq(tu_str(r, "entity.credit_limit"), "5000.00");
    ck_assert_int_eq(tu_num(r, "entity.payment_terms_days"), 45);
    ck_assert_ptr_null(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "entity"), "color"));
    ck_assert_str_eq(tu_str(r, "entity.created_at"), "2026-04-01T08:30:00Z");
    ck_assert_str_eq(tu_str(r, "entity.updated_at"), "2026-04-02T08:00:00Z");
    ck_assert_str_eq(tu_str(r, "events.0.time"), "2026-04-02T08:00:00Z");
    cJSON_Delete(r);
    /* the same values again are still an event; null lifts the limit */
    r = tu_ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'name':'Acme AG'}}"));
    ck_assert_str_eq(evs(r), "account.update ACC-000001 active v3");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'account','id':'ACC-000001',"
                   "'data':{'credit_limit':null}}"));
    ck_assert_ptr_null(tu_str(r, "entity.credit_limit"));
    cJSON_Delete(r);
    /* terms apply to invoices issued afterwards */
    confirmed_order(e, "SO-1", "10.00");
    issued_invoice(e, "INV-1", "SO-1");
    expect_str(e, "invoice", "INV-1", "due_date", "2026-05-17");
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_refuses_other_fields_and_closed_accounts)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    static const char *bad[] = {"'currency':'USD'", "'open_balance':'1.00'", "'state':'closed'",
                                "'id':'ACC-9'", "'version':7"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'update','type':'account','id':'ACC-000001','data':{%s}}",
                             bad[i]),
                           "invalid_argument", "field.immutable");
    tu_fails_unchanged(e, J("{'op':'update','type':'account','id':'ACC-000001',"
                            "'data':{'name':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e,
                       J("{'op':'update','type':'account','id':'ACC-000001',"
                         "'data':{'credit_limit':'-5'}}"),
                       "invalid_argument", "field.invalid");
    /* on hold is not terminal: it may still be edited */
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'payment_terms_days':0}}"));
    close_account(e);
    tu_fails_unchanged(e, J("{'op':'update','type':'account','id':'ACC-000001',"
                            "'data':{'name':'B'}}"),
                       "invalid_argument", "field.immutable");
    l2c_engine_free(e);
}
END_TEST

/* ---- account.closed, in each place it applies ---- */

START_TEST(closed_account_refuses_opportunities)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
            "'name':'Before'}}"));
    close_account(e);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                         "'name':'Deal'}}"),
                       "guard_rejected", "account.closed");
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_refuses_quotes)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"));
    close_account(e);
    /* account.closed comes before quote.opportunity_closed; the open
     * opportunity does not help */
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"),
                       "guard_rejected", "account.closed");
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
            "'data':{'reason':'gone'}}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"),
                       "guard_rejected", "account.closed");
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_refuses_direct_orders)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    close_account(e);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                         "'lines':[{'sku':'S','qty':1,'unit_price':'1.00'}]}}"),
                       "guard_rejected", "account.closed");
    /* the shape of data is checked before business rules */
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                         "'lines':[{'sku':'S','qty':1,'unit_price':1.5}]}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_refuses_lead_conversion)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Ann','company':'Acme'}}"));
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}"));
    close_account(e);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'account':'ACC-000001','opportunity':{'name':'Deal'}}}"),
                       "guard_rejected", "account.closed");
    /* into a new account it is fine */
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert'}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, "
                             "account.create ACC-000002 active v1");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_refuses_accepting_its_quotes)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
            "'valid_until':'2026-04-10',"
            "'lines':[{'sku':'S','qty':1,'unit_price':'5.00'}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'send'}"));
    close_account(e);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}"),
                       "guard_rejected", "account.closed");
    /* first among the rules of accept: it answers before quote.expired */
    ok(e, J("{'op':'clock','now':'2026-05-01T00:00:00Z'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}"),
                       "guard_rejected", "account.closed");
    expect(e, "quote", "Q-000001", "sent", 2);
    expect(e, "opportunity", "OPP-000001", "prospecting", 1);
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_refuses_confirming_its_orders)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1.00'}");
    draft_order(e, "SO-1", "500.00");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    close_account(e);
    /* closed is checked first: before on_hold-like or credit rules */
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.closed");
    /* cancelling is not new business */
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'cancel'}"));
    expect(e, "order", "SO-1", "cancelled", 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(closed_account_still_records_payments_and_credit_notes)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    confirmed_order(e, "SO-1", "100.00");
    issued_invoice(e, "INV-1", "SO-1");
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'100.00',"
            "'allocations':[{'invoice':'INV-1','amount':'100.00'}]}}"));
    close_account(e);
    cJSON *r = tu_ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001',"
                          "'amount':'7.00'}}"));
    ck_assert_str_eq(evs(r), "payment.create PAY-000002 received v1");
    cJSON_Delete(r);
    ok(e, J("{'op':'create','type':'credit_note','id':'CN-1','data':{'invoice':'INV-1',"
            "'lines':[{'invoice_line':1,'qty':1}],'reason':'returned'}}"));
    r = tu_ok(e, J("{'op':'fire','type':'credit_note','id':'CN-1','event':'issue'}"));
    ck_assert_str_eq(evs(r), "credit_note.issue CN-1 issued v2");
    ck_assert_str_eq(tu_str(r, "entity.excess"), "100.00");
    cJSON_Delete(r);
    expect_str(e, "account", "ACC-000001", "credit_balance", "100.00");
    expect(e, "account", "ACC-000001", "closed", 2);
    l2c_engine_free(e);
}
END_TEST

/* ---- account.on_hold ---- */

START_TEST(on_hold_account_cannot_confirm_orders)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    draft_order(e, "SO-1", "10.00");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.on_hold");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release'," FIN "}"));
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"));
    ck_assert_str_eq(evs(r), "order.confirm SO-1 confirmed v2");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(on_hold_account_still_takes_other_business)
{
    l2c_engine *e = with_account("{'name':'Acme'}");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
            "'lines':[{'sku':'S','qty':1,'unit_price':'5.00'}]}}"));
    ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'send'}"));
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}"));
    ck_assert_str_eq(evs(r), "quote.accept Q-000001 accepted v3, order.create SO-000001 draft v1, "
                             "opportunity.win OPP-000001 won v2");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}"),
                       "guard_rejected", "account.on_hold");
    l2c_engine_free(e);
}
END_TEST

/* ---- account.credit_limit_exceeded (§6 credit exposure) ---- */

START_TEST(credit_limit_refuses_only_strictly_above)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1000.00'}");
    draft_order(e, "SO-1", "1000.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    draft_order(e, "SO-2", "1000.00");
    ok(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"));
    expect(e, "order", "SO-2", "confirmed", 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_limit_counts_this_orders_total_with_tax)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'120.00'}");
    ok(e, J("{'op':'create','type':'order','id':'SO-1','data':{'account':'ACC-000001',"
            "'lines':[{'sku':'S','qty':1,'unit_price':'100.00','tax_rate_pct':'21'}]}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    ok(e, J("{'op':'update','type':'account','id':'ACC-000001','data':{'credit_limit':'121.00'}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_limit_zero_allows_only_free_orders)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':0}");
    draft_order(e, "SO-1", "0.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    draft_order(e, "SO-2", "0");
    ok(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_limit_null_is_unlimited)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':null}");
    confirmed_order(e, "SO-1", "900000000000.00");
    confirmed_order(e, "SO-2", "900000000000.00");
    expect(e, "order", "SO-2", "confirmed", 2);
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_exposure_counts_uninvoiced_confirmed_and_on_hold_orders)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1000.00'}");
    confirmed_order(e, "SO-1", "600.00");
    confirmed_order(e, "SO-2", "300.00");
    ok(e, J("{'op':'fire','type':'order','id':'SO-2','event':'hold'}"));
    draft_order(e, "SO-3", "100.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-3','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    /* a draft order does not count, whatever its size */
    draft_order(e, "SO-BIG", "5000.00");
    draft_order(e, "SO-4", "100.00");
    ok(e, J("{'op':'fire','type':'order','id':'SO-4','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_exposure_ignores_cancelled_and_closed_orders)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1000.00'}");
    confirmed_order(e, "SO-1", "600.00");
    confirmed_order(e, "SO-2", "400.00");
    draft_order(e, "SO-3", "700.00");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-3','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'cancel'}"));
    /* a short-closed order keeps nothing open either */
    ok(e, J("{'op':'fire','type':'order','id':'SO-2','event':'close','data':{'reason':'enough'}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-3','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_exposure_counts_invoice_balances_and_what_is_left_to_invoice)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1000.00'}");
    /* 4 x 100.00: one invoiced on a draft, one on an issued invoice that is
     * half paid, one on an issued invoice paid in full, one left */
    ok(e, J("{'op':'create','type':'order','id':'SO-1','data':{'account':'ACC-000001',"
            "'lines':[{'sku':'S','qty':4,'unit_price':'100.00'}]}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-1',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-2','data':{'order':'SO-1',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-2','event':'issue'}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-3','data':{'order':'SO-1',"
            "'lines':[{'order_line':1,'qty':1}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-3','event':'issue'}"));
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'150.00',"
            "'allocations':[{'invoice':'INV-2','amount':'50.00'},{'invoice':'INV-3',"
            "'amount':'100.00'}]}}"));
    /* exposure: 100 (draft) + 50 (INV-2) + 0 (INV-3 paid) + 100 (uninvoiced) = 250 */
    draft_order(e, "SO-2", "750.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    draft_order(e, "SO-3", "750.00");
    ok(e, J("{'op':'fire','type':'order','id':'SO-3','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_exposure_prices_what_is_left_by_the_line_formula)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'100.00'}");
    /* 3 x 10.00 at 10% off, 20% tax: one unit left = 9.00 + 1.80 = 10.80 */
    ok(e, J("{'op':'create','type':'order','id':'SO-1','data':{'account':'ACC-000001',"
            "'lines':[{'sku':'S','qty':3,'unit_price':'10.00','discount_pct':10,"
            "'tax_rate_pct':20}]}}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"));
    ok(e, J("{'op':'create','type':'invoice','id':'INV-1','data':{'order':'SO-1',"
            "'lines':[{'order_line':1,'qty':2}]}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'issue'}"));
    ok(e, J("{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'21.60',"
            "'allocations':[{'invoice':'INV-1','amount':'21.60'}]}}"));
    draft_order(e, "SO-2", "89.21");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    draft_order(e, "SO-3", "89.20");
    ok(e, J("{'op':'fire','type':'order','id':'SO-3','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_exposure_frees_what_a_void_invoice_held)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'100.00'}");
    confirmed_order(e, "SO-1", "60.00");
    issued_invoice(e, "INV-1", "SO-1");
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-1','event':'void'," FIN "}"));
    /* the invoice owes nothing, but the order is uninvoiced again: 60 */
    draft_order(e, "SO-2", "40.01");
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    ok(e, J("{'op':'fire','type':'order','id':'SO-1','event':'cancel'}"));
    ok(e, J("{'op':'fire','type':'order','id':'SO-2','event':'confirm'}"));
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_rules_come_in_design_order)
{
    l2c_engine *e = with_account("{'name':'Acme','credit_limit':'1.00'}");
    draft_order(e, "SO-1", "50.00");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'hold'," FIN "}"));
    /* on hold and over the limit: account.on_hold answers */
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.on_hold");
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'release'," FIN "}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    l2c_engine_free(e);
}
END_TEST

START_TEST(credit_limit_in_the_account_currency)
{
    l2c_engine *e = with_account("{'name':'Sato','currency':'JPY','credit_limit':1000}");
    ok(e, J("{'op':'create','type':'order','id':'SO-1','data':{'account':'ACC-000001',"
            "'lines':[{'sku':'S','qty':1,'unit_price':1001}]}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'order','id':'SO-1','event':'confirm'}"),
                       "guard_rejected", "account.credit_limit_exceeded");
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'order','data':{'account':'ACC-000001',"
                         "'lines':[{'sku':'S','qty':1,'unit_price':'10.5'}]}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("account");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_defaults_currency_terms_and_limit);
    tcase_add_test(tc, create_requires_a_name);
    tcase_add_test(tc, create_refuses_bad_currency_and_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("transitions");
    tcase_add_test(tc, hold_and_release_need_finance);
    tcase_add_test(tc, refused_transitions_change_nothing);
    tcase_add_test(tc, close_from_active);
    tcase_add_test(tc, close_refused_with_an_open_balance);
    tcase_add_test(tc, close_refused_with_a_draft_invoice_that_owes);
    tcase_add_test(tc, close_allowed_with_a_draft_invoice_of_zero);
    tcase_add_test(tc, close_allowed_after_write_off);
    suite_add_tcase(s, tc);
    tc = tcase_create("derived");
    tcase_add_test(tc, open_balance_sums_issued_overdue_and_disputed_invoices);
    tcase_add_test(tc, credit_balance_is_the_excess_of_issued_credit_notes);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_changes_name_limit_and_terms);
    tcase_add_test(tc, update_refuses_other_fields_and_closed_accounts);
    suite_add_tcase(s, tc);
    tc = tcase_create("closed");
    tcase_add_test(tc, closed_account_refuses_opportunities);
    tcase_add_test(tc, closed_account_refuses_quotes);
    tcase_add_test(tc, closed_account_refuses_direct_orders);
    tcase_add_test(tc, closed_account_refuses_lead_conversion);
    tcase_add_test(tc, closed_account_refuses_accepting_its_quotes);
    tcase_add_test(tc, closed_account_refuses_confirming_its_orders);
    tcase_add_test(tc, closed_account_still_records_payments_and_credit_notes);
    suite_add_tcase(s, tc);
    tc = tcase_create("on_hold");
    tcase_add_test(tc, on_hold_account_cannot_confirm_orders);
    tcase_add_test(tc, on_hold_account_still_takes_other_business);
    suite_add_tcase(s, tc);
    tc = tcase_create("credit");
    tcase_add_test(tc, credit_limit_refuses_only_strictly_above);
    tcase_add_test(tc, credit_limit_counts_this_orders_total_with_tax);
    tcase_add_test(tc, credit_limit_zero_allows_only_free_orders);
    tcase_add_test(tc, credit_limit_null_is_unlimited);
    tcase_add_test(tc, credit_exposure_counts_uninvoiced_confirmed_and_on_hold_orders);
    tcase_add_test(tc, credit_exposure_ignores_cancelled_and_closed_orders);
    tcase_add_test(tc, credit_exposure_counts_invoice_balances_and_what_is_left_to_invoice);
    tcase_add_test(tc, credit_exposure_prices_what_is_left_by_the_line_formula);
    tcase_add_test(tc, credit_exposure_frees_what_a_void_invoice_held);
    tcase_add_test(tc, credit_rules_come_in_design_order);
    tcase_add_test(tc, credit_limit_in_the_account_currency);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
