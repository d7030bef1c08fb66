#!/bin/sh
# mkcsr inspect on private keys: never the key itself, only its algorithm,
# size or curve, the SHA-256 of its public key, the file's mode, whether
# and how it is encrypted, and the role mark of mkcsr new --template.  An
# encrypted key without --pass shows its encryption only; with the right
# passphrase its public key too; with a wrong one it is an error.  Text and
# JSON, compared with tests/data/inspect/key-*.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup

inspect_expect key-leaf.txt leaf.key
inspect_expect key-leaf.json --json leaf.key
inspect_expect key-leaf-enc.txt leaf-enc.key
inspect_expect key-leaf-enc.json --json leaf-enc.key
inspect_expect key-leaf-enc-pass.txt --pass file:leaf-enc.pass leaf-enc.key
inspect_expect key-sec1.txt key-only.pem

{ printf 'mkcsr-role: nps\n' && cat leaf.key; } > role.key || fail "cannot make role.key"
chmod 600 role.key
inspect_expect key-role.txt role.key
inspect_expect key-role.json --json role.key

openssl pkcs8 -topk8 -nocrypt -in leaf.key -outform DER -out leaf-key.der || fail "openssl cannot convert leaf.key"
chmod 640 leaf-key.der
inspect_expect key-der.txt leaf-key.der
openssl ec -in key-only.pem -aes256 -passout file:leaf-enc.pass -out sec1-enc.pem 2> /dev/null ||
	fail "openssl cannot encrypt key-only.pem"
chmod 600 sec1-enc.pem
inspect_expect key-sec1-enc.txt sec1-enc.pem
inspect_expect key-sec1-enc-pass.txt --pass file:leaf-enc.pass sec1-enc.pem

# The EC PARAMETERS that openssl ecparam -genkey writes first are named, not taken for the file's kind.
openssl ecparam -genkey -name prime256v1 -out ecparam.key 2> /dev/null || fail "openssl ecparam failed"
run 0 inspect ecparam.key
expect_out_line "Type:                           private key"
expect_out_line "Other PEM blocks (not shown):   EC PARAMETERS"
expect_out_line "  Public key SHA-256:           $(key_spki_sha256 ecparam.key)"

# No key material, ever: not even with -v.
run 0 inspect -v --pass file:leaf-enc.pass leaf.key leaf-enc.key key-only.pem sec1-enc.pem --json
secret=$(openssl pkey -in leaf.key -outform DER | od -An -tx1 | tr -d ' \n' | tail -c 64)
expect_out_lacks "$secret"
expect_out_lacks "-----BEGIN"
expect_out_lacks "mkcsr-fixture-passphrase"

# A wrong passphrase: one line, exit 3, nothing on standard output.
printf 'not-the-passphrase\n' > wrong.pass
run 3 inspect --pass file:wrong.pass leaf-enc.key
expect_no_out
expect_err_exactly "mkcsr inspect: malformed input: 'leaf-enc.key': the passphrase is wrong, or the key is damaged"
run 3 inspect --pass file:wrong.pass sec1-enc.pem
expect_no_out
expect_err_exactly "mkcsr inspect: malformed input: 'sec1-enc.pem': the passphrase is wrong, or the key is damaged"

# The hash is the one openssl computes.
run 0 inspect leaf.key
expect_out_line "  Public key SHA-256:           $(key_spki_sha256 leaf.key)"
exit 0
