#!/bin/sh
# NSS (libnss3-tools) reads mkcsr's PFX in both profiles.  pk12util -l
# verifies the MAC with the password (a wrong one fails), and lists the
# leaf "with private key" under its friendly name, the issuing CA, and the
# shrouded key without one (Windows would take it as the key container
# name), encrypted with PKCS#12 3DES
# (2048 iterations) or PBES2/PBKDF2 with AES-256-CBC.  pk12util -i imports
# it into a new NSS database: certutil then lists the certificate under its
# friendly name with user trust (u,u,u), the CA, and the EC key whose ID is
# the SHA-1 of leaf.key's public point.
. "$TESTS_SRCDIR/cli/lib.sh"
need pk12util
need certutil
pfx_setup

thumb_colons=$(thumbprint in/good.pem | sed -e 's/\(..\)/\1:/g' -e 's/:$//')
# NSS's key ID for an EC key: SHA-1 of the public point (the SPKI's last 65 bytes for P-256).
nss_key_id=$(openssl pkey -in in/leaf.key -pubout -outform DER | tail -c 65 | openssl dgst -sha1 -r | cut -d' ' -f1)

# nssdb DIR: a new, empty NSS database without a password.
nssdb() {
	mkdir "$1" || fail "cannot make $1"
	certutil -N --empty-password -d "sql:$1" 2> in/certutil.err || { cat in/certutil.err >&2; fail "certutil -N failed"; }
}

# listing FILE DB: pk12util -l's outline of FILE (the lines that name a
# bag, a subject, a friendly name or an algorithm), trimmed, in in/listing;
# the whole text in in/listing.raw.
listing() {
	pk12util -l "$1" -W "$PFX_PASS" -d "sql:$2" > in/listing.raw 2> in/pk12util.err ||
		{ cat in/pk12util.err >&2; fail "pk12util -l cannot read $1"; }
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' in/listing.raw |
		grep -E '^(Certificate|Key\(|Friendly Name:|Encryption algorithm:|KDF:|Cipher:|Iteration Count:|Subject:)' > in/listing
}

# expect_listing LINE...: in/listing is exactly these lines.
expect_listing() {
	printf '%s\n' "$@" > in/listing.expected
	diff in/listing.expected in/listing >&2 || fail "pk12util -l differs from the expected outline (diff above)"
}

# imports FILE: pk12util -i puts FILE into a new database; certutil shows the certificates and the key.
imports() {
	imports_db=in/import-$1
	nssdb "$imports_db"
	pk12util -i "$1" -W "$PFX_PASS" -d "sql:$imports_db" > in/pk12util.out 2> in/pk12util.err ||
		{ cat in/pk12util.out in/pk12util.err >&2; fail "pk12util -i cannot import $1"; }
	cat in/pk12util.out in/pk12util.err | grep -qx 'pk12util: PKCS12 IMPORT SUCCESSFUL' ||
		{ cat in/pk12util.out in/pk12util.err >&2; fail "pk12util -i did not report success"; }
	certutil -L -d "sql:$imports_db" > in/certs.list 2> in/certutil.err || { cat in/certutil.err >&2; fail "certutil -L failed"; }
	sed 's/[[:space:]]*$//' in/certs.list | grep -E '^vpn\.example\.com[[:space:]]+u,u,u$' > /dev/null ||
		{ cat in/certs.list >&2; fail "certutil -L does not list vpn.example.com with u,u,u"; }
	grep -q '^mkcsr Test Issuing CA - mkcsr Test PKI[[:space:]]' in/certs.list ||
		{ cat in/certs.list >&2; fail "certutil -L does not list the issuing CA"; }
	certutil -K -d "sql:$imports_db" > in/keys.list 2> in/certutil.err || { cat in/certutil.err >&2; fail "certutil -K failed"; }
	grep -Eq "^< ?0> ec +$nss_key_id +vpn\.example\.com\$" in/keys.list ||
		{ cat in/keys.list >&2; fail "certutil -K does not list the EC key $nss_key_id as vpn.example.com"; }
	[ "$(grep -c '^<' in/keys.list)" -eq 1 ] || { cat in/keys.list >&2; fail "certutil -K lists other than one key"; }
}

nssdb in/db

run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o compat.pfx -q
listing compat.pfx in/db
expect_listing \
	"Certificate(has private key):" \
	'Subject: "CN=vpn.example.com"' \
	"Friendly Name: vpn.example.com" \
	"Certificate:" \
	'Subject: "CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US"' \
	"Key(shrouded):" \
	"Encryption algorithm: PKCS #12 V2 PBE With SHA-1 And 3KEY Triple DES-CBC" \
	"Iteration Count: 2048 (0x800)"
# The leaf's SHA-1 fingerprint is the thumbprint.
fp=$(sed -n '/Fingerprint (SHA1):/{n;p;q;}' in/listing.raw | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//')
[ "$fp" = "$thumb_colons" ] || fail "pk12util shows the SHA-1 fingerprint $fp, expected $thumb_colons"
imports compat.pfx

run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o modern.pfx --profile modern -q
listing modern.pfx in/db
expect_listing \
	"Certificate(has private key):" \
	'Subject: "CN=vpn.example.com"' \
	"Friendly Name: vpn.example.com" \
	"Certificate:" \
	'Subject: "CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US"' \
	"Key(shrouded):" \
	"Encryption algorithm: PKCS #5 Password Based Encryption v2" \
	"KDF: PKCS #5 Password Based Key Dervive Function v2" \
	"Cipher: AES-256-CBC"
imports modern.pfx

# Another friendly name reaches NSS as the nickname.
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw -o named.pfx --friendly-name "VPN SSTP" -q
listing named.pfx in/db
grep -c '^Friendly Name: VPN SSTP$' in/listing | grep -qx 1 || { cat in/listing >&2; fail "pk12util does not show the friendly name once"; }

# A wrong password fails.
for f in compat.pfx modern.pfx; do
	! pk12util -l "$f" -W wrong-password -d sql:in/db > /dev/null 2> in/pk12util.err || fail "pk12util reads $f with a wrong password"
	grep -q 'SEC_ERROR_BAD_PASSWORD' in/pk12util.err || { cat in/pk12util.err >&2; fail "pk12util does not say the password is wrong"; }
done

exit 0
