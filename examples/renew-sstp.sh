#!/bin/sh
# Renewal runbook for the RRAS SSTP certificate: from the certificate the
# server uses now to the PFX that replaces it.
#
#   1. mkcsr new --like  a request with the same subject, names, usages and key
#                        type as the deployed certificate, and a fresh key
#   2. submit            the request goes to the CA (SUBMIT: lego by default)
#   3. mkcsr check       the new certificate against key, request, SSTP role,
#                        root and --warn-days; the exit code decides
#   4. mkcsr pfx         the PFX, then the command that installs it on the server
#
#   CURRENT_CERT=vpn.example.com.cer sh renew-sstp.sh
#   CURRENT_CERT=old.pfx CURRENT_PFX_PASS_FILE=old.pfx.pass SUBMIT=manual sh renew-sstp.sh
#
# Settings (environment variables; see examples/README.md):
#   CURRENT_CERT           the deployed certificate: .cer/.crt/.pem (PEM or DER) or .pfx (required)
#   CURRENT_PFX_PASS_FILE  a file holding the password of CURRENT_CERT when it is a PFX
#   MKCSR                  the mkcsr program                       (default: mkcsr)
#   WORKDIR                a new directory for this renewal        (default: ./renewal-YYYYMMDD-HHMMSS)
#   SUBMIT                 how the request reaches the CA: lego (default), manual, or a
#                          command line run with sh -c, given CSR, CERT_OUT and CHAIN_OUT
#   ACME_SERVER, ACME_EMAIL, LEGO, LEGO_EXTRA_ARGS   for SUBMIT=lego, as in acme-csr-pipeline.sh
#                          (ACME_EMAIL defaults to hostmaster@ the parent domain of the name)
#   MANUAL_WAIT            for SUBMIT=manual: seconds to wait for CERT_OUT (default: 3600)
#   PFX_PASS_FILE          a file holding the new PFX's password   (default: a new random one)
#   WARN_DAYS              warn when the new certificate has fewer days left (default: 30)
#   CA_FILE                the root to trust instead of the system store (a private or test CA)
#
# Exit status: 0 when the PFX is made; otherwise the failing step's code
# (mkcsr's: 2 usage, 3 bad input, 4 files already there, 5 key mismatch,
# 6 a requirement failed; or the SUBMIT command's).
set -eu

MKCSR=${MKCSR:-mkcsr}
CURRENT_CERT=${CURRENT_CERT:-}
CURRENT_PFX_PASS_FILE=${CURRENT_PFX_PASS_FILE:-}
WORKDIR=${WORKDIR:-./renewal-$(date +%Y%m%d-%H%M%S)}
SUBMIT=${SUBMIT:-lego}
ACME_SERVER=${ACME_SERVER:-https://acme-v02.api.letsencrypt.org/directory}
ACME_EMAIL=${ACME_EMAIL:-}
LEGO=${LEGO:-lego}
LEGO_EXTRA_ARGS=${LEGO_EXTRA_ARGS:---http}
MANUAL_WAIT=${MANUAL_WAIT:-3600}
PFX_PASS_FILE=${PFX_PASS_FILE:-}
WARN_DAYS=${WARN_DAYS:-30}
CA_FILE=${CA_FILE:-}

say() { printf '%s\n' "$*"; }
stop() { # stop STATUS MESSAGE...
	stop_status=$1
	shift
	printf 'renew-sstp: %s\n' "$*" >&2
	exit "$stop_status"
}

[ -n "$CURRENT_CERT" ] || stop 2 "set CURRENT_CERT to the certificate the server uses now (.cer, .pem or .pfx)"
[ -r "$CURRENT_CERT" ] || stop 3 "CURRENT_CERT=$CURRENT_CERT cannot be read"
if [ -e "$WORKDIR" ] && [ -n "$(ls -A "$WORKDIR")" ]; then
	stop 4 "WORKDIR=$WORKDIR is not empty: each renewal gets a new directory"
fi
mkdir -p "$WORKDIR"

say "== 1. mkcsr new --like $CURRENT_CERT: the same request, with a fresh key"
set -- --like "$CURRENT_CERT" --out-dir "$WORKDIR"
[ -z "$CURRENT_PFX_PASS_FILE" ] || set -- "$@" --pass "file:$CURRENT_PFX_PASS_FILE"
status=0
"$MKCSR" new "$@" || status=$?
[ "$status" -eq 0 ] || stop "$status" "mkcsr new --like failed (exit $status)"
key=
csr=
for f in "$WORKDIR"/*.key; do [ -f "$f" ] && key=$f; done
for f in "$WORKDIR"/*.csr; do [ -f "$f" ] && csr=$f; done
if [ -z "$key" ] || [ -z "$csr" ]; then
	stop 3 "mkcsr new wrote no key and request in $WORKDIR"
fi
stem=${key##*/}
stem=${stem%.key}

