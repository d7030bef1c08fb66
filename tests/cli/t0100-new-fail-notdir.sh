#!/bin/sh
# A target that cannot be written (a path under a regular file, a directory
# that does not exist) is an I/O error (exit 1) naming the file; whatever was
# staged before the failure is removed, so nothing at all is left behind.
# (Permissions cannot stop root, so a regular file stands in for an
# unwritable directory.  A full disk: t0101.)

. "$TESTS_SRCDIR/cli/lib.sh"

echo "not a directory" > afile

# The key under a regular file.
run 1 --host vpn.example.com --key afile/vpn.key
expect_err_first "mkcsr new: cannot write file: 'afile/vpn.key': Not a directory"
expect_lines "$WORK/err" 1
expect_no_out
expect_files afile

# The request under a regular file: the key (fine on its own) is not written either.
run 1 --host vpn.example.com --csr afile/vpn.csr
expect_err_first "mkcsr new: cannot write file: 'afile/vpn.csr': Not a directory"
expect_no_out
expect_files afile

# The request in a directory that does not exist: found only when its
# temporary file is created, after the key's was written; that one is removed.
run 1 --host vpn.example.com --csr missing/vpn.csr
expect_err_first "mkcsr new: cannot write file: 'missing/vpn.csr': cannot create a file in its directory: No such file or directory"
expect_no_out
expect_files afile

# The same with an encrypted key and --force: still nothing left.
MKCSR_TEST_PASS=long-enough-passphrase
export MKCSR_TEST_PASS
run 1 --host vpn.example.com --csr missing/vpn.csr --key-pass env:MKCSR_TEST_PASS --force
expect_err_first "mkcsr new: cannot write file: 'missing/vpn.csr': cannot create a file in its directory: No such file or directory"
expect_files afile

# Existing files stay as they were when the other target fails, even with --force.
run 0 --host vpn.example.com
cp vpn.example.com.key key.orig
run 1 --host vpn.example.com --csr missing/vpn.csr --force
expect_same vpn.example.com.key key.orig
expect_files afile vpn.example.com.key vpn.example.com.csr key.orig

[ "$(cat afile)" = "not a directory" ] || fail "afile was changed"
exit 0
