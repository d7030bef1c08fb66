#!/bin/sh
# mkcsr explain CODE...: several codes in one call are explained in the
# order given, negative numbers among them too (they are taken out before
# the options are read and put back in place), with one blank line between
# two explanations and none before the first or after the last; options may
# come anywhere; -q prints nothing and exits 0; one code that is not a code
# stops the lot before anything is printed.

. "$TESTS_SRCDIR/cli/lib.sh"

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
run 2 explain -q 853 hello
expect_no_out
expect_err_line "mkcsr explain: not an error code: 'hello'"

# One bad code among good ones: nothing is printed, the bad one is named.
for args in "853 hello 13801" "hello 853" "853 13801 0x1FFFFFFFF"; do
	# shellcheck disable=SC2086
	run 2 explain $args
	expect_no_out
	[ "$(wc -l < "$WORK/err")" -eq 2 ] || { cat "$WORK/err" >&2; fail "explain $args: expected two lines on stderr"; }
	# shellcheck disable=SC2086
	need_python json
	run 2 explain --json $args
	expect_json_error BAD_CODE 2 "" "not an error code: '$(sed -n "1s/.*not an error code: '\\(.*\\)'$/\\1/p" "$WORK/err")'" \
		"paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED"
	case $(cat "$WORK/out") in
	*hello*|*0x1FFFFFFFF*) ;;
	*) fail "explain --json $args: the error object does not name the bad code" ;;
	esac
done
run 2 explain 853 hello world
expect_err_first "mkcsr explain: not an error code: 'hello'"
exit 0
