/* order: what the customer bought. Lines carry ordered, fulfilled and
 * (derived) invoiced quantities; credit control at confirm; `complete`
 * follows by itself when everything is fulfilled and invoiced. */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

enum { ACCOUNT, QUOTE, CURRENCY, LINES, FSTATUS, BSTATUS, SUBTOTAL, TAX, TOTAL, REASON };

static const l2c__field fields[] = {
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"quote", L2C__F_REF, 0, L2C__T_QUOTE},
    {"currency", L2C__F_CUR, 0, 0},
    {"lines", L2C__F_LINES, L2C__FF_UPDATE, L2C__LF_ORDER},
    {"fulfillment_status", L2C__F_STATUS, 0, 0},
    {"billing_status", L2C__F_STATUS, 0, 1},
    {"subtotal", L2C__F_TOTAL, 0, 0},
    {"tax", L2C__F_TOTAL, 0, 1},
    {"total", L2C__F_TOTAL, 0, 2},
    {"reason", L2C__F_STR, 0, 0},
};

static int state(const l2c_engine *e, const char *name)
{
    return l2c__process_state(e->proc[L2C__T_ORDER], name);
}

int64_t l2c__order_invoiced(const l2c_engine *e, const l2c__slot *order, int32_t line,
                            const l2c__slot *except)
{
    int vd = l2c__process_state(e->proc[L2C__T_INVOICE], "void");
    int64_t sum = 0;
    for (uint32_t i = 0; i < order->nkids; i++) {
        const l2c__slot *k = order->kids[i];
        if (k->type != L2C__T_INVOICE || k == except)
            continue;
        const l2c__rec *inv = l2c__slot_rec(k);
        if (inv->state == vd || !inv->lines)
            continue;
        for (uint32_t j = 0; j < inv->lines->n; j++)
            if (inv->lines->l[j].ref_line == line)
                sum += inv->lines->l[j].qty;
    }
    return sum;
}

/* Quantity of a line on issued invoices (not draft, not void). */
static int64_t invoiced_issued(const l2c_engine *e, const l2c__slot *order, int32_t line)
{
    const l2c__process *ip = e->proc[L2C__T_INVOICE];
    int vd = l2c__process_state(ip, "void"), dr = l2c__process_state(ip, "draft");
    int64_t sum = 0;
    for (uint32_t i = 0; i < order->nkids; i++) {
        const l2c__rec *inv = l2c__slot_rec(order->kids[i]);
        if (inv->type != L2C__T_INVOICE || inv->state == vd || inv->state == dr || !inv->lines)
            continue;
        for (uint32_t j = 0; j < inv->lines->n; j++)
            if (inv->lines->l[j].ref_line == line)
                sum += inv->lines->l[j].qty;
    }
    return sum;
}

static uint32_t nder(const l2c__rec *r) { return r->lines ? r->lines->n : 0; }

static void derive(const l2c_engine *e, const l2c__rec *r, int64_t *out)
{
    for (uint32_t i = 0; r->lines && i < r->lines->n; i++)
        out[i] = l2c__order_invoiced(e, r->slot, r->lines->l[i].line, NULL);
}

/* create: c->ref[0] account, c->ref[1] quote (cascade from accept) */
static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc;
    const l2c_data *q = c->cascade ? l2c__data_get(c->data, "quote") : NULL;
    if (q) {
        if ((rc = l2c__in_ref(c, c->data, "quote", L2C__T_QUOTE, 1, &c->ref[1])))
            return rc;
        const l2c__rec *qr = l2c__slot_rec(c->ref[1]);
        c->ref[0] = l2c__account_of(c->e, qr);
        r->f[QUOTE].s = l2c__str_ref(c->ref[1]->id);
        r->f[ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
        r->f[CURRENCY].i = qr->f[l2c__quote_model.cur_field].i;
        if (!(r->lines = qr->lines ? l2c__lines_copy(qr->lines) : l2c__lines_new(0)))
            return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
        for (uint32_t i = 0; i < r->lines->n; i++) {
            r->lines->l[i].line = (int32_t)i + 1;
            r->lines->l[i].fulfilled = 0;
        }
        return 0;
    }
    const l2c_data *a = l2c__data_get(c->data, "account");
    if (!a || a->kind == L2C__D_NULL || (a->kind == L2C__D_STR && !a->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "account is required");
    const l2c_data *lines = l2c__data_get(c->data, "lines");
    if (!lines || lines->kind == L2C__D_NULL || (lines->kind == L2C__D_ARR && !lines->count))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "lines must not be empty");
    if (lines->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines must be an array");
    if ((rc = l2c__in_ref(c, c->data, "account", L2C__T_ACCOUNT, 1, &c->ref[0])))
        return rc;
    int cur = (int)l2c__slot_rec(c->ref[0])->f[L2C__ACC_CURRENCY].i;
    if ((rc = l2c__in_currency_check(c, cur)))
        return rc;
    r->f[ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
    r->f[CURRENCY].i = cur;
    return l2c__in_lines(c, lines, cur, 1, &r->lines);
}

static int created(l2c__cmd *c) { return l2c__kid_add(c->e, c->ref[0], c->slot); }

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != state(c->e, "draft"))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable",
                        "order %s is %s: only a draft can be changed", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    l2c__rec *r = c->slot->pend;
    const l2c_data *lines = l2c__data_get(c->data, "lines");
    if (!lines)
        return 0;
    if (r->f[QUOTE].s)
        return l2c__err(c->e, L2C_EINVAL, "field.immutable",
                        "order %s comes from quote %s: its lines and prices are locked",
                        c->want_id, r->f[QUOTE].s->s);
    l2c__lines *ls;
    int rc = l2c__in_lines(c, lines, (int)r->f[CURRENCY].i, 1, &ls);
    if (rc)
        return rc;
    l2c__lines_unref(r->lines);
    r->lines = ls;
    return 0;
}

