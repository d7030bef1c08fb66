# Shared by the CLI and interop tests: sourced, never run.
#
# Each test is a POSIX shell script run by "make check" with MKCSR (the
# program), TESTS_SRCDIR and TESTS_BUILDDIR set.  It exits 0 on success,
# 77 to skip (only when an outside tool is missing), 1 on failure.  The
# helpers below fail the test at the first wrong result and say why.

set -u

: "${MKCSR:?MKCSR must name the mkcsr program (make check sets it)}"
: "${TESTS_SRCDIR:?TESTS_SRCDIR must be set (make check sets it)}"
DATA="$TESTS_SRCDIR/data"

# A private scratch directory, removed at exit; tests run inside it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-test.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 99

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*" >&2
	exit 77
}

# run EXPECTED_EXIT ARGS...: runs mkcsr with ARGS, stdout in $WORK/out,
# stderr in $WORK/err, and fails unless it exits with EXPECTED_EXIT.
run() {
	expected=$1
	shift
	status=0
	"$MKCSR" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
	if [ "$status" -ne "$expected" ]; then
		printf '%s\n' '--- stdout' >&2; cat "$WORK/out" >&2
		printf '%s\n' '--- stderr' >&2; cat "$WORK/err" >&2
		fail "mkcsr $* exited $status, expected $expected"
	fi
}

# expect_err TEXT: stderr of the last run contains TEXT (a fixed string).
expect_err() {
	grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr lacks: $1"; }
}

# expect_out TEXT: stdout of the last run contains TEXT.
expect_out() {
	grep -qF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout lacks: $1"; }
}

# expect_lines FILE N: FILE has exactly N lines.
expect_lines() {
	n=$(wc -l < "$1")
	[ "$n" -eq "$2" ] || { cat "$1" >&2; fail "$1 has $n lines, expected $2"; }
}

# expect_no_files: the scratch directory holds nothing (no partial or temp file).
expect_no_files() {
	left=$(ls -A "$WORK" | grep -v -e '^out$' -e '^err$' || true)
	[ -z "$left" ] || fail "files were left behind: $left"
}

# expect_mode FILE MODE: FILE has the octal permission MODE (e.g. 600).
expect_mode() {
	mode=$(stat -c %a "$1")
	[ "$mode" = "$2" ] || fail "$1 has mode $mode, expected $2"
}

need() {
	command -v "$1" > /dev/null 2>&1 || skip "$1 is not installed"
}

# need_python [MODULE...]: sets PYTHON to the first of "python3" on PATH and
# /usr/bin/python3 that runs and can import every MODULE (Debian's
# python3-cryptography is installed for /usr/bin/python3; a pip or pyenv
# python3 on PATH may or may not have it).  Skips the test when neither can.
need_python() {
	PYTHON=
	py_code="import sys"
	for py_module in "$@"; do
		py_code="$py_code; import $py_module"
	done
	for py_candidate in "$(command -v python3 2> /dev/null || true)" /usr/bin/python3; do
		[ -n "$py_candidate" ] && [ -x "$py_candidate" ] || continue
		if "$py_candidate" -c "$py_code" > /dev/null 2>&1; then
			PYTHON=$py_candidate
			return 0
		fi
	done
	skip "no python3 that can import: ${*:-sys}"
}

# ---- helpers for the "mkcsr new" CLI tests (tests/cli/t*-new-*.sh) --------

# run_in INPUT EXPECTED_EXIT ARGS...: like run, with standard input from INPUT.
run_in() {
	input=$1
	expected=$2
	shift 2
	status=0
	"$MKCSR" "$@" > "$WORK/out" 2> "$WORK/err" < "$input" || status=$?
	if [ "$status" -ne "$expected" ]; then
		printf '%s\n' '--- stdout' >&2; cat "$WORK/out" >&2
		printf '%s\n' '--- stderr' >&2; cat "$WORK/err" >&2
		fail "mkcsr $* < $input exited $status, expected $expected"
	fi
}

# run_notty EXPECTED_EXIT ARGS...: like run, in a new session (setsid), so
# the program has no controlling terminal even when make check has one.
run_notty() {
	need setsid
	expected=$1
	shift
	status=0
	setsid -w "$MKCSR" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
	if [ "$status" -ne "$expected" ]; then
		printf '%s\n' '--- stdout' >&2; cat "$WORK/out" >&2
		printf '%s\n' '--- stderr' >&2; cat "$WORK/err" >&2
		fail "setsid mkcsr $* exited $status, expected $expected"
	fi
}

