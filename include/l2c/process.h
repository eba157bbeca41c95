/**
 * @file l2c/process.h
 * @brief Process definitions (show, diagram, load custom ones), reports and
 *        the AsyncAPI description of the event streams.
 */
#ifndef L2C_PROCESS_H
#define L2C_PROCESS_H

#include "common.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Load a process definition from JSON (DESIGN §8) that extends or replaces
 * the built-in process of its type. The definition is validated completely
 * first (unknown or unreachable state, transition into a missing state,
 * removing a state a rule needs or records are in, unknown guard or role
 * format); on any error nothing is loaded (L2C_EINVAL with the detail in
 * l2c_last_error_message). L2C_EUNSUPPORTED from inside a hook.
 */
L2C_API int l2c_engine_load_process(l2c_engine *engine, const char *json);

/** The loaded definition of `type` as JSON (free with l2c_free). */
L2C_API int l2c_process_json(char **out, l2c_engine *engine, const char *type);

/** The loaded definition of `type` as Graphviz DOT (free with l2c_free). */
L2C_API int l2c_process_dot(char **out, l2c_engine *engine, const char *type);

/** An AsyncAPI 3.0 document (JSON) describing every topic the engine can
 *  publish, generated from the loaded definitions (free with l2c_free). */
L2C_API int l2c_asyncapi_json(char **out, l2c_engine *engine);

#ifdef __cplusplus
}
#endif
#endif
