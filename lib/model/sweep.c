/* sweep: time-driven changes, in one command. Sent quotes past valid_until
 * expire, then issued invoices past due_date become overdue (disputed ones
 * are left alone: dunning pauses), each in creation order, with no actor. */
#include "model/model.h"

static int sweep_type(l2c_engine *e, uint64_t cause, int type, const char *from,
                      const char *date_field, const char *event)
{
    const l2c__process *p = e->proc[type];
    int st = l2c__process_state(p, from);
    int f = l2c__field_index(l2c__models[type], date_field);
    int32_t today = l2c__time_day(e->now);
    size_t n = e->nlist[type]; /* records this sweep creates are not swept */
    for (size_t i = 0; i < n; i++) {
        l2c__slot *s = e->list[type][i];
        const l2c__rec *r = l2c__slot_rec(s);
        if ((int)r->state != st || r->f[f].i == L2C__NULL_INT || today <= r->f[f].i)
            continue;
        l2c__cmd c;
        l2c__cmd_init(&c, e, type);
        c.cascade = 1;
        c.cause = cause;
        c.want_id = s->id->s;
        c.ev = l2c__process_event(p, event);
        int rc = c.ev < 0 ? 0 : l2c__run_fire(&c, 0);
        l2c__cmd_done(&c);
        if (rc)
            return rc;
    }
    return 0;
}

int l2c__run_sweep(l2c_engine *e, uint64_t cause)
{
    int rc = sweep_type(e, cause, L2C__T_QUOTE, "sent", "valid_until", "expire");
    return rc ? rc : sweep_type(e, cause, L2C__T_INVOICE, "issued", "due_date", "mark_overdue");
}
