#!/bin/sh
# Python's cryptography package loads mkcsr's PFX in both profiles
# (pkcs12.load_pkcs12 and load_key_and_certificates): only with the
# password; the key is leaf.key and belongs to the certificate; the
# certificate, its friendly name (UTF-8, non-ASCII too) and the CA
# certificates (count and order, root only with --include-root) are the
# ones given.  See pfx_check.py for each assertion.
. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography
pfx_setup

run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o compat.pfx -q
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o modern.pfx --profile modern -q
run 0 pfx --cert in/good.pem --chain in/root-ca.pem --chain in/inter.der --include-root --key in/leaf.key \
	--pass file:in/pw -o root.pfx --profile modern -q
run 0 pfx --cert in/good.pem --key in/leaf.key --pass file:in/pw -o alone.pfx -q
run 0 pfx --cert in/good-chain.pem --key in/leaf-enc.key --key-pass file:in/leaf-enc.pass --pass file:in/pw \
	-o named.pfx --friendly-name "VPN Zürich – SSTP" -q
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass generate:in/gen.pass -o generated.pfx -q

"$PYTHON" "$TESTS_SRCDIR/interop/pfx_check.py" \
	compat.pfx "$PFX_PASS" in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem -- \
	modern.pfx "$PFX_PASS" in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem -- \
	root.pfx "$PFX_PASS" in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem in/root-ca.pem -- \
	alone.pfx "$PFX_PASS" in/leaf.key in/good.pem vpn.example.com -- \
	named.pfx "$PFX_PASS" in/leaf.key in/good.pem "VPN Zürich – SSTP" in/inter-ca.pem -- \
	generated.pfx "$(cat in/gen.pass)" in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem ||
	fail "pfx_check.py: the checks above failed"

# The checks are real ones: another friendly name, another CA list and
# another key are each caught.
status=0
"$PYTHON" "$TESTS_SRCDIR/interop/pfx_check.py" \
	compat.pfx "$PFX_PASS" in/leaf.key in/good.pem other.example.com in/inter-ca.pem -- \
	root.pfx "$PFX_PASS" in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem -- \
	compat.pfx "$PFX_PASS" in/other.key in/good.pem vpn.example.com in/inter-ca.pem -- \
	compat.pfx wrong-password in/leaf.key in/good.pem vpn.example.com in/inter-ca.pem 2> in/check.err || status=$?
[ "$status" -eq 1 ] || { cat in/check.err >&2; fail "pfx_check.py exited $status on wrong expectations, expected 1"; }
for line in \
	"pfx_check compat.pfx: the friendly name is b'vpn.example.com', expected b'other.example.com'" \
	"pfx_check root.pfx: 2 other certificates (CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US, CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US), expected 1" \
	"pfx_check compat.pfx: the private key is not the one in in/other.key"; do
	grep -qxF -- "$line" in/check.err || { cat in/check.err >&2; fail "pfx_check.py did not say: $line"; }
done
grep -q '^pfx_check compat.pfx: load_pkcs12 cannot load it with the password: ' in/check.err ||
	{ cat in/check.err >&2; fail "pfx_check.py did not catch the wrong password"; }

exit 0
