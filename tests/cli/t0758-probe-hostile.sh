#!/bin/sh
# What a server sends cannot mislead the reader: a certificate whose
# subject holds a right-to-left override and a terminal escape, and whose
# SAN holds an OSC escape and a bell, is shown with those characters
# escaped as every text from a file or server is (\u202E, \u001B, \u0007)
# in the text report, the --summary line and the --json document, which
# stays valid UTF-8 JSON.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
probe_init
need_python cryptography json

"$PYTHON" - << 'PYEOF' || fail "cannot make the hostile certificate"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vpn.example.com\u202egnp.exe\x1b[2J")])
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("vpn\x1b]0;owned\x07.example.com")]), False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
        .sign(key, hashes.SHA256()))
open("hostile.pem", "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open("hostile.key", "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
PYEOF
probe_sstp hostile hostile.pem hostile.key
P=$PORT_hostile

# no_raw FILE: FILE holds no ESC, BEL or U+202E byte sequence.
no_raw() {
	! grep -q "$(printf '\033')" "$1" || fail "$1 holds a raw ESC"
	! grep -q "$(printf '\007')" "$1" || fail "$1 holds a raw BEL"
	! grep -q "$(printf '\342\200\256')" "$1" || fail "$1 holds a raw right-to-left override"
}

run 6 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file hostile.pem --revocation names
no_raw out
expect_out_line '  Certificate: CN=vpn.example.com\u202Egnp.exe\u001B[2J'
expect_probe_check FAIL name 'vpn.example.com is not among the certificate'"'"'s names (DNS:vpn\u001B]0;owned\u0007.example.com)'

run 6 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file hostile.pem --revocation names --summary
no_raw out
expect_out_line "vpn.example.com:$P via 127.0.0.1:$P  FAILED  name: vpn.example.com is not among the certificate's names (DNS:vpn\\u001B]0;owned\\u0007.example.com) [CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)]"

run 6 probe "vpn.example.com:$P" --connect 127.0.0.1 --ca-file hostile.pem --revocation names --json
no_raw out
"$PYTHON" -c 'import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))["targets"][0]
assert t["certificate"]["subject"] == "CN=vpn.example.com\\u202Egnp.exe\\u001B[2J", t["certificate"]["subject"]
name = [c for c in t["checks"] if c["id"] == "name"][0]
assert "\\u001B]0;owned\\u0007" in name["detail"] and "\x1b" not in name["detail"], name' out ||
	fail "the JSON report shows the hostile text unescaped"
exit 0
