/* Process definitions and the AsyncAPI document, through l2c/process.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char process_help[] =
    "usage: l2c [global options] process show TYPE\n"
    "       l2c [global options] process dot TYPE\n"
    "\n"
    "show prints the loaded process definition of TYPE (states, events,\n"
    "transitions, guards, roles) as JSON; dot prints it as a Graphviz\n"
    "diagram (l2c process dot quote | dot -Tsvg > quote.svg). Custom\n"
    "definitions given with --process are included.\n";

static const char asyncapi_help[] =
    "usage: l2c [global options] asyncapi\n"
    "\n"
    "Prints an AsyncAPI 3.0 document (JSON) describing every topic the\n"
    "engine publishes (l2c/v1/<domain>/<type>/<event>/<id>), generated from\n"
    "the loaded process definitions (--process included).\n";

/* Prints a document the library returned: JSON indented when it parses. */
static void print_doc(const char *text, int json)
{
    cJSON *j = json ? cJSON_Parse(text) : NULL;
    char *pretty = j ? cJSON_Print(j) : NULL;
    const char *s = pretty ? pretty : text;
    size_t n = strlen(s);
    fputs(s, stdout);
    if (n == 0 || s[n - 1] != '\n')
        fputc('\n', stdout);
    cJSON_free(pretty);
    cJSON_Delete(j);
}

int cli_cmd_process(cli *c, int argc, char **argv)
{
    static const char usage[] = "l2c process show|dot TYPE";
    for (int i = 1; i < argc; i++)
        if (cli_is_help(argv[i]))
            return cli_help(process_help);
    if (argc < 2)
        return cli_usage_error(usage, "process needs a verb (show, dot)");
    int dot = strcmp(argv[1], "dot") == 0;
    if (!dot && strcmp(argv[1], "show") != 0)
        return cli_usage_error(usage, "unknown process verb '%s'", argv[1]);
    if (argc < 3)
        return cli_usage_error(usage, "TYPE is missing");
    if (argc > 3)
        return cli_usage_error(usage, "unexpected argument '%s'", argv[3]);
    int status;
    l2c_engine *e = cli_engine(c, &status);
    if (!e)
        return status;
    char *out = NULL;
    int rc = dot ? l2c_process_dot(&out, e, argv[2]) : l2c_process_json(&out, e, argv[2]);
    if (rc) {
        cli_print_api_error(e, rc);
        l2c_free(out);
        return CLI_FAIL;
    }
    print_doc(out ? out : "", !dot);
    l2c_free(out);
    return CLI_OK;
}

int cli_cmd_asyncapi(cli *c, int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1]))
        return cli_help(asyncapi_help);
    if (argc > 1)
        return cli_usage_error("l2c asyncapi", "unexpected argument '%s'", argv[1]);
    int status;
    l2c_engine *e = cli_engine(c, &status);
    if (!e)
        return status;
    char *out = NULL;
    int rc = l2c_asyncapi_json(&out, e);
    if (rc) {
        cli_print_api_error(e, rc);
        l2c_free(out);
        return CLI_FAIL;
    }
    print_doc(out ? out : "", 1);
    l2c_free(out);
    return CLI_OK;
}
