#!/bin/sh
# Existing files are never overwritten without --force (exit 4, old files
# byte-identical); --force replaces both, atomically (a hard link to the old
# key keeps the old key); a symlink or a directory at an output path is
# never followed or replaced, even with --force (exit 1).

. "$TESTS_SRCDIR/cli/lib.sh"

key=vpn.example.com.key
csr=vpn.example.com.csr
exists_hint="mkcsr new: hint: choose another output file name, or pass --force to replace it"

run 0 --host vpn.example.com
cp "$key" key.orig
cp "$csr" csr.orig
old_spki=$(csr_spki_sha256 "$csr")

# A second run: refused, nothing changed, no temporary file left.
run 4 --host vpn.example.com
expect_err_first "mkcsr new: refusing to overwrite an existing file: './vpn.example.com.key' exists"
expect_err_line "$exists_hint"
expect_lines "$WORK/err" 2
expect_no_out
expect_same "$key" key.orig
expect_same "$csr" csr.orig
expect_files "$key" "$csr" key.orig csr.orig
# Also with other options, and under another spelling of the same directory.
run 4 new --host VPN.example.com. --key-type rsa:2048 --eol lf -o .
expect_err_first "mkcsr new: refusing to overwrite an existing file: './vpn.example.com.key' exists"
expect_same "$key" key.orig

# The request alone blocks too: the key is not written either.
rm -f "$key"
run 4 --host vpn.example.com
expect_err_first "mkcsr new: refusing to overwrite an existing file: './vpn.example.com.csr' exists"
expect_err_line "$exists_hint"
expect_same "$csr" csr.orig
expect_files "$csr" key.orig csr.orig
cp key.orig "$key"

# --force replaces both: a new key (mode 0600 even if the old one was not) and its request.
chmod 644 "$key"
ln "$key" key.link
run 0 --host vpn.example.com --force
expect_no_err
expect_files "$key" "$csr" key.orig csr.orig key.link
expect_mode "$key" 600
new_spki=$(csr_spki_sha256 "$csr")
[ "$new_spki" != "$old_spki" ] || fail "--force kept the old public key"
[ "$(key_spki_sha256 "$key")" = "$new_spki" ] || fail "the new key does not match the new request"
cmp -s "$key" key.orig && fail "--force left the old key in place"
# The old key was replaced by a rename, not rewritten: its other link still holds it.
expect_same key.link key.orig
rm -f key.link

# -f is --force.
cp "$key" key.orig
run 0 --host vpn.example.com -f
cmp -s "$key" key.orig && fail "-f left the old key in place"
expect_files "$key" "$csr" key.orig csr.orig
rm -f "$key" "$csr" key.orig csr.orig

# In another directory the message names the path as given.
mkdir d
run 0 --host vpn.example.com -o d
run 4 --host vpn.example.com -o d
expect_err_first "mkcsr new: refusing to overwrite an existing file: 'd/vpn.example.com.key' exists"
run 4 --host vpn.example.com --key d/vpn.example.com.key --csr new.csr
expect_err_first "mkcsr new: refusing to overwrite an existing file: 'd/vpn.example.com.key' exists"
expect_files d
rm -r d

# A symlink at the key path: never followed nor replaced, even with --force; its target is untouched.
notreg="exists and is not a regular file; it is never replaced"
echo "precious data" > target.txt
ln -s target.txt "$key"
for force in "" --force; do
	run 1 --host vpn.example.com $force
	expect_err_first "mkcsr new: cannot write file: './vpn.example.com.key' $notreg"
	expect_no_out
	[ -L "$key" ] && [ "$(readlink "$key")" = target.txt ] || fail "the symlink was replaced ($force)"
	[ "$(cat target.txt)" = "precious data" ] || fail "the symlink's target was written ($force)"
	expect_files "$key" target.txt
done
rm -f "$key"

# A dangling symlink: its target is not created.
ln -s created-through-link.key "$key"
run 1 --host vpn.example.com --force
expect_err_first "mkcsr new: cannot write file: './vpn.example.com.key' $notreg"
[ ! -e created-through-link.key ] || fail "a file was created through the dangling symlink"
expect_files "$key" target.txt
rm -f "$key"

# A symlink at the request path, likewise (and the key is not written).
ln -s target.txt "$csr"
run 1 --host vpn.example.com --force
expect_err_first "mkcsr new: cannot write file: './vpn.example.com.csr' $notreg"
[ "$(cat target.txt)" = "precious data" ] || fail "the request's symlink target was written"
expect_files "$csr" target.txt
rm -f "$csr" target.txt

# A directory named like the key.
mkdir "$key"
for force in "" -f; do
	run 1 --host vpn.example.com $force
	expect_err_first "mkcsr new: cannot write file: './vpn.example.com.key' $notreg"
	[ -d "$key" ] && [ -z "$(ls -A "$key")" ] || fail "the directory $key was changed ($force)"
	expect_files "$key"
done
rmdir "$key"

exit 0
