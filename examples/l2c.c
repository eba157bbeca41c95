/* l2c: the command-line program. `l2c exec` speaks the JSON protocol, one
 * command per line; the other subcommands are for people. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l2c.h"

/* Reads one line of any length; returns NULL at EOF. */
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

static int cmd_exec(l2c_engine *e)
{
    char *line;
    int failed = 0;
    while ((line = read_line(stdin)) != NULL) {
        if (!blank(line)) {
            char *out = NULL;
            int rc = l2c_exec_json(&out, e, line);
            if (out) {
                fputs(out, stdout);
                fputc('\n', stdout);
                fflush(stdout);
                l2c_free(out);
            } else {
                fputs("{\"ok\":false,\"error\":{\"code\":\"no_memory\",\"message\":\"out of memory\"}}\n",
                      stdout);
                fflush(stdout);
            }
            failed |= rc != 0;
        }
        free(line);
    }
    (void)failed;
    return 0;
}

int main(int argc, char **argv)
{
    l2c_engine *e;
    if (l2c_engine_new(&e, NULL)) {
        fprintf(stderr, "l2c: cannot create the engine\n");
        return 1;
    }
    int rc = 2;
    if (argc >= 2 && strcmp(argv[1], "exec") == 0)
        rc = cmd_exec(e);
    else
        fprintf(stderr, "usage: l2c exec < commands.jsonl\n");
    l2c_engine_free(e);
    return rc;
}
