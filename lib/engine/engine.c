/* The engine: creation, registry lookups, clock, errors. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"
#include "model/model.h"

int l2c__type_find(const char *name)
{
    if (!name)
        return -1;
    for (int t = 0; t < L2C__NTYPES; t++)
        if (strcmp(l2c__models[t]->name, name) == 0)
            return t;
    return -1;
}

const char *l2c__type_name(int type) { return l2c__models[type]->name; }

/* The number of an id in generated form PREFIX-digits, or 0. */
static size_t id_number(int type, const char *id, size_t *len)
{
    const char *p = l2c__models[type]->prefix;
    const char *q = id;
    while (*p && *p == *q)
        p++, q++;
    if (*p || *q != '-')
        return 0;
    size_t n = 0;
    const char *d = ++q;
    while (*q >= '0' && *q <= '9' && q - d < 12)
        n = n * 10 + (size_t)(*q++ - '0');
    if (*q || q == d)
        return 0;
    *len = (size_t)(q - id);
    return n;
}

l2c__slot *l2c__find(const l2c_engine *e, int type, const char *id)
{
    size_t len = 0, n = id_number(type, id, &len);
    if (n) {
        l2c__slot *s = n < e->capnum[type] ? e->by_num[type][n] : NULL;
        if (s && s->id->len == len && memcmp(s->id->s, id, len) == 0)
            return s;
        /* every generated-form id is indexed: a miss is an answer */
        if (!s && !e->num_partial[type])
            return NULL;
    }
    l2c__slot *s = NULL;
    HASH_FIND(hh, e->by_id[type], id, len ? len : strlen(id), s);
    return s;
}

int l2c__num_add(l2c_engine *e, l2c__slot *s)
{
    int t = s->type;
    size_t len, n = id_number(t, s->id->s, &len);
    if (!n)
        return 0;
    /* only dense numbers: a far-away given id stays in the hash alone */
    if (n > 2 * e->nlist[t] + 1024) {
        e->num_partial[t] = 1;
        return 0;
    }
    if (n >= e->capnum[t]) {
        size_t cap = e->capnum[t] ? e->capnum[t] : 1024;
        while (cap <= n)
            cap *= 2;
        l2c__slot **v = l2c__realloc(e->by_num[t], cap * sizeof *v);
        if (!v)
            return L2C_ENOMEM;
        memset(v + e->capnum[t], 0, (cap - e->capnum[t]) * sizeof *v);
        e->by_num[t] = v;
        e->capnum[t] = cap;
    }
    if (!e->by_num[t][n])
        e->by_num[t][n] = s;
    else
        e->num_partial[t] = 1; /* "L-0042" beside "L-000042" */
    return 0;
}

void l2c__num_del(l2c_engine *e, l2c__slot *s)
{
    size_t len, n = id_number(s->type, s->id->s, &len);
    if (n && n < e->capnum[s->type] && e->by_num[s->type][n] == s)
        e->by_num[s->type][n] = NULL;
}

int l2c__err(l2c_engine *e, int code, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    l2c__vseterr(&e->err, code, rule, fmt, ap);
    va_end(ap);
    return code;
}

int l2c__check_id(l2c_engine *e, const char *what, const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 128)
        return l2c__err(e, L2C_EINVAL, "field.invalid",
                        "%s must be 1 to 128 characters", what);
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '/' || *p == '+' || *p == '#')
            return l2c__err(e, L2C_EINVAL, "field.invalid",
                            "%s must not contain whitespace, control characters, '/', '+' or '#'",
                            what);
    return 0;
}

