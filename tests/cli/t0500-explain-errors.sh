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
bad '853,x' '853,x'
bad 'no code in this sentence' 'no code in this sentence'
bad 'a 2fa prompt' 'a 2fa prompt'
# Several codes in one sentence: never guessed (the table's code wins when it is the only one there).
for text in '8 53' 'event 20227 error 4321' 'error 853 then 13801'; do
	codes=$(printf '%s' "$text" | tr -cs '0-9' '\n' | sed '/^$/d' | paste -sd, - | sed 's/,/, /g')
	message="not an error code: '$text': it holds several codes ($codes); give the one to explain"
	for opt in '' -q; do
		# shellcheck disable=SC2086
		run 2 explain $opt "$text"
		expect_no_out
		expect_err_exactly "mkcsr explain: $message" "$HINT"
	done
	run 2 explain --json "$text"
	expect_json_error BAD_CODE 2 "" "$message" "${HINT#mkcsr explain: hint: }"
	expect_err_exactly "mkcsr explain: $message" "$HINT"
done
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
# Longer than any event's message (2047 bytes): refused, not searched.
long="853$(printf '%2045s' x)"
run 2 explain "$long"
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '853                                                         ...' (over 2047 bytes)" "$HINT"
# One byte less: a sentence whose one code is 853.
run 0 explain "853$(printf '%2044s' x)"
expect_out_line 'ERROR_EAP_USER_CERT_INVALID (853)'
# A control character in what is quoted back is written \xNN.
run 2 explain "$(printf 'no\033[31m code')"
expect_err_exactly "mkcsr explain: not an error code: 'no\\x1B[31m code'" "$HINT"

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
