/* Host guards, listeners, the topic bus with per-principal grants, topic
 * patterns (MQTT filters) and the public accessors of events. */
#include <string.h>

#include "engine/engine.h"
#include "model/model.h"

/* ---- topics ---- */

static const char *domain_of(int type) { return l2c__models[type]->domain; }

/* The six levels of an event's topic. */
static void topic_levels(const struct l2c_event *ev, const char *lv[6], size_t len[6])
{
    const l2c__rec *r = ev->rec;
    lv[0] = "l2c";
    lv[1] = "v1";
    lv[2] = domain_of(r->type);
    lv[3] = l2c__models[r->type]->name;
    lv[4] = ev->engine->proc[r->type]->events[ev->ev];
    lv[5] = r->slot->id->s;
    for (int i = 0; i < 6; i++)
        len[i] = i == 5 ? r->slot->id->len : strlen(lv[i]);
}

int l2c__topic_build(l2c__buf *b, const struct l2c_event *ev)
{
    const char *lv[6];
    size_t len[6];
    topic_levels(ev, lv, len);
    for (int i = 0; i < 6; i++) {
        if (i)
            l2c__buf_put(b, "/", 1);
        l2c__buf_put(b, lv[i], len[i]);
    }
    return b->oom ? L2C_ENOMEM : 0;
}

int l2c__pattern_valid(const char *p)
{
    if (!p || !*p)
        return 0;
    const char *lv = p;
    for (;;) {
        const char *end = strchr(lv, '/');
        size_t n = end ? (size_t)(end - lv) : strlen(lv);
        for (size_t i = 0; i < n; i++)
            if ((lv[i] == '+' || lv[i] == '#') && n != 1)
                return 0;
        if (n == 1 && lv[0] == '#' && end)
            return 0; /* '#' only last */
        if (!end)
            return 1;
        lv = end + 1;
    }
}

static int level_eq(const char *p, size_t pn, const char *s, size_t sn)
{
    return pn == sn && memcmp(p, s, pn) == 0;
}

/* Match a valid pattern against levels. */
static int match_levels(const char *p, const char *const *lv, const size_t *len, int n)
{
    int i = 0;
    for (;;) {
        const char *end = strchr(p, '/');
        size_t pn = end ? (size_t)(end - p) : strlen(p);
        if (pn == 1 && p[0] == '#')
            return 1;
        if (i == n)
            return 0;
        if (!(pn == 1 && p[0] == '+') && !level_eq(p, pn, lv[i], len[i]))
            return 0;
        i++;
        if (!end)
            return i == n;
        p = end + 1;
    }
}

int l2c__event_matches(const struct l2c_event *ev, const char *pattern)
{
    const char *lv[6];
    size_t len[6];
    topic_levels(ev, lv, len);
    return match_levels(pattern, lv, len, 6);
}

int l2c_topic_matches(const char *pattern, const char *topic)
{
    if (!l2c__pattern_valid(pattern) || !topic)
        return L2C_EINVAL;
    const char *lv[64];
    size_t len[64];
    int n = 0;
    const char *t = topic;
    for (;;) {
        if (n == 64)
            return 0;
        const char *end = strchr(t, '/');
        lv[n] = t;
        len[n] = end ? (size_t)(end - t) : strlen(t);
        n++;
        if (!end)
            break;
        t = end + 1;
    }
    return match_levels(pattern, lv, len, n);
}

static int split_levels(const char *p, const char **lv, size_t *len, int max)
{
    int n = 0;
    for (;;) {
        if (n == max)
            return -1;
        const char *end = strchr(p, '/');
        lv[n] = p;
        len[n] = end ? (size_t)(end - p) : strlen(p);
        n++;
        if (!end)
            return n;
        p = end + 1;
    }
}

static int is_level(const char *l, size_t n, char c) { return n == 1 && l[0] == c; }

