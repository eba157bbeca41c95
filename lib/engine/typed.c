/* Typed convenience functions: each builds its command's data and runs it
 * through the same engine path as every other command, in one transaction. */
#include <string.h>

#include "engine/engine.h"
#include "model/model.h"

typedef struct step {
    int type;
    int op; /* L2C__OP_CREATE, _FIRE, _UPDATE */
    const char *id;
    const char *event;
    const l2c_data *data;
} step;

/* Run steps as one command; *out_id gets the id of the record step
 * `want` made or named (after the whole command). */
static int run_steps(char **out_id, l2c_engine *e, const step *st, int n, int want,
                     const l2c_actor *actor, const char *(*pick)(l2c_engine *, l2c__slot *))
{
    if (out_id)
        *out_id = NULL;
    int rc = l2c__cmd_begin(e);
    if (rc)
        return rc;
    l2c__slot *made = NULL;
    for (int i = 0; !rc && i < n; i++) {
        int ev = 0;
        if (st[i].op == L2C__OP_FIRE && (ev = l2c__resolve_event(e, st[i].type, st[i].event)) < 0) {
            rc = ev;
            break;
        }
        l2c__slot *s;
        rc = l2c__run_op(&s, e, st[i].op, st[i].type, st[i].id, ev, st[i].data, actor, 0);
        if (!rc && i == want)
            made = s;
    }
    char *copy = NULL;
    if (!rc && out_id && made) {
        const char *id = pick ? pick(e, made) : made->id->s;
        if (!id)
            rc = l2c__err(e, L2C_EINVAL, "field.invalid", "the command made no record to name");
        else if (!(copy = l2c__strdup(id)))
            rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    rc = l2c__cmd_end(e, rc);
    if (rc)
        l2c__xfree(copy);
    else if (out_id)
        *out_id = copy;
    return rc;
}

static int need(l2c_engine *e, const void *p, const char *what)
{
    if (!e)
        return L2C_EINVAL;
    return p ? 0 : l2c__err(e, L2C_EINVAL, "field.required", "%s is required", what);
}

int l2c_quote_create(char **out_id, l2c_engine *e, const char *opportunity_id,
                     const char *valid_until, const l2c_actor *actor)
{
    int rc = need(e, opportunity_id, "opportunity");
    if (rc)
        return rc;
    l2c_data *d;
    if (l2c_data_new(&d) || l2c_data_set_string(d, "opportunity", opportunity_id) ||
        (valid_until && l2c_data_set_string(d, "valid_until", valid_until))) {
        l2c_data_free(d);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    step st = {L2C__T_QUOTE, L2C__OP_CREATE, NULL, NULL, d};
    rc = run_steps(out_id, e, &st, 1, 0, actor, NULL);
    l2c_data_free(d);
    return rc;
}

/* The quote's lines as data, so `update` reads them like any other. */
static int lines_data(l2c_engine *e, l2c_data *arr, const l2c__rec *q)
{
    int exp = l2c__currency_exp(l2c__rec_currency(e, q));
    char buf[32];
    for (uint32_t i = 0; q->lines && i < q->lines->n; i++) {
        const l2c__line *l = &q->lines->l[i];
        l2c_data *o;
        if (l2c_data_append_object(&o, arr))
            return -1;
        if ((l->sku && l2c_data_set_string(o, "sku", l->sku->s)) ||
            (l->description && l2c_data_set_string(o, "description", l->description->s)))
            return -1;
        l2c__dec_format_short(buf, l->qty, L2C__QTY_SCALE);
        if (l2c_data_set_string(o, "qty", buf))
            return -1;
        l2c__dec_format_fixed(buf, l->unit_price, exp);
        if (l2c_data_set_string(o, "unit_price", buf))
            return -1;
        l2c__dec_format_short(buf, l->discount, L2C__PCT_SCALE);
        if (l2c_data_set_string(o, "discount_pct", buf))
            return -1;
        l2c__dec_format_short(buf, l->tax_rate, L2C__PCT_SCALE);
        if (l2c_data_set_string(o, "tax_rate_pct", buf))
            return -1;
    }
    return 0;
}

int l2c_quote_add_line(l2c_engine *e, const char *quote_id, const char *sku,
                       const char *description, const char *qty, const char *unit_price,
                       const char *discount_pct, const char *tax_rate_pct,
                       const l2c_actor *actor)
{
    int rc = need(e, quote_id, "quote");
    if (rc)
        return rc;
    l2c__slot *s = l2c__find(e, L2C__T_QUOTE, quote_id);
    if (!s || !s->cur)
        return l2c__err(e, L2C_ENOTFOUND, NULL, "quote %s not found", quote_id);
    l2c_data *d = NULL, *arr, *o;
    int oom = l2c_data_new(&d) || l2c_data_set_array(&arr, d, "lines") ||
              lines_data(e, arr, s->cur) || l2c_data_append_object(&o, arr) ||
              (sku && l2c_data_set_string(o, "sku", sku)) ||
              (description && l2c_data_set_string(o, "description", description)) ||
              (qty && l2c_data_set_string(o, "qty", qty)) ||
              (unit_price && l2c_data_set_string(o, "unit_price", unit_price)) ||
              (discount_pct && l2c_data_set_string(o, "discount_pct", discount_pct)) ||
              (tax_rate_pct && l2c_data_set_string(o, "tax_rate_pct", tax_rate_pct));
    if (oom) {
        l2c_data_free(d);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    step st = {L2C__T_QUOTE, L2C__OP_UPDATE, quote_id, NULL, d};
    rc = run_steps(NULL, e, &st, 1, -1, actor, NULL);
    l2c_data_free(d);
    return rc;
}

/* The order a quote's accept made: the quote's last kid of its account. */
static const char *order_of_quote(l2c_engine *e, l2c__slot *q)
{
    l2c__slot *acc = l2c__account_of(e, l2c__slot_rec(q));
    int f = l2c__field_index(&l2c__order_model, "quote");
    for (uint32_t i = acc ? acc->nkids : 0; i-- > 0;) {
        const l2c__rec *r = l2c__slot_rec(acc->kids[i]);
        if (r->type == L2C__T_ORDER && r->f[f].s && strcmp(r->f[f].s->s, q->id->s) == 0)
            return acc->kids[i]->id->s;
    }
    return NULL;
}

int l2c_quote_accept(char **out_order_id, l2c_engine *e, const char *quote_id,
                     const l2c_actor *actor)
{
    int rc = need(e, quote_id, "quote");
    if (rc)
        return rc;
    step st = {L2C__T_QUOTE, L2C__OP_FIRE, quote_id, "accept", NULL};
    return run_steps(out_order_id, e, &st, 1, 0, actor, order_of_quote);
}

int l2c_order_invoice(char **out_invoice_id, l2c_engine *e, const char *order_id, int32_t issue,
                      const l2c_actor *actor)
{
    int rc = need(e, order_id, "order");
    if (rc)
        return rc;
    l2c_data *d;
    if (l2c_data_new(&d) || l2c_data_set_string(d, "order", order_id)) {
        l2c_data_free(d);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    /* the invoice id is drawn by the create; issue names it afterwards */
    char id[160];
    rc = l2c__cmd_begin(e);
    if (rc) {
        l2c_data_free(d);
        return rc;
    }
    l2c__cmd c;
    l2c__cmd_init(&c, e, L2C__T_INVOICE);
    c.data = d;
    c.actor = actor;
    c.cause = e->nevents + 1;
    e->now = l2c__clock(e);
    uint64_t cause = c.cause;
    rc = l2c__run_create(&c);
    if (!rc)
        strcpy(id, c.slot->id->s);
    l2c__cmd_done(&c);
    if (!rc && issue) {
        l2c__cmd_init(&c, e, L2C__T_INVOICE);
        c.actor = actor;
        c.want_id = id;
        c.cause = cause; /* one command: one cause */
        c.ev = l2c__resolve_event(e, L2C__T_INVOICE, "issue");
        rc = c.ev < 0 ? c.ev : l2c__run_fire(&c, 0);
        l2c__cmd_done(&c);
    }
    rc = l2c__host_guards(e, cause, rc);
    char *copy = NULL;
    if (!rc && out_invoice_id && !(copy = l2c__strdup(id)))
        rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    rc = l2c__cmd_end(e, rc);
    l2c_data_free(d);
    if (rc)
        l2c__xfree(copy);
    else if (out_invoice_id)
        *out_invoice_id = copy;
    return rc;
}

int l2c_payment_record(char **out_payment_id, l2c_engine *e, const char *account_id,
                       const char *amount, const char *invoice_id, const l2c_actor *actor)
{
    int rc = need(e, account_id, "account");
    if (rc)
        return rc;
    l2c_data *d = NULL, *arr, *o;
    int oom = l2c_data_new(&d) || l2c_data_set_string(d, "account", account_id) ||
              (amount && l2c_data_set_string(d, "amount", amount)) ||
              (invoice_id && (l2c_data_set_array(&arr, d, "allocations") ||
                              l2c_data_append_object(&o, arr) ||
                              l2c_data_set_string(o, "invoice", invoice_id) ||
                              (amount && l2c_data_set_string(o, "amount", amount))));
    if (oom) {
        l2c_data_free(d);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    step st = {L2C__T_PAYMENT, L2C__OP_CREATE, NULL, NULL, d};
    rc = run_steps(out_payment_id, e, &st, 1, 0, actor, NULL);
    l2c_data_free(d);
    return rc;
}
