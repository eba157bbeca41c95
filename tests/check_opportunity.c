/* The opportunity record through l2c_exec_json: creation, the stages, win
 * (only through an accepted quote), lose and its cascade that cancels the
 * open quotes, reopen, update (DESIGN §2 opportunity). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

/* ACC-000001 (EUR) with OPP-000001 in prospecting. */
static l2c_engine *with_opportunity(void)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'Deal'}}"));
    return e;
}

static void fire(l2c_engine *e, const char *event, const char *data)
{
    ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'%s','data':%s}", event,
            data ? data : "null"));
}

static void refused(l2c_engine *e, const char *event)
{
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'%s',"
                         "'data':{'reason':'r'}}",
                         event),
                       "invalid_transition", NULL);
}

/* A quote `id` on OPP-000001 with one plain line, brought to `state`
 * (draft, pending_approval, approved, sent, declined, expired). */
static void quote_in(l2c_engine *e, const char *id, const char *state)
{
    ok(e, J("{'op':'create','type':'quote','id':'%s','data':{'opportunity':'OPP-000001',"
            "'valid_until':'2026-04-02','lines':[{'sku':'S','qty':1,'unit_price':'10.00'}]}}",
            id));
#define Q(ev, extra)                                                                    \
    ok(e, J("{'op':'fire','type':'quote','id':'%s','event':'" ev "'" extra "}", id))
    if (!strcmp(state, "draft"))
        return;
    if (!strcmp(state, "pending_approval") || !strcmp(state, "approved")) {
        Q("submit", "");
        if (!strcmp(state, "approved"))
            Q("approve", "," MGR);
        return;
    }
    Q("send", "");
    if (!strcmp(state, "declined"))
        Q("decline", ",'data':{'reason':'no'}");
    if (!strcmp(state, "expired")) {
        ok(e, J("{'op':'clock','now':'2026-04-03T00:00:00Z'}"));
        Q("expire", "");
        ok(e, J("{'op':'clock','now':'2026-04-01T08:30:00Z'}"));
    }
#undef Q
}

/* ---- creation ---- */

START_TEST(create_in_prospecting)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Sato','currency':'JPY'}}"));
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Ann'}}"));
    cJSON *r = tu_ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                          "'name':'Deal','amount':'1500','close_date':'2026-09-30',"
                          "'lead':'L-000001'}}"));
    ck_assert_str_eq(evs(r), "opportunity.create OPP-000001 prospecting v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.name"), "Deal");
    ck_assert_str_eq(tu_str(r, "entity.amount"), "1500");
    ck_assert_str_eq(tu_str(r, "entity.close_date"), "2026-09-30");
    ck_assert_str_eq(tu_str(r, "entity.lead"), "L-000001");
    ck_assert_ptr_null(tu_str(r, "entity.reason"));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                   "'name':'Small'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "OPP-000002");
    ck_assert_ptr_null(tu_str(r, "entity.amount"));
    ck_assert_ptr_null(tu_str(r, "entity.close_date"));
    ck_assert_ptr_null(tu_str(r, "entity.lead"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_refuses_missing_and_bad_fields)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Sato','currency':'JPY'}}"));
    tu_fails_unchanged(e, J("{'op':'create','type':'opportunity','data':{'name':'Deal'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'opportunity','data':{'account':'',"
                            "'name':'Deal'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                            "'name':''}}"),
                       "invalid_argument", "field.required");
    static const char *bad[] = {"'amount':'10.5'", "'amount':10.5", "'amount':'-3'",
                                "'close_date':'2026-02-30'", "'close_date':20260930",
                                "'account':42"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                             "'name':'Deal',%s}}",
                             bad[i]),
                           "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-404',"
                            "'name':'Deal'}}"),
                       "not_found", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001',"
                         "'name':'Deal','lead':'L-404'}}"),
                       "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

/* ---- stages ---- */

