/* The quote record through l2c_exec_json: priced lines and exact money
 * (DESIGN §3), update in draft only, approval above the discount
 * threshold, send, accept with its cascades, decline, expire, revise,
 * cancel, the sweep, and each quote rule with what it leaves unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

#define LINE "{'sku':'S','qty':1,'unit_price':'10.00'}"

/* ACC-000001 in `currency` with OPP-000001 in prospecting. */
static l2c_engine *with_opportunity_in(const char *currency)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme','currency':'%s'}}", currency));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    return e;
}

static l2c_engine *with_opportunity(void) { return with_opportunity_in("EUR"); }

/* Quote `id` on OPP-000001 with `lines` (a JSON array) and `valid_until`
 * (a JSON value). */
static void quote(l2c_engine *e, const char *id, const char *lines, const char *valid_until)
{
    ok(e, J("{'op':'create','type':'quote','id':'%s','data':{'opportunity':'OPP-000001',"
            "'valid_until':%s,'lines':%s}}",
            id, valid_until, lines));
}

static void qfire(l2c_engine *e, const char *id, const char *event, const char *rest)
{
    ok(e, J("{'op':'fire','type':'quote','id':'%s','event':'%s'%s}", id, event, rest));
}

/* A plain quote `id` (one line, valid until 2026-04-10) brought to `state`. */
static void quote_in(l2c_engine *e, const char *id, const char *state)
{
    quote(e, id, "[" LINE "]", "'2026-04-10'");
    if (!strcmp(state, "draft"))
        return;
    if (!strcmp(state, "pending_approval") || !strcmp(state, "approved")) {
        qfire(e, id, "submit", "");
        if (!strcmp(state, "approved"))
            qfire(e, id, "approve", "," MGR);
        return;
    }
    qfire(e, id, "send", "");
    if (!strcmp(state, "accepted"))
        qfire(e, id, "accept", "");
    else if (!strcmp(state, "declined"))
        qfire(e, id, "decline", ",'data':{'reason':'no'}");
    else if (!strcmp(state, "cancelled"))
        qfire(e, id, "cancel", "");
    else if (!strcmp(state, "superseded"))
        qfire(e, id, "revise", "");
    else if (!strcmp(state, "expired")) {
        ok(e, J("{'op':'clock','now':'2026-04-11T00:00:00Z'}"));
        qfire(e, id, "expire", "");
        ok(e, J("{'op':'clock','now':'2026-04-01T08:30:00Z'}"));
    }
}

/* Create a quote with a single line `line` and expect the failure. */
static void line_fails(l2c_engine *e, const char *line, const char *rule)
{
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                         "'lines':[%s]}}",
                         line),
                       "invalid_argument", rule);
}

/* ---- creation ---- */

START_TEST(create_takes_the_account_currency_and_starts_at_revision_1)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'currency':'EUR','valid_until':'2026-04-30','lines':[" LINE "]}}"));
    ck_assert_str_eq(evs(r), "quote.create Q-000001 draft v1");
    ck_assert_str_eq(tu_str(r, "entity.opportunity"), "OPP-000001");
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    ck_assert_str_eq(tu_str(r, "entity.valid_until"), "2026-04-30");
    ck_assert_int_eq(tu_num(r, "entity.revision"), 1);
    ck_assert_ptr_null(tu_str(r, "entity.supersedes"));
    ck_assert_ptr_null(tu_str(r, "entity.superseded_by"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 1);
    cJSON_Delete(r);
    /* no lines, no date; a past date is accepted */
    r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 0);
    ck_assert_ptr_null(tu_str(r, "entity.valid_until"));
    ck_assert_str_eq(tu_str(r, "entity.total"), "0.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                   "'valid_until':'2020-01-01'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "Q-000003");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_missing_and_bad_fields)
{
    l2c_engine *e = with_opportunity();
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{}}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-9'}}"),
                       "not_found", NULL);
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                            "'currency':'USD'}}"),
                       "invalid_argument", "currency.mismatch");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                            "'currency':'usd'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                            "'valid_until':'tomorrow'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                            "'lines':{}}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                            "'lines':[7]}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refused_when_the_opportunity_is_closed)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e); /* OPP-000001 won */
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"),
                       "guard_rejected", "quote.opportunity_closed");
    l2c_engine_free(e);
    e = with_opportunity();
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
            "'data':{'reason':'r'}}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"),
                       "guard_rejected", "quote.opportunity_closed");
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'reopen'}"));
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"));
    ck_assert_str_eq(evs(r), "quote.create Q-000001 draft v1");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- money (DESIGN §3) ---- */

