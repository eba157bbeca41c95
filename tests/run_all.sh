#!/bin/sh
# Runs every test of a build tree: the Check suites, the scenario files
# through the CLI, the header test and the export test.
#   L2C_VALGRIND=1  run the suites and the CLI under valgrind
#   L2C_LONG=1      longer randomized runs (check-long)
set -u
BUILD=${1:-build}
fail=0
pass=0
VG=""
if [ "${L2C_VALGRIND:-0}" = 1 ]; then
    VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect"
    export CK_FORK=no
    # the property test reads this (valgrind cannot be detected from inside)
    export L2C_PROPERTY_N=${L2C_PROPERTY_N:-2000}
    # run_scenario runs the CLI under this
    export L2C_SCENARIO_WRAPPER="$VG"
fi
run() {
    name=$1; shift
    if "$@"; then
        pass=$((pass + 1)); echo "PASS: $name"
    else
        fail=$((fail + 1)); echo "FAIL: $name"
    fi
}
for t in "$BUILD"/tests/check_*; do
    [ -x "$t" ] || continue
    run "$(basename "$t")" $VG "$t"
done
for f in tests/scenarios/*.jsonl; do
    [ -e "$f" ] || continue
    run "scenario $(basename "$f")" "$BUILD"/tests/run_scenario "$BUILD"/l2c "$f"
done
for s in tests/sh/*.sh; do
    [ -e "$s" ] || continue
    run "$(basename "$s")" sh "$s" "$BUILD"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
