/* The lead record through l2c_exec_json: its fields, every transition and
 * refusal, and `convert` with its cascades (account from company or name,
 * account_id, an existing account, the optional opportunity) in the event
 * order of DESIGN §6. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/rules.h"

/* ---- fixtures ---- */

static l2c_engine *with_lead(const char *data)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'lead','data':%s}", data));
    return e;
}

static void fire(l2c_engine *e, const char *event, const char *data)
{
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'%s','data':%s}", event,
            data ? data : "null"));
}

static l2c_engine *qualified_lead(const char *data)
{
    l2c_engine *e = with_lead(data);
    fire(e, "qualify", NULL);
    return e;
}

/* Fire `event` on L-000001 and expect invalid_transition with nothing changed. */
static void refused(l2c_engine *e, const char *event, const char *data)
{
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'%s','data':%s}",
                         event, data),
                       "invalid_transition", NULL);
}

/* ---- creation and update ---- */

START_TEST(create_keeps_the_fields)
{
    l2c_engine *e = tu_engine();
    cJSON *r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'Ines Ortega',"
                          "'email':'ines@example.org','company':'Ortega Foods',"
                          "'source':'webinar'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "L-000001");
    ck_assert_str_eq(tu_str(r, "entity.state"), "new");
    ck_assert_int_eq(tu_num(r, "entity.version"), 1);
    ck_assert_str_eq(tu_str(r, "entity.name"), "Ines Ortega");
    ck_assert_str_eq(tu_str(r, "entity.email"), "ines@example.org");
    ck_assert_str_eq(tu_str(r, "entity.company"), "Ortega Foods");
    ck_assert_str_eq(tu_str(r, "entity.source"), "webinar");
    ck_assert_ptr_null(tu_str(r, "entity.reason"));
    ck_assert_ptr_null(tu_str(r, "entity.account"));
    ck_assert_ptr_null(tu_str(r, "entity.opportunity"));
    ck_assert_str_eq(evs(r), "lead.create L-000001 new v1");
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'Bo'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "L-000002");
    ck_assert_ptr_null(tu_str(r, "entity.email"));
    ck_assert_ptr_null(tu_str(r, "entity.company"));
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(create_requires_a_name_and_a_valid_email)
{
    l2c_engine *e = tu_engine();
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','data':{'email':'a@b.c'}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','data':{'name':''}}"), "invalid_argument",
                       "field.required");
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','data':{'name':'A','email':'nobody'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'create','type':'lead','data':{'name':'A','company':42}}"),
                       "invalid_argument", "field.invalid");
    /* the failures drew no numbers */
    cJSON *r = tu_ok(e, J("{'op':'create','type':'lead','data':{'name':'A'}}"));
    ck_assert_str_eq(tu_str(r, "entity.id"), "L-000001");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_changes_the_contact_fields)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    cJSON *r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'name':'Ann Lee',"
                          "'email':'ann@lee.org','company':'Lee Ltd','source':'fair','shoe':44}}"));
    ck_assert_str_eq(evs(r), "lead.update L-000001 new v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "new");
    ck_assert_str_eq(tu_str(r, "entity.name"), "Ann Lee");
    ck_assert_str_eq(tu_str(r, "entity.email"), "ann@lee.org");
    ck_assert_str_eq(tu_str(r, "entity.company"), "Lee Ltd");
    ck_assert_str_eq(tu_str(r, "entity.source"), "fair");
    cJSON_Delete(r);
    /* disqualified is not terminal: still editable */
    fire(e, "disqualify", "{'reason':'no budget'}");
    r = tu_ok(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'source':'referral'}}"));
    ck_assert_str_eq(evs(r), "lead.update L-000001 disqualified v4");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(update_refuses_bad_values_and_other_fields)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'L-000001',"
                            "'data':{'email':'ann.lee'}}"),
                       "invalid_argument", "field.invalid");
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'name':''}}"),
                       "invalid_argument", "field.required");
    static const char *bad[] = {"'reason':'x'", "'account':'ACC-1'", "'opportunity':'OPP-1'",
                                "'state':'working'"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'L-000001','data':{%s}}",
                                bad[i]),
                           "invalid_argument", "field.immutable");
    fire(e, "qualify", NULL);
    fire(e, "convert", NULL);
    tu_fails_unchanged(e, J("{'op':'update','type':'lead','id':'L-000001','data':{'name':'B'}}"),
                       "invalid_argument", "field.immutable");
    l2c_engine_free(e);
}
END_TEST

