# Revocation test helpers: a test PKI made at run time with openssl, and
# local servers for its CRLs and OCSP answers.  Sourced after lib.sh (which
# gives WORK, fail, need, need_python), never run.  Every server listens on
# 127.0.0.1 only, on a port the kernel picks, and is stopped at exit.
#
#   rev_init
#       Needs openssl and python3; makes $REV (= $WORK/pki), unsets
#       http_proxy and no_proxy, and arranges for every server started
#       below to be stopped when the test exits.
#   rev_start_server NAME [--silent]
#       Starts tests/cli/revocation-server.py serving the files of
#       $REV/www (GET /FILE; GET /redirect/N/FILE: N redirects to FILE;
#       GET /redirect-loop: redirects to itself; GET /redirect-https:
#       redirects to https://127.0.0.1/inter.crl) and
#       answering POST /ocsp with "openssl ocsp" from the issuing CA's
#       index.  Sets REV_PORT_NAME (the port) and REV_URL_NAME
#       ("http://127.0.0.1:PORT").  With --silent, the server accepts
#       connections and never answers.
#   rev_dead_url
#       Prints http://127.0.0.1:PORT/ for a port with nothing listening.
#   rev_make_ca ROOT_CRL_URL
#       Makes $REV/root.pem (self-signed "mkcsr Rev Test Root CA"),
#       $REV/inter.pem ("mkcsr Rev Test Issuing CA", CRL distribution point
#       ROOT_CRL_URL, or none if ""), $REV/ocsp.pem (a responder delegated by
#       inter, id-kp-OCSPSigning), $REV/other.key (a key of no CA), and the
#       CA's empty index $REV/index.txt.  Keys are EC P-256: $REV/NAME.key.
#   rev_issue_leaf OUT SERIAL CN CDP_URL OCSP_URL [noindex]
#       Issues OUT (PEM), a leaf for $REV/leaf.key (made once) signed by
#       inter, serial SERIAL (hex), valid from now for 30 days,
#       subject CN, SAN DNS:CN, serverAuth, naming CDP_URL as its CRL
#       distribution point and OCSP_URL in its AIA (each left out when "";
#       several CDP URLs as "URL1,URI:URL2").  The certificate goes into
#       the index as valid, unless "noindex" (OCSP then answers "unknown").
#   rev_revoke SERIAL
#       Marks SERIAL revoked in the index, on 2026-01-02 03:04:05 UTC for
#       keyCompromise (REV_REVOKED_TEXT is that date and reason as mkcsr
#       prints them).
#   rev_gencrl CA OUT [LASTUPDATE NEXTUPDATE [KEY]]
#       Writes the CRL of CA (inter or root) as DER to OUT from that CA's
#       index: by default (or with "" "") issued an hour ago, next update in
#       7 days; else at the given times (YYYYMMDDHHMMSSZ); with KEY, signed with KEY (a file)
#       instead of the CA's key (under the CA's name: a forged CRL).
#   rev_chain
#       Prints the --chain and --ca-file options for the test PKI.

REV_REVOKED_TEXT="revoked on 2026-01-02 03:04:05 UTC (keyCompromise)"

rev_init() {
	need openssl
	need_python
	REV=$WORK/pki
	REV_PIDS=
	# The tests' servers are local: a proxy of the machine running them must not get in the way.
	unset http_proxy HTTP_PROXY no_proxy NO_PROXY
	mkdir -p "$REV/www" || fail "cannot make $REV"
	trap 'rev_stop_all; rm -rf "$WORK"' EXIT
	trap 'exit 1' INT TERM HUP
}

rev_stop_all() {
	for rev_pid in $REV_PIDS; do
		kill "$rev_pid" 2> /dev/null
		wait "$rev_pid" 2> /dev/null
	done
	REV_PIDS=
}

