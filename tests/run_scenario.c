/* Scenario runner: `run_scenario PATH_TO_L2C FILE.jsonl`.
 *
 * A scenario file holds one {"cmd": ..., "result": ...} object per line; a
 * line starting with `#` (after optional blanks) or a blank line is a
 * comment. Every cmd is sent, in order, to one `PATH_TO_L2C exec` process
 * (one line each); its output lines are then compared with the expected
 * results: exact JSON equality, object key order included, after removing
 * every "message" key (message texts are not part of the contract).
 *
 * A `cmd` that is a JSON string is sent verbatim as the command line, so a
 * file can send text that is not JSON (parse_error) or a value that is not
 * an object (`"cmd": "[1,2]"`). Any other `cmd` is sent exactly as written in
 * the file (so numbers keep every digit).
 *
 * Environment:
 *   L2C_SCENARIO_ARGS     extra CLI arguments before `exec` ("--db x.db"),
 *                         split at blanks
 *   L2C_SCENARIO_WRAPPER  a command line to run the CLI under
 *                         ("valgrind -q --error-exitcode=99"), split at blanks
 *
 * Exit 0 and "N commands ok" when every result matches and the CLI exits 0;
 * exit 1 with the first difference otherwise; exit 2 on usage or I/O errors. */
#include <cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SHOW_MAX 600

typedef struct scen_line {
    int lineno;   /* in the scenario file */
    char *cmd;    /* the line sent to the CLI */
    cJSON *want;  /* expected result, "message" keys removed */
} scen_line;

static void die(const char *what)
{
    fprintf(stderr, "run_scenario: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q)
        die("realloc");
    return q;
}

/* Reads a whole line (without its line ending); NULL at EOF. */
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
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0';
}

static int skippable(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return *s == '\0' || *s == '#';
}

/* End of the JSON value starting at p (already known to be valid JSON):
 * strings, nesting and scalars are skipped as text. */
static const char *value_end(const char *p)
{
    int depth = 0;
    do {
        if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
            if (*p)
                p++;
        } else if (*p == '{' || *p == '[') {
            depth++;
            p++;
        } else if (*p == '}' || *p == ']') {
            depth--;
            p++;
        } else if (depth == 0) {
            while (*p && !strchr(",}] \t", *p))
                p++; /* number, true, false, null */
        } else {
            p++;
        }
    } while (*p && depth > 0);
    return p;
}

/* The text of the top-level "cmd" value of a scenario line, as written:
 * numbers past double precision (2^53 + 1) must reach the CLI unchanged. */
static char *raw_cmd(const char *line)
{
    const char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '{')
        return NULL;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p != '"')
            return NULL;
        const char *key = p + 1, *key_end = value_end(p) - 1;
        p = key_end + 1;
        while (*p == ' ' || *p == '\t' || *p == ':')
            p++;
        const char *end = value_end(p);
        if (key_end - key == 3 && memcmp(key, "cmd", 3) == 0) {
            char *out = malloc((size_t)(end - p) + 1);
            if (!out)
                die("malloc");
            memcpy(out, p, (size_t)(end - p));
            out[end - p] = '\0';
            return out;
        }
        p = end;
    }
}

static void strip_messages(cJSON *j)
{
    if (!j)
        return;
    if (cJSON_IsObject(j))
        cJSON_DeleteItemFromObjectCaseSensitive(j, "message");
    for (cJSON *c = j->child; c; c = c->next)
        strip_messages(c);
}

/* Exact equality: same kinds, same keys in the same order, same values. */
static int json_equal(const cJSON *a, const cJSON *b)
{
    if ((a->type & 0xff) != (b->type & 0xff))
        return 0;
    if (cJSON_IsString(a))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a))
        return a->valuedouble == b->valuedouble;
    if (cJSON_IsArray(a) || cJSON_IsObject(a)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next) {
            if (cJSON_IsObject(a) && strcmp(x->string, y->string) != 0)
                return 0;
            if (!json_equal(x, y))
                return 0;
        }
        return x == NULL && y == NULL;
    }
    return 1; /* true, false, null */
}

static void show(const char *label, const char *s)
{
    size_t n = strlen(s);
    if (n <= SHOW_MAX)
        fprintf(stderr, "  %s %s\n", label, s);
    else
        fprintf(stderr, "  %s %.*s ... (%zu chars)\n", label, SHOW_MAX, s, n);
}

/* The first place where two compact JSON texts differ, for long results. */
static void show_diff(const char *want, const char *got)
{
    size_t i = 0;
    while (want[i] && want[i] == got[i])
        i++;
    if (strlen(want) <= SHOW_MAX && strlen(got) <= SHOW_MAX)
        return;
    size_t from = i > 120 ? i - 120 : 0;
    fprintf(stderr, "  first difference at character %zu:\n", i);
    fprintf(stderr, "    expected ...%.240s\n", want + from);
    fprintf(stderr, "    actual   ...%.240s\n", got + from);
}

