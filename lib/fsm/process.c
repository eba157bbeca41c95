/* Compiling and validating process definitions. */
#include <string.h>

#include "fsm/fsm.h"

/* Split a space-separated (or `sep`-separated) list into tokens. Returns
 * the number of tokens, or -1 on OOM / too many. Tokens are copies. */
static int split(char ***out, const char *s, char sep)
{
    *out = NULL;
    if (!s)
        return 0;
    size_t n = 0, cap = 0;
    char **v = NULL;
    const char *p = s;
    while (*p) {
        while (*p == sep || *p == ' ')
            p++;
        if (!*p)
            break;
        const char *q = p;
        while (*q && *q != sep && *q != ' ')
            q++;
        if (l2c__grow((void **)&v, &cap, n + 1, sizeof *v))
            goto oom;
        if (!(v[n] = l2c__strndup(p, (size_t)(q - p))))
            goto oom;
        n++;
        p = q;
    }
    *out = v;
    return (int)n;
oom:
    for (size_t i = 0; i < n; i++)
        l2c__xfree(v[i]);
    l2c__xfree(v);
    return -1;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        l2c__xfree(v[i]);
    l2c__xfree(v);
}

int l2c__process_state(const l2c__process *p, const char *name)
{
    for (uint32_t i = 0; i < p->nstates; i++)
        if (strcmp(p->states[i], name) == 0)
            return (int)i;
    return -1;
}

int l2c__process_event(const l2c__process *p, const char *name)
{
    for (uint32_t i = 0; i < p->nevents; i++)
        if (strcmp(p->events[i], name) == 0)
            return (int)i;
    return -1;
}

void l2c__process_free(l2c__process *p)
{
    while (p && p->retired) { /* iteratively: the chain may be long */
        l2c__process *old = p->retired;
        p->retired = old->retired;
        old->retired = NULL;
        l2c__process_free(old);
    }
    if (!p)
        return;
    free_list(p->states, p->nstates);
    free_list(p->events, p->nevents);
    for (uint32_t i = 0; p->trans && i < p->ntrans; i++) {
        free_list(p->trans[i].roles, p->trans[i].nroles);
        l2c__xfree(p->trans[i].guards);
    }
    l2c__xfree(p->trans);
    l2c__xfree(p->table);
    l2c__xfree(p->create_guards);
    l2c__xfree(p->update_guards);
    l2c__xfree(p->type);
    l2c__xfree(p);
}

static int state_mask(uint64_t *out, l2c__process *p, const char *list, const char *what,
                      l2c__error *err)
{
    char **v;
    int n = split(&v, list, ' ');
    if (n < 0)
        return l2c__seterr(err, L2C_ENOMEM, NULL, "out of memory");
    uint64_t m = 0;
    for (int i = 0; i < n; i++) {
        int s = l2c__process_state(p, v[i]);
        if (s < 0) {
            l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: %s names unknown state '%s'",
                        p->type, what, v[i]);
            free_list(v, (size_t)n);
            return L2C_EINVAL;
        }
        m |= 1ull << s;
    }
    free_list(v, (size_t)n);
    *out = m;
    return 0;
}

static int guard_list(const l2c__guard ***out, uint32_t *nout, const char *list,
                      l2c__guard_lookup lookup, const char *type, l2c__error *err)
{
    char **v;
    int n = split(&v, list, ' ');
    *out = NULL;
    *nout = 0;
    if (n < 0)
        return l2c__seterr(err, L2C_ENOMEM, NULL, "out of memory");
    if (n == 0)
        return 0;
    const l2c__guard **g = l2c__calloc((size_t)n, sizeof *g);
    if (!g) {
        free_list(v, (size_t)n);
        return l2c__seterr(err, L2C_ENOMEM, NULL, "out of memory");
    }
    for (int i = 0; i < n; i++) {
        g[i] = lookup ? lookup(v[i]) : NULL;
        if (!g[i]) {
            l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: unknown guard '%s'", type, v[i]);
            free_list(v, (size_t)n);
            l2c__xfree(g);
            return L2C_EINVAL;
        }
    }
    free_list(v, (size_t)n);
    *out = g;
    *nout = (uint32_t)n;
    return 0;
}

