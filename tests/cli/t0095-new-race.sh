#!/bin/sh
# Two mkcsr new for the same host started at the same instant (both released
# by one FIFO): exactly one succeeds (exit 0), the other is refused (exit 4,
# "refusing to overwrite an existing file"), and what is on disk is one
# consistent result: the key and the request of the same run (same public
# key), the key 0600, no temporary file left; 50 rounds.
# With --force over an existing pair both succeed, one after the other, and
# the pair left is still one run's key and request (they used to interleave:
# one run's key beside the other's request).

. "$TESTS_SRCDIR/cli/lib.sh"

ROUNDS=50

# pair_matches DIR WHAT: the key in DIR is 0600 and its request's public key is its own.
pair_matches() {
	expect_mode "$1/vpn.example.com.key" 600
	# The public key in PEM both ways: two processes a round, not five.
	[ "$(openssl pkey -in "$1/vpn.example.com.key" -pubout)" = \
		"$(openssl req -in "$1/vpn.example.com.csr" -noout -pubkey)" ] ||
		fail "$2: the key and the request on disk do not belong together"
}

i=0
while [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	mkdir "new$i"
	race_run "new$i" --host vpn.example.com
	race_one_won "new$i" "mkcsr new, round $i"
	race_left "new$i" vpn.example.com.key vpn.example.com.csr
	pair_matches "new$i" "mkcsr new, round $i"
	rm -f "new$i"/code.* "new$i"/err.* "new$i"/out.*
	race_run "new$i" --host vpn.example.com --force
	[ "$(cat "$WORK/codes")" = "0 0 " ] ||
		{ cat "new$i/err.1" "new$i/err.2" >&2; fail "mkcsr new --force, round $i: exit codes $(cat "$WORK/codes")"; }
	race_left "new$i" vpn.example.com.key vpn.example.com.csr
	pair_matches "new$i" "mkcsr new --force, round $i"
	rm -rf "new$i"
done