START_TEST(line_amounts_are_exact)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'sku':'FRZ-200','description':'Freezer unit','qty':2,"
                          "'unit_price':'4800.00','discount_pct':'25','tax_rate_pct':'21'},"
                          "{'sku':'INST','qty':1,'unit_price':'950.00','tax_rate_pct':'21'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.sku"), "FRZ-200");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.description"), "Freezer unit");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "4800.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.discount_pct"), "25");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.tax_rate_pct"), "21");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "7200.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.tax"), "1512.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.total"), "8712.00");
    ck_assert_ptr_null(tu_str(r, "entity.lines.1.description"));
    ck_assert_str_eq(tu_str(r, "entity.lines.1.discount_pct"), "0");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.tax"), "199.50");
    ck_assert_str_eq(tu_str(r, "entity.subtotal"), "8150.00");
    ck_assert_str_eq(tu_str(r, "entity.tax"), "1711.50");
    ck_assert_str_eq(tu_str(r, "entity.total"), "9861.50");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(each_line_rounds_half_away_from_zero)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'qty':1,'unit_price':'0.05','discount_pct':50},"  /* 0.025: 0.03 */
                          "{'qty':'0.5','unit_price':'0.01'},"                /* 0.005: 0.01 */
                          "{'qty':1,'unit_price':'0.10','tax_rate_pct':25}," /* tax 0.025 */
                          "{'qty':'0.249','unit_price':'0.10'},"              /* 0.0249: 0.02 */
                          "{'qty':3,'unit_price':'0.33','discount_pct':'33.33',"
                          "'tax_rate_pct':'7.5'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "0.03");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.net"), "0.01");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.qty"), "0.5");
    ck_assert_str_eq(tu_str(r, "entity.lines.2.tax"), "0.03");
    ck_assert_str_eq(tu_str(r, "entity.lines.3.net"), "0.02");
    ck_assert_str_eq(tu_str(r, "entity.lines.3.qty"), "0.249");
    /* 0.99 x 66.67% = 0.660033 -> 0.66; tax 0.66 x 7.5% = 0.0495 -> 0.05 */
    ck_assert_str_eq(tu_str(r, "entity.lines.4.net"), "0.66");
    ck_assert_str_eq(tu_str(r, "entity.lines.4.tax"), "0.05");
    ck_assert_str_eq(tu_str(r, "entity.lines.4.discount_pct"), "33.33");
    ck_assert_str_eq(tu_str(r, "entity.lines.4.tax_rate_pct"), "7.5");
    /* totals add the rounded lines */
    ck_assert_str_eq(tu_str(r, "entity.subtotal"), "0.82");
    ck_assert_str_eq(tu_str(r, "entity.tax"), "0.08");
    ck_assert_str_eq(tu_str(r, "entity.total"), "0.90");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(jpy_has_no_decimals)
{
    l2c_engine *e = with_opportunity_in("JPY");
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'qty':'1.5','unit_price':'333','discount_pct':10,'tax_rate_pct':10},"
                          "{'qty':1,'unit_price':'1200.000'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.currency"), "JPY");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "333");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "450"); /* 449.55 */
    ck_assert_str_eq(tu_str(r, "entity.lines.0.tax"), "45");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.unit_price"), "1200");
    ck_assert_str_eq(tu_str(r, "entity.total"), "1695");
    cJSON_Delete(r);
    line_fails(e, "{'qty':1,'unit_price':'333.5'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'0.1'}", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(kwd_has_three_decimals)
{
    l2c_engine *e = with_opportunity_in("KWD");
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'qty':3,'unit_price':'1.234','tax_rate_pct':5},"
                          "{'qty':1,'unit_price':'2.5000'},{'qty':1,'unit_price':7}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "1.234");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "3.702");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.tax"), "0.185"); /* 0.1851 */
    ck_assert_str_eq(tu_str(r, "entity.lines.1.unit_price"), "2.500");
    ck_assert_str_eq(tu_str(r, "entity.lines.2.unit_price"), "7.000");
    ck_assert_str_eq(tu_str(r, "entity.total"), "13.387");
    cJSON_Delete(r);
    line_fails(e, "{'qty':1,'unit_price':'1.2345'}", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(trailing_zeros_pass_and_more_decimals_are_refused)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'qty':'2.000','unit_price':'1.500','discount_pct':'10.00'},"
                          "{'qty':1,'unit_price':100.0}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.unit_price"), "1.50");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "2");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.discount_pct"), "10");
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "2.70");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.unit_price"), "100.00");
    cJSON_Delete(r);
    line_fails(e, "{'qty':1,'unit_price':'1.505'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.5001'}", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(json_numbers_with_a_fraction_are_refused)
{
    l2c_engine *e = with_opportunity();
    line_fails(e, "{'qty':1,'unit_price':19.99}", "field.invalid");
    line_fails(e, "{'qty':1.5,'unit_price':'1.00'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','discount_pct':12.5}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','tax_rate_pct':7.5}", "field.invalid");
    /* past 2^53 a JSON number must travel as a string */
    line_fails(e, "{'qty':1,'unit_price':1e16}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':9007199254740994}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':true}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1,00'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':' 1.00'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1e3'}", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(negative_or_missing_prices_and_bad_quantities_are_refused)
{
    l2c_engine *e = with_opportunity();
    line_fails(e, "{'qty':1,'unit_price':'-0.01'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':-1}", "field.invalid");
    line_fails(e, "{'qty':1}", "field.required");
    line_fails(e, "{'qty':1,'unit_price':''}", "field.required");
    line_fails(e, "{'unit_price':'1.00'}", "field.required");
    line_fails(e, "{'qty':0,'unit_price':'1.00'}", "field.invalid");
    line_fails(e, "{'qty':'-1','unit_price':'1.00'}", "field.invalid");
    line_fails(e, "{'qty':'0.0001','unit_price':'1.00'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','sku':5}", "field.invalid");
    /* a price of 0 is fine */
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':[{'qty':'0.001','unit_price':0}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.qty"), "0.001");
    ck_assert_str_eq(tu_str(r, "entity.total"), "0.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(percentages_stay_between_0_and_100_with_2_decimals)
{
    l2c_engine *e = with_opportunity();
    line_fails(e, "{'qty':1,'unit_price':'1.00','discount_pct':'100.01'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','discount_pct':-1}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','discount_pct':'12.345'}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','tax_rate_pct':101}", "field.invalid");
    line_fails(e, "{'qty':1,'unit_price':'1.00','tax_rate_pct':'-0.01'}", "field.invalid");
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':["
                          "{'qty':1,'unit_price':'9.99','discount_pct':100,'tax_rate_pct':100},"
                          "{'qty':1,'unit_price':'9.99','discount_pct':0,"
                          "'tax_rate_pct':'100.00'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.lines.0.net"), "0.00");
    ck_assert_str_eq(tu_str(r, "entity.lines.1.tax"), "9.99");
    ck_assert_str_eq(tu_str(r, "entity.total"), "19.98");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(amounts_past_int64_are_amount_overflow)
{
    l2c_engine *e = with_opportunity();
    line_fails(e, "{'qty':1,'unit_price':'99999999999999999999'}", "amount.overflow");
    line_fails(e, "{'qty':1,'unit_price':'92233720368547758.08'}", "amount.overflow");
    /* each part fits, the line does not */
    line_fails(e, "{'qty':1000,'unit_price':'92233720368547758.07'}", "amount.overflow");
    /* each line fits, the total does not */
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                         "'lines':["
                         "{'qty':1,'unit_price':'50000000000000000.00'},"
                         "{'qty':1,'unit_price':'50000000000000000.00'}]}}"),
                       "invalid_argument", "amount.overflow");
    /* the largest amount there is */
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001',"
                          "'lines':[{'qty':1,'unit_price':'92233720368547758.07'}]}}"));
    ck_assert_str_eq(tu_str(r, "entity.total"), "92233720368547758.07");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_replaces_lines_and_valid_until_in_draft)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-1", "[" LINE "]", "null");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'quote','id':'Q-1',"
                          "'data':{'valid_until':'2026-05-31',"
                          "'lines':[{'sku':'A','qty':3,'unit_price':'2.00'},{'sku':'B','qty':1,"
                          "'unit_price':'1.00'}]}}"));
    ck_assert_str_eq(evs(r), "quote.update Q-1 draft v2");
    ck_assert_str_eq(tu_str(r, "entity.valid_until"), "2026-05-31");
    ck_assert_int_eq(tu_len(r, "entity.lines"), 2);
    ck_assert_str_eq(tu_str(r, "entity.total"), "7.00");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'quote','id':'Q-1','data':{'lines':[],"
                   "'valid_until':null}}"));
    ck_assert_int_eq(tu_len(r, "entity.lines"), 0);
    ck_assert_ptr_null(tu_str(r, "entity.valid_until"));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'quote','id':'Q-1','data':{}}"));
    ck_assert_str_eq(evs(r), "quote.update Q-1 draft v4");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_refuses_other_fields_and_bad_lines)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-1", "[" LINE "]", "null");
    static const char *imm[] = {"'currency':'EUR'", "'opportunity':'OPP-000001'", "'revision':2",
                                "'supersedes':null", "'superseded_by':null", "'total':'1.00'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'quote','id':'Q-1','data':{%s}}", imm[i]),
                           "invalid_argument", "field.immutable");
    tu_fails_unchanged(e, J("{'op':'update','type':'quote','id':'Q-1','data':{'lines':[{'qty':1,"
                            "'unit_price':0.5}]}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e,
                       J("{'op':'update','type':'quote','id':'Q-1','data':{'lines':[{'qty':1,"
                         "'unit_price':'99999999999999999999'}]}}"),
                       "invalid_argument", "amount.overflow");
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_outside_draft_is_field_immutable)
{
    static const char *states[] = {"pending_approval", "approved", "sent", "accepted", "declined",
                                   "expired", "superseded", "cancelled"};
    for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
        l2c_engine *e = with_opportunity();
        quote_in(e, "Q-1", states[i]);
        tu_fails_unchanged(e, J("{'op':'update','type':'quote','id':'Q-1',"
                                "'data':{'valid_until':'2026-12-31'}}"),
                           "invalid_argument", "field.immutable");
        l2c_engine_free(e);
    }
}
END_TEST

