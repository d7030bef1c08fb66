#!/bin/sh
# --like CERT: renewal from a deployed certificate (made here by the test CA,
# now) in PEM, DER and inside a PFX (openssl's and mkcsr pfx's, opened with
# --pass): the same subject (order and string types), names (in order: DNS,
# a wildcard, IPv4 and IPv6), EKUs and key type, a new public key, and the
# notes saying what was copied and what not; a PFX without --pass, a wrong
# password, a request, a key or garbage given to --like: exit 3; options
# given with --like replace what it copied.

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

# ---- the deployed certificate: ECDSA P-384, five names, two usages ----
mkdir in
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out in/old.key 2> /dev/null || fail "openssl cannot make a key"
cat > in/ext.cnf <<'CNF'
[ext]
subjectAltName = DNS:vpn.example.com, DNS:*.example.com, IP:192.0.2.10, DNS:example.com, IP:2001:db8::7
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, 1.3.6.1.5.5.8.2.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com
CNF
openssl req -new -key in/old.key -subj "/C=US/O=Example Ltd/OU=IT/CN=vpn.example.com" -out in/old.csr 2> /dev/null &&
	openssl x509 -req -in in/old.csr -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" -set_serial 0x6001 -days 90 \
		-sha384 -extfile in/ext.cnf -extensions ext -out in/old.pem 2> /dev/null || fail "openssl cannot issue in/old.pem"
openssl x509 -in in/old.pem -outform DER -out in/old.der || fail "openssl cannot write DER"
printf 'like-pfx-password\n' > in/pw
openssl pkcs12 -export -in in/old.pem -inkey in/old.key -certfile "$CERTS/inter-ca.pem" -passout file:in/pw \
	-out in/openssl.pfx || fail "openssl cannot make a PFX"
"$MKCSR" pfx --cert in/old.pem --key in/old.key --chain "$CERTS/inter-ca.pem" --pass file:in/pw --out in/mkcsr.pfx -q ||
	fail "mkcsr pfx cannot make a PFX"
old_spki=$(openssl x509 -in in/old.pem -noout -pubkey | openssl pkey -pubin -outform DER | sha256_hex)

# renewed SOURCE [OPTION...]: new --like SOURCE makes vpn.example.com.key and
# .csr with the old certificate's subject, names, usages and key type, a new
# key, the report and the note; then the files are removed.
renewed() {
	rn_source=$1
	shift
	run 0 new --like "$rn_source" "$@"
	expect_no_err
	expect_files in vpn.example.com.key vpn.example.com.csr
	expect_out_line "Created a certificate request"
	expect_out_line "  Subject:              CN=vpn.example.com, OU=IT, O=Example Ltd, C=US"
	expect_out_line "  Alternative names:    DNS:vpn.example.com, DNS:*.example.com, IP:192.0.2.10, DNS:example.com, IP:2001:db8::7"
	expect_out_lacks "  Key usage"
	expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1), IP security IKE intermediate (1.3.6.1.5.5.8.2.2)"
	expect_out_line "  Key:                  ECDSA P-384, signed with ecdsa-with-SHA384"
	expect_notes "$rn_source: copied the subject (CN=vpn.example.com, OU=IT, O=Example Ltd, C=US), 5 names, 2 usages and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"
	csr=vpn.example.com.csr
	expect_is "the subject encoding" "$(subject_encoding $csr)" \
		"/countryName=PRINTABLESTRING:US/organizationName=UTF8STRING:Example Ltd/organizationalUnitName=UTF8STRING:IT/commonName=UTF8STRING:vpn.example.com"
	expect_is "the subject" "$(csr_subject $csr)" \
		"$(openssl x509 -in in/old.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
	expect_is "the SAN" "$(csr_san $csr)" \
		"DNS:vpn.example.com, DNS:*.example.com, IP Address:192.0.2.10, DNS:example.com, IP Address:2001:DB8:0:0:0:0:0:7"
	expect_is "the SAN DER" "$(csr_ext_hex $csr "X509v3 Subject Alternative Name")" \
		"$(openssl asn1parse -in in/old.pem | awk '/:X509v3 Subject Alternative Name/ { f = 1; next } f && /OCTET STRING/ { sub(/.*HEX DUMP\]:/, ""); print; exit }')"
	expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
	expect_is "the key" "$(csr_key $csr)" "id-ecPublicKey 384"
	expect_is "the signature" "$(csr_sigalg $csr)" ecdsa-with-SHA384
	expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
	new_spki=$(csr_spki_sha256 $csr)
	[ "$new_spki" != "$old_spki" ] || fail "the renewal kept the old key"
	[ "$(key_spki_sha256 vpn.example.com.key)" = "$new_spki" ] || fail "the new key does not fit the request"
	[ "$(head -n 1 vpn.example.com.key)" = "-----BEGIN PRIVATE KEY-----" ] || fail "the key file has a role mark"
	rm -f vpn.example.com.key $csr
}

