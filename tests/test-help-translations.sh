#!/bin/sh
# Checks each translation of the user guide listed in help/LINGUAS:
# help/LANG/LANG.po has every message of a template made now from the C
# pages (none untranslated or fuzzy, so a changed English paragraph must be
# translated again) and passes msgfmt --check, and the pages itstool makes
# from it pass yelp-check validate, with no orphans or broken links.
# Usage: test-help-translations.sh HELP_SOURCE_DIR
set -u
help=$1
for tool in itstool yelp-check msgmerge msgattrib msgfmt; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "$tool not found (install itstool, yelp-tools and gettext)" >&2
    exit 77
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
pages=$(cd "$help/C" && ls *.page)

(cd "$help/C" && itstool -o "$tmp/help.pot" $pages legal.xml) || exit 1
n=$(grep -c '^msgid ' "$tmp/help.pot")

for lang in $(cat "$help/LINGUAS"); do
  po="$help/$lang/$lang.po"
  if ! msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/help.pot"; then
    echo "FAIL: $po cannot be merged with the guide's template" >&2
    status=1
    continue
  fi
  missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  [ "$missing" -gt 0 ] && missing=$((missing - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$missing" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo "FAIL: $po: $missing of the guide's $((n - 1)) messages untranslated, $fuzzy fuzzy:" >&2
    msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | sed -n '/^#:/,$p' | grep -v '^"' >&2
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" | sed -n '/^#:/,$p' | grep -v '^"' >&2
    echo "Update it: ninja -C BUILD help-insight-hub-update-po, then translate $po" >&2
    status=1
    continue
  fi
  if ! msgfmt --check -o "$tmp/$lang.mo" "$tmp/$lang.po"; then
    echo "FAIL: $po does not pass msgfmt --check" >&2
    status=1
    continue
  fi
  echo "ok: $po translates all $((n - 1)) messages of the guide"

  mkdir -p "$tmp/$lang/pages"
  # itstool keeps the English of a translation whose markup is broken, and
  # only warns: that fails here
  out=$(cd "$help/C" && itstool -m "$tmp/$lang.mo" -o "$tmp/$lang/pages/" $pages legal.xml 2>&1)
  if [ $? -ne 0 ] || [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    echo "FAIL: itstool cannot use every $lang translation (is the markup of one broken?)" >&2
    status=1
    continue
  fi
  for page in $pages; do
    out=$(yelp-check validate "$tmp/$lang/pages/$page" 2>&1)
    if [ $? -ne 0 ] || [ -n "$out" ]; then
      printf '%s\n' "$out" >&2
      echo "FAIL: $lang/$page" >&2
      status=1
    else
      echo "ok: $lang/$page"
    fi
  done
  # A translated figure replaces the C one of the same name: there must be one
  for fig in "$help/$lang/figures/"*.png; do
    [ -e "$fig" ] || continue
    if [ ! -f "$help/C/figures/$(basename "$fig")" ]; then
      echo "FAIL: $fig has no C figure of that name: no page shows it" >&2
      status=1
    fi
  done
  out=$(cd "$tmp/$lang/pages" && yelp-check orphans $pages 2>&1; yelp-check links $pages 2>&1)
  if [ -n "$out" ]; then
    printf '%s\n' "$out" >&2
    echo "FAIL: $lang: orphan pages or broken links" >&2
    status=1
  fi
done
exit $status
