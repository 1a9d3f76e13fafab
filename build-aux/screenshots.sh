#!/bin/sh
# Renders, from the app built in BUILD_DIR, on 2,000 made-up pieces of
# feedback (bench/ih-gen, fixed seed) with a board meeting and a paper, at
# 1000 × 700:
#   data/screenshots/*.png   in the C locale: the screenshots the AppStream
#                            metainfo lists
#   help/LANG/figures/*.png  for each language of help/LINGUAS: the
#                            translated guide's figures of the same views,
#                            and of the activities, the sync preferences and
#                            a conflict (made with a sync server in process)
# Run by `ninja -C BUILD_DIR screenshots`; needs a display or xvfb-run.
# Usage: screenshots.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/ih-gen" --rows 2000 --seed 7 --output "$tmp/sample.csv" >/dev/null
export LC_ALL=C.UTF-8 GSK_RENDERER=cairo ADW_DISABLE_PORTAL=1 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_SCHEMA_DIR="$build/data"
# Each run in its own home: no draft or window state left by the one before
run () {
  home=$(mktemp -d "$tmp/home.XXXXXX")
  export XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" XDG_CACHE_HOME="$home/cache"
  if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    xvfb-run -a -s "-screen 0 1280x1024x24" "$build/tests/ih-screenshots" "$@"
  else
    "$build/tests/ih-screenshots" "$@"
  fi
}
run "$tmp/sample.csv" "$src/data/screenshots"
for lang in $(cat "$src/help/LINGUAS"); do
  run "$tmp/sample.csv" "$src/help/$lang/figures" "$lang" "$build/po"
done
