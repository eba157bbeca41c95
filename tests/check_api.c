/* The typed C API: commands and reads, the l2c_data builder, actors, the
 * last error, error names, the version, the allocator, engine options,
 * event accessors, and a whole flow through C agreeing with the JSON path. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h" /* white box: the order of an l2c_data object's keys */
#include "support/testutil.h"

__attribute__((format(printf, 1, 2))) static const char *J(const char *fmt, ...)
{
    static char ring[8][4096];
    static unsigned next;
    char *b = ring[next++ % 8];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof ring[0], fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0 && (size_t)n < sizeof ring[0], "command too long");
    for (char *p = b; *p; p++)
        if (*p == '\'')
            *p = '"';
    return b;
}

static void ok(l2c_engine *e, const char *json) { cJSON_Delete(tu_ok(e, json)); }

static l2c_data *obj(void)
{
    l2c_data *d = NULL;
    ck_assert_int_eq(l2c_data_new(&d), 0);
    ck_assert_ptr_nonnull(d);
    return d;
}

static l2c_actor *actor(const char *id, const char *role)
{
    l2c_actor *a = NULL;
    ck_assert_int_eq(l2c_actor_new(&a, id), 0);
    if (role)
        ck_assert_int_eq(l2c_actor_add_role(a, role), 0);
    return a;
}

static const char *state_of(l2c_engine *e, const char *type, const char *id)
{
    const char *s = NULL;
    ck_assert_int_eq(l2c_get_state(&s, e, type, id), 0);
    ck_assert_ptr_nonnull(s);
    return s;
}

static uint32_t version_of(l2c_engine *e, const char *type, const char *id)
{
    uint32_t v = 0;
    ck_assert_int_eq(l2c_get_version(&v, e, type, id), 0);
    return v;
}

/* A lead L-000001 (Ines, Ortega Foods) made through C. */
static void c_lead(l2c_engine *e)
{
    l2c_data *d = obj();
    ck_assert_int_eq(l2c_data_set_string(d, "name", "Ines Ortega"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "email", "ines@example.org"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "company", "Ortega Foods"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "source", "webinar"), 0);
    char *id = NULL;
    ck_assert_int_eq(l2c_create(&id, e, "lead", NULL, d, NULL), 0);
    ck_assert_str_eq(id, "L-000001");
    l2c_free(id);
    l2c_data_free(d);
}

/* ---- commands and reads ---- */

