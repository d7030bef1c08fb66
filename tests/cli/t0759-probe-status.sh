#!/bin/sh
# The status line: on a terminal, one line on standard error counting the
# targets done, redrawn in place ("\r", text, clear to the end of the line)
# only when the count changes, and cleared before the results; nothing with
# -q; nothing when standard error is not a terminal.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
need script
probe_init

probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp slow good.pem leaf.key --delay 0.5
P=$PORT_slow
ARGS="probe vpn.example.com:$P --connect 127.0.0.1 --connect 127.0.0.1 --jobs 1 --revocation names --at 2027-06-01 --ca-file root-ca.pem --summary"

# On a terminal (script gives the program one): the count, each state once, then a cleared line.
script -qec "'$MKCSR' $ARGS" /dev/null > tty.out 2>&1 < /dev/null || fail "mkcsr probe failed on a terminal"
ESC=$(printf '\033')
tr '\r' '\n' < tty.out > tty.lines
[ "$(grep -c "^mkcsr probe: 0 of 2 targets done${ESC}\[K\$" tty.lines)" -eq 1 ] || { cat -v tty.out >&2; fail "no single '0 of 2' status line"; }
[ "$(grep -c "^mkcsr probe: 1 of 2 targets done${ESC}\[K\$" tty.lines)" -eq 1 ] || { cat -v tty.out >&2; fail "no single '1 of 2' status line"; }
grep -q "^${ESC}\[Kvpn.example.com:$P via 127.0.0.1:$P  OK  " tty.lines || { cat -v tty.out >&2; fail "the status line was not cleared before the results"; }
[ "$(grep -c "  OK  " tty.lines)" -eq 2 ] || fail "the results are missing"

# -q on a terminal: no status line.
script -qec "'$MKCSR' $ARGS -q" /dev/null > tty.out 2>&1 < /dev/null || fail "mkcsr probe -q failed on a terminal"
! grep -q "targets done" tty.out || { cat -v tty.out >&2; fail "-q printed a status line"; }

# Not a terminal: nothing on standard error.
# shellcheck disable=SC2086
run 0 $ARGS
expect_no_err
exit 0
