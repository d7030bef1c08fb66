#!/bin/sh
# Every kind of invalid --host is a usage error (exit 2) whose first line
# names the value and what is wrong, followed by the naming hint; nothing is
# printed on stdout (with --json, the error object alone) and no file (not
# even a temporary one) is written.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json

hint="mkcsr new: hint: host names are letters, digits and hyphens in dot-separated labels of 1-63 characters; a wildcard is only '*.' before at least two labels"

# bad_host VALUE DETAIL: --host VALUE fails with "invalid name: DETAIL".
bad_host() {
	run 2 --host "$1"
	expect_err_first "mkcsr new: invalid name: $2"
	expect_err_line "$hint"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
	# The verb makes no difference, nor do other valid options.
	# With --json, the same error as one JSON object on stdout.
	run 2 new --san other.example.com --host "$1" --key-type rsa:2048 --json
	expect_err_first "mkcsr new: invalid name: $2"
	expect_json_error BAD_NAME 2 "" "invalid name: $2" "${hint#mkcsr new: hint: }"
	expect_no_files
}

bad_host "" "empty host name"
bad_host "a..example.com" "'a..example.com': empty label (two dots in a row, or a leading dot)"
bad_host ".example.com" "'.example.com': empty label (two dots in a row, or a leading dot)"
bad_host "example.com.." "'example.com..': empty label (two dots in a row, or a leading dot)"
bad_host "." "'.': empty label (two dots in a row, or a leading dot)"

label64=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
[ ${#label64} -eq 64 ] || fail "test bug: label64 has ${#label64} characters"
bad_host "$label64.example.com" "'$label64.example.com': label '$label64' is 64 characters long; the limit is 63"

bad_host "vpn_1.example.com" "'vpn_1.example.com': '_' is not allowed in a host name"
bad_host "_acme-challenge.example.com" "'_acme-challenge.example.com': '_' is not allowed in a host name"

bad_host "vpn.*.example.com" "'vpn.*.example.com': a wildcard must be the whole left-most label, as in *.example.com"
bad_host "vpn*.example.com" "'vpn*.example.com': a wildcard must be the whole left-most label, as in *.example.com"
bad_host "*vpn.example.com" "'*vpn.example.com': a wildcard must be the whole left-most label, as in *.example.com"
bad_host "*.*.example.com" "'*.*.example.com': a wildcard must be the whole left-most label, as in *.example.com"

bad_host "vpn!.example.com" "'vpn!.example.com': character '!' is not allowed in a host name"
bad_host "vpn example.com" "'vpn example.com': character ' ' is not allowed in a host name"
bad_host "https://vpn.example.com" "'https://vpn.example.com': character ':' is not allowed in a host name"
bad_host "vpn.example.com/path" "'vpn.example.com/path': character '/' is not allowed in a host name"
bad_host "admin@example.com" "'admin@example.com': character '@' is not allowed in a host name"

bad_host "-vpn.example.com" "'-vpn.example.com': label '-vpn' starts or ends with a hyphen"
bad_host "vpn-.example.com" "'vpn-.example.com': label 'vpn-' starts or ends with a hyphen"
bad_host "vpn.example.com-" "'vpn.example.com-': label 'com-' starts or ends with a hyphen"

# A DNS name of 254 characters (after the trailing dot is dropped, 253 is fine: t0041).
l63=$(printf '%s' "$label64" | cut -c 2-)
long="$l63.$l63.$l63.dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
[ ${#long} -eq 254 ] || fail "test bug: long has ${#long} characters"
bad_host "$long" "'$long' is 254 characters long; a DNS name has at most 253"

# Not an IP address, not a host name either.
bad_host "10.0.0.256" "'10.0.0.256' looks like an IP address but is not a valid one"
bad_host "192.168.1" "'192.168.1' looks like an IP address but is not a valid one"
bad_host "1.2.3.4.5" "'1.2.3.4.5' looks like an IP address but is not a valid one"

# A wildcard needs two labels after it.
bad_host "*.com" "'*.com': a wildcard needs at least two labels after it, as in *.example.com"
bad_host "*.internal" "'*.internal': a wildcard needs at least two labels after it, as in *.example.com"
bad_host "*." "'*.': a wildcard needs at least two labels after it, as in *.example.com"

# Internationalized names: with libidn2, bad A-labels and disallowed characters.
case "${MKCSR_HAVE_IDN2:-unknown}" in
yes)
	bad_host "xn--zz.example.com" "'xn--zz.example.com': label 'xn--zz' is not a valid A-label: string contains invalid punycode data"
	# Punycode that decodes, but to a code point IDNA2008 disallows (U+0080).
	run 2 --host xn--a.example.com
	expect_err "mkcsr new: invalid name: 'xn--a.example.com': label 'xn--a' is not "
	expect_err_line "$hint"
	expect_no_files
	bad_host "$(printf 'snow\342\230\203.example.com')" \
		"'$(printf 'snow\342\230\203.example.com')': not a valid internationalized name: string contains a disallowed character"
	;;
no)
	# Without libidn2 every non-ASCII name is refused with the xn-- hint (t0041).
	run 2 --host "$(printf 'snow\342\230\203.example.com')"
	expect_err_first "mkcsr new: non-ASCII host name: '$(printf 'snow\342\230\203.example.com')' has non-ASCII characters"
	expect_no_files
	;;
*)
	printf 'note: MKCSR_HAVE_IDN2 is not set; the internationalized-name checks are left out\n' >&2
	;;
esac

# --host given twice: a usage error naming both.
run 2 --host vpn.example.com --host vpn2.example.com
expect_err_first "mkcsr new: invalid usage: --host given twice ('vpn.example.com' and 'vpn2.example.com'); add other names with --san"
expect_err_line "mkcsr new: hint: see --help"
expect_no_files


# RFC 5891: '--' in the third and fourth characters is for xn-- labels only.
bad_host "ab--cd.example.com" "'ab--cd.example.com': label 'ab--cd' has '--' in its third and fourth characters, which only xn-- labels may have"

exit 0
