#!/bin/sh
# Python's cryptography package loads mkcsr's requests (PEM with the Windows
# header and CRLF, and DER), verifies them and finds the extensions, subject,
# key and attributes asked for, in order and with the exact criticality and
# values: see csr_check.py for each check.  The Windows-made samples pass
# the same signature and SKI checks (the SKI is RFC 5280 method 1 there too),
# and certlm's carry the enrollment-CSP bytes mkcsr is held to.
. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography

run 0 new --host vpn.example.net --csr default.csr --key default.key
run 0 new --host vpn.example.net --format der --csr default.der --key default-der.key
run 0 new --host p384.example.net --key-type ec:P-384 --csr p384.csr --key p384.key
run 0 new --host www.example.com --subject "O=Org, OU=IT, L=City, ST=State, C=US" --csr subject.csr --key subject.key
run 0 new --host rsa.example.net --key-type rsa:2048 --ms-attributes --key-usage digitalSignature,keyEncipherment \
	--eku serverAuth --eku clientAuth --csr rsa.csr --key rsa.key
run 0 new --host rsa.example.net --key-type rsa:2048 --ms-attributes --key-usage digitalSignature,keyEncipherment \
	--eku serverAuth --eku clientAuth --format der --csr rsa.der --key rsa-der.key
run 0 new --host names.example.net --san upn:user@example.net --san ip:192.0.2.7 --san ip:2001:db8::1 \
	--csr names.csr --key names.key

# One Python start for all the checks ("--" separates them).
"$PYTHON" "$TESTS_SRCDIR/interop/csr_check.py" \
	default default.csr vpn.example.net -- \
	default default.der vpn.example.net -- \
	p384 p384.csr p384.example.net -- \
	subject subject.csr www.example.com -- \
	rsa rsa.csr rsa.example.net 2048 -- \
	rsa rsa.der rsa.example.net 2048 -- \
	names names.csr names.example.net user@example.net 192.0.2.7 2001:db8::1 -- \
	certlm "$DATA/windows-csr/sample1.csr" -- \
	certlm "$DATA/windows-csr/sample2.csr" -- \
	certlm "$DATA/windows-csr/sample3.csr" -- \
	certlm "$DATA/windows-csr/sample4.csr" -- \
	certlm "$DATA/windows-csr/sample5.csr" -- \
	windows "$DATA/windows-csr/sample6.csr" ||
	fail "csr_check.py: the checks above failed"

# The checks are real ones: a changed signature byte is caught, and so is a
# request of another shape.
flip_last_byte default.der bad.der
status=0
"$PYTHON" "$TESTS_SRCDIR/interop/csr_check.py" default bad.der vpn.example.net -- \
	default subject.csr www.example.com 2> check.err || status=$?
[ "$status" -eq 1 ] || { cat check.err >&2; fail "csr_check.py exited $status on wrong requests, expected 1"; }
grep -q '^csr_check default bad.der: the request.s self-signature does not verify$' check.err ||
	{ cat check.err >&2; fail "csr_check.py did not catch the changed signature"; }
grep -q '^csr_check default subject.csr: subject RDNs in encoded order: ' check.err ||
	{ cat check.err >&2; fail "csr_check.py did not catch the longer subject"; }

exit 0
