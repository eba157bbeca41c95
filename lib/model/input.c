/* Reading a command's data: strings, references, money, quantities,
 * percentages, dates. Every failure names the field and sets the rule. */
#include <stdio.h>
#include <string.h>

#include "model/model.h"

#define INVALID(c, ...) l2c__err((c)->e, L2C_EINVAL, "field.invalid", __VA_ARGS__)
#define REQUIRED(c, ...) l2c__err((c)->e, L2C_EINVAL, "field.required", __VA_ARGS__)

static int missing(const l2c_data *v)
{
    return !v || v->kind == L2C__D_NULL || (v->kind == L2C__D_STR && v->str[0] == '\0');
}

int l2c__in_str(l2c__cmd *c, const l2c_data *obj, const char *key, int required, l2c__str **out)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *out = NULL;
    if (missing(v))
        return required ? REQUIRED(c, "%s is required", key) : 0;
    if (v->kind != L2C__D_STR)
        return INVALID(c, "%s must be a string", key);
    if (!(*out = l2c__str_from(v->str)))
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    return 0;
}

int l2c__in_ref(l2c__cmd *c, const l2c_data *obj, const char *key, int type, int required,
                l2c__slot **out)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *out = NULL;
    if (missing(v))
        return required ? REQUIRED(c, "%s is required", key) : 0;
    if (v->kind != L2C__D_STR)
        return INVALID(c, "%s must be a record id (a string)", key);
    *out = l2c__find(c->e, type, v->str);
    if (!*out)
        return l2c__err(c->e, L2C_ENOTFOUND, NULL, "%s %s not found", l2c__type_name(type), v->str);
    return 0;
}

static int number_kind(l2c__cmd *c, const l2c_data *v, const char *path)
{
    if (v->kind == L2C__D_FRACTION)
        return INVALID(c, "%s must not be a JSON number with a fraction (use a decimal string)",
                       path);
    if (v->kind == L2C__D_HUGE)
        return INVALID(c, "%s is a JSON number past 2^53 (use a decimal string)", path);
    if (v->kind != L2C__D_STR && v->kind != L2C__D_INT)
        return INVALID(c, "%s must be a decimal string or an integer", path);
    return 0;
}

static int scaled(l2c__cmd *c, const l2c_data *v, const char *path, int scale, int64_t *out,
                  const char *overflow_rule)
{
    int rc = number_kind(c, v, path);
    if (rc)
        return rc;
    int d = v->kind == L2C__D_INT ? l2c__dec_from_int(out, v->i, scale)
                                  : l2c__dec_parse(out, v->str, scale);
    if (d == L2C__DEC_SYNTAX)
        return INVALID(c, "%s must be a plain decimal such as \"12.50\"", path);
    if (d == L2C__DEC_PRECISION)
        return INVALID(c, "%s has more than %d decimals", path, scale);
    if (d == L2C__DEC_RANGE)
        return l2c__err(c->e, L2C_EINVAL, overflow_rule, "%s is too large", path);
    return 0;
}

static int money_at(l2c__cmd *c, const l2c_data *v, const char *path, int cur, int positive,
                    int64_t *out)
{
    int exp = l2c__currency_exp(cur);
    int rc = scaled(c, v, path, exp < 0 ? 2 : exp, out, "amount.overflow");
    if (rc)
        return rc;
    if (*out < 0)
        return INVALID(c, "%s must not be negative", path);
    if (positive && *out == 0)
        return INVALID(c, "%s must be above 0", path);
    return 0;
}

int l2c__in_money(l2c__cmd *c, const l2c_data *obj, const char *key, int cur, int positive,
                  int nullable, int64_t *out, int *present)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *present = 0;
    if (!v)
        return 0;
    if (v->kind == L2C__D_NULL) {
        if (!nullable)
            return 0;
        *out = L2C__NULL_INT;
        *present = 1;
        return 0;
    }
    int rc = money_at(c, v, key, cur, positive, out);
    if (!rc)
        *present = 1;
    return rc;
}

