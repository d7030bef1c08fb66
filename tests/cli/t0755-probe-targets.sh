#!/bin/sh
# Many targets: from the command line and --targets files ("NAME[:PORT]
# [ADDRESS[:PORT]]" per line, # comments), probed concurrently by the
# worker pool: 20 targets behind a server that waits 1 s before each
# handshake finish in well under 20 s (the pool really runs them side by
# side), and --jobs bounds how many run at once.  Every bad option or
# target is refused with one message and exit 2 (3 for an unreadable file)
# before any server is contacted.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

AT=2027-06-01T00:00:00Z
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp slow good.pem leaf.key --delay 1
P=$PORT_slow
COMMON="--at $AT --ca-file root-ca.pem --revocation names"

# A targets file, with comments and blank lines; command-line targets come first.
cat > targets.txt << EOF
# Always On VPN endpoints
vpn.example.com:$P 127.0.0.1   # the first RRAS server

  VPN.example.com:$P   127.0.0.1:$P
EOF
# shellcheck disable=SC2086
run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --targets targets.txt $COMMON --summary
expect_lines out 3
[ "$(grep -c "^vpn.example.com:$P via 127.0.0.1:$P  OK  " out)" -eq 3 ] || { cat out >&2; fail "not three OK lines"; }

# 20 targets, each held 1 s by the server: concurrent, so far less than 20 s.
i=0
: > twenty.txt
while [ $i -lt 20 ]; do
	echo "vpn.example.com:$P 127.0.0.1" >> twenty.txt
	i=$((i + 1))
done
# shellcheck disable=SC2086
elapsed_ms run 0 probe --targets twenty.txt $COMMON --summary
echo "20 targets delayed by 1 s each: $ELAPSED_MS ms" >&2
[ "$ELAPSED_MS" -lt 10000 ] || fail "20 targets of 1 s each took $ELAPSED_MS ms: they were not probed concurrently"
expect_lines out 20
[ "$(grep -c '  OK  ' out)" -eq 20 ] || fail "not every target passed"
# shellcheck disable=SC2086
run 0 probe --targets twenty.txt $COMMON --json
"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["targets"]) == 20 and all(t["result"]["exit_code"] == 0 for t in d["targets"])
assert all(t["timings_ms"]["tls"] >= 900 for t in d["targets"]), [t["timings_ms"] for t in d["targets"]]' out ||
	fail "the JSON report of 20 targets is wrong"

# --jobs 4 runs 8 such targets in two rounds: at least 2 s.
head -8 twenty.txt > eight.txt
# shellcheck disable=SC2086
elapsed_ms run 0 probe --targets eight.txt --jobs 4 $COMMON -q
[ "$ELAPSED_MS" -ge 1900 ] || fail "8 targets with --jobs 4 took $ELAPSED_MS ms: more than 4 ran at once"

# The worst result wins, unreachable first: one good, one refused.
CP=$(probe_closed_port)
# shellcheck disable=SC2086
run 8 probe "vpn.example.com:$P" "vpn.example.com:$CP" --connect 127.0.0.1 $COMMON --summary
expect_lines out 2
expect_out "vpn.example.com:$CP via 127.0.0.1:$CP  UNREACHABLE  reach: cannot connect to 127.0.0.1:$CP: Connection refused"
# shellcheck disable=SC2086
run 8 probe "vpn.example.com:$P" "vpn.example.com:$CP" --connect 127.0.0.1 $COMMON --expect leaf-expired.pem -q

