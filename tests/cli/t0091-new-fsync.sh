#!/bin/sh
# mkcsr new makes its files durable with one fsync per file and one per
# directory: key, request and the directory they share is three fsyncs
# (counted with strace -c), with --write-inf four, and a key and a request
# in two directories fsync both directories.

. "$TESTS_SRCDIR/cli/lib.sh"
need strace

# fsyncs PROGRAM-ARGS...: prints how many fsync and fdatasync calls the run made.
# (LeakSanitizer cannot run under ptrace: an ASan build checks leaks elsewhere.)
fsyncs() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace -f -c -o "$WORK/strace" -e trace=fsync,fdatasync "$MKCSR" "$@" > /dev/null 2> "$WORK/err" ||
		{ cat "$WORK/err" >&2; fail "mkcsr $* failed under strace"; }
	awk '$NF == "fsync" || $NF == "fdatasync" { n += $4 } END { print n + 0 }' "$WORK/strace"
}

n=$(fsyncs new --host vpn.example.com)
[ "$n" = 3 ] || { cat "$WORK/strace" >&2; fail "mkcsr new made $n fsyncs, expected 3"; }
expect_files vpn.example.com.key vpn.example.com.csr strace

n=$(fsyncs new --host vpn.example.com --force --write-inf vpn.inf)
[ "$n" = 4 ] || { cat "$WORK/strace" >&2; fail "mkcsr new --write-inf made $n fsyncs, expected 4"; }

mkdir keys reqs
n=$(fsyncs new --host vpn.example.com --key keys/vpn.key --csr reqs/vpn.csr)
[ "$n" = 4 ] || { cat "$WORK/strace" >&2; fail "key and request in two directories: $n fsyncs, expected 4"; }
[ -s keys/vpn.key ] && [ -s reqs/vpn.csr ] || fail "the key or the request is missing"
exit 0
