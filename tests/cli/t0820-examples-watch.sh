#!/bin/sh
# examples/watch-vpn-certificates.sh against local SSTP servers: it logs
# one line per endpoint with the time, mails the summary only when
# something is wrong (MAIL_COMMAND here is a script that keeps what it
# would send), and exits with mkcsr probe's status: 0 all fine, 7
# expiring, 5 the wrong certificate, 8 an endpoint down; 2 without a
# targets file, 3 for an unreadable one.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

WATCH="$TESTS_SRCDIR/../examples/watch-vpn-certificates.sh"
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp one good.pem leaf.key
probe_sstp two good.pem leaf.key
cat > targets.txt << EOF
# our RRAS servers
vpn.example.com:$PORT_one 127.0.0.1
vpn.example.com:$PORT_two 127.0.0.1
EOF
cat > fake-mail.sh << 'EOF'
{ printf 'To: %s\nSubject: %s\n\n' "$MAIL_TO" "$SUBJECT"; cat; } >> "$WORK/mailbox"
EOF

watch() {
	w_status=$1
	shift
	st=0
	env MKCSR="$MKCSR" TARGETS_FILE=targets.txt CA_FILE=root-ca.pem MAIL_TO=vpn-admins@example.com \
		MAIL_COMMAND="WORK='$WORK' sh '$WORK/fake-mail.sh'" PROBE_OPTIONS="--at 2027-06-01 --revocation names" \
		"$@" sh "$WATCH" > out 2> err || st=$?
	[ "$st" -eq "$w_status" ] || { cat out err >&2; fail "the watch script exited $st, expected $w_status"; }
}

# All fine: two lines on standard output, no mail.
watch 0
expect_lines out 2
expect_out_line "vpn.example.com:$PORT_one via 127.0.0.1:$PORT_one  OK  TLSv1.3, SSTP call accepted, valid to 2028-01-01 00:00:00 UTC (214 days), thumbprint $(thumbprint leaf-good.pem)"
[ ! -e mailbox ] || fail "mail was sent while everything was fine"

# Expiring within WARN_DAYS: logged with the time, and mailed.
watch 7 WARN_DAYS=300 LOG_FILE=watch.log
expect_no_out
[ "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z vpn\.example\.com:[0-9]+ via 127\.0\.0\.1:[0-9]+  EXPIRING  validity: expires on 2028-01-01 00:00:00 UTC, in 214 days: within the 300-day warning window ' watch.log)" -eq 2 ] ||
	{ cat watch.log >&2; fail "the log does not have two time-stamped EXPIRING lines"; }
grep -qxF "Subject: VPN certificates: a certificate expires within 300 days (exit 7)" mailbox || { cat mailbox >&2; fail "no mail about the expiry"; }
grep -qxF "To: vpn-admins@example.com" mailbox || fail "the mail went elsewhere"
[ "$(grep -c '  EXPIRING  ' mailbox)" -eq 2 ] || fail "the mail lacks the summary"

# One server down: exit 8, and the mail says so.
rm -f mailbox
CP=$(probe_closed_port)
echo "vpn.example.com:$CP 127.0.0.1" >> targets.txt
watch 8
grep -qxF "Subject: VPN certificates: an endpoint is down (exit 8)" mailbox || { cat mailbox >&2; fail "no mail about the endpoint down"; }
grep -qF "vpn.example.com:$CP via 127.0.0.1:$CP  UNREACHABLE  reach: cannot connect to 127.0.0.1:$CP: Connection refused" mailbox ||
	{ cat mailbox >&2; fail "the mail does not name the endpoint down"; }

# The wrong certificate: exit 5.
head -2 targets.txt > targets2.txt
watch 5 TARGETS_FILE=targets2.txt PROBE_OPTIONS="--at 2027-06-01 --revocation names --expect leaf-expired.pem"

# Bad settings: nothing probed, mkcsr's message and status.
watch 2 TARGETS_FILE=
grep -qF "watch-vpn-certificates: set TARGETS_FILE to the list of endpoints to probe" err || fail "no message for a missing TARGETS_FILE"
watch 3 TARGETS_FILE=no-such-file.txt
grep -qF "mkcsr probe: cannot read file: 'no-such-file.txt': No such file or directory" err || { cat err >&2; fail "no message for an unreadable targets file"; }
exit 0
