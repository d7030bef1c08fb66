#!/bin/sh
# mkcsr check --json: one JSON document with exactly these keys and values
# (checked with python3's json module): certificate.{file, subject, issuer,
# not_before, not_after, thumbprint, days_left}, role, host, at, chain
# (the chain built, leaf first), checks (the eight, in order, each with id,
# title, status, detail and windows_code {name, hex, decimal} or null) and
# result {exit_code, summary, passed, warned, failed, skipped}: the counts
# of the checks' statuses.  The exit code is the same as without
# --json; -q does not silence it; on an error stdout holds the error
# object alone.  -v adds
# the chain to the text report.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json
copy_certs

MKCSR_TEST_THUMB=$(thumbprint leaf-good.pem)
MKCSR_TEST_THUMB_EXPIRED=$(thumbprint leaf-expired.pem)
export MKCSR_TEST_THUMB MKCSR_TEST_THUMB_EXPIRED

# Everything given, everything passes.
run_check 0 --cert fullchain.pem --key leaf.key --csr leaf.csr --ca-file root-ca.pem --json
expect_no_err
json_equals '{
  "certificate": {
    "file": "fullchain.pem",
    "subject": "CN=vpn.example.com",
    "issuer": "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US",
    "not_before": "2026-01-01T00:00:00Z",
    "not_after": "2028-01-01T00:00:00Z",
    "thumbprint": env["MKCSR_TEST_THUMB"],
    "days_left": 214
  },
  "role": "sstp",
  "host": "vpn.example.com",
  "at": "2027-06-01T00:00:00Z",
  "note": null,
  "chain": [
    "CN=vpn.example.com",
    "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US",
    "CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US"
  ],
  "checks": [
    {"id": "key", "title": "the key belongs to the certificate", "status": "pass",
     "detail": "'"'leaf.key' is the private key of CN=vpn.example.com in 'fullchain.pem'"'", "windows_code": null},
    {"id": "request", "title": "the certificate answers the request", "status": "pass",
     "detail": "same key, every requested name present, subject CN=vpn.example.com as requested", "windows_code": null},
    {"id": "validity", "title": "the certificate is within its validity period", "status": "pass",
     "detail": "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 214 days left", "windows_code": null},
    {"id": "name", "title": "the host name is covered", "status": "pass",
     "detail": "vpn.example.com is covered by the certificate'"'"'s names (DNS:vpn.example.com)", "windows_code": null},
    {"id": "usage", "title": "the extended key usage fits the role", "status": "pass",
     "detail": "Server Authentication present, as the sstp role needs", "windows_code": null},
    {"id": "key-usage", "title": "the key usage fits the key", "status": "pass",
     "detail": "the key usage fits an ECDSA key", "windows_code": null},
    {"id": "chain", "title": "the chain builds to a trusted root", "status": "pass",
     "detail": "CN=vpn.example.com <- CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US <- CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US, trusted through --ca-file",
     "windows_code": null},
    {"id": "revocation", "title": "revocation can be checked", "status": "pass",
     "detail": "CRL http://crl.example.com/inter.crl, OCSP http://ocsp.example.com", "windows_code": null}
  ],
  "result": {"exit_code": 0, "summary": "fit for the role", "passed": 8, "warned": 0, "failed": 0, "skipped": 0}
}'

# Failing: expired, for NPS, with a missing intermediate, no key, no host
# (null), an expiry window; skips and warnings and failures side by side.
run_check 6 --cert leaf-expired.pem --role nps --ca-file root-ca.pem --warn-days 30 --json
expect_no_err
json_equals '{
  "certificate": {
    "file": "leaf-expired.pem",
    "subject": "CN=vpn.example.com",
    "issuer": "CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US",
    "not_before": "2020-01-01T00:00:00Z",
    "not_after": "2021-01-01T00:00:00Z",
    "thumbprint": env["MKCSR_TEST_THUMB_EXPIRED"],
    "days_left": -2342
  },
  "role": "nps",
  "host": null,
  "at": "2027-06-01T00:00:00Z",
  "note": null,
  "chain": ["CN=vpn.example.com"],
  "checks": [
    {"id": "key", "title": "the key belongs to the certificate", "status": "skip",
     "detail": "no --key given", "windows_code": null},
    {"id": "request", "title": "the certificate answers the request", "status": "skip",
     "detail": "no --csr given", "windows_code": null},
    {"id": "validity", "title": "the certificate is within its validity period", "status": "fail",
     "detail": "expired on 2021-01-01 00:00:00 UTC (2342 days ago)",
     "windows_code": {"name": "ERROR_EAP_SERVER_CERT_EXPIRED", "hex": "0x0000035A", "decimal": 858}},
    {"id": "name", "title": "the host name is covered", "status": "skip",
     "detail": "no --host given, and no --csr to take it from", "windows_code": null},
    {"id": "usage", "title": "the extended key usage fits the role", "status": "pass",
     "detail": "Server Authentication present, as the nps role needs", "windows_code": null},
    {"id": "key-usage", "title": "the key usage fits the key", "status": "pass",
     "detail": "the key usage fits an ECDSA key; subject CN=vpn.example.com", "windows_code": null},
    {"id": "chain", "title": "the chain builds to a trusted root", "status": "fail",
     "detail": "the intermediate CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US that issued the certificate is missing: add it with --chain",
     "windows_code": {"name": "ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND", "hex": "0x00000360", "decimal": 864}},
    {"id": "revocation", "title": "revocation can be checked", "status": "pass",
     "detail": "CRL http://crl.example.com/inter.crl, OCSP http://ocsp.example.com", "windows_code": null}
  ],
  "result": {"exit_code": 6, "summary": "the certificate fails a requirement", "passed": 3, "warned": 0, "failed": 2,
             "skipped": 3}
}'