static int64_t system_clock(void *user)
{
    (void)user;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int64_t l2c__clock(const l2c_engine *e)
{
    if (e->clock_fixed)
        return e->clock_at;
    return e->clock(e->clock_user);
}

int64_t l2c_clock_now(const l2c_engine *e) { return l2c__clock(e); }

int l2c_clock_set(l2c_engine *e, int64_t t)
{
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "the clock cannot be set from inside a hook");
    e->clock_fixed = 1;
    e->clock_at = t;
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

int l2c_clock_reset(l2c_engine *e)
{
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "the clock cannot be set from inside a hook");
    e->clock_fixed = 0;
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

/* Errors of engine creation, which has no engine to keep them in. */
static _Thread_local l2c__error open_err;

int l2c__open_failed(l2c_engine *e, int code)
{
    if (e && e->err.code == code)
        open_err = e->err;
    else
        l2c__seterr(&open_err, code, NULL, NULL);
    return code;
}

int l2c_last_error_code(const l2c_engine *e) { return e ? e->err.code : open_err.code; }
const char *l2c_last_error_rule(const l2c_engine *e) { return e ? e->err.rule : open_err.rule; }
const char *l2c_last_error_message(const l2c_engine *e)
{
    return e ? e->err.message : open_err.message;
}

int l2c_engine_new(l2c_engine **out, const l2c_engine_options *opts)
{
    if (!out)
        return L2C_EINVAL;
    open_err.code = 0;
    if (opts && opts->version != L2C_ENGINE_OPTIONS_VERSION) {
        l2c__seterr(&open_err, L2C_EINVAL, "field.invalid", "unknown l2c_engine_options version %u",
                    (unsigned)opts->version);
        return L2C_EINVAL;
    }
    int64_t threshold = 2000;
    if (opts && opts->approval_threshold) {
        int64_t v;
        if (l2c__dec_parse(&v, opts->approval_threshold, L2C__PCT_SCALE) || v < 0 || v > 10000) {
            l2c__seterr(&open_err, L2C_EINVAL, "field.invalid",
                        "approval_threshold must be a percentage between 0 and 100");
            return L2C_EINVAL;
        }
        threshold = v;
    }
    if (opts && opts->nprocesses && !opts->processes) {
        l2c__seterr(&open_err, L2C_EINVAL, "field.invalid", "nprocesses without processes");
        return L2C_EINVAL;
    }
    l2c_engine *e = l2c__calloc(1, sizeof *e);
    if (!e)
        return l2c__open_failed(NULL, L2C_ENOMEM);
    e->approval_threshold = threshold;
    e->clock = opts && opts->clock ? opts->clock : system_clock;
    e->clock_user = opts ? opts->clock_user : NULL;
    e->name = l2c__strdup(opts && opts->name ? opts->name : "/l2c");
    if (!e->name)
        goto oom;
    e->next_hook_id = 1;
    for (uint32_t t = 0; t < L2C__NTYPES; t++) {
        int rc = l2c__process_compile(&e->proc[t], &l2c__builtin_defs[t], l2c__guard_find,
                                      l2c__chooser_find, &e->err);
        if (rc) {
            l2c__open_failed(e, rc);
            l2c_engine_free(e);
            return rc;
        }
    }
    for (uint32_t i = 0; opts && i < opts->nprocesses; i++) {
        int rc = l2c_engine_load_process(e, opts->processes[i]);
        if (rc) {
            l2c__open_failed(e, rc);
            l2c_engine_free(e);
            return rc;
        }
    }
    *out = e;
    return 0;
oom:
    l2c_engine_free(e);
    return l2c__open_failed(NULL, L2C_ENOMEM);
}

void l2c_engine_free(l2c_engine *e)
{
    if (!e)
        return;
    if (e->tx.open)
        l2c__tx_rollback(e);
    if (e->store_ops)
        e->store_ops->close(e);
    for (size_t i = 0; i < e->nconsumers; i++)
        l2c__xfree(e->consumers[i].name);
    l2c__xfree(e->consumers);
    l2c__hooks_free(e);
    for (uint64_t s = 1; s <= e->nevents; s++) {
        struct l2c_event *ev = l2c__event_at(e, s);
        l2c__rec_unref(ev->rec);
        l2c__actor_snap_unref(ev->actor);
    }
    for (size_t i = 0; i < e->nchunks; i++)
        l2c__xfree(e->chunks[i]);
    l2c__xfree(e->chunks);
    for (int t = 0; t < L2C__NTYPES; t++) {
        l2c__slot *s, *tmp;
        HASH_ITER(hh, e->by_id[t], s, tmp)
        {
            HASH_DEL(e->by_id[t], s);
            l2c__rec_unref(s->cur);
            l2c__rec_unref(s->pend);
            l2c__str_unref(s->id);
            l2c__xfree(s->kids);
            l2c__xfree(s);
        }
        l2c__xfree(e->list[t]);
        l2c__xfree(e->by_num[t]);
        l2c__process_free(e->proc[t]);
    }
    l2c__xfree(e->tx.touched);
    l2c__xfree(e->tx.kid_undo);
    l2c__xfree(e->name);
    l2c__xfree(e);
}

/* Move a version's state to its index in the new definition, once: a
 * version may be reached twice (from its event and from its slot), so the
 * moved ones are marked with the top bit until every one is done. */
#define REMAPPED 0x8000u

static void remap_rec(l2c__rec *r, const int *map)
{
    if (r && !(r->state & REMAPPED))
        r->state = (uint16_t)((unsigned)map[r->state] | REMAPPED);
}

static void unmark_rec(l2c__rec *r)
{
    if (r)
        r->state = (uint16_t)(r->state & ~REMAPPED);
}

int l2c__process_swap(l2c_engine *e, int t, l2c__process *np)
{
    const l2c__process *op = e->proc[t];
    if (e->tx.open)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "a process cannot change while a command runs");
    for (uint32_t i = 0; i < op->nevents; i++)
        if (i >= np->nevents || strcmp(op->events[i], np->events[i]) != 0)
            return l2c__err(e, L2C_EINVAL, "field.invalid", "%s: event '%s' lost its place",
                            op->type, op->events[i]);
    int map[L2C__MAX_STATES];
    int identity = op->nstates <= np->nstates;
    for (uint32_t s = 0; s < op->nstates; s++) {
        map[s] = l2c__process_state(np, op->states[s]);
        identity &= map[s] == (int)s;
    }
    /* every state in use must survive: records now, then the history */
    for (size_t i = 0; i < e->nlist[t]; i++) {
        const l2c__rec *r = l2c__slot_rec(e->list[t][i]);
        if (r && map[r->state] < 0)
            return l2c__err(e, L2C_EINVAL, "field.invalid",
                            "%s: state '%s' cannot be removed: %s %s is in it", op->type,
                            op->states[r->state], op->type, e->list[t][i]->id->s);
    }
    for (uint64_t q = 1; q <= e->nevents; q++) {
        const struct l2c_event *ev = l2c__event_at(e, q);
        if (ev->rec->type != t)
            continue;
        int bad = map[ev->rec->state] < 0 ? ev->rec->state
                  : ev->from != L2C__NO_STATE && map[ev->from] < 0 ? ev->from
                                                                   : -1;
        if (bad >= 0)
            return l2c__err(e, L2C_EINVAL, "field.invalid",
                            "%s: state '%s' cannot be removed: event %llu (%s %s) names it",
                            op->type, op->states[bad], (unsigned long long)q, op->type,
                            ev->rec->slot->id->s);
    }
    if (!identity) {
        for (uint64_t q = 1; q <= e->nevents; q++) {
            struct l2c_event *ev = l2c__event_at(e, q);
            if (ev->rec->type != t)
                continue;
            remap_rec(ev->rec, map);
            if (ev->from != L2C__NO_STATE)
                ev->from = (uint16_t)map[ev->from];
        }
        for (size_t i = 0; i < e->nlist[t]; i++)
            remap_rec(e->list[t][i]->cur, map);
        for (uint64_t q = 1; q <= e->nevents; q++) {
            struct l2c_event *ev = l2c__event_at(e, q);
            if (ev->rec->type == t)
                unmark_rec(ev->rec);
        }
        for (size_t i = 0; i < e->nlist[t]; i++)
            unmark_rec(e->list[t][i]->cur);
    }
    np->retired = e->proc[t];
    e->proc[t] = np;
    return 0;
}
