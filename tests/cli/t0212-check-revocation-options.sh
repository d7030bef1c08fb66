#!/bin/sh
# mkcsr check --revocation and --timeout: their values, the JSON of each
# source, and http_proxy/no_proxy.
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/cli/revocation-lib.sh"

rev_init
rev_start_server www
U=$REV_URL_www
rev_make_ca "$U/root.crl"
rev_gencrl root "$REV/www/root.crl"
DEAD=$(rev_dead_url)
rev_issue_leaf good.pem 4001 good.test "$U/inter.crl" "$U/ocsp"
rev_issue_leaf revoked.pem 4002 revoked.test "$U/inter.crl" ""
rev_revoke 4002
rev_issue_leaf proxied.pem 4003 proxied.test "${DEAD}inter.crl" ""
rev_gencrl inter "$REV/www/inter.crl"
CHAIN="--chain $REV/inter.pem --ca-file $REV/root.pem"

# ---- values ----------------------------------------------------------------
run 2 check --cert good.pem --revocation bogus
expect_err_first "mkcsr check: invalid usage: --revocation 'bogus': use fetch, names or off"
expect_no_out
for t in 0 3601 2.5 ten -1 "" +5 " 5"; do
	run 2 check --cert good.pem --revocation fetch --timeout "$t"
	expect_err_first "mkcsr check: invalid usage: --timeout '$t': give a whole number of seconds, 1 to 3600"
done
# shellcheck disable=SC2086 # CHAIN is options
run 0 check --cert good.pem $CHAIN --revocation FETCH --timeout 3600
expect_check PASS revocation "not revoked; good.test: CRL $U/inter.crl not revoked, OCSP $U/ocsp good; mkcsr Rev Test Issuing CA: CRL $U/root.crl not revoked"

# ---- JSON --------------------------------------------------------------------
need_python
crl_time() {
	date -u -d "$(openssl crl -inform DER -in "$1" -noout "-$2" | sed 's/^[^=]*=//')" +%Y-%m-%dT%H:%M:%SZ
}
INTER_THIS=$(crl_time "$REV/www/inter.crl" lastupdate)
INTER_NEXT=$(crl_time "$REV/www/inter.crl" nextupdate)
ROOT_THIS=$(crl_time "$REV/www/root.crl" lastupdate)
ROOT_NEXT=$(crl_time "$REV/www/root.crl" nextupdate)
export U INTER_THIS INTER_NEXT ROOT_THIS ROOT_NEXT

# revocation_item_equals EXPECTED: the revocation check's object in the JSON
# report is EXPECTED (a Python expression); an OCSP source's this_update is
# checked to be a time and its next_update to be an hour later (openssl
# ocsp -nmin 60), then replaced by "OCSP-THIS"/"OCSP-NEXT".
revocation_item_equals() {
	MKCSR_TEST_EXPECTED=$1 "$PYTHON" - "$WORK/out" <<'PYEOF' || fail "the revocation check's JSON is not what was expected (above)"
import datetime, json, os, sys

env = os.environ
doc = json.load(open(sys.argv[1], encoding="utf-8"))
item = [c for c in doc["checks"] if c["id"] == "revocation"][0]
parse = lambda t: datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
for s in item.get("sources", []):
    if s["kind"] == "ocsp" and s["this_update"] is not None:
        if parse(s["next_update"]) - parse(s["this_update"]) != datetime.timedelta(minutes=60):
            sys.exit("OCSP times: %s, %s" % (s["this_update"], s["next_update"]))
        s["this_update"], s["next_update"] = "OCSP-THIS", "OCSP-NEXT"
expected = eval(env["MKCSR_TEST_EXPECTED"], {"env": env, "true": True, "false": False, "null": None})
if item != expected:
    print(json.dumps(item, indent=2), file=sys.stderr)
    print(json.dumps(expected, indent=2), file=sys.stderr)
    sys.exit(1)
PYEOF
}

ROOT_SOURCE='{"certificate": "mkcsr Rev Test Issuing CA", "depth": 1, "kind": "crl", "url": env["U"] + "/root.crl",
  "status": "good", "text": "not revoked", "detail": null, "this_update": env["ROOT_THIS"],
  "next_update": env["ROOT_NEXT"], "revoked_at": null, "reason": null, "proxy": null}'

