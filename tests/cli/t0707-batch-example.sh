#!/bin/sh
# examples/fleet.csv, as the README and the man page show it: a Traffic
# Manager pool of three SSTP servers with their own names and the shared
# one, an NPS pair under an alias, an IKEv2 server and a device tunnel.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl

run 0 batch "$TESTS_SRCDIR/../examples/fleet.csv"
expect_out "7 created, 0 renewed, 0 replaced, 0 kept, 0 current, 0 failed of 7 hosts in "

# expect_request STEM SUBJECT SAN EKU ROLE
expect_request() {
	[ "$(csr_subject "$1.csr")" = "$2" ] || fail "$1: subject $(csr_subject "$1.csr"), expected $2"
	[ "$(csr_san "$1.csr")" = "$3" ] || fail "$1: SAN $(csr_san "$1.csr"), expected $3"
	[ "$(csr_eku "$1.csr")" = "$4" ] || fail "$1: EKU $(csr_eku "$1.csr"), expected $4"
	[ "$(head -n 1 "$1.key")" = "mkcsr-role: $5" ] || fail "$1.key is not marked with the role $5"
	expect_mode "$1.key" 600
}

for n in 1 2 3; do
	expect_request "vpn$n.example.com" "CN=vpn$n.example.com" "DNS:vpn$n.example.com, DNS:vpn.example.com" \
		"TLS Web Server Authentication" sstp
done
for n in 1 2; do
	expect_request "nps$n.corp.example.com" "CN=nps$n.corp.example.com,O=Example Ltd,C=GB" \
		"DNS:nps$n.corp.example.com, DNS:nps.corp.example.com" "TLS Web Server Authentication" nps
done
expect_request ikev2.example.com "CN=ikev2.example.com" "DNS:ikev2.example.com" \
	"TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2" ikev2
expect_request laptop7.corp.example.com "CN=laptop7.corp.example.com" "DNS:laptop7.corp.example.com" \
	"TLS Web Client Authentication, 1.3.6.1.5.5.8.2.2" device
exit 0
