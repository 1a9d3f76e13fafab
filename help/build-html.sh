#!/bin/sh
# Builds the HTML copy of the user guide, for desktops without Yelp: the
# C pages into OUT_DIR, and each translation of help/LINGUAS into
# OUT_DIR/LANG (its pages made by itstool from LANG/LANG.po, with the C
# figures). The app opens OUT_DIR/LANG/index.html for the first of the
# user's languages that has one.
# Usage: build-html.sh HELP_SOURCE_DIR OUT_DIR PAGE…
set -eu
src=$1; out=$2; shift 2
rm -rf "$out"
mkdir -p "$out"
pages=""
for p in "$@"; do
  pages="$pages $src/C/$p"
done
# shellcheck disable=SC2086
yelp-build html -o "$out/" $pages

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for lang in $(cat "$src/LINGUAS"); do
  mkdir -p "$tmp/$lang/pages" "$out/$lang"
  msgfmt -o "$tmp/$lang/$lang.mo" "$src/$lang/$lang.po"
  (cd "$src/C" && itstool -m "$tmp/$lang/$lang.mo" -o "$tmp/$lang/pages/" "$@" legal.xml)
  # The C figures, each replaced by the translation's own where it has one
  cp -r "$src/C/figures" "$tmp/$lang/pages/"
  if [ -d "$src/$lang/figures" ]; then
    cp "$src/$lang/figures/"*.png "$tmp/$lang/pages/figures/"
  fi
  translated=""
  for p in "$@"; do
    translated="$translated $tmp/$lang/pages/$p"
  done
  # shellcheck disable=SC2086
  yelp-build html -o "$out/$lang/" $translated
done
