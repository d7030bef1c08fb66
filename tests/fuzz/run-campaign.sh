#!/bin/sh
# A fuzzing campaign: every harness in turn for SECONDS seconds, starting
# from its committed seed corpus (read only: what libFuzzer finds goes to a
# work directory outside the tree), then a table of executions,
# executions per second, coverage (libFuzzer's final cov: and ft:) and
# crashes.  Needs the libFuzzer build:
#
#   ./configure --enable-fuzzing CC=clang && make fuzz
#   sh tests/fuzz/run-campaign.sh SECONDS [BUILDDIR [HARNESS...]]
#
# BUILDDIR is where "make fuzz" ran (default: this source tree); HARNESS
# names (chain, pfx, ...) run only those, so that two halves of a campaign
# can share the machine's cores.  Each
# harness's log, new inputs and any crash reproducer stay in the work
# directory, whose name is printed; KEEP=no removes it at the end.  Exits 1
# when a harness crashed (its reproducer is named), 2 on a usage error.
set -u

[ $# -ge 1 ] && [ "$1" -gt 0 ] 2> /dev/null || { echo "usage: $0 SECONDS [BUILDDIR [HARNESS...]]" >&2; exit 2; }
SECONDS_EACH=$1
SRC=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${2:-$SRC/../..}" && pwd)/tests/fuzz
[ $# -ge 2 ] && shift 2 || set --
if [ $# -eq 0 ]; then
	for src in "$SRC"/fuzz_*.c; do
		name=$(basename "$src" .c)
		set -- "$@" "${name#fuzz_}"
	done
fi
for name in "$@"; do
	[ -f "$SRC/fuzz_$name.c" ] || { echo "$0: no harness '$name' (tests/fuzz/fuzz_$name.c)" >&2; exit 2; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-campaign.XXXXXX") || exit 2
[ "${KEEP:-yes}" = no ] && trap 'rm -rf "$WORK"' EXIT

crashed=0
printf '%-10s %12s %10s %8s %8s %8s  %s\n' harness executions "exec/s" cov ft crashes reproducer
for name in "$@"; do
	bin=$BUILD/fuzz_$name
	if ! "$bin" -help=1 2>&1 | grep -q '^Usage:'; then
		echo "$bin is not a libFuzzer binary: ./configure --enable-fuzzing CC=clang && make fuzz" >&2
		exit 2
	fi
	mkdir -p "$WORK/$name/corpus" "$WORK/$name/artifacts"
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -artifact_prefix="$WORK/$name/artifacts/" \
		"$WORK/$name/corpus" "$SRC/corpus/$name" > "$WORK/$name/log" 2>&1
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$name/log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$WORK/$name/log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$WORK/$name/log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	crashes=$(ls -A "$WORK/$name/artifacts" | wc -l)
	repro=$(ls -A "$WORK/$name/artifacts" | head -n 1)
	[ "$crashes" -eq 0 ] || crashed=1
	printf '%-10s %12s %10s %8s %8s %8s  %s\n' "fuzz_$name" "${runs:--}" "${rate:--}" "${cov:--}" "${ft:--}" \
		"$crashes" "${repro:+$WORK/$name/artifacts/$repro}"
done
echo "work directory: $WORK"
exit "$crashed"
