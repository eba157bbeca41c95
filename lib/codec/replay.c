/* Rebuilding records from their events' JSON (a store loading or catching
 * up): each event carries the record as it was after it. */
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

static const cJSON *get(const cJSON *o, const char *k) { return cJSON_GetObjectItemCaseSensitive(o, k); }

static int str_field(const cJSON *v, l2c__str **out)
{
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    return (*out = l2c__str_from(v->valuestring)) ? 0 : -2;
}

static int dec_field(const cJSON *v, int scale, int64_t *out, int nullable)
{
    if (!v || cJSON_IsNull(v)) {
        *out = L2C__NULL_INT;
        return nullable ? 0 : -1;
    }
    if (!cJSON_IsString(v))
        return -1;
    return l2c__dec_parse(out, v->valuestring, scale) ? -1 : 0;
}

static int decode_lines(const cJSON *arr, int exp, l2c__lines **out)
{
    *out = NULL;
    if (!cJSON_IsArray(arr))
        return -1;
    l2c__lines *ls = l2c__lines_new((uint32_t)cJSON_GetArraySize(arr));
    if (!ls)
        return -2;
    uint32_t i = 0;
    int rc = 0;
    for (const cJSON *o = arr->child; o && !rc; o = o->next, i++) {
        l2c__line *l = &ls->l[i];
        int64_t x;
        const cJSON *v;
        l->line = (int32_t)i + 1;
        if (cJSON_IsNumber(v = get(o, "line")))
            l->line = (int32_t)v->valuedouble;
        if (cJSON_IsNumber(v = get(o, "order_line")) || cJSON_IsNumber(v = get(o, "invoice_line")))
            l->ref_line = (int32_t)v->valuedouble;
        if ((rc = str_field(get(o, "sku"), &l->sku)) ||
            (rc = str_field(get(o, "description"), &l->description)) ||
            (rc = dec_field(get(o, "qty"), L2C__QTY_SCALE, &l->qty, 0)) ||
            (rc = dec_field(get(o, "unit_price"), exp, &l->unit_price, 0)))
            break;
        if ((rc = dec_field(get(o, "discount_pct"), L2C__PCT_SCALE, &x, 0)))
            break;
        l->discount = (int32_t)x;
        if ((rc = dec_field(get(o, "tax_rate_pct"), L2C__PCT_SCALE, &x, 0)))
            break;
        l->tax_rate = (int32_t)x;
        if (get(o, "fulfilled") && (rc = dec_field(get(o, "fulfilled"), L2C__QTY_SCALE, &l->fulfilled, 0)))
            break;
    }
    if (rc) {
        l2c__lines_unref(ls);
        return rc;
    }
    *out = ls;
    return 0;
}

