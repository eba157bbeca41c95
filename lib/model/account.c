/* account: the customer. Rules account.closed, account.on_hold,
 * account.has_open_balance; derived credit_balance and open_balance. */
#include <string.h>

#include "model/model.h"

static const l2c__field fields[] = {
    {"name", L2C__F_STR, L2C__FF_UPDATE | L2C__FF_REQUIRED, 0},
    {"currency", L2C__F_CUR, 0, 0},
    {"credit_limit", L2C__F_MONEY, L2C__FF_UPDATE | L2C__FF_NULLABLE, 0},
    {"payment_terms_days", L2C__F_INT, L2C__FF_UPDATE, 0},
    {"credit_balance", L2C__F_DERIVED, 0, 0},
    {"open_balance", L2C__F_DERIVED, 0, 1},
};

static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc, present, cur = l2c__currency_find("EUR");
    int64_t x;
    if ((rc = l2c__in_str(c, c->data, "name", 1, &r->f[L2C__ACC_NAME].s)))
        return rc;
    if ((rc = l2c__in_currency(c, c->data, "currency", &cur, &present)))
        return rc;
    r->f[L2C__ACC_CURRENCY].i = cur;
    r->f[L2C__ACC_TERMS].i = 30;
    if ((rc = l2c__in_int(c, c->data, "payment_terms_days", 0, 36500, &x, &present)))
        return rc;
    if (present)
        r->f[L2C__ACC_TERMS].i = x;
    if ((rc = l2c__in_money(c, c->data, "credit_limit", cur, 0, 1, &x, &present)))
        return rc;
    r->f[L2C__ACC_CREDIT_LIMIT].i = present ? x : L2C__NULL_INT;
    return 0;
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (l2c__process_terminal(c->p, r->state))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable", "account %s is %s", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c) { return l2c__update_fields(c, c->slot->pend); }

static uint32_t nder(const l2c__rec *r)
{
    (void)r;
    return 2;
}

static void derive(const l2c_engine *e, const l2c__rec *r, int64_t *out)
{
    int64_t credit = 0, open = 0;
    const l2c__slot *s = r->slot;
    const l2c__process *ip = e->proc[L2C__T_INVOICE];
    const l2c__process *cp = e->proc[L2C__T_CREDIT_NOTE];
    int cn_issued = l2c__process_state(cp, "issued");
    for (uint32_t i = 0; i < s->nkids; i++) {
        const l2c__rec *k = l2c__slot_rec(s->kids[i]);
        if (k->type == L2C__T_INVOICE && l2c__process_open(ip, k->state))
            open += l2c__invoice_balance(e, k);
        else if (k->type == L2C__T_CREDIT_NOTE && k->state == cn_issued) {
            int f = l2c__field_index(l2c__models[L2C__T_CREDIT_NOTE], "excess");
            if (k->f[f].i != L2C__NULL_INT)
                credit += k->f[f].i;
        }
    }
    out[0] = credit;
    out[1] = open;
}

/* The account a command is about: the one its data named, else the record's. */
static l2c__slot *cmd_account(l2c__cmd *c)
{
    if (c->ref[0] && c->ref[0]->type == L2C__T_ACCOUNT)
        return c->ref[0];
    if (c->rec && !c->slot)
        return l2c__account_of(c->e, c->rec);
    return c->slot ? l2c__account_of(c->e, l2c__slot_rec(c->slot)) : NULL;
}

static int g_closed(l2c__cmd *c)
{
    l2c__slot *a = cmd_account(c);
    if (a && l2c__slot_rec(a)->state == l2c__process_state(c->e->proc[L2C__T_ACCOUNT], "closed"))
        return l2c__err(c->e, L2C_EGUARD, "account.closed",
                        "account %s is closed: it takes no new business", a->id->s);
    return 0;
}

static int g_on_hold(l2c__cmd *c)
{
    l2c__slot *a = cmd_account(c);
    if (a && l2c__slot_rec(a)->state == l2c__process_state(c->e->proc[L2C__T_ACCOUNT], "on_hold"))
        return l2c__err(c->e, L2C_EGUARD, "account.on_hold", "account %s is on hold", a->id->s);
    return 0;
}

static int g_has_open_balance(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    int64_t d[2];
    derive(c->e, r, d);
    int draft = l2c__process_state(c->e->proc[L2C__T_INVOICE], "draft");
    int has = d[1] > 0;
    for (uint32_t i = 0; !has && i < c->slot->nkids; i++) {
        const l2c__rec *k = l2c__slot_rec(c->slot->kids[i]);
        has = k->type == L2C__T_INVOICE && k->state == draft && l2c__invoice_balance(c->e, k) > 0;
    }
    if (has)
        return l2c__err(c->e, L2C_EGUARD, "account.has_open_balance",
                        "account %s still has an open balance", c->want_id);
    return 0;
}

static const l2c__guard guards[] = {
    {"account.closed", g_closed},
    {"account.on_hold", g_on_hold},
    {"account.has_open_balance", g_has_open_balance},
};

const l2c__model l2c__account_model = {
    .name = "account",
    .prefix = "ACC",
    .domain = "customer",
    .fields = fields,
    .nfields = sizeof fields / sizeof *fields,
    .cur_field = L2C__ACC_CURRENCY,
    .create = create,
    .editable = editable,
    .update = update,
    .nder = nder,
    .derive = derive,
    .guards = guards,
    .nguards = sizeof guards / sizeof *guards,
};
