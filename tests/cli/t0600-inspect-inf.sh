#!/bin/sh
# mkcsr inspect on a certreq INF file (Richard Hicks' request.inf, UTF-16
# with a byte-order mark): the request that mkcsr new --inf makes from it,
# with the notes on what only applies in a Windows key store; a broken INF
# file is an error naming the file and line.  Compared with
# tests/data/inspect/inf-*.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup
cp "$INF_DATA"/hicks-newcsr.inf "$INF_DATA"/p384-ksp.inf "$INF_DATA"/unterminated-quote.inf . ||
	fail "cannot copy the INF files"

inspect_expect inf-hicks.txt hicks-newcsr.inf
inspect_expect inf-hicks.json --json hicks-newcsr.inf
inspect_expect inf-p384-ksp.txt p384-ksp.inf

run 3 inspect unterminated-quote.inf
expect_no_out
expect_err_first "mkcsr inspect: invalid certreq INF file: unterminated-quote.inf:3: the value has no closing \""
exit 0
