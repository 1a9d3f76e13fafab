#!/bin/sh
# Checks each translation: msgfmt --check must pass, and every message must
# be translated (no untranslated or fuzzy messages).
# Usage: test-po.sh PO_FILE…
status=0
for po in "$@"; do
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    printf '%s\n' "$stats" >&2
    echo "FAIL: $po does not pass msgfmt --check" >&2
    status=1
    continue
  fi
  case "$stats" in
    *untranslated*|*fuzzy*)
      echo "FAIL: $po is incomplete: $stats" >&2
      status=1 ;;
    *)
      echo "$po: $stats" ;;
  esac
done
exit $status
