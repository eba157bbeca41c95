/* Reports (DESIGN §9): {"op":"report","name":N,...}. Exact integer
 * arithmetic throughout: amounts are summed in 128 bits per currency and
 * never across currencies; rates (4 decimals) and day figures (1 decimal)
 * are one rounded division, half away from zero, null when the
 * denominator is 0. Formulas and worked examples: docs/reports.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec/codec.h"

#define bad(e, rule, ...) l2c__err((e), L2C_EINVAL, (rule), __VA_ARGS__)

typedef l2c__i128 i128;
__extension__ typedef unsigned __int128 u128;

#define DAY 86400

/* A report being written: the engine, its answer, one failure flag. */
typedef struct rep {
    l2c_engine *e;
    cJSON *res;
    int32_t as_of;
    int ok;
} rep;

/* ---- output helpers: each is a no-op once r->ok is cleared ---- */

static cJSON *put(rep *r, cJSON *parent, const char *key, cJSON *item)
{
    int done = r->ok && parent && item &&
               (key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item));
    if (!done) {
        cJSON_Delete(item);
        r->ok = 0;
        return NULL;
    }
    return item;
}

static cJSON *object(rep *r, cJSON *parent, const char *key)
{
    return put(r, parent, key, r->ok ? cJSON_CreateObject() : NULL);
}

static cJSON *array(rep *r, cJSON *parent, const char *key)
{
    return put(r, parent, key, r->ok ? cJSON_CreateArray() : NULL);
}

static void str(rep *r, cJSON *parent, const char *key, const char *s)
{
    put(r, parent, key, r->ok ? (s ? cJSON_CreateString(s) : cJSON_CreateNull()) : NULL);
}

static void count(rep *r, cJSON *parent, const char *key, uint64_t n)
{
    put(r, parent, key, r->ok ? cJSON_CreateNumber((double)n) : NULL);
}

/* `v` scaled by 10^scale, with exactly `scale` decimals. */
static void fmt_fixed(char *buf, i128 v, int scale)
{
    char tmp[64];
    int n = 0;
    u128 u = v < 0 ? -(u128)v : (u128)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u || n <= scale);
    char *p = buf;
    if (v < 0)
        *p++ = '-';
    for (int i = n - 1; i >= 0; i--) {
        *p++ = tmp[i];
        if (i == scale && scale > 0)
            *p++ = '.';
    }
    *p = '\0';
}

static void amount(rep *r, cJSON *parent, const char *key, i128 v, int cur)
{
    char buf[64];
    fmt_fixed(buf, v, l2c__currency_exp(cur));
    str(r, parent, key, buf);
}

/* num ÷ den with 4 decimals; null when den is 0. */
static void rate(rep *r, cJSON *parent, const char *key, i128 num, i128 den)
{
    char buf[64];
    if (den == 0) {
        str(r, parent, key, NULL);
        return;
    }
    fmt_fixed(buf, l2c__div_round(num * 10000, den), 4);
    str(r, parent, key, buf);
}

/* num ÷ den days with 1 decimal (num in days × den units); null when den is 0. */
static void days(rep *r, cJSON *parent, const char *key, i128 num, i128 den)
{
    char buf[64];
    if (den == 0) {
        str(r, parent, key, NULL);
        return;
    }
    fmt_fixed(buf, l2c__div_round(num * 10, den), 1);
    str(r, parent, key, buf);
}

static void date(rep *r, cJSON *parent, const char *key, int32_t d)
{
    char buf[16];
    l2c__date_format(buf, d);
    str(r, parent, key, buf);
}

/* ---- amounts per currency ---- */

#define NSUMS 6

typedef struct cursum {
    int cur;
    uint64_t n;
    i128 v[NSUMS];
} cursum;

typedef struct cursums {
    cursum *s;
    size_t n, cap;
} cursums;

/* The sums of currency `cur` (created at 0), or NULL on OOM. */
static cursum *sums_of(rep *r, cursums *cs, int cur)
{
    for (size_t i = 0; i < cs->n; i++)
        if (cs->s[i].cur == cur)
            return &cs->s[i];
    if (l2c__grow((void **)&cs->s, &cs->cap, cs->n + 1, sizeof *cs->s)) {
        r->ok = 0;
        return NULL;
    }
    cursum *s = &cs->s[cs->n++];
    memset(s, 0, sizeof *s);
    s->cur = cur;
    return s;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(l2c__currency_code(((const cursum *)a)->cur),
                  l2c__currency_code(((const cursum *)b)->cur));
}

