#!/bin/sh
# The public header stands alone: a file that includes only <l2c.h> (and
# one that includes each include/l2c/*.h alone) compiles with
# -std=c11 -pedantic -Werror -Wall -Wextra, and as C++ when a C++ compiler
# is there. Usage: sh tests/sh/header.sh BUILD_DIR (the build is not
# needed: the headers are compiled straight from include/).
set -u
CC=${CC:-cc}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/l2c-header.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# Uses a little of everything so that the declarations are checked too.
cat > "$tmp/use.c" <<'SRC'
#include <l2c.h>

int use_l2c(void);

int use_l2c(void)
{
    l2c_engine_options opts = L2C_ENGINE_OPTIONS_INIT;
    l2c_engine *e = 0;
    char *out = 0;
    int rc = l2c_engine_new(&e, &opts);
    if (rc == L2C_OK) {
        rc = l2c_exec_json(&out, e, "{\"op\":\"clock\"}");
        l2c_free(out);
        l2c_engine_free(e);
    }
    return rc == L2C_OK ? (int)L2C_VERSION_MAJOR : L2C_EUNSUPPORTED;
}
SRC

if ! $CC -std=c11 -pedantic -Werror -Wall -Wextra -Wstrict-prototypes -Iinclude \
        -c "$tmp/use.c" -o "$tmp/use.o"; then
    echo "header.sh: <l2c.h> does not compile as C11" >&2
    fail=1
fi

for h in include/l2c/*.h; do
    name=${h#include/}
    printf '#include <%s>\nint one_header(void);\nint one_header(void) { return L2C_OK; }\n' \
        "$name" > "$tmp/one.c"
    if ! $CC -std=c11 -pedantic -Werror -Wall -Wextra -Iinclude -c "$tmp/one.c" \
            -o "$tmp/one.o"; then
        echo "header.sh: <$name> does not compile alone" >&2
        fail=1
    fi
done

CXX=${CXX:-}
if [ -z "$CXX" ]; then
    if command -v g++ >/dev/null 2>&1; then
        CXX=g++
    elif command -v c++ >/dev/null 2>&1; then
        CXX=c++
    fi
fi
if [ -n "$CXX" ]; then
    cp "$tmp/use.c" "$tmp/use.cpp"
    if ! $CXX -std=c++11 -pedantic -Werror -Wall -Wextra -Iinclude -c "$tmp/use.cpp" \
            -o "$tmp/usecpp.o"; then
        echo "header.sh: <l2c.h> does not compile as C++" >&2
        fail=1
    fi
    # C linkage: the symbols are not mangled
    if command -v nm >/dev/null 2>&1 && nm "$tmp/usecpp.o" | grep -q ' U _Z.*l2c_'; then
        echo "header.sh: C++ sees l2c functions with C++ linkage" >&2
        fail=1
    fi
else
    echo "header.sh: no C++ compiler, C++ check skipped"
fi
exit $fail
