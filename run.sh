#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs Insight Hub on a local database.
#   ./run.sh                 a sample database, then a search of it
#   ./run.sh search "bus"    any insight-hub-cli command, on your own database
set -euo pipefail
cd "$(dirname "$0")"
. build-aux/setup.sh

ih_install_missing "${IH_PACKAGES[@]}"
BUILD_DIR=${BUILD_DIR:-_build}
ih_build "$BUILD_DIR"

cli="$BUILD_DIR/src/cli/insight-hub-cli"

if [ $# -gt 0 ]; then
  exec "$cli" "$@"
fi

# No command: show it working on a sample of made-up feedback, kept apart
# from the user's own database
sample_dir=${XDG_DATA_HOME:-$HOME/.local/share}/insight-hub/sample
mkdir -p "$sample_dir"
db="$sample_dir/sample.db"
if [ ! -f "$db" ]; then
  "$BUILD_DIR/bench/ih-gen" --rows 5000 --output "$sample_dir/sample.csv"
  "$cli" --db "$db" import "$sample_dir/sample.csv"
fi
"$cli" --db "$db" stats
echo
echo "\$ insight-hub-cli search 'waiting theme:\"Mental health\"' --limit 3"
"$cli" --db "$db" search 'waiting theme:"Mental health"' --limit 3
cat <<TXT

This was a sample database ($db).
Your own: ./run.sh init, ./run.sh import FILE.csv, ./run.sh search WORDS
(or $cli --help).
TXT