static void sums_sort(cursums *cs)
{
    if (cs->n > 1)
        qsort(cs->s, cs->n, sizeof *cs->s, by_code);
}

/* ---- record access ---- */

static const l2c__rec *rec_at(const l2c_engine *e, int t, size_t i)
{
    return l2c__slot_rec(e->list[t][i]);
}

static int field(int t, const char *name) { return l2c__field_index(l2c__models[t], name); }

static int state(const l2c_engine *e, int t, const char *name)
{
    return l2c__process_state(e->proc[t], name);
}

/* ---- funnel ---- */

static void state_counts(rep *r, const char *key, int t)
{
    const l2c__process *p = r->e->proc[t];
    uint64_t n[L2C__MAX_STATES] = {0};
    for (size_t i = 0; i < r->e->nlist[t]; i++)
        n[rec_at(r->e, t, i)->state]++;
    cJSON *o = object(r, r->res, key);
    for (uint32_t s = 0; s < p->nstates; s++)
        count(r, o, p->states[s], n[s]);
}

static int funnel(rep *r)
{
    l2c_engine *e = r->e;
    const l2c__process *op = e->proc[L2C__T_OPPORTUNITY];
    state_counts(r, "leads", L2C__T_LEAD);
    state_counts(r, "opportunities", L2C__T_OPPORTUNITY);
    /* stages: the open set in process order, then won */
    int stage_of[L2C__MAX_STATES], stages[L2C__MAX_STATES + 1];
    uint32_t ns = 0;
    int won = state(e, L2C__T_OPPORTUNITY, "won");
    for (uint32_t s = 0; s < op->nstates; s++) {
        stage_of[s] = -1;
        if (l2c__process_open(op, s) || (int)s == won)
            stage_of[s] = (int)ns, stages[ns++] = (int)s;
    }
    if (won >= 0) { /* won last, whatever its place among the states */
        for (uint32_t k = (uint32_t)stage_of[won]; k + 1 < ns; k++) {
            stages[k] = stages[k + 1];
            stage_of[stages[k]] = (int)k;
        }
        stages[ns - 1] = won;
        stage_of[won] = (int)ns - 1;
    }
    size_t nopp = e->nlist[L2C__T_OPPORTUNITY];
    /* first and last sequence at which each opportunity was in each stage */
    uint64_t *first = NULL, *last = NULL;
    if (nopp && ns) {
        first = l2c__calloc(nopp * ns, sizeof *first);
        last = l2c__calloc(nopp * ns, sizeof *last);
        if (!first || !last) {
            l2c__xfree(first);
            l2c__xfree(last);
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        }
    }
    for (uint64_t q = 1; first && q <= e->nevents; q++) {
        const struct l2c_event *ev = l2c__event_at(e, q);
        if (ev->rec->type != L2C__T_OPPORTUNITY || ev->rec->slot->order >= nopp)
            continue;
        int k = stage_of[ev->rec->state];
        if (k < 0)
            continue;
        size_t at = (size_t)ev->rec->slot->order * ns + (size_t)k;
        if (!first[at])
            first[at] = q;
        last[at] = q;
    }
    cJSON *conv = array(r, r->res, "conversion");
    for (uint32_t k = 0; k + 1 < ns; k++) {
        uint64_t reached = 0, converted = 0;
        for (size_t i = 0; i < nopp; i++) {
            uint64_t f = first[i * ns + k];
            reached += f != 0;
            converted += f != 0 && last[i * ns + k + 1] > f;
        }
        cJSON *o = object(r, conv, NULL);
        str(r, o, "from", op->states[stages[k]]);
        str(r, o, "to", op->states[stages[k + 1]]);
        count(r, o, "reached", reached);
        count(r, o, "converted", converted);
        rate(r, o, "rate", converted, reached);
    }
    l2c__xfree(first);
    l2c__xfree(last);
    /* converted leads whose opportunity is won, over all leads */
    size_t nlead = e->nlist[L2C__T_LEAD];
    int conv_st = state(e, L2C__T_LEAD, "converted"), fo = field(L2C__T_LEAD, "opportunity");
    uint64_t lw = 0;
    for (size_t i = 0; i < nlead; i++) {
        const l2c__rec *l = rec_at(e, L2C__T_LEAD, i);
        if (l->state != conv_st)
            continue;
        l2c__slot *o = l2c__ref_slot(e, l, fo, L2C__T_OPPORTUNITY);
        lw += o && (int)l2c__slot_rec(o)->state == won;
    }
    rate(r, r->res, "lead_to_won", lw, (i128)nlead);
    return 0;
}