/* Whether some topic matches both (valid) filters. */
static int patterns_overlap(const char *a, const char *b)
{
    const char *al[64], *bl[64];
    size_t an[64], bn[64];
    int na = split_levels(a, al, an, 64), nb = split_levels(b, bl, bn, 64);
    if (na < 0 || nb < 0)
        return 0;
    for (int i = 0;; i++) {
        int ah = i < na, bh = i < nb;
        if ((ah && is_level(al[i], an[i], '#')) || (bh && is_level(bl[i], bn[i], '#')))
            return 1;
        if (!ah || !bh)
            return !ah && !bh;
        if (!(is_level(al[i], an[i], '+') || is_level(bl[i], bn[i], '+') ||
              level_eq(al[i], an[i], bl[i], bn[i])))
            return 0;
    }
}

/* ---- registration ---- */

static int hook_add(uint64_t *out_id, l2c_engine *e, l2c__hook *h)
{
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "hooks cannot be changed from inside a hook");
    if (l2c__grow((void **)&e->hooks, &e->caphooks, e->nhooks + 1, sizeof *e->hooks)) {
        l2c__xfree(h->pattern);
        l2c__xfree(h->principal);
        l2c__xfree(h->event_name);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    h->id = e->next_hook_id++;
    e->hooks[e->nhooks++] = *h;
    if (h->kind == L2C__HOOK_GUARD)
        e->nguards++;
    else
        e->nlisteners++;
    if (out_id)
        *out_id = h->id;
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

static int type_event(l2c_engine *e, const char *type, const char *event, l2c__hook *h)
{
    h->type = -1;
    h->event = -1;
    if (type) {
        h->type = l2c__type_find(type);
        if (h->type < 0)
            return l2c__err(e, L2C_EINVAL, "field.invalid", "unknown type '%s'", type);
    }
    if (event) {
        if (h->type >= 0) {
            h->event = l2c__process_event(e->proc[h->type], event);
            if (h->event < 0)
                return l2c__err(e, L2C_EINVAL, "field.invalid", "'%s' is not an event of %s",
                                event, type);
        } else if (!(h->event_name = l2c__strdup(event))) {
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        }
    }
    return 0;
}

int l2c_guard_add(uint64_t *out_id, l2c_engine *e, const char *type, const char *event,
                  l2c_guard_fn fn, void *user, l2c_destroy_fn destroy)
{
    if (!e || !fn)
        return e ? l2c__err(e, L2C_EINVAL, NULL, "a guard needs a function") : L2C_EINVAL;
    l2c__hook h = {0};
    h.kind = L2C__HOOK_GUARD;
    int rc = type_event(e, type, event, &h);
    if (rc)
        return rc;
    h.fn.guard = fn;
    h.user = user;
    h.destroy = destroy;
    return hook_add(out_id, e, &h);
}

int l2c_listener_add(uint64_t *out_id, l2c_engine *e, const char *type, const char *event,
                     l2c_listener_fn fn, void *user, l2c_destroy_fn destroy)
{
    if (!e || !fn)
        return e ? l2c__err(e, L2C_EINVAL, NULL, "a listener needs a function") : L2C_EINVAL;
    l2c__hook h = {0};
    h.kind = L2C__HOOK_LISTENER;
    int rc = type_event(e, type, event, &h);
    if (rc)
        return rc;
    h.fn.listener = fn;
    h.user = user;
    h.destroy = destroy;
    return hook_add(out_id, e, &h);
}

int l2c_listener_add_topic(uint64_t *out_id, l2c_engine *e, const char *pattern,
                           l2c_listener_fn fn, void *user, l2c_destroy_fn destroy)
{
    if (!e || !fn)
        return e ? l2c__err(e, L2C_EINVAL, NULL, "a listener needs a function") : L2C_EINVAL;
    if (!l2c__pattern_valid(pattern))
        return l2c__err(e, L2C_EINVAL, "field.invalid", "malformed topic pattern");
    l2c__hook h = {0};
    h.kind = L2C__HOOK_TOPIC;
    h.type = h.event = -1;
    if (!(h.pattern = l2c__strdup(pattern)))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    h.fn.listener = fn;
    h.user = user;
    h.destroy = destroy;
    return hook_add(out_id, e, &h);
}

int l2c_bus_grant(l2c_engine *e, const char *principal, const char *pattern)
{
    if (!e || !principal || !*principal)
        return e ? l2c__err(e, L2C_EINVAL, "field.required", "a grant needs a principal")
                 : L2C_EINVAL;
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "grants cannot change from inside a hook");
    if (!l2c__pattern_valid(pattern))
        return l2c__err(e, L2C_EINVAL, "field.invalid", "malformed topic pattern");
    if (l2c__grow((void **)&e->grants, &e->capgrants, e->ngrants + 1, sizeof *e->grants))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    l2c__grant g = {l2c__strdup(principal), l2c__strdup(pattern)};
    if (!g.principal || !g.pattern) {
        l2c__xfree(g.principal);
        l2c__xfree(g.pattern);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    e->grants[e->ngrants++] = g;
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

int l2c_bus_subscribe(uint64_t *out_id, l2c_engine *e, const char *principal,
                      const char *pattern, l2c_listener_fn fn, void *user,
                      l2c_destroy_fn destroy)
{
    if (!e || !fn || !principal)
        return e ? l2c__err(e, L2C_EINVAL, "field.required",
                            "a subscription needs a principal and a function")
                 : L2C_EINVAL;
    if (!l2c__pattern_valid(pattern))
        return l2c__err(e, L2C_EINVAL, "field.invalid", "malformed topic pattern");
    int covered = 0;
    for (size_t i = 0; i < e->ngrants && !covered; i++)
        covered = strcmp(e->grants[i].principal, principal) == 0 &&
                  patterns_overlap(e->grants[i].pattern, pattern);
    if (!covered)
        return l2c__err(e, L2C_EFORBIDDEN, NULL, "no grant of '%s' covers '%s'", principal,
                        pattern);
    l2c__hook h = {0};
    h.kind = L2C__HOOK_SUB;
    h.type = h.event = -1;
    h.pattern = l2c__strdup(pattern);
    h.principal = l2c__strdup(principal);
    if (!h.pattern || !h.principal) {
        l2c__xfree(h.pattern);
        l2c__xfree(h.principal);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    h.fn.listener = fn;
    h.user = user;
    h.destroy = destroy;
    return hook_add(out_id, e, &h);
}

static void hook_release(l2c__hook *h)
{
    if (h->destroy)
        h->destroy(h->user);
    l2c__xfree(h->pattern);
    l2c__xfree(h->principal);
    l2c__xfree(h->event_name);
}

int l2c_hook_remove(l2c_engine *e, uint64_t id)
{
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "hooks cannot be changed from inside a hook");
    for (size_t i = 0; i < e->nhooks; i++) {
        if (e->hooks[i].id != id)
            continue;
        l2c__hook h = e->hooks[i];
        memmove(&e->hooks[i], &e->hooks[i + 1], (e->nhooks - i - 1) * sizeof *e->hooks);
        e->nhooks--;
        if (h.kind == L2C__HOOK_GUARD)
            e->nguards--;
        else
            e->nlisteners--;
        hook_release(&h);
        e->err.code = 0, e->err.rule = NULL;
        return 0;
    }
    return l2c__err(e, L2C_ENOTFOUND, NULL, "no hook with id %llu", (unsigned long long)id);
}

void l2c__hooks_free(l2c_engine *e)
{
    for (size_t i = 0; i < e->nhooks; i++)
        hook_release(&e->hooks[i]);
    l2c__xfree(e->hooks);
    for (size_t i = 0; i < e->ngrants; i++) {
        l2c__xfree(e->grants[i].principal);
        l2c__xfree(e->grants[i].pattern);
    }
    l2c__xfree(e->grants);
}

/* ---- dispatch ---- */

static int hook_wants(const l2c_engine *e, const l2c__hook *h, const struct l2c_event *ev)
{
    if (h->type >= 0 && h->type != ev->rec->type)
        return 0;
    if (h->event >= 0 && h->event != ev->ev)
        return 0;
    if (h->event_name && strcmp(h->event_name, e->proc[ev->rec->type]->events[ev->ev]) != 0)
        return 0;
    if (h->kind == L2C__HOOK_TOPIC && !l2c__event_matches(ev, h->pattern))
        return 0;
    if (h->kind == L2C__HOOK_SUB) {
        if (!l2c__event_matches(ev, h->pattern))
            return 0;
        for (size_t i = 0; i < e->ngrants; i++)
            if (strcmp(e->grants[i].principal, h->principal) == 0 &&
                l2c__event_matches(ev, e->grants[i].pattern))
                return 1;
        return 0;
    }
    return 1;
}

int l2c__run_guards(l2c_engine *e, const struct l2c_event *ev)
{
    for (size_t i = 0; i < e->nhooks; i++) {
        l2c__hook *h = &e->hooks[i];
        if (h->kind != L2C__HOOK_GUARD || !hook_wants(e, h, ev))
            continue;
        const char *msg = NULL;
        e->in_hook++;
        int veto = h->fn.guard(e, ev, &msg, h->user);
        e->in_hook--;
        if (veto)
            return l2c__err(e, L2C_EHOOK, NULL, "%s", msg ? msg : "vetoed by a host guard");
    }
    return 0;
}

int l2c__host_guards(l2c_engine *e, uint64_t first, int rc)
{
    /* after every built-in rule of the command (cascades included) passed */
    for (uint64_t s = first; !rc && e->nguards && s <= e->nevents; s++)
        rc = l2c__run_guards(e, l2c__event_at(e, s));
    return rc;
}

void l2c__run_listeners(l2c_engine *e, uint64_t from_seq, uint64_t to_seq)
{
    if (!e->nlisteners)
        return;
    e->in_hook++;
    for (uint64_t s = from_seq; s <= to_seq; s++) {
        const struct l2c_event *ev = l2c__event_at(e, s);
        for (size_t i = 0; i < e->nhooks; i++) {
            l2c__hook *h = &e->hooks[i];
            if (h->kind != L2C__HOOK_GUARD && hook_wants(e, h, ev))
                h->fn.listener(e, ev, h->user);
        }
    }
    e->in_hook--;
}

/* ---- event accessors ---- */

uint64_t l2c_events_last(const l2c_engine *e) { return e->committed; }

int l2c_event_get(const l2c_event **out, const l2c_engine *e, uint64_t seq)
{
    if (seq == 0 || seq > e->committed)
        return L2C_ENOTFOUND;
    *out = l2c__event_at(e, seq);
    return 0;
}

uint64_t l2c_event_sequence(const l2c_event *ev) { return ev->seq; }
uint64_t l2c_event_cause(const l2c_event *ev) { return ev->cause; }
const char *l2c_event_record_type(const l2c_event *ev) { return l2c__models[ev->rec->type]->name; }
const char *l2c_event_name(const l2c_event *ev)
{
    return ev->engine->proc[ev->rec->type]->events[ev->ev];
}
const char *l2c_event_subject(const l2c_event *ev) { return ev->rec->slot->id->s; }
const char *l2c_event_from(const l2c_event *ev)
{
    return ev->from == L2C__NO_STATE ? NULL : ev->engine->proc[ev->rec->type]->states[ev->from];
}
const char *l2c_event_to(const l2c_event *ev)
{
    return ev->engine->proc[ev->rec->type]->states[ev->rec->state];
}
int64_t l2c_event_time(const l2c_event *ev) { return ev->time; }
const char *l2c_event_actor_id(const l2c_event *ev)
{
    return ev->actor && ev->actor->id ? ev->actor->id->s : NULL;
}

int l2c_event_topic(char **out, const l2c_event *ev)
{
    l2c__buf b = {0};
    l2c__topic_build(&b, ev);
    *out = l2c__buf_take(&b);
    return *out ? 0 : L2C_ENOMEM;
}
