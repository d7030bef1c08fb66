#!/bin/sh
# --san: the dns:, ip:, email: and upn: types, bare names and addresses,
# --san without --host, and every kind of bad value (exit 2, the value
# named, nothing written).

. "$TESTS_SRCDIR/cli/lib.sh"

san_hint="mkcsr new: hint: use dns:NAME, ip:ADDRESS, email:USER@DOMAIN or upn:USER@DOMAIN; a bare value is a DNS name or an IP address"

# Every type at once, in the order given after the host.
upn_user=$(printf 'J\303\274rgen')
run 0 --host vpn.example.com --san dns:Portal.Example.com --san ip:192.0.2.7 --san email:Admin@Example.COM \
	--san "upn:$upn_user@Corp.Example" --san alt.example.com --san 198.51.100.9 --san 2001:db8::5 \
	--san '[2001:db8::6]' --san DNS:upper.example.com --san IP:192.0.2.8 --san Email:b@example.com \
	--san UPN:svc@corp.example
expect_no_err
expect_files vpn.example.com.key vpn.example.com.csr
expect_out_line "  Alternative names:    DNS:vpn.example.com, DNS:portal.example.com, IP:192.0.2.7, email:Admin@example.com, UPN:$upn_user@corp.example, DNS:alt.example.com, IP:198.51.100.9, IP:2001:db8::5, IP:2001:db8::6, DNS:upper.example.com, IP:192.0.2.8, email:b@example.com, UPN:svc@corp.example"
text=$(csr_text vpn.example.com.csr) || exit 1
san=$(csr_ext "$text" "X509v3 Subject Alternative Name")
[ "$san" = "DNS:vpn.example.com, DNS:portal.example.com, IP Address:192.0.2.7, email:Admin@example.com, othername: UPN::$upn_user@corp.example, DNS:alt.example.com, IP Address:198.51.100.9, IP Address:2001:DB8:0:0:0:0:0:5, IP Address:2001:DB8:0:0:0:0:0:6, DNS:upper.example.com, IP Address:192.0.2.8, email:b@example.com, othername: UPN::svc@corp.example" ] ||
	fail "SAN is: $san"
# The subject is the host alone.
subject=$(openssl req -in vpn.example.com.csr -noout -subject -nameopt RFC2253)
[ "$subject" = "subject=CN=vpn.example.com" ] || fail "subject is: $subject"
rm -f vpn.example.com.key vpn.example.com.csr

