/* invoice: a bill for order quantities. Never more than ordered (drafts
 * count, void frees); paid, credited, written_off and balance are derived
 * from payments and credit notes, never stored. */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

enum { ORDER, ACCOUNT, CURRENCY, LINES, ISSUE_DATE, DUE_DATE, SUBTOTAL, TAX, TOTAL, PAID,
       CREDITED, WRITTEN_OFF, BALANCE, REASON };

static const l2c__field fields[] = {
    {"order", L2C__F_REF, 0, L2C__T_ORDER},
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"currency", L2C__F_CUR, 0, 0},
    {"lines", L2C__F_LINES, L2C__FF_UPDATE, L2C__LF_INVOICE},
    {"issue_date", L2C__F_DATE, 0, 0},
    {"due_date", L2C__F_DATE, 0, 0},
    {"subtotal", L2C__F_TOTAL, 0, 0},
    {"tax", L2C__F_TOTAL, 0, 1},
    {"total", L2C__F_TOTAL, 0, 2},
    {"paid", L2C__F_DERIVED, 0, 0},
    {"credited", L2C__F_DERIVED, 0, 1},
    {"written_off", L2C__F_DERIVED, 0, 2},
    {"balance", L2C__F_DERIVED, 0, 3},
    {"reason", L2C__F_STR, 0, 0},
};

static const char *const dispute_reasons[] = {"pricing",       "quantity", "not_ordered",
                                              "not_delivered", "quality",  "other"};

static int state(const l2c_engine *e, const char *name)
{
    return l2c__process_state(e->proc[L2C__T_INVOICE], name);
}

void l2c__invoice_amounts(const l2c_engine *e, const l2c__rec *inv, int64_t out[4])
{
    int64_t sub = 0, tax = 0, total = 0, paid = 0, credited = 0;
    l2c__lines_totals(inv->lines, &sub, &tax, &total);
    int cn_issued = l2c__process_state(e->proc[L2C__T_CREDIT_NOTE], "issued");
    int applied = l2c__field_index(&l2c__credit_note_model, "applied");
    const l2c__slot *s = inv->slot;
    for (uint32_t i = 0; s && i < s->nkids; i++) {
        const l2c__rec *k = l2c__slot_rec(s->kids[i]);
        if (k->type == L2C__T_PAYMENT)
            paid += l2c__payment_allocated_to(k, s);
        else if (k->type == L2C__T_CREDIT_NOTE && k->state == cn_issued &&
                 k->f[applied].i != L2C__NULL_INT)
            credited += k->f[applied].i;
    }
    int64_t wo = 0, bal = total - paid - credited;
    if (inv->state == state(e, "written_off")) {
        wo = bal > 0 ? bal : 0;
        bal = 0;
    } else if (inv->state == state(e, "void")) {
        bal = 0;
    }
    out[0] = paid;
    out[1] = credited;
    out[2] = wo;
    out[3] = bal;
}

int64_t l2c__invoice_balance(const l2c_engine *e, const l2c__rec *inv)
{
    int64_t a[4];
    l2c__invoice_amounts(e, inv, a);
    return a[3];
}

static uint32_t nder(const l2c__rec *r)
{
    (void)r;
    return 4;
}

static void derive(const l2c_engine *e, const l2c__rec *r, int64_t *out)
{
    l2c__invoice_amounts(e, r, out);
}

/* Invoice lines from data `lines` ([{order_line, qty}]) or, without it,
 * everything of the order not yet invoiced (`except` this invoice). */
static int build_lines(l2c__cmd *c, l2c__slot *order, const l2c__slot *except, l2c__lines **out)
{
    const l2c__rec *o = l2c__slot_rec(order);
    const l2c_data *arr = l2c__data_get(c->data, "lines");
    const l2c__lines *ol = o->lines;
    uint32_t nol = ol ? ol->n : 0;
    l2c__lines *ls;
    if (!arr || arr->kind == L2C__D_NULL) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < nol; i++)
            n += ol->l[i].qty > l2c__order_invoiced(c->e, order, ol->l[i].line, except);
        if (!(ls = l2c__lines_new(n)))
            return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
        uint32_t k = 0;
        for (uint32_t i = 0; i < nol; i++) {
            int64_t left = ol->l[i].qty - l2c__order_invoiced(c->e, order, ol->l[i].line, except);
            if (left <= 0)
                continue;
            l2c__line_from(&ls->l[k], &ol->l[i], left, ol->l[i].line, (int32_t)(k + 1));
            k++;
        }
        *out = ls;
        return 0;
    }
    if (arr->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines must be an array");
    if (!(ls = l2c__lines_new(arr->count)))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    uint32_t i = 0;
    char path[64];
    int rc = 0;
    for (const l2c_data *d = arr->child; d; d = d->next, i++) {
        int64_t ol_no, qty;
        int present;
        if (d->kind != L2C__D_OBJ) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines.%u must be an object", i);
            break;
        }
        if ((rc = l2c__in_int(c, d, "order_line", 1, INT32_MAX, &ol_no, &present)))
            break;
        if (!present) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.required", "lines.%u.order_line is required", i);
            break;
        }
        if (ol_no > nol) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.invalid", "order %s has no line %lld",
                          order->id->s, (long long)ol_no);
            break;
        }
        snprintf(path, sizeof path, "lines.%u.qty", i);
        if ((rc = l2c__in_qty(c, l2c__data_get(d, "qty"), path, &qty)))
            break;
        l2c__line *l = &ls->l[i];
        l2c__line_from(l, &ol->l[ol_no - 1], qty, (int32_t)ol_no, (int32_t)i + 1);
        int64_t net, tax;
        if (l2c__line_calc(l, qty, &net, &tax)) {
            rc = l2c__err(c->e, L2C_EINVAL, "amount.overflow", "lines.%u: amount too large", i);
            break;
        }
    }
    int64_t a, b, t;
    if (!rc && l2c__lines_totals(ls, &a, &b, &t))
        rc = l2c__err(c->e, L2C_EINVAL, "amount.overflow", "the invoice total is too large");
    if (rc) {
        l2c__lines_unref(ls);
        return rc;
    }
    *out = ls;
    return 0;
}

