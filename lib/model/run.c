/* Running commands inside the engine's transaction: the order of checks of
 * DESIGN §6, built-in rules by name, handlers, cascades. */
#include <stddef.h>
#include <string.h>

#include "model/model.h"

const l2c__model *const l2c__models[L2C__NTYPES] = {
    &l2c__account_model, &l2c__lead_model,    &l2c__opportunity_model, &l2c__quote_model,
    &l2c__order_model,   &l2c__invoice_model, &l2c__payment_model,     &l2c__credit_note_model,
};

const l2c__guard *l2c__guard_find(const char *name)
{
    for (int t = 0; t < L2C__NTYPES; t++) {
        const l2c__model *m = l2c__models[t];
        for (uint32_t i = 0; i < m->nguards; i++)
            if (strcmp(m->guards[i].name, name) == 0)
                return &m->guards[i];
    }
    return NULL;
}

const l2c__chooser *l2c__chooser_find(const char *name)
{
    for (int t = 0; t < L2C__NTYPES; t++) {
        const l2c__model *m = l2c__models[t];
        for (uint32_t i = 0; i < m->nchoosers; i++)
            if (strcmp(m->choosers[i].name, name) == 0)
                return &m->choosers[i];
    }
    return NULL;
}

const l2c__handler *l2c__handler_find(const l2c__model *m, const char *event)
{
    for (uint32_t i = 0; i < m->nhandlers; i++)
        if (strcmp(m->handlers[i].event, event) == 0)
            return &m->handlers[i];
    return NULL;
}

void l2c__cmd_init(l2c__cmd *c, l2c_engine *e, int type)
{
    /* the id buffers are scratch: only their first bytes need clearing */
    memset(c, 0, offsetof(l2c__cmd, idbuf));
    c->idbuf[0][0] = c->idbuf[1][0] = '\0';
    c->e = e;
    c->type = type;
    c->m = l2c__models[type];
    c->p = e->proc[type];
}

void l2c__cmd_done(l2c__cmd *c)
{
    l2c__str_unref(c->reason);
    l2c__lines_unref(c->lines);
    l2c__rec_unref(c->rec);
    l2c_data_free(c->owned);
    c->reason = NULL;
    c->lines = NULL;
    c->rec = NULL;
    c->owned = NULL;
}

l2c__rec *l2c__rec_new(l2c_engine *e, int type)
{
    const l2c__model *m = l2c__models[type];
    l2c__rec *r = l2c__rec_alloc(type, m->nfields);
    if (!r) {
        l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    for (uint32_t i = 0; i < m->nfields; i++) {
        uint8_t k = m->fields[i].kind;
        if (k == L2C__F_MONEY || k == L2C__F_DATE)
            r->f[i].i = L2C__NULL_INT;
    }
    return r;
}

static int run_guards(l2c__cmd *c, const l2c__guard *const *g, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int rc = g[i]->fn(c);
        if (rc)
            return rc;
    }
    return 0;
}

int l2c__run_create(l2c__cmd *c)
{
    l2c_engine *e = c->e;
    int rc;
    if (c->want_id) {
        if ((rc = l2c__check_id(e, "id", c->want_id)))
            return rc;
        if (l2c__find(e, c->type, c->want_id))
            return l2c__err(e, L2C_EEXISTS, NULL, "%s %s already exists", c->m->name, c->want_id);
    }
    if (c->data && c->data->kind != L2C__D_OBJ)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "data must be an object");
    if (!(c->rec = l2c__rec_new(e, c->type)))
        return L2C_ENOMEM;
    if ((rc = c->m->create(c)))
        return rc;
    if ((rc = run_guards(c, c->p->create_guards, c->p->ncreate_guards)))
        return rc;
    const char *id = c->want_id;
    if (!id) {
        if ((rc = l2c__next_id(e, c->type, c->idbuf[1])))
            return rc;
        id = c->idbuf[1];
    }
    if ((rc = l2c__slot_create(&c->slot, e, c->type, id, c->rec)))
        return rc;
    if ((rc = l2c__emit(e, c->slot, L2C__EV_CREATE, 0, c->actor, c->cause)))
        return rc;
    if (c->m->created && (rc = c->m->created(c)))
        return rc;
    return 0;
}

static int find_target(l2c__cmd *c, uint32_t expected_version)
{
    l2c_engine *e = c->e;
    c->slot = l2c__find(e, c->type, c->want_id);
    if (!c->slot)
        return l2c__err(e, L2C_ENOTFOUND, NULL, "%s %s not found", c->m->name, c->want_id);
    const l2c__rec *r = l2c__slot_rec(c->slot);
    if (expected_version && r->version != expected_version)
        return l2c__err(e, L2C_ECONFLICT, NULL, "%s %s is at version %u, not %u", c->m->name,
                        c->want_id, r->version, expected_version);
    return 0;
}

