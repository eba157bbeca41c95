#!/bin/sh
# Installing works for an outside program: `make install PREFIX=/usr
# DESTDIR=tmp` lays out headers, libraries (soname chain), the CLI and
# libl2c.pc; a small C program built with `pkg-config --cflags --libs
# libl2c` against that tree (PKG_CONFIG_SYSROOT_DIR / PKG_CONFIG_PATH) and
# run with LD_LIBRARY_PATH drives a lead through conversion.
# Usage: sh tests/sh/pkgconfig.sh BUILD_DIR
set -u
BUILD=${1:-build}
CC=${CC:-cc}
MAKE=${MAKE:-make}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
if ! command -v "$PKG_CONFIG" >/dev/null 2>&1; then
    echo "pkgconfig.sh: no $PKG_CONFIG" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/l2c-pkgconfig.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
root=$tmp/root
fail=0

if ! $MAKE -s install PREFIX=/usr DESTDIR="$root" BUILD="$BUILD" > "$tmp/make.log" 2>&1; then
    echo "pkgconfig.sh: make install failed:" >&2
    cat "$tmp/make.log" >&2
    exit 1
fi

for f in usr/include/l2c.h usr/include/l2c/common.h usr/include/l2c/engine.h \
         usr/lib/libl2c.a usr/lib/pkgconfig/libl2c.pc usr/bin/l2c; do
    if [ ! -f "$root/$f" ]; then
        echo "pkgconfig.sh: make install did not install /$f" >&2
        fail=1
    fi
done
set -- "$root"/usr/lib/libl2c.so.*.*.*
if [ "$#" -ne 1 ] || [ ! -f "$1" ]; then
    echo "pkgconfig.sh: no /usr/lib/libl2c.so.X.Y.Z installed" >&2
    exit 1
fi
real=$(basename "$1")
major=$(printf '%s\n' "$real" | sed 's/^libl2c\.so\.\([0-9]*\)\..*/\1/')
if [ "$(readlink "$root/usr/lib/libl2c.so.$major")" != "$real" ] ||
   [ "$(readlink "$root/usr/lib/libl2c.so")" != "libl2c.so.$major" ]; then
    echo "pkgconfig.sh: wrong soname links: libl2c.so -> $(readlink "$root/usr/lib/libl2c.so")," \
         "libl2c.so.$major -> $(readlink "$root/usr/lib/libl2c.so.$major")" >&2
    fail=1
fi

# the .pc must describe where it was installed
pc=$root/usr/lib/pkgconfig/libl2c.pc
prefix=$(sed -n 's/^prefix=//p' "$pc")
if [ "$prefix" != "/usr" ]; then
    echo "pkgconfig.sh: the installed libl2c.pc says prefix=$prefix, not /usr" \
         "(is $BUILD/libl2c.pc left over from another PREFIX?)" >&2
    exit 1
fi

cat > "$tmp/drive.c" <<'SRC'
/* An outside program: a lead from new to converted through the C API. */
#include <l2c.h>
#include <stdio.h>
#include <string.h>

#define CHECK(x)                                                                   \
    do {                                                                           \
        if (!(x)) {                                                                \
            fprintf(stderr, "drive: %s failed (%s)\n", #x,                         \
                    l2c_last_error_message(e));                                    \
            return 1;                                                              \
        }                                                                          \
    } while (0)

int main(void)
{
    l2c_engine *e = NULL;
    if (l2c_engine_new(&e, NULL) != 0 || strcmp(l2c_version(), L2C_VERSION_STRING) != 0)
        return 1;
    l2c_data *d = NULL, *opp = NULL;
    char *id = NULL, *out = NULL;
    const char *state = NULL;
    CHECK(l2c_data_new(&d) == 0);
    CHECK(l2c_data_set_string(d, "name", "Ines Ortega") == 0);
    CHECK(l2c_data_set_string(d, "company", "Ortega Foods") == 0);
    CHECK(l2c_create(&id, e, "lead", NULL, d, NULL) == 0);
    CHECK(strcmp(id, "L-000001") == 0);
    CHECK(l2c_fire(e, "lead", id, "qualify", NULL, NULL, 1) == 0);
    l2c_data_free(d);
    CHECK(l2c_data_new(&d) == 0);
    CHECK(l2c_data_set_object(&opp, d, "opportunity") == 0);
    CHECK(l2c_data_set_string(opp, "name", "Cold storage") == 0);
    CHECK(l2c_fire(e, "lead", id, "convert", d, NULL, 2) == 0);
    CHECK(l2c_get_state(&state, e, "lead", id) == 0 && strcmp(state, "converted") == 0);
    CHECK(l2c_get_state(&state, e, "account", "ACC-000001") == 0 && strcmp(state, "active") == 0);
    CHECK(l2c_exec_json(&out, e, "{\"op\":\"get\",\"type\":\"opportunity\",\"id\":\"OPP-000001\"}") == 0);
    CHECK(strstr(out, "\"state\":\"prospecting\"") != NULL);
    CHECK(l2c_events_last(e) == 5);
    printf("converted %s\n", id);
    l2c_free(out);
    l2c_free(id);
    l2c_data_free(d);
    l2c_engine_free(e);
    return 0;
}
SRC

flags=$(PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" \
        "$PKG_CONFIG" --cflags --libs libl2c) || {
    echo "pkgconfig.sh: pkg-config does not know the installed libl2c" >&2
    exit 1
}
case "$flags" in
*"-I$root/usr/include"*) ;;
*) echo "pkgconfig.sh: pkg-config gives no -I into the install: $flags" >&2; fail=1 ;;
esac
# A sanitizer build of the library needs its runtime in the program too.
san=""
if nm -D "$root/usr/lib/$real" | grep -q ' U __asan_'; then
    san="$san -fsanitize=address"
fi
if nm -D "$root/usr/lib/$real" | grep -q ' U __ubsan_'; then
    san="$san -fsanitize=undefined"
fi
# shellcheck disable=SC2086 # flags are words
if ! $CC -std=c11 -Wall -Wextra -Werror $san -o "$tmp/drive" "$tmp/drive.c" $flags \
        > "$tmp/cc.log" 2>&1; then
    echo "pkgconfig.sh: the program does not build with: $flags" >&2
    cat "$tmp/cc.log" >&2
    exit 1
fi
if command -v ldd >/dev/null 2>&1 &&
   ! LD_LIBRARY_PATH="$root/usr/lib" ldd "$tmp/drive" | grep -q "$root/usr/lib/libl2c.so.$major"; then
    echo "pkgconfig.sh: the program does not load the installed libl2c.so.$major" >&2
    fail=1
fi
got=$(LD_LIBRARY_PATH="$root/usr/lib" "$tmp/drive") || {
    echo "pkgconfig.sh: the program failed" >&2
    exit 1
}
if [ "$got" != "converted L-000001" ]; then
    echo "pkgconfig.sh: the program said '$got'" >&2
    fail=1
fi
exit $fail