/* ---- win_rate ---- */

static int win_rate(rep *r)
{
    l2c_engine *e = r->e;
    int won = state(e, L2C__T_OPPORTUNITY, "won"), lost = state(e, L2C__T_OPPORTUNITY, "lost");
    uint64_t nw = 0, nl = 0;
    cursums cs = {0};
    for (size_t i = 0; i < e->nlist[L2C__T_OPPORTUNITY]; i++) {
        const l2c__rec *o = rec_at(e, L2C__T_OPPORTUNITY, i);
        int w = (int)o->state == won, l = (int)o->state == lost;
        if (!w && !l)
            continue;
        nw += w;
        nl += l;
        cursum *s = sums_of(r, &cs, l2c__rec_currency(e, o));
        int64_t a = o->f[L2C__OPP_AMOUNT].i;
        if (s && a != L2C__NULL_INT)
            s->v[w ? 0 : 1] += a;
    }
    sums_sort(&cs);
    cJSON *c = object(r, r->res, "count");
    count(r, c, "won", nw);
    count(r, c, "lost", nl);
    rate(r, c, "rate", nw, (i128)(nw + nl));
    cJSON *v = object(r, r->res, "value");
    for (size_t i = 0; i < cs.n; i++) {
        cJSON *o = object(r, v, l2c__currency_code(cs.s[i].cur));
        amount(r, o, "won", cs.s[i].v[0], cs.s[i].cur);
        amount(r, o, "lost", cs.s[i].v[1], cs.s[i].cur);
        rate(r, o, "rate", cs.s[i].v[0], cs.s[i].v[0] + cs.s[i].v[1]);
    }
    l2c__xfree(cs.s);
    int acc = state(e, L2C__T_QUOTE, "accepted"), dec = state(e, L2C__T_QUOTE, "declined"),
        exp = state(e, L2C__T_QUOTE, "expired");
    uint64_t na = 0, nd = 0;
    for (size_t i = 0; i < e->nlist[L2C__T_QUOTE]; i++) {
        int s = rec_at(e, L2C__T_QUOTE, i)->state;
        na += s == acc;
        nd += s == acc || s == dec || s == exp;
    }
    cJSON *q = object(r, r->res, "quotes");
    count(r, q, "accepted", na);
    count(r, q, "decided", nd);
    rate(r, q, "rate", na, nd);
    return 0;
}

/* ---- cycle_time ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cycle_time(rep *r)
{
    l2c_engine *e = r->e;
    int won = state(e, L2C__T_OPPORTUNITY, "won");
    size_t nopp = e->nlist[L2C__T_OPPORTUNITY], n = 0;
    /* seconds from creation to the event that won it, per opportunity */
    int64_t *secs = nopp ? l2c__malloc(nopp * sizeof *secs) : NULL;
    uint8_t *has = nopp ? l2c__calloc(nopp, 1) : NULL;
    if (nopp && (!secs || !has)) {
        l2c__xfree(secs);
        l2c__xfree(has);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    for (uint64_t q = 1; nopp && q <= e->nevents; q++) {
        const struct l2c_event *ev = l2c__event_at(e, q);
        const l2c__rec *o = ev->rec;
        if (o->type != L2C__T_OPPORTUNITY || (int)o->state != won || ev->from == o->state ||
            o->slot->order >= nopp)
            continue;
        secs[o->slot->order] = ev->time - o->created_at;
        has[o->slot->order] = 1;
    }
    for (size_t i = 0; i < nopp; i++)
        if (has[i] && (int)rec_at(e, L2C__T_OPPORTUNITY, i)->state == won)
            secs[n++] = secs[i];
    if (n > 1)
        qsort(secs, n, sizeof *secs, cmp_i64);
    i128 sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += secs[i];
    count(r, r->res, "count", n);
    if (n == 0) {
        days(r, r->res, "median_days", 0, 0);
    } else if (n % 2) {
        days(r, r->res, "median_days", secs[n / 2], DAY);
    } else { /* the mean of the two middle values */
        days(r, r->res, "median_days", (i128)secs[n / 2 - 1] + secs[n / 2], 2 * DAY);
    }
    days(r, r->res, "mean_days", sum, (i128)n * DAY);
    l2c__xfree(secs);
    l2c__xfree(has);
    return 0;
}