START_TEST(test_create_fire_update_and_reads)
{
    l2c_engine *e = tu_engine();
    c_lead(e);
    ck_assert_str_eq(state_of(e, "lead", "L-000001"), "new");
    ck_assert_uint_eq(version_of(e, "lead", "L-000001"), 1);
    /* a given id; out_id may be NULL */
    l2c_data *d = obj();
    ck_assert_int_eq(l2c_data_set_string(d, "name", "Bo"), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", "lead-bo", d, NULL), 0);
    char *id = (char *)"untouched";
    ck_assert_int_eq(l2c_create(&id, e, "lead", "lead-bo", d, NULL), L2C_EEXISTS);
    ck_assert_str_eq(id, "untouched");
    uint64_t n = 0;
    ck_assert_int_eq(l2c_count(&n, e, "lead"), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(l2c_count(&n, e, "invoice"), 0);
    ck_assert_uint_eq(n, 0);
    /* fire, with and without the version check */
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 1), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "qualify", NULL, NULL, 1), L2C_ECONFLICT);
    ck_assert_str_eq(state_of(e, "lead", "L-000001"), "working");
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "qualify", NULL, NULL, 0), 0);
    ck_assert_uint_eq(version_of(e, "lead", "L-000001"), 3);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", NULL, NULL, 0), L2C_ETRANSITION);
    /* update */
    l2c_data *u = obj();
    ck_assert_int_eq(l2c_data_set_string(u, "email", "ines@ortega.es"), 0);
    ck_assert_int_eq(l2c_update(e, "lead", "L-000001", u, NULL, 3), 0);
    ck_assert_int_eq(l2c_update(e, "lead", "L-000001", u, NULL, 3), L2C_ECONFLICT);
    ck_assert_uint_eq(version_of(e, "lead", "L-000001"), 4);
    ck_assert_int_eq(l2c_data_set_string(u, "reason", "x"), 0);
    ck_assert_int_eq(l2c_update(e, "lead", "L-000001", u, NULL, 0), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.immutable");
    /* get_field: strings unquoted, null as NULL, numbers and arrays as JSON */
    char *f = NULL;
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000001", "email"), 0);
    ck_assert_str_eq(f, "ines@ortega.es");
    l2c_free(f);
    f = (char *)"x";
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000001", "reason"), 0);
    ck_assert_ptr_null(f);
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000001", "version"), 0);
    ck_assert_str_eq(f, "4");
    l2c_free(f);
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000001", "shoe_size"), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-404", "email"), L2C_ENOTFOUND);
    /* get_json is the protocol's entity */
    char *json = NULL;
    ck_assert_int_eq(l2c_get_json(&json, e, "lead", "L-000001"), 0);
    cJSON *mine = cJSON_Parse(json);
    cJSON *r = tu_ok(e, J("{'op':'get','type':'lead','id':'L-000001'}"));
    ck_assert(cJSON_Compare(mine, cJSON_GetObjectItem(r, "entity"), 1));
    ck_assert_str_eq(tu_str(mine, "state"), "qualified");
    cJSON_Delete(r);
    cJSON_Delete(mine);
    l2c_free(json);
    /* reads of what is not there */
    const char *s = NULL;
    ck_assert_int_eq(l2c_get_state(&s, e, "lead", "L-404"), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_get_state(&s, e, "lead", NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_get_state(&s, e, "prospect", "L-000001"), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_int_eq(l2c_get_json(&json, e, "account", "L-000001"), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_count(&n, e, "leads"), L2C_EINVAL);
    l2c_data_free(d);
    l2c_data_free(u);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_command_arguments_are_checked)
{
    l2c_engine *e = tu_engine();
    c_lead(e);
    ck_assert_int_eq(l2c_create(NULL, NULL, "lead", NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_create(NULL, e, NULL, NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_create(NULL, e, "prospect", NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_create(NULL, e, "lead", "a/b", NULL, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", NULL, NULL, NULL, 0), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "ship", NULL, NULL, 0), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_int_eq(l2c_fire(e, "lead", NULL, "qualify", NULL, NULL, 0), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    ck_assert_int_eq(l2c_fire(e, "lead", "L-404", "qualify", NULL, NULL, 0), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "complete", NULL, NULL, 0), L2C_EINVAL);
    ck_assert_int_eq(l2c_fire(NULL, "lead", "L-000001", "qualify", NULL, NULL, 0), L2C_EINVAL);
    ck_assert_int_eq(l2c_update(e, "lead", NULL, NULL, NULL, 0), L2C_EINVAL);
    ck_assert_int_eq(l2c_update(e, "lead", "L-404", NULL, NULL, 0), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_sweep(NULL, NULL), L2C_EINVAL);
    /* data that is an array where an object is wanted */
    l2c_data *d = obj(), *arr = NULL;
    ck_assert_int_eq(l2c_data_set_array(&arr, d, "lines"), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", arr, NULL, 0), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.invalid");
    ck_assert_str_eq(state_of(e, "lead", "L-000001"), "new");
    ck_assert_uint_eq(l2c_events_last(e), 1);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_sweep_counts_its_events)
{
    l2c_engine *e = tu_engine();
    uint64_t n = 99;
    ck_assert_int_eq(l2c_sweep(&n, e), 0);
    ck_assert_uint_eq(n, 0);
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'invoice','data':{'order':'SO-000001'}}"));
    ok(e, J("{'op':'fire','type':'invoice','id':'INV-000001','event':'issue'}"));
    ck_assert_int_eq(l2c_sweep(&n, e), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(l2c_clock_set(e, 1775032200 + 31 * 86400), 0);
    uint64_t last = l2c_events_last(e);
    ck_assert_int_eq(l2c_sweep(&n, e), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(l2c_events_last(e), last + 1);
    ck_assert_str_eq(state_of(e, "invoice", "INV-000001"), "overdue");
    ck_assert_int_eq(l2c_sweep(NULL, e), 0);
    l2c_engine_free(e);
}
END_TEST

/* ---- l2c_data ---- */

START_TEST(test_data_replacing_a_key_keeps_its_place)
{
    l2c_data *d = obj(), *o = NULL;
    ck_assert_int_eq(l2c_data_set_string(d, "a", "1"), 0);
    ck_assert_int_eq(l2c_data_set_int(d, "b", 2), 0);
    ck_assert_int_eq(l2c_data_set_bool(d, "c", 7), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "a", "one"), 0);     /* first */
    ck_assert_int_eq(l2c_data_set_object(&o, d, "c"), 0);         /* last */
    ck_assert_int_eq(l2c_data_set_string(d, "b", NULL), 0);      /* middle, to null */
    ck_assert_int_eq(l2c_data_set_int(d, "d", -5), 0);
    static const char *const keys[] = {"a", "b", "c", "d"};
    static const uint8_t kinds[] = {L2C__D_STR, L2C__D_NULL, L2C__D_OBJ, L2C__D_INT};
    size_t i = 0;
    for (const l2c_data *c = d->child; c; c = c->next, i++) {
        ck_assert_uint_lt(i, 4);
        ck_assert_str_eq(c->key, keys[i]);
        ck_assert_uint_eq(c->kind, kinds[i]);
    }
    ck_assert_uint_eq(i, 4);
    ck_assert_uint_eq(d->count, 4);
    ck_assert_str_eq(d->child->str, "one");
    ck_assert_ptr_eq(d->child->next->next, o);
    /* appending after a replaced last member goes after it */
    ck_assert_int_eq(l2c_data_set_int(d, "d", 6), 0);
    ck_assert_int_eq(l2c_data_set_int(d, "e", 7), 0);
    ck_assert_str_eq(d->last->key, "e");
    ck_assert_int_eq(d->child->next->next->next->i, 6);
    l2c_data_free(d);
}
END_TEST

START_TEST(test_data_replaced_key_is_what_the_engine_reads)
{
    l2c_engine *e = tu_engine();
    l2c_data *d = obj();
    ck_assert_int_eq(l2c_data_set_string(d, "name", "Wrong"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "company", "Acme"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "name", "Right"), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), 0);
    char *f = NULL;
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000001", "name"), 0);
    ck_assert_str_eq(f, "Right");
    l2c_free(f);
    /* replaced by null: name missing */
    ck_assert_int_eq(l2c_data_set_string(d, "name", NULL), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "lead", NULL, d, NULL), L2C_EINVAL);
    ck_assert_str_eq(l2c_last_error_rule(e), "field.required");
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_data_arrays_and_nested_objects)
{
    l2c_engine *e = tu_engine();
    tu_confirmed_order(e);
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'More'}}"));
    l2c_data *d = obj(), *lines = NULL, *l = NULL;
    ck_assert_int_eq(l2c_data_set_string(d, "opportunity", "OPP-000002"), 0);
    ck_assert_int_eq(l2c_data_set_array(&lines, d, "lines"), 0);
    static const char *const skus[] = {"C", "A", "B"};
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(l2c_data_append_object(&l, lines), 0);
        ck_assert_int_eq(l2c_data_set_string(l, "sku", skus[i]), 0);
        ck_assert_int_eq(l2c_data_set_int(l, "qty", i + 1), 0);
        ck_assert_int_eq(l2c_data_set_string(l, "unit_price", "10.50"), 0);
        ck_assert_int_eq(l2c_data_set_int(l, "tax_rate_pct", 21), 0);
    }
    char *id = NULL;
    ck_assert_int_eq(l2c_create(&id, e, "quote", NULL, d, NULL), 0);
    ck_assert_str_eq(id, "Q-000002");
    char *f = NULL;
    ck_assert_int_eq(l2c_get_field(&f, e, "quote", id, "lines"), 0);
    cJSON *arr = cJSON_Parse(f);
    ck_assert_int_eq(cJSON_GetArraySize(arr), 3);
    for (int i = 0; i < 3; i++) {
        const cJSON *li = cJSON_GetArrayItem(arr, i);
        ck_assert_str_eq(tu_str(li, "sku"), skus[i]);
        ck_assert_int_eq(atoi(tu_str(li, "qty")), i + 1);
        ck_assert_str_eq(tu_str(li, "unit_price"), "10.50");
    }
    cJSON_Delete(arr);
    l2c_free(f);
    ck_assert_int_eq(l2c_get_field(&f, e, "quote", id, "total"), 0);
    ck_assert_str_eq(f, "76.24"); /* 63.00 + tax rounded per line: 2.21 + 4.41 + 6.62 */
    l2c_free(f);
    l2c_free(id);
    l2c_data_free(d);
    /* a nested object: convert with its opportunity; an array of strings */
    ok(e, J("{'op':'create','type':'lead','data':{'name':'Bo','company':'Bo AG'}}"));
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000002", "qualify", NULL, NULL, 0), 0);
    d = obj();
    l2c_data *opp = NULL, *tags = NULL;
    ck_assert_int_eq(l2c_data_set_string(d, "account_id", "ACC-BO"), 0);
    ck_assert_int_eq(l2c_data_set_object(&opp, d, "opportunity"), 0);
    ck_assert_int_eq(l2c_data_set_string(opp, "id", "OPP-BO"), 0);
    ck_assert_int_eq(l2c_data_set_string(opp, "name", "Bo deal"), 0);
    ck_assert_int_eq(l2c_data_set_int(opp, "amount", 5000), 0);
    ck_assert_int_eq(l2c_data_set_array(&tags, d, "tags"), 0);
    ck_assert_int_eq(l2c_data_append_string(tags, "ignored"), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000002", "convert", d, NULL, 0), 0);
    ck_assert_str_eq(state_of(e, "opportunity", "OPP-BO"), "prospecting");
    ck_assert_int_eq(l2c_get_field(&f, e, "opportunity", "OPP-BO", "amount"), 0);
    ck_assert_str_eq(f, "5000.00");
    l2c_free(f);
    ck_assert_int_eq(l2c_get_field(&f, e, "lead", "L-000002", "account"), 0);
    ck_assert_str_eq(f, "ACC-BO");
    l2c_free(f);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_data_builder_errors)
{
    l2c_data *d = obj(), *arr = NULL, *o = NULL, *x = NULL;
    ck_assert_int_eq(l2c_data_set_array(&arr, d, "list"), 0);
    ck_assert_int_eq(l2c_data_set_object(&o, d, "obj"), 0);
    /* keys on an array, appends on an object */
    ck_assert_int_eq(l2c_data_set_string(arr, "k", "v"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_int(arr, "k", 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_bool(arr, "k", 1), L2C_EINVAL);
    x = (l2c_data *)&x;
    ck_assert_int_eq(l2c_data_set_object(&x, arr, "k"), L2C_EINVAL);
    ck_assert_ptr_null(x);
    ck_assert_int_eq(l2c_data_set_array(&x, arr, "k"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_object(&x, o), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_string(o, "v"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_object(&x, d), L2C_EINVAL);
    /* NULLs */
    ck_assert_int_eq(l2c_data_set_string(d, NULL, "v"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_string(NULL, "k", "v"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_int(NULL, "k", 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_int(d, NULL, 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_bool(d, NULL, 1), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_object(NULL, d, "k"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_object(&x, NULL, "k"), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_set_array(&x, d, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_object(NULL, arr), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_string(arr, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_data_append_string(NULL, "v"), L2C_EINVAL);
    /* the failures added nothing */
    ck_assert_uint_eq(d->count, 2);
    ck_assert_uint_eq(arr->count, 0);
    ck_assert_uint_eq(o->count, 0);
    ck_assert_int_eq(l2c_data_append_string(arr, "v"), 0);
    ck_assert_uint_eq(arr->count, 1);
    l2c_data_free(d);
    l2c_data_free(NULL);
}
END_TEST

/* ---- actors ---- */

START_TEST(test_actor_roles_gate_events_and_events_keep_a_snapshot)
{
    l2c_engine *e = tu_engine();
    ok(e, J("{'op':'create','type':'account','data':{'name':'X'}}"));
    l2c_actor *a = actor("u-7", "sales_rep");
    ck_assert_int_eq(l2c_fire(e, "account", "ACC-000001", "hold", NULL, a, 0), L2C_EFORBIDDEN);
    ck_assert_int_eq(l2c_fire(e, "account", "ACC-000001", "hold", NULL, NULL, 0), L2C_EFORBIDDEN);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    l2c_data *d = obj();
    ck_assert_int_eq(l2c_data_set_string(d, "name", "X AG"), 0);
    ck_assert_int_eq(l2c_update(e, "account", "ACC-000001", d, a, 0), 0); /* seq 2 */
    ck_assert_int_eq(l2c_actor_add_role(a, "finance"), 0);
    ck_assert_int_eq(l2c_fire(e, "account", "ACC-000001", "hold", NULL, a, 0), 0); /* seq 3 */
    ck_assert_str_eq(state_of(e, "account", "ACC-000001"), "on_hold");
    /* each event keeps the actor as it was */
    const l2c_event *ev = NULL;
    char *json = NULL;
    ck_assert_int_eq(l2c_event_get(&ev, e, 2), 0);
    ck_assert_str_eq(l2c_event_actor_id(ev), "u-7");
    ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
    cJSON *j = cJSON_Parse(json);
    ck_assert_int_eq(tu_len(j, "data.actor.roles"), 1);
    ck_assert_str_eq(tu_str(j, "data.actor.roles.0"), "sales_rep");
    cJSON_Delete(j);
    l2c_free(json);
    ck_assert_int_eq(l2c_event_get(&ev, e, 3), 0);
    ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
    j = cJSON_Parse(json);
    ck_assert_int_eq(tu_len(j, "data.actor.roles"), 2);
    ck_assert_str_eq(tu_str(j, "data.actor.roles.1"), "finance");
    ck_assert_str_eq(tu_str(j, "data.actor.id"), "u-7");
    cJSON_Delete(j);
    l2c_free(json);
    /* the actor can go; the events keep theirs */
    l2c_actor_free(a);
    ck_assert_int_eq(l2c_event_get(&ev, e, 3), 0);
    ck_assert_str_eq(l2c_event_actor_id(ev), "u-7");
    /* an anonymous actor with a role */
    l2c_actor *anon = actor(NULL, "finance");
    ck_assert_int_eq(l2c_fire(e, "account", "ACC-000001", "release", NULL, anon, 0), 0);
    ck_assert_int_eq(l2c_event_get(&ev, e, 4), 0);
    ck_assert_ptr_null(l2c_event_actor_id(ev));
    ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
    j = cJSON_Parse(json);
    const cJSON *act = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"), "actor");
    ck_assert(cJSON_IsObject(act));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(act, "id")));
    ck_assert_str_eq(tu_str(act, "roles.0"), "finance");
    cJSON_Delete(j);
    l2c_free(json);
    ck_assert_int_eq(l2c_actor_add_role(NULL, "x"), L2C_EINVAL);
    ck_assert_int_eq(l2c_actor_add_role(anon, NULL), L2C_EINVAL);
    l2c_actor_free(anon);
    l2c_actor_free(NULL);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

/* ---- errors ---- */

START_TEST(test_last_error_after_failures_and_reset_after_success)
{
    l2c_engine *e = tu_engine();
    ck_assert_int_eq(l2c_last_error_code(e), 0);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    ck_assert_ptr_nonnull(l2c_last_error_message(e));
    tu_confirmed_order(e);
    l2c_data *d = obj(), *lines = NULL, *l = NULL;
    ck_assert_int_eq(l2c_data_set_string(d, "order", "SO-000001"), 0);
    ck_assert_int_eq(l2c_data_set_array(&lines, d, "lines"), 0);
    ck_assert_int_eq(l2c_data_append_object(&l, lines), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "order_line", 1), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "qty", 3), 0);
    /* a rule */
    ck_assert_int_eq(l2c_create(NULL, e, "invoice", NULL, d, NULL), L2C_EGUARD);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_EGUARD);
    ck_assert_str_eq(l2c_last_error_rule(e), "invoice.exceeds_order");
    ck_assert_str_ne(l2c_last_error_message(e), "");
    /* a success resets it */
    ck_assert_int_eq(l2c_data_set_int(l, "qty", 1), 0);
    ck_assert_int_eq(l2c_create(NULL, e, "invoice", NULL, d, NULL), 0);
    ck_assert_int_eq(l2c_last_error_code(e), 0);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    /* an error without a rule */
    ck_assert_int_eq(l2c_fire(e, "invoice", "INV-000001", "void", NULL, NULL, 0), L2C_EFORBIDDEN);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_EFORBIDDEN);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    ck_assert_str_ne(l2c_last_error_message(e), "");
    /* through JSON too: failure, then a successful command */
    char *out = NULL;
    ck_assert_int_eq(l2c_exec_json(&out, e, "{\"op\":\"fire\",\"type\":\"invoice\",\"id\":"
                                            "\"INV-000001\",\"event\":\"mark_overdue\"}"),
                     L2C_ETRANSITION);
    l2c_free(out);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_ETRANSITION);
    ck_assert_int_eq(l2c_exec_json(&out, e, "{\"op\":\"create\",\"type\":\"lead\",\"data\":{"
                                            "\"name\":\"Bo\"}}"),
                     0);
    l2c_free(out);
    ck_assert_int_eq(l2c_last_error_code(e), 0);
    ck_assert_ptr_null(l2c_last_error_rule(e));
    /* a read that works is a success too */
    const char *s = NULL;
    ck_assert_int_eq(l2c_get_state(&s, e, "lead", "L-404"), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_last_error_code(e), L2C_ENOTFOUND);
    ck_assert_int_eq(l2c_get_state(&s, e, "lead", "L-000002"), 0);
    ck_assert_int_eq(l2c_last_error_code(e), 0);
    l2c_data_free(d);
    l2c_engine_free(e);
}
END_TEST

START_TEST(test_error_names_and_texts_for_every_code)
{
    static const struct {
        int code;
        const char *name;
    } codes[] = {
        {L2C_OK, "ok"},
        {L2C_EPARSE, "parse_error"},
        {L2C_EINVAL, "invalid_argument"},
        {L2C_ENOTFOUND, "not_found"},
        {L2C_EEXISTS, "already_exists"},
        {L2C_ETRANSITION, "invalid_transition"},
        {L2C_EGUARD, "guard_rejected"},
        {L2C_EFORBIDDEN, "forbidden"},
        {L2C_ECONFLICT, "conflict"},
        {L2C_EHOOK, "hook_error"},
        {L2C_ENOMEM, "no_memory"},
        {L2C_EIO, "io_error"},
        {L2C_EUNSUPPORTED, "unsupported"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        /* the values are the ABI: 0, -1, -2 … -12 */
        ck_assert_int_eq(codes[i].code, -(int)i);
        ck_assert_str_eq(l2c_error_name(codes[i].code), codes[i].name);
        const char *text = l2c_strerror(codes[i].code);
        ck_assert_ptr_nonnull(text);
        ck_assert_msg(strncmp(text, codes[i].name, strlen(codes[i].name)) == 0 &&
                          strlen(text) > strlen(codes[i].name) + 2,
                      "strerror(%d) = '%s'", codes[i].code, text);
    }
    static const int unknown[] = {1, 42, -13, -100, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        ck_assert_ptr_null(l2c_error_name(unknown[i]));
        ck_assert_str_eq(l2c_strerror(unknown[i]), "unknown error");
    }
}
END_TEST

START_TEST(test_version_string_matches_the_macros)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", L2C_VERSION_MAJOR, L2C_VERSION_MINOR,
             L2C_VERSION_PATCH);
    ck_assert_str_eq(l2c_version(), want);
    ck_assert_str_eq(l2c_version(), L2C_VERSION_STRING);
    ck_assert_str_eq(L2C_VERSION_STRING, "0.1.0");
}
END_TEST

/* ---- the allocator ---- */

static unsigned long n_malloc, n_realloc, n_free;
static long live; /* blocks handed out and not yet freed */
static void *count_malloc(size_t n)
{
    n_malloc++;
    live++;
    return malloc(n);
}
static void *count_realloc(void *p, size_t n)
{
    n_realloc++;
    if (!p)
        live++;
    return realloc(p, n);
}
static void count_free(void *p)
{
    if (p) {
        n_free++;
        live--;
    }
    free(p);
}

START_TEST(test_set_allocator_all_or_nothing)
{
    ck_assert_int_eq(l2c_set_allocator(count_malloc, NULL, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_set_allocator(NULL, count_realloc, count_free), L2C_EINVAL);
    ck_assert_int_eq(l2c_set_allocator(count_malloc, count_realloc, NULL), L2C_EINVAL);
    ck_assert_int_eq(l2c_set_allocator(NULL, NULL, count_free), L2C_EINVAL);
    /* the refused calls changed nothing */
    l2c_engine *e = tu_engine();
    c_lead(e);
    l2c_engine_free(e);
    ck_assert_uint_eq(n_malloc + n_realloc + n_free, 0);
    /* all three: every allocation of the library goes through them */
    ck_assert_int_eq(l2c_set_allocator(count_malloc, count_realloc, count_free), 0);
    e = tu_engine();
    c_lead(e);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "qualify", NULL, NULL, 0), 0);
    char *json = NULL;
    ck_assert_int_eq(l2c_get_json(&json, e, "lead", "L-000001"), 0);
    l2c_free(json);
    l2c_engine_free(e);
    ck_assert_uint_gt(n_malloc, 0);
    ck_assert_int_eq(live, 0); /* what was taken was given back, here */
    /* three NULLs restore the defaults */
    ck_assert_int_eq(l2c_set_allocator(NULL, NULL, NULL), 0);
    unsigned long before = n_malloc + n_realloc + n_free;
    e = tu_engine();
    c_lead(e);
    l2c_engine_free(e);
    ck_assert_uint_eq(n_malloc + n_realloc + n_free, before);
}
END_TEST

/* ---- engine options ---- */

START_TEST(test_engine_options_are_checked)
{
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    ck_assert_uint_eq(opts.version, L2C_ENGINE_OPTIONS_VERSION);
    l2c_engine *e = (l2c_engine *)&opts;
    opts.version = L2C_ENGINE_OPTIONS_VERSION + 1;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), L2C_EINVAL);
    ck_assert_ptr_eq(e, (l2c_engine *)&opts);
    ck_assert_int_eq(l2c_last_error_code(NULL), L2C_EINVAL);
    ck_assert_str_ne(l2c_last_error_message(NULL), "");
    opts.version = 0;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), L2C_EINVAL);
    opts.version = L2C_ENGINE_OPTIONS_VERSION;
    static const char *const bad[] = {"abc", "101", "-1", "10.123", "", "1e2"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        opts.approval_threshold = bad[i];
        ck_assert_msg(l2c_engine_new(&e, &opts) == L2C_EINVAL, "threshold '%s' taken", bad[i]);
        ck_assert_int_eq(l2c_last_error_code(NULL), L2C_EINVAL);
    }
    opts.approval_threshold = NULL;
    opts.nprocesses = 1;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), L2C_EINVAL);
    opts.nprocesses = 0;
    ck_assert_int_eq(l2c_engine_new(NULL, &opts), L2C_EINVAL);
    ck_assert_ptr_eq(e, (l2c_engine *)&opts);
    /* good options, and NULL options */
    ck_assert_int_eq(l2c_engine_new(&e, &opts), 0);
    ck_assert_int_eq(l2c_last_error_code(NULL), 0);
    l2c_engine_free(e);
    ck_assert_int_eq(l2c_engine_new(&e, NULL), 0);
    l2c_engine_free(e);
}
END_TEST