static int add_event(l2c__process *p, const char *name, size_t *cap)
{
    int e = l2c__process_event(p, name);
    if (e >= 0)
        return e;
    if (l2c__grow((void **)&p->events, cap, p->nevents + 1, sizeof *p->events))
        return -1;
    if (!(p->events[p->nevents] = l2c__strdup(name)))
        return -1;
    return (int)p->nevents++;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

int l2c__process_compile(l2c__process **out, const l2c__process_def *def,
                         l2c__guard_lookup guards, l2c__chooser_lookup choosers,
                         l2c__error *err)
{
    int rc = L2C_ENOMEM;
    l2c__process *p = l2c__calloc(1, sizeof *p);
    if (!p || !(p->type = l2c__strdup(def->type)))
        goto fail_oom;

    int ns = split(&p->states, def->states, ' ');
    if (ns < 0)
        goto fail_oom;
    p->nstates = (uint32_t)ns;
    if (ns == 0) {
        rc = l2c__seterr(err, L2C_EINVAL, "field.required", "%s: a process needs states", def->type);
        goto fail;
    }
    if (ns > L2C__MAX_STATES) {
        rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: more than %d states",
                         def->type, L2C__MAX_STATES);
        goto fail;
    }
    for (int i = 0; i < ns; i++) {
        if (!valid_name(p->states[i])) {
            rc = l2c__seterr(err, L2C_EINVAL, "field.invalid",
                             "%s: state name '%s' must be lower-case letters, digits or '_'",
                             def->type, p->states[i]);
            goto fail;
        }
        for (int j = 0; j < i; j++)
            if (strcmp(p->states[i], p->states[j]) == 0) {
                rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: duplicate state '%s'",
                                 def->type, p->states[i]);
                goto fail;
            }
    }
    if ((rc = state_mask(&p->terminal, p, def->terminal, "terminal", err)))
        goto fail;
    if ((rc = state_mask(&p->open, p, def->open, "open", err)))
        goto fail;
    if ((rc = guard_list(&p->create_guards, &p->ncreate_guards, def->create_guards, guards,
                         def->type, err)))
        goto fail;
    if ((rc = guard_list(&p->update_guards, &p->nupdate_guards, def->update_guards, guards,
                         def->type, err)))
        goto fail;

    size_t evcap = 0;
    if (add_event(p, "create", &evcap) < 0 || add_event(p, "update", &evcap) < 0)
        goto fail_oom;
    if (def->events) {
        char **evs;
        int nev = split(&evs, def->events, ' ');
        if (nev < 0)
            goto fail_oom;
        for (int i = 0; i < nev; i++) {
            if (!valid_name(evs[i]) || add_event(p, evs[i], &evcap) < 0) {
                rc = valid_name(evs[i])
                         ? l2c__seterr(err, L2C_ENOMEM, NULL, "out of memory compiling a process")
                         : l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: bad event name '%s'",
                                       def->type, evs[i]);
                free_list(evs, (size_t)nev);
                goto fail;
            }
        }
        free_list(evs, (size_t)nev);
    }
    p->trans = l2c__calloc(def->ntrans ? def->ntrans : 1, sizeof *p->trans);
    if (!p->trans)
        goto fail_oom;
    for (uint32_t i = 0; i < def->ntrans; i++) {
        const l2c__trans_def *td = &def->trans[i];
        l2c__trans *t = &p->trans[i];
        p->ntrans = i + 1;
        if (!td->event || !valid_name(td->event)) {
            rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: transition %u has no valid event name",
                             def->type, i);
            goto fail;
        }
        if (strcmp(td->event, "create") == 0 || strcmp(td->event, "update") == 0) {
            rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: '%s' is reserved",
                             def->type, td->event);
            goto fail;
        }
        int ev = add_event(p, td->event, &evcap);
        if (ev < 0)
            goto fail_oom;
        t->ev = (uint16_t)ev;
        t->cascade_only = td->cascade_only;
        if ((rc = state_mask(&t->from, p, td->from, "from", err)))
            goto fail;
        if (!t->from) {
            rc = l2c__seterr(err, L2C_EINVAL, "field.required", "%s: event '%s' has no from-state",
                             def->type, td->event);
            goto fail;
        }
        char **tos;
        int nto = split(&tos, td->to, '|');
        if (nto < 0)
            goto fail_oom;
        if (nto == 0 || nto > L2C__MAX_TO) {
            free_list(tos, (size_t)nto);
            rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: event '%s' needs 1 to %d targets",
                             def->type, td->event, L2C__MAX_TO);
            goto fail;
        }
        for (int k = 0; k < nto; k++) {
            int s = l2c__process_state(p, tos[k]);
            if (s < 0) {
                rc = l2c__seterr(err, L2C_EINVAL, "field.invalid",
                                 "%s: event '%s' goes to unknown state '%s'", def->type, td->event, tos[k]);
                free_list(tos, (size_t)nto);
                goto fail;
            }
            t->to[k] = (uint16_t)s;
        }
        free_list(tos, (size_t)nto);
        t->nto = (uint8_t)nto;
        if (nto > 1) {
            t->chooser = td->chooser && choosers ? choosers(td->chooser) : NULL;
            if (!t->chooser) {
                rc = l2c__seterr(err, L2C_EINVAL, "field.invalid",
                                 "%s: event '%s' has several targets and no known chooser",
                                 def->type, td->event);
                goto fail;
            }
        }
        int nr = split(&t->roles, td->roles, ' ');
        if (nr < 0)
            goto fail_oom;
        t->nroles = (uint32_t)nr;
        if ((rc = guard_list(&t->guards, &t->nguards, td->guards, guards, def->type, err)))
            goto fail;
    }

    p->table = l2c__malloc((size_t)p->nstates * p->nevents * sizeof *p->table);
    if (!p->table)
        goto fail_oom;
    for (size_t i = 0; i < (size_t)p->nstates * p->nevents; i++)
        p->table[i] = L2C__NO_TRANS;
    for (uint32_t i = 0; i < p->ntrans; i++) {
        const l2c__trans *t = &p->trans[i];
        for (uint32_t s = 0; s < p->nstates; s++) {
            if (!((t->from >> s) & 1u))
                continue;
            int16_t *cell = &p->table[s * p->nevents + t->ev];
            if (*cell != L2C__NO_TRANS) {
                rc = l2c__seterr(err, L2C_EINVAL, "field.invalid",
                                 "%s: event '%s' is defined twice from state '%s'", def->type,
                                 p->events[t->ev], p->states[s]);
                goto fail;
            }
            *cell = (int16_t)i;
        }
    }
    /* a terminal state has no way out */
    for (uint32_t i = 0; i < p->ntrans; i++) {
        uint64_t bad = p->trans[i].from & p->terminal;
        for (uint32_t s = 0; bad && s < p->nstates; s++)
            if ((bad >> s) & 1u) {
                rc = l2c__seterr(err, L2C_EINVAL, "field.invalid",
                                 "%s: terminal state '%s' has outgoing event '%s'", def->type,
                                 p->states[s], p->events[p->trans[i].ev]);
                goto fail;
            }
    }
    /* every state is reachable from the initial one */
    uint64_t seen = 1, prev = 0;
    while (seen != prev) {
        prev = seen;
        for (uint32_t i = 0; i < p->ntrans; i++)
            if (p->trans[i].from & seen)
                for (uint32_t k = 0; k < p->trans[i].nto; k++)
                    seen |= 1ull << p->trans[i].to[k];
    }
    for (uint32_t s = 0; s < p->nstates; s++)
        if (!((seen >> s) & 1u)) {
            rc = l2c__seterr(err, L2C_EINVAL, "field.invalid", "%s: state '%s' is unreachable",
                             def->type, p->states[s]);
            goto fail;
        }
    *out = p;
    return 0;

fail_oom:
    rc = l2c__seterr(err, L2C_ENOMEM, NULL, "out of memory compiling a process");
fail:
    l2c__process_free(p);
    return rc;
}
