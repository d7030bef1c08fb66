#!/bin/sh
# End to end against a real ACME CA, as an SSTP admin's pipeline runs it:
# mkcsr new, lego --csr against Pebble (on 127.0.0.1), Pebble's root from its
# management port, mkcsr check of lego's files against key, request, host,
# role and root, mkcsr pfx, and the PFX read back by OpenSSL.
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/interop/acme-lib.sh"

need_python
acme_start
acme_root root.pem

run 0 new --host vpn.example.com
acme_issue vpn.example.com.csr acme

# lego's .crt is the leaf and the intermediate; its .issuer.crt the intermediate alone.
run 0 check --cert "$ACME_CRT" --key vpn.example.com.key --csr vpn.example.com.csr \
	--chain "$ACME_ISSUER" --ca-file root.pem --role sstp --json
"$PYTHON" - "$WORK/out" "$ACME_CRT" <<'PY' || fail "the check report is not as expected"
import json, sys
d = json.load(open(sys.argv[1]))
status = {c["id"]: c["status"] for c in d["checks"]}
# Pebble names no CRL or OCSP address: the one warning, which does not fail the check.
want = {"key": "pass", "request": "pass", "validity": "pass", "name": "pass", "usage": "pass",
        "key-usage": "warn", "chain": "pass", "revocation": "warn"}
assert status == want, status
assert d["result"]["exit_code"] == 0, d["result"]
assert d["host"] == "vpn.example.com", d["host"]
assert d["certificate"]["file"] == sys.argv[2], d["certificate"]
assert len(d["chain"]) == 3, d["chain"]          # leaf, Pebble intermediate, Pebble root
revocation = [c for c in d["checks"] if c["id"] == "revocation"][0]
assert revocation["windows_code"] == {"name": "CRYPT_E_NO_REVOCATION_CHECK", "hex": "0x80092012",
                                      "decimal": -2146885614}, revocation
PY

# Without Pebble's root the chain is not trusted (the system store does not know it).
run 6 check --cert "$ACME_CRT" --key vpn.example.com.key --csr vpn.example.com.csr --ca-file "$DATA/certs/root-ca.pem"
expect_out "  FAIL  chain "
expect_out "Windows: CERT_E_UNTRUSTEDROOT 0x800B0109 (-2146762487)"

# Another key: exit 5 whatever else holds.
run 0 new --host vpn.example.com --out-dir . --key other.key --csr other.csr
run 5 check --cert "$ACME_CRT" --key other.key --ca-file root.pem
expect_out "  FAIL  key "

# The PFX, with a generated password, read back by OpenSSL.
run 0 pfx --cert "$ACME_CRT" --key vpn.example.com.key --pass generate:pfx.pass
expect_mode vpn.example.com.pfx 600
expect_mode pfx.pass 600
openssl pkcs12 -in vpn.example.com.pfx -info -noout -passin file:pfx.pass > info.txt 2>&1 ||
	{ cat info.txt >&2; fail "openssl cannot open the PFX with the generated password"; }
grep -qxF "MAC: sha1, Iteration 2048" info.txt || { cat info.txt >&2; fail "compat PFX without a SHA-1 MAC"; }
openssl pkcs12 -in vpn.example.com.pfx -nodes -passin file:pfx.pass > contents.pem 2> /dev/null ||
	fail "openssl cannot read the PFX contents"
grep -qF "friendlyName: vpn.example.com" contents.pem || fail "no friendlyName in the PFX"
grep -qF "Microsoft CSP Name: Microsoft Software Key Storage Provider" contents.pem || fail "no KSP name in the PFX"
[ "$(grep -c -- '-----BEGIN CERTIFICATE-----' contents.pem)" -eq 2 ] || fail "the PFX does not hold leaf and intermediate"
[ "$(openssl pkey -in contents.pem -pubout | sha256_hex)" = "$(openssl pkey -in vpn.example.com.key -pubout | sha256_hex)" ] ||
	fail "the PFX holds another key"

acme_stop
[ -z "$(acme_pids)" ] || fail "pebble still runs after acme_stop: $(acme_pids)"
exit 0