/* create: c->ref[0] account, c->ref[1] order */
static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc;
    const l2c_data *o = l2c__data_get(c->data, "order");
    if (!o || o->kind == L2C__D_NULL || (o->kind == L2C__D_STR && !o->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "order is required");
    if ((rc = l2c__in_ref(c, c->data, "order", L2C__T_ORDER, 1, &c->ref[1])))
        return rc;
    const l2c__rec *or = l2c__slot_rec(c->ref[1]);
    c->ref[0] = l2c__account_of(c->e, or);
    int cur = (int)or->f[l2c__order_model.cur_field].i;
    if ((rc = l2c__in_currency_check(c, cur)))
        return rc;
    r->f[ORDER].s = l2c__str_ref(c->ref[1]->id);
    r->f[ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
    r->f[CURRENCY].i = cur;
    r->f[ISSUE_DATE].i = r->f[DUE_DATE].i = L2C__NULL_INT;
    return build_lines(c, c->ref[1], NULL, &r->lines);
}

static int created(l2c__cmd *c)
{
    int rc = l2c__kid_add(c->e, c->ref[1], c->slot);
    return rc ? rc : l2c__kid_add(c->e, c->ref[0], c->slot);
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != state(c->e, "draft"))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable",
                        "invoice %s is %s: only a draft can be changed", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    l2c__rec *r = c->slot->pend;
    if (!l2c__data_get(c->data, "lines"))
        return 0;
    l2c__slot *order = l2c__ref_slot(c->e, r, ORDER, L2C__T_ORDER);
    l2c__lines *ls;
    int rc = build_lines(c, order, c->slot, &ls);
    if (rc)
        return rc;
    l2c__lines_unref(r->lines);
    r->lines = ls;
    return 0;
}

static int past_due(const l2c_engine *e, const l2c__rec *r)
{
    return r->f[DUE_DATE].i != L2C__NULL_INT && l2c__today(e) > r->f[DUE_DATE].i;
}

static int by_due_date(l2c__cmd *c) { return past_due(c->e, l2c__slot_rec(c->slot)) ? 1 : 0; }

static int apply_issue(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__slot *acc = l2c__ref_slot(c->e, r, ACCOUNT, L2C__T_ACCOUNT);
    int32_t today = l2c__today(c->e);
    r->f[ISSUE_DATE].i = today;
    r->f[DUE_DATE].i = today + l2c__slot_rec(acc)->f[L2C__ACC_TERMS].i;
    int rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    if (rc)
        return rc;
    int64_t sub, tax, total;
    if (!l2c__lines_totals(r->lines, &sub, &tax, &total) && total == 0 &&
        (rc = l2c__cascade_fire(c, c->slot, "settle", NULL)))
        return rc;
    return l2c__order_maybe_complete(c, l2c__ref_slot(c->e, r, ORDER, L2C__T_ORDER));
}

static int parse_dispute(l2c__cmd *c)
{
    int rc = l2c__in_reason(c);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof dispute_reasons / sizeof *dispute_reasons; i++)
        if (strcmp(c->reason->s, dispute_reasons[i]) == 0)
            return 0;
    return l2c__err(c->e, L2C_EINVAL, "field.invalid",
                    "reason must be one of pricing, quantity, not_ordered, not_delivered, "
                    "quality, other");
}

static int apply_reason(l2c__cmd *c) { return l2c__apply_reason(c, REASON); }

/* ---- rules ---- */

static l2c__slot *order_of(l2c__cmd *c)
{
    if (c->ref[1] && c->ref[1]->type == L2C__T_ORDER)
        return c->ref[1];
    return l2c__ref_slot(c->e, l2c__slot_rec(c->slot), ORDER, L2C__T_ORDER);
}

