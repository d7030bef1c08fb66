#!/bin/sh
# Benchmark: one "mkcsr --host vpn.example.com" against the equivalent
# OpenSSL CLI command, in the same run on the same machine.
#
#   sh tests/bench/bench-new.sh [PATH-TO-MKCSR]     (or: make bench)
#
# Prints instruction counts (valgrind --tool=callgrind: repeatable even on
# a busy machine) and the median wall time over RUNS runs of each, with the
# ratios mkcsr/openssl.  Not a test: it asserts nothing about speed.
set -eu

MKCSR=${1:-${MKCSR:-mkcsr}}
RUNS=${RUNS:-21}
HOST=vpn.example.com
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

run_mkcsr() {
	rm -f "$HOST.key" "$HOST.csr"
	"$MKCSR" --host "$HOST" > /dev/null
}

run_openssl() {
	rm -f openssl.key openssl.csr
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
		-addext extendedKeyUsage=serverAuth \
		-keyout openssl.key -out openssl.csr 2> /dev/null
}

# median_ns FUNCTION: median wall time of RUNS runs, in nanoseconds.
median_ns() {
	i=0
	: > times
	while [ "$i" -lt "$RUNS" ]; do
		start=$(date +%s%N)
		"$1"
		end=$(date +%s%N)
		echo $((end - start)) >> times
		i=$((i + 1))
	done
	sort -n times | sed -n "$(((RUNS + 1) / 2))p"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'
}

echo "mkcsr:   $("$MKCSR" --version)"
echo "openssl: $(openssl version)"
echo "command: mkcsr --host $HOST"
echo "   vs.   openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=$HOST"
echo "           -addext subjectAltName=DNS:$HOST -addext extendedKeyUsage=serverAuth"
echo

if command -v valgrind > /dev/null 2>&1; then
	rm -f "$HOST.key" "$HOST.csr"
	valgrind --tool=callgrind --callgrind-out-file=cg.mkcsr "$MKCSR" --host "$HOST" > /dev/null 2> cg.mkcsr.log
	rm -f openssl.key openssl.csr
	valgrind --tool=callgrind --callgrind-out-file=cg.openssl openssl req -new -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$HOST" \
		-addext "subjectAltName=DNS:$HOST" -addext extendedKeyUsage=serverAuth \
		-keyout openssl.key -out openssl.csr > /dev/null 2> cg.openssl.log
	mk_ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' cg.mkcsr.log)
	os_ir=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' cg.openssl.log)
	printf '%-28s %14s %14s %8s\n' "" mkcsr openssl ratio
	printf '%-28s %14s %14s %8s\n' "instructions (callgrind)" "$mk_ir" "$os_ir" "$(ratio "$mk_ir" "$os_ir")"
else
	echo "valgrind is not installed: instruction counts skipped"
	printf '%-28s %14s %14s %8s\n' "" mkcsr openssl ratio
fi

mk_ns=$(median_ns run_mkcsr)
os_ns=$(median_ns run_openssl)
printf '%-28s %12sus %12sus %8s\n' "median wall time ($RUNS runs)" "$((mk_ns / 1000))" "$((os_ns / 1000))" \
	"$(ratio "$mk_ns" "$os_ns")"
