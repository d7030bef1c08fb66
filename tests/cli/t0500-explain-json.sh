#!/bin/sh
# mkcsr explain --json: for every golden case (tests/data/explain/cases.sh)
# the output is exactly NAME.json, exit 0, nothing on standard error; it is
# one array with an object per code, whose "input" members are the codes
# as given, in order.  -q does not silence the JSON (as for mkcsr templates),
# and --json may come anywhere among the codes.

. "$TESTS_SRCDIR/cli/lib.sh"

PYTHON=
for py in python3 /usr/bin/python3; do
	if command -v "$py" > /dev/null 2>&1; then
		PYTHON=$py
		break
	fi
done

# json_inputs: the "input" members of the JSON on stdout, one a line (a
# backslash, escaped in JSON, made one again).
json_inputs() {
	sed -n 's/^    "input": "\(.*\)",$/\1/p' "$WORK/out" | sed 's/\\\\/\\/g'
}

. "$EXPLAIN_DATA/cases.sh"
cases=0
explain_case() {
	ec_name=$1
	shift
	run 0 explain --json "$@"
	expect_no_err
	expect_golden "$EXPLAIN_DATA/$ec_name.json"
	# The codes, in the order given.
	json_inputs > inputs.got
	printf '%s\n' "$@" > inputs.want
	diff -u inputs.want inputs.got >&2 || fail "the JSON's input members are not the codes given: $*"
	if [ -n "$PYTHON" ]; then
		"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); assert isinstance(d, list) and len(d) == int(sys.argv[2]), d' \
			"$WORK/out" "$#" || fail "mkcsr explain --json $*: not a JSON array of $# objects"
	fi
	# Same with -q, and with --json after the codes.
	run 0 explain -q --json "$@"
	expect_golden "$EXPLAIN_DATA/$ec_name.json"
	run 0 explain "$@" --json
	expect_golden "$EXPLAIN_DATA/$ec_name.json"
	cases=$((cases + 1))
}
explain_cases
[ "$cases" -ge 19 ] || fail "only $cases cases in $EXPLAIN_DATA/cases.sh"

run 0 explain --json -- -2146762495
expect_golden "$EXPLAIN_DATA/signed-decimal.json"

# The members, independently of the golden files.
run 0 explain --json -2146762495
for line in '"hex": "0x800B0101",' '"signed": -2146762495,' '"unsigned": 2148204801,' '"hresult": true,' \
	'"severity": 1,' '"number": 11,' '"name": "CERT"' '"code": 257,' '"in_table": true,' \
	'"symbol": "CERT_E_EXPIRED",' '"wraps": null'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "-2146762495: the JSON lacks $line"; }
done
run 0 explain --json 853
for line in '"hex": "0x00000355",' '"hresult": false,' '"severity": null,' '"facility": null,' '"code": 853,' \
	'"symbol": "ERROR_EAP_USER_CERT_INVALID",' '"mkcsr": null' '"wraps": null'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "853: the JSON lacks $line"; }
done
run 0 explain --json 0x80070355
for line in '"in_table": true,' '"entry": null,' '"win32": 853,' '"symbol": "ERROR_EAP_USER_CERT_INVALID",'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "0x80070355: the JSON lacks $line"; }
done
# From 0x10000 up the fields are decoded in JSON as in the text: a success
# HRESULT has severity 0 and its facility, not nulls.
run 0 explain 0x00090312
expect_out_line '  Fields:     severity 0 (success or information), facility 9 (SECURITY), code 0x0312 (786)'
run 0 explain --json 0x00090312
for line in '"kind": "hresult",' '"hresult": false,' '"severity": 0,' '"customer": false,' '"number": 9,' '"name": "SECURITY"' '"code": 786,'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "0x00090312: the JSON lacks $line"; }
done
# NTSTATUS: two severity bits, a 12-bit facility.
run 0 explain --json 0xC000006D
for line in '"kind": "ntstatus",' '"hresult": false,' '"severity": 3,' '"customer": false,' '"number": 0,' '"code": 109,' '"symbol": "STATUS_LOGON_FAILURE",'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "0xC000006D: the JSON lacks $line"; }
done
# A code found in a sentence: input is the operand, found the code.
run 0 explain --json 'Error 809:'
for line in '"input": "Error 809:",' '"found": "809",' '"kind": "win32",' '"symbol": "ERROR_VPN_TIMEOUT",'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "'Error 809:': the JSON lacks $line"; }
done
run 0 explain --json 0x80004005
for line in '"in_table": false,' '"entry": null,' '"wraps": null' '"name": "NULL"'; do
	grep -qF -- "$line" "$WORK/out" || { cat "$WORK/out" >&2; fail "0x80004005: the JSON lacks $line"; }
done
exit 0
