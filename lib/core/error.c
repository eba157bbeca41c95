/* Error codes, their names and texts, and per-engine error detail. */
#include <stdio.h>

#include "core/core.h"

static const char *const names[] = {
    "ok", "parse_error", "invalid_argument", "not_found", "already_exists",
    "invalid_transition", "guard_rejected", "forbidden", "conflict",
    "hook_error", "no_memory", "io_error", "unsupported",
};

static const char *const texts[] = {
    "ok: success",
    "parse_error: the input is not valid JSON",
    "invalid_argument: a field is missing or invalid",
    "not_found: no such record",
    "already_exists: the id is already taken",
    "invalid_transition: the event is not allowed in the record's state",
    "guard_rejected: a business rule refused the command",
    "forbidden: the actor lacks the role, or the topic is not granted",
    "conflict: the record changed since it was read, or the store is busy",
    "hook_error: a host guard vetoed the command",
    "no_memory: out of memory",
    "io_error: the store could not read or write",
    "unsupported: the operation is not possible here",
};

const char *l2c_version(void) { return L2C_VERSION_STRING; }

const char *l2c_error_name(int code)
{
    if (code > 0 || code < L2C_EUNSUPPORTED)
        return NULL;
    return names[-code];
}

const char *l2c_strerror(int code)
{
    if (code > 0 || code < L2C_EUNSUPPORTED)
        return "unknown error";
    return texts[-code];
}

int l2c__vseterr(l2c__error *err, int code, const char *rule, const char *fmt, va_list ap)
{
    err->code = code;
    err->rule = rule;
    if (fmt)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    else
        snprintf(err->message, sizeof err->message, "%s", l2c_strerror(code));
    return code;
}

int l2c__seterr(l2c__error *err, int code, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    l2c__vseterr(err, code, rule, fmt, ap);
    va_end(ap);
    return code;
}