START_TEST(stages_move_forward_one_at_a_time)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001',"
                          "'event':'qualify'}"));
    ck_assert_str_eq(evs(r), "opportunity.qualify OPP-000001 qualification v2");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'propose'}"));
    ck_assert_str_eq(evs(r), "opportunity.propose OPP-000001 proposal v3");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'negotiate'}"));
    ck_assert_str_eq(evs(r), "opportunity.negotiate OPP-000001 negotiation v4");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "proposal");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(refused_transitions_in_every_state)
{
    l2c_engine *e = with_opportunity();
    refused(e, "propose");
    refused(e, "negotiate");
    refused(e, "reopen");
    fire(e, "qualify", NULL);
    refused(e, "qualify");
    refused(e, "negotiate");
    refused(e, "reopen");
    fire(e, "propose", NULL);
    refused(e, "qualify");
    refused(e, "propose");
    refused(e, "reopen");
    fire(e, "negotiate", NULL);
    refused(e, "qualify");
    refused(e, "propose");
    refused(e, "negotiate");
    refused(e, "reopen");
    fire(e, "lose", "{'reason':'price'}");
    static const char *all[] = {"qualify", "propose", "negotiate", "win", "lose"};
    for (size_t i = 0; i < 5; i++)
        refused(e, all[i]);
    expect(e, "opportunity", "OPP-000001", "lost", 5);
    l2c_engine_free(e);
}
END_TEST

START_TEST(won_opportunity_is_terminal)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    static const char *all[] = {"qualify", "propose", "negotiate", "win", "lose", "reopen"};
    for (size_t i = 0; i < 6; i++)
        refused(e, all[i]);
    tu_fails_unchanged(e, J("{'op':'update','type':'opportunity','id':'OPP-000001',"
                            "'data':{'name':'X'}}"),
                       "invalid_argument", "field.immutable");
    expect(e, "opportunity", "OPP-000001", "won", 2);
    l2c_engine_free(e);
}
END_TEST

/* ---- win ---- */

START_TEST(win_fired_directly_is_refused_in_every_open_stage)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-S", "sent");
    static const char *next[] = {"qualify", "propose", "negotiate", NULL};
    for (int i = 0; i < 4; i++) {
        tu_fails_unchanged(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001',"
                                "'event':'win'}"),
                           "guard_rejected", "opportunity.no_accepted_quote");
        if (next[i])
            fire(e, next[i], NULL);
    }
    l2c_engine_free(e);
}
END_TEST

START_TEST(accept_wins_and_cancels_the_other_open_quotes)
{
    l2c_engine *e = with_opportunity();
    fire(e, "qualify", NULL);
    quote_in(e, "Q-D", "draft");
    quote_in(e, "Q-P", "pending_approval");
    quote_in(e, "Q-A", "sent");
    quote_in(e, "Q-X", "expired");
    quote_in(e, "Q-AP", "approved");
    quote_in(e, "Q-DE", "declined");
    quote_in(e, "Q-S", "sent");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'quote','id':'Q-A','event':'accept'}"));
    ck_assert_str_eq(evs(r), "quote.accept Q-A accepted v3, order.create SO-000001 draft v1, "
                             "opportunity.win OPP-000001 won v3, quote.cancel Q-D cancelled v2, "
                             "quote.cancel Q-P cancelled v3, quote.cancel Q-AP cancelled v4, "
                             "quote.cancel Q-S cancelled v3");
    ck_assert_str_eq(tu_str(r, "events.2.data.from"), "qualification");
    cJSON_Delete(r);
    expect(e, "quote", "Q-X", "expired", 3);
    expect(e, "quote", "Q-DE", "declined", 3);
    l2c_engine_free(e);
}
END_TEST

/* ---- lose and reopen ---- */

START_TEST(lose_needs_a_reason)
{
    l2c_engine *e = with_opportunity();
    tu_fails_unchanged(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
                         "'data':{'reason':''}}"),
                       "invalid_argument", "field.required");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
                          "'data':{'reason':'price'}}"));
    ck_assert_str_eq(evs(r), "opportunity.lose OPP-000001 lost v2");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "price");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(lose_cancels_every_open_quote_in_creation_order)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-S", "sent");
    quote_in(e, "Q-X", "expired");
    quote_in(e, "Q-D", "draft");
    quote_in(e, "Q-AP", "approved");
    quote_in(e, "Q-DE", "declined");
    quote_in(e, "Q-P", "pending_approval");
    fire(e, "qualify", NULL);
    fire(e, "propose", NULL);
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'lose',"
                          "'data':{'reason':'went elsewhere'}}"));
    ck_assert_str_eq(evs(r), "opportunity.lose OPP-000001 lost v4, quote.cancel Q-S cancelled v3, "
                             "quote.cancel Q-D cancelled v2, quote.cancel Q-AP cancelled v4, "
                             "quote.cancel Q-P cancelled v3");
    cJSON_Delete(r);
    expect(e, "quote", "Q-X", "expired", 3);
    expect(e, "quote", "Q-DE", "declined", 3);
    l2c_engine_free(e);
}
END_TEST

