#!/bin/sh
# Where mkcsr pfx takes the PFX password from.  --pass generate:FILE makes
# a new random one (24 characters of URL-safe Base64, one line), saves it in
# FILE with mode 0600 (never over an existing file without --force: exit 4,
# nothing written) and the PFX opens with it.  env:, file:, fd:, stdin
# work; pass:TEXT works with a warning; an empty password is exit 3.
# Without --pass and without a terminal to ask on: exit 2 with the exact
# message, before anything is read or written.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

ok="--cert in/good-chain.pem --key in/leaf.key"

# opens_with FILE PASSWORD: the PFX opens with exactly that password.
opens_with() {
	openssl pkcs12 -in "$1" -passin "pass:$2" -noout 2> in/pkcs12.err ||
		{ cat in/pkcs12.err >&2; fail "openssl cannot open $1 with '$2'"; }
	! openssl pkcs12 -in "$1" -passin "pass:$2x" -noout 2> /dev/null || fail "$1 opens with another password"
}

# generate:FILE
# shellcheck disable=SC2086
run 0 pfx $ok --pass generate:vpn.pass
expect_no_err
expect_files in vpn.example.com.pfx vpn.pass
expect_mode vpn.pass 600
expect_mode vpn.example.com.pfx 600
expect_lines vpn.pass 1
expect_out_line "  Password:       generated, in vpn.pass (mode 0600)"
generated=$(cat vpn.pass)
[ "${#generated}" -eq 24 ] || fail "the generated password has ${#generated} characters: $generated"
[ "$(wc -c < vpn.pass)" -eq 25 ] || fail "vpn.pass is not 24 characters and a newline"
printf '%s\n' "$generated" | grep -qx '[A-Za-z0-9_-]\{24\}' || fail "the generated password is not URL-safe Base64: $generated"
opens_with vpn.example.com.pfx "$generated"
# A file: source reads it back.
openssl pkcs12 -in vpn.example.com.pfx -passin file:vpn.pass -noout 2> in/pkcs12.err || fail "the PFX does not open with file:vpn.pass"

# An existing password file: exit 4, neither file touched.
before=$(sha256_hex < vpn.pass)
# shellcheck disable=SC2086
run 4 pfx $ok --pass generate:vpn.pass -o other.pfx
expect_no_out
expect_err_first "mkcsr pfx: refusing to overwrite an existing file: 'vpn.pass' exists"
expect_files in vpn.example.com.pfx vpn.pass
[ "$(sha256_hex < vpn.pass)" = "$before" ] || fail "the refused run changed vpn.pass"
# An existing PFX with a new password file: exit 4, no password file made.
# shellcheck disable=SC2086
run 4 pfx $ok --pass generate:new.pass
expect_err_first "mkcsr pfx: refusing to overwrite an existing file: 'vpn.example.com.pfx' exists"
expect_files in vpn.example.com.pfx vpn.pass
# --force replaces both, with a new password.
# shellcheck disable=SC2086
run 0 pfx $ok --pass generate:vpn.pass --force
expect_files in vpn.example.com.pfx vpn.pass
expect_mode vpn.pass 600
[ "$(cat vpn.pass)" != "$generated" ] || fail "two generated passwords are the same"
opens_with vpn.example.com.pfx "$(cat vpn.pass)"
rm vpn.example.com.pfx vpn.pass
# generate: without a name.
# shellcheck disable=SC2086
run 2 pfx $ok --pass generate:
expect_err_first "mkcsr pfx: invalid passphrase source: 'generate:' needs a file name after 'generate:'"
expect_files in
# A password file in a directory that does not exist: nothing written.
# shellcheck disable=SC2086
run 1 pfx $ok --pass generate:nodir/vpn.pass
expect_files in

# The other sources.
MKCSR_TEST_PFX_PASS=$PFX_PASS
export MKCSR_TEST_PFX_PASS
# shellcheck disable=SC2086
run 0 pfx $ok --pass env:MKCSR_TEST_PFX_PASS -o env.pfx
expect_no_err
opens_with env.pfx "$PFX_PASS"
# shellcheck disable=SC2086
run 0 pfx $ok --pass file:in/pw -o file.pfx
expect_no_err
opens_with file.pfx "$PFX_PASS"
# shellcheck disable=SC2086
run_in in/pw 0 pfx $ok --pass stdin -o stdin.pfx
expect_no_err
opens_with stdin.pfx "$PFX_PASS"
status=0
# shellcheck disable=SC2086
"$MKCSR" pfx $ok --pass fd:3 -o fd.pfx > "$WORK/out" 2> "$WORK/err" 3< in/pw || status=$?
[ "$status" -eq 0 ] || { cat "$WORK/err" >&2; fail "--pass fd:3 exited $status"; }
opens_with fd.pfx "$PFX_PASS"
# pass:TEXT works, with a warning.
# shellcheck disable=SC2086
run 0 pfx $ok --pass "pass:$PFX_PASS" -o argv.pfx
expect_err_first "mkcsr pfx: warning: a password given as pass:TEXT can be read by other users in the process list; prefer env:VAR, file:PATH, fd:N, stdin or prompt"
expect_lines "$WORK/err" 1
opens_with argv.pfx "$PFX_PASS"
rm ./*.pfx

# Empty passwords: exit 3, nothing written.
MKCSR_TEST_EMPTY=
export MKCSR_TEST_EMPTY
# shellcheck disable=SC2086
run 3 pfx $ok --pass env:MKCSR_TEST_EMPTY
expect_err_first "mkcsr pfx: empty passphrase: the PFX password from env:MKCSR_TEST_EMPTY is empty"
# shellcheck disable=SC2086
run 3 pfx $ok --pass env:MKCSR_TEST_UNSET_VARIABLE
expect_err_first "mkcsr pfx: cannot read the passphrase: the environment variable MKCSR_TEST_UNSET_VARIABLE for the PFX password is not set"
# A bad source.
# shellcheck disable=SC2086
run 2 pfx $ok --pass bogus:x
expect_err_first "mkcsr pfx: invalid passphrase source: 'bogus:x'"
expect_files in

# No --pass, no terminal: exit 2 with the exact message, nothing read
# (the files named do not exist) and nothing written.
run_notty 2 pfx --cert in/missing.pem --key in/missing.key
expect_no_out
printf '%s\n%s\n' \
	"mkcsr pfx: invalid usage: no --pass SOURCE, and no terminal to ask for the PFX password on: use --pass env:VAR, file:PATH, fd:N, stdin or generate:FILE" \
	"mkcsr pfx: hint: see --help" > in/expected.err
diff in/expected.err "$WORK/err" >&2 || fail "no --pass without a terminal: stderr differs (diff above)"
# shellcheck disable=SC2086
run_notty 2 pfx $ok
expect_files in

exit 0
