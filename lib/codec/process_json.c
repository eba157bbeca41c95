/* Process definitions as JSON and Graphviz DOT, and custom processes loaded
 * from JSON (DESIGN §8). The JSON form is the same both ways: what
 * l2c_process_json prints, l2c_engine_load_process takes back (plus
 * "extends"). docs/processes-custom.md describes it. */
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

/* ---- what a definition must keep ---- */

/* Per type: the states a rule, a cascade or the sweep of DESIGN §2 names
 * (besides the initial state and the members of the named open set, which
 * are kept too); the transitions the engine itself fires, as event:from
 * (from "open" = every state of the open set, so a state added to it gets
 * the cascade that the set stands for); and the rules that look only at the
 * record itself, so they may guard any event of the type. Other built-in
 * rules read what their event's own data named, and may guard only the
 * events (or create/update) the built-in process gives them. */
static const struct keep {
    const char *states;
    const char *needs;
    const char *free_guards;
} keep[L2C__NTYPES] = {
    /* account */
    {"on_hold closed", NULL, "account.has_open_balance account.closed account.on_hold"},
    /* lead */
    {NULL, NULL, "account.closed account.on_hold"},
    /* opportunity: accept cascades win; lose/win cancel open quotes */
    {"won lost", "win:open", "opportunity.no_accepted_quote account.closed account.on_hold"},
    /* quote: win/lose cascade cancel; the sweep expires sent quotes */
    {"accepted expired superseded cancelled", "cancel:open expire:sent",
     "quote.opportunity_closed quote.empty quote.approval_required quote.expired "
     "quote.not_expired account.closed account.on_hold"},
    /* order: complete follows fulfil and issue */
    {"draft confirmed on_hold completed closed", "complete:confirmed",
     "order.has_fulfillment order.has_invoices account.credit_limit_exceeded account.closed "
     "account.on_hold"},
    /* invoice: settle at balance 0, reopen on reversal, the sweep marks overdue */
    {"draft issued overdue disputed paid void written_off",
     "settle:open reopen:paid mark_overdue:issued",
     "invoice.not_due invoice.has_payments order.finished account.closed account.on_hold"},
    /* payment: created with allocations */
    {"received", "allocate:received", "payment.allocated account.closed account.on_hold"},
    /* credit_note */
    {"draft issued", NULL, "account.closed account.on_hold"},
};

/* Whether space-separated `list` holds `word`. */
static int has_word(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if ((size_t)(q - p) == n && n && memcmp(p, word, n) == 0)
            return 1;
        p = q;
    }
    return 0;
}

static int is_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Roles and guard names: printable, no spaces (lists are space-separated). */
static int is_token(const char *s)
{
    if (!*s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f || *p == '|')
            return 0;
    return 1;
}

/* ---- an editable definition ---- */

typedef struct names {
    char **v;
    uint32_t n;
    size_t cap;
} names;

typedef struct tdef {
    char *event, *chooser;
    names from, to, roles, guards;
    int cascade_only;
} tdef;

typedef struct pdef {
    int type;
    names states, terminal, open, cguards, uguards;
    tdef *t;
    uint32_t nt;
    size_t capt;
} pdef;

static int names_find(const names *l, const char *s)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return (int)i;
    return -1;
}

static int names_add(names *l, const char *s)
{
    char *c = l2c__strdup(s);
    if (!c || l2c__grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        l2c__xfree(c);
        return L2C_ENOMEM;
    }
    l->v[l->n++] = c;
    return 0;
}

static int names_add_once(names *l, const char *s)
{
    return names_find(l, s) >= 0 ? 0 : names_add(l, s);
}

static void names_free(names *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        l2c__xfree(l->v[i]);
    l2c__xfree(l->v);
    memset(l, 0, sizeof *l);
}

static void tdef_free(tdef *t)
{
    l2c__xfree(t->event);
    l2c__xfree(t->chooser);
    names_free(&t->from);
    names_free(&t->to);
    names_free(&t->roles);
    names_free(&t->guards);
}

static void pdef_free(pdef *d)
{
    names_free(&d->states);
    names_free(&d->terminal);
    names_free(&d->open);
    names_free(&d->cguards);
    names_free(&d->uguards);
    for (uint32_t i = 0; i < d->nt; i++)
        tdef_free(&d->t[i]);
    l2c__xfree(d->t);
}

