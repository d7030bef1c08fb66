#!/bin/sh
# Messages that say what is really wrong.
# - new --like of a certificate whose subject holds a BIT STRING attribute
#   (x500UniqueIdentifier; our own and pyca's scottishpower-bitstring-dn.pem
#   and unique_identifier.pem): the request is made without it, and a note
#   names the attribute; never "out of memory".
# - new --like of a certificate with no CN and no alternative name: the
#   error says it names no host and that --host supplies one; with --host
#   the request is made.
# - A DER CRL, OCSP request and response, a public key (DER and PEM), an
#   enveloped PKCS#7 (DER, PEM, and the CMS form) and other PKCS#7 content
#   types given to inspect, check --cert and new --like: each is named as
#   what it is, exit 3, nothing on stdout, no file written.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
need_python cryptography json cryptography_vectors
VECTORS=$("$PYTHON" -c 'import cryptography_vectors, os; print(os.path.dirname(cryptography_vectors.__file__))')/x509
copy_certs

# ---- a BIT STRING in the subject ---------------------------------------------
"$PYTHON" - <<'PY' || fail "python cannot make bitstring.pem"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.x509.name import _ASN1Type
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vpn.example.com"),
                  x509.NameAttribute(NameOID.X500_UNIQUE_IDENTIFIER, b"\x00\x70\xb3", _type=_ASN1Type.BitString)])
start = datetime.datetime(2026, 1, 1)
c = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(k.public_key())
     .serial_number(1).not_valid_before(start).not_valid_after(start + datetime.timedelta(days=730))
     .add_extension(x509.SubjectAlternativeName([x509.DNSName("vpn.example.com")]), False)
     .sign(k, hashes.SHA256()))
open("bitstring.pem", "wb").write(c.public_bytes(serialization.Encoding.PEM))
PY
BITS_NOTE="not copied from the subject: x500UniqueIdentifier (2.5.4.45) is a BIT STRING, not text, which mkcsr cannot copy"
mkdir own pyca1 pyca2
run 0 new --like bitstring.pem --out-dir own
expect_no_err
expect_out_line "  Subject:              CN=vpn.example.com"
expect_out_line "  - bitstring.pem: $BITS_NOTE"
expect_out_line "  - bitstring.pem: copied the subject (CN=vpn.example.com), 1 name, 0 usages and the key type; the CA sets key usage, validity, CRL and OCSP addresses and policies again"
[ "$(openssl req -in own/vpn.example.com.csr -noout -subject -nameopt RFC2253)" = "subject=CN=vpn.example.com" ] ||
	fail "the request's subject is not CN=vpn.example.com alone"
for f in scottishpower-bitstring-dn.pem unique_identifier.pem; do
	cp "$VECTORS/$f" .
done
run 0 new --like scottishpower-bitstring-dn.pem --out-dir pyca1 --json
"$PYTHON" - "$WORK/out" "$BITS_NOTE" <<'PY' || fail "new --json of scottishpower-bitstring-dn.pem is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["notes"][0] == "scottishpower-bitstring-dn.pem: " + sys.argv[2], d["notes"]
assert d["subject"] == "OU=02, CN=ScottishPower", d["subject"]
PY
run 0 new --like unique_identifier.pem --out-dir pyca2
expect_out_line "  - unique_identifier.pem: $BITS_NOTE"
expect_err_lacks "out of memory"

# ---- a certificate that names no host ------------------------------------------
openssl req -x509 -new -key leaf.key -subj "/O=Example Org/OU=VPN" -days 30 -addext basicConstraints=CA:FALSE \
	-addext extendedKeyUsage=serverAuth -out nohost.pem 2> openssl.err || { cat openssl.err >&2; fail "openssl cannot make nohost.pem"; }
mkdir nohost
run 2 new --like nohost.pem --out-dir nohost
expect_no_out
expect_err_exactly "mkcsr new: invalid usage: 'nohost.pem' names no host (no CN in its subject, and no alternative name mkcsr can request): --host NAME supplies one" \
	"mkcsr new: hint: see --help"
[ -z "$(ls nohost)" ] || fail "new --like nohost.pem wrote files"
run 0 new --like nohost.pem --host vpn.example.com --out-dir nohost
expect_out_line "  Subject:              CN=vpn.example.com, OU=VPN, O=Example Org"
expect_out_line "  Alternative names:    DNS:vpn.example.com"

