#!/bin/sh
# --subject: RFC 4514 text, most specific first, encoded as Windows does
# (reversed: C first, CN last; UTF8String except countryName, which is a
# PrintableString, and the IA5 types); its own CN; every kind of invalid
# subject is a usage error naming what is wrong, with nothing written.

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr
subject_hint='mkcsr new: hint: write the subject as RFC 4514 attributes, most specific first: "O=Example Ltd, OU=IT, L=City, ST=State, C=US"'

# expect_subject ENCODING: the subject of $csr, as subject_encoding shows it.
expect_subject() {
	got=$(subject_encoding "$csr")
	[ "$got" = "$1" ] || fail "subject encoded as:
$got
expected:
$1"
}

# The usual organization details: the host's CN is added, the encoding is reversed.
run 0 --host vpn.example.com --subject "O=Org, OU=IT, L=City, ST=State, C=US"
expect_no_err
expect_files "$key" "$csr"
expect_subject "/countryName=PRINTABLESTRING:US/stateOrProvinceName=UTF8STRING:State/localityName=UTF8STRING:City/organizationalUnitName=UTF8STRING:IT/organizationName=UTF8STRING:Org/commonName=UTF8STRING:vpn.example.com"
expect_out_line "  Subject:              CN=vpn.example.com, O=Org, OU=IT, L=City, ST=State, C=US"
[ "$(openssl req -in "$csr" -noout -subject -nameopt RFC2253)" = "subject=CN=vpn.example.com,O=Org,OU=IT,L=City,ST=State,C=US" ] ||
	fail "openssl reads the subject as: $(openssl req -in "$csr" -noout -subject -nameopt RFC2253)"
openssl req -in "$csr" -noout -verify > /dev/null 2>&1 || fail "openssl cannot verify $csr"
rm -f "$key" "$csr"

# Case-insensitive types, S for ST (certreq's spelling), a lower-case country,
# escaped and quoted commas, ';' as a separator, blanks around '=' and ','.
run 0 --host vpn.example.com --subject 'o=Example\, Inc. ; ou = "IT, VPN" , s=Bavaria, c=de'
expect_subject "/countryName=PRINTABLESTRING:DE/stateOrProvinceName=UTF8STRING:Bavaria/organizationalUnitName=UTF8STRING:IT, VPN/organizationName=UTF8STRING:Example, Inc./commonName=UTF8STRING:vpn.example.com"
expect_out_line '  Subject:              CN=vpn.example.com, O=Example\, Inc., OU=IT\, VPN, ST=Bavaria, C=DE'
rm -f "$key" "$csr"

# Non-ASCII text is UTF-8 in a UTF8String.
org=$(printf 'B\303\274cher GmbH')
run 0 --host vpn.example.com --subject "O=$org, C=DE"
expect_subject "/countryName=PRINTABLESTRING:DE/organizationName=UTF8STRING:$org/commonName=UTF8STRING:vpn.example.com"
dump=$(openssl asn1parse -in "$csr")
expect_contains "$dump" "l=  12 prim: UTF8STRING        :$org"
rm -f "$key" "$csr"

# The IA5String and PrintableString types; a '+' joins attributes into one RDN.
run 0 --host vpn.example.com --subject "OU=IT+OU=VPN, E=admin@example.com, DC=example, DC=com, SERIALNUMBER=A-123"
expect_subject "/serialNumber=PRINTABLESTRING:A-123/domainComponent=IA5STRING:com/domainComponent=IA5STRING:example/emailAddress=IA5STRING:admin@example.com/organizationalUnitName=UTF8STRING:IT+organizationalUnitName=UTF8STRING:VPN/commonName=UTF8STRING:vpn.example.com"
expect_out_line "  Subject:              CN=vpn.example.com, OU=IT+OU=VPN, E=admin@example.com, DC=example, DC=com, SERIALNUMBER=A-123"
rm -f "$key" "$csr"

# Dotted OIDs: a known one is its attribute; an unknown one is a UTF8String.
run 0 --host vpn.example.com --subject "2.5.4.10=Org, 1.3.6.1.4.1.99999.1=custom"
expect_subject "/1.3.6.1.4.1.99999.1=UTF8STRING:custom/organizationName=UTF8STRING:Org/commonName=UTF8STRING:vpn.example.com"
rm -f "$key" "$csr"

