#!/bin/sh
# mkcsr inspect's options: usage errors (no FILE, a bad --at, a bad --pass
# source, an unknown option) exit 2 before any file is read; --help lists
# the options; --version; --pass pass:TEXT warns and still works; --at takes
# the forms mkcsr check takes; the JSON is one array, one object per file.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup

run 2 inspect
expect_no_out
expect_err_first "mkcsr inspect: invalid usage: give the FILE to inspect (one or more)"
run 2 inspect --at yesterday leaf-good.pem
expect_no_out
expect_err_first "mkcsr inspect: invalid time: 'yesterday'"
run 2 inspect --pass generate:x leaf-good.pem
expect_no_out
expect_err_first "mkcsr inspect: invalid passphrase source: 'generate:x'"
run 2 inspect --pass nowhere leaf-good.pem
expect_err_first "mkcsr inspect: invalid passphrase source: 'nowhere'"
run 2 inspect --bogus leaf-good.pem
expect_no_out
expect_err_first "mkcsr inspect: --bogus: unknown option"
# A usage error comes before any file is read (this one does not exist).
run 2 inspect --at yesterday missing.pem
expect_err_lacks "missing.pem"
# The passphrase source is read before the files: an unreadable one stops all.
run 3 inspect --pass file:missing.pass leaf-good.pem
expect_no_out

run 0 inspect --help
expect_out "Usage: mkcsr inspect [OPTION...] FILE..."
expect_out "--pass=SOURCE"
expect_out "--at=TIME"
expect_out "--json"
run 0 inspect --version
expect_out "mkcsr "

# pass:TEXT works, with a warning; the password is not printed.
run 0 inspect --pass pass:mkcsr-fixture-passphrase leaf-enc.key
expect_err_first "mkcsr inspect: warning: a password given as pass:TEXT can be read by other users in the process list; prefer env:VAR, file:PATH, fd:N, stdin or prompt"
expect_out_line "  Key algorithm:                ECDSA"
expect_out_lacks "mkcsr-fixture-passphrase"

# --at in each form gives the same days.
for at in 2027-06-01 2027-06-01T00:00:00Z "2027-06-01 00:00:00" @1811808000; do
	run 0 inspect --at "$at" leaf-good.pem
	expect_out_line "  Days left:                    214"
done

# One array, one object per file, in the order given; "--" before a file
# whose name starts with a hyphen.
cp leaf-good.pem ./-leaf.pem
run 0 inspect --at "$INSPECT_AT" --json leaf.key -- -leaf.pem sample2.csr
need_python json
got=$("$PYTHON" -c 'import json, sys; print(" ".join(d["file"] + "=" + d["type"] for d in json.load(open(sys.argv[1]))))' \
	"$WORK/out") || fail "stdout is not a JSON array"
[ "$got" = "leaf.key=private-key -leaf.pem=certificate sample2.csr=csr" ] || fail "the JSON array holds: $got"
exit 0