/* A quote Q-000001 with one line at `discount` %, ready to send. */
static l2c_engine *engine_with_quote(const char *threshold, const char *discount)
{
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    opts.approval_threshold = threshold;
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), 0);
    ck_assert_int_eq(l2c_clock_set(e, 1775032200), 0);
    ok(e, J("{'op':'create','type':'account','data':{'name':'X'}}"));
    ok(e, J("{'op':'create','type':'opportunity','data':{'account':'ACC-000001','name':'D'}}"));
    ok(e, J("{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','lines':[{'sku':"
            "'A','qty':1,'unit_price':'100.00','discount_pct':'%s'}]}}",
            discount));
    return e;
}

START_TEST(test_approval_threshold_option)
{
    /* threshold 10: 15% needs approval */
    l2c_engine *e = engine_with_quote("10", "15");
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "send", NULL, NULL, 0), L2C_EGUARD);
    ck_assert_str_eq(l2c_last_error_rule(e), "quote.approval_required");
    ck_assert_str_eq(state_of(e, "quote", "Q-000001"), "draft");
    l2c_engine_free(e);
    /* default 20: 15% goes out */
    e = engine_with_quote(NULL, "15");
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "send", NULL, NULL, 0), 0);
    l2c_engine_free(e);
    /* the threshold itself is allowed; above it is not */
    e = engine_with_quote("10", "10");
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "send", NULL, NULL, 0), 0);
    l2c_engine_free(e);
    e = engine_with_quote("12.5", "12.51");
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "send", NULL, NULL, 0), L2C_EGUARD);
    l2c_engine_free(e);
}
END_TEST

