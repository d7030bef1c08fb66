#!/bin/sh
# Extended key usages (--eku, repeatable: keywords and dotted OIDs), the
# Application Policies that mirror them (--no-app-policies), the critical
# key usage (--key-usage), --minimal (the SAN alone) and --ms-attributes.

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr

# ext_hex NAME: the DER value of extension NAME (as asn1parse names it) in $csr.
ext_hex() {
	openssl asn1parse -in "$csr" | grep -A2 -e "prim: OBJECT            :$1\$" | sed -n 's/.*\[HEX DUMP\]://p' | head -n 1
}

# ext_list: the extension OIDs/names of $csr, in order, comma-separated.
ext_list() {
	openssl asn1parse -in "$csr" | awk '/:Extension Request/ { on = 1; next }
		on && /d=7 .*prim: OBJECT/ { sub(/.*OBJECT +:/, ""); sub(/ +$/, ""); printf "%s,", $0 }'
}

# The default: Server Authentication, mirrored in Application Policies.
run 0 --host vpn.example.com
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)"
[ "$(ext_list)" = "X509v3 Subject Alternative Name,X509v3 Extended Key Usage,1.3.6.1.4.1.311.21.10,X509v3 Subject Key Identifier," ] ||
	fail "extensions: $(ext_list)"
[ "$(ext_hex "X509v3 Extended Key Usage")" = 300A06082B06010505070301 ] || fail "EKU: $(ext_hex "X509v3 Extended Key Usage")"
[ "$(ext_hex 1.3.6.1.4.1.311.21.10)" = 300C300A06082B06010505070301 ] || fail "policies: $(ext_hex 1.3.6.1.4.1.311.21.10)"
rm -f "$key" "$csr"

# --eku repeated: the list replaces the default, in the order given.
run 0 --host vpn.example.com --eku clientAuth --eku serverAuth
expect_no_err
expect_out_line "  Enhanced key usage:   Client Authentication (1.3.6.1.5.5.7.3.2), Server Authentication (1.3.6.1.5.5.7.3.1)"
text=$(csr_text "$csr") || exit 1
[ "$(csr_ext "$text" "X509v3 Extended Key Usage")" = "TLS Web Client Authentication, TLS Web Server Authentication" ] ||
	fail "EKU: $(csr_ext "$text" "X509v3 Extended Key Usage")"
[ "$(ext_hex 1.3.6.1.4.1.311.21.10)" = 3018300A06082B06010505070302300A06082B06010505070301 ] ||
	fail "policies: $(ext_hex 1.3.6.1.4.1.311.21.10)"
rm -f "$key" "$csr"

# IKEv2 (RRAS): Server Authentication plus IP security IKE intermediate; keywords are case-insensitive.
run 0 --host vpn.example.com --eku SERVERAUTH --eku ikeintermediate
expect_out_line "  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1), IP security IKE intermediate (1.3.6.1.5.5.8.2.2)"
[ "$(ext_hex "X509v3 Extended Key Usage")" = 301406082B0601050507030106082B06010505080202 ] ||
	fail "EKU: $(ext_hex "X509v3 Extended Key Usage")"
[ "$(ext_hex 1.3.6.1.4.1.311.21.10)" = 3018300A06082B06010505070301300A06082B06010505080202 ] ||
	fail "policies: $(ext_hex 1.3.6.1.4.1.311.21.10)"
rm -f "$key" "$csr"

# A dotted OID (Encrypting File System here); a duplicate, by keyword or OID, is dropped.
run 0 --host vpn.example.com --eku 1.3.6.1.4.1.311.10.3.4 --eku serverAuth --eku 1.3.6.1.5.5.7.3.1 --eku 1.3.6.1.4.1.311.10.3.4
expect_out_line "  Enhanced key usage:   1.3.6.1.4.1.311.10.3.4, Server Authentication (1.3.6.1.5.5.7.3.1)"
[ "$(ext_hex "X509v3 Extended Key Usage")" = 3016060A2B0601040182370A030406082B06010505070301 ] ||
	fail "EKU: $(ext_hex "X509v3 Extended Key Usage")"
rm -f "$key" "$csr"

# Bad --eku values: a usage error naming the value, nothing written.
eku_hint="mkcsr new: hint: use serverAuth, clientAuth, ikeIntermediate, ipsecIKE, codeSigning, emailProtection, timeStamping, ocspSigning, smartcardLogon, kdcAuth or a dotted OID such as 1.3.6.1.5.5.7.3.1"
for e in "Server Authentication" serverauthentication 1 1.3.6.1. .1.3 1..3 1.3.x ""; do
	run 2 --host vpn.example.com --eku "$e"
	expect_err_first "mkcsr new: unknown extended key usage: '$e'"
	expect_err_line "$eku_hint"
	expect_no_files
