#!/bin/sh
# Regenerates the certificate fixtures for the "mkcsr check" and "mkcsr pfx"
# tests in the directory this script lives in.  Only a developer runs it; the
# tests use the committed outputs.  See README.md for what each file is for.
#
#   sh tests/data/certs/make-certs.sh
#
# Needs only the OpenSSL 3 command line tool (set OPENSSL to use another one)
# and POSIX sh, awk, dd, mktemp.  Every validity period is a fixed date, so
# tests pin "now" with --at 2027-06-01T00:00:00Z instead of reading the clock.
# Names, serials, dates and extensions are the same on every run; the keys are
# new every time, so tests must take key hashes from the files, never hard-code
# them.  The outputs are built in a temporary directory and only moved here
# once all of them have been made and checked.

set -eu

OPENSSL=${OPENSSL:-openssl}
HERE=$(cd "$(dirname "$0")" && pwd)
AT=1811808000 # 2027-06-01T00:00:00Z, the "now" of the tests
PASSPHRASE='mkcsr-fixture-passphrase'

case $("$OPENSSL" version) in
OpenSSL\ [3-9].*) ;;
*) echo "make-certs.sh: needs OpenSSL 3 (OPENSSL=$OPENSSL)" >&2; exit 1 ;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/make-certs.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
OUT=$TMP/out
mkdir "$OUT" "$TMP/newcerts"
: > "$TMP/index.txt"

# Our own configuration, so that no system openssl.cnf changes the result.
OPENSSL_CONF=$TMP/openssl.cnf
export OPENSSL_CONF
cat > "$OPENSSL_CONF" <<EOF
[ca]
default_ca = fixture_ca

[fixture_ca]
database = $TMP/index.txt
new_certs_dir = $TMP/newcerts
serial = $TMP/serial
default_md = sha256
policy = policy_any
unique_subject = no
preserve = yes
email_in_dn = no
copy_extensions = none

[policy_any]
countryName = optional
organizationName = optional
commonName = optional

[req]
distinguished_name = req_dn
string_mask = utf8only
prompt = no

[req_dn]
CN = unused

# The request certlm's custom request (and mkcsr new) makes: SAN, EKU,
# Application Policies repeating the EKU, SKI; no key usage.
[req_certlm]
subjectAltName = DNS:vpn.example.com
extendedKeyUsage = serverAuth
1.3.6.1.4.1.311.21.10 = ASN1:SEQUENCE:app_policies
subjectKeyIdentifier = hash

[app_policies]
policy1 = SEQUENCE:app_policy_server

[app_policy_server]
oid = OID:serverAuth

[ext_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ext_inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/root.crl

[ext_good]
subjectAltName = DNS:vpn.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_nosan]
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_wrong_eku]
subjectAltName = DNS:vpn.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_ikev2]
subjectAltName = DNS:vpn.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, 1.3.6.1.5.5.8.2.2
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_client]
subjectAltName = DNS:client01.corp.example.com, otherName:msUPN;UTF8:user1@corp.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_wildcard]
subjectAltName = DNS:*.example.com, DNS:example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_norevocation]
subjectAltName = DNS:vpn.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# RFC 5280 4.2.1.6: with an empty subject the SAN is critical.
[ext_emptysubject]
subjectAltName = critical, DNS:vpn.example.com
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com

[ext_ke_ec]
subjectAltName = DNS:vpn.example.com
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com
EOF

ec_key() {
	"$OPENSSL" genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-pkeyopt ec_param_enc:named_curve -out "$1"
}

rsa_key() {
	"$OPENSSL" genpkey -quiet -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" -out "$1"
}

# request KEY SUBJECT OUT: a bare request (the CA adds every extension).
request() {
	"$OPENSSL" req -new -key "$1" -subj "$2" -out "$3"
}

# issue OUT SERIAL CSR SECTION START END ISSUER [OPTION...]: signs CSR with
# ISSUER (a name: ISSUER.pem and ISSUER.key in $OUT, or "self") using the
# extensions of SECTION and fixed dates YYYYMMDDHHMMSSZ.
issue() {
	issue_out=$1 issue_serial=$2 issue_csr=$3 issue_ext=$4
	issue_start=$5 issue_end=$6 issue_by=$7
	shift 7
	echo "$issue_serial" > "$TMP/serial"
	if [ "$issue_by" = self ]; then
		set -- -selfsign -keyfile "$TMP/self.key" "$@"
	else
		set -- -cert "$OUT/$issue_by.pem" -keyfile "$OUT/$issue_by.key" "$@"
	fi
	"$OPENSSL" ca -batch -notext -in "$issue_csr" -out "$issue_out" \
		-extensions "$issue_ext" -startdate "$issue_start" -enddate "$issue_end" \
		"$@" 2> "$TMP/ca.log" || { cat "$TMP/ca.log" >&2; exit 1; }
}

