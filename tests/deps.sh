#!/bin/sh
# Install the Debian packages uiccboot needs to build and test, if missing.
# Idempotent; runs `apt-get update` only when something has to be installed.
set -eu
PKGS="make gcc g++ pkg-config clang libclang-rt-14-dev clang-format python3 \
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools opensc \
  libssl-dev libwbxml2-dev libwbxml2-utils libexpat1-dev libsqlite3-dev sqlite3 \
  libinih-dev libjson-c-dev libcmocka-dev \
  libosmocore-utils eapoltest openssl \
  valgrind time systemd man-db groff-base \
  libcurl4-openssl-dev kannel kannel-extras curl xxd"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
if [ "$(id -u)" != 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
