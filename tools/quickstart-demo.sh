#!/bin/sh
# The end of the quick start (tools/quickstart.sh): a request for
# vpn.example.com made with the mkcsr just built, in a new scratch
# directory, then where its key lies and how to run mkcsr next.
#
#   sh tools/quickstart-demo.sh [MKCSR]      (default: mkcsr in the source tree)
#
# Asks nothing, and makes a new directory each time it runs.
set -eu
cd "$(dirname "$0")/.."
program=${1:-$PWD/mkcsr}
[ -x "$program" ] || { echo "quickstart-demo.sh: $program is not built" >&2; exit 1; }
built_in=$(cd "$(dirname "$program")" && pwd)

demo=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-demo.XXXXXX")
echo
echo "\$ cd $demo && mkcsr --host vpn.example.com"
(cd "$demo" && "$program" --host vpn.example.com < /dev/null)
echo
ls -l "$demo"

if [ "$(id -u)" -eq 0 ]; then install="make install"; else install="sudo make install"; fi
cat << EOF_NEXT

The demo's private key is $demo/vpn.example.com.key (mode 0600)
and its request $demo/vpn.example.com.csr; remove them when done:
  rm -r $demo

Run mkcsr where it was built, as ./mkcsr:
  cd $built_in
  ./mkcsr templates
  ./mkcsr new --template sstp --host vpn.example.com
  ./mkcsr --help
or install it (program, role templates, man page, bash completion) and run it as mkcsr:
  $install
EOF_NEXT
