#!/bin/sh
# The next steps that mkcsr new prints name the files by the paths the
# user gave (-o certs: certs/NAME.csr; an absolute directory: its absolute
# path; --key/--csr: those paths), and a file made in the current directory
# by its bare name; the JSON report's next_steps say the same.

. "$TESTS_SRCDIR/cli/lib.sh"

SUBMIT="to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form."
KEEP="private (it is not encrypted): the certificate is useless without it."

# steps CSR KEY ARGS...: mkcsr new --host vpn.example.com ARGS... names CSR and KEY in its next steps.
steps() {
	csr=$1 key=$2
	shift 2
	run 0 new --host vpn.example.com "$@"
	expect_out_line "  1. Submit $csr $SUBMIT"
	expect_out_line "  2. Keep $key $KEEP"
	[ -f "$csr" ] && [ -f "$key" ] || fail "the next steps name $csr and $key, which are not there"
	rm -f "$csr" "$key"
}

mkdir certs
steps certs/vpn.example.com.csr certs/vpn.example.com.key -o certs
steps certs/vpn.example.com.csr certs/vpn.example.com.key --out-dir certs/
steps ./certs/vpn.example.com.csr ./certs/vpn.example.com.key -o ./certs
steps "$WORK/certs/vpn.example.com.csr" "$WORK/certs/vpn.example.com.key" -o "$WORK/certs"
(cd certs && "$MKCSR" new --host vpn.example.com -o ../certs > ../out.txt 2>&1) || { cat out.txt >&2; fail "-o ../certs failed"; }
grep -qxF "  1. Submit ../certs/vpn.example.com.csr $SUBMIT" out.txt || { cat out.txt >&2; fail "-o ../certs is not named as given"; }
rm -f out.txt certs/vpn.example.com.csr certs/vpn.example.com.key
steps vpn.example.com.csr vpn.example.com.key
steps vpn.example.com.csr vpn.example.com.key -o .
mkdir keys reqs
steps reqs/server.req keys/server.pem --key keys/server.pem --csr reqs/server.req
steps reqs/server.req certs/vpn.example.com.key -o certs --csr reqs/server.req
# With a passphrase, the second step keeps the same path.
printf 'next-steps-pass\n' > kp
run 0 new --host vpn.example.com -o certs --key-pass file:kp
expect_out_line "  2. Keep certs/vpn.example.com.key and its passphrase: the certificate is useless without them."
rm -f certs/vpn.example.com.csr certs/vpn.example.com.key kp

# The JSON report's next steps.
need_python
run 0 new --host vpn.example.com -o certs --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON next steps do not name certs/vpn.example.com.csr and certs/vpn.example.com.key"
import json, sys
d = json.load(open(sys.argv[1]))
steps = d["next_steps"]
assert steps[0].startswith("Submit certs/vpn.example.com.csr to your CA"), steps
assert steps[1].startswith("Keep certs/vpn.example.com.key private"), steps
PY
exit 0
