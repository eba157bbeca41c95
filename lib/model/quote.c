/* quote: priced lines for an opportunity. Approval above a discount
 * threshold, expiry, revisions; `accept` creates the order and wins the
 * opportunity in the same command. */
#include <string.h>

#include "model/model.h"

enum { OPP, CURRENCY, VALID_UNTIL, LINES, REVISION, SUPERSEDES, SUPERSEDED_BY, SUBTOTAL, TAX,
       TOTAL, REASON };

static const l2c__field fields[] = {
    {"opportunity", L2C__F_REF, 0, L2C__T_OPPORTUNITY},
    {"currency", L2C__F_CUR, 0, 0},
    {"valid_until", L2C__F_DATE, L2C__FF_UPDATE, 0},
    {"lines", L2C__F_LINES, L2C__FF_UPDATE, L2C__LF_QUOTE},
    {"revision", L2C__F_INT, 0, 0},
    {"supersedes", L2C__F_REF, 0, L2C__T_QUOTE},
    {"superseded_by", L2C__F_REF, 0, L2C__T_QUOTE},
    {"subtotal", L2C__F_TOTAL, 0, 0},
    {"tax", L2C__F_TOTAL, 0, 1},
    {"total", L2C__F_TOTAL, 0, 2},
    {"reason", L2C__F_STR, 0, 0},
};

static int state(const l2c_engine *e, const char *name)
{
    return l2c__process_state(e->proc[L2C__T_QUOTE], name);
}

int l2c__quote_is_accepted(const l2c_engine *e, const l2c__rec *q)
{
    return q->state == state(e, "accepted");
}

/* create: c->ref[0] opportunity, c->ref[1] the account, c->ref[2] the quote
 * revised (cascade from `revise` only). */
static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc, present;
    int64_t x;
    const l2c_data *o = l2c__data_get(c->data, "opportunity");
    if (!o || o->kind == L2C__D_NULL || (o->kind == L2C__D_STR && !o->str[0]))
        return l2c__err(c->e, L2C_EINVAL, "field.required", "opportunity is required");
    if ((rc = l2c__in_date(c, c->data, "valid_until", 1, &x, &present)))
        return rc;
    r->f[VALID_UNTIL].i = present ? x : L2C__NULL_INT;
    const l2c_data *lines = l2c__data_get(c->data, "lines");
    if (lines && lines->kind != L2C__D_NULL && lines->kind != L2C__D_ARR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "lines must be an array");
    if ((rc = l2c__in_ref(c, c->data, "opportunity", L2C__T_OPPORTUNITY, 1, &c->ref[0])))
        return rc;
    if (c->cascade && (rc = l2c__in_ref(c, c->data, "supersedes", L2C__T_QUOTE, 0, &c->ref[2])))
        return rc;
    c->ref[1] = l2c__ref_slot(c->e, l2c__slot_rec(c->ref[0]), L2C__OPP_ACCOUNT, L2C__T_ACCOUNT);
    int cur = (int)l2c__slot_rec(c->ref[1])->f[L2C__ACC_CURRENCY].i;
    if ((rc = l2c__in_currency_check(c, cur)))
        return rc;
    r->f[OPP].s = l2c__str_ref(c->ref[0]->id);
    r->f[CURRENCY].i = cur;
    r->f[REVISION].i = 1;
    if (c->ref[2]) {
        const l2c__rec *old = l2c__slot_rec(c->ref[2]);
        r->lines = old->lines;
        if (r->lines)
            r->lines->refs++;
        r->f[REVISION].i = old->f[REVISION].i + 1;
        r->f[SUPERSEDES].s = l2c__str_ref(c->ref[2]->id);
        return 0;
    }
    return l2c__in_lines(c, lines, cur, 0, &r->lines);
}

static int created(l2c__cmd *c)
{
    int rc = l2c__kid_add(c->e, c->ref[0], c->slot);
    return rc ? rc : l2c__kid_add(c->e, c->ref[1], c->slot);
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != state(c->e, "draft"))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable",
                        "quote %s is %s: only a draft can be changed", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    l2c__rec *r = c->slot->pend;
    int rc = l2c__update_fields(c, r);
    if (rc)
        return rc;
    const l2c_data *lines = l2c__data_get(c->data, "lines");
    if (!lines)
        return 0;
    l2c__lines *ls;
    if ((rc = l2c__in_lines(c, lines, (int)r->f[CURRENCY].i, 0, &ls)))
        return rc;
    l2c__lines_unref(r->lines);
    r->lines = ls;
    return 0;
}

static int parse_reason(l2c__cmd *c) { return l2c__in_reason(c); }
static int apply_reason(l2c__cmd *c) { return l2c__apply_reason(c, REASON); }

/* accept: idbuf[0] the order id given */
static int parse_accept(l2c__cmd *c) { return l2c__in_new_id(c, "order_id", c->idbuf[0]); }

