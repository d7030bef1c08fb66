# The shell walk-throughs of examples/ run as documented against a real ACME
# CA (Pebble on 127.0.0.1, as in i0110): acme-csr-pipeline.sh issues, checks
# and packs a certificate, branching on mkcsr check's exit code; then
# renew-sstp.sh renews that certificate, from its PEM and from its PFX,
# into a request with the same subject, names and usages and a new key.
. "$TESTS_SRCDIR/cli/lib.sh"
. "$TESTS_SRCDIR/interop/acme-lib.sh"

EXAMPLES="$TESTS_SRCDIR/../examples"

acme_start
acme_root root.pem
mkdir -p "$ACME_DIR/webroot" || fail "cannot make $ACME_DIR/webroot"

# The settings every run shares: lego against this pebble, as acme_issue
# runs it (pebble's listener CA trusted through LEGO_CA_CERTIFICATES, the
# http-01 answer written to a webroot, no port opened).
export MKCSR
ACME_SERVER=$ACME_DIR_URL
ACME_EMAIL=admin@example.com
LEGO=lego
LEGO_EXTRA_ARGS="--http --http.webroot $ACME_DIR/webroot --http-timeout 10"
LEGO_CA_CERTIFICATES=$ACME_DIR/listener-ca.pem
export ACME_SERVER ACME_EMAIL LEGO LEGO_EXTRA_ARGS LEGO_CA_CERTIFICATES

# example NAME EXPECTED_EXIT SCRIPT [VAR=VALUE...]: runs examples/SCRIPT with
# those settings, stdout in NAME.out, stderr in NAME.err, at most 60 s.
example() {
	ex_name=$1 ex_expected=$2 ex_script=$3
	shift 3
	ex_status=0
	env "$@" timeout -k 5 60 sh "$EXAMPLES/$ex_script" > "$ex_name.out" 2> "$ex_name.err" < /dev/null || ex_status=$?
	if [ "$ex_status" -ne "$ex_expected" ]; then
		printf -- '--- %s stdout\n' "$ex_name" >&2; cat "$ex_name.out" >&2
		printf -- '--- %s stderr\n' "$ex_name" >&2; cat "$ex_name.err" >&2
		fail "$ex_script ($ex_name) exited $ex_status, expected $ex_expected"
	fi
}

# pfx_holds_key PFX PASSFILE KEY: OpenSSL opens PFX with the password in
# PASSFILE, and finds the private key KEY in it.
pfx_holds_key() {
	openssl pkcs12 -in "$1" -nodes -passin "file:$2" > "$1.pem" 2> "$1.err" ||
		{ cat "$1.err" >&2; fail "OpenSSL cannot open $1 with the password in $2"; }
	[ "$(openssl pkey -in "$1.pem" -pubout | sha256_hex)" = "$(openssl pkey -in "$3" -pubout | sha256_hex)" ] ||
		fail "$1 does not hold the key $3"
}

# ---- acme-csr-pipeline.sh, with a password file of the admin's.
printf 'correct horse battery staple\n' > admin.pass
chmod 600 admin.pass
example run1 0 acme-csr-pipeline.sh HOST=vpn.example.com WORKDIR="$WORK/run1" CA_FILE=root.pem \
	PFX_PASS_FILE=admin.pass WARN_DAYS=30
R=run1
expect_mode $R/vpn.example.com.key 600
expect_base64_file $R/vpn.example.com.csr "NEW CERTIFICATE REQUEST" crlf
[ -s $R/lego/certificates/vpn.example.com.crt ] || fail "the pipeline left no certificate from lego"
expect_mode $R/vpn.example.com.pfx 600
pfx_holds_key $R/vpn.example.com.pfx admin.pass $R/vpn.example.com.key
[ ! -e $R/vpn.example.com.pfx.pass ] || fail "a password was generated although PFX_PASS_FILE was given"
grep -qxF "Result: fit for the role (0 failed, 2 warnings; exit 0)" run1.out ||
	{ cat run1.out >&2; fail "the pipeline's check did not pass"; }
