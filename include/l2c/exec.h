/**
 * @file l2c/exec.h
 * @brief The JSON command protocol (DESIGN §4): one function for every op.
 */
#ifndef L2C_EXEC_H
#define L2C_EXEC_H

#include "common.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Run one JSON command (`{"op": "fire", "type": "lead", ...}`) and answer
 * with one JSON result. Returns 0 when the command succeeded and the
 * negative error code otherwise; in both cases *out holds the result
 * (`{"ok": true, ...}` or `{"ok": false, "error": {...}}`), freed with
 * l2c_free. *out is NULL only when even the result could not be allocated
 * (L2C_ENOMEM). `command` is UTF-8 and NUL-terminated.
 */
L2C_API int l2c_exec_json(char **out, l2c_engine *engine, const char *command);

#ifdef __cplusplus
}
#endif
#endif
