#!/bin/sh
# The request file's encoding: --format der, --header standard, --eol lf and
# their combinations; DER with a Base64-only option; values that are none.

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr

# check_pair [DER]: two files, the key belongs to the request and openssl verifies it.
check_pair() {
	expect_no_err
	expect_files "$key" "$csr"
	expect_mode "$key" 600
	openssl req -inform "${1:-PEM}" -in "$csr" -noout -verify > /dev/null 2>&1 ||
		fail "openssl cannot verify $csr (${1:-PEM})"
	[ "$(key_spki_sha256 "$key")" = "$(csr_spki_sha256 "$csr" "${1:-PEM}")" ] || fail "$key does not match $csr"
	subject=$(openssl req -inform "${1:-PEM}" -in "$csr" -noout -subject -nameopt RFC2253)
	[ "$subject" = "subject=CN=vpn.example.com" ] || fail "subject is: $subject"
}

# --format der: the bare DER request, no text at all.
run 0 --host vpn.example.com --format der
check_pair DER
[ "$(od -An -tx1 -N2 "$csr" | tr -d ' ')" = 3082 ] || fail "$csr does not start with a DER SEQUENCE: $(od -An -tx1 -N4 "$csr")"
! grep -q BEGIN "$csr" || fail "$csr has a text header"
! grep -q -e '-----' "$csr" || fail "$csr has PEM armour"
openssl req -in "$csr" -noout 2> /dev/null && fail "openssl reads the DER $csr as PEM"
# The file is one DER value: its length is what the outer SEQUENCE says.
size=$(wc -c < "$csr")
der_len=$(openssl asn1parse -inform DER -in "$csr" | sed -n '1s/.*hl= *\([0-9]*\) *l= *\([0-9]*\).*/\1 \2/p')
[ "$size" -eq $(( ${der_len% *} + ${der_len#* } )) ] || fail "$csr has $size bytes, its DER says $der_len"
expect_out_line "  Request file:         ./vpn.example.com.csr (DER)"
rm -f "$key" "$csr"

# --format base64 (and its alias pem) is the default.
for f in base64 pem; do
	run 0 --host vpn.example.com --format $f
	check_pair
	expect_base64_file "$csr" "NEW CERTIFICATE REQUEST" crlf
	rm -f "$key" "$csr"
done

# --header standard: BEGIN CERTIFICATE REQUEST, still CRLF.
run 0 --host vpn.example.com --header standard
check_pair
expect_base64_file "$csr" "CERTIFICATE REQUEST" crlf
expect_out_line "  Request file:         ./vpn.example.com.csr (Base64, BEGIN CERTIFICATE REQUEST, CRLF)"
rm -f "$key" "$csr"

# --header windows is the default, said out loud.
run 0 --host vpn.example.com --header windows --eol crlf
check_pair
expect_base64_file "$csr" "NEW CERTIFICATE REQUEST" crlf
rm -f "$key" "$csr"

# --eol lf: Windows' header, LF only (no CR anywhere).
run 0 --host vpn.example.com --eol lf
check_pair
expect_base64_file "$csr" "NEW CERTIFICATE REQUEST" lf
! od -An -c "$csr" | grep -qF '\r' || fail "$csr has a CR with --eol lf"
expect_out_line "  Request file:         ./vpn.example.com.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, LF)"
rm -f "$key" "$csr"

# Both: what openssl req writes.
run 0 --host vpn.example.com --header standard --eol lf --format base64
check_pair
expect_base64_file "$csr" "CERTIFICATE REQUEST" lf
expect_out_line "  Request file:         ./vpn.example.com.csr (Base64, BEGIN CERTIFICATE REQUEST, LF)"
openssl req -in "$csr" -out reference.csr 2> /dev/null || fail "openssl cannot rewrite $csr"
expect_same "$csr" reference.csr
rm -f "$key" "$csr" reference.csr

# The key is PKCS#8 PEM whatever the request's format.
run 0 --host vpn.example.com --format der
[ "$(head -n 1 "$key")" = "-----BEGIN PRIVATE KEY-----" ] || fail "$key with --format der: $(head -n 1 "$key")"
rm -f "$key" "$csr"

# DER with an option that only applies to Base64: a usage error, nothing written.
for opt in "--header standard" "--header windows" "--eol lf" "--eol crlf" "--header standard --eol lf"; do
	# shellcheck disable=SC2086 # $opt is two words on purpose
	run 2 --host vpn.example.com --format der $opt
	expect_err_first "mkcsr new: invalid output choice: --header and --eol apply to Base64 output, not --format der"
	expect_no_out
	expect_no_files
done

# Values that are none of the choices: named in the message.
run 2 --host vpn.example.com --format pkcs7
expect_err_first "mkcsr new: invalid output choice: --format 'pkcs7': use base64 or der"
expect_no_files
run 2 --host vpn.example.com --format ''
expect_err_first "mkcsr new: invalid output choice: --format '': use base64 or der"
run 2 --host vpn.example.com --header microsoft
expect_err_first "mkcsr new: invalid output choice: --header 'microsoft': use windows or standard"
expect_no_files
run 2 --host vpn.example.com --eol cr
expect_err_first "mkcsr new: invalid output choice: --eol 'cr': use crlf or lf"
expect_no_files
run 2 --host vpn.example.com --eol CRLF-ish
expect_err_first "mkcsr new: invalid output choice: --eol 'CRLF-ish': use crlf or lf"
expect_no_files
# A missing value is popt's error.
run 2 --host vpn.example.com --format
expect_err_first "mkcsr new: --format: missing argument"
expect_no_files


# The choices are case-insensitive, like every other keyword.
run 0 --host vpn.example.com --format DER
od -An -tx1 -N1 vpn.example.com.csr | grep -q '30' || fail "--format DER did not write DER"
rm -f vpn.example.com.key vpn.example.com.csr
run 0 --host vpn.example.com --header Standard --eol LF
head -n 1 vpn.example.com.csr | od -c | grep -q '\\r' && fail "--eol LF wrote CR"
[ "$(head -n 1 vpn.example.com.csr)" = "-----BEGIN CERTIFICATE REQUEST-----" ] || fail "--header Standard ignored"
rm -f vpn.example.com.key vpn.example.com.csr

exit 0
