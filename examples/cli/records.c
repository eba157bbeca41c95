/* Records for people: create (and the lead and account shortcuts), fire,
 * update, show, list. Each builds one protocol command and prints its
 * result readably (or as JSON with --json). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* What a subcommand accepts besides its positional arguments. */
enum {
    A_ID = 1 << 0,      /* --id ID */
    A_ACTOR = 1 << 1,   /* --as ACTOR, --role ROLE... */
    A_VERSION = 1 << 2, /* --version N */
    A_STATE = 1 << 3,   /* --state S */
    A_JSON = 1 << 4,    /* --json */
    A_QUIET = 1 << 5,   /* --quiet, -q */
    A_FIELDS = 1 << 6   /* field=value ... */
};

/* An option that sets a data field ("--credit-limit" -> "credit_limit"). */
typedef struct field_opt {
    const char *opt;
    const char *field;
} field_opt;

typedef struct args {
    const char *usage;
    const char *pos[3];
    size_t npos;
    const char *id, *as, *version, *state;
    const char **roles;
    size_t nroles;
    int json, quiet;
    cJSON *data; /* NULL until a field is given */
} args;

static void args_free(args *a)
{
    free((void *)a->roles);
    cJSON_Delete(a->data);
}

static int oom(void)
{
    fputs("l2c: no_memory: out of memory\n", stderr);
    return CLI_FAIL;
}

static int set_field(args *a, const char *key, const char *value)
{
    if (!a->data && !(a->data = cJSON_CreateObject()))
        return oom();
    cJSON *v = cJSON_CreateString(value);
    if (!v)
        return oom();
    int ok = cJSON_GetObjectItemCaseSensitive(a->data, key)
                 ? cJSON_ReplaceItemInObjectCaseSensitive(a->data, key, v)
                 : cJSON_AddItemToObject(a->data, key, v);
    if (!ok) {
        cJSON_Delete(v);
        return oom();
    }
    return CLI_OK;
}

/*
 * Reads argv[1..]: the `npos` positionals named in `names` (in that order,
 * before anything else that is not an option), the options `allow` lists,
 * and the field options `fopts` (may be NULL). Returns -1 when the
 * subcommand should go on, else the exit status to return (help printed:
 * CLI_OK; usage error: CLI_USAGE).
 */
static int parse_args(args *a, int argc, char **argv, unsigned allow, size_t npos,
                      const char *const *names, const field_opt *fopts, const char *help)
{
    if (!(a->roles = calloc((size_t)argc, sizeof *a->roles)))
        return oom();
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        int r = 0;
        if (!only_args && arg[0] == '-' && arg[1] != '\0') {
            if (cli_is_help(arg))
                return cli_help(help);
            if (strcmp(arg, "--") == 0) {
                only_args = 1;
                continue;
            }
            if ((allow & A_JSON) && strcmp(arg, "--json") == 0) {
                a->json = 1;
                continue;
            }
            if ((allow & A_QUIET) && (strcmp(arg, "--quiet") == 0 || strcmp(arg, "-q") == 0)) {
                a->quiet = 1;
                continue;
            }
            const char **slot = NULL;
            if ((allow & A_ID) && (r = cli_opt(argc, argv, &i, "--id", &v)))
                slot = &a->id;
            else if ((allow & A_ACTOR) && (r = cli_opt(argc, argv, &i, "--as", &v)))
                slot = &a->as;
            else if ((allow & A_ACTOR) && (r = cli_opt(argc, argv, &i, "--role", &v)))
                slot = &a->roles[a->nroles];
            else if ((allow & A_VERSION) && (r = cli_opt(argc, argv, &i, "--version", &v)))
                slot = &a->version;
            else if ((allow & A_STATE) && (r = cli_opt(argc, argv, &i, "--state", &v)))
                slot = &a->state;
            if (r < 0)
                return cli_usage_error(a->usage, "%s needs a value", arg);
            if (slot) {
                *slot = v;
                if (slot == &a->roles[a->nroles])
                    a->nroles++;
                continue;
            }
            for (const field_opt *f = fopts; f && f->opt; f++) {
                if ((r = cli_opt(argc, argv, &i, f->opt, &v)) < 0)
                    return cli_usage_error(a->usage, "%s needs a value", arg);
                if (r > 0) {
                    int status = set_field(a, f->field, v);
                    if (status != CLI_OK)
                        return status;
                    break;
                }
            }
            if (r > 0)
                continue;
            return cli_usage_error(a->usage, "unknown option '%s'", arg);
        }
        if (a->npos < npos) {
            a->pos[a->npos++] = arg;
            continue;
        }
        if (!(allow & A_FIELDS) || !cli_is_field(arg))
            return cli_usage_error(a->usage, "unexpected argument '%s'", arg);
        if (!a->data && !(a->data = cJSON_CreateObject()))
            return oom();
        int status = cli_add_field(a->data, arg, a->usage);
        if (status != CLI_OK)
            return status;
    }
    if (a->npos < npos)
        return cli_usage_error(a->usage, "%s is missing", names[a->npos]);
    if (a->json && a->quiet)
        return cli_usage_error(a->usage, "--json and --quiet exclude each other");
    return -1;
}

