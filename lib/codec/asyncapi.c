/* The AsyncAPI 3.0 description of the event streams (DESIGN §5), generated
 * from the loaded process definitions: one channel per record type and
 * event (custom events included), one message per event whose payload is
 * the CloudEvents envelope, and a schema per record type from the model's
 * field list. */
#include <stdio.h>
#include <string.h>

#include "codec/codec.h"

/* Building with one failure flag: every helper is a no-op once it is set. */
typedef struct doc {
    int ok;
} doc;

/* Attach `item` to `parent` under `key` (or append, key NULL). Returns the
 * item, or NULL (item freed, d->ok cleared) on failure. */
static cJSON *put(doc *d, cJSON *parent, const char *key, cJSON *item)
{
    int done = d->ok && parent && item &&
               (key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item));
    if (!done) {
        cJSON_Delete(item);
        d->ok = 0;
        return NULL;
    }
    return item;
}

static cJSON *frag(doc *d, cJSON *parent, const char *key, const char *json)
{
    return put(d, parent, key, d->ok ? cJSON_Parse(json) : NULL);
}

static cJSON *str(doc *d, cJSON *parent, const char *key, const char *s)
{
    return put(d, parent, key, d->ok ? cJSON_CreateString(s) : NULL);
}

static cJSON *object(doc *d, cJSON *parent, const char *key)
{
    return put(d, parent, key, d->ok ? cJSON_CreateObject() : NULL);
}

static cJSON *array(doc *d, cJSON *parent, const char *key)
{
    return put(d, parent, key, d->ok ? cJSON_CreateArray() : NULL);
}

/* {"$ref": prefix + name} */
static cJSON *ref(doc *d, cJSON *parent, const char *key, const char *prefix, const char *name)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    cJSON *o = object(d, parent, key);
    str(d, o, "$ref", buf);
    return o;
}

#define MONEY "\"pattern\":\"^-?[0-9]+(\\\\.[0-9]+)?$\""
#define DECIMAL "{\"type\":\"string\",\"pattern\":\"^-?[0-9]+(\\\\.[0-9]+)?$\"}"

/* The schema of one field (DESIGN §3, §6 output forms). */
static void field_schema(doc *d, cJSON *props, const l2c__field *f)
{
    static const char *const lines[] = {"line_quote", "line_order", "line_invoice",
                                        "line_credit_note"};
    cJSON *s;
    switch (f->kind) {
    case L2C__F_STR:
        frag(d, props, f->name, "{\"type\":[\"string\",\"null\"]}");
        break;
    case L2C__F_REF:
        s = frag(d, props, f->name, "{\"type\":[\"string\",\"null\"]}");
        if (s) {
            char desc[96];
            snprintf(desc, sizeof desc, "id of a %s", l2c__type_name(f->aux));
            str(d, s, "description", desc);
        }
        break;
    case L2C__F_MONEY:
        frag(d, props, f->name, "{\"type\":[\"string\",\"null\"]," MONEY "}");
        break;
    case L2C__F_DATE:
        frag(d, props, f->name,
             "{\"type\":[\"string\",\"null\"],\"format\":\"date\","
             "\"pattern\":\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\"}");
        break;
    case L2C__F_INT:
        frag(d, props, f->name, "{\"type\":\"integer\"}");
        break;
    case L2C__F_CUR:
        frag(d, props, f->name, "{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"}");
        break;
    case L2C__F_LINES:
        s = frag(d, props, f->name, "{\"type\":\"array\"}");
        ref(d, s, "items", "#/components/schemas/", lines[f->aux & 3]);
        break;
    case L2C__F_ALLOCS:
        s = frag(d, props, f->name, "{\"type\":\"array\"}");
        ref(d, s, "items", "#/components/schemas/", "allocation");
        break;
    case L2C__F_STATUS:
        frag(d, props, f->name, "{\"type\":\"string\",\"enum\":[\"none\",\"partial\",\"full\"]}");
        break;
    default: /* derived amounts, totals, unallocated: always an amount */
        s = frag(d, props, f->name, DECIMAL);
        if (s)
            str(d, s, "description", "an amount in the record's currency, derived");
        break;
    }
}

static void states_enum(doc *d, cJSON *o, const l2c__process *p, uint64_t mask)
{
    cJSON *en = array(d, o, "enum");
    for (uint32_t s = 0; s < p->nstates; s++)
        if ((mask >> s) & 1u)
            str(d, en, NULL, p->states[s]);
}

