/**
 * @file l2c/events.h
 * @brief The event log, hooks (guards and listeners) and the topic bus.
 *
 * Every creation, transition and update is one event with a gapless,
 * engine-wide sequence starting at 1. Events are CloudEvents 1.0 (DESIGN §5);
 * their topic is `l2c/v1/<domain>/<type>/<event>/<id>`.
 *
 * Hooks run synchronously on the caller's thread. Guards run for every event
 * of a command (cascades included) after the built-in rules passed and
 * before anything is committed; a non-zero return vetoes the whole command
 * (L2C_EHOOK, nothing changed). Listeners and bus subscribers run after the
 * commit and cannot undo it. From inside any hook, reads (l2c_get_*,
 * l2c_event_*) are allowed, but every command is refused with
 * L2C_EUNSUPPORTED and changes nothing.
 */
#ifndef L2C_EVENTS_H
#define L2C_EVENTS_H

#include "common.h"
#include "engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One event. Borrowed from the engine: a committed event lives as long as
 *  the engine; the event a guard sees lives only during that guard call. */
typedef struct l2c_event l2c_event;

/** Sequence of the last committed event (0 when none). */
L2C_API uint64_t l2c_events_last(const l2c_engine *engine);

/** The committed event with sequence `seq` (1-based). L2C_ENOTFOUND when none. */
L2C_API int l2c_event_get(const l2c_event **out, const l2c_engine *engine, uint64_t seq);

/** Sequence of the event. */
L2C_API uint64_t l2c_event_sequence(const l2c_event *ev);
/** Sequence of the first event of the command that caused this one. */
L2C_API uint64_t l2c_event_cause(const l2c_event *ev);
/** Record type ("invoice"); static storage. */
L2C_API const char *l2c_event_record_type(const l2c_event *ev);
/** Event name ("settle", "create", "update"); valid while the engine lives. */
L2C_API const char *l2c_event_name(const l2c_event *ev);
/** Record id (the CloudEvents subject); valid as long as the event. */
L2C_API const char *l2c_event_subject(const l2c_event *ev);
/** State before the event, NULL for create; valid while the engine lives. */
L2C_API const char *l2c_event_from(const l2c_event *ev);
/** State after the event; valid while the engine lives. */
L2C_API const char *l2c_event_to(const l2c_event *ev);
/** Event time, Unix seconds UTC (the engine clock at the command). */
L2C_API int64_t l2c_event_time(const l2c_event *ev);
/** Id of the command's actor, or NULL when the command had none. */
L2C_API const char *l2c_event_actor_id(const l2c_event *ev);
/** Topic of the event; free *out with l2c_free. */
L2C_API int l2c_event_topic(char **out, const l2c_event *ev);
/** The CloudEvents JSON of the event; free *out with l2c_free. */
L2C_API int l2c_event_json(char **out, const l2c_engine *engine, const l2c_event *ev);

/** Host guard: return 0 to allow; non-zero vetoes. It may set *message to a
 *  text (borrowed; copied by the engine at once) that explains the veto. */
typedef int (*l2c_guard_fn)(l2c_engine *engine, const l2c_event *ev, const char **message,
                            void *user);
/** Listener: observes a committed event. */
typedef void (*l2c_listener_fn)(l2c_engine *engine, const l2c_event *ev, void *user);
/** Destructor for a hook's user pointer, called when the hook is removed
 *  or the engine freed. */
typedef void (*l2c_destroy_fn)(void *user);

/**
 * Add a guard for events of `type` named `event` (either NULL = any).
 * *out_id (may be NULL) receives an id for l2c_hook_remove. Errors:
 * L2C_EINVAL (unknown type or event, NULL fn), L2C_ENOMEM, L2C_EUNSUPPORTED.
 */
L2C_API int l2c_guard_add(uint64_t *out_id, l2c_engine *engine, const char *type,
                          const char *event, l2c_guard_fn fn, void *user,
                          l2c_destroy_fn destroy);

/** Add a listener for committed events of `type`/`event` (NULL = any). */
L2C_API int l2c_listener_add(uint64_t *out_id, l2c_engine *engine, const char *type,
                             const char *event, l2c_listener_fn fn, void *user,
                             l2c_destroy_fn destroy);

/** Add a listener for committed events whose topic matches `pattern` (MQTT
 *  wildcards `+` and `#`). L2C_EINVAL for a malformed pattern. */
L2C_API int l2c_listener_add_topic(uint64_t *out_id, l2c_engine *engine, const char *pattern,
                                   l2c_listener_fn fn, void *user, l2c_destroy_fn destroy);

/** Remove a guard, listener or subscription by id (its destructor runs).
 *  L2C_ENOTFOUND for an unknown id. */
L2C_API int l2c_hook_remove(l2c_engine *engine, uint64_t id);

/** Grant `principal` the topic pattern `pattern` (MQTT wildcards). A
 *  principal without grants may subscribe to nothing. */
L2C_API int l2c_bus_grant(l2c_engine *engine, const char *principal, const char *pattern);

/**
 * Subscribe `principal` to `pattern`. The subscriber receives a committed
 * event only when its topic matches `pattern` and one of the principal's
 * grants. A pattern that no grant can cover is L2C_EFORBIDDEN; a malformed
 * one L2C_EINVAL. Remove with l2c_hook_remove.
 */
L2C_API int l2c_bus_subscribe(uint64_t *out_id, l2c_engine *engine, const char *principal,
                              const char *pattern, l2c_listener_fn fn, void *user,
                              l2c_destroy_fn destroy);

/** 1 when `topic` matches the MQTT filter `pattern`, 0 when not, L2C_EINVAL
 *  when the pattern is malformed. */
L2C_API int l2c_topic_matches(const char *pattern, const char *topic);

#ifdef __cplusplus
}
#endif
#endif
