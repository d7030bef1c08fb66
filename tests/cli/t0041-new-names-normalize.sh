#!/bin/sh
# How --host is taken: wildcard (and its file names), IPv4 and IPv6
# addresses, trailing dot and upper case, internationalized names,
# duplicate names, and a host too long for a common name.

. "$TESTS_SRCDIR/cli/lib.sh"

# check_request STEM SUBJECT SAN: STEM.key and STEM.csr only, the key matches,
# the subject (RFC 2253, "" for none) and the SAN as openssl prints them.
check_request() {
	expect_files "$1.key" "$1.csr"
	expect_mode "$1.key" 600
	[ "$(key_spki_sha256 "$1.key")" = "$(csr_spki_sha256 "$1.csr")" ] || fail "$1.key does not match $1.csr"
	subject=$(openssl req -in "$1.csr" -noout -subject -nameopt RFC2253)
	[ "$subject" = "subject=$2" ] || fail "subject is: $subject, expected: subject=$2"
	text=$(csr_text "$1.csr") || exit 1
	san=$(csr_ext "$text" "X509v3 Subject Alternative Name")
	[ "$san" = "$3" ] || fail "SAN is: $san, expected: $3"
	rm -f "$1.key" "$1.csr"
}

# A wildcard: "*." is spelt "_wildcard." in the file names (as mkcert does).
run 0 --host '*.example.com'
expect_no_err
expect_out_line "Created a certificate request for *.example.com"
expect_out_line "  Subject:              CN=*.example.com"
expect_out_line "  Private key file:     ./_wildcard.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)"
check_request _wildcard.example.com "CN=*.example.com" "DNS:*.example.com"

# What New-Csr does for a wildcard: the bare domain as a second SAN.
run 0 --host '*.example.net' --san example.net
check_request _wildcard.example.net "CN=*.example.net" "DNS:*.example.net, DNS:example.net"

# An IPv4 host: an IP SAN (not DNS), the address as CN.
run 0 --host 192.0.2.10
expect_out_line "  Alternative names:    IP:192.0.2.10"
check_request 192.0.2.10 "CN=192.0.2.10" "IP Address:192.0.2.10"
run 0 --host 192.0.2.10 --key k --csr c
dump=$(openssl asn1parse -in c)
expect_contains "$dump" "[HEX DUMP]:30068704C000020A"
rm -f k c

# An IPv6 host, bracketed and in capitals: canonical text; ':' is '-' in file names.
run 0 --host '[2001:DB8:0:0::1]'
expect_out_line "Created a certificate request for 2001:db8::1"
expect_out_line "  Alternative names:    IP:2001:db8::1"
check_request 2001_db8__1 "CN=2001:db8::1" "IP Address:2001:DB8:0:0:0:0:0:1"

# Upper case and a trailing dot: normalized everywhere, file names too.
run 0 --host VPN.Example.COM.
expect_out_line "Created a certificate request for vpn.example.com"
expect_out_line "  Alternative names:    DNS:vpn.example.com"
check_request vpn.example.com "CN=vpn.example.com" "DNS:vpn.example.com"

# Duplicates are dropped, whatever their spelling; the order is kept.
run 0 --host vpn.example.com --san vpn.example.com --san dns:VPN.Example.COM. \
	--san other.example.com --san OTHER.example.com --san 192.0.2.1 --san ip:192.0.2.1 \
	--san ip:2001:db8::1 --san '[2001:0db8:0000::1]'
expect_no_err
expect_out_line "  Alternative names:    DNS:vpn.example.com, DNS:other.example.com, IP:192.0.2.1, IP:2001:db8::1"
check_request vpn.example.com "CN=vpn.example.com" \
	"DNS:vpn.example.com, DNS:other.example.com, IP Address:192.0.2.1, IP Address:2001:DB8:0:0:0:0:0:1"

# A host equal to a SAN given first: still one name, the host first.
run 0 --san other.example.com --san vpn.example.com --host vpn.example.com
check_request vpn.example.com "CN=vpn.example.com" "DNS:vpn.example.com, DNS:other.example.com"

