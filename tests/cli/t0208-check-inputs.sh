#!/bin/sh
# Input mkcsr check cannot use: exit 3 with one exact message naming the
# file and what it holds instead (a key, a request, damaged PEM, random
# bytes, a directory, nothing, more than 10 MiB), nothing on stdout.  An
# encrypted key needs --key-pass (the message says so); with the right
# passphrase from any source it is read, with a wrong one it is exit 3.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

# unusable EXPECTED_STDERR_LINE ARGS...: exit 3, nothing on stdout, stderr is that one line.
unusable() {
	unusable_line=$1
	shift
	run_check 3 "$@"
	expect_no_out
	printf '%s\n' "$unusable_line" > expected.err
	diff expected.err "$WORK/err" >&2 || fail "mkcsr check $*: stderr differs (diff above)"
	rm -f expected.err
}

# Missing files, for every option that reads one.
unusable "mkcsr check: cannot read file: 'missing.pem': No such file or directory" --cert missing.pem
unusable "mkcsr check: cannot read file: 'missing.pem': No such file or directory" --cert fullchain.pem --chain missing.pem
unusable "mkcsr check: cannot read file: 'missing.key': No such file or directory" --cert fullchain.pem --key missing.key
unusable "mkcsr check: cannot read file: 'missing.csr': No such file or directory" --cert fullchain.pem --csr missing.csr
unusable "mkcsr check: cannot read file: 'missing.pem': No such file or directory" --cert fullchain.pem --ca-file missing.pem
# A directory.
mkdir adir
unusable "mkcsr check: cannot read file: 'adir' is a directory" --cert adir
unusable "mkcsr check: cannot read file: 'adir' is a directory" --cert fullchain.pem --key adir
# An unreadable file (not when running as root, who reads everything).
cp leaf-good.pem locked.pem
chmod 000 locked.pem
if ! cat locked.pem > /dev/null 2>&1; then
	unusable "mkcsr check: cannot read file: 'locked.pem': Permission denied" --cert locked.pem
fi

# Not a certificate.
unusable "mkcsr check: malformed input: 'malformed.pem' holds no certificate: it is damaged or truncated" --cert malformed.pem
unusable "mkcsr check: malformed input: 'garbage.bin' holds no certificate: it is not a PEM or DER file" --cert garbage.bin
unusable "mkcsr check: malformed input: 'key-only.pem' holds no certificate: it is a private key" --cert key-only.pem
unusable "mkcsr check: malformed input: 'leaf.key' holds no certificate: it is a private key" --cert leaf.key
unusable "mkcsr check: malformed input: 'leaf-enc.key' holds no certificate: it is an encrypted private key" --cert leaf-enc.key
unusable "mkcsr check: malformed input: 'leaf.csr' holds no certificate: it is a certificate request" --cert leaf.csr
unusable "mkcsr check: malformed input: 'garbage.bin' holds no certificate: it is not a PEM or DER file" \
	--cert fullchain.pem --chain garbage.bin
unusable "mkcsr check: malformed input: 'leaf.csr' holds no certificate: it is a certificate request" \
	--cert fullchain.pem --ca-file leaf.csr
: > empty.pem
unusable "mkcsr check: malformed input: 'empty.pem' is empty" --cert empty.pem
# DER that is no certificate (a DER private key).
openssl pkey -in leaf.key -outform DER -out key.der || fail "openssl cannot convert leaf.key"
unusable "mkcsr check: malformed input: 'key.der' holds no certificate: it is a private key" --cert key.der

# Not a key, not a request.
unusable "mkcsr check: malformed input: 'leaf-good.pem' is a certificate, not a private key" --cert fullchain.pem --key leaf-good.pem
unusable "mkcsr check: malformed input: 'leaf.csr' is a certificate request, not a private key" --cert fullchain.pem --key leaf.csr
unusable "mkcsr check: malformed input: 'leaf-good.pem' is a certificate, not a certificate request" --cert fullchain.pem --csr leaf-good.pem
unusable "mkcsr check: malformed input: 'leaf.key' is a private key, not a certificate request" --cert fullchain.pem --csr leaf.key

# More than 10 MiB (a sparse file: quick to make).
dd if=/dev/null of=huge.pem bs=1 seek=11534336 2> /dev/null || fail "cannot make an 11 MB file"
[ "$(wc -c < huge.pem)" -eq 11534336 ] || fail "huge.pem is not 11 MB"
unusable "mkcsr check: malformed input: 'huge.pem' is larger than 10 MiB: not a certificate, key or request" --cert huge.pem
unusable "mkcsr check: malformed input: 'huge.pem' is larger than 10 MiB: not a certificate, key or request" \
	--cert fullchain.pem --key huge.pem
unusable "mkcsr check: malformed input: 'huge.pem' is larger than 10 MiB: not a certificate, key or request" \
	--cert fullchain.pem --chain huge.pem
# 10 MiB exactly is read (and holds nothing useful).
dd if=/dev/null of=limit.pem bs=1 seek=10485760 2> /dev/null || fail "cannot make a 10 MiB file"
unusable "mkcsr check: malformed input: 'limit.pem' holds no certificate: it is not a PEM or DER file" --cert limit.pem

# The encrypted key: without --key-pass, exit 3 naming --key-pass.
unusable "mkcsr check: cannot read the passphrase: 'leaf-enc.key' is encrypted: give its passphrase with --key-pass SOURCE" \
	--cert fullchain.pem --key leaf-enc.key
# With its passphrase: from a file, the environment, a descriptor, standard input.
run_check 0 --cert fullchain.pem --key leaf-enc.key --key-pass file:leaf-enc.pass --ca-file root-ca.pem
expect_no_err
expect_check PASS key "'leaf-enc.key' is the private key of CN=vpn.example.com in 'fullchain.pem'"
MKCSR_TEST_KEY_PASS=$(cat leaf-enc.pass)
export MKCSR_TEST_KEY_PASS
run_check 0 --cert fullchain.pem --key leaf-enc.key --key-pass env:MKCSR_TEST_KEY_PASS --ca-file root-ca.pem
expect_no_err
run_in leaf-enc.pass 0 check --at "$CHECK_AT" --cert fullchain.pem --key leaf-enc.key --key-pass stdin --ca-file root-ca.pem
expect_no_err
status=0
"$MKCSR" check --at "$CHECK_AT" --cert fullchain.pem --key leaf-enc.key --key-pass fd:3 --ca-file root-ca.pem \
	> "$WORK/out" 2> "$WORK/err" 3< leaf-enc.pass || status=$?
[ "$status" -eq 0 ] || { cat "$WORK/err" >&2; fail "--key-pass fd:3 exited $status"; }
expect_check PASS key "'leaf-enc.key' is the private key of CN=vpn.example.com in 'fullchain.pem'"
# A passphrase is asked for only when the key is encrypted.
run_check 0 --cert fullchain.pem --key leaf.key --key-pass env:MKCSR_TEST_UNSET_VARIABLE --ca-file root-ca.pem
expect_no_err
# A wrong passphrase: exit 3.
printf 'wrong-passphrase\n' > wrong.pass
unusable "mkcsr check: malformed input: 'leaf-enc.key': the passphrase is wrong, or the key is damaged" \
	--cert fullchain.pem --key leaf-enc.key --key-pass file:wrong.pass
# A source that gives nothing.
unusable "mkcsr check: cannot read the passphrase: the environment variable MKCSR_TEST_UNSET_VARIABLE for the key passphrase is not set" \
	--cert fullchain.pem --key leaf-enc.key --key-pass env:MKCSR_TEST_UNSET_VARIABLE

exit 0
