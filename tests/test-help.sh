#!/bin/sh
# Validates the Mallard help pages with yelp-check (package yelp-tools).
# Usage: test-help.sh PAGE…
if ! command -v yelp-check >/dev/null 2>&1; then
  echo "yelp-check not found (install yelp-tools)" >&2
  exit 77
fi
status=0
for page in "$@"; do
  out=$(yelp-check validate "$page" 2>&1)
  if [ $? -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    echo "FAIL: $page" >&2
    status=1
  else
    echo "ok: $page"
  fi
done
# Every page must be linked from the guide, and every link must resolve
dir=$(dirname "$1")
out=$(cd "$dir" && yelp-check orphans *.page 2>&1; yelp-check links *.page 2>&1)
if [ -n "$out" ]; then
  printf '%s\n' "$out" >&2
  echo "FAIL: orphan pages or broken links" >&2
  status=1
fi
exit $status
