/* Reports (DESIGN §9) on one fixed scenario whose figures are worked out by
 * hand below (docs/reports.md explains every formula). Commands are written
 * with single quotes for readability; run() turns them into JSON. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

/* A command in single-quote form, as JSON. */
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

static void fails(l2c_engine *e, const char *cmd, const char *code, const char *rule)
{
    char *j = dq(cmd);
    tu_fails_unchanged(e, j, code, rule);
    free(j);
}

#define STR(j, path, want)                                                                   \
    do {                                                                                     \
        const char *got_ = tu_str((j), (path));                                              \
        ck_assert_msg(got_ && strcmp(got_, (want)) == 0, "%s: got %s, want %s", (path),      \
                      got_ ? got_ : "(none)", (want));                                       \
    } while (0)
#define NUM(j, path, want) ck_assert_msg(tu_num((j), (path)) == (want), "%s: got %g, want %g", \
                                         (path), tu_num((j), (path)), (double)(want))
#define ISNULL(j, path) ck_assert_msg(cJSON_IsNull(at((j), (path))), "%s: not null", (path))

/* The value at a dotted path (keys only). */
static const cJSON *at(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && j; tok = strtok(NULL, "."))
        j = cJSON_IsArray(j) ? cJSON_GetArrayItem(j, atoi(tok))
                             : cJSON_GetObjectItemCaseSensitive(j, tok);
    return j;
}

/* The scenario. Leads: L1 and L2 converted (L1's opportunity won, L2's
 * lost), L3 new, L4 disqualified. Opportunities, all created 2026-04-01
 * 08:30: OPP1 12000.00 EUR qualified, proposed, won 04-11 08:30 (10 days);
 * OPP2 3000.00 EUR qualified, lost; OPP3 500000 JPY won 04-04 20:30
 * (3.5 days); OPP4 no amount, qualified, proposed, negotiating; OPP5
 * 1000.00 EUR won 04-02 08:30 (1 day). Quotes: Q1, Q2, Q3 accepted, Q4
 * declined, Q5 expired, Q6 draft. Orders: SO1 from Q3 (500.00), SO2 from
 * Q2 (2 x 100000 JPY), SO3 from Q1 (3 x 1100.00 with tax). Invoices (terms
 * 30 days): INV1 SO3 1100.00 issued 04-12, due 05-12; INV2 SO3 1100.00
 * issued 05-20, due 06-19, 300.00 paid; INV3 SO2 100000 JPY issued 06-25,
 * due 07-25, disputed (quality) 08-15; INV4 SO2 issued 06-26 and voided;
 * INV5 SO1 500.00 issued 07-01, due 07-31, disputed (pricing); INV6 SO3
 * 1100.00 issued 08-10, due 09-09. The clock ends at 2026-08-15 12:00. */
