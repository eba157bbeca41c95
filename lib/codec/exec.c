/* The JSON command protocol (DESIGN §4, §6): l2c_exec_json. */
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

typedef struct exec_ctx {
    l2c_engine *e;
    int depth;
} exec_ctx;

static int run(exec_ctx *x, const cJSON *cmd, cJSON *res);

#define bad(e, rule, ...) l2c__err((e), L2C_EINVAL, (rule), __VA_ARGS__)

static const char *ops[] = {"create", "fire", "update", "get",   "list",
                            "events", "sweep", "clock", "batch", "report"};
enum { OP_CREATE, OP_FIRE, OP_UPDATE, OP_GET, OP_LIST, OP_EVENTS, OP_SWEEP, OP_CLOCK, OP_BATCH,
       OP_REPORT, NOPS };

static int oom(l2c_engine *e) { return l2c__err(e, L2C_ENOMEM, NULL, "out of memory"); }

/* Events of the running command from sequence `from` on, into res.events. */
static int add_events(l2c_engine *e, cJSON *res, uint64_t from)
{
    cJSON *arr = cJSON_AddArrayToObject(res, "events");
    if (!arr)
        return oom(e);
    for (uint64_t s = from; s <= e->nevents; s++) {
        cJSON *j = l2c__json_event_raw(e, l2c__event_at(e, s));
        if (!j || !cJSON_AddItemToArray(arr, j)) {
            cJSON_Delete(j);
            return oom(e);
        }
    }
    return 0;
}

static int add_entity(l2c_engine *e, cJSON *res, const char *key, const l2c__slot *s)
{
    cJSON *j = l2c__json_record_raw(e, l2c__slot_rec(s));
    if (!j || !cJSON_AddItemToObject(res, key, j)) {
        cJSON_Delete(j);
        return oom(e);
    }
    return 0;
}

/* A whole number (JSON integer or decimal string), >= 0. */
static int whole(l2c_engine *e, const cJSON *v, const char *key, uint64_t *out)
{
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d != d || d < 0 || d >= 9007199254740992.0 || d != (double)(uint64_t)d)
            return bad(e, "field.invalid", "%s must be a whole number >= 0", key);
        *out = (uint64_t)d;
        return 0;
    }
    if (cJSON_IsString(v)) {
        int64_t x;
        if (l2c__dec_parse(&x, v->valuestring, 0) || x < 0)
            return bad(e, "field.invalid", "%s must be a whole number >= 0", key);
        *out = (uint64_t)x;
        return 0;
    }
    return bad(e, "field.invalid", "%s must be a whole number >= 0", key);
}

static int get_actor(l2c_engine *e, const cJSON *cmd, l2c_actor **out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(cmd, "actor");
    *out = NULL;
    if (!a || cJSON_IsNull(a))
        return 0;
    if (!cJSON_IsObject(a))
        return bad(e, "field.invalid", "%s must be an object", "actor");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(a, "id");
    const cJSON *roles = cJSON_GetObjectItemCaseSensitive(a, "roles");
    if (id && !cJSON_IsNull(id) && !cJSON_IsString(id))
        return bad(e, "field.invalid", "%s must be a string", "actor.id");
    if (roles && !cJSON_IsNull(roles) && !cJSON_IsArray(roles))
        return bad(e, "field.invalid", "%s must be an array of strings", "actor.roles");
    l2c_actor *act;
    if (l2c_actor_new(&act, cJSON_IsString(id) ? id->valuestring : NULL))
        return oom(e);
    for (const cJSON *r = roles ? roles->child : NULL; r; r = r->next) {
        if (!cJSON_IsString(r)) {
            l2c_actor_free(act);
            return bad(e, "field.invalid", "%s must be an array of strings", "actor.roles");
        }
        if (l2c_actor_add_role(act, r->valuestring)) {
            l2c_actor_free(act);
            return oom(e);
        }
    }
    *out = act;
    return 0;
}