/* {"op": op, "type": pos[0], "id": ..., "event": ..., "data", "actor", "version"}. */
static cJSON *command(const args *a, const char *op, const char *id, const char *event)
{
    cJSON *cmd = cJSON_CreateObject();
    int ok = cmd && cJSON_AddStringToObject(cmd, "op", op) &&
             cJSON_AddStringToObject(cmd, "type", a->pos[0]) &&
             (!id || cJSON_AddStringToObject(cmd, "id", id)) &&
             (!event || cJSON_AddStringToObject(cmd, "event", event)) &&
             (!a->version || cJSON_AddStringToObject(cmd, "version", a->version)) &&
             (!a->state || cJSON_AddStringToObject(cmd, "state", a->state));
    if (ok && a->data) {
        cJSON *d = cJSON_Duplicate(a->data, 1);
        ok = d && cJSON_AddItemToObject(cmd, "data", d);
        if (!ok)
            cJSON_Delete(d);
    }
    if (ok && (a->as || a->nroles)) {
        cJSON *actor = cli_actor(a->as, a->roles, a->nroles);
        ok = actor && cJSON_AddItemToObject(cmd, "actor", actor);
        if (!ok)
            cJSON_Delete(actor);
    }
    if (!ok) {
        cJSON_Delete(cmd);
        return NULL;
    }
    return cmd;
}

static int print_json(const cJSON *v)
{
    char *s = cJSON_PrintUnformatted(v);
    if (!s)
        return oom();
    puts(s);
    cJSON_free(s);
    return CLI_OK;
}

/* Runs a command that changes a record and prints what happened. */
static int change(cli *c, const args *a, const char *op, const char *id, const char *event)
{
    cJSON *cmd = command(a, op, id, event), *res = NULL;
    if (!cmd)
        return oom();
    int status = cli_run(&res, c, cmd);
    cJSON_Delete(cmd);
    if (status != CLI_OK)
        return status;
    const cJSON *entity = cJSON_GetObjectItemCaseSensitive(res, "entity");
    if (a->json) {
        status = print_json(res);
    } else if (a->quiet) {
        const cJSON *eid = cJSON_GetObjectItemCaseSensitive(entity, "id");
        puts(cJSON_IsString(eid) ? eid->valuestring : "");
    } else {
        cli_print_events(cJSON_GetObjectItemCaseSensitive(res, "events"), 0);
        fputc('\n', stdout);
        cli_render_object(entity, 0);
    }
    cJSON_Delete(res);
    return status;
}

/* ---- create ---- */