grep -qxF "The certificate is fit for RRAS SSTP." run1.out || fail "no message for check's exit 0"
grep -qxF "PFX ready: $WORK/run1/vpn.example.com.pfx" run1.out || { cat run1.out >&2; fail "the pipeline does not say where the PFX is"; }
grep -qxF "Password:  admin.pass" run1.out || fail "the pipeline does not say where the password is"
# The certificate is for that key and that request (what check verified, seen by OpenSSL).
[ "$(openssl x509 -in $R/lego/certificates/vpn.example.com.crt -noout -pubkey | sha256_hex)" = \
	"$(openssl pkey -in $R/vpn.example.com.key -pubout | sha256_hex)" ] || fail "lego's certificate is for another key"

# ...with a generated password, and exit 7 of mkcsr check (WARN_DAYS longer
# than pebble's 5 years): a warning, and the PFX all the same.
example run2 0 acme-csr-pipeline.sh HOST=vpn.example.com WORKDIR="$WORK/run2" CA_FILE=root.pem WARN_DAYS=3650
grep -qF "acme-csr-pipeline: WARNING: the new certificate expires within 3650 days" run2.err ||
	{ cat run2.err >&2; fail "no warning for check's exit 7"; }
grep -q "^Result: .*exit 7)$" run2.out || { cat run2.out >&2; fail "the check did not exit 7"; }
expect_mode run2/vpn.example.com.pfx.pass 600
expect_mode run2/vpn.example.com.pfx 600
pfx_holds_key run2/vpn.example.com.pfx run2/vpn.example.com.pfx.pass run2/vpn.example.com.key

# ...with the wrong root: check exits 6, the pipeline stops with the reason, no PFX.
example run3 6 acme-csr-pipeline.sh HOST=vpn.example.com WORKDIR="$WORK/run3" CA_FILE="$DATA/certs/root-ca.pem"
grep -qF "  FAIL  chain " run3.out || { cat run3.out >&2; fail "the check's FAIL line is not shown"; }
grep -qF "acme-csr-pipeline: STOP: the certificate fails a requirement" run3.err ||
	{ cat run3.err >&2; fail "no STOP message for check's exit 6"; }
[ ! -e run3/vpn.example.com.pfx ] || fail "a PFX was made although the check failed"

# ...and a second run into the same directory stops at once (exit 4), the key kept.
cp run3/vpn.example.com.key run3-key.orig
example run3b 4 acme-csr-pipeline.sh HOST=vpn.example.com WORKDIR="$WORK/run3" CA_FILE=root.pem
grep -qF "already holds the key or request of an earlier run" run3b.err || { cat run3b.err >&2; fail "no message for exit 4"; }
expect_same run3/vpn.example.com.key run3-key.orig

# ---- renew-sstp.sh, from the deployed certificate as PEM and as PFX.
"$MKCSR" new --help 2> /dev/null | grep -q -- '--like' || fail "mkcsr new has no --like yet: renew-sstp.sh cannot run"

# renews CERT CSR: CSR asks for what CERT has (subject, SANs, EKUs: Pebble's
# add Client Authentication to the Server Authentication requested, and
# --like keeps both), for another key than CERT's.
renews() {
	cert_text=$(openssl x509 -in "$1" -noout -text) || fail "openssl cannot read $1"
	for part in subject "X509v3 Subject Alternative Name" "X509v3 Extended Key Usage"; do
		if [ "$part" = subject ]; then
			old=$(openssl x509 -in "$1" -noout -subject) new=$(openssl req -in "$2" -noout -subject)
		else
			old=$(csr_ext "$cert_text" "$part") new=$(csr_ext "$(csr_text "$2")" "$part")
		fi
		[ -n "$old" ] || fail "$1 has no $part"
		[ "$old" = "$new" ] || fail "the renewed request's $part is '$new', not the certificate's '$old'"
	done
	[ "$(csr_spki_sha256 "$2")" != "$(openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256_hex)" ] ||
		fail "the renewed request $2 reuses the certificate's key"
}

# (a) From lego's PEM bundle, the certificate deployed now.
example renew1 0 renew-sstp.sh CURRENT_CERT="$WORK/run1/lego/certificates/vpn.example.com.crt" \
	WORKDIR="$WORK/renew1" CA_FILE=root.pem WARN_DAYS=30
