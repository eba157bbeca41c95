/* The l2c command-line program: what its parts share.
 *
 * examples/l2c.c parses the global options and dispatches; each file in
 * examples/cli/ holds a few subcommands. Everything goes through the public
 * API (l2c_exec_json for commands and reads, l2c_process_* for definitions):
 * the CLI never reaches into the library's internals. cJSON is used only to
 * build commands and read their results. */
#ifndef L2C_CLI_H
#define L2C_CLI_H

#include <stddef.h>

#include <cJSON.h>

#include "l2c.h"

/* Exit statuses: success, a command the engine refused (or another runtime
 * failure), a usage error (bad arguments, the engine could not be set up). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* The invocation: global options and the engine, opened on first use so
 * that `--help` and usage errors never touch a database. */
typedef struct cli {
    const char *db;          /* database path; NULL = in-memory engine */
    const char *name;        /* events' source (--name) */
    const char *threshold;   /* --approval-threshold */
    int32_t durability;      /* L2C_DURABILITY_* */
    const char *now;         /* --now: the engine clock for this invocation */
    const char **processes;  /* --process files, in order */
    size_t nprocesses;
    l2c_engine *engine;      /* NULL until cli_engine */
} cli;

/* A subcommand: argv[0] is its own name; returns the exit status. */
typedef int (*cli_cmd_fn)(cli *c, int argc, char **argv);

/* ---- util.c: engine, running commands, errors, arguments ---- */

/* The engine, opened (with the global options, processes and clock) on the
 * first call. NULL after printing why; *status is then the exit status. */
l2c_engine *cli_engine(cli *c, int *status);
/* Frees the engine if it was opened. */
void cli_close(cli *c);

/* Runs a JSON command through l2c_exec_json. On success *out is the parsed
 * result (free with cJSON_Delete) and CLI_OK is returned. On failure the
 * error is printed (cli_print_result_error), *out is NULL and the exit
 * status is returned. */
int cli_run_json(cJSON **out, cli *c, const char *command);
/* The same with the command as a cJSON object (borrowed). */
int cli_run(cJSON **out, cli *c, const cJSON *command);

/* Prints "l2c: <code>[ (<rule>)]: <message>" from a failed result. */
void cli_print_result_error(const cJSON *result);
/* Prints the same from the engine's last error after a C API call failed. */
void cli_print_api_error(l2c_engine *e, int rc);

/* Prints "l2c: <message>" and the usage line on stderr; returns CLI_USAGE. */
int cli_usage_error(const char *usage, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* 1 when `arg` asks for help (-h, --help). */
int cli_is_help(const char *arg);
/* Prints help text to stdout; returns CLI_OK. */
int cli_help(const char *text);

/* Option with a value, "--opt VALUE" or "--opt=VALUE", at argv[*i]: returns
 * 1 and sets *value (advancing *i past a separate value) when it matches,
 * 0 when argv[*i] is another argument, -1 when the value is missing. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **value);

/* Adds a "field=value" argument to `data`: values that look like a JSON
 * object or array are parsed as JSON, everything else is a string;
 * "field:=JSON" takes any JSON value (numbers, null, true). Returns 0, or
 * CLI_USAGE after printing why. */
int cli_add_field(cJSON *data, const char *arg, const char *usage);
/* 1 when `arg` has the "field=value" form. */
int cli_is_field(const char *arg);

/* An actor object from --as and --role options (NULL when neither). */
cJSON *cli_actor(const char *as, const char **roles, size_t nroles);

/* A whole file read into a NUL-terminated string (free with free), or
 * NULL with errno set. */
char *cli_read_file(const char *path);

/* ---- render.c: output for people ---- */

/* A value as text: strings as they are, null as "-", objects and arrays as
 * compact JSON. Free with free. NULL only when out of memory. */
char *cli_text(const cJSON *v);

/* A table of text cells; row 0 holds the headers. */
typedef struct cli_table {
    size_t ncols, nrows, cap;
    char **cells; /* nrows * ncols, owned */
} cli_table;

void cli_table_init(cli_table *t, size_t ncols);
/* Appends a row of empty cells; returns its index or (size_t)-1 when out of memory. */
size_t cli_table_row(cli_table *t);
/* Sets a cell to a copy of `text` (NULL = empty). Returns 0 or -1 (no memory). */
int cli_table_set(cli_table *t, size_t row, size_t col, const char *text);
/* Prints the table, columns aligned (numbers to the right), with `indent` spaces. */
void cli_table_print(const cli_table *t, int indent);
void cli_table_free(cli_table *t);

/* Prints an object as aligned "field  value" lines; arrays of objects (a
 * quote's lines, a payment's allocations) as tables; nested objects
 * indented (maps of objects as tables). */
void cli_render_object(const cJSON *obj, int indent);

/* Prints one line per event: sequence, [time,] type, subject, from → to. */
void cli_print_events(const cJSON *events, int with_time);

/* ---- subcommands ---- */
int cli_cmd_exec(cli *c, int argc, char **argv);     /* exec.c */
int cli_cmd_create(cli *c, int argc, char **argv);   /* records.c */
int cli_cmd_lead(cli *c, int argc, char **argv);
int cli_cmd_account(cli *c, int argc, char **argv);
int cli_cmd_fire(cli *c, int argc, char **argv);
int cli_cmd_update(cli *c, int argc, char **argv);
int cli_cmd_show(cli *c, int argc, char **argv);
int cli_cmd_list(cli *c, int argc, char **argv);
int cli_cmd_events(cli *c, int argc, char **argv);   /* stream.c */
int cli_cmd_sweep(cli *c, int argc, char **argv);
int cli_cmd_clock(cli *c, int argc, char **argv);
int cli_cmd_report(cli *c, int argc, char **argv);   /* report.c */
int cli_cmd_process(cli *c, int argc, char **argv);  /* process.c */
int cli_cmd_asyncapi(cli *c, int argc, char **argv);
int cli_cmd_demo(cli *c, int argc, char **argv);     /* demo.c */

#endif