static int64_t host_clock(void *user) { return *(int64_t *)user; }

START_TEST(test_name_and_clock_options)
{
    int64_t t = 1700000000;
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    opts.name = "urn:example:billing";
    opts.clock = host_clock;
    opts.clock_user = &t;
    l2c_engine *e = NULL;
    ck_assert_int_eq(l2c_engine_new(&e, &opts), 0);
    opts.name = "changed after"; /* copied at creation */
    ck_assert_int_eq(l2c_clock_now(e), 1700000000);
    t = 1700000100;
    ck_assert_int_eq(l2c_clock_now(e), 1700000100);
    c_lead(e);
    const l2c_event *ev = NULL;
    ck_assert_int_eq(l2c_event_get(&ev, e, 1), 0);
    ck_assert_int_eq(l2c_event_time(ev), 1700000100);
    char *json = NULL;
    ck_assert_int_eq(l2c_event_json(&json, e, ev), 0);
    cJSON *j = cJSON_Parse(json);
    ck_assert_str_eq(tu_str(j, "source"), "urn:example:billing");
    ck_assert_str_eq(tu_str(j, "time"), "2023-11-14T22:15:00Z");
    cJSON_Delete(j);
    l2c_free(json);
    /* set fixes the clock; reset goes back to the host's */
    ck_assert_int_eq(l2c_clock_set(e, 5), 0);
    t = 1700000200;
    ck_assert_int_eq(l2c_clock_now(e), 5);
    ck_assert_int_eq(l2c_clock_reset(e), 0);
    ck_assert_int_eq(l2c_clock_now(e), 1700000200);
    l2c_engine_free(e);
}
END_TEST