rev_start_server() {
	rs_name=$1
	shift
	rm -f "$REV/$rs_name.port"
	"$PYTHON" "$TESTS_SRCDIR/cli/revocation-server.py" --port-file "$REV/$rs_name.port" --dir "$REV/www" \
		--ocsp-index "$REV/index.txt" --ocsp-ca "$REV/inter.pem" --ocsp-rsigner "$REV/ocsp.pem" \
		--ocsp-rkey "$REV/ocsp.key" "$@" 2> "$REV/$rs_name.log" &
	REV_PIDS="$REV_PIDS $!"
	rs_tries=0
	while [ ! -s "$REV/$rs_name.port" ]; do
		rs_tries=$((rs_tries + 1))
		[ "$rs_tries" -le 100 ] || { cat "$REV/$rs_name.log" >&2; fail "the $rs_name server did not start"; }
		sleep 0.1
	done
	rs_port=$(cat "$REV/$rs_name.port")
	eval "REV_PORT_$rs_name=\$rs_port"
	eval "REV_URL_$rs_name=http://127.0.0.1:\$rs_port"
}

# A port the kernel just handed out and took back: nothing listens there.
rev_dead_url() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print("http://127.0.0.1:%d/" % s.getsockname()[1])'
}

rev_openssl() {
	openssl "$@" 2> "$REV/openssl.err" || { cat "$REV/openssl.err" >&2; fail "openssl $* failed"; }
}

rev_key() {
	[ -s "$REV/$1.key" ] || rev_openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$REV/$1.key"
}

# rev_sign OUT SUBJECT_CN KEY_NAME CA_NAME SERIAL EXTENSIONS...: a certificate from
# an openssl x509 -req, its extensions one a line.
rev_sign() {
	rsg_out=$1 rsg_cn=$2 rsg_key=$3 rsg_ca=$4 rsg_serial=$5
	shift 5
	printf '[ext]\n' > "$REV/ext.cnf"
	for rsg_line in "$@"; do
		printf '%s\n' "$rsg_line" >> "$REV/ext.cnf"
	done
	rev_openssl req -new -key "$REV/$rsg_key.key" -subj "/O=mkcsr Test/CN=$rsg_cn" -out "$REV/req.csr"
	rev_openssl x509 -req -in "$REV/req.csr" -CA "$REV/$rsg_ca.pem" -CAkey "$REV/$rsg_ca.key" \
		-set_serial "0x$rsg_serial" -days 30 -sha256 -extfile "$REV/ext.cnf" -extensions ext -out "$rsg_out"
}

rev_make_ca() {
	rev_key root
	rev_key inter
	rev_key ocsp
	rev_key other
	rev_openssl req -x509 -new -key "$REV/root.key" -subj "/O=mkcsr Test/CN=mkcsr Rev Test Root CA" -days 60 \
		-sha256 -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
		-out "$REV/root.pem"
	if [ -n "$1" ]; then
		rev_sign "$REV/inter.pem" "mkcsr Rev Test Issuing CA" inter root 1001 "basicConstraints=critical,CA:true" \
			"keyUsage=critical,keyCertSign,cRLSign" "crlDistributionPoints=URI:$1"
	else
		rev_sign "$REV/inter.pem" "mkcsr Rev Test Issuing CA" inter root 1001 "basicConstraints=critical,CA:true" \
			"keyUsage=critical,keyCertSign,cRLSign"
	fi
	rev_sign "$REV/ocsp.pem" "mkcsr Rev Test OCSP Responder" ocsp inter 2001 "keyUsage=critical,digitalSignature" \
		"extendedKeyUsage=OCSPSigning"
	: > "$REV/index.txt"
	: > "$REV/root-index.txt"
	printf 'unique_subject = no\n' > "$REV/index.txt.attr"
	printf 'unique_subject = no\n' > "$REV/root-index.txt.attr"
	rev_index_add "$REV/root-index.txt" "$REV/inter.pem"
	rev_index_add "$REV/index.txt" "$REV/ocsp.pem"
}

