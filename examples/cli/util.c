/* The CLI's plumbing: opening the engine, running commands, printing
 * errors, reading arguments. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Reads every --process file, in order, into texts[] (freed by the caller). */
static int read_processes(cli *c, char **texts)
{
    for (size_t i = 0; i < c->nprocesses; i++) {
        if (!(texts[i] = cli_read_file(c->processes[i]))) {
            fprintf(stderr, "l2c: --process %s: %s\n", c->processes[i], strerror(errno));
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

/* Sets the clock from --now through the protocol, so it takes what `clock` takes. */
static int set_clock(cli *c, l2c_engine *e)
{
    cJSON *cmd = cJSON_CreateObject();
    char *text = NULL, *out = NULL;
    int status = CLI_FAIL;
    if (cmd && cJSON_AddStringToObject(cmd, "op", "clock") &&
        cJSON_AddStringToObject(cmd, "now", c->now) && (text = cJSON_PrintUnformatted(cmd))) {
        int rc = l2c_exec_json(&out, e, text);
        if (!rc) {
            status = CLI_OK;
        } else {
            fprintf(stderr, "l2c: --now %s: %s\n", c->now, l2c_last_error_message(e));
            status = CLI_USAGE;
        }
    } else {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
    }
    l2c_free(out);
    cJSON_free(text);
    cJSON_Delete(cmd);
    return status;
}

l2c_engine *cli_engine(cli *c, int *status)
{
    *status = CLI_OK;
    if (c->engine)
        return c->engine;
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    opts.name = c->name;
    opts.approval_threshold = c->threshold;
    opts.durability = c->durability;
    l2c_engine *e = NULL;
    char **texts = calloc(c->nprocesses ? c->nprocesses : 1, sizeof *texts);
    if (!texts) {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
        *status = CLI_FAIL;
        return NULL;
    }
    /* custom processes are loaded before a database replays its records */
    *status = read_processes(c, texts);
    opts.processes = (const char *const *)texts;
    opts.nprocesses = (uint32_t)c->nprocesses;
    int rc = 0;
    if (*status == CLI_OK)
        rc = c->db ? l2c_engine_open(&e, c->db, &opts) : l2c_engine_new(&e, &opts);
    for (size_t i = 0; i < c->nprocesses; i++)
        free(texts[i]);
    free(texts);
    if (*status != CLI_OK)
        return NULL;
    if (rc) {
        const char *rule = l2c_last_error_rule(NULL);
        const char *name = l2c_error_name(rc);
        if (c->db)
            fprintf(stderr, "l2c: --db: cannot open '%s': %s%s%s%s: %s\n", c->db,
                    name ? name : "error", rule ? " (" : "", rule ? rule : "", rule ? ")" : "",
                    l2c_last_error_message(NULL));
        else
            fprintf(stderr, "l2c: cannot create the engine: %s%s%s%s: %s\n", name ? name : "error",
                    rule ? " (" : "", rule ? rule : "", rule ? ")" : "", l2c_last_error_message(NULL));
        *status = CLI_USAGE;
        return NULL;
    }
    if (c->now)
        *status = set_clock(c, e);
    if (*status != CLI_OK) {
        l2c_engine_free(e);
        return NULL;
    }
    c->engine = e;
    return e;
}

void cli_close(cli *c)
{
    l2c_engine_free(c->engine);
    c->engine = NULL;
}

static const char *str_item(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void cli_print_result_error(const cJSON *result)
{
    const cJSON *err = cJSON_GetObjectItemCaseSensitive(result, "error");
    const char *code = str_item(err, "code");
    const char *rule = str_item(err, "rule");
    const char *msg = str_item(err, "message");
    fprintf(stderr, "l2c: %s%s%s%s: %s\n", code ? code : "error", rule ? " (" : "",
            rule ? rule : "", rule ? ")" : "", msg ? msg : "(no message)");
}

void cli_print_api_error(l2c_engine *e, int rc)
{
    const char *code = l2c_error_name(rc);
    const char *rule = l2c_last_error_rule(e);
    fprintf(stderr, "l2c: %s%s%s%s: %s\n", code ? code : "error", rule ? " (" : "",
            rule ? rule : "", rule ? ")" : "", l2c_last_error_message(e));
}

int cli_run_json(cJSON **out, cli *c, const char *command)
{
    int status;
    *out = NULL;
    l2c_engine *e = cli_engine(c, &status);
    if (!e)
        return status;
    char *text = NULL;
    int rc = l2c_exec_json(&text, e, command);
    if (!text) {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
        return CLI_FAIL;
    }
    cJSON *res = cJSON_Parse(text);
    l2c_free(text);
    if (!res) {
        fprintf(stderr, "l2c: cannot read the engine's answer (out of memory?)\n");
        return CLI_FAIL;
    }
    if (rc || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res, "ok"))) {
        cli_print_result_error(res);
        if (rc == L2C_ENOTFOUND && !c->db)
            fputs("l2c: (without --db or L2C_DB every invocation starts from an empty engine)\n",
                  stderr);
        cJSON_Delete(res);
        return CLI_FAIL;
    }
    *out = res;
    return CLI_OK;
}

int cli_run(cJSON **out, cli *c, const cJSON *command)
{
    char *text = cJSON_PrintUnformatted(command);
    *out = NULL;
    if (!text) {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
        return CLI_FAIL;
    }
    int status = cli_run_json(out, c, text);
    cJSON_free(text);
    return status;
}

int cli_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    fputs("l2c: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n(--help tells more)\n", usage);
    return CLI_USAGE;
}

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return CLI_OK;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return 0;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }
    if (arg[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int cli_is_field(const char *arg)
{
    const char *eq = strchr(arg, '=');
    return arg[0] != '-' && eq && eq != arg;
}

int cli_add_field(cJSON *data, const char *arg, const char *usage)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (eq == arg + 1 && arg[0] == ':'))
        return cli_usage_error(usage, "'%s' is not field=value", arg);
    int raw = eq[-1] == ':';
    size_t klen = (size_t)(eq - arg) - (raw ? 1 : 0);
    char *key = malloc(klen + 1);
    if (!key) {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
        return CLI_FAIL;
    }
    memcpy(key, arg, klen);
    key[klen] = '\0';
    const char *val = eq + 1;
    const char *p = val;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    cJSON *item;
    if (raw || *p == '{' || *p == '[') {
        item = cJSON_ParseWithOpts(val, NULL, 1);
        if (!item) {
            int status = cli_usage_error(usage, "%s: not valid JSON: %s", key, val);
            free(key);
            return status;
        }
    } else {
        item = cJSON_CreateString(val);
    }
    int ok = item != NULL;
    if (ok) {
        if (cJSON_GetObjectItemCaseSensitive(data, key))
            ok = cJSON_ReplaceItemInObjectCaseSensitive(data, key, item);
        else
            ok = cJSON_AddItemToObject(data, key, item);
        if (!ok)
            cJSON_Delete(item);
    }
    free(key);
    if (!ok) {
        fprintf(stderr, "l2c: no_memory: out of memory\n");
        return CLI_FAIL;
    }
    return CLI_OK;
}

cJSON *cli_actor(const char *as, const char **roles, size_t nroles)
{
    if (!as && nroles == 0)
        return NULL;
    if (!as) {
        /* roles without --as: the operator's login names the actor */
        as = getenv("USER");
        if (!as || !*as)
            as = "cli";
    }
    cJSON *actor = cJSON_CreateObject();
    cJSON *arr = NULL;
    if (!actor || !cJSON_AddStringToObject(actor, "id", as) ||
        !(arr = cJSON_AddArrayToObject(actor, "roles"))) {
        cJSON_Delete(actor);
        return NULL;
    }
    for (size_t i = 0; i < nroles; i++) {
        cJSON *r = cJSON_CreateString(roles[i]);
        if (!r || !cJSON_AddItemToArray(arr, r)) {
            cJSON_Delete(r);
            cJSON_Delete(actor);
            return NULL;
        }
    }
    return actor;
}

char *cli_read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    while (buf) {
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
            break;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                errno = ENOMEM;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf && ferror(f)) {
        int err = errno;
        free(buf);
        buf = NULL;
        errno = err ? err : EIO;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}
