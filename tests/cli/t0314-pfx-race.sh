#!/bin/sh
# Two mkcsr pfx to the same --out started at the same instant (both released
# by one FIFO): exactly one succeeds (exit 0), the other is refused (exit 4,
# "refusing to overwrite an existing file"); the file left is 0600, opens
# with the password and holds the key; no temporary file is left; 50 rounds.

. "$TESTS_SRCDIR/cli/lib.sh"

ROUNDS=50

pfx_setup
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	i=$((i + 1))
	mkdir "pfx$i"
	race_run "pfx$i" pfx --cert ../in/good-chain.pem --key ../in/leaf.key --pass file:../in/pw --out both.pfx
	race_one_won "pfx$i" "mkcsr pfx, round $i"
	race_left "pfx$i" both.pfx
	expect_mode "pfx$i/both.pfx" 600
	openssl pkcs12 -in "pfx$i/both.pfx" -passin file:in/pw -nocerts -nodes 2> /dev/null |
		openssl pkey -pubout -outform DER 2> /dev/null | sha256_hex > "$WORK/pfxkey"
	[ "$(cat "$WORK/pfxkey")" = "$(key_spki_sha256 in/leaf.key)" ] || fail "mkcsr pfx, round $i: the PFX does not hold the key"
	rm -rf "pfx$i"
done
