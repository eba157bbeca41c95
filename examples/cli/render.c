/* Output for people: values as text, aligned tables, records and reports
 * as "field  value" lines, event lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

char *cli_text(const cJSON *v)
{
    char buf[64];
    if (!v || cJSON_IsNull(v))
        return strdup("-");
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    if (cJSON_IsBool(v))
        return strdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == (double)(long long)d && d > -9007199254740992.0 && d < 9007199254740992.0)
            snprintf(buf, sizeof buf, "%lld", (long long)d);
        else
            snprintf(buf, sizeof buf, "%.17g", d);
        return strdup(buf);
    }
    if (cJSON_IsArray(v) && !v->child)
        return strdup("-");
    char *json = cJSON_PrintUnformatted(v);
    char *copy = json ? strdup(json) : NULL;
    cJSON_free(json);
    return copy;
}

/* Columns a text takes on a terminal: UTF-8 sequences count once. */
static size_t width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void pad(size_t n)
{
    while (n--)
        fputc(' ', stdout);
}

/* A decimal such as "12", "-3", "8712.00": aligned to the right in tables. */
static int numeric(const char *s)
{
    if (*s == '-')
        s++;
    if (*s < '0' || *s > '9')
        return 0;
    while (*s >= '0' && *s <= '9')
        s++;
    if (*s == '.') {
        s++;
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    return *s == '\0';
}

void cli_table_init(cli_table *t, size_t ncols)
{
    t->ncols = ncols;
    t->nrows = 0;
    t->cap = 0;
    t->cells = NULL;
}

size_t cli_table_row(cli_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
        if (!cells)
            return (size_t)-1;
        t->cells = cells;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->ncols; c++)
        t->cells[t->nrows * t->ncols + c] = NULL;
    return t->nrows++;
}

int cli_table_set(cli_table *t, size_t row, size_t col, const char *text)
{
    char **cell = &t->cells[row * t->ncols + col];
    char *copy = text ? strdup(text) : NULL;
    if (text && !copy)
        return -1;
    free(*cell);
    *cell = copy;
    return 0;
}

void cli_table_print(const cli_table *t, int indent)
{
    if (t->ncols == 0)
        return;
    size_t *w = calloc(t->ncols, sizeof *w);
    int *right = calloc(t->ncols, sizeof *right);
    if (!w || !right) {
        free(w);
        free(right);
        return;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        int any = 0, all = 1;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *s = t->cells[r * t->ncols + c];
            if (!s)
                continue;
            if (width(s) > w[c])
                w[c] = width(s);
            if (r > 0 && *s && strcmp(s, "-") != 0) {
                any = 1;
                all &= numeric(s);
            }
        }
        right[c] = any && all;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        pad((size_t)indent);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * t->ncols + c];
            if (!s)
                s = "";
            size_t gap = w[c] - width(s);
            if (c > 0)
                fputs("  ", stdout);
            if (right[c])
                pad(gap);
            fputs(s, stdout);
            if (!right[c] && c + 1 < t->ncols)
                pad(gap);
        }
        fputc('\n', stdout);
    }
    free(w);
    free(right);
}

void cli_table_free(cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    cli_table_init(t, 0);
}

/* ---- records and reports ---- */

enum { SHOW_LINE, SHOW_TABLE, SHOW_MAP_TABLE, SHOW_NESTED };

static int scalar(const cJSON *v)
{
    return !cJSON_IsObject(v) && !cJSON_IsArray(v);
}

static int flat_object(const cJSON *v)
{
    if (!cJSON_IsObject(v))
        return 0;
    for (const cJSON *m = v->child; m; m = m->next)
        if (!scalar(m))
            return 0;
    return 1;
}

static int how(const cJSON *v)
{
    if (cJSON_IsArray(v)) {
        if (!v->child)
            return SHOW_LINE;
        for (const cJSON *m = v->child; m; m = m->next)
            if (!cJSON_IsObject(m))
                return SHOW_LINE;
        return SHOW_TABLE;
    }
    if (!cJSON_IsObject(v) || !v->child)
        return SHOW_LINE;
    for (const cJSON *m = v->child; m; m = m->next)
        if (!flat_object(m))
            return SHOW_NESTED;
    return SHOW_MAP_TABLE;
}

/* Appends `key` to the column list unless it is there; returns 0 or -1. */
static int add_column(const char ***cols, size_t *n, size_t *cap, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*cols)[i], key) == 0)
            return 0;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        const char **bigger = realloc((void *)*cols, c * sizeof *bigger);
        if (!bigger)
            return -1;
        *cols = bigger;
        *cap = c;
    }
    (*cols)[(*n)++] = key;
    return 0;
}

/* Rows are the members of `v` (an array of objects, or an object of
 * objects whose keys go in a first, unnamed column). */