static const char create_help[] =
    "usage: l2c [global options] create TYPE [--id ID] [--as ACTOR] [--role ROLE]...\n"
    "                                    [--json | --quiet] [field=value ...]\n"
    "\n"
    "Creates a record of TYPE (account, lead, opportunity, quote, order,\n"
    "invoice, payment, credit_note) with the given fields, and prints the\n"
    "events it caused and the new record.\n"
    "\n"
    "  --id ID         the record's id (default: the next one, L-000001 ...)\n"
    "  --as ACTOR      the actor's id; --role ROLE gives it a role (repeatable)\n"
    "  --json          print the protocol's JSON result instead\n"
    "  --quiet, -q     print only the new record's id\n"
    "  field=value     a field of the record; a value that looks like a JSON\n"
    "                  object or array is parsed as JSON, anything else is a\n"
    "                  string (money and quantities are decimal strings);\n"
    "                  field:=JSON takes any JSON value (credit_limit:=null)\n"
    "\n"
    "Without --db every invocation starts from an empty engine; use --db (or\n"
    "L2C_DB) to keep records between commands.\n"
    "\n"
    "example:\n"
    "  l2c --db crm.db create quote opportunity=OPP-000001 \\\n"
    "      'lines=[{\"sku\":\"A-1\",\"qty\":2,\"unit_price\":\"99.00\",\"tax_rate_pct\":\"21\"}]'\n";

static const char *const type_names[] = {"TYPE", "ID", "EVENT"};

int cli_cmd_create(cli *c, int argc, char **argv)
{
    args a = {.usage = "l2c create TYPE [--id ID] [--as ACTOR] [--role ROLE]... [field=value ...]"};
    int status = parse_args(&a, argc, argv, A_ID | A_ACTOR | A_JSON | A_QUIET | A_FIELDS, 1,
                            type_names, NULL, create_help);
    if (status < 0)
        status = change(c, &a, "create", a.id, NULL);
    args_free(&a);
    return status;
}

/* ---- lead create, account create ---- */

static const char lead_help[] =
    "usage: l2c [global options] lead create --name NAME [--email EMAIL]\n"
    "                [--company COMPANY] [--source SOURCE] [--id ID]\n"
    "                [--as ACTOR] [--role ROLE]... [--json | --quiet] [field=value ...]\n"
    "\n"
    "Creates a lead (state new); the same as `l2c create lead name=...`.\n"
    "Then, for instance: l2c fire lead L-000001 qualify; l2c fire lead\n"
    "L-000001 convert 'opportunity={\"name\":\"Cold storage\",\"amount\":\"12000.00\"}'.\n"
    "Without --db every invocation starts from an empty engine.\n";

static const char account_help[] =
    "usage: l2c [global options] account create --name NAME [--currency CODE]\n"
    "                [--credit-limit AMOUNT] [--terms DAYS] [--id ID]\n"
    "                [--as ACTOR] [--role ROLE]... [--json | --quiet] [field=value ...]\n"
    "\n"
    "Creates an account (a customer, state active); the same as\n"
    "`l2c create account name=...`. The currency defaults to EUR, the credit\n"
    "limit to none (unlimited), the payment terms (payment_terms_days) to 30.\n"
    "Without --db every invocation starts from an empty engine.\n";

static const field_opt lead_opts[] = {{"--name", "name"},
                                      {"--email", "email"},
                                      {"--company", "company"},
                                      {"--source", "source"},
                                      {NULL, NULL}};

static const field_opt account_opts[] = {{"--name", "name"},
                                         {"--currency", "currency"},
                                         {"--credit-limit", "credit_limit"},
                                         {"--terms", "payment_terms_days"},
                                         {"--payment-terms-days", "payment_terms_days"},
                                         {NULL, NULL}};

static int shortcut(cli *c, int argc, char **argv, const char *type, const field_opt *fopts,
                    const char *usage, const char *help)
{
    if (argc < 2 || cli_is_help(argv[1]))
        return argc < 2 ? cli_usage_error(usage, "%s needs a verb (create)", type)
                        : cli_help(help);
    if (strcmp(argv[1], "create") != 0)
        return cli_usage_error(usage, "unknown %s verb '%s' (only create; then use fire, "
                                      "update, show, list)",
                               type, argv[1]);
    args a = {.usage = usage};
    int status = parse_args(&a, argc - 1, argv + 1, A_ID | A_ACTOR | A_JSON | A_QUIET | A_FIELDS,
                            0, type_names, fopts, help);
    a.pos[0] = type;
    if (status < 0)
        status = change(c, &a, "create", a.id, NULL);
    args_free(&a);
    return status;
}

int cli_cmd_lead(cli *c, int argc, char **argv)
{
    return shortcut(c, argc, argv, "lead", lead_opts,
                    "l2c lead create --name N [--email E] [--company C] [--source S]",
                    lead_help);
}

