#!/bin/sh
# mkcsr check --revocation fetch: the verdicts on what CRLs and OCSP
# responders answer, against a test PKI made here and served on 127.0.0.1;
# each case asserts the exact detail, Windows code and exit code.
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/revocation-lib.sh"

rev_init
rev_start_server www
U=$REV_URL_www
rev_make_ca "$U/root.crl"
rev_gencrl root "$REV/www/root.crl"
ROOT_OK="mkcsr Rev Test Issuing CA: CRL $U/root.crl not revoked"
DEAD=$(rev_dead_url)

rev_issue_leaf good.pem 3001 good.test "$U/inter.crl" "$U/ocsp"
rev_issue_leaf crl-revoked.pem 3002 crl-revoked.test "$U/inter.crl" ""
rev_revoke 3002
rev_issue_leaf ocsp-revoked.pem 3003 ocsp-revoked.test "$U/inter.crl" "$U/ocsp"
rev_issue_leaf stale.pem 3005 stale.test "$U/stale.crl" ""
rev_issue_leaf forged.pem 3006 forged.test "$U/forged.crl" ""
rev_issue_leaf none.pem 3007 none.test "" ""
rev_issue_leaf ldap.pem 3008 ldap.test \
	"ldap:///CN=mkcsr%20Rev%20Test%20Issuing%20CA?certificateRevocationList?base,URI:file:///srv/crl/inter.crl" ""
rev_issue_leaf wrongca.pem 300d wrongca.test "$U/root.crl" ""
rev_issue_leaf notder.pem 300e notder.test "$U/inter.pem" ""
rev_issue_leaf unknown.pem 300f unknown.test "" "$U/ocsp" noindex
rev_issue_leaf partly.pem 3010 partly.test "${DEAD}partly.crl" "$U/ocsp"
rev_gencrl inter "$REV/www/inter.crl"
# Revoked after the CRL was made: only the OCSP responder knows yet.
rev_revoke 3003
cp "$REV/inter.pem" "$REV/www/inter.pem"
STALE_LAST=$(date -u -d '10 days ago' +%Y%m%d%H%M%SZ)
STALE_NEXT_EPOCH=$(($(date -u +%s) - 2 * 86400))
rev_gencrl inter "$REV/www/stale.crl" "$STALE_LAST" "$(date -u -d "@$STALE_NEXT_EPOCH" +%Y%m%d%H%M%SZ)"
STALE_NEXT=$(date -u -d "@$STALE_NEXT_EPOCH" '+%Y-%m-%d %H:%M:%S UTC')
rev_gencrl inter "$REV/www/forged.crl" "" "" "$REV/other.key"
# shellcheck disable=SC2046 # rev_chain's words are options
set -- --revocation fetch $(rev_chain)

REVOKED_WIN="CRYPT_E_REVOKED 0x80092010 (-2146885616)"
OFFLINE_WIN="CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)"
NONE_WIN="CRYPT_E_NO_REVOCATION_CHECK 0x80092012 (-2146885614)"

# Good: the CRL and the OCSP responder of the leaf, the CRL of the CA above.
run 0 check --cert good.pem "$@"
expect_check PASS revocation "not revoked; good.test: CRL $U/inter.crl not revoked, OCSP $U/ocsp good; $ROOT_OK"
expect_no_windows revocation
expect_no_err

# Revoked on the CRL.
run 6 check --cert crl-revoked.pem "$@"
expect_check FAIL revocation "revoked; crl-revoked.test: CRL $U/inter.crl $REV_REVOKED_TEXT; $ROOT_OK"
expect_windows revocation "$REVOKED_WIN"
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"

# Revoked by OCSP while the CRL does not list it yet: revoked wins.
run 6 check --cert ocsp-revoked.pem "$@"
expect_check FAIL revocation \
	"revoked; ocsp-revoked.test: CRL $U/inter.crl not revoked, OCSP $U/ocsp $REV_REVOKED_TEXT; $ROOT_OK"
expect_windows revocation "$REVOKED_WIN"

# A stale CRL: its next update has passed.
run 6 check --cert stale.pem "$@"
expect_check FAIL revocation \
	"no usable answer; stale.test: CRL $U/stale.crl stale (next update $STALE_NEXT has passed); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# A CRL under the CA's name, signed by another key.
run 6 check --cert forged.pem "$@"
expect_check FAIL revocation "no usable answer; forged.test: CRL $U/forged.crl bad signature (not signed by the key of mkcsr Rev Test Issuing CA); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# Another CA's CRL.
run 6 check --cert wrongca.pem "$@"
expect_check FAIL revocation "no usable answer; wrongca.test: CRL $U/root.crl wrong issuer (the CRL of mkcsr Rev Test Root CA, not of mkcsr Rev Test Issuing CA); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# Not a DER CRL.
run 6 check --cert notder.pem "$@"
expect_check FAIL revocation "no usable answer; notder.test: CRL $U/inter.pem malformed (the answer is not DER); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"
# The leaf names nothing: the CA's CRL is still checked.
run 0 check --cert none.pem "$@"
expect_check WARN revocation "none.test names no CRL distribution point and no OCSP address: clients that check revocation, as SSTP clients do, cannot; $ROOT_OK"
expect_windows revocation "$NONE_WIN"

# ldap:// and file:// are named, not fetched.
run 0 check --cert ldap.pem "$@"
expect_check WARN revocation "not checked: only ldap://, file:// or https:// addresses are named, which mkcsr does not fetch (and clients outside the domain cannot reach LDAP); ldap.test: CRL ldap:///CN=mkcsr%20Rev%20Test%20Issuing%20CA?certificateRevocationList?base not fetched (ldap://), CRL file:///srv/crl/inter.crl not fetched (file://); $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# OCSP "unknown" is no answer.
run 6 check --cert unknown.pem "$@"
expect_check FAIL revocation "no usable answer; unknown.test: OCSP $U/ocsp unknown to the responder; $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# The CRL is down but OCSP answers: not revoked, with a warning.
run 0 check --cert partly.pem "$@"
expect_check WARN revocation "not revoked, but not every source answered; partly.test: CRL ${DEAD}partly.crl unreachable (connection refused), OCSP $U/ocsp good; $ROOT_OK"
expect_windows revocation "$OFFLINE_WIN"

# Without its intermediate, nothing can verify the leaf's answers.
run 6 check --cert good.pem --ca-file "$REV/root.pem" --revocation fetch
expect_check FAIL revocation "no usable answer; good.test: CRL $U/inter.crl not verifiable (the issuer's certificate is missing), OCSP $U/ocsp not verifiable (the issuer's certificate is missing)"
expect_windows revocation "$OFFLINE_WIN"

# Without fetch, nothing is fetched.
before=$(wc -l < "$REV/www.log")
run 0 check --cert good.pem $(rev_chain)
expect_check PASS revocation "CRL $U/inter.crl, OCSP $U/ocsp"
run 0 check --cert good.pem $(rev_chain) --revocation off
expect_check SKIP revocation "not checked (--revocation off)"
[ "$(wc -l < "$REV/www.log")" -eq "$before" ] || fail "names or off fetched something"
exit 0