static void print_rows(const cJSON *v, int keyed, int indent)
{
    const char **cols = NULL;
    size_t n = 0, cap = 0;
    int ok = 1;
    for (const cJSON *row = v->child; row && ok; row = row->next)
        for (const cJSON *m = row->child; m && ok; m = m->next)
            ok = add_column(&cols, &n, &cap, m->string) == 0;
    cli_table t;
    size_t off = keyed ? 1 : 0;
    cli_table_init(&t, n + off);
    size_t r = ok ? cli_table_row(&t) : (size_t)-1;
    ok = r != (size_t)-1;
    for (size_t c = 0; ok && c < n; c++)
        ok = cli_table_set(&t, r, c + off, cols[c]) == 0;
    for (const cJSON *row = v->child; row && ok; row = row->next) {
        if ((r = cli_table_row(&t)) == (size_t)-1) {
            ok = 0;
            break;
        }
        if (keyed)
            ok = cli_table_set(&t, r, 0, row->string) == 0;
        for (size_t c = 0; ok && c < n; c++) {
            const cJSON *cell = cJSON_GetObjectItemCaseSensitive(row, cols[c]);
            char *s = cell ? cli_text(cell) : NULL;
            ok = (!cell || s) && cli_table_set(&t, r, c + off, s) == 0;
            free(s);
        }
    }
    if (ok)
        cli_table_print(&t, indent);
    else
        fputs("l2c: out of memory while printing a table\n", stderr);
    cli_table_free(&t);
    free((void *)cols);
}

/* An array of scalars as "a, b, c". */
static void print_list(const cJSON *v)
{
    for (const cJSON *m = v->child; m; m = m->next) {
        char *s = cli_text(m);
        fputs(s ? s : "?", stdout);
        if (m->next)
            fputs(", ", stdout);
        free(s);
    }
}

void cli_render_object(const cJSON *obj, int indent)
{
    size_t w = 0;
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next)
        if (how(m) == SHOW_LINE && width(m->string) > w)
            w = width(m->string);
    for (const cJSON *m = obj ? obj->child : NULL; m; m = m->next) {
        pad((size_t)indent);
        int kind = how(m);
        if (kind != SHOW_LINE) {
            printf("%s:\n", m->string);
            if (kind == SHOW_NESTED)
                cli_render_object(m, indent + 2);
            else
                print_rows(m, kind == SHOW_MAP_TABLE, indent + 2);
            continue;
        }
        fputs(m->string, stdout);
        pad(w - width(m->string) + 2);
        if (cJSON_IsArray(m) && m->child) {
            print_list(m);
        } else {
            char *s = cli_text(m);
            fputs(s ? s : "?", stdout);
            free(s);
        }
        fputc('\n', stdout);
    }
}

/* ---- events ---- */

static const char *ev_str(const cJSON *ev, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ev, key);
    return cJSON_IsString(v) ? v->valuestring : "-";
}

static const char *ev_data_str(const cJSON *ev, const char *key)
{
    return ev_str(cJSON_GetObjectItemCaseSensitive(ev, "data"), key);
}

/* "l2c.quote.accept" reads as "quote.accept". */
static const char *short_type(const cJSON *ev)
{
    const char *t = ev_str(ev, "type");
    return strncmp(t, "l2c.", 4) == 0 ? t + 4 : t;
}

static const char *actor_id(const cJSON *ev)
{
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(ev, "data");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(data, "actor"), "id");
    return cJSON_IsString(id) ? id->valuestring : NULL;
}

void cli_print_events(const cJSON *events, int with_time)
{
    size_t ws = 1, wt = 1, wsub = 1, wf = 1;
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        if (width(ev_str(ev, "sequence")) > ws)
            ws = width(ev_str(ev, "sequence"));
        if (width(short_type(ev)) > wt)
            wt = width(short_type(ev));
        if (width(ev_str(ev, "subject")) > wsub)
            wsub = width(ev_str(ev, "subject"));
        if (width(ev_data_str(ev, "from")) > wf)
            wf = width(ev_data_str(ev, "from"));
    }
    cJSON_ArrayForEach(ev, events)
    {
        const char *seq = ev_str(ev, "sequence"), *type = short_type(ev);
        const char *sub = ev_str(ev, "subject"), *from = ev_data_str(ev, "from");
        pad(ws - width(seq));
        fputs(seq, stdout);
        if (with_time)
            printf("  %s", ev_str(ev, "time"));
        printf("  %s", type);
        pad(wt - width(type) + 2);
        fputs(sub, stdout);
        pad(wsub - width(sub) + 2);
        fputs(from, stdout);
        pad(wf - width(from));
        printf(" → %s", ev_data_str(ev, "to"));
        const char *who = actor_id(ev);
        if (who)
            printf("  (by %s)", who);
        fputc('\n', stdout);
    }
}
