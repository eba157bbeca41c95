/* `l2c report NAME`: the report op (DESIGN §9), as JSON or readable. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char report_help[] =
    "usage: l2c [global options] report NAME [--json] [--as-of DATE] [--from DATE]\n"
    "                [--to DATE] [--id ID] [option=value ...]\n"
    "\n"
    "Runs a report and prints it readably (figures as aligned lines, rows as\n"
    "tables), or the protocol's JSON result with --json. Reports: funnel,\n"
    "win_rate, cycle_time, aging, dso (--from, --to), disputes, account (--id).\n"
    "\n"
    "  --as-of DATE     \"today\" for ages and due dates (default: the clock)\n"
    "  --from, --to     the period of dso (dates, inclusive)\n"
    "  --id ID          the account of the account report\n"
    "  option=value     any other option of the report, sent as is\n"
    "\n"
    "Needs --db (or L2C_DB): without it every invocation starts empty.\n";

static const struct {
    const char *opt, *key;
} report_opts[] = {{"--as-of", "as_of"}, {"--from", "from"}, {"--to", "to"}, {"--id", "id"}};

static int oom(void)
{
    fputs("l2c: no_memory: out of memory\n", stderr);
    return CLI_FAIL;
}

/* Parses the arguments into cmd; -1 to go on, else the exit status. */
static int report_args(cJSON *cmd, int argc, char **argv, int *json)
{
    static const char usage[] = "l2c report NAME [--json] [--as-of DATE] [option=value ...]";
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i], *v = NULL;
        if (cli_is_help(arg))
            return cli_help(report_help);
        if (strcmp(arg, "--json") == 0) {
            *json = 1;
            continue;
        }
        if (arg[0] == '-' && arg[1]) {
            int r = 0;
            size_t k = 0;
            for (; k < sizeof report_opts / sizeof report_opts[0]; k++)
                if ((r = cli_opt(argc, argv, &i, report_opts[k].opt, &v)))
                    break;
            if (r < 0)
                return cli_usage_error(usage, "%s needs a value", arg);
            if (r == 0)
                return cli_usage_error(usage, "unknown option '%s'", arg);
            cJSON *s = cJSON_CreateString(v);
            if (!s)
                return oom();
            const char *key = report_opts[k].key;
            if (cJSON_GetObjectItemCaseSensitive(cmd, key))
                cJSON_DeleteItemFromObjectCaseSensitive(cmd, key);
            if (!cJSON_AddItemToObject(cmd, key, s)) {
                cJSON_Delete(s);
                return oom();
            }
            continue;
        }
        if (!name) {
            name = arg;
            if (!cJSON_AddStringToObject(cmd, "name", name))
                return oom();
            continue;
        }
        if (!cli_is_field(arg))
            return cli_usage_error(usage, "unexpected argument '%s'", arg);
        int status = cli_add_field(cmd, arg, usage);
        if (status != CLI_OK)
            return status;
    }
    if (!name)
        return cli_usage_error(usage, "NAME is missing");
    return -1;
}

int cli_cmd_report(cli *c, int argc, char **argv)
{
    int json = 0;
    cJSON *cmd = cJSON_CreateObject(), *res = NULL;
    if (!cmd || !cJSON_AddStringToObject(cmd, "op", "report")) {
        cJSON_Delete(cmd);
        return oom();
    }
    int status = report_args(cmd, argc, argv, &json);
    if (status < 0) {
        /* an option=value naming op would change the command: keep it a report */
        cJSON *op = cJSON_CreateString("report");
        if (!op || !cJSON_ReplaceItemInObjectCaseSensitive(cmd, "op", op)) {
            cJSON_Delete(op);
            status = oom();
        } else {
            status = cli_run(&res, c, cmd);
        }
    }
    cJSON_Delete(cmd);
    if (status != CLI_OK)
        return status;
    if (json) {
        char *s = cJSON_PrintUnformatted(res);
        if (s)
            puts(s);
        else
            status = oom();
        cJSON_free(s);
    } else {
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(res, "report");
        const cJSON *as_of = cJSON_GetObjectItemCaseSensitive(res, "as_of");
        printf("%s report", cJSON_IsString(name) ? name->valuestring : "?");
        if (cJSON_IsString(as_of))
            printf(" as of %s", as_of->valuestring);
        fputs("\n\n", stdout);
        cJSON_DeleteItemFromObjectCaseSensitive(res, "ok");
        cJSON_DeleteItemFromObjectCaseSensitive(res, "report");
        cJSON_DeleteItemFromObjectCaseSensitive(res, "as_of");
        cli_render_object(res, 0);
    }
    cJSON_Delete(res);
    return status;
}