done
run 2 --host vpn.example.com --eku 99.1
expect_err_first "mkcsr new: unknown extended key usage: '99.1' is not a valid OID"
expect_no_files

# --no-app-policies: the EKU without Microsoft's mirror.
run 0 --host vpn.example.com --no-app-policies -v
expect_out_line "  Application policies: no"
[ "$(ext_list)" = "X509v3 Subject Alternative Name,X509v3 Extended Key Usage,X509v3 Subject Key Identifier," ] ||
	fail "extensions with --no-app-policies: $(ext_list)"
rm -f "$key" "$csr"

# --key-usage digitalSignature: critical, DER-minimal 03 02 07 80, between SAN and EKU.
run 0 --host vpn.example.com --key-usage digitalSignature
expect_out_line "  Key usage (critical): digitalSignature"
[ "$(ext_list)" = "X509v3 Subject Alternative Name,X509v3 Key Usage,X509v3 Extended Key Usage,1.3.6.1.4.1.311.21.10,X509v3 Subject Key Identifier," ] ||
	fail "extensions with --key-usage: $(ext_list)"
ku=$(openssl asn1parse -in "$csr" | grep -A2 'prim: OBJECT            :X509v3 Key Usage$')
expect_contains "$ku" "prim: BOOLEAN           :255"
expect_contains "$ku" "[HEX DUMP]:03020780"
text=$(csr_text "$csr") || exit 1
expect_contains "$text" "X509v3 Key Usage: critical"
rm -f "$key" "$csr"

# digitalSignature + keyEncipherment for RSA: 03 02 05 A0; names are case-insensitive, blanks allowed.
run 0 --host vpn.example.com --key-type rsa:2048 --key-usage ' DigitalSignature , keyencipherment '
expect_out_line "  Key usage (critical): digitalSignature, keyEncipherment"
[ "$(ext_hex "X509v3 Key Usage")" = 030205A0 ] || fail "key usage: $(ext_hex "X509v3 Key Usage")"
rm -f "$key" "$csr"

# keyAgreement for EC; contentCommitment is nonRepudiation's RFC 5280 name.
run 0 --host vpn.example.com --key-usage digitalSignature,keyAgreement
[ "$(ext_hex "X509v3 Key Usage")" = 03020388 ] || fail "key usage: $(ext_hex "X509v3 Key Usage")"
rm -f "$key" "$csr"
run 0 --host vpn.example.com --key-usage contentCommitment
expect_out_line "  Key usage (critical): nonRepudiation"
[ "$(ext_hex "X509v3 Key Usage")" = 03020640 ] || fail "key usage: $(ext_hex "X509v3 Key Usage")"
rm -f "$key" "$csr"

# Usages that do not fit the key: a usage error, nothing written.
ku_unfit_hint="mkcsr new: hint: ECDSA keys take digitalSignature or keyAgreement; RSA keys take digitalSignature, keyEncipherment or dataEncipherment"
run 2 --host vpn.example.com --key-usage digitalSignature,keyEncipherment
expect_err_first "mkcsr new: key usage does not fit the key type: keyEncipherment with an ECDSA key"
expect_err_line "$ku_unfit_hint"
expect_no_files
run 2 --host vpn.example.com --key-type ec:P-384 --key-usage dataEncipherment
expect_err_first "mkcsr new: key usage does not fit the key type: dataEncipherment with an ECDSA key"
expect_no_files
run 2 --host vpn.example.com --key-type rsa:2048 --key-usage keyAgreement
expect_err_first "mkcsr new: key usage does not fit the key type: keyAgreement with an RSA key"
expect_no_files

# Unknown key usages.
ku_hint="mkcsr new: hint: use a comma list of digitalSignature, nonRepudiation (or contentCommitment), keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly"
run 2 --host vpn.example.com --key-usage digitalSignature,serverAuth
expect_err_first "mkcsr new: unknown key usage: 'serverAuth' in 'digitalSignature,serverAuth'"
expect_err_line "$ku_hint"
expect_no_files
run 2 --host vpn.example.com --key-usage 0xa0
expect_err_first "mkcsr new: unknown key usage: '0xa0' in '0xa0'"
expect_no_files
run 2 --host vpn.example.com --key-usage digitalSignature,,keyAgreement
expect_err_first "mkcsr new: unknown key usage: '' in 'digitalSignature,,keyAgreement'"
expect_no_files
run 2 --host vpn.example.com --key-usage ""
expect_err_first "mkcsr new: unknown key usage: '' names no usage"
expect_no_files