/* ---- transitions ---- */

START_TEST(contact_qualify_and_their_versions)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'contact'}"));
    ck_assert_str_eq(evs(r), "lead.contact L-000001 working v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "new");
    const cJSON *ev0 = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "events"), 0);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetObjectItem(ev0, "data"), "actor")));
    cJSON_Delete(r);
    r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}"));
    ck_assert_str_eq(evs(r), "lead.qualify L-000001 qualified v3");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "working");
    cJSON_Delete(r);
    l2c_engine_free(e);
    /* straight from new */
    e = with_lead("{'name':'Bo'}");
    r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'qualify'}"));
    ck_assert_str_eq(evs(r), "lead.qualify L-000001 qualified v2");
    ck_assert_str_eq(tu_str(r, "events.0.data.from"), "new");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(disqualify_from_new_working_and_qualified_keeps_the_reason)
{
    static const char *const paths[][2] = {{NULL, NULL}, {"contact", NULL}, {"qualify", NULL}};
    static const char *const from[] = {"new", "working", "qualified"};
    for (int i = 0; i < 3; i++) {
        l2c_engine *e = with_lead("{'name':'Ann'}");
        if (paths[i][0])
            fire(e, paths[i][0], NULL);
        cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'disqualify',"
                              "'data':{'reason':'no budget'}}"));
        ck_assert_str_eq(tu_str(r, "entity.state"), "disqualified");
        ck_assert_str_eq(tu_str(r, "events.0.data.from"), from[i]);
        ck_assert_str_eq(tu_str(r, "entity.reason"), "no budget");
        ck_assert_int_eq(tu_num(r, "entity.version"), i ? 3 : 2);
        cJSON_Delete(r);
        l2c_engine_free(e);
    }
}
END_TEST

START_TEST(disqualify_needs_a_reason)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    tu_fails_unchanged(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'disqualify'}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'disqualify',"
                         "'data':{'reason':''}}"),
                       "invalid_argument", "field.required");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'disqualify',"
                         "'data':{'reason':3}}"),
                       "invalid_argument", "field.invalid");
    l2c_engine_free(e);
}
END_TEST

START_TEST(reopen_goes_back_to_working_and_the_latest_reason_wins)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    fire(e, "disqualify", "{'reason':'no budget'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'reopen'}"));
    ck_assert_str_eq(evs(r), "lead.reopen L-000001 working v3");
    ck_assert_str_eq(tu_str(r, "entity.reason"), "no budget");
    cJSON_Delete(r);
    fire(e, "disqualify", "{'reason':'went elsewhere'}");
    expect_str(e, "lead", "L-000001", "reason", "went elsewhere");
    expect(e, "lead", "L-000001", "disqualified", 4);
    l2c_engine_free(e);
}
END_TEST

START_TEST(refused_transitions_in_every_state)
{
    l2c_engine *e = with_lead("{'name':'Ann'}");
    /* new */
    refused(e, "reopen", "null");
    refused(e, "convert", "null");
    fire(e, "contact", NULL);
    /* working */
    refused(e, "contact", "null");
    refused(e, "reopen", "null");
    refused(e, "convert", "null");
    fire(e, "qualify", NULL);
    /* qualified */
    refused(e, "contact", "null");
    refused(e, "qualify", "null");
    refused(e, "reopen", "null");
    fire(e, "disqualify", "{'reason':'r'}");
    /* disqualified */
    refused(e, "contact", "null");
    refused(e, "qualify", "null");
    refused(e, "disqualify", "{'reason':'r'}");
    refused(e, "convert", "null");
    fire(e, "reopen", NULL);
    fire(e, "qualify", NULL);
    fire(e, "convert", NULL);
    /* converted (terminal) */
    static const char *all[] = {"contact", "qualify", "disqualify", "reopen", "convert"};
    for (size_t i = 0; i < 5; i++)
        refused(e, all[i], "{'reason':'r'}");
    expect(e, "lead", "L-000001", "converted", 7);
    l2c_engine_free(e);
}
END_TEST

/* ---- convert ---- */

