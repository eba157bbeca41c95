/* `l2c demo`: the whole lead-to-cash story, step by step, on an in-memory
 * engine (or the --db one), with the clock set explicitly.
 *
 * The figures follow DESIGN §3: a line's net is qty × unit_price ×
 * (100 − discount_pct) / 100, its tax net × tax_rate_pct / 100.
 *   OVEN-40  4 × 2500.00 at 25% off, 21% tax: net 7500.00, tax 1575.00
 *   INSTALL  1 ×  800.00,            21% tax: net  800.00, tax  168.00
 * Quote and order total 10043.00 EUR. Delivery 1 (2 ovens + installation)
 * is invoice 1, 5505.50; delivery 2 (2 ovens) is invoice 2, 4537.50.
 * Invoice 1 is paid by 3000.00 + 2505.50; invoice 2 gets a credit note for
 * one oven (2268.75) and is left with 2268.75, overdue after 2026-05-29. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static const char demo_help[] =
    "usage: l2c [global options] demo\n"
    "\n"
    "Runs a lead-to-cash story end to end and prints each step (what was\n"
    "done → the resulting states), the event stream and the account: a lead\n"
    "is contacted, qualified and converted; a quote with a 25% discount is\n"
    "approved by a sales manager, sent and accepted (order created,\n"
    "opportunity won); the order is fulfilled and invoiced in two parts;\n"
    "invoice 1 is paid in two payments; invoice 2 gets a credit note and,\n"
    "once past its due date, the sweep marks it overdue.\n"
    "\n"
    "The clock starts at 2026-04-01T09:00:00Z. The engine is in memory\n"
    "unless --db (or L2C_DB) names a database, where the records then stay.\n"
    "Exits 1 when a step fails unexpectedly.\n";

enum { WHAT_WIDTH = 40, ID_MAX = 130 };

typedef struct demo {
    cli *c;
    l2c_engine *e;
    char when[32];    /* the clock as shown on step lines */
    cJSON *last;      /* result of the last step */
    char first[32];   /* sequence of the story's first event */
    char lead[ID_MAX], account[ID_MAX], opp[ID_MAX], quote[ID_MAX], order[ID_MAX];
    char inv1[ID_MAX], inv2[ID_MAX], pay1[ID_MAX], pay2[ID_MAX], cn[ID_MAX];
} demo;

