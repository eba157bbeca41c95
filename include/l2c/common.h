/**
 * @file l2c/common.h
 * @brief Versions, error codes, memory: what every other header needs.
 */
#ifndef L2C_COMMON_H
#define L2C_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(L2C_BUILDING) && defined(__GNUC__)
#define L2C_API __attribute__((visibility("default")))
#else
#define L2C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define L2C_VERSION_MAJOR 0
#define L2C_VERSION_MINOR 1
#define L2C_VERSION_PATCH 0
#define L2C_VERSION_STRING "0.1.0"

/** Error codes. Every call that can fail returns 0 or one of these.
 *  The values are part of the ABI and are never renumbered. */
#define L2C_OK 0
#define L2C_EPARSE (-1)        /**< parse_error: input is not valid JSON */
#define L2C_EINVAL (-2)        /**< invalid_argument: bad input (rule field.* etc.) */
#define L2C_ENOTFOUND (-3)     /**< not_found: no such record */
#define L2C_EEXISTS (-4)       /**< already_exists: the id is taken */
#define L2C_ETRANSITION (-5)   /**< invalid_transition: event not allowed in the state */
#define L2C_EGUARD (-6)        /**< guard_rejected: a business rule said no */
#define L2C_EFORBIDDEN (-7)    /**< forbidden: role missing, or topic not granted */
#define L2C_ECONFLICT (-8)     /**< conflict: stale version or busy database */
#define L2C_EHOOK (-9)         /**< hook_error: a host guard vetoed */
#define L2C_ENOMEM (-10)       /**< no_memory */
#define L2C_EIO (-11)          /**< io_error */
#define L2C_EUNSUPPORTED (-12) /**< unsupported: not possible here (e.g. a command from inside a hook) */

/** Library version as "MAJOR.MINOR.PATCH"; static storage. */
L2C_API const char *l2c_version(void);

/** Static English text for an error code ("guard_rejected: a business rule
 *  said no"). Never NULL; unknown codes give "unknown error". */
L2C_API const char *l2c_strerror(int code);

/** Protocol name of an error code ("guard_rejected"), as used in JSON
 *  results; "ok" for 0; NULL for an unknown code. Static storage. */
L2C_API const char *l2c_error_name(int code);

/** Frees memory the library returned (strings from l2c_exec_json,
 *  l2c_get_json, l2c_event_json …). Accepts NULL. */
L2C_API void l2c_free(void *ptr);

/** Allocator functions used by the whole library. */
typedef void *(*l2c_malloc_fn)(size_t size);
typedef void *(*l2c_realloc_fn)(void *ptr, size_t size);
typedef void (*l2c_free_fn)(void *ptr);

/**
 * Replace the allocator of the whole library (process-wide). Call it before
 * creating any engine and never while one exists: memory must be freed by
 * the allocator that gave it. Passing three NULLs restores malloc, realloc
 * and free. Returns L2C_EINVAL when only some are NULL. The library never
 * touches cJSON's global hooks (cJSON_InitHooks belongs to the host).
 */
L2C_API int l2c_set_allocator(l2c_malloc_fn m, l2c_realloc_fn r, l2c_free_fn f);

#ifdef __cplusplus
}
#endif
#endif
