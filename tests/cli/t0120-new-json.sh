#!/bin/sh
# --json: stdout is one JSON document with exactly the documented keys and
# values (checked with python3's json module); warnings are in it and on
# stderr; -q does not silence it; on an error stdout stays empty.

. "$TESTS_SRCDIR/cli/lib.sh"

need_python

# ski_of CSR: the SHA-1 of the EC public key's BIT STRING contents, in hex.
ski_of() {
	openssl req -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | tail -c 65 |
		openssl dgst -sha1 -r | cut -d' ' -f1
}

# The defaults.
run 0 --host vpn.example.com --json
expect_no_err
# The brief's own check: it parses.
python3 -c 'import json,sys; d=json.load(sys.stdin)' < "$WORK/out" || fail "stdout does not parse as JSON"
MKCSR_TEST_SPKI=$(csr_spki_sha256 vpn.example.com.csr)
MKCSR_TEST_SKI=$(ski_of vpn.example.com.csr)
export MKCSR_TEST_SPKI MKCSR_TEST_SKI
json_equals '{
  "host": "vpn.example.com",
  "subject": "CN=vpn.example.com",
  "names": [{"type": "dns", "value": "vpn.example.com"}],
  "key_usage": [],
  "extended_key_usage": [{"oid": "1.3.6.1.5.5.7.3.1", "name": "Server Authentication"}],
  "application_policies": true,
  "subject_key_identifier": env["MKCSR_TEST_SKI"],
  "ms_attributes": false,
  "key": {"type": "ec:P-256", "description": "ECDSA P-256", "signature": "ecdsa-with-SHA256",
          "spki_sha256": env["MKCSR_TEST_SPKI"]},
  "files": {
    "key": {"path": "./vpn.example.com.key", "format": "pkcs8-pem", "mode": "0600", "encrypted": false},
    "csr": {"path": "./vpn.example.com.csr", "format": "base64", "header": "NEW CERTIFICATE REQUEST", "eol": "crlf"}
  },
  "warnings": [],
  "notes": [],
  "role": null,
  "inf_file": null,
  "next_steps": [
    "Submit vpn.example.com.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA'"'"'s web form.",
    "Keep vpn.example.com.key private (it is not encrypted): the certificate is useless without it."
  ]
}'
expect_files vpn.example.com.key vpn.example.com.csr
rm -f vpn.example.com.key vpn.example.com.csr

# -q does not silence --json (it is the result, not chatter).
run 0 --host vpn.example.com --json -q
expect_no_err
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["host"] == "vpn.example.com"' < "$WORK/out" ||
	fail "--json -q did not print the report"
rm -f vpn.example.com.key vpn.example.com.csr

# Everything else: RSA, several names and usages, an encrypted key, DER, another directory.
mkdir d
MKCSR_TEST_PASS=long-enough-passphrase
export MKCSR_TEST_PASS
run 0 new --json --host VPN.example.com --san ip:192.0.2.7 --san upn:svc@corp.example --san email:a@example.com \
	--subject "O=Org, C=us" --key-type rsa:2048 --hash sha384 --eku serverAuth --eku 1.3.6.1.4.1.311.10.3.4 \
	--key-usage digitalSignature,keyEncipherment --ms-attributes --key-pass env:MKCSR_TEST_PASS --format der -o d
expect_no_err
MKCSR_TEST_SPKI=$(csr_spki_sha256 d/vpn.example.com.csr DER)
MKCSR_TEST_SKI=$(openssl req -inform DER -in d/vpn.example.com.csr -noout -text |
	awk '/Subject Key Identifier/ { getline; gsub(/[ :]/, ""); print tolower($0) }')
