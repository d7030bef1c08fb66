#!/bin/sh
# Names that try to pass for others, or to rewrite the terminal: what
# inspect, check, pfx and new --like show is what the bytes say, in text and
# JSON alike.  Controls, bidi overrides, zero-width characters and U+00AD
# as \uXXXX; bytes that are not valid in their ASN.1 string type as \xNN,
# never re-decoded.  The certificates are made here, with python3-cryptography.
. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography

"$PYTHON" - <<'PYEOF' || fail "cannot make the hostile certificate"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.x509.name import _ASN1Type
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

key = ec.generate_private_key(ec.SECP256R1())
open("key.pem", "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
now = datetime.datetime.now(datetime.timezone.utc)
UPN = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2.3")
TEMPLATE_NAME = x509.ObjectIdentifier("1.3.6.1.4.1.311.20.2")


def der(tag, raw):
    return bytes([tag, len(raw)]) + raw


name = x509.Name([
    x509.NameAttribute(NameOID.LOCALITY_NAME, "Budapest", _type=_ASN1Type.BMPString),
    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Ex\u00adample"),
    x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "IT\x1b[2J"),
    x509.NameAttribute(NameOID.COMMON_NAME, "vpn.example.com\u202egpj.exe"),
])
sans = [
    x509.DNSName("vpn.example.com"),
    x509.DNSName("vpnQQQ.example.com"),                                   # a zero-width space, patched in below
    x509.OtherName(UPN, der(0x0C, "us\u200ber@example.com".encode())),   # the same in a UTF8String
    x509.OtherName(UPN, der(0x0C, b"bad\xc3(\xff@example.com")),          # not UTF-8
    x509.OtherName(UPN, der(0x0C, b"caf\xe9@example.com")),               # Latin-1, not UTF-8
    x509.OtherName(UPN, der(0x0C, b"over\xc0\xaf@example.com")),          # an overlong '/'
    x509.OtherName(UPN, der(0x0C, b"sur\xed\xa0\x80@example.com")),       # a UTF-16 surrogate
]
template = der(0x1E, "Web\u202eServer".encode("utf-16-be") + b"\xd8\x00")  # a BMPString, a lone surrogate last
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(1000).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.UnrecognizedExtension(TEMPLATE_NAME, template), critical=False)
        .sign(key, hashes.SHA256()))
data = cert.public_bytes(serialization.Encoding.DER)
assert data.count(b"vpnQQQ") == 1
# Patched after signing (the DNS name's IA5String gets UTF-8 bytes): no
# command here verifies the signature of what it shows.
open("hostile.der", "wb").write(data.replace(b"vpnQQQ", b"vpn\xe2\x80\x8b"))
PYEOF

# json_get EXPR: prints the value at EXPR (Python, the document is d) of the last stdout.
json_get() {
	"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' \
		"$WORK/out" "$1" || fail "stdout is not JSON with $1"
}

# expect_json EXPR VALUE: the string at EXPR is exactly VALUE.
expect_json() {
	got=$(json_get "$1")
	[ "$got" = "$2" ] || { cat "$WORK/out" >&2; fail "$1 is '$got', expected '$2'"; }
}

esc=$(printf '\033')
rlo=$(printf '\342\200\256')
subject='CN=vpn.example.com\u202Egpj.exe, OU=IT\u001B[2J, O=Ex\u00ADample, L=Budapest'

# inspect: every name, text and JSON.
run 0 inspect hostile.der
expect_out_line "  Subject:                      $subject"
expect_out_line "  Issuer:                       $subject"
expect_out_line '  Alternative names:            DNS:vpn.example.com'
expect_out_line '                                DNS:vpn\xE2\x80\x8B.example.com'
expect_out_line '                                UPN:us\u200Ber@example.com'
expect_out_line '                                UPN:bad\xC3(\xFF@example.com'
expect_out_line '                                UPN:caf\xE9@example.com'
expect_out_line '                                UPN:over\xC0\xAF@example.com'
expect_out_line '                                UPN:sur\xED\xA0\x80@example.com'
expect_out_line '  Certificate template:         Web\u202EServer\xD8\x00'
expect_out_lacks "$esc"
expect_out_lacks "$rlo"
run 0 inspect --json hostile.der
expect_json 'd[0]["certificates"][0]["subject"]' "$subject"
expect_json 'd[0]["certificates"][0]["issuer"]' "$subject"
expect_json '[n["value"] for n in d[0]["certificates"][0]["subject_alt_names"]["names"]]' \
	"['vpn.example.com', 'vpn\\\\xE2\\\\x80\\\\x8B.example.com', 'us\\\\u200Ber@example.com', 'bad\\\\xC3(\\\\xFF@example.com', 'caf\\\\xE9@example.com', 'over\\\\xC0\\\\xAF@example.com', 'sur\\\\xED\\\\xA0\\\\x80@example.com']"
