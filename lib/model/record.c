/* Helpers shared by the record types. */
#include <string.h>

#include "model/model.h"

int l2c__field_index(const l2c__model *m, const char *name)
{
    for (uint32_t i = 0; i < m->nfields; i++)
        if (strcmp(m->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

l2c__slot *l2c__account_of(const l2c_engine *e, const l2c__rec *r)
{
    if (r->type == L2C__T_ACCOUNT)
        return r->slot;
    if (r->type == L2C__T_QUOTE) {
        l2c__slot *o = l2c__ref_slot(e, r, 0, L2C__T_OPPORTUNITY);
        return o ? l2c__ref_slot(e, l2c__slot_rec(o), L2C__OPP_ACCOUNT, L2C__T_ACCOUNT) : NULL;
    }
    int f = l2c__field_index(l2c__models[r->type], "account");
    return f < 0 ? NULL : l2c__ref_slot(e, r, f, L2C__T_ACCOUNT);
}

int l2c__rec_currency(const l2c_engine *e, const l2c__rec *r)
{
    const l2c__model *m = l2c__models[r->type];
    if (m->cur_field >= 0)
        return (int)r->f[m->cur_field].i;
    l2c__slot *a = l2c__account_of(e, r);
    return a ? (int)l2c__slot_rec(a)->f[L2C__ACC_CURRENCY].i : l2c__currency_find("EUR");
}

uint32_t l2c__rec_nder(const l2c__rec *r)
{
    const l2c__model *m = l2c__models[r->type];
    return m->nder ? m->nder(r) : 0;
}

l2c_data *l2c__owned_obj(l2c__cmd *c)
{
    l2c_data_free(c->owned);
    c->owned = l2c__data_node(L2C__D_OBJ);
    if (!c->owned)
        l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    return c->owned;
}

int l2c__set_money(l2c__cmd *c, l2c_data *obj, const char *key, int64_t v, int cur)
{
    char buf[32];
    if (v == L2C__NULL_INT)
        return l2c_data_set_string(obj, key, NULL) ? l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory") : 0;
    l2c__dec_format_fixed(buf, v, l2c__currency_exp(cur));
    return l2c_data_set_string(obj, key, buf) ? l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory") : 0;
}

int32_t l2c__today(const l2c_engine *e) { return l2c__time_day(e->now); }

int l2c__kid_add_once(l2c_engine *e, l2c__slot *parent, l2c__slot *kid)
{
    for (uint32_t i = 0; i < parent->nkids; i++)
        if (parent->kids[i] == kid)
            return 0;
    return l2c__kid_add(e, parent, kid);
}

int l2c__apply_reason(l2c__cmd *c, int field)
{
    l2c__rec *r = l2c__change(c->e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    l2c__str_unref(r->f[field].s);
    r->f[field].s = l2c__str_ref(c->reason);
    return l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
}

int l2c__in_new_id(l2c__cmd *c, const char *key, char *buf)
{
    const l2c_data *v = l2c__data_get(c->data, key);
    buf[0] = '\0';
    if (!v || v->kind == L2C__D_NULL)
        return 0;
    if (v->kind != L2C__D_STR)
        return l2c__err(c->e, L2C_EINVAL, "field.invalid", "%s must be a string", key);
    int rc = l2c__check_id(c->e, key, v->str);
    if (!rc)
        strcpy(buf, v->str);
    return rc;
}

int l2c__claim_id(l2c__cmd *c, int type, char *buf)
{
    if (!buf[0])
        return l2c__next_id(c->e, type, buf);
    if (l2c__find(c->e, type, buf))
        return l2c__err(c->e, L2C_EEXISTS, NULL, "%s %s already exists", l2c__type_name(type), buf);
    return 0;
}

int l2c__in_currency_check(l2c__cmd *c, int cur)
{
    int given, present;
    int rc = l2c__in_currency(c, c->data, "currency", &given, &present);
    if (rc)
        return rc;
    if (present && given != cur)
        return l2c__err(c->e, L2C_EINVAL, "currency.mismatch", "currency %s differs from %s",
                        l2c__currency_code(given), l2c__currency_code(cur));
    return 0;
}

/* Rebuild the links a version implies (replay from a store). `prev` is the
 * slot's version before this one (NULL on create). */
int l2c__relink(l2c_engine *e, l2c__slot *s, const l2c__rec *prev)
{
    const l2c__rec *r = s->cur;
    int rc = 0;
    l2c__slot *acc = l2c__account_of(e, r);
    switch (r->type) {
    case L2C__T_LEAD:
        if (acc && (!prev || !prev->f[l2c__field_index(&l2c__lead_model, "account")].s))
            rc = l2c__kid_add(e, acc, s);
        break;
    case L2C__T_OPPORTUNITY:
    case L2C__T_ORDER:
        if (!prev && acc)
            rc = l2c__kid_add(e, acc, s);
        break;
    case L2C__T_QUOTE:
        if (!prev) {
            l2c__slot *o = l2c__ref_slot(e, r, 0, L2C__T_OPPORTUNITY);
            if (o)
                rc = l2c__kid_add(e, o, s);
            if (!rc && acc)
                rc = l2c__kid_add(e, acc, s);
        }
        break;
    case L2C__T_INVOICE:
        if (!prev) {
            l2c__slot *o = l2c__ref_slot(e, r, 0, L2C__T_ORDER);
            if (o)
                rc = l2c__kid_add(e, o, s);
            if (!rc && acc)
                rc = l2c__kid_add(e, acc, s);
        }
        break;
    case L2C__T_PAYMENT:
        if (!prev && acc)
            rc = l2c__kid_add(e, acc, s);
        for (uint32_t i = 0; !rc && r->allocs && i < r->allocs->n; i++)
            rc = l2c__kid_add_once(e, r->allocs->a[i].invoice, s);
        break;
    case L2C__T_CREDIT_NOTE:
        if (!prev) {
            l2c__slot *inv = l2c__ref_slot(e, r, 0, L2C__T_INVOICE);
            if (inv)
                rc = l2c__kid_add(e, inv, s);
            if (!rc && acc)
                rc = l2c__kid_add(e, acc, s);
        }
        break;
    default:
        break;
    }
    e->tx.nkid_undo = 0; /* replayed links are committed */
    return rc;
}

void l2c__line_from(l2c__line *dst, const l2c__line *src, int64_t qty, int32_t ref_line,
                    int32_t line)
{
    *dst = *src;
    l2c__str_ref(dst->sku);
    l2c__str_ref(dst->description);
    dst->qty = qty;
    dst->fulfilled = 0;
    dst->ref_line = ref_line;
    dst->line = line;
}
