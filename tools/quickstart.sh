#!/bin/sh
# The README's first command: install what is missing, build mkcsr, and make
# a request for vpn.example.com in a scratch directory.
#
#   sh tools/quickstart.sh
#
# Runs as root, or as a user who may sudo (only apt-get is run with sudo).
# Safe to run again: it installs nothing that is already there.
set -eu
cd "$(dirname "$0")/.."

# Build tools and libraries, then the tools the test suite hands our files to.
PACKAGES="build-essential autoconf automake autoconf-archive pkg-config
	libssl-dev libpopt-dev libjansson-dev libidn2-dev libcmocka-dev
	openssl gnutls-bin python3 python3-cryptography valgrind pebble lego curl libnss3-tools strace"
# mkcsr probe's interop test runs Debian's SSTP client against the test SSTP server.
PACKAGES="$PACKAGES sstp-client"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "Installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing > /dev/null
fi

# OpenSSL's legacy provider, which legacy (RC2-40) PFX files need and the
# tests make some with: part of libssl3 up to Debian 12, a package of its own
# (openssl-provider-legacy) from Debian 13 on.
if [ ! -f "$(openssl version -m | sed 's/^MODULESDIR: "\(.*\)"$/\1/')/legacy.so" ]; then
	echo "Installing: openssl-provider-legacy"
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl-provider-legacy > /dev/null
fi

# The PowerShell parser that tests/cli/t0810-examples-powershell.sh runs over
# examples/*.ps1: a tree-sitter grammar compiled to WebAssembly, run by Node
# (nothing is built), from the npm registry into tools/ps-parser/node_modules,
# at the versions of tools/ps-parser/package-lock.json.
if [ ! -f tools/ps-parser/node_modules/web-tree-sitter/package.json ] ||
	[ ! -f tools/ps-parser/node_modules/tree-sitter-powershell/package.json ]; then
	if ! command -v npm > /dev/null 2>&1; then
		echo "Installing: nodejs npm"
		if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm > /dev/null
	fi
	echo "Installing the PowerShell parser for the tests (npm ci in tools/ps-parser)"
	npm ci --prefix tools/ps-parser --loglevel=error > /dev/null
fi

./autogen.sh > /dev/null
./configure --quiet
make -j"$(nproc)" > /dev/null

# A request in a scratch directory, where its key lies, and how to run mkcsr next.
sh tools/quickstart-demo.sh "$PWD/mkcsr"
