/* l2c_data: the input tree of the C API (the codec builds the same from
 * JSON), and l2c_actor with its immutable snapshots for events. */
#include <string.h>

#include "core/core.h"

l2c_data *l2c__data_node(uint8_t kind)
{
    l2c_data *d = l2c__calloc(1, sizeof *d);
    if (d)
        d->kind = kind;
    return d;
}

void l2c_data_free(l2c_data *d)
{
    while (d) {
        l2c_data *next = d->next;
        l2c_data_free(d->child);
        l2c__xfree(d->key);
        l2c__xfree(d->str);
        l2c__xfree(d);
        d = next;
    }
}

int l2c_data_new(l2c_data **out)
{
    *out = l2c__data_node(L2C__D_OBJ);
    return *out ? L2C_OK : L2C_ENOMEM;
}

const l2c_data *l2c__data_get(const l2c_data *obj, const char *key)
{
    if (!obj || obj->kind != L2C__D_OBJ)
        return NULL;
    for (const l2c_data *c = obj->child; c; c = c->next)
        if (c->key && strcmp(c->key, key) == 0)
            return c;
    return NULL;
}

int l2c__data_attach(l2c_data *obj, const char *key, l2c_data *child)
{
    if (!obj || (key && obj->kind != L2C__D_OBJ) || (!key && obj->kind != L2C__D_ARR)) {
        l2c_data_free(child);
        return L2C_EINVAL;
    }
    if (key) {
        child->key = l2c__strdup(key);
        if (!child->key) {
            l2c_data_free(child);
            return L2C_ENOMEM;
        }
        /* replace an existing member in place, keeping the order */
        for (l2c_data **pp = &obj->child; *pp; pp = &(*pp)->next) {
            l2c_data *c = *pp;
            if (c->key && strcmp(c->key, key) == 0) {
                child->next = c->next;
                *pp = child;
                if (obj->last == c)
                    obj->last = child;
                c->next = NULL;
                l2c_data_free(c);
                return L2C_OK;
            }
        }
    }
    if (obj->last)
        obj->last->next = child;
    else
        obj->child = child;
    obj->last = child;
    obj->count++;
    return L2C_OK;
}

static int set_node(l2c_data *obj, const char *key, l2c_data *n)
{
    if (!n)
        return L2C_ENOMEM;
    return l2c__data_attach(obj, key, n);
}

int l2c_data_set_string(l2c_data *obj, const char *key, const char *value)
{
    if (!obj || !key)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(value ? L2C__D_STR : L2C__D_NULL);
    if (n && value && !(n->str = l2c__strdup(value))) {
        l2c_data_free(n);
        return L2C_ENOMEM;
    }
    return set_node(obj, key, n);
}

int l2c_data_set_int(l2c_data *obj, const char *key, int64_t value)
{
    if (!obj || !key)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(L2C__D_INT);
    if (n)
        n->i = value;
    return set_node(obj, key, n);
}

int l2c_data_set_bool(l2c_data *obj, const char *key, int32_t value)
{
    if (!obj || !key)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(L2C__D_BOOL);
    if (n)
        n->i = value != 0;
    return set_node(obj, key, n);
}

static int set_container(l2c_data **out, l2c_data *obj, const char *key, uint8_t kind)
{
    if (!obj || !key || !out)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(kind);
    int rc = set_node(obj, key, n);
    *out = rc ? NULL : n;
    return rc;
}

int l2c_data_set_object(l2c_data **out, l2c_data *obj, const char *key)
{
    return set_container(out, obj, key, L2C__D_OBJ);
}

int l2c_data_set_array(l2c_data **out, l2c_data *obj, const char *key)
{
    return set_container(out, obj, key, L2C__D_ARR);
}

int l2c_data_append_object(l2c_data **out, l2c_data *arr)
{
    if (!out || !arr || arr->kind != L2C__D_ARR)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(L2C__D_OBJ);
    int rc = set_node(arr, NULL, n);
    *out = rc ? NULL : n;
    return rc;
}

int l2c_data_append_string(l2c_data *arr, const char *value)
{
    if (!arr || arr->kind != L2C__D_ARR || !value)
        return L2C_EINVAL;
    l2c_data *n = l2c__data_node(L2C__D_STR);
    if (n && !(n->str = l2c__strdup(value))) {
        l2c_data_free(n);
        return L2C_ENOMEM;
    }
    return set_node(arr, NULL, n);
}

/* ---- actors ---- */

int l2c_actor_new(l2c_actor **out, const char *id)
{
    l2c_actor *a = l2c__calloc(1, sizeof *a);
    if (!a)
        return L2C_ENOMEM;
    if (id && !(a->id = l2c__strdup(id))) {
        l2c__xfree(a);
        return L2C_ENOMEM;
    }
    *out = a;
    return L2C_OK;
}

int l2c_actor_add_role(l2c_actor *a, const char *role)
{
    if (!a || !role)
        return L2C_EINVAL;
    if (l2c__grow((void **)&a->roles, &a->cap, a->nroles + 1, sizeof *a->roles))
        return L2C_ENOMEM;
    char *r = l2c__strdup(role);
    if (!r)
        return L2C_ENOMEM;
    a->roles[a->nroles++] = r;
    l2c__actor_snap_unref(a->snap); /* events keep their own reference */
    a->snap = NULL;
    return L2C_OK;
}

void l2c_actor_free(l2c_actor *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nroles; i++)
        l2c__xfree(a->roles[i]);
    l2c__xfree(a->roles);
    l2c__xfree(a->id);
    l2c__actor_snap_unref(a->snap);
    l2c__xfree(a);
}

void l2c__actor_snap_unref(l2c__actor_snap *s)
{
    if (!s || --s->refs)
        return;
    l2c__str_unref(s->id);
    for (uint32_t i = 0; i < s->nroles; i++)
        l2c__str_unref(s->roles[i]);
    l2c__xfree(s);
}

l2c__actor_snap *l2c__actor_snapshot(l2c_actor *a)
{
    if (a->snap)
        return a->snap;
    l2c__actor_snap *s = l2c__calloc(1, sizeof *s + a->nroles * sizeof(l2c__str *));
    if (!s)
        return NULL;
    s->refs = 1;
    if (a->id && !(s->id = l2c__str_from(a->id)))
        goto oom;
    for (size_t i = 0; i < a->nroles; i++) {
        if (!(s->roles[i] = l2c__str_from(a->roles[i])))
            goto oom;
        s->nroles++;
    }
    a->snap = s;
    return s;
oom:
    l2c__actor_snap_unref(s);
    return NULL;
}

bool l2c__actor_has_role(const l2c_actor *a, const char *role)
{
    if (!a)
        return false;
    for (size_t i = 0; i < a->nroles; i++)
        if (strcmp(a->roles[i], role) == 0)
            return true;
    return false;
}
