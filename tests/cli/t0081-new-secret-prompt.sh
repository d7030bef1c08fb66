#!/bin/sh
# --key-pass prompt with no terminal to prompt on (a new session, so even
# "make check" run from a terminal has none): exit 3, nothing written; the
# passphrase is never taken from standard input instead.

. "$TESTS_SRCDIR/cli/lib.sh"

need setsid

run_notty 3 --host vpn.example.com --key-pass prompt
expect_err_first "mkcsr new: cannot read the passphrase: no terminal to ask for the key passphrase on: use env:VAR, file:PATH, fd:N or stdin"
expect_lines "$WORK/err" 1
expect_no_out
expect_no_files

# The same in a pipeline: standard input holds a line, but prompt does not read it.
status=0
printf 'piped passphrase\n' | setsid -w "$MKCSR" --host vpn.example.com --key-pass prompt > "$WORK/out" 2> "$WORK/err" || status=$?
[ $status -eq 3 ] || { cat "$WORK/err" >&2; fail "prompt with a pipe and no terminal exited $status, expected 3"; }
expect_err_first "mkcsr new: cannot read the passphrase: no terminal to ask for the key passphrase on: use env:VAR, file:PATH, fd:N or stdin"
expect_no_files

exit 0
