#!/bin/sh
# The exit code of mkcsr check sums the checks up: 0 fit (warnings
# allowed), 7 valid but expiring within --warn-days, 6 a requirement
# failed, 5 the key (or request) does not belong to the certificate.  A
# failure beats 7 and a mismatch beats 6; a warning of another check is
# never 7.  -q prints nothing and keeps the code.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

ok="--cert fullchain.pem --key leaf.key --ca-file root-ca.pem"

# 214 days are left on 2027-06-01: a 300-day window warns (exit 7)...
# shellcheck disable=SC2086
run_check 7 $ok --warn-days 300
expect_no_err
expect_statuses "PASS SKIP WARN SKIP PASS PASS PASS PASS"
expect_check WARN validity "expires on 2028-01-01 00:00:00 UTC, in 214 days: within the 300-day warning window"
expect_windows validity "CERT_E_EXPIRED 0x800B0101 (-2146762495)"
expect_result "valid, but expiring within the warning window (0 failed, 1 warning; exit 7)"
# shellcheck disable=SC2086
run_check 7 $ok --warn-days 215
expect_check WARN validity "expires on 2028-01-01 00:00:00 UTC, in 214 days: within the 215-day warning window"
# ... a shorter one does not, nor does 0.
for days in 213 30 0; do
	# shellcheck disable=SC2086
	run_check 0 $ok --warn-days "$days"
	expect_check PASS validity "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 214 days left"
	expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
done
# The last day, in the singular.
# shellcheck disable=SC2086
run 7 check --at 2027-12-31 $ok --warn-days 30
expect_check WARN validity "expires on 2028-01-01 00:00:00 UTC, in 1 day: within the 30-day warning window"
# shellcheck disable=SC2086
run 0 check --at 2027-12-31 $ok
expect_check PASS validity "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 1 day left"

# A warning of another check (no revocation information) is exit 0 ...
run_check 0 --cert leaf-norevocation.pem --chain inter-ca.pem --ca-file root-ca.pem --host vpn.example.com
expect_result "fit for the role (0 failed, 1 warning; exit 0)"
# ... and with the expiry warning, 7.
run_check 7 --cert leaf-norevocation.pem --chain inter-ca.pem --ca-file root-ca.pem --warn-days 300
expect_result "valid, but expiring within the warning window (0 failed, 2 warnings; exit 7)"

# A failure beats 7: the wrong EKU, or an untrusted chain, within the window.
run_check 6 --cert leaf-wrong-eku.pem --chain inter-ca.pem --ca-file root-ca.pem --warn-days 300
expect_statuses "SKIP SKIP WARN SKIP FAIL PASS PASS PASS"
expect_result "the certificate fails a requirement (1 failed, 1 warning; exit 6)"
run_check 6 --cert fullchain.pem --ca-file other-root.pem --warn-days 300
expect_result "the certificate fails a requirement (1 failed, 1 warning; exit 6)"
# An expired certificate fails; the window does not turn that into a warning.
run_check 6 --cert leaf-expired.pem --chain inter-ca.pem --ca-file root-ca.pem --warn-days 300
expect_statuses "SKIP SKIP FAIL SKIP PASS PASS PASS PASS"

# A mismatch beats 6 and 7: the wrong key for a certificate that also fails and expires soon.
run_check 5 --cert leaf-wrong-eku.pem --chain inter-ca.pem --key other.key --ca-file other-root.pem --warn-days 300
expect_statuses "FAIL SKIP WARN SKIP FAIL PASS FAIL PASS"
expect_result "the key and the certificate do not belong together (3 failed, 1 warning; exit 5)"
run_check 5 --cert leaf-expired.pem --chain inter-ca.pem --csr leaf.csr --key other.key --ca-file root-ca.pem
expect_result "the key and the certificate do not belong together (2 failed, 0 warnings; exit 5)"

# -q: nothing on stdout or stderr, the same exit codes.
# shellcheck disable=SC2086
run_check 0 -q $ok
expect_no_out
expect_no_err
# shellcheck disable=SC2086
run_check 7 -q $ok --warn-days 300
expect_no_out
expect_no_err
run_check 6 -q --cert leaf-expired.pem --chain inter-ca.pem --ca-file root-ca.pem
expect_no_out
expect_no_err
run_check 5 --quiet --cert leaf-otherkey.pem --key leaf.key --ca-file root-ca.pem
expect_no_out
expect_no_err
# Errors are still reported with -q.
run_check 3 -q --cert missing.pem
expect_no_out
expect_err_first "mkcsr check: cannot read file: 'missing.pem': No such file or directory"

exit 0