static int get_str(l2c_engine *e, const cJSON *cmd, const char *key, int required,
                   const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cmd, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0]))
        return required ? bad(e, "field.required", "%s is required", key) : 0;
    if (!cJSON_IsString(v))
        return bad(e, "field.invalid", "%s must be a string", key);
    *out = v->valuestring;
    return 0;
}

static int op_record(exec_ctx *x, int op, const cJSON *cmd, cJSON *res)
{
    l2c_engine *e = x->e;
    const char *type, *id, *event = NULL;
    int rc, t, ev = 0;
    if ((rc = get_str(e, cmd, "type", 1, &type)))
        return rc;
    if ((t = l2c__type_find(type)) < 0)
        return bad(e, "field.invalid", "unknown type '%s'", type);
    if (op == OP_FIRE) {
        if ((rc = get_str(e, cmd, "event", 1, &event)))
            return rc;
        if ((ev = l2c__resolve_event(e, t, event)) < 0)
            return ev;
    }
    if ((rc = get_str(e, cmd, "id", op != OP_CREATE && op != OP_LIST, &id)))
        return rc;
    if (op == OP_CREATE && id && (rc = l2c__check_id(e, "id", id)))
        return rc;
    if (op == OP_GET) {
        l2c__slot *s = l2c__find(e, t, id);
        if (!s)
            return l2c__err(e, L2C_ENOTFOUND, NULL, "%s %s not found", type, id);
        return add_entity(e, res, "entity", s);
    }
    if (op == OP_LIST) {
        const char *st;
        if ((rc = get_str(e, cmd, "state", 0, &st)))
            return rc;
        int sidx = -1;
        if (st && (sidx = l2c__process_state(e->proc[t], st)) < 0)
            return bad(e, "field.invalid", "'%s' is not a state of this type", st);
        cJSON *arr = cJSON_AddArrayToObject(res, "entities");
        if (!arr)
            return oom(e);
        for (size_t i = 0; i < e->nlist[t]; i++) {
            const l2c__rec *r = l2c__slot_rec(e->list[t][i]);
            if (sidx >= 0 && r->state != sidx)
                continue;
            cJSON *j = l2c__json_record_raw(e, r);
            if (!j || !cJSON_AddItemToArray(arr, j)) {
                cJSON_Delete(j);
                return oom(e);
            }
        }
        return 0;
    }
    const cJSON *actor_j = cJSON_GetObjectItemCaseSensitive(cmd, "actor");
    const cJSON *data_j = cJSON_GetObjectItemCaseSensitive(cmd, "data");
    if (actor_j && !cJSON_IsNull(actor_j) && !cJSON_IsObject(actor_j))
        return bad(e, "field.invalid", "%s must be an object", "actor");
    if (data_j && !cJSON_IsNull(data_j) && !cJSON_IsObject(data_j))
        return bad(e, "field.invalid", "%s must be an object", "data");
    uint64_t version = 0;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(cmd, "version");
    if (op != OP_CREATE && ver && !cJSON_IsNull(ver)) {
        if ((rc = whole(e, ver, "version", &version)))
            return rc;
        if (version == 0 || version > UINT32_MAX)
            return bad(e, "field.invalid", "%s must be a version (1, 2, ...)", "version");
    }
    l2c_actor *actor;
    if ((rc = get_actor(e, cmd, &actor)))
        return rc;
    l2c_data *data = NULL;
    if (data_j && cJSON_IsObject(data_j) && !(data = l2c__json_to_data(data_j))) {
        l2c_actor_free(actor);
        return oom(e);
    }
    uint64_t first = e->nevents + 1;
    l2c__slot *slot;
    rc = l2c__run_op(&slot, e,
                     op == OP_CREATE ? L2C__OP_CREATE : op == OP_FIRE ? L2C__OP_FIRE : L2C__OP_UPDATE,
                     t, id, ev, data, actor, (uint32_t)version);
    if (!rc)
        rc = add_entity(e, res, "entity", slot);
    if (!rc)
        rc = add_events(e, res, first);
    l2c_data_free(data);
    l2c_actor_free(actor);
    return rc;
}

