/* Transactions: every command runs inside one; commit makes its pending
 * versions current, rollback puts back exactly what was there (records,
 * versions, ids drawn, links, events). Nothing here allocates on commit. */
#include <stdio.h>
#include <string.h>

#include "engine/engine.h"
#include "model/model.h"

l2c__rec *l2c__rec_alloc(int type, uint32_t nfields)
{
    l2c__rec *r = l2c__calloc(1, sizeof *r + nfields * sizeof(l2c__val));
    if (r) {
        r->refs = 1;
        r->type = (uint16_t)type;
    }
    return r;
}

void l2c__lines_unref(l2c__lines *l)
{
    if (!l || --l->refs)
        return;
    for (uint32_t i = 0; i < l->n; i++) {
        l2c__str_unref(l->l[i].sku);
        l2c__str_unref(l->l[i].description);
    }
    l2c__xfree(l);
}

l2c__lines *l2c__lines_new(uint32_t n)
{
    l2c__lines *l = l2c__calloc(1, sizeof *l + n * sizeof(l2c__line));
    if (l) {
        l->refs = 1;
        l->n = n;
    }
    return l;
}

l2c__lines *l2c__lines_copy(const l2c__lines *src)
{
    l2c__lines *l = l2c__lines_new(src->n);
    if (!l)
        return NULL;
    memcpy(l->l, src->l, src->n * sizeof(l2c__line));
    for (uint32_t i = 0; i < l->n; i++) {
        l2c__str_ref(l->l[i].sku);
        l2c__str_ref(l->l[i].description);
    }
    return l;
}

void l2c__allocs_unref(l2c__allocs *a)
{
    if (a && --a->refs == 0)
        l2c__xfree(a);
}

void l2c__rec_unref(l2c__rec *r)
{
    if (!r || --r->refs)
        return;
    const l2c__model *m = l2c__models[r->type];
    for (uint32_t i = 0; i < m->nfields; i++)
        if (m->fields[i].kind == L2C__F_STR || m->fields[i].kind == L2C__F_REF)
            l2c__str_unref(r->f[i].s);
    l2c__lines_unref(r->lines);
    l2c__allocs_unref(r->allocs);
    l2c__xfree(r->der);
    l2c__xfree(r);
}

static l2c__rec *rec_copy(const l2c__rec *src)
{
    const l2c__model *m = l2c__models[src->type];
    size_t sz = sizeof *src + m->nfields * sizeof(l2c__val);
    l2c__rec *r = l2c__malloc(sz);
    if (!r)
        return NULL;
    memcpy(r, src, sz);
    r->refs = 1;
    r->der = NULL;
    r->nder = 0;
    for (uint32_t i = 0; i < m->nfields; i++)
        if (m->fields[i].kind == L2C__F_STR || m->fields[i].kind == L2C__F_REF)
            l2c__str_ref(r->f[i].s);
    if (r->lines)
        r->lines->refs++;
    if (r->allocs)
        r->allocs->refs++;
    return r;
}

static int touch(l2c_engine *e, l2c__slot *s)
{
    if (s->touched)
        return 0;
    l2c__tx *tx = &e->tx;
    if (l2c__grow((void **)&tx->touched, &tx->captouched, tx->ntouched + 1, sizeof *tx->touched))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    tx->touched[tx->ntouched++] = s;
    s->touched = 1;
    return 0;
}

