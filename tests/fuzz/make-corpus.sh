#!/bin/sh
# Makes the seed corpora of the fuzzing harnesses, tests/fuzz/corpus/<harness>/,
# from the project's own test data (tests/data, templates/, examples/), with a
# few variants made here with openssl: the fixture keys and a PFX encrypted
# with the harnesses' fixed password (FUZZ_PASSWORD in fuzz.h), DER forms, a
# truncated bundle; CRLs and OCSP answers are made with python3-cryptography,
# which can date them.  Small on purpose: a few dozen files each, to start
# libFuzzer from every format, not to cover everything.
#
#   sh tests/fuzz/make-corpus.sh        (from anywhere; rewrites the corpora)
#
# Encrypted files get new salts, and CRLs and OCSP answers new signatures, on
# every run, so their bytes change; the others are copies.  A crash found by
# fuzzing is fixed in the module and its input added to the harness's corpus
# as crash-<what>; this script keeps those.
set -eu

TOP=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$TOP/tests/data
OUT=$TOP/tests/fuzz/corpus
PASS=mkcsr-fuzz
FIXTURE_PASS=$(cat "$DATA/certs/leaf-enc.pass")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-corpus.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Inputs named by content: the same bytes twice are one file.
put() {
	corpus=$1
	file=$2
	mkdir -p "$OUT/$corpus"
	cp "$file" "$OUT/$corpus/$(sha1sum < "$file" | cut -c1-16)"
}

# text CORPUS STRING: a file holding STRING without a newline.
text() {
	printf '%s' "$2" > "$TMP/text"
	put "$1" "$TMP/text"
}

# strings SELECTOR STRING...: fuzz_strings inputs, the first byte choosing the parser.
strings() {
	sel=$1
	shift
	for s in "$@"; do
		printf "\\$(printf '%03o' "$sel")%s" "$s" > "$TMP/text"
		put strings "$TMP/text"
	done
}

# The reproducers of what fuzzing found (crash-*) stay: they are not made here.
mkdir -p "$OUT"
find "$OUT" -type f ! -name 'crash-*' -exec rm -f {} +

# ---- variants made with openssl ---------------------------------------------
openssl pkey -in "$DATA/certs/leaf.key" -outform DER -out "$TMP/leaf-p8.der"
openssl pkey -in "$DATA/certs/rsa1024.key" -traditional -out "$TMP/rsa-traditional.pem"
openssl ec -in "$DATA/certs/leaf.key" -outform DER -out "$TMP/leaf-sec1.der" 2> /dev/null
openssl pkcs8 -topk8 -in "$DATA/certs/leaf.key" -v2 aes-256-cbc -passout "pass:$PASS" -out "$TMP/leaf-enc.pem"
openssl pkcs8 -topk8 -in "$DATA/certs/leaf.key" -v2 aes-256-cbc -passout "pass:$PASS" -outform DER -out "$TMP/leaf-enc.der"
openssl pkey -in "$DATA/certs/other.key" -traditional -aes128 -passout "pass:$PASS" -out "$TMP/other-traditional-enc.pem"
openssl pkcs8 -topk8 -in "$DATA/certs/leaf-enc.key" -passin "pass:$FIXTURE_PASS" -v2 aes-128-cbc \
	-passout pass:wrong-password -out "$TMP/leaf-enc-wrong.pem"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" \
	-certfile "$DATA/certs/inter-ca.pem" -passout "pass:$PASS" -name vpn.example.com -out "$TMP/modern.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" \
	-passout "pass:$PASS" -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 -out "$TMP/compat.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -nokeys -passout "pass:" -out "$TMP/nokey-nopass.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" \
	-certfile "$DATA/certs/chain-ordered.pem" -passout "pass:$PASS" -out "$TMP/chain.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" -passout pass: \
	-out "$TMP/empty-pass.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" -passout "pass:$PASS" \
	-nomac -out "$TMP/nomac.pfx"
openssl pkcs12 -export -legacy -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" \
	-passout "pass:$PASS" -out "$TMP/legacy.pfx" 2> /dev/null || cp "$TMP/compat.pfx" "$TMP/legacy.pfx"
openssl pkcs12 -export -in "$DATA/certs/leaf-good.pem" -inkey "$DATA/certs/leaf.key" -passout pass:wrong-password \
	-out "$TMP/wrong-pass.pfx"
