#!/bin/sh
# mkcsr probe judges the chain a server sends with the checks and Windows
# codes of mkcsr check: an expired certificate, a name the certificate does
# not cover, a client-authentication-only EKU, an untrusted root, an
# intermediate the server does not send, and a certificate expiring within
# --warn-days; each with its exact result line, Windows code and exit
# status, in the text report and the --summary line.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

AT=2027-06-01T00:00:00Z
probe_bundle expired.pem leaf-expired.pem inter-ca.pem
probe_bundle client.pem leaf-wrong-eku.pem inter-ca.pem
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_sstp expired expired.pem leaf.key
probe_sstp client client.pem leaf.key
probe_sstp good good.pem leaf.key
probe_sstp alone leaf-good.pem leaf.key

probe_at() {
	pa_status=$1
	pa_port=$2
	shift 2
	run "$pa_status" probe "vpn.example.com:$pa_port" --connect 127.0.0.1 --at "$AT" --revocation names "$@"
}

# Expired: every SSTP client fails with -2146762495.
probe_at 6 "$PORT_expired" --ca-file root-ca.pem
expect_probe_check FAIL validity "expired on 2021-01-01 00:00:00 UTC (2342 days ago): every SSTP client fails, while IKEv2 may still work"
expect_probe_windows validity "CERT_E_EXPIRED 0x800B0101 (-2146762495)"
expect_probe_check PASS sstp "SSTP accepted the call: HTTP 200 to SSTP_DUPLEX_POST, then a Call Connect Ack; the call was aborted and the server confirmed (correlation ID $(sed -n 's/.*correlation ID \({[^}]*}\)).*/\1/p' out | head -1))"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"
probe_at 6 "$PORT_expired" --ca-file root-ca.pem --summary
expect_out_line "vpn.example.com:$PORT_expired via 127.0.0.1:$PORT_expired  FAILED  validity: expired on 2021-01-01 00:00:00 UTC (2342 days ago): every SSTP client fails, while IKEv2 may still work [CERT_E_EXPIRED 0x800B0101 (-2146762495)]"

# A name the certificate does not cover.
run 6 probe "other.example.com:$PORT_good" --connect 127.0.0.1 --at "$AT" --revocation names --ca-file root-ca.pem
expect_probe_check FAIL name "other.example.com is not among the certificate's names (DNS:vpn.example.com)"
expect_probe_windows name "CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"

# Client Authentication only.
probe_at 6 "$PORT_client" --ca-file root-ca.pem
expect_probe_check FAIL usage "the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_probe_windows usage "CERT_E_WRONG_USAGE 0x800B0110 (-2146762480)"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"
# ... and the same for any TLS server.
probe_at 6 "$PORT_client" --ca-file root-ca.pem --role tls
expect_probe_check FAIL usage "the tls role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"

# A root the client does not trust.
probe_at 6 "$PORT_good" --ca-file other-root.pem
expect_probe_check FAIL chain "the chain CN=vpn.example.com <- CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US ends at CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US, issued by CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US, which is not in --ca-file"
expect_probe_windows chain "CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)"
expect_probe_check PASS sent-chain "the server sent 2 certificates: the leaf and the CA certificates above it"

# The intermediate not sent (and the leaf names no caIssuers to fetch it from).
probe_at 6 "$PORT_alone" --ca-file root-ca.pem
expect_probe_check FAIL chain "the intermediate CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US that issued the certificate is missing: the server did not send it, and it is not in --ca-file"
expect_probe_windows chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
expect_probe_check FAIL sent-chain "the server sent 1 certificate, without the intermediate CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US, and the leaf has no AIA caIssuers address to fetch it from: clients that do not already hold it fail with CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)"
expect_probe_windows sent-chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
expect_out_line "  Sent:        1 certificate: CN=vpn.example.com"
expect_out_line "Result: fails a requirement (2 failed, 0 warnings; exit 6)"
# A client that holds the intermediate (here: the trust store has it) builds the chain,
# but the server still does not send it: the risk remains and is named.
cat root-ca.pem inter-ca.pem > both.pem
probe_at 6 "$PORT_alone" --ca-file both.pem
expect_probe_check PASS chain "CN=vpn.example.com <- CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US <- CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US, trusted through --ca-file"
expect_probe_check FAIL sent-chain "the server sent 1 certificate, without the intermediate CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US, and the leaf has no AIA caIssuers address to fetch it from: clients that do not already hold it fail with CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)"

# Valid, but within --warn-days: exit 7; one day less and it passes.
probe_at 7 "$PORT_good" --ca-file root-ca.pem --warn-days 215
expect_probe_check WARN validity "expires on 2028-01-01 00:00:00 UTC, in 214 days: within the 215-day warning window"
expect_probe_windows validity "CERT_E_EXPIRED 0x800B0101 (-2146762495)"
expect_out_line "Result: valid, but expiring within the warning window (0 failed, 1 warning; exit 7)"
probe_at 7 "$PORT_good" --ca-file root-ca.pem --warn-days 215 --summary
expect_out_line "vpn.example.com:$PORT_good via 127.0.0.1:$PORT_good  EXPIRING  validity: expires on 2028-01-01 00:00:00 UTC, in 214 days: within the 215-day warning window [CERT_E_EXPIRED 0x800B0101 (-2146762495)]"
probe_at 0 "$PORT_good" --ca-file root-ca.pem --warn-days 214

# A failure outranks expiring: expired and untrusted both give 6.
probe_at 6 "$PORT_expired" --ca-file other-root.pem --warn-days 30
expect_out_line "Result: fails a requirement (2 failed, 0 warnings; exit 6)"
exit 0
