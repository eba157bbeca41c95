/* Records and events as JSON (DESIGN §3, §5, §6 output forms). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

/* Records and events are written straight into a buffer (no cJSON tree:
 * they are the bulk of every answer and of the outbox); callers that need
 * a tree parse the text, so there is one renderer. */

static void put_str(l2c__buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    l2c__buf_put(b, "\"", 1);
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char u[7];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (*p < 0x20) {
                u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
                u[4] = hex[*p >> 4], u[5] = hex[*p & 15], u[6] = '\0';
                esc = u;
            }
        }
        if (esc) {
            l2c__buf_put(b, run, (size_t)((const char *)p - run));
            l2c__buf_puts(b, esc);
            run = (const char *)p + 1;
        }
    }
    l2c__buf_puts(b, run);
    l2c__buf_put(b, "\"", 1);
}

/* ,"key": (the first member of an object passes first = 1) */
static void key(l2c__buf *b, const char *k, int *first)
{
    if (!*first)
        l2c__buf_put(b, ",", 1);
    *first = 0;
    put_str(b, k);
    l2c__buf_put(b, ":", 1);
}

static void kv_str(l2c__buf *b, const char *k, const char *v, int *first)
{
    key(b, k, first);
    if (v)
        put_str(b, v);
    else
        l2c__buf_puts(b, "null");
}

static void kv_raw(l2c__buf *b, const char *k, const char *v, int *first)
{
    key(b, k, first);
    l2c__buf_puts(b, v);
}

static void kv_int(l2c__buf *b, const char *k, int64_t v, int *first)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    kv_raw(b, k, buf, first);
}

static void kv_money(l2c__buf *b, const char *k, int64_t v, int exp, int *first)
{
    char buf[32];
    if (v == L2C__NULL_INT) {
        kv_raw(b, k, "null", first);
        return;
    }
    l2c__dec_format_fixed(buf, v, exp);
    kv_str(b, k, buf, first);
}

static void kv_short(l2c__buf *b, const char *k, int64_t v, int scale, int *first)
{
    char buf[32];
    l2c__dec_format_short(buf, v, scale);
    kv_str(b, k, buf, first);
}

static void kv_time(l2c__buf *b, const char *k, int64_t t, int *first)
{
    char buf[32];
    l2c__time_format(buf, t);
    kv_str(b, k, buf, first);
}

