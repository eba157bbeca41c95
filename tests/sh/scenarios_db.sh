#!/bin/sh
# The scenario files against a SQLite database: each file in one
# `l2c --db` run, and split at every clock command into parts that run one
# after another as separate processes on the same database file (the clock
# is not stored, so a part starts where the scenario sets it).
# Usage: sh tests/sh/scenarios_db.sh BUILD_DIR
set -u
BUILD=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/l2c-scen-db.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
for f in tests/scenarios/*.jsonl; do
    name=$(basename "$f" .jsonl)
    if ! L2C_SCENARIO_ARGS="--db $tmp/$name-whole.db" "$BUILD"/tests/run_scenario "$BUILD"/l2c "$f" > "$tmp/out" 2>&1; then
        echo "scenarios_db: $name in one --db run:" >&2
        cat "$tmp/out" >&2
        fail=1
        continue
    fi
    # split before every command that sets the clock (and succeeds)
    awk -v dir="$tmp" -v name="$name" '
        BEGIN { part = 0 }
        /"cmd":[ ]*\{[ ]*"op":[ ]*"clock"[ ]*,[ ]*"now"/ && /"result":[ ]*\{[ ]*"ok":[ ]*true/ && n > 0 { part++; n = 0 }
        { print > (dir "/" name "." sprintf("%03d", part) ".part"); n++ }
    ' "$f"
    parts=$(ls "$tmp/$name".*.part | wc -l)
    ok=1
    for p in "$tmp/$name".*.part; do
        if ! L2C_SCENARIO_ARGS="--db $tmp/$name-split.db" "$BUILD"/tests/run_scenario "$BUILD"/l2c "$p" > "$tmp/out" 2>&1; then
            echo "scenarios_db: $name split into $parts runs, part $(basename "$p"):" >&2
            cat "$tmp/out" >&2
            fail=1
            ok=0
            break
        fi
    done
    [ "$ok" = 1 ] && echo "scenarios_db: $name ok (1 run, and $parts runs)"
done
exit $fail