# --minimal: the SAN alone (no EKU, no Application Policies, no SKI).
run 0 --host vpn.example.com --minimal -v
expect_no_err
expect_out_line "  Enhanced key usage:   (none)"
expect_out_line "  Application policies: no"
expect_out_line "  Subject key ID:       (none)"
[ "$(ext_list)" = "X509v3 Subject Alternative Name," ] || fail "extensions with --minimal: $(ext_list)"
subject=$(openssl req -in "$csr" -noout -subject -nameopt RFC2253)
[ "$subject" = "subject=CN=vpn.example.com" ] || fail "subject with --minimal: $subject"
rm -f "$key" "$csr"

# --minimal with what it leaves out: a usage error.
run 2 --host vpn.example.com --minimal --eku serverAuth
expect_err_first "mkcsr new: invalid usage: --minimal requests the SAN only, but usages are asked for (--eku, --key-usage, or a template or INF file): drop one or the other"
expect_err_line "mkcsr new: hint: see --help"
expect_no_files
run 2 --host vpn.example.com --eku clientAuth --minimal
expect_err_first "mkcsr new: invalid usage: --minimal requests the SAN only, but usages are asked for (--eku, --key-usage, or a template or INF file): drop one or the other"
expect_no_files
run 2 --host vpn.example.com --minimal --key-usage digitalSignature
expect_err_first "mkcsr new: invalid usage: --minimal requests the SAN only, but usages are asked for (--eku, --key-usage, or a template or INF file): drop one or the other"
expect_no_files
run 2 --host vpn.example.com --minimal --no-app-policies
expect_err_first "mkcsr new: invalid usage: --minimal already leaves out Application Policies; drop --no-app-policies"
expect_no_files
run 2 --subject CN=vpn.example.com --minimal
expect_err_first "mkcsr new: invalid usage: --minimal requests the SAN only, but there is no name for it"
expect_no_files

# --ms-attributes: certlm's client info (1.3.6.1.4.1.311.21.20) and enrollment CSP
# (1.3.6.1.4.1.311.13.2.2), in DER SET order before the extension request; no OS version.
run 0 --host vpn.example.com --ms-attributes -v
expect_no_err
expect_out_line "  Microsoft attributes: enrollment CSP, client info"
dump=$(openssl asn1parse -in "$csr")
attrs=$(printf '%s\n' "$dump" | awk '/cont \[ 0 \]/ { on = 1 } on && /d=4 .*prim: OBJECT/ { sub(/.*OBJECT +:/, ""); sub(/ +$/, ""); printf "%s,", $0 }')
[ "$attrs" = "1.3.6.1.4.1.311.21.20,1.3.6.1.4.1.311.13.2.2,Extension Request," ] || fail "attributes: $attrs"
expect_lacks "$dump" "1.3.6.1.4.1.311.13.2.3"
# Client info: SEQUENCE { INTEGER 5 (certlm), machine, DOMAIN\user, process }.
client=$(printf '%s\n' "$dump" | grep -A6 ':1.3.6.1.4.1.311.21.20')
expect_contains "$client" "prim: INTEGER           :05"
expect_contains "$client" "prim: UTF8STRING        :mkcsr"
[ "$(printf '%s\n' "$client" | grep -c 'prim: UTF8STRING')" -eq 3 ] || fail "client info: $client"
# Enrollment CSP: SEQUENCE { INTEGER 0 (a KSP), BMPString, empty BIT STRING }.
csp=$(printf '%s\n' "$dump" | grep -A5 ':1.3.6.1.4.1.311.13.2.2')
expect_contains "$csp" "prim: INTEGER           :00"
expect_contains "$csp" "hl=2 l=  78 prim: BMPSTRING"
expect_contains "$csp" "hl=2 l=   1 prim: BIT STRING"
bmp_offset=$(printf '%s\n' "$csp" | sed -n 's/^ *\([0-9]*\):.*BMPSTRING.*/\1/p')
provider=$(openssl asn1parse -in "$csr" -strparse "$bmp_offset" -out bmp.bin -noout 2> /dev/null; od -An -c bmp.bin | tr -d ' \\0\n')
rm -f bmp.bin
[ "$provider" = "MicrosoftSoftwareKeyStorageProvider" ] || fail "provider name: $provider"
openssl req -in "$csr" -noout -verify > /dev/null 2>&1 || fail "openssl cannot verify the request with --ms-attributes"
rm -f "$key" "$csr"

# Without it, none of them.
run 0 --host vpn.example.com -v
expect_out_line "  Microsoft attributes: none"
dump=$(openssl asn1parse -in "$csr")
expect_lacks "$dump" "1.3.6.1.4.1.311.21.20"
expect_lacks "$dump" "1.3.6.1.4.1.311.13.2.2"
expect_lacks "$dump" "1.3.6.1.4.1.311.13.2.3"

exit 0