static const char *const scenario[] = {
    "{'op':'clock','now':'2026-04-01T08:30:00Z'}",
    "{'op':'create','type':'lead','data':{'name':'Ines','company':'Ortega Foods'}}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
    "'data':{'opportunity':{'name':'Cold storage','amount':'12000.00'}}}",
    "{'op':'create','type':'lead','data':{'name':'Bo'}}",
    "{'op':'fire','type':'lead','id':'L-000002','event':'qualify'}",
    "{'op':'fire','type':'lead','id':'L-000002','event':'convert','data':{'account':'ACC-000001',"
    "'opportunity':{'name':'Spare parts','amount':'3000.00'}}}",
    "{'op':'create','type':'lead','data':{'name':'Cy'}}",
    "{'op':'create','type':'lead','data':{'name':'Di'}}",
    "{'op':'fire','type':'lead','id':'L-000004','event':'disqualify','data':{'reason':'no budget'}}",
    "{'op':'create','type':'account','data':{'name':'Kanto','currency':'JPY'}}",
    "{'op':'create','type':'opportunity','data':{'account':'ACC-000002','name':'Robots',"
    "'amount':500000}}",
    "{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Later'}}",
    "{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Spares',"
    "'amount':'1000.00'}}",
    "{'op':'fire','type':'opportunity','id':'OPP-000001','event':'qualify'}",
    "{'op':'fire','type':'opportunity','id':'OPP-000001','event':'propose'}",
    "{'op':'fire','type':'opportunity','id':'OPP-000002','event':'qualify'}",
    "{'op':'fire','type':'opportunity','id':'OPP-000002','event':'lose','data':{'reason':'price'}}",
    "{'op':'fire','type':'opportunity','id':'OPP-000004','event':'qualify'}",
    "{'op':'fire','type':'opportunity','id':'OPP-000004','event':'propose'}",
    "{'op':'fire','type':'opportunity','id':'OPP-000004','event':'negotiate'}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','lines':[{'sku':'A','qty':3,"
    "'unit_price':'1000.00','tax_rate_pct':'10'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'send'}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000003','lines':[{'sku':'R','qty':2,"
    "'unit_price':100000}]}}",
    "{'op':'fire','type':'quote','id':'Q-000002','event':'send'}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000005','lines':[{'sku':'S','qty':1,"
    "'unit_price':'500.00'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000003','event':'send'}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000004','lines':[{'sku':'L','qty':1,"
    "'unit_price':'10.00'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000004','event':'send'}",
    "{'op':'fire','type':'quote','id':'Q-000004','event':'decline','data':{'reason':'too early'}}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000004','valid_until':'2026-04-05',"
    "'lines':[{'sku':'L','qty':1,'unit_price':'9.00'}]}}",
    "{'op':'fire','type':'quote','id':'Q-000005','event':'send'}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000004'}}",
    "{'op':'clock','now':'2026-04-02T08:30:00Z'}",
    "{'op':'fire','type':'quote','id':'Q-000003','event':'accept'}",
    "{'op':'clock','now':'2026-04-04T20:30:00Z'}",
    "{'op':'fire','type':'quote','id':'Q-000002','event':'accept'}",
    "{'op':'clock','now':'2026-04-06T00:00:00Z'}",
    "{'op':'fire','type':'quote','id':'Q-000005','event':'expire'}",
    "{'op':'clock','now':'2026-04-11T08:30:00Z'}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}",
    "{'op':'fire','type':'order','id':'SO-000001','event':'confirm'}",
    "{'op':'fire','type':'order','id':'SO-000002','event':'confirm'}",
    "{'op':'fire','type':'order','id':'SO-000003','event':'confirm'}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000003','lines':[{'order_line':1,'qty':1}]}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000003','lines':[{'order_line':1,'qty':1}]}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000002','lines':[{'order_line':1,'qty':1}]}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000002','lines':[{'order_line':1,'qty':1}]}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000001'}}",
    "{'op':'create','type':'invoice','data':{'order':'SO-000003','lines':[{'order_line':1,'qty':1}]}}",
    "{'op':'clock','now':'2026-04-12T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}",
    "{'op':'clock','now':'2026-05-20T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000002','event':'issue'}",
    "{'op':'create','type':'payment','data':{'account':'ACC-000001','amount':'300.00',"
    "'allocations':[{'invoice':'INV-000002','amount':'300.00'}]}}",
    "{'op':'clock','now':'2026-06-25T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000003','event':'issue'}",
    "{'op':'clock','now':'2026-06-26T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000004','event':'issue'}",
    "{'op':'fire','type':'invoice','id':'INV-000004','event':'void','actor':{'id':'f',"
    "'roles':['finance']}}",
    "{'op':'clock','now':'2026-07-01T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000005','event':'issue'}",
    "{'op':'fire','type':'invoice','id':'INV-000005','event':'dispute','data':{'reason':'pricing'}}",
    "{'op':'clock','now':'2026-08-10T10:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000006','event':'issue'}",
    "{'op':'clock','now':'2026-08-15T12:00:00Z'}",
    "{'op':'fire','type':'invoice','id':'INV-000003','event':'dispute','data':{'reason':'quality'}}",
};

static l2c_engine *scenario_engine(void)
{
    l2c_engine *e = tu_engine();
    for (size_t i = 0; i < sizeof scenario / sizeof *scenario; i++)
        cJSON_Delete(run(e, scenario[i]));
    return e;
}

