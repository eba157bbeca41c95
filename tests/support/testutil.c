#include "support/testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

l2c_engine *tu_engine(void)
{
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, NULL), 0);
    ck_assert_int_eq(l2c_clock_set(e, 1775032200), 0); /* 2026-04-01T08:30:00Z */
    return e;
}

cJSON *tu_exec(l2c_engine *e, const char *json)
{
    char *out = NULL;
    l2c_exec_json(&out, e, json);
    ck_assert_ptr_nonnull(out);
    cJSON *j = cJSON_Parse(out);
    ck_assert_msg(j != NULL, "result is not JSON: %s", out);
    l2c_free(out);
    return j;
}

cJSON *tu_ok(l2c_engine *e, const char *json)
{
    cJSON *j = tu_exec(e, json);
    if (!cJSON_IsTrue(cJSON_GetObjectItem(j, "ok"))) {
        char *s = cJSON_PrintUnformatted(j);
        ck_abort_msg("command failed: %s\n  -> %s", json, s);
    }
    return j;
}

static const char *types[] = {"account", "lead",    "opportunity", "quote",
                              "order",   "invoice", "payment",     "credit_note"};

char *tu_snapshot(l2c_engine *e)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "{\"op\":\"list\",\"type\":\"%s\"}", types[i]);
        char *out = NULL;
        l2c_exec_json(&out, e, cmd);
        size_t n = strlen(out);
        while (len + n + 2 > cap)
            buf = realloc(buf, cap *= 2);
        memcpy(buf + len, out, n + 1);
        len += n;
        l2c_free(out);
    }
    char *out = NULL;
    l2c_exec_json(&out, e, "{\"op\":\"events\"}");
    size_t n = strlen(out);
    while (len + n + 2 > cap)
        buf = realloc(buf, cap *= 2);
    memcpy(buf + len, out, n + 1);
    l2c_free(out);
    return buf;
}

void tu_fails_unchanged(l2c_engine *e, const char *json, const char *code, const char *rule)
{
    char *before = tu_snapshot(e);
    uint64_t last = l2c_events_last(e);
    cJSON *j = tu_exec(e, json);
    char *s = cJSON_PrintUnformatted(j);
    ck_assert_msg(cJSON_IsFalse(cJSON_GetObjectItem(j, "ok")), "expected failure: %s -> %s", json, s);
    const char *got = tu_str(j, "error.code");
    ck_assert_msg(got && strcmp(got, code) == 0, "expected code %s: %s -> %s", code, json, s);
    const char *grule = tu_str(j, "error.rule");
    if (rule)
        ck_assert_msg(grule && strcmp(grule, rule) == 0, "expected rule %s: %s -> %s", rule, json, s);
    else if (strcmp(code, "invalid_argument") && strcmp(code, "guard_rejected"))
        ck_assert_msg(grule == NULL, "no rule expected: %s -> %s", json, s);
    char *after = tu_snapshot(e);
    ck_assert_msg(strcmp(before, after) == 0, "state changed by a failed command: %s", json);
    ck_assert_uint_eq(last, l2c_events_last(e));
    free(before);
    free(after);
    free(s);
    cJSON_Delete(j);
}

static const cJSON *at(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = j;
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, ".")) {
        if (cJSON_IsArray(cur)) {
            char *end;
            long i = strtol(tok, &end, 10);
            cur = *end ? NULL : cJSON_GetArrayItem(cur, (int)i);
        } else {
            cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
        }
    }
    return cur;
}

const char *tu_str(const cJSON *j, const char *path)
{
    const cJSON *v = at(j, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

double tu_num(const cJSON *j, const char *path)
{
    const cJSON *v = at(j, path);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

int tu_len(const cJSON *j, const char *path)
{
    const cJSON *v = at(j, path);
    return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : -1;
}

void tu_confirmed_order(l2c_engine *e)
{
    static const char *cmds[] = {
        "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Ines\",\"company\":\"Ortega Foods\"}}",
        "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000001\",\"event\":\"qualify\"}",
        "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"L-000001\",\"event\":\"convert\",\"data\":{\"opportunity\":{\"name\":\"Cold storage\",\"amount\":\"12000.00\"}}}",
        "{\"op\":\"create\",\"type\":\"quote\",\"data\":{\"opportunity\":\"OPP-000001\",\"valid_until\":\"2026-04-30\",\"lines\":[{\"sku\":\"FRZ-200\",\"qty\":2,\"unit_price\":\"4800.00\",\"discount_pct\":\"25\",\"tax_rate_pct\":\"21\"},{\"sku\":\"INST\",\"qty\":1,\"unit_price\":\"950.00\",\"tax_rate_pct\":\"21\"}]}}",
        "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"Q-000001\",\"event\":\"submit\"}",
        "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"Q-000001\",\"event\":\"approve\",\"actor\":{\"id\":\"m\",\"roles\":[\"sales_manager\"]}}",
        "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"Q-000001\",\"event\":\"send\"}",
        "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"Q-000001\",\"event\":\"accept\"}",
        "{\"op\":\"fire\",\"type\":\"order\",\"id\":\"SO-000001\",\"event\":\"confirm\"}",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
        cJSON_Delete(tu_ok(e, cmds[i]));
}

int tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
