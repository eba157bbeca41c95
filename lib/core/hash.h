/* The only way the library includes uthash: out-of-memory is not fatal
 * (uthash would exit by default) and memory goes through l2c's allocator.
 * After every HASH_ADD the caller checks l2c__hash_oom and undoes its work. */
#ifndef L2C_CORE_HASH_H
#define L2C_CORE_HASH_H

#include "core/core.h"

extern _Thread_local int l2c__hash_oom_flag;

#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) l2c__malloc(sz)
#define uthash_free(ptr, sz) l2c__xfree(ptr)
#define uthash_nonfatal_oom(obj) (l2c__hash_oom_flag = 1)
#define uthash_bzero(a, n) memset((a), 0, (n))
#define uthash_strlen(s) strlen(s)

#include <string.h>

/* Ids are similar strings ("L-000001", "L-000002" …): uthash's default
 * hash chains them badly at a million keys. FNV-1a with a murmur finaliser
 * spreads them evenly. */
static inline unsigned l2c__hash_bytes(const void *key, size_t len)
{
    const unsigned char *p = (const unsigned char *)key;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
#define HASH_FUNCTION(keyptr, keylen, hashv) ((hashv) = l2c__hash_bytes((keyptr), (keylen)))
/* expand early: short chains mean fewer cache misses per lookup */
#define HASH_BKT_CAPACITY_THRESH 4U

#include <uthash.h>

/* Clear before an add; true after it when the add failed (the element was
 * not added). */
static inline void l2c__hash_oom_clear(void) { l2c__hash_oom_flag = 0; }
static inline int l2c__hash_oom(void) { return l2c__hash_oom_flag; }

#endif