/* ---- approval ---- */

START_TEST(submit_approve_and_reject)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "draft");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'submit'}"));
    ck_assert_str_eq(evs(r), "quote.submit Q-1 pending_approval v2");
    cJSON_Delete(r);
    r = tu_ok(e,
              J("{'op':'fire','type':'quote','id':'Q-1','event':'reject',"
                "'data':{'reason':'too cheap'}," MGR "}"));
    ck_assert_str_eq(evs(r), "quote.reject Q-1 draft v3");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "too cheap");
    ck_assert_str_eq(tu_str(r, "events.0.data.actor.roles.0"), "sales_manager");
    cJSON_Delete(r);
    qfire(e, "Q-1", "submit", "");
    r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'approve'," MGR "}"));
    ck_assert_str_eq(evs(r), "quote.approve Q-1 approved v5");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(approve_and_reject_need_a_sales_manager)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "pending_approval");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'approve'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'approve'," FIN "}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'quote','id':'Q-1','event':'approve',"
                         "'actor':{'id':'x','roles':[]}}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'reject',"
                            "'data':{'reason':'r'}}"),
                       "forbidden", NULL);
    /* the role comes before the contents of data */
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'reject'}"),
                       "forbidden", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'reject'," MGR "}"),
                       "invalid_argument", "field.required");
    l2c_engine_free(e);
}
END_TEST

