#!/bin/sh
# --like and certificates marked as a CA.  A self-signed certificate made by
# "openssl req -x509" (CA:TRUE, OpenSSL's default) with a DNS or IP name or
# a server or client usage is a server's certificate: renewed, with a note,
# and the request (read back with openssl) asks for no CA rights.  Refused
# with exit 3, naming why and writing nothing: a self-signed root (no
# server's name or usage), an intermediate, a CA-issued certificate marked
# as a CA even with a DNS name and serverAuth, and one whose issuer name is
# its own subject but that another key signed (self-issued, not
# self-signed).

. "$TESTS_SRCDIR/cli/lib.sh"

expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}
# expect_notes LINE...: the report's "Notes:" section holds exactly these lines.
expect_notes() {
	en_got=$(awk '/^Notes:$/ { on = 1; next } on && /^$/ { exit } on { print }' "$WORK/out")
	en_want=$(for n in "$@"; do printf '  - %s\n' "$n"; done)
	[ "$en_got" = "$en_want" ] || { cat "$WORK/out" >&2; fail "the notes are:
$en_got
expected:
$en_want"; }
}

mkdir in
# self_signed OUT SUBJECT ADDEXT...: openssl req -x509 with a P-256 key and these -addext values.
self_signed() {
	ss_out=$1
	ss_subject=$2
	shift 2
	ss_args=
	for ss_ext in "$@"; do
		ss_args="$ss_args -addext $ss_ext"
	done
	# shellcheck disable=SC2086
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$ss_out.key" -subj "$ss_subject" \
		-days 30 $ss_args -out "$ss_out" 2> in/openssl.err || { cat in/openssl.err >&2; fail "openssl cannot make $ss_out"; }
	rm -f "$ss_out.key"
}
self_signed in/old.pem /CN=old.example.com subjectAltName=DNS:old.example.com extendedKeyUsage=serverAuth
self_signed in/ip.pem /CN=192.0.2.5 subjectAltName=IP:192.0.2.5
self_signed in/client.pem /CN=client01 extendedKeyUsage=clientAuth
self_signed in/root.pem "/CN=Lab Root CA" keyUsage=critical,keyCertSign,cRLSign
self_signed in/root-anyeku.pem "/CN=Lab Root CA" extendedKeyUsage=anyExtendedKeyUsage
# What openssl made is what the test is about: CA:TRUE on a self-signed server certificate.
openssl x509 -in in/old.pem -noout -ext basicConstraints | grep -qx '    CA:TRUE' || fail "openssl req -x509 did not mark in/old.pem CA:TRUE"

# ---- renewed ----
run 0 new --like in/old.pem
expect_no_err
expect_out_line "  Subject:              CN=old.example.com"
expect_out_line "  Alternative names:    DNS:old.example.com"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)"
expect_notes "in/old.pem: self-signed and marked as a CA (as openssl req -x509 makes it): renewed as a server's certificate; the request asks for no CA rights" \
	"in/old.pem: copied the subject (CN=old.example.com), 1 name, 1 usage and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"
expect_is "the subject" "$(csr_subject old.example.com.csr)" "CN=old.example.com"
expect_is "the SAN" "$(csr_san old.example.com.csr)" "DNS:old.example.com"
expect_is "the EKU" "$(csr_eku old.example.com.csr)" "TLS Web Server Authentication"
expect_is "the key" "$(csr_key old.example.com.csr)" "id-ecPublicKey 256"
expect_is "the extensions" "$(csr_extensions old.example.com.csr)" "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
openssl req -in old.example.com.csr -noout -verify 2> /dev/null || fail "openssl cannot verify the request"
rm -f old.example.com.key old.example.com.csr

run 0 new --like in/ip.pem -q
expect_no_err
expect_is "the SAN" "$(csr_san 192.0.2.5.csr)" "IP Address:192.0.2.5"
rm -f 192.0.2.5.key 192.0.2.5.csr