int l2c__run_fire(l2c__cmd *c, uint32_t expected_version)
{
    l2c_engine *e = c->e;
    int rc;
    if ((rc = find_target(c, expected_version)))
        return rc;
    const l2c__rec *r = l2c__slot_rec(c->slot);
    int ti = l2c__process_lookup(c->p, r->state, (uint32_t)c->ev);
    if (ti < 0 || (c->p->trans[ti].cascade_only && !c->cascade))
        return l2c__err(e, L2C_ETRANSITION, NULL, "%s %s is %s: %s not allowed", c->m->name,
                        c->want_id, c->p->states[r->state], c->p->events[c->ev]);
    c->t = &c->p->trans[ti];
    if (!c->cascade && c->t->nroles) {
        int ok = 0;
        for (uint32_t i = 0; i < c->t->nroles && !ok; i++)
            ok = l2c__actor_has_role(c->actor, c->t->roles[i]);
        if (!ok)
            return l2c__err(e, L2C_EFORBIDDEN, NULL, "%s of %s %s needs the role %s",
                            c->p->events[c->ev], c->m->name, c->want_id, c->t->roles[0]);
    }
    if (c->data && c->data->kind != L2C__D_OBJ)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "data must be an object");
    const l2c__handler *h = l2c__handler_find(c->m, c->p->events[c->ev]);
    if (h && h->parse && (rc = h->parse(c)))
        return rc;
    c->to = c->t->to[0];
    if (c->t->nto > 1) {
        int k = c->t->chooser->fn(c);
        c->to = c->t->to[k >= 0 && k < c->t->nto ? k : 0];
    }
    if ((rc = run_guards(c, c->t->guards, c->t->nguards)))
        return rc;
    return h && h->apply ? h->apply(c) : l2c__apply_state(c);
}

int l2c__apply_state(l2c__cmd *c)
{
    if (!l2c__change(c->e, c->slot))
        return L2C_ENOMEM;
    return l2c__emit(c->e, c->slot, c->ev, c->to, c->actor, c->cause);
}

/* Names a command may not change: the envelope and every known field. */
static int known_field(const l2c__model *m, const char *key)
{
    static const char *const env[] = {"id", "type", "state", "version", "created_at",
                                      "updated_at"};
    for (size_t i = 0; i < sizeof env / sizeof *env; i++)
        if (strcmp(env[i], key) == 0)
            return -2;
    for (uint32_t i = 0; i < m->nfields; i++)
        if (strcmp(m->fields[i].name, key) == 0)
            return (int)i;
    return -1;
}

int l2c__run_update(l2c__cmd *c, uint32_t expected_version)
{
    l2c_engine *e = c->e;
    int rc;
    if ((rc = find_target(c, expected_version)))
        return rc;
    if (c->data && c->data->kind != L2C__D_OBJ)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "data must be an object");
    if ((rc = c->m->editable(c)))
        return rc;
    for (const l2c_data *d = c->data ? c->data->child : NULL; d; d = d->next) {
        int f = known_field(c->m, d->key);
        if (f == -1)
            continue;
        if (f == -2 || !(c->m->fields[f].flags & L2C__FF_UPDATE))
            return l2c__err(e, L2C_EINVAL, "field.immutable", "%s of %s %s cannot be changed",
                            d->key, c->m->name, c->want_id);
    }
    l2c__rec *r = l2c__change(e, c->slot);
    if (!r)
        return L2C_ENOMEM;
    if ((rc = c->m->update(c)))
        return rc;
    if ((rc = run_guards(c, c->p->update_guards, c->p->nupdate_guards)))
        return rc;
    return l2c__emit(e, c->slot, L2C__EV_UPDATE, r->state, c->actor, c->cause);
}

int l2c__cascade_fire(l2c__cmd *parent, l2c__slot *s, const char *event, const l2c_data *data)
{
    l2c__cmd c;
    l2c__cmd_init(&c, parent->e, s->type);
    c.cascade = 1;
    c.cause = parent->cause;
    c.actor = parent->actor;
    c.data = data;
    c.want_id = s->id->s;
    c.ev = l2c__process_event(c.p, event);
    int rc;
    if (c.ev < 0)
        rc = l2c__err(parent->e, L2C_EINVAL, "field.invalid", "%s has no event %s", c.m->name,
                      event);
    else
        rc = l2c__run_fire(&c, 0);
    l2c__cmd_done(&c);
    return rc;
}

int l2c__cascade_create(l2c__cmd *parent, int type, const char *id, const l2c_data *data,
                        l2c__slot **out)
{
    l2c__cmd c;
    l2c__cmd_init(&c, parent->e, type);
    c.cascade = 1;
    c.cause = parent->cause;
    c.actor = parent->actor;
    c.data = data;
    c.want_id = id;
    int rc = l2c__run_create(&c);
    if (!rc && out)
        *out = c.slot;
    l2c__cmd_done(&c);
    return rc;
}

l2c__slot *l2c__ref_slot(const l2c_engine *e, const l2c__rec *r, int field, int type)
{
    const l2c__str *id = r->f[field].s;
    return id ? l2c__find(e, type, id->s) : NULL;
}
