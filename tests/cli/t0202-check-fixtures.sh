#!/bin/sh
# Each fixture leaf against mkcsr check: the one check it fails or warns
# on, with its exact line and the Windows error under it, every other check
# as it should be, and the exit code (6 for a failed requirement, 0 for
# warnings only).  The key, chain (--chain inter-ca.pem) and root
# (--ca-file root-ca.pem) are given each time, so only the leaf differs.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

inter="CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"
root="CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US"
chain="CN=vpn.example.com <- $inter <- $root"

# leaf FILE EXIT ARGS...: checks FILE with the key, the chain and the root.
leaf() {
	leaf_file=$1
	leaf_exit=$2
	shift 2
	run_check "$leaf_exit" --cert "$leaf_file" --chain inter-ca.pem --key leaf.key --ca-file root-ca.pem "$@"
	expect_no_err
}

# The good leaf: everything passes.
leaf leaf-good.pem 0 --host vpn.example.com
expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"

# Expired: validity fails with CERT_E_EXPIRED (the chain check looks past the leaf's dates).
leaf leaf-expired.pem 6 --host vpn.example.com
expect_statuses "PASS SKIP FAIL PASS PASS PASS PASS PASS"
expect_check FAIL validity "expired on 2021-01-01 00:00:00 UTC (2342 days ago): every SSTP client fails, while IKEv2 may still work"
expect_windows validity "CERT_E_EXPIRED 0x800B0101 (-2146762495)"
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
# NPS clients report an expired server certificate as 858.
leaf leaf-expired.pem 6 --role nps
expect_windows validity "ERROR_EAP_SERVER_CERT_EXPIRED (858)"

# Not yet valid.
leaf leaf-notyet.pem 6
expect_statuses "PASS SKIP FAIL SKIP PASS PASS PASS PASS"
expect_check FAIL validity "not valid before 2035-01-01 00:00:00 UTC: a clock running behind, or a certificate dated ahead"
expect_windows validity "CERT_E_EXPIRED 0x800B0101 (-2146762495)"

# No SAN: the host matches the CN only, which Windows and browsers do not
# look at when they match a name: a warning, not a pass.
leaf leaf-nosan.pem 0 --host vpn.example.com
expect_statuses "PASS SKIP PASS WARN PASS PASS PASS PASS"
expect_check WARN name "vpn.example.com matches only the subject's CN (no DNS or IP names): Windows falls back to the CN when no SAN has a DNS name, but browsers and RFC 6125 clients do not"
expect_windows name "CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)"
expect_result "fit for the role (0 failed, 1 warning; exit 0)"
# Another name is still a failure.
leaf leaf-nosan.pem 6 --host other.example.com
expect_check FAIL name "other.example.com is not among the certificate's names (no DNS or IP names)"

# Client Authentication only: no use for an SSTP server.
leaf leaf-wrong-eku.pem 6
expect_statuses "PASS SKIP PASS SKIP FAIL PASS PASS PASS"
expect_check FAIL usage "the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_windows usage "CERT_E_WRONG_USAGE 0x800B0110 (-2146762480)"
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
# The same for the other server roles, with their own Windows codes.
leaf leaf-wrong-eku.pem 6 --role ikev2
expect_check FAIL usage "the ikev2 role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_windows usage "ERROR_IPSEC_IKE_AUTH_FAIL (13801)"
leaf leaf-wrong-eku.pem 6 --role nps
expect_check FAIL usage "the nps role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_windows usage "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)"

# IKEv2: Server Authentication alone is a warning (IKE intermediate missing).
leaf leaf-good.pem 0 --role ikev2
expect_statuses "PASS SKIP PASS SKIP WARN PASS PASS PASS"
expect_out_line "  Role:       ikev2 (RRAS IKEv2 server)"
expect_check WARN usage "Server Authentication present, but no IP security IKE intermediate (1.3.6.1.5.5.8.2.2): Windows may pick another certificate for IKEv2"
expect_windows usage "ERROR_IPSEC_IKE_AUTH_FAIL (13801)"
expect_result "fit for the role (0 failed, 1 warning; exit 0)"
# With the IKE intermediate EKU it passes, and so it does for SSTP.
leaf leaf-ikev2.pem 0 --role ikev2 --host vpn.example.com
expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"
expect_check PASS usage "Server Authentication and IP security IKE intermediate present, as the ikev2 role needs"
expect_no_windows usage
leaf leaf-ikev2.pem 0
expect_check PASS usage "Server Authentication present, as the sstp role needs"