int l2c__order_maybe_complete(l2c__cmd *c, l2c__slot *order)
{
    const l2c__rec *r = l2c__slot_rec(order);
    if (r->state != state(c->e, "confirmed") || !r->lines)
        return 0;
    for (uint32_t i = 0; i < r->lines->n; i++) {
        const l2c__line *l = &r->lines->l[i];
        if (l->fulfilled < l->qty || invoiced_issued(c->e, order, l->line) < l->qty)
            return 0;
    }
    return l2c__cascade_fire(c, order, "complete", NULL);
}

/* fulfill: c->lines holds the quantities per order line (qty summed into
 * a copy of the order's lines' `fulfilled`). */
static int parse_fulfill(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    const l2c_data *arr = l2c__data_get(c->data, "lines");
    if (!arr || arr->kind == L2C__D_NULL || (arr->kind == L2C__D_ARR && !arr->count))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "lines is required");
    if (arr->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines must be an array");
    if (!(c->lines = l2c__lines_copy(r->lines)))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    uint32_t i = 0;
    char path[64];
    for (const l2c_data *d = arr->child; d; d = d->next, i++) {
        if (d->kind != L2C__D_OBJ)
            return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines.%u must be an object", i);
        int64_t line, qty;
        int present, rc;
        snprintf(path, sizeof path, "lines.%u.line", i);
        if ((rc = l2c__in_int(c, d, "line", 1, INT32_MAX, &line, &present)))
            return rc;
        if (!present)
            return l2c__err(c->e, L2C_EINVAL, "field.required", "%s is required", path);
        if (line > c->lines->n)
            return l2c__err(c->e, L2C_EINVAL, "field.invalid", "order %s has no line %lld",
                            c->want_id, (long long)line);
        snprintf(path, sizeof path, "lines.%u.qty", i);
        if ((rc = l2c__in_qty(c, l2c__data_get(d, "qty"), path, &qty)))
            return rc;
        l2c__line *l = &c->lines->l[line - 1];
        if (l2c__add64(&l->fulfilled, l->fulfilled, qty))
            return l2c__err(c->e, L2C_EINVAL, "field.invalid", "%s is too large", path);
    }
    return 0;
}

static int apply_fulfill(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__lines_unref(r->lines);
    r->lines = c->lines;
    c->lines = NULL;
    int rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    return rc ? rc : l2c__order_maybe_complete(c, c->slot);
}

static int parse_reason(l2c__cmd *c) { return l2c__in_reason(c); }
static int apply_reason(l2c__cmd *c) { return l2c__apply_reason(c, REASON); }

/* ---- rules ---- */

static int g_overfulfillment(l2c__cmd *c)
{
    for (uint32_t i = 0; i < c->lines->n; i++) {
        const l2c__line *l = &c->lines->l[i];
        if (l->fulfilled > l->qty)
            return l2c__err(c->e, L2C_EGUARD, "order.overfulfillment",
                            "order line %d: fulfilled quantity would pass the ordered quantity",
                            l->line);
    }
    return 0;
}

static int g_has_fulfillment(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    for (uint32_t i = 0; r->lines && i < r->lines->n; i++)
        if (r->lines->l[i].fulfilled > 0)
            return l2c__err(c->e, L2C_EGUARD, "order.has_fulfillment",
                            "order %s has fulfilled quantities", c->want_id);
    return 0;
}

