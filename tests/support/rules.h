/* Shared helpers of the per-record suites (check_account.c, check_lead.c,
 * check_opportunity.c, check_quote.c, check_order.c, check_invoice.c,
 * check_payment.c, check_credit_note.c). Only those suites include this
 * header: the short names below (J, ok, evs, expect, expect_str) are
 * function-like macros over the tr_ functions of rules.c, so they cannot
 * clash with the static helpers other suites define under the same names. */
#ifndef L2C_TEST_RULES_H
#define L2C_TEST_RULES_H

#include "support/testutil.h"

#define FIN "'actor':{'id':'fin-1','roles':['finance']}"
#define MGR "'actor':{'id':'mgr-1','roles':['sales_manager']}"

/* A command written with single quotes, printf-style: J("{'op':'get'}").
 * Returns one of a ring of static buffers, good for the next few calls. */
__attribute__((format(printf, 1, 2))) const char *tr_json(const char *fmt, ...);
/* Run a command that must succeed and drop its result. */
void tr_ok(l2c_engine *e, const char *json);
/* The events of a result as "type subject to vN, …" (the "l2c." prefix
 * dropped), after checking that their sequences are consecutive and that
 * they all share the cause of the first. Static buffer. */
const char *tr_evs(const cJSON *res);
/* Check a record's state and version (through `get`). */
void tr_expect(l2c_engine *e, const char *type, const char *id, const char *state, int version);
/* Check one string field (dotted path inside the entity) of a record;
 * want NULL means JSON null or absent. */
void tr_expect_str(l2c_engine *e, const char *type, const char *id, const char *path,
                   const char *want);

#define J(...) tr_json(__VA_ARGS__)
#define ok(e, json) tr_ok(e, json)
#define evs(res) tr_evs(res)
#define expect(e, type, id, state, version) tr_expect(e, type, id, state, version)
#define expect_str(e, type, id, path, want) tr_expect_str(e, type, id, path, want)

#endif