openssl req -in "$DATA/certs/leaf.csr" -outform DER -out "$TMP/leaf-csr.der"
sed 's/$/\r/' "$DATA/certs/leaf.csr" > "$TMP/leaf-crlf.csr"
head -c 1500 "$DATA/certs/fullchain.pem" > "$TMP/fullchain-cut.pem"
cat "$DATA/certs/leaf-good.pem" "$DATA/certs/leaf.key" > "$TMP/cert-and-key.pem"
printf 'Subject: CN=vpn.example.com\n\n' | cat - "$DATA/certs/chain-ordered.pem" > "$TMP/text-before.pem"

# ---- certificates, bundles, PKCS#7 (chain) ------------------------------------
for f in leaf-good.pem leaf-good.der inter.der chain-ordered.pem chain-shuffled.pem fullchain.pem chain.p7b \
	chain-der.p7b leaf-emptysubject.pem leaf-rsa1024.pem leaf-sha1.pem leaf-wildcard.pem other-root.pem \
	root-ca.pem malformed.pem garbage.bin key-only.pem; do
	put chain "$DATA/certs/$f"
done
put chain "$TMP/fullchain-cut.pem"
put chain "$TMP/cert-and-key.pem"
put chain "$TMP/text-before.pem"

# ---- keys (key): plain, traditional, DER, encrypted with the fixed password, a wrong one
for f in leaf.key rsa1024.key other.key leaf-enc.key; do
	put key "$DATA/certs/$f"
done
for f in leaf-p8.der rsa-traditional.pem leaf-sec1.der leaf-enc.pem leaf-enc.der other-traditional-enc.pem \
	leaf-enc-wrong.pem; do
	put key "$TMP/$f"
done
put key "$DATA/certs/leaf-good.pem"

# ---- PFX files (pfx): modern and compat with the fixed password, the empty
# password, no MAC, the legacy RC2 of openssl -legacy, a wrong password, no key
for f in modern.pfx compat.pfx chain.pfx empty-pass.pfx nomac.pfx legacy.pfx wrong-pass.pfx nokey-nopass.pfx; do
	put pfx "$TMP/$f"
done

