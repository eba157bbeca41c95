/* Internal core: allocation, refcounted strings, growable buffers, input
 * trees (l2c_data), actors, error detail. No knowledge of records. */
#ifndef L2C_CORE_CORE_H
#define L2C_CORE_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "l2c.h"

#if defined(__GNUC__)
#define L2C__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define L2C__LIKELY(x) __builtin_expect(!!(x), 1)
#define L2C__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define L2C__PRINTF(a, b)
#define L2C__LIKELY(x) (x)
#define L2C__UNLIKELY(x) (x)
#endif

/* ---- allocation (lib/core/alloc.c) ---- */
void *l2c__malloc(size_t n);
void *l2c__calloc(size_t n, size_t size);
void *l2c__realloc(void *p, size_t n);
void l2c__xfree(void *p);
char *l2c__strdup(const char *s);
char *l2c__strndup(const char *s, size_t n);
/* Grow *arr (element size `sz`) so that it holds at least `need` elements. */
int l2c__grow(void **arr, size_t *cap, size_t need, size_t sz);

/* ---- refcounted immutable strings (lib/core/str.c) ---- */
typedef struct l2c__str {
    uint32_t refs;
    uint32_t len;
    char s[];
} l2c__str;

l2c__str *l2c__str_new(const char *s, size_t len);
l2c__str *l2c__str_from(const char *s);
static inline l2c__str *l2c__str_ref(l2c__str *s)
{
    if (s)
        s->refs++;
    return s;
}
void l2c__str_unref(l2c__str *s);
static inline const char *l2c__str_c(const l2c__str *s) { return s ? s->s : NULL; }

/* ---- growable byte buffer (lib/core/str.c) ---- */
typedef struct l2c__buf {
    char *p;
    size_t len, cap;
    int oom;
} l2c__buf;

void l2c__buf_put(l2c__buf *b, const char *s, size_t n);
void l2c__buf_puts(l2c__buf *b, const char *s);
void l2c__buf_printf(l2c__buf *b, const char *fmt, ...) L2C__PRINTF(2, 3);
/* Returns the NUL-terminated string (ownership to caller) or NULL on OOM. */
char *l2c__buf_take(l2c__buf *b);
void l2c__buf_free(l2c__buf *b);

/* ---- input trees: the public l2c_data (lib/core/data.c) ---- */
enum {
    L2C__D_NULL,
    L2C__D_OBJ,
    L2C__D_ARR,
    L2C__D_STR,
    L2C__D_INT,
    L2C__D_BOOL,
    L2C__D_FRACTION, /* a JSON number with a fraction: always field.invalid */
    L2C__D_HUGE      /* a JSON number past ±2^53: always field.invalid */
};

struct l2c_data {
    uint8_t kind;
    char *key;
    char *str;
    int64_t i;
    struct l2c_data *child, *last, *next;
    uint32_t count;
};

/* Member of an object by key, or NULL (also when `obj` is not an object). */
const l2c_data *l2c__data_get(const l2c_data *obj, const char *key);
/* New detached node of a kind; NULL on OOM. */
l2c_data *l2c__data_node(uint8_t kind);
/* Attach `child` to object `obj` under `key` (copied; replaces an existing
 * member) or, when key is NULL, append to array `obj`. On failure `child`
 * is freed. */
int l2c__data_attach(l2c_data *obj, const char *key, l2c_data *child);

/* ---- actors (lib/core/data.c) ---- */
/* The public l2c_actor is built by the host; events keep an immutable,
 * refcounted snapshot of it, cached until the actor changes. */
typedef struct l2c__actor_snap {
    uint32_t refs;
    uint32_t nroles;
    l2c__str *id;
    l2c__str *roles[];
} l2c__actor_snap;

struct l2c_actor {
    char *id;
    char **roles;
    size_t nroles, cap;
    l2c__actor_snap *snap;
};

l2c__actor_snap *l2c__actor_snapshot(l2c_actor *a); /* borrowed; NULL on OOM */
void l2c__actor_snap_unref(l2c__actor_snap *s);
static inline l2c__actor_snap *l2c__actor_snap_ref(l2c__actor_snap *s)
{
    if (s)
        s->refs++;
    return s;
}
bool l2c__actor_has_role(const l2c_actor *a, const char *role);

/* ---- error detail (lib/core/error.c) ---- */
typedef struct l2c__error {
    int code;
    const char *rule; /* static string or NULL */
    char message[256];
} l2c__error;

int l2c__seterr(l2c__error *err, int code, const char *rule, const char *fmt, ...)
    L2C__PRINTF(4, 5);
int l2c__vseterr(l2c__error *err, int code, const char *rule, const char *fmt, va_list ap);

#endif
