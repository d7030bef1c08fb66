#!/bin/sh
# A full disk (a tiny tmpfs in a private mount namespace): exit 1, the
# message names the file and says "No space left on device", and nothing is
# left in the directory, hidden temporary files included; with --force the
# old files are untouched.  A read-only file system likewise.  Skips (77)
# only when the sandbox refuses unshare -rm or the tmpfs mount.

. "$TESTS_SRCDIR/cli/lib.sh"

need unshare
mkdir d
if ! unshare -rm sh -c 'mount -t tmpfs -o size=8k tmpfs d' > probe.err 2>&1; then
	skip "cannot mount a tmpfs in a private mount namespace (unshare -rm: $(cat probe.err)); the full-disk checks need it"
fi
rm -f probe.err

# in_tmpfs OPTIONS SCRIPT: runs SCRIPT (sh) in a new mount namespace with a
# tmpfs mounted on d with OPTIONS; $M is mkcsr.  SCRIPT runs mkcsr with
# "run_ns ARGS..." (out, err and status in $WORK); the tmpfs' contents are
# left in the file "listing", as ls -A shows them.
in_tmpfs() {
	rm -f status listing
	unshare -rm sh -c '
		mount -t tmpfs -o "$1" tmpfs d || exit 99
		M=$2
		run_ns() {
			s=0
			"$M" "$@" > out 2> err < /dev/null || s=$?
			echo $s > status
		}
		eval "$3"
		ls -A d > listing' sh "$1" "$MKCSR" "$2" || fail "the script in the tmpfs failed"
	[ -f status ] || fail "mkcsr did not run in the tmpfs"
	ns_status=$(cat status)
	ns_listing=$(tr '\n' ' ' < listing)
	rm -f status listing
}

# Completely full: the key's temporary file cannot be written.
in_tmpfs size=8k '
	head -c 8192 /dev/zero > d/fill 2> /dev/null
	run_ns --host vpn.example.com -o d'
[ "$ns_status" = 1 ] || { cat err >&2; fail "a full disk: exit $ns_status, expected 1"; }
expect_err_first "mkcsr new: cannot write file: 'd/vpn.example.com.key': No space left on device"
expect_lines "$WORK/err" 1
expect_no_out
[ "$ns_listing" = "fill " ] || fail "left in the full tmpfs: $ns_listing"

# Room for the key but not the request: the key's temporary file is removed too.
in_tmpfs size=8k '
	head -c 4096 /dev/zero > d/fill 2> /dev/null
	run_ns --host vpn.example.com -o d'
[ "$ns_status" = 1 ] || { cat err >&2; fail "room for one file: exit $ns_status, expected 1"; }
expect_err_first "mkcsr new: cannot write file: 'd/vpn.example.com.csr': No space left on device"
expect_no_out
[ "$ns_listing" = "fill " ] || fail "left in the tmpfs with room for one file: $ns_listing"

# --force over existing files on a full disk: the old key and request survive unchanged.
mkdir keep
in_tmpfs size=16k '
	run_ns --host vpn.example.com -o d
	cp d/vpn.example.com.key d/vpn.example.com.csr keep/
	head -c 8192 /dev/zero > d/fill 2> /dev/null
	run_ns --host vpn.example.com -o d --force
	cmp -s d/vpn.example.com.key keep/vpn.example.com.key && echo key-same > keep/verdict
	cmp -s d/vpn.example.com.csr keep/vpn.example.com.csr && echo csr-same >> keep/verdict'
[ "$ns_status" = 1 ] || { cat err >&2; fail "--force on a full disk: exit $ns_status, expected 1"; }
expect_err_first "mkcsr new: cannot write file: 'd/vpn.example.com.key': No space left on device"
[ "$ns_listing" = "fill vpn.example.com.csr vpn.example.com.key " ] || fail "left in the tmpfs after --force: $ns_listing"
[ "$(tr '\n' ' ' < keep/verdict)" = "key-same csr-same " ] || fail "--force on a full disk changed the old files: $(cat keep/verdict)"
rm -r keep

# A read-only file system.
in_tmpfs ro,size=8k 'run_ns --host vpn.example.com -o d'
[ "$ns_status" = 1 ] || { cat err >&2; fail "a read-only file system: exit $ns_status, expected 1"; }
expect_err_first "mkcsr new: cannot write file: 'd/vpn.example.com.key': cannot create a file in its directory: Read-only file system"
expect_no_out
[ "$ns_listing" = "" ] || fail "left in the read-only tmpfs: $ns_listing"

expect_files d
exit 0