# The other results and codes, checked field by field: a mismatch (5), a
# warning with an HRESULT (negative decimal), the expiry window (7).
# json_get EXPR: a Python expression over the last report d, printed.
json_get() {
	"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$WORK/out" "$1" ||
		fail "cannot read $1 from the JSON report"
}
run_check 5 --cert leaf-otherkey.pem --chain inter-ca.pem --key leaf.key --ca-file root-ca.pem --json
[ "$(json_get 'd["result"]')" = "{'exit_code': 5, 'summary': 'the key and the certificate do not belong together', 'passed': 5, 'warned': 0, 'failed': 1, 'skipped': 2}" ] ||
	fail "result of a mismatch: $(json_get 'd["result"]')"
[ "$(json_get 'd["checks"][0]["windows_code"]')" = "{'name': 'NTE_BAD_KEYSET', 'hex': '0x80090016', 'decimal': -2146893802}" ] ||
	fail "key windows_code: $(json_get 'd["checks"][0]["windows_code"]')"
run_check 0 --cert leaf-norevocation.pem --chain inter-ca.pem --ca-file root-ca.pem --json
[ "$(json_get 'd["checks"][7]["status"], d["checks"][7]["windows_code"]')" = "('warn', {'name': 'CRYPT_E_NO_REVOCATION_CHECK', 'hex': '0x80092012', 'decimal': -2146885614})" ] ||
	fail "revocation: $(json_get 'd["checks"][7]')"
run_check 7 --cert fullchain.pem --ca-file root-ca.pem --warn-days 300 --json
[ "$(json_get 'd["result"]["exit_code"], d["checks"][2]["status"], d["certificate"]["days_left"]')" = "(7, 'warn', 214)" ] ||
	fail "expiry window: $(json_get 'd["result"], d["checks"][2]')"

# -q does not silence --json.
run_check 0 -q --cert fullchain.pem --ca-file root-ca.pem --json
[ "$(json_get 'd["result"]["exit_code"]')" = 0 ] || fail "-q --json: no report"
# An error: the error object alone on stdout, the message on stderr.
run_check 3 --cert garbage.bin --json
expect_json_error MALFORMED 3 garbage.bin "malformed input: 'garbage.bin' holds no certificate: it is not a PEM or DER file" ""
expect_err_first "mkcsr check: malformed input: 'garbage.bin' holds no certificate: it is not a PEM or DER file"

# -v adds the chain, leaf first, to the text report.
run_check 0 --cert chain-shuffled.pem --ca-file root-ca.pem -v
expect_out_line "  Chain 0:    CN=vpn.example.com"
expect_out_line "  Chain 1:    CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"
expect_out_line "  Chain 2:    CN=mkcsr Test Root CA, O=mkcsr Test PKI, C=US"
[ "$(sed -n 6,8p "$WORK/out" | cut -c1-11 | tr '\n' '|')" = "  Chain 0: |  Chain 1: |  Chain 2: |" ] ||
	{ cat "$WORK/out" >&2; fail "the chain lines are not right after the role line"; }
# Without -v, no chain lines.
run_check 0 --cert chain-shuffled.pem --ca-file root-ca.pem
expect_out_lacks "Chain 0:"
# A chain that does not build shows as far as it got.
run_check 6 --cert leaf-good.pem --ca-file root-ca.pem -v
expect_out_line "  Chain 0:    CN=vpn.example.com"
expect_out_lacks "Chain 1:"

exit 0
