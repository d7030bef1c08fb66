#!/bin/sh
# --key-pass: the key encrypted (PKCS#8 PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC)
# with a passphrase from env:VAR, file:PATH, fd:N, stdin or pass:TEXT (with a
# warning); a source that cannot be read is exit 3, a malformed source exit 2,
# and neither writes anything.  (prompt without a terminal: t0081.)

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr
phrase='correct horse battery staple'

# check_encrypted PASSIN: the key is an encrypted PKCS#8 that PASSIN opens,
# that nothing else opens, that belongs to the request; the passphrase is
# nowhere in the output.
check_encrypted() {
	expect_files "$@" "$key" "$csr"
	expect_mode "$key" 600
	[ "$(head -n 1 "$key")" = "-----BEGIN ENCRYPTED PRIVATE KEY-----" ] || fail "first line of $key: $(head -n 1 "$key")"
	[ "$(tail -n 1 "$key")" = "-----END ENCRYPTED PRIVATE KEY-----" ] || fail "last line of $key: $(tail -n 1 "$key")"
	openssl pkey -in "$key" -passin "$passin" -noout 2> /dev/null || fail "openssl pkey -passin $passin cannot open $key"
	openssl pkey -in "$key" -passin pass:wrong-passphrase -noout 2> /dev/null && fail "a wrong passphrase opens $key"
	[ "$(key_spki_sha256 "$key" "$passin")" = "$(csr_spki_sha256 "$csr")" ] || fail "$key does not match $csr"
	dump=$(openssl asn1parse -in "$key")
	expect_contains "$dump" ":PBES2"
	expect_contains "$dump" ":PBKDF2"
	expect_contains "$dump" ":hmacWithSHA256"
	expect_contains "$dump" ":aes-256-cbc"
	expect_out_line "  Private key file:     ./vpn.example.com.key (PKCS#8 PEM, mode 0600, encrypted with AES-256)"
	expect_out_line "  2. Keep vpn.example.com.key and its passphrase: the certificate is useless without them."
	expect_out_lacks "battery"
	expect_err_lacks "battery"
	! grep -q battery "$key" "$csr" || fail "the passphrase is in a file"
	rm -f "$key" "$csr"
}

# env:VAR
MKCSR_TEST_PASS=$phrase
export MKCSR_TEST_PASS
passin=env:MKCSR_TEST_PASS
run 0 --host vpn.example.com --key-pass env:MKCSR_TEST_PASS
expect_no_err
check_encrypted

# file:PATH: the first line only; a CRLF file (written on Windows) works too.
passin="pass:$phrase"
printf '%s\nsecond line\n' "$phrase" > pass.txt
run 0 --host vpn.example.com --key-pass file:pass.txt
expect_no_err
check_encrypted pass.txt
printf '%s\r\n' "$phrase" > pass.txt
run 0 --host vpn.example.com --key-pass "file:$WORK/pass.txt"
check_encrypted pass.txt
printf '%s' "$phrase" > pass.txt
run 0 --host vpn.example.com --key-pass file:pass.txt
check_encrypted pass.txt

# fd:N
printf '%s\n' "$phrase" > pass.txt
run 0 --host vpn.example.com --key-pass fd:3 3< pass.txt
expect_no_err
check_encrypted pass.txt

# stdin
run_in pass.txt 0 --host vpn.example.com --key-pass stdin
expect_no_err
check_encrypted pass.txt
rm -f pass.txt

# pass:TEXT works, with a warning that it is visible to other users.
run 0 --host vpn.example.com --key-pass "pass:$phrase"
expect_err_first "mkcsr new: warning: a passphrase given as pass:TEXT can be read by other users in the process list; prefer env:VAR, file:PATH, fd:N, stdin or prompt"
expect_lines "$WORK/err" 1
check_encrypted
# -q does not hide the warning.
run 0 -q --host vpn.example.com --key-pass "pass:$phrase"
expect_no_out
expect_err_first "mkcsr new: warning: a passphrase given as pass:TEXT can be read by other users in the process list; prefer env:VAR, file:PATH, fd:N, stdin or prompt"
rm -f "$key" "$csr"

# Unreadable sources: exit 3, naming what could not be read; nothing written.
unset MKCSR_TEST_UNSET
run 3 --host vpn.example.com --key-pass env:MKCSR_TEST_UNSET
expect_err_first "mkcsr new: cannot read the passphrase: the environment variable MKCSR_TEST_UNSET for the key passphrase is not set"
expect_lines "$WORK/err" 1
expect_no_out
expect_no_files

run 3 --host vpn.example.com --key-pass file:missing.txt
expect_err_first "mkcsr new: cannot read the passphrase: 'missing.txt': No such file or directory"
expect_no_out
expect_no_files

