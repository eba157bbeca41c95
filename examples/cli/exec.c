/* `l2c exec`: the JSON protocol, one command per line on stdin, one result
 * per line on stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char exec_help[] =
    "usage: l2c [global options] exec < commands.jsonl\n"
    "\n"
    "Reads one JSON command per line on stdin ({\"op\":\"create\",...}, see\n"
    "docs/ and DESIGN §4) and writes one JSON result per line on stdout,\n"
    "flushed after each line. A blank line gets no answer; a line that is not\n"
    "JSON gets a parse_error result and the next line is read. Exits 0 at the\n"
    "end of the input, whatever the results were.\n";

/* Reads one line of any length without its line ending; NULL at EOF. */
static char *read_line(FILE *f)
{
    size_t cap = 0;
    char *line = NULL;
    ssize_t n = getline(&line, &cap, f);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

int cli_cmd_exec(cli *c, int argc, char **argv)
{
    if (argc > 1 && cli_is_help(argv[1]))
        return cli_help(exec_help);
    if (argc > 1)
        return cli_usage_error("l2c exec < commands.jsonl", "exec takes no arguments: '%s'",
                               argv[1]);
    int status;
    l2c_engine *e = cli_engine(c, &status);
    if (!e)
        return status;
    char *line;
    while ((line = read_line(stdin)) != NULL) {
        if (!blank(line)) {
            char *out = NULL;
            l2c_exec_json(&out, e, line);
            if (out) {
                fputs(out, stdout);
                fputc('\n', stdout);
                l2c_free(out);
            } else {
                fputs("{\"ok\":false,\"error\":{\"code\":\"no_memory\",\"message\":\"out of memory\"}}\n",
                      stdout);
            }
            fflush(stdout);
        }
        free(line);
    }
    return CLI_OK;
}
