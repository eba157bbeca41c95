#!/bin/sh
# A custom process through the CLI: `l2c --process FILE exec` with the
# shipped quote extension (examples/processes/quote_legal_review.json).
# Usage: sh tests/sh/custom_process.sh BUILD_DIR (run from the source tree).
set -u
BUILD=${1:-build}
L2C="$BUILD/l2c"
DEF=examples/processes/quote_legal_review.json
if ! "$L2C" --help 2>&1 | grep -q -- '--process'; then
    echo "SKIP: $L2C has no --process option"
    exit 0
fi
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
cat > "$tmp/cmds" <<'CMDS'
{"op":"clock","now":"2026-04-01T08:30:00Z"}
{"op":"create","type":"account","id":"ACC-1","data":{"name":"Ortega"}}
{"op":"create","type":"opportunity","id":"OPP-1","data":{"account":"ACC-1","name":"Deal"}}
{"op":"create","type":"quote","id":"Q-1","data":{"opportunity":"OPP-1","lines":[{"sku":"A","qty":1,"unit_price":"100.00"}]}}
{"op":"fire","type":"quote","id":"Q-1","event":"submit"}
{"op":"fire","type":"quote","id":"Q-1","event":"approve","actor":{"id":"m","roles":["sales_manager"]}}
{"op":"fire","type":"quote","id":"Q-1","event":"request_legal"}
{"op":"fire","type":"quote","id":"Q-1","event":"request_legal","actor":{"id":"l","roles":["legal"]}}
{"op":"list","type":"quote","state":"legal_review"}
{"op":"events","topic":"l2c/v1/sales/quote/request_legal/+"}
{"op":"fire","type":"quote","id":"Q-1","event":"send"}
{"op":"fire","type":"quote","id":"Q-1","event":"accept"}
CMDS
"$L2C" --process "$DEF" exec < "$tmp/cmds" > "$tmp/out" 2> "$tmp/err"
line() { sed -n "$1p" "$tmp/out"; }
expect() { # line number, fixed string that must be in it
    if ! line "$1" | grep -q -F -- "$2"; then
        echo "line $1 lacks $2: $(line "$1")"
        fail=1
    fi
}
[ "$(wc -l < "$tmp/out")" -eq 12 ] || { echo "expected 12 results"; cat "$tmp/out" "$tmp/err"; fail=1; }
expect 7 '"code":"forbidden"'
expect 8 '"state":"legal_review"'
expect 8 '"type":"l2c.quote.request_legal"'
expect 9 '"id":"Q-1"'
expect 10 '"subject":"Q-1"'
expect 10 '"type":"l2c.quote.request_legal"'
expect 11 '"from":"legal_review","to":"sent"'
expect 12 '"type":"l2c.opportunity.win"'
# the same commands without the definition: request_legal is no event of quote
"$L2C" exec < "$tmp/cmds" > "$tmp/plain" 2>/dev/null
sed -n 8p "$tmp/plain" | grep -q '"rule":"field.invalid"' || { echo "plain engine accepted request_legal"; fail=1; }
# the definition shows in `process show` and `asyncapi`
"$L2C" --process "$DEF" process show quote > "$tmp/show" || fail=1
grep -q '"legal_review"' "$tmp/show" || { echo "process show lacks legal_review"; fail=1; }
"$L2C" --process "$DEF" asyncapi | grep -q 'l2c/v1/sales/quote/request_legal/{id}' ||
    { echo "asyncapi lacks request_legal"; fail=1; }
# a bad definition stops the CLI with an error
echo '{"type":"quote","extends":true,"states":["limbo"]}' > "$tmp/bad.json"
if "$L2C" --process "$tmp/bad.json" exec < /dev/null > /dev/null 2> "$tmp/baderr"; then
    echo "a bad definition was accepted"; fail=1
fi
grep -q 'unreachable' "$tmp/baderr" || { echo "no reason given: $(cat "$tmp/baderr")"; fail=1; }
exit $fail