mkdir adir
run 3 --host vpn.example.com --key-pass file:adir
expect_err_first "mkcsr new: cannot read the passphrase: 'adir' is a directory"
expect_files adir
rmdir adir

run 3 --host vpn.example.com --key-pass fd:9
expect_err_first "mkcsr new: cannot read the passphrase: reading the key passphrase from fd:9: Bad file descriptor"
expect_no_files

awk 'BEGIN { for (i = 0; i < 1100; i++) printf "a"; print "" }' > long.txt
run 3 --host vpn.example.com --key-pass file:long.txt
expect_err_first "mkcsr new: cannot read the passphrase: the key passphrase from file:long.txt is longer than 1023 bytes"
expect_files long.txt
rm -f long.txt

# Empty passphrases: exit 3 with the hint.
empty_hint="mkcsr new: hint: give a passphrase that is not empty"
MKCSR_TEST_EMPTY=
export MKCSR_TEST_EMPTY
run 3 --host vpn.example.com --key-pass env:MKCSR_TEST_EMPTY
expect_err_first "mkcsr new: empty passphrase: the key passphrase from env:MKCSR_TEST_EMPTY is empty"
expect_err_line "$empty_hint"
expect_no_files
: > empty.txt
run 3 --host vpn.example.com --key-pass file:empty.txt
expect_err_first "mkcsr new: empty passphrase: the key passphrase from file:empty.txt is empty"
expect_files empty.txt
printf '\nsecond line\n' > empty.txt
run 3 --host vpn.example.com --key-pass file:empty.txt
expect_err_first "mkcsr new: empty passphrase: the key passphrase from file:empty.txt is empty"
expect_files empty.txt
rm -f empty.txt
run 3 --host vpn.example.com --key-pass stdin
expect_err_first "mkcsr new: empty passphrase: the key passphrase from standard input is empty"
expect_no_files
run 3 --host vpn.example.com --key-pass pass:
expect_err_line "mkcsr new: empty passphrase: the key passphrase from pass: is empty"
expect_no_files

# Too short to protect a key (OpenSSL's own minimum is 4), from any source; the text is never shown.
MKCSR_TEST_SHORT=abc
export MKCSR_TEST_SHORT
run 3 --host vpn.example.com --key-pass env:MKCSR_TEST_SHORT
expect_err_first "mkcsr new: passphrase too short: the key passphrase from env:MKCSR_TEST_SHORT has 3 characters"
expect_err_line "mkcsr new: hint: a key passphrase needs at least 4 characters, as OpenSSL asks of its own"
expect_lines "$WORK/err" 2
expect_no_files
run 3 --host vpn.example.com --key-pass pass:x
expect_err_line "mkcsr new: passphrase too short: the key passphrase from pass: has 1 character"
expect_err_lacks "pass:x"
expect_no_files
printf 'abcd\n' > four.txt
run 0 --host vpn.example.com --key-pass file:four.txt
expect_files four.txt vpn.example.com.key vpn.example.com.csr
rm -f four.txt vpn.example.com.key vpn.example.com.csr

# Malformed sources: exit 2 naming the source, before anything is read.
source_hint="mkcsr new: hint: use env:VAR, file:PATH, fd:N, stdin, prompt (or pass:TEXT, which other users can see); mkcsr pfx --pass also takes generate:FILE"
for s in secret Env:MKCSR_TEST_PASS pass stdin: "" password:x; do
	run 2 --host vpn.example.com --key-pass "$s"
	expect_err_first "mkcsr new: invalid passphrase source: '$s'"
	expect_err_line "$source_hint"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_no_files
done
for s in env: file: fd:; do
	run 2 --host vpn.example.com --key-pass "$s"
	expect_err_first "mkcsr new: invalid passphrase source: '$s' needs a value after '$s'"
	expect_err_line "$source_hint"
	expect_no_files
done
for n in x -1 3x 99999999999; do
	run 2 --host vpn.example.com --key-pass "fd:$n"
	expect_err_first "mkcsr new: invalid passphrase source: 'fd:$n': '$n' is not a file descriptor number"
	expect_no_files
done

# A malformed source is found before the output files are checked, a missing
# variable only after them: an existing key is reported first (exit 4).
run 0 --host vpn.example.com
cp "$key" key.before
run 2 --host vpn.example.com --key-pass bogus
expect_err_first "mkcsr new: invalid passphrase source: 'bogus'"
run 4 --host vpn.example.com --key-pass env:MKCSR_TEST_UNSET
expect_err_first "mkcsr new: refusing to overwrite an existing file: './vpn.example.com.key' exists"
expect_same "$key" key.before

exit 0
