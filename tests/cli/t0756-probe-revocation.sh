#!/bin/sh
# mkcsr probe fetches revocation by default, within each target's timeout:
# a leaf revoked on its CRL (served by a local HTTP server) and one revoked
# by its OCSP responder (openssl ocsp) fail with CRYPT_E_REVOKED; a CRL
# server that is down fails with CRYPT_E_REVOCATION_OFFLINE; a good leaf
# passes; --revocation names fetches nothing.  Exit status 6 for each
# failure.  The test PKI and servers come from revocation-lib.sh.

. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/revocation-lib.sh"
. "$TESTS_SRCDIR/cli/probe-lib.sh"
rev_init
probe_init

rev_start_server www
rev_start_server quiet --silent
rev_make_ca "$REV_URL_www/root.crl"
DEAD=$(rev_dead_url)
rev_issue_leaf crl_revoked.pem 3001 vpn.example.com "$REV_URL_www/inter.crl" ""
rev_issue_leaf ocsp_revoked.pem 3002 vpn.example.com "" "$REV_URL_www/ocsp"
rev_issue_leaf offline.pem 3003 vpn.example.com "${DEAD}inter.crl" ""
rev_issue_leaf silent.pem 3005 vpn.example.com "$REV_URL_quiet/inter.crl" ""
rev_issue_leaf good.pem 3004 vpn.example.com "$REV_URL_www/inter.crl" "$REV_URL_www/ocsp"
rev_revoke 3001
rev_revoke 3002
rev_gencrl inter "$REV/www/inter.crl"
rev_gencrl root "$REV/www/root.crl"

# Leaves whose intermediate the server does not send, named by their AIA caIssuers (served, or dead).
openssl x509 -in "$REV/inter.pem" -outform DER -out "$REV/www/inter.der" || fail "cannot write inter.der"
for aia in "aia 3006 $REV_URL_www/inter.der" "aia_dead 3007 ${DEAD}inter.der"; do
	set -- $aia
	rev_sign "$1.pem" vpn.example.com leaf inter "$2" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
		"subjectAltName=DNS:vpn.example.com" "crlDistributionPoints=URI:$REV_URL_www/inter.crl" \
		"authorityInfoAccess=caIssuers;URI:$3"
	probe_sstp "$1" "$1.pem" "$REV/leaf.key"
done

for leaf in crl_revoked ocsp_revoked offline silent good; do
	probe_bundle "$leaf-chain.pem" "$leaf.pem" "$REV/inter.pem"
	probe_sstp "$leaf" "$leaf-chain.pem" "$REV/leaf.key"
done

probe_rev() {
	pr_status=$1
	pr_port=$2
	shift 2
	run "$pr_status" probe "vpn.example.com:$pr_port" --connect 127.0.0.1 --ca-file "$REV/root.pem" --timeout 5 "$@"
}

ROOT_OK="mkcsr Rev Test Issuing CA: CRL $REV_URL_www/root.crl not revoked"
probe_rev 6 "$PORT_crl_revoked"
expect_probe_check FAIL revocation "revoked; vpn.example.com: CRL $REV_URL_www/inter.crl $REV_REVOKED_TEXT; $ROOT_OK"
expect_probe_windows revocation "CRYPT_E_REVOKED 0x80092010 (-2146885616)"
expect_out_line "Result: fails a requirement (1 failed, 0 warnings; exit 6)"
grep -q "GET /inter.crl" "$REV/www.log" || { cat "$REV/www.log" >&2; fail "the CRL was not fetched"; }

# --json: the revocation check carries the verdict and every source, as check --json does.
probe_rev 6 "$PORT_crl_revoked" --json
MKCSR_TEST_URL=$REV_URL_www "$PYTHON" - out << 'PYEOF' || fail "the JSON revocation check is wrong"
import json, os, sys
url = os.environ["MKCSR_TEST_URL"]
t = json.load(open(sys.argv[1]))["targets"][0]
rev = [c for c in t["checks"] if c["id"] == "revocation"][0]
assert rev["status"] == "fail" and rev["verdict"] == "revoked", rev
assert rev["windows_code"] == {"name": "CRYPT_E_REVOKED", "hex": "0x80092010", "decimal": -2146885616}, rev["windows_code"]
assert [(s["depth"], s["kind"], s["url"], s["status"]) for s in rev["sources"]] == [
    (0, "crl", url + "/inter.crl", "revoked"), (1, "crl", url + "/root.crl", "good")], rev["sources"]