static void put_line(l2c__buf *b, const l2c__line *l, int form, int exp, int64_t invoiced)
{
    int f = 1;
    l2c__buf_put(b, "{", 1);
    if (form == L2C__LF_ORDER || form == L2C__LF_INVOICE)
        kv_int(b, "line", l->line, &f);
    if (form == L2C__LF_INVOICE)
        kv_int(b, "order_line", l->ref_line, &f);
    if (form == L2C__LF_CREDIT)
        kv_int(b, "invoice_line", l->ref_line, &f);
    kv_str(b, "sku", l2c__str_c(l->sku), &f);
    kv_str(b, "description", l2c__str_c(l->description), &f);
    kv_short(b, "qty", l->qty, L2C__QTY_SCALE, &f);
    if (form == L2C__LF_ORDER) {
        kv_short(b, "ordered", l->qty, L2C__QTY_SCALE, &f);
        kv_short(b, "fulfilled", l->fulfilled, L2C__QTY_SCALE, &f);
        kv_short(b, "invoiced", invoiced, L2C__QTY_SCALE, &f);
    }
    kv_money(b, "unit_price", l->unit_price, exp, &f);
    kv_short(b, "discount_pct", l->discount, L2C__PCT_SCALE, &f);
    kv_short(b, "tax_rate_pct", l->tax_rate, L2C__PCT_SCALE, &f);
    int64_t net = 0, tax = 0;
    l2c__line_calc(l, l->qty, &net, &tax);
    kv_money(b, "net", net, exp, &f);
    kv_money(b, "tax", tax, exp, &f);
    kv_money(b, "total", net + tax, exp, &f);
    l2c__buf_put(b, "}", 1);
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

int l2c__write_record(l2c__buf *b, const l2c_engine *e, const l2c__rec *r, const int64_t *der)
{
    const l2c__model *m = l2c__models[r->type];
    const l2c__process *p = e->proc[r->type];
    int64_t fixed[8];
    int64_t *fresh = NULL;
    if (!der && m->nder) {
        uint32_t n = m->nder(r);
        int64_t *d = n <= 8 ? fixed : (fresh = l2c__malloc(n * sizeof *fresh));
        if (!d)
            return L2C_ENOMEM;
        if (n)
            m->derive(e, r, d);
        der = d;
    }
    int exp = l2c__currency_exp(l2c__rec_currency(e, r));
    int64_t sub = 0, tax = 0, total = 0;
    if (r->lines)
        l2c__lines_totals(r->lines, &sub, &tax, &total);
    int f = 1;
    l2c__buf_put(b, "{", 1);
    kv_str(b, "id", r->slot->id->s, &f);
    kv_str(b, "type", m->name, &f);
    kv_str(b, "state", p->states[r->state], &f);
    kv_int(b, "version", r->version, &f);
    for (uint32_t i = 0; i < m->nfields; i++) {
        const l2c__field *fd = &m->fields[i];
        const l2c__val *v = &r->f[i];
        switch (fd->kind) {
        case L2C__F_STR:
        case L2C__F_REF:
            kv_str(b, fd->name, l2c__str_c(v->s), &f);
            break;
        case L2C__F_MONEY:
            kv_money(b, fd->name, v->i, exp, &f);
            break;
        case L2C__F_DATE:
            if (v->i == L2C__NULL_INT) {
                kv_raw(b, fd->name, "null", &f);
            } else {
                char buf[16];
                l2c__date_format(buf, (int32_t)v->i);
                kv_str(b, fd->name, buf, &f);
            }
            break;
        case L2C__F_INT:
            kv_int(b, fd->name, v->i, &f);
            break;
        case L2C__F_CUR:
            kv_str(b, fd->name, l2c__currency_code((int)v->i), &f);
            break;
        case L2C__F_LINES:
            key(b, fd->name, &f);
            l2c__buf_put(b, "[", 1);
            for (uint32_t k = 0; r->lines && k < r->lines->n; k++) {
                if (k)
                    l2c__buf_put(b, ",", 1);
                put_line(b, &r->lines->l[k], fd->aux, exp,
                         fd->aux == L2C__LF_ORDER && der ? der[k] : 0);
            }
            l2c__buf_put(b, "]", 1);
            break;
        case L2C__F_ALLOCS:
            key(b, fd->name, &f);
            l2c__buf_put(b, "[", 1);
            for (uint32_t k = 0; r->allocs && k < r->allocs->n; k++) {
                int af = 1;
                l2c__buf_puts(b, k ? ",{" : "{");
                kv_str(b, "invoice", r->allocs->a[k].invoice->id->s, &af);
                kv_money(b, "amount", r->allocs->a[k].amount, exp, &af);
                l2c__buf_put(b, "}", 1);
            }
            l2c__buf_put(b, "]", 1);
            break;
        case L2C__F_DERIVED:
            kv_money(b, fd->name, der ? der[fd->aux] : 0, exp, &f);
            break;
        case L2C__F_TOTAL:
            kv_money(b, fd->name, fd->aux == 0 ? sub : fd->aux == 1 ? tax : total, exp, &f);
            break;
        case L2C__F_STATUS: {
            static const int64_t none[1] = {0};
            kv_str(b, fd->name, status(r->lines, der ? der : none, fd->aux), &f);
            break;
        }
        case L2C__F_UNALLOC: {
            int64_t left = r->f[l2c__field_index(m, "amount")].i;
            for (uint32_t k = 0; r->allocs && k < r->allocs->n; k++)
                left -= r->allocs->a[k].amount;
            kv_money(b, fd->name, left, exp, &f);
            break;
        }
        default:
            break;
        }
    }
    kv_time(b, "created_at", r->created_at, &f);
    kv_time(b, "updated_at", r->updated_at, &f);
    l2c__buf_put(b, "}", 1);
    l2c__xfree(fresh);
    return b->oom ? L2C_ENOMEM : 0;
}

int l2c__write_event(l2c__buf *b, const l2c_engine *e, const struct l2c_event *ev)
{
    const l2c__process *p = e->proc[ev->rec->type];
    char seq[24], cause[24], type[160];
    snprintf(seq, sizeof seq, "%llu", (unsigned long long)ev->seq);
    snprintf(cause, sizeof cause, "%llu", (unsigned long long)ev->cause);
    snprintf(type, sizeof type, "l2c.%s.%s", l2c__models[ev->rec->type]->name, p->events[ev->ev]);
    int f = 1, d = 1;
    l2c__buf_put(b, "{", 1);
    kv_str(b, "specversion", "1.0", &f);
    kv_str(b, "id", seq, &f);
    kv_str(b, "source", e->name, &f);
    kv_str(b, "type", type, &f);
    kv_str(b, "subject", ev->rec->slot->id->s, &f);
    kv_time(b, "time", ev->time, &f);
    kv_str(b, "datacontenttype", "application/json", &f);
    kv_str(b, "sequence", seq, &f);
    key(b, "data", &f);
    l2c__buf_put(b, "{", 1);
    kv_str(b, "from", ev->from == L2C__NO_STATE ? NULL : p->states[ev->from], &d);
    kv_str(b, "to", p->states[ev->rec->state], &d);
    key(b, "actor", &d);
    if (ev->actor) {
        int a = 1;
        l2c__buf_put(b, "{", 1);
        kv_str(b, "id", ev->actor->id ? ev->actor->id->s : NULL, &a);
        key(b, "roles", &a);
        l2c__buf_put(b, "[", 1);
        for (uint32_t i = 0; i < ev->actor->nroles; i++) {
            if (i)
                l2c__buf_put(b, ",", 1);
            put_str(b, ev->actor->roles[i]->s);
        }
        l2c__buf_puts(b, "]}");
    } else {
        l2c__buf_puts(b, "null");
    }
    kv_str(b, "cause", cause, &d);
    key(b, "record", &d);
    int rc = l2c__write_record(b, e, ev->rec, ev->rec->der);
    l2c__buf_puts(b, "}}");
    return rc ? rc : b->oom ? L2C_ENOMEM : 0;
}

/* A raw cJSON node holding written text (printed verbatim). */
static cJSON *raw(l2c__buf *b, int rc)
{
    cJSON *j = NULL;
    if (!rc && !b->oom)
        j = cJSON_CreateRaw(b->p ? b->p : "null");
    l2c__buf_free(b);
    return j;
}

cJSON *l2c__json_record_raw(const l2c_engine *e, const l2c__rec *r)
{
    l2c__buf b = {0};
    return raw(&b, l2c__write_record(&b, e, r, NULL));
}

cJSON *l2c__json_event_raw(const l2c_engine *e, const struct l2c_event *ev)
{
    l2c__buf b = {0};
    return raw(&b, l2c__write_event(&b, e, ev));
}

cJSON *l2c__json_record(const l2c_engine *e, const l2c__rec *r, const int64_t *der)
{
    l2c__buf b = {0};
    cJSON *j = NULL;
    if (!l2c__write_record(&b, e, r, der) && !b.oom)
        j = cJSON_Parse(b.p);
    l2c__buf_free(&b);
    return j;
}

cJSON *l2c__json_event(const l2c_engine *e, const struct l2c_event *ev)
{
    l2c__buf b = {0};
    cJSON *j = NULL;
    if (!l2c__write_event(&b, e, ev) && !b.oom)
        j = cJSON_Parse(b.p);
    l2c__buf_free(&b);
    return j;
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
    l2c__buf b = {0};
    int rc = l2c__write_event(&b, e, ev);
    *out = rc ? NULL : l2c__buf_take(&b);
    l2c__buf_free(&b);
    return *out ? 0 : L2C_ENOMEM;
}
