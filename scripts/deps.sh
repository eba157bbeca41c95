#!/bin/sh
# Installs what libl2c needs to build and test on Debian/Ubuntu (idempotent).
set -e
PKGS="build-essential pkg-config libcjson-dev uthash-dev check libsqlite3-dev valgrind"
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update
    $SUDO apt-get install -y $missing
fi