START_TEST(send_needs_approval_above_20_percent_from_draft)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-20", "[{'qty':1,'unit_price':'10.00','discount_pct':20}," LINE "]", "null");
    quote(e, "Q-21", "[" LINE ",{'qty':1,'unit_price':'10.00','discount_pct':'20.01'}]", "null");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-20','event':'send'}"));
    ck_assert_str_eq(evs(r), "quote.send Q-20 sent v2");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-21','event':'send'}"),
                       "guard_rejected", "quote.approval_required");
    /* once approved it may be sent, whatever the discount */
    ok(e, J("{'op':'update','type':'quote','id':'Q-21','data':{'lines':[{'qty':1,"
            "'unit_price':'10.00','discount_pct':90}]}}"));
    qfire(e, "Q-21", "submit", "");
    qfire(e, "Q-21", "approve", "," MGR);
    r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-21','event':'send'}"));
    ck_assert_str_eq(evs(r), "quote.send Q-21 sent v5");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "approved");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(approval_threshold_comes_from_the_engine_options)
{
    l2c_engine_options o = L2C_ENGINE_OPTIONS_INIT;
    o.approval_threshold = "12.5";
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &o), 0);
    ck_assert_int_eq(l2c_clock_set(e, 1775032200), 0);
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    quote(e, "Q-A", "[{'qty':1,'unit_price':'10.00','discount_pct':'12.51'}]", "null");
    quote(e, "Q-B", "[{'qty':1,'unit_price':'10.00','discount_pct':'12.5'}]", "null");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-A','event':'send'}"),
                       "guard_rejected", "quote.approval_required");
    qfire(e, "Q-B", "send", "");
    expect(e, "quote", "Q-B", "sent", 2);
    l2c_engine_free(e);
}
END_TEST

/* ---- send ---- */

START_TEST(send_refuses_an_empty_quote)
{
    l2c_engine *e = with_opportunity();
    ok(e, J("{'op':'create','type':'quote','id':'Q-1','data':{'opportunity':'OPP-000001'}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'send'}"),
                       "guard_rejected", "quote.empty");
    /* an approved empty quote is still empty */
    qfire(e, "Q-1", "submit", "");
    qfire(e, "Q-1", "approve", "," MGR);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'send'}"),
                       "guard_rejected", "quote.empty");
    l2c_engine_free(e);
    e = with_opportunity();
    ok(e, J("{'op':'create','type':'quote','id':'Q-1','data':{'opportunity':'OPP-000001',"
            "'lines':[]}}"));
    ok(e, J("{'op':'update','type':'quote','id':'Q-1','data':{'lines':[" LINE "]}}"));
    qfire(e, "Q-1", "send", "");
    expect(e, "quote", "Q-1", "sent", 3);
    /* empty is the first rule of send: before expiry */
    quote(e, "Q-2", "[]", "'2026-01-01'");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-2','event':'send'}"),
                       "guard_rejected", "quote.empty");
    l2c_engine_free(e);
}
END_TEST