expect_json 'd[0]["certificates"][0]["certificate_template_name"]' 'Web\u202EServer\xD8\x00'

# check: the header, the details, and JSON.
run 6 check --cert hostile.der --key key.pem
expect_out_line "Certificate: $subject (hostile.der)"
expect_out_line "  Issuer:     $subject"
expect_out_line "  PASS  key         'key.pem' is the private key of $subject in 'hostile.der'"
expect_out_lacks "$esc"
expect_out_lacks "$rlo"
run 6 check --cert hostile.der --key key.pem --json
expect_json 'd["certificate"]["subject"]' "$subject"
expect_json '[c["detail"] for c in d["checks"] if c["id"] == "key"][0]' \
	"'key.pem' is the private key of $subject in 'hostile.der'"

# pfx: a friendlyName with a bidi override (a BMPString in the PFX), then
# inspect of that PFX, and a re-pack that keeps the name as it is.
export PFX_PW=hostile-test-password
run 0 pfx --cert hostile.der --key key.pem --friendly-name "a${rlo}b" --pass env:PFX_PW -o h.pfx
expect_out_line "  Certificate:    $subject"
expect_out_line '  Friendly name:  a\u202Eb'
expect_out_lacks "$rlo"
expect_err_lacks "$rlo"
expect_err_lacks "$esc"
run 0 pfx --cert hostile.der --key key.pem --friendly-name "a${rlo}b" --pass env:PFX_PW -o h2.pfx --json
expect_json 'd["subject"]' "$subject"
expect_json 'd["friendly_name"]' 'a\u202Eb'
run 0 inspect --pass env:PFX_PW h.pfx
expect_out_line '  Friendly name:                a\u202Eb'
expect_out_line "  Subject:                      $subject"
expect_out_lacks "$rlo"
run 0 inspect --pass env:PFX_PW --json h.pfx
expect_json '[b["friendly_name"] for b in d[0]["bags"] if b["friendly_name"]]' "['a\\\\u202Eb']"
run 0 pfx --cert h.pfx --in-pass env:PFX_PW --pass env:PFX_PW -o h3.pfx
expect_out_line '  Friendly name:  a\u202Eb'
"$PYTHON" - <<'PYEOF' || fail "the re-packed PFX does not keep the friendlyName as it was"
from cryptography.hazmat.primitives.serialization import pkcs12
p = pkcs12.load_pkcs12(open("h3.pfx", "rb").read(), b"hostile-test-password")
assert p.cert.friendly_name == "a\u202eb".encode(), p.cert.friendly_name
PYEOF

# new --like: the subject and names copied, and the notes that quote them.
mkdir o1
run 0 new --like hostile.der -o o1
# Copied as the certificate has them, with a warning: a new certificate would carry them too.
expect_err_line 'mkcsr new: warning: hostile.der: the subject or names copied hold characters that do not show or that turn text around (shown as \uXXXX): the new certificate would carry them; check them, or give --subject and --san'
expect_out_line '  Subject:              CN=vpn.example.com\u202Egpj.exe, O=Ex\u00ADample, L=Budapest'
expect_out_line '  Alternative names:    DNS:vpn.example.com, UPN:us\u200Ber@example.com'
expect_out_line "  - hostile.der: not copied from the subject: 2.5.4.11='IT\\u001B[2J' is not valid UTF-8 text without control characters"
expect_out_line "  - hostile.der: name upn:caf\\xE9@example.com was not copied: 'upn:caf\\xE9@example.com': the part before '@' is not UTF-8 text"
expect_out_lacks "$esc"
expect_out_lacks "$rlo"
mkdir o2
run 0 new --like hostile.der -o o2 --json
expect_json '[w for w in d["warnings"] if "do not show" in w]' \
	"['hostile.der: the subject or names copied hold characters that do not show or that turn text around (shown as \\\\uXXXX): the new certificate would carry them; check them, or give --subject and --san']"
