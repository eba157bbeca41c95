/* Shared helpers for the Check suites. */
#ifndef L2C_TESTUTIL_H
#define L2C_TESTUTIL_H

#include <check.h>
#include <cJSON.h>

#include "l2c.h"

/* A new engine with its clock fixed at 2026-04-01T08:30:00Z. */
l2c_engine *tu_engine(void);
/* Run a JSON command; returns the parsed result (caller frees with cJSON_Delete). */
cJSON *tu_exec(l2c_engine *e, const char *json);
/* Run a command that must succeed; returns the parsed result. */
cJSON *tu_ok(l2c_engine *e, const char *json);
/* Run a command, check it fails with `code` (e.g. "guard_rejected") and, when
 * `rule` is not NULL, that rule (NULL rule also checks there is no "rule"
 * key for codes other than invalid_argument/guard_rejected); and check that
 * every record and the event log are exactly as before. */
void tu_fails_unchanged(l2c_engine *e, const char *json, const char *code, const char *rule);
/* Every record of every type plus every event, as one string (free with free()). */
char *tu_snapshot(l2c_engine *e);
/* The string at a dotted path of a result ("entity.state", "events.0.type",
 * "error.rule"); NULL when absent or not a string. Borrowed from `j`. */
const char *tu_str(const cJSON *j, const char *path);
/* The number at a dotted path (NaN when absent). */
double tu_num(const cJSON *j, const char *path);
/* Array size at a dotted path (-1 when absent). */
int tu_len(const cJSON *j, const char *path);
/* Build a deal up to a confirmed order SO-000001 of ACC-000001 (EUR):
 * lines: 1) 2 x 4800.00, 25% discount, 21% tax; 2) 1 x 950.00, 21% tax.
 * Quote Q-000001 approved, sent and accepted. */
void tu_confirmed_order(l2c_engine *e);
/* Run a whole test-suite main: srunner over `s`, returns exit status. */
int tu_run(Suite *s);

#endif