json_equals '{
  "host": "vpn.example.com",
  "subject": "CN=vpn.example.com, O=Org, C=US",
  "names": [{"type": "dns", "value": "vpn.example.com"}, {"type": "ip", "value": "192.0.2.7"},
            {"type": "upn", "value": "svc@corp.example"}, {"type": "email", "value": "a@example.com"}],
  "key_usage": ["digitalSignature", "keyEncipherment"],
  "extended_key_usage": [{"oid": "1.3.6.1.5.5.7.3.1", "name": "Server Authentication"},
                         {"oid": "1.3.6.1.4.1.311.10.3.4", "name": null}],
  "application_policies": true,
  "subject_key_identifier": env["MKCSR_TEST_SKI"],
  "ms_attributes": true,
  "key": {"type": "rsa:2048", "description": "RSA 2048", "signature": "sha384WithRSAEncryption",
          "spki_sha256": env["MKCSR_TEST_SPKI"]},
  "files": {
    "key": {"path": "d/vpn.example.com.key", "format": "pkcs8-pem", "mode": "0600", "encrypted": true},
    "csr": {"path": "d/vpn.example.com.csr", "format": "der", "header": null, "eol": null}
  },
  "warnings": [],
  "notes": [],
  "role": null,
  "inf_file": null,
  "next_steps": [
    "Submit d/vpn.example.com.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA'"'"'s web form.",
    "Keep d/vpn.example.com.key and its passphrase: the certificate is useless without them."
  ]
}'
[ ${#MKCSR_TEST_SKI} -eq 40 ] || fail "test bug: no SKI read from the DER request"
rm -r d

# --header standard --eol lf, and --minimal: no EKU, no policies, no SKI.
run 0 --json --host vpn.example.com --minimal --header standard --eol lf
python3 - "$WORK/out" <<'EOF' || fail "the --minimal JSON report is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["extended_key_usage"] == [], d["extended_key_usage"]
assert d["application_policies"] is False, d["application_policies"]
assert d["subject_key_identifier"] is None, d["subject_key_identifier"]
assert d["files"]["csr"] == {"path": "./vpn.example.com.csr", "format": "base64",
                             "header": "CERTIFICATE REQUEST", "eol": "lf"}, d["files"]["csr"]
EOF
rm -f vpn.example.com.key vpn.example.com.csr

# A warning is in the report, and on stderr too; no CN for a 70-character host.
h70=abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij.abcdefghij.info
warning="'$h70' is 70 characters, longer than the 64 a common name may have: it is requested in the SAN only"
run 0 --json --host $h70
expect_err_first "mkcsr new: warning: $warning"
MKCSR_TEST_WARNING=$warning MKCSR_TEST_HOST=$h70 python3 - "$WORK/out" <<'EOF' || fail "the warning is not in the JSON report"
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["warnings"] == [os.environ["MKCSR_TEST_WARNING"]], d["warnings"]
assert d["subject"] == "", d["subject"]
assert d["host"] == os.environ["MKCSR_TEST_HOST"], d["host"]
assert d["names"] == [{"type": "dns", "value": os.environ["MKCSR_TEST_HOST"]}], d["names"]
EOF
rm -f $h70.key $h70.csr

# --san only: "host" is null.
run 0 --json --san vpn.example.com
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["host"] is None and d["subject"] == "", d' < "$WORK/out" ||
	fail "host is not null without --host"
rm -f vpn.example.com.key vpn.example.com.csr

# On an error: the message on stderr, and the error object alone on stdout.
need_python json
run 2 --json --host vpn_bad.example.com
expect_json_error BAD_NAME 2 "" "invalid name: 'vpn_bad.example.com': '_' is not allowed in a host name" \
	"host names are letters, digits and hyphens in dot-separated labels of 1-63 characters; a wildcard is only '*.' before at least two labels"
expect_err_first "mkcsr new: invalid name: 'vpn_bad.example.com': '_' is not allowed in a host name"
run 0 --host vpn.example.com
run 4 --json --host vpn.example.com
expect_json_error EXISTS 4 ./vpn.example.com.key "refusing to overwrite an existing file: './vpn.example.com.key' exists" \
	"choose another output file name, or pass --force to replace it"
expect_err_first "mkcsr new: refusing to overwrite an existing file: './vpn.example.com.key' exists"

exit 0