static void record_schema(doc *d, cJSON *schemas, const l2c_engine *e, int t)
{
    const l2c__model *m = l2c__models[t];
    const l2c__process *p = e->proc[t];
    cJSON *o = frag(d, schemas, m->name, "{\"type\":\"object\"}");
    char title[96];
    snprintf(title, sizeof title, "%s record (%s-000001, ...)", m->name, m->prefix);
    str(d, o, "title", title);
    cJSON *req = array(d, o, "required"), *props = object(d, o, "properties");
    static const char *const head[] = {"id", "type", "state", "version"};
    for (size_t i = 0; i < 4; i++)
        str(d, req, NULL, head[i]);
    for (uint32_t i = 0; i < m->nfields; i++)
        str(d, req, NULL, m->fields[i].name);
    str(d, req, NULL, "created_at");
    str(d, req, NULL, "updated_at");
    frag(d, props, "id", "{\"type\":\"string\"}");
    cJSON *ty = object(d, props, "type");
    str(d, ty, "const", m->name);
    cJSON *st = frag(d, props, "state", "{\"type\":\"string\"}");
    states_enum(d, st, p, ~0ull);
    frag(d, props, "version", "{\"type\":\"integer\",\"minimum\":1}");
    for (uint32_t i = 0; i < m->nfields; i++)
        field_schema(d, props, &m->fields[i]);
    frag(d, props, "created_at", "{\"type\":\"string\",\"format\":\"date-time\"}");
    frag(d, props, "updated_at", "{\"type\":\"string\",\"format\":\"date-time\"}");
}

/* Line forms, in the order record_json prints their keys. */
static void line_schemas(doc *d, cJSON *schemas)
{
    static const char *const names[] = {"line_quote", "line_order", "line_invoice",
                                        "line_credit_note"};
    for (int form = 0; form < 4; form++) {
        cJSON *o = frag(d, schemas, names[form], "{\"type\":\"object\"}");
        cJSON *props = object(d, o, "properties");
        if (form == L2C__LF_ORDER || form == L2C__LF_INVOICE)
            frag(d, props, "line", "{\"type\":\"integer\",\"minimum\":1}");
        if (form == L2C__LF_INVOICE)
            frag(d, props, "order_line", "{\"type\":\"integer\",\"minimum\":1}");
        if (form == L2C__LF_CREDIT)
            frag(d, props, "invoice_line", "{\"type\":\"integer\",\"minimum\":1}");
        frag(d, props, "sku", "{\"type\":[\"string\",\"null\"]}");
        frag(d, props, "description", "{\"type\":[\"string\",\"null\"]}");
        frag(d, props, "qty", DECIMAL);
        if (form == L2C__LF_ORDER) {
            frag(d, props, "ordered", DECIMAL);
            frag(d, props, "fulfilled", DECIMAL);
            frag(d, props, "invoiced", DECIMAL);
        }
        static const char *const tail[] = {"unit_price", "discount_pct", "tax_rate_pct",
                                           "net",        "tax",          "total"};
        for (size_t i = 0; i < 6; i++)
            frag(d, props, tail[i], DECIMAL);
    }
    cJSON *a = frag(d, schemas, "allocation",
                    "{\"type\":\"object\",\"required\":[\"invoice\",\"amount\"],\"properties\":{"
                    "\"invoice\":{\"type\":\"string\",\"description\":\"id of an invoice\"},"
                    "\"amount\":" DECIMAL "}}");
    (void)a;
    frag(d, schemas, "actor",
         "{\"type\":\"object\",\"required\":[\"id\",\"roles\"],\"properties\":{"
         "\"id\":{\"type\":[\"string\",\"null\"]},"
         "\"roles\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}}");
}

/* The message of one event: the CloudEvents envelope around the record. */
static void message(doc *d, cJSON *messages, const l2c__process *p, const l2c__model *m,
                    const char *ev, uint64_t from, uint64_t to, int create)
{
    char id[160], buf[256];
    snprintf(id, sizeof id, "l2c.%s.%s", m->name, ev);
    cJSON *msg = object(d, messages, id);
    str(d, msg, "name", id);
    snprintf(buf, sizeof buf, "%s %s", m->name, ev);
    str(d, msg, "title", buf);
    str(d, msg, "contentType", "application/cloudevents+json");
    cJSON *pl = frag(d, msg, "payload",
                     "{\"type\":\"object\",\"required\":[\"specversion\",\"id\",\"source\","
                     "\"type\",\"subject\",\"time\",\"datacontenttype\",\"sequence\",\"data\"]}");
    cJSON *props = object(d, pl, "properties");
    frag(d, props, "specversion", "{\"type\":\"string\",\"const\":\"1.0\"}");
    frag(d, props, "id",
         "{\"type\":\"string\",\"pattern\":\"^[1-9][0-9]*$\",\"description\":\"the sequence\"}");
    frag(d, props, "source", "{\"type\":\"string\",\"format\":\"uri-reference\"}");
    cJSON *ty = frag(d, props, "type", "{\"type\":\"string\"}");
    str(d, ty, "const", id);
    cJSON *sub = frag(d, props, "subject", "{\"type\":\"string\"}");
    snprintf(buf, sizeof buf, "id of the %s", m->name);
    str(d, sub, "description", buf);
    frag(d, props, "time", "{\"type\":\"string\",\"format\":\"date-time\"}");
    frag(d, props, "datacontenttype", "{\"type\":\"string\",\"const\":\"application/json\"}");
    frag(d, props, "sequence",
         "{\"type\":\"string\",\"pattern\":\"^[1-9][0-9]*$\",\"description\":\"gapless, "
         "engine-wide\"}");
    cJSON *data = frag(d, props, "data",
                       "{\"type\":\"object\",\"required\":[\"from\",\"to\",\"actor\",\"cause\","
                       "\"record\"]}");
    cJSON *dp = object(d, data, "properties");
    if (create) {
        frag(d, dp, "from", "{\"type\":\"null\"}");
    } else {
        cJSON *f = frag(d, dp, "from", "{\"type\":\"string\"}");
        states_enum(d, f, p, from);
    }
    cJSON *t = frag(d, dp, "to", "{\"type\":\"string\"}");
    states_enum(d, t, p, to);
    cJSON *act = object(d, dp, "actor");
    cJSON *one = array(d, act, "oneOf");
    frag(d, one, NULL, "{\"type\":\"null\"}");
    ref(d, one, NULL, "#/components/schemas/", "actor");
    frag(d, dp, "cause",
         "{\"type\":\"string\",\"pattern\":\"^[1-9][0-9]*$\",\"description\":\"sequence of "
         "the command's first event\"}");
    ref(d, dp, "record", "#/components/schemas/", m->name);
}

