/* Internal: the engine's data structures. Records are immutable versions
 * (copy on write, refcounted); a slot is a record's identity and points to
 * its committed version and, inside a command, its pending one. Every
 * version is made by exactly one event, which keeps it alive, so the event
 * log can render any record as it was. */
#ifndef L2C_ENGINE_ENGINE_H
#define L2C_ENGINE_ENGINE_H

#include "core/core.h"
#include "core/hash.h"
#include "core/num.h"
#include "fsm/fsm.h"

enum {
    L2C__T_ACCOUNT,
    L2C__T_LEAD,
    L2C__T_OPPORTUNITY,
    L2C__T_QUOTE,
    L2C__T_ORDER,
    L2C__T_INVOICE,
    L2C__T_PAYMENT,
    L2C__T_CREDIT_NOTE,
    L2C__NTYPES
};

#define L2C__NULL_INT INT64_MIN
#define L2C__NO_STATE 0xFFFFu

/* A line of a quote, order, invoice or credit note. */
typedef struct l2c__line {
    l2c__str *sku, *description;
    int64_t qty;        /* thousandths */
    int64_t unit_price; /* minor units */
    int64_t fulfilled;  /* thousandths (orders) */
    int32_t discount;   /* hundredths of a percent */
    int32_t tax_rate;   /* hundredths of a percent */
    int32_t line;       /* own number, 1-based */
    int32_t ref_line;   /* invoice: order line; credit note: invoice line */
} l2c__line;

typedef struct l2c__lines {
    uint32_t refs;
    uint32_t n;
    l2c__line l[];
} l2c__lines;

struct l2c__slot;

typedef struct l2c__alloc {
    struct l2c__slot *invoice;
    int64_t amount;
} l2c__alloc;

typedef struct l2c__allocs {
    uint32_t refs;
    uint32_t n;
    l2c__alloc a[];
} l2c__allocs;

typedef union l2c__val {
    l2c__str *s;
    int64_t i;
} l2c__val;

typedef struct l2c__rec {
    uint32_t refs;
    uint16_t type;
    uint16_t state;
    uint32_t version;
    uint32_t nder;
    int64_t created_at, updated_at;
    struct l2c__slot *slot;
    l2c__lines *lines;
    l2c__allocs *allocs;
    int64_t *der; /* derived amounts as of the event that made this version */
    l2c__val f[];
} l2c__rec;

typedef struct l2c__slot {
    UT_hash_handle hh;
    l2c__str *id;
    l2c__rec *cur;  /* committed version; NULL while its creating command runs */
    l2c__rec *pend; /* version inside the running command, or NULL */
    struct l2c__slot **kids; /* records that belong to this one (see model.h) */
    uint32_t nkids, capkids;
    uint32_t order; /* creation order within the type */
    uint16_t type;
    uint8_t touched, is_new;
} l2c__slot;

static inline l2c__rec *l2c__slot_rec(const l2c__slot *s) { return s->pend ? s->pend : s->cur; }

struct l2c_event {
    uint64_t seq;
    uint64_t cause;
    int64_t time;
    l2c__rec *rec; /* the record after the event */
    l2c__actor_snap *actor;
    uint16_t ev;
    uint16_t from; /* L2C__NO_STATE on create */
    struct l2c_engine *engine;
};

#define L2C__EV_CHUNK_BITS 10
#define L2C__EV_CHUNK (1u << L2C__EV_CHUNK_BITS)

typedef struct l2c__kid_undo {
    l2c__slot *slot;
} l2c__kid_undo;

typedef struct l2c__tx {
    int open;
    uint64_t ev_mark;
    l2c__slot **touched;
    size_t ntouched, captouched;
    l2c__kid_undo *kid_undo;
    size_t nkid_undo, capkid_undo;
    uint64_t counter[L2C__NTYPES];
    size_t nlist[L2C__NTYPES];
    int clock_fixed;
    int64_t clock_at;
    int64_t credit_mark; /* unused by the in-memory engine */
} l2c__tx;

