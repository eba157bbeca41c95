/**
 * @file l2c/records.h
 * @brief Commands and reads through the C API.
 *
 * Types are "account", "lead", "opportunity", "quote", "order", "invoice",
 * "payment", "credit_note"; events are the names of DESIGN §2 ("qualify",
 * "convert" …). Every command is atomic with its cascades: on error nothing
 * changed, and l2c_last_error_code/rule/message tell why. The JSON protocol
 * (l2c/exec.h) is a codec over these same functions.
 */
#ifndef L2C_RECORDS_H
#define L2C_RECORDS_H

#include "common.h"
#include "data.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create a record. `id` NULL generates the next id of the type
 * ("L-000001"). `data` holds the fields (may be NULL), `actor` may be NULL.
 * On success, when `out_id` is not NULL, *out_id is a copy of the new id
 * (free with l2c_free). Errors: L2C_EINVAL, L2C_EEXISTS, L2C_ENOTFOUND (a
 * named record is missing), L2C_EGUARD, L2C_EHOOK, L2C_ENOMEM,
 * L2C_EUNSUPPORTED (called from inside a hook).
 */
L2C_API int l2c_create(char **out_id, l2c_engine *engine, const char *type, const char *id,
                       const l2c_data *data, const l2c_actor *actor);

/**
 * Fire `event` on a record. `expected_version` 0 skips the version check;
 * otherwise a different current version is L2C_ECONFLICT. Errors as
 * l2c_create plus L2C_ETRANSITION and L2C_EFORBIDDEN.
 */
L2C_API int l2c_fire(l2c_engine *engine, const char *type, const char *id, const char *event,
                     const l2c_data *data, const l2c_actor *actor, uint32_t expected_version);

/** Change fields of a record (DESIGN §2 says which, in which states). */
L2C_API int l2c_update(l2c_engine *engine, const char *type, const char *id,
                       const l2c_data *data, const l2c_actor *actor, uint32_t expected_version);

/** Run the sweep: expire sent quotes past valid_until, mark issued invoices
 *  past due overdue. On success *out_count (may be NULL) is the number of events. */
L2C_API int l2c_sweep(uint64_t *out_count, l2c_engine *engine);

/** The record as JSON (the protocol's `entity`). Free *out with l2c_free. */
L2C_API int l2c_get_json(char **out, l2c_engine *engine, const char *type, const char *id);

/** The record's state name; borrowed, valid while the engine lives. */
L2C_API int l2c_get_state(const char **out, l2c_engine *engine, const char *type, const char *id);

/** The record's version. */
L2C_API int l2c_get_version(uint32_t *out, l2c_engine *engine, const char *type, const char *id);

/** One field of the record's JSON, as text: strings and amounts unquoted
 *  ("8712.00"), null as NULL in *out with 0 returned, objects and arrays as
 *  JSON. L2C_ENOTFOUND when the record or the field does not exist. */
L2C_API int l2c_get_field(char **out, l2c_engine *engine, const char *type, const char *id,
                          const char *field);

/** Number of records of a type (all states). */
L2C_API int l2c_count(uint64_t *out, l2c_engine *engine, const char *type);

/* ---- transactions ---- */

/**
 * Open a transaction: the commands that follow on this engine (C API or
 * l2c_exec_json) apply to it and are committed together by l2c_commit, as
 * one store transaction, or discarded by l2c_rollback. Like a batch, the
 * first command that fails rolls the whole transaction back and ends it
 * (l2c_commit then answers L2C_EINVAL). Reads see the transaction's
 * changes; listeners run at the commit. With a store the write lock is
 * held from here to the end. Errors: L2C_EUNSUPPORTED (one is already
 * open, or inside a hook), those of taking the store's lock.
 */
L2C_API int l2c_begin(l2c_engine *engine);
/** Commit the open transaction (durably, with a store). L2C_EINVAL when
 *  none is open; L2C_EIO/L2C_ENOMEM when the commit fails (nothing applied). */
L2C_API int l2c_commit(l2c_engine *engine);
/** Discard the open transaction. L2C_EINVAL when none is open. */
L2C_API int l2c_rollback(l2c_engine *engine);

/* ---- typed convenience functions for the common steps ----
 * Each is one atomic command on the same engine path as l2c_exec_json (the
 * same rules, events and errors). Amounts, quantities and percentages are
 * decimal strings ("1234.50", "2", "12.5"); NULL means "not given". On
 * success the new record's id is copied into *out_id when out_id is not
 * NULL (free with l2c_free). */

/** Create an empty draft quote for an opportunity (`valid_until`
 *  "YYYY-MM-DD" or NULL). Rules: account.closed, quote.opportunity_closed. */
L2C_API int l2c_quote_create(char **out_id, l2c_engine *engine, const char *opportunity_id,
                             const char *valid_until, const l2c_actor *actor);

/** Append a line to a draft quote (one `update` event). `qty` and
 *  `unit_price` are required; `sku`, `description`, `discount_pct` and
 *  `tax_rate_pct` may be NULL. A quote that is not a draft is
 *  field.immutable. */
L2C_API int l2c_quote_add_line(l2c_engine *engine, const char *quote_id, const char *sku,
                               const char *description, const char *qty,
                               const char *unit_price, const char *discount_pct,
                               const char *tax_rate_pct, const l2c_actor *actor);

/** Accept a sent quote: the order is created (prices locked) and the
 *  opportunity won, in one command. *out_order_id receives the order's id. */
L2C_API int l2c_quote_accept(char **out_order_id, l2c_engine *engine, const char *quote_id,
                             const l2c_actor *actor);

/** Invoice everything of a confirmed order that is not yet invoiced; with
 *  `issue` non-zero the invoice is also issued, in the same command. Rules:
 *  order.not_confirmed, invoice.empty. */
L2C_API int l2c_order_invoice(char **out_invoice_id, l2c_engine *engine, const char *order_id,
                              int32_t issue, const l2c_actor *actor);

/** Record a payment of `amount` (in the account's currency) received
 *  today; with `invoice_id` not NULL the whole amount is allocated to that
 *  invoice in the same command (the allocation rules apply; the invoice
 *  settles at 0). */
L2C_API int l2c_payment_record(char **out_payment_id, l2c_engine *engine, const char *account_id,
                               const char *amount, const char *invoice_id,
                               const l2c_actor *actor);

#ifdef __cplusplus
}
#endif
#endif
