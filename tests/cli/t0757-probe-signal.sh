#!/bin/sh
# SIGINT or SIGTERM while targets are being probed: the probe stops within a
# moment (not at the 30 s timeout), reports every target not finished as
# "not probed: interrupted", says so on standard error, and exits with 128
# plus the signal's number.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp silent good.pem leaf.key --mode silent
P=$PORT_silent

# stop_probe SIGNAL: sends SIGNAL to the probe and waits for it; its exit status in st.
stop_probe() {
	kill "-$1" "$pid"
	st=0
	wait "$pid" || st=$?
}

# interrupt SIGNAL STATUS: probe two targets, one at a time, and send SIGNAL once the first is held.
interrupt() {
	: > silent.log
	"$MKCSR" probe "vpn.example.com:$P" "vpn.example.com:$P" --connect 127.0.0.1 --jobs 1 --timeout 30 \
		--revocation names --summary > out 2> err < /dev/null &
	pid=$!
	i=0
	until grep -q "accepted" silent.log; do
		i=$((i + 1))
		[ $i -le 100 ] || { kill "$pid"; fail "the probe did not connect"; }
		sleep 0.1
	done
	elapsed_ms stop_probe "$1"
	[ "$st" -eq "$2" ] || { cat out err >&2; fail "exit status $st after SIG$1, expected $2"; }
	[ "$ELAPSED_MS" -lt 5000 ] || fail "the probe took $ELAPSED_MS ms to stop after SIG$1"
	expect_lines out 2
	[ "$(grep -cxF "vpn.example.com:$P via 127.0.0.1:$P  NOT-PROBED  interrupted" out)" -eq 2 ] ||
		{ cat out >&2; fail "the targets are not reported as interrupted"; }
	expect_err_line "mkcsr probe: interrupted: targets not yet probed are listed as such"
}
interrupt INT 130
interrupt TERM 143
exit 0