static int op_events(exec_ctx *x, const cJSON *cmd, cJSON *res)
{
    l2c_engine *e = x->e;
    uint64_t after = 0, limit = UINT64_MAX;
    const cJSON *v;
    int rc;
    if ((v = cJSON_GetObjectItemCaseSensitive(cmd, "after")) && !cJSON_IsNull(v) &&
        (rc = whole(e, v, "after", &after)))
        return rc;
    if ((v = cJSON_GetObjectItemCaseSensitive(cmd, "limit")) && !cJSON_IsNull(v) &&
        (rc = whole(e, v, "limit", &limit)))
        return rc;
    const char *topic;
    if ((rc = get_str(e, cmd, "topic", 0, &topic)))
        return rc;
    if (topic && !l2c__pattern_valid(topic))
        return bad(e, "field.invalid", "topic is not a valid pattern: '%s'", topic);
    cJSON *arr = cJSON_AddArrayToObject(res, "events");
    if (!arr)
        return oom(e);
    uint64_t n = 0;
    for (uint64_t s = after + 1; s <= e->nevents && n < limit; s++) {
        const struct l2c_event *ev = l2c__event_at(e, s);
        if (topic && !l2c__event_matches(ev, topic))
            continue;
        cJSON *j = l2c__json_event_raw(e, ev);
        if (!j || !cJSON_AddItemToArray(arr, j)) {
            cJSON_Delete(j);
            return oom(e);
        }
        n++;
    }
    return 0;
}

static int op_clock(exec_ctx *x, const cJSON *cmd, cJSON *res)
{
    l2c_engine *e = x->e;
    const char *now;
    int rc = get_str(e, cmd, "now", 0, &now);
    if (rc)
        return rc;
    if (now) {
        int64_t t;
        if (l2c__time_parse(&t, now))
            return bad(e, "field.invalid", "now must be an RFC 3339 time: '%s'", now);
        if (e->in_hook)
            return l2c__err(e, L2C_EUNSUPPORTED, NULL,
                            "the clock cannot be set from inside a hook");
        e->clock_fixed = 1;
        e->clock_at = t;
    }
    char buf[32];
    l2c__time_format(buf, l2c__clock(e));
    return cJSON_AddStringToObject(res, "now", buf) ? 0 : oom(e);
}

static int op_batch(exec_ctx *x, const cJSON *cmd, cJSON *res)
{
    l2c_engine *e = x->e;
    const cJSON *cmds = cJSON_GetObjectItemCaseSensitive(cmd, "commands");
    if (!cmds || cJSON_IsNull(cmds))
        return bad(e, "field.required", "%s is required", "commands");
    if (!cJSON_IsArray(cmds))
        return bad(e, "field.invalid", "%s must be an array", "commands");
    cJSON *arr = cJSON_AddArrayToObject(res, "results");
    if (!arr)
        return oom(e);
    int i = 0;
    for (const cJSON *c = cmds->child; c; c = c->next, i++) {
        cJSON *sub = cJSON_CreateObject();
        if (!sub || !cJSON_AddItemToArray(arr, sub)) {
            cJSON_Delete(sub);
            return oom(e);
        }
        int rc;
        if (!cJSON_AddTrueToObject(sub, "ok"))
            rc = oom(e);
        else if (!cJSON_IsObject(c))
            rc = bad(e, "field.invalid", "%s must be an object", "a command");
        else {
            x->depth++;
            rc = run(x, c, sub);
            x->depth--;
        }
        if (rc) {
            char msg[sizeof e->err.message];
            snprintf(msg, sizeof msg, "batch command %d: %.200s", i, e->err.message);
            memcpy(e->err.message, msg, sizeof msg);
            return rc;
        }
    }
    return 0;
}

