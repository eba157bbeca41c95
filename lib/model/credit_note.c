/* credit_note: corrects an invoice by quantities of its lines. Issuing it
 * reduces the invoice balance; any excess becomes the account's credit. */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

enum { INVOICE, ACCOUNT, CURRENCY, LINES, REASON, SUBTOTAL, TAX, TOTAL, APPLIED, EXCESS };

static const l2c__field fields[] = {
    {"invoice", L2C__F_REF, 0, L2C__T_INVOICE},
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"currency", L2C__F_CUR, 0, 0},
    {"lines", L2C__F_LINES, L2C__FF_UPDATE, L2C__LF_CREDIT},
    {"reason", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"subtotal", L2C__F_TOTAL, 0, 0},
    {"tax", L2C__F_TOTAL, 0, 1},
    {"total", L2C__F_TOTAL, 0, 2},
    {"applied", L2C__F_MONEY, 0, 0},
    {"excess", L2C__F_MONEY, 0, 0},
};

/* Lines [{invoice_line, qty}] priced from the invoice's lines. */
static int build_lines(l2c__cmd *c, const l2c__rec *inv, l2c__lines **out)
{
    const l2c_data *arr = l2c__data_get(c->data, "lines");
    if (!arr || arr->kind == L2C__D_NULL || (arr->kind == L2C__D_ARR && !arr->count))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "lines must not be empty");
    if (arr->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines must be an array");
    const l2c__lines *il = inv->lines;
    l2c__lines *ls = l2c__lines_new(arr->count);
    if (!ls)
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    uint32_t i = 0;
    int rc = 0;
    char path[64];
    for (const l2c_data *d = arr->child; d; d = d->next, i++) {
        int64_t no, qty;
        int present;
        if (d->kind != L2C__D_OBJ) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines.%u must be an object", i);
            break;
        }
        if ((rc = l2c__in_int(c, d, "invoice_line", 1, INT32_MAX, &no, &present)))
            break;
        if (!present) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.required", "lines.%u.invoice_line is required", i);
            break;
        }
        if (!il || no > il->n) {
            rc = l2c__err(c->e, L2C_EINVAL, "field.invalid", "invoice %s has no line %lld",
                          inv->slot->id->s, (long long)no);
            break;
        }
        snprintf(path, sizeof path, "lines.%u.qty", i);
        if ((rc = l2c__in_qty(c, l2c__data_get(d, "qty"), path, &qty)))
            break;
        l2c__line_from(&ls->l[i], &il->l[no - 1], qty, (int32_t)no, (int32_t)i + 1);
    }
    int64_t a, b, t;
    if (!rc && l2c__lines_totals(ls, &a, &b, &t))
        rc = l2c__err(c->e, L2C_EINVAL, "amount.overflow", "the credit note total is too large");
    if (rc) {
        l2c__lines_unref(ls);
        return rc;
    }
    *out = ls;
    return 0;
}

/* create: c->ref[0] account, c->ref[2] invoice */
static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc;
    const l2c_data *i = l2c__data_get(c->data, "invoice");
    if (!i || i->kind == L2C__D_NULL || (i->kind == L2C__D_STR && !i->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "invoice is required");
    const l2c_data *lines = l2c__data_get(c->data, "lines");
    if (!lines || lines->kind == L2C__D_NULL || (lines->kind == L2C__D_ARR && !lines->count))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "lines must not be empty");
    if ((rc = l2c__in_str(c, c->data, "reason", 0, &r->f[REASON].s)))
        return rc;
    if ((rc = l2c__in_ref(c, c->data, "invoice", L2C__T_INVOICE, 1, &c->ref[2])))
        return rc;
    const l2c__rec *inv = l2c__slot_rec(c->ref[2]);
    c->ref[0] = l2c__account_of(c->e, inv);
    int cur = (int)inv->f[l2c__invoice_model.cur_field].i;
    if ((rc = l2c__in_currency_check(c, cur)))
        return rc;
    r->f[INVOICE].s = l2c__str_ref(c->ref[2]->id);
    r->f[ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
    r->f[CURRENCY].i = cur;
    r->f[APPLIED].i = r->f[EXCESS].i = L2C__NULL_INT;
    return build_lines(c, inv, &r->lines);
}