/* hooks */
enum { L2C__HOOK_GUARD, L2C__HOOK_LISTENER, L2C__HOOK_TOPIC, L2C__HOOK_SUB };

typedef struct l2c__hook {
    uint64_t id;
    int kind;
    int type;  /* -1 any */
    int event; /* -1 any (index in the type's process; needs type) */
    char *event_name; /* when type is any but event is named */
    char *pattern;
    char *principal;
    union {
        l2c_guard_fn guard;
        l2c_listener_fn listener;
    } fn;
    void *user;
    l2c_destroy_fn destroy;
} l2c__hook;

typedef struct l2c__grant {
    char *principal;
    char *pattern;
} l2c__grant;

/* A durable store behind the engine (lib/store). The engine calls it at
 * the start and end of every command; nothing else knows it exists. */
typedef struct l2c__store_ops {
    /* take the write lock and apply events other processes committed */
    int (*begin)(struct l2c_engine *e);
    /* write the running command's records and events, then commit */
    int (*commit)(struct l2c_engine *e);
    void (*rollback)(struct l2c_engine *e);
    /* catch up with other processes outside a command (reads) */
    int (*refresh)(struct l2c_engine *e);
    int (*ack)(struct l2c_engine *e, const char *consumer, uint64_t seq);
    int (*position)(struct l2c_engine *e, const char *consumer, uint64_t *out);
    void (*close)(struct l2c_engine *e);
} l2c__store_ops;

typedef struct l2c__consumer {
    char *name;
    uint64_t seq;
} l2c__consumer;

struct l2c_engine {
    l2c__error err;
    const l2c__store_ops *store_ops;
    void *store;
    l2c__consumer *consumers; /* in-memory engines only */
    size_t nconsumers, capconsumers;
    char *name;
    int64_t approval_threshold; /* hundredths of a percent */
    l2c_clock_fn clock;
    void *clock_user;
    int clock_fixed;
    int64_t clock_at;

    l2c__process *proc[L2C__NTYPES];
    l2c__slot *by_id[L2C__NTYPES];
    /* generated-form ids ("L-000042") also by number: a direct index, so a
     * walk in id order touches memory in order (the hash stays the truth) */
    l2c__slot **by_num[L2C__NTYPES];
    size_t capnum[L2C__NTYPES];
    /* set once a generated-form id could not be indexed (too far ahead, or
     * two spellings of one number): then a miss in by_num proves nothing */
    uint8_t num_partial[L2C__NTYPES];
    l2c__slot **list[L2C__NTYPES];
    size_t nlist[L2C__NTYPES], caplist[L2C__NTYPES];
    uint64_t counter[L2C__NTYPES];

    struct l2c_event **chunks;
    size_t nchunks, capchunks;
    uint64_t nevents;   /* including the running command's */
    uint64_t committed; /* last committed sequence */

    l2c__tx tx;
    int user_tx; /* between l2c_begin and l2c_commit/l2c_rollback */
    int in_hook;
    int64_t now; /* the running command's time */

    l2c__hook *hooks;
    size_t nhooks, caphooks;
    uint64_t next_hook_id;
    size_t nguards, nlisteners; /* quick "any hooks?" checks */
    l2c__grant *grants;
    size_t ngrants, capgrants;
};

/* ---- engine.c ---- */
int l2c__type_find(const char *name); /* -1 when unknown */
const char *l2c__type_name(int type);
l2c__slot *l2c__find(const l2c_engine *e, int type, const char *id);
/* Index a new slot by its id number / remove it (rollback). */
int l2c__num_add(l2c_engine *e, l2c__slot *s);
void l2c__num_del(l2c_engine *e, l2c__slot *s);
int64_t l2c__clock(const l2c_engine *e);
int l2c__err(l2c_engine *e, int code, const char *rule, const char *fmt, ...) L2C__PRINTF(4, 5);
/* Keep the error of a failed engine creation for l2c_last_error_*(NULL). */
int l2c__open_failed(l2c_engine *e, int code);
/* Check a given id (DESIGN §6 Ids); 0 or field.invalid set on e. */
int l2c__check_id(l2c_engine *e, const char *what, const char *id);

