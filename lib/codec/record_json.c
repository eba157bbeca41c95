/* Records and events as JSON (DESIGN §3, §5, §6 output forms). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

static cJSON *add_str(cJSON *o, const char *k, const char *v)
{
    return v ? cJSON_AddStringToObject(o, k, v) : cJSON_AddNullToObject(o, k);
}

static cJSON *add_money(cJSON *o, const char *k, int64_t v, int exp)
{
    if (v == L2C__NULL_INT)
        return cJSON_AddNullToObject(o, k);
    char buf[32];
    l2c__dec_format_fixed(buf, v, exp);
    return cJSON_AddStringToObject(o, k, buf);
}

static cJSON *add_short(cJSON *o, const char *k, int64_t v, int scale)
{
    char buf[32];
    l2c__dec_format_short(buf, v, scale);
    return cJSON_AddStringToObject(o, k, buf);
}

static cJSON *add_time(cJSON *o, const char *k, int64_t t)
{
    char buf[32];
    l2c__time_format(buf, t);
    return cJSON_AddStringToObject(o, k, buf);
}

static int add_line(cJSON *arr, const l2c__line *l, int form, int exp, int64_t invoiced)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddItemToArray(arr, o)) {
        cJSON_Delete(o);
        return -1;
    }
    int ok = 1;
    if (form == L2C__LF_ORDER || form == L2C__LF_INVOICE)
        ok &= cJSON_AddNumberToObject(o, "line", l->line) != NULL;
    if (form == L2C__LF_INVOICE)
        ok &= cJSON_AddNumberToObject(o, "order_line", l->ref_line) != NULL;
    if (form == L2C__LF_CREDIT)
        ok &= cJSON_AddNumberToObject(o, "invoice_line", l->ref_line) != NULL;
    ok &= add_str(o, "sku", l2c__str_c(l->sku)) != NULL;
    ok &= add_str(o, "description", l2c__str_c(l->description)) != NULL;
    ok &= add_short(o, "qty", l->qty, L2C__QTY_SCALE) != NULL;
    if (form == L2C__LF_ORDER) {
        ok &= add_short(o, "ordered", l->qty, L2C__QTY_SCALE) != NULL;
        ok &= add_short(o, "fulfilled", l->fulfilled, L2C__QTY_SCALE) != NULL;
        ok &= add_short(o, "invoiced", invoiced, L2C__QTY_SCALE) != NULL;
    }
    ok &= add_money(o, "unit_price", l->unit_price, exp) != NULL;
    ok &= add_short(o, "discount_pct", l->discount, L2C__PCT_SCALE) != NULL;
    ok &= add_short(o, "tax_rate_pct", l->tax_rate, L2C__PCT_SCALE) != NULL;
    int64_t net = 0, tax = 0;
    l2c__line_calc(l, l->qty, &net, &tax);
    ok &= add_money(o, "net", net, exp) != NULL;
    ok &= add_money(o, "tax", tax, exp) != NULL;
    ok &= add_money(o, "total", net + tax, exp) != NULL;
    return ok ? 0 : -1;
}

static const char *status(const l2c__lines *ls, const int64_t *invoiced, int which)
{
    int any = 0, all = 1;
    for (uint32_t i = 0; ls && i < ls->n; i++) {
        int64_t done = which == 0 ? ls->l[i].fulfilled : invoiced[i];
        any |= done > 0;
        all &= done >= ls->l[i].qty;
    }
    if (!ls || !ls->n || !any)
        return "none";
    return all ? "full" : "partial";
}

cJSON *l2c__json_record(const l2c_engine *e, const l2c__rec *r, const int64_t *der)
{
    const l2c__model *m = l2c__models[r->type];
    const l2c__process *p = e->proc[r->type];
    int64_t fixed[8];
    int64_t *fresh = NULL;
    if (!der && m->nder) {
        uint32_t n = m->nder(r);
        int64_t *d = n <= 8 ? fixed : (fresh = l2c__malloc(n * sizeof *fresh));
        if (!d)
            return NULL;
        if (n)
            m->derive(e, r, d);
        der = d;
    }
    int exp = l2c__currency_exp(l2c__rec_currency(e, r));
    int64_t sub = 0, tax = 0, total = 0;
    if (r->lines)
        l2c__lines_totals(r->lines, &sub, &tax, &total);
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL;
    ok = ok && cJSON_AddStringToObject(o, "id", r->slot->id->s);
    ok = ok && cJSON_AddStringToObject(o, "type", m->name);
    ok = ok && cJSON_AddStringToObject(o, "state", p->states[r->state]);
    ok = ok && cJSON_AddNumberToObject(o, "version", r->version);
    for (uint32_t i = 0; ok && i < m->nfields; i++) {
        const l2c__field *f = &m->fields[i];
        const l2c__val *v = &r->f[i];
        switch (f->kind) {
        case L2C__F_STR:
        case L2C__F_REF:
            ok = add_str(o, f->name, l2c__str_c(v->s)) != NULL;
            break;
        case L2C__F_MONEY:
            ok = add_money(o, f->name, v->i, exp) != NULL;
            break;
        case L2C__F_DATE:
            if (v->i == L2C__NULL_INT) {
                ok = cJSON_AddNullToObject(o, f->name) != NULL;
            } else {
                char buf[16];
                l2c__date_format(buf, (int32_t)v->i);
                ok = cJSON_AddStringToObject(o, f->name, buf) != NULL;
            }
            break;
        case L2C__F_INT:
            ok = cJSON_AddNumberToObject(o, f->name, (double)v->i) != NULL;
            break;
        case L2C__F_CUR:
            ok = cJSON_AddStringToObject(o, f->name, l2c__currency_code((int)v->i)) != NULL;
            break;
        case L2C__F_LINES: {
            cJSON *arr = cJSON_AddArrayToObject(o, f->name);
            ok = arr != NULL;
            for (uint32_t k = 0; ok && r->lines && k < r->lines->n; k++)
                ok = add_line(arr, &r->lines->l[k], f->aux, exp,
                              f->aux == L2C__LF_ORDER && der ? der[k] : 0) == 0;
            break;
        }
        case L2C__F_ALLOCS: {
            cJSON *arr = cJSON_AddArrayToObject(o, f->name);
            ok = arr != NULL;
            for (uint32_t k = 0; ok && r->allocs && k < r->allocs->n; k++) {
                cJSON *a = cJSON_CreateObject();
                ok = a && cJSON_AddItemToArray(arr, a);
                if (!ok) {
                    cJSON_Delete(a);
                    break;
                }
                ok = cJSON_AddStringToObject(a, "invoice", r->allocs->a[k].invoice->id->s) &&
                     add_money(a, "amount", r->allocs->a[k].amount, exp);
            }
            break;
        }
        case L2C__F_DERIVED:
            ok = add_money(o, f->name, der ? der[f->aux] : 0, exp) != NULL;
            break;
        case L2C__F_TOTAL:
            ok = add_money(o, f->name, f->aux == 0 ? sub : f->aux == 1 ? tax : total, exp) != NULL;
            break;
        case L2C__F_STATUS: {
            static const int64_t none[1] = {0};
            ok = cJSON_AddStringToObject(o, f->name, status(r->lines, der ? der : none, f->aux)) !=
                 NULL;
            break;
        }
        case L2C__F_UNALLOC: {
            int64_t left = r->f[l2c__field_index(m, "amount")].i;
            for (uint32_t k = 0; r->allocs && k < r->allocs->n; k++)
                left -= r->allocs->a[k].amount;
            ok = add_money(o, f->name, left, exp) != NULL;
            break;
        }
        default:
            break;
        }
    }
    ok = ok && add_time(o, "created_at", r->created_at);
    ok = ok && add_time(o, "updated_at", r->updated_at);
    l2c__xfree(fresh);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *actor_json(const l2c__actor_snap *a)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON *roles = NULL;
    int ok = add_str(o, "id", a->id ? a->id->s : NULL) && (roles = cJSON_AddArrayToObject(o, "roles"));
    for (uint32_t i = 0; ok && i < a->nroles; i++) {
        cJSON *s = cJSON_CreateString(a->roles[i]->s);
        ok = s && cJSON_AddItemToArray(roles, s);
        if (!ok)
            cJSON_Delete(s);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *l2c__json_event(const l2c_engine *e, const struct l2c_event *ev)
{
    const l2c__process *p = e->proc[ev->rec->type];
    char seq[24], cause[24], type[160];
    snprintf(seq, sizeof seq, "%llu", (unsigned long long)ev->seq);
    snprintf(cause, sizeof cause, "%llu", (unsigned long long)ev->cause);
    snprintf(type, sizeof type, "l2c.%s.%s", l2c__models[ev->rec->type]->name, p->events[ev->ev]);
    cJSON *o = cJSON_CreateObject(), *d = NULL, *rec = NULL, *act = NULL;
    int ok = o && cJSON_AddStringToObject(o, "specversion", "1.0") &&
             cJSON_AddStringToObject(o, "id", seq) && cJSON_AddStringToObject(o, "source", e->name) &&
             cJSON_AddStringToObject(o, "type", type) &&
             cJSON_AddStringToObject(o, "subject", ev->rec->slot->id->s) &&
             add_time(o, "time", ev->time) &&
             cJSON_AddStringToObject(o, "datacontenttype", "application/json") &&
             cJSON_AddStringToObject(o, "sequence", seq) && (d = cJSON_AddObjectToObject(o, "data"));
    ok = ok && add_str(d, "from", ev->from == L2C__NO_STATE ? NULL : p->states[ev->from]) &&
         cJSON_AddStringToObject(d, "to", p->states[ev->rec->state]);
    if (ok) {
        if (ev->actor) {
            ok = (act = actor_json(ev->actor)) != NULL && cJSON_AddItemToObject(d, "actor", act);
            if (!ok)
                cJSON_Delete(act);
        } else {
            ok = cJSON_AddNullToObject(d, "actor") != NULL;
        }
    }
    ok = ok && cJSON_AddStringToObject(d, "cause", cause);
    if (ok) {
        ok = (rec = l2c__json_record(e, ev->rec, ev->rec->der)) != NULL &&
             cJSON_AddItemToObject(d, "record", rec);
        if (!ok)
            cJSON_Delete(rec);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

l2c_data *l2c__json_to_data(const cJSON *j)
{
    l2c_data *d;
    if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
        d = l2c__data_node(cJSON_IsObject(j) ? L2C__D_OBJ : L2C__D_ARR);
        if (!d)
            return NULL;
        for (const cJSON *c = j->child; c; c = c->next) {
            l2c_data *k = l2c__json_to_data(c);
            if (!k || l2c__data_attach(d, cJSON_IsObject(j) ? c->string : NULL, k)) {
                l2c_data_free(d);
                return NULL;
            }
        }
        return d;
    }
    if (cJSON_IsString(j)) {
        d = l2c__data_node(L2C__D_STR);
        if (d && !(d->str = l2c__strdup(j->valuestring))) {
            l2c_data_free(d);
            return NULL;
        }
        return d;
    }
    if (cJSON_IsNumber(j)) {
        double v = j->valuedouble;
        if (!isfinite(v) || v != floor(v))
            return l2c__data_node(L2C__D_FRACTION);
        /* 2^53 itself is refused too: 2^53 + 1 parses to the same double,
         * so only values below it are known to be exact (DESIGN §3) */
        if (fabs(v) >= 9007199254740992.0)
            return l2c__data_node(L2C__D_HUGE);
        d = l2c__data_node(L2C__D_INT);
        if (d)
            d->i = (int64_t)v;
        return d;
    }
    if (cJSON_IsBool(j)) {
        d = l2c__data_node(L2C__D_BOOL);
        if (d)
            d->i = cJSON_IsTrue(j);
        return d;
    }
    return l2c__data_node(L2C__D_NULL);
}

char *l2c__json_print(const cJSON *j)
{
    char *s = cJSON_PrintUnformatted(j);
    if (!s)
        return NULL;
    char *copy = l2c__strdup(s);
    cJSON_free(s);
    return copy;
}

int l2c_event_json(char **out, const l2c_engine *e, const l2c_event *ev)
{
    cJSON *j = l2c__json_event(e, ev);
    *out = j ? l2c__json_print(j) : NULL;
    cJSON_Delete(j);
    return *out ? 0 : L2C_ENOMEM;
}
