#!/bin/sh
# GnuTLS's certtool (gnutls-bin) reads mkcsr's PFX in both profiles: it
# verifies the MAC with the password (and refuses a wrong one), decrypts
# the certificate bag and shows, line for line, the MAC (SHA1 or SHA256),
# the bag encryption (PKCS12-3DES-SHA1 or PBES2-AES256-CBC), 2048
# iterations, the leaf with its friendly name and key ID (the thumbprint),
# the CA certificate, and the shrouded key with the same key ID and no
# friendly name (Windows would take it as the key container name); the key
# decrypts with the password to leaf.key's public key.
# A PFX is DER: certtool 3.7 needs --inder (without it: "Base64 unexpected
# header error").
. "$TESTS_SRCDIR/cli/lib.sh"
need certtool
pfx_setup

thumb=$(thumbprint in/good.pem)
keyid=$(printf '%s\n' "$thumb" | sed -e 's/\(..\)/\1:/g' -e 's/:$//')
spki=$(key_spki_sha256 in/leaf.key)

# p12_info FILE: certtool's description of FILE, each line trimmed, without
# the random salts and the PEM blocks, in in/p12.
p12_info() {
	certtool --p12-info --inder --infile "$1" --password "$PFX_PASS" > in/p12.raw 2> in/certtool.err ||
		{ cat in/certtool.err >&2; fail "certtool --p12-info cannot read $1"; }
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' in/p12.raw |
		sed -e '/^-----BEGIN/,/^-----END/d' -e '/^Salt: /d' -e '/^$/d' > in/p12
}

# expect_p12 LINE...: in/p12 is exactly these lines.
expect_p12() {
	printf '%s\n' "$@" > in/p12.expected
	diff in/p12.expected in/p12 >&2 || fail "certtool --p12-info differs from the expected lines (diff above)"
}

# key_decrypts: the shrouded key in in/p12.raw decrypts with the password to leaf.key.
key_decrypts() {
	sed -n '/^-----BEGIN ENCRYPTED PRIVATE KEY-----/,/^-----END ENCRYPTED PRIVATE KEY-----/p' in/p12.raw > in/p12-key.pem
	[ -s in/p12-key.pem ] || fail "certtool shows no encrypted key"
	certtool --key-info --pkcs8 --password "$PFX_PASS" --infile in/p12-key.pem > in/key-info 2> in/certtool.err ||
		{ cat in/certtool.err >&2; fail "certtool cannot decrypt the key with the password"; }
	grep -qx "[[:space:]]*sha256:$spki" in/key-info || { cat in/key-info >&2; fail "the key is not leaf.key (sha256:$spki)"; }
}

# compat
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o compat.pfx -q
p12_info compat.pfx
expect_p12 \
	"MAC info:" \
	"MAC: SHA1 (1.3.14.3.2.26)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"BAG #0" \
	"Type: Encrypted" \
	"Cipher: 3DES-CBC" \
	"Schema: PKCS12-3DES-SHA1 (1.2.840.113549.1.12.1.3)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"Decrypting..." \
	"Elements: 2" \
	"Type: Certificate" \
	"Friendly name: vpn.example.com" \
	"Key ID: $keyid" \
	"Type: Certificate" \
	"BAG #1" \
	"Elements: 1" \
	"Type: PKCS #8 Encrypted key" \
	"PKCS #8 information:" \
	"Cipher: 3DES-CBC" \
	"Schema: PKCS12-3DES-SHA1 (1.2.840.113549.1.12.1.3)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"Key ID: $keyid"
key_decrypts

# modern
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o modern.pfx --profile modern -q
p12_info modern.pfx
expect_p12 \
	"MAC info:" \
	"MAC: SHA256 (2.16.840.1.101.3.4.2.1)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"BAG #0" \
	"Type: Encrypted" \
	"Cipher: AES-256-CBC" \
	"Schema: PBES2-AES256-CBC (2.16.840.1.101.3.4.1.42)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"Decrypting..." \
	"Elements: 2" \
	"Type: Certificate" \
	"Friendly name: vpn.example.com" \
	"Key ID: $keyid" \
	"Type: Certificate" \
	"BAG #1" \
	"Elements: 1" \
	"Type: PKCS #8 Encrypted key" \
	"PKCS #8 information:" \
	"Cipher: AES-256-CBC" \
	"Schema: PBES2-AES256-CBC (2.16.840.1.101.3.4.1.42)" \
	"Salt size: 8" \
	"Iteration count: 2048" \
	"Key ID: $keyid"
key_decrypts

# The certificates certtool shows are the leaf and the issuing CA, in that order.
awk '/^-----BEGIN CERTIFICATE-----/ { n++; on = 1 } on { print > ("in/p12-cert" n ".pem") } /^-----END CERTIFICATE-----/ { on = 0 }' \
	in/p12.raw
if [ ! -s in/p12-cert1.pem ] || [ ! -s in/p12-cert2.pem ] || [ -e in/p12-cert3.pem ]; then
	fail "certtool does not show two certificates"
fi
[ "$(thumbprint in/p12-cert1.pem)" = "$thumb" ] || fail "the first certificate is not the leaf"
[ "$(thumbprint in/p12-cert2.pem)" = "$(thumbprint in/inter-ca.pem)" ] || fail "the second certificate is not the issuing CA"

# A wrong password: the MAC does not verify.
for f in compat.pfx modern.pfx; do
	! certtool --p12-info --inder --infile "$f" --password wrong-password > /dev/null 2> in/certtool.err ||
		fail "certtool reads $f with a wrong password"
	grep -q 'verify_mac: The Message Authentication Code verification failed.' in/certtool.err ||
		{ cat in/certtool.err >&2; fail "certtool does not say the MAC failed for $f"; }
done

exit 0
