#!/bin/sh
# --inf with Richard Hicks' New-Csr INF (UTF-16LE with a BOM, CRLF, no
# [Version], no HashAlgorithm): the request is shaped exactly like
# "mkcsr new --host vpn.example.net" (subject and its encoding, SAN, EKU,
# Application Policies, SKI, key type, signature, extension order), and the
# key-store settings (FriendlyName, MachineKeySet, Exportable) are notes in
# the report and in --json, never warnings.

. "$TESTS_SRCDIR/cli/lib.sh"

mkdir in plain
cp "$INF_DATA/hicks-newcsr.inf" in/ || fail "cannot copy the fixture"

# The report, in full.
run 0 new --inf in/hicks-newcsr.inf
expect_no_err
expect_files in plain vpn.example.net.key vpn.example.net.csr
spki=$(csr_spki_sha256 vpn.example.net.csr)
[ "$(key_spki_sha256 vpn.example.net.key)" = "$spki" ] || fail "the key does not fit the request"
cat > want.out <<OUT
Created a certificate request
  Subject:              CN=vpn.example.net
  Alternative names:    DNS:vpn.example.net
  Enhanced key usage:   Server Authentication (1.3.6.1.5.5.7.3.1)
  Key:                  ECDSA P-256, signed with ecdsa-with-SHA256
  Public key SHA-256:   $spki
  Private key file:     ./vpn.example.net.key (PKCS#8 PEM, mode 0600, not encrypted)
  Request file:         ./vpn.example.net.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it))

Notes:
  - in/hicks-newcsr.inf:3: FriendlyName = vpn.example.net is a property of the key inside a Windows key store; it does not apply to a request made here
  - in/hicks-newcsr.inf:6: MachineKeySet = True is a property of the key inside a Windows key store; it does not apply to a request made here
  - in/hicks-newcsr.inf:7: Exportable = True is a property of the key inside a Windows key store; it does not apply to a request made here

Next steps:
  1. Submit vpn.example.net.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form.
  2. Keep vpn.example.net.key private (it is not encrypted): the certificate is useless without it.
OUT
expect_out_text want.out
expect_mode vpn.example.net.key 600
expect_base64_file vpn.example.net.csr "NEW CERTIFICATE REQUEST" crlf
openssl req -in vpn.example.net.csr -noout -verify 2> /dev/null || fail "the request's signature does not verify"
# No role: an --inf file is not a template, so the key file is plain PEM.
[ "$(head -n 1 vpn.example.net.key)" = "-----BEGIN PRIVATE KEY-----" ] || fail "the key file starts with: $(head -n 1 vpn.example.net.key)"

# The same request as --host vpn.example.net.
(cd plain && "$MKCSR" new --host vpn.example.net -q) || fail "mkcsr new --host vpn.example.net failed"
csr_shape vpn.example.net.csr > inf.shape
csr_shape plain/vpn.example.net.csr > host.shape
cmp -s inf.shape host.shape || { diff inf.shape host.shape >&2; fail "the INF's request differs from --host's (diff above)"; }
[ "$(subject_encoding vpn.example.net.csr)" = "$(subject_encoding plain/vpn.example.net.csr)" ] ||
	fail "the subjects are encoded differently"
[ "$(subject_encoding vpn.example.net.csr)" = "/commonName=UTF8STRING:vpn.example.net" ] ||
	fail "the subject is encoded as $(subject_encoding vpn.example.net.csr)"
