#!/bin/sh
# The chain check of mkcsr check: the chain must build from the leaf to a
# root the caller trusts (--ca-file, --ca-dir, else the system store).  A
# missing intermediate is CERT_E_CHAINING (and says to add it with
# --chain); a chain to a root not trusted is CERT_E_UNTRUSTEDROOT; for NPS
# both are 864.  A root inside the --cert bundle is not trusted for being
# there.  --ca-dir takes an "openssl rehash" (c_rehash) directory.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

inter="CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"
root="CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US"

# The intermediate is missing.
run_check 6 --cert leaf-good.pem --key leaf.key --ca-file root-ca.pem
expect_no_err
expect_statuses "PASS SKIP PASS SKIP PASS PASS FAIL PASS"
expect_check FAIL chain "the intermediate $inter that issued the certificate is missing: add it with --chain"
expect_windows chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
run_check 6 --cert leaf-good.pem --ca-file root-ca.pem --role nps
expect_check FAIL chain "the intermediate $inter that issued the certificate is missing: add it with --chain"
expect_windows chain "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)"
run_check 6 --cert leaf-good.pem --ca-file root-ca.pem --role ikev2
expect_windows chain "ERROR_IPSEC_IKE_AUTH_FAIL (13801)"

# Another root: the chain ends at the intermediate, whose issuer is not trusted.
run_check 6 --cert fullchain.pem --key leaf.key --ca-file other-root.pem
expect_statuses "PASS SKIP PASS SKIP PASS PASS FAIL PASS"
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter ends at $inter, issued by $root, which is not in --ca-file"
expect_windows chain "CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)"
run_check 6 --cert fullchain.pem --key leaf.key --ca-file other-root.pem --role nps
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter ends at $inter, issued by $root, which is not in --ca-file"
expect_windows chain "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)"

# The root inside the bundle is not trusted for being there.
run_check 6 --cert chain-ordered.pem --ca-file other-root.pem
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter <- $root ends in the root $root, which is not in --ca-file"
expect_windows chain "CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)"
# Nor is it without --ca-file (the system store has no test root).
run_check 6 --cert chain-ordered.pem
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter <- $root ends in the root $root, which is not in the system trust store"

# A --ca-file with several roots: the right one is found.
cat other-root.pem root-ca.pem > roots.pem
run_check 0 --cert fullchain.pem --ca-file roots.pem
expect_check PASS chain "CN=vpn.example.com <- $inter <- $root, trusted through --ca-file"

# --ca-dir: a hashed directory.
mkdir cadir
cp root-ca.pem cadir/
openssl rehash cadir 2> rehash.err || { cat rehash.err >&2; fail "openssl rehash failed"; }
hashed=no
for link in cadir/*.0; do
	case ${link#cadir/} in
	[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f].0) hashed=yes ;;
	esac
done
[ "$hashed" = yes ] || fail "openssl rehash made no hash link: $(ls cadir)"
run_check 0 --cert fullchain.pem --key leaf.key --ca-dir cadir
expect_no_err
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"
expect_check PASS chain "CN=vpn.example.com <- $inter <- $root, trusted through --ca-dir"
# The same directory before rehashing (no hash links) trusts nothing.
mkdir plain
cp root-ca.pem plain/
run_check 6 --cert fullchain.pem --ca-dir plain
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter ends at $inter, issued by $root, which is not in --ca-dir"
# A hashed directory of another root.
mkdir otherdir
cp other-root.pem otherdir/
openssl rehash otherdir 2> rehash.err || { cat rehash.err >&2; fail "openssl rehash failed"; }
run_check 6 --cert fullchain.pem --ca-dir otherdir
expect_check FAIL chain "the chain CN=vpn.example.com <- $inter ends at $inter, issued by $root, which is not in --ca-dir"
expect_windows chain "CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)"

# --ca-file and --ca-dir together: a usage error before anything is read.
run 2 check --at "$CHECK_AT" --cert missing.pem --ca-file root-ca.pem --ca-dir cadir
expect_no_out
expect_err_first "mkcsr check: invalid usage: --ca-file and --ca-dir: give one of them"

# A CA out of its validity period (the leaf too, at these times).
run 6 check --at 2046-01-01 --cert fullchain.pem --ca-file root-ca.pem
expect_check FAIL chain "a CA certificate in the chain is outside its validity period: certificate has expired (chain: CN=vpn.example.com <- $inter <- $root)"
expect_windows chain "CERT_E_EXPIRED 0x800B0101 (-2146762495)"
run 6 check --at 2024-06-01 --cert fullchain.pem --ca-file root-ca.pem
expect_check FAIL chain "a CA certificate in the chain is outside its validity period: certificate is not yet valid (chain: CN=vpn.example.com <- $inter <- $root)"

exit 0