# Internationalized names.
idn=$(printf 'b\303\274cher.example')
case "${MKCSR_HAVE_IDN2:-unknown}" in
yes)
	run 0 --host "$idn"
	expect_out_line "Created a certificate request for xn--bcher-kva.example"
	check_request xn--bcher-kva.example "CN=xn--bcher-kva.example" "DNS:xn--bcher-kva.example"
	run 0 --host "*.$idn"
	check_request _wildcard.xn--bcher-kva.example "CN=*.xn--bcher-kva.example" "DNS:*.xn--bcher-kva.example"
	run 0 --host "$(printf 'B\303\234CHER.example')"
	check_request xn--bcher-kva.example "CN=xn--bcher-kva.example" "DNS:xn--bcher-kva.example"
	# The A-label itself is taken as it is.
	run 0 --host XN--BCHER-KVA.example
	check_request xn--bcher-kva.example "CN=xn--bcher-kva.example" "DNS:xn--bcher-kva.example"
	;;
no)
	run 2 --host "$idn"
	expect_err_first "mkcsr new: non-ASCII host name: '$idn' has non-ASCII characters"
	expect_err_line "mkcsr new: hint: this mkcsr was built without libidn2: pass the name in its xn-- (A-label) form"
	expect_no_files
	run 0 --host xn--bcher-kva.example
	check_request xn--bcher-kva.example "CN=xn--bcher-kva.example" "DNS:xn--bcher-kva.example"
	;;
*)
	# Run by hand without MKCSR_HAVE_IDN2: accept either build, but exactly.
	status=0
	"$MKCSR" --host "$idn" > out 2> err < /dev/null || status=$?
	if [ $status -eq 0 ]; then
		check_request xn--bcher-kva.example "CN=xn--bcher-kva.example" "DNS:xn--bcher-kva.example"
	else
		[ $status -eq 2 ] || fail "--host $idn exited $status"
		expect_err_line "mkcsr new: hint: this mkcsr was built without libidn2: pass the name in its xn-- (A-label) form"
	fi
	;;
esac

# 64 characters still fit a common name.
h64=abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcde.com
[ ${#h64} -eq 64 ] || fail "test bug: h64 has ${#h64} characters"
run 0 --host $h64
expect_no_err
check_request $h64 "CN=$h64" "DNS:$h64"

# 70 characters do not: a warning naming the host, the host in the SAN only, an empty subject.
h70=abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij.info
[ ${#h70} -eq 70 ] || fail "test bug: h70 has ${#h70} characters"
run 0 --host $h70
expect_err_first "mkcsr new: warning: '$h70' is 70 characters, longer than the 64 a common name may have: it is requested in the SAN only"
expect_lines "$WORK/err" 1
expect_out_line "Created a certificate request for $h70"
expect_out_line "  Subject:              (empty subject)"
expect_out_line "  Alternative names:    DNS:$h70"
dump=$(openssl asn1parse -in $h70.csr)
# The empty subject is "30 00" right after the version, as Windows encodes it.
expect_contains "$(printf '%s\n' "$dump" | sed -n 4p)" "d=2  hl=2 l=   0 cons: SEQUENCE"
check_request $h70 "" "DNS:$h70"
# -q keeps the warning.
run 0 -q --host $h70
expect_no_out
expect_err_first "mkcsr new: warning: '$h70' is 70 characters, longer than the 64 a common name may have: it is requested in the SAN only"
rm -f $h70.key $h70.csr

# The longest DNS name (253 characters, given with a trailing dot): valid, SAN only.
# (Its file names would exceed NAME_MAX, so they are given.)
l63=abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc
h253=$l63.$l63.$l63.abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghija
[ ${#h253} -eq 253 ] || fail "test bug: h253 has ${#h253} characters"
run 0 --host "$h253." --key long.key --csr long.csr
expect_err_first "mkcsr new: warning: '$h253' is 253 characters, longer than the 64 a common name may have: it is requested in the SAN only"
text=$(csr_text long.csr) || exit 1
[ "$(csr_ext "$text" "X509v3 Subject Alternative Name")" = "DNS:$h253" ] || fail "the 253-character name is not the SAN"
rm -f long.key long.csr
# Without --key/--csr the file name is too long: an I/O error naming the file.
run 1 --host "$h253"
expect_err_first "mkcsr new: cannot write file: './$h253.key': File name too long"
expect_no_files

exit 0
