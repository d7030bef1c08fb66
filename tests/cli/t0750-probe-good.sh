#!/bin/sh
# mkcsr probe against a good SSTP endpoint (tests/sstp/sstp_server.py
# serving leaf-good and its intermediate on 127.0.0.1): every check passes,
# the text block, the --summary line and the --json document are exact, and
# the server saw what a Windows client sends: SSTP_DUPLEX_POST with Host, a
# {GUID} correlation ID and the 2^64-1 Content-Length, a Call Connect
# Request for PPP, then a Call Abort, and nothing else (no PPP frame).
# --role tls stops after the handshake.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init
need_python json

AT=2027-06-01T00:00:00Z
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp good good.pem leaf.key
P=$PORT_good
THUMB=$(thumbprint leaf-good.pem)

run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file root-ca.pem --at "$AT" --revocation names
expect_no_err
sed -e 's/{[0-9A-F-]*}/{GUID}/' -e 's/ [0-9]* ms/ N ms/g' out > got.txt
cat > want.txt << EOF
Target: vpn.example.com:$P via 127.0.0.1:$P
  Address:     127.0.0.1:$P
  Certificate: CN=vpn.example.com
  Issuer:      CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US
  Valid:       2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC
  Thumbprint:  $THUMB
  Sent:        2 certificates: CN=vpn.example.com <- CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US
  TLS:         TLSv1.3, TLS_AES_256_GCM_SHA384
  Role:        sstp (RRAS SSTP server), host vpn.example.com
  SSTP:        call-ack (correlation ID {GUID})
  Time:        connect N ms, TLS N ms, SSTP N ms, total N ms

  PASS  reach       connected to 127.0.0.1:$P in N ms, TLS handshake in N ms
  PASS  tls         TLSv1.3, cipher TLS_AES_256_GCM_SHA384
  PASS  validity    valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 214 days left
  PASS  name        vpn.example.com is covered by the certificate's names (DNS:vpn.example.com)
  PASS  usage       Server Authentication present, as the sstp role needs
  PASS  key-usage   the key usage fits an ECDSA key
  PASS  chain       CN=vpn.example.com <- CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US <- CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US, trusted through --ca-file
  PASS  sent-chain  the server sent 2 certificates: the leaf and the CA certificates above it
  PASS  revocation  CRL http://crl.example.com/inter.crl, OCSP http://ocsp.example.com
  PASS  sstp        SSTP accepted the call: HTTP 200 to SSTP_DUPLEX_POST, then a Call Connect Ack; the call was aborted and the server confirmed (correlation ID {GUID})
  SKIP  expect      no --expect given

Result: fit for the role (0 failed, 0 warnings; exit 0)

EOF
diff -u want.txt got.txt || fail "the text report differs (above)"

# What the server received, in order: exactly one call, opened and aborted.
ID=$(sed -n 's/^  SSTP:        call-ack (correlation ID \({[0-9A-F-]*}\))$/\1/p' out)
printf '%s\n' "$ID" | grep -qxE '\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}' ||
	fail "the correlation ID '$ID' is not a {GUID} in capitals"
cat > want.log << EOF
tls TLSv1.3 TLS_AES_256_GCM_SHA384
http SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1 host=vpn.example.com:$P correlation=$ID content-length=18446744073709551615
sent http-200
received call-connect-request attributes=1 protocol=1 length=14
sent call-connect-ack
received call-abort status=0 length=20
sent call-abort
EOF
expect_log good "sent call-abort"
diff -u want.log good.log || fail "the server saw another exchange (above)"

# The name is the one sent: upper case and a trailing dot are normalized.
clear_log good
run 0 probe "VPN.Example.COM.:$P" --connect "127.0.0.1:$P" --ca-file root-ca.pem --at "$AT" --revocation names --summary
expect_out_line "vpn.example.com:$P via 127.0.0.1:$P  OK  TLSv1.3, SSTP call accepted, valid to 2028-01-01 00:00:00 UTC (214 days), thumbprint $THUMB"
expect_lines out 1
expect_log good "host=vpn.example.com:$P "

