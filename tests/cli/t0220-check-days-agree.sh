#!/bin/sh
# check and inspect count the days left with one function (chain_days_left)
# and agree, in text and JSON, at a fixed --at: for an expired, an expiring
# and a valid certificate, and around notAfter itself.  The rule: whole
# days from --at to notAfter, rounded down; notAfter itself is still valid
# (day 0), one second later is day -1 ("expired 1 day ago").  Before the
# shared function, check truncated towards zero and said "703 days ago"
# where inspect said 704 for the same certificate at the same moment.
. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

# json_days: the days_left member of the JSON on stdout.
json_days() {
	sed -n 's/^ *"days_left": \(-\{0,1\}[0-9]*\),\{0,1\}$/\1/p' "$WORK/out"
}

# agree CERT AT DAYS CHECK_EXIT VALIDITY_LINE INSPECT_STATUS INSPECT_DAYS [CHECK_OPTION...]:
# check prints VALIDITY_LINE and days_left DAYS, inspect "Status: INSPECT_STATUS",
# "Days left: INSPECT_DAYS" and days_left DAYS, all at --at AT.
agree() {
	ag_cert=$1 ag_at=$2 ag_days=$3 ag_exit=$4 ag_line=$5 ag_status=$6 ag_text=$7
	shift 7
	run "$ag_exit" check --cert "$ag_cert" --at "$ag_at" "$@"
	expect_out_line "$ag_line"
	run "$ag_exit" check --json --cert "$ag_cert" --at "$ag_at" "$@"
	[ "$(json_days)" = "$ag_days" ] || { cat "$WORK/out" >&2; fail "check --json at $ag_at: days_left $(json_days), expected $ag_days"; }
	run 0 inspect --at "$ag_at" "$ag_cert"
	expect_out_line "$(printf '  %-30s%s' 'Status:' "$ag_status")"
	expect_out_line "$(printf '  %-30s%s' 'Days left:' "$ag_text")"
	run 0 inspect --json --at "$ag_at" "$ag_cert"
	[ "$(json_days)" = "$ag_days" ] || { cat "$WORK/out" >&2; fail "inspect --json at $ag_at: days_left $(json_days), expected $ag_days"; }
}

EXPIRED_FAIL="  FAIL  validity    expired on 2021-01-01 00:00:00 UTC"
SSTP=": every SSTP client fails, while IKEv2 may still work"
EXPIRED_PASS="  PASS  validity    valid from 2020-01-01 00:00:00 UTC to 2021-01-01 00:00:00 UTC"

# Expired 703 days and 12 hours ago: day -704 in both (leaf-expired lacks
# its intermediate here, so check exits 6 in every case below).
agree leaf-expired.pem 2022-12-05T12:00:00Z -704 6 "$EXPIRED_FAIL (704 days ago)$SSTP" expired 'expired 704 days ago'
# Exactly 703 days after: day -703.
agree leaf-expired.pem 2022-12-05T00:00:00Z -703 6 "$EXPIRED_FAIL (703 days ago)$SSTP" expired 'expired 703 days ago'
# The boundary: notAfter itself is valid, day 0; one second later, day -1.
agree leaf-expired.pem 2021-01-01T00:00:00Z 0 6 "$EXPIRED_PASS, 0 days left" valid 0
agree leaf-expired.pem 2021-01-01T00:00:01Z -1 6 "$EXPIRED_FAIL (1 day ago)$SSTP" expired 'expired 1 day ago'
agree leaf-expired.pem 2020-12-31T00:00:01Z 0 6 "$EXPIRED_PASS, 0 days left" valid 0
agree leaf-expired.pem 2020-12-31T00:00:00Z 1 6 "$EXPIRED_PASS, 1 day left" valid 1

# Expiring: 16 days and 18 hours left, inside a 30-day window (exit 7).
agree leaf-good.pem 2027-12-15T06:00:00Z 16 7 \
	"  WARN  validity    expires on 2028-01-01 00:00:00 UTC, in 16 days: within the 30-day warning window" valid 16 \
	--chain inter-ca.pem --ca-file root-ca.pem --warn-days 30
# Valid: the suite's "now".
agree leaf-good.pem 2027-06-01T00:00:00Z 214 0 \
	"  PASS  validity    valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 214 days left" valid 214 \
	--chain inter-ca.pem --ca-file root-ca.pem
# Not yet valid: no count in check's text, the same days_left in both JSON documents.
agree leaf-notyet.pem 2027-06-01T00:00:00Z 3136 6 \
	"  FAIL  validity    not valid before 2035-01-01 00:00:00 UTC: a clock running behind, or a certificate dated ahead" \
	'not yet valid' 3136 --chain inter-ca.pem --ca-file root-ca.pem
exit 0
