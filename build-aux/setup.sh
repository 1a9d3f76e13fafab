#!/usr/bin/env bash
# Installs what Insight Hub needs on Debian 12 (only what is missing),
# then configures and builds into $BUILD_DIR (default: _build).
# Sourced by run.sh and test.sh.
set -euo pipefail

IH_PACKAGES=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libsqlite3-dev sqlite3 libjson-glib-dev
  libgtk-4-dev libadwaita-1-dev itstool yelp-tools
  libsoup-3.0-dev libsodium-dev libsecret-1-dev libpoppler-glib-dev
)

# What the tests need besides: a display server and a session bus
IH_TEST_PACKAGES=(python3 xvfb xauth dbus-daemon at-spi2-core python3-pyatspi openssl
                  desktop-file-utils appstream groff-base
                  poppler-utils qpdf)

ih_install_missing () {
  local missing=() p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "Installing: ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

ih_build () {
  local build="$1"; shift
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$@" >&2
  else
    meson configure "$build" "$@" >&2
  fi
  ninja -C "$build" >&2
}