/* A record version from its JSON; EIO on anything that does not fit. */
static int decode_record(l2c_engine *e, int type, const cJSON *j, l2c__rec **out)
{
    const l2c__model *m = l2c__models[type];
    const l2c__process *p = e->proc[type];
    l2c__rec *r = l2c__rec_new(e, type);
    if (!r)
        return L2C_ENOMEM;
    int rc = 0;
    const cJSON *st = get(j, "state"), *ver = get(j, "version");
    int s = cJSON_IsString(st) ? l2c__process_state(p, st->valuestring) : -1;
    if (s < 0) {
        l2c__rec_unref(r);
        return l2c__err(e, L2C_EINVAL, "field.invalid",
                        "a stored %s is in state '%s', which the loaded process lacks", m->name,
                        cJSON_IsString(st) ? st->valuestring : "?");
    }
    r->state = (uint16_t)s;
    r->version = cJSON_IsNumber(ver) ? (uint32_t)ver->valuedouble : 0;
    const cJSON *ca = get(j, "created_at"), *ua = get(j, "updated_at");
    if (!cJSON_IsString(ca) || !cJSON_IsString(ua) || l2c__time_parse(&r->created_at, ca->valuestring) ||
        l2c__time_parse(&r->updated_at, ua->valuestring))
        rc = -1;
    int exp = 2;
    if (!rc && m->cur_field >= 0) {
        const cJSON *c = get(j, "currency");
        int cur = cJSON_IsString(c) ? l2c__currency_find(c->valuestring) : -1;
        if (cur < 0)
            rc = -1;
        else {
            r->f[m->cur_field].i = cur;
            exp = l2c__currency_exp(cur);
        }
    }
    /* references first (the opportunity's currency is its account's) */
    for (uint32_t i = 0; !rc && i < m->nfields; i++)
        if (m->fields[i].kind == L2C__F_STR || m->fields[i].kind == L2C__F_REF)
            rc = str_field(get(j, m->fields[i].name), &r->f[i].s);
    if (!rc && m->cur_field < 0)
        exp = l2c__currency_exp(l2c__rec_currency(e, r));
    int64_t der[8] = {0};
    const cJSON *lines = NULL;
    for (uint32_t i = 0; !rc && i < m->nfields; i++) {
        const l2c__field *f = &m->fields[i];
        const cJSON *v = get(j, f->name);
        switch (f->kind) {
        case L2C__F_MONEY:
            rc = dec_field(v, exp, &r->f[i].i, 1);
            break;
        case L2C__F_DATE: {
            int32_t d;
            if (!v || cJSON_IsNull(v))
                r->f[i].i = L2C__NULL_INT;
            else if (!cJSON_IsString(v) || l2c__date_parse(&d, v->valuestring))
                rc = -1;
            else
                r->f[i].i = d;
            break;
        }
        case L2C__F_INT:
            if (!cJSON_IsNumber(v))
                rc = -1;
            else
                r->f[i].i = (int64_t)v->valuedouble;
            break;
        case L2C__F_LINES:
            lines = v;
            rc = decode_lines(v, exp, &r->lines);
            break;
        case L2C__F_ALLOCS: {
            if (!cJSON_IsArray(v)) {
                rc = -1;
                break;
            }
            int n = cJSON_GetArraySize(v);
            if (!n)
                break;
            l2c__allocs *a = l2c__calloc(1, sizeof *a + (size_t)n * sizeof(l2c__alloc));
            if (!a) {
                rc = -2;
                break;
            }
            a->refs = 1;
            r->allocs = a;
            for (const cJSON *o = v->child; o && !rc; o = o->next) {
                const cJSON *inv = get(o, "invoice");
                l2c__slot *is = cJSON_IsString(inv) ? l2c__find(e, L2C__T_INVOICE, inv->valuestring) : NULL;
                if (!is || dec_field(get(o, "amount"), exp, &a->a[a->n].amount, 0))
                    rc = -1;
                else
                    a->a[a->n++].invoice = is;
            }
            break;
        }
        case L2C__F_DERIVED:
            if (f->aux < 8)
                rc = dec_field(v, exp, &der[f->aux], 0);
            break;
        default:
            break;
        }
    }
    if (!rc && m->nder) {
        uint32_t n = m->nder(r);
        if (n) {
            r->der = l2c__calloc(n, sizeof *r->der);
            if (!r->der)
                rc = -2;
            else {
                r->nder = n;
                if (type == L2C__T_ORDER) {
                    uint32_t k = 0;
                    for (const cJSON *o = lines ? lines->child : NULL; o && k < n && !rc; o = o->next, k++)
                        rc = dec_field(get(o, "invoiced"), L2C__QTY_SCALE, &r->der[k], 0);
                } else {
                    memcpy(r->der, der, (n < 8 ? n : 8) * sizeof *der);
                }
            }
        }
    }
    if (rc) {
        l2c__rec_unref(r);
        return rc == -2 ? l2c__err(e, L2C_ENOMEM, NULL, "out of memory")
                        : l2c__err(e, L2C_EIO, NULL, "a stored %s record is malformed", m->name);
    }
    *out = r;
    return 0;
}

