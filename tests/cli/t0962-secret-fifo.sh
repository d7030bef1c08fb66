#!/bin/sh
# A FIFO given as a passphrase file (file:PATH): read when something writes
# to it, even a second later (as a shell's <(command) does); refused after
# 5 seconds when nothing does, never waited on for ever.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

mkfifo late || fail "cannot make a FIFO"
{ sleep 1; cat leaf-enc.pass > late; } &
writer=$!
status=0
timeout 20 "$MKCSR" check --cert leaf-good.pem --key leaf-enc.key --key-pass file:late --at 2027-06-01 \
	> "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
wait "$writer"
[ "$status" -ne 124 ] || fail "mkcsr check did not finish reading the FIFO"
expect_out_line "  PASS  key         'leaf-enc.key' is the private key of CN=vpn.example.com in 'leaf-good.pem'"

mkfifo silent || fail "cannot make a FIFO"
now_leaf now.pem vpn.example.com DNS:vpn.example.com serverAuth
status=0
timeout 20 "$MKCSR" pfx --cert now.pem --key leaf.key --pass file:silent -o now.pfx \
	> "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
[ "$status" -ne 124 ] || fail "mkcsr pfx waited on a FIFO that nothing writes to"
[ "$status" -eq 3 ] || { cat "$WORK/err" >&2; fail "mkcsr pfx exited $status, expected 3"; }
expect_err_line "mkcsr pfx: cannot read the passphrase: 'silent' is a FIFO that nothing wrote to within 5 seconds"
[ ! -e now.pfx ] || fail "a PFX was written without its password"
