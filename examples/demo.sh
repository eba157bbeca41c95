#!/bin/sh
# demo.sh: the l2c commands for people, on a throw-away database.
# Usage: sh examples/demo.sh [path/to/l2c]   (default build/l2c)
set -eu
L2C=${1:-build/l2c}
L2C_DB="${TMPDIR:-/tmp}/l2c-demo-$$.db"
export L2C_DB
trap 'rm -f "$L2C_DB" "$L2C_DB-wal" "$L2C_DB-shm"' EXIT INT TERM

# The clock is not stored: every invocation gets its time with --now.
now=2026-04-01T09:00:00Z
l2c() {
    printf '\n$ l2c %s\n' "$*"
    "$L2C" --now "$now" "$@"
}

lead=$("$L2C" --now "$now" lead create --name 'Ines Ortega' --email ines@example.org \
    --company 'Ortega Foods' --source webinar --quiet)
echo "created lead $lead"
l2c fire lead "$lead" qualify --as rep-3 --role sales_rep
l2c fire lead "$lead" convert \
    'opportunity={"name":"Cold storage","amount":"8700.00","close_date":"2026-06-30"}' --quiet

now=2026-04-02T10:00:00Z
quote=$("$L2C" --now "$now" create quote opportunity=OPP-000001 valid_until=2026-04-30 \
    'lines=[{"sku":"FRZ-200","description":"Freezer unit","qty":2,"unit_price":"4800.00","discount_pct":"25","tax_rate_pct":"21"},{"sku":"INST","description":"Installation","qty":1,"unit_price":"950.00","tax_rate_pct":"21"}]' \
    --quiet)
l2c fire quote "$quote" send || echo "(refused, as it should be: the discount needs approval)"
l2c fire quote "$quote" submit --quiet
l2c fire quote "$quote" approve --as mgr-1 --role sales_manager --quiet
l2c fire quote "$quote" send --quiet
l2c fire quote "$quote" accept
l2c fire order SO-000001 confirm --quiet

now=2026-04-10T10:00:00Z
l2c fire order SO-000001 fulfill 'lines=[{"line":1,"qty":2},{"line":2,"qty":1}]' --quiet
l2c create invoice order=SO-000001 --quiet
l2c fire invoice INV-000001 issue --quiet
l2c create payment account=ACC-000001 amount=5000.00 method=bank_transfer \
    'allocations=[{"invoice":"INV-000001","amount":"5000.00"}]' --quiet
l2c show invoice INV-000001

now=2026-05-20T08:00:00Z
l2c sweep
l2c list invoice
l2c events --topic 'l2c/v1/billing/#'
