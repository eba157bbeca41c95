/**
 * @file l2c/data.h
 * @brief Input values for the C API (l2c_data) and actors (l2c_actor).
 *
 * An l2c_data is a small JSON-like tree built by the host and passed as the
 * `data` of a command. Money, quantities and percentages are given as
 * decimal strings ("1234.50") or whole integers, as in the JSON protocol;
 * there is no floating point anywhere. Strings are copied (UTF-8).
 */
#ifndef L2C_DATA_H
#define L2C_DATA_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An object or array of input values. Owned by whoever created it. */
typedef struct l2c_data l2c_data;

/** New empty object. Returns 0, L2C_ENOMEM. */
L2C_API int l2c_data_new(l2c_data **out);
/** Frees a tree made with l2c_data_new (children included). Accepts NULL. */
L2C_API void l2c_data_free(l2c_data *data);

/** Set `key` of an object to a string (copied); `value` NULL sets null.
 *  Setting an existing key replaces it. Returns 0, L2C_EINVAL (not an
 *  object, NULL key), L2C_ENOMEM. */
L2C_API int l2c_data_set_string(l2c_data *obj, const char *key, const char *value);
/** Set `key` of an object to a whole number. */
L2C_API int l2c_data_set_int(l2c_data *obj, const char *key, int64_t value);
/** Set `key` of an object to true or false (any non-zero is true). */
L2C_API int l2c_data_set_bool(l2c_data *obj, const char *key, int32_t value);
/** Set `key` of an object to a new empty object; *out borrows it (owned by `obj`). */
L2C_API int l2c_data_set_object(l2c_data **out, l2c_data *obj, const char *key);
/** Set `key` of an object to a new empty array; *out borrows it (owned by `obj`). */
L2C_API int l2c_data_set_array(l2c_data **out, l2c_data *obj, const char *key);
/** Append a new empty object to an array; *out borrows it (owned by `arr`).
 *  L2C_EINVAL when `arr` is not an array. */
L2C_API int l2c_data_append_object(l2c_data **out, l2c_data *arr);
/** Append a string to an array (copied). */
L2C_API int l2c_data_append_string(l2c_data *arr, const char *value);

/** Who issues a command: an id and the roles it holds. */
typedef struct l2c_actor l2c_actor;

/** New actor with a copy of `id` (NULL or "" is allowed: anonymous). */
L2C_API int l2c_actor_new(l2c_actor **out, const char *id);
/** Give the actor a role (copied), e.g. "finance", "sales_manager". */
L2C_API int l2c_actor_add_role(l2c_actor *actor, const char *role);
/** Frees an actor. Accepts NULL. */
L2C_API void l2c_actor_free(l2c_actor *actor);

#ifdef __cplusplus
}
#endif
#endif