START_TEST(convert_makes_an_account_from_the_company)
{
    l2c_engine *e = qualified_lead("{'name':'Ines','company':'Ortega Foods'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert'}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, "
                             "account.create ACC-000001 active v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_ptr_null(tu_str(r, "entity.opportunity"));
    ck_assert_str_eq(tu_str(r, "events.1.data.record.name"), "Ortega Foods");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.currency"), "EUR");
    ck_assert_int_eq(tu_num(r, "events.1.data.record.payment_terms_days"), 30);
    ck_assert_ptr_null(tu_str(r, "events.1.data.record.credit_limit"));
    ck_assert_str_eq(tu_str(r, "events.1.data.cause"), tu_str(r, "events.0.sequence"));
    cJSON_Delete(r);
    ck_assert_int_eq(l2c_events_last(e), 4);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_names_the_account_after_the_lead_without_a_company)
{
    l2c_engine *e = qualified_lead("{'name':'Ann Lee'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                          "'data':{'currency':'JPY','opportunity':{'amount':1200}}}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, "
                             "account.create ACC-000001 active v1, "
                             "opportunity.create OPP-000001 prospecting v1");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.name"), "Ann Lee");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.currency"), "JPY");
    /* the opportunity's name defaults to the lead's name too */
    ck_assert_str_eq(tu_str(r, "events.2.data.record.name"), "Ann Lee");
    ck_assert_str_eq(tu_str(r, "events.2.data.record.amount"), "1200");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_with_an_opportunity)
{
    l2c_engine *e = qualified_lead("{'name':'Ines','company':'Ortega Foods'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                          "'data':{'opportunity':{'name':'Cold storage','amount':'12000.00',"
                          "'close_date':'2026-06-30'}}}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, "
                             "account.create ACC-000001 active v1, "
                             "opportunity.create OPP-000001 prospecting v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.opportunity"), "OPP-000001");
    cJSON_Delete(r);
    expect_str(e, "opportunity", "OPP-000001", "account", "ACC-000001");
    expect_str(e, "opportunity", "OPP-000001", "name", "Cold storage");
    expect_str(e, "opportunity", "OPP-000001", "amount", "12000.00");
    expect_str(e, "opportunity", "OPP-000001", "close_date", "2026-06-30");
    expect_str(e, "opportunity", "OPP-000001", "lead", "L-000001");
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_opportunity_name_defaults_to_the_company)
{
    l2c_engine *e = qualified_lead("{'name':'Ines','company':'Ortega Foods'}");
    ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
            "'data':{'opportunity':{}}}"));
    expect_str(e, "opportunity", "OPP-000001", "name", "Ortega Foods");
    expect_str(e, "opportunity", "OPP-000001", "amount", NULL);
    expect_str(e, "opportunity", "OPP-000001", "close_date", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_takes_given_ids)
{
    l2c_engine *e = qualified_lead("{'name':'Ines','company':'Ortega Foods'}");
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                          "'data':{'account_id':'ORTEGA','opportunity':{'id':'OPP-ORT'}}}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, account.create ORTEGA active v1, "
                             "opportunity.create OPP-ORT prospecting v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "ORTEGA");
    ck_assert_str_eq(tu_str(r, "entity.opportunity"), "OPP-ORT");
    ck_assert_str_eq(tu_str(r, "events.2.data.record.account"), "ORTEGA");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_into_an_existing_account)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','id':'KWT','data':{'name':'Gulf Co',"
            "'currency':'KWD'}}"));
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Ann','company':'Other'}}"));
    fire(e, "qualify", NULL);
    /* with both account and account_id, account wins */
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                          "'data':{'account':'KWT','account_id':'NEW',"
                          "'opportunity':{'amount':'1.250'}}}"));
    ck_assert_str_eq(evs(r), "lead.convert L-000001 converted v3, "
                             "opportunity.create OPP-000001 prospecting v1");
    ck_assert_str_eq(tu_str(r, "entity.account"), "KWT");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.account"), "KWT");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.amount"), "1.250");
    ck_assert_str_eq(tu_str(r, "events.1.data.record.name"), "Other");
    cJSON_Delete(r);
    tu_fails_unchanged(e, J("{'op':'get','type':'account','id':'NEW'}"), "not_found", NULL);
    expect(e, "account", "KWT", "active", 1);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_refuses_bad_data)
{
    l2c_engine *e = qualified_lead("{'name':'Ann'}");
    static const char *bad[] = {
        "{'account':7}",
        "{'account_id':'a b'}",
        "{'account_id':'a/b'}",
        "{'account_id':5}",
        "{'currency':'eur'}",
        "{'opportunity':'big'}",
        "{'opportunity':{'id':'x+y'}}",
        "{'opportunity':{'name':3}}",
        "{'opportunity':{'close_date':'30/06/2026'}}",
        "{'opportunity':{'amount':99.5}}",
        "{'opportunity':{'amount':'-1'}}",
        "{'opportunity':{'amount':'1.001'}}",
        "{'currency':'JPY','opportunity':{'amount':'1.5'}}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        tu_fails_unchanged(e,
                           J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                             "'data':%s}", bad[i]),
                           "invalid_argument", "field.invalid");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'opportunity':{'amount':'92233720368547758.08'}}}"),
                       "invalid_argument", "amount.overflow");
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'account':'ACC-404'}}"),
                       "not_found", NULL);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_refuses_taken_ids_and_gives_back_its_numbers)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','id':'TAKEN','data':{'name':'X'}}"));
    ok(e, J("{'op':'create','type':'opportunity','id':'OPP-T','data':{'account':'TAKEN',"
            "'name':'X'}}"));
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Ann'}}"));
    fire(e, "qualify", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'account_id':'TAKEN'}}"),
                       "already_exists", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'opportunity':{'id':'OPP-T'}}}"),
                       "already_exists", NULL);
    /* the failed command drew ACC-000001 and gave it back */
    cJSON *r = tu_ok(e, J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                          "'data':{'opportunity':{}}}"));
    ck_assert_str_eq(tu_str(r, "entity.account"), "ACC-000001");
    ck_assert_str_eq(tu_str(r, "entity.opportunity"), "OPP-000001");
    cJSON_Delete(r);
    l2c_engine_free(e);
}
END_TEST

