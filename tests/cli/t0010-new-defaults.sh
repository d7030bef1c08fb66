#!/bin/sh
# mkcsr --host NAME (no verb) and mkcsr new --host NAME: certlm's defaults.
# Exactly two files; the request in Windows' Base64 (NEW CERTIFICATE
# REQUEST, 64-character lines, CRLF); CN and DNS SAN = the host; Server
# Authentication; an unencrypted PKCS#8 key that belongs to the request;
# the summary on stdout, nothing on stderr.

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr

check_defaults() {
	expect_no_err
	expect_files "$key" "$csr"
	expect_mode "$key" 600

	# The request file, byte by byte where it matters.
	got=$(head -c 41 "$csr" | od -An -tx1 | tr -d ' \n')
	want=$(printf -- '-----BEGIN NEW CERTIFICATE REQUEST-----\r\n' | od -An -tx1 | tr -d ' \n')
	[ "$got" = "$want" ] || fail "$csr does not start with BEGIN NEW CERTIFICATE REQUEST and CRLF: $got"
	[ "$(head -n 1 "$csr")" = "$(printf -- '-----BEGIN NEW CERTIFICATE REQUEST-----\r')" ] ||
		fail "first line of $csr: $(head -n 1 "$csr" | od -c)"
	expect_base64_file "$csr" "NEW CERTIFICATE REQUEST" crlf
	openssl req -in "$csr" -noout -verify > /dev/null 2>&1 || fail "openssl cannot verify the signature of $csr"

	text=$(csr_text "$csr") || exit 1
	subject=$(openssl req -in "$csr" -noout -subject -nameopt RFC2253)
	[ "$subject" = "subject=CN=vpn.example.com" ] || fail "subject is: $subject"
	expect_contains "$text" "Version: 1 (0x0)"
	expect_contains "$text" "ASN1 OID: prime256v1"
	expect_contains "$text" "Signature Algorithm: ecdsa-with-SHA256"
	san=$(csr_ext "$text" "X509v3 Subject Alternative Name")
	[ "$san" = "DNS:vpn.example.com" ] || fail "SAN is: $san"
	eku=$(csr_ext "$text" "X509v3 Extended Key Usage")
	[ "$eku" = "TLS Web Server Authentication" ] || fail "EKU is: $eku"
	expect_lacks "$text" "X509v3 Key Usage"
	# certlm's extension order: SAN, EKU, Application Policies (mirroring the EKU), SKI.
	order=$(openssl asn1parse -in "$csr" | sed -n 's/.*prim: OBJECT *:\(.*[^ ]\) *$/\1/p' | tr '\n' ',')
	expect_contains "$order" "Extension Request,X509v3 Subject Alternative Name,X509v3 Extended Key Usage,1.3.6.1.4.1.311.21.10,X509v3 Subject Key Identifier,ecdsa-with-SHA256,"
	hex=$(openssl asn1parse -in "$csr")
	expect_contains "$hex" "[HEX DUMP]:300A06082B06010505070301"
	expect_contains "$hex" "[HEX DUMP]:300C300A06082B06010505070301"
	# No Microsoft attributes by default.
	expect_lacks "$hex" ":1.3.6.1.4.1.311.13.2.3"
	expect_lacks "$hex" ":1.3.6.1.4.1.311.13.2.2"
	expect_lacks "$hex" ":1.3.6.1.4.1.311.21.20"

	# The key: unencrypted PKCS#8, EC P-256, the request's public key.
	[ "$(head -n 1 "$key")" = "-----BEGIN PRIVATE KEY-----" ] || fail "first line of $key: $(head -n 1 "$key")"
	[ "$(tail -n 1 "$key")" = "-----END PRIVATE KEY-----" ] || fail "last line of $key: $(tail -n 1 "$key")"
	openssl pkey -in "$key" -passin pass:wrong -noout 2> /dev/null || fail "openssl cannot read $key"
	keydump=$(openssl asn1parse -in "$key")
	expect_contains "$keydump" ":id-ecPublicKey"
	expect_contains "$keydump" ":prime256v1"
	spki=$(csr_spki_sha256 "$csr")
	[ "$(key_spki_sha256 "$key")" = "$spki" ] || fail "$key does not match the public key of $csr"

	# The summary, line for line.
	cat > expected <<-EOF
	Created a certificate request for vpn.example.com
	  Subject:              CN=vpn.example.com
	  Alternative names:    DNS:vpn.example.com
	  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)
	  Key:                  ECDSA P-256, signed with ecdsa-with-SHA256
	  Public key SHA-256:   $spki
	  Private key file:     ./vpn.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)
	  Request file:         ./vpn.example.com.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it))

	Next steps:
	  1. Submit vpn.example.com.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form.
	  2. Keep vpn.example.com.key private (it is not encrypted): the certificate is useless without it.
	EOF
	diff expected "$WORK/out" >&2 || fail "the summary on stdout differs from the expected text (diff above)"
	rm -f expected
}

# No verb: "new" is implied.
run 0 --host vpn.example.com
check_defaults
rm -f "$key" "$csr"

# The same with the verb.
run 0 new --host vpn.example.com
check_defaults
first_spki=$spki
rm -f "$key" "$csr"

# Each run makes a new key.
run 0 new --host vpn.example.com
check_defaults
[ "$spki" != "$first_spki" ] || fail "two runs produced the same public key"

exit 0