static int run(exec_ctx *x, const cJSON *cmd, cJSON *res)
{
    l2c_engine *e = x->e;
    const char *op;
    int rc = get_str(e, cmd, "op", 1, &op);
    if (rc)
        return rc;
    int o = 0;
    while (o < NOPS && strcmp(ops[o], op) != 0)
        o++;
    switch (o) {
    case OP_CREATE:
    case OP_FIRE:
    case OP_UPDATE:
    case OP_GET:
    case OP_LIST:
        return op_record(x, o, cmd, res);
    case OP_EVENTS:
        return op_events(x, cmd, res);
    case OP_SWEEP: {
        uint64_t first = e->nevents + 1;
        e->now = l2c__clock(e);
        rc = l2c__host_guards(e, first, l2c__run_sweep(e, first));
        return rc ? rc : add_events(e, res, first);
    }
    case OP_CLOCK:
        return op_clock(x, cmd, res);
    case OP_BATCH:
        return op_batch(x, cmd, res);
    case OP_REPORT:
        return l2c__op_report(e, cmd, res);
    default:
        return bad(e, "field.invalid", "unknown op '%s'", op);
    }
}

static char *error_json(l2c_engine *e, int rc, int index)
{
    cJSON *o = cJSON_CreateObject(), *err = NULL;
    const char *rule = e->err.rule;
    if (rc == L2C_EINVAL && !rule)
        rule = "field.invalid";
    if (rc != L2C_EINVAL && rc != L2C_EGUARD)
        rule = NULL;
    int ok = o && cJSON_AddFalseToObject(o, "ok") && (err = cJSON_AddObjectToObject(o, "error")) &&
             cJSON_AddStringToObject(err, "code", l2c_error_name(rc)) &&
             (!rule || cJSON_AddStringToObject(err, "rule", rule)) &&
             cJSON_AddStringToObject(err, "message", e->err.message) &&
             (index < 0 || cJSON_AddNumberToObject(err, "index", index));
    char *s = ok ? l2c__json_print(o) : NULL;
    cJSON_Delete(o);
    return s;
}

static int is_read(const cJSON *cmd)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(cmd, "op");
    if (!cJSON_IsString(op))
        return 0;
    /* reads, and the clock, which is not stored: no write lock needed */
    return !strcmp(op->valuestring, "get") || !strcmp(op->valuestring, "list") ||
           !strcmp(op->valuestring, "events") || !strcmp(op->valuestring, "report") ||
           !strcmp(op->valuestring, "clock");
}

/* The index of the batch sub-command that failed, when the command is a batch. */
static int failed_index(const cJSON *cmd, const cJSON *res)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(cmd, "op");
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(res, "results");
    if (!cJSON_IsString(op) || strcmp(op->valuestring, "batch") || !cJSON_IsArray(results))
        return -1;
    int n = cJSON_GetArraySize(results);
    return n > 0 ? n - 1 : -1;
}

