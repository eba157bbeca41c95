/* The event stream and time: events, sweep, clock. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int oom(void)
{
    fputs("l2c: no_memory: out of memory\n", stderr);
    return CLI_FAIL;
}

/* Prints each event of `events` as one JSON line. */
static int json_lines(const cJSON *events)
{
    const cJSON *ev;
    cJSON_ArrayForEach(ev, events)
    {
        char *s = cJSON_PrintUnformatted(ev);
        if (!s)
            return oom();
        puts(s);
        cJSON_free(s);
    }
    return CLI_OK;
}

static const char events_help[] =
    "usage: l2c [global options] events [--after N] [--limit N] [--topic PATTERN] [--json]\n"
    "\n"
    "Prints the event log, one line per event: sequence, time, type,\n"
    "subject, from → to state (and the actor). --json prints the CloudEvents\n"
    "JSON, one event per line.\n"
    "\n"
    "  --after N        only events with a sequence above N\n"
    "  --limit N        at most N events\n"
    "  --topic PATTERN  only events whose topic matches the MQTT pattern\n"
    "                   (l2c/v1/billing/#, l2c/v1/sales/quote/+/+ ...)\n"
    "\n"
    "Needs --db (or L2C_DB): without it every invocation starts empty.\n";

int cli_cmd_events(cli *c, int argc, char **argv)
{
    static const char usage[] = "l2c events [--after N] [--limit N] [--topic PATTERN] [--json]";
    const char *after = NULL, *limit = NULL, *topic = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        int r;
        if (cli_is_help(argv[i]))
            return cli_help(events_help);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if ((r = cli_opt(argc, argv, &i, "--after", &after)) ||
                 (r = cli_opt(argc, argv, &i, "--limit", &limit)) ||
                 (r = cli_opt(argc, argv, &i, "--topic", &topic))) {
            if (r < 0)
                return cli_usage_error(usage, "%s needs a value", argv[i]);
        } else
            return cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
    }
    cJSON *cmd = cJSON_CreateObject(), *res = NULL;
    if (!cmd || !cJSON_AddStringToObject(cmd, "op", "events") ||
        (after && !cJSON_AddStringToObject(cmd, "after", after)) ||
        (limit && !cJSON_AddStringToObject(cmd, "limit", limit)) ||
        (topic && !cJSON_AddStringToObject(cmd, "topic", topic))) {
        cJSON_Delete(cmd);
        return oom();
    }
    int status = cli_run(&res, c, cmd);
    cJSON_Delete(cmd);
    if (status != CLI_OK)
        return status;
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(res, "events");
    if (json)
        status = json_lines(events);
    else if (cJSON_GetArraySize(events) == 0)
        puts("no events");
    else
        cli_print_events(events, 1);
    cJSON_Delete(res);
    return status;
}

static const char sweep_help[] =
    "usage: l2c [global options] sweep [--json]\n"
    "\n"
    "Expires sent quotes past their valid_until, then marks issued invoices\n"
    "past their due_date overdue, by the engine clock (set it with --now),\n"
    "and prints the events. Needs --db (or L2C_DB) to find anything.\n";

int cli_cmd_sweep(cli *c, int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(sweep_help);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else
            return cli_usage_error("l2c sweep [--json]", "unexpected argument '%s'", argv[i]);
    }
    cJSON *res = NULL;
    int status = cli_run_json(&res, c, "{\"op\":\"sweep\"}");
    if (status != CLI_OK)
        return status;
    const cJSON *events = cJSON_GetObjectItemCaseSensitive(res, "events");
    if (json)
        status = json_lines(events);
    else if (cJSON_GetArraySize(events) == 0)
        puts("nothing to sweep: no sent quote past valid_until, no issued invoice past due");
    else
        cli_print_events(events, 1);
    cJSON_Delete(res);
    return status;
}

static const char clock_help[] =
    "usage: l2c [global options] clock [NOW]\n"
    "\n"
    "Prints the engine clock (UTC); with NOW (RFC 3339, e.g.\n"
    "2026-04-01T09:00:00Z or 2026-04-01T11:00:00+02:00) sets it first.\n"
    "The clock is not stored in a database: each invocation starts at the\n"
    "system time, so give --now TIME to the commands that should run at\n"
    "another time (l2c --db crm.db --now 2026-06-01T00:00:00Z sweep).\n";

int cli_cmd_clock(cli *c, int argc, char **argv)
{
    static const char usage[] = "l2c clock [NOW]";
    const char *now = NULL;
    for (int i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(clock_help);
        if (now || (argv[i][0] == '-' && argv[i][1]))
            return cli_usage_error(usage, "unexpected argument '%s'", argv[i]);
        now = argv[i];
    }
    cJSON *cmd = cJSON_CreateObject(), *res = NULL;
    if (!cmd || !cJSON_AddStringToObject(cmd, "op", "clock") ||
        (now && !cJSON_AddStringToObject(cmd, "now", now))) {
        cJSON_Delete(cmd);
        return oom();
    }
    int status = cli_run(&res, c, cmd);
    cJSON_Delete(cmd);
    if (status != CLI_OK)
        return status;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(res, "now");
    puts(cJSON_IsString(v) ? v->valuestring : "-");
    cJSON_Delete(res);
    return CLI_OK;
}