START_TEST(send_refuses_an_expired_quote)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-PAST", "[" LINE "]", "'2026-03-31'");
    quote(e, "Q-TODAY", "[" LINE "]", "'2026-04-01'");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-PAST','event':'send'}"),
                       "guard_rejected", "quote.expired");
    /* valid_until is the last day a quote is valid */
    qfire(e, "Q-TODAY", "send", "");
    expect(e, "quote", "Q-TODAY", "sent", 2);
    /* approval is checked before expiry */
    quote(e, "Q-BOTH", "[{'qty':1,'unit_price':'1.00','discount_pct':50}]", "'2026-03-31'");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-BOTH','event':'send'}"),
                       "guard_rejected", "quote.approval_required");
    qfire(e, "Q-BOTH", "submit", "");
    qfire(e, "Q-BOTH", "approve", "," MGR);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-BOTH','event':'send'}"),
                       "guard_rejected", "quote.expired");
    l2c_engine_free(e);
}
END_TEST

/* ---- accept ---- */

START_TEST(accept_creates_the_order_and_wins_the_opportunity)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-1",
          "[{'sku':'FRZ','description':'Freezer','qty':2,'unit_price':'4800.00','discount_pct':15,"
          "'tax_rate_pct':21},"
          "{'sku':'INST','qty':'1.5','unit_price':'950.00'}]",
          "'2026-04-30'");
    qfire(e, "Q-1", "send", "");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept'}"));
    ck_assert_str_eq(evs(r), "quote.accept Q-1 accepted v3, order.create SO-000001 draft v1, "
                             "opportunity.win OPP-000001 won v2");
    ck_assert_str_eq(tu_str(r, "entity.state"), "accepted");
    const char *o = "events.1.data.record.";
    char k[96];
#define O(f) (snprintf(k, sizeof k, "%s%s", o, f), k)
    ck_assert_str_eq(tu_str(r, O("quote")), "Q-1");
    ck_assert_str_eq(tu_str(r, O("account")), "ACC-000001");
    ck_assert_str_eq(tu_str(r, O("currency")), "EUR");
    ck_assert_int_eq(tu_len(r, O("lines")), 2);
    ck_assert_int_eq(tu_num(r, O("lines.0.line")), 1);
    ck_assert_int_eq(tu_num(r, O("lines.1.line")), 2);
    ck_assert_str_eq(tu_str(r, O("lines.0.sku")), "FRZ");
    ck_assert_str_eq(tu_str(r, O("lines.0.description")), "Freezer");
    ck_assert_str_eq(tu_str(r, O("lines.0.unit_price")), "4800.00");
    ck_assert_str_eq(tu_str(r, O("lines.0.discount_pct")), "15");
    ck_assert_str_eq(tu_str(r, O("lines.0.tax_rate_pct")), "21");
    ck_assert_str_eq(tu_str(r, O("lines.0.ordered")), "2");
    ck_assert_str_eq(tu_str(r, O("lines.0.fulfilled")), "0");
    ck_assert_str_eq(tu_str(r, O("lines.0.invoiced")), "0");
    ck_assert_str_eq(tu_str(r, O("lines.1.ordered")), "1.5");
    ck_assert_str_eq(tu_str(r, O("lines.1.net")), "1425.00");
    ck_assert_str_eq(tu_str(r, O("total")), "11298.60");
    ck_assert_str_eq(tu_str(r, O("fulfillment_status")), "none");
    ck_assert_str_eq(tu_str(r, O("billing_status")), "none");