# --role tls: the handshake and the certificate only; the server sees no HTTP.
clear_log good
run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --role tls --ca-file root-ca.pem --at "$AT" --revocation off
expect_probe_check SKIP sstp "role tls: no SSTP exchange"
expect_probe_check SKIP revocation "not checked (--revocation off)"
expect_out_line "  Role:        tls (TLS server (HTTPS, a load balancer)), host vpn.example.com"
sleep 0.5
! grep -q '^http' good.log || fail "--role tls sent an HTTP request"

# -q: nothing on stdout, the same exit status.
run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file root-ca.pem --at "$AT" --revocation names -q
expect_no_out
expect_no_err

# --json: one document, one object per target, every key.
run 0 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file root-ca.pem --at "$AT" --revocation names --json
expect_no_err
MKCSR_TEST_PORT=$P MKCSR_TEST_THUMB=$THUMB "$PYTHON" - out << 'PYEOF' || fail "the JSON report is wrong (above)"
import json, os, re, sys
doc = json.load(open(sys.argv[1]))
port = os.environ["MKCSR_TEST_PORT"]
thumb = os.environ["MKCSR_TEST_THUMB"]
assert list(doc) == ["targets", "result"], list(doc)
assert doc["result"] == {"exit_code": 0, "summary": "fit for the role"}, doc["result"]
assert len(doc["targets"]) == 1
t = doc["targets"][0]
assert list(t) == ["target", "name", "port", "connect", "address", "probed", "reached", "failed_step", "tls", "role",
                   "certificate", "served_chain", "sstp", "checks", "timings_ms", "result"], list(t)
assert t["target"] == "vpn.example.com:%s via 127.0.0.1:%s" % (port, port), t["target"]
assert (t["name"], t["port"], t["connect"], t["address"]) == ("vpn.example.com", port, "127.0.0.1:" + port, "127.0.0.1:" + port)
assert t["probed"] is True and t["reached"] is True and t["failed_step"] == "done"
assert t["tls"] == {"version": "TLSv1.3", "cipher": "TLS_AES_256_GCM_SHA384"}, t["tls"]
assert t["role"] == "sstp"
assert t["certificate"] == {"subject": "CN=vpn.example.com", "issuer": "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US",
                            "not_before": "2026-01-01T00:00:00Z", "not_after": "2028-01-01T00:00:00Z",
                            "thumbprint": thumb, "days_left": 214}, t["certificate"]
assert [c["subject"] for c in t["served_chain"]] == ["CN=vpn.example.com", "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"]
assert t["served_chain"][0]["thumbprint"] == thumb
assert all(set(c) == {"subject", "issuer", "not_before", "not_after", "thumbprint"} for c in t["served_chain"])
s = t["sstp"]
assert re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", s.pop("correlation_id"))
assert s == {"step": "call-ack", "http_status": 200, "http_server": "Microsoft-HTTPAPI/2.0",
             "reply": "SSTP_MSG_CALL_CONNECT_ACK", "status": None, "abort_answered": True}, s
assert [(c["id"], c["status"]) for c in t["checks"]] == [
    ("reach", "pass"), ("tls", "pass"), ("validity", "pass"), ("name", "pass"), ("usage", "pass"),
    ("key-usage", "pass"), ("chain", "pass"), ("sent-chain", "pass"), ("revocation", "pass"), ("sstp", "pass"),
    ("expect", "skip")], t["checks"]
assert all(set(c) == {"id", "title", "status", "detail", "windows_code"} and c["windows_code"] is None for c in t["checks"])
assert set(t["timings_ms"]) == {"connect", "tls", "sstp", "total"}
assert all(isinstance(v, int) and v >= 0 for v in t["timings_ms"].values())
assert t["timings_ms"]["total"] >= t["timings_ms"]["sstp"]
assert t["result"] == {"exit_code": 0, "summary": "fit for the role", "passed": 10, "warned": 0, "failed": 0,
                       "skipped": 1}, t["result"]
PYEOF
exit 0