/* ---- aging ---- */

static const char *const buckets[] = {"current", "1_30", "31_60", "61_90", "over_90"};

typedef struct aged {
    const l2c__slot *acc;
    int cur;
    int bucket;
    int64_t balance;
} aged;

static int by_account(const void *a, const void *b)
{
    const aged *x = a, *y = b;
    uint32_t ox = x->acc ? x->acc->order : UINT32_MAX, oy = y->acc ? y->acc->order : UINT32_MAX;
    if (ox != oy)
        return ox < oy ? -1 : 1;
    return strcmp(l2c__currency_code(x->cur), l2c__currency_code(y->cur));
}

static int bucket_of(int64_t past_due)
{
    return past_due <= 0 ? 0 : past_due <= 30 ? 1 : past_due <= 60 ? 2 : past_due <= 90 ? 3 : 4;
}

static void bucket_amounts(rep *r, cJSON *o, const i128 *v, int cur)
{
    i128 total = 0;
    for (int b = 0; b < 5; b++) {
        amount(r, o, buckets[b], v[b], cur);
        total += v[b];
    }
    amount(r, o, "total", total, cur);
}

static int aging(rep *r)
{
    l2c_engine *e = r->e;
    const l2c__process *ip = e->proc[L2C__T_INVOICE];
    size_t ninv = e->nlist[L2C__T_INVOICE], n = 0;
    int fdue = field(L2C__T_INVOICE, "due_date"), facc = field(L2C__T_INVOICE, "account");
    aged *v = ninv ? l2c__malloc(ninv * sizeof *v) : NULL;
    if (ninv && !v)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < ninv; i++) {
        const l2c__rec *inv = rec_at(e, L2C__T_INVOICE, i);
        if (!l2c__process_open(ip, inv->state))
            continue;
        int64_t bal = l2c__invoice_balance(e, inv);
        if (bal <= 0)
            continue;
        int64_t due = inv->f[fdue].i;
        v[n].acc = l2c__ref_slot(e, inv, facc, L2C__T_ACCOUNT);
        v[n].cur = l2c__rec_currency(e, inv);
        v[n].bucket = bucket_of(due == L2C__NULL_INT ? 0 : (int64_t)r->as_of - due);
        v[n].balance = bal;
        n++;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, by_account);
    cursums tot = {0};
    cJSON *rows = array(r, r->res, "rows");
    for (size_t i = 0; i < n;) {
        i128 sum[5] = {0};
        size_t j = i;
        for (; j < n && v[j].acc == v[i].acc && v[j].cur == v[i].cur; j++) {
            sum[v[j].bucket] += v[j].balance;
            cursum *t = sums_of(r, &tot, v[j].cur);
            if (t)
                t->v[v[j].bucket] += v[j].balance;
        }
        cJSON *row = object(r, rows, NULL);
        str(r, row, "account", v[i].acc ? v[i].acc->id->s : NULL);
        str(r, row, "name",
            v[i].acc ? l2c__str_c(l2c__slot_rec(v[i].acc)->f[L2C__ACC_NAME].s) : NULL);
        str(r, row, "currency", l2c__currency_code(v[i].cur));
        bucket_amounts(r, row, sum, v[i].cur);
        i = j;
    }
    sums_sort(&tot);
    cJSON *totals = object(r, r->res, "totals");
    for (size_t i = 0; i < tot.n; i++)
        bucket_amounts(r, object(r, totals, l2c__currency_code(tot.s[i].cur)), tot.s[i].v,
                       tot.s[i].cur);
    l2c__xfree(tot.s);
    l2c__xfree(v);
    return 0;
}

/* ---- dso ---- */