assert rev["sources"][0]["reason"] == "keyCompromise", rev["sources"][0]
assert t["result"]["exit_code"] == 6
PYEOF

probe_rev 6 "$PORT_ocsp_revoked"
expect_probe_check FAIL revocation "revoked; vpn.example.com: OCSP $REV_URL_www/ocsp $REV_REVOKED_TEXT; $ROOT_OK"
expect_probe_windows revocation "CRYPT_E_REVOKED 0x80092010 (-2146885616)"

probe_rev 6 "$PORT_offline"
expect_probe_check FAIL revocation "no usable answer; vpn.example.com: CRL ${DEAD}inter.crl unreachable (connection refused); $ROOT_OK"
expect_probe_windows revocation "CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)"
probe_rev 6 "$PORT_offline" --summary
expect_out_line "vpn.example.com:$PORT_offline via 127.0.0.1:$PORT_offline  FAILED  revocation: no usable answer; vpn.example.com: CRL ${DEAD}inter.crl unreachable (connection refused); $ROOT_OK [CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)]"

# A CRL server that never answers: the fetch ends with the target's timeout, not later.
elapsed_ms run 6 probe "vpn.example.com:$PORT_silent" --connect 127.0.0.1 --ca-file "$REV/root.pem" --timeout 2
[ "$ELAPSED_MS" -lt 10000 ] || fail "a silent CRL server held the probe $ELAPSED_MS ms past a 2 s timeout"
expect_probe_windows revocation "CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)"
probe_check_line revocation | grep -qF "  FAIL  revocation  no usable answer; vpn.example.com: CRL $REV_URL_quiet/inter.crl " ||
	fail "the silent CRL server was not reported: $(probe_check_line revocation)"

probe_rev 0 "$PORT_good"
expect_probe_check PASS revocation "not revoked; vpn.example.com: CRL $REV_URL_www/inter.crl not revoked, OCSP $REV_URL_www/ocsp good; $ROOT_OK"
# The intermediate not sent: fetched from the leaf's AIA as Windows does; the risk is still named.
probe_rev 0 "$PORT_aia"
expect_probe_check WARN sent-chain "the server sent 1 certificate, without the intermediate CN=mkcsr Rev Test Issuing CA,O=mkcsr Test: Windows clients fetch it from the leaf's AIA ($REV_URL_www/inter.der), as mkcsr did here; a client that cannot reach that address fails with CERT_E_CHAINING: import it on the server (Intermediate Certification Authorities)"
expect_probe_windows sent-chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
expect_probe_check PASS chain "CN=vpn.example.com,O=mkcsr Test <- CN=mkcsr Rev Test Issuing CA,O=mkcsr Test <- CN=mkcsr Rev Test Root CA,O=mkcsr Test, trusted through --ca-file"
grep -q "GET /inter.der" "$REV/www.log" || { cat "$REV/www.log" >&2; fail "the intermediate was not fetched"; }
# ... from an address that does not answer: the chain fails.
probe_rev 6 "$PORT_aia_dead"
expect_probe_check FAIL sent-chain "the server sent 1 certificate, without the intermediate CN=mkcsr Rev Test Issuing CA,O=mkcsr Test, and the leaf's AIA (${DEAD}inter.der) does not give it (connection refused): clients that do not already hold it fail with CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)"
expect_probe_windows chain "CERT_E_CHAINING 0x800B010A (-2146762486)"
# ... and with --revocation names, nothing is fetched.
probe_rev 6 "$PORT_aia" --revocation names
expect_probe_check WARN sent-chain "the server sent 1 certificate, without the intermediate CN=mkcsr Rev Test Issuing CA,O=mkcsr Test: Windows clients fetch it from the leaf's AIA ($REV_URL_www/inter.der) when they can reach it (not tried here: --revocation names), else fail with CERT_E_CHAINING; import it on the server (Intermediate Certification Authorities)"
expect_probe_windows chain "CERT_E_CHAINING 0x800B010A (-2146762486)"

# names: nothing fetched, the addresses listed.
probe_rev 0 "$PORT_crl_revoked" --revocation names
expect_probe_check PASS revocation "CRL $REV_URL_www/inter.crl"
exit 0
