#!/usr/bin/env bash
# Sets everything up on Debian 12 and runs Insight Hub on a local database.
#   ./run.sh                 the desktop app, on your own database
#   ./run.sh --sample        the desktop app, on 5,000 made-up items
#   ./run.sh cli search bus  insight-hub-cli (init, import, export, search, stats)
set -euo pipefail
cd "$(dirname "$0")"
. build-aux/setup.sh

ih_install_missing "${IH_PACKAGES[@]}"
BUILD_DIR=${BUILD_DIR:-_build}
ih_build "$BUILD_DIR"

app="$BUILD_DIR/src/app/insight-hub"
# Settings schema from the build tree, until installed
export GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data"
# Translations and the HTML user guide from the build tree (try LANGUAGE=cy)
export INSIGHT_HUB_LOCALEDIR="$PWD/$BUILD_DIR/po"
export INSIGHT_HUB_HELP_HTML="$PWD/$BUILD_DIR/help/html"
cli="$BUILD_DIR/src/cli/insight-hub-cli"

case "${1:-}" in
  cli)
    shift
    exec "$cli" "$@"
    ;;
  --sample)
    # Made-up feedback, kept apart from the user's own database
    sample_dir=${XDG_DATA_HOME:-$HOME/.local/share}/insight-hub/sample
    mkdir -p "$sample_dir"
    db="$sample_dir/sample.db"
    if [ ! -f "$db" ]; then
      "$BUILD_DIR/bench/ih-gen" --rows 5000 --output "$sample_dir/sample.csv"
      "$cli" --db "$db" import "$sample_dir/sample.csv"
    fi
    exec "$app" --db "$db"
    ;;
  "")
    exec "$app"
    ;;
  *)
    echo "Usage: ./run.sh [--sample | cli COMMAND…]" >&2
    exit 2
    ;;
esac