static int apply_accept(l2c__cmd *c)
{
    int rc;
    if ((rc = l2c__claim_id(c, L2C__T_ORDER, c->idbuf[0])) || (rc = l2c__apply_state(c)))
        return rc;
    l2c_data *d = l2c__owned_obj(c);
    if (!d)
        return L2C_ENOMEM;
    if (l2c_data_set_string(d, "quote", c->slot->id->s))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    if ((rc = l2c__cascade_create(c, L2C__T_ORDER, c->idbuf[0], d, NULL)))
        return rc;
    l2c__slot *opp = l2c__ref_slot(c->e, l2c__slot_rec(c->slot), OPP, L2C__T_OPPORTUNITY);
    return l2c__cascade_fire(c, opp, "win", NULL);
}

/* revise: idbuf[0] new id; n[0] has valid_until; n[1] its value */
static int parse_revise(l2c__cmd *c)
{
    int rc = l2c__in_new_id(c, "new_id", c->idbuf[0]);
    if (rc)
        return rc;
    int present;
    if ((rc = l2c__in_date(c, c->data, "valid_until", 1, &c->n[1], &present)))
        return rc;
    c->n[0] = present;
    return 0;
}

static int apply_revise(l2c__cmd *c)
{
    int rc;
    if ((rc = l2c__claim_id(c, L2C__T_QUOTE, c->idbuf[0])))
        return rc;
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__str_unref(r->f[SUPERSEDED_BY].s);
    if (!(r->f[SUPERSEDED_BY].s = l2c__str_from(c->idbuf[0])))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    if ((rc = l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause)))
        return rc;
    int64_t vu = c->n[0] ? c->n[1] : r->f[VALID_UNTIL].i;
    char date[16];
    if (vu != L2C__NULL_INT)
        l2c__date_format(date, (int32_t)vu);
    l2c_data *d = l2c__owned_obj(c);
    if (!d)
        return L2C_ENOMEM;
    if (l2c_data_set_string(d, "opportunity", r->f[OPP].s->s) ||
        l2c_data_set_string(d, "supersedes", c->slot->id->s) ||
        l2c_data_set_string(d, "valid_until", vu == L2C__NULL_INT ? NULL : date))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    return l2c__cascade_create(c, L2C__T_QUOTE, c->idbuf[0], d, NULL);
}

/* ---- rules ---- */

static l2c__slot *opp_of(l2c__cmd *c)
{
    if (c->ref[0] && c->ref[0]->type == L2C__T_OPPORTUNITY)
        return c->ref[0];
    return l2c__ref_slot(c->e, l2c__slot_rec(c->slot), OPP, L2C__T_OPPORTUNITY);
}

static int g_opportunity_closed(l2c__cmd *c)
{
    l2c__slot *o = opp_of(c);
    if (o && !l2c__process_open(c->e->proc[L2C__T_OPPORTUNITY], l2c__slot_rec(o)->state))
        return l2c__err(c->e, L2C_EGUARD, "quote.opportunity_closed", "opportunity %s is %s",
                        o->id->s,
                        c->e->proc[L2C__T_OPPORTUNITY]->states[l2c__slot_rec(o)->state]);
    return 0;
}

static int g_empty(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (!r->lines || r->lines->n == 0)
        return l2c__err(c->e, L2C_EGUARD, "quote.empty", "quote %s has no lines", c->want_id);
    return 0;
}

static int g_approval_required(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (r->state != state(c->e, "draft"))
        return 0;
    for (uint32_t i = 0; r->lines && i < r->lines->n; i++)
        if (r->lines->l[i].discount > c->e->approval_threshold) {
            char pct[32];
            l2c__dec_format_short(pct, c->e->approval_threshold, L2C__PCT_SCALE);
            return l2c__err(c->e, L2C_EGUARD, "quote.approval_required",
                            "a discount above %s%% needs approval", pct);
        }
    return 0;
}

static int past_valid(l2c__cmd *c)
{
    int64_t vu = l2c__slot_rec(c->slot)->f[VALID_UNTIL].i;
    return vu != L2C__NULL_INT && l2c__today(c->e) > vu;
}

static int g_expired(l2c__cmd *c)
{
    if (!past_valid(c))
        return 0;
    char date[16];
    l2c__date_format(date, (int32_t)l2c__slot_rec(c->slot)->f[VALID_UNTIL].i);
    return l2c__err(c->e, L2C_EGUARD, "quote.expired", "quote %s was valid until %s",
                    c->want_id, date);
}

static int g_not_expired(l2c__cmd *c)
{
    if (!past_valid(c))
        return l2c__err(c->e, L2C_EGUARD, "quote.not_expired",
                        "quote %s is still valid: it cannot expire yet", c->want_id);
    return 0;
}

static const l2c__handler handlers[] = {
    {"reject", parse_reason, apply_reason},
    {"decline", parse_reason, apply_reason},
    {"accept", parse_accept, apply_accept},
    {"revise", parse_revise, apply_revise},
};

static const l2c__guard guards[] = {
    {"quote.opportunity_closed", g_opportunity_closed},
    {"quote.empty", g_empty},
    {"quote.approval_required", g_approval_required},
    {"quote.expired", g_expired},
    {"quote.not_expired", g_not_expired},
};

const l2c__model l2c__quote_model = {
    .name = "quote",
    .prefix = "Q",
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
    .guards = guards,
    .nguards = sizeof guards / sizeof *guards,
};
