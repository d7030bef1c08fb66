#!/bin/sh
# mkcsr inspect on certificate requests: the six requests made on Windows
# (tests/data/windows-csr: certlm, PowerShell and certreq, RSA and ECDSA,
# one signed with RSASSA-PSS) with their Microsoft attributes decoded (OS
# version and its Windows release, client info, enrollment CSP) and their
# signatures verified; mkcsr's own request (leaf.csr) in its Base64 and DER
# forms; a request whose signature does not verify.  Text and JSON, each
# compared with tests/data/inspect/csr-*.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup

for i in 1 2 3 4 5 6; do
	inspect_expect "csr-sample$i.txt" "sample$i.csr"
	inspect_expect "csr-sample$i.json" --json "sample$i.csr"
done
inspect_expect csr-leaf.txt leaf.csr
inspect_expect csr-leaf.json --json leaf.csr
openssl req -in leaf.csr -outform DER -out leaf-csr.der || fail "openssl cannot convert leaf.csr"
inspect_expect csr-leaf-der.txt leaf-csr.der

# The signature is checked: a request whose last signature byte is changed
# is shown, with "no".
flip_last_byte leaf-csr.der bad-sig.der
run 0 inspect bad-sig.der
expect_out_line "  Signature verifies:           no"
run 0 inspect --json bad-sig.der
expect_out '"signature_verifies": false,'

# The key hash is the one openssl computes from the request.
run 0 inspect sample4.csr
expect_out_line "  Public key SHA-256:           $(csr_spki_sha256 sample4.csr)"
exit 0
