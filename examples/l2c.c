/* l2c: the command-line program. `l2c exec` speaks the JSON protocol, one
 * command per line; the other subcommands are for people. This file reads
 * the global options and dispatches; the subcommands live in examples/cli/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage_line[] = "l2c [global options] COMMAND [arguments]";

static const char main_help[] =
    "usage: l2c [global options] COMMAND [arguments]\n"
    "\n"
    "The command line of libl2c, an embeddable lead-to-cash engine.\n"
    "\n"
    "Global options (before COMMAND):\n"
    "  --db PATH                 keep records and events in the SQLite database\n"
    "                            PATH (default: $L2C_DB; without either, an\n"
    "                            in-memory engine that starts empty every time;\n"
    "                            --db '' forces it)\n"
    "  --name NAME               the engine's name, the events' source (/l2c)\n"
    "  --approval-threshold PCT  discount above which a quote needs approval (20)\n"
    "  --durability full|normal|off\n"
    "                            how hard the database syncs at commit (full)\n"
    "  --process FILE            load a custom process definition (JSON);\n"
    "                            repeatable, in order\n"
    "  --now TIME                set the engine clock first (RFC 3339); the clock\n"
    "                            is not stored, so give it to every invocation\n"
    "                            that should not run at the system time\n"
    "  --help, --version\n"
    "\n"
    "Commands:\n"
    "  exec                      JSON protocol: a command per stdin line, a result per line\n"
    "  create TYPE [field=value ...]\n"
    "  lead create --name N [--email E] [--company C] [--source S]\n"
    "  account create --name N [--currency EUR] [--credit-limit A] [--terms DAYS]\n"
    "  fire TYPE ID EVENT [--as ACTOR] [--role ROLE]... [field=value ...]\n"
    "  update TYPE ID field=value ...\n"
    "  show TYPE ID              a record, field by field\n"
    "  list TYPE [--state S]     records as a table\n"
    "  events [--after N] [--limit N] [--topic PATTERN] [--json]\n"
    "  sweep                     expire quotes, mark invoices overdue\n"
    "  clock [NOW]               show (or set) the engine clock\n"
    "  report NAME [--json]      funnel, win_rate, cycle_time, aging, dso, disputes, account\n"
    "  process show|dot TYPE     a process definition as JSON or Graphviz DOT\n"
    "  asyncapi                  the AsyncAPI document of the event topics\n"
    "  demo                      the whole lead-to-cash story, step by step\n"
    "  help [COMMAND]            this text, or a command's (as COMMAND --help)\n"
    "\n"
    "Types: account, lead, opportunity, quote, order, invoice, payment,\n"
    "credit_note. Every command goes through the engine's JSON protocol.\n"
    "Without --db (or L2C_DB) each invocation starts from an empty engine, so\n"
    "the commands for people are useful with a database:\n"
    "\n"
    "  export L2C_DB=crm.db\n"
    "  l2c lead create --name 'Ines Ortega' --company 'Ortega Foods' --source webinar\n"
    "  l2c fire lead L-000001 qualify\n"
    "  l2c fire lead L-000001 convert 'opportunity={\"name\":\"Cold storage\"}'\n"
    "  l2c list opportunity\n"
    "\n"
    "Exit status: 0 success, 1 the engine refused a command (the error is\n"
    "printed as \"l2c: <code> (<rule>): <message>\"), 2 usage errors and an\n"
    "engine that could not be opened.\n";

static const struct {
    const char *name;
    cli_cmd_fn fn;
} commands[] = {
    {"exec", cli_cmd_exec},         {"create", cli_cmd_create},   {"lead", cli_cmd_lead},
    {"account", cli_cmd_account},   {"fire", cli_cmd_fire},       {"update", cli_cmd_update},
    {"show", cli_cmd_show},         {"list", cli_cmd_list},       {"events", cli_cmd_events},
    {"sweep", cli_cmd_sweep},       {"clock", cli_cmd_clock},     {"report", cli_cmd_report},
    {"process", cli_cmd_process},   {"asyncapi", cli_cmd_asyncapi}, {"demo", cli_cmd_demo},
};

static cli_cmd_fn find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn;
    return NULL;
}

/* `l2c help [COMMAND]`. */
static int help(cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_help(main_help);
    cli_cmd_fn fn = find_command(argv[1]);
    if (!fn)
        return cli_usage_error(usage_line, "unknown command '%s'", argv[1]);
    char help_opt[] = "--help";
    char *args[] = {argv[1], help_opt, NULL};
    return fn(c, 2, args);
}

