#!/bin/sh
# --inf with the other real-world INF files in tests/data/inf: the classic
# IIS SChannel request (RSA 2048, KeyUsage 0xa0, S= for ST, subject order),
# ECDSA P-384 in the KSP (UTF-16BE, sha384, symbolic KeyUsage), Hicks'
# wildcard form (SANs without a trailing '&', _wildcard file names),
# [Strings] with %name%, comments and quotes (UTF-8 with a BOM, lower-case
# names, no [Version]), and {critical}{text} with Critical =.  Each: the
# exact subject and its encoding, names, usages, extension list with
# criticality, key and signature, the notes, and no warning.

. "$TESTS_SRCDIR/cli/lib.sh"

mkdir in
cp "$INF_DATA"/*.inf in/ || fail "cannot copy the fixtures"

# expect_notes LINE...: the report's "Notes:" section holds exactly these lines (each "  - LINE").
expect_notes() {
	en_got=$(awk '/^Notes:$/ { on = 1; next } on && /^$/ { exit } on { print }' "$WORK/out")
	en_want=$(for n in "$@"; do printf '  - %s\n' "$n"; done)
	[ "$en_got" = "$en_want" ] || { cat "$WORK/out" >&2; fail "the notes are:
$en_got
expected:
$en_want"; }
}
# store_note FILE:LINE KEY VALUE: the note for a key-store setting.
store_note() {
	printf '%s: %s = %s is a property of the key inside a Windows key store; it does not apply to a request made here' "$1" "$2" "$3"
}
# expect_is WHAT GOT WANT
expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}

# ---- IIS, SChannel CSP: RSA 2048, KU 0xa0 critical, subject C,ST,L,O,OU,CN ----
run 0 new --inf in/iis-schannel.inf
expect_no_err
expect_files in www.contoso.com.key www.contoso.com.csr
expect_out_line "Created a certificate request"
expect_out_line "  Subject:              CN=www.contoso.com, OU=Web Services, O=Contoso Ltd, L=Redmond, ST=Washington, C=US"
expect_out_line "  Alternative names:    DNS:www.contoso.com, DNS:contoso.com"
expect_out_line "  Key usage (critical): digitalSignature, keyEncipherment"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)"
expect_out_line "  Key:                  RSA 2048, signed with sha256WithRSAEncryption"
expect_notes "$(store_note in/iis-schannel.inf:7 KeySpec 1)" \
	"$(store_note in/iis-schannel.inf:11 MachineKeySet True)" \
	"$(store_note in/iis-schannel.inf:12 Exportable TRUE)" \
	"$(store_note in/iis-schannel.inf:13 SMIME False)" \
	"$(store_note in/iis-schannel.inf:14 PrivateKeyArchive FALSE)" \
	"$(store_note in/iis-schannel.inf:15 UserProtected FALSE)" \
	"$(store_note in/iis-schannel.inf:16 UseExistingKeySet FALSE)" \
	"$(store_note in/iis-schannel.inf:17 ProviderName "Microsoft RSA SChannel Cryptographic Provider")" \
	"$(store_note in/iis-schannel.inf:18 ProviderType 12)"
csr=www.contoso.com.csr
expect_is "the subject encoding" "$(subject_encoding $csr)" \
	"/countryName=PRINTABLESTRING:US/stateOrProvinceName=UTF8STRING:Washington/localityName=UTF8STRING:Redmond/organizationName=UTF8STRING:Contoso Ltd/organizationalUnitName=UTF8STRING:Web Services/commonName=UTF8STRING:www.contoso.com"
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Key Usage critical
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
expect_is "the KeyUsage DER" "$(csr_ext_hex $csr "X509v3 Key Usage")" 030205A0
expect_is "the SAN" "$(csr_san $csr)" "DNS:www.contoso.com, DNS:contoso.com"
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication"
expect_is "the key" "$(csr_key $csr)" "rsaEncryption 2048"
expect_is "the signature" "$(csr_sigalg $csr)" sha256WithRSAEncryption
[ "$(key_spki_sha256 www.contoso.com.key)" = "$(csr_spki_sha256 $csr)" ] || fail "the key does not fit the request"
rm -f www.contoso.com.key $csr

# ---- ECDSA P-384 in the KSP: UTF-16BE, sha384, KU by name = 03020780 ----
run 0 new --inf in/p384-ksp.inf
expect_no_err
expect_files in vpn.example.net.key vpn.example.net.csr
expect_out_line "  Subject:              CN=vpn.example.net"
expect_out_line "  Alternative names:    DNS:vpn.example.net"
expect_out_line "  Key usage (critical): digitalSignature"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1), IP security IKE intermediate (1.3.6.1.5.5.8.2.2)"
expect_out_line "  Key:                  ECDSA P-384, signed with ecdsa-with-SHA384"
expect_notes "$(store_note in/p384-ksp.inf:10 KeyUsageProperty NCRYPT_ALLOW_SIGNING_FLAG)" \
	"$(store_note in/p384-ksp.inf:11 MachineKeySet True)" \
	"$(store_note in/p384-ksp.inf:12 Exportable True)" \
	"$(store_note in/p384-ksp.inf:13 ProviderName "Microsoft Software Key Storage Provider")"
csr=vpn.example.net.csr
expect_is "the subject encoding" "$(subject_encoding $csr)" "/commonName=UTF8STRING:vpn.example.net"
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Key Usage critical
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
expect_is "the KeyUsage DER" "$(csr_ext_hex $csr "X509v3 Key Usage")" 03020780
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
expect_is "the key" "$(csr_key $csr)" "id-ecPublicKey 384"
expect_is "the signature" "$(csr_sigalg $csr)" ecdsa-with-SHA384
csr_text $csr | grep -qx '                ASN1 OID: secp384r1' || fail "the key is not on secp384r1"
rm -f vpn.example.net.key $csr

# ---- Hicks' wildcard: *.example.net and example.net, files _wildcard.example.net.* ----
run 0 new --inf in/wildcard.inf
expect_no_err
expect_files in _wildcard.example.net.key _wildcard.example.net.csr
expect_out_line "  Subject:              CN=*.example.net"
expect_out_line "  Alternative names:    DNS:*.example.net, DNS:example.net"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)"
expect_out_line "  Key:                  ECDSA P-256, signed with ecdsa-with-SHA256"
expect_out_line "  Private key file:     ./_wildcard.example.net.key (PKCS#8 PEM, mode 0600, not encrypted)"
expect_out_line "  Request file:         ./_wildcard.example.net.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it))"
expect_notes "$(store_note in/wildcard.inf:3 FriendlyName '*.example.net')" \
	"$(store_note in/wildcard.inf:6 MachineKeySet True)" \
	"$(store_note in/wildcard.inf:7 Exportable True)"
csr=_wildcard.example.net.csr
expect_is "the subject encoding" "$(subject_encoding $csr)" "/commonName=UTF8STRING:*.example.net"
expect_is "the SAN DER" "$(csr_ext_hex $csr "X509v3 Subject Alternative Name")" \
	301C820D2A2E6578616D706C652E6E6574820B6578616D706C652E6E6574
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
rm -f _wildcard.example.net.key $csr

# ---- [Strings], comments, quotes, lower-case names, UTF-8 with a BOM ----
run 0 new --inf in/strings.inf
expect_no_err
expect_files in portal.example.org.key portal.example.org.csr
expect_out_line "  Subject:              CN=portal.example.org, O=O'Neil Trading, C=IE"
expect_out_line "  Alternative names:    DNS:portal.example.org, DNS:mail.example.org, IP:192.0.2.44"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1), Client Authentication (1.3.6.1.5.5.7.3.2)"
expect_out_line "  Key:                  ECDSA P-256, signed with ecdsa-with-SHA256"
# %hostname% inside the value of friendlyname was substituted; the note quotes the key as written.
expect_notes "$(store_note in/strings.inf:12 friendlyname 'portal.example.org (2026)')"
csr=portal.example.org.csr
expect_is "the subject encoding" "$(subject_encoding $csr)" \
	"/countryName=PRINTABLESTRING:IE/organizationName=UTF8STRING:O'Neil Trading/commonName=UTF8STRING:portal.example.org"
expect_is "the SAN" "$(csr_san $csr)" "DNS:portal.example.org, DNS:mail.example.org, IP Address:192.0.2.44"
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication, TLS Web Client Authentication"
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
rm -f portal.example.org.key $csr

# ---- {critical}{text} SAN and Critical = 2.5.29.37 (EKUs as a comma list) ----
run 0 new --inf in/critical.inf
expect_no_err
expect_files in vpn.example.net.key vpn.example.net.csr
expect_out_line "  Alternative names:    DNS:vpn.example.net, IP:192.0.2.10"
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1), IP security IKE intermediate (1.3.6.1.5.5.8.2.2)"
expect_out_lacks "Notes:"
csr=vpn.example.net.csr
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name critical
X509v3 Extended Key Usage critical
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
expect_is "the SAN" "$(csr_san $csr)" "DNS:vpn.example.net, IP Address:192.0.2.10"
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
rm -f vpn.example.net.key $csr

# ---- values are case-insensitive too: "ecdsa_p384" (this crashed once) ----
printf '[newrequest]\r\nsubject = "CN=vpn.example.net"\r\nkeyalgorithm = ecdsa_p384\r\n' > in/lower.inf
run 0 new --inf in/lower.inf -q
expect_err_line "mkcsr new: warning: the request has no subject alternative name: browsers and Windows match names in the SAN, not the CN"
expect_lines "$WORK/err" 1
expect_is "the key" "$(csr_key vpn.example.net.csr)" "id-ecPublicKey 384"
expect_is "the signature" "$(csr_sigalg vpn.example.net.csr)" ecdsa-with-SHA384
# An INF without SAN and EKU asks for neither: only the SKI is requested.
expect_is "the extensions" "$(csr_extensions vpn.example.net.csr)" "X509v3 Subject Key Identifier"
rm -f vpn.example.net.key vpn.example.net.csr

# ---- no KeyAlgorithm: RSA, as certreq; KeyUsage names joined by '|'; no KeyLength: 2048 ----
printf '[NewRequest]\nSubject = "CN=vpn.example.net"\nKeyUsage = "CERT_DIGITAL_SIGNATURE_KEY_USAGE | CERT_KEY_ENCIPHERMENT_KEY_USAGE"\n[Extensions]\n2.5.29.17 = "{text}dns=vpn.example.net"\n' > in/rsa.inf
run 0 new --inf in/rsa.inf -q
expect_no_err
expect_is "the key" "$(csr_key vpn.example.net.csr)" "rsaEncryption 2048"
expect_is "the KeyUsage DER" "$(csr_ext_hex vpn.example.net.csr "X509v3 Key Usage")" 030205A0
expect_files in vpn.example.net.key vpn.example.net.csr
