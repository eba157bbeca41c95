/* payment: money received. Allocations to invoices (never more than the
 * payment nor the invoice balance), reversal (a bounced payment) reopens
 * what it had paid, refund only when nothing is allocated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

enum { ACCOUNT, AMOUNT, CURRENCY, METHOD, REFERENCE, RECEIVED_DATE, ALLOCATIONS, UNALLOCATED };

static const l2c__field fields[] = {
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"amount", L2C__F_MONEY, 0, 0},
    {"currency", L2C__F_CUR, 0, 0},
    {"method", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"reference", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"received_date", L2C__F_DATE, L2C__FF_UPDATE, 0},
    {"allocations", L2C__F_ALLOCS, 0, 0},
    {"unallocated", L2C__F_UNALLOC, 0, 0},
};

int64_t l2c__payment_allocated_to(const l2c__rec *pay, const l2c__slot *inv)
{
    int64_t sum = 0;
    for (uint32_t i = 0; pay->allocs && i < pay->allocs->n; i++)
        if (pay->allocs->a[i].invoice == inv)
            sum += pay->allocs->a[i].amount;
    return sum;
}

static int64_t unallocated(const l2c__rec *pay)
{
    int64_t sum = pay->f[AMOUNT].i;
    for (uint32_t i = 0; pay->allocs && i < pay->allocs->n; i++)
        sum -= pay->allocs->a[i].amount;
    return sum;
}

/* The payment a rule looks at: the one being created, or the target. */
static const l2c__rec *pay_of(l2c__cmd *c) { return c->slot ? l2c__slot_rec(c->slot) : c->rec; }

static int add_alloc(l2c__cmd *c, l2c__rec *r, l2c__slot *inv, int64_t amount)
{
    uint32_t n = r->allocs ? r->allocs->n : 0;
    l2c__allocs *a = l2c__malloc(sizeof *a + (n + 1) * sizeof(l2c__alloc));
    if (!a)
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    a->refs = 1;
    a->n = n + 1;
    if (n)
        memcpy(a->a, r->allocs->a, n * sizeof(l2c__alloc));
    a->a[n].invoice = inv;
    a->a[n].amount = amount;
    l2c__allocs_unref(r->allocs);
    r->allocs = a;
    return 0;
}

/* The rules of `allocate`, as the process lists them, for c->ref[2] and c->n[0]. */
static int alloc_rules(l2c__cmd *c)
{
    int ev = l2c__process_event(c->p, "allocate");
    int ti = ev < 0 ? -1 : l2c__process_lookup(c->p, 0, (uint32_t)ev);
    if (ti < 0)
        return 0;
    const l2c__trans *t = &c->p->trans[ti];
    for (uint32_t i = 0; i < t->nguards; i++) {
        int rc = t->guards[i]->fn(c);
        if (rc)
            return rc;
    }
    return 0;
}