# Spelled out, so that an equal mistake on both sides shows.
[ "$(csr_extensions vpn.example.net.csr)" = "X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier" ] || fail "the extensions are: $(csr_extensions vpn.example.net.csr)"
[ "$(csr_subject vpn.example.net.csr)" = "CN=vpn.example.net" ] || fail "the subject is $(csr_subject vpn.example.net.csr)"
[ "$(csr_san vpn.example.net.csr)" = "DNS:vpn.example.net" ] || fail "the SAN is $(csr_san vpn.example.net.csr)"
[ "$(csr_eku vpn.example.net.csr)" = "TLS Web Server Authentication" ] || fail "the EKU is $(csr_eku vpn.example.net.csr)"
[ "$(csr_key vpn.example.net.csr)" = "id-ecPublicKey 256" ] || fail "the key is $(csr_key vpn.example.net.csr)"
[ "$(csr_sigalg vpn.example.net.csr)" = "ecdsa-with-SHA256" ] || fail "the signature is $(csr_sigalg vpn.example.net.csr)"
# A fresh key every time: not the one --host made.
[ "$(csr_spki_sha256 plain/vpn.example.net.csr)" != "$spki" ] || fail "two runs made the same key"

# The structure-level skeleton (tags, string types, criticality) is the same too, where python3 runs.
if command -v python3 > /dev/null 2>&1; then
	python3 "$TESTS_SRCDIR/interop/csr_skeleton.py" vpn.example.net.csr > inf.skel || fail "csr_skeleton.py failed"
	python3 "$TESTS_SRCDIR/interop/csr_skeleton.py" plain/vpn.example.net.csr > host.skel || fail "csr_skeleton.py failed"
	cmp -s inf.skel host.skel || { diff inf.skel host.skel >&2; fail "the skeletons differ (diff above)"; }
	rm -f inf.skel host.skel
fi
rm -rf plain vpn.example.net.key vpn.example.net.csr inf.shape host.shape want.out

# -q: no report, and the notes are not warnings (stderr stays empty).
run 0 new --inf in/hicks-newcsr.inf -q
expect_no_out
expect_no_err
expect_files in vpn.example.net.key vpn.example.net.csr
rm -f vpn.example.net.key vpn.example.net.csr

# --json: the same notes, in order, and nothing else unexpected.
need_python
run 0 new --inf in/hicks-newcsr.inf --json
expect_no_err
MKCSR_TEST_SPKI=$(csr_spki_sha256 vpn.example.net.csr)
MKCSR_TEST_SKI=$(openssl req -in vpn.example.net.csr -noout -text |
	awk '/Subject Key Identifier/ { getline; gsub(/[ :]/, ""); print tolower($0) }')
export MKCSR_TEST_SPKI MKCSR_TEST_SKI
[ ${#MKCSR_TEST_SKI} -eq 40 ] || fail "test bug: no SKI read from the request"
json_equals '{
  "host": None,
  "subject": "CN=vpn.example.net",
  "names": [{"type": "dns", "value": "vpn.example.net"}],
  "key_usage": [],
  "extended_key_usage": [{"oid": "1.3.6.1.5.5.7.3.1", "name": "Server Authentication"}],
  "application_policies": True,
  "subject_key_identifier": env["MKCSR_TEST_SKI"],
  "ms_attributes": False,
  "key": {"type": "ec:P-256", "description": "ECDSA P-256", "signature": "ecdsa-with-SHA256",
          "spki_sha256": env["MKCSR_TEST_SPKI"]},
  "files": {
    "key": {"path": "./vpn.example.net.key", "format": "pkcs8-pem", "mode": "0600", "encrypted": False},
    "csr": {"path": "./vpn.example.net.csr", "format": "base64", "header": "NEW CERTIFICATE REQUEST", "eol": "crlf"}
  },
  "warnings": [],
  "notes": [
    "in/hicks-newcsr.inf:3: FriendlyName = vpn.example.net is a property of the key inside a Windows key store; it does not apply to a request made here",
    "in/hicks-newcsr.inf:6: MachineKeySet = True is a property of the key inside a Windows key store; it does not apply to a request made here",
    "in/hicks-newcsr.inf:7: Exportable = True is a property of the key inside a Windows key store; it does not apply to a request made here"
  ],
  "role": None,
  "inf_file": None,
  "next_steps": [
    "Submit vpn.example.net.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA'"'"'s web form.",
    "Keep vpn.example.net.key private (it is not encrypted): the certificate is useless without it."
  ]
}'
expect_files in vpn.example.net.key vpn.example.net.csr
