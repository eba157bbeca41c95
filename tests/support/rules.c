/* Shared helpers of the per-record suites; see rules.h. */
#include "support/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tr_json(const char *fmt, ...)
{
    static char ring[8][16384];
    static unsigned next;
    char *b = ring[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof ring[0], fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof ring[0], "command too long");
    for (char *p = b; *p; p++)
        if (*p == '\'')
            *p = '"';
    return b;
}

void tr_ok(l2c_engine *e, const char *json) { cJSON_Delete(tu_ok(e, json)); }

const char *tr_evs(const cJSON *res)
{
    static char buf[4096];
    size_t len = 0;
    int n = tu_len(res, "events");
    buf[0] = '\0';
    ck_assert_int_ge(n, 0);
    for (int i = 0; i < n; i++) {
        char p[64];
        snprintf(p, sizeof p, "events.%d.", i);
        char k[96];
#define AT(s) (snprintf(k, sizeof k, "%s%s", p, s), k)
        const char *type = tu_str(res, AT("type"));
        const char *subject = tu_str(res, AT("subject"));
        const char *to = tu_str(res, AT("data.to"));
        double v = tu_num(res, AT("data.record.version"));
        const char *seq = tu_str(res, AT("sequence"));
        const char *cause = tu_str(res, AT("data.cause"));
        const char *first = tu_str(res, "events.0.sequence");
#undef AT
        ck_assert_ptr_nonnull(type);
        ck_assert_ptr_nonnull(seq);
        ck_assert_ptr_nonnull(cause);
        ck_assert_str_eq(cause, first);
        ck_assert_int_eq(strtol(seq, NULL, 10), strtol(first, NULL, 10) + i);
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s %s %s v%d", i ? ", " : "",
                                strncmp(type, "l2c.", 4) ? type : type + 4, subject, to,
                                (int)v);
        ck_assert_uint_lt(len, sizeof buf);
    }
    return buf;
}

void tr_expect(l2c_engine *e, const char *type, const char *id, const char *state, int version)
{
    cJSON *r = tu_ok(e, J("{'op':'get','type':'%s','id':'%s'}", type, id));
    ck_assert_msg(tu_str(r, "entity.state") && strcmp(tu_str(r, "entity.state"), state) == 0,
                  "%s %s: state %s, want %s", type, id, tu_str(r, "entity.state"), state);
    ck_assert_msg(tu_num(r, "entity.version") == version, "%s %s: version %g, want %d", type, id,
                  tu_num(r, "entity.version"), version);
    cJSON_Delete(r);
}

void tr_expect_str(l2c_engine *e, const char *type, const char *id, const char *path,
                   const char *want)
{
    cJSON *r = tu_ok(e, J("{'op':'get','type':'%s','id':'%s'}", type, id));
    char full[128];
    snprintf(full, sizeof full, "entity.%s", path);
    const char *got = tu_str(r, full);
    if (want)
        ck_assert_msg(got && strcmp(got, want) == 0, "%s %s %s: %s, want %s", type, id, path,
                      got ? got : "(null)", want);
    else
        ck_assert_msg(got == NULL, "%s %s %s: %s, want null", type, id, path, got);
    cJSON_Delete(r);
}