int cli_cmd_account(cli *c, int argc, char **argv)
{
    return shortcut(c, argc, argv, "account", account_opts,
                    "l2c account create --name N [--currency EUR] [--credit-limit A] "
                    "[--terms DAYS]",
                    account_help);
}

/* ---- fire, update ---- */

static const char fire_help[] =
    "usage: l2c [global options] fire TYPE ID EVENT [--as ACTOR] [--role ROLE]...\n"
    "                [--version N] [--json | --quiet] [field=value ...]\n"
    "\n"
    "Fires EVENT on a record (lead qualify, quote approve, order fulfill ...)\n"
    "and prints the events it caused, cascades included, and the record.\n"
    "\n"
    "  --as ACTOR      the actor's id (default with --role: $USER)\n"
    "  --role ROLE     a role of the actor, repeatable (finance, sales_manager)\n"
    "  --version N     refuse (conflict) unless the record is at version N\n"
    "  --json          print the protocol's JSON result instead\n"
    "  --quiet, -q     print only the record's id\n"
    "  field=value     the event's data; JSON objects and arrays are parsed,\n"
    "                  anything else is a string; field:=JSON for any JSON\n"
    "\n"
    "examples:\n"
    "  l2c --db crm.db fire quote Q-000001 approve --as mgr-1 --role sales_manager\n"
    "  l2c --db crm.db fire order SO-000001 fulfill 'lines=[{\"line\":1,\"qty\":2}]'\n"
    "  l2c --db crm.db fire invoice INV-000001 dispute reason=quantity\n"
    "Without --db every invocation starts from an empty engine.\n";

int cli_cmd_fire(cli *c, int argc, char **argv)
{
    args a = {.usage = "l2c fire TYPE ID EVENT [--as ACTOR] [--role ROLE]... [field=value ...]"};
    int status = parse_args(&a, argc, argv, A_ACTOR | A_VERSION | A_JSON | A_QUIET | A_FIELDS,
                            3, type_names, NULL, fire_help);
    if (status < 0)
        status = change(c, &a, "fire", a.pos[1], a.pos[2]);
    args_free(&a);
    return status;
}

static const char update_help[] =
    "usage: l2c [global options] update TYPE ID field=value... [--as ACTOR]\n"
    "                [--role ROLE]... [--version N] [--json | --quiet]\n"
    "\n"
    "Changes fields of a record: accounts, leads and opportunities while not\n"
    "terminal; quotes, orders, invoices and credit notes in draft; payments\n"
    "while received (field.immutable otherwise). Values as for `create`.\n"
    "\n"
    "example:\n"
    "  l2c --db crm.db update account ACC-000001 credit_limit=50000.00 payment_terms_days=45\n"
    "Without --db every invocation starts from an empty engine.\n";

int cli_cmd_update(cli *c, int argc, char **argv)
{
    args a = {.usage = "l2c update TYPE ID field=value... [--as ACTOR] [--version N]"};
    int status = parse_args(&a, argc, argv, A_ACTOR | A_VERSION | A_JSON | A_QUIET | A_FIELDS,
                            2, type_names, NULL, update_help);
    if (status < 0 && !a.data)
        status = cli_usage_error(a.usage, "update needs at least one field=value");
    if (status < 0)
        status = change(c, &a, "update", a.pos[1], NULL);
    args_free(&a);
    return status;
}

/* ---- show, list ---- */

static const char show_help[] =
    "usage: l2c [global options] show TYPE ID [--json]\n"
    "\n"
    "Prints a record as aligned \"field  value\" lines, its lines and\n"
    "allocations as tables; --json prints its JSON. Needs --db (or L2C_DB)\n"
    "to find anything: without it every invocation starts empty.\n";