/* ---- a whole flow through C agrees with JSON ---- */

static const char *const json_flow[] = {
    "{'op':'create','type':'lead','data':{'name':'Ines Ortega','email':'ines@example.org',"
    "'company':'Ortega Foods','source':'webinar'}}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'contact','actor':{'id':'rep-3',"
    "'roles':['sales_rep']}}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'qualify','version':2}",
    "{'op':'fire','type':'lead','id':'L-000001','event':'convert','data':{'opportunity':{"
    "'name':'Cold storage','amount':'12000.00','close_date':'2026-06-30'}}}",
    "{'op':'update','type':'account','id':'ACC-000001','data':{'credit_limit':'50000.00',"
    "'payment_terms_days':14}}",
    "{'op':'create','type':'quote','data':{'opportunity':'OPP-000001','valid_until':"
    "'2026-04-30','lines':[{'sku':'FRZ-200','qty':2,'unit_price':'4800.00','discount_pct':'25',"
    "'tax_rate_pct':'21'},{'sku':'INST','qty':1,'unit_price':950,'tax_rate_pct':21}]}}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'submit'}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'approve','actor':{'id':'mgr-1',"
    "'roles':['sales_manager']}}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'send'}",
    "{'op':'fire','type':'quote','id':'Q-000001','event':'accept'}",
    "{'op':'sweep'}",
};