static void channel(doc *d, cJSON *channels, cJSON *operations, const l2c__model *m,
                    const char *ev)
{
    char id[160], addr[256], buf[320];
    snprintf(id, sizeof id, "%s.%s", m->name, ev);
    snprintf(addr, sizeof addr, "l2c/v1/%s/%s/%s/{id}", m->domain, m->name, ev);
    cJSON *ch = object(d, channels, id);
    str(d, ch, "address", addr);
    snprintf(buf, sizeof buf, "l2c.%s.%s events, one topic per %s", m->name, ev, m->name);
    str(d, ch, "description", buf);
    cJSON *msgs = object(d, ch, "messages");
    snprintf(buf, sizeof buf, "l2c.%s.%s", m->name, ev);
    ref(d, msgs, buf, "#/components/messages/", buf);
    cJSON *params = object(d, ch, "parameters");
    cJSON *pid = object(d, params, "id");
    snprintf(buf, sizeof buf, "id of the %s (the event's subject)", m->name);
    str(d, pid, "description", buf);

    snprintf(buf, sizeof buf, "%s.send", id);
    cJSON *op = object(d, operations, buf);
    str(d, op, "action", "send");
    ref(d, op, "channel", "#/channels/", id);
    snprintf(buf, sizeof buf, "the engine publishes l2c.%s.%s after the command commits",
             m->name, ev);
    str(d, op, "summary", buf);
    cJSON *om = array(d, op, "messages");
    snprintf(buf, sizeof buf, "%s/messages/l2c.%s.%s", id, m->name, ev);
    ref(d, om, NULL, "#/channels/", buf);
}

int l2c_asyncapi_json(char **out, l2c_engine *e)
{
    if (!out || !e)
        return L2C_EINVAL;
    *out = NULL;
    doc d = {1};
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    str(&d, root, "asyncapi", "3.0.0");
    cJSON *info = object(&d, root, "info");
    str(&d, info, "title", "libl2c events");
    str(&d, info, "version", L2C_VERSION_STRING);
    str(&d, info, "description",
        "Every creation, transition and update of a lead-to-cash record, as a CloudEvents 1.0 "
        "event on the topic l2c/v1/<domain>/<type>/<event>/<id>. Generated from the engine's "
        "loaded process definitions.");
    str(&d, root, "defaultContentType", "application/cloudevents+json");
    cJSON *channels = object(&d, root, "channels");
    cJSON *operations = object(&d, root, "operations");
    cJSON *comp = object(&d, root, "components");
    cJSON *messages = object(&d, comp, "messages");
    cJSON *schemas = object(&d, comp, "schemas");
    for (int t = 0; t < L2C__NTYPES && d.ok; t++) {
        const l2c__model *m = l2c__models[t];
        const l2c__process *p = e->proc[t];
        uint64_t all = p->nstates >= 64 ? ~0ull : (1ull << p->nstates) - 1;
        channel(&d, channels, operations, m, "create");
        message(&d, messages, p, m, "create", 0, 1, 1);
        channel(&d, channels, operations, m, "update");
        message(&d, messages, p, m, "update", all, all, 0);
        for (uint32_t ev = 2; ev < p->nevents; ev++) {
            uint64_t from = 0, to = 0;
            for (uint32_t i = 0; i < p->ntrans; i++) {
                if (p->trans[i].ev != ev)
                    continue;
                from |= p->trans[i].from;
                for (uint32_t k = 0; k < p->trans[i].nto; k++)
                    to |= 1ull << p->trans[i].to[k];
            }
            if (!from) /* a name a replaced definition dropped: never emitted */
                continue;
            channel(&d, channels, operations, m, p->events[ev]);
            message(&d, messages, p, m, p->events[ev], from, to, 0);
        }
        record_schema(&d, schemas, e, t);
    }
    line_schemas(&d, schemas);
    if (d.ok)
        *out = l2c__json_print(root);
    cJSON_Delete(root);
    if (!*out)
        return l2c__err(e, L2C_ENOMEM, NULL, "out of memory");
    e->err.code = 0, e->err.rule = NULL;
    return 0;
}
