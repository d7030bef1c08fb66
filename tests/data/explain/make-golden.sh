#!/bin/sh
# Developer tool, not a test: regenerate the golden outputs of
# "mkcsr explain" (NAME.txt and NAME.json beside this script) from a built
# mkcsr, for the cases listed in cases.sh.
#
#   sh tests/data/explain/make-golden.sh /tmp/build/mkcsr
#
# Run it only when the output is meant to change (a new case, a reworded
# entry in src/winerr.def, a new line in the report), then read
# "git diff tests/data/explain" line by line before committing: the golden
# files are the specification the tests hold the program to.  The tests
# (tests/cli/t0500-explain-*.sh) only compare; they never write these files.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 PATH/TO/mkcsr" >&2
	exit 2
fi
MKCSR=$1
[ -x "$MKCSR" ] || { echo "$0: $MKCSR is not an executable" >&2; exit 2; }
dir=$(cd "$(dirname "$0")" && pwd)
err=$(mktemp "${TMPDIR:-/tmp}/make-golden.XXXXXX")
trap 'rm -f "$err"' EXIT

# explain_case NAME ARG...: writes NAME.txt and NAME.json; every case must
# succeed and print nothing on standard error.
explain_case() {
	name=$1
	shift
	for form in txt json; do
		if [ "$form" = json ]; then
			set -- --json "$@"
		fi
		"$MKCSR" explain "$@" > "$dir/$name.$form" 2> "$err" || {
			cat "$err" >&2
			echo "$0: mkcsr explain $* failed" >&2
			exit 1
		}
		[ ! -s "$err" ] || { cat "$err" >&2; echo "$0: mkcsr explain $* wrote to standard error" >&2; exit 1; }
	done
	printf '%s\n' "$name"
}

. "$dir/cases.sh"
explain_cases
