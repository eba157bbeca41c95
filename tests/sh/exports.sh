#!/bin/sh
# Only the public API is exported: every dynamic symbol of the shared
# library starts with l2c_ (never l2c__, the internal prefix), the soname is
# libl2c.so.MAJOR, and the static library defines no global symbol outside
# the l2c_ / l2c__ prefixes (sanitizer instrumentation aside).
# Usage: sh tests/sh/exports.sh BUILD_DIR
set -u
BUILD=${1:-build}
fail=0

set -- "$BUILD"/libl2c.so.*.*.*
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
    echo "exports.sh: expected one $BUILD/libl2c.so.X.Y.Z, found: $*" >&2
    exit 1
fi
so=$1

syms=$(nm -D --defined-only "$so" | awk 'NF >= 3 { print $3 }') || exit 1
if [ -z "$syms" ]; then
    echo "exports.sh: $so exports nothing" >&2
    exit 1
fi
bad=$(printf '%s\n' "$syms" | grep -v '^l2c_' )
internal=$(printf '%s\n' "$syms" | grep '^l2c__')
if [ -n "$bad" ]; then
    echo "exports.sh: $so exports symbols outside l2c_:" >&2
    printf '%s\n' "$bad" | sed 's/^/  /' >&2
    fail=1
fi
if [ -n "$internal" ]; then
    echo "exports.sh: $so exports internal l2c__ symbols:" >&2
    printf '%s\n' "$internal" | sed 's/^/  /' >&2
    fail=1
fi
# the API is there
for f in l2c_engine_new l2c_engine_free l2c_exec_json l2c_free l2c_version l2c_strerror \
         l2c_create l2c_fire l2c_bus_subscribe l2c_topic_matches l2c_set_allocator; do
    if ! printf '%s\n' "$syms" | grep -qx "$f"; then
        echo "exports.sh: $so does not export $f" >&2
        fail=1
    fi
done

major=$(printf '%s\n' "$so" | sed 's/.*libl2c\.so\.\([0-9]*\)\..*/\1/')
if command -v objdump >/dev/null 2>&1; then
    soname=$(objdump -p "$so" | awk '$1 == "SONAME" { print $2 }')
    if [ "$soname" != "libl2c.so.$major" ]; then
        echo "exports.sh: soname is '$soname', want libl2c.so.$major" >&2
        fail=1
    fi
fi

a=$BUILD/libl2c.a
if [ ! -f "$a" ]; then
    echo "exports.sh: no $a" >&2
    exit 1
fi
# global definitions: an upper-case type letter other than U (undefined)
stray=$(nm -g --defined-only "$a" | awk 'NF == 3 && $2 ~ /^[A-TV-Z]$/ { print $3 }' |
        grep -v '^l2c_' | grep -v '^__odr_asan' | grep -v '^__asan_' | grep -v '^__ubsan_' |
        sort -u)
if [ -n "$stray" ]; then
    echo "exports.sh: $a defines global symbols outside l2c_/l2c__:" >&2
    printf '%s\n' "$stray" | sed 's/^/  /' >&2
    fail=1
fi
exit $fail
