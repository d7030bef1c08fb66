#!/bin/sh
# mkcsr inspect on a PFX made by "openssl pkcs12 -export -legacy", whose
# certificates are encrypted with RC2-40: OpenSSL 3 decrypts that only
# with its legacy provider, which mkcsr loads for such a file alone.  The
# file says so, and that Windows imports it.  When the provider cannot be
# loaded, that is said, in one line, and nothing is shown.  Compared with
# tests/data/inspect/pfx-legacy.*.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
inspect_setup
printf '%s\n' "$PFX_PASS" > pw

openssl pkcs12 -export -legacy -in leaf-good.pem -inkey leaf.key -certfile inter-ca.pem -name vpn.example.com \
	-CSP "Microsoft Software Key Storage Provider" -LMK -passout file:pw -out legacy.pfx 2> openssl.err ||
	skip "openssl cannot make a -legacy PFX here (no legacy provider?): $(cat openssl.err)"

inspect_expect pfx-legacy.txt --at "$INSPECT_AT" --pass file:pw legacy.pfx
inspect_expect pfx-legacy.json --at "$INSPECT_AT" --pass file:pw --json legacy.pfx

# A directory without the provider.
mkdir no-modules
OPENSSL_MODULES=$WORK/no-modules
export OPENSSL_MODULES
run 1 inspect --pass file:pw legacy.pfx
expect_no_out
expect_err_exactly "mkcsr inspect: OpenSSL's legacy provider is not available: 'legacy.pfx': its certificates are encrypted with pbeWithSHA1And40BitRC2-CBC (RC2-40), which OpenSSL 3 decrypts only with that provider, and it cannot be loaded from $WORK/no-modules" \
	"mkcsr inspect: hint: install it (legacy.so; Debian 13 and later: apt install openssl-provider-legacy) or point OPENSSL_MODULES at its directory; or export the file again with 3DES or AES"
# A PFX that needs no legacy algorithm still opens.
"$MKCSR" pfx --cert fullchain.pem --key leaf.key --pass file:pw --force -q -o compat.pfx 2> /dev/null ||
	fail "mkcsr pfx failed"
run 0 inspect --pass file:pw compat.pfx
exit 0
