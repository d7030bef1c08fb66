#!/bin/sh
# mkcsr check's options: the --at forms (a date, a date and time with or
# without Z, @SECONDS), and every bad --at, --warn-days and --role value,
# missing or extra arguments: exit 2 with the exact message and hint,
# before any file is read (the --cert given does not exist), nothing on
# stdout.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

# at TEXT ISO [EXIT]: --at TEXT is the instant ISO (as the JSON report shows it).
at() {
	run "${3:-0}" check --cert fullchain.pem --ca-file root-ca.pem --at "$1" --json
	expect_out_line "  \"at\": \"$2\","
}
at 2027-06-01 2027-06-01T00:00:00Z
at 2027-06-01T00:00:00Z 2027-06-01T00:00:00Z
at 2027-06-01T12:34:56Z 2027-06-01T12:34:56Z
at 2027-06-01T12:34:56 2027-06-01T12:34:56Z
at "2027-06-01 12:34:56" 2027-06-01T12:34:56Z
at @1811808000 2027-06-01T00:00:00Z
# A leap day (after the leaf expired: exit 6).
at 2028-02-29 2028-02-29T00:00:00Z 6
# The text report counts the days from that instant.
run 0 check --cert fullchain.pem --ca-file root-ca.pem --at 2027-06-01T12:00:00Z
expect_check PASS validity "valid from 2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC, 213 days left"

# bad OPTION VALUE MESSAGE HINT: exit 2, exactly MESSAGE and HINT on stderr.
bad() {
	run 2 check --cert missing.pem "$1" "$2"
	expect_no_out
	printf 'mkcsr check: %s\nmkcsr check: hint: %s\n' "$3" "$4" > expected.err
	diff expected.err "$WORK/err" >&2 || fail "mkcsr check $1 '$2': stderr differs (diff above)"
	rm -f expected.err
}
at_hint="write a UTC time as 2027-06-01, 2027-06-01T12:00:00Z or @SECONDS-SINCE-1970"
for v in "" tomorrow now 2027 2027-06 2027-13-01 2027-00-10 2027-06-00 2027-06-32 2027-02-30 2027-06-31 2026-02-29 \
	2027-06-01T25:00:00Z 2027-06-01T12:60:00Z 2027-06-01T12:00Z 2027-06-01T12:00:00+01:00 2027-06-01Z \
	2027-06-01T12:00:00ZZ 2027-06-01x @ @12x @1.5 -1; do
	bad --at "$v" "invalid time: '$v'" "$at_hint"
done
days_hint="give a whole number of days, 0 or more"
for v in "" -1 abc 1.5 0x10 7d 36501 99999999999999999999; do
	bad --warn-days "$v" "invalid number: --warn-days '$v'" "$days_hint"
done
# The largest window is taken.
run_check 7 --cert fullchain.pem --ca-file root-ca.pem --warn-days 36500
for v in "" bogus server rras "sstp," "sstp ikev2"; do
	bad --role "$v" "unknown role: '$v'" "use sstp, ikev2, nps, client, device or tls"
done
# Role tls: any TLS server, with the Server Authentication usage.
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --role TLS
expect_out_line "  Role:       tls (TLS server (HTTPS, a load balancer))"
run_check 6 --cert leaf-client.pem --chain inter-ca.pem --ca-file root-ca.pem --role tls
expect_out "the tls role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
# Roles are case-insensitive.
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --role SSTP
expect_out_line "  Role:       sstp (RRAS SSTP server)"
run_check 0 --cert fullchain.pem --ca-file root-ca.pem --role Nps
expect_out_line "  Role:       nps (NPS server (PEAP, EAP-TLS))"
run 2 check --cert missing.pem --key missing.key --key-pass bogus:x
expect_no_out
expect_err_first "mkcsr check: invalid passphrase source: 'bogus:x'"
expect_err_line "mkcsr check: hint: use env:VAR, file:PATH, fd:N, stdin, prompt (or pass:TEXT, which other users can see); mkcsr pfx --pass also takes generate:FILE"

# Missing and extra arguments.
run 2 check --at "$CHECK_AT"
expect_no_out
expect_err_first "mkcsr check: invalid usage: --cert FILE is required: the certificate to check"
expect_err_line "mkcsr check: hint: see --help"
run 2 check --at "$CHECK_AT" --cert missing.pem --key-pass env:HOME
expect_err_first "mkcsr check: invalid usage: --key-pass without --key"
run 2 check --cert missing.pem --ca-file root-ca.pem --ca-dir .
expect_err_first "mkcsr check: invalid usage: --ca-file and --ca-dir: give one of them"
run 2 check --at "$CHECK_AT" --cert fullchain.pem extra
expect_no_out
expect_err_first "mkcsr check: unexpected argument 'extra'"
expect_err_line "mkcsr check: hint: see mkcsr check --help"
run 2 check --at "$CHECK_AT" --cert fullchain.pem --bogus
expect_err_first "mkcsr check: --bogus: unknown option"
run 2 check --cert
expect_err_first "mkcsr check: --cert: missing argument"

# --help lists every option.
run 0 check --help
for opt in --cert= --key= --key-pass= --csr= --chain= --host= --role= --ca-file= --ca-dir= --warn-days= --at= \
	--quiet --verbose --json; do
	expect_out "$opt"
done

exit 0