renewed in/old.pem
renewed in/old.der
renewed in/openssl.pfx --pass file:in/pw
renewed in/mkcsr.pfx --pass file:in/pw
MKCSR_TEST_PFX_PASS=like-pfx-password
export MKCSR_TEST_PFX_PASS
renewed in/openssl.pfx --pass env:MKCSR_TEST_PFX_PASS
# The certificate inside a bundle: the leaf, wherever it stands.
cat "$CERTS/inter-ca.pem" in/old.pem "$CERTS/root-ca.pem" > in/bundle.pem
renewed in/bundle.pem

# ---- what cannot be renewed from: exit 3, nothing written ----
run 3 new --like in/openssl.pfx
expect_err_first "mkcsr new: cannot read the passphrase: 'in/openssl.pfx' is a PFX: give its password with --pass SOURCE"
expect_lines "$WORK/err" 1
expect_no_out
expect_files in
printf 'wrong-password\n' > in/bad
run 3 new --like in/openssl.pfx --pass file:in/bad
expect_err_first "mkcsr new: malformed input: 'in/openssl.pfx': the password is wrong (the PFX's integrity check failed)"
expect_lines "$WORK/err" 1
expect_no_out
expect_files in
run 3 new --like in/old.csr
expect_err_first "mkcsr new: malformed input: 'in/old.csr' holds no certificate: it is a certificate request"
expect_files in
run 3 new --like "$CERTS/leaf.csr"
expect_err_first "mkcsr new: malformed input: '$CERTS/leaf.csr' holds no certificate: it is a certificate request"
expect_files in
run 3 new --like in/old.key
expect_err_first "mkcsr new: malformed input: 'in/old.key' holds no certificate: it is a private key"
expect_files in
run 3 new --like "$CERTS/garbage.bin"
expect_err_first "mkcsr new: malformed input: '$CERTS/garbage.bin' holds no certificate: it is not a PEM or DER file"
expect_files in
run 3 new --like in/missing.pem
expect_err_first "mkcsr new: cannot read file: 'in/missing.pem': No such file or directory"
expect_files in
run 3 new --like in/openssl.pfx --pass file:in/missing
expect_err_first "mkcsr new: cannot read the passphrase: 'in/missing': No such file or directory"
expect_files in
# --pass belongs to --like, and is a SOURCE.
run 2 new --host vpn.example.com --pass file:in/pw
expect_err_first "mkcsr new: invalid usage: --pass is the password of a PFX given to --like"
expect_files in
run 2 new --like in/openssl.pfx --pass like-pfx-password
expect_err_first "mkcsr new: invalid passphrase source: 'like-pfx-password'"
expect_files in
# pass:TEXT works, with a warning.
run 0 new --like in/openssl.pfx --pass pass:like-pfx-password -q
expect_err_first "mkcsr new: warning: a password given as pass:TEXT can be read by other users in the process list; prefer env:VAR, file:PATH, fd:N, stdin or prompt"
expect_lines "$WORK/err" 1
rm -f vpn.example.com.key vpn.example.com.csr
# One base at a time.
run 2 new --like in/old.pem --inf "$INF_DATA/hicks-newcsr.inf"
expect_err_first "mkcsr new: invalid usage: --template, --inf and --like each give the whole request: use one of them"
expect_files in

# ---- options over --like ----
run 0 new --like in/old.pem --eku clientAuth -q
expect_no_err
expect_is "the EKU" "$(csr_eku vpn.example.com.csr)" "TLS Web Client Authentication"
expect_is "the SAN" "$(csr_san vpn.example.com.csr)" \
	"DNS:vpn.example.com, DNS:*.example.com, IP Address:192.0.2.10, DNS:example.com, IP Address:2001:DB8:0:0:0:0:0:7"
rm -f vpn.example.com.key vpn.example.com.csr
run 0 new --like in/old.pem --san dns:new.example.com -q
expect_is "the subject" "$(csr_subject new.example.com.csr)" "CN=vpn.example.com,OU=IT,O=Example Ltd,C=US"
expect_is "the SAN" "$(csr_san new.example.com.csr)" "DNS:new.example.com"
rm -f new.example.com.key new.example.com.csr
run 0 new --like in/old.pem --host vpn2.example.com -q
expect_is "the subject" "$(csr_subject vpn2.example.com.csr)" "CN=vpn2.example.com,OU=IT,O=Example Ltd,C=US"
expect_is "the SAN" "$(csr_san vpn2.example.com.csr)" \
	"DNS:vpn2.example.com, DNS:vpn.example.com, DNS:*.example.com, IP Address:192.0.2.10, DNS:example.com, IP Address:2001:DB8:0:0:0:0:0:7"
