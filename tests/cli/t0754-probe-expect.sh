#!/bin/sh
# --expect: the certificate the endpoint must present, as a certificate
# file, a PFX made by mkcsr pfx (password through --pass) or a thumbprint as
# PowerShell shows it (any letter case): a match passes, another
# certificate is "still presenting the old certificate" with both
# thumbprints and dates, exit 5.  Two --connect addresses behind one name,
# one serving an old certificate: each reported, exit 5.  --all-addresses
# probes every address localhost resolves to, each on its own.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init

AT=2027-06-01T00:00:00Z
probe_bundle good.pem leaf-good.pem inter-ca.pem
probe_bundle old.pem leaf-otherkey.pem inter-ca.pem
probe_sstp new good.pem leaf.key
P=$PORT_new
probe_sstp old old.pem other.key --bind ::1 --port "$P"
NEW=$(thumbprint leaf-good.pem)
OLD=$(thumbprint leaf-otherkey.pem)
LOWER=$(printf '%s' "$NEW" | tr 'A-F' 'a-f')

probe_new() {
	pn_status=$1
	shift
	run "$pn_status" probe "vpn.example.com:$P" --connect 127.0.0.1 --at "$AT" --ca-file root-ca.pem --revocation names "$@"
}

# A certificate file, a thumbprint in lower case, a thumbprint with spaces (as certlm shows it).
probe_new 0 --expect leaf-good.pem
expect_probe_check PASS expect "the server presents CN=vpn.example.com, thumbprint $NEW, valid to 2028-01-01 00:00:00 UTC"
probe_new 0 --expect "$LOWER"
expect_probe_check PASS expect "the server presents CN=vpn.example.com, thumbprint $NEW, valid to 2028-01-01 00:00:00 UTC"
probe_new 0 --expect "$(printf '%s' "$LOWER" | sed 's/\(..\)/\1 /g; s/ $//')"
probe_new 0 --expect fullchain.pem

# The PFX just built, with its password from a file.
printf 'pfx-test-password\n' > pfx-password.txt
run 0 pfx --cert leaf-good.pem --key leaf.key --chain inter-ca.pem --out vpn.example.com.pfx --pass file:pfx-password.txt
probe_new 0 --expect vpn.example.com.pfx --pass file:pfx-password.txt
expect_probe_check PASS expect "the server presents CN=vpn.example.com, thumbprint $NEW, valid to 2028-01-01 00:00:00 UTC"

# A PFX without a password opens without --pass, and with an empty one.
openssl pkcs12 -export -in leaf-good.pem -inkey leaf.key -out nopass.pfx -passout pass: 2> openssl.err ||
	{ cat openssl.err >&2; fail "openssl cannot make nopass.pfx"; }
probe_new 0 --expect nopass.pfx
expect_probe_check PASS expect "the server presents CN=vpn.example.com, thumbprint $NEW, valid to 2028-01-01 00:00:00 UTC"
probe_new 0 --expect nopass.pfx --pass pass:

# A PFX as OpenSSL 1.x and "openssl pkcs12 -legacy" write it (RC2-40): read all the same.
openssl pkcs12 -export -legacy -in leaf-good.pem -inkey leaf.key -out legacy.pfx -passout file:pfx-password.txt 2> openssl.err ||
	{ cat openssl.err >&2; fail "openssl cannot write a legacy PFX"; }
probe_new 0 --expect legacy.pfx --pass file:pfx-password.txt
expect_probe_check PASS expect "the server presents CN=vpn.example.com, thumbprint $NEW, valid to 2028-01-01 00:00:00 UTC"

# Another certificate: exit 5, both thumbprints and dates.
probe_new 5 --expect leaf-expired.pem
expect_probe_check FAIL expect "still presenting the old certificate: the server sends CN=vpn.example.com, thumbprint $NEW, valid 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC; expected thumbprint $(thumbprint leaf-expired.pem), valid 2020-01-01 00:00:00 UTC to 2021-01-01 00:00:00 UTC ('leaf-expired.pem'): bind the new certificate and restart RemoteAccess"
expect_out_line "Result: not the expected certificate (1 failed, 0 warnings; exit 5)"
probe_new 5 --expect "$OLD"
expect_probe_check FAIL expect "still presenting the old certificate: the server sends CN=vpn.example.com, thumbprint $NEW, valid 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC; expected thumbprint $OLD: bind the new certificate and restart RemoteAccess"
probe_new 5 --expect "$OLD" --summary
expect_out_line "vpn.example.com:$P via 127.0.0.1:$P  MISMATCH  expect: still presenting the old certificate: the server sends CN=vpn.example.com, thumbprint $NEW, valid 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC; expected thumbprint $OLD: bind the new certificate and restart RemoteAccess"
# A mismatch outranks a failed check.
probe_new 5 --expect "$OLD" --role tls --ca-file other-root.pem

