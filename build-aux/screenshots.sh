#!/bin/sh
# Renders data/screenshots/*.png, the screenshots the AppStream metainfo
# lists, from the app built in BUILD_DIR: 2,000 made-up pieces of feedback
# (bench/ih-gen, fixed seed), a board meeting and a paper, in the C locale,
# at 1000 × 700. Run by `ninja -C BUILD_DIR screenshots`; needs a display
# or xvfb-run.
# Usage: screenshots.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/ih-gen" --rows 2000 --seed 7 --output "$tmp/sample.csv" >/dev/null
export LC_ALL=C.UTF-8 GSK_RENDERER=cairo ADW_DISABLE_PORTAL=1 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_SCHEMA_DIR="$build/data"
export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_STATE_HOME="$tmp/state" XDG_CACHE_HOME="$tmp/cache"
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$build/tests/ih-screenshots" "$tmp/sample.csv" "$src/data/screenshots"
fi
"$build/tests/ih-screenshots" "$tmp/sample.csv" "$src/data/screenshots"
