#!/bin/sh
# The certificates in mkcsr's PFX and their order: the leaf first, then
# its issuers up the chain (leaf, issuing CA), the root only with
# --include-root, whatever order and form the input had (fullchain,
# shuffled bundle, DER, PKCS#7, separate --chain files).  A certificate
# given that is not in the leaf's chain is left out with a warning naming
# it and its file; the summary counts the CA certificates written.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

# As openssl pkcs12 prints them.
leaf="CN = vpn.example.com"
inter="C = US, O = mkcsr Test PKI, CN = mkcsr Test Issuing CA"
root="C = US, O = mkcsr Test PKI, CN = mkcsr Test Root CA"
key="--key in/leaf.key --pass file:in/pw"

# order FILE SUBJECT...: the PFX's certificates are exactly these, in this order.
order() {
	order_file=$1
	shift
	pfx_subjects "$order_file" > in/order.actual
	printf '%s\n' "$@" > in/order.expected
	diff in/order.expected in/order.actual >&2 || fail "the certificates in $order_file differ (diff above)"
	rm -f "$order_file"
}

# A fullchain: leaf, issuing CA.
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem $key
expect_no_err
expect_out_line "  Contents:       certificate, private key and 1 CA certificate"
order vpn.example.com.pfx "$leaf" "$inter"

# Shuffled, root first: the root is left out, with a note in the summary.
cat in/root-ca.pem in/good.pem in/inter-ca.pem > in/shuffled.pem
# shellcheck disable=SC2086
run 0 pfx --cert in/shuffled.pem $key
expect_no_err
expect_out_line "  Contents:       certificate, private key and 1 CA certificate"
order vpn.example.com.pfx "$leaf" "$inter"
# ... and put in last with --include-root.
# shellcheck disable=SC2086
run 0 pfx --cert in/shuffled.pem $key --include-root
expect_no_err
expect_out_line "  Contents:       certificate, private key and 2 CA certificates (root included)"
order vpn.example.com.pfx "$leaf" "$inter" "$root"
# Separate files in any order.
# shellcheck disable=SC2086
run 0 pfx --cert in/good.pem --chain in/root-ca.pem --chain in/inter.der $key --include-root
expect_no_err
order vpn.example.com.pfx "$leaf" "$inter" "$root"
# --include-root without a root given: the chain as far as it goes.
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem $key --include-root
expect_no_err
expect_out_line "  Contents:       certificate, private key and 1 CA certificate"
order vpn.example.com.pfx "$leaf" "$inter"

# DER leaf, DER intermediate; PKCS#7 intermediate.
openssl x509 -in in/good.pem -outform DER -out in/good.der || fail "openssl cannot convert good.pem"
# shellcheck disable=SC2086
run 0 pfx --cert in/good.der --chain in/inter.der $key
expect_no_err
order vpn.example.com.pfx "$leaf" "$inter"
openssl crl2pkcs7 -nocrl -certfile in/inter-ca.pem -certfile in/root-ca.pem -out in/cas.p7b ||
	fail "openssl cannot make cas.p7b"
# shellcheck disable=SC2086
run 0 pfx --cert in/good.pem --chain in/cas.p7b $key --include-root
expect_no_err
order vpn.example.com.pfx "$leaf" "$inter" "$root"
# The same intermediate three times is written once.
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem --chain in/inter.der --chain in/inter-ca.pem $key
expect_no_err
order vpn.example.com.pfx "$leaf" "$inter"

# The leaf alone: Windows has to find the intermediate itself, which is said.
# shellcheck disable=SC2086
run 0 pfx --cert in/good.pem $key
expect_lines "$WORK/err" 1
expect_err_first "mkcsr pfx: warning: the PFX holds no issuing CA certificate: Windows will have to find the intermediate (CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US) itself, and SSTP clients then fail with CERT_E_CHAINING unless the server can build the chain; give it with --chain FILE"
expect_out_line "  Contents:       certificate, private key"
order vpn.example.com.pfx "$leaf"

# Certificates outside the chain: left out, each with a warning.
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem --chain in/leaf-client.pem $key
expect_err_first "mkcsr pfx: warning: left out CN=client01.corp.example.com from 'in/leaf-client.pem': it is not in the certificate's chain"
expect_lines "$WORK/err" 1
expect_out_line "  Contents:       certificate, private key and 1 CA certificate"
order vpn.example.com.pfx "$leaf" "$inter"
# Another root, with --include-root: the chain's own root is in, the other is not.
# shellcheck disable=SC2086
run 0 pfx --cert in/shuffled.pem --chain in/other-root.pem $key --include-root
expect_err_first "mkcsr pfx: warning: left out CN=Other Test Root CA,O=Other Test PKI,C=US from 'in/other-root.pem': it is not in the certificate's chain"
expect_lines "$WORK/err" 1
order vpn.example.com.pfx "$leaf" "$inter" "$root"
# Another leaf with the same name in the bundle (the fixture's leaf-good).
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem --chain in/leaf-good.pem $key
expect_err_first "mkcsr pfx: warning: left out CN=vpn.example.com from 'in/leaf-good.pem': it is not in the certificate's chain"
order vpn.example.com.pfx "$leaf" "$inter"
# -q does not silence warnings.
# shellcheck disable=SC2086
run 0 pfx --cert in/good-chain.pem --chain in/leaf-client.pem $key -q
expect_no_out
expect_err_first "mkcsr pfx: warning: left out CN=client01.corp.example.com from 'in/leaf-client.pem': it is not in the certificate's chain"
rm vpn.example.com.pfx

# The key picks the leaf: the now-valid leaf among other certificates.
cat in/leaf-otherkey.pem in/inter-ca.pem in/good.pem > in/mixed.pem
# shellcheck disable=SC2086
run 0 pfx --cert in/mixed.pem $key
expect_out_line "  Thumbprint:     $(thumbprint in/good.pem)"
expect_err_first "mkcsr pfx: warning: left out CN=vpn.example.com from 'in/mixed.pem': it is not in the certificate's chain"
order vpn.example.com.pfx "$leaf" "$inter"

expect_files in

exit 0