N=renew1
expect_mode $N/vpn.example.com.key 600
expect_base64_file $N/vpn.example.com.csr "NEW CERTIFICATE REQUEST" crlf
renews run1/lego/certificates/vpn.example.com.crt $N/vpn.example.com.csr
[ "$(key_spki_sha256 $N/vpn.example.com.key)" = "$(csr_spki_sha256 $N/vpn.example.com.csr)" ] ||
	fail "the renewed key and request do not belong together"
grep -qxF "The new certificate is fit for RRAS SSTP." renew1.out || { cat renew1.out >&2; fail "the renewal's check did not pass"; }
expect_mode $N/vpn.example.com.pfx 600
expect_mode $N/vpn.example.com.pfx.pass 600
pfx_holds_key $N/vpn.example.com.pfx $N/vpn.example.com.pfx.pass $N/vpn.example.com.key
grep -qxF '  .\Install-SstpCertificate.ps1 -PfxPath .\vpn.example.com.pfx' renew1.out ||
	{ cat renew1.out >&2; fail "renew-sstp.sh does not print the PowerShell command"; }
[ "$(thumbprint $N/vpn.example.com.cer)" != "$(thumbprint run1/lego/certificates/vpn.example.com.crt)" ] ||
	fail "the renewal returned the old certificate"

# (b) From the PFX made above, its password in a file, and a SUBMIT command
# of one's own (here: lego's files copied to CERT_OUT and CHAIN_OUT).
cat > submit.sh <<'EOF'
lego --accept-tos --email admin@example.com --server "$ACME_SERVER" --csr "$CSR" --path "$CSR.lego" \
	$LEGO_EXTRA_ARGS run < /dev/null > "$CSR.lego.log" 2>&1 || exit 9
cp "$CSR.lego"/certificates/vpn.example.com.crt "$CERT_OUT"
cp "$CSR.lego"/certificates/vpn.example.com.issuer.crt "$CHAIN_OUT"
EOF
example renew2 0 renew-sstp.sh CURRENT_CERT="$WORK/run1/vpn.example.com.pfx" CURRENT_PFX_PASS_FILE=admin.pass \
	SUBMIT="sh $WORK/submit.sh" WORKDIR="$WORK/renew2" CA_FILE=root.pem PFX_PASS_FILE=admin.pass
N=renew2
renews run1/lego/certificates/vpn.example.com.crt $N/vpn.example.com.csr
[ "$(key_spki_sha256 $N/vpn.example.com.key)" != "$(key_spki_sha256 renew1/vpn.example.com.key)" ] ||
	fail "two renewals made the same key"
[ -s $N/vpn.example.com.chain ] || fail "the SUBMIT command's CHAIN_OUT was not used"
pfx_holds_key $N/vpn.example.com.pfx admin.pass $N/vpn.example.com.key

# (c) A SUBMIT command that fails: its exit code, the new key and request kept.
example renew3 9 renew-sstp.sh CURRENT_CERT="$WORK/run1/lego/certificates/vpn.example.com.crt" \
	SUBMIT="exit 9" WORKDIR="$WORK/renew3"
grep -qF "renew-sstp: SUBMIT (exit 9) failed (exit 9)" renew3.err || { cat renew3.err >&2; fail "no message for a failed SUBMIT"; }
for kept in renew3/vpn.example.com.key renew3/vpn.example.com.csr; do
	[ -f "$kept" ] || fail "the new key and request were not kept after the failed SUBMIT: no $kept"
done

# (d) SUBMIT=manual says where the request is and where the certificate goes,
# and gives up when the file does not come (here at once: MANUAL_WAIT=0).
example renew4 1 renew-sstp.sh CURRENT_CERT="$WORK/run1/lego/certificates/vpn.example.com.crt" \
	SUBMIT=manual MANUAL_WAIT=0 WORKDIR="$WORK/renew4"
grep -qxF "Submit $WORK/renew4/vpn.example.com.csr to the CA (paste its Base64 text into the web form)," renew4.out &&
	grep -qxF "  $WORK/renew4/vpn.example.com.cer" renew4.out || { cat renew4.out >&2; fail "SUBMIT=manual does not say what to do"; }
grep -qF "renew-sstp: SUBMIT (manual) failed (exit 1)" renew4.err || { cat renew4.err >&2; fail "no message when no certificate comes"; }

acme_stop
[ -z "$(acme_pids)" ] || fail "pebble still runs after acme_stop: $(acme_pids)"
exit 0