static int date_opt(rep *r, const cJSON *cmd, const char *key, int32_t *out, int *present)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cmd, key);
    *present = 0;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || l2c__date_parse(out, v->valuestring))
        return bad(r->e, "field.invalid", "%s must be a date (YYYY-MM-DD)", key);
    *present = 1;
    return 0;
}

static int dso(rep *r, const cJSON *cmd)
{
    l2c_engine *e = r->e;
    int32_t from = 0, to = r->as_of;
    int pf, pt, rc;
    if ((rc = date_opt(r, cmd, "from", &from, &pf)) || (rc = date_opt(r, cmd, "to", &to, &pt)))
        return rc;
    if (!pt)
        to = r->as_of;
    if (!pf)
        from = to - 29; /* the 30 days up to `to` */
    if (from > to)
        return bad(e, "field.invalid", "from must not be after to");
    int64_t ndays = (int64_t)to - from + 1;
    const l2c__process *ip = e->proc[L2C__T_INVOICE];
    int vd = state(e, L2C__T_INVOICE, "void"), fis = field(L2C__T_INVOICE, "issue_date");
    cursums cs = {0};
    for (size_t i = 0; i < e->nlist[L2C__T_INVOICE] && r->ok; i++) {
        const l2c__rec *inv = rec_at(e, L2C__T_INVOICE, i);
        int64_t issued = inv->f[fis].i;
        if (issued == L2C__NULL_INT)
            continue;
        int receivable = l2c__process_open(ip, inv->state) && issued <= to;
        int sale = (int)inv->state != vd && issued >= from && issued <= to;
        if (!receivable && !sale)
            continue;
        cursum *s = sums_of(r, &cs, l2c__rec_currency(e, inv));
        if (!s)
            break;
        if (receivable)
            s->v[0] += l2c__invoice_balance(e, inv);
        if (sale) {
            int64_t sub = 0, tax = 0, total = 0;
            l2c__lines_totals(inv->lines, &sub, &tax, &total);
            s->v[1] += total;
        }
    }
    sums_sort(&cs);
    date(r, r->res, "from", from);
    date(r, r->res, "to", to);
    count(r, r->res, "days", (uint64_t)ndays);
    cJSON *o = object(r, r->res, "currencies");
    for (size_t i = 0; i < cs.n; i++) {
        cJSON *c = object(r, o, l2c__currency_code(cs.s[i].cur));
        amount(r, c, "receivables", cs.s[i].v[0], cs.s[i].cur);
        amount(r, c, "credit_sales", cs.s[i].v[1], cs.s[i].cur);
        count(r, c, "days", (uint64_t)ndays);
        days(r, c, "dso", cs.s[i].v[0] * ndays, cs.s[i].v[1]);
    }
    l2c__xfree(cs.s);
    return 0;
}

/* ---- disputes ---- */

static const char *const reasons[] = {"pricing",       "quantity", "not_ordered",
                                      "not_delivered", "quality",  "other"};
#define NREASONS 6

static int disputes(rep *r)
{
    l2c_engine *e = r->e;
    int ds = state(e, L2C__T_INVOICE, "disputed"), fr = field(L2C__T_INVOICE, "reason");
    cursums by[NREASONS] = {{0}}, all = {0};
    uint64_t n = 0;
    for (size_t i = 0; i < e->nlist[L2C__T_INVOICE] && r->ok; i++) {
        const l2c__rec *inv = rec_at(e, L2C__T_INVOICE, i);
        if ((int)inv->state != ds)
            continue;
        const char *why = l2c__str_c(inv->f[fr].s);
        int k = NREASONS - 1; /* "other" also takes a reason outside the list */
        for (int j = 0; why && j < NREASONS; j++)
            if (strcmp(reasons[j], why) == 0)
                k = j;
        int cur = l2c__rec_currency(e, inv);
        int64_t bal = l2c__invoice_balance(e, inv);
        cursum *s = sums_of(r, &by[k], cur), *a = sums_of(r, &all, cur);
        if (!s || !a)
            break;
        s->n++;
        s->v[0] += bal;
        a->v[0] += bal;
        n++;
    }
    count(r, r->res, "count", n);
    sums_sort(&all);
    cJSON *val = object(r, r->res, "value");
    for (size_t i = 0; i < all.n; i++)
        amount(r, val, l2c__currency_code(all.s[i].cur), all.s[i].v[0], all.s[i].cur);
    cJSON *o = object(r, r->res, "reasons");
    for (int k = 0; k < NREASONS; k++) {
        cJSON *x = object(r, o, reasons[k]);
        uint64_t c = 0;
        sums_sort(&by[k]);
        for (size_t i = 0; i < by[k].n; i++)
            c += by[k].s[i].n;
        count(r, x, "count", c);
        cJSON *v = object(r, x, "value");
        for (size_t i = 0; i < by[k].n; i++)
            amount(r, v, l2c__currency_code(by[k].s[i].cur), by[k].s[i].v[0], by[k].s[i].cur);
        l2c__xfree(by[k].s);
    }
    l2c__xfree(all.s);
    return 0;
}