START_TEST(convert_checks_business_rules_before_ids)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'Acme'}}"));
    ok(e, J("{'op':'create','type':'opportunity','id':'OPP-T','data':{'account':'ACC-000001',"
            "'name':'X'}}"));
    ok(e, J("{'op':'fire','type':'account','id':'ACC-000001','event':'close'}"));
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Ann'}}"));
    fire(e, "qualify", NULL);
    tu_fails_unchanged(e,
                       J("{'op':'fire','type':'lead','id':'L-000001','event':'convert',"
                         "'data':{'account':'ACC-000001','opportunity':{'id':'OPP-T'}}}"),
                       "guard_rejected", "account.closed");
    l2c_engine_free(e);
}
END_TEST

START_TEST(converted_lead_and_its_records_in_the_account)
{
    l2c_engine *e = qualified_lead("{'name':'Ines','company':'Ortega Foods'}");
    fire(e, "convert", "{'opportunity':{'name':'Deal'}}");
    /* the new account owns the opportunity: it can be quoted */
    cJSON *r = tu_ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001'}}"));
    ck_assert_str_eq(tu_str(r, "entity.currency"), "EUR");
    cJSON_Delete(r);
    expect(e, "lead", "L-000001", "converted", 3);
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("lead");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, create_keeps_the_fields);
    tcase_add_test(tc, create_requires_a_name_and_a_valid_email);
    tcase_add_test(tc, update_changes_the_contact_fields);
    tcase_add_test(tc, update_refuses_bad_values_and_other_fields);
    suite_add_tcase(s, tc);
    tc = tcase_create("transitions");
    tcase_add_test(tc, contact_qualify_and_their_versions);
    tcase_add_test(tc, disqualify_from_new_working_and_qualified_keeps_the_reason);
    tcase_add_test(tc, disqualify_needs_a_reason);
    tcase_add_test(tc, reopen_goes_back_to_working_and_the_latest_reason_wins);
    tcase_add_test(tc, refused_transitions_in_every_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("convert");
    tcase_add_test(tc, convert_makes_an_account_from_the_company);
    tcase_add_test(tc, convert_names_the_account_after_the_lead_without_a_company);
    tcase_add_test(tc, convert_with_an_opportunity);
    tcase_add_test(tc, convert_opportunity_name_defaults_to_the_company);
    tcase_add_test(tc, convert_takes_given_ids);
    tcase_add_test(tc, convert_into_an_existing_account);
    tcase_add_test(tc, convert_refuses_bad_data);
    tcase_add_test(tc, convert_refuses_taken_ids_and_gives_back_its_numbers);
    tcase_add_test(tc, convert_checks_business_rules_before_ids);
    tcase_add_test(tc, converted_lead_and_its_records_in_the_account);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