static int mask_names(names *out, const l2c__process *p, uint64_t mask)
{
    for (uint32_t s = 0; s < p->nstates; s++)
        if (((mask >> s) & 1u) && names_add(out, p->states[s]))
            return L2C_ENOMEM;
    return 0;
}

static int guard_names(names *out, const l2c__guard *const *g, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (names_add(out, g[i]->name))
            return L2C_ENOMEM;
    return 0;
}

/* The editable form of a compiled process. 0 or L2C_ENOMEM. */
static int pdef_from(pdef *d, int type, const l2c__process *p)
{
    memset(d, 0, sizeof *d);
    d->type = type;
    if (mask_names(&d->states, p, ~0ull) || mask_names(&d->terminal, p, p->terminal) ||
        mask_names(&d->open, p, p->open) ||
        guard_names(&d->cguards, p->create_guards, p->ncreate_guards) ||
        guard_names(&d->uguards, p->update_guards, p->nupdate_guards))
        return L2C_ENOMEM;
    if (p->ntrans && !(d->t = l2c__calloc(p->ntrans, sizeof *d->t)))
        return L2C_ENOMEM;
    d->capt = p->ntrans;
    for (uint32_t i = 0; i < p->ntrans; i++) {
        const l2c__trans *t = &p->trans[i];
        tdef *o = &d->t[d->nt++];
        o->cascade_only = t->cascade_only;
        if (!(o->event = l2c__strdup(p->events[t->ev])) || mask_names(&o->from, p, t->from) ||
            guard_names(&o->guards, t->guards, t->nguards) ||
            (t->nto > 1 && t->chooser && !(o->chooser = l2c__strdup(t->chooser->name))))
            return L2C_ENOMEM;
        for (uint32_t k = 0; k < t->nto; k++)
            if (names_add(&o->to, p->states[t->to[k]]))
                return L2C_ENOMEM;
        for (uint32_t k = 0; k < t->nroles; k++)
            if (names_add(&o->roles, t->roles[k]))
                return L2C_ENOMEM;
    }
    return 0;
}

/* ---- the JSON form ---- */