# ---- requests (csr): Windows' own, ours, DER, CRLF ---------------------------
for f in "$DATA"/windows-csr/*.csr "$DATA/certs/leaf.csr" "$TMP/leaf-csr.der" "$TMP/leaf-crlf.csr"; do
	put csr "$f"
done
put csr "$DATA/certs/leaf-good.pem"

# ---- certreq INF files (inf): the fixtures and the role templates ------------
for f in "$DATA"/inf/*.inf "$TOP"/templates/*.inf; do
	put inf "$f"
done

# ---- anything inspect reads (inspect) ---------------------------------------
for f in leaf-good.pem leaf-good.der chain-shuffled.pem chain.p7b chain-der.p7b leaf.key leaf.csr leaf-client.pem \
	malformed.pem garbage.bin; do
	put inspect "$DATA/certs/$f"
done
for f in modern.pfx compat.pfx nokey-nopass.pfx leaf-enc.pem leaf-enc.der other-traditional-enc.pem leaf-sec1.der \
	cert-and-key.pem fullchain-cut.pem leaf-csr.der; do
	put inspect "$TMP/$f"
done
for f in sample1.csr sample5.csr; do
	put inspect "$DATA/windows-csr/$f"
done
for f in hicks-newcsr.inf bomless-utf16.inf strings.inf critical.inf; do
	put inspect "$DATA/inf/$f"
done
put inspect "$TOP/templates/sstp.inf"

# ---- strings (strings): the first byte chooses the parser, as in fuzz_strings.c
# 0: subject names
strings 0 "CN=vpn.example.com, O=Example, C=US" 'CN=a\,b+OU=IT;O="Quoted, Inc."' "OID.2.5.4.97=VATDE-123" \
	"CN=#0c03616263" "E=admin@example.com,CN=x" "CN=  spaced  ,DC=corp,DC=example"
# 1: --san values; 2: --host values
strings 1 "dns:vpn.example.com" "ip:192.0.2.1" "ip:2001:db8::1" "email:a@example.com" "upn:vpn$@corp.example" \
	"*.example.com" "xn--bcher-kva.example"
strings 2 "vpn.example.com" "VPN.Example.COM." "192.0.2.10" "::1" "bücher.example"
# 3: DNS names (bit 7: wildcards allowed)
strings 3 "vpn.example.com" "a..b" "-bad-.example.com"
strings 131 "*.example.com" "*.com"
# 4: Windows codes and --at times
strings 4 "0x800B0101" "-2146762495" "CERT_E_EXPIRED" "853" " 13801. " "2027-06-01" "2027-06-01T12:00:00Z" \
	"2027-06-01 12:00:00" "@1767225600"
# 5: the small option parsers
strings 5 "sstp" "ec:P-384" "rsa:3072" "modern" "utf16" "digitalSignature,keyEncipherment" "serverAuth" \
	"1.3.6.1.5.5.7.3.1" "SHA384"

# ---- SSTP (sstp): byte 0 then an HTTP answer; any other first byte, SSTP packets
bytes() {
	printf "$2" > "$TMP/bytes"
	put "$1" "$TMP/bytes"
}
bytes sstp '\000HTTP/1.1 200\r\nContent-Length: 18446744073709551615\r\nServer: Microsoft-HTTPAPI/2.0\r\n\r\n'
bytes sstp '\000HTTP/1.1 404 Not Found\r\nServer: Microsoft-IIS/10.0\r\nContent-Length: 0\r\n\r\n'
bytes sstp '\000HTTP/1.0 200 ok\r\nContent-type: text/html\r\n\r\n<HTML>'
# Call Connect Ack with a Crypto Binding Request, then an Echo Request
bytes sstp '\001\020\001\000\060\000\002\000\001\000\004\000\050\000\000\000\003AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\020\001\000\010\000\010\000\000'
# Call Connect Nak: Status Info for the protocol ID, value not supported
bytes sstp '\001\020\001\000\026\000\003\000\001\000\002\000\016\000\000\000\001\000\000\000\004\000\001'
# Call Abort with Status Info; a data packet
bytes sstp '\001\020\001\000\024\000\005\000\001\000\002\000\014\000\000\000\000\000\000\000\000\020\000\000\006\377\003'

# ---- batch manifests (manifest): the example fleet, as Excel saves it (BOM,
# CRLF), a host list, every column, quoting, the refusals of the CLI tests
put manifest "$TOP/examples/fleet.csv"
printf '\357\273\277' > "$TMP/fleet-excel.csv"
sed 's/$/\r/' "$TOP/examples/fleet.csv" >> "$TMP/fleet-excel.csv"
put manifest "$TMP/fleet-excel.csv"
text manifest "$(printf 'vpn.example.com\n# comment\n\n  b.example.com  \r\nc.example.com')"
text manifest "$(printf 'host,san,subject,key-type,hash,eku,key-usage,set\nvpn.example.com,"a.example.com ip:192.0.2.1",'\
'"O=Example, C=GB",ec:P-384,SHA384,serverAuth clientAuth,digitalSignature,"HOST=x FOO=bar"\n')"
text manifest "$(printf 'host,template,minimal,no-app-policies,ms-attributes\nvpn.example.com,sstp,true,FALSE,true\n'\
'ikev2.example.com,ikev2,maybe,,\nnps.example.com,nps,,,\nlaptop.example.com,device-tunnel,,,\n')"
text manifest "$(printf 'host,out-dir,key,csr,format,header,eol\na.example.com,,a.key,a.req,der,,\n'\
'b.example.com,sub,,,pem,new,crlf\nc.example.com,,a.key,,,,\nd.example.com,,d.key,d.key,,,\n')"
text manifest "$(printf 'host,san\n"vpn.example.com","b.example.com ""q"""\n"multi\nline",x\n')"
text manifest "$(printf 'host,sans,host\r\na.example.com,b,c\r\n')"
text manifest "$(printf 'host,san\na.example.com,b,c\n"b.example.com"x,\nc.example.com,"open\n')"
text manifest "$(printf 'a.example.com\nb.example.com, c.example.com\n')"
text manifest "$(printf 'host\nok.example.com\nbad_host!\n\nvpn.example.com\n')"
text manifest "$(printf 'host,like\na.example.com,missing.pem\n')"
text manifest "$(printf 'host,template,set\n,sstp,HOST=vpn.example.com\n,,\n*.example.com,,\n')"
printf '\377\376h\000' > "$TMP/utf16.csv"
put manifest "$TMP/utf16.csv"

# ---- CRLs and OCSP answers (revocation), about the fixtures fuzz_revocation
# judges (leaf-good.pem under inter-ca.pem under root-ca.pem), signed with
# their keys and dated around FUZZ_NOW (fuzz.h): good, revoked, unknown,
# stale, out of scope, wrongly signed, a delegated responder, an error status
/usr/bin/python3 - "$DATA/certs" "$TMP/revocation" << 'PYTHON'
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

certs, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # FUZZ_NOW
day = datetime.timedelta(days=1)
load = lambda n: x509.load_pem_x509_certificate(open(os.path.join(certs, n), "rb").read())
key = lambda n: serialization.load_pem_private_key(open(os.path.join(certs, n), "rb").read(), None)
leaf, inter, root = load("leaf-good.pem"), load("inter-ca.pem"), load("root-ca.pem")
inter_key, root_key, other_key = key("inter-ca.key"), key("root-ca.key"), key("other.key")

def save(name, der):
    open(os.path.join(out, name), "wb").write(der)

def crl(name, issuer, signer, revoked=(), this=now - day, next=now + 7 * day, exts=()):
    b = x509.CertificateRevocationListBuilder().issuer_name(issuer.subject).last_update(this).next_update(next)
    for serial, reason in revoked:
        r = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now - 2 * day)
        if reason is not None:
            r = r.add_extension(x509.CRLReason(reason), False)
        b = b.add_revoked_certificate(r.build())
    for ext, critical in exts:
        b = b.add_extension(ext, critical)
    save(name, b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.DER))

R = x509.ReasonFlags
crl("crl-good", inter, inter_key)
crl("crl-revoked", inter, inter_key, [(leaf.serial_number, R.key_compromise), (7, None)])
crl("crl-stale", inter, inter_key, this=now - 9 * day, next=now - 2 * day)
crl("crl-future", inter, inter_key, this=now + 2 * day)
crl("crl-badsig", inter, other_key)
crl("crl-root", root, root_key, [(inter.serial_number, R.ca_compromise)])
crl("crl-delta", inter, inter_key, exts=[(x509.DeltaCRLIndicator(1), True)])
crl("crl-ca-only", inter, inter_key, exts=[(x509.IssuingDistributionPoint(
    None, None, False, True, None, False, False), True)])
crl("crl-idp", inter, inter_key, exts=[(x509.IssuingDistributionPoint(
    [x509.UniformResourceIdentifier("http://crl.example.com/inter.crl")], None, True, False, None, False, False), True)])

responder = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OCSP responder")]))
             .issuer_name(inter.subject).public_key(other_key.public_key()).serial_number(0x3001)
             .not_valid_before(now - 30 * day).not_valid_after(now + 365 * day)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), False)
             .sign(inter_key, hashes.SHA256()))
stranger = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")]))
            .public_key(other_key.public_key()).serial_number(0x3002)
            .not_valid_before(now - 30 * day).not_valid_after(now + 365 * day).sign(other_key, hashes.SHA256()))

def answer(name, cert, issuer, signer, status=ocsp.OCSPCertStatus.GOOD, this=now - day, next=now + 7 * day,
           responder_cert=None, algorithm=hashes.SHA1()):
    signing = responder_cert or issuer
    b = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=issuer, algorithm=algorithm, cert_status=status, this_update=this, next_update=next,
        revocation_time=now - 2 * day if status == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=R.superseded if status == ocsp.OCSPCertStatus.REVOKED else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, signing)
    if responder_cert is not None:
        b = b.certificates([responder_cert])
    save(name, b.sign(signer, hashes.SHA256()).public_bytes(serialization.Encoding.DER))

S = ocsp.OCSPCertStatus
answer("ocsp-good", leaf, inter, inter_key)
answer("ocsp-good-sha256", leaf, inter, inter_key, algorithm=hashes.SHA256())
answer("ocsp-revoked", leaf, inter, inter_key, S.REVOKED)
answer("ocsp-unknown", leaf, inter, inter_key, S.UNKNOWN)
answer("ocsp-stale", leaf, inter, inter_key, this=now - 9 * day, next=now - 2 * day)
answer("ocsp-badsig", leaf, inter, other_key, responder_cert=stranger)
answer("ocsp-delegated", leaf, inter, other_key, responder_cert=responder)
answer("ocsp-root", inter, root, root_key)
answer("ocsp-other", root, root, root_key)
save("ocsp-trylater", ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.TRY_LATER)
     .public_bytes(serialization.Encoding.DER))
PYTHON
for f in "$TMP"/revocation/*; do
	put revocation "$f"
done
put revocation "$DATA/certs/leaf-good.der"

for d in "$OUT"/*/; do
	printf '%-10s %3d files\n' "$(basename "$d")" "$(ls -A "$d" | wc -l)"
done