START_TEST(report_answers_name_and_as_of_from_the_clock)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'funnel'}");
    ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
    STR(r, "report", "funnel");
    STR(r, "as_of", "2026-08-15");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'funnel','as_of':'2027-01-31'}");
    STR(r, "as_of", "2027-01-31");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(report_changes_nothing)
{
    l2c_engine *e = scenario_engine();
    char *before = tu_snapshot(e);
    uint64_t last = l2c_events_last(e);
    static const char *const names[] = {"funnel", "win_rate", "cycle_time", "aging",
                                        "dso",    "disputes"};
    for (size_t i = 0; i < 6; i++) {
        char cmd[96];
        snprintf(cmd, sizeof cmd, "{'op':'report','name':'%s'}", names[i]);
        cJSON_Delete(run(e, cmd));
    }
    cJSON_Delete(run(e, "{'op':'report','name':'account','id':'ACC-000001'}"));
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    ck_assert_uint_eq(last, l2c_events_last(e));
    free(before);
    free(after);
    l2c_engine_free(e);
}
END_TEST

START_TEST(report_errors)
{
    l2c_engine *e = scenario_engine();
    fails(e, "{'op':'report'}", "invalid_argument", "field.required");
    fails(e, "{'op':'report','name':''}", "invalid_argument", "field.required");
    fails(e, "{'op':'report','name':'pipeline'}", "invalid_argument", "field.invalid");
    fails(e, "{'op':'report','name':7}", "invalid_argument", "field.invalid");
    fails(e, "{'op':'report','name':'aging','as_of':'2026-02-30'}", "invalid_argument",
          "field.invalid");
    fails(e, "{'op':'report','name':'aging','as_of':20260801}", "invalid_argument",
          "field.invalid");
    fails(e, "{'op':'report','name':'account'}", "invalid_argument", "field.required");
    fails(e, "{'op':'report','name':'account','id':'ACC-404'}", "not_found", NULL);
    fails(e, "{'op':'report','name':'account','id':'L-000001'}", "not_found", NULL);
    fails(e, "{'op':'report','name':'dso','from':'2026-05-02','to':'2026-05-01'}",
          "invalid_argument", "field.invalid");
    fails(e, "{'op':'report','name':'dso','from':'May 1'}", "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

/* leads by state; opportunities by state; conversion between adjacent stages
 * (prospecting → qualification: all 5 were in prospecting, OPP1, OPP2 and
 * OPP4 went on: 3/5; qualification → proposal: OPP1, OPP4 of 3: 0.6667;
 * proposal → negotiation: OPP4 of 2; negotiation → won: 0 of 1);
 * lead_to_won: L1 of 4 leads. */
START_TEST(funnel_counts_states_and_conversion_from_events)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'funnel'}");
    NUM(r, "leads.new", 1);
    NUM(r, "leads.working", 0);
    NUM(r, "leads.qualified", 0);
    NUM(r, "leads.converted", 2);
    NUM(r, "leads.disqualified", 1);
    NUM(r, "opportunities.prospecting", 0);
    NUM(r, "opportunities.negotiation", 1);
    NUM(r, "opportunities.won", 3);
    NUM(r, "opportunities.lost", 1);
    ck_assert_int_eq(tu_len(r, "conversion"), 4);
    STR(r, "conversion.0.from", "prospecting");
    STR(r, "conversion.0.to", "qualification");
    NUM(r, "conversion.0.reached", 5);
    NUM(r, "conversion.0.converted", 3);
    STR(r, "conversion.0.rate", "0.6000");
    STR(r, "conversion.1.rate", "0.6667");
    NUM(r, "conversion.1.reached", 3);
    NUM(r, "conversion.1.converted", 2);
    STR(r, "conversion.2.from", "proposal");
    STR(r, "conversion.2.rate", "0.5000");
    STR(r, "conversion.3.from", "negotiation");
    STR(r, "conversion.3.to", "won");
    NUM(r, "conversion.3.reached", 1);
    STR(r, "conversion.3.rate", "0.0000");
    STR(r, "lead_to_won", "0.2500");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* A reopened opportunity that reaches qualification again counts once. */
START_TEST(funnel_counts_an_opportunity_once_per_stage)
{
    l2c_engine *e = tu_engine();
    cJSON_Delete(run(e, "{'op':'create','type':'account','id':'A','data':{'name':'A'}}"));
    cJSON_Delete(run(e, "{'op':'create','type':'opportunity','id':'O','data':{'account':'A',"
                        "'name':'O'}}"));
    cJSON_Delete(run(e, "{'op':'fire','type':'opportunity','id':'O','event':'qualify'}"));
    cJSON_Delete(run(e, "{'op':'fire','type':'opportunity','id':'O','event':'lose',"
                        "'data':{'reason':'x'}}"));
    cJSON_Delete(run(e, "{'op':'fire','type':'opportunity','id':'O','event':'reopen'}"));
    cJSON_Delete(run(e, "{'op':'fire','type':'opportunity','id':'O','event':'propose'}"));
    cJSON *r = run(e, "{'op':'report','name':'funnel'}");
    NUM(r, "conversion.0.reached", 1);
    NUM(r, "conversion.0.converted", 1);
    NUM(r, "conversion.1.reached", 1);
    NUM(r, "conversion.1.converted", 1);
    ISNULL(r, "conversion.3.rate");
    ISNULL(r, "lead_to_won"); /* no leads */
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* count: 3 won, 1 lost: 0.75; value EUR 13000.00 won (12000 + 1000),
 * 3000.00 lost: 13000 / 16000 = 0.8125; JPY 500000 won, 0 lost: 1;
 * quotes: 3 accepted of 5 decided (+ Q4 declined, Q5 expired). */
START_TEST(win_rate_by_count_value_per_currency_and_quotes)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'win_rate'}");
    NUM(r, "count.won", 3);
    NUM(r, "count.lost", 1);
    STR(r, "count.rate", "0.7500");
    STR(r, "value.EUR.won", "13000.00");
    STR(r, "value.EUR.lost", "3000.00");
    STR(r, "value.EUR.rate", "0.8125");
    STR(r, "value.JPY.won", "500000");
    STR(r, "value.JPY.lost", "0");
    STR(r, "value.JPY.rate", "1.0000");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "value")), 2);
    NUM(r, "quotes.accepted", 3);
    NUM(r, "quotes.decided", 5);
    STR(r, "quotes.rate", "0.6000");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(win_rate_is_null_without_decisions)
{
    l2c_engine *e = tu_engine();
    cJSON *r = run(e, "{'op':'report','name':'win_rate'}");
    NUM(r, "count.won", 0);
    ISNULL(r, "count.rate");
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "value")), 0);
    ISNULL(r, "quotes.rate");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* 1, 3.5 and 10 days: median 3.5, mean 14.5 / 3 = 4.8333 → 4.8. */
