#!/bin/sh
# Checks each translation against a template generated now from
# po/POTFILES.in (the same xgettext options as meson's "glib" preset, which
# the insight-hub-pot target uses): a message added or changed in the
# sources without a translation, or a translation left fuzzy, fails the test
# and is named with where it comes from.
# Usage: test-po-current.sh SOURCE_ROOT PO_FILE…
set -u
src=$1; shift
for tool in xgettext msgmerge msgattrib msgfmt; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "$tool not found (install gettext)" >&2
    exit 77
  fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! xgettext --package-name=insight-hub --from-code=UTF-8 --add-comments \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
    -D "$src" -f "$src/po/POTFILES.in" -o "$tmp/fresh.pot" 2>"$tmp/xgettext.log"; then
  cat "$tmp/xgettext.log" >&2
  echo "FAIL: xgettext could not extract the messages of po/POTFILES.in" >&2
  exit 1
fi
# A string xgettext cannot read as a C format (such as one built with
# G_GINT64_FORMAT) can never be translated: name it
if grep -q 'warning' "$tmp/xgettext.log"; then
  cat "$tmp/xgettext.log" >&2
  echo "FAIL: xgettext warns about the sources" >&2
  exit 1
fi

n=$(grep -c '^msgid ' "$tmp/fresh.pot")
status=0
for po in "$@"; do
  lang=$(basename "$po" .po)
  # No fuzzy matching: a message whose English changed must be translated again
  if ! msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/fresh.pot"; then
    echo "FAIL: $po cannot be merged with the template" >&2
    status=1
    continue
  fi
  missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # Each count includes the header entry when there is any other
  [ "$missing" -gt 0 ] && missing=$((missing - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$missing" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo "FAIL: $po: $missing of the template's $((n - 1)) messages untranslated, $fuzzy fuzzy:" >&2
    msgattrib --untranslated --no-obsolete --no-wrap "$tmp/$lang.po" | grep -v '^"' | sed -n '/^#:/,$p' >&2
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$tmp/$lang.po" | grep -v '^"' | sed -n '/^#:/,$p' >&2
    echo "Update it: ninja -C BUILD insight-hub-pot insight-hub-update-po, then translate $po" >&2
    status=1
  elif ! LC_ALL=C msgfmt --check -o /dev/null "$tmp/$lang.po"; then
    echo "FAIL: $po merged with the template does not pass msgfmt --check" >&2
    status=1
  else
    echo "$po: all $((n - 1)) messages of the current template translated"
  fi
done
exit $status