rm -f vpn2.example.com.key vpn2.example.com.csr
run 0 new --like in/old.pem --key-type rsa:2048 -q
expect_is "the key" "$(csr_key vpn.example.com.csr)" "rsaEncryption 2048"
expect_is "the signature" "$(csr_sigalg vpn.example.com.csr)" sha256WithRSAEncryption
rm -f vpn.example.com.key vpn.example.com.csr
run 0 new --like in/old.pem --subject "CN=vpn.example.com, O=New Name Ltd, C=US" -q
expect_is "the subject" "$(csr_subject vpn.example.com.csr)" "CN=vpn.example.com,O=New Name Ltd,C=US"
rm -f vpn.example.com.key vpn.example.com.csr

# ---- what is not copied is said ----
# Names of kinds mkcsr does not request (URI, registered ID), subject attributes kept.
cat > in/ext2.cnf <<'CNF'
[ext]
subjectAltName = URI:https://vpn.example.com/, DNS:vpn.example.com, email:admin@example.com, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:svc@corp.example, RID:1.2.3.4
CNF
openssl req -new -key in/old.key -subj "/DC=example/serialNumber=42/CN=vpn.example.com" -out in/o2.csr 2> /dev/null &&
	openssl x509 -req -in in/o2.csr -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" -set_serial 0x6002 -days 90 \
		-extfile in/ext2.cnf -extensions ext -out in/o2.pem 2> /dev/null || fail "openssl cannot issue in/o2.pem"
run 0 new --like in/o2.pem
expect_no_err
expect_out_line "  Subject:              CN=vpn.example.com, SERIALNUMBER=42, DC=example"
expect_out_line "  Alternative names:    DNS:vpn.example.com, email:admin@example.com, UPN:svc@corp.example"
expect_out_line "  Enhanced key usage:   (none)"
expect_notes "in/o2.pem: a subject alternative name of a kind mkcsr does not request (type 6) was not copied" \
	"in/o2.pem: a subject alternative name of a kind mkcsr does not request (type 8) was not copied" \
	"in/o2.pem: copied the subject (CN=vpn.example.com, SERIALNUMBER=42, DC=example), 3 names, 0 usages and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"
# No usages in the old certificate: none requested (not the default serverAuth).
expect_is "the extensions" "$(csr_extensions vpn.example.com.csr)" "X509v3 Subject Alternative Name
X509v3 Subject Key Identifier"
rm -f vpn.example.com.key vpn.example.com.csr
# A key too small to renew as it is: RSA 2048, said.
run 0 new --like "$CERTS/leaf-rsa1024.pem"
expect_no_err
expect_out_line "  Key:                  RSA 2048, signed with sha256WithRSAEncryption"
expect_notes "$CERTS/leaf-rsa1024.pem: an RSA key of 1024 bits is too small to renew as it is; the new key is RSA 2048" \
	"$CERTS/leaf-rsa1024.pem: copied the subject (CN=vpn.example.com), 1 name, 1 usage and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"
rm -f vpn.example.com.key vpn.example.com.csr
# The user tunnel's UPN is copied; an expired certificate is renewed all the same.
run 0 new --like "$CERTS/leaf-client.pem" -q
expect_is "the SAN" "$(csr_san client01.corp.example.com.csr)" "DNS:client01.corp.example.com, othername: UPN::user1@corp.example.com"
expect_is "the EKU" "$(csr_eku client01.corp.example.com.csr)" "TLS Web Client Authentication"
rm -f client01.corp.example.com.key client01.corp.example.com.csr
run 0 new --like "$CERTS/leaf-expired.pem" -q
expect_no_err
expect_files in vpn.example.com.key vpn.example.com.csr
rm -f vpn.example.com.key vpn.example.com.csr

# --json: the same note.
need_python
run 0 new --like in/old.pem --json
"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
want = ["in/old.pem: copied the subject (CN=vpn.example.com, OU=IT, O=Example Ltd, C=US), 5 names, 2 usages and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"]
sys.exit(not (d["notes"] == want and d["warnings"] == [] and d["host"] is None and d["role"] is None
              and d["key"]["type"] == "ec:P-384" and [n["value"] for n in d["names"]] ==
              ["vpn.example.com", "*.example.com", "192.0.2.10", "example.com", "2001:db8::7"]))' "$WORK/out" ||
	{ cat "$WORK/out" >&2; fail "the JSON report is not what was expected"; }
rm -f vpn.example.com.key vpn.example.com.csr
expect_files in
