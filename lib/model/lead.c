/* lead: a prospect. `convert` creates (or picks) the account and optionally
 * an opportunity, in the same command. */
#include <string.h>

#include "model/model.h"

enum { NAME, EMAIL, COMPANY, SOURCE, REASON, ACCOUNT, OPPORTUNITY };

static const l2c__field fields[] = {
    {"name", L2C__F_STR, L2C__FF_UPDATE | L2C__FF_REQUIRED, 0},
    {"email", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"company", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"source", L2C__F_STR, L2C__FF_UPDATE, 0},
    {"reason", L2C__F_STR, 0, 0},
    {"account", L2C__F_REF, 0, L2C__T_ACCOUNT},
    {"opportunity", L2C__F_REF, 0, L2C__T_OPPORTUNITY},
};

static int check_email(l2c__cmd *c, const l2c__rec *r)
{
    if (r->f[EMAIL].s && !strchr(r->f[EMAIL].s->s, '@'))
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "email must contain '@'");
    return 0;
}

static int create(l2c__cmd *c)
{
    l2c__rec *r = c->rec;
    int rc;
    if ((rc = l2c__in_str(c, c->data, "name", 1, &r->f[NAME].s)) ||
        (rc = l2c__in_str(c, c->data, "email", 0, &r->f[EMAIL].s)) ||
        (rc = l2c__in_str(c, c->data, "company", 0, &r->f[COMPANY].s)) ||
        (rc = l2c__in_str(c, c->data, "source", 0, &r->f[SOURCE].s)))
        return rc;
    return check_email(c, r);
}

static int editable(l2c__cmd *c)
{
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (l2c__process_terminal(c->p, r->state))
        return l2c__err(c->e, L2C_EINVAL, "field.immutable", "lead %s is %s", c->want_id,
                        c->p->states[r->state]);
    return 0;
}

static int update(l2c__cmd *c)
{
    int rc = l2c__update_fields(c, c->slot->pend);
    return rc ? rc : check_email(c, c->slot->pend);
}

static int parse_reason(l2c__cmd *c) { return l2c__in_reason(c); }

static int apply_reason(l2c__cmd *c)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__str_unref(r->f[REASON].s);
    r->f[REASON].s = l2c__str_ref(c->reason);
    return l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
}

/* convert: c->ref[0] existing account; n[0] currency of a new one; n[1] has
 * opportunity; n[2] amount; n[3] close date; idbuf[0] account id; idbuf[1] opp id. */
static int parse_convert(l2c__cmd *c)
{
    int rc, present;
    const l2c_data *d = c->data;
    const l2c_data *acc = l2c__data_get(d, "account");
    const l2c_data *accid = l2c__data_get(d, "account_id");
    const l2c_data *opp = l2c__data_get(d, "opportunity");
    c->n[0] = l2c__currency_find("EUR");
    c->idbuf[0][0] = c->idbuf[1][0] = '\0';
    /* formats first */
    if (acc && acc->kind != L2C__D_NULL && acc->kind != L2C__D_STR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "account must be a record id");
    if (!(acc && acc->kind == L2C__D_STR)) {
        if (accid && accid->kind != L2C__D_NULL) {
            if (accid->kind != L2C__D_STR)
                return l2c__err(c->e, L2C_EINVAL, "field.invalid", "account_id must be a string");
            if ((rc = l2c__check_id(c->e, "account_id", accid->str)))
                return rc;
            strcpy(c->idbuf[0], accid->str);
        }
        int cur;
        if ((rc = l2c__in_currency(c, d, "currency", &cur, &present)))
            return rc;
        if (present)
            c->n[0] = cur;
    }
    if (opp && opp->kind != L2C__D_NULL) {
        if (opp->kind != L2C__D_OBJ)
            return l2c__err(c->e, L2C_EINVAL, "field.invalid", "opportunity must be an object");
        c->n[1] = 1;
        const l2c_data *oid = l2c__data_get(opp, "id");
        if (oid && oid->kind != L2C__D_NULL) {
            if (oid->kind != L2C__D_STR)
                return l2c__err(c->e, L2C_EINVAL, "field.invalid", "opportunity.id must be a string");
            if ((rc = l2c__check_id(c->e, "opportunity.id", oid->str)))
                return rc;
            strcpy(c->idbuf[1], oid->str);
        }
        const l2c_data *nm = l2c__data_get(opp, "name");
        if (nm && nm->kind != L2C__D_NULL && nm->kind != L2C__D_STR)
            return l2c__err(c->e, L2C_EINVAL, "field.invalid", "opportunity.name must be a string");
        if ((rc = l2c__in_date(c, opp, "close_date", 1, &c->n[3], &present)))
            return rc;
        if (!present)
            c->n[3] = L2C__NULL_INT;
    }
    /* then the records it names */
    if (acc && acc->kind == L2C__D_STR) {
        if ((rc = l2c__in_ref(c, d, "account", L2C__T_ACCOUNT, 0, &c->ref[0])))
            return rc;
        c->n[0] = l2c__slot_rec(c->ref[0])->f[L2C__ACC_CURRENCY].i;
    }
    /* then money, in the account's currency */
    c->n[2] = L2C__NULL_INT;
    if (c->n[1]) {
        if ((rc = l2c__in_money(c, opp, "amount", (int)c->n[0], 0, 1, &c->n[2], &present)))
            return rc;
        if (!present)
            c->n[2] = L2C__NULL_INT;
    }
    return 0;
}