static cJSON *names_json(const names *l)
{
    cJSON *a = cJSON_CreateArray();
    for (uint32_t i = 0; a && i < l->n; i++) {
        cJSON *s = cJSON_CreateString(l->v[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static int add_names(cJSON *o, const char *key, const names *l)
{
    cJSON *a = names_json(l);
    if (!a || !cJSON_AddItemToObject(o, key, a)) {
        cJSON_Delete(a);
        return 0;
    }
    return 1;
}

/* Whether the built-in process of the type has the named set "open". */
static int has_open_set(int type) { return l2c__builtin_defs[type].open != NULL; }

static cJSON *pdef_json(const pdef *d)
{
    cJSON *o = cJSON_CreateObject(), *sets = NULL, *ts = NULL;
    int ok = o && cJSON_AddStringToObject(o, "type", l2c__type_name(d->type)) &&
             add_names(o, "states", &d->states) &&
             cJSON_AddStringToObject(o, "initial", d->states.v[0]) &&
             add_names(o, "terminal", &d->terminal) &&
             (sets = cJSON_AddObjectToObject(o, "sets")) &&
             (!has_open_set(d->type) || add_names(sets, "open", &d->open)) &&
             add_names(o, "create_guards", &d->cguards) &&
             add_names(o, "update_guards", &d->uguards) &&
             (ts = cJSON_AddArrayToObject(o, "transitions"));
    for (uint32_t i = 0; ok && i < d->nt; i++) {
        const tdef *t = &d->t[i];
        cJSON *j = cJSON_CreateObject();
        ok = j && cJSON_AddItemToArray(ts, j);
        if (!ok) {
            cJSON_Delete(j);
            break;
        }
        ok = cJSON_AddStringToObject(j, "event", t->event) && add_names(j, "from", &t->from) &&
             (t->to.n == 1 ? cJSON_AddStringToObject(j, "to", t->to.v[0]) != NULL
                           : add_names(j, "to", &t->to)) &&
             (!t->chooser || cJSON_AddStringToObject(j, "chooser", t->chooser)) &&
             add_names(j, "roles", &t->roles) && add_names(j, "guards", &t->guards) &&
             cJSON_AddBoolToObject(j, "cascade_only", t->cascade_only);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The type a call names: field.required / field.invalid. */
static int type_arg(l2c_engine *e, const char *type)
{
    if (!type || !*type)
        return l2c__err(e, L2C_EINVAL, "field.required", "type is required");
    int t = l2c__type_find(type);
    return t < 0 ? l2c__err(e, L2C_EINVAL, "field.invalid", "unknown type '%s'", type) : t;
}

int l2c_process_json(char **out, l2c_engine *e, const char *type)
{
    if (!out || !e)
        return L2C_EINVAL;
    *out = NULL;
    int t = type_arg(e, type);
    if (t < 0)
        return t;
    pdef d;
    cJSON *j = NULL;
    if (!pdef_from(&d, t, e->proc[t]) && (j = pdef_json(&d)))
        *out = l2c__json_print(j);
    cJSON_Delete(j);
    pdef_free(&d);
    if (!*out)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

/* ---- DOT ---- */

static void dot_list(l2c__buf *b, const char *open, const names *l, const char *close)
{
    if (!l->n)
        return;
    l2c__buf_puts(b, open);
    for (uint32_t i = 0; i < l->n; i++)
        l2c__buf_printf(b, "%s%s", i ? ", " : "", l->v[i]);
    l2c__buf_puts(b, close);
}

int l2c_process_dot(char **out, l2c_engine *e, const char *type)
{
    if (!out || !e)
        return L2C_EINVAL;
    *out = NULL;
    int t = type_arg(e, type);
    if (t < 0)
        return t;
    pdef d;
    l2c__buf b = {0};
    if (pdef_from(&d, t, e->proc[t])) {
        pdef_free(&d);
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    /* state and event names are [a-z0-9_]: quoting them is all DOT needs */
    l2c__buf_printf(&b, "digraph \"%s\" {\n", l2c__type_name(t));
    l2c__buf_puts(&b, "  rankdir=LR;\n  node [shape=circle, fontname=\"Helvetica\"];\n"
                      "  edge [fontname=\"Helvetica\", fontsize=10];\n"
                      "  \"__start\" [shape=point, label=\"\"];\n");
    l2c__buf_printf(&b, "  \"__start\" -> \"%s\";\n", d.states.v[0]);
    for (uint32_t s = 0; s < d.states.n; s++)
        l2c__buf_printf(&b, "  \"%s\"%s;\n", d.states.v[s],
                        names_find(&d.terminal, d.states.v[s]) >= 0 ? " [shape=doublecircle]"
                                                                     : "");
    for (uint32_t i = 0; i < d.nt; i++) {
        const tdef *tr = &d.t[i];
        l2c__buf label = {0};
        l2c__buf_puts(&label, tr->event);
        dot_list(&label, " [", &tr->roles, "]");
        dot_list(&label, " {", &tr->guards, "}");
        if (tr->chooser)
            l2c__buf_printf(&label, " <%s>", tr->chooser);
        for (uint32_t f = 0; f < tr->from.n; f++)
            for (uint32_t k = 0; k < tr->to.n; k++)
                l2c__buf_printf(&b, "  \"%s\" -> \"%s\" [label=\"%s\"%s];\n", tr->from.v[f],
                                tr->to.v[k], label.p ? label.p : "",
                                tr->cascade_only ? ", style=dashed" : "");
        b.oom |= label.oom;
        l2c__buf_free(&label);
    }
    l2c__buf_puts(&b, "}\n");
    pdef_free(&d);
    *out = l2c__buf_take(&b);
    if (!*out)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

/* ---- loading ---- */

#define bad(e, rule, ...) l2c__err((e), L2C_EINVAL, (rule), __VA_ARGS__)

enum { K_STATE, K_EVENT, K_TOKEN };

static int add_checked(l2c_engine *e, const char *tn, const char *what, int kind,
                       const char *name, names *out)
{
    if (kind == K_TOKEN ? !is_token(name) : !is_name(name))
        return bad(e, "field.invalid", "%s: %s: '%s' is not a valid name%s", tn, what, name,
                   kind == K_TOKEN ? "" : " (lower-case letters, digits or '_')");
    return names_add_once(out, name) ? l2c__err(e, L2C_ENOMEM, NULL, "out of memory") : 0;
}

/* A string or an array of strings into `out` (once each). */
static int read_names(l2c_engine *e, const char *tn, const cJSON *v, const char *what, int kind,
                      names *out)
{
    if (cJSON_IsString(v))
        return add_checked(e, tn, what, kind, v->valuestring, out);
    if (!cJSON_IsArray(v))
        return bad(e, "field.invalid", "%s: %s must be an array of strings", tn, what);
    for (const cJSON *s = v->child; s; s = s->next) {
        if (!cJSON_IsString(s))
            return bad(e, "field.invalid", "%s: %s must be an array of strings", tn, what);
        int rc = add_checked(e, tn, what, kind, s->valuestring, out);
        if (rc)
            return rc;
    }
    return 0;
}

static int check_keys(l2c_engine *e, const char *tn, const cJSON *o, const char *where,
                      const char *const *keys)
{
    for (const cJSON *c = o->child; c; c = c->next) {
        int ok = 0;
        for (size_t i = 0; keys[i] && !ok; i++)
            ok = strcmp(keys[i], c->string) == 0;
        if (!ok)
            return bad(e, "field.invalid", "%s: unknown key '%s' in %s", tn, c->string, where);
    }
    return 0;
}

static int same_names(const names *a, const names *b)
{
    if (a->n != b->n)
        return 0;
    for (uint32_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

/* One transition object into `t`. */
static int read_trans(l2c_engine *e, const char *tn, const cJSON *j, uint32_t i, tdef *t,
                      int *cascade_given)
{
    static const char *const keys[] = {"event", "from", "to",           "chooser",
                                       "roles", "guards", "cascade_only", NULL};
    char where[48];
    snprintf(where, sizeof where, "transitions[%u]", (unsigned)i);
    if (!cJSON_IsObject(j))
        return bad(e, "field.invalid", "%s: %s must be an object", tn, where);
    int rc = check_keys(e, tn, j, where, keys);
    if (rc)
        return rc;
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(j, "event");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(j, "from");
    const cJSON *to = cJSON_GetObjectItemCaseSensitive(j, "to");
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(j, "chooser");
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(j, "roles");
    const cJSON *guards = cJSON_GetObjectItemCaseSensitive(j, "guards");
    const cJSON *co = cJSON_GetObjectItemCaseSensitive(j, "cascade_only");
    if (!ev || cJSON_IsNull(ev) || (cJSON_IsString(ev) && !ev->valuestring[0]))
        return bad(e, "field.required", "%s: %s needs an event", tn, where);
    if (!cJSON_IsString(ev) || !is_name(ev->valuestring))
        return bad(e, "field.invalid",
                   "%s: %s: the event must be a name (lower-case letters, digits or '_')", tn,
                   where);
    if (!(t->event = l2c__strdup(ev->valuestring)))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    char what[96];
    snprintf(what, sizeof what, "event '%s': from", t->event);
    if (!from || cJSON_IsNull(from))
        return bad(e, "field.required", "%s: event '%s' needs from-states", tn, t->event);
    if ((rc = read_names(e, tn, from, what, K_STATE, &t->from)))
        return rc;
    if (!t->from.n)
        return bad(e, "field.required", "%s: event '%s' needs from-states", tn, t->event);
    snprintf(what, sizeof what, "event '%s': to", t->event);
    if (!to || cJSON_IsNull(to))
        return bad(e, "field.required", "%s: event '%s' needs a target state", tn, t->event);
    if ((rc = read_names(e, tn, to, what, K_STATE, &t->to)))
        return rc;
    if (!t->to.n || t->to.n > L2C__MAX_TO)
        return bad(e, "field.invalid", "%s: event '%s' needs 1 to %d targets", tn, t->event,
                   L2C__MAX_TO);
    if (ch && !cJSON_IsNull(ch)) {
        if (!cJSON_IsString(ch) || !is_token(ch->valuestring))
            return bad(e, "field.invalid", "%s: event '%s': chooser must be a name", tn, t->event);
        if (t->to.n > 1 && !(t->chooser = l2c__strdup(ch->valuestring)))
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    }
    snprintf(what, sizeof what, "event '%s': roles", t->event);
    if (roles && !cJSON_IsNull(roles) && (rc = read_names(e, tn, roles, what, K_TOKEN, &t->roles)))
        return rc;
    snprintf(what, sizeof what, "event '%s': guards", t->event);
    if (guards && !cJSON_IsNull(guards) &&
        (rc = read_names(e, tn, guards, what, K_TOKEN, &t->guards)))
        return rc;
    *cascade_given = 0;
    if (co && !cJSON_IsNull(co)) {
        if (!cJSON_IsBool(co))
            return bad(e, "field.invalid", "%s: event '%s': cascade_only must be true or false",
                       tn, t->event);
        t->cascade_only = cJSON_IsTrue(co);
        *cascade_given = 1;
    }
    return 0;
}

/* In an extension, a transition with the event and targets of one the
 * definition has, and no roles or guards of its own, joins it: the
 * from-states are added and the event keeps its roles and rules. */
static tdef *joins(pdef *d, const tdef *t, int cascade_given)
{
    if (t->roles.n || t->guards.n)
        return NULL;
    for (uint32_t i = 0; i < d->nt; i++) {
        tdef *o = &d->t[i];
        if (strcmp(o->event, t->event) == 0 && same_names(&o->to, &t->to) &&
            (!t->chooser || (o->chooser && strcmp(o->chooser, t->chooser) == 0)) &&
            (!cascade_given || o->cascade_only == t->cascade_only))
            return o;
    }
    return NULL;
}

static int read_def(l2c_engine *e, pdef *d, const cJSON *j, int extend)
{
    static const char *const keys[] = {"type",          "extends",       "states", "initial",
                                       "terminal",      "sets",          "create_guards",
                                       "update_guards", "transitions",   NULL};
    const char *tn = l2c__type_name(d->type);
    const char *initial = l2c__builtin_defs[d->type].states;
    size_t ilen = strcspn(initial, " ");
    int rc = check_keys(e, tn, j, "the definition", keys);
    if (rc)
        return rc;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "states");
    if (!extend && (!v || cJSON_IsNull(v)))
        return bad(e, "field.required", "%s: a replacing definition lists its states", tn);
    if (v && !cJSON_IsNull(v)) {
        names given = {0};
        if ((rc = read_names(e, tn, v, "states", K_STATE, &given))) {
            names_free(&given);
            return rc;
        }
        if (cJSON_IsArray(v) && (uint32_t)cJSON_GetArraySize(v) != given.n) {
            for (const cJSON *s = v->child; s; s = s->next)
                for (const cJSON *s2 = s->next; s2; s2 = s2->next)
                    if (strcmp(s->valuestring, s2->valuestring) == 0) {
                        names_free(&given);
                        return bad(e, "field.invalid", "%s: duplicate state '%s'", tn,
                                   s->valuestring);
                    }
        }
        for (uint32_t i = 0; i < given.n && !rc; i++)
            if (names_add_once(&d->states, given.v[i]))
                rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        names_free(&given);
        if (rc)
            return rc;
    }
    if (!d->states.n)
        return bad(e, "field.required", "%s: a process needs states", tn);
    v = cJSON_GetObjectItemCaseSensitive(j, "initial");
    if (v && !cJSON_IsNull(v) && !cJSON_IsString(v))
        return bad(e, "field.invalid", "%s: initial must be a state name", tn);
    const char *init = cJSON_IsString(v) ? v->valuestring : d->states.v[0];
    if (strlen(init) != ilen || memcmp(init, initial, ilen) != 0)
        return bad(e, "field.invalid",
                   "%s: the initial state must stay '%.*s' (records and cascades start there)",
                   tn, (int)ilen, initial);
    int at = names_find(&d->states, init);
    if (at < 0)
        return bad(e, "field.invalid", "%s: the initial state '%s' is not among the states", tn,
                   init);
    if (at > 0) { /* the first state listed is the initial one */
        char *s = d->states.v[at];
        memmove(d->states.v + 1, d->states.v, (size_t)at * sizeof *d->states.v);
        d->states.v[0] = s;
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "terminal")) && !cJSON_IsNull(v) &&
        (rc = read_names(e, tn, v, "terminal", K_STATE, &d->terminal)))
        return rc;
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "sets")) && !cJSON_IsNull(v)) {
        if (!cJSON_IsObject(v))
            return bad(e, "field.invalid", "%s: sets must be an object", tn);
        char full[64];
        snprintf(full, sizeof full, "%s.open", tn);
        for (const cJSON *s = v->child; s; s = s->next) {
            if (strcmp(s->string, "open") != 0 && strcmp(s->string, full) != 0)
                return bad(e, "field.invalid", "%s: unknown set '%s' (the named set is %s)", tn,
                           s->string, has_open_set(d->type) ? full : "none");
            if (!has_open_set(d->type))
                return bad(e, "field.invalid", "%s: has no named set '%s'", tn, s->string);
            if ((rc = read_names(e, tn, s, full, K_STATE, &d->open)))
                return rc;
        }
    }
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "create_guards")) && !cJSON_IsNull(v) &&
        (rc = read_names(e, tn, v, "create_guards", K_TOKEN, &d->cguards)))
        return rc;
    if ((v = cJSON_GetObjectItemCaseSensitive(j, "update_guards")) && !cJSON_IsNull(v) &&
        (rc = read_names(e, tn, v, "update_guards", K_TOKEN, &d->uguards)))
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(j, "transitions");
    if (v && !cJSON_IsNull(v) && !cJSON_IsArray(v))
        return bad(e, "field.invalid", "%s: transitions must be an array", tn);
    uint32_t i = 0;
    for (const cJSON *tj = v ? v->child : NULL; tj; tj = tj->next, i++) {
        tdef t;
        int cascade_given = 0;
        memset(&t, 0, sizeof t);
        if ((rc = read_trans(e, tn, tj, i, &t, &cascade_given))) {
            tdef_free(&t);
            return rc;
        }
        tdef *o = extend ? joins(d, &t, cascade_given) : NULL;
        if (o) {
            for (uint32_t k = 0; k < t.from.n && !rc; k++)
                if (names_add_once(&o->from, t.from.v[k]))
                    rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
            tdef_free(&t);
            if (rc)
                return rc;
            continue;
        }
        if (l2c__grow((void **)&d->t, &d->capt, d->nt + 1, sizeof *d->t)) {
            tdef_free(&t);
            return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        }
        d->t[d->nt++] = t;
    }
    return 0;
}

/* Whether the built-in process of `type` lists `guard` for event `event`
 * (NULL: create, "": update). */
static int builtin_uses(int type, const char *event, const char *guard)
{
    const l2c__process_def *b = &l2c__builtin_defs[type];
    if (!event)
        return has_word(b->create_guards, guard);
    if (!*event)
        return has_word(b->update_guards, guard);
    for (uint32_t i = 0; i < b->ntrans; i++)
        if (strcmp(b->trans[i].event, event) == 0 && has_word(b->trans[i].guards, guard))
            return 1;
    return 0;
}

static int builtin_event(int type, const char *event)
{
    const l2c__process_def *b = &l2c__builtin_defs[type];
    for (uint32_t i = 0; i < b->ntrans; i++)
        if (strcmp(b->trans[i].event, event) == 0)
            return 1;
    return 0;
}

static int check_guards(l2c_engine *e, int type, const char *event, const names *g)
{
    const char *tn = l2c__type_name(type);
    for (uint32_t i = 0; i < g->n; i++) {
        const char *name = g->v[i];
        if (!l2c__guard_find(name))
            return bad(e, "field.invalid", "%s: unknown guard '%s'", tn, name);
        int ok = builtin_uses(type, event, name) ||
                 (!event ? has_word("account.closed account.on_hold", name)
                         : has_word(keep[type].free_guards, name));
        if (!ok)
            return bad(e, "field.invalid",
                       "%s: guard '%s' cannot guard %s%s%s: it reads data that only the "
                       "built-in events it belongs to parse",
                       tn, name, !event ? "create" : !*event ? "update" : "event '",
                       event && *event ? event : "", event && *event ? "'" : "");
    }
    return 0;
}

/* Rules on the definition before it is compiled. */
static int check_def(l2c_engine *e, const pdef *d)
{
    const char *tn = l2c__type_name(d->type);
    const l2c__model *m = l2c__models[d->type];
    int rc;
    if ((rc = check_guards(e, d->type, NULL, &d->cguards)) ||
        (rc = check_guards(e, d->type, "", &d->uguards)))
        return rc;
    for (uint32_t i = 0; i < d->nt; i++) {
        const tdef *t = &d->t[i];
        if (t->cascade_only && !builtin_event(d->type, t->event))
            return bad(e, "field.invalid",
                       "%s: custom event '%s' cannot be cascade_only: the engine cascades "
                       "only built-in events",
                       tn, t->event);
        if ((rc = check_guards(e, d->type, t->event, &t->guards)))
            return rc;
        if (t->to.n > 1) {
            int ok = 0;
            for (uint32_t k = 0; t->chooser && k < m->nchoosers && !ok; k++)
                ok = strcmp(m->choosers[k].name, t->chooser) == 0;
            if (!ok)
                return bad(e, "field.invalid",
                           "%s: event '%s' has several targets and needs a chooser of %s%s%s%s",
                           tn, t->event, tn, t->chooser ? " ('" : "",
                           t->chooser ? t->chooser : "", t->chooser ? "' is unknown)" : "");
        }
    }
    return 0;
}

static void join(l2c__buf *b, const names *l, char sep)
{
    for (uint32_t i = 0; i < l->n; i++) {
        if (i)
            l2c__buf_put(b, &sep, 1);
        l2c__buf_puts(b, l->v[i]);
    }
}

/* Compile the definition; the events the current process knows keep their
 * indexes (they come first, in order). */
static int compile(l2c__process **out, l2c_engine *e, const pdef *d)
{
    const l2c__process *cur = e->proc[d->type];
    l2c__buf s[6] = {{0}};
    l2c__buf *tb = NULL;
    l2c__trans_def *td = NULL;
    int rc = L2C_ENOMEM;
    if (d->nt && (!(td = l2c__calloc(d->nt, sizeof *td)) ||
                  !(tb = l2c__calloc((size_t)d->nt * 4, sizeof *tb))))
        goto done;
    join(&s[0], &d->states, ' ');
    join(&s[1], &d->terminal, ' ');
    join(&s[2], &d->open, ' ');
    join(&s[3], &d->cguards, ' ');
    join(&s[4], &d->uguards, ' ');
    for (uint32_t i = 2; i < cur->nevents; i++)
        l2c__buf_printf(&s[5], "%s%s", i > 2 ? " " : "", cur->events[i]);
    int oom = 0;
    for (uint32_t i = 0; i < d->nt; i++) {
        const tdef *t = &d->t[i];
        l2c__buf *b = &tb[i * 4];
        join(&b[0], &t->from, ' ');
        join(&b[1], &t->to, '|');
        join(&b[2], &t->roles, ' ');
        join(&b[3], &t->guards, ' ');
        for (int k = 0; k < 4; k++)
            oom |= b[k].oom;
        td[i] = (l2c__trans_def){t->event, b[0].p, b[1].p, t->chooser, b[2].p, b[3].p,
                                 t->cascade_only != 0};
    }
    for (int k = 0; k < 6; k++)
        oom |= s[k].oom;
    if (oom)
        goto done;
    l2c__process_def def = {l2c__type_name(d->type), s[0].p, s[1].p, s[2].p, s[3].p, s[4].p,
                            td, d->nt, s[5].p};
    rc = l2c__process_compile(out, &def, l2c__guard_find, l2c__chooser_find, &e->err);
done:
    for (int k = 0; k < 6; k++)
        l2c__buf_free(&s[k]);
    for (uint32_t i = 0; tb && i < (size_t)d->nt * 4; i++)
        l2c__buf_free(&tb[i]);
    l2c__xfree(tb);
    l2c__xfree(td);
    if (rc == L2C_ENOMEM)
        l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    return rc;
}

/* Rules on the compiled definition: what DESIGN §2 names stays. */
static int check_kept(l2c_engine *e, int type, const l2c__process *p)
{
    const char *tn = l2c__type_name(type);
    const l2c__process_def *b = &l2c__builtin_defs[type];
    char word[64];
    for (int pass = 0; pass < 2; pass++) {
        const char *list = pass ? b->open : keep[type].states;
        for (const char *q = list; q && *q;) {
            size_t n = strcspn(q, " ");
            snprintf(word, sizeof word, "%.*s", (int)n, q);
            q += n + (q[n] == ' ');
            int s = l2c__process_state(p, word);
            if (s < 0)
                return bad(e, "field.invalid",
                           "%s: state '%s' cannot be removed: a rule or cascade names it", tn,
                           word);
            if (pass && !l2c__process_open(p, (uint32_t)s))
                return bad(e, "field.invalid",
                           "%s: state '%s' must stay in the set %s.open: rules act on it", tn,
                           word, tn);
        }
    }
    for (const char *q = keep[type].needs; q && *q;) {
        size_t n = strcspn(q, " ");
        snprintf(word, sizeof word, "%.*s", (int)n, q);
        q += n + (q[n] == ' ');
        char *from = strchr(word, ':');
        *from++ = '\0';
        int ev = l2c__process_event(p, word);
        for (uint32_t s = 0; s < p->nstates; s++) {
            int want = strcmp(from, "open") == 0 ? l2c__process_open(p, s)
                                                  : strcmp(p->states[s], from) == 0;
            if (!want || (ev >= 0 && l2c__process_lookup(p, s, (uint32_t)ev) >= 0))
                continue;
            if (strcmp(from, "open") == 0)
                return bad(e, "field.invalid",
                           "%s: state '%s' is in the set %s.open, so it needs a '%s' "
                           "transition (the engine cascades it to every open %s)",
                           tn, p->states[s], tn, word, tn);
            return bad(e, "field.invalid",
                       "%s: the '%s' transition from '%s' must stay: the engine fires it", tn,
                       word, from);
        }
    }
    return 0;
}

int l2c_engine_load_process(l2c_engine *e, const char *json)
{
    if (!e)
        return L2C_EINVAL;
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "a process cannot be loaded from inside a hook");
    if (e->tx.open)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL,
                        "a process cannot be loaded while a command runs");
    if (!json)
        return bad(e, "field.required", "a process definition is required");
    cJSON *j = cJSON_ParseWithOpts(json, NULL, 1);
    if (!j)
        return l2c__err(e, L2C_EPARSE, NULL, "the process definition is not valid JSON");
    int rc = 0;
    pdef d;
    memset(&d, 0, sizeof d);
    l2c__process *np = NULL;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(j, "type");
    const cJSON *ext = cJSON_GetObjectItemCaseSensitive(j, "extends");
    if (!cJSON_IsObject(j)) {
        rc = bad(e, "field.invalid", "a process definition must be a JSON object");
        goto done;
    }
    if (!type || cJSON_IsNull(type) || (cJSON_IsString(type) && !type->valuestring[0])) {
        rc = bad(e, "field.required", "a process definition names its type");
        goto done;
    }
    if (!cJSON_IsString(type) || (d.type = l2c__type_find(type->valuestring)) < 0) {
        rc = bad(e, "field.invalid", "unknown type '%s'",
                 cJSON_IsString(type) ? type->valuestring : "(not a string)");
        goto done;
    }
    if (ext && !cJSON_IsNull(ext) && !cJSON_IsBool(ext)) {
        rc = bad(e, "field.invalid", "%s: extends must be true or false", type->valuestring);
        goto done;
    }
    int extend = cJSON_IsTrue(ext);
    /* with a store, check against the records other processes committed too */
    if (e->store_ops && (rc = e->store_ops->refresh(e)))
        goto done;
    if (extend && pdef_from(&d, d.type, e->proc[d.type])) {
        rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        goto done;
    }
    if ((rc = read_def(e, &d, j, extend)) || (rc = check_def(e, &d)) ||
        (rc = compile(&np, e, &d)) || (rc = check_kept(e, d.type, np)) ||
        (rc = l2c__process_swap(e, d.type, np)))
        goto done;
    np = NULL;
    e->err.code = 0, e->err.rule = NULL;
done:
    l2c__process_free(np);
    pdef_free(&d);
    cJSON_Delete(j);
    return rc;
}
