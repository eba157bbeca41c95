/* Allocator hooks: every allocation of the library goes through here. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "core/hash.h"

_Thread_local int l2c__hash_oom_flag;

static l2c_malloc_fn g_malloc = malloc;
static l2c_realloc_fn g_realloc = realloc;
static l2c_free_fn g_free = free;

int l2c_set_allocator(l2c_malloc_fn m, l2c_realloc_fn r, l2c_free_fn f)
{
    if (!m && !r && !f) {
        g_malloc = malloc;
        g_realloc = realloc;
        g_free = free;
        return L2C_OK;
    }
    if (!m || !r || !f)
        return L2C_EINVAL;
    g_malloc = m;
    g_realloc = r;
    g_free = f;
    return L2C_OK;
}

void *l2c__malloc(size_t n) { return g_malloc(n ? n : 1); }

void *l2c__calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = l2c__malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *l2c__realloc(void *p, size_t n) { return g_realloc(p, n ? n : 1); }

void l2c__xfree(void *p)
{
    if (p)
        g_free(p);
}

void l2c_free(void *ptr) { l2c__xfree(ptr); }

char *l2c__strndup(const char *s, size_t n)
{
    char *d = l2c__malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *l2c__strdup(const char *s) { return l2c__strndup(s, strlen(s)); }

int l2c__grow(void **arr, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sz)
            return L2C_ENOMEM;
        ncap *= 2;
    }
    void *p = l2c__realloc(*arr, ncap * sz);
    if (!p)
        return L2C_ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}