# The client certificate: user tunnel (client) passes; device tunnel passes
# on its DNS name but warns for the IKE intermediate; server roles fail.
leaf leaf-client.pem 0 --role client
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"
expect_out_line "  Role:       client (user tunnel client)"
expect_check PASS usage "Client Authentication present, as the client role needs"
leaf leaf-client.pem 0 --role device --host client01.corp.example.com
expect_statuses "PASS SKIP PASS PASS WARN PASS PASS PASS"
expect_out_line "  Role:       device (device tunnel client), host client01.corp.example.com"
expect_check PASS name "client01.corp.example.com is covered by the certificate's names (DNS:client01.corp.example.com)"
expect_check WARN usage "Client Authentication present, but no IP security IKE intermediate (1.3.6.1.5.5.8.2.2): Windows may pick another certificate for IKEv2"
leaf leaf-client.pem 6
expect_check FAIL usage "the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
# And the good server certificate has no Client Authentication for the client roles.
leaf leaf-good.pem 6 --role client
expect_check FAIL usage "the client role needs Client Authentication (1.3.6.1.5.5.7.3.2), which the certificate lacks"
expect_windows usage "CERT_E_WRONG_USAGE 0x800B0110 (-2146762480)"
leaf leaf-good.pem 6 --role device
expect_check FAIL usage "the device role needs Client Authentication (1.3.6.1.5.5.7.3.2), which the certificate lacks"
expect_windows usage "ERROR_IPSEC_IKE_NO_CERT (13806)"

# Issued to other.key: a mismatch (5), named with both files.
leaf leaf-otherkey.pem 5
expect_statuses "FAIL SKIP PASS SKIP PASS PASS PASS PASS"
expect_check FAIL key "'leaf.key' is not the key of CN=vpn.example.com in 'leaf-otherkey.pem', nor of any other certificate given (key values mismatch)"
expect_windows key "NTE_BAD_KEYSET 0x80090016 (-2146893802)"

# Signed with SHA-1: the chain fails even though OpenSSL verifies it.
leaf leaf-sha1.pem 6
expect_statuses "PASS SKIP PASS SKIP PASS PASS FAIL PASS"
expect_check FAIL chain "CN=vpn.example.com is signed with SHA-1, which Windows no longer accepts for TLS (chain: $chain)"
# Windows reports a weak link under several codes, depending on policy: none is named.
expect_no_windows chain

# A 1024-bit RSA key (with its own key).
run_check 6 --cert leaf-rsa1024.pem --chain inter-ca.pem --key rsa1024.key --ca-file root-ca.pem
expect_statuses "PASS SKIP PASS SKIP PASS PASS FAIL PASS"
expect_check FAIL chain "CN=vpn.example.com has a 1024-bit RSA key; 2048 bits is the minimum (chain: $chain)"
expect_no_windows chain
expect_check PASS key-usage "the key usage fits an RSA key"

# An EC key allowed to encipher: RFC 5480 forbids it, Windows accepts it
# (and ACME CAs such as Pebble issue it): a warning, exit 0.
leaf leaf-ke-ec.pem 0
expect_statuses "PASS SKIP PASS SKIP PASS WARN PASS PASS"
expect_check WARN key-usage "an ECDSA key cannot encipher, yet the key usage allows keyEncipherment or dataEncipherment (RFC 5480); Windows accepts it, stricter clients may not"
expect_no_windows key-usage
expect_result "fit for the role (0 failed, 1 warning; exit 0)"
# A CA certificate as the leaf: an EC key without digitalSignature fails.
run_check 5 --cert inter-ca.pem --key leaf.key --ca-file root-ca.pem
expect_check FAIL key-usage "an ECDSA key must sign in TLS, but the key usage lacks digitalSignature"
expect_windows key-usage "CERT_E_WRONG_USAGE 0x800B0110 (-2146762480)"

# No CDP and no AIA: a warning only, exit 0.
leaf leaf-norevocation.pem 0
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS WARN"
expect_check WARN revocation "no CRL distribution point and no OCSP address: clients that check revocation, as SSTP clients do, cannot"
expect_windows revocation "CRYPT_E_NO_REVOCATION_CHECK 0x80092012 (-2146885614)"
expect_result "fit for the role (0 failed, 1 warning; exit 0)"

# An empty subject: fine for SSTP (the name is in the SAN), not for NPS.
leaf leaf-emptysubject.pem 0 --host vpn.example.com
expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"
expect_out_line "Certificate: (empty subject) (leaf-emptysubject.pem)"
leaf leaf-emptysubject.pem 6 --role nps
expect_statuses "PASS SKIP PASS SKIP PASS FAIL PASS PASS"
expect_check FAIL key-usage "the subject is empty: NPS needs a subject that matches the server name in the clients' EAP settings"
expect_windows key-usage "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)"
# NPS with a subject: the key-usage line names it.
leaf leaf-good.pem 0 --role nps
expect_out_line "  Role:       nps (NPS server (PEAP, EAP-TLS))"
expect_check PASS key-usage "the key usage fits an ECDSA key; subject CN=vpn.example.com"

# The wildcard leaf covers the host.
leaf leaf-wildcard.pem 0 --host vpn.example.com
expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"

exit 0
