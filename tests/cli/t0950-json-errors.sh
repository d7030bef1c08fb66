#!/bin/sh
# With --json, a failure of any command prints on stdout one JSON object and
# nothing else: {"error": {"code", "message", "hint", "file", "exit"}}
# (code the name in src/err.def, message the stderr line without its
# "mkcsr CMD: " prefix, hint and file null when there is none, exit the exit
# status), while stderr has the same lines as without --json.  Usage errors
# count, also those that stop the parsing before --json is reached, and an
# unknown command; after "--", "--json" is an operand.  -q does not silence
# the object; without --json, stdout stays empty.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs
need_python json

# both EXIT CODE FILE MESSAGE HINT PREFIX -- ARGS...: mkcsr ARGS exits EXIT
# with the error object, and stderr holds "PREFIX: MESSAGE" and the hint;
# the same ARGS without --json print nothing on stdout and the same stderr.
both() {
	b_exit=$1 b_code=$2 b_file=$3 b_message=$4 b_hint=$5 b_prefix=$6
	shift 7
	run "$b_exit" "$@"
	expect_json_error "$b_code" "$b_exit" "$b_file" "$b_message" "$b_hint"
	if [ -n "$b_hint" ]; then
		expect_err_exactly "$b_prefix: $b_message" "$b_prefix: hint: $b_hint"
	else
		expect_err_exactly "$b_prefix: $b_message"
	fi
	cp "$WORK/err" err.json-run
	b_args=
	for b_arg in "$@"; do
		[ "$b_arg" = --json ] || b_args="$b_args $b_arg"
	done
	# shellcheck disable=SC2086
	run "$b_exit" $b_args
	expect_no_out
	cmp -s "$WORK/err" err.json-run || fail "mkcsr$b_args: stderr differs with --json"
	rm -f err.json-run err.want
}

# ---- new ----
both 3 READ missing.pem "cannot read file: 'missing.pem': No such file or directory" "" "mkcsr new" -- \
	new --like missing.pem --json
both 2 BAD_KEY_TYPE "" "unsupported key type: 'rsa:1024'" \
	"choose one of ec:P-256, ec:P-384, ec:P-521, rsa:2048, rsa:3072, rsa:4096" "mkcsr new" -- \
	new --json --host vpn.example.com --key-type rsa:1024
# An unknown option before --json: popt stops there, the object is printed all the same.
both 2 USAGE "" "--hots: unknown option" "did you mean --host?" "mkcsr new" -- new --hots vpn.example.com --json
both 2 USAGE "" "unexpected argument 'vpn.example.com'" "see mkcsr new --help" "mkcsr new" -- \
	new --json vpn.example.com
# Without a verb, -q too.
both 1 WRITE nodir "cannot write file: --out-dir 'nodir': No such file or directory" "" "mkcsr new" -- \
	--host vpn.example.com -o nodir --json -q
[ ! -e nodir ] && [ ! -e vpn.example.com.key ] && [ ! -e vpn.example.com.csr ] || fail "new wrote something"

# ---- check ----
both 2 USAGE "" "invalid usage: --cert FILE is required: the certificate to check" "see --help" "mkcsr check" -- \
	check --json --key leaf.key
both 3 MALFORMED leaf.csr "malformed input: 'leaf.csr' holds no certificate: it is a certificate request" "" \
	"mkcsr check" -- check --cert leaf.csr --json
both 2 BAD_ROLE "" "unknown role: 'vpn'" "use sstp, ikev2, nps, client, device or tls" "mkcsr check" -- \
	check --cert leaf-good.pem --role vpn --json
# A certificate that fails a check is a report, not an error: exit 6 with the report.
run_check 6 --cert leaf-expired.pem --json
"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit("error" in d or d["result"]["exit_code"] != 6)' \
	"$WORK/out" || fail "check of an expired certificate did not print its report"

# ---- pfx ----
both 2 USAGE "" "invalid usage: --cert FILE and --key FILE are required" "see --help" "mkcsr pfx" -- \
	pfx --json --cert leaf-good.pem
both 3 READ nokey.pem "cannot read file: 'nokey.pem': No such file or directory" "" "mkcsr pfx" -- \
	pfx --cert leaf-good.pem --key nokey.pem --pass env:MKCSR_TEST_UNSET --json
both 2 BAD_SECRET_SOURCE "" "invalid passphrase source: 'secret'" \
	"use env:VAR, file:PATH, fd:N, stdin, prompt (or pass:TEXT, which other users can see); mkcsr pfx --pass also takes generate:FILE" \
	"mkcsr pfx" -- pfx --cert leaf-good.pem --key leaf.key --pass secret --json

# ---- templates ----
both 2 USAGE "" "unexpected argument 'sstp'" "see mkcsr templates --help" "mkcsr templates" -- templates --json sstp

# ---- explain ----
both 2 BAD_CODE "" "not an error code: 'E_NOPE'" \
	"paste the code as Windows shows it: -2146762495, 0x800B0101, 800b0101, 853, or a name such as CERT_E_EXPIRED" \
	"mkcsr explain" -- explain --json 853 E_NOPE

# ---- inspect ----
both 3 READ missing.pem "cannot read file: 'missing.pem': No such file or directory" "" "mkcsr inspect" -- \
	inspect --json missing.pem
both 2 USAGE "" "invalid usage: give the FILE to inspect (one or more)" "see --help" "mkcsr inspect" -- inspect --json
both 2 USAGE "" "--bogus: unknown option" "see mkcsr inspect --help" "mkcsr inspect" -- inspect --bogus --json leaf.csr
# After "--", --json is a file name: no object.
run 3 inspect -- --json
expect_no_out
expect_err_exactly "mkcsr inspect: cannot read file: '--json': No such file or directory"
rm -f err.want

# ---- no such command ----
both 2 USAGE "" "unknown command 'nwe'" "run 'mkcsr --help' for the list of commands" "mkcsr" -- nwe --json --host x
exit 0
