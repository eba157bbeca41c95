/* Internal: record types. Each model file holds one type's fields, its
 * event handlers (parse the command's data, then apply it), its rules
 * (guards, by name) and the cascades it asks for. Models work on records
 * inside the engine's running transaction. */
#ifndef L2C_MODEL_MODEL_H
#define L2C_MODEL_MODEL_H

#include "engine/engine.h"

/* Field kinds, for rendering and for `update`. */
enum {
    L2C__F_STR,     /* nullable string */
    L2C__F_REF,     /* id of another record (nullable) */
    L2C__F_MONEY,   /* int64 minor units, L2C__NULL_INT = null */
    L2C__F_DATE,    /* days since epoch, L2C__NULL_INT = null */
    L2C__F_INT,     /* integer */
    L2C__F_CUR,     /* currency index */
    L2C__F_LINES,   /* the record's lines */
    L2C__F_ALLOCS,  /* payment allocations */
    L2C__F_DERIVED, /* computed from other records: index `aux` of the derive output */
    L2C__F_TOTAL,   /* computed from the lines: aux 0 subtotal, 1 tax, 2 total */
    L2C__F_STATUS,  /* order: aux 0 fulfillment_status, 1 billing_status */
    L2C__F_UNALLOC, /* payment: amount minus allocations */
};

/* Flags of a field. */
#define L2C__FF_UPDATE 1u   /* `update` may change it */
#define L2C__FF_REQUIRED 2u /* may not be emptied by `update` */
#define L2C__FF_NULLABLE 4u /* money that may be null (credit_limit) */

typedef struct l2c__field {
    const char *name;
    uint8_t kind;
    uint8_t flags;
    uint8_t aux; /* REF: type; DERIVED: which; LINES: line form */
} l2c__field;

/* Line forms (how lines render). */
enum { L2C__LF_QUOTE, L2C__LF_ORDER, L2C__LF_INVOICE, L2C__LF_CREDIT };

/* A command being applied: the top-level one or a cascade. */
typedef struct l2c__cmd {
    l2c_engine *e;
    const struct l2c__model *m;
    const l2c__process *p;
    int type;
    l2c__slot *slot;
    int ev;
    const l2c__trans *t;
    int to;
    const l2c_data *data;
    const l2c_actor *actor;
    uint64_t cause;
    int cascade;
    const char *want_id;
    l2c__rec *rec; /* create: the record being built */
    /* parsed data, released by l2c__cmd_done */
    l2c__str *reason;
    l2c__slot *ref[4];
    int64_t n[8];
    l2c__lines *lines;
    l2c_data *owned;
    char idbuf[2][160];
} l2c__cmd;

typedef struct l2c__handler {
    const char *event;
    int (*parse)(l2c__cmd *c); /* may be NULL */
    int (*apply)(l2c__cmd *c); /* NULL: change the state only */
} l2c__handler;

typedef struct l2c__model {
    const char *name;
    const char *prefix;
    const char *domain;
    const l2c__field *fields;
    uint32_t nfields;
    int cur_field; /* index of the currency field, or -1 */
    /* create: parse data and fill c->rec (fields; lines); may reference records */
    int (*create)(l2c__cmd *c);
    /* after the create event: cascades (may be NULL) */
    int (*created)(l2c__cmd *c);
    /* update: 0 if the state allows editing, else field.immutable (set) */
    int (*editable)(l2c__cmd *c);
    /* update: apply the data's changes to c->rec (pending copy) */
    int (*update)(l2c__cmd *c);
    const l2c__handler *handlers;
    uint32_t nhandlers;
    /* derived amounts for rendering and event snapshots (may be NULL) */
    uint32_t (*nder)(const l2c__rec *r);
    void (*derive)(const l2c_engine *e, const l2c__rec *r, int64_t *out);
    /* the rules (and target choosers) this file defines, by name */
    const l2c__guard *guards;
    uint32_t nguards;
    const l2c__chooser *choosers;
    uint32_t nchoosers;
} l2c__model;

extern const l2c__model *const l2c__models[L2C__NTYPES];
extern const l2c__model l2c__account_model, l2c__lead_model, l2c__opportunity_model,
    l2c__quote_model, l2c__order_model, l2c__invoice_model, l2c__payment_model,
    l2c__credit_note_model;

const l2c__guard *l2c__guard_find(const char *name);
const l2c__chooser *l2c__chooser_find(const char *name);

/* ---- command running (lib/model/run.c) ---- */
void l2c__cmd_init(l2c__cmd *c, l2c_engine *e, int type);
void l2c__cmd_done(l2c__cmd *c);
int l2c__run_create(l2c__cmd *c);
int l2c__run_fire(l2c__cmd *c, uint32_t expected_version);
int l2c__run_update(l2c__cmd *c, uint32_t expected_version);
int l2c__run_sweep(l2c_engine *e, uint64_t cause);
/* Handler of an event of a type, or NULL (custom events change state only). */
const l2c__handler *l2c__handler_find(const l2c__model *m, const char *event);
/* The account a command or record belongs to (NULL when none). */
l2c__slot *l2c__account_of(const l2c_engine *e, const l2c__rec *r);
l2c__slot *l2c__ref_slot(const l2c_engine *e, const l2c__rec *r, int field, int type);
/* Cascades, from inside a handler: fire `event` on `s` / create a record. */
int l2c__cascade_fire(l2c__cmd *parent, l2c__slot *s, const char *event, const l2c_data *data);
int l2c__cascade_create(l2c__cmd *parent, int type, const char *id, const l2c_data *data,
                        l2c__slot **out);
/* Change the state of c->slot to c->to as one event (the default apply). */
int l2c__apply_state(l2c__cmd *c);

