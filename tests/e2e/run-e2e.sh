#!/bin/sh
# End-to-end: the real application, driven as a person would through the
# accessibility bus. Usage: run-e2e.sh APP DRIVER
# Needs a display and a session bus (test.sh provides both).
set -eu
app="$1"
driver="$2"
work=$(mktemp -d)
trap 'kill "$app_pid" 2>/dev/null || true; kill "$bus_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

# Background processes must not hold the test's output open
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
bus_pid=$!
sleep 1

# Accessibility on, whatever the other tests set
unset GTK_A11Y NO_AT_BRIDGE
GSK_RENDERER=cairo ADW_DISABLE_PORTAL=1 "$app" --db "$work/e2e.db" >"$work/app.log" 2>&1 &
app_pid=$!

if ! /usr/bin/python3 "$driver" "$work/e2e.db"; then
  echo "# the application said:"
  sed 's/^/# /' "$work/app.log"
  exit 1
fi
