#!/bin/sh
# OpenSSL's CLI reads every form of request mkcsr writes (the Windows header
# with CRLF line ends, LF, the standard header, DER), for P-256, RSA and
# P-384 keys, verifies the self-signature, and "openssl req -text" shows
# exactly the names and usages that were asked for.
. "$TESTS_SRCDIR/cli/lib.sh"
need openssl

CR=$(printf '\r')

# verify FILE [OPTION...]: "openssl req -verify" accepts FILE's signature.
# OpenSSL 3.0 exits 0 even when the signature is bad, so read what it says.
verify() {
	verify_file=$1
	shift
	openssl req -verify -noout -in "$verify_file" "$@" > "$WORK/ossl.out" 2> "$WORK/ossl.err" ||
		{ cat "$WORK/ossl.err" >&2; fail "openssl req -verify cannot read $verify_file"; }
	grep -qx 'Certificate request self-signature verify OK' "$WORK/ossl.err" ||
		{ cat "$WORK/ossl.err" >&2; fail "openssl req -verify does not verify $verify_file"; }
}

# text FILE [OPTION...]: "openssl req -text" of FILE in $WORK/text, each line
# without its leading and trailing blanks.
text() {
	text_file=$1
	shift
	openssl req -noout -text -in "$text_file" "$@" > "$WORK/text.raw" 2> "$WORK/ossl.err" ||
		{ cat "$WORK/ossl.err" >&2; fail "openssl req -text cannot read $text_file"; }
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$WORK/text.raw" > "$WORK/text"
}

# shows LINE...: the last "text" output has each LINE, exactly.
shows() {
	for shows_line in "$@"; do
		grep -qxF -- "$shows_line" "$WORK/text" ||
			{ cat "$WORK/text.raw" >&2; fail "openssl req -text lacks the line: $shows_line"; }
	done
}

# The default: Windows header, CRLF on every line, P-256, ecdsa-with-SHA256.
run 0 new --host vpn.example.net --csr default.csr --key default.key
[ "$(sed -n 1p default.csr)" = "-----BEGIN NEW CERTIFICATE REQUEST-----$CR" ] ||
	fail "default.csr does not start with the Windows header and CRLF"
grep -qv "$CR\$" default.csr && fail "default.csr has a line without CRLF"
verify default.csr
text default.csr
shows "Subject: CN = vpn.example.net" "ASN1 OID: prime256v1" "Signature Algorithm: ecdsa-with-SHA256" \
	"X509v3 Subject Alternative Name:" "DNS:vpn.example.net" \
	"X509v3 Extended Key Usage:" "TLS Web Server Authentication" \
	"1.3.6.1.4.1.311.21.10:" "X509v3 Subject Key Identifier:"
# The requested extensions in certlm's order, and no other.
grep -E '^(X509v3 |1\.3\.6\.1\.4\.1\.311\.)' "$WORK/text" > ext-order
printf '%s\n' "X509v3 Subject Alternative Name:" "X509v3 Extended Key Usage:" \
	"1.3.6.1.4.1.311.21.10:" "X509v3 Subject Key Identifier:" > ext-order.expected
diff -u ext-order.expected ext-order >&2 || fail "openssl req -text shows other extensions (diff above)"

# --eol lf: the Windows header, no CR anywhere.
run 0 new --host vpn.example.net --eol lf --csr lf.csr --key lf.key
[ "$(sed -n 1p lf.csr)" = "-----BEGIN NEW CERTIFICATE REQUEST-----" ] || fail "lf.csr has not the Windows header"
grep -q "$CR" lf.csr && fail "lf.csr has a CR"
verify lf.csr

# --header standard: BEGIN CERTIFICATE REQUEST, still CRLF.
run 0 new --host vpn.example.net --header standard --csr std.csr --key std.key
[ "$(sed -n 1p std.csr)" = "-----BEGIN CERTIFICATE REQUEST-----$CR" ] ||
	fail "std.csr does not start with the standard header and CRLF"
verify std.csr

# --format der.
run 0 new --host vpn.example.net --format der --csr req.der --key der.key
[ "$(od -An -tx1 -N1 req.der | tr -d ' \n')" = 30 ] || fail "req.der does not start with a SEQUENCE"
verify req.der -inform DER
text req.der -inform DER
shows "Subject: CN = vpn.example.net" "DNS:vpn.example.net" "TLS Web Server Authentication"

# The check above is a real one: a changed signature byte is caught.
flip_last_byte req.der bad.der
openssl req -verify -noout -in bad.der -inform DER > "$WORK/ossl.out" 2> "$WORK/ossl.err" || true
grep -q 'Certificate request self-signature verify OK' "$WORK/ossl.err" &&
	fail "openssl req -verify accepts a request whose signature was changed"

# RSA-2048, signed with sha256WithRSAEncryption.
run 0 new --host rsa.example.net --key-type rsa:2048 --csr rsa.csr --key rsa.key
verify rsa.csr
text rsa.csr
shows "Subject: CN = rsa.example.net" "Public Key Algorithm: rsaEncryption" "Public-Key: (2048 bit)" \
	"Exponent: 65537 (0x10001)" "Signature Algorithm: sha256WithRSAEncryption" "DNS:rsa.example.net"

# P-384, signed with ecdsa-with-SHA384.
run 0 new --host p384.example.net --key-type ec:P-384 --csr p384.csr --key p384.key
verify p384.csr
text p384.csr
shows "Public-Key: (384 bit)" "ASN1 OID: secp384r1" "Signature Algorithm: ecdsa-with-SHA384" "DNS:p384.example.net"

# Several names and usages, and a key usage: the exact SAN, EKU and KU lines.
run 0 new --host vpn.example.net --san dns:www.example.net --san ip:192.0.2.1 --san email:admin@example.net \
	--eku serverAuth --eku clientAuth --key-usage digitalSignature --csr many.csr --key many.key
verify many.csr
text many.csr
shows "X509v3 Subject Alternative Name:" \
	"DNS:vpn.example.net, DNS:www.example.net, IP Address:192.0.2.1, email:admin@example.net" \
	"X509v3 Key Usage: critical" "Digital Signature" \
	"X509v3 Extended Key Usage:" "TLS Web Server Authentication, TLS Web Client Authentication"
grep -E '^(X509v3 |1\.3\.6\.1\.4\.1\.311\.)' "$WORK/text" > ext-order
printf '%s\n' "X509v3 Subject Alternative Name:" "X509v3 Key Usage: critical" "X509v3 Extended Key Usage:" \
	"1.3.6.1.4.1.311.21.10:" "X509v3 Subject Key Identifier:" > ext-order.expected
diff -u ext-order.expected ext-order >&2 || fail "openssl req -text shows other extensions (diff above)"

exit 0
