#!/bin/sh
# Regenerates the expected outputs of the "mkcsr inspect" tests
# (tests/cli/t0600-inspect-*.sh) in this directory, from a build:
#
#   sh tests/data/inspect/make-golden.sh BUILDDIR/mkcsr
#
# Each test runs as "make check" runs it, but with MKCSR_INSPECT_BLESS_DIR
# naming this directory: instead of comparing mkcsr's output with a file
# here, it writes the file, with the values that change whenever the
# fixtures get new keys put back as placeholders (see tests/cli/lib.sh).
# Only a developer runs it, when the output is meant to change: review the
# diff before committing.  Needs the OpenSSL 3 command line tool.

set -eu

[ $# -eq 1 ] || { echo "usage: sh $0 BUILDDIR/mkcsr" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
TESTS_SRCDIR=$(cd "$HERE/../.." && pwd)
MKCSR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$MKCSR" ] || { echo "make-golden.sh: $1 is not a program" >&2; exit 2; }
MKCSR_INSPECT_BLESS_DIR=$HERE
export MKCSR TESTS_SRCDIR MKCSR_INSPECT_BLESS_DIR

for test in "$TESTS_SRCDIR"/cli/t0600-inspect-*.sh; do
	status=0
	sh "$test" || status=$?
	case $status in
	0) ;;
	77) echo "make-golden.sh: $test skipped: its expected files were not written" >&2 ;;
	*) echo "make-golden.sh: $test failed" >&2; exit 1 ;;
	esac
done