# The subject's own CN wins over the host (which stays the SAN and the file name).
run 0 --host vpn.example.com --subject "CN=VPN Gateway, O=Org"
expect_no_err
expect_files "$key" "$csr"
expect_subject "/organizationName=UTF8STRING:Org/commonName=UTF8STRING:VPN Gateway"
expect_out_line "  Subject:              CN=VPN Gateway, O=Org"
text=$(csr_text "$csr") || exit 1
[ "$(csr_ext "$text" "X509v3 Subject Alternative Name")" = "DNS:vpn.example.com" ] || fail "the SAN is not the host"
rm -f "$key" "$csr"

# A CN and no other name: the files are named after the CN; no SAN, with a warning.
run 0 --subject "CN=vpn.example.com, O=Org"
expect_err_first "mkcsr new: warning: the request has no subject alternative name: browsers and Windows match names in the SAN, not the CN"
expect_lines "$WORK/err" 1
expect_files "$key" "$csr"
expect_out_line "  Alternative names:    (none)"
text=$(csr_text "$csr") || exit 1
expect_lacks "$text" "Subject Alternative Name"
rm -f "$key" "$csr"

# A subject without a CN and no name at all: nothing to request.
run 2 --subject "O=Org, C=US"
expect_err_first "mkcsr new: invalid usage: no name to request: give --host NAME (or --san, or a CN in --subject)"
expect_no_files

# An empty --subject is no subject: the host's CN alone.
run 0 --host vpn.example.com --subject ""
expect_subject "/commonName=UTF8STRING:vpn.example.com"
rm -f "$key" "$csr"

# bad_subject TEXT DETAIL: --subject TEXT fails with "invalid subject: DETAIL".
bad_subject() {
	run 2 --host vpn.example.com --subject "$1"
	expect_err_first "mkcsr new: invalid subject: $2"
	expect_err_line "$subject_hint"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
}

bad_subject "C=USA" "C='USA' must be a two-letter ISO 3166 country code such as US"
bad_subject "C=U1" "C='U1' must be a two-letter ISO 3166 country code such as US"
bad_subject "O=Org, C=" "C has an empty value"
bad_subject "O=" "O has an empty value"
bad_subject "X=foo" "unknown attribute type 'X' (use CN, O, OU, L, ST, C, STREET, E, DC, SERIALNUMBER, or a dotted OID)"
bad_subject "Organization=Org" "unknown attribute type 'Organization' (use CN, O, OU, L, ST, C, STREET, E, DC, SERIALNUMBER, or a dotted OID)"
bad_subject "1.2.x=foo" "'1.2.x' is not a dotted OID"
bad_subject "Org" "'Org': expected TYPE=value near 'Org'"
bad_subject "O=Org, IT" "'O=Org, IT': expected TYPE=value near 'IT'"
bad_subject "=Org" "'=Org': an attribute type is missing before '='"
bad_subject "O=Org," "'O=Org,' ends with a separator"
bad_subject "O=Org+" "'O=Org+' ends with a separator"
bad_subject "O=#04034f7267" "O: hex-encoded (#...) values are not supported"
bad_subject 'O="Org' "O: the quoted value has no closing '\"'"
bad_subject 'O="Org" Ltd' "O: text after the closing '\"'"
bad_subject 'O=Org\q' "O: invalid escape '\\q'"
bad_subject 'O=Org\00Ltd' "O: the value contains a NUL character"
# The message shows the value as display.h does: the control character and
# the Latin-1 byte escaped, never printed raw.
ctl=$(printf 'Org\001Ltd')
bad_subject "O=$ctl" "O='Org\\u0001Ltd' is not valid UTF-8 text without control characters"
latin1=$(printf 'B\374cher')
bad_subject "O=$latin1" "O='B\\xFCcher' is not valid UTF-8 text without control characters"
long=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde
[ ${#long} -eq 65 ] || fail "test bug: long has ${#long} characters"
bad_subject "O=$long" "O='$long' is 65 characters long; the limit is 64"
bad_subject "CN=$long" "CN='$long' is 65 characters long; the limit is 64"
bad_subject "E=$(printf 'j\303\274rgen')@example.com" "E='$(printf 'j\303\274rgen')@example.com' must be ASCII"
bad_subject "SERIALNUMBER=A_1" "SERIALNUMBER='A_1': '_' is not allowed in a PrintableString"


# --subject once: a second one would silently win otherwise.
run 2 --host vpn.example.com --subject "O=One" --subject "O=Two"
expect_err_first "mkcsr new: invalid usage: --subject given twice ('O=Two'): write all attributes in one --subject"
expect_no_files

exit 0