static void c_flow(l2c_engine *e)
{
    c_lead(e);
    l2c_actor *rep = actor("rep-3", "sales_rep");
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "contact", NULL, rep, 0), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "qualify", NULL, NULL, 2), 0);
    l2c_data *d = obj(), *o = NULL;
    ck_assert_int_eq(l2c_data_set_object(&o, d, "opportunity"), 0);
    ck_assert_int_eq(l2c_data_set_string(o, "name", "Cold storage"), 0);
    ck_assert_int_eq(l2c_data_set_string(o, "amount", "12000.00"), 0);
    ck_assert_int_eq(l2c_data_set_string(o, "close_date", "2026-06-30"), 0);
    ck_assert_int_eq(l2c_fire(e, "lead", "L-000001", "convert", d, NULL, 0), 0);
    l2c_data_free(d);
    d = obj();
    ck_assert_int_eq(l2c_data_set_string(d, "credit_limit", "50000.00"), 0);
    ck_assert_int_eq(l2c_data_set_int(d, "payment_terms_days", 14), 0);
    ck_assert_int_eq(l2c_update(e, "account", "ACC-000001", d, NULL, 0), 0);
    l2c_data_free(d);
    d = obj();
    l2c_data *lines = NULL, *l = NULL;
    ck_assert_int_eq(l2c_data_set_string(d, "opportunity", "OPP-000001"), 0);
    ck_assert_int_eq(l2c_data_set_string(d, "valid_until", "2026-04-30"), 0);
    ck_assert_int_eq(l2c_data_set_array(&lines, d, "lines"), 0);
    ck_assert_int_eq(l2c_data_append_object(&l, lines), 0);
    ck_assert_int_eq(l2c_data_set_string(l, "sku", "FRZ-200"), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "qty", 2), 0);
    ck_assert_int_eq(l2c_data_set_string(l, "unit_price", "4800.00"), 0);
    ck_assert_int_eq(l2c_data_set_string(l, "discount_pct", "25"), 0);
    ck_assert_int_eq(l2c_data_set_string(l, "tax_rate_pct", "21"), 0);
    ck_assert_int_eq(l2c_data_append_object(&l, lines), 0);
    ck_assert_int_eq(l2c_data_set_string(l, "sku", "INST"), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "qty", 1), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "unit_price", 950), 0);
    ck_assert_int_eq(l2c_data_set_int(l, "tax_rate_pct", 21), 0);
    char *id = NULL;
    ck_assert_int_eq(l2c_create(&id, e, "quote", NULL, d, NULL), 0);
    ck_assert_str_eq(id, "Q-000001");
    l2c_free(id);
    l2c_data_free(d);
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "submit", NULL, NULL, 0), 0);
    l2c_actor *mgr = actor("mgr-1", "sales_manager");
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "approve", NULL, mgr, 0), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "send", NULL, NULL, 0), 0);
    ck_assert_int_eq(l2c_fire(e, "quote", "Q-000001", "accept", NULL, NULL, 0), 0);
    uint64_t n = 9;
    ck_assert_int_eq(l2c_sweep(&n, e), 0);
    ck_assert_uint_eq(n, 0);
    l2c_actor_free(rep);
    l2c_actor_free(mgr);
}