# rev_index_add INDEX CERT: a "V" line for CERT in an openssl ca index.
rev_index_add() {
	ria_serial=$(openssl x509 -in "$2" -noout -serial | sed 's/^serial=//')
	ria_end=$(openssl x509 -in "$2" -noout -enddate | sed 's/^notAfter=//')
	ria_end=$(date -u -d "$ria_end" +%Y%m%d%H%M%SZ) || fail "cannot read the end date of $2"
	ria_subject=$(openssl x509 -in "$2" -noout -subject -nameopt compat | sed 's/^subject=//')
	printf 'V\t%s\t\t%s\tunknown\t%s\n' "$ria_end" "$ria_serial" "$ria_subject" >> "$1"
}

rev_issue_leaf() {
	ril_out=$1 ril_serial=$2 ril_cn=$3 ril_cdp=$4 ril_ocsp=$5 ril_index=${6:-index}
	rev_key leaf
	set -- "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" "subjectAltName=DNS:$ril_cn"
	[ -z "$ril_cdp" ] || set -- "$@" "crlDistributionPoints=URI:$ril_cdp"
	[ -z "$ril_ocsp" ] || set -- "$@" "authorityInfoAccess=OCSP;URI:$ril_ocsp"
	rev_sign "$ril_out" "$ril_cn" leaf inter "$ril_serial" "$@"
	[ "$ril_index" = noindex ] || rev_index_add "$REV/index.txt" "$ril_out"
}

rev_revoke() {
	rr_serial=$(printf '%s' "$1" | tr 'a-f' 'A-F')
	# The index's serial is upper-case hex of even length, as openssl writes it.
	[ $((${#rr_serial} % 2)) -eq 0 ] || rr_serial=0$rr_serial
	awk -v s="$rr_serial" 'BEGIN { FS = OFS = "\t" }
		$4 == s { $1 = "R"; $3 = "260102030405Z,keyCompromise"; found = 1 }
		{ print }
		END { if (!found) exit 1 }' "$REV/index.txt" > "$REV/index.new" || fail "serial $1 is not in the index"
	mv "$REV/index.new" "$REV/index.txt"
}

rev_gencrl() {
	rg_ca=$1 rg_out=$2
	rg_index=$REV/index.txt
	[ "$rg_ca" = inter ] || rg_index=$REV/$rg_ca-index.txt
	rg_key=$REV/$rg_ca.key rg_cert=$REV/$rg_ca.pem
	if [ $# -ge 5 ]; then
		# openssl ca refuses a key that does not match the certificate: a look-alike CA signs.
		rg_key=$5 rg_cert=$REV/forger.pem
		rev_openssl req -x509 -new -key "$rg_key" -days 1 -out "$rg_cert" \
			-subj "$(openssl x509 -in "$REV/$rg_ca.pem" -noout -subject -nameopt compat | sed 's/^subject=//')"
	fi
	[ -s "$REV/$rg_ca.crlnumber" ] || printf '01\n' > "$REV/$rg_ca.crlnumber"
	cat > "$REV/ca.cnf" <<-EOF
	[ca]
	default_ca = rev
	[rev]
	database = $rg_index
	crlnumber = $REV/$rg_ca.crlnumber
	default_md = sha256
	EOF
	if [ -n "${3:-}" ]; then
		set -- -crl_lastupdate "$3" -crl_nextupdate "$4"
	else
		set -- -crl_lastupdate "$(date -u -d '1 hour ago' +%Y%m%d%H%M%SZ)" -crldays 7
	fi
	rev_openssl ca -config "$REV/ca.cnf" -gencrl -cert "$rg_cert" -keyfile "$rg_key" "$@" -out "$REV/crl.pem"
	rev_openssl crl -in "$REV/crl.pem" -outform DER -out "$rg_out"
}

rev_chain() {
	printf -- '--chain %s --ca-file %s' "$REV/inter.pem" "$REV/root.pem"
}