/* ---- input parsing helpers (lib/model/input.c); each sets the error ---- */
/* A string field: absent -> *out NULL (error field.required when `required`);
 * "" counts as missing; non-string -> field.invalid. */
int l2c__in_str(l2c__cmd *c, const l2c_data *obj, const char *key, int required, l2c__str **out);
/* A reference to a record of `type`: not_found when missing. */
int l2c__in_ref(l2c__cmd *c, const l2c_data *obj, const char *key, int type, int required,
                l2c__slot **out);
/* Money in currency `cur`: string or whole number; negative -> field.invalid;
 * `positive` demands > 0. Absent -> *present = 0. */
int l2c__in_money(l2c__cmd *c, const l2c_data *obj, const char *key, int cur, int positive,
                  int nullable, int64_t *out, int *present);
int l2c__in_qty(l2c__cmd *c, const l2c_data *v, const char *path, int64_t *out);
int l2c__in_pct(l2c__cmd *c, const l2c_data *v, const char *path, int32_t *out);
int l2c__in_int(l2c__cmd *c, const l2c_data *obj, const char *key, int64_t min, int64_t max,
                int64_t *out, int *present);
int l2c__in_date(l2c__cmd *c, const l2c_data *obj, const char *key, int nullable, int64_t *out,
                 int *present);
int l2c__in_currency(l2c__cmd *c, const l2c_data *obj, const char *key, int *out, int *present);
/* The reason of a transition that needs one (field.required when missing). */
int l2c__in_reason(l2c__cmd *c);
/* The generic part of `update`: every updatable string, money, date and
 * integer field present in c->data, written to r. */
int l2c__update_fields(l2c__cmd *c, l2c__rec *r);
/* Quote-form lines: [{sku, description, qty, unit_price, discount_pct, tax_rate_pct}] */
int l2c__in_lines(l2c__cmd *c, const l2c_data *arr, int cur, int nonempty, l2c__lines **out);

/* ---- records (lib/model/record.c) ---- */
l2c__rec *l2c__rec_new(l2c_engine *e, int type);
int l2c__rec_currency(const l2c_engine *e, const l2c__rec *r);
/* Sum of a line's amounts (net, tax) at quantity `qty`; -1 on overflow. */
int l2c__line_calc(const l2c__line *l, int64_t qty, int64_t *net, int64_t *tax);
/* Totals of all lines: subtotal, tax, total. -1 on overflow. */
int l2c__lines_totals(const l2c__lines *ls, int64_t *sub, int64_t *tax, int64_t *total);
/* Derived amounts of a record now (fresh) into out (size model nder). */
uint32_t l2c__rec_nder(const l2c__rec *r);

/* ---- amounts other models need (defined in their own files) ---- */
/* Balance of an invoice now (0 for void and written-off ones). */
int64_t l2c__invoice_balance(const l2c_engine *e, const l2c__rec *inv);
/* The invoice's derived amounts now: paid, credited, written_off, balance. */
void l2c__invoice_amounts(const l2c_engine *e, const l2c__rec *inv, int64_t out[4]);
/* Whether the quote is accepted (for opportunity.no_accepted_quote). */
int l2c__quote_is_accepted(const l2c_engine *e, const l2c__rec *q);
/* Orders: quantity of order line `line` (1-based) on invoices that are not
 * void; fire the order's `complete` when it is due. */
int64_t l2c__order_invoiced(const l2c_engine *e, const l2c__slot *order, int32_t line,
                            const l2c__slot *except);
int l2c__order_maybe_complete(l2c__cmd *c, l2c__slot *order);
/* Payments: total allocated by `pay` to `inv`. */
int64_t l2c__payment_allocated_to(const l2c__rec *pay, const l2c__slot *inv);
/* Today (the engine clock's UTC date) of the running command. */
int32_t l2c__today(const l2c_engine *e);
/* Add `kid` to `parent` unless it is there already. */
int l2c__kid_add_once(l2c_engine *e, l2c__slot *parent, l2c__slot *kid);
/* The string field of a reason (common to several types). */
int l2c__apply_reason(l2c__cmd *c, int field);
/* Parse a given id for a record a cascade will create (data key `key`) into buf ("" if none). */
int l2c__in_new_id(l2c__cmd *c, const char *key, char *buf);
/* Resolve buf (given or empty) into an id for `type`: already_exists or a drawn id. */
int l2c__claim_id(l2c__cmd *c, int type, char *buf);
/* Check a given `currency` against the chain's (currency.mismatch). */
int l2c__in_currency_check(l2c__cmd *c, int cur);
/* Field indexes other files read. */
enum { L2C__ACC_NAME, L2C__ACC_CURRENCY, L2C__ACC_CREDIT_LIMIT, L2C__ACC_TERMS };
enum { L2C__OPP_ACCOUNT, L2C__OPP_NAME, L2C__OPP_AMOUNT, L2C__OPP_CLOSE, L2C__OPP_LEAD,
       L2C__OPP_REASON };
/* A field index by name in a model, or -1. */
int l2c__field_index(const l2c__model *m, const char *name);
/* Make c->owned an empty object and return it (NULL on OOM, error set). */
l2c_data *l2c__owned_obj(l2c__cmd *c);
int l2c__set_money(l2c__cmd *c, l2c_data *obj, const char *key, int64_t v, int cur);
int l2c__relink(l2c_engine *e, l2c__slot *s, const l2c__rec *prev);
/* A line priced as `src` (sku, description, price, discount, tax shared)
 * for `qty`, naming `ref_line` of the source and numbered `line`. */
void l2c__line_from(l2c__line *dst, const l2c__line *src, int64_t qty, int32_t ref_line,
                    int32_t line);

#endif