# Bad --expect values: found before any server is contacted.
clear_log new
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect no-such-file.pem
expect_err_first "mkcsr probe: cannot read file: --expect 'no-such-file.pem': No such file or directory, and not a thumbprint of 40 hexadecimal digits"
need_python
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect no-such-file.pem --json
expect_json_error READ 3 no-such-file.pem \
	"cannot read file: --expect 'no-such-file.pem': No such file or directory, and not a thumbprint of 40 hexadecimal digits" ""
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect "${NEW}00"
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect vpn.example.com.pfx
expect_err_first "mkcsr probe: cannot read the passphrase: --expect 'vpn.example.com.pfx' is a PFX: give its password with --pass SOURCE"
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect vpn.example.com.pfx --json
expect_json_error SECRET_UNAVAILABLE 3 vpn.example.com.pfx \
	"cannot read the passphrase: --expect 'vpn.example.com.pfx' is a PFX: give its password with --pass SOURCE" ""
printf 'wrong\n' > wrong.txt
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect vpn.example.com.pfx --pass file:wrong.txt
expect_err_first "mkcsr probe: malformed input: 'vpn.example.com.pfx': the password is wrong (the PFX's integrity check failed)"
run 3 probe "vpn.example.com:$P" --connect 127.0.0.1 --expect garbage.bin
run 2 probe "vpn.example.com:$P" --connect 127.0.0.1 --pass file:pfx-password.txt
expect_err_first "mkcsr probe: invalid usage: --pass without --expect: it is the password of the --expect PFX"
[ ! -s new.log ] || fail "a server was contacted despite a bad --expect"

# One name, two servers: the new certificate on 127.0.0.1, the old one on ::1.
run 5 probe "vpn.example.com:$P" --connect 127.0.0.1 --connect "[::1]" --at "$AT" --ca-file root-ca.pem --revocation names --expect leaf-good.pem --summary
expect_lines out 2
expect_out_line "vpn.example.com:$P via 127.0.0.1:$P  OK  TLSv1.3, SSTP call accepted, valid to 2028-01-01 00:00:00 UTC (214 days), thumbprint $NEW"
expect_out_line "vpn.example.com:$P via [::1]:$P  MISMATCH  expect: still presenting the old certificate: the server sends CN=vpn.example.com, thumbprint $OLD, valid 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC; expected thumbprint $NEW, valid 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC ('leaf-good.pem'): bind the new certificate and restart RemoteAccess"
run 5 probe "vpn.example.com:$P" --connect 127.0.0.1 --connect "[::1]" --at "$AT" --ca-file root-ca.pem --revocation names --expect leaf-good.pem
expect_out_line "Target: vpn.example.com:$P via 127.0.0.1:$P"
expect_out_line "Target: vpn.example.com:$P via [::1]:$P"
expect_out_line "Targets: 2; overall: not the expected certificate (exit 5)"

# --all-addresses on localhost: a certificate for localhost, a server on every address it resolves to.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout localhost.key -out localhost.pem \
	-subj /CN=localhost -days 30 -addext subjectAltName=DNS:localhost -addext extendedKeyUsage=serverAuth \
	-addext keyUsage=critical,digitalSignature 2> openssl.err || { cat openssl.err >&2; fail "cannot make the localhost certificate"; }
"$PYTHON" -c 'import socket
seen = []
for a in socket.getaddrinfo("localhost", 443, type=socket.SOCK_STREAM):
    if a[4][0] not in seen:
        seen.append(a[4][0])
print("\n".join(seen))' > addresses || fail "cannot resolve localhost"
BINDS=
while read -r a; do BINDS="$BINDS --bind $a"; done < addresses
# shellcheck disable=SC2086
probe_sstp local localhost.pem localhost.key $BINDS
run 0 probe "localhost:$PORT_local" --all-addresses --ca-file localhost.pem --revocation names --summary
expect_lines out "$(wc -l < addresses)"
while read -r a; do
	case $a in *:*) shown="[$a]:$PORT_local" ;; *) shown="$a:$PORT_local" ;; esac
	grep -q "^localhost:$PORT_local at $shown  OK  " out || { cat out >&2; fail "$shown was not probed on its own"; }
done < addresses
run 0 probe "localhost:$PORT_local" --all-addresses --ca-file localhost.pem --revocation names
expect_probe_check PASS sent-chain "the server sent 1 certificate: the leaf alone, and no intermediate is needed"
# --all-addresses and --connect do not go together.
run 2 probe "localhost:$PORT_local" --all-addresses --connect 127.0.0.1
expect_err_first "mkcsr probe: invalid usage: --all-addresses and --connect: give one of them"
exit 0
