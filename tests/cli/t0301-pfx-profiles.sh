#!/bin/sh
# The two encryption profiles of mkcsr pfx, as openssl pkcs12 -info reads
# them back.  compat (the default): certificates and key encrypted with
# pbeWithSHA1And3-KeyTripleDES-CBC, a SHA-1 MAC, 2048 iterations each,
# which every Windows imports.  modern: PBES2 (PBKDF2 with HMAC-SHA256,
# AES-256-CBC) and an HMAC-SHA256 MAC, 2048 iterations each.  Nothing else
# (no RC2, no other MAC).  A wrong --profile is exit 2.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

ok="--cert in/good-chain.pem --key in/leaf.key --pass file:in/pw"

# structure FILE LINE...: openssl pkcs12 -info shows exactly these lines
# (MAC, then each bag), in this order.
structure() {
	structure_file=$1
	shift
	pfx_info "$structure_file"
	printf '%s\n' "$@" > in/structure.expected
	diff in/structure.expected in/info >&2 || fail "openssl pkcs12 -info of $structure_file differs (diff above)"
}

# The default is compat.
# shellcheck disable=SC2086
run 0 pfx $ok
expect_out_line "  Encryption:     3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC (profile compat)"
expect_out_line "  Imports on:     every Windows from Server 2012 R2 and Windows 8.1 on"
structure vpn.example.com.pfx \
	"MAC: sha1, Iteration 2048" \
	"MAC length: 20, salt length: 8" \
	"PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048" \
	"Certificate bag" \
	"Certificate bag" \
	"PKCS7 Data" \
	"Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"
expect_info_line "MAC: sha1, Iteration 2048"
expect_info_line "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"
expect_info_line "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"
rm vpn.example.com.pfx

# --profile compat says the same.
# shellcheck disable=SC2086
run 0 pfx $ok --profile compat -o compat.pfx
structure compat.pfx \
	"MAC: sha1, Iteration 2048" \
	"MAC length: 20, salt length: 8" \
	"PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048" \
	"Certificate bag" \
	"Certificate bag" \
	"PKCS7 Data" \
	"Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"

# modern.
# shellcheck disable=SC2086
run 0 pfx $ok --profile modern -o modern.pfx
expect_no_err
expect_out_line "  Encryption:     AES-256-CBC with PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC (profile modern)"
expect_out_line "  Imports on:     Windows 10 1709 and later, Windows Server 2019 and later"
structure modern.pfx \
	"MAC: sha256, Iteration 2048" \
	"MAC length: 32, salt length: 8" \
	"PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256" \
	"Certificate bag" \
	"Certificate bag" \
	"PKCS7 Data" \
	"Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"
expect_info_line "MAC: sha256, Iteration 2048"
expect_info_line "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"
expect_info_line "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"
# Case does not matter.
# shellcheck disable=SC2086
run 0 pfx $ok --profile MODERN -o modern2.pfx -q
pfx_info modern2.pfx
expect_info_line "MAC: sha256, Iteration 2048"

# Both decrypt to the leaf.key and the certificate given.
for f in compat.pfx modern.pfx; do
	openssl pkcs12 -in "$f" -passin file:in/pw -nocerts -nodes 2> in/pkcs12.err | openssl pkey -pubout -outform DER |
		sha256_hex > in/pfx-key.sha256 || fail "cannot take the key out of $f"
	[ "$(cat in/pfx-key.sha256)" = "$(key_spki_sha256 in/leaf.key)" ] || fail "the key in $f is not leaf.key"
	openssl pkcs12 -in "$f" -passin file:in/pw -nokeys -clcerts 2> in/pkcs12.err | openssl x509 -outform DER |
		sha256_hex > in/pfx-cert.sha256 || fail "cannot take the certificate out of $f"
	[ "$(cat in/pfx-cert.sha256)" = "$(openssl x509 -in in/good.pem -outform DER | sha256_hex)" ] ||
		fail "the certificate in $f is not good.pem"
done

# An unknown profile: exit 2 before anything is read or written.
run 2 pfx --cert in/missing.pem --key in/leaf.key --pass file:in/pw --profile legacy
expect_no_out
expect_err_first "mkcsr pfx: invalid output choice: --profile 'legacy': use compat or modern"
expect_lines "$WORK/err" 1
run 2 pfx --cert in/missing.pem --key in/leaf.key --pass file:in/pw --profile ""
expect_err_first "mkcsr pfx: invalid output choice: --profile '': use compat or modern"
expect_files in compat.pfx modern.pfx modern2.pfx

exit 0
