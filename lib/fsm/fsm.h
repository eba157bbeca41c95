/* Process definitions as data: states, events, transitions (from-set -> to,
 * or one of a few targets picked by a named chooser), terminal states,
 * required roles and named guards. A definition is compiled once, validated,
 * and then read-only: transition lookup is one table read. */
#ifndef L2C_FSM_FSM_H
#define L2C_FSM_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "core/core.h"

#define L2C__MAX_STATES 64
#define L2C__MAX_TO 4
#define L2C__EV_CREATE 0 /* every process has these two pseudo-events first */
#define L2C__EV_UPDATE 1
#define L2C__NO_TRANS (-1)

struct l2c__cmd;

/* A named business rule: returns 0 to pass, or an error set on the command. */
typedef struct l2c__guard {
    const char *name;
    int (*fn)(struct l2c__cmd *c);
} l2c__guard;

/* Picks one of a transition's targets (an index into to[]). */
typedef struct l2c__chooser {
    const char *name;
    int (*fn)(struct l2c__cmd *c);
} l2c__chooser;

/* Source form. Lists are space-separated names; `to` separates several
 * targets with '|'. Built-in definitions are static data of this form;
 * custom ones are built from JSON by the codec. */
typedef struct l2c__trans_def {
    const char *event;
    const char *from;
    const char *to;
    const char *chooser;
    const char *roles;
    const char *guards;
    bool cascade_only;
} l2c__trans_def;

typedef struct l2c__process_def {
    const char *type;
    const char *states; /* the first is the initial state */
    const char *terminal;
    const char *open;   /* the named set "<type>.open", may be NULL */
    const char *create_guards;
    const char *update_guards;
    const l2c__trans_def *trans;
    uint32_t ntrans;
    /* event names registered first, in this order, after create and update
     * (may be NULL): a replacing definition keeps the indexes the event log
     * and hooks hold; such an event may have no transition */
    const char *events;
} l2c__process_def;

typedef struct l2c__trans {
    uint16_t ev;
    uint8_t nto;
    uint8_t cascade_only;
    uint16_t to[L2C__MAX_TO];
    uint64_t from;
    const l2c__chooser *chooser;
    char **roles;
    uint32_t nroles;
    const l2c__guard **guards;
    uint32_t nguards;
} l2c__trans;

typedef struct l2c__process {
    char *type;
    uint32_t nstates, nevents, ntrans;
    char **states;
    char **events; /* events[0] "create", events[1] "update" */
    uint64_t terminal;
    uint64_t open;
    l2c__trans *trans;
    int16_t *table; /* [state * nevents + event] -> transition index or -1 */
    const l2c__guard **create_guards;
    uint32_t ncreate_guards;
    const l2c__guard **update_guards;
    uint32_t nupdate_guards;
    /* definitions this one replaced: kept (and freed with it) because the
     * names they lent out stay valid while the engine lives */
    struct l2c__process *retired;
} l2c__process;

typedef const l2c__guard *(*l2c__guard_lookup)(const char *name);
typedef const l2c__chooser *(*l2c__chooser_lookup)(const char *name);

/* Compile and validate a definition. On error returns L2C_EINVAL (or
 * L2C_ENOMEM) with a precise message in *err, and *out untouched. */
int l2c__process_compile(l2c__process **out, const l2c__process_def *def,
                         l2c__guard_lookup guards, l2c__chooser_lookup choosers,
                         l2c__error *err);
void l2c__process_free(l2c__process *p);

/* Index of a state or event by name, or -1. */
int l2c__process_state(const l2c__process *p, const char *name);
int l2c__process_event(const l2c__process *p, const char *name);

static inline int l2c__process_lookup(const l2c__process *p, uint32_t state, uint32_t ev)
{
    return p->table[state * p->nevents + ev];
}
static inline bool l2c__process_terminal(const l2c__process *p, uint32_t state)
{
    return (p->terminal >> state) & 1u;
}
static inline bool l2c__process_open(const l2c__process *p, uint32_t state)
{
    return (p->open >> state) & 1u;
}

/* The built-in definitions of DESIGN §2, one per record type, in type order. */
extern const l2c__process_def l2c__builtin_defs[];
extern const uint32_t l2c__builtin_ndefs;

#endif
