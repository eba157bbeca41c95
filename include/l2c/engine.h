/**
 * @file l2c/engine.h
 * @brief Creating an engine, its options, clock and last error.
 *
 * Threading: an engine is used by one thread at a time (the host serialises
 * calls, e.g. with a mutex); different engines are independent and may be
 * used from different threads at once. Hooks run synchronously on the
 * calling thread, inside the call that caused them. l2c_set_allocator is
 * process-wide and must be called before any engine exists.
 */
#ifndef L2C_ENGINE_H
#define L2C_ENGINE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An engine: processes, records, the event log, hooks and the bus. */
typedef struct l2c_engine l2c_engine;

/** Host clock: returns the current time as Unix seconds (UTC). */
typedef int64_t (*l2c_clock_fn)(void *user);

#define L2C_ENGINE_OPTIONS_VERSION 1

/** Engine options, versioned (libgit2 style). Initialise with
 *  L2C_ENGINE_OPTIONS_INIT, then set what you need. */
typedef struct l2c_engine_options {
    uint32_t version;               /**< L2C_ENGINE_OPTIONS_VERSION */
    const char *name;               /**< events' `source`; default "/l2c" (copied) */
    const char *approval_threshold; /**< discount % above which a quote needs approval; default "20" */
    l2c_clock_fn clock;             /**< time source; NULL = the system's UTC clock */
    void *clock_user;               /**< passed to `clock` */
    int32_t durability;             /**< store only: L2C_DURABILITY_FULL (default), _NORMAL, _OFF */
    int32_t busy_timeout_ms;        /**< store only: wait for another process's lock; default 5000 */
    const char *const *processes;   /**< custom process definitions (JSON texts), loaded in order
                                         before a store replays its log; may be NULL */
    uint32_t nprocesses;            /**< number of entries in `processes` */
} l2c_engine_options;

/** Durability of a store (SQLite `synchronous`): FULL syncs at every commit. */
#define L2C_DURABILITY_FULL 0
#define L2C_DURABILITY_NORMAL 1
#define L2C_DURABILITY_OFF 2

#define L2C_ENGINE_OPTIONS_INIT {L2C_ENGINE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, 0, 5000, NULL, 0}

/**
 * Create an in-memory engine with the built-in processes (validated here).
 * `opts` may be NULL for the defaults. Returns 0, L2C_EINVAL (bad options:
 * unknown version, bad threshold), L2C_ENOMEM. *out is set only on success.
 */
L2C_API int l2c_engine_new(l2c_engine **out, const l2c_engine_options *opts);

/**
 * Open (or create) an engine kept in the SQLite database at `path` (WAL
 * mode). Every command is one SQLite transaction holding the changed
 * records and their events; it is acknowledged only after the commit.
 * Opening restores every record, id counter and the event sequence.
 * Errors: L2C_EINVAL (bad options, or a stored record in a state the loaded
 * processes lack), L2C_EIO (cannot open/read/write, not an l2c database,
 * corrupt), L2C_ECONFLICT (locked by another process past the busy
 * timeout), L2C_ENOMEM.
 */
L2C_API int l2c_engine_open(l2c_engine **out, const char *path, const l2c_engine_options *opts);

/**
 * Record that `consumer` (a relay, a subscriber process) has handled every
 * event up to `sequence`, so it can resume after a crash with at-least-once
 * delivery and no gaps. Kept in the store with a database engine, in memory
 * otherwise. L2C_EINVAL when `sequence` is past the last event or the name
 * is empty; L2C_EIO on a store error.
 */
L2C_API int l2c_outbox_ack(l2c_engine *engine, const char *consumer, uint64_t sequence);

/** The last acknowledged sequence of `consumer` (0 when it never acked). */
L2C_API int l2c_outbox_position(uint64_t *out, l2c_engine *engine, const char *consumer);

/** Free an engine, its records, events and hooks (hook destructors run).
 *  Accepts NULL. Must not be called from inside a hook. */
L2C_API void l2c_engine_free(l2c_engine *engine);

/** Code of the last failed call on this engine (0 after a success). With
 *  `engine` NULL: the last failed l2c_engine_new / l2c_engine_open of the
 *  calling thread (they have no engine to keep it in). */
L2C_API int l2c_last_error_code(const l2c_engine *engine);
/** Rule name of the last error ("invoice.exceeds_order") or NULL. Static storage. */
L2C_API const char *l2c_last_error_rule(const l2c_engine *engine);
/** Message of the last error; borrowed, valid until the next call on the
 *  engine (or, for NULL, the next engine creation on this thread). Never NULL. */
L2C_API const char *l2c_last_error_message(const l2c_engine *engine);

/** Fix the engine clock at `unix_seconds` (UTC); it stays there until set
 *  again or reset. Refused from inside a hook (L2C_EUNSUPPORTED). */
L2C_API int l2c_clock_set(l2c_engine *engine, int64_t unix_seconds);
/** Return to the host clock of the options (or the system clock). */
L2C_API int l2c_clock_reset(l2c_engine *engine);
/** The engine's current time, Unix seconds UTC. */
L2C_API int64_t l2c_clock_now(const l2c_engine *engine);

#ifdef __cplusplus
}
#endif
#endif