static const l2c__rec *this_invoice(l2c__cmd *c) { return c->slot ? c->slot->pend : c->rec; }

static int g_not_confirmed(l2c__cmd *c)
{
    l2c__slot *o = order_of(c);
    int st = l2c__slot_rec(o)->state;
    if (st != l2c__process_state(c->e->proc[L2C__T_ORDER], "confirmed"))
        return l2c__err(c->e, L2C_EGUARD, "order.not_confirmed", "order %s is %s", o->id->s,
                        c->e->proc[L2C__T_ORDER]->states[st]);
    return 0;
}

static int g_exceeds_order(l2c__cmd *c)
{
    l2c__slot *o = order_of(c);
    const l2c__rec *inv = this_invoice(c);
    const l2c__lines *ol = l2c__slot_rec(o)->lines;
    for (uint32_t i = 0; ol && i < ol->n; i++) {
        int64_t mine = 0;
        for (uint32_t j = 0; inv->lines && j < inv->lines->n; j++)
            if (inv->lines->l[j].ref_line == ol->l[i].line)
                mine += inv->lines->l[j].qty;
        if (mine && mine + l2c__order_invoiced(c->e, o, ol->l[i].line, c->slot) > ol->l[i].qty)
            return l2c__err(c->e, L2C_EGUARD, "invoice.exceeds_order",
                            "order line %d: invoiced quantity would pass the ordered quantity",
                            ol->l[i].line);
    }
    return 0;
}

static int g_empty(l2c__cmd *c)
{
    const l2c__rec *inv = this_invoice(c);
    if (!inv->lines || inv->lines->n == 0)
        return l2c__err(c->e, L2C_EGUARD, "invoice.empty",
                        "nothing left to invoice on order %s", order_of(c)->id->s);
    return 0;
}

static int g_not_due(l2c__cmd *c)
{
    if (!past_due(c->e, l2c__slot_rec(c->slot)))
        return l2c__err(c->e, L2C_EGUARD, "invoice.not_due", "invoice %s is not past its due date",
                        c->want_id);
    return 0;
}

static int g_has_payments(l2c__cmd *c)
{
    int cn_issued = l2c__process_state(c->e->proc[L2C__T_CREDIT_NOTE], "issued");
    for (uint32_t i = 0; i < c->slot->nkids; i++) {
        const l2c__rec *k = l2c__slot_rec(c->slot->kids[i]);
        if ((k->type == L2C__T_PAYMENT && l2c__payment_allocated_to(k, c->slot) > 0) ||
            (k->type == L2C__T_CREDIT_NOTE && k->state == cn_issued))
            return l2c__err(c->e, L2C_EGUARD, "invoice.has_payments",
                            "invoice %s has %s %s", c->want_id,
                            k->type == L2C__T_PAYMENT ? "payment" : "credit note",
                            c->slot->kids[i]->id->s);
    }
    return 0;
}

/* For payment.allocate and credit notes: the invoice is open / creditable. */
static int g_not_open(l2c__cmd *c)
{
    l2c__slot *inv = c->ref[2];
    int st = l2c__slot_rec(inv)->state;
    if (!l2c__process_open(c->e->proc[L2C__T_INVOICE], st))
        return l2c__err(c->e, L2C_EGUARD, "invoice.not_open", "invoice %s is %s", inv->id->s,
                        c->e->proc[L2C__T_INVOICE]->states[st]);
    return 0;
}

static int g_not_creditable(l2c__cmd *c)
{
    l2c__slot *inv = c->ref[2];
    if (!inv) /* a credit note update that leaves its lines alone */
        return 0;
    int st = l2c__slot_rec(inv)->state;
    if (!l2c__process_open(c->e->proc[L2C__T_INVOICE], st) && st != state(c->e, "paid"))
        return l2c__err(c->e, L2C_EGUARD, "invoice.not_creditable", "invoice %s is %s",
                        inv->id->s, c->e->proc[L2C__T_INVOICE]->states[st]);
    return 0;
}

static const l2c__handler handlers[] = {
    {"issue", NULL, apply_issue},
    {"dispute", parse_dispute, apply_reason},
};

static const l2c__guard guards[] = {
    {"order.not_confirmed", g_not_confirmed}, {"invoice.exceeds_order", g_exceeds_order},
    {"invoice.empty", g_empty},               {"invoice.not_due", g_not_due},
    {"invoice.has_payments", g_has_payments}, {"invoice.not_open", g_not_open},
    {"invoice.not_creditable", g_not_creditable},
};

static const l2c__chooser choosers[] = {{"by_due_date", by_due_date}};

const l2c__model l2c__invoice_model = {
    .name = "invoice",
    .prefix = "INV",
    .domain = "billing",
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
    .choosers = choosers,
    .nchoosers = 1,
};