int l2c__in_qty(l2c__cmd *c, const l2c_data *v, const char *path, int64_t *out)
{
    if (missing(v))
        return REQUIRED(c, "%s is required", path);
    int rc = scaled(c, v, path, L2C__QTY_SCALE, out, "field.invalid");
    if (rc)
        return rc;
    if (*out <= 0)
        return INVALID(c, "%s must be above 0", path);
    return 0;
}

int l2c__in_pct(l2c__cmd *c, const l2c_data *v, const char *path, int32_t *out)
{
    int64_t x;
    int rc = scaled(c, v, path, L2C__PCT_SCALE, &x, "field.invalid");
    if (rc)
        return rc;
    if (x < 0 || x > 10000)
        return INVALID(c, "%s must be between 0 and 100", path);
    *out = (int32_t)x;
    return 0;
}

int l2c__in_int(l2c__cmd *c, const l2c_data *obj, const char *key, int64_t min, int64_t max,
                int64_t *out, int *present)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *present = 0;
    if (!v || v->kind == L2C__D_NULL)
        return 0;
    int64_t x;
    int rc = scaled(c, v, key, 0, &x, "field.invalid");
    if (rc)
        return rc;
    if (x < min || x > max)
        return INVALID(c, "%s must be between %lld and %lld", key, (long long)min,
                       (long long)max);
    *out = x;
    *present = 1;
    return 0;
}

int l2c__in_date(l2c__cmd *c, const l2c_data *obj, const char *key, int nullable, int64_t *out,
                 int *present)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *present = 0;
    if (!v)
        return 0;
    if (v->kind == L2C__D_NULL) {
        if (!nullable)
            return INVALID(c, "%s must be a date (YYYY-MM-DD)", key);
        *out = L2C__NULL_INT;
        *present = 1;
        return 0;
    }
    int32_t d;
    if (v->kind != L2C__D_STR || l2c__date_parse(&d, v->str))
        return INVALID(c, "%s must be a date (YYYY-MM-DD)", key);
    *out = d;
    *present = 1;
    return 0;
}

int l2c__in_currency(l2c__cmd *c, const l2c_data *obj, const char *key, int *out, int *present)
{
    const l2c_data *v = l2c__data_get(obj, key);
    *present = 0;
    if (!v || v->kind == L2C__D_NULL)
        return 0;
    int cur = v->kind == L2C__D_STR ? l2c__currency_find(v->str) : -1;
    if (cur < 0)
        return INVALID(c, "%s must be an active ISO 4217 code such as \"EUR\"", key);
    *out = cur;
    *present = 1;
    return 0;
}

int l2c__in_reason(l2c__cmd *c)
{
    return l2c__in_str(c, c->data, "reason", 1, &c->reason);
}

int l2c__line_calc(const l2c__line *l, int64_t qty, int64_t *net, int64_t *tax)
{
    return l2c__line_amounts(net, tax, qty, l->unit_price, l->discount, l->tax_rate);
}

int l2c__lines_totals(const l2c__lines *ls, int64_t *sub, int64_t *tax, int64_t *total)
{
    int64_t s = 0, t = 0;
    for (uint32_t i = 0; ls && i < ls->n; i++) {
        int64_t n, x;
        if (l2c__line_calc(&ls->l[i], ls->l[i].qty, &n, &x) || l2c__add64(&s, s, n) ||
            l2c__add64(&t, t, x))
            return -1;
    }
    int64_t tot;
    if (l2c__add64(&tot, s, t))
        return -1;
    *sub = s;
    *tax = t;
    *total = tot;
    return 0;
}