/* Append the blank-separated words of `s` to argv. */
static void split_words(char ***argv, int *argc, const char *s)
{
    if (!s)
        return;
    char *copy = strdup(s);
    if (!copy)
        die("strdup");
    for (char *tok = strtok(copy, " \t"); tok; tok = strtok(NULL, " \t")) {
        *argv = xrealloc(*argv, sizeof **argv * (size_t)(*argc + 2));
        (*argv)[(*argc)++] = tok; /* `copy` lives until exit */
    }
}

/* Run the CLI with `input` (a file) on stdin; returns its stdout as an
 * open stream, and its exit status in *status. */
static FILE *run_cli(const char *l2c, FILE *input, int *status)
{
    char **argv = NULL;
    int argc = 0;
    split_words(&argv, &argc, getenv("L2C_SCENARIO_WRAPPER"));
    argv = xrealloc(argv, sizeof *argv * (size_t)(argc + 2));
    argv[argc++] = (char *)l2c;
    split_words(&argv, &argc, getenv("L2C_SCENARIO_ARGS"));
    argv = xrealloc(argv, sizeof *argv * (size_t)(argc + 2));
    argv[argc++] = "exec";
    argv[argc] = NULL;

    FILE *out = tmpfile();
    if (!out)
        die("tmpfile");
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        die("fork");
    if (pid == 0) {
        if (dup2(fileno(input), 0) < 0 || dup2(fileno(out), 1) < 0)
            _exit(127);
        execvp(argv[0], argv);
        fprintf(stderr, "run_scenario: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(argv);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            die("waitpid");
    *status = st;
    rewind(out);
    return out;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: run_scenario PATH_TO_L2C FILE.jsonl\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f)
        die(argv[2]);
    scen_line *lines = NULL;
    size_t n = 0;
    int lineno = 0;
    char *text;
    while ((text = read_line(f)) != NULL) {
        lineno++;
        if (skippable(text)) {
            free(text);
            continue;
        }
        cJSON *j = cJSON_Parse(text);
        cJSON *cmd = j ? cJSON_GetObjectItemCaseSensitive(j, "cmd") : NULL;
        cJSON *res = j ? cJSON_GetObjectItemCaseSensitive(j, "result") : NULL;
        if (!cmd || !res) {
            fprintf(stderr, "%s:%d: not a {\"cmd\", \"result\"} line\n", argv[2], lineno);
            return 2;
        }
        lines = xrealloc(lines, sizeof *lines * (n + 1));
        lines[n].lineno = lineno;
        lines[n].cmd = cJSON_IsString(cmd) ? strdup(cmd->valuestring) : raw_cmd(text);
        if (!lines[n].cmd) {
            fprintf(stderr, "%s:%d: cannot read the cmd of this line\n", argv[2], lineno);
            return 2;
        }
        if (strchr(lines[n].cmd, '\n') || blank(lines[n].cmd)) {
            /* a blank command gets no answer: it cannot be compared */
            fprintf(stderr, "%s:%d: a cmd must be one non-blank line\n", argv[2], lineno);
            return 2;
        }
        lines[n].want = cJSON_DetachItemViaPointer(j, res);
        strip_messages(lines[n].want);
        cJSON_Delete(j);
        free(text);
        n++;
    }
    fclose(f);

    FILE *input = tmpfile();
    if (!input)
        die("tmpfile");
    for (size_t i = 0; i < n; i++)
        fprintf(input, "%s\n", lines[i].cmd);
    if (fflush(input))
        die("write");
    rewind(input);

    int status;
    FILE *out = run_cli(argv[1], input, &status);
    fclose(input);

    int failed = 0;
    size_t i = 0;
    while (!failed && (text = read_line(out)) != NULL) {
        if (i >= n) {
            fprintf(stderr, "%s: more results than commands (%zu commands)\n", argv[2], n);
            show("extra:", text);
            failed = 1;
        } else {
            cJSON *got = cJSON_Parse(text);
            strip_messages(got);
            if (!got || !json_equal(lines[i].want, got)) {
                char *w = cJSON_PrintUnformatted(lines[i].want);
                char *g = got ? cJSON_PrintUnformatted(got) : NULL;
                fprintf(stderr, "%s:%d: result differs (command %zu)\n", argv[2],
                        lines[i].lineno, i + 1);
                show("command: ", lines[i].cmd);
                show("expected:", w);
                show("actual:  ", g ? g : text);
                if (g)
                    show_diff(w, g);
                free(w);
                free(g);
                failed = 1;
            }
            cJSON_Delete(got);
        }
        free(text);
        i++;
    }
    fclose(out);
    if (!failed && i < n) {
        fprintf(stderr, "%s:%d: no result for this command and the %zu after it\n", argv[2],
                lines[i].lineno, n - i - 1);
        show("command: ", lines[i].cmd);
        failed = 1;
    }
    if (!failed && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        fprintf(stderr, "%s: %s exited with status %d%s\n", argv[2], argv[1],
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
                WIFSIGNALED(status) ? " (signal)" : "");
        failed = 1;
    }
    for (size_t k = 0; k < n; k++) {
        free(lines[k].cmd);
        cJSON_Delete(lines[k].want);
    }
    free(lines);
    if (failed)
        return 1;
    printf("%zu commands ok\n", n);
    return 0;
}