START_TEST(reopen_goes_to_qualification_and_quotes_stay_cancelled)
{
    l2c_engine *e = with_opportunity();
    quote_in(e, "Q-S", "sent");
    fire(e, "lose", "{'reason':'price'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'opportunity','id':'OPP-000001','event':'reopen'}"));
    ck_assert_str_eq(evs(r), "opportunity.reopen OPP-000001 qualification v3");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "price");
    cJSON_Delete(r);
    expect(e, "quote", "Q-S", "cancelled", 3);
    /* open again: it takes new quotes */
    quote_in(e, "Q-2", "draft");
    l2c_engine_free(e);
}
END_TEST

/* ---- update ---- */

START_TEST(update_changes_name_amount_and_close_date)
{
    l2c_engine *e = with_opportunity();
    cJSON *r = tu_ok(e, J("{'op':'update','type':'opportunity','id':'OPP-000001',"
                          "'data':{'name':'Big deal',"
                          "'amount':'1.500','close_date':'2026-12-31'}}"));
    ck_assert_str_eq(evs(r), "opportunity.update OPP-000001 prospecting v2");
    ck_assert_str_eq(tu_str(r, "entity.name"), "Big deal");
    ck_assert_str_eq(tu_str(r, "entity.amount"), "1.50");
    ck_assert_str_eq(tu_str(r, "entity.close_date"), "2026-12-31");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'update','type':'opportunity','id':'OPP-000001','data':{'amount':null,"
                   "'close_date':null}}"));
    ck_assert_ptr_null(tu_str(r, "entity.amount"));
    ck_assert_ptr_null(tu_str(r, "entity.close_date"));
    cJSON_Delete(r);
    /* lost is not terminal */
    fire(e, "lose", "{'reason':'r'}");
    ok(e, J("{'op':'update','type':'opportunity','id':'OPP-000001','data':{'amount':5}}"));
    expect_str(e, "opportunity", "OPP-000001", "amount", "5.00");
    expect(e, "opportunity", "OPP-000001", "lost", 5);
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_refuses_other_fields_and_bad_values)
{
    l2c_engine *e = with_opportunity();
    static const char *imm[] = {"'account':'ACC-000001'", "'lead':null", "'reason':'x'",
                                "'state':'won'"};
    for (size_t i = 0; i < sizeof imm / sizeof *imm; i++)
        tu_fails_unchanged(e,
                           J("{'op':'update','type':'opportunity','id':'OPP-000001','data':{%s}}",
                             imm[i]),
                           "invalid_argument", "field.immutable");
    tu_fails_unchanged(e, J("{'op':'update','type':'opportunity','id':'OPP-000001',"
                            "'data':{'name':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'update','type':'opportunity','id':'OPP-000001',"
                            "'data':{'amount':'1.005'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'update','type':'opportunity','id':'OPP-000001',"
                            "'data':{'amount':2.5}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("opportunity");
    TCase *tc = tcase_create("create");
    tcase_add_test(tc, create_in_prospecting);
    tcase_add_test(tc, create_refuses_missing_and_bad_fields);
    suite_add_tcase(s, tc);
    tc = tcase_create("stages");
    tcase_add_test(tc, stages_move_forward_one_at_a_time);
    tcase_add_test(tc, refused_transitions_in_every_state);
    tcase_add_test(tc, won_opportunity_is_terminal);
    suite_add_tcase(s, tc);
    tc = tcase_create("win");
    tcase_add_test(tc, win_fired_directly_is_refused_in_every_open_stage);
    tcase_add_test(tc, accept_wins_and_cancels_the_other_open_quotes);
    suite_add_tcase(s, tc);
    tc = tcase_create("lose");
    tcase_add_test(tc, lose_needs_a_reason);
    tcase_add_test(tc, lose_cancels_every_open_quote_in_creation_order);
    tcase_add_test(tc, reopen_goes_to_qualification_and_quotes_stay_cancelled);
    suite_add_tcase(s, tc);
    tc = tcase_create("update");
    tcase_add_test(tc, update_changes_name_amount_and_close_date);
    tcase_add_test(tc, update_refuses_other_fields_and_bad_values);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
