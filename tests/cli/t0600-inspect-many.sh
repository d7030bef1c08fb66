#!/bin/sh
# mkcsr inspect on many files and on a bundle of hundreds of certificates.
# Several files: the text is each file's text one after the other, and the
# JSON is one array of each file's document, byte for byte (a bundle's
# certificates are written as they are described, not held as one
# document; the report waits in an unnamed file in $TMPDIR, or in memory
# when there is none, and is the same either way); a file that cannot be read leaves the error object alone on
# standard output.  A bundle of 300 certificates, made by Python's
# cryptography with every combination of basicConstraints and key usage
# that decides whether a certificate is a CA, and EC and RSA keys: each
# certificate's kind, thumbprint, SHA-256 fingerprint, key and position in
# the file are what Python computes from the same bytes.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography
copy_certs
AT=2027-01-01T00:00:00Z

# ---- several files ----------------------------------------------------------

run 0 inspect --at "$AT" chain-shuffled.pem
cp "$WORK/out" one.txt
run 0 inspect --at "$AT" leaf-good.pem
cp "$WORK/out" two.txt
run 0 inspect --at "$AT" chain-shuffled.pem leaf-good.pem
{ cat one.txt; echo; cat two.txt; } > want.txt
cmp -s want.txt "$WORK/out" || fail "inspect of two files is not each file's text in turn"

for f in chain-shuffled.pem leaf-good.pem chain.p7b leaf.key; do
	run 0 inspect --at "$AT" --json "$f"
	# "[", the document indented by two, "]": the document's lines alone.
	sed '1d;$d' "$WORK/out" > "$f.doc"
done
run 0 inspect --at "$AT" --json chain-shuffled.pem leaf-good.pem chain.p7b leaf.key
{
	echo '['
	cat chain-shuffled.pem.doc; echo ','
	cat leaf-good.pem.doc; echo ','
	cat chain.p7b.doc; echo ','
	cat leaf.key.doc
	echo ']'
} | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n,\n/,\n/g' > want.json
cmp -s want.json "$WORK/out" || { diff want.json "$WORK/out" | head -20 >&2; fail "inspect --json of four files is not one array of their documents"; }

# The report is spooled to an unnamed file in $TMPDIR, which is left empty;
# where no file can be made, in memory: the same bytes either way.
cp "$WORK/out" four.json
mkdir spool
TMPDIR=$PWD/spool "$MKCSR" inspect --at "$AT" --json chain-shuffled.pem leaf-good.pem chain.p7b leaf.key > spooled.json ||
	fail "inspect --json with TMPDIR=spool failed"
cmp -s four.json spooled.json || fail "inspect --json with TMPDIR=spool printed other bytes"
[ -z "$(ls -A spool)" ] || fail "inspect --json left a file in TMPDIR: $(ls -A spool)"
TMPDIR=$PWD/none "$MKCSR" inspect --at "$AT" --json chain-shuffled.pem leaf-good.pem chain.p7b leaf.key > memory.json ||
	fail "inspect --json with no usable TMPDIR failed"
cmp -s four.json memory.json || fail "inspect --json with no usable TMPDIR printed other bytes"

# The bundle is described first, then a file that is not there: the error alone.
run 3 inspect --at "$AT" --json chain-shuffled.pem missing.pem
"$PYTHON" - "$WORK/out" <<'EOF' || fail "inspect --json with a missing file printed more than the error object"
import json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["error"], doc
assert doc["error"]["code"] == "READ" and doc["error"]["file"] == "missing.pem", doc
EOF

# ---- a bundle of 300 certificates -------------------------------------------

"$PYTHON" - <<'EOF' || fail "python could not make the bundle"
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

now = datetime.datetime(2026, 6, 1, tzinfo=datetime.timezone.utc)
def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
def usage(cert_sign):
    return x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=cert_sign,
                         crl_sign=cert_sign, encipher_only=False, decipher_only=False)

ca_key = ec.generate_private_key(ec.SECP256R1())
root = (x509.CertificateBuilder().subject_name(name("Many Root CA")).issuer_name(name("Many Root CA"))
        .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256()))
rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec_keys = [ec.generate_private_key(c) for c in (ec.SECP256R1(), ec.SECP384R1())]
# (basicConstraints, key usage with keyCertSign?) -> what OpenSSL's X509_check_ca says
shapes = [(None, None, False), (False, None, False), (True, None, True), (None, False, False),
          (None, True, True), (False, False, False), (True, False, False), (True, True, True),
          (False, True, False)]
certs, expect = [], []
for i in range(299):
    bc, cert_sign, is_ca = shapes[i % len(shapes)]
    key = rsa_key if i % 3 == 2 else ec_keys[i % 2]
    b = (x509.CertificateBuilder().subject_name(name("host%d.example.com" % i)).issuer_name(root.subject)
         .public_key(key.public_key()).serial_number(1000 + i).not_valid_before(now)
         .not_valid_after(now + datetime.timedelta(days=365)))
    if bc is not None:
        b = b.add_extension(x509.BasicConstraints(ca=bc, path_length=None), critical=True)
    if cert_sign is not None:
        b = b.add_extension(usage(cert_sign), critical=True)
    certs.append(b.sign(ca_key, hashes.SHA256()))
    expect.append(is_ca)
with open("many.pem", "wb") as f:
    for c in certs:
        f.write(c.public_bytes(serialization.Encoding.PEM))
    f.write(root.public_bytes(serialization.Encoding.PEM))
with open("many.expect", "w") as f:
    f.write("".join("1" if e else "0" for e in expect))
EOF

run 0 inspect --at "$AT" --json many.pem
"$PYTHON" - "$WORK/out" <<'EOF' || fail "inspect --json of a bundle of 300 does not describe each certificate"
import hashlib, json, sys
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

doc = json.load(open(sys.argv[1]))[0]
pem = open("many.pem", "rb").read()
certs = x509.load_pem_x509_certificates(pem)
is_ca = [c == "1" for c in open("many.expect").read()]
assert doc["type"] == "bundle" and doc["certificate_count"] == 300, doc["certificate_count"]
got = doc["certificates"]
assert len(got) == 300
# The first certificate that issued none and is no CA leads; the root follows it; then the file's order.
first_leaf = is_ca.index(False)
order = [first_leaf, 299] + [i for i in range(299) if i != first_leaf]
assert [c["file_position"] for c in got] == [i + 1 for i in order], [c["file_position"] for c in got][:5]
for c, i in zip(got, order):
    cert = certs[i]
    der = cert.public_bytes(serialization.Encoding.DER)
    assert c["thumbprint"] == hashlib.sha1(der).hexdigest().upper(), i
    assert c["sha256_fingerprint"] == hashlib.sha256(der).hexdigest().upper(), i
    spki = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert c["spki_sha256"] == hashlib.sha256(spki).hexdigest(), i
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        assert (c["key_algorithm"], c["key_size"], c["key_curve"]) == ("RSA", 2048, None), (i, c["key_algorithm"])
    else:
        want = {"secp256r1": ("P-256", 256), "secp384r1": ("P-384", 384)}[key.curve.name]
        assert (c["key_algorithm"], c["key_curve"], c["key_size"]) == ("ECDSA",) + want, (i, c["key_curve"])
    if i == 299:
        assert c["kind"] == "root CA" and c["self_signed"] is True, c["kind"]
    elif i == first_leaf:
        assert c["kind"] == "leaf" and c["in_chain"] is True and c["signed_by_next"] is True, c["kind"]
    else:
        want = "unrelated intermediate CA" if is_ca[i] else "unrelated end-entity"
        assert c["kind"] == want and c["self_signed"] is False, (i, c["kind"], want)
EOF

# The text is the same description: 300 sections, the kinds in the same order.
run 0 inspect --at "$AT" --json many.pem
"$PYTHON" -c 'import json, sys; [print(c["kind"]) for c in json.load(open(sys.argv[1]))[0]["certificates"]]' \
	"$WORK/out" > kinds.json.txt || fail "python cannot read the JSON kinds"
run 0 inspect --at "$AT" many.pem
sed -n 's/^Certificate [0-9]* of 300 (\(.*\))$/\1/p' "$WORK/out" > kinds.text.txt
[ "$(wc -l < kinds.text.txt)" -eq 300 ] || fail "inspect of the bundle shows $(wc -l < kinds.text.txt) sections, not 300"
cmp -s kinds.json.txt kinds.text.txt || fail "the text and the JSON of the bundle name different kinds"
exit 0