#undef O
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(accept_cancels_the_other_open_quotes_of_the_opportunity)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-D", "draft");
    quote_in(e, "Q-1", "sent");
    quote_in(e, "Q-X", "declined");
    quote_in(e, "Q-S", "sent");
    quote_in(e, "Q-A", "approved");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept'}"));
    ck_assert_str_eq(evs(r), "quote.accept Q-1 accepted v3, order.create SO-000001 draft v1, "
                             "opportunity.win OPP-000001 won v2, quote.cancel Q-D cancelled v2, "
                             "quote.cancel Q-S cancelled v3, quote.cancel Q-A cancelled v4");
    ck_assert_str_eq(tu_str(r, "events.3.data.from"), "draft");
    cJSON_Delete(r);
    expect(e, "quote", "Q-X", "declined", 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(accept_takes_the_order_id_given)
{
    l2c_engine *e = with_opportunity();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Other'}}"));
    ok(e, J("{'op':'create','type':'order','id':'SO-TAKEN','data':{'account':'ACC-000002',"
            "'lines':[" LINE "]}}"));
    quote_in(e, "Q-1", "sent");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept',"
                            "'data':{'order_id':'SO-TAKEN'}}"),
                       "already_exists", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept',"
                            "'data':{'order_id':'SO 1'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept',"
                            "'data':{'order_id':12}}"),
                       "invalid_argument", "field.invalid");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept',"
                          "'data':{'order_id':'SO-ACME-1'}}"));
    ck_assert_str_eq(evs(r), "quote.accept Q-1 accepted v3, order.create SO-ACME-1 draft v1, "
                             "opportunity.win OPP-000001 won v2");
    cJSON_Delete(r);
    /* a generated id skips nothing: SO-000001 is still free */
    r = tu_ok(e, J("{'op':'create','type':'order','data':{'account':'ACC-000002',"
                   "'lines':[" LINE "]}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "SO-000001");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(accept_refuses_an_expired_quote)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "sent"); /* valid until 2026-04-10 */
    ok(e, J("{'op':'clock','now':'2026-04-11T00:00:00Z'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept'}"),
                       "guard_rejected", "quote.expired");
    ok(e, J("{'op':'clock','now':'2026-04-10T23:59:59Z'}"));
    qfire(e, "Q-1", "accept", "");
    expect(e, "quote", "Q-1", "accepted", 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(accept_refused_when_the_opportunity_is_no_longer_open)
{
    /* with the built-in processes winning or losing cancels every open quote;
     * a custom state outside opportunity.open shows the rule (DESIGN §8) */
    l2c_engine *e = with_opportunity();
    const char *park = J("{'type':'opportunity','extends':true,'states':['parked'],"
                         "'transitions':[{'event':'park','from':['prospecting'],'to':'parked'}]}");
    ck_assert_int_eq(l2c_engine_load_process(e, park), 0);
    quote_in(e, "Q-1", "sent");
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'park'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept'}"),
                       "guard_rejected", "quote.opportunity_closed");
    /* quote.expired comes before it */
    ok(e, J("{'op':'clock','now':'2026-04-11T00:00:00Z'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'accept'}"),
                       "guard_rejected", "quote.expired");
    l2c_engine_free(e);
}
END_TEST

/* ---- decline, expire, cancel ---- */

START_TEST(decline_needs_a_reason)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "sent");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'decline'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'decline',"
                            "'data':{'reason':''}}"),
                       "invalid_argument", "field.required");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'decline',"
                          "'data':{'reason':'price'}}"));
    ck_assert_str_eq(evs(r), "quote.decline Q-1 declined v3");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "price");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(expire_only_after_valid_until)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "sent");
    quote(e, "Q-NULL", "[" LINE "]", "null");
    qfire(e, "Q-NULL", "send", "");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'expire'}"),
                       "guard_rejected", "quote.not_expired");
    ok(e, J("{'op':'clock','now':'2026-04-10T23:59:59Z'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'expire'}"),
                       "guard_rejected", "quote.not_expired");
    ok(e, J("{'op':'clock','now':'2026-04-11T00:00:00Z'}"));
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'expire'}"));
    ck_assert_str_eq(evs(r), "quote.expire Q-1 expired v3");
    cJSON_Delete(r);
    /* without valid_until a quote never expires */
    ok(e, J("{'op':'clock','now':'2099-01-01T00:00:00Z'}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-NULL','event':'expire'}"),
                       "guard_rejected", "quote.not_expired");
    l2c_engine_free(e);
}
END_TEST

START_TEST(cancel_from_every_open_state)
{
    static const char *states[] = {"draft", "pending_approval", "approved", "sent"};
    static const int version[] = {2, 3, 4, 3};
    for (int i = 0; i < 4; i++) {
        l2c_engine *e = with_opportunity();
        quote_in(e, "Q-1", states[i]);
        cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'cancel'}"));
        ck_assert_str_eq(tu_str(r, "events.0.data.from"), states[i]);
        ck_assert_str_eq(tu_str(r, "entity.state"), "cancelled");
        ck_assert_int_eq(tu_num(r, "entity.version"), version[i]);
        ck_assert_int_eq(tu_len(r, "events"), 1);
        cJSON_Delete(r);
        l2c_engine_free(e);
    }
}
END_TEST

