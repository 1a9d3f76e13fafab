#!/usr/bin/env bash
# Sync benchmark through the core (no HTTP yet): the initial sync of N
# insight (default 100,000) into an empty client, a sync with nothing to
# do, and a push of 1,000 changes — each beside a raw SQLite insert of the
# same records in the same run. Writes bench/SYNC-RESULTS.md.
#   bench/sync-bench.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
. build-aux/setup.sh
ih_install_missing "${IH_PACKAGES[@]}"

COUNT=${1:-100000}
BUILD_DIR=${BUILD_DIR:-_build-bench}
ih_build "$BUILD_DIR" --buildtype=release
out=bench/out/sync
mkdir -p "$out"

table=$("$BUILD_DIR/bench/sync-bench" --count "$COUNT" --push 1000 --dir "$out" \
          --server-exe "$BUILD_DIR/src/server/insight-hub-server")

cat > bench/SYNC-RESULTS.md <<MD
# Sync benchmark

\`bench/sync-bench.sh $COUNT\`, $(date -u +%Y-%m-%d), $(nproc) cores, load
average $(cut -d' ' -f1-3 /proc/loadavg) when it ended, SQLite $(pkg-config --modversion sqlite3).

Sync is driven through the core as the HTTP layer will drive it: the
server's functions on one store, the client's on another, every request
and reply written out as JSON text and parsed back; then the same initial
sync through the real \`insight-hub-server\` over HTTP on loopback (no
TLS). The raw SQLite insert is the reference: the same
rows through one prepared statement in one transaction into a plain
table, without the search index, the links or any checks.

$table

What each figure holds:

- *Initial sync*: the server reading its change feed in batches of 5,000
  (records and the activities and themes they refer to), the JSON text
  both ways, and the client writing every record with its links and
  search index and its cursor, one transaction a batch. The client's part
  is "apply"; with the server on its own machine the two overlap.
- *The same insight saved through the store*: what a CSV import of them
  costs on this machine, for comparison: most of the client's cost is the
  store's own work (checks, links, full-text index).
- *Nothing to do*: taking an empty outbox and pulling an empty batch.
- *Push*: the client's outbox read into one request, the server deciding
  each change (field revisions, merge, feed), and the reply applied.

Targets (issue 4): initial sync ≥ 20,000 records/s — **not met**; a
sync with nothing to do < 50 ms — met, in the core and over HTTP.
Where the initial sync's time goes: the client's apply runs at about
60 % of the store's own bulk save of the same records (second line: one
transaction, one index flush), because it commits and flushes the
full-text index once a batch and looks each record up twice (its rev,
its pending change); the store's save itself is bounded by the
full-text index with its prefix indexes, which the raw insert does not
build. Over HTTP the engine fetches, applies and commits one batch of
1,000 after another without overlap, and the server builds each batch
in its own process on the same two cores. What would close the gap:
fetch the next batch while the current one is applied, larger batches
for a first sync into an empty database, and building the index once at
the end of a first sync. On a shared machine the absolute figures vary
2–3× between runs (see the load average above); the ratios in the same
run are the figures to compare.
MD
cat bench/SYNC-RESULTS.md