# shellcheck disable=SC2086
run 0 check --cert good.pem $CHAIN --revocation fetch --json
revocation_item_equals '{"id": "revocation", "title": "revocation can be checked", "status": "pass",
 "detail": "not revoked; good.test: CRL " + env["U"] + "/inter.crl not revoked, OCSP " + env["U"] + "/ocsp good; mkcsr Rev Test Issuing CA: CRL " + env["U"] + "/root.crl not revoked",
 "windows_code": null, "verdict": "not-revoked", "sources": [
 {"certificate": "good.test", "depth": 0, "kind": "crl", "url": env["U"] + "/inter.crl", "status": "good",
  "text": "not revoked", "detail": null, "this_update": env["INTER_THIS"], "next_update": env["INTER_NEXT"],
  "revoked_at": null, "reason": null, "proxy": null},
 {"certificate": "good.test", "depth": 0, "kind": "ocsp", "url": env["U"] + "/ocsp", "status": "good",
  "text": "good", "detail": null, "this_update": "OCSP-THIS", "next_update": "OCSP-NEXT",
  "revoked_at": null, "reason": null, "proxy": null}, '"$ROOT_SOURCE"']}'

# shellcheck disable=SC2086
run 6 check --cert revoked.pem $CHAIN --revocation fetch --json
revocation_item_equals '{"id": "revocation", "title": "revocation can be checked", "status": "fail",
 "detail": "revoked; revoked.test: CRL " + env["U"] + "/inter.crl revoked on 2026-01-02 03:04:05 UTC (keyCompromise); mkcsr Rev Test Issuing CA: CRL " + env["U"] + "/root.crl not revoked",
 "windows_code": {"name": "CRYPT_E_REVOKED", "hex": "0x80092010", "decimal": -2146885616},
 "verdict": "revoked", "sources": [
 {"certificate": "revoked.test", "depth": 0, "kind": "crl", "url": env["U"] + "/inter.crl", "status": "revoked",
  "text": "revoked on 2026-01-02 03:04:05 UTC (keyCompromise)", "detail": null, "this_update": env["INTER_THIS"],
  "next_update": env["INTER_NEXT"], "revoked_at": "2026-01-02T03:04:05Z", "reason": "keyCompromise", "proxy": null}, '"$ROOT_SOURCE"']}'

# Without fetch the object is as it always was: no verdict, no sources.
# shellcheck disable=SC2086
run 0 check --cert good.pem $CHAIN --json
revocation_item_equals '{"id": "revocation", "title": "revocation can be checked", "status": "pass",
 "detail": "CRL " + env["U"] + "/inter.crl, OCSP " + env["U"] + "/ocsp", "windows_code": null}'

# ---- http_proxy and no_proxy -----------------------------------------------------
# The second server is a proxy: it answers absolute URIs from the same files.
rev_start_server proxy
P=$REV_URL_proxy
DEAD_PROXY=$(rev_dead_url | sed 's|/$||')
DEAD_HOSTPORT=${DEAD_PROXY#http://}

# Through the proxy, a CRL whose own server is down is fetched.
status=0
http_proxy=$P "$MKCSR" check --cert proxied.pem $CHAIN --revocation fetch > out 2> err || status=$?
[ "$status" -eq 0 ] || { cat out err >&2; fail "through the proxy: exit $status"; }
expect_check PASS revocation "not revoked; proxied.test: CRL ${DEAD}inter.crl not revoked; mkcsr Rev Test Issuing CA: CRL $U/root.crl not revoked"
grep -qF "\"GET ${DEAD}inter.crl HTTP/1.0\"" "$REV/proxy.log" || { cat "$REV/proxy.log" >&2; fail "the proxy was not asked for ${DEAD}inter.crl"; }

# HTTP_PROXY (upper case) too; a dead proxy is unreachable, and named.
status=0
HTTP_PROXY=$DEAD_PROXY "$MKCSR" check --cert good.pem $CHAIN --revocation fetch > out 2> err || status=$?
[ "$status" -eq 6 ] || { cat out err >&2; fail "through a dead proxy: exit $status"; }
expect_check FAIL revocation "no usable answer; good.test: CRL $U/inter.crl unreachable (through proxy $DEAD_HOSTPORT: connection refused), OCSP $U/ocsp unreachable (through proxy $DEAD_HOSTPORT: connection refused); mkcsr Rev Test Issuing CA: CRL $U/root.crl unreachable (through proxy $DEAD_HOSTPORT: connection refused)"
expect_windows revocation "CRYPT_E_REVOCATION_OFFLINE 0x80092013 (-2146885613)"

# no_proxy lets 127.0.0.1 go direct.
status=0
http_proxy=$DEAD_PROXY no_proxy=localhost,127.0.0.1 "$MKCSR" check --cert good.pem $CHAIN --revocation fetch > out 2> err ||
	status=$?
[ "$status" -eq 0 ] || { cat out err >&2; fail "with no_proxy: exit $status"; }
expect_check PASS revocation "not revoked; good.test: CRL $U/inter.crl not revoked, OCSP $U/ocsp good; mkcsr Rev Test Issuing CA: CRL $U/root.crl not revoked"
exit 0