START_TEST(refused_transitions_in_every_state)
{
    static const struct {
        const char *state;
        const char *refused;
    } cases[] = {
        {"draft", "approve reject accept decline expire revise"},
        {"pending_approval", "submit send accept decline expire revise"},
        {"approved", "submit approve reject accept decline expire revise"},
        {"sent", "submit approve reject send"},
        {"accepted", "submit approve reject send accept decline expire revise cancel"},
        {"declined", "submit approve reject send accept decline expire cancel"},
        {"expired", "submit approve reject send accept decline expire cancel"},
        {"superseded", "submit approve reject send accept decline expire revise cancel"},
        {"cancelled", "submit approve reject send accept decline expire revise cancel"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        l2c_engine *e = with_opportunity();
        quote_in(e, "Q-1", cases[i].state);
        /* (not strtok: the test helpers use it) */
        for (const char *ev = cases[i].refused; *ev;) {
            int n = (int)strcspn(ev, " ");
            tu_fails_unchanged(e,
                               J("{'op':'fire','type':'quote','id':'Q-1','event':'%.*s',"
                                 "'data':{'reason':'r'}," MGR "}",
                                 n, ev),
                               "invalid_transition", NULL);
            ev += n + (ev[n] == ' ');
        }
        l2c_engine_free(e);
    }
}
END_TEST

/* ---- revise ---- */

START_TEST(revise_supersedes_with_a_new_draft)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-1", "[{'sku':'A','qty':2,'unit_price':'5.00','discount_pct':30}," LINE "]",
          "'2026-04-10'");
    qfire(e, "Q-1", "submit", "");
    qfire(e, "Q-1", "approve", "," MGR);
    qfire(e, "Q-1", "send", "");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise'}"));
    ck_assert_str_eq(evs(r), "quote.revise Q-1 superseded v5, quote.create Q-000001 draft v1");
    ck_assert_str_eq(tu_str(r, "entity.superseded_by"), "Q-000001");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.supersedes"), "Q-1");
    ck_assert_ptr_null(tu_str(r, "events.1.data.record.superseded_by"));
    ck_assert_int_eq(tu_num(r, "events.1.data.record.revision"), 2);
    ck_assert_str_eq(tu_str(r, "events.1.data.record.valid_until"), "2026-04-10");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.opportunity"), "OPP-000001");
    ck_assert_int_eq(tu_len(r, "events.1.data.record.lines"), 2);
    ck_assert_str_eq(tu_str(r, "events.1.data.record.lines.0.discount_pct"), "30");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.total"), "17.00");
    cJSON_Delete(r);
    /* the new draft needs its own approval, and can be changed */
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-000001','event':'send'}"),
                       "guard_rejected", "quote.approval_required");
    ok(e, J("{'op':'update','type':'quote','id':'Q-000001','data':{'lines':[" LINE "]}}"));
    expect_str(e, "quote", "Q-1", "total", "17.00");
    l2c_engine_free(e);
}
END_TEST

START_TEST(revise_from_declined_and_expired_with_given_id_and_date)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "declined");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise',"
                          "'data':{'new_id':'Q-1-R2','valid_until':'2026-06-30'}}"));
    ck_assert_str_eq(evs(r), "quote.revise Q-1 superseded v4, quote.create Q-1-R2 draft v1");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "declined");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.valid_until"), "2026-06-30");
    cJSON_Delete(r);
    /* revise the revision: revision 3 */
    qfire(e, "Q-1-R2", "send", "");
    ok(e, J("{'op':'clock','now':'2026-07-01T00:00:00Z'}"));
    qfire(e, "Q-1-R2", "expire", "");
    r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-1-R2','event':'revise',"
                   "'data':{'valid_until':null}}"));
    ck_assert_str_eq(evs(r), "quote.revise Q-1-R2 superseded v4, quote.create Q-000001 draft v1");
    ck_assert_int_eq(tu_num(r, "events.1.data.record.revision"), 3);
    ck_assert_str_eq(tu_str(r, "events.1.data.record.supersedes"), "Q-1-R2");
    ck_assert_ptr_null(tu_str(r, "events.1.data.record.valid_until"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(revise_refuses_a_taken_or_bad_id)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-OTHER", "draft");
    quote_in(e, "Q-1", "sent");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise',"
                            "'data':{'new_id':'Q-OTHER'}}"),
                       "already_exists", NULL);
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise',"
                            "'data':{'new_id':'a#b'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise',"
                            "'data':{'valid_until':'2026-13-01'}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(revise_refused_when_the_opportunity_is_closed)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-1", "declined");
    quote_in(e, "Q-2", "expired");
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
            "'data':{'reason':'r'}}"));
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-1','event':'revise'}"),
                       "guard_rejected", "quote.opportunity_closed");
    tu_fails_unchanged(e, J("{'op':'fire','type':'quote','id':'Q-2','event':'revise'}"),
                       "guard_rejected", "quote.opportunity_closed");
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'reopen'}"));
    qfire(e, "Q-1", "revise", "");
    expect(e, "quote", "Q-1", "superseded", 4);
    l2c_engine_free(e);
}
END_TEST