START_TEST(cycle_time_from_creation_to_the_win_event)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'cycle_time'}");
    NUM(r, "count", 3);
    STR(r, "median_days", "3.5");
    STR(r, "mean_days", "4.8");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* Two wins after 1 and 2.5 days: the median is the mean of the two middle
 * values, 1.75, which rounds half away from zero to 1.8. */
START_TEST(cycle_time_even_count_and_rounding)
{
    l2c_engine *e = tu_engine();
    static const char *const cmds[] = {
        "{'op':'clock','now':'2026-04-01T00:00:00Z'}",
        "{'op':'create','type':'account','id':'A','data':{'name':'A'}}",
        "{'op':'create','type':'opportunity','id':'O1','data':{'account':'A','name':'1'}}",
        "{'op':'create','type':'opportunity','id':'O2','data':{'account':'A','name':'2'}}",
        "{'op':'create','type':'quote','id':'Q1','data':{'opportunity':'O1','lines':[{'qty':1,"
        "'unit_price':1}]}}",
        "{'op':'create','type':'quote','id':'Q2','data':{'opportunity':'O2','lines':[{'qty':1,"
        "'unit_price':1}]}}",
        "{'op':'fire','type':'quote','id':'Q1','event':'send'}",
        "{'op':'fire','type':'quote','id':'Q2','event':'send'}",
        "{'op':'clock','now':'2026-04-02T00:00:00Z'}",
        "{'op':'fire','type':'quote','id':'Q1','event':'accept'}",
        "{'op':'clock','now':'2026-04-03T12:00:00Z'}",
        "{'op':'fire','type':'quote','id':'Q2','event':'accept'}",
    };
    cJSON *r = run(e, "{'op':'report','name':'cycle_time'}");
    NUM(r, "count", 0);
    ISNULL(r, "median_days");
    ISNULL(r, "mean_days");
    cJSON_Delete(r);
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        cJSON_Delete(run(e, cmds[i]));
    r = run(e, "{'op':'report','name':'cycle_time'}");
    NUM(r, "count", 2);
    STR(r, "median_days", "1.8");
    STR(r, "mean_days", "1.8");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* On 2026-08-15: INV1 95 days past due (over_90) 1100.00; INV2 57 days
 * (31_60) 800.00 left; INV5 15 days (1_30) 500.00; INV6 not yet due
 * (current) 1100.00; INV3 21 days (1_30) 100000 JPY. INV4 is void. */
START_TEST(aging_buckets_rows_and_totals_per_currency)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'aging'}");
    ck_assert_int_eq(tu_len(r, "rows"), 2);
    STR(r, "rows.0.account", "ACC-000001");
    STR(r, "rows.0.name", "Ortega Foods");
    STR(r, "rows.0.currency", "EUR");
    STR(r, "rows.0.current", "1100.00");
    STR(r, "rows.0.1_30", "500.00");
    STR(r, "rows.0.31_60", "800.00");
    STR(r, "rows.0.61_90", "0.00");
    STR(r, "rows.0.over_90", "1100.00");
    STR(r, "rows.0.total", "3500.00");
    STR(r, "rows.1.account", "ACC-000002");
    STR(r, "rows.1.currency", "JPY");
    STR(r, "rows.1.current", "0");
    STR(r, "rows.1.1_30", "100000");
    STR(r, "rows.1.total", "100000");
    STR(r, "totals.EUR.over_90", "1100.00");
    STR(r, "totals.EUR.total", "3500.00");
    STR(r, "totals.JPY.1_30", "100000");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* INV1 is due 2026-05-12: that day it is current, 30 days later 1_30, a
 * day more 31_60. */
