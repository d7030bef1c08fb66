#!/bin/sh
# The file mkcsr pfx writes: named after the certificate's first DNS name
# (vpn.example.com.pfx, _wildcard.example.com.pfx) unless -o says
# otherwise, mode 0600 whatever the umask, a PFX that opens with the
# password; never an existing file without --force (exit 4, the file left
# as it was); no temporary or partial file left behind, and no file at all
# when it fails.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

# opens FILE: openssl reads FILE with the password, and not with another.
opens() {
	openssl pkcs12 -in "$1" -passin "pass:$PFX_PASS" -noout 2> "$WORK/in/pkcs12.err" ||
		{ cat "$WORK/in/pkcs12.err" >&2; fail "openssl cannot open $1 with the password"; }
	! openssl pkcs12 -in "$1" -passin pass:wrong-password -noout 2> /dev/null ||
		fail "openssl opens $1 with a wrong password"
}

ok="--cert in/good-chain.pem --key in/leaf.key --pass file:in/pw"

# The default name, mode and content.
# shellcheck disable=SC2086
run 0 pfx $ok
expect_no_err
expect_files in vpn.example.com.pfx
expect_mode vpn.example.com.pfx 600
expect_out_line "Created vpn.example.com.pfx"
opens vpn.example.com.pfx
orig=$(sha256_hex < vpn.example.com.pfx)

# Never over an existing file: exit 4, the file unchanged, nothing else written.
# shellcheck disable=SC2086
run 4 pfx $ok
expect_no_out
expect_err_first "mkcsr pfx: refusing to overwrite an existing file: 'vpn.example.com.pfx' exists"
expect_files in vpn.example.com.pfx
[ "$(sha256_hex < vpn.example.com.pfx)" = "$orig" ] || fail "the refused run changed vpn.example.com.pfx"
# A run that fails for another reason (an expired certificate) leaves it alone too.
run 6 pfx --cert in/leaf-expired.pem --key in/leaf.key --pass file:in/pw
[ "$(sha256_hex < vpn.example.com.pfx)" = "$orig" ] || fail "a failed run changed vpn.example.com.pfx"

# --force replaces it (new salts: new bytes), still 0600, even from 0644.
chmod 644 vpn.example.com.pfx
# shellcheck disable=SC2086
run 0 pfx $ok --force
expect_no_err
expect_files in vpn.example.com.pfx
expect_mode vpn.example.com.pfx 600
[ "$(sha256_hex < vpn.example.com.pfx)" != "$orig" ] || fail "--force did not replace vpn.example.com.pfx"
opens vpn.example.com.pfx
# -f is --force.
# shellcheck disable=SC2086
run 0 pfx $ok -f -q
expect_files in vpn.example.com.pfx
rm vpn.example.com.pfx

# -o and --out: any name, in another directory too; the same refusal.
# shellcheck disable=SC2086
run 0 pfx $ok -o server.pfx
expect_files in server.pfx
expect_mode server.pfx 600
expect_out_line "Created server.pfx"
opens server.pfx
mkdir sub
# shellcheck disable=SC2086
run 0 pfx $ok --out sub/vpn-2027.pfx
expect_files in server.pfx sub
[ "$(ls -A sub)" = vpn-2027.pfx ] || fail "sub holds: $(ls -A sub)"
expect_mode sub/vpn-2027.pfx 600
expect_out_line "Created sub/vpn-2027.pfx"
# The PowerShell line names the file without its directory.
expect_out_line "  Import-PfxCertificate -FilePath .\\vpn-2027.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password \$password"
# shellcheck disable=SC2086
run 4 pfx $ok -o server.pfx
expect_err_first "mkcsr pfx: refusing to overwrite an existing file: 'server.pfx' exists"
rm -r server.pfx sub

# Whatever the umask.
(
	umask 000
	# shellcheck disable=SC2086
	run 0 pfx $ok -q
) || exit 1
expect_mode vpn.example.com.pfx 600
rm vpn.example.com.pfx

# A directory that does not exist: exit 1, nothing written.
# shellcheck disable=SC2086
run 1 pfx $ok -o nodir/x.pfx
expect_no_out
expect_err_first "mkcsr pfx: cannot write file: 'nodir/x.pfx': cannot create a file in its directory: No such file or directory"
expect_files in

# The default name from the certificate: a wildcard becomes _wildcard.
now_leaf in/wild.pem "*.example.com" "DNS:*.example.com, DNS:example.com" serverAuth
run 0 pfx --cert in/wild.pem --chain in/inter-ca.pem --key in/leaf.key --pass file:in/pw
expect_files in _wildcard.example.com.pfx
expect_out_line "  Friendly name:  *.example.com"
opens _wildcard.example.com.pfx
# A client certificate (with --role client).
now_leaf in/client.pem client01.corp.example.com "DNS:client01.corp.example.com" clientAuth
run 0 pfx --cert in/client.pem --key in/leaf.key --pass file:in/pw --role client
expect_files in _wildcard.example.com.pfx client01.corp.example.com.pfx
rm -f ./*.pfx
# No SAN: the CN.
now_leaf in/other.pem host.example.org "email:admin@example.org" serverAuth
run 0 pfx --cert in/other.pem --key in/leaf.key --pass file:in/pw -q
expect_files in host.example.org.pfx
rm -f ./*.pfx

# Failures write nothing: a mismatch, a refused certificate, bad input.
run 5 pfx --cert in/leaf-otherkey.pem --key in/leaf.key --pass file:in/pw
run 6 pfx --cert in/leaf-expired.pem --key in/leaf.key --pass file:in/pw
run 3 pfx --cert in/garbage.bin --key in/leaf.key --pass file:in/pw
run 3 pfx --cert in/good.pem --key in/leaf-enc.key --pass file:in/pw
expect_files in

# -q prints nothing; the file is written.
# shellcheck disable=SC2086
run 0 pfx $ok -q
expect_no_out
expect_no_err
expect_files in vpn.example.com.pfx

exit 0
