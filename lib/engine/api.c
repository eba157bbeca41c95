/* The typed C API: each call is one command in one transaction. */
#include <string.h>

#include "engine/engine.h"
#include "model/model.h"

/* Start a top-level command. */
int l2c__cmd_begin(l2c_engine *e)
{
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL,
                        "a command cannot be issued from inside a hook");
    if (e->user_tx) { /* inside l2c_begin … l2c_commit: join it */
        e->now = l2c__clock(e);
        return 0;
    }
    if (e->tx.open)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "a command is already running");
    if (e->store_ops) {
        int rc = e->store_ops->begin(e);
        if (rc)
            return rc;
    }
    l2c__tx_begin(e);
    e->now = l2c__clock(e);
    return 0;
}

/* Finish it: commit and notify listeners, or roll back everything. */
int l2c__cmd_end(l2c_engine *e, int rc)
{
    if (e->user_tx) {
        if (!rc)
            return 0; /* l2c_commit commits */
        e->user_tx = 0; /* the first failure ends the transaction, as in a batch */
    }
    if (!rc && e->store_ops)
        rc = e->store_ops->commit(e); /* acknowledged only once durable */
    else if (rc && e->store_ops)
        e->store_ops->rollback(e);
    if (rc) {
        l2c__tx_rollback(e);
        return rc;
    }
    uint64_t from = e->tx.ev_mark + 1;
    l2c__tx_commit(e);
    e->err.code = 0, e->err.rule = NULL;
    e->err.message[0] = '\0';
    if (e->committed >= from)
        l2c__run_listeners(e, from, e->committed);
    return 0;
}

static int resolve_type(l2c_engine *e, const char *type)
{
    if (!type)
        return l2c__err(e, L2C_EINVAL, "field.required", "type is required");
    int t = l2c__type_find(type);
    if (t < 0)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "unknown type '%s'", type);
    return t;
}

int l2c__resolve_event(l2c_engine *e, int t, const char *event)
{
    if (!event)
        return l2c__err(e, L2C_EINVAL, "field.required", "event is required");
    int ev = l2c__process_event(e->proc[t], event);
    if (ev < 2)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "event is not an event of %s: '%s'",
                        l2c__type_name(t), event);
    return ev;
}

int l2c__run_op(l2c__slot **out, l2c_engine *e, int op, int type, const char *id, int ev,
                const l2c_data *data, const l2c_actor *actor, uint32_t version)
{
    l2c__cmd c;
    l2c__cmd_init(&c, e, type);
    c.data = data;
    c.actor = actor;
    c.want_id = id;
    c.ev = op == L2C__OP_UPDATE ? L2C__EV_UPDATE : ev;
    c.cause = e->nevents + 1;
    e->now = l2c__clock(e);
    int rc = op == L2C__OP_CREATE ? l2c__run_create(&c)
             : op == L2C__OP_FIRE ? l2c__run_fire(&c, version)
                                  : l2c__run_update(&c, version);
    rc = l2c__host_guards(e, c.cause, rc);
    if (out)
        *out = rc ? NULL : c.slot;
    l2c__cmd_done(&c);
    return rc;
}

int l2c_create(char **out_id, l2c_engine *e, const char *type, const char *id,
               const l2c_data *data, const l2c_actor *actor)
{
    if (!e)
        return L2C_EINVAL;
    int t = resolve_type(e, type), rc;
    if (t < 0)
        return t;
    if ((rc = l2c__cmd_begin(e)))
        return rc;
    l2c__slot *made;
    rc = l2c__run_op(&made, e, L2C__OP_CREATE, t, id, 0, data, actor, 0);
    char *copy = NULL;
    if (!rc && out_id && !(copy = l2c__strdup(made->id->s)))
        rc = l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    rc = l2c__cmd_end(e, rc);
    if (rc)
        l2c__xfree(copy);
    else if (out_id)
        *out_id = copy;
    return rc;
}

int l2c_fire(l2c_engine *e, const char *type, const char *id, const char *event,
             const l2c_data *data, const l2c_actor *actor, uint32_t expected_version)
{
    if (!e)
        return L2C_EINVAL;
    int t = resolve_type(e, type), rc;
    if (t < 0)
        return t;
    int ev = l2c__resolve_event(e, t, event);
    if (ev < 0)
        return ev;
    if (!id)
        return l2c__err(e, L2C_EINVAL, "field.required", "id is required");
    if ((rc = l2c__cmd_begin(e)))
        return rc;
    rc = l2c__run_op(NULL, e, L2C__OP_FIRE, t, id, ev, data, actor, expected_version);
    return l2c__cmd_end(e, rc);
}

int l2c_update(l2c_engine *e, const char *type, const char *id, const l2c_data *data,
               const l2c_actor *actor, uint32_t expected_version)
{
    if (!e)
        return L2C_EINVAL;
    int t = resolve_type(e, type), rc;
    if (t < 0)
        return t;
    if (!id)
        return l2c__err(e, L2C_EINVAL, "field.required", "id is required");
    if ((rc = l2c__cmd_begin(e)))
        return rc;
    rc = l2c__run_op(NULL, e, L2C__OP_UPDATE, t, id, 0, data, actor, expected_version);
    return l2c__cmd_end(e, rc);
}

