#!/bin/sh
# An ACME CA accepts mkcsr's requests as written (Windows header, CRLF):
# Pebble, driven by lego with --csr, issues a certificate for the request's
# key and name that chains to Pebble's root, for the default request (P-256,
# EKU and Application Policies), a --minimal one (the SAN only) and an
# RSA-2048 one.  Everything runs on 127.0.0.1 (see acme-lib.sh).
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/interop/acme-lib.sh"

acme_start
acme_root root.pem
acme_intermediate intermediate.pem

# issued DIR HOST: checks the certificate issued for DIR/HOST.csr (in
# DIR/acme): the leaf has the request's public key, HOST in its SAN, TLS
# server authentication, and OpenSSL verifies it (for a TLS server) up to the
# root with the intermediate lego saved.  The leaf is left in DIR/leaf.pem.
issued() {
	issued_dir=$1
	issued_host=$2
	acme_issue "$issued_dir/$issued_host.csr" "$issued_dir/acme"
	[ "$ACME_NAME" = "$issued_host" ] || fail "lego named the certificate $ACME_NAME, not $issued_host"
	# lego's bundle: the leaf, then the intermediate (the issuer.crt).
	[ "$(grep -c -- '-----BEGIN CERTIFICATE-----' "$ACME_CRT")" -eq 2 ] ||
		{ cat "$ACME_CRT" >&2; fail "$ACME_CRT does not hold exactly two certificates"; }
	openssl x509 -in "$ACME_CRT" -out "$issued_dir/leaf.pem" 2> "$WORK/ossl.err" ||
		{ cat "$WORK/ossl.err" >&2; fail "openssl cannot read $ACME_CRT"; }
	expect_same "$ACME_ISSUER" intermediate.pem

	openssl req -in "$issued_dir/$issued_host.csr" -noout -pubkey > "$issued_dir/csr.pub" ||
		fail "openssl req -pubkey cannot read $issued_dir/$issued_host.csr"
	openssl x509 -in "$issued_dir/leaf.pem" -noout -pubkey > "$issued_dir/leaf.pub" ||
		fail "openssl x509 -pubkey cannot read $issued_dir/leaf.pem"
	grep -q -- '-----BEGIN PUBLIC KEY-----' "$issued_dir/csr.pub" || fail "no public key in $issued_dir/csr.pub"
	cmp -s "$issued_dir/csr.pub" "$issued_dir/leaf.pub" ||
		{ cat "$issued_dir/csr.pub" "$issued_dir/leaf.pub" >&2; fail "the certificate for $issued_dir has not the request's key"; }

	issued_text=$(openssl x509 -in "$issued_dir/leaf.pem" -noout -subject -ext subjectAltName,extendedKeyUsage) ||
		fail "openssl x509 -ext cannot read $issued_dir/leaf.pem"
	[ "$(csr_ext "$issued_text" "X509v3 Subject Alternative Name")" = "DNS:$issued_host" ] ||
		{ printf '%s\n' "$issued_text" >&2; fail "the SAN of $issued_dir/leaf.pem is not DNS:$issued_host"; }
	expect_contains "$issued_text" "TLS Web Server Authentication"

	openssl verify -purpose sslserver -CAfile root.pem -untrusted "$ACME_ISSUER" "$issued_dir/leaf.pem" \
		> "$WORK/verify.out" 2>&1 ||
		{ cat "$WORK/verify.out" >&2; fail "openssl verify does not verify $issued_dir/leaf.pem"; }
	grep -qxF "$issued_dir/leaf.pem: OK" "$WORK/verify.out" ||
		{ cat "$WORK/verify.out" >&2; fail "openssl verify does not say OK for $issued_dir/leaf.pem"; }
}

# The default request: P-256, EKU serverAuth and Microsoft Application Policies.
mkdir default
run 0 new --host vpn.example.com --out-dir default
[ "$(sed -n 1p default/vpn.example.com.csr)" = "$(printf '%s\r' '-----BEGIN NEW CERTIFICATE REQUEST-----')" ] ||
	fail "default/vpn.example.com.csr does not start with the Windows header and CRLF"
issued default vpn.example.com
# The check above is a real one: without the intermediate, no chain.
if openssl verify -CAfile root.pem default/leaf.pem > "$WORK/verify.out" 2>&1; then
	cat "$WORK/verify.out" >&2
	fail "openssl verify accepts the leaf without its intermediate"
fi
# The leaf has the key mkcsr wrote (lego never sees it).
leaf_spki=$(openssl x509 -in default/leaf.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256_hex)
[ "$(key_spki_sha256 default/vpn.example.com.key)" = "$leaf_spki" ] ||
	fail "the certificate does not match default/vpn.example.com.key"

# --minimal: the SAN alone (for CAs that refuse an EKU in a request).
mkdir minimal
run 0 new --host vpn.example.com --minimal --out-dir minimal
csr_text minimal/vpn.example.com.csr > minimal/csr.txt
grep -qF 'Extended Key Usage' minimal/csr.txt && fail "the --minimal request has an EKU"
issued minimal vpn.example.com

# RSA-2048.
mkdir rsa
run 0 new --host vpn.example.com --key-type rsa:2048 --out-dir rsa
issued rsa vpn.example.com
openssl x509 -in rsa/leaf.pem -noout -text | grep -qF 'Public-Key: (2048 bit)' ||
	fail "the certificate for the RSA request has not a 2048-bit key"

# Pebble stops (the EXIT trap would stop it too, on a failure above).
acme_stop
[ -z "$(acme_pids)" ] || fail "pebble still runs after acme_stop: $(acme_pids)"

exit 0