static int apply_convert(l2c__cmd *c)
{
    l2c_engine *e = c->e;
    int rc;
    const l2c__rec *lead = l2c__slot_rec(c->slot);
    /* ids the cascades will create: taken ones are already_exists */
    if (!c->ref[0]) {
        if (c->idbuf[0][0]) {
            if (l2c__find(e, L2C__T_ACCOUNT, c->idbuf[0]))
                return l2c__err(e, L2C_EEXISTS, NULL, "account %s already exists", c->idbuf[0]);
        } else if ((rc = l2c__next_id(e, L2C__T_ACCOUNT, c->idbuf[0]))) {
            return rc;
        }
    }
    if (c->n[1]) {
        if (c->idbuf[1][0]) {
            if (l2c__find(e, L2C__T_OPPORTUNITY, c->idbuf[1]))
                return l2c__err(e, L2C_EEXISTS, NULL, "opportunity %s already exists", c->idbuf[1]);
        } else if ((rc = l2c__next_id(e, L2C__T_OPPORTUNITY, c->idbuf[1]))) {
            return rc;
        }
    }
    const char *acc_id = c->ref[0] ? c->ref[0]->id->s : c->idbuf[0];
    l2c__rec *r = l2c__change(e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__str_unref(r->f[ACCOUNT].s);
    r->f[ACCOUNT].s = c->ref[0] ? l2c__str_ref(c->ref[0]->id) : l2c__str_from(acc_id);
    if (c->n[1]) {
        l2c__str_unref(r->f[OPPORTUNITY].s);
        r->f[OPPORTUNITY].s = l2c__str_from(c->idbuf[1]);
    }
    if (!r->f[ACCOUNT].s || (c->n[1] && !r->f[OPPORTUNITY].s))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    if ((rc = l2c__emit(e, c->slot, c->ev, c->to, c->actor, c->cause)))
        return rc;

    const char *company = l2c__str_c(lead->f[COMPANY].s);
    const char *name = l2c__str_c(lead->f[NAME].s);
    l2c__slot *acc = c->ref[0];
    l2c_data *d;
    if (!acc) {
        if (!(d = l2c__owned_obj(c)))
            return L2C_ENOMEM;
        if (l2c_data_set_string(d, "name", company ? company : name) ||
            l2c_data_set_string(d, "currency", l2c__currency_code((int)c->n[0])))
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        if ((rc = l2c__cascade_create(c, L2C__T_ACCOUNT, c->idbuf[0], d, &acc)))
            return rc;
    }
    if ((rc = l2c__kid_add(e, acc, c->slot)))
        return rc;
    if (c->n[1]) {
        const l2c_data *opp = l2c__data_get(c->data, "opportunity");
        const l2c_data *nm = l2c__data_get(opp, "name");
        if (!(d = l2c__owned_obj(c)))
            return L2C_ENOMEM;
        const char *oname = nm && nm->kind == L2C__D_STR && nm->str[0] ? nm->str
                            : company                                  ? company
                                                                       : name;
        char date[16];
        if (c->n[3] != L2C__NULL_INT)
            l2c__date_format(date, (int32_t)c->n[3]);
        if (l2c_data_set_string(d, "account", acc->id->s) || l2c_data_set_string(d, "name", oname) ||
            l2c_data_set_string(d, "close_date", c->n[3] == L2C__NULL_INT ? NULL : date) ||
            l2c_data_set_string(d, "lead", c->slot->id->s))
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        if ((rc = l2c__set_money(c, d, "amount", c->n[2], (int)c->n[0])))
            return rc;
        if ((rc = l2c__cascade_create(c, L2C__T_OPPORTUNITY, c->idbuf[1], d, NULL)))
            return rc;
    }
    return 0;
}

static const l2c__handler handlers[] = {
    {"disqualify", parse_reason, apply_reason},
    {"convert", parse_convert, apply_convert},
};

const l2c__model l2c__lead_model = {
    .name = "lead",
    .prefix = "L",
    .domain = "marketing",
    .fields = fields,
    .nfields = sizeof fields / sizeof *fields,
    .cur_field = -1,
    .create = create,
    .editable = editable,
    .update = update,
    .handlers = handlers,
    .nhandlers = sizeof handlers / sizeof *handlers,
};
