#!/bin/sh
# The test SSTP server (tests/sstp/sstp_server.py) speaks real MS-SSTP:
# Debian's SSTP client, sstpc (sstp-client), connects to it on 127.0.0.1,
# verifies its chain against the test root, gets past the HTTP exchange
# and the Call Connect Ack, and starts PPP negotiation.  PPP itself cannot
# start without /dev/ppp (and the server speaks no PPP): the test stops
# sstpc there.  mkcsr probe then gets the same answers from the same server.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
need sstpc
probe_init

# A certificate valid now (sstpc checks dates against the clock) for the name and the address.
now_leaf now.pem vpn.example.com "DNS:vpn.example.com,IP:127.0.0.1" serverAuth
probe_bundle chain.pem now.pem inter-ca.pem
probe_sstp sstp chain.pem leaf.key
P=$PORT_sstp

# sstpc runs until PPP gives up; it is stopped once it has reached PPP negotiation (10 s at most).
sstpc --log-stderr --log-level 4 --ca-cert root-ca.pem --user probe --password probe "127.0.0.1:$P" noauth \
	> sstpc.out 2> sstpc.err < /dev/null &
SSTPC=$!
PROBE_PIDS="$PROBE_PIDS $SSTPC"
i=0
while ! grep -q "Started PPP Link Negotiation" sstpc.err && kill -0 "$SSTPC" 2> /dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill "$SSTPC" 2> /dev/null
wait "$SSTPC" 2> /dev/null
grep -q "Started PPP Link Negotiation" sstpc.err || { cat sstpc.err >&2; fail "sstpc did not reach PPP negotiation"; }
! grep -q "failed verification" sstpc.err || { cat sstpc.err >&2; fail "sstpc did not accept the server's chain"; }
grep -q "TYPE(2): CONNECT ACK" sstpc.err || { cat sstpc.err >&2; fail "sstpc saw no Call Connect Ack"; }
grep -q "CRYPTO BIND REQ(4): 40" sstpc.err || { cat sstpc.err >&2; fail "sstpc saw no Crypto Binding Request in the Ack"; }
# What sstpc sent, as the server saw it.
expect_log sstp "http SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1 host=127.0.0.1 "
expect_log sstp " content-length=18446744073709551615"
expect_log sstp "sent http-200"
expect_log sstp "received call-connect-request attributes=1 protocol=1 length=14"
expect_log sstp "sent call-connect-ack"

# mkcsr probe, against the same server: the same steps, then a Call Abort.
run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file root-ca.pem --revocation names
expect_out "  PASS  sstp        SSTP accepted the call: HTTP 200 to SSTP_DUPLEX_POST, then a Call Connect Ack; the call was aborted and the server confirmed"
expect_log sstp "received call-abort status=0 length=20"
exit 0