START_TEST(test_c_flow_agrees_with_json)
{
    l2c_engine *a = tu_engine(), *b = tu_engine();
    c_flow(a);
    for (size_t i = 0; i < sizeof json_flow / sizeof *json_flow; i++)
        ok(b, J("%s", json_flow[i]));
    char *sa = tu_snapshot(a), *sb = tu_snapshot(b);
    ck_assert_str_eq(sa, sb);
    free(sa);
    free(sb);
    /* and where it went */
    ck_assert_str_eq(state_of(a, "lead", "L-000001"), "converted");
    ck_assert_str_eq(state_of(a, "opportunity", "OPP-000001"), "won");
    ck_assert_str_eq(state_of(a, "quote", "Q-000001"), "accepted");
    ck_assert_str_eq(state_of(a, "order", "SO-000001"), "draft");
    ck_assert_uint_eq(version_of(a, "lead", "L-000001"), 4);
    ck_assert_uint_eq(l2c_events_last(a), l2c_events_last(b));
    uint64_t n = 0;
    ck_assert_int_eq(l2c_count(&n, a, "order"), 0);
    ck_assert_uint_eq(n, 1);
    char *f = NULL;
    ck_assert_int_eq(l2c_get_field(&f, a, "order", "SO-000001", "total"), 0);
    ck_assert_str_eq(f, "9861.50");
    l2c_free(f);
    l2c_engine_free(a);
    l2c_engine_free(b);
}
END_TEST