# ---- files that are not what a command reads, each named --------------------------------
cat > ca.cnf <<'CNF'
[ca]
default_ca = d
[d]
database = index.txt
crlnumber = crlnumber
default_md = sha256
default_crl_days = 30
CNF
: > index.txt
echo 01 > crlnumber
printf 'hello\n' > msg.txt
{
	openssl ca -config ca.cnf -gencrl -keyfile inter-ca.key -cert inter-ca.pem -out crl.pem &&
	openssl crl -in crl.pem -outform DER -out crl.der &&
	openssl pkey -in leaf.key -pubout -outform DER -out pub.der &&
	openssl pkey -in leaf.key -pubout -out pub.pem &&
	openssl ocsp -issuer inter-ca.pem -cert leaf-good.pem -no_nonce -reqout ocsp-req.der &&
	openssl ocsp -index index.txt -rsigner inter-ca.pem -rkey inter-ca.key -CA inter-ca.pem -reqin ocsp-req.der \
		-respout ocsp-resp.der &&
	openssl smime -encrypt -in msg.txt -outform DER -out enveloped.p7m leaf-rsa1024.pem &&
	openssl smime -encrypt -in msg.txt -outform PEM -out enveloped-p7.pem leaf-rsa1024.pem &&
	openssl cms -encrypt -in msg.txt -outform PEM -out enveloped-cms.pem leaf-good.pem &&
	openssl cms -data_create -in msg.txt -outform DER -out data.p7 &&
	openssl cms -sign -in msg.txt -signer leaf-good.pem -inkey leaf.key -nocerts -outform DER -out signed.p7
} > openssl.out 2> openssl.err || { cat openssl.err >&2; fail "openssl cannot make the fixtures"; }

# named FILE WHAT: inspect, check --cert and new --like each name FILE as WHAT.
named() {
	run 3 inspect "$1"
	expect_no_out
	expect_err_exactly "mkcsr inspect: malformed input: '$1' is $2, which mkcsr inspect does not read"
	run 3 check --cert "$1"
	expect_no_out
	expect_err_first "mkcsr check: malformed input: '$1' holds no certificate: it is $2"
	run 3 new --like "$1" --out-dir nohost
	expect_no_out
	expect_err_first "mkcsr new: malformed input: '$1' holds no certificate: it is $2"
}
named crl.der "a certificate revocation list"
named pub.der "a public key"
named ocsp-req.der "an OCSP request"
named ocsp-resp.der "an OCSP response"
named enveloped.p7m "an enveloped PKCS#7 message (encrypted to a certificate's key)"
named enveloped-cms.pem "an enveloped PKCS#7 message (encrypted to a certificate's key)"
named data.p7 "a PKCS#7 data message"
# PEM files inspect reads by their label, as before; check and new say what they are.
run 3 check --cert enveloped-p7.pem
expect_err_first "mkcsr check: malformed input: 'enveloped-p7.pem' holds no certificate: it is an enveloped PKCS#7 message (encrypted to a certificate's key)"
run 3 inspect enveloped-p7.pem
expect_err_first "mkcsr inspect: malformed input: 'enveloped-p7.pem' holds no certificate: it is an enveloped PKCS#7 message (encrypted to a certificate's key)"
run 3 inspect crl.pem
expect_err_first "mkcsr inspect: malformed input: 'crl.pem' holds a PEM block 'X509 CRL', which mkcsr inspect does not read"
run 3 check --cert crl.pem
expect_err_first "mkcsr check: malformed input: 'crl.pem' holds no certificate: it is a certificate revocation list"
run 3 inspect pub.pem
expect_err_first "mkcsr inspect: malformed input: 'pub.pem' holds a PEM block 'PUBLIC KEY', which mkcsr inspect does not read"
run 3 new --like pub.pem --out-dir nohost
expect_err_first "mkcsr new: malformed input: 'pub.pem' holds no certificate: it is a public key"
# A signed PKCS#7 without certificates is a bundle of none: said so by every command.
run 3 inspect signed.p7
expect_err_first "mkcsr inspect: malformed input: 'signed.p7' holds no certificate: it is a signed PKCS#7 message without certificates"
run 3 check --cert signed.p7
expect_err_first "mkcsr check: malformed input: 'signed.p7' holds no certificate: it is a signed PKCS#7 message without certificates"
[ "$(ls nohost)" = "vpn.example.com.csr
vpn.example.com.key" ] || fail "a file was written for a file that is no certificate"
