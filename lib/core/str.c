/* Refcounted immutable strings and a growable buffer. */
#include <stdio.h>
#include <string.h>

#include "core/core.h"

l2c__str *l2c__str_new(const char *s, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    l2c__str *r = l2c__malloc(sizeof *r + len + 1);
    if (!r)
        return NULL;
    r->refs = 1;
    r->len = (uint32_t)len;
    memcpy(r->s, s, len);
    r->s[len] = '\0';
    return r;
}

l2c__str *l2c__str_from(const char *s) { return l2c__str_new(s, strlen(s)); }

void l2c__str_unref(l2c__str *s)
{
    if (s && --s->refs == 0)
        l2c__xfree(s);
}

static int buf_reserve(l2c__buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + extra + 1)
        ncap *= 2;
    char *p = l2c__realloc(b->p, ncap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = ncap;
    return 0;
}

void l2c__buf_put(l2c__buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void l2c__buf_puts(l2c__buf *b, const char *s) { l2c__buf_put(b, s, strlen(s)); }

void l2c__buf_printf(l2c__buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        l2c__buf_put(b, tmp, (size_t)n);
        return;
    }
    if (buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *l2c__buf_take(l2c__buf *b)
{
    if (b->oom) {
        l2c__buf_free(b);
        return NULL;
    }
    if (!b->p && buf_reserve(b, 0))
        return NULL;
    char *p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void l2c__buf_free(l2c__buf *b)
{
    l2c__xfree(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}