expect_json 'd["subject"]' 'CN=vpn.example.com\u202Egpj.exe, O=Ex\u00ADample, L=Budapest'
expect_json '[n["value"] for n in d["names"]]' "['vpn.example.com', 'us\\\\u200Ber@example.com']"
expect_json '[n for n in d["notes"] if "2.5.4.11" in n][0]' \
	"hostile.der: not copied from the subject: 2.5.4.11='IT\\u001B[2J' is not valid UTF-8 text without control characters"

# A certreq INF: inspect shows its values escaped; a control character in
# its subject is refused with the value escaped in the message.
printf '[NewRequest]\r\nSubject = "CN=vpn.example.com\342\200\256gpj.exe, O=Ex\302\255ample"\r\n[Extensions]\r\n2.5.29.17 = "{text}"\r\n_continue_ = "dns=vpn.example.com&"\r\n_continue_ = "upn=us\342\200\213er@example.com"\r\n' > h.inf
run 0 inspect h.inf
expect_out_line '  Subject:                      CN=vpn.example.com\u202Egpj.exe, O=Ex\u00ADample'
expect_out_line '                                UPN:us\u200Ber@example.com'
run 0 inspect --json h.inf
expect_json 'd[0]["request"]["subject"]' 'CN=vpn.example.com\u202Egpj.exe, O=Ex\u00ADample'
printf '[NewRequest]\nSubject = "CN=a\001b"\n' > ctl.inf
run 3 inspect ctl.inf
expect_err_first "mkcsr inspect: invalid certreq INF file: ctl.inf:2: invalid subject: CN='a\\u0001b' is not valid UTF-8 text without control characters"
run 3 new --inf ctl.inf -o o1
expect_err_first "mkcsr new: invalid certreq INF file: ctl.inf:2: invalid subject: CN='a\\u0001b' is not valid UTF-8 text without control characters"
run 3 inspect --json ctl.inf
expect_json 'd["error"]["message"]' "invalid certreq INF file: ctl.inf:2: invalid subject: CN='a\\u0001b' is not valid UTF-8 text without control characters"

# A file name is shown the same way: a terminal escape in it goes out escaped.
cp hostile.der "x${esc}[2J.der"
run 0 inspect "x${esc}[2J.der"
expect_out_line 'File:                           x\u001B[2J.der'
expect_out_lacks "$esc"

# The vector pyca ships: UTF-8 bytes in an IA5String dNSName are shown as
# bytes, not re-decoded as Latin-1 (which showed biztosÃ­tÃ¡s.hu).
vector=/usr/lib/python3/dist-packages/cryptography_vectors/x509/utf8-dnsname.pem
if [ -r "$vector" ]; then
	run 0 inspect "$vector"
	expect_out_line '                                DNS:biztos\xC3\xADt\xC3\xA1s.hu'
	expect_out_line "  Subject:                      CN=partner.biztositas.hu, O=Biztos$(printf '\303\255t\303\241')s.hu Kft., L=Budapest, C=HU"
fi

# The label of a PEM block inspect does not show is the file's text too.
{ openssl x509 -inform DER -in hostile.der; printf -- '-----BEGIN X\342\200\256Y-----\nAAAA\n-----END X\342\200\256Y-----\n'; } > labels.pem ||
	fail "cannot make labels.pem"
run 0 inspect labels.pem
expect_out_line 'Other PEM blocks (not shown):   X\u202EY'
expect_out_lacks "$rlo"

# batch: the manifest's cells quoted in its messages are shown the same way.
mkdir fleet
printf 'host,subject\nvpn1.example.com,"O=a\342\200\256b"\nvpn2\342\200\256.example.com,\nvpn3.example.com,"O=x\033[2Jy"\n' > fleet/m.csv
run 2 batch fleet/m.csv
expect_err_exactly \
	"fleet/m.csv:3: invalid name: 'vpn2\\u202E.example.com': not a valid internationalized name: string contains a disallowed character" \
	"fleet/m.csv:4: invalid subject: O='x\\u001B[2Jy' is not valid UTF-8 text without control characters" \
	"mkcsr batch: 2 rows of fleet/m.csv are wrong; nothing was written"
[ "$(ls fleet)" = m.csv ] || fail "batch wrote files for a manifest with wrong rows"