START_TEST(aging_bucket_boundaries_follow_as_of)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'aging','as_of':'2026-05-12'}");
    STR(r, "rows.0.current", "3500.00");
    STR(r, "rows.0.1_30", "0.00");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'aging','as_of':'2026-06-11'}");
    STR(r, "rows.0.current", "2400.00");
    STR(r, "rows.0.1_30", "1100.00");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'aging','as_of':'2026-06-12'}");
    STR(r, "rows.0.1_30", "0.00");
    STR(r, "rows.0.31_60", "1100.00");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'aging','as_of':'2026-08-10'}"); /* INV1: 90 days */
    STR(r, "rows.0.61_90", "1100.00");
    STR(r, "rows.0.over_90", "0.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* Default period: the 30 days up to 2026-08-15 (07-17 .. 08-15). EUR
 * receivables 1100 + 800 + 500 + 1100 = 3500.00, credit sales INV6 1100.00:
 * 3500 / 1100 × 30 = 95.4545 → 95.5. JPY: receivables 100000, no sales: null. */
START_TEST(dso_default_period)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'dso'}");
    STR(r, "from", "2026-07-17");
    STR(r, "to", "2026-08-15");
    NUM(r, "days", 30);
    STR(r, "currencies.EUR.receivables", "3500.00");
    STR(r, "currencies.EUR.credit_sales", "1100.00");
    NUM(r, "currencies.EUR.days", 30);
    STR(r, "currencies.EUR.dso", "95.5");
    STR(r, "currencies.JPY.receivables", "100000");
    STR(r, "currencies.JPY.credit_sales", "0");
    ISNULL(r, "currencies.JPY.dso");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

/* 2026-04-01 .. 06-30 (91 days): EUR receivables issued by 06-30 are INV1
 * 1100.00 + INV2 800.00 = 1900.00, sales INV1 + INV2 = 2200.00:
 * 1900 / 2200 × 91 = 78.5909 → 78.6. JPY: INV3 100000 of 100000 (the void
 * INV4 is no sale): 91.0. */
