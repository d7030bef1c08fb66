#!/bin/sh
# A legacy PFX ("openssl pkcs12 -export -legacy": certificates encrypted
# with RC2-40, OpenSSL 1.x's default) opens in every command that reads a
# PFX: new --like (the request read back with openssl req), check --cert,
# pfx --cert (the new PFX read back with openssl pkcs12, with no legacy
# provider needed for it, while the old one needs -legacy) and inspect.
# With OPENSSL_MODULES naming an empty directory each of them says that
# the legacy provider cannot be loaded (exit 1), never that the password
# is wrong, and writes nothing; a PFX that needs no legacy algorithm still
# opens in each, since the provider is loaded only when needed.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
pfx_setup
printf 'legacy-pfx-password\n' > in/old.pw

openssl pkcs12 -export -legacy -in in/good.pem -inkey in/leaf.key -certfile in/inter-ca.pem -name vpn.example.com \
	-passout file:in/old.pw -out in/legacy.pfx 2> in/openssl.err ||
	skip "openssl cannot make a -legacy PFX here (no legacy provider?): $(cat in/openssl.err)"
openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -certfile in/inter-ca.pem -name vpn.example.com \
	-passout file:in/old.pw -out in/aes.pfx 2> in/openssl.err || fail "openssl cannot make a PFX"
# It is what it claims: without -legacy, OpenSSL 3 cannot read its certificates.
! openssl pkcs12 -in in/legacy.pfx -passin file:in/old.pw -nokeys -info > /dev/null 2>&1 ||
	fail "openssl reads the legacy PFX without -legacy"
openssl pkcs12 -legacy -in in/legacy.pfx -passin file:in/old.pw -nokeys -info -noout 2> in/info.raw > /dev/null ||
	fail "openssl pkcs12 -legacy cannot read the legacy PFX"
grep -qxF "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048" in/info.raw ||
	{ cat in/info.raw >&2; fail "the legacy PFX is not RC2-40"; }

# new --like: the request has the old certificate's subject and name.
mkdir csr
run 0 new --like in/legacy.pfx --pass file:in/old.pw --out-dir csr -q
expect_no_err
openssl req -in csr/vpn.example.com.csr -noout -subject > in/req.subject 2>&1 || fail "openssl cannot read the request"
[ "$(cat in/req.subject)" = "subject=CN = vpn.example.com" ] || fail "the request's subject is $(cat in/req.subject)"
openssl req -in csr/vpn.example.com.csr -noout -text | grep -qx '[[:space:]]*DNS:vpn.example.com' ||
	fail "the request lacks DNS:vpn.example.com"
rm -r csr

# check --cert: the key and the chain from the PFX.
run 0 check --cert in/legacy.pfx --pass file:in/old.pw --ca-file in/root-ca.pem
expect_no_err
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"
expect_check PASS key "the key in 'in/legacy.pfx' is the private key of CN=vpn.example.com in 'in/legacy.pfx'"

# pfx --cert: re-packed as compat, which OpenSSL 3 reads without -legacy.
run 0 pfx --cert in/legacy.pfx --in-pass file:in/old.pw --pass file:in/pw --out new.pfx
expect_no_err
expect_out_line "  Re-packed from: in/legacy.pfx (which imports on every Windows from Server 2012 R2 and Windows 8.1 on)"
openssl pkcs12 -in new.pfx -passin file:in/pw -nokeys -info -noout 2> in/info.raw > /dev/null ||
	{ cat in/info.raw >&2; fail "openssl cannot read the re-packed PFX without -legacy"; }
grep -qxF "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048" in/info.raw ||
	{ cat in/info.raw >&2; fail "the re-packed PFX is not 3DES"; }
[ "$(pfx_subjects new.pfx | wc -l)" -eq 2 ] || fail "the re-packed PFX does not hold the leaf and its CA"
rm new.pfx

# inspect.
run 0 inspect --pass file:in/old.pw in/legacy.pfx
expect_no_err
expect_out_line "OpenSSL:                        pbeWithSHA1And40BitRC2-CBC (RC2-40) needs the legacy provider in OpenSSL (loaded to read this file); Windows imports it"

# No legacy provider: each command says so, exit 1, nothing written.
mkdir no-modules
OPENSSL_MODULES=$WORK/no-modules
export OPENSSL_MODULES
hint="install it (legacy.so; Debian 13 and later: apt install openssl-provider-legacy) or point OPENSSL_MODULES at its directory; or export the file again with 3DES or AES"
said="'in/legacy.pfx': its certificates are encrypted with pbeWithSHA1And40BitRC2-CBC (RC2-40), which OpenSSL 3 decrypts only with that provider, and it cannot be loaded from $WORK/no-modules"
# expect_no_provider COMMAND: the two lines, and nothing else.
expect_no_provider() {
	printf '%s\n' "mkcsr $1: OpenSSL's legacy provider is not available: $said" "mkcsr $1: hint: $hint" > in/err.want
	diff -u in/err.want err >&2 || fail "mkcsr $1 without the legacy provider: stderr differs (diff -u above)"
	expect_no_out
	expect_err_lacks "password"
}
mkdir csr
run 1 new --like in/legacy.pfx --pass file:in/old.pw --out-dir csr
expect_no_provider new
run 1 check --cert in/legacy.pfx --pass file:in/old.pw --ca-file in/root-ca.pem
expect_no_provider check
run 1 pfx --cert in/legacy.pfx --in-pass file:in/old.pw --pass file:in/pw --out new.pfx
expect_no_provider pfx
run 1 inspect --pass file:in/old.pw in/legacy.pfx
expect_no_provider inspect
expect_files in no-modules csr
[ -z "$(ls csr)" ] || fail "new --like left files: $(ls csr)"

# A PFX that needs no legacy algorithm opens in each, without the provider.
run 0 new --like in/aes.pfx --pass file:in/old.pw --out-dir csr -q
run 0 check --cert in/aes.pfx --pass file:in/old.pw --ca-file in/root-ca.pem -q
run 0 pfx --cert in/aes.pfx --in-pass file:in/old.pw --pass file:in/pw --out new.pfx -q
expect_no_err
run 0 inspect --pass file:in/old.pw in/aes.pfx
exit 0
