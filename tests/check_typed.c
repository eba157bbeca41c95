/* The typed convenience functions: the same engine path, rules and events
 * as the JSON protocol, each one atomic command. */
#include <stdlib.h>
#include <string.h>

#include "support/testutil.h"

static l2c_actor *manager(void)
{
    l2c_actor *a;
    ck_assert_int_eq(l2c_actor_new(&a, "mgr-1"), 0);
    ck_assert_int_eq(l2c_actor_add_role(a, "sales_manager"), 0);
    return a;
}

/* lead -> account + opportunity through the JSON path */
static void prospect(l2c_engine *e)
{
    cJSON_Delete(tu_ok(e, "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Ines\",\"company\":\"Ortega\"}}"));
    cJSON_Delete(tu_ok(e, "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000001\",\"event\":\"qualify\"}"));
    cJSON_Delete(tu_ok(e, "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000001\",\"event\":\"convert\",\"data\":{\"opportunity\":{}}}"));
}

static char *field(l2c_engine *e, const char *type, const char *id, const char *f)
{
    char *out = NULL;
    ck_assert_int_eq(l2c_get_field(&out, e, type, id, f), 0);
    return out;
}

static void expect_field(l2c_engine *e, const char *type, const char *id, const char *f,
                         const char *want)
{
    char *got = field(e, type, id, f);
    ck_assert_msg(got && strcmp(got, want) == 0, "%s %s %s: got %s, want %s", type, id, f,
                  got ? got : "(null)", want);
    l2c_free(got);
}

