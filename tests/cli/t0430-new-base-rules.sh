#!/bin/sh
# Rules around a request's base: --set needs a template or INF, a template
# takes a DNS name for --host, --like renews end-entity certificates only,
# and a user-tunnel INF asks for the user's key store.
. "$TESTS_SRCDIR/cli/lib.sh"

run 2 new --host vpn.example.com --set A=B
expect_err_first "mkcsr new: invalid usage: --set fills the [Strings] of a --template or --inf file; there is none"
expect_no_files

run 2 new --template sstp --host 192.0.2.1
expect_err_first "mkcsr new: invalid usage: --template sstp takes a DNS name for --host, not the address 192.0.2.1; for an address use mkcsr new --host 192.0.2.1 without a template"
expect_no_files

run 3 new --like "$DATA/certs/inter-ca.pem"
expect_err_first "mkcsr new: cannot renew from this certificate: '$DATA/certs/inter-ca.pem' is a CA certificate issued by CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US; --like renews a server's or client's certificate"
expect_no_files

run 0 new --template user-tunnel --set UPN=alice@corp.example.com --write-inf user.inf -q
utf16_text user.inf | tr -d '\r' | grep -qx 'MachineKeySet = FALSE' || { utf16_text user.inf >&2; fail "the user-tunnel INF is not for the user's store"; }
run 0 new --template sstp --host vpn.example.com --write-inf sstp.inf -q
utf16_text sstp.inf | tr -d '\r' | grep -qx 'MachineKeySet = TRUE' || fail "the sstp INF is not for the machine's store"
exit 0
