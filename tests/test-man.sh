#!/bin/sh
# Renders each manual page and fails on any groff/man warning.
# Usage: test-man.sh PAGE…
status=0
for page in "$@"; do
  if command -v groff >/dev/null 2>&1; then
    out=$(LC_ALL=C.UTF-8 groff -man -ww -z -Tutf8 "$page" 2>&1)
  else
    out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
  fi
  rc=$?
  if [ $rc -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    echo "FAIL: $page" >&2
    status=1
  else
    echo "ok: $page"
  fi
done
exit $status