START_TEST(test_typed_flow_from_quote_to_paid_invoice)
{
    l2c_engine *e = tu_engine();
    l2c_actor *mgr = manager();
    prospect(e);
    char *q = NULL, *so = NULL, *inv = NULL, *pay = NULL;
    ck_assert_int_eq(l2c_quote_create(&q, e, "OPP-000001", "2026-04-30", NULL), 0);
    ck_assert_str_eq(q, "Q-000001");
    ck_assert_int_eq(l2c_quote_add_line(e, q, "FRZ-200", "Freezer", "2", "4800.00", "25", "21", NULL), 0);
    ck_assert_int_eq(l2c_quote_add_line(e, q, "INST", NULL, "1", "950.00", NULL, "21", NULL), 0);
    expect_field(e, "quote", q, "total", "9861.50");
    ck_assert_int_eq(l2c_fire(e, "quote", q, "submit", NULL, NULL, 0), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", q, "approve", NULL, mgr, 0), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", q, "send", NULL, NULL, 0), 0);
    ck_assert_int_eq(l2c_quote_accept(&so, e, q, NULL), 0);
    ck_assert_str_eq(so, "SO-000001");
    expect_field(e, "opportunity", "OPP-000001", "state", "won");
    expect_field(e, "order", so, "total", "9861.50");
    ck_assert_int_eq(l2c_fire(e, "order", so, "confirm", NULL, NULL, 0), 0);
    uint64_t before = l2c_events_last(e);
    ck_assert_int_eq(l2c_order_invoice(&inv, e, so, 1, NULL), 0);
    ck_assert_str_eq(inv, "INV-000001");
    expect_field(e, "invoice", inv, "state", "issued");
    expect_field(e, "invoice", inv, "due_date", "2026-05-01");
    /* create and issue are one command: one cause */
    const l2c_event *a, *b;
    ck_assert_int_eq(l2c_event_get(&a, e, before + 1), 0);
    ck_assert_int_eq(l2c_event_get(&b, e, before + 2), 0);
    ck_assert_str_eq(l2c_event_name(a), "create");
    ck_assert_str_eq(l2c_event_name(b), "issue");
    ck_assert_uint_eq(l2c_event_cause(b), before + 1);
    ck_assert_int_eq(l2c_payment_record(&pay, e, "ACC-000001", "9861.50", inv, NULL), 0);
    ck_assert_str_eq(pay, "PAY-000001");
    expect_field(e, "invoice", inv, "state", "paid");
    expect_field(e, "payment", pay, "unallocated", "0.00");
    l2c_free(q);
    l2c_free(so);
    l2c_free(inv);
    l2c_free(pay);
    l2c_actor_free(mgr);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_typed_refusals_change_nothing)
{
    l2c_engine *e = tu_engine();
    prospect(e);
    char *q = NULL, *out = (char *)1;
    ck_assert_int_eq(l2c_quote_create(&q, e, "OPP-000001", NULL, NULL), 0);
    char *snap = tu_snapshot(e);
    /* bad decimal */
    ck_assert_int_eq(l2c_quote_add_line(e, q, NULL, NULL, "1", "19.999", NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    /* missing price */
    ck_assert_int_eq(l2c_quote_add_line(e, q, NULL, NULL, "1", NULL, NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    /* not sent yet */
    ck_assert_int_eq(l2c_quote_accept(&out, e, q, NULL), L2C_ETRANSITION);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(l2c_quote_accept(NULL, e, "Q-404", NULL), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_payment_record(NULL, e, "ACC-404", "10", NULL, NULL), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_payment_record(NULL, e, "ACC-000001", "0", NULL, NULL), L2C_EINVAL);
    char *after = tu_snapshot(e);
    ck_assert_str_eq(snap, after);
    free(after);
    /* a line on a quote that is no longer a draft */
    ck_assert_int_eq(l2c_quote_add_line(e, q, NULL, NULL, "1", "10.00", NULL, NULL, NULL), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", q, "send", NULL, NULL, 0), 0);
    free(snap);
    snap = tu_snapshot(e);
    ck_assert_int_eq(l2c_quote_add_line(e, q, NULL, NULL, "1", "10.00", NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.immutable");
    after = tu_snapshot(e);
    ck_assert_str_eq(snap, after);
    free(after);
    free(snap);
    l2c_free(q);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_order_invoice_and_payment_rules)
{
    l2c_engine *e = tu_engine();
    prospect(e);
    char *q = NULL, *so = NULL, *inv = NULL;
    ck_assert_int_eq(l2c_quote_create(&q, e, "OPP-000001", NULL, NULL), 0);
    ck_assert_int_eq(l2c_quote_add_line(e, q, "X", NULL, "3", "100", NULL, NULL, NULL), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", q, "send", NULL, NULL, 0), 0);
    ck_assert_int_eq(l2c_quote_accept(&so, e, q, NULL), 0);
    char *snap = tu_snapshot(e);
    ck_assert_int_eq(l2c_order_invoice(&inv, e, so, 1, NULL), L2C_EGUARD);
    ck_assert_str_eq(l2c_last_error_rule(e), "order.not_confirmed");
    char *after = tu_snapshot(e);
    ck_assert_str_eq(snap, after);
    free(snap);
    free(after);
    ck_assert_int_eq(l2c_fire(e, "order", so, "confirm", NULL, NULL, 0), 0);
    ck_assert_int_eq(l2c_order_invoice(&inv, e, so, 0, NULL), 0);
    expect_field(e, "invoice", inv, "state", "draft");
    l2c_free(inv);
    inv = NULL;
    ck_assert_int_eq(l2c_order_invoice(&inv, e, so, 1, NULL), L2C_EGUARD);
    ck_assert_str_eq(l2c_last_error_rule(e), "invoice.empty");
    ck_assert_int_eq(l2c_fire(e, "invoice", "INV-000001", "issue", NULL, NULL, 0), 0);
    snap = tu_snapshot(e);
    ck_assert_int_eq(l2c_payment_record(NULL, e, "ACC-000001", "300.01", "INV-000001", NULL), L2C_EGUARD);
    ck_assert_str_eq(l2c_last_error_rule(e), "invoice.overpayment");
    after = tu_snapshot(e);
    ck_assert_str_eq(snap, after);
    free(snap);
    free(after);
    char *pay = NULL;
    ck_assert_int_eq(l2c_payment_record(&pay, e, "ACC-000001", "100", NULL, NULL), 0);
    ck_assert_str_eq(pay, "PAY-000001"); /* the refused one gave its number back */
    expect_field(e, "payment", pay, "unallocated", "100.00");
    l2c_free(pay);
    l2c_free(q);
    l2c_free(so);
    l2c_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("typed");
    TCase *tc = tcase_create("typed");
    tcase_add_test(tc, test_typed_flow_from_quote_to_paid_invoice);
    tcase_add_test(tc, test_typed_refusals_change_nothing);
    tcase_add_test(tc, test_order_invoice_and_payment_rules);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
