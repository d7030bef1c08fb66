#!/bin/sh
# --inf with command-line options over it: --san replaces the INF's names
# (the subject stays), --host becomes the CN and the first name (the INF's
# names follow), --subject replaces the subject, --eku the usages (and the
# Application Policies mirror), --key-type the key, --hash the hash,
# --key-usage the key usage, --set a [Strings] value; options the INF says
# nothing about (--no-app-policies, --minimal) apply as usual.

. "$TESTS_SRCDIR/cli/lib.sh"

mkdir in
cp "$INF_DATA"/*.inf in/ || fail "cannot copy the fixtures"
hicks=in/hicks-newcsr.inf
csr=vpn.example.net.csr

expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}
done_with() {
	expect_files in "$@"
	for dw in "$@"; do rm -f "$dw"; done
}

# --san: the INF's names are replaced, its CN kept.
run 0 new --inf $hicks --san dns:portal.example.net --san ip:192.0.2.5 -q
expect_no_err
expect_is "the subject" "$(csr_subject portal.example.net.csr)" "CN=vpn.example.net"
expect_is "the SAN" "$(csr_san portal.example.net.csr)" "DNS:portal.example.net, IP Address:192.0.2.5"
expect_is "the EKU" "$(csr_eku portal.example.net.csr)" "TLS Web Server Authentication"
done_with portal.example.net.key portal.example.net.csr

# --host: the CN, and the first name, before the INF's own.
run 0 new --inf $hicks --host other.example.net -q
expect_no_err
expect_is "the subject" "$(csr_subject other.example.net.csr)" "CN=other.example.net"
expect_is "the SAN" "$(csr_san other.example.net.csr)" "DNS:other.example.net, DNS:vpn.example.net"
done_with other.example.net.key other.example.net.csr

# --host and --san: the host and the --san names, none of the INF's.
run 0 new --inf $hicks --host other.example.net --san alt.example.net -q
expect_is "the subject" "$(csr_subject other.example.net.csr)" "CN=other.example.net"
expect_is "the SAN" "$(csr_san other.example.net.csr)" "DNS:other.example.net, DNS:alt.example.net"
done_with other.example.net.key other.example.net.csr

# --host over an INF with a longer subject: only the CN changes.
run 0 new --inf in/iis-schannel.inf --host www2.contoso.com -q
expect_is "the subject" "$(csr_subject www2.contoso.com.csr)" "CN=www2.contoso.com,OU=Web Services,O=Contoso Ltd,L=Redmond,ST=Washington,C=US"
expect_is "the SAN" "$(csr_san www2.contoso.com.csr)" "DNS:www2.contoso.com, DNS:www.contoso.com, DNS:contoso.com"
done_with www2.contoso.com.key www2.contoso.com.csr

# --subject: replaces the INF's subject (a CN in it too).
run 0 new --inf in/iis-schannel.inf --subject "CN=web.contoso.com, O=Contoso, C=US" -q
expect_is "the subject" "$(csr_subject www.contoso.com.csr)" "CN=web.contoso.com,O=Contoso,C=US"
expect_is "the SAN" "$(csr_san www.contoso.com.csr)" "DNS:www.contoso.com, DNS:contoso.com"
done_with www.contoso.com.key www.contoso.com.csr

# --eku: replaces the INF's usages; Application Policies follows.
run 0 new --inf in/p384-ksp.inf --eku clientAuth -q
expect_out_lacks "Server Authentication"
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Client Authentication"
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Key Usage critical
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
# The Application Policies extension holds clientAuth (1.3.6.1.5.5.7.3.2) alone.
ap_hex=$(openssl asn1parse -in $csr | awk '/:1.3.6.1.4.1.311.21.10/ { found = 1; next } found && /OCTET STRING/ { sub(/.*HEX DUMP\]:/, ""); print; exit }')
expect_is "the Application Policies DER" "$ap_hex" 300C300A06082B06010505070302
done_with vpn.example.net.key $csr

# --eku on an INF that has a critical EKU: the list is replaced, the criticality the INF asked for stays.
run 0 new --inf in/critical.inf --eku serverAuth -q
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name critical
X509v3 Extended Key Usage critical
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
expect_is "the EKU" "$(csr_eku $csr)" "TLS Web Server Authentication"
done_with vpn.example.net.key $csr

# --key-type: over ECDSA P-256, RSA 3072 with its default hash.
run 0 new --inf $hicks --key-type rsa:3072 -q
expect_is "the key" "$(csr_key $csr)" "rsaEncryption 3072"
expect_is "the signature" "$(csr_sigalg $csr)" sha256WithRSAEncryption
done_with vpn.example.net.key $csr
# over RSA 2048 with KeyUsage 0xa0: an ECDSA key cannot have keyEncipherment ...
run 2 new --inf in/iis-schannel.inf --key-type ec:P-256
expect_err_first "mkcsr new: key usage does not fit the key type: keyEncipherment with an ECDSA key"
expect_err_line "mkcsr new: hint: ECDSA keys take digitalSignature or keyAgreement; RSA keys take digitalSignature, keyEncipherment or dataEncipherment"
expect_lines "$WORK/err" 2
expect_no_out
expect_files in
# ... unless --key-usage replaces the INF's.
run 0 new --inf in/iis-schannel.inf --key-type ec:P-256 --key-usage digitalSignature -q
expect_is "the key" "$(csr_key www.contoso.com.csr)" "id-ecPublicKey 256"
expect_is "the KeyUsage DER" "$(csr_ext_hex www.contoso.com.csr "X509v3 Key Usage")" 03020780
done_with www.contoso.com.key www.contoso.com.csr
# The INF's HashAlgorithm stays when only the key type changes; --hash replaces it.
run 0 new --inf in/p384-ksp.inf --key-type ec:P-256 -q
expect_is "the key" "$(csr_key $csr)" "id-ecPublicKey 256"
expect_is "the signature" "$(csr_sigalg $csr)" ecdsa-with-SHA384
done_with vpn.example.net.key $csr
run 0 new --inf in/p384-ksp.inf --hash sha512 -q
expect_is "the key" "$(csr_key $csr)" "id-ecPublicKey 384"
expect_is "the signature" "$(csr_sigalg $csr)" ecdsa-with-SHA512
done_with vpn.example.net.key $csr

# --set: a command-line value wins over the file's [Strings] (names are case-insensitive).
run 0 new --inf in/strings.inf --set HOSTNAME=shop.example.org -q
expect_is "the subject" "$(csr_subject shop.example.org.csr)" "CN=shop.example.org,O=O'Neil Trading,C=IE"
expect_is "the SAN" "$(csr_san shop.example.org.csr)" "DNS:shop.example.org, DNS:mail.example.org, IP Address:192.0.2.44"
done_with shop.example.org.key shop.example.org.csr
run 2 new --inf in/strings.inf --set =x
expect_err_first "mkcsr new: invalid usage: --set '=x': expected NAME=VALUE"
expect_files in
run 2 new --inf in/strings.inf --set HostName
expect_err_first "mkcsr new: invalid usage: --set 'HostName': expected NAME=VALUE"
expect_files in

# --no-app-policies and --minimal apply to an INF's request as to any.
run 0 new --inf $hicks --no-app-policies -q
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
X509v3 Subject Key Identifier"
done_with vpn.example.net.key $csr
run 0 new --inf $hicks --minimal -q
expect_is "the extensions" "$(csr_extensions $csr)" "X509v3 Subject Alternative Name"
done_with vpn.example.net.key $csr

# Output options work as usual: names from the INF, files where asked.
mkdir d
run 0 new --inf $hicks -o d --format der -q
expect_is "the SAN" "$(csr_ext "$(csr_text d/$csr DER)" "X509v3 Subject Alternative Name")" "DNS:vpn.example.net"
rm -r d
run 0 new --inf $hicks --key k.pem --csr r.csr -q
done_with k.pem r.csr