/* Put a compiled custom definition in place of the process of `type`
 * (DESIGN §8). Every event name of the old one must keep its index in `np`;
 * every state a record or a logged event of that type is in must exist in
 * `np` (by name), else L2C_EINVAL and nothing changes. States are remapped
 * by name in every version and event; the old definition is retired, not
 * freed (the state and event names it lent out stay valid). Takes `np` on
 * success only. Not while a command runs. */
int l2c__process_swap(l2c_engine *e, int type, l2c__process *np);

/* ---- tx.c: transactions, versions, events ---- */
int l2c__tx_begin(l2c_engine *e);
void l2c__tx_commit(l2c_engine *e);
void l2c__tx_rollback(l2c_engine *e);
l2c__rec *l2c__rec_alloc(int type, uint32_t nfields);
void l2c__rec_unref(l2c__rec *r);
void l2c__lines_unref(l2c__lines *l);
l2c__lines *l2c__lines_new(uint32_t n);
l2c__lines *l2c__lines_copy(const l2c__lines *l);
void l2c__allocs_unref(l2c__allocs *a);
/* A mutable pending version of `s` (copy on write). NULL on OOM (error set). */
l2c__rec *l2c__change(l2c_engine *e, l2c__slot *s);
/* Draw the next generated id of a type into buf (at least 160 bytes). */
int l2c__next_id(l2c_engine *e, int type, char *buf);
/* New slot for a record being created; `rec` becomes its pending version. */
int l2c__slot_create(l2c__slot **out, l2c_engine *e, int type, const char *id, l2c__rec *rec);
/* Record that `kid` belongs to `parent` (undone on rollback). */
int l2c__kid_add(l2c_engine *e, l2c__slot *parent, l2c__slot *kid);
/* Record the pending version of `s` as one event (state `to`), run host guards. */
int l2c__emit(l2c_engine *e, l2c__slot *s, int ev, int to, const l2c_actor *actor,
              uint64_t cause);
struct l2c_event *l2c__event_at(const l2c_engine *e, uint64_t seq);

/* ---- api.c: top-level commands ---- */
int l2c__cmd_begin(l2c_engine *e);
int l2c__cmd_end(l2c_engine *e, int rc);
int l2c__resolve_event(l2c_engine *e, int type, const char *event);
/* One create, fire or update inside the running command (its own cause,
 * host guards after its rules); *out (may be NULL) gets its record. */
enum { L2C__OP_CREATE, L2C__OP_FIRE, L2C__OP_UPDATE };
int l2c__run_op(l2c__slot **out, l2c_engine *e, int op, int type, const char *id, int ev,
                const l2c_data *data, const l2c_actor *actor, uint32_t version);

/* Replaying: install a version (made outside any command) as committed,
 * with its event; used when a store loads or catches up. */
int l2c__replay_install(l2c_engine *e, l2c__rec *rec, const char *id, int ev, int from,
                        l2c__actor_snap *actor, int64_t time, uint64_t cause);

/* ---- hooks.c ---- */
int l2c__run_guards(l2c_engine *e, const struct l2c_event *ev);
/* Host guards over the events of a command from sequence `first`, once its
 * own rules and cascades have passed (`rc` 0); returns rc or the veto. */
int l2c__host_guards(l2c_engine *e, uint64_t first, int rc);
void l2c__run_listeners(l2c_engine *e, uint64_t from_seq, uint64_t to_seq);
void l2c__hooks_free(l2c_engine *e);
/* MQTT topic filter validity, and matching against the topic of an event. */
int l2c__pattern_valid(const char *pattern);
int l2c__event_matches(const struct l2c_event *ev, const char *pattern);
int l2c__topic_build(l2c__buf *b, const struct l2c_event *ev);

#endif
