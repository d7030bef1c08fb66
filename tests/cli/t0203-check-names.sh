#!/bin/sh
# The name check of mkcsr check: the host (--host, else the request's first
# DNS name) against the certificate's SAN.  A wildcard covers exactly one
# whole label: *.example.com covers a.example.com but neither
# a.b.example.com nor example.com itself (leaf-wildcard has example.com as
# a name of its own).  Case does not matter.  A name not covered fails with
# the role's Windows error.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

wild="DNS:*.example.com, DNS:example.com"

# name HOST EXIT [ARGS...]: checks leaf-wildcard for HOST.
name() {
	name_host=$1
	name_exit=$2
	shift 2
	run_check "$name_exit" --cert leaf-wildcard.pem --chain inter-ca.pem --ca-file root-ca.pem --host "$name_host" "$@"
	expect_no_err
}

for host in a.example.com vpn.example.com example.com VPN.Example.COM xn--bcher-kva.example.com; do
	name "$host" 0
	# --host is normalized as in a request: VPN.Example.COM is checked as vpn.example.com.
	shown=$(printf '%s' "$host" | tr 'A-Z' 'a-z')
	expect_out_line "  Role:       sstp (RRAS SSTP server), host $shown"
	expect_check PASS name "$shown is covered by the certificate's names ($wild)"
	expect_no_windows name
	expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
done

# One label only, and only a whole label.
for host in a.b.example.com x.y.z.example.com example.net notexample.com a.example.com.evil.net; do
	name "$host" 6
	expect_statuses "SKIP SKIP PASS FAIL PASS PASS PASS PASS"
	expect_check FAIL name "$host is not among the certificate's names ($wild)"
	expect_windows name "CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)"
	expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
done

# The Windows error follows the role.
name a.b.example.com 6 --role ikev2
expect_windows name "ERROR_IPSEC_IKE_AUTH_FAIL (13801)"
name a.b.example.com 6 --role nps
expect_windows name "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND (864)"

# An exact certificate covers only its own name; an IP address is not a DNS name.
for host in a.example.com example.com 192.0.2.1; do
	run_check 6 --cert fullchain.pem --ca-file root-ca.pem --host "$host"
	expect_check FAIL name "$host is not among the certificate's names (DNS:vpn.example.com)"
done

# Without --host, the host comes from the request (its first DNS name).
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --csr leaf.csr
expect_out_line "  Role:       sstp (RRAS SSTP server), host vpn.example.com"
expect_check PASS name "vpn.example.com is covered by the certificate's names (DNS:vpn.example.com)"
# --host wins over the request.
run_check 6 --cert fullchain.pem --ca-file root-ca.pem --csr leaf.csr --host other.example.com
expect_check FAIL name "other.example.com is not among the certificate's names (DNS:vpn.example.com)"
# Neither: the check is skipped, and the role line names no host.
run_check 0 --cert fullchain.pem --ca-file root-ca.pem
expect_out_line "  Role:       sstp (RRAS SSTP server)"
expect_check SKIP name "no --host given, and no --csr to take it from"

exit 0
