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
#include <uthash.h>

/* Clear before an add; true after it when the add failed (the element was
 * not added). */
static inline void l2c__hash_oom_clear(void) { l2c__hash_oom_flag = 0; }
static inline int l2c__hash_oom(void) { return l2c__hash_oom_flag; }

#endif
