#!/bin/sh
# mkcsr explain, text output: every form a code is pasted in (signed and
# unsigned decimal, hex with 0x, 0X or none, eight digits starting with 8,
# a Win32/RAS number, an HRESULT wrapping one, a symbolic name in any case,
# blanks and a final full stop around it) gives exactly the golden output
# of tests/data/explain/ (cases.sh lists the cases), exit 0 and nothing on
# standard error.  Then, independently of the golden files: the forms of
# one code explain it identically, bar the input echoed in the first line.

. "$TESTS_SRCDIR/cli/lib.sh"

. "$EXPLAIN_DATA/cases.sh"
cases=0
explain_case() {
	ec_name=$1
	shift
	run 0 explain "$@"
	expect_no_err
	expect_golden "$EXPLAIN_DATA/$ec_name.txt"
	cases=$((cases + 1))
}
explain_cases
[ "$cases" -ge 19 ] || fail "only $cases cases in $EXPLAIN_DATA/cases.sh"

# "--" ends the options; a negative code after it is still a code.
run 0 explain -- -2146762495
expect_no_err
expect_golden "$EXPLAIN_DATA/signed-decimal.txt"
# -v adds nothing to an explanation.
run 0 explain -v 853
expect_golden "$EXPLAIN_DATA/ras-853.txt"
run 0 explain 853 --verbose
expect_golden "$EXPLAIN_DATA/ras-853.txt"

# Every form of CERT_E_EXPIRED: the first line names it with the input as
# given, and the rest is the same explanation, word for word.
run 0 explain -2146762495
sed 1d "$WORK/out" > expired.body
expect_out_line '  Hex:        0x800B0101'
expect_out_line '  Decimal:    -2146762495 (signed, as event logs print it), 2148204801 (unsigned)'
expect_out_line '  Fields:     severity 1 (failure), facility 11 (CERT), code 0x0101 (257)'
expect_out "  Meaning:    a required certificate is not within its validity period"
expect_out "  Usual cause in Always On VPN: "
expect_out "  Fix:        "
expect_out "  mkcsr:      mkcsr check --role sstp"
for form in 2148204801 0x800B0101 0X800b0101 800b0101 800B0101 CERT_E_EXPIRED cert_e_expired Cert_E_Expired \
	-2146762495. 0x800B0101. ' 800b0101 '; do
	run 0 explain "$form"
	[ "$(sed -n 1p "$WORK/out")" = "CERT_E_EXPIRED ($form)" ] || fail "mkcsr explain '$form' begins: $(sed -n 1p "$WORK/out")"
	sed 1d "$WORK/out" > form.body
	diff -u expired.body form.body >&2 || fail "mkcsr explain '$form' differs from mkcsr explain -2146762495"
done

# Eight digits starting with 8 are hex, fewer are decimal.
run 0 explain 80070040
expect_out_line '  Hex:        0x80070040'
expect_out_line '  Wraps:      Win32 error 64 (not in the table)'
run 0 explain 8007004
expect_out_line '  Hex:        0x007A2D5C'

# A Win32/RAS number, and the same code inside an HRESULT (HRESULT_FROM_WIN32).
run 0 explain 853
expect_out_line 'ERROR_EAP_USER_CERT_INVALID (853)'
expect_out_line '  Fields:     a Win32 or RAS error number, not an HRESULT; as an HRESULT: 0x80070355'
sed -n 's/^  \(Meaning\|Usual cause\|Fix\)/\1/p' "$WORK/out" > ras.advice
[ "$(wc -l < ras.advice)" -eq 3 ] || fail "853: expected a meaning, a cause and a fix"
expect_out_lacks '  mkcsr:'
run 0 explain 0x80070355
expect_out_line 'HRESULT_FROM_WIN32(ERROR_EAP_USER_CERT_INVALID) (0x80070355)'
expect_out_line '  Fields:     severity 1 (failure), facility 7 (WIN32), code 0x0355 (853)'
expect_out_line '  Wraps:      Win32 error 853, ERROR_EAP_USER_CERT_INVALID'
sed -n 's/^  \(Meaning\|Usual cause\|Fix\)/\1/p' "$WORK/out" > wrapped.advice
diff -u ras.advice wrapped.advice >&2 || fail "0x80070355 does not explain 853 as 853 does"
expect_out_lacks 'not in the table'

# Not in the table: the fields are still decoded.
run 0 explain 0x80004005
expect_out_line 'not in the table (0x80004005)'
expect_out_line '  Fields:     severity 1 (failure), facility 0 (NULL), code 0x4005 (16389)'
expect_out_line '  Meaning:    not in the table: the fields above are decoded from the number alone'
run 0 explain 12345
expect_out_line 'not in the table (12345)'
expect_out_line '  Fields:     a Win32 or RAS error number, not an HRESULT; as an HRESULT: 0x80073039'
exit 0