START_TEST(test_events_through_the_c_api_alone)
{
    l2c_engine *e = tu_engine();
    c_flow(e);
    uint64_t last = l2c_events_last(e);
    ck_assert_uint_gt(last, 10);
    /* the sequence is gapless; causes point back to a command's first event */
    uint64_t cause = 0;
    int converts = 0;
    for (uint64_t s = 1; s <= last; s++) {
        const l2c_event *ev = NULL;
        ck_assert_int_eq(l2c_event_get(&ev, e, s), 0);
        ck_assert_uint_eq(l2c_event_sequence(ev), s);
        ck_assert_uint_le(l2c_event_cause(ev), s);
        ck_assert_uint_ge(l2c_event_cause(ev), cause);
        cause = l2c_event_cause(ev);
        const l2c_event *first = NULL;
        ck_assert_int_eq(l2c_event_get(&first, e, cause), 0);
        ck_assert_uint_eq(l2c_event_cause(first), cause);
        if (strcmp(l2c_event_name(ev), "convert") == 0) {
            converts++;
            const l2c_event *acc = NULL, *opp = NULL;
            ck_assert_int_eq(l2c_event_get(&acc, e, s + 1), 0);
            ck_assert_int_eq(l2c_event_get(&opp, e, s + 2), 0);
            ck_assert_str_eq(l2c_event_record_type(acc), "account");
            ck_assert_str_eq(l2c_event_record_type(opp), "opportunity");
            ck_assert_uint_eq(l2c_event_cause(acc), s);
            ck_assert_uint_eq(l2c_event_cause(opp), s);
        }
        char *topic = NULL;
        ck_assert_int_eq(l2c_event_topic(&topic, ev), 0);
        ck_assert_int_eq(l2c_topic_matches("l2c/v1/+/+/+/+", topic), 1);
        char want[160];
        snprintf(want, sizeof want, "/%s/%s/%s", l2c_event_record_type(ev), l2c_event_name(ev),
                 l2c_event_subject(ev));
        ck_assert_ptr_nonnull(strstr(topic, want));
        l2c_free(topic);
    }
    ck_assert_int_eq(converts, 1);
    const l2c_event *ev = NULL;
    ck_assert_int_eq(l2c_event_get(&ev, e, last + 1), L2C_ENOTFOUND);
    /* the last event: the opportunity won by the accept */
    ck_assert_int_eq(l2c_event_get(&ev, e, last), 0);
    ck_assert_str_eq(l2c_event_record_type(ev), "opportunity");
    ck_assert_str_eq(l2c_event_name(ev), "win");
    ck_assert_str_eq(l2c_event_from(ev), "prospecting");
    ck_assert_str_eq(l2c_event_to(ev), "won");
    l2c_engine_free(e);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("records");
    tcase_add_test(tc, test_create_fire_update_and_reads);
    tcase_add_test(tc, test_command_arguments_are_checked);
    tcase_add_test(tc, test_sweep_counts_its_events);
    suite_add_tcase(s, tc);
    tc = tcase_create("data");
    tcase_add_test(tc, test_data_replacing_a_key_keeps_its_place);
    tcase_add_test(tc, test_data_replaced_key_is_what_the_engine_reads);
    tcase_add_test(tc, test_data_arrays_and_nested_objects);
    tcase_add_test(tc, test_data_builder_errors);
    tcase_add_test(tc, test_actor_roles_gate_events_and_events_keep_a_snapshot);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_last_error_after_failures_and_reset_after_success);
    tcase_add_test(tc, test_error_names_and_texts_for_every_code);
    tcase_add_test(tc, test_version_string_matches_the_macros);
    suite_add_tcase(s, tc);
    tc = tcase_create("engine");
    tcase_add_test(tc, test_set_allocator_all_or_nothing);
    tcase_add_test(tc, test_engine_options_are_checked);
    tcase_add_test(tc, test_approval_threshold_option);
    tcase_add_test(tc, test_name_and_clock_options);
    suite_add_tcase(s, tc);
    tc = tcase_create("flow");
    tcase_add_test(tc, test_c_flow_agrees_with_json);
    tcase_add_test(tc, test_events_through_the_c_api_alone);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return tu_run(suite()); }
