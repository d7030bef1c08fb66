#!/bin/sh
# Reaching a target: a port with nothing listening fails at once with exit
# 8; a server that accepts TCP and never speaks fails with exit 8 at the
# --timeout, not before and not long after; a server that offers only TLS
# 1.0 is reached (the probe completes the handshake) and fails the tls
# check by name; IPv6: [::1]:PORT as the target and as --connect.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

AT=2027-06-01T00:00:00Z
probe_bundle good.pem leaf-good.pem inter-ca.pem

# Nothing listens: refused at once, even with a long timeout.
CP=$(probe_closed_port)
elapsed_ms run 8 probe "vpn.example.com:$CP" --connect 127.0.0.1 --timeout 30 --revocation names
[ "$ELAPSED_MS" -lt 5000 ] || fail "a refused connection took $ELAPSED_MS ms to report"
expect_probe_check FAIL reach "cannot connect to 127.0.0.1:$CP: Connection refused"
expect_probe_windows reach "ERROR_VPN_TIMEOUT (809)"
expect_out_line "Result: unreachable (1 failed, 0 warnings; exit 8)"
expect_out_line "  Address:     127.0.0.1:$CP"
# Nothing but the reach check is shown for a target not reached.
[ "$(grep -cE '^  (PASS|WARN|FAIL|SKIP)  ' out)" -eq 1 ] || fail "checks other than reach were shown"
run 8 probe "vpn.example.com:$CP" --connect 127.0.0.1 --summary --revocation names
expect_out_line "vpn.example.com:$CP via 127.0.0.1:$CP  UNREACHABLE  reach: cannot connect to 127.0.0.1:$CP: Connection refused [ERROR_VPN_TIMEOUT (809)]"

need_python json
run 8 probe "vpn.example.com:$CP" --connect 127.0.0.1 --role tls --json --revocation names
MKCSR_TEST_PORT=$CP "$PYTHON" - out << 'PYEOF' || fail "the JSON report of an unreachable target is wrong"
import json, os, sys
p = os.environ["MKCSR_TEST_PORT"]
d = json.load(open(sys.argv[1]))
assert d["result"] == {"exit_code": 8, "summary": "unreachable"}, d["result"]
t = d["targets"][0]
timings = t.pop("timings_ms")
assert set(timings) == {"connect", "tls", "sstp", "total"}
assert t == {"target": "vpn.example.com:%s via 127.0.0.1:%s" % (p, p), "name": "vpn.example.com", "port": p,
             "connect": "127.0.0.1:" + p, "address": "127.0.0.1:" + p, "probed": True, "reached": False,
             "failed_step": "connect", "tls": None, "role": "tls", "certificate": None, "served_chain": [], "sstp": None,
             "checks": [{"id": "reach", "title": "the server answers: DNS, TCP and the TLS handshake", "status": "fail",
                         "detail": "cannot connect to 127.0.0.1:%s: Connection refused" % p,
                         "windows_code": {"name": "ERROR_VPN_TIMEOUT", "hex": "0x00000329", "decimal": 809}}],
             "result": {"exit_code": 8, "summary": "unreachable", "passed": 0, "warned": 0, "failed": 1,
                        "skipped": 0}}, t
PYEOF

# Accepts TCP, never speaks: unreachable at the timeout.
probe_sstp silent good.pem leaf.key --mode silent
elapsed_ms run 8 probe "vpn.example.com:$PORT_silent" --connect 127.0.0.1 --timeout 2 --revocation names
[ "$ELAPSED_MS" -ge 1900 ] || fail "a silent server was given up after $ELAPSED_MS ms, before the 2 s timeout"
[ "$ELAPSED_MS" -lt 10000 ] || fail "a silent server held the probe $ELAPSED_MS ms past a 2 s timeout"
expect_probe_check FAIL reach "connected to 127.0.0.1:$PORT_silent; the TLS handshake did not finish before the timeout"
expect_probe_windows reach "ERROR_VPN_TIMEOUT (809)"
expect_out_line "Result: unreachable (1 failed, 0 warnings; exit 8)"

# TLS 1.0 only, on ::1: seen, named, failed.
probe_sstp old good.pem leaf.key --tls10 --bind ::1
run 6 probe "vpn.example.com:$PORT_old" --connect "[::1]" --at "$AT" --ca-file root-ca.pem --revocation names
expect_probe_check FAIL tls "the server offers only TLS 1.0 (agreed with cipher ECDHE-ECDSA-AES256-SHA): Windows 11 and Windows Server 2022 and later disable TLS 1.0 and 1.1 by default, so their clients cannot connect; enable TLS 1.2 on the server"
expect_probe_windows tls "SEC_E_ALGORITHM_MISMATCH 0x80090331 (-2146893007)"
expect_out_line "Target: vpn.example.com:$PORT_old via [::1]:$PORT_old"
expect_out_line "  TLS:         TLSv1, ECDHE-ECDSA-AES256-SHA"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"
expect_log old "tls TLSv1 ECDHE-ECDSA-AES256-SHA"
# An IPv6 literal as the target: no SNI, Host [::1]:PORT, and the name check names the address.
run 6 probe "[::1]:$PORT_old" --at "$AT" --ca-file root-ca.pem --revocation names
expect_out_line "Target: [::1]:$PORT_old"
expect_probe_check FAIL name "::1 is not among the certificate's names (DNS:vpn.example.com)"
expect_log old "host=[::1]:$PORT_old "
exit 0