# The encodings: dNSName [2], iPAddress [7], rfc822Name [1] and the UPN as
# otherName [0] { 1.3.6.1.4.1.311.20.2.3, [0] UTF8String }, as Windows writes it.
run 0 --host vpn.example.com --san ip:192.0.2.7 --san email:a@example.com --san upn:svc@corp.example --key k --csr c
dump=$(openssl asn1parse -in c | grep -A1 'X509v3 Subject Alternative Name' | tail -n 1)
value=${dump##*:}
[ "$value" = "3048820F76706E2E6578616D706C652E636F6D8704C0000207810D61406578616D706C652E636F6DA020060A2B060104018237140203A0120C1073766340636F72702E6578616D706C65" ] ||
	fail "SAN value is: $value"
rm -f k c

# --san without --host: no CN is made up (with a warning), the files are named after the first name.
run 0 --san vpn.example.com --san other.example.com
expect_err_first "mkcsr new: warning: the subject is empty: NPS and many CAs need one; give --host or a CN in --subject"
expect_lines "$WORK/err" 1
expect_files vpn.example.com.key vpn.example.com.csr
expect_out_line "Created a certificate request"
expect_out_line "  Subject:              (empty subject)"
subject=$(openssl req -in vpn.example.com.csr -noout -subject -nameopt RFC2253)
[ "$subject" = "subject=" ] || fail "subject is: $subject"
rm -f vpn.example.com.key vpn.example.com.csr
run 0 --san ip:192.0.2.7
expect_files 192.0.2.7.key 192.0.2.7.csr
rm -f 192.0.2.7.key 192.0.2.7.csr
run 0 --san '*.example.com'
expect_files _wildcard.example.com.key _wildcard.example.com.csr
rm -f _wildcard.example.com.key _wildcard.example.com.csr

# bad_san VALUE MESSAGE [HINT]: --san VALUE fails with exactly MESSAGE, then HINT.
bad_san() {
	run 2 --host vpn.example.com --san "$1"
	expect_err_first "mkcsr new: $2"
	expect_err_line "${3:-$san_hint}"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
}

bad_san "dns:192.0.2.1" "invalid subject alternative name: 'dns:192.0.2.1': an IP address goes in an IP name: ip:192.0.2.1"
bad_san "dns:2001:db8::1" "invalid subject alternative name: 'dns:2001:db8::1': an IP address goes in an IP name: ip:2001:db8::1"
bad_san "dns:a..example.com" "invalid subject alternative name: 'a..example.com': empty label (two dots in a row, or a leading dot)"
bad_san "dns:bad_name.example.com" "invalid subject alternative name: 'bad_name.example.com': '_' is not allowed in a host name"
bad_san "dns:" "invalid subject alternative name: empty host name"
bad_san "ip:192.0.2" "invalid subject alternative name: 'ip:192.0.2': '192.0.2' is not an IPv4 or IPv6 address"
bad_san "ip:192.0.2.256" "invalid subject alternative name: 'ip:192.0.2.256': '192.0.2.256' is not an IPv4 or IPv6 address"
bad_san "ip:vpn.example.com" "invalid subject alternative name: 'ip:vpn.example.com': 'vpn.example.com' is not an IPv4 or IPv6 address"
bad_san "ip:[2001:db8::1" "invalid subject alternative name: 'ip:[2001:db8::1': '[2001:db8::1' is not an IPv4 or IPv6 address"
bad_san "ip:fe80::1%eth0" "invalid subject alternative name: 'ip:fe80::1%eth0': 'fe80::1%eth0' is not an IPv4 or IPv6 address"
bad_san "ip:" "invalid subject alternative name: 'ip:': '' is not an IPv4 or IPv6 address"
bad_san "email:admin" "invalid subject alternative name: 'email:admin': expected USER@DOMAIN"
bad_san "email:@example.com" "invalid subject alternative name: 'email:@example.com': expected USER@DOMAIN"
bad_san "upn:svc@" "invalid subject alternative name: 'upn:svc@': expected USER@DOMAIN"
bad_san "email:" "invalid subject alternative name: 'email:': expected USER@DOMAIN"
local65=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
[ ${#local65} -eq 65 ] || fail "test bug: local65 has ${#local65} characters"
bad_san "email:$local65@example.com" "invalid subject alternative name: 'email:$local65@example.com': the part before '@' is longer than 64 characters"
bad_san "email:first last@example.com" "invalid subject alternative name: 'email:first last@example.com': character 0x20 is not allowed before '@'"
bad_san "email:a@b@example.com" "invalid subject alternative name: 'email:a@b@example.com': character 0x40 is not allowed before '@'"
bad_san "email:$upn_user@example.com" "invalid subject alternative name: 'email:$upn_user@example.com': character 0xc3 is not allowed before '@'"
bad_san "email:a@*.example.com" "invalid subject alternative name: 'email:a@*.example.com': a wildcard is not allowed in an address"
bad_san "upn:svc@*.corp.example" "invalid subject alternative name: 'upn:svc@*.corp.example': a wildcard is not allowed in an address"
bad_san "email:a@example..com" "invalid subject alternative name: 'email:a@example..com': bad domain: 'example..com': empty label (two dots in a row, or a leading dot)"
bad_san "upn:svc@bad_domain.example" "invalid subject alternative name: 'upn:svc@bad_domain.example': bad domain: 'bad_domain.example': '_' is not allowed in a host name"
bad_san "uri:https://vpn.example.com/" "invalid subject alternative name: 'uri:https://vpn.example.com/': unknown name type 'uri'"
bad_san "url:https://vpn.example.com/" "invalid subject alternative name: 'url:https://vpn.example.com/': unknown name type 'url'"
bad_san "dn:CN=x" "invalid subject alternative name: 'dn:CN=x': unknown name type 'dn'"
# A bare value is a DNS name (or an address): the host-name rules apply, with their hint.
bad_san "admin@example.com" "invalid subject alternative name: 'admin@example.com' is an address: say which kind, email:admin@example.com or upn:admin@example.com"
bad_san "bad_name.example.com" "invalid subject alternative name: 'bad_name.example.com': '_' is not allowed in a host name"
bad_san "" "invalid subject alternative name: empty host name"

# A bad --san is refused before anything else happens, even without --host.
run 2 --san ip:999.0.0.1
expect_err_first "mkcsr new: invalid subject alternative name: 'ip:999.0.0.1': '999.0.0.1' is not an IPv4 or IPv6 address"
expect_no_files

exit 0