/* ---- sweep ---- */

START_TEST(sweep_expires_sent_quotes_past_valid_until)
{
    l2c_engine *e = with_opportunity();
    quote(e, "Q-B", "[" LINE "]", "'2026-04-05'");
    quote(e, "Q-A", "[" LINE "]", "'2026-04-03'");
    quote(e, "Q-LAST", "[" LINE "]", "'2026-04-06'");
    quote(e, "Q-NULL", "[" LINE "]", "null");
    quote(e, "Q-DRAFT", "[" LINE "]", "'2026-04-02'");
    qfire(e, "Q-B", "send", "");
    qfire(e, "Q-A", "send", "");
    qfire(e, "Q-LAST", "send", "");
    qfire(e, "Q-NULL", "send", "");
    ok(e, J("{'op':'clock','now':'2026-04-06T12:00:00Z'}"));
    cJSON *r = tu_ok(e, J("{'op':'sweep'}"));
    ck_assert_str_eq(evs(r), "quote.expire Q-B expired v3, quote.expire Q-A expired v3");
    const cJSON *ev0 = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "events"), 0);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(ev0, "data"), "actor")));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'sweep'}"));
    ck_assert_int_eq(tu_len(r, "events"), 0);
    cJSON_Delete(r);
    expect(e, "quote", "Q-LAST", "sent", 2);
    expect(e, "quote", "Q-NULL", "sent", 2);
    expect(e, "quote", "Q-DRAFT", "draft", 1);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("quote");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_takes_the_account_currency_and_starts_at_revision_1);
    tcase_add_test(tc, create_refuses_missing_and_bad_fields);
    tcase_add_test(tc, create_refused_when_the_opportunity_is_closed);
    suite_add_tcase(s, tc);
    tc = tcase_create("money");
    tcase_add_test(tc, line_amounts_are_exact);
    tcase_add_test(tc, each_line_rounds_half_away_from_zero);
    tcase_add_test(tc, jpy_has_no_decimals);
    tcase_add_test(tc, kwd_has_three_decimals);
    tcase_add_test(tc, trailing_zeros_pass_and_more_decimals_are_refused);
    tcase_add_test(tc, json_numbers_with_a_fraction_are_refused);
    tcase_add_test(tc, negative_or_missing_prices_and_bad_quantities_are_refused);
    tcase_add_test(tc, percentages_stay_between_0_and_100_with_2_decimals);
    tcase_add_test(tc, amounts_past_int64_are_amount_overflow);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_replaces_lines_and_valid_until_in_draft);
    tcase_add_test(tc, update_refuses_other_fields_and_bad_lines);
    tcase_add_test(tc, update_outside_draft_is_field_immutable);
    suite_add_tcase(s, tc);
    tc = tcase_create("approval");
    tcase_add_test(tc, submit_approve_and_reject);
    tcase_add_test(tc, approve_and_reject_need_a_sales_manager);
    tcase_add_test(tc, send_needs_approval_above_20_percent_from_draft);
    tcase_add_test(tc, approval_threshold_comes_from_the_engine_options);
    suite_add_tcase(s, tc);
    tc = tcase_create("send_accept");
    tcase_add_test(tc, send_refuses_an_empty_quote);
    tcase_add_test(tc, send_refuses_an_expired_quote);
    tcase_add_test(tc, accept_creates_the_order_and_wins_the_opportunity);
    tcase_add_test(tc, accept_cancels_the_other_open_quotes_of_the_opportunity);
    tcase_add_test(tc, accept_takes_the_order_id_given);
    tcase_add_test(tc, accept_refuses_an_expired_quote);
    tcase_add_test(tc, accept_refused_when_the_opportunity_is_no_longer_open);
    suite_add_tcase(s, tc);
    tc = tcase_create("other_transitions");
    tcase_add_test(tc, decline_needs_a_reason);
    tcase_add_test(tc, expire_only_after_valid_until);
    tcase_add_test(tc, cancel_from_every_open_state);
    tcase_add_test(tc, refused_transitions_in_every_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("revise");
    tcase_add_test(tc, revise_supersedes_with_a_new_draft);
    tcase_add_test(tc, revise_from_declined_and_expired_with_given_id_and_date);
    tcase_add_test(tc, revise_refuses_a_taken_or_bad_id);
    tcase_add_test(tc, revise_refused_when_the_opportunity_is_closed);
    suite_add_tcase(s, tc);
    tc = tcase_create("sweep");
    tcase_add_test(tc, sweep_expires_sent_quotes_past_valid_until);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