l2c__rec *l2c__change(l2c_engine *e, l2c__slot *s)
{
    if (s->pend && s->pend->refs == 1)
        return s->pend; /* made in this command and not yet in an event */
    if (touch(e, s))
        return NULL;
    l2c__rec *r = rec_copy(l2c__slot_rec(s));
    if (!r) {
        l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    l2c__rec_unref(s->pend);
    s->pend = r;
    return r;
}

int l2c__tx_begin(l2c_engine *e)
{
    l2c__tx *tx = &e->tx;
    tx->open = 1;
    tx->ev_mark = e->nevents;
    tx->ntouched = 0;
    tx->nkid_undo = 0;
    memcpy(tx->counter, e->counter, sizeof tx->counter);
    memcpy(tx->nlist, e->nlist, sizeof tx->nlist);
    tx->clock_fixed = e->clock_fixed;
    tx->clock_at = e->clock_at;
    return 0;
}

void l2c__tx_commit(l2c_engine *e)
{
    l2c__tx *tx = &e->tx;
    for (size_t i = 0; i < tx->ntouched; i++) {
        l2c__slot *s = tx->touched[i];
        if (s->pend) {
            l2c__rec_unref(s->cur);
            s->cur = s->pend;
            s->pend = NULL;
        }
        s->touched = 0;
        s->is_new = 0;
    }
    tx->ntouched = 0;
    tx->nkid_undo = 0;
    e->committed = e->nevents;
    tx->open = 0;
}

static void slot_free(l2c__slot *s)
{
    l2c__rec_unref(s->cur);
    l2c__rec_unref(s->pend);
    l2c__str_unref(s->id);
    l2c__xfree(s->kids);
    l2c__xfree(s);
}

void l2c__tx_rollback(l2c_engine *e)
{
    l2c__tx *tx = &e->tx;
    /* events first: they hold references to pending versions */
    while (e->nevents > tx->ev_mark) {
        struct l2c_event *ev = l2c__event_at(e, e->nevents);
        l2c__rec_unref(ev->rec);
        l2c__actor_snap_unref(ev->actor);
        memset(ev, 0, sizeof *ev);
        e->nevents--;
    }
    while (tx->nkid_undo > 0)
        tx->kid_undo[--tx->nkid_undo].slot->nkids--;
    for (size_t i = tx->ntouched; i-- > 0;) {
        l2c__slot *s = tx->touched[i];
        l2c__rec_unref(s->pend);
        s->pend = NULL;
        s->touched = 0;
        if (s->is_new) {
            HASH_DEL(e->by_id[s->type], s);
            l2c__num_del(e, s);
            s->pend = NULL;
            slot_free(s);
        }
    }
    tx->ntouched = 0;
    memcpy(e->counter, tx->counter, sizeof tx->counter);
    memcpy(e->nlist, tx->nlist, sizeof tx->nlist);
    e->clock_fixed = tx->clock_fixed;
    e->clock_at = tx->clock_at;
    tx->open = 0;
}

int l2c__next_id(l2c_engine *e, int type, char *buf)
{
    const char *prefix = l2c__models[type]->prefix;
    for (;;) {
        if (e->counter[type] >= UINT64_MAX - 1)
            return l2c__err(e, L2C_EINVAL, "field.invalid", "no more ids for %s",
                            l2c__type_name(type));
        e->counter[type]++;
        snprintf(buf, 160, "%s-%06llu", prefix, (unsigned long long)e->counter[type]);
        if (!l2c__find(e, type, buf))
            return 0;
    }
}

/* A new slot registered under its id (hash, number index, creation list). */
static l2c__slot *slot_register(l2c_engine *e, int type, const char *id)
{
    if (l2c__grow((void **)&e->list[type], &e->caplist[type], e->nlist[type] + 1,
                  sizeof *e->list[type]))
        return NULL;
    l2c__slot *s = l2c__calloc(1, sizeof *s);
    if (!s || !(s->id = l2c__str_from(id))) {
        l2c__xfree(s);
        return NULL;
    }
    s->type = (uint16_t)type;
    l2c__hash_oom_clear();
    HASH_ADD_KEYPTR(hh, e->by_id[type], s->id->s, s->id->len, s);
    int failed = l2c__hash_oom();
    if (!failed && l2c__num_add(e, s)) {
        HASH_DEL(e->by_id[type], s);
        failed = 1;
    }
    if (failed) {
        l2c__str_unref(s->id);
        l2c__xfree(s);
        return NULL;
    }
    s->order = (uint32_t)e->nlist[type];
    e->list[type][e->nlist[type]++] = s;
    return s;
}

int l2c__slot_create(l2c__slot **out, l2c_engine *e, int type, const char *id, l2c__rec *rec)
{
    l2c__slot *s = NULL;
    if (l2c__grow((void **)&e->tx.touched, &e->tx.captouched, e->tx.ntouched + 1,
                  sizeof *e->tx.touched) ||
        !(s = slot_register(e, type, id)))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    s->is_new = 1;
    s->touched = 1;
    e->tx.touched[e->tx.ntouched++] = s;
    rec->slot = s;
    s->pend = rec;
    rec->refs++;
    *out = s;
    return 0;
}

int l2c__kid_add(l2c_engine *e, l2c__slot *parent, l2c__slot *kid)
{
    l2c__tx *tx = &e->tx;
    size_t cap = parent->capkids;
    if (l2c__grow((void **)&tx->kid_undo, &tx->capkid_undo, tx->nkid_undo + 1,
                  sizeof *tx->kid_undo) ||
        l2c__grow((void **)&parent->kids, &cap, parent->nkids + 1, sizeof *parent->kids))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    parent->capkids = (uint32_t)cap;
    tx->kid_undo[tx->nkid_undo++].slot = parent;
    parent->kids[parent->nkids++] = kid;
    return 0;
}

struct l2c_event *l2c__event_at(const l2c_engine *e, uint64_t seq)
{
    uint64_t i = seq - 1;
    return &e->chunks[i >> L2C__EV_CHUNK_BITS][i & (L2C__EV_CHUNK - 1)];
}

static int event_slot(l2c_engine *e, struct l2c_event **out)
{
    uint64_t i = e->nevents;
    size_t chunk = (size_t)(i >> L2C__EV_CHUNK_BITS);
    if (chunk >= e->nchunks) {
        if (l2c__grow((void **)&e->chunks, &e->capchunks, chunk + 1, sizeof *e->chunks))
            return L2C_ENOMEM;
        struct l2c_event *c = l2c__calloc(L2C__EV_CHUNK, sizeof *c);
        if (!c)
            return L2C_ENOMEM;
        e->chunks[e->nchunks++] = c;
    }
    *out = &e->chunks[chunk][i & (L2C__EV_CHUNK - 1)];
    return 0;
}

int l2c__emit(l2c_engine *e, l2c__slot *s, int ev, int to, const l2c_actor *actor,
              uint64_t cause)
{
    l2c__rec *r = s->pend;
    const l2c__model *m = l2c__models[s->type];
    struct l2c_event *evp;
    if (event_slot(e, &evp))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    l2c__actor_snap *snap = NULL;
    if (actor && !(snap = l2c__actor_snapshot((l2c_actor *)actor)))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    if (m->nder) {
        uint32_t n = m->nder(r);
        if (n) {
            int64_t *d = l2c__malloc(n * sizeof *d);
            if (!d)
                return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
            l2c__xfree(r->der);
            r->der = d;
            r->nder = n;
        }
    }
    uint16_t from = L2C__NO_STATE;
    if (ev == L2C__EV_CREATE) {
        r->version = 1;
        r->created_at = e->now;
    } else {
        from = r->state;
        r->version++;
    }
    r->state = (uint16_t)to;
    r->updated_at = e->now;
    if (r->der)
        m->derive(e, r, r->der);
    evp->seq = e->nevents + 1;
    evp->cause = cause ? cause : evp->seq;
    evp->time = e->now;
    evp->rec = r;
    evp->actor = l2c__actor_snap_ref(snap);
    evp->ev = (uint16_t)ev;
    evp->from = from;
    evp->engine = e;
    r->refs++;
    e->nevents++;
    return 0;
}

int l2c__replay_install(l2c_engine *e, l2c__rec *rec, const char *id, int ev, int from,
                        l2c__actor_snap *actor, int64_t time, uint64_t cause)
{
    int type = rec->type;
    l2c__slot *s = l2c__find(e, type, id);
    struct l2c_event *evp;
    if (event_slot(e, &evp))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    if (ev == L2C__EV_CREATE) {
        if (s)
            return l2c__err(e, L2C_EIO, NULL, "stored log creates %s %s twice", l2c__type_name(type), id);
        if (!(s = slot_register(e, type, id)))
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    } else if (!s) {
        return l2c__err(e, L2C_EIO, NULL, "stored log changes %s %s before creating it",
                        l2c__type_name(type), id);
    }
    l2c__rec_unref(s->cur);
    s->cur = rec;
    rec->slot = s;
    rec->refs++;
    evp->seq = e->nevents + 1;
    evp->cause = cause ? cause : evp->seq;
    evp->time = time;
    evp->rec = rec;
    evp->actor = actor;
    evp->ev = (uint16_t)ev;
    evp->from = (uint16_t)from;
    evp->engine = e;
    e->nevents++;
    e->committed = e->nevents;
    return 0;
}
