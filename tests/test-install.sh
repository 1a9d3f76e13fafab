#!/bin/sh
# Installs the build into a temporary DESTDIR and checks that what a
# distribution package would ship is there and runs from there.
# Usage: test-install.sh BUILD_DIR PREFIX APPLICATION_ID
# (APPLICATION_ID: org.insighthub.InsightHub, or .Devel for -Dprofile=development)
set -u
build=$1
prefix=$2
app_id=${3:-org.insighthub.InsightHub}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT INT TERM
root="$dest$prefix"
status=0
n=0

check () {
  n=$((n + 1))
  if "$@" >/dev/null 2>&1; then
    echo "ok $n - $*"
  else
    echo "not ok $n - $*"
    status=1
  fi
}

if ! out=$(meson install -C "$build" --destdir "$dest" --no-rebuild --quiet 2>&1); then
  printf '%s\n' "$out" | sed 's/^/# /'
  echo "1..1"
  echo "not ok 1 - meson install --destdir"
  exit 1
fi

for f in \
    bin/insight-hub bin/insight-hub-cli bin/insight-hub-server \
    share/applications/$app_id.desktop \
    share/metainfo/$app_id.metainfo.xml \
    share/glib-2.0/schemas/$app_id.gschema.xml \
    share/icons/hicolor/scalable/apps/$app_id.svg \
    share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg \
    share/locale/cy/LC_MESSAGES/insight-hub.mo \
    share/help/C/insight-hub/index.page \
    share/help/C/insight-hub/figures/library.png \
    share/doc/insight-hub/html/index.html \
    share/help/cy/insight-hub/index.page \
    share/help/cy/insight-hub/figures/library.png \
    share/doc/insight-hub/html/cy/index.html \
    share/man/man1/insight-hub.1 share/man/man1/insight-hub-cli.1 \
    share/man/man8/insight-hub-server.8; do
  check test -s "$root/$f"
done

# A translated guide shows its own figures where it has them
srcdir=$(dirname "$0")/..
for fig in "$srcdir"/help/cy/figures/*.png; do
  [ -e "$fig" ] || continue
  check cmp "$fig" "$root/share/help/cy/insight-hub/figures/$(basename "$fig")"
  check cmp "$fig" "$root/share/doc/insight-hub/html/cy/figures/$(basename "$fig")"
done

# Everything a desktop looks up by the application id names it: a
# development build installs beside a release one
check grep -qx "Icon=$app_id" "$root/share/applications/$app_id.desktop"
check grep -q "<id>$app_id</id>" "$root/share/metainfo/$app_id.metainfo.xml"
check grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$root/share/metainfo/$app_id.metainfo.xml"
check grep -q "<schema id=\"$app_id\" path=\"/$(echo "$app_id" | sed 's/\./\//g')/\">" "$root/share/glib-2.0/schemas/$app_id.gschema.xml"

# The installed programs run from the prefix and report this version
version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$(dirname "$0")/../meson.build" | head -n 1)
for prog in insight-hub insight-hub-cli insight-hub-server; do
  n=$((n + 1))
  got=$("$root/bin/$prog" --version 2>&1)
  case "$got" in
    *"$version"*) echo "ok $n - $prog --version: $got" ;;
    *) echo "not ok $n - $prog --version printed “$got”, expected $version"; status=1 ;;
  esac
done

# The installed schema compiles on its own
n=$((n + 1))
if glib-compile-schemas --strict --dry-run "$root/share/glib-2.0/schemas" 2>&1; then
  echo "ok $n - installed schema compiles"
else
  echo "not ok $n - installed schema compiles"
  status=1
fi

echo "1..$n"
exit $status
