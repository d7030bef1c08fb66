#!/bin/sh
# Which certificate mkcsr check takes for the leaf, and the key check.
# Without --key: the certificate in the --cert file that is no CA and issued
# no other given certificate, wherever it stands.  With --key: the one in
# the --cert file the key belongs to.  A key that belongs to no certificate
# given fails with exit 5 and names both files; a key that belongs only to a
# --chain certificate is taken for swapped files.  Exit 5 (mismatch) beats
# every other failure.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

good=$(thumbprint leaf-good.pem)
other=$(thumbprint leaf-otherkey.pem)
[ "$good" != "$other" ] || fail "leaf-good and leaf-otherkey have the same thumbprint"
inter="CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US"

# The shuffled bundle starts with the root: the leaf is still found.
run_check 0 --cert chain-shuffled.pem --ca-file root-ca.pem
expect_out_line "Certificate: CN=vpn.example.com (chain-shuffled.pem)"
expect_out_line "  Thumbprint: $good"
expect_check SKIP key "no --key given"

# Two leaves with the same name in one file, the intermediate last.
cat leaf-good.pem leaf-otherkey.pem inter-ca.pem > two.pem
cat leaf-otherkey.pem inter-ca.pem leaf-good.pem > two-b.pem
# Without a key: the first leaf of the file.
run_check 0 --cert two.pem --ca-file root-ca.pem
expect_out_line "  Thumbprint: $good"
run_check 0 --cert two-b.pem --ca-file root-ca.pem
expect_out_line "  Thumbprint: $other"
# With a key: the leaf the key belongs to, wherever it stands.
for f in two.pem two-b.pem; do
	run_check 0 --cert "$f" --key leaf.key --ca-file root-ca.pem
	expect_out_line "  Thumbprint: $good"
	expect_check PASS key "'leaf.key' is the private key of CN=vpn.example.com in '$f'"
	run_check 0 --cert "$f" --key other.key --ca-file root-ca.pem
	expect_out_line "  Thumbprint: $other"
	expect_check PASS key "'other.key' is the private key of CN=vpn.example.com in '$f'"
done

# The key in other forms: the traditional SEC1 form, and DER.
run_check 0 --cert fullchain.pem --key key-only.pem --ca-file root-ca.pem
expect_check PASS key "'key-only.pem' is the private key of CN=vpn.example.com in 'fullchain.pem'"
openssl pkey -in leaf.key -outform DER -out leaf-key.der || fail "openssl cannot convert leaf.key"
run_check 0 --cert fullchain.pem --key leaf-key.der --ca-file root-ca.pem
expect_check PASS key "'leaf-key.der' is the private key of CN=vpn.example.com in 'fullchain.pem'"
# An RSA key with its RSA certificate (it fails the chain check, not the key check).
run_check 6 --cert leaf-rsa1024.pem --chain inter-ca.pem --key rsa1024.key --ca-file root-ca.pem
expect_check PASS key "'rsa1024.key' is the private key of CN=vpn.example.com in 'leaf-rsa1024.pem'"

# A key that belongs to no certificate: exit 5, both files named, NTE_BAD_KEYSET.
run_check 5 --cert leaf-otherkey.pem --chain inter-ca.pem --key leaf.key --ca-file root-ca.pem
expect_no_err
expect_statuses "FAIL SKIP PASS SKIP PASS PASS PASS PASS"
expect_check FAIL key "'leaf.key' is not the key of CN=vpn.example.com in 'leaf-otherkey.pem', nor of any other certificate given (key values mismatch)"
expect_windows key "NTE_BAD_KEYSET 0x80090016 (-2146893802)"
expect_result "the key and the certificate do not belong together (1 failed, 0 warnings; exit 5)"
# The other way round, and an RSA key for an EC certificate.
run_check 5 --cert fullchain.pem --key other.key --ca-file root-ca.pem
expect_check FAIL key "'other.key' is not the key of CN=vpn.example.com in 'fullchain.pem', nor of any other certificate given (key values mismatch)"
run_check 5 --cert fullchain.pem --key rsa1024.key --ca-file root-ca.pem
expect_check FAIL key "'rsa1024.key' is not the key of CN=vpn.example.com in 'fullchain.pem', nor of any other certificate given (key values mismatch)"

# The key belongs only to a certificate given with --chain: swapped files.
run_check 5 --cert fullchain.pem --chain leaf-otherkey.pem --key other.key --ca-file root-ca.pem
expect_out_line "  Thumbprint: $good"
expect_check FAIL key "'other.key' is not the key of CN=vpn.example.com in 'fullchain.pem'; it is the key of CN=vpn.example.com in 'leaf-otherkey.pem': are --cert and --chain swapped?"
expect_windows key "NTE_BAD_KEYSET 0x80090016 (-2146893802)"
run_check 5 --cert inter-ca.pem --chain leaf-good.pem --key leaf.key --ca-file root-ca.pem
expect_check FAIL key "'leaf.key' is not the key of $inter in 'inter-ca.pem'; it is the key of CN=vpn.example.com in 'leaf-good.pem': are --cert and --chain swapped?"
expect_result "the key and the certificate do not belong together (2 failed, 0 warnings; exit 5)"

# A mismatch beats a failed requirement: expired and the wrong key is 5, not 6.
run_check 5 --cert leaf-expired.pem --chain inter-ca.pem --key other.key --ca-file root-ca.pem
expect_statuses "FAIL SKIP FAIL SKIP PASS PASS PASS PASS"
expect_result "the key and the certificate do not belong together (2 failed, 0 warnings; exit 5)"

exit 0
