#!/bin/sh
# mkcsr inspect on single certificates, PEM and DER: subject, issuer,
# serial, validity with days left (as of --at), thumbprint as PowerShell
# shows it, SHA-256 fingerprint, key, signature, and the extensions Windows
# shows (SAN with DNS and UPN names, key usage, EKU by name and OID, basic
# constraints, key identifiers, CRL and OCSP locations), as text and JSON,
# each compared with tests/data/inspect/cert-*.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup

for name in leaf-good leaf-wildcard leaf-emptysubject leaf-sha1 leaf-client leaf-expired leaf-notyet \
	leaf-rsa1024 inter-ca root-ca; do
	inspect_expect "cert-$name.txt" --at "$INSPECT_AT" "$name.pem"
done
inspect_expect cert-leaf-good-der.txt --at "$INSPECT_AT" leaf-good.der
for name in leaf-good leaf-client leaf-expired root-ca; do
	inspect_expect "cert-$name.json" --at "$INSPECT_AT" --json "$name.pem"
done

# What an Active Directory CA adds: the certificate template's name
# (1.3.6.1.4.1.311.20.2) and OID with its version (1.3.6.1.4.1.311.21.7),
# Application Policies; and alternative names of every kind, Microsoft's
# usages by name, an unknown usage by OID, an extension shown by name only.
# Issued here with "openssl ca", with the fixtures' fixed dates.
mkdir newcerts || fail "cannot make newcerts"
: > index.txt
echo 3001 > serial
cat > ca.cnf <<CAEOF
[ca]
default_ca = test_ca
[test_ca]
database = $WORK/index.txt
new_certs_dir = $WORK/newcerts
serial = $WORK/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[ext]
subjectAltName = DNS:vpn.example.com, IP:192.0.2.10, IP:2001:db8::1, email:admin@example.com, URI:https://vpn.example.com/
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, 1.3.6.1.4.1.311.10.3.4, 1.3.6.1.4.1.311.99999.1
certificatePolicies = 2.23.140.1.2.1
1.3.6.1.4.1.311.20.2 = ASN1:BMPSTRING:WebServer
1.3.6.1.4.1.311.21.7 = ASN1:SEQUENCE:template
1.3.6.1.4.1.311.21.10 = ASN1:SEQUENCE:policies
[template]
id = OID:1.3.6.1.4.1.311.21.8.1234.5678.1
major = INT:100
minor = INT:5
[policies]
p1 = SEQUENCE:server_auth
p2 = SEQUENCE:efs
[server_auth]
id = OID:1.3.6.1.5.5.7.3.1
[efs]
id = OID:1.3.6.1.4.1.311.10.3.4
CAEOF
openssl ca -batch -config ca.cnf -cert inter-ca.pem -keyfile inter-ca.key -in leaf.csr -startdate 20260101000000Z \
	-enddate 20280101000000Z -extensions ext -notext -out adcs.pem 2> ca.err || { cat ca.err >&2; fail "openssl ca failed"; }
inspect_cert_values adcs.pem adcs.pem
inspect_ready
inspect_expect cert-adcs.txt --at "$INSPECT_AT" adcs.pem
inspect_expect cert-adcs.json --at "$INSPECT_AT" --json adcs.pem

# The days left count whole days from --at to the end of validity, rounded
# down: negative once expired, written as such.
run 0 inspect --at 2027-12-31T00:00:00Z leaf-good.pem
expect_out_line "  Days left:                    1"
run 0 inspect --at 2027-12-31T00:00:01Z leaf-good.pem
expect_out_line "  Days left:                    0"
expect_out_line "  Status:                       valid"
run 0 inspect --at 2028-01-01T00:00:01Z leaf-good.pem
expect_out_line "  Days left:                    expired 1 day ago"
expect_out_line "  Status:                       expired"
run 0 inspect --at 2028-01-11 --json leaf-good.pem
expect_out '"days_left": -10,'

# The thumbprint is the one openssl computes, as Windows writes it.
run 0 inspect leaf-good.pem
expect_out_line "  Thumbprint (SHA-1):           $(thumbprint leaf-good.pem)"

# A control character in a name cannot rewrite the terminal: it is printed
# as \u001B, and JSON holds the same escape.
esc=$(printf '\033')
openssl req -x509 -new -key leaf.key -subj "/CN=vpn.example.com" -addext "subjectAltName=DNS:a${esc}[31mb" \
	-days 1 -out esc.pem 2> /dev/null || fail "openssl cannot make esc.pem"
run 0 inspect esc.pem
expect_out_line '  Alternative names:            DNS:a\u001B[31mb'
expect_out_lacks "$esc"
run 0 inspect --json esc.pem
expect_out '"value": "a\\u001B[31mb"'

# -q: nothing on standard output; --json is not silenced by it.
run 0 inspect -q leaf-good.pem
expect_no_out
expect_no_err
run 0 inspect -q --json leaf-good.pem
expect_out '"thumbprint":'
exit 0
