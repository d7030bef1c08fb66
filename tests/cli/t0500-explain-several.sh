#!/bin/sh
# mkcsr explain CODE...: several codes in one call are explained in the
# order given, negative numbers among them too (they are taken out before
# the options are read and put back in place), with one blank line between
# two explanations and none before the first or after the last; options may
# come anywhere; -q prints nothing and exits 0.  Operands that are not codes
# do not stop the others: plain words (a sentence pasted without quotes)
# are passed over; anything else is named on stderr after the explanations,
# with one hint, and the exit status is 2.

. "$TESTS_SRCDIR/cli/lib.sh"

HINT='mkcsr explain: hint: paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED'

# headers: the first line of each explanation, one a line.
headers() {
	awk 'NR == 1 || prev == "" { print } { prev = $0 }' "$WORK/out"
}

run 0 explain 853 -2146762495 0x800B0109 cert_e_chaining 13868
expect_no_err
expect_golden "$EXPLAIN_DATA/several.txt"
headers > got
cat > want <<'EOT'
ERROR_EAP_USER_CERT_INVALID (853)
CERT_E_EXPIRED (-2146762495)
CERT_E_UNTRUSTEDROOT (0x800B0109)
CERT_E_CHAINING (cert_e_chaining)
ERROR_IPSEC_IKE_POLICY_MATCH (13868)
EOT
diff -u want got >&2 || fail "the codes are not explained in the order given"
[ "$(grep -c '^$' "$WORK/out")" -eq 4 ] || fail "expected 4 blank lines between 5 explanations"
[ -n "$(sed -n 1p "$WORK/out")" ] || fail "the output begins with a blank line"
[ -n "$(tail -n 1 "$WORK/out")" ] || fail "the output ends with a blank line"

# Each explanation is the one the code gets alone.
: > joined
for code in 853 -2146762495 0x800B0109 cert_e_chaining 13868; do
	[ -s joined ] && echo >> joined
	run 0 explain "$code"
	cat "$WORK/out" >> joined
done
run 0 explain 853 -2146762495 0x800B0109 cert_e_chaining 13868
diff -u joined "$WORK/out" >&2 || fail "explaining several codes differs from explaining each alone"

# Negative numbers among the options and other codes keep their places.
run 0 explain -2146762495 853 -2146762487 -v 13801 -2146885613
cat > want <<'EOT'
CERT_E_EXPIRED (-2146762495)
ERROR_EAP_USER_CERT_INVALID (853)
CERT_E_UNTRUSTEDROOT (-2146762487)
ERROR_IPSEC_IKE_AUTH_FAIL (13801)
CRYPT_E_REVOCATION_OFFLINE (-2146885613)
EOT
headers > got
diff -u want got >&2 || fail "negative numbers did not keep their places"
run 0 explain --json 853 -2146762495 -q 13868 -- -2146762487 CERT_E_EXPIRED
sed -n 's/^    "input": "\(.*\)",$/\1/p' "$WORK/out" > got
printf '%s\n' 853 -2146762495 13868 -2146762487 CERT_E_EXPIRED > want
diff -u want got >&2 || fail "--json: the codes are not in the order given"
# The same code twice is explained twice.
run 0 explain 853 853
[ "$(grep -c '^ERROR_EAP_USER_CERT_INVALID (853)$' "$WORK/out")" -eq 2 ] || fail "853 853: expected two explanations"
# "--" then only negative numbers.
run 0 explain -- -2146762495 -2146762487
headers > got
printf '%s\n' 'CERT_E_EXPIRED (-2146762495)' 'CERT_E_UNTRUSTEDROOT (-2146762487)' > want
diff -u want got >&2 || fail "-- -2146762495 -2146762487"

# -q: nothing at all, exit 0.
run 0 explain -q -2146762495
expect_no_out
expect_no_err
run 0 explain --quiet 853 -2146762495 0x80004005 12345
expect_no_out
expect_no_err
# ... but errors are still reported.
run 2 explain -q 853 0xG
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '0xG'" "$HINT"

# A sentence pasted without quotes: its words are passed over, its code explained.
run 0 explain Error 809:
expect_no_err
run 0 explain 809
cp "$WORK/out" alone
run 0 explain Error 809:
sed 1d "$WORK/out" > got
sed 1d alone > want
diff -u want got >&2 || fail "explain Error 809: differs from explain 809"
expect_out_line 'ERROR_VPN_TIMEOUT (809:)'
run 0 explain The error code returned on failure is -2146762495.
expect_no_err
expect_out_line 'CERT_E_EXPIRED (-2146762495.)'
# A sentence that begins with a negative number is a sentence, not options.
run 0 explain '-2146762495 was returned' -v
expect_no_err
expect_out_line 'CERT_E_EXPIRED (-2146762495)'
expect_out_line '  Found in:   -2146762495 was returned'
run 0 explain 853 hello world
expect_no_err
[ "$(grep -c '^ERROR_EAP_USER_CERT_INVALID (853)$' "$WORK/out")" -eq 1 ] || fail "853 hello world: expected 853 explained once"
# Only words: the first is the error.
run 2 explain hello world
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: 'hello'" "$HINT"

# Bad operands among good ones: the good ones are explained, in order, as
# alone; each bad one is reported (its line and the hint); exit 2.
run 2 explain 853 CERT_E_EXPIRD 13801 0x1FFFFFFFF
printf '%s\n' 'ERROR_EAP_USER_CERT_INVALID (853)' 'ERROR_IPSEC_IKE_AUTH_FAIL (13801)' > want
headers > got
diff -u want got >&2 || fail "the good codes are not explained in order"
cp "$WORK/out" mixed
expect_err_exactly "mkcsr explain: not an error code: 'CERT_E_EXPIRD'" "$HINT" \
	"mkcsr explain: not an error code: '0x1FFFFFFFF'" "$HINT"
run 0 explain 853 13801
diff -u "$WORK/out" mixed >&2 || fail "bad operands changed the explanation of the good ones"
# With --json a failure is the error object alone (as for every command),
# naming the first bad operand; stderr names each.
need_python json
run 2 explain --json 853 hello 'event 20227 error 4321' CERT_E_EXPIRD
expect_json_error BAD_CODE 2 "" \
	"not an error code: 'event 20227 error 4321': it holds several codes (20227, 4321); give the one to explain" \
	"paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED"
expect_err_exactly "mkcsr explain: not an error code: 'event 20227 error 4321': it holds several codes (20227, 4321); give the one to explain" "$HINT" \
	"mkcsr explain: not an error code: 'CERT_E_EXPIRD'" "$HINT"
# Nothing is a code: the error object of the first.
for args in "hello world" "853x hello 13801x" "hello 0x1FFFFFFFF"; do
	# shellcheck disable=SC2086
	run 2 explain --json $args
	first=${args%% *}
	expect_json_error BAD_CODE 2 "" "not an error code: '$first'" \
		"paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED"
done
run 2 explain -- -2146762495 853x
expect_out_line 'CERT_E_EXPIRED (-2146762495)'
expect_err_exactly "mkcsr explain: not an error code: '853x'" "$HINT"
# Nothing good: the first bad operand, and nothing printed.
run 2 explain 853x hello 0xG
expect_no_out
expect_err_exactly "mkcsr explain: not an error code: '853x'" "$HINT"
exit 0