int cli_cmd_show(cli *c, int argc, char **argv)
{
    args a = {.usage = "l2c show TYPE ID [--json]"};
    int status = parse_args(&a, argc, argv, A_JSON, 2, type_names, NULL, show_help);
    if (status < 0) {
        cJSON *cmd = command(&a, "get", a.pos[1], NULL), *res = NULL;
        status = cmd ? cli_run(&res, c, cmd) : oom();
        cJSON_Delete(cmd);
        if (status == CLI_OK) {
            const cJSON *entity = cJSON_GetObjectItemCaseSensitive(res, "entity");
            if (a.json)
                status = print_json(entity);
            else
                cli_render_object(entity, 0);
        }
        cJSON_Delete(res);
    }
    args_free(&a);
    return status;
}

static const char list_help[] =
    "usage: l2c [global options] list TYPE [--state STATE] [--json]\n"
    "\n"
    "Prints the records of TYPE in creation order as a table (id, state,\n"
    "version and the fields that matter for the type: names, amounts,\n"
    "balances); --state keeps one state; --json prints one record JSON per\n"
    "line. Needs --db (or L2C_DB): without it every invocation starts empty.\n";

/* The columns of `list` after id, state and version. */
static const struct {
    const char *type;
    const char *cols[7];
} list_cols[] = {
    {"account", {"name", "currency", "open_balance", "credit_balance", "credit_limit"}},
    {"lead", {"name", "company", "email", "source"}},
    {"opportunity", {"name", "account", "amount", "close_date"}},
    {"quote", {"opportunity", "revision", "currency", "total", "valid_until"}},
    {"order", {"account", "quote", "currency", "total", "fulfillment_status", "billing_status"}},
    {"invoice", {"order", "account", "currency", "total", "balance", "due_date"}},
    {"payment", {"account", "currency", "amount", "unallocated", "method", "reference"}},
    {"credit_note", {"invoice", "currency", "total", "applied", "reason"}},
};

static void list_table(const char *type, const cJSON *entities)
{
    static const char *const fallback[] = {"name", "total", NULL};
    const char *const *cols = fallback;
    for (size_t i = 0; i < sizeof list_cols / sizeof list_cols[0]; i++)
        if (strcmp(list_cols[i].type, type) == 0)
            cols = list_cols[i].cols;
    size_t n = 0;
    while (cols[n])
        n++;
    cli_table t;
    cli_table_init(&t, n + 3);
    size_t r = cli_table_row(&t);
    int ok = r != (size_t)-1 && !cli_table_set(&t, r, 0, "id") &&
             !cli_table_set(&t, r, 1, "state") && !cli_table_set(&t, r, 2, "version");
    for (size_t k = 0; ok && k < n; k++)
        ok = !cli_table_set(&t, r, k + 3, cols[k]);
    const cJSON *ent;
    cJSON_ArrayForEach(ent, entities)
    {
        if (!ok || (r = cli_table_row(&t)) == (size_t)-1) {
            ok = 0;
            break;
        }
        static const char *const head[] = {"id", "state", "version"};
        for (size_t k = 0; ok && k < n + 3; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(ent, k < 3 ? head[k] : cols[k - 3]);
            char *s = cli_text(v);
            ok = s && !cli_table_set(&t, r, k, s);
            free(s);
        }
    }
    if (ok)
        cli_table_print(&t, 0);
    else
        oom();
    cli_table_free(&t);
}

int cli_cmd_list(cli *c, int argc, char **argv)
{
    args a = {.usage = "l2c list TYPE [--state STATE] [--json]"};
    int status = parse_args(&a, argc, argv, A_STATE | A_JSON, 1, type_names, NULL, list_help);
    if (status < 0) {
        cJSON *cmd = command(&a, "list", NULL, NULL), *res = NULL;
        status = cmd ? cli_run(&res, c, cmd) : oom();
        cJSON_Delete(cmd);
        if (status == CLI_OK) {
            const cJSON *entities = cJSON_GetObjectItemCaseSensitive(res, "entities");
            const cJSON *ent;
            if (a.json) {
                cJSON_ArrayForEach(ent, entities)
                {
                    if ((status = print_json(ent)) != CLI_OK)
                        break;
                }
            } else if (cJSON_GetArraySize(entities) == 0) {
                printf("no %s records%s%s\n", a.pos[0], a.state ? " in state " : "",
                       a.state ? a.state : "");
            } else {
                list_table(a.pos[0], entities);
            }
        }
        cJSON_Delete(res);
    }
    args_free(&a);
    return status;
}
