/* Explicit transactions: l2c_begin … l2c_commit / l2c_rollback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/testutil.h"

static int heard;
static void listener(l2c_engine *e, const l2c_event *ev, void *user)
{
    (void)e, (void)ev, (void)user;
    heard++;
}

static l2c_data *lead_data(const char *name)
{
    l2c_data *d;
    ck_assert_int_eq(l2c_data_new(&d), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "name", name), 0);
    return d;
}

START_TEST(test_commit_applies_every_command_together)
{
    l2c_engine *e = tu_engine();
    heard = 0;
    ck_assert_int_eq(l2c_listener_add(NULL, e, NULL, NULL, listener, NULL, NULL), 0);
    l2c_data *d = lead_data("Ann");
    ck_assert_int_eq(l2c_begin(e), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 0), 0);
    cJSON *j = tu_ok(e, "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000001\",\"event\":\"qualify\"}");
    ck_assert_str_eq(tu_str(j, "events.0.data.cause"), "3"); /* each command its own cause */
    cJSON_Delete(j);
    /* reads see the transaction; nothing is committed or heard yet */
    j = tu_ok(e, "{\"op\":\"get\",\"type\":\"lead\",\"id\":\"L-000001\"}");
    ck_assert_str_eq(tu_str(j, "entity.state"), "qualified");
    cJSON_Delete(j);
    ck_assert_uint_eq(l2c_events_last(e), 0);
    ck_assert_int_eq(heard, 0);
    ck_assert_int_eq(l2c_begin(e), L2C_EUNSUPPORTED);
    ck_assert_int_eq(l2c_commit(e), 0);
    ck_assert_uint_eq(l2c_events_last(e), 3);
    ck_assert_int_eq(heard, 3);
    ck_assert_int_eq(l2c_commit(e), L2C_EINVAL);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_a_failed_command_rolls_back_the_whole_transaction)
{
    l2c_engine *e = tu_engine();
    l2c_data *d = lead_data("Ann");
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    char *before = tu_snapshot(e);
    ck_assert_int_eq(l2c_begin(e), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "convert", NULL, NULL, 0), L2C_ETRANSITION);
    /* the transaction is over: the next command runs on its own */
    ck_assert_int_eq(l2c_commit(e), L2C_EINVAL);
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    free(after);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_get_state(&(const char *){NULL}, e, "lead", "L-000002"), 0);
    free(before);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_rollback_discards_and_gives_back_ids)
{
    l2c_engine *e = tu_engine();
    l2c_data *d = lead_data("Ann");
    char *before = tu_snapshot(e);
    ck_assert_int_eq(l2c_rollback(e), L2C_EINVAL);
    ck_assert_int_eq(l2c_begin(e), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_rollback(e), 0);
    char *after = tu_snapshot(e);
    ck_assert_str_eq(before, after);
    char *id = NULL;
    ck_assert_int_eq(l2c_create(&id, e, "lead", NULL, d, NULL), 0);
    ck_assert_str_eq(id, "L-000001");
    l2c_free(id);
    free(before);
    free(after);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_transaction_on_a_store_is_one_sqlite_transaction)
{
    char dir[] = "/tmp/l2c-tx-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/t.db", dir);
    l2c_engine *e;
    ck_assert_int_eq(l2c_engine_open(&e, path, NULL), 0);
    l2c_data *d = lead_data("Ann");
    ck_assert_int_eq(l2c_begin(e), 0);
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_commit(e), 0);
    ck_assert_int_eq(l2c_begin(e), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_rollback(e), 0);
    l2c_engine_free(e);
    ck_assert_int_eq(l2c_engine_open(&e, path, NULL), 0);
    uint64_t n = 0;
    ck_assert_int_eq(l2c_count(&n, e, "lead"), 0);
    ck_assert_uint_eq(n, 50);
    ck_assert_uint_eq(l2c_events_last(e), 50);
    l2c_engine_free(e);
    l2c_data_free(d);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tx");
    TCase *tc = tcase_create("tx");
    tcase_add_test(tc, test_commit_applies_every_command_together);
    tcase_add_test(tc, test_a_failed_command_rolls_back_the_whole_transaction);
    tcase_add_test(tc, test_rollback_discards_and_gives_back_ids);
    tcase_add_test(tc, test_transaction_on_a_store_is_one_sqlite_transaction);
    suite_add_tcase(s, tc);
    return tu_run(s);
}
