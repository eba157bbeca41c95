/* Internal: the only place that knows JSON (cJSON). Records and events to
 * JSON, JSON to l2c_data and actors, the command protocol. */
#ifndef L2C_CODEC_CODEC_H
#define L2C_CODEC_CODEC_H

#include <cJSON.h>

#include "model/model.h"

/* The record as JSON. `der`: derived amounts as of an event, or NULL to
 * compute them now. NULL on OOM. */
cJSON *l2c__json_record(const l2c_engine *e, const l2c__rec *r, const int64_t *der);
/* Written straight into a buffer (the renderer); 0 or L2C_ENOMEM. */
int l2c__write_record(l2c__buf *b, const l2c_engine *e, const l2c__rec *r, const int64_t *der);
int l2c__write_event(l2c__buf *b, const l2c_engine *e, const struct l2c_event *ev);
/* The same as raw cJSON nodes (printed verbatim, not navigable). */
cJSON *l2c__json_record_raw(const l2c_engine *e, const l2c__rec *r);
cJSON *l2c__json_event_raw(const l2c_engine *e, const struct l2c_event *ev);
/* The CloudEvents form of an event. NULL on OOM. */
cJSON *l2c__json_event(const l2c_engine *e, const struct l2c_event *ev);
/* cJSON value to an input tree (numbers checked per DESIGN §3). NULL on OOM. */
l2c_data *l2c__json_to_data(const cJSON *j);
/* Print and copy into library memory (freed with l2c_free). NULL on OOM. */
char *l2c__json_print(const cJSON *j);
/* The `report` op (DESIGN §9, lib/codec/report.c): figures into res. */
int l2c__op_report(l2c_engine *e, const cJSON *cmd, cJSON *res);
/* Apply one stored event (its CloudEvents JSON) as committed. */
int l2c__replay_event_json(l2c_engine *e, uint64_t seq, const char *json);

#endif