int l2c__in_lines(l2c__cmd *c, const l2c_data *arr, int cur, int nonempty, l2c__lines **out)
{
    *out = NULL;
    if (!arr || arr->kind == L2C__D_NULL) {
        if (nonempty)
            return REQUIRED(c, "lines is required");
        arr = NULL;
    } else if (arr->kind != L2C__D_ARR) {
        return INVALID(c, "lines must be an array");
    }
    uint32_t n = arr ? arr->count : 0;
    if (n == 0 && nonempty)
        return REQUIRED(c, "lines must not be empty");
    l2c__lines *ls = l2c__lines_new(n);
    if (!ls)
        return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
    int rc = 0;
    uint32_t i = 0;
    char path[64];
    for (const l2c_data *d = arr ? arr->child : NULL; d; d = d->next, i++) {
        l2c__line *l = &ls->l[i];
        l->line = (int32_t)i + 1;
        if (d->kind != L2C__D_OBJ) {
            rc = INVALID(c, "lines.%u must be an object", i);
            break;
        }
        const l2c_data *v;
        if ((v = l2c__data_get(d, "sku")) && !missing(v)) {
            if (v->kind != L2C__D_STR) {
                rc = INVALID(c, "lines.%u.sku must be a string", i);
                break;
            }
            if (!(l->sku = l2c__str_from(v->str)))
                goto oom;
        }
        if ((v = l2c__data_get(d, "description")) && !missing(v)) {
            if (v->kind != L2C__D_STR) {
                rc = INVALID(c, "lines.%u.description must be a string", i);
                break;
            }
            if (!(l->description = l2c__str_from(v->str)))
                goto oom;
        }
        snprintf(path, sizeof path, "lines.%u.qty", i);
        if ((rc = l2c__in_qty(c, l2c__data_get(d, "qty"), path, &l->qty)))
            break;
        snprintf(path, sizeof path, "lines.%u.unit_price", i);
        v = l2c__data_get(d, "unit_price");
        if (missing(v)) {
            rc = REQUIRED(c, "%s is required", path);
            break;
        }
        if ((rc = money_at(c, v, path, cur, 0, &l->unit_price)))
            break;
        if ((v = l2c__data_get(d, "discount_pct")) && v->kind != L2C__D_NULL) {
            snprintf(path, sizeof path, "lines.%u.discount_pct", i);
            if ((rc = l2c__in_pct(c, v, path, &l->discount)))
                break;
        }
        if ((v = l2c__data_get(d, "tax_rate_pct")) && v->kind != L2C__D_NULL) {
            snprintf(path, sizeof path, "lines.%u.tax_rate_pct", i);
            if ((rc = l2c__in_pct(c, v, path, &l->tax_rate)))
                break;
        }
        int64_t net, tax;
        if (l2c__line_calc(l, l->qty, &net, &tax)) {
            rc = l2c__err(c->e, L2C_EINVAL, "amount.overflow", "lines.%u: amount too large", i);
            break;
        }
    }
    int64_t a, b, t;
    if (!rc && l2c__lines_totals(ls, &a, &b, &t))
        rc = l2c__err(c->e, L2C_EINVAL, "amount.overflow", "the total of the lines is too large");
    if (rc) {
        l2c__lines_unref(ls);
        return rc;
    }
    *out = ls;
    return 0;
oom:
    l2c__lines_unref(ls);
    return l2c__err(c->e, L2C_ENOMEM, NULL, "out of memory");
}

int l2c__update_fields(l2c__cmd *c, l2c__rec *r)
{
    const l2c__model *m = c->m;
    for (uint32_t i = 0; i < m->nfields; i++) {
        const l2c__field *f = &m->fields[i];
        if (!(f->flags & L2C__FF_UPDATE) || !l2c__data_get(c->data, f->name))
            continue;
        int rc = 0, present = 0;
        int64_t x = 0;
        switch (f->kind) {
        case L2C__F_STR: {
            l2c__str *s;
            if ((rc = l2c__in_str(c, c->data, f->name, f->flags & L2C__FF_REQUIRED, &s)))
                return rc;
            l2c__str_unref(r->f[i].s);
            r->f[i].s = s;
            break;
        }
        case L2C__F_MONEY:
            rc = l2c__in_money(c, c->data, f->name, l2c__rec_currency(c->e, r), 0,
                               1, &x, &present);
            if (rc)
                return rc;
            if (present)
                r->f[i].i = x;
            break;
        case L2C__F_DATE:
            if ((rc = l2c__in_date(c, c->data, f->name, 1, &x, &present)))
                return rc;
            if (present)
                r->f[i].i = x;
            break;
        case L2C__F_INT:
            if ((rc = l2c__in_int(c, c->data, f->name, 0, 36500, &x, &present)))
                return rc;
            if (present)
                r->f[i].i = x;
            break;
        default:
            break;
        }
    }
    return 0;
}
