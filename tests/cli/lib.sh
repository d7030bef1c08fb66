# Shared by the CLI and interop tests: sourced, never run.
#
# Each test is a POSIX shell script run by "make check" with MKCSR (the
# program), TESTS_SRCDIR and TESTS_BUILDDIR set.  It exits 0 on success,
# 77 to skip (only when an outside tool is missing), 1 on failure.  The
# helpers below fail the test at the first wrong result and say why.

set -u

: "${MKCSR:?MKCSR must name the mkcsr program (make check sets it)}"
: "${TESTS_SRCDIR:?TESTS_SRCDIR must be set (make check sets it)}"
DATA="$TESTS_SRCDIR/data"

# A private scratch directory, removed at exit; tests run inside it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-test.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 99

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

# run EXPECTED_EXIT ARGS...: runs mkcsr with ARGS, stdout in $WORK/out,
# stderr in $WORK/err, and fails unless it exits with EXPECTED_EXIT.
run() {
	expected=$1
	shift
	status=0
	"$MKCSR" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
	if [ "$status" -ne "$expected" ]; then
		printf '--- stdout\n' >&2; cat "$WORK/out" >&2
		printf '--- stderr\n' >&2; cat "$WORK/err" >&2
		fail "mkcsr $* exited $status, expected $expected"
	fi
}

# expect_err TEXT: stderr of the last run contains TEXT (a fixed string).
expect_err() {
	grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr lacks: $1"; }
}

# expect_out TEXT: stdout of the last run contains TEXT.
expect_out() {
	grep -qF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout lacks: $1"; }
}

# expect_lines FILE N: FILE has exactly N lines.
expect_lines() {
	n=$(wc -l < "$1")
	[ "$n" -eq "$2" ] || { cat "$1" >&2; fail "$1 has $n lines, expected $2"; }
}

# expect_no_files: the scratch directory holds nothing (no partial or temp file).
expect_no_files() {
	left=$(ls -A "$WORK" | grep -v -e '^out$' -e '^err$' || true)
	[ -z "$left" ] || fail "files were left behind: $left"
}

# expect_mode FILE MODE: FILE has the octal permission MODE (e.g. 600).
expect_mode() {
	mode=$(stat -c %a "$1")
	[ "$mode" = "$2" ] || fail "$1 has mode $mode, expected $2"
}

need() {
	command -v "$1" > /dev/null 2>&1 || skip "$1 is not installed"
}