# Bad targets and options: one message, nothing contacted.
clear_log slow
bad() {
	bad_status=$1
	bad_message=$2
	shift 2
	run "$bad_status" probe "$@"
	expect_err_first "$bad_message"
	expect_no_out
}
bad 2 "mkcsr probe: invalid usage: no target: give NAME[:PORT] or --targets FILE"
bad 2 "mkcsr probe: invalid probe target: target 'vpn.example.com:0': the port '0' is not a number from 1 to 65535" vpn.example.com:0
bad 2 "mkcsr probe: invalid probe target: target 'vpn.example.com:65536': the port '65536' is not a number from 1 to 65535" vpn.example.com:65536
bad 2 "mkcsr probe: invalid probe target: target 'vpn.example.com:': the port '' is not a number from 1 to 65535" vpn.example.com:
bad 2 "mkcsr probe: invalid probe target: target ':443': no host name" :443
bad 2 "mkcsr probe: invalid probe target: target '[::1': no ']' after the IPv6 address" "[::1"
bad 2 "mkcsr probe: invalid probe target: target '[::1]443': only ':PORT' may follow ']'" "[::1]443"
bad 2 "mkcsr probe: invalid probe target: target '[::1]:0': the port '0' is not a number from 1 to 65535" "[::1]:0"
bad 2 "mkcsr probe: invalid probe target: target '[vpn.example.com]:443': 'vpn.example.com' is not an IPv6 address" "[vpn.example.com]:443"
bad 2 "mkcsr probe: invalid name: '*.example.com': give the name clients connect to, not a wildcard" "*.example.com"
bad 2 "mkcsr probe: invalid name: 'bad name!': character ' ' is not allowed in a host name" "bad name!"
bad 2 "mkcsr probe: invalid probe target: --connect '127.0.0.1:x': the port 'x' is not a number from 1 to 65535" vpn.example.com --connect 127.0.0.1:x
bad 2 "mkcsr probe: invalid usage: --role 'ikev2': mkcsr probe takes sstp or tls" vpn.example.com --role ikev2
bad 2 "mkcsr probe: unknown role: 'server'" vpn.example.com --role server
bad 2 "mkcsr probe: invalid usage: --jobs '0': give a whole number from 1 to 256" vpn.example.com --jobs 0
bad 2 "mkcsr probe: invalid usage: --jobs '257': give a whole number from 1 to 256" vpn.example.com --jobs 257
bad 2 "mkcsr probe: invalid usage: --timeout '0': give a whole number from 1 to 3600" vpn.example.com --timeout 0
bad 2 "mkcsr probe: invalid usage: --timeout '1.5': give a whole number from 1 to 3600" vpn.example.com --timeout 1.5
bad 2 "mkcsr probe: invalid number: --warn-days '-1': give a whole number from 0 to 36500" vpn.example.com --warn-days -1
bad 2 "mkcsr probe: invalid time: 'yesterday'" vpn.example.com --at yesterday
bad 2 "mkcsr probe: invalid usage: --revocation 'always': use fetch, names or off" vpn.example.com --revocation always
bad 2 "mkcsr probe: invalid usage: --ca-file and --ca-dir: give one of them" vpn.example.com --ca-file root-ca.pem --ca-dir .
bad 3 "mkcsr probe: cannot read file: --ca-dir 'no-such-dir': No such file or directory" vpn.example.com --ca-dir no-such-dir
bad 3 "mkcsr probe: cannot read file: 'no-such-file.txt': No such file or directory" --targets no-such-file.txt
printf 'vpn.example.com 127.0.0.1\n\nvpn.example.com 127.0.0.1 extra\n' > three-words.txt
bad 2 "mkcsr probe: invalid probe target: 'three-words.txt' line 3: more than NAME[:PORT] [ADDRESS[:PORT]]" --targets three-words.txt
printf '# fine\nvpn.example.com:443\nvpn.example.com:https\n' > bad-port.txt
bad 2 "mkcsr probe: invalid probe target: 'bad-port.txt' line 3: target 'vpn.example.com:https': the port 'https' is not a number from 1 to 65535" --targets bad-port.txt
# With --json, the error object names the file.
need_python
run 2 probe --targets bad-port.txt --json
expect_json_error BAD_TARGET 2 bad-port.txt \
	"invalid probe target: 'bad-port.txt' line 3: target 'vpn.example.com:https': the port 'https' is not a number from 1 to 65535" \
	"write NAME[:PORT], ADDRESS[:PORT] or [IPv6-ADDRESS]:PORT; the port is a number from 1 to 65535 (443 when left out)"
run 2 probe --targets three-words.txt --json
expect_json_error BAD_TARGET 2 three-words.txt \
	"invalid probe target: 'three-words.txt' line 3: more than NAME[:PORT] [ADDRESS[:PORT]]" "write NAME[:PORT], ADDRESS[:PORT] or [IPv6-ADDRESS]:PORT; the port is a number from 1 to 65535 (443 when left out)"
printf 'vpn\000\n' > binary.txt
run 3 probe --targets binary.txt --json
expect_json_error MALFORMED 3 binary.txt "malformed input: 'binary.txt': not a text file of targets" ""
printf '# nothing but comments\n\n' > empty.txt
bad 2 "mkcsr probe: invalid usage: no target: give NAME[:PORT] or --targets FILE" --targets empty.txt
bad 2 "mkcsr probe: invalid usage: no target: give NAME[:PORT] or --targets FILE" --connect 127.0.0.1
[ ! -s slow.log ] || fail "a server was contacted despite bad options"
exit 0