int l2c_sweep(uint64_t *out_count, l2c_engine *e)
{
    if (!e)
        return L2C_EINVAL;
    int rc = l2c__cmd_begin(e);
    if (rc)
        return rc;
    uint64_t before = e->nevents;
    rc = l2c__cmd_end(e, l2c__host_guards(e, before + 1, l2c__run_sweep(e, before + 1)));
    if (!rc && out_count)
        *out_count = e->committed - before;
    return rc;
}

static int lookup(l2c__slot **out, l2c_engine *e, const char *type, const char *id)
{
    *out = NULL;
    int t = resolve_type(e, type);
    if (t < 0)
        return t;
    if (!id)
        return l2c__err(e, L2C_EINVAL, "field.required", "id is required");
    *out = l2c__find(e, t, id);
    if (!*out || !(*out)->cur)
        return l2c__err(e, L2C_ENOTFOUND, NULL, "%s %s not found", type, id);
    e->err.code = 0, e->err.rule = NULL; /* a read that works is a success too */
    return 0;
}

int l2c_get_state(const char **out, l2c_engine *e, const char *type, const char *id)
{
    l2c__slot *s = NULL;
    int rc = lookup(&s, e, type, id);
    if (rc)
        return rc;
    *out = e->proc[s->type]->states[s->cur->state];
    return 0;
}

int l2c_get_version(uint32_t *out, l2c_engine *e, const char *type, const char *id)
{
    l2c__slot *s = NULL;
    int rc = lookup(&s, e, type, id);
    if (rc)
        return rc;
    *out = s->cur->version;
    return 0;
}

int l2c_count(uint64_t *out, l2c_engine *e, const char *type)
{
    int t = resolve_type(e, type);
    if (t < 0)
        return t;
    *out = e->tx.open ? e->tx.nlist[t] : e->nlist[t]; /* committed records only */
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}


int l2c_outbox_ack(l2c_engine *e, const char *consumer, uint64_t seq)
{
    if (!e)
        return L2C_EINVAL;
    if (!consumer || !*consumer)
        return l2c__err(e, L2C_EINVAL, "field.required", "a consumer needs a name");
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not from inside a hook");
    if (e->store_ops && e->store_ops->refresh(e))
        return e->err.code;
    if (seq > e->committed)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "sequence %llu is past the last event %llu",
                        (unsigned long long)seq, (unsigned long long)e->committed);
    if (e->store_ops)
        return e->store_ops->ack(e, consumer, seq);
    for (size_t i = 0; i < e->nconsumers; i++)
        if (strcmp(e->consumers[i].name, consumer) == 0) {
            e->consumers[i].seq = seq;
            return 0;
        }
    if (l2c__grow((void **)&e->consumers, &e->capconsumers, e->nconsumers + 1,
                  sizeof *e->consumers))
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    char *name = l2c__strdup(consumer);
    if (!name)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    e->consumers[e->nconsumers].name = name;
    e->consumers[e->nconsumers++].seq = seq;
    return 0;
}

int l2c_outbox_position(uint64_t *out, l2c_engine *e, const char *consumer)
{
    if (!e || !out)
        return L2C_EINVAL;
    *out = 0;
    if (!consumer || !*consumer)
        return l2c__err(e, L2C_EINVAL, "field.required", "a consumer needs a name");
    if (e->store_ops)
        return e->store_ops->position(e, consumer, out);
    for (size_t i = 0; i < e->nconsumers; i++)
        if (strcmp(e->consumers[i].name, consumer) == 0)
            *out = e->consumers[i].seq;
    return 0;
}

int l2c_begin(l2c_engine *e)
{
    if (!e)
        return L2C_EINVAL;
    if (e->user_tx || e->tx.open)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "a transaction is already open");
    int rc = l2c__cmd_begin(e);
    if (!rc)
        e->user_tx = 1;
    return rc;
}

int l2c_commit(l2c_engine *e)
{
    if (!e)
        return L2C_EINVAL;
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not from inside a hook");
    if (!e->user_tx)
        return l2c__err(e, L2C_EINVAL, "field.invalid",
                        "no transaction is open (a failed command ends it)");
    e->user_tx = 0;
    return l2c__cmd_end(e, 0);
}

int l2c_rollback(l2c_engine *e)
{
    if (!e)
        return L2C_EINVAL;
    if (e->in_hook)
        return l2c__err(e, L2C_EUNSUPPORTED, NULL, "not from inside a hook");
    if (!e->user_tx)
        return l2c__err(e, L2C_EINVAL, "field.invalid",
                        "no transaction is open (a failed command ends it)");
    e->user_tx = 0;
    if (e->store_ops)
        e->store_ops->rollback(e);
    l2c__tx_rollback(e);
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}