static int created(l2c__cmd *c)
{
    int rc = l2c__kid_add(c->e, c->ref[2], c->slot);
    return rc ? rc : l2c__kid_add(c->e, c->ref[0], c->slot);
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != l2c__process_state(c->p, "draft"))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable",
                        "credit note %s is %s: an issued credit note is never changed",
                        c->want_id, c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    l2c__rec *r = c->slot->pend;
    int rc = l2c__update_fields(c, r);
    if (rc)
        return rc;
    /* the line rules apply to create, issue and an update of the lines
     * (DESIGN §2): without `lines`, c->ref[2] stays NULL and they pass */
    if (!l2c__data_get(c->data, "lines"))
        return 0;
    c->ref[2] = l2c__ref_slot(c->e, r, INVOICE, L2C__T_INVOICE);
    l2c__lines *ls;
    if ((rc = build_lines(c, l2c__slot_rec(c->ref[2]), &ls)))
        return rc;
    l2c__lines_unref(r->lines);
    r->lines = ls;
    return 0;
}

static int parse_issue(l2c__cmd *c)
{
    c->ref[2] = l2c__ref_slot(c->e, l2c__slot_rec(c->slot), INVOICE, L2C__T_INVOICE);
    return 0;
}

static int apply_issue(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    const l2c__rec *inv = l2c__slot_rec(c->ref[2]);
    int64_t sub, tax, total, bal = l2c__invoice_balance(c->e, inv);
    if (l2c__lines_totals(r->lines, &sub, &tax, &total))
        return l2c__err(c->e, L2C_EINVAL, "amount.overflow", "the credit note total is too large");
    if (bal < 0)
        bal = 0;
    r->f[APPLIED].i = total < bal ? total : bal;
    r->f[EXCESS].i = total - r->f[APPLIED].i;
    int rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    if (rc)
        return rc;
    inv = l2c__slot_rec(c->ref[2]);
    if (l2c__process_open(c->e->proc[L2C__T_INVOICE], inv->state) &&
        l2c__invoice_balance(c->e, inv) == 0)
        return l2c__cascade_fire(c, c->ref[2], "settle", NULL);
    return 0;
}

/* per invoice line: this note + issued notes <= invoiced quantity */
static int g_exceeds_invoice(l2c__cmd *c)
{
    const l2c__rec *me = c->slot ? l2c__slot_rec(c->slot) : c->rec;
    const l2c__slot *inv = c->ref[2];
    if (!inv) /* an update that leaves the lines alone */
        return 0;
    const l2c__rec *ir = l2c__slot_rec(inv);
    int issued = l2c__process_state(c->p, "issued");
    for (uint32_t i = 0; ir->lines && i < ir->lines->n; i++) {
        int32_t no = ir->lines->l[i].line;
        int64_t sum = 0;
        for (uint32_t j = 0; me->lines && j < me->lines->n; j++)
            if (me->lines->l[j].ref_line == no)
                sum += me->lines->l[j].qty;
        if (!sum)
            continue;
        for (uint32_t k = 0; k < inv->nkids; k++) {
            const l2c__rec *cn = l2c__slot_rec(inv->kids[k]);
            if (cn->type != L2C__T_CREDIT_NOTE || cn->state != issued || inv->kids[k] == c->slot)
                continue;
            for (uint32_t j = 0; cn->lines && j < cn->lines->n; j++)
                if (cn->lines->l[j].ref_line == no)
                    sum += cn->lines->l[j].qty;
        }
        if (sum > ir->lines->l[i].qty)
            return l2c__err(c->e, L2C_EGUARD, "credit_note.exceeds_invoice",
                            "invoice line %d: credited quantity would pass the invoiced quantity",
                            no);
    }
    return 0;
}

static const l2c__handler handlers[] = {
    {"issue", parse_issue, apply_issue},
};

static const l2c__guard guards[] = {
    {"credit_note.exceeds_invoice", g_exceeds_invoice},
};

const l2c__model l2c__credit_note_model = {
    .name = "credit_note",
    .prefix = "CN",
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
    .guards = guards,
    .nguards = sizeof guards / sizeof *guards,
};
