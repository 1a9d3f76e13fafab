#!/usr/bin/env bash
# Two insight-hub-server binaries compared on the same first sync over
# HTTP, run in turn so both meet the same load on a shared machine: the
# server's CPU time, the wall time and records/s, medians of ROUNDS runs,
# and the ratio of the second to the first (the reference).
#   bench/sync-server-compare.sh OLD_SERVER NEW_SERVER DIR [ROUNDS]
# DIR holds the server.db of a full run, e.g.
#   sync-bench --count 100000 --push 1000 --dir DIR --server-exe OLD_SERVER
# SYNC_BENCH names the sync-bench binary (default _build-bench/bench/sync-bench).
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
old=$1
new=$2
dir=$3
rounds=${4:-7}
bench=${SYNC_BENCH:-_build-bench/bench/sync-bench}
[ -f "$dir/server.db" ] || { echo "$dir/server.db: no such file (make it with a full sync-bench run)" >&2; exit 1; }

out=$(mktemp)
trap 'rm -f "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for which in old new; do
    if [ "$which" = old ]; then exe=$old; else exe=$new; fi
    line=$("$bench" --http-only --once --dir "$dir" --server-exe "$exe" | tail -1)
    # "... records in N batches, W s, R records/s; ... CPU s: apply A, fetch F, server S"
    wall=$(sed -n 's/.* batches, \([0-9.]*\) s, .*/\1/p' <<<"$line")
    rate=$(sed -n 's/.* s, \([0-9]*\) records\/s;.*/\1/p' <<<"$line")
    server=$(sed -n 's/.*server \([0-9.]*\).*/\1/p' <<<"$line")
    [ -n "$wall" ] && [ -n "$rate" ] && [ -n "$server" ] || { echo "unexpected output: $line" >&2; exit 1; }
    echo "$which $server $wall $rate" >>"$out"
  done
done

median () {
  sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col () {
  awk -v w="$1" -v c="$2" '$1 == w { print $c }' "$out" | median
}

echo "| server | server CPU s (median of $rounds) | wall s | records/s |"
echo "| --- | --- | --- | --- |"
for which in old new; do
  echo "| $which | $(col $which 2) | $(col $which 3) | $(col $which 4) |"
done
awk -v o="$(col old 2)" -v n="$(col new 2)" -v ow="$(col old 3)" -v nw="$(col new 3)" \
  'BEGIN { printf "| new / old | %.2f | %.2f | |\n", n / o, nw / ow }'
