#!/bin/sh
# --key-type and --hash: each EC curve with its default hash, RSA 2048 (and
# one 3072; 4096 is left out for time), a hash chosen explicitly, and the
# values that are refused.

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr

# check_key TYPE DESCRIPTION SIGNATURE KEYTEXT SPKI_BYTES: a run with
# --key-type TYPE made DESCRIPTION, signed with SIGNATURE; openssl's text of
# the request has KEYTEXT; the SubjectPublicKeyInfo is SPKI_BYTES long.
check_key() {
	expect_no_err
	expect_files "$key" "$csr"
	expect_mode "$key" 600
	expect_out_line "  Key:                  $2, signed with $3"
	text=$(csr_text "$csr") || exit 1
	expect_contains "$text" "Signature Algorithm: $3"
	expect_contains "$text" "$4"
	openssl req -in "$csr" -noout -verify > /dev/null 2>&1 || fail "openssl cannot verify the $1 request"
	[ "$(head -n 1 "$key")" = "-----BEGIN PRIVATE KEY-----" ] || fail "$1 key: $(head -n 1 "$key")"
	[ "$(key_spki_sha256 "$key")" = "$(csr_spki_sha256 "$csr")" ] || fail "the $1 key does not match its request"
	spki_bytes=$(openssl req -in "$csr" -noout -pubkey | openssl pkey -pubin -outform DER | wc -c)
	[ "$spki_bytes" -eq "$5" ] || fail "the $1 public key info has $spki_bytes bytes, expected $5"
	rm -f "$key" "$csr"
}

# The default and each curve: named curve, uncompressed point (hence the
# SubjectPublicKeyInfo sizes), the hash that matches the curve.
run 0 --host vpn.example.com
check_key default "ECDSA P-256" ecdsa-with-SHA256 "ASN1 OID: prime256v1" 91
run 0 --host vpn.example.com --key-type ec:P-256
check_key ec:P-256 "ECDSA P-256" ecdsa-with-SHA256 "ASN1 OID: prime256v1" 91
run 0 --host vpn.example.com --key-type ec:P-384
check_key ec:P-384 "ECDSA P-384" ecdsa-with-SHA384 "ASN1 OID: secp384r1" 120
run 0 --host vpn.example.com --key-type ec:P-521
check_key ec:P-521 "ECDSA P-521" ecdsa-with-SHA512 "ASN1 OID: secp521r1" 158
# The type is not case-sensitive.
run 0 --host vpn.example.com --key-type EC:p-384
check_key EC:p-384 "ECDSA P-384" ecdsa-with-SHA384 "ASN1 OID: secp384r1" 120

# The EC signature algorithm has no parameters (RFC 5758).
run 0 --host vpn.example.com
sigalg=$(openssl asn1parse -in "$csr" | tail -n 3)
expect_contains "$sigalg" "prim: OBJECT            :ecdsa-with-SHA256"
expect_lacks "$sigalg" "NULL"
rm -f "$key" "$csr"

# RSA: e = 65537, SHA-256, the signature algorithm with NULL parameters.
run 0 --host vpn.example.com --key-type rsa:2048
expect_out_line "  Key:                  RSA 2048, signed with sha256WithRSAEncryption"
sigalg=$(openssl asn1parse -in "$csr" | tail -n 4)
expect_contains "$sigalg" "prim: OBJECT            :sha256WithRSAEncryption"
expect_contains "$sigalg" "prim: NULL"
check_key rsa:2048 "RSA 2048" sha256WithRSAEncryption "Public-Key: (2048 bit)" 294
run 0 --host vpn.example.com --key-type RSA:3072
check_key rsa:3072 "RSA 3072" sha256WithRSAEncryption "Public-Key: (3072 bit)" 422

# --hash overrides the key type's default, in any spelling.
run 0 --host vpn.example.com --hash sha384
check_key "P-256 with sha384" "ECDSA P-256" ecdsa-with-SHA384 "ASN1 OID: prime256v1" 91
run 0 --host vpn.example.com --key-type ec:P-521 --hash SHA-256
check_key "P-521 with SHA-256" "ECDSA P-521" ecdsa-with-SHA256 "ASN1 OID: secp521r1" 158
run 0 --host vpn.example.com --key-type rsa:2048 --hash SHA512
check_key "RSA with SHA512" "RSA 2048" sha512WithRSAEncryption "Public-Key: (2048 bit)" 294

# Key types that are refused: a usage error naming the value, nothing written.
for t in ec:P-224 ec:secp256k1 ec:prime256v1 rsa:1024 rsa:8192 rsa ec ed25519 dsa:2048 ""; do
	run 2 --host vpn.example.com --key-type "$t"
	expect_err_first "mkcsr new: unsupported key type: '$t'"
	expect_err_line "mkcsr new: hint: choose one of ec:P-256, ec:P-384, ec:P-521, rsa:2048, rsa:3072, rsa:4096"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
done

# Hashes that are refused: SHA-1 (certreq's old default) and anything else.
for h in sha1 SHA-1 md5 sha224 sha3-256 sha-512/256 ""; do
	run 2 --host vpn.example.com --hash "$h"
	expect_err_first "mkcsr new: unsupported signature hash: '$h'"
	expect_err_line "mkcsr new: hint: choose sha256, sha384 or sha512"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
done

exit 0
