#!/bin/sh
# check: --host follows the request's name rules, --ca-dir must exist,
# --ca-file may be repeated, an encrypted DER key opens with --key-pass,
# and the last second of the validity period still counts.
. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

# --host is normalized like a request's names, and a bad one is a usage error.
run_check 0 --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem --host VPN.Example.COM.
expect_out_line "  Role:       sstp (RRAS SSTP server), host vpn.example.com"
run_check 2 --cert leaf-wildcard.pem --chain inter-ca.pem --ca-file root-ca.pem --host .example.com
expect_err_first "mkcsr check: invalid name: '.example.com': empty label (two dots in a row, or a leading dot)"
expect_no_out
run_check 2 --cert leaf-good.pem --host ""
expect_err_first "mkcsr check: invalid name: empty host name"
run_check 2 --cert leaf-wildcard.pem --host '*.example.com'
expect_err_first "mkcsr check: invalid name: --host '*.example.com': give the name clients connect to, not a wildcard"

# --ca-dir must be a directory.
run_check 3 --cert leaf-good.pem --ca-dir no-such-dir
expect_err_first "mkcsr check: cannot read file: --ca-dir 'no-such-dir': No such file or directory"
run_check 3 --cert leaf-good.pem --ca-dir root-ca.pem
expect_err_first "mkcsr check: cannot read file: --ca-dir 'root-ca.pem': not a directory"

# --ca-file twice: both are anchors (the second no longer replaces the first).
run_check 0 --cert leaf-good.pem --chain inter-ca.pem --ca-file other-root.pem --ca-file root-ca.pem --host vpn.example.com
expect_check PASS chain "CN=vpn.example.com <- CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US <- CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US, trusted through --ca-file"

# RFC 5280: notAfter itself is still inside the validity period; one second
# later is not, and it is day -1: days left are rounded down (chain_days_left).
run 0 check --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem --at 2028-01-01T00:00:00Z
expect_check PASS validity "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 0 days left"
run 6 check --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem --at 2028-01-01T00:00:01Z
expect_check FAIL validity "expired on 2028-01-01 00:00:00 UTC (1 day ago): every SSTP client fails, while IKEv2 may still work"

# An encrypted key in DER (EncryptedPrivateKeyInfo) opens with its passphrase.
openssl pkcs8 -topk8 -in leaf.key -v2 aes-256-cbc -passout file:leaf-enc.pass -outform DER -out leaf-enc.der ||
	fail "openssl cannot write an encrypted DER key"
run_check 3 --cert leaf-good.pem --key leaf-enc.der
expect_err_first "mkcsr check: cannot read the passphrase: 'leaf-enc.der' is encrypted: give its passphrase with --key-pass SOURCE"
run_check 0 --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem --key leaf-enc.der --key-pass file:leaf-enc.pass
expect_check PASS key "'leaf-enc.der' is the private key of CN=vpn.example.com in 'leaf-good.pem'"
exit 0