/* ---- account ---- */

static int account(rep *r, const cJSON *cmd)
{
    static const struct {
        int type;
        const char *key;
    } kinds[] = {{L2C__T_LEAD, "leads"},          {L2C__T_OPPORTUNITY, "opportunities"},
                 {L2C__T_QUOTE, "quotes"},        {L2C__T_ORDER, "orders"},
                 {L2C__T_INVOICE, "invoices"},    {L2C__T_PAYMENT, "payments"},
                 {L2C__T_CREDIT_NOTE, "credit_notes"}};
    l2c_engine *e = r->e;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(cmd, "id");
    if (!id || cJSON_IsNull(id) || (cJSON_IsString(id) && !id->valuestring[0]))
        return bad(e, "field.required", "id is required");
    if (!cJSON_IsString(id))
        return bad(e, "field.invalid", "id must be a string");
    l2c__slot *acc = l2c__find(e, L2C__T_ACCOUNT, id->valuestring);
    if (!acc || !l2c__slot_rec(acc))
        return l2c__err(e, L2C_ENOTFOUND, NULL, "account %s not found", id->valuestring);
    cJSON *rec = put(r, r->res, "account", l2c__json_record(e, l2c__slot_rec(acc), NULL));
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        int t = kinds[k].type;
        cJSON *ids = array(r, r->res, kinds[k].key);
        for (size_t i = 0; i < e->nlist[t] && r->ok; i++)
            if (l2c__account_of(e, rec_at(e, t, i)) == acc)
                str(r, ids, NULL, e->list[t][i]->id->s);
    }
    static const char *const bal[] = {"open_balance", "credit_balance"};
    for (int k = 0; k < 2 && rec; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, bal[k]);
        put(r, r->res, bal[k], v ? cJSON_Duplicate(v, 0) : NULL);
    }
    return 0;
}

/* ---- the op ---- */

int l2c__op_report(l2c_engine *e, const cJSON *cmd, cJSON *res)
{
    static const char *const names[] = {"funnel", "win_rate", "cycle_time", "aging",
                                        "dso",    "disputes", "account"};
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(cmd, "name");
    if (!name || cJSON_IsNull(name) || (cJSON_IsString(name) && !name->valuestring[0]))
        return bad(e, "field.required", "name is required");
    if (!cJSON_IsString(name))
        return bad(e, "field.invalid", "name must be a string");
    size_t k = 0, nn = sizeof names / sizeof *names;
    while (k < nn && strcmp(names[k], name->valuestring) != 0)
        k++;
    if (k == nn)
        return bad(e, "field.invalid",
                   "unknown report '%s' (funnel, win_rate, cycle_time, aging, dso, disputes, "
                   "account)",
                   name->valuestring);
    rep r = {e, res, l2c__time_day(l2c__clock(e)), 1};
    int present, rc = date_opt(&r, cmd, "as_of", &r.as_of, &present);
    if (rc)
        return rc;
    str(&r, res, "report", names[k]);
    date(&r, res, "as_of", r.as_of);
    switch (k) {
    case 0: rc = funnel(&r); break;
    case 1: rc = win_rate(&r); break;
    case 2: rc = cycle_time(&r); break;
    case 3: rc = aging(&r); break;
    case 4: rc = dso(&r, cmd); break;
    case 5: rc = disputes(&r); break;
    default: rc = account(&r, cmd); break;
    }
    if (!rc && !r.ok)
        rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    return rc;
}
