#!/bin/sh
# GnuTLS's certtool (gnutls-bin) parses mkcsr's requests, Base64 with the
# Windows header and CRLF as well as DER, verifies the self-signature and
# shows the subject, names, usages and Microsoft extras asked for.  Its own
# SHA-256 of the public key and the SKI it reads match what mkcsr reports.
. "$TESTS_SRCDIR/cli/lib.sh"
need certtool

# info FILE [OPTION...]: certtool --crq-info of FILE in $WORK/info, each line
# without its leading tabs and blanks (the text is certtool 3.7's).
info() {
	info_file=$1
	shift
	certtool --crq-info "$@" --infile "$info_file" > "$WORK/info.raw" 2> "$WORK/certtool.err" ||
		{ cat "$WORK/certtool.err" >&2; fail "certtool --crq-info cannot read $info_file"; }
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$WORK/info.raw" > "$WORK/info"
}

# shows LINE...: the last "info" output has each LINE, exactly.
shows() {
	for shows_line in "$@"; do
		grep -qxF -- "$shows_line" "$WORK/info" ||
			{ cat "$WORK/info.raw" >&2; fail "certtool --crq-info lacks the line: $shows_line"; }
	done
}

# extensions_are LINE...: the extension headings, in this order and no other.
extensions_are() {
	sed -n '/^Extensions:$/,/^Other Information:$/p' "$WORK/info" | grep -E '\((not )?critical\):$' > ext-order
	printf '%s\n' "$@" > ext-order.expected
	diff -u ext-order.expected ext-order >&2 || fail "certtool shows other extensions (diff above)"
}

# json_field NAME: a string field of mkcsr's last --json report.
json_field() {
	sed -n "s/^ *\"$1\": \"\\([^\"]*\\)\",\{0,1\}\$/\\1/p" "$WORK/out"
}

# The default request: Windows header, CRLF, P-256.
run 0 new --json --host vpn.example.net --csr default.csr --key default.key
spki=$(json_field spki_sha256)
ski=$(json_field subject_key_identifier)
[ ${#spki} -eq 64 ] && [ ${#ski} -eq 40 ] || { cat "$WORK/out" >&2; fail "no spki_sha256/subject_key_identifier in the JSON report"; }
info default.csr
shows "Subject: CN=vpn.example.net" "Subject Public Key Algorithm: EC/ECDSA" "Curve:	SECP256R1" \
	"Signature Algorithm: ECDSA-SHA256" \
	"Subject Alternative Name (not critical):" "DNSname: vpn.example.net" \
	"Key Purpose (not critical):" "TLS WWW Server." \
	"Unknown extension 1.3.6.1.4.1.311.21.10 (not critical):" "Hexdump: 300c300a06082b06010505070301" \
	"Subject Key Identifier (not critical):" "$ski" \
	"sha256:$spki" \
	"Self signature: verified"
extensions_are "Subject Alternative Name (not critical):" "Key Purpose (not critical):" \
	"Unknown extension 1.3.6.1.4.1.311.21.10 (not critical):" "Subject Key Identifier (not critical):"
grep -q '^Unknown attribute' "$WORK/info" && fail "the default request has attributes besides the extensions"

# The same request shape as DER.
run 0 new --host vpn.example.net --format der --csr req.der --key der.key
info req.der --inder
shows "Subject: CN=vpn.example.net" "DNSname: vpn.example.net" "TLS WWW Server." "Self signature: verified"

# certtool says so when the signature is wrong (it exits 0 either way).
flip_last_byte req.der bad.der
info bad.der --inder
shows "Self signature: FAILED"

# RSA with certlm's Microsoft attributes and a critical key usage.
run 0 new --host rsa.example.net --key-type rsa:2048 --ms-attributes --key-usage digitalSignature,keyEncipherment \
	--eku serverAuth --eku clientAuth --csr rsa.csr --key rsa.key
info rsa.csr
shows "Subject: CN=rsa.example.net" "Subject Public Key Algorithm: RSA" "Modulus (bits 2048):" \
	"Signature Algorithm: RSA-SHA256" \
	"Unknown attribute 1.3.6.1.4.1.311.21.20:" "Unknown attribute 1.3.6.1.4.1.311.13.2.2:" \
	"Hexdump: 30560201001e4e004d006900630072006f0073006f0066007400200053006f0066007400770061007200650020004b00650079002000530074006f0072006100670065002000500072006f00760069006400650072030100" \
	"Subject Alternative Name (not critical):" "DNSname: rsa.example.net" \
	"Key Usage (critical):" "Digital signature." "Key encipherment." \
	"Key Purpose (not critical):" "TLS WWW Server." "TLS WWW Client." \
	"Hexdump: 3018300a06082b06010505070301300a06082b06010505070302" \
	"Self signature: verified"
extensions_are "Subject Alternative Name (not critical):" "Key Usage (critical):" "Key Purpose (not critical):" \
	"Unknown extension 1.3.6.1.4.1.311.21.10 (not critical):" "Subject Key Identifier (not critical):"

# The DER form of that shape, and a subject with more than a CN.
run 0 new --host rsa.example.net --key-type rsa:2048 --ms-attributes --key-usage digitalSignature,keyEncipherment \
	--subject "O=Org, OU=IT, L=City, ST=State, C=US" --format der --csr rsa.der --key rsa-der.key
info rsa.der --inder
shows "Subject: CN=rsa.example.net,O=Org,OU=IT,L=City,ST=State,C=US" "DNSname: rsa.example.net" \
	"Key Usage (critical):" "Digital signature." "Key encipherment." "TLS WWW Server." \
	"Unknown attribute 1.3.6.1.4.1.311.21.20:" "Self signature: verified"

# Other name types: a UPN otherName and IP addresses.
run 0 new --host n.example.net --san upn:user@example.net --san ip:192.0.2.7 --san ip:2001:db8::1 \
	--csr names.csr --key names.key
info names.csr
shows "DNSname: n.example.net" "User Principal Name: user@example.net" "IPAddress: 192.0.2.7" \
	"IPAddress: 2001:db8::1" "Self signature: verified"

exit 0
