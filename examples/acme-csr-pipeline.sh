#!/bin/sh
# A certificate for an RRAS SSTP server from an ACME CA, with no prompt at
# any step, for cron or a CI job:
#
#   1. mkcsr new     a new key and a certlm-style request for HOST
#   2. lego --csr    the ACME CA signs that very request (the key never leaves)
#   3. mkcsr check   certificate against key, request, host, role and root;
#                    the exit code decides whether to go on
#   4. mkcsr pfx     the PFX for Windows, its password from a file
#
#   HOST=vpn.example.com ACME_EMAIL=hostmaster@example.com \
#   LEGO_EXTRA_ARGS="--http --http.webroot /var/www/html" sh acme-csr-pipeline.sh
#
# Everything is set through environment variables (see examples/README.md):
#   MKCSR            the mkcsr program                  (default: mkcsr)
#   HOST             the server's public name           (default: vpn.example.com)
#   MKCSR_NEW_ARGS   more options for mkcsr new, e.g. "--minimal" or "--san vpn2.example.com"
#   ACME_SERVER      the CA's ACME directory URL        (default: Let's Encrypt)
#   ACME_EMAIL       the ACME account's contact         (default: hostmaster@ the parent domain)
#   LEGO             the lego program                   (default: lego)
#   LEGO_EXTRA_ARGS  how lego answers the challenge     (default: --http)
#   WORKDIR          where every file goes; must not hold an earlier run's key
#                                                       (default: ./HOST)
#   PFX_PASS_FILE    a file holding the PFX password    (default: a new random one,
#                                                        saved in WORKDIR/NAME.pfx.pass)
#   WARN_DAYS        exit 7 from mkcsr check below this many days left: a warning here
#                                                       (default: 30)
#   CA_FILE          the root to trust instead of the system store (a private or test CA)
#
# Exit status: 0 when the PFX is made; otherwise the failing step's code:
# mkcsr's (2 usage, 3 bad input, 4 files of an earlier run, 5 key mismatch,
# 6 a requirement failed), or lego's.
set -eu

MKCSR=${MKCSR:-mkcsr}
HOST=${HOST:-vpn.example.com}
MKCSR_NEW_ARGS=${MKCSR_NEW_ARGS:-}
ACME_SERVER=${ACME_SERVER:-https://acme-v02.api.letsencrypt.org/directory}
ACME_EMAIL=${ACME_EMAIL:-hostmaster@${HOST#*.}}
LEGO=${LEGO:-lego}
LEGO_EXTRA_ARGS=${LEGO_EXTRA_ARGS:---http}
WORKDIR=${WORKDIR:-./$HOST}
PFX_PASS_FILE=${PFX_PASS_FILE:-}
WARN_DAYS=${WARN_DAYS:-30}
CA_FILE=${CA_FILE:-}

say() { printf '%s\n' "$*"; }
stop() { # stop STATUS MESSAGE...
	stop_status=$1
	shift
	printf 'acme-csr-pipeline: %s\n' "$*" >&2
	exit "$stop_status"
}

# File names: mkcsr's for the key and request (a wildcard host becomes
# "_wildcard."), lego's for what the CA returns ("*" becomes "_").
case $HOST in
'*.'*) stem=_wildcard.${HOST#\*.} ;;
*) stem=$HOST ;;
esac
lego_name=$(printf '%s' "$HOST" | sed 's/\*/_/')
key=$WORKDIR/$stem.key
csr=$WORKDIR/$stem.csr
pfx=$WORKDIR/$stem.pfx
crt=$WORKDIR/lego/certificates/$lego_name.crt
issuer=$WORKDIR/lego/certificates/$lego_name.issuer.crt
if [ -n "$PFX_PASS_FILE" ]; then
	[ -r "$PFX_PASS_FILE" ] || stop 3 "PFX_PASS_FILE=$PFX_PASS_FILE cannot be read"
	pass_source=file:$PFX_PASS_FILE
	pass_where=$PFX_PASS_FILE
else
	pass_source=generate:$WORKDIR/$stem.pfx.pass
	pass_where="$WORKDIR/$stem.pfx.pass (new, mode 0600)"
fi
mkdir -p "$WORKDIR"

say "== 1. mkcsr new: key and request for $HOST"
status=0
# shellcheck disable=SC2086 # MKCSR_NEW_ARGS is a list of options
"$MKCSR" new --host "$HOST" --key "$key" --csr "$csr" $MKCSR_NEW_ARGS || status=$?
case $status in
0) ;;
4) stop 4 "$WORKDIR already holds the key or request of an earlier run: set WORKDIR to a new directory (the old key still fits the old certificate)" ;;
*) stop "$status" "mkcsr new failed (exit $status)" ;;
esac

say ""
say "== 2. lego --csr: $ACME_SERVER signs $csr"
status=0
# shellcheck disable=SC2086 # LEGO_EXTRA_ARGS is a list of options
"$LEGO" --accept-tos --email "$ACME_EMAIL" --server "$ACME_SERVER" \
	--csr "$csr" --path "$WORKDIR/lego" $LEGO_EXTRA_ARGS run < /dev/null || status=$?
[ "$status" -eq 0 ] || stop "$status" "lego failed (exit $status): no certificate; the key and request stay in $WORKDIR"
[ -s "$crt" ] || stop 3 "lego reported success but wrote no $crt"

say ""
say "== 3. mkcsr check: the certificate against key, request, host and role"
set -- --cert "$crt" --key "$key" --csr "$csr" --host "$HOST" --role sstp --warn-days "$WARN_DAYS"
[ ! -s "$issuer" ] || set -- "$@" --chain "$issuer"
[ -z "$CA_FILE" ] || set -- "$@" --ca-file "$CA_FILE"
status=0
"$MKCSR" check "$@" || status=$?
case $status in
0) say "The certificate is fit for RRAS SSTP." ;;
7) say "acme-csr-pipeline: WARNING: the new certificate expires within $WARN_DAYS days (the CA's lifetime is shorter than WARN_DAYS?); going on" >&2 ;;
5) stop 5 "STOP: the certificate is not for the key in $key (or not for the request): do not install it" ;;
6) stop 6 "STOP: the certificate fails a requirement (the FAIL lines above say which, with the Windows error it would cause)" ;;
*) stop "$status" "STOP: mkcsr check could not check the certificate (exit $status)" ;;
esac

say ""
say "== 4. mkcsr pfx: the PFX for LocalMachine\\My"
set -- --cert "$crt" --key "$key" --role sstp --pass "$pass_source" --out "$pfx"
[ ! -s "$issuer" ] || set -- "$@" --chain "$issuer"
status=0
"$MKCSR" pfx "$@" || status=$?
[ "$status" -eq 0 ] || stop "$status" "mkcsr pfx failed (exit $status)"

say ""
say "PFX ready: $pfx"
say "Password:  $pass_where"