# expect_err_first LINE: the first line of stderr is exactly LINE.
expect_err_first() {
	first=$(sed -n 1p "$WORK/err")
	[ "$first" = "$1" ] || { cat "$WORK/err" >&2; fail "first stderr line is: $first
expected: $1"; }
}

# expect_err_line LINE: some line of stderr is exactly LINE.
expect_err_line() {
	grep -qxF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr has no line: $1"; }
}

# expect_out_line LINE: some line of stdout is exactly LINE.
expect_out_line() {
	grep -qxF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout has no line: $1"; }
}

# expect_no_err / expect_no_out: stderr / stdout of the last run is empty.
expect_no_err() {
	[ ! -s "$WORK/err" ] || { cat "$WORK/err" >&2; fail "stderr is not empty"; }
}
expect_no_out() {
	[ ! -s "$WORK/out" ] || { cat "$WORK/out" >&2; fail "stdout is not empty"; }
}

# expect_err_lacks TEXT / expect_out_lacks TEXT: the fixed string is absent.
expect_err_lacks() {
	! grep -qF -- "$1" "$WORK/err" || { cat "$WORK/err" >&2; fail "stderr has: $1"; }
}
expect_out_lacks() {
	! grep -qF -- "$1" "$WORK/out" || { cat "$WORK/out" >&2; fail "stdout has: $1"; }
}

# expect_files NAME...: the scratch directory holds exactly NAME... (hidden
# files included; out and err aside), so no stray, partial or temp file.
expect_files() {
	want=$(for f in "$@"; do printf '%s\n' "$f"; done | LC_ALL=C sort)
	have=$(ls -A "$WORK" | grep -v -e '^out$' -e '^err$' | LC_ALL=C sort)
	[ "$have" = "$want" ] || fail "the scratch directory holds:
$have
expected:
$want"
}

# expect_same FILE1 FILE2: byte-identical files.
expect_same() {
	cmp -s "$1" "$2" || fail "$1 and $2 differ"
}

# sha256_hex: the SHA-256 of standard input, as lower-case hex.
sha256_hex() {
	openssl dgst -sha256 -r | cut -d' ' -f1
}

# csr_spki_sha256 FILE [DER]: SHA-256 of the request's SubjectPublicKeyInfo DER.
csr_spki_sha256() {
	openssl req -inform "${2:-PEM}" -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256_hex
}

# key_spki_sha256 FILE [PASSIN]: SHA-256 of the private key's public half (SPKI DER).
key_spki_sha256() {
	if [ $# -ge 2 ]; then
		openssl pkey -in "$1" -passin "$2" -pubout -outform DER | sha256_hex
	else
		openssl pkey -in "$1" -pubout -outform DER | sha256_hex
	fi
}

# csr_text FILE [DER]: openssl's text dump of a request (fails the test if unreadable).
csr_text() {
	openssl req -inform "${2:-PEM}" -in "$1" -noout -text || fail "openssl cannot read $1"
}

# expect_contains TEXT NEEDLE / expect_lacks TEXT NEEDLE: a fixed string in a
# text (for command output held in a variable).
expect_contains() {
	printf '%s\n' "$1" | grep -qF -- "$2" || { printf '%s\n' "$1" >&2; fail "missing: $2"; }
}
expect_lacks() {
	! printf '%s\n' "$1" | grep -qF -- "$2" || { printf '%s\n' "$1" >&2; fail "unexpected: $2"; }
}

# expect_base64_file FILE LABEL crlf|lf: FILE is "-----BEGIN LABEL-----",
# Base64 lines of exactly 64 characters (the last one 1-64), then
# "-----END LABEL-----", every line (the last too) ended by CRLF or by LF
# alone, as asked.
expect_base64_file() {
	b64_why=$(awk -v label="$2" -v eol="$3" '
		{
			line = $0
			if (eol == "crlf") {
				if (substr(line, length(line)) != "\r") { why = "line " NR " does not end in CRLF"; exit }
				line = substr(line, 1, length(line) - 1)
			}
			if (index(line, "\r")) { why = "line " NR " has a stray CR"; exit }
			lines[NR] = line
		}
		END {
			if (why == "") {
				n = NR
				if (lines[1] != "-----BEGIN " label "-----") why = "first line is: " lines[1]
				else if (lines[n] != "-----END " label "-----") why = "last line is: " lines[n]
				else if (n < 3) why = "no Base64 between header and footer"
				for (i = 2; why == "" && i < n; i++) {
					if (lines[i] !~ /^[A-Za-z0-9+\/=]+$/) why = "line " i " is not Base64: " lines[i]
					else if (i < n - 1 && length(lines[i]) != 64)
						why = "line " i " has " length(lines[i]) " characters, not 64"
					else if (i == n - 1 && length(lines[i]) > 64)
						why = "line " i " has " length(lines[i]) " characters, more than 64"
				}
			}
			print why
		}' "$1")
	[ -z "$b64_why" ] || fail "$1: $b64_why"
	[ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' ')" = 0a ] || fail "$1 does not end with a line end"
}

# csr_ext TEXT NAME: the first value line of extension NAME (as named by
# `openssl req -text`, e.g. "X509v3 Subject Alternative Name") in TEXT, trimmed.
csr_ext() {
	printf '%s\n' "$1" | awk -v name="$2:" '
		found { sub(/^[ \t]+/, ""); sub(/[ \t]+$/, ""); print; exit }
		index($0, name) { found = 1 }'
}

# flip_last_byte IN OUT: OUT is a copy of IN with every bit of its last byte
# inverted (for a DER request: a signature that no longer verifies).
flip_last_byte() {
	flip_size=$(wc -c < "$1")
	flip_last=$(od -An -tu1 -j $((flip_size - 1)) "$1" | tr -d ' \n')
	cp "$1" "$2" || fail "cannot copy $1"
	printf "\\$(printf '%03o' $((255 - flip_last)))" |
		dd of="$2" bs=1 seek=$((flip_size - 1)) conv=notrunc 2> /dev/null || fail "cannot change $2"
	cmp -s "$1" "$2" && fail "flip_last_byte left $2 unchanged"
	return 0
}

# subject_encoding FILE: the request's subject as encoded, in DER order, one
# "/" per RDN and "+" inside one: /countryName=PRINTABLESTRING:US/...
subject_encoding() {
	openssl asn1parse -in "$1" | awk '
		/:id-ecPublicKey|:rsaEncryption/ { exit }
		/d=3 .*cons: SET/ { sep = "/"; next }
		/d=5 .*prim: OBJECT/ { obj = $0; sub(/^[^:]*:[^:]*: OBJECT +:/, "", obj); sub(/ +$/, "", obj); next }
		/d=5 .*prim: / {
			if (match($0, /prim: [A-Z0-9]+ +:/)) {
				type = substr($0, RSTART + 6, RLENGTH - 6)
				sub(/ +:$/, "", type)
				printf "%s%s=%s:%s", sep, obj, type, substr($0, RSTART + RLENGTH)
				sep = "+"
			}
		}
		END { print "" }'
}

# ---- helpers for the "mkcsr check" and "mkcsr pfx" tests (t02*, t03*, i02*) --

# The certificate fixtures (tests/data/certs/README.md), and the time every
# "mkcsr check" run is pinned to: their dates are fixed, the good leaf is
# valid then, 214 days before it expires.
CERTS="$DATA/certs"
CHECK_AT=2027-06-01

# copy_certs [DIR]: copies the fixtures into DIR (made if need be; default
# the scratch directory itself), so that the file names mkcsr prints are
# short ones (leaf.key, not a long path).
copy_certs() {
	cc_dir=${1:-.}
	mkdir -p "$cc_dir" || fail "cannot make $cc_dir"
	cp "$CERTS"/*.pem "$CERTS"/*.der "$CERTS"/*.p7b "$CERTS"/*.key "$CERTS"/*.csr "$CERTS"/*.pass \
		"$CERTS"/*.bin "$cc_dir" || fail "cannot copy the fixtures from $CERTS"
}

# now_leaf OUT CN SAN EKU: a certificate for leaf.key, issued by inter-ca
# now and valid for 90 days, with leaf-good's extensions but this CN, SAN
# (e.g. "DNS:vpn.example.com") and EKU (e.g. "serverAuth").  For
# "mkcsr pfx", which has no --at: the fixtures' fixed dates do not keep.
now_leaf() {
	nl_tmp=$WORK/now-leaf.$$
	mkdir "$nl_tmp" || fail "cannot make $nl_tmp"
	cat > "$nl_tmp/ext.cnf" <<-NLEOF
	[ext]
	subjectAltName = $3
	keyUsage = critical, digitalSignature
	extendedKeyUsage = $4
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid
	crlDistributionPoints = URI:http://crl.example.com/inter.crl
	authorityInfoAccess = OCSP;URI:http://ocsp.example.com
	NLEOF
	if ! openssl req -new -key "$CERTS/leaf.key" -subj "/CN=$2" -out "$nl_tmp/req.csr" 2> "$nl_tmp/err" ||
		! openssl x509 -req -in "$nl_tmp/req.csr" -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" \
			-set_serial 0x3001 -days 90 -sha256 -extfile "$nl_tmp/ext.cnf" -extensions ext -out "$1" 2>> "$nl_tmp/err"; then
		cat "$nl_tmp/err" >&2
		fail "openssl cannot issue $1"
	fi
	rm -rf "$nl_tmp"
}

# run_check EXPECTED_EXIT ARGS...: run EXPECTED_EXIT check --at $CHECK_AT ARGS...
run_check() {
	run_check_expected=$1
	shift
	run "$run_check_expected" check --at "$CHECK_AT" "$@"
}

# check_line STATUS ID DETAIL: the line "mkcsr check" prints for a check.
check_line() {
	printf '  %s  %-10s  %s' "$1" "$2" "$3"
}

# expect_check STATUS ID DETAIL: stdout has that check line, exactly.
expect_check() {
	expect_out_line "$(check_line "$1" "$2" "$3")"
}

# expect_windows ID TEXT: the line right after check ID's line is
# "Windows: TEXT" (indented under the detail).
expect_windows() {
	ew_got=$(awk -v id="$1" '
		found { print; exit }
		substr($0, 9, length(id) + 1) == id " " && $0 ~ /^  (PASS|WARN|FAIL|SKIP)  / { found = 1 }' "$WORK/out")
	ew_want=$(printf '%20sWindows: %s' '' "$2")
	[ "$ew_got" = "$ew_want" ] || { cat "$WORK/out" >&2; fail "the line after check $1 is: $ew_got
expected: $ew_want"; }
}

# expect_no_windows ID: check ID's line is not followed by a Windows line.
expect_no_windows() {
	enw_got=$(awk -v id="$1" '
		found { print; exit }
		substr($0, 9, length(id) + 1) == id " " && $0 ~ /^  (PASS|WARN|FAIL|SKIP)  / { found = 1 }' "$WORK/out")
	case $enw_got in
	*Windows:*) cat "$WORK/out" >&2; fail "check $1 has a Windows line: $enw_got" ;;
	esac
}

# expect_statuses "S1 S2 ... S8": the eight checks (key, request, validity,
# name, usage, key-usage, chain, revocation) have these statuses, in order.
expect_statuses() {
	es_got=$(sed -n 's/^  \(PASS\|WARN\|FAIL\|SKIP\)  \([a-z-]*\) .*/\1/p' "$WORK/out" | tr '\n' ' ' | sed 's/ $//')
	es_ids=$(sed -n 's/^  \(PASS\|WARN\|FAIL\|SKIP\)  \([a-z-]*\) .*/\2/p' "$WORK/out" | tr '\n' ' ' | sed 's/ $//')
	[ "$es_ids" = "key request validity name usage key-usage chain revocation" ] ||
		{ cat "$WORK/out" >&2; fail "the checks are: $es_ids"; }
	[ "$es_got" = "$1" ] || { cat "$WORK/out" >&2; fail "the statuses are: $es_got
expected:        $1"; }
}

# expect_result TEXT: the last line of stdout is "Result: TEXT".
expect_result() {
	er_got=$(tail -n 1 "$WORK/out")
	[ "$er_got" = "Result: $1" ] || { cat "$WORK/out" >&2; fail "the last line is: $er_got
expected: Result: $1"; }
}

# thumbprint FILE [FORM]: the certificate's SHA-1 fingerprint as Windows
# shows it (upper-case hex, no colons), from openssl.
thumbprint() {
	openssl x509 -inform "${2:-PEM}" -in "$1" -noout -fingerprint -sha1 | sed -e 's/^[^=]*=//' -e 's/://g'
}

# json_equals EXPECTED_PYTHON: stdout of the last run is one JSON document
# equal to the Python expression EXPECTED_PYTHON (which may read the shell's
# exported values through env); every difference is named.  Needs $PYTHON
# (need_python).
json_equals() {
	MKCSR_TEST_EXPECTED=$1 "$PYTHON" - "$WORK/out" <<'PYEOF' || fail "the JSON report is not what was expected (above)"
import json, os, sys

env = os.environ
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
try:
    got = json.loads(text)
except ValueError as e:
    sys.exit("stdout is not one JSON document: %s\n%s" % (e, text))
expected = eval(env["MKCSR_TEST_EXPECTED"], {"env": env, "true": True, "false": False, "null": None})

def diff(path, a, b):
    if type(a) is not type(b):
        print("%s: got %r, expected %r" % (path, a, b), file=sys.stderr)
        return 1
    if isinstance(a, dict):
        bad = 0
        for k in sorted(set(a) | set(b)):
            if k not in a:
                print("%s.%s: missing" % (path, k), file=sys.stderr); bad += 1
            elif k not in b:
                print("%s.%s: unexpected key (value %r)" % (path, k, a[k]), file=sys.stderr); bad += 1
            else:
                bad += diff(path + "." + k, a[k], b[k])
        return bad
    if isinstance(a, list):
        if len(a) != len(b):
            print("%s: got %r, expected %r" % (path, a, b), file=sys.stderr)
            return 1
        return sum(diff("%s[%d]" % (path, i), x, y) for i, x, y in zip(range(len(a)), a, b))
    if a != b:
        print("%s: got %r, expected %r" % (path, a, b), file=sys.stderr)
        return 1
    return 0

sys.exit(1 if diff("$", got, expected) else 0)
PYEOF
}

# The PFX password the pfx tests use, and pfx_setup: the fixtures in
# in/, a good leaf valid now (in/good.pem; mkcsr pfx checks the real
# clock) and its fullchain (in/good-chain.pem), and the password in in/pw.
# The pfx helpers below keep their scratch files in in/ too, so that
# expect_files sees only in and what mkcsr wrote.
PFX_PASS=pfx-test-password
pfx_setup() {
	copy_certs in
	now_leaf in/good.pem vpn.example.com DNS:vpn.example.com serverAuth
	cat in/good.pem in/inter-ca.pem > in/good-chain.pem
	printf '%s\n' "$PFX_PASS" > in/pw
}

# pfx_info FILE [PASSFILE]: openssl pkcs12 -info's description of FILE (the
# MAC, each bag's encryption), trailing blanks cut, in $WORK/in/info.
pfx_info() {
	openssl pkcs12 -info -noout -in "$1" -passin "file:${2:-$WORK/in/pw}" > /dev/null 2> "$WORK/in/info.raw" ||
		{ cat "$WORK/in/info.raw" >&2; fail "openssl pkcs12 cannot read $1"; }
	sed 's/[[:space:]]*$//' "$WORK/in/info.raw" > "$WORK/in/info"
}

# expect_info_line LINE: the last pfx_info has LINE, exactly.
expect_info_line() {
	grep -qxF -- "$1" "$WORK/in/info" || { cat "$WORK/in/info" >&2; fail "openssl pkcs12 -info has no line: $1"; }
}

# pfx_key_attributes FILE [PASSFILE]: the key bag's attributes as openssl
# prints them, one a line, trimmed and sorted.
pfx_key_attributes() {
	openssl pkcs12 -nocerts -nodes -in "$1" -passin "file:${2:-$WORK/in/pw}" 2> "$WORK/in/pkcs12.err" |
		sed -n '/^Bag Attributes/,/^Key Attributes/p' | sed -e '1d' -e '$d' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' |
		LC_ALL=C sort
}

# pfx_leaf_attributes FILE [PASSFILE]: the same for the leaf's certificate bag.
pfx_leaf_attributes() {
	openssl pkcs12 -nokeys -clcerts -in "$1" -passin "file:${2:-$WORK/in/pw}" 2> "$WORK/in/pkcs12.err" |
		sed -n '/^Bag Attributes/,/^subject=/p' | sed -e '1d' -e '$d' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' |
		LC_ALL=C sort
}

# pfx_subjects FILE [PASSFILE]: the subjects of the PFX's certificates, in
# the order of their bags, one a line as openssl pkcs12 prints them
# ("C = US, O = mkcsr Test PKI, CN = mkcsr Test Issuing CA").
pfx_subjects() {
	openssl pkcs12 -nokeys -in "$1" -passin "file:${2:-$WORK/in/pw}" 2> "$WORK/in/pkcs12.err" |
		sed -n 's/^subject=//p'
}

# key_id_hex THUMBPRINT: "E3CD..." as openssl prints a localKeyID: "E3 CD ...".
key_id_hex() {
	printf '%s\n' "$1" | sed -e 's/\(..\)/\1 /g' -e 's/ $//'
}

# ---- helpers for the --inf, --template and --like tests (t04*) --------------

INF_DATA="$DATA/inf"

# csr_shape FILE: openssl's text dump of a request with what differs from one
# key to the next masked: public key and signature bytes dropped, the SKI
# value shown as "SKI".  Two requests "shaped alike" (same subject, names,
# extensions in the same order and criticality, same key type and signature
# algorithm) have the same shape.
csr_shape() {
	cs_text=$(csr_text "$1") || exit 1
	printf '%s\n' "$cs_text" | awk '
		ski { print "                    SKI"; ski = 0; next }
		/^ +([0-9a-f][0-9a-f]:)+[0-9a-f]*$/ { next }
		/X509v3 Subject Key Identifier:/ { ski = 1 }
		{ print }'
}

# csr_extensions FILE: the requested extensions in their order, one a line,
# as openssl names them, with " critical" after a critical one.
csr_extensions() {
	ce_text=$(csr_text "$1") || exit 1
	printf '%s\n' "$ce_text" | awk '
		/Requested Extensions:/ { on = 1; next }
		/^    Signature Algorithm:/ { on = 0 }
		on && /^                [^ ]/ { sub(/^ +/, ""); sub(/ +$/, ""); sub(/:$/, ""); sub(/: critical$/, " critical"); print }'
}

# csr_subject FILE: the subject in RFC 2253 form (most specific first).
csr_subject() {
	openssl req -in "$1" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'
}

# csr_san FILE / csr_eku FILE: the SAN and EKU values as openssl prints them.
csr_san() {
	csr_ext "$(csr_text "$1")" "X509v3 Subject Alternative Name"
}
csr_eku() {
	csr_ext "$(csr_text "$1")" "X509v3 Extended Key Usage"
}

# csr_ext_hex FILE NAME: the DER (hex, upper case) of extension NAME's value,
# e.g. csr_ext_hex x.csr "X509v3 Key Usage" gives 030205A0.
csr_ext_hex() {
	openssl asn1parse -in "$1" | awk -v name=":$2" '
		found && /OCTET STRING/ { sub(/.*HEX DUMP\]:/, ""); print; exit }
		index($0, name) { found = 1 }'
}

# csr_sigalg FILE / csr_key FILE: "ecdsa-with-SHA384"; "id-ecPublicKey 384" or "rsaEncryption 2048".
csr_sigalg() {
	csr_text "$1" | sed -n 's/^    Signature Algorithm: //p'
}
csr_key() {
	csr_text "$1" | awk '
		/Public Key Algorithm:/ { alg = $NF }
		/Public-Key: \(/ { bits = $0; sub(/.*\(/, "", bits); sub(/ bit.*/, "", bits); print alg, bits; exit }'
}

# utf16_text FILE: a UTF-16LE file with a BOM, as UTF-8 without the BOM (CRs kept).
utf16_text() {
	[ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = fffe ] || fail "$1 does not start with the UTF-16LE BOM"
	tail -c +3 "$1" | iconv -f UTF-16LE -t UTF-8 || fail "$1 is not UTF-16LE"
}

# expect_crlf FILE: every line of FILE (UTF-8 text) ends in CRLF, the last too.
expect_crlf() {
	ec_bad=$(awk '!/\r$/ { print NR; exit }' "$1")
	[ -z "$ec_bad" ] || fail "$1: line $ec_bad does not end in CRLF"
	[ "$(tail -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = 0d0a ] || fail "$1 does not end with CRLF"
}

# expect_out_text FILE: stdout of the last run is exactly FILE.
expect_out_text() {
	cmp -s "$1" "$WORK/out" || { diff "$1" "$WORK/out" >&2; fail "stdout is not what was expected (diff above: - expected, + got)"; }
}

# ---- helpers for the "mkcsr explain" tests (t0500-explain-*.sh) -------------

# The golden outputs (tests/data/explain/: cases.sh lists them,
# make-golden.sh, a developer tool, writes them; the tests only compare).
EXPLAIN_DATA="$DATA/explain"

# expect_golden FILE: stdout of the last run is exactly FILE, byte for byte.
expect_golden() {
	[ -r "$1" ] || fail "$1 is missing"
	diff -u "$1" "$WORK/out" >&2 || fail "stdout differs from $1 (diff -u above: - expected, + got)"
}

# expect_err_exactly LINE...: stderr of the last run is exactly these lines.
expect_err_exactly() {
	printf '%s\n' "$@" > "$WORK/err.want"
	diff -u "$WORK/err.want" "$WORK/err" >&2 || fail "stderr is not what was expected (diff -u above: - expected, + got)"
}

# ---- helpers for the "mkcsr inspect" tests (t0600-inspect-*) ---------------

# The expected outputs (tests/data/inspect/*.txt and *.json) are compared
# exactly, with the values that change whenever make-certs.sh makes new keys
# written as placeholders: @leaf-good.pem.thumbprint@ and
# @leaf-good.pem.sha256@ for a certificate (upper-case hex, as mkcsr prints
# them), @leaf.spki@ and @leaf.ski@ for a key (lower-case hex; named after
# the fixture key, or the certificate whose key was thrown away).  The
# values are computed here with openssl, so the comparison also checks
# mkcsr's hashes against openssl's.  The tests never write the expected
# files: tests/data/inspect/make-golden.sh runs them with
# MKCSR_INSPECT_BLESS_DIR set, and they then write mkcsr's output there
# (placeholders put back) instead of comparing.
INSPECT_DATA="$DATA/inspect"
INSPECT_AT=2027-06-01

# inspect_value PLACEHOLDER VALUE: one more entry of the map.
inspect_value() {
	[ -n "$2" ] || fail "no value for $1"
	printf '%s %s\n' "$1" "$2" >> "$WORK/inspect.map"
}

# inspect_cert_values NAME FILE [FORM]: the thumbprint and SHA-256 fingerprint
# of certificate FILE as @NAME.thumbprint@ and @NAME.sha256@.
inspect_cert_values() {
	inspect_value "@$1.thumbprint@" "$(openssl x509 -inform "${3:-PEM}" -in "$2" -noout -fingerprint -sha1 |
		sed -e 's/^[^=]*=//' -e 's/://g')"
	inspect_value "@$1.sha256@" "$(openssl x509 -inform "${3:-PEM}" -in "$2" -noout -fingerprint -sha256 |
		sed -e 's/^[^=]*=//' -e 's/://g')"
}

# inspect_key_values NAME CERT: the SPKI SHA-256 and subject key identifier of
# the key in certificate CERT as @NAME.spki@ and @NAME.ski@.
inspect_key_values() {
	inspect_value "@$1.spki@" "$(openssl x509 -in "$2" -noout -pubkey | openssl pkey -pubin -outform DER | sha256_hex)"
	inspect_value "@$1.ski@" "$(openssl x509 -in "$2" -noout -ext subjectKeyIdentifier |
		sed -n 's/^ *\([0-9A-F:]*\)$/\1/p' | tr -d ':' | tr 'A-F' 'a-f')"
}

# inspect_setup: the fixtures in the scratch directory (short names in the
# output; keys with fixed modes), and the map of every fixture's values.
inspect_setup() {
	copy_certs
	cp "$DATA"/windows-csr/sample*.csr . || fail "cannot copy the Windows requests"
	chmod 644 ./*.pem ./*.der ./*.p7b ./*.csr ./*.pass ./*.bin ./*.key || fail "cannot set the fixtures' modes"
	chmod 600 leaf.key || fail "cannot set the mode of leaf.key"
	: > "$WORK/inspect.map"
	for f in "$CERTS"/leaf-*.pem "$CERTS"/inter-ca.pem "$CERTS"/root-ca.pem "$CERTS"/other-root.pem; do
		inspect_cert_values "${f##*/}" "$f"
	done
	inspect_key_values leaf "$CERTS/leaf-good.pem"
	inspect_key_values inter-ca "$CERTS/inter-ca.pem"
	inspect_key_values root-ca "$CERTS/root-ca.pem"
	inspect_key_values other "$CERTS/leaf-otherkey.pem"
	inspect_key_values rsa1024 "$CERTS/leaf-rsa1024.pem"
	inspect_key_values other-root "$CERTS/other-root.pem"
	inspect_ready
}

# inspect_sed FILL|BLESS: the sed script that puts the values in place of the
# placeholders, or the placeholders back in place of the values (longest
# values first).
inspect_sed() {
	if [ "$1" = FILL ]; then
		awk '{ printf "s|%s|%s|g\n", $1, $2 }' "$WORK/inspect.map"
	else
		awk '{ print length($2), $0 }' "$WORK/inspect.map" | sort -rn |
			awk '{ printf "s|%s|%s|g\n", $3, $2 }'
	fi
}

# inspect_expect EXPECTED ARGS...: "mkcsr inspect ARGS" exits 0, says nothing
# on stderr, and prints exactly tests/data/inspect/EXPECTED (placeholders
# filled in).
inspect_expect() {
	ie_expected=$1
	shift
	run 0 inspect "$@"
	expect_no_err
	if [ -n "${MKCSR_INSPECT_BLESS_DIR:-}" ]; then
		sed -f "$WORK/inspect-bless.sed" "$WORK/out" > "$MKCSR_INSPECT_BLESS_DIR/$ie_expected" ||
			fail "cannot write $MKCSR_INSPECT_BLESS_DIR/$ie_expected"
		return 0
	fi
	[ -r "$INSPECT_DATA/$ie_expected" ] || fail "$INSPECT_DATA/$ie_expected is missing"
	sed -f "$WORK/inspect-fill.sed" "$INSPECT_DATA/$ie_expected" > "$WORK/expected" || fail "cannot fill in $ie_expected"
	cmp -s "$WORK/expected" "$WORK/out" ||
		{ diff -u "$WORK/expected" "$WORK/out" >&2; fail "mkcsr inspect $* is not $ie_expected (diff -u above: - expected, + got)"; }
}

# inspect_ready: the sed scripts of the map (again after inspect_value).
inspect_ready() {
	inspect_sed FILL > "$WORK/inspect-fill.sed"
	inspect_sed BLESS > "$WORK/inspect-bless.sed"
}

# expect_json_error CODE EXIT FILE MESSAGE HINT: stdout of the last run is
# exactly one JSON document, {"error": {"code": CODE, "message": MESSAGE,
# "hint": HINT, "file": FILE, "exit": EXIT}}, with an empty FILE or HINT
# standing for null; and the run exited EXIT.  Needs $PYTHON (need_python).
expect_json_error() {
	[ "$status" -eq "$2" ] || fail "the run exited $status, the error object is for $2"
	MKCSR_TEST_JE="$1
$2
$3
$4
$5" "$PYTHON" - "$WORK/out" <<'PYEOF' || { cat "$WORK/out" >&2; fail "stdout is not the error object expected"; }
import json, os, sys

code, exit_code, file, message, hint = os.environ["MKCSR_TEST_JE"].split("\n")
want = {"error": {"code": code, "message": message, "hint": hint or None, "file": file or None,
                  "exit": int(exit_code)}}
with open(sys.argv[1], encoding="utf-8") as f:
    got = json.load(f)
if got != want or list(got["error"]) != ["code", "message", "hint", "file", "exit"]:
    sys.exit("got:      %r\nexpected: %r" % (got, want))
PYEOF
}

# ---- races: two runs released at the same instant ----

# race_run DIR ARGS...: two "mkcsr ARGS" in DIR, released together; their exit
# codes, sorted, in $WORK/codes, their stderr in DIR/err.1 and DIR/err.2.
race_run() {
	dir=$1
	shift
	rm -f "$WORK/go"
	mkfifo "$WORK/go" || fail "mkfifo"
	# Each opens the FIFO for reading and blocks there until it has a writer.
	(cd "$dir" && "$MKCSR" "$@" < "$WORK/go" > out.1 2> err.1; echo $? > code.1) &
	pid1=$!
	(cd "$dir" && "$MKCSR" "$@" < "$WORK/go" > out.2 2> err.2; echo $? > code.2) &
	pid2=$!
	# Opening read-write never blocks: both waiting readers are released at once.
	sleep 0.01
	exec 3<> "$WORK/go"
	wait "$pid1" "$pid2"
	exec 3>&-
	cat "$dir/code.1" "$dir/code.2" | LC_ALL=C sort | tr '\n' ' ' > "$WORK/codes"
}

# race_one_won DIR WHAT: one run exited 0, the other 4 with the refusal message.
race_one_won() {
	[ "$(cat "$WORK/codes")" = "0 4 " ] ||
		{ cat "$1/err.1" "$1/err.2" >&2; fail "$2: exit codes $(cat "$WORK/codes"), expected one 0 and one 4"; }
	loser=1
	[ "$(cat "$1/code.1")" = 4 ] || loser=2
	head -n 1 "$1/err.$loser" |
		grep -qx "mkcsr [a-z]*: refusing to overwrite an existing file: '[^']*' \(exists\|appeared while mkcsr was writing it\)" ||
		{ cat "$1/err.$loser" >&2; fail "$2: the refused run does not say why"; }
	winner=$((3 - loser))
	[ ! -s "$1/err.$winner" ] || { cat "$1/err.$winner" >&2; fail "$2: the run that succeeded complained"; }
}

# race_left DIR FILE...: DIR holds exactly FILE... and the runs' own logs.
race_left() {
	dir=$1
	shift
	want=$(printf '%s\n' "$@" code.1 code.2 err.1 err.2 out.1 out.2 | LC_ALL=C sort | tr '\n' ' ')
	got=$(ls -A "$dir" | LC_ALL=C sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "$dir holds: $got; expected: $want"
}