START_TEST(dso_given_period_skips_void_invoices)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'dso','from':'2026-04-01','to':'2026-06-30'}");
    NUM(r, "days", 91);
    STR(r, "currencies.EUR.receivables", "1900.00");
    STR(r, "currencies.EUR.credit_sales", "2200.00");
    STR(r, "currencies.EUR.dso", "78.6");
    STR(r, "currencies.JPY.credit_sales", "100000");
    STR(r, "currencies.JPY.dso", "91.0");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(disputes_by_reason_and_currency)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'disputes'}");
    NUM(r, "count", 2);
    STR(r, "value.EUR", "500.00");
    STR(r, "value.JPY", "100000");
    NUM(r, "reasons.pricing.count", 1);
    STR(r, "reasons.pricing.value.EUR", "500.00");
    NUM(r, "reasons.quality.count", 1);
    STR(r, "reasons.quality.value.JPY", "100000");
    NUM(r, "reasons.quantity.count", 0);
    NUM(r, "reasons.other.count", 0);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(r, "reasons")), 6);
    cJSON_Delete(r);
    /* a resolved dispute leaves the report */
    cJSON_Delete(run(e, "{'op':'fire','type':'invoice','id':'INV-000005','event':'resolve'}"));
    r = run(e, "{'op':'report','name':'disputes'}");
    NUM(r, "count", 1);
    NUM(r, "reasons.pricing.count", 0);
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

static void ids(const cJSON *r, const char *key, const char *const *want, int n)
{
    ck_assert_msg(tu_len(r, key) == n, "%s: %d ids, want %d", key, tu_len(r, key), n);
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "%s.%d", key, i);
        STR(r, path, want[i]);
    }
}

START_TEST(account_lists_everything_it_has)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'report','name':'account','id':'ACC-000001'}");
    STR(r, "account.id", "ACC-000001");
    STR(r, "account.name", "Ortega Foods");
    static const char *const leads[] = {"L-000001", "L-000002"};
    static const char *const opps[] = {"OPP-000001", "OPP-000002", "OPP-000004", "OPP-000005"};
    static const char *const quotes[] = {"Q-000001", "Q-000003", "Q-000004", "Q-000005",
                                         "Q-000006"};
    static const char *const orders[] = {"SO-000001", "SO-000003"};
    static const char *const invs[] = {"INV-000001", "INV-000002", "INV-000005", "INV-000006"};
    static const char *const pays[] = {"PAY-000001"};
    ids(r, "leads", leads, 2);
    ids(r, "opportunities", opps, 4);
    ids(r, "quotes", quotes, 5);
    ids(r, "orders", orders, 2);
    ids(r, "invoices", invs, 4);
    ids(r, "payments", pays, 1);
    ids(r, "credit_notes", NULL, 0);
    STR(r, "open_balance", "3500.00");
    STR(r, "credit_balance", "0.00");
    cJSON_Delete(r);
    r = run(e, "{'op':'report','name':'account','id':'ACC-000002'}");
    static const char *const invs2[] = {"INV-000003", "INV-000004"};
    ids(r, "invoices", invs2, 2);
    ids(r, "leads", NULL, 0);
    STR(r, "open_balance", "100000");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(report_runs_inside_a_batch)
{
    l2c_engine *e = scenario_engine();
    cJSON *r = run(e, "{'op':'batch','commands':[{'op':'fire','type':'invoice','id':'INV-000006',"
                      "'event':'dispute','data':{'reason':'other'}},{'op':'report',"
                      "'name':'disputes'}]}");
    NUM(r, "results.1.count", 3);
    STR(r, "results.1.reasons.other.value.EUR", "1100.00");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("reports");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, report_answers_name_and_as_of_from_the_clock);
    tcase_add_test(tc, report_changes_nothing);
    tcase_add_test(tc, report_errors);
    tcase_add_test(tc, funnel_counts_states_and_conversion_from_events);
    tcase_add_test(tc, funnel_counts_an_opportunity_once_per_stage);
    tcase_add_test(tc, win_rate_by_count_value_per_currency_and_quotes);
    tcase_add_test(tc, win_rate_is_null_without_decisions);
    tcase_add_test(tc, cycle_time_from_creation_to_the_win_event);
    tcase_add_test(tc, cycle_time_even_count_and_rounding);
    tcase_add_test(tc, aging_buckets_rows_and_totals_per_currency);
    tcase_add_test(tc, aging_bucket_boundaries_follow_as_of);
    tcase_add_test(tc, dso_default_period);
    tcase_add_test(tc, dso_given_period_skips_void_invoices);
    tcase_add_test(tc, disputes_by_reason_and_currency);
    tcase_add_test(tc, account_lists_everything_it_has);
    tcase_add_test(tc, report_runs_inside_a_batch);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
