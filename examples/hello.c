/* hello: the C API in a few lines. cc hello.c $(pkg-config --cflags --libs libl2c) */
#include <stdio.h>

#include "l2c.h"

int main(void)
{
    l2c_engine *e = NULL;
    l2c_data *lead = NULL, *convert = NULL, *opp;
    char *id = NULL, *json;
    const char *state;
    const l2c_event *ev;
    int rc = l2c_engine_new(&e, NULL);
    if (!rc && !(rc = l2c_data_new(&lead)) && !(rc = l2c_data_new(&convert))) {
        l2c_data_set_string(lead, "name", "Ines Ortega");
        l2c_data_set_string(lead, "company", "Ortega Foods");
        if (!(rc = l2c_data_set_object(&opp, convert, "opportunity")))
            rc = l2c_data_set_string(opp, "amount", "12000.00");
    }
    if (!rc) rc = l2c_create(&id, e, "lead", NULL, lead, NULL);
    if (!rc) rc = l2c_fire(e, "lead", id, "qualify", NULL, NULL, 0);
    if (!rc) rc = l2c_fire(e, "lead", id, "convert", convert, NULL, 0); /* + account, opportunity */
    if (!rc && !(rc = l2c_get_state(&state, e, "lead", id)))
        printf("%s is %s\n", id, state);
    for (uint64_t seq = 1; !rc && seq <= l2c_events_last(e); seq++)
        if (!l2c_event_get(&ev, e, seq) && !l2c_event_json(&json, e, ev)) {
            puts(json);
            l2c_free(json);
        }
    if (rc)
        fprintf(stderr, "hello: %s\n", e ? l2c_last_error_message(e) : l2c_strerror(rc));
    l2c_free(id);
    l2c_data_free(convert);
    l2c_data_free(lead);
    l2c_engine_free(e);
    return rc ? 1 : 0;
}
