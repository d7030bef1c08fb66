#!/bin/sh
# mkcsr check --revocation fetch: how fetches end (refused, HTTP errors,
# redirects, size, host names, the cache, a server that never answers),
# against a test PKI served on 127.0.0.1; each case asserts the exact
# detail, Windows code and exit code.
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/revocation-lib.sh"

rev_init
rev_start_server www
U=$REV_URL_www
rev_make_ca "$U/root.crl"
rev_gencrl root "$REV/www/root.crl"
ROOT_OK="mkcsr Rev Test Issuing CA: CRL $U/root.crl not revoked"
DEAD=$(rev_dead_url)

rev_issue_leaf down.pem 3004 down.test "${DEAD}down.crl" ""
rev_issue_leaf loop.pem 3009 loop.test "$U/redirect-loop" ""
rev_issue_leaf three.pem 300a three.test "$U/redirect/3/inter.crl" ""
rev_issue_leaf four.pem 300b four.test "$U/redirect/4/inter.crl" ""
rev_issue_leaf missing.pem 300c missing.test "$U/missing.crl" ""
rev_issue_leaf twice.pem 3011 twice.test "$U/inter.crl,URI:$U/inter.crl" ""
rev_issue_leaf tohttps.pem 3013 tohttps.test "$U/redirect-https" ""
rev_issue_leaf big.pem 3014 big.test "$U/big.crl" ""
rev_issue_leaf byname.pem 3015 byname.test "http://localhost:$REV_PORT_www/inter.crl" ""
rev_gencrl inter "$REV/www/inter.crl"
# shellcheck disable=SC2046 # rev_chain's words are options
set -- --revocation fetch $(rev_chain)

OFFLINE_WIN="CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)"

# The CRL server is down: refused at once, offline.
run 6 check --cert down.pem "$@"
expect_check FAIL revocation "no usable answer; down.test: CRL ${DEAD}down.crl unreachable (connection refused); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# No such file.
run 6 check --cert missing.pem "$@"
expect_check FAIL revocation "no usable answer; missing.test: CRL $U/missing.crl unreachable (HTTP 404 Not Found); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# Redirects: 3 are followed, a fourth is not, nor a loop.
run 0 check --cert three.pem "$@"
expect_check PASS revocation "not revoked; three.test: CRL $U/redirect/3/inter.crl not revoked; $ROOT_OK"
run 6 check --cert four.pem "$@"
expect_check FAIL revocation "no usable answer; four.test: CRL $U/redirect/4/inter.crl unreachable (more than 3 redirects); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"
run 6 check --cert loop.pem "$@"
expect_check FAIL revocation "no usable answer; loop.test: CRL $U/redirect-loop unreachable (more than 3 redirects); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# A host name is looked up (within the time limit), each address tried in turn.
run 0 check --cert byname.pem "$@"
expect_check PASS revocation "not revoked; byname.test: CRL http://localhost:$REV_PORT_www/inter.crl not revoked; $ROOT_OK"

# A redirect to https:// is not followed; an answer over 20 MB is not read.
run 6 check --cert tohttps.pem "$@"
expect_check FAIL revocation "no usable answer; tohttps.test: CRL $U/redirect-https unreachable (redirected to https://127.0.0.1/inter.crl, which is not fetched); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"
head -c $((20 * 1024 * 1024 + 1)) /dev/zero > "$REV/www/big.crl" || fail "cannot write big.crl"
run 6 check --cert big.pem "$@"
expect_check FAIL revocation "no usable answer; big.test: CRL $U/big.crl unreachable (the answer is larger than 20 MB); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"
rm -f "$REV/www/big.crl"

# One URL named twice is fetched once: the answers are cached per URL.
before=$(grep -c '"GET /inter.crl ' "$REV/www.log")
run 0 check --cert twice.pem "$@"
expect_check PASS revocation "not revoked; twice.test: CRL $U/inter.crl not revoked, CRL $U/inter.crl not revoked; $ROOT_OK"
after=$(grep -c '"GET /inter.crl ' "$REV/www.log")
[ "$after" -eq $((before + 1)) ] || fail "inter.crl was fetched $((after - before)) times, expected once"

# A server that accepts and never answers: the time limit ends the check
# (timeout(1) only guards against a hang), and what had no time is named.
rev_start_server hang --silent
rev_issue_leaf hang.pem 3012 hang.test "$REV_URL_hang/hang.crl" ""
status=0
timeout 9 "$MKCSR" check --cert hang.pem "$@" --timeout 2 > out 2> err || status=$?
[ "$status" -ne 124 ] || fail "mkcsr check --timeout 2 was still running after 9 s"
[ "$status" -eq 6 ] || { cat out err >&2; fail "mkcsr check --timeout 2 exited $status, expected 6"; }
expect_check FAIL revocation "no usable answer; hang.test: CRL $REV_URL_hang/hang.crl unreachable (no answer within the time limit); mkcsr Rev Test Issuing CA: CRL $U/root.crl not tried (the time limit was reached)"
expect_windows revocation "$OFFLINE_WIN"

exit 0
