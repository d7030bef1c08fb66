#!/bin/sh
# mkcsr inspect on files of several certificates: PEM bundles in chain
# order and shuffled, PKCS#7 in PEM and DER.  The certificates are shown in
# chain order (leaf first, then each one's issuer), each with its position
# in the file and whether the next one signed it; a link whose signature
# does not verify says "no"; a certificate outside the leaf's chain is
# shown after it; PEM blocks that are not shown (a key after the
# certificates) are named.  Text and JSON, compared with
# tests/data/inspect/bundle-*.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup

inspect_expect bundle-chain-ordered.txt --at "$INSPECT_AT" chain-ordered.pem
inspect_expect bundle-chain-shuffled.txt --at "$INSPECT_AT" chain-shuffled.pem
inspect_expect bundle-chain-shuffled.json --at "$INSPECT_AT" --json chain-shuffled.pem
inspect_expect bundle-chain-p7b.txt --at "$INSPECT_AT" chain.p7b
inspect_expect bundle-chain-p7b.json --at "$INSPECT_AT" --json chain.p7b
inspect_expect bundle-chain-der-p7b.txt --at "$INSPECT_AT" chain-der.p7b

# The intermediate and the root alone: the chain starts from the
# intermediate, the one that issued no other.
cat root-ca.pem inter-ca.pem > cas.pem
run 0 inspect --at "$INSPECT_AT" cas.pem
expect_out_line "Certificate 1 of 2 (intermediate CA)"
expect_out_line "Certificate 2 of 2 (root CA)"
expect_out_line "In chain order in the file:     no"
expect_out_line "Chain ends at a root:           yes"

# A leaf whose signature was damaged: still linked to its issuer by name and
# key identifier, but not signed by it.  An unrelated root comes last, out
# of the chain; the key after the certificates is named, not shown.
openssl x509 -in leaf-good.pem -outform DER -out good.der || fail "openssl cannot convert leaf-good.pem"
flip_last_byte good.der bad.der
openssl x509 -inform DER -in bad.der -out bad.pem || fail "openssl cannot read the damaged certificate"
inspect_cert_values bad.pem bad.pem
inspect_ready
cat bad.pem inter-ca.pem other-root.pem leaf.key > broken.pem
inspect_expect bundle-broken.txt --at "$INSPECT_AT" broken.pem
inspect_expect bundle-broken.json --at "$INSPECT_AT" --json broken.pem
exit 0
