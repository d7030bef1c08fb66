#!/bin/sh
# mkcsr check --cert FILE.pfx --pass SOURCE: the PFX's certificate, chain
# and key are checked, with no --key: every check's status and the key,
# chain and result lines, exactly, for the PFX that OpenSSL 3 writes by
# default (AES-256, as Windows Server 2019 exports) and for mkcsr's own;
# the key check names "the key in" the PFX.
# A PFX of the leaf alone fails the chain check until --chain adds the
# intermediate.  Without --pass, with a wrong one, with --key: one line and
# the documented exit status; --pass with a PEM certificate is not read,
# with a warning.  --json carries the same checks.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
copy_certs
printf 'check-pfx-password\n' > pw

openssl pkcs12 -export -in leaf-good.pem -inkey leaf.key -certfile inter-ca.pem -name vpn.example.com \
	-passout file:pw -out aes.pfx 2> openssl.err || { cat openssl.err >&2; fail "openssl cannot make a PFX"; }
openssl pkcs12 -export -in leaf-good.pem -inkey leaf.key -name vpn.example.com -passout file:pw -out alone.pfx \
	2> openssl.err || { cat openssl.err >&2; fail "openssl cannot make a PFX"; }
thumb=$(thumbprint leaf-good.pem)

# The whole report for the AES PFX, trusted through the test root.
run_check 0 --cert aes.pfx --pass file:pw --ca-file root-ca.pem --host vpn.example.com
expect_no_err
expect_statuses "PASS SKIP PASS PASS PASS PASS PASS PASS"
[ "$(sed -n 1p out)" = "Certificate: CN=vpn.example.com (aes.pfx)" ] || { cat out >&2; fail "the report does not name aes.pfx"; }
expect_out_line "  Thumbprint: $thumb"
expect_check PASS key "the key in 'aes.pfx' is the private key of CN=vpn.example.com in 'aes.pfx'"
expect_check PASS chain "CN=vpn.example.com <- CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US <- CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US, trusted through --ca-file"
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"

# mkcsr's own PFX (3DES) reads the same way.
"$MKCSR" pfx --cert fullchain.pem --key leaf.key --pass file:pw --force -q -o mkcsr.pfx 2> pfx.err ||
	{ cat pfx.err >&2; fail "mkcsr pfx failed"; }
run_check 0 --cert mkcsr.pfx --pass file:pw --ca-file root-ca.pem
expect_no_err
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"
expect_check PASS key "the key in 'mkcsr.pfx' is the private key of CN=vpn.example.com in 'mkcsr.pfx'"

# The leaf alone: the intermediate is missing, until --chain gives it.
run_check 6 --cert alone.pfx --pass file:pw --ca-file root-ca.pem
expect_statuses "PASS SKIP PASS SKIP PASS PASS FAIL PASS"
expect_check FAIL chain "the intermediate CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US that issued the certificate is missing: add it with --chain"
expect_windows chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
run_check 0 --cert alone.pfx --pass file:pw --chain inter-ca.pem --ca-file root-ca.pem
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"

# --json: the same checks.
need_python json
run_check 0 --cert aes.pfx --pass file:pw --ca-file root-ca.pem --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON report is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
checks = {c["id"]: c for c in d["checks"]}
assert checks["key"]["status"] == "pass", checks["key"]
assert checks["key"]["detail"] == "the key in 'aes.pfx' is the private key of CN=vpn.example.com in 'aes.pfx'", checks["key"]
assert checks["chain"]["status"] == "pass", checks["chain"]
PY

# No password, a wrong one, a key as well: nothing on stdout.
run_check 3 --cert aes.pfx --ca-file root-ca.pem
expect_no_out
expect_err_first "mkcsr check: cannot read the passphrase: 'aes.pfx' is a PFX: give its password with --pass SOURCE"
printf 'wrong\n' > wrong
run_check 3 --cert aes.pfx --pass file:wrong
expect_no_out
expect_err_first "mkcsr check: malformed input: 'aes.pfx': the password is wrong (the PFX's integrity check failed)"
run_check 2 --cert aes.pfx --pass file:pw --key leaf.key
expect_no_out
expect_err_first "mkcsr check: invalid usage: --key: 'aes.pfx' is a PFX, which carries its own key"

# --pass with a certificate that is not a PFX: not read, and said.
run_check 0 --cert fullchain.pem --key leaf.key --pass file:pw --ca-file root-ca.pem
expect_err_first "mkcsr check: warning: --pass is not read: 'fullchain.pem' is not a PFX"
expect_lines "$WORK/err" 1

# The password is never printed.
run_check 0 --cert aes.pfx --pass file:pw --ca-file root-ca.pem -v
expect_out_lacks check-pfx-password
expect_err_lacks check-pfx-password
exit 0