int l2c_exec_json(char **out, l2c_engine *e, const char *command)
{
    if (!out)
        return L2C_EINVAL;
    *out = NULL;
    if (!e)
        return L2C_EINVAL;
    int rc = 0, index = -1;
    cJSON *res = NULL;
    const char *end = NULL;
    cJSON *cmd = command ? cJSON_ParseWithOpts(command, &end, 1) : NULL;
    /* cJSON gives NULL for bad JSON and for a failed allocation alike: try
     * once more, and when memory is still out, say so rather than blame the
     * input */
    if (!cmd && command)
        cmd = cJSON_ParseWithOpts(command, &end, 1);
    if (!cmd) {
        cJSON *probe = command ? cJSON_CreateNull() : NULL;
        if (command && !probe)
            rc = oom(e);
        else
            rc = l2c__err(e, L2C_EPARSE, NULL, "the command is not valid JSON");
        cJSON_Delete(probe);
    } else if (!cJSON_IsObject(cmd)) {
        rc = bad(e, "field.invalid", "the command must be a JSON %s", "object");
    } else if (!(res = cJSON_CreateObject()) || !cJSON_AddTrueToObject(res, "ok")) {
        rc = oom(e);
    } else {
        exec_ctx x = {e, 0};
        /* reads (and the clock) never open, join or end a transaction */
        int read = is_read(cmd) && (!e->tx.open || e->user_tx);
        if (read) {
            if (e->store_ops && !e->in_hook)
                rc = e->store_ops->refresh(e);
            if (!rc)
                rc = run(&x, cmd, res);
        } else if (!(rc = l2c__cmd_begin(e))) {
            rc = run(&x, cmd, res);
            if (rc)
                index = failed_index(cmd, res);
            char *s = NULL;
            if (!rc && !(s = l2c__json_print(res)))
                rc = oom(e);
            /* the answer is built before the commit; listeners run after it */
            rc = l2c__cmd_end(e, rc);
            if (!rc) {
                cJSON_Delete(res);
                cJSON_Delete(cmd);
                e->err.code = 0, e->err.rule = NULL;
                *out = s;
                return 0;
            }
            l2c__xfree(s);
        }
    }
    if (!rc) {
        *out = l2c__json_print(res);
        if (!*out)
            rc = oom(e);
        else
            e->err.code = 0, e->err.rule = NULL;
    }
    if (rc) {
        *out = error_json(e, rc, index);
        if (!*out) {
            /* the answer says no_memory (or is NULL): so does the code */
            rc = oom(e);
            *out = l2c__strdup("{\"ok\":false,\"error\":{\"code\":\"no_memory\",\"message\":\"out of memory\"}}");
        }
    }
    cJSON_Delete(res);
    cJSON_Delete(cmd);
    return rc;
}

/* ---- reads through JSON ---- */

int l2c_get_json(char **out, l2c_engine *e, const char *type, const char *id)
{
    int t = l2c__type_find(type);
    if (t < 0)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "unknown type");
    /* the committed version, as l2c_get_state: a guard reads what is, not
     * what its command is making */
    l2c__slot *s = id ? l2c__find(e, t, id) : NULL;
    if (!s || !s->cur)
        return l2c__err(e, L2C_ENOTFOUND, NULL, "%s %s not found", type, id ? id : "(null)");
    l2c__buf b = {0};
    *out = l2c__write_record(&b, e, s->cur, NULL) ? NULL : l2c__buf_take(&b);
    l2c__buf_free(&b);
    if (!*out)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}

int l2c_get_field(char **out, l2c_engine *e, const char *type, const char *id, const char *field)
{
    int t = l2c__type_find(type);
    if (t < 0)
        return l2c__err(e, L2C_EINVAL, "field.invalid", "unknown type");
    l2c__slot *s = id ? l2c__find(e, t, id) : NULL;
    if (!s || !s->cur)
        return l2c__err(e, L2C_ENOTFOUND, NULL, "%s %s not found", type, id ? id : "(null)");
    cJSON *j = l2c__json_record(e, s->cur, NULL);
    if (!j)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    const cJSON *v = field ? cJSON_GetObjectItemCaseSensitive(j, field) : NULL;
    int rc = 0;
    *out = NULL;
    if (!v)
        rc = l2c__err(e, L2C_ENOTFOUND, NULL, "%s has no field '%s'", type, field ? field : "");
    else if (cJSON_IsString(v))
        rc = (*out = l2c__strdup(v->valuestring)) ? 0 : L2C_ENOMEM;
    else if (!cJSON_IsNull(v))
        rc = (*out = l2c__json_print(v)) ? 0 : L2C_ENOMEM;
    cJSON_Delete(j);
    if (rc == L2C_ENOMEM)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    if (!rc)
        e->err.code = 0, e->err.rule = NULL;
    return rc;
}
