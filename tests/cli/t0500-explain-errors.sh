#!/bin/sh
# mkcsr explain with what is not a code: exit 2, nothing on standard
# output (with --json, the error object alone), and exactly the two lines "mkcsr explain: not an error code:
# 'X'" and the hint on standard error; no code at all is a usage error;
# --help lists the forms and the options, --usage and --version work.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json

HINT='mkcsr explain: hint: paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED'

# bad ARG QUOTED: "mkcsr explain ARG" is refused, naming QUOTED; with
# --json and -q too.
bad() {
	run 2 explain "$1"
	expect_no_out
	expect_err_exactly "mkcsr explain: not an error code: '$2'" "$HINT"
	run 2 explain --json "$1"
	expect_json_error BAD_CODE 2 "" "not an error code: '$2'" "${HINT#mkcsr explain: hint: }"
	expect_err_exactly "mkcsr explain: not an error code: '$2'" "$HINT"
	run 2 explain -q "$1"
	expect_no_out
	expect_err_exactly "mkcsr explain: not an error code: '$2'" "$HINT"
}

bad hello hello
bad '' ''
bad ' ' ''
bad . .
bad 0x 0x
bad 0x1FFFFFFFF 0x1FFFFFFFF
bad 800b01011 800b01011
bad 4294967296 4294967296
bad 99999999999999999999 99999999999999999999
bad 0xG 0xG
bad 853x 853x
bad '8 53' '8 53'
bad +853 +853
bad CERT_E_EXPIRD CERT_E_EXPIRD
bad E_FAIL E_FAIL
# After "--": negative numbers out of range, and what looks like an option.
run 2 explain -- -99999999999
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '-99999999999'" "$HINT"
run 2 explain -99999999999
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '-99999999999'" "$HINT"
run 2 explain -2147483649
expect_err_exactly "mkcsr explain: not an error code: '-2147483649'" "$HINT"
run 2 explain -- --json
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '--json'" "$HINT"
# Far too long to be a code: refused, not cut short into one.
long="853$(printf '%200s' x)"
run 2 explain "$long"
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '853                                     ...'" "$HINT"

# A dash and letters is an option, and an unknown one.
run 2 explain -2146762495x
expect_no_out
expect_err_exactly 'mkcsr explain: -2146762495x: unknown option' 'mkcsr explain: hint: see mkcsr explain --help'
run 2 explain --no-such-option 853
expect_no_out
expect_err_first 'mkcsr explain: --no-such-option: unknown option'

# No code: a usage error, with or without options.
for args in "" "-q" "--json" "-v" "--"; do
	# shellcheck disable=SC2086
	run 2 explain $args
	if [ "$args" = --json ]; then
		expect_json_error USAGE 2 "" \
			"invalid usage: give one or more codes to explain, such as -2146762495 or 0x800B0101" "see --help"
	else
		expect_no_out
	fi
	expect_err_exactly 'mkcsr explain: invalid usage: give one or more codes to explain, such as -2146762495 or 0x800B0101' \
		'mkcsr explain: hint: see --help'
done

# --help: the forms of a code and every option, on standard output.
run 0 explain --help
expect_no_err
expect_out_line 'Usage: mkcsr explain CODE... (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)'
for opt in '-q, --quiet' '-v, --verbose' '--json' '--version' '-?, --help' '--usage'; do
	expect_out "  $opt "
done
run 0 explain -?
expect_out_line 'Usage: mkcsr explain CODE... (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)'
run 0 --help
expect_out_line '  explain    what a Windows error code means (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)'
run 0 explain --usage
expect_out 'CODE... (-2146762495, 0x800B0101, 853, CERT_E_EXPIRED)'
run 0 explain --version
expect_out 'mkcsr '
expect_lines "$WORK/out" 1
# --version wins over the codes, good or bad.
run 0 explain --version hello
expect_no_err
exit 0
