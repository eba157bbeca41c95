/* opportunity: a deal in the pipeline. Won only through an accepted quote;
 * winning or losing cancels its other open quotes. */
#include <string.h>

#include "model/model.h"

static const l2c__field fields[] = {
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"name", L2C__F_STR, L2C__FF_UPDATE | L2C__FF_REQUIRED, 0},
    {"amount", L2C__F_MONEY, L2C__FF_UPDATE | L2C__FF_NULLABLE, 0},
    {"close_date", L2C__F_DATE, L2C__FF_UPDATE, 0},
    {"lead", L2C__F_REF, 0, L2C__T_LEAD},
    {"reason", L2C__F_STR, 0, 0},
};

static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc, present;
    int64_t x;
    const l2c_data *acc = l2c__data_get(c->data, "account");
    if (!acc || acc->kind == L2C__D_NULL || (acc->kind == L2C__D_STR && !acc->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "account is required");
    if ((rc = l2c__in_str(c, c->data, "name", 1, &r->f[L2C__OPP_NAME].s)))
        return rc;
    if ((rc = l2c__in_date(c, c->data, "close_date", 1, &x, &present)))
        return rc;
    r->f[L2C__OPP_CLOSE].i = present ? x : L2C__NULL_INT;
    if ((rc = l2c__in_ref(c, c->data, "account", L2C__T_ACCOUNT, 1, &c->ref[0])) ||
        (rc = l2c__in_ref(c, c->data, "lead", L2C__T_LEAD, 0, &c->ref[1])))
        return rc;
    r->f[L2C__OPP_ACCOUNT].s = l2c__str_ref(c->ref[0]->id);
    if (c->ref[1])
        r->f[L2C__OPP_LEAD].s = l2c__str_ref(c->ref[1]->id);
    int cur = (int)l2c__slot_rec(c->ref[0])->f[L2C__ACC_CURRENCY].i;
    if ((rc = l2c__in_money(c, c->data, "amount", cur, 0, 1, &x, &present)))
        return rc;
    r->f[L2C__OPP_AMOUNT].i = present ? x : L2C__NULL_INT;
    return 0;
}

static int created(l2c__cmd *c) { return l2c__kid_add(c->e, c->ref[0], c->slot); }

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (l2c__process_terminal(c->p, r->state))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable", "opportunity %s is %s", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c) { return l2c__update_fields(c, c->slot->pend); }

/* Cancel the opportunity's open quotes (creation order), except `keep`. */
static int cancel_open_quotes(l2c__cmd *c, const l2c__slot *keep)
{
    const l2c__process *qp = c->e->proc[L2C__T_QUOTE];
    for (uint32_t i = 0; i < c->slot->nkids; i++) {
        l2c__slot *q = c->slot->kids[i];
        if (q == keep || q->type != L2C__T_QUOTE || !l2c__process_open(qp, l2c__slot_rec(q)->state))
            continue;
        int rc = l2c__cascade_fire(c, q, "cancel", NULL);
        if (rc)
            return rc;
    }
    return 0;
}

static int apply_win(l2c__cmd *c)
{
    int rc = l2c__apply_state(c);
    return rc ? rc : cancel_open_quotes(c, NULL);
}

static int parse_lose(l2c__cmd *c) { return l2c__in_reason(c); }

static int apply_lose(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__str_unref(r->f[L2C__OPP_REASON].s);
    r->f[L2C__OPP_REASON].s = l2c__str_ref(c->reason);
    int rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
    return rc ? rc : cancel_open_quotes(c, NULL);
}

static int g_no_accepted_quote(l2c__cmd *c)
{
    for (uint32_t i = 0; i < c->slot->nkids; i++) {
        const l2c__slot *q = c->slot->kids[i];
        if (q->type == L2C__T_QUOTE && l2c__quote_is_accepted(c->e, l2c__slot_rec(q)))
            return 0;
    }
    return l2c__err(c->e, L2C_EGUARD, "opportunity.no_accepted_quote",
                    "opportunity %s has no accepted quote: it is won by accepting one",
                    c->want_id);
}

static const l2c__handler handlers[] = {
    {"win", NULL, apply_win},
    {"lose", parse_lose, apply_lose},
};

static const l2c__guard guards[] = {
    {"opportunity.no_accepted_quote", g_no_accepted_quote},
};

const l2c__model l2c__opportunity_model = {
    .name = "opportunity",
    .prefix = "OPP",
    .domain = "sales",
    .fields = fields,
    .nfields = sizeof fields / sizeof *fields,
    .cur_field = -1,
    .create = create,
    .created = created,
    .editable = editable,
    .update = update,
    .handlers = handlers,
    .nhandlers = sizeof handlers / sizeof *handlers,
    .guards = guards,
    .nguards = sizeof guards / sizeof *guards,
};
