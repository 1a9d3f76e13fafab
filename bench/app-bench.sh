#!/usr/bin/env bash
# Insight Hub app benchmark: start-up to first frame, keystroke to results
# and memory after scrolling every result, each beside a reference measured
# in the same process (see bench/ih-app-bench.c). Writes bench/out/app-*.
#   bench/app-bench.sh [DB]     (default: bench/out/ours-1000000.db from bench.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
. build-aux/setup.sh
ih_install_missing "${IH_PACKAGES[@]}" "${IH_TEST_PACKAGES[@]}" python3

DB=${1:-bench/out/ours-1000000.db}
BUILD_DIR=${BUILD_DIR:-_build-bench}
out=bench/out
mkdir -p "$out"
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=release >&2
fi
ninja -C "$BUILD_DIR" bench/ih-app-bench >&2

if [ ! -f "$DB" ]; then
  echo "$DB is missing: making a 200,000-insight one" >&2
  ninja -C "$BUILD_DIR" bench/ih-gen src/cli/insight-hub-cli >&2
  DB="$out/ours-200000.db"
  [ -f "$out/insight-200000.csv" ] || "$BUILD_DIR/bench/ih-gen" --rows 200000 --output "$out/insight-200000.csv"
  [ -f "$DB" ] || "$BUILD_DIR/src/cli/insight-hub-cli" --db "$DB" import "$out/insight-200000.csv" > /dev/null
fi

echo "== app benchmark on $DB" >&2
GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
GSK_RENDERER=cairo ADW_DISABLE_PORTAL=1 GTK_USE_PORTAL=0 NO_AT_BRIDGE=1 \
  xvfb-run -a dbus-run-session -- "$BUILD_DIR/bench/ih-app-bench" --db "$DB" \
  > "$out/app.tsv" 2> "$out/app.log"

python3 - "$out/app.tsv" "$out/app-results.md" <<'PY'
import sys
v = {}
keys = []
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "keystroke_ms":
        keys.append(f[1:])
    elif len(f) == 2:
        v[f[0]] = f[1]

def g(k, unit=""):
    return (v[k] + unit) if k in v else "–"

def ratio(a, b):
    try:
        return "%.2f" % (float(v[a]) / float(v[b]))
    except (KeyError, ValueError, ZeroDivisionError):
        return "–"

rows = [
    ("Store open", g("store_open_ms", " ms"), "–", "–", "–"),
    ("Start-up to first frame (p50 of 5, warm process)", g("startup_ours_p50_ms", " ms"),
     g("startup_reference_p50_ms", " ms") + " (empty AdwApplicationWindow + label)",
     g("startup_ratio"), "< 1 s"),
    ("Start-up, slowest of 5", g("startup_ours_max_ms", " ms"),
     g("startup_cold_reference_ms", " ms") + " (first, cold reference window)", "–", "< 1 s"),
    ("Keystroke to results p50 (%s keystrokes)" % g("keystrokes"), g("keystroke_ours_p50_ms", " ms"),
     g("keystroke_reference_p50_ms", " ms") + " (core count + fetch 100)", g("keystroke_ratio_p50"), "–"),
    ("Keystroke to results p95", g("keystroke_ours_p95_ms", " ms"),
     g("keystroke_reference_p95_ms", " ms"), g("keystroke_ratio_p95"), "< 100 ms"),
    ("Keystroke to results max", g("keystroke_ours_max_ms", " ms"), "–", "–", "–"),
    ("VmRSS after scrolling all %s items" % g("memory_all_items"), g("memory_all_rss_after_mb", " MB"),
     g("memory_narrow_rss_after_mb", " MB") + " (\"%s\", %s items)" % (g("memory_narrow_query"), g("memory_narrow_items")),
     g("memory_ratio_rss_after"), "< 250 MB"),
    ("VmHWM after scrolling all", g("memory_all_hwm_mb", " MB"), g("memory_narrow_hwm_mb", " MB"),
     g("memory_ratio_hwm"), "< 250 MB"),
    ("VmRSS before scrolling all", g("memory_all_rss_before_mb", " MB"), g("memory_narrow_rss_before_mb", " MB"), "–", "–"),
    ("Time to scroll all items", g("memory_all_scroll_ms", " ms"), g("memory_narrow_scroll_ms", " ms"), "–", "–"),
    ("Windows held after scrolling", g("memory_all_windows_held"), g("memory_narrow_windows_held"), "–", "≤ 8"),
]
with open(sys.argv[2], "w", encoding="utf-8") as md:
    md.write("# App benchmark\n\nDatabase: `%s`. In one process under Xvfb, GSK_RENDERER=cairo; "
             "references measured in the same run (see bench/ih-app-bench.c).\n\n" % g("db"))
    md.write("| Figure | Ours | Reference | Ratio | Target |\n|---|---|---|---|---|\n")
    for r in rows:
        md.write("| %s |\n" % " | ".join(r))
    md.write("\n## Per keystroke (ms)\n\n| Prefix | Model | Core |\n|---|---|---|\n")
    for k in keys:
        md.write("| `%s` | %s | %s |\n" % tuple(k))
print(open(sys.argv[2], encoding="utf-8").read())
PY