CA_START=20250101000000Z
CA_END=20450101000000Z
START=20260101000000Z
END=20280101000000Z

# --- the CAs
rsa_key "$OUT/root-ca.key" 3072
cp "$OUT/root-ca.key" "$TMP/self.key"
request "$OUT/root-ca.key" "/C=US/O=mkcsr Test PKI/CN=mkcsr Test Root CA" "$TMP/root.csr"
issue "$OUT/root-ca.pem" 1001 "$TMP/root.csr" ext_root $CA_START $CA_END self

ec_key "$OUT/inter-ca.key"
request "$OUT/inter-ca.key" "/C=US/O=mkcsr Test PKI/CN=mkcsr Test Issuing CA" "$TMP/inter.csr"
issue "$OUT/inter-ca.pem" 1002 "$TMP/inter.csr" ext_inter $CA_START $CA_END root-ca

ec_key "$TMP/self.key"
request "$TMP/self.key" "/C=US/O=Other Test PKI/CN=Other Test Root CA" "$TMP/other-root.csr"
issue "$OUT/other-root.pem" 1003 "$TMP/other-root.csr" ext_root $CA_START $CA_END self

# --- keys and the certlm-style request
ec_key "$OUT/leaf.key"
ec_key "$OUT/other.key"
rsa_key "$OUT/rsa1024.key" 1024

"$OPENSSL" req -new -key "$OUT/leaf.key" -subj "/CN=vpn.example.com" \
	-reqexts req_certlm -out "$TMP/leaf.csr"
# As certlm saves it: the "NEW CERTIFICATE REQUEST" header and CRLF line ends.
awk '{ sub(/CERTIFICATE REQUEST-----$/, "NEW CERTIFICATE REQUEST-----"); printf "%s\r\n", $0 }' \
	"$TMP/leaf.csr" > "$OUT/leaf.csr"

request "$OUT/leaf.key" "/CN=vpn.example.com" "$TMP/vpn.csr"
request "$OUT/leaf.key" "/CN=*.example.com" "$TMP/wildcard.csr"
request "$OUT/leaf.key" "/CN=client01.corp.example.com" "$TMP/client.csr"
request "$OUT/leaf.key" "/" "$TMP/empty.csr"
request "$OUT/other.key" "/CN=vpn.example.com" "$TMP/other.csr"
request "$OUT/rsa1024.key" "/CN=vpn.example.com" "$TMP/rsa1024.csr"

# --- the leaves, all issued by the intermediate
I=inter-ca
issue "$OUT/leaf-good.pem"          2001 "$TMP/vpn.csr"      ext_good         $START $END $I
issue "$OUT/leaf-expired.pem"       2002 "$TMP/vpn.csr"      ext_good         20200101000000Z 20210101000000Z $I
issue "$OUT/leaf-notyet.pem"        2003 "$TMP/vpn.csr"      ext_good         20350101000000Z 20360101000000Z $I
issue "$OUT/leaf-nosan.pem"         2004 "$TMP/vpn.csr"      ext_nosan        $START $END $I
issue "$OUT/leaf-wrong-eku.pem"     2005 "$TMP/vpn.csr"      ext_wrong_eku    $START $END $I
issue "$OUT/leaf-ikev2.pem"         2006 "$TMP/vpn.csr"      ext_ikev2        $START $END $I
issue "$OUT/leaf-client.pem"        2007 "$TMP/client.csr"   ext_client       $START $END $I
issue "$OUT/leaf-otherkey.pem"      2008 "$TMP/other.csr"    ext_good         $START $END $I
issue "$OUT/leaf-sha1.pem"          2009 "$TMP/vpn.csr"      ext_good         $START $END $I -md sha1
issue "$OUT/leaf-wildcard.pem"      200A "$TMP/wildcard.csr" ext_wildcard     $START $END $I
issue "$OUT/leaf-norevocation.pem"  200B "$TMP/vpn.csr"      ext_norevocation $START $END $I
issue "$OUT/leaf-emptysubject.pem"  200C "$TMP/empty.csr"    ext_emptysubject $START $END $I
issue "$OUT/leaf-rsa1024.pem"       200D "$TMP/rsa1024.csr"  ext_good         $START $END $I
issue "$OUT/leaf-ke-ec.pem"         200E "$TMP/vpn.csr"      ext_ke_ec        $START $END $I