static char *vformat(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);
static char *vformat(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

/* A growing string; `bad` once an allocation failed. */
typedef struct text {
    char *s;
    size_t len;
    int bad;
} text;

static void add(text *t, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void add(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *part = vformat(fmt, ap);
    va_end(ap);
    size_t n = part ? strlen(part) : 0;
    char *s = part ? realloc(t->s, t->len + n + 1) : NULL;
    if (!s) {
        t->bad = 1;
    } else {
        memcpy(s + t->len, part, n + 1);
        t->s = s;
        t->len += n;
    }
    free(part);
}

static const char *str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *entity(const cJSON *res)
{
    return cJSON_GetObjectItemCaseSensitive(res, "entity");
}

/* Runs one command; the parsed result (ok or not) in *out, NULL when even
 * that failed (reported). Returns the library's code. */
static int exec(demo *d, const char *command, cJSON **out)
{
    char *answer = NULL;
    int rc = l2c_exec_json(&answer, d->e, command);
    *out = answer ? cJSON_Parse(answer) : NULL;
    l2c_free(answer);
    if (!*out) {
        fputs("l2c: demo: no_memory: out of memory\n", stderr);
        return rc ? rc : L2C_ENOMEM;
    }
    return rc;
}

static void line(const demo *d, const char *what, const char *outcome)
{
    size_t n = strlen(what);
    printf("%s  %s", d->when, what);
    for (; n < WHAT_WIDTH; n++)
        fputc(' ', stdout);
    printf(" → %s\n", outcome);
}

/* "l2c.invoice.settle" -> "invoice" (into buf). */
static const char *event_record_type(const cJSON *ev, char *buf, size_t size)
{
    const char *t = str(ev, "type");
    const char *dot = t ? strchr(t, '.') : NULL;
    const char *end = dot ? strchr(dot + 1, '.') : NULL;
    size_t n = end ? (size_t)(end - dot - 1) : 0;
    if (!end || n >= size)
        return "?";
    memcpy(buf, dot + 1, n);
    buf[n] = '\0';
    return buf;
}

/* The figures: "field" of the result's entity, or "type id field" of
 * another record; money gets its currency. */
static void figure(demo *d, text *t, const cJSON *res, const char *item)
{
    char type[32], id[ID_MAX], field[64];
    const cJSON *rec = entity(res);
    cJSON *other = NULL;
    if (sscanf(item, "%31s %129s %63s", type, id, field) == 3) {
        char *cmd = NULL;
        text q = {0};
        add(&q, "{\"op\":\"get\",\"type\":\"%s\",\"id\":\"%s\"}", type, id);
        cmd = q.s;
        if (!q.bad && exec(d, cmd, &other) == 0)
            rec = entity(other);
        else
            rec = NULL;
        free(cmd);
        add(t, "%s %s ", type, id);
    } else {
        snprintf(field, sizeof field, "%s", item);
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, field);
    char *s = cli_text(v);
    const char *cur = str(rec, "currency");
    add(t, "%s %s%s%s", field, s ? s : "?", cur && s && strchr(s, '.') ? " " : "",
        cur && s && strchr(s, '.') ? cur : "");
    free(s);
    cJSON_Delete(other);
}

/* What a result left behind: each record its events touched with its last
 * state, in the order of the events, then the figures. */
static char *outcome(demo *d, const cJSON *res, const char *figs)
{
    text t = {0};
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(res, "events");
    const cJSON *ev;
    int n = 0;
    cJSON_ArrayForEach(ev, events)
    {
        const char *subject = str(ev, "subject");
        int seen = 0;
        for (const cJSON *later = ev->next; later; later = later->next) {
            const char *s = str(later, "subject");
            if (s && subject && strcmp(s, subject) == 0)
                seen = 1;
        }
        if (seen)
            continue; /* shown with its last state */
        char type[32];
        add(&t, "%s%s %s %s", n++ ? ", " : "", event_record_type(ev, type, sizeof type),
            subject ? subject : "?", str(cJSON_GetObjectItemCaseSensitive(ev, "data"), "to"));
    }
    if (str(res, "now"))
        add(&t, "clock %s", str(res, "now"));
    else if (n == 0)
        add(&t, "nothing changed");
    if (figs && *figs) {
        char *list = strdup(figs);
        if (!list)
            t.bad = 1;
        add(&t, " (");
        int k = 0;
        for (char *save = NULL, *item = list ? strtok_r(list, ",", &save) : NULL; item;
             item = strtok_r(NULL, ",", &save)) {
            if (k++)
                add(&t, ", ");
            figure(d, &t, res, item);
        }
        add(&t, ")");
        free(list);
    }
    if (t.bad) {
        free(t.s);
        return NULL;
    }
    return t.s;
}

/* Runs a command of the story, prints its line and keeps its result in
 * d->last. Returns 0, or -1 after printing why the story stops. */
static int step(demo *d, const char *what, const char *figs, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static int step(demo *d, const char *what, const char *figs, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = vformat(fmt, ap);
    va_end(ap);
    cJSON_Delete(d->last);
    d->last = NULL;
    if (!cmd) {
        fputs("l2c: demo: no_memory: out of memory\n", stderr);
        return -1;
    }
    cJSON *res;
    int rc = exec(d, cmd, &res);
    free(cmd);
    if (!res)
        return -1;
    if (rc) {
        fflush(stdout);
        cli_print_result_error(res);
        fprintf(stderr, "l2c: demo: the step \"%s\" failed\n", what);
        cJSON_Delete(res);
        return -1;
    }
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(res, "events");
    if (!d->first[0] && cJSON_GetArraySize(events) > 0)
        snprintf(d->first, sizeof d->first, "%s", str(events->child, "sequence"));
    char *out = outcome(d, res, figs);
    if (!out) {
        fputs("l2c: demo: no_memory: out of memory\n", stderr);
        cJSON_Delete(res);
        return -1;
    }
    line(d, what, out);
    free(out);
    d->last = res;
    return 0;
}

/* A step the engine must refuse with `rule`: shows the refusal. */
static int refused(demo *d, const char *what, const char *rule, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static int refused(demo *d, const char *what, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *cmd = vformat(fmt, ap);
    va_end(ap);
    if (!cmd) {
        fputs("l2c: demo: no_memory: out of memory\n", stderr);
        return -1;
    }
    cJSON *res;
    int rc = exec(d, cmd, &res);
    free(cmd);
    if (!res)
        return -1;
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(res, "error");
    const char *got = str(err, "rule");
    if (rc == 0 || !got || strcmp(got, rule) != 0) {
        fflush(stdout);
        if (rc)
            cli_print_result_error(res);
        fprintf(stderr, "l2c: demo: the step \"%s\" was %s; it should have been refused with %s\n",
                what, rc ? "refused otherwise" : "accepted", rule);
        cJSON_Delete(res);
        return -1;
    }
    text t = {0};
    add(&t, "refused: %s (%s): %s", str(err, "code"), got, str(err, "message"));
    if (!t.bad)
        line(d, what, t.s);
    free(t.s);
    cJSON_Delete(res);
    return t.bad ? -1 : 0;
}

/* Moves the clock (silently: the step lines show it). */
static int at(demo *d, const char *now)
{
    char cmd[96];
    cJSON *res;
    snprintf(cmd, sizeof cmd, "{\"op\":\"clock\",\"now\":\"%s\"}", now);
    int rc = exec(d, cmd, &res);
    if (rc && res)
        cli_print_result_error(res);
    cJSON_Delete(res);
    if (rc)
        return -1;
    /* "2026-04-01T09:00:00Z" is shown as "2026-04-01 09:00" */
    snprintf(d->when, sizeof d->when, "%.10s %.5s", now, now + 11);
    return 0;
}

/* Copies a string field of the last result's entity (or "" when absent). */
static int keep(char *dst, const demo *d, const char *field)
{
    const char *s = str(entity(d->last), field);
    snprintf(dst, ID_MAX, "%s", s ? s : "");
    if (!s)
        fprintf(stderr, "l2c: demo: the answer has no %s\n", field);
    return s ? 0 : -1;
}

/* Copies the subject of the first `type` creation among the last result's events. */
static int keep_created(char *dst, const demo *d, const char *type)
{
    char want[64];
    snprintf(want, sizeof want, "l2c.%s.create", type);
    const cJSON *ev;
    cJSON_ArrayForEach(ev, cJSON_GetObjectItemCaseSensitive(d->last, "events"))
    {
        const char *t = str(ev, "type"), *subject = str(ev, "subject");
        if (t && subject && strcmp(t, want) == 0) {
            snprintf(dst, ID_MAX, "%s", subject);
            return 0;
        }
    }
    fprintf(stderr, "l2c: demo: no %s was created\n", type);
    return -1;
}

static int story(demo *d)
{
    char figs[256];
    if (at(d, "2026-04-01T09:00:00Z") ||
        step(d, "new lead: Lena Fischer, Backhaus Fischer", NULL,
             "{\"op\":\"create\",\"type\":\"lead\",\"data\":{\"name\":\"Lena Fischer\","
             "\"email\":\"lena@backhaus-fischer.example\",\"company\":\"Backhaus Fischer\","
             "\"source\":\"trade_fair\"}}") ||
        keep(d->lead, d, "id"))
        return -1;
    if (at(d, "2026-04-01T14:30:00Z") ||
        step(d, "sales rep calls the lead", NULL,
             "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"%s\",\"event\":\"contact\","
             "\"actor\":{\"id\":\"rep-anna\",\"roles\":[\"sales_rep\"]}}",
             d->lead))
        return -1;
    if (at(d, "2026-04-02T10:00:00Z") ||
        step(d, "qualify the lead", NULL,
             "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"%s\",\"event\":\"qualify\","
             "\"actor\":{\"id\":\"rep-anna\",\"roles\":[\"sales_rep\"]}}",
             d->lead))
        return -1;
    if (step(d, "convert it: new account and opportunity", NULL,
             "{\"op\":\"fire\",\"type\":\"lead\",\"id\":\"%s\",\"event\":\"convert\","
             "\"actor\":{\"id\":\"rep-anna\",\"roles\":[\"sales_rep\"]},"
             "\"data\":{\"opportunity\":{\"name\":\"Four deck ovens\",\"amount\":\"8300.00\","
             "\"close_date\":\"2026-05-31\"}}}",
             d->lead) ||
        keep(d->account, d, "account") || keep(d->opp, d, "opportunity"))
        return -1;
    if (at(d, "2026-04-03T11:00:00Z") ||
        step(d, "quote 4 ovens at 25% off + installation", "subtotal,total",
             "{\"op\":\"create\",\"type\":\"quote\",\"actor\":{\"id\":\"rep-anna\","
             "\"roles\":[\"sales_rep\"]},\"data\":{\"opportunity\":\"%s\","
             "\"valid_until\":\"2026-04-30\",\"lines\":["
             "{\"sku\":\"OVEN-40\",\"description\":\"Deck oven, 4 decks\",\"qty\":4,"
             "\"unit_price\":\"2500.00\",\"discount_pct\":\"25\",\"tax_rate_pct\":\"21\"},"
             "{\"sku\":\"INSTALL\",\"description\":\"Installation and training\",\"qty\":1,"
             "\"unit_price\":\"800.00\",\"tax_rate_pct\":\"21\"}]}}",
             d->opp) ||
        keep(d->quote, d, "id"))
        return -1;
    if (refused(d, "send it at once", "quote.approval_required",
                "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"%s\",\"event\":\"send\"}",
                d->quote)) {
        if (d->c->threshold)
            fputs("l2c: demo: the story needs an approval threshold below its 25% discount\n",
                  stderr);
        return -1;
    }
    if (step(d, "submit it for approval", NULL,
             "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"%s\",\"event\":\"submit\","
             "\"actor\":{\"id\":\"rep-anna\",\"roles\":[\"sales_rep\"]}}",
             d->quote))
        return -1;
    if (at(d, "2026-04-06T09:15:00Z") ||
        step(d, "the sales manager approves the discount", NULL,
             "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"%s\",\"event\":\"approve\","
             "\"actor\":{\"id\":\"mgr-jonas\",\"roles\":[\"sales_manager\"]}}",
             d->quote) ||
        step(d, "send the quote to the customer", "valid_until",
             "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"%s\",\"event\":\"send\","
             "\"actor\":{\"id\":\"rep-anna\",\"roles\":[\"sales_rep\"]}}",
             d->quote))
        return -1;
    if (at(d, "2026-04-08T16:00:00Z") ||
        step(d, "the customer accepts the quote", NULL,
             "{\"op\":\"fire\",\"type\":\"quote\",\"id\":\"%s\",\"event\":\"accept\"}",
             d->quote) ||
        keep_created(d->order, d, "order"))
        return -1;
    if (at(d, "2026-04-09T08:00:00Z") ||
        step(d, "confirm the order", "total",
             "{\"op\":\"fire\",\"type\":\"order\",\"id\":\"%s\",\"event\":\"confirm\","
             "\"actor\":{\"id\":\"ops-kim\",\"roles\":[\"operations\"]}}",
             d->order))
        return -1;
    if (at(d, "2026-04-15T07:30:00Z") ||
        step(d, "deliver part 1: 2 ovens + installation", "fulfillment_status",
             "{\"op\":\"fire\",\"type\":\"order\",\"id\":\"%s\",\"event\":\"fulfill\","
             "\"actor\":{\"id\":\"ops-kim\",\"roles\":[\"operations\"]},"
             "\"data\":{\"lines\":[{\"line\":1,\"qty\":2},{\"line\":2,\"qty\":1}]}}",
             d->order))
        return -1;
    if (at(d, "2026-04-15T10:00:00Z") ||
        step(d, "invoice part 1", "total",
             "{\"op\":\"create\",\"type\":\"invoice\",\"actor\":{\"id\":\"fin-olga\","
             "\"roles\":[\"finance\"]},\"data\":{\"order\":\"%s\",\"lines\":["
             "{\"order_line\":1,\"qty\":2},{\"order_line\":2,\"qty\":1}]}}",
             d->order) ||
        keep(d->inv1, d, "id") ||
        step(d, "issue invoice 1", "due_date",
             "{\"op\":\"fire\",\"type\":\"invoice\",\"id\":\"%s\",\"event\":\"issue\","
             "\"actor\":{\"id\":\"fin-olga\",\"roles\":[\"finance\"]}}",
             d->inv1))
        return -1;
    if (at(d, "2026-04-29T07:30:00Z") ||
        step(d, "deliver part 2: the other 2 ovens", "fulfillment_status,billing_status",
             "{\"op\":\"fire\",\"type\":\"order\",\"id\":\"%s\",\"event\":\"fulfill\","
             "\"actor\":{\"id\":\"ops-kim\",\"roles\":[\"operations\"]},"
             "\"data\":{\"lines\":[{\"line\":1,\"qty\":2}]}}",
             d->order))
        return -1;
    if (at(d, "2026-04-29T10:00:00Z") ||
        step(d, "invoice part 2 (what is left)", "total",
             "{\"op\":\"create\",\"type\":\"invoice\",\"actor\":{\"id\":\"fin-olga\","
             "\"roles\":[\"finance\"]},\"data\":{\"order\":\"%s\"}}",
             d->order) ||
        keep(d->inv2, d, "id") ||
        step(d, "issue invoice 2", "due_date",
             "{\"op\":\"fire\",\"type\":\"invoice\",\"id\":\"%s\",\"event\":\"issue\","
             "\"actor\":{\"id\":\"fin-olga\",\"roles\":[\"finance\"]}}",
             d->inv2))
        return -1;
    snprintf(figs, sizeof figs, "invoice %s balance", d->inv1);
    if (at(d, "2026-05-06T12:00:00Z") ||
        step(d, "payment 1: 3000.00 against invoice 1", figs,
             "{\"op\":\"create\",\"type\":\"payment\",\"actor\":{\"id\":\"fin-olga\","
             "\"roles\":[\"finance\"]},\"data\":{\"account\":\"%s\",\"amount\":\"3000.00\","
             "\"method\":\"bank_transfer\",\"reference\":\"BF-2026-118\","
             "\"allocations\":[{\"invoice\":\"%s\",\"amount\":\"3000.00\"}]}}",
             d->account, d->inv1) ||
        keep(d->pay1, d, "id"))
        return -1;
    if (at(d, "2026-05-14T12:00:00Z") ||
        step(d, "payment 2: 2505.50 received", "unallocated",
             "{\"op\":\"create\",\"type\":\"payment\",\"actor\":{\"id\":\"fin-olga\","
             "\"roles\":[\"finance\"]},\"data\":{\"account\":\"%s\",\"amount\":\"2505.50\","
             "\"method\":\"bank_transfer\",\"reference\":\"BF-2026-131\"}}",
             d->account) ||
        keep(d->pay2, d, "id"))
        return -1;
    snprintf(figs, sizeof figs, "unallocated,invoice %s balance", d->inv1);
    if (step(d, "allocate it to the rest of invoice 1", figs,
             "{\"op\":\"fire\",\"type\":\"payment\",\"id\":\"%s\",\"event\":\"allocate\","
             "\"actor\":{\"id\":\"fin-olga\",\"roles\":[\"finance\"]},"
             "\"data\":{\"invoice\":\"%s\",\"amount\":\"2505.50\"}}",
             d->pay2, d->inv1))
        return -1;
    if (at(d, "2026-05-20T09:00:00Z") ||
        step(d, "credit note: 1 oven of invoice 2 damaged", "total",
             "{\"op\":\"create\",\"type\":\"credit_note\",\"actor\":{\"id\":\"fin-olga\","
             "\"roles\":[\"finance\"]},\"data\":{\"invoice\":\"%s\","
             "\"lines\":[{\"invoice_line\":1,\"qty\":1}],"
             "\"reason\":\"one oven damaged in transit\"}}",
             d->inv2) ||
        keep(d->cn, d, "id"))
        return -1;
    snprintf(figs, sizeof figs, "applied,invoice %s balance", d->inv2);
    if (step(d, "issue the credit note", figs,
             "{\"op\":\"fire\",\"type\":\"credit_note\",\"id\":\"%s\",\"event\":\"issue\","
             "\"actor\":{\"id\":\"fin-olga\",\"roles\":[\"finance\"]}}",
             d->cn))
        return -1;
    snprintf(figs, sizeof figs, "invoice %s due_date", d->inv2);
    if (step(d, "time moves past invoice 2's due date", figs,
             "{\"op\":\"clock\",\"now\":\"2026-06-01T09:00:00Z\"}") ||
        at(d, "2026-06-01T09:00:00Z"))
        return -1;
    snprintf(figs, sizeof figs, "invoice %s balance", d->inv2);
    return step(d, "sweep: dunning run", figs, "{\"op\":\"sweep\"}");
}

/* The event stream of the story and the account. */
static int epilogue(demo *d)
{
    cJSON *res;
    char cmd[64 + ID_MAX];
    unsigned long long first = strtoull(d->first, NULL, 10);
    snprintf(cmd, sizeof cmd, "{\"op\":\"events\",\"after\":\"%llu\"}", first ? first - 1 : 0);
    if (exec(d, cmd, &res)) {
        if (res)
            cli_print_result_error(res);
        cJSON_Delete(res);
        return -1;
    }
    printf("\nevent stream:\n");
    cli_print_events(cJSON_GetObjectItemCaseSensitive(res, "events"), 0);
    cJSON_Delete(res);

    snprintf(cmd, sizeof cmd, "{\"op\":\"get\",\"type\":\"account\",\"id\":\"%s\"}", d->account);
    if (exec(d, cmd, &res)) {
        if (res)
            cli_print_result_error(res);
        cJSON_Delete(res);
        return -1;
    }
    const cJSON *acc = entity(res);
    char *json = cJSON_PrintUnformatted(acc);
    const char *cur = str(acc, "currency");
    printf("\naccount %s:\n%s\nopen balance %s %s, credit balance %s %s\n", d->account,
           json ? json : "?", str(acc, "open_balance"), cur, str(acc, "credit_balance"), cur);
    cJSON_free(json);
    cJSON_Delete(res);
    return 0;
}

int cli_cmd_demo(cli *c, int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1]))
        return cli_help(demo_help);
    if (argc > 1)
        return cli_usage_error("l2c demo", "unexpected argument '%s'", argv[1]);
    int status;
    demo d;
    memset(&d, 0, sizeof d);
    d.c = c;
    if (!(d.e = cli_engine(c, &status)))
        return status;
    printf("l2c demo: lead to cash on %s%s, clock from 2026-04-01T09:00:00Z\n\n",
           c->db ? "the database " : "an in-memory engine", c->db ? c->db : "");
    int rc = story(&d);
    cJSON_Delete(d.last);
    d.last = NULL;
    if (!rc)
        rc = epilogue(&d);
    fflush(stdout);
    return rc ? CLI_FAIL : CLI_OK;
}