static int g_has_invoices(l2c__cmd *c)
{
    int vd = l2c__process_state(c->e->proc[L2C__T_INVOICE], "void");
    for (uint32_t i = 0; i < c->slot->nkids; i++) {
        const l2c__rec *k = l2c__slot_rec(c->slot->kids[i]);
        if (k->type == L2C__T_INVOICE && k->state != vd)
            return l2c__err(c->e, L2C_EGUARD, "order.has_invoices",
                            "order %s has invoice %s", c->want_id, c->slot->kids[i]->id->s);
    }
    return 0;
}

/* Uninvoiced value of an order: the line formula on what is not invoiced. */
static int uninvoiced(const l2c_engine *e, const l2c__slot *o, int64_t *out)
{
    const l2c__rec *r = l2c__slot_rec(o);
    int64_t sum = 0;
    for (uint32_t i = 0; r->lines && i < r->lines->n; i++) {
        const l2c__line *l = &r->lines->l[i];
        int64_t left = l->qty - l2c__order_invoiced(e, o, l->line, NULL), net, tax;
        if (left <= 0)
            continue;
        if (l2c__line_calc(l, left, &net, &tax) || l2c__add64(&sum, sum, net) ||
            l2c__add64(&sum, sum, tax))
            return -1;
    }
    *out = sum;
    return 0;
}

static int g_credit_limit(l2c__cmd *c)
{
    l2c__slot *a = l2c__account_of(c->e, l2c__slot_rec(c->slot));
    const l2c__rec *ar = l2c__slot_rec(a);
    int64_t limit = ar->f[L2C__ACC_CREDIT_LIMIT].i;
    if (limit == L2C__NULL_INT)
        return 0;
    const l2c__process *ip = c->e->proc[L2C__T_INVOICE];
    int inv_draft = l2c__process_state(ip, "draft");
    int conf = state(c->e, "confirmed"), hold = state(c->e, "on_hold");
    int64_t exp = 0, x;
    int over = 0;
    for (uint32_t i = 0; i < a->nkids && !over; i++) {
        const l2c__slot *k = a->kids[i];
        const l2c__rec *kr = l2c__slot_rec(k);
        if (k->type == L2C__T_INVOICE &&
            (kr->state == inv_draft || l2c__process_open(ip, kr->state)))
            over = l2c__add64(&exp, exp, l2c__invoice_balance(c->e, kr));
        else if (k->type == L2C__T_ORDER && k != c->slot && (kr->state == conf || kr->state == hold))
            over = uninvoiced(c->e, k, &x) || l2c__add64(&exp, exp, x);
    }
    int64_t sub, tax, total;
    if (!over)
        over = l2c__lines_totals(l2c__slot_rec(c->slot)->lines, &sub, &tax, &total) ||
               l2c__add64(&exp, exp, total);
    if (over || exp > limit) {
        char lim[32], ex[32];
        int e2 = l2c__currency_exp((int)ar->f[L2C__ACC_CURRENCY].i);
        l2c__dec_format_fixed(lim, limit, e2);
        l2c__dec_format_fixed(ex, exp, e2);
        return l2c__err(c->e, L2C_EGUARD, "account.credit_limit_exceeded",
                        "account %s: exposure %s would pass the credit limit %s", a->id->s,
                        over ? "(too large)" : ex, lim);
    }
    return 0;
}

static int g_finished(l2c__cmd *c)
{
    /* invoice void: its order is completed or closed */
    int f = l2c__field_index(&l2c__invoice_model, "order");
    l2c__slot *o = l2c__ref_slot(c->e, l2c__slot_rec(c->slot), f, L2C__T_ORDER);
    if (!o)
        return 0;
    int st = l2c__slot_rec(o)->state;
    if (st == state(c->e, "completed") || st == state(c->e, "closed"))
        return l2c__err(c->e, L2C_EGUARD, "order.finished",
                        "order %s is %s: correct the invoice with a credit note", o->id->s,
                        c->e->proc[L2C__T_ORDER]->states[st]);
    return 0;
}

static const l2c__handler handlers[] = {
    {"fulfill", parse_fulfill, apply_fulfill},
    {"close", parse_reason, apply_reason},
};

static const l2c__guard guards[] = {
    {"order.overfulfillment", g_overfulfillment},
    {"order.has_fulfillment", g_has_fulfillment},
    {"order.has_invoices", g_has_invoices},
    {"order.finished", g_finished},
    {"account.credit_limit_exceeded", g_credit_limit},
};

const l2c__model l2c__order_model = {
    .name = "order",
    .prefix = "SO",
    .domain = "sales",
    .fields = fields,
    .nfields = sizeof fields / sizeof *fields,
    .cur_field = CURRENCY,
    .create = create,
    .created = created,
    .editable = editable,
    .update = update,
    .handlers = handlers,
    .nhandlers = sizeof handlers / sizeof *handlers,
    .nder = nder,
    .derive = derive,
    .guards = guards,
    .nguards = sizeof guards / sizeof *guards,
};