# --- bundles and other encodings
cat "$OUT/leaf-good.pem" "$OUT/inter-ca.pem" "$OUT/root-ca.pem" > "$OUT/chain-ordered.pem"
cat "$OUT/root-ca.pem" "$OUT/leaf-good.pem" "$OUT/inter-ca.pem" > "$OUT/chain-shuffled.pem"
cat "$OUT/leaf-good.pem" "$OUT/inter-ca.pem" > "$OUT/fullchain.pem"
"$OPENSSL" x509 -in "$OUT/inter-ca.pem" -outform DER -out "$OUT/inter.der"
"$OPENSSL" x509 -in "$OUT/leaf-good.pem" -outform DER -out "$OUT/leaf-good.der"
"$OPENSSL" crl2pkcs7 -nocrl -certfile "$OUT/fullchain.pem" -out "$OUT/chain.p7b"
"$OPENSSL" crl2pkcs7 -nocrl -certfile "$OUT/fullchain.pem" -outform DER -out "$OUT/chain-der.p7b"

# --- broken and wrong-type inputs
# Header, four full lines and half of the fifth (30 characters, not a whole
# base64 quantum), then the footer.
awk 'NR == 1 || (NR >= 2 && NR <= 5) { print; next }
	NR == 6 { print substr($0, 1, 30); print "-----END CERTIFICATE-----"; exit }' \
	"$OUT/leaf-good.pem" > "$OUT/malformed.pem"
# 256 fixed pseudo-random bytes (AES-CTR of zeros under a fixed key): the
# same file on every run, neither PEM nor DER.
dd if=/dev/zero bs=256 count=1 2> /dev/null |
	"$OPENSSL" enc -aes-128-ctr -nosalt -K 6d6b6373722067617262616765000000 \
		-iv 00000000000000000000000000000000 -out "$OUT/garbage.bin"
# leaf.key again, in the traditional SEC1 "EC PRIVATE KEY" form.
"$OPENSSL" pkey -in "$OUT/leaf.key" -traditional -out "$OUT/key-only.pem"
# leaf.key encrypted: PKCS#8, PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256.
printf '%s\n' "$PASSPHRASE" > "$OUT/leaf-enc.pass"
"$OPENSSL" pkcs8 -topk8 -in "$OUT/leaf.key" -v2 aes-256-cbc -v2prf hmacWithSHA256 \
	-passout "file:$OUT/leaf-enc.pass" -out "$OUT/leaf-enc.key"

# --- sanity checks before anything is replaced
verify() {
	"$OPENSSL" verify -attime $AT -CAfile "$OUT/root-ca.pem" -untrusted "$OUT/inter-ca.pem" "$@"
}
for leaf in good ikev2 client otherkey sha1 wildcard nosan wrong-eku norevocation \
	emptysubject rsa1024 ke-ec; do
	verify "$OUT/leaf-$leaf.pem" > /dev/null ||
		{ echo "make-certs.sh: leaf-$leaf.pem does not verify" >&2; exit 1; }
done
for leaf in expired notyet; do
	if verify "$OUT/leaf-$leaf.pem" > /dev/null 2>&1; then
		echo "make-certs.sh: leaf-$leaf.pem verifies at $AT" >&2
		exit 1
	fi
done
pub() { "$OPENSSL" pkey -in "$1" -pubout; }
[ "$(pub "$OUT/leaf.key")" = "$("$OPENSSL" x509 -in "$OUT/leaf-good.pem" -noout -pubkey)" ]
[ "$(pub "$OUT/leaf.key")" = "$("$OPENSSL" req -in "$OUT/leaf.csr" -noout -pubkey)" ]
[ "$(pub "$OUT/leaf.key")" = "$("$OPENSSL" pkey -in "$OUT/leaf-enc.key" \
	-passin "file:$OUT/leaf-enc.pass" -pubout)" ]

# --- install: same modes as a git checkout gives
chmod 644 "$OUT"/*
count=0
for f in "$OUT"/*; do
	mv -f "$f" "$HERE/"
	count=$((count + 1))
done
echo "make-certs.sh: wrote $count files in $HERE"