/* Reads {invoice, amount} of one allocation: formats, then the invoice, then money. */
static int in_alloc(l2c__cmd *c, const l2c_data *obj, const char *path, int cur,
                    l2c__slot **inv, int64_t *amount)
{
    const l2c_data *i = l2c__data_get(obj, "invoice");
    const l2c_data *a = l2c__data_get(obj, "amount");
    if (!i || i->kind == L2C__D_NULL || (i->kind == L2C__D_STR && !i->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "%sinvoice is required", path);
    if (!a || a->kind == L2C__D_NULL || (a->kind == L2C__D_STR && !a->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "%samount is required", path);
    int rc, present;
    if ((rc = l2c__in_ref(c, obj, "invoice", L2C__T_INVOICE, 1, inv)))
        return rc;
    if (cur < 0) /* formats and records only: the money comes later */
        return 0;
    return l2c__in_money(c, obj, "amount", cur, 1, 0, amount, &present);
}

static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc, present, cur = -1;
    int64_t x;
    const l2c_data *a = l2c__data_get(c->data, "account");
    if (!a || a->kind == L2C__D_NULL || (a->kind == L2C__D_STR && !a->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "account is required");
    const l2c_data *am = l2c__data_get(c->data, "amount");
    if (!am || am->kind == L2C__D_NULL || (am->kind == L2C__D_STR && !am->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "amount is required");
    if ((rc = l2c__in_currency(c, c->data, "currency", &cur, &present)) ||
        (rc = l2c__in_str(c, c->data, "method", 0, &r->f[METHOD].s)) ||
        (rc = l2c__in_str(c, c->data, "reference", 0, &r->f[REFERENCE].s)) ||
        (rc = l2c__in_date(c, c->data, "received_date", 0, &x, &present)))
        return rc;
    r->f[RECEIVED_DATE].i = present ? x : l2c__today(c->e);
    const l2c_data *al = l2c__data_get(c->data, "allocations");
    if (al && al->kind != L2C__D_NULL && al->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "allocations must be an array");
    if ((rc = l2c__in_ref(c, c->data, "account", L2C__T_ACCOUNT, 1, &c->ref[0])))
        return rc;
    if (cur < 0)
        cur = (int)l2c__slot_rec(c->ref[0])->f[L2C__ACC_CURRENCY].i;
    r->f[ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
    r->f[CURRENCY].i = cur;
    char path[48];
    /* DESIGN §6: formats and the records named first (pass 0), then money
     * (the amount, then each allocation's, pass 1), then the rules (pass 2) */
    for (int pass = 0; pass < 3; pass++) {
        if (pass == 1 &&
            (rc = l2c__in_money(c, c->data, "amount", cur, 1, 0, &r->f[AMOUNT].i, &present)))
            return rc;
        uint32_t i = 0;
        for (const l2c_data *d = al && al->kind == L2C__D_ARR ? al->child : NULL; d;
             d = d->next, i++) {
            if (d->kind != L2C__D_OBJ)
                return l2c__err(c->e, L2C_EINVAL, "field.invalid",
                                "allocations.%u must be an object", i);
            snprintf(path, sizeof path, "allocations.%u.", i);
            if ((rc = in_alloc(c, d, path, pass ? cur : -1, &c->ref[2], &c->n[0])))
                return rc;
            if (pass == 2 && ((rc = alloc_rules(c)) || (rc = add_alloc(c, r, c->ref[2], c->n[0]))))
                return rc;
        }
    }
    c->ref[2] = NULL;
    return 0;
}

static int cmp_order(const void *a, const void *b)
{
    const l2c__slot *x = *(l2c__slot *const *)a, *y = *(l2c__slot *const *)b;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Distinct invoices of an allocation list, in creation order. */
static int invoices_of(l2c__cmd *c, const l2c__allocs *al, l2c__slot ***out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!al || !al->n)
        return 0;
    l2c__slot **v = l2c__calloc(al->n, sizeof *v);
    if (!v)
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    uint32_t k = 0;
    for (uint32_t i = 0; i < al->n; i++) {
        uint32_t j = 0;
        while (j < k && v[j] != al->a[i].invoice)
            j++;
        if (j == k)
            v[k++] = al->a[i].invoice;
    }
    qsort(v, k, sizeof *v, cmp_order);
    *out = v;
    *n = k;
    return 0;
}

static int settle_paid(l2c__cmd *c, const l2c__allocs *al)
{
    l2c__slot **inv;
    uint32_t n;
    int rc = invoices_of(c, al, &inv, &n);
    for (uint32_t i = 0; !rc && i < n; i++) {
        const l2c__rec *ir = l2c__slot_rec(inv[i]);
        if ((rc = l2c__kid_add_once(c->e, inv[i], c->slot)))
            break;
        if (l2c__process_open(c->e->proc[L2C__T_INVOICE], ir->state) &&
            l2c__invoice_balance(c->e, ir) == 0)
            rc = l2c__cascade_fire(c, inv[i], "settle", NULL);
    }
    l2c__xfree(inv);
    return rc;
}

static int created(l2c__cmd *c)
{
    int rc = l2c__kid_add(c->e, c->ref[0], c->slot);
    return rc ? rc : settle_paid(c, c->slot->pend->allocs);
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != l2c__process_state(c->p, "received"))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable", "payment %s is %s", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    const l2c_data *d = l2c__data_get(c->data, "received_date");
    if (d && d->kind == L2C__D_NULL)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "received_date must be a date");
    return l2c__update_fields(c, c->slot->pend);
}

static int parse_allocate(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    return in_alloc(c, c->data, "", (int)r->f[CURRENCY].i, &c->ref[2], &c->n[0]);
}

static int apply_allocate(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    int rc = add_alloc(c, r, c->ref[2], c->n[0]);
    if (!rc)
        rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    if (!rc)
        rc = l2c__kid_add_once(c->e, c->ref[2], c->slot);
    const l2c__rec *ir = l2c__slot_rec(c->ref[2]);
    if (!rc && l2c__invoice_balance(c->e, ir) == 0)
        rc = l2c__cascade_fire(c, c->ref[2], "settle", NULL);
    return rc;
}

static int apply_reverse(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__allocs *old = r->allocs;
    r->allocs = NULL;
    l2c__slot **inv;
    uint32_t n;
    int rc = invoices_of(c, old, &inv, &n);
    l2c__allocs_unref(old);
    if (!rc)
        rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    int paid = l2c__process_state(c->e->proc[L2C__T_INVOICE], "paid");
    for (uint32_t i = 0; !rc && i < n; i++)
        if (l2c__slot_rec(inv[i])->state == paid)
            rc = l2c__cascade_fire(c, inv[i], "reopen", NULL);
    l2c__xfree(inv);
    return rc;
}

/* ---- rules (c->ref[2] invoice, c->n[0] amount) ---- */

static int g_currency_mismatch(l2c__cmd *c)
{
    const l2c__rec *p = pay_of(c), *inv = l2c__slot_rec(c->ref[2]);
    int ic = (int)inv->f[l2c__invoice_model.cur_field].i, pc = (int)p->f[CURRENCY].i;
    if (ic != pc)
        return l2c__err(c->e, L2C_EINVAL, "currency.mismatch",
                        "payment in %s cannot pay invoice %s in %s", l2c__currency_code(pc),
                        c->ref[2]->id->s, l2c__currency_code(ic));
    return 0;
}

static int g_account_mismatch(l2c__cmd *c)
{
    const l2c__rec *p = pay_of(c);
    l2c__slot *ia = l2c__account_of(c->e, l2c__slot_rec(c->ref[2]));
    if (!p->f[ACCOUNT].s || !ia || strcmp(ia->id->s, p->f[ACCOUNT].s->s) != 0)
        return l2c__err(c->e, L2C_EGUARD, "account.mismatch",
                        "invoice %s belongs to account %s, not %s", c->ref[2]->id->s,
                        ia ? ia->id->s : "?", p->f[ACCOUNT].s ? p->f[ACCOUNT].s->s : "?");
    return 0;
}

static int g_over_allocation(l2c__cmd *c)
{
    const l2c__rec *p = pay_of(c);
    int64_t left = unallocated(p);
    if (c->n[0] > left) {
        char buf[32];
        l2c__dec_format_fixed(buf, left, l2c__currency_exp((int)p->f[CURRENCY].i));
        return l2c__err(c->e, L2C_EGUARD, "payment.over_allocation",
                        "payment %s has only %s unallocated",
                        c->slot ? c->slot->id->s : "being created", buf);
    }
    return 0;
}

static int g_overpayment(l2c__cmd *c)
{
    const l2c__rec *inv = l2c__slot_rec(c->ref[2]);
    int64_t bal = l2c__invoice_balance(c->e, inv);
    /* allocations made earlier in this same create count too */
    if (!c->slot && c->rec)
        bal -= l2c__payment_allocated_to(c->rec, c->ref[2]);
    if (c->n[0] > bal) {
        char buf[32];
        l2c__dec_format_fixed(buf, bal,
                              l2c__currency_exp((int)inv->f[l2c__invoice_model.cur_field].i));
        return l2c__err(c->e, L2C_EGUARD, "invoice.overpayment",
                        "invoice %s has a balance of only %s", c->ref[2]->id->s, buf);
    }
    return 0;
}

static int g_allocated(l2c__cmd *c)
{
    const l2c__rec *p = pay_of(c);
    if (p->allocs && p->allocs->n)
        return l2c__err(c->e, L2C_EGUARD, "payment.allocated",
                        "payment %s is allocated: reverse it instead", c->want_id);
    return 0;
}

static const l2c__handler handlers[] = {
    {"allocate", parse_allocate, apply_allocate},
    {"reverse", NULL, apply_reverse},
};

static const l2c__guard guards[] = {
    {"currency.mismatch", g_currency_mismatch},
    {"account.mismatch", g_account_mismatch},
    {"payment.over_allocation", g_over_allocation},
    {"invoice.overpayment", g_overpayment},
    {"payment.allocated", g_allocated},
};

const l2c__model l2c__payment_model = {
    .name = "payment",
    .prefix = "PAY",
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