static l2c__actor_snap *decode_actor(const cJSON *a, int *oom)
{
    *oom = 0;
    if (!cJSON_IsObject(a))
        return NULL;
    const cJSON *id = get(a, "id"), *roles = get(a, "roles");
    l2c_actor *act;
    if (l2c_actor_new(&act, cJSON_IsString(id) ? id->valuestring : NULL)) {
        *oom = 1;
        return NULL;
    }
    for (const cJSON *r = cJSON_IsArray(roles) ? roles->child : NULL; r; r = r->next)
        if (cJSON_IsString(r) && l2c_actor_add_role(act, r->valuestring))
            *oom = 1;
    l2c__actor_snap *s = *oom ? NULL : l2c__actor_snapshot(act);
    if (!*oom && !s)
        *oom = 1;
    l2c__actor_snap_ref(s);
    l2c_actor_free(act);
    return s;
}

int l2c__replay_event_json(l2c_engine *e, uint64_t seq, const char *json)
{
    cJSON *j = cJSON_Parse(json);
    if (!j)
        return l2c__err(e, L2C_EIO, NULL, "stored event %llu is not JSON", (unsigned long long)seq);
    int rc = L2C_EIO;
    const cJSON *type = get(j, "type"), *subject = get(j, "subject"), *data = get(j, "data"),
                *time = get(j, "time");
    const cJSON *rec = get(data, "record"), *from = get(data, "from"), *cause = get(data, "cause");
    char tname[64], ename[96];
    int64_t t = 0;
    if (!cJSON_IsString(type) || !cJSON_IsString(subject) || !cJSON_IsObject(rec) ||
        !cJSON_IsString(time) || l2c__time_parse(&t, time->valuestring) ||
        strncmp(type->valuestring, "l2c.", 4) != 0 || strlen(type->valuestring) >= 150)
        goto bad;
    const char *dot = strchr(type->valuestring + 4, '.');
    if (!dot || (size_t)(dot - type->valuestring - 4) >= sizeof tname)
        goto bad;
    memcpy(tname, type->valuestring + 4, (size_t)(dot - type->valuestring - 4));
    tname[dot - type->valuestring - 4] = '\0';
    snprintf(ename, sizeof ename, "%s", dot + 1);
    int ty = l2c__type_find(tname);
    if (ty < 0)
        goto bad;
    int ev = l2c__process_event(e->proc[ty], ename);
    if (ev < 0) {
        rc = l2c__err(e, L2C_EINVAL, "field.invalid",
                      "stored event %s is not an event of the loaded %s process", ename, tname);
        goto out;
    }
    int fs = L2C__NO_STATE;
    if (cJSON_IsString(from) && (fs = l2c__process_state(e->proc[ty], from->valuestring)) < 0) {
        rc = l2c__err(e, L2C_EINVAL, "field.invalid", "stored state '%s' is not in the loaded process",
                      from->valuestring);
        goto out;
    }
    int64_t c = 0;
    if (cJSON_IsString(cause) && l2c__dec_parse(&c, cause->valuestring, 0))
        goto bad;
    l2c__rec *r = NULL;
    if ((rc = decode_record(e, ty, rec, &r)))
        goto out;
    int oom;
    l2c__actor_snap *actor = decode_actor(get(data, "actor"), &oom);
    if (oom) {
        l2c__rec_unref(r);
        rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        goto out;
    }
    l2c__slot *s = l2c__find(e, ty, subject->valuestring);
    l2c__rec *prev = s ? s->cur : NULL;
    if (prev)
        prev->refs++;
    rc = l2c__replay_install(e, r, subject->valuestring, ev, fs, actor, t, (uint64_t)c);
    if (rc) {
        l2c__actor_snap_unref(actor);
        l2c__rec_unref(r);
        l2c__rec_unref(prev);
        goto out;
    }
    /* r's first reference is now the slot's; the event took a second */
    rc = l2c__relink(e, r->slot, prev);
    l2c__rec_unref(prev);
    goto out;
bad:
    rc = l2c__err(e, L2C_EIO, NULL, "stored event %llu is malformed", (unsigned long long)seq);
out:
    cJSON_Delete(j);
    return rc;
}
