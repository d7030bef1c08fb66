#!/bin/sh
# mkcsr check reads the certificate in every form a CA or an ACME client
# hands it out: one PEM certificate, a bundle in chain order or shuffled
# (the leaf is found, the chain ordered), a fullchain, DER, an intermediate
# in DER given with --chain, PKCS#7 in Base64 and in DER, and the same
# certificate given twice.  Each time the same leaf is checked (its
# thumbprint is openssl's), the chain builds leaf <- issuing CA <- root, all
# eight checks have the same result, and nothing is said on stderr.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

thumb=$(thumbprint leaf-good.pem)
[ "$(thumbprint leaf-good.der DER)" = "$thumb" ] || fail "leaf-good.der is not leaf-good.pem"
inter="CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"
root="CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US"

# good FILE: the last run checked leaf-good from FILE, with key and host, and all passed.
good() {
	expect_no_err
	expect_out_line "Certificate: CN=vpn.example.com ($1)"
	expect_out_line "  Issuer:     $inter"
	expect_out_line "  Valid:      2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC"
	expect_out_line "  Thumbprint: $thumb"
	expect_out_line "  Role:       sstp (RRAS SSTP server), host vpn.example.com"
	expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"
	expect_check PASS key "'leaf.key' is the private key of CN=vpn.example.com in '$1'"
	expect_check PASS validity "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 214 days left"
	expect_check PASS name "vpn.example.com is covered by the certificate's names (DNS:vpn.example.com)"
	expect_check PASS usage "Server Authentication present, as the sstp role needs"
	expect_check PASS key-usage "the key usage fits an ECDSA key"
	expect_check PASS chain "CN=vpn.example.com <- $inter <- $root, trusted through --ca-file"
	expect_check PASS revocation "CRL http://crl.example.com/inter.crl, OCSP http://ocsp.example.com"
	expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
}

common="--key leaf.key --host vpn.example.com --ca-file root-ca.pem"

# A single PEM certificate with its intermediate in PEM.
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.pem --chain inter-ca.pem $common
good leaf-good.pem

# Bundles: in chain order with the root, shuffled (root, leaf, intermediate), fullchain.
for f in chain-ordered.pem chain-shuffled.pem fullchain.pem; do
	# shellcheck disable=SC2086
	run_check 0 --cert "$f" $common
	good "$f"
done

# DER: the leaf, and the intermediate given with --chain.
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.der --chain inter.der $common
good leaf-good.der
# A PEM leaf with a DER intermediate, and the other way round.
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.pem --chain inter.der $common
good leaf-good.pem
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.der --chain inter-ca.pem $common
good leaf-good.der

# PKCS#7 (.p7b) as AD CS and openssl crl2pkcs7 give it: Base64 and DER.
for f in chain.p7b chain-der.p7b; do
	# shellcheck disable=SC2086
	run_check 0 --cert "$f" $common
	good "$f"
done
# A .p7b given with --chain.
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.pem --chain chain-der.p7b $common
good leaf-good.pem

# The same certificate twice: the leaf again in --chain, a fullchain given
# as --cert and as --chain, and the intermediate in three forms.  Each is
# kept once: the chain is still three certificates long.
# shellcheck disable=SC2086
run_check 0 --cert leaf-good.pem --chain leaf-good.pem --chain inter-ca.pem $common
good leaf-good.pem
# shellcheck disable=SC2086
run_check 0 --cert fullchain.pem --chain fullchain.pem --chain inter.der --chain chain.p7b $common -v
good fullchain.pem
expect_out_line "  Chain 0:    CN=vpn.example.com"
expect_out_line "  Chain 1:    $inter"
expect_out_line "  Chain 2:    $root"
expect_out_lacks "  Chain 3:"
cat leaf-good.pem leaf-good.pem inter-ca.pem > twice.pem
# shellcheck disable=SC2086
run_check 0 --cert twice.pem $common
good twice.pem

# The trust anchors in other forms: the root in DER, and a bundle holding it.
openssl x509 -in root-ca.pem -outform DER -out root-ca.der || fail "openssl cannot convert root-ca.pem"
run_check 0 --cert fullchain.pem --key leaf.key --host vpn.example.com --ca-file root-ca.der
good fullchain.pem
run_check 0 --cert fullchain.pem --key leaf.key --host vpn.example.com --ca-file chain-shuffled.pem
good fullchain.pem

# Windows line ends (CRLF, as certutil -encode writes them) are read too.
sed 's/$/\r/' fullchain.pem > crlf.pem
# shellcheck disable=SC2086
run_check 0 --cert crlf.pem $common
good crlf.pem

exit 0
