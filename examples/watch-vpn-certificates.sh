#!/bin/sh
# Watch the certificates of VPN endpoints: probe every target of a list as
# a Windows client would (mkcsr probe), log or mail a one-line-per-target
# summary, and exit non-zero when any endpoint is expiring, presents the
# wrong certificate, fails a check or is down.  Made for cron or a systemd
# timer:
#
#   # /etc/cron.d/watch-vpn: every hour, mail the admins when something is wrong
#   17 * * * *  nobody  TARGETS_FILE=/etc/vpn-targets.txt MAIL_TO=vpn-admins@example.com sh /usr/local/share/mkcsr/examples/watch-vpn-certificates.sh
#
#   # systemd: watch-vpn.service (Type=oneshot, ExecStart=/bin/sh .../watch-vpn-certificates.sh,
#   # Environment=TARGETS_FILE=/etc/vpn-targets.txt LOG_FILE=/var/log/watch-vpn.log)
#   # and watch-vpn.timer (OnCalendar=hourly); a failed run shows in systemctl --failed.
#
# The targets file has one endpoint a line, as mkcsr probe --targets reads it:
#
#   # NAME[:PORT]        [ADDRESS[:PORT]]   (the address: one server behind the name)
#   vpn.example.com
#   vpn.example.com      192.0.2.11
#   vpn.example.com      192.0.2.12
#   gateway.example.com:8443
#
# Settings (environment variables; see examples/README.md):
#   TARGETS_FILE   the list of endpoints (required)
#   MKCSR          the mkcsr program                                   (default: mkcsr)
#   WARN_DAYS      report a certificate expiring within this many days (default: 30)
#   TIMEOUT        seconds each endpoint may take, revocation included (default: 10)
#   ROLE           sstp (RRAS: also speak SSTP) or tls (any HTTPS endpoint) (default: sstp)
#   CA_FILE        the root to trust instead of the system store (a private CA)
#   PROBE_OPTIONS  more mkcsr probe options, split on blanks (e.g. "--jobs 4")
#   LOG_FILE       append each summary line, with the time, to this file (default: standard output)
#   MAIL_TO        mail the summary to this address when something is wrong
#   MAIL_ALWAYS    1: mail the summary after every run, not only when something is wrong
#   MAIL_COMMAND   how to send it: run with sh -c, the summary on its standard input and
#                  SUBJECT and MAIL_TO in its environment (default: mail -s "$SUBJECT" "$MAIL_TO")
#
# Exit status: mkcsr probe's, the worst over the endpoints: 0 all fine,
# 7 a certificate expiring within WARN_DAYS, 6 a check failed (or an SSTP
# listener did not answer), 5 a certificate differs from what was
# expected, 8 an endpoint could not be reached; 2 or 3 for a bad setting or
# targets file; 1 when the summary could not be logged or mailed.
set -eu

MKCSR=${MKCSR:-mkcsr}
TARGETS_FILE=${TARGETS_FILE:-}
WARN_DAYS=${WARN_DAYS:-30}
TIMEOUT=${TIMEOUT:-10}
ROLE=${ROLE:-sstp}
CA_FILE=${CA_FILE:-}
PROBE_OPTIONS=${PROBE_OPTIONS:-}
LOG_FILE=${LOG_FILE:-}
MAIL_TO=${MAIL_TO:-}
MAIL_ALWAYS=${MAIL_ALWAYS:-0}
MAIL_COMMAND=${MAIL_COMMAND:-'mail -s "$SUBJECT" "$MAIL_TO"'}

say() {
	printf 'watch-vpn-certificates: %s\n' "$*" >&2
}

if [ -z "$TARGETS_FILE" ]; then
	say "set TARGETS_FILE to the list of endpoints to probe"
	exit 2
fi

SUMMARY=$(mktemp "${TMPDIR:-/tmp}/watch-vpn.XXXXXX")
trap 'rm -f "$SUMMARY"' EXIT
trap 'exit 1' HUP INT TERM

set -- probe --targets "$TARGETS_FILE" --summary --role "$ROLE" --warn-days "$WARN_DAYS" --timeout "$TIMEOUT"
[ -z "$CA_FILE" ] || set -- "$@" --ca-file "$CA_FILE"
# shellcheck disable=SC2086 # PROBE_OPTIONS is a list of options
status=0
"$MKCSR" "$@" $PROBE_OPTIONS > "$SUMMARY" || status=$?

case $status in
0) verdict="all fine" ;;
7) verdict="a certificate expires within $WARN_DAYS days" ;;
6) verdict="a check failed" ;;
5) verdict="a server presents another certificate than expected" ;;
8) verdict="an endpoint is down" ;;
*)
	# mkcsr said why on standard error; nothing was probed.
	say "mkcsr probe could not run (exit $status)"
	exit "$status"
	;;
esac

stamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
if [ -n "$LOG_FILE" ]; then
	sed "s/^/$stamp /" "$SUMMARY" >> "$LOG_FILE" || { say "cannot write $LOG_FILE"; exit 1; }
else
	cat "$SUMMARY"
fi

if [ -n "$MAIL_TO" ] && { [ "$status" -ne 0 ] || [ "$MAIL_ALWAYS" = 1 ]; }; then
	SUBJECT="VPN certificates: $verdict (exit $status)"
	export SUBJECT MAIL_TO
	sh -c "$MAIL_COMMAND" < "$SUMMARY" || { say "cannot mail the summary to $MAIL_TO"; exit 1; }
fi
exit "$status"
