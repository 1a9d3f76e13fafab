#!/usr/bin/env bash
# Sets everything up on Debian 12, builds with warnings as errors, runs the
# whole test suite and ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
. build-aux/setup.sh
set +e

ih_install_missing "${IH_PACKAGES[@]}" "${IH_TEST_PACKAGES[@]}" || exit 1
BUILD_DIR=${BUILD_DIR:-_build-test}
ih_build "$BUILD_DIR" -Dwerror=true ${MESON_ARGS:-} || { echo "0 passed, 1 failed"; exit 1; }

# GTK tests run on a virtual display with their own session bus
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2
status=$?

# Count the test cases (TAP lines) of every test program in meson's log
python3 - "$BUILD_DIR/meson-logs/testlog.json" <<'PY'
import json, re, sys
passed = failed = skipped = 0
for line in open(sys.argv[1], encoding="utf-8"):
    test = json.loads(line)
    out = test.get("stdout") or ""
    ok = len(re.findall(r"^ok \d+(?! # SKIP)", out, re.M))
    skip = len(re.findall(r"^ok \d+ # SKIP", out, re.M))
    bad = len(re.findall(r"^not ok \d+", out, re.M))
    if test["result"] in ("OK", "EXPECTEDFAIL"):
        passed += max(ok, 1) if skip == 0 else ok
        skipped += skip
    elif test["result"] == "SKIP":
        skipped += max(skip, 1)
    else:
        passed += ok
        skipped += skip
        failed += max(bad, 1)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