# What the CA returns goes here, whoever the CA is.
CERT_OUT=$WORKDIR/$stem.cer
CHAIN_OUT=$WORKDIR/$stem.chain

# SUBMIT=lego: an ACME CA signs the request (the key never leaves this machine).
submit_lego() {
	set -- --accept-tos --email "${ACME_EMAIL:-hostmaster@${stem#*.}}" --server "$ACME_SERVER" \
		--csr "$csr" --path "$WORKDIR/lego"
	# shellcheck disable=SC2086 # LEGO_EXTRA_ARGS is a list of options
	"$LEGO" "$@" $LEGO_EXTRA_ARGS run < /dev/null || return
	for lego_issuer in "$WORKDIR"/lego/certificates/*.issuer.crt; do
		[ -f "$lego_issuer" ] || continue
		cp "$lego_issuer" "$CHAIN_OUT"
		cp "${lego_issuer%.issuer.crt}.crt" "$CERT_OUT"
	done
}

# SUBMIT=manual: someone takes the request to the CA's web form (AD CS
# /certsrv, a public CA's portal) and saves what comes back as CERT_OUT.
submit_manual() {
	say "Submit $csr to the CA (paste its Base64 text into the web form),"
	say "then save the issued certificate (Base64 or DER, chain included if offered) as:"
	say "  $CERT_OUT"
	say "Waiting up to $MANUAL_WAIT s for that file..."
	waited=0
	while [ ! -s "$CERT_OUT" ]; do
		[ "$waited" -lt "$MANUAL_WAIT" ] || { say "no $CERT_OUT after $MANUAL_WAIT s" >&2; return 1; }
		sleep 5
		waited=$((waited + 5))
	done
	sleep 1 # let a browser finish writing it
}

say ""
say "== 2. submit ($SUBMIT): $csr"
status=0
case $SUBMIT in
lego) submit_lego || status=$? ;;
manual) submit_manual || status=$? ;;
*) CSR=$csr CERT_OUT=$CERT_OUT CHAIN_OUT=$CHAIN_OUT sh -c "$SUBMIT" || status=$? ;;
esac
[ "$status" -eq 0 ] || stop "$status" "SUBMIT ($SUBMIT) failed (exit $status): no certificate; the new key and request stay in $WORKDIR"
[ -s "$CERT_OUT" ] || stop 3 "SUBMIT ($SUBMIT) wrote no certificate to $CERT_OUT"

say ""
say "== 3. mkcsr check: the new certificate for RRAS SSTP"
set -- --cert "$CERT_OUT" --key "$key" --csr "$csr" --role sstp --warn-days "$WARN_DAYS"
[ ! -s "$CHAIN_OUT" ] || set -- "$@" --chain "$CHAIN_OUT"
[ -z "$CA_FILE" ] || set -- "$@" --ca-file "$CA_FILE"
status=0
"$MKCSR" check "$@" || status=$?
case $status in
0) say "The new certificate is fit for RRAS SSTP." ;;
7) say "renew-sstp: WARNING: the new certificate expires within $WARN_DAYS days; going on" >&2 ;;
5) stop 5 "STOP: the certificate is not for the new key $key (or not for the request): do not install it" ;;
6) stop 6 "STOP: the new certificate fails a requirement (the FAIL lines above say which, with the Windows error it would cause)" ;;
*) stop "$status" "STOP: mkcsr check could not check the new certificate (exit $status)" ;;
esac

say ""
say "== 4. mkcsr pfx: the PFX for LocalMachine\\My"
pfx=$WORKDIR/$stem.pfx
if [ -n "$PFX_PASS_FILE" ]; then
	set -- --pass "file:$PFX_PASS_FILE"
	pass_where=$PFX_PASS_FILE
else
	set -- --pass "generate:$WORKDIR/$stem.pfx.pass"
	pass_where="$WORKDIR/$stem.pfx.pass (new, mode 0600)"
fi
set -- "$@" --cert "$CERT_OUT" --key "$key" --role sstp --out "$pfx"
[ ! -s "$CHAIN_OUT" ] || set -- "$@" --chain "$CHAIN_OUT"
status=0
"$MKCSR" pfx -q "$@" || status=$?
[ "$status" -eq 0 ] || stop "$status" "mkcsr pfx failed (exit $status)"

say ""
say "PFX ready: $pfx"
say "Password:  $pass_where"
say ""
say "On the RRAS server: copy ${pfx##*/} and Install-SstpCertificate.ps1 (from mkcsr's examples)"
say "to one folder, open PowerShell as Administrator there, and run (it asks for the password):"
say "  .\\Install-SstpCertificate.ps1 -PfxPath .\\${pfx##*/}"
