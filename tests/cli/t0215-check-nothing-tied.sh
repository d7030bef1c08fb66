#!/bin/sh
# check --cert with none of --key, --csr and --host checks nothing that ties
# the certificate to this server: the result says so instead of "fit for
# the role", in the text and in the JSON summary (whose counts show the
# three skipped checks); any one of the three makes it "fit for the role"
# again.  The exit status is 0 either way.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs
need_python json

untied="nothing failed, but nothing was checked about the key or the name: give --key, and --host or --csr"
run_check 0 --cert fullchain.pem --ca-file root-ca.pem
expect_statuses "SKIP SKIP PASS SKIP PASS PASS PASS PASS"
expect_result "$untied (0 failed, 0 warnings; exit 0)"
expect_out_lacks "fit for the role"
# A warning elsewhere does not change it.
run_check 0 --cert leaf-norevocation.pem --chain inter-ca.pem --ca-file root-ca.pem
expect_result "$untied (0 failed, 1 warning; exit 0)"
# The JSON summary, with the counts.
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --json
"$PYTHON" -c '
import json, sys
r = json.load(open(sys.argv[1]))["result"]
want = {"exit_code": 0, "summary": sys.argv[2], "passed": 5, "warned": 0, "failed": 0, "skipped": 3}
sys.exit(None if r == want else "result is %r" % r)' "$WORK/out" "$untied" || fail "the JSON result is not what was expected"

# One of them is enough for "fit for the role".
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --key leaf.key
expect_statuses "PASS SKIP PASS SKIP PASS PASS PASS PASS"
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --host vpn.example.com
expect_statuses "SKIP SKIP PASS PASS PASS PASS PASS PASS"
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --csr leaf.csr
expect_statuses "SKIP PASS PASS PASS PASS PASS PASS PASS"
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
# A failure is still named as one.
run_check 6 --cert leaf-expired.pem --chain inter-ca.pem --ca-file root-ca.pem
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
exit 0
