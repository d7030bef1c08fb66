#!/bin/sh
# The SSTP step of mkcsr probe tells its results apart, each with its exact
# line and exit status 6 (TLS itself was fine, so never 8): a web server
# that answers 404, a plain TLS server (openssl s_server -www) that never
# answers the SSTP request, a listener that refuses the call with a Call
# Connect Nak (its status named), and listeners that stop answering after
# the HTTP request or after the Call Connect Request (at the --timeout).

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

AT=2027-06-01T00:00:00Z
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp web good.pem leaf.key --mode http-404
probe_sstp nak good.pem leaf.key --mode nak
probe_sstp noack good.pem leaf.key --mode no-ack
probe_sstp nohttp good.pem leaf.key --mode no-http-answer

probe_at() {
	pa_port=$1
	shift
	run 6 probe "vpn.example.com:$pa_port" --connect 127.0.0.1 --at "$AT" --revocation names --ca-file root-ca.pem "$@"
}

# A web server: TLS is fine, the certificate passes, but SSTP is not there.
probe_at "$PORT_web"
expect_probe_check FAIL sstp "TLS fine but this is not an SSTP listener: SSTP_DUPLEX_POST answered with HTTP 404, server Microsoft-IIS/10.0; is RRAS bound to this address and port, or does a web server or load balancer answer here?"
expect_probe_check PASS chain "CN=vpn.example.com <- CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US <- CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US, trusted through --ca-file"
expect_out "  SSTP:        http-refused (correlation ID {"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"
expect_log web "sent http-404"
# The same endpoint as a plain TLS server is fine.
run 0 probe "vpn.example.com:$PORT_web" --connect 127.0.0.1 --at "$AT" --revocation names --ca-file root-ca.pem --role tls

# openssl s_server -www answers GET only: the SSTP request gets no answer.
SP=$(probe_free_port)
echo "$SP" > www.port
probe_start www openssl s_server -www -quiet -accept "127.0.0.1:$SP" -cert leaf-good.pem -key leaf.key -cert_chain inter-ca.pem
probe_at "$SP" --timeout 2
expect_probe_check FAIL sstp "TLS fine but no answer to the SSTP request (no answer before the timeout after the SSTP_DUPLEX_POST request): this is not an SSTP listener, or RRAS is not answering"
expect_probe_windows sstp "ERROR_VPN_TIMEOUT (809)"
expect_out "  SSTP:        no-http-answer (correlation ID {"
probe_check_line reach | grep -qxE '  PASS  reach       connected to 127\.0\.0\.1:[0-9]+ in [0-9]+ ms, TLS handshake in [0-9]+ ms' ||
	fail "reach did not pass: $(probe_check_line reach)"
run 0 probe "vpn.example.com:$SP" --connect 127.0.0.1 --at "$AT" --revocation names --ca-file root-ca.pem --role tls

# An SSTP listener that refuses the call.
probe_at "$PORT_nak"
expect_probe_check FAIL sstp "the SSTP listener refused the call: Call Connect Nak, status ATTRIB_STATUS_VALUE_NOT_SUPPORTED (4) for SSTP_ATTRIB_ENCAPSULATED_PROTOCOL_ID"
expect_out "  SSTP:        call-nak (correlation ID {"
expect_log nak "received call-connect-request attributes=1 protocol=1 length=14"
expect_log nak "received call-abort status=0 length=20"

# Silent after the HTTP answer, or from the HTTP request on: failed at the timeout.
probe_at "$PORT_noack" --timeout 2
expect_probe_check FAIL sstp "the SSTP listener took the HTTP request but did not answer the call: no answer before the timeout after the Call Connect Request"
expect_probe_windows sstp "ERROR_VPN_TIMEOUT (809)"
probe_at "$PORT_noack" --timeout 2 --summary
expect_out_line "vpn.example.com:$PORT_noack via 127.0.0.1:$PORT_noack  FAILED  sstp: the SSTP listener took the HTTP request but did not answer the call: no answer before the timeout after the Call Connect Request [ERROR_VPN_TIMEOUT (809)]"
probe_at "$PORT_nohttp" --timeout 2
expect_probe_check FAIL sstp "TLS fine but no answer to the SSTP request (no answer before the timeout after the SSTP_DUPLEX_POST request): this is not an SSTP listener, or RRAS is not answering"
exit 0