static int durability(const char *s, int32_t *out)
{
    static const char *const names[] = {"full", "normal", "off"};
    static const int32_t values[] = {L2C_DURABILITY_FULL, L2C_DURABILITY_NORMAL,
                                     L2C_DURABILITY_OFF};
    for (size_t i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = values[i];
            return 0;
        }
    return -1;
}

/* Reads the global options; returns the index of COMMAND, or -1 with
 * *status set when the program is done (help, version, usage error). */
static int global_options(cli *c, int argc, char **argv, int *status)
{
    int db_given = 0, i = 1;
    *status = CLI_OK;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        const char *arg = argv[i], *v = NULL;
        int r;
        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (cli_is_help(arg)) {
            cli_help(main_help);
            return -1;
        }
        if (strcmp(arg, "--version") == 0 || strcmp(arg, "-V") == 0) {
            printf("l2c %s (libl2c %s)\n", L2C_VERSION_STRING, l2c_version());
            return -1;
        }
        if ((r = cli_opt(argc, argv, &i, "--db", &v)) > 0) {
            c->db = *v ? v : NULL;
            db_given = 1;
        } else if (r == 0 && (r = cli_opt(argc, argv, &i, "--name", &v)) > 0) {
            c->name = v;
        } else if (r == 0 && (r = cli_opt(argc, argv, &i, "--approval-threshold", &v)) > 0) {
            c->threshold = v;
        } else if (r == 0 && (r = cli_opt(argc, argv, &i, "--durability", &v)) > 0) {
            if (durability(v, &c->durability)) {
                *status = cli_usage_error(usage_line, "--durability takes full, normal or off, "
                                                      "not '%s'",
                                          v);
                return -1;
            }
        } else if (r == 0 && (r = cli_opt(argc, argv, &i, "--process", &v)) > 0) {
            c->processes[c->nprocesses++] = v;
        } else if (r == 0 && (r = cli_opt(argc, argv, &i, "--now", &v)) > 0) {
            c->now = v;
        }
        if (r < 0) {
            *status = cli_usage_error(usage_line, "%s needs a value", arg);
            return -1;
        }
        if (r == 0) {
            *status = cli_usage_error(usage_line, "unknown global option '%s'", arg);
            return -1;
        }
    }
    if (!db_given) {
        const char *env = getenv("L2C_DB");
        c->db = env && *env ? env : NULL;
    }
    if (i >= argc) {
        *status = cli_usage_error(usage_line, "a command is missing");
        return -1;
    }
    return i;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof c);
    c.durability = L2C_DURABILITY_FULL;
    c.processes = calloc((size_t)argc, sizeof *c.processes);
    if (!c.processes) {
        fputs("l2c: no_memory: out of memory\n", stderr);
        return CLI_FAIL;
    }
    int status;
    int i = global_options(&c, argc, argv, &status);
    if (i >= 0) {
        cli_cmd_fn fn = strcmp(argv[i], "help") == 0 ? help : find_command(argv[i]);
        if (fn)
            status = fn(&c, argc - i, argv + i);
        else
            status = cli_usage_error(usage_line, "unknown command '%s'", argv[i]);
    }
    cli_close(&c);
    free((void *)c.processes);
    if (fflush(stdout) != 0 && status == CLI_OK)
        status = CLI_FAIL;
    return status;
}