# No name at all but a client usage: renewed; the request has no SAN (mkcsr warns about that).
run 0 new --like in/client.pem --json
expect_err_first "mkcsr new: warning: the request has no subject alternative name: browsers and Windows match names in the SAN, not the CN"
expect_lines "$WORK/err" 1
need_python json
"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = ["in/client.pem: self-signed and marked as a CA (as openssl req -x509 makes it): renewed as a server'"'"'s certificate; the request asks for no CA rights",
        "in/client.pem: copied the subject (CN=client01), 0 names, 1 usage and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"]
sys.exit(d["notes"] != want)' "$WORK/out" || { cat "$WORK/out" >&2; fail "the notes are not what was expected"; }
expect_is "the EKU" "$(csr_eku client01.csr)" "TLS Web Client Authentication"
rm -f client01.key client01.csr
expect_files in

# ---- refused: exit 3, nothing written ----
# refused FILE DETAIL: new --like FILE fails with "cannot renew from this certificate: DETAIL" alone.
refused() {
	run 3 new --like "$1" --host vpn.example.com
	expect_err_exactly "mkcsr new: cannot renew from this certificate: $2"
	expect_no_out
	expect_files in err.want
	rm -f err.want
}
root_detail="is a root CA certificate: self-signed, marked as a CA, and with no DNS name, IP address, or server or client usage; --like renews a server's or client's certificate"
refused in/root.pem "'in/root.pem' $root_detail"
# anyExtendedKeyUsage is no server or client usage.
refused in/root-anyeku.pem "'in/root-anyeku.pem' $root_detail"
refused "$CERTS/root-ca.pem" "'$CERTS/root-ca.pem' $root_detail"
refused "$CERTS/inter-ca.pem" \
	"'$CERTS/inter-ca.pem' is a CA certificate issued by CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US; --like renews a server's or client's certificate"

# Issued by a CA, marked as a CA, with a DNS name and serverAuth: still an intermediate.
cat > in/ext.cnf <<'CNF'
[ext]
basicConstraints = critical, CA:TRUE
subjectAltName = DNS:vpn.example.com
extendedKeyUsage = serverAuth
CNF
openssl req -new -key "$CERTS/leaf.key" -subj /CN=vpn.example.com -out in/req.csr 2> /dev/null &&
	openssl x509 -req -in in/req.csr -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" -set_serial 0x7001 -days 30 \
		-extfile in/ext.cnf -extensions ext -out in/issued-ca.pem 2> /dev/null || fail "openssl cannot issue in/issued-ca.pem"
refused in/issued-ca.pem \
	"'in/issued-ca.pem' is a CA certificate issued by CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US; --like renews a server's or client's certificate"

# Self-issued but not self-signed: the issuing CA's own name as subject, signed by that CA's key.
inter_subject=$(openssl x509 -in "$CERTS/inter-ca.pem" -noout -subject -nameopt compat | sed 's/^subject=//')
openssl req -new -key "$CERTS/leaf.key" -subj "$inter_subject" -out in/req2.csr 2> /dev/null &&
	openssl x509 -req -in in/req2.csr -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" -set_serial 0x7002 -days 30 \
		-extfile in/ext.cnf -extensions ext -out in/self-issued.pem 2> /dev/null || fail "openssl cannot issue in/self-issued.pem"
[ "$(openssl x509 -in in/self-issued.pem -noout -subject)" = "$(openssl x509 -in in/self-issued.pem -noout -issuer | sed 's/^issuer/subject/')" ] ||
	fail "in/self-issued.pem is not self-issued"
refused in/self-issued.pem \
	"'in/self-issued.pem' is a CA certificate issued by CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US; --like renews a server's or client's certificate"

# --json: the refusal as the error object, naming the file.
run 3 new --like in/root.pem --json
expect_json_error BAD_LIKE 3 in/root.pem "cannot renew from this certificate: 'in/root.pem' $root_detail" ""
expect_files in
exit 0
