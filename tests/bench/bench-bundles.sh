#!/bin/sh
# Benchmark: mkcsr inspect (text and --json), check and new --like on PEM
# bundles of 1,000, 10,000 and 18,000 certificates (one small CA and its
# distinct end-entity certificates, made at run time by make-bundle.py),
# against OpenSSL reading the same file in the same run (openssl crl2pkcs7
# -nocrl -certfile, which parses every certificate and keeps them all;
# openssl storeutl -certs, which parses and prints them one at a time).
#
#   sh tests/bench/bench-bundles.sh [PATH-TO-MKCSR]    (or: make bench-bundles)
#
# Prints wall time, user CPU time and peak RSS of each run, the ratios to
# crl2pkcs7, and the targets: under 1 s for 18,000 certificates, peak RSS
# under 4 x the file size + 20 MB; then, with valgrind, the instructions
# of each command on 1,000 certificates against crl2pkcs7's, figures a
# busy machine does not change.  Not a test: it asserts nothing.
# COUNTS="1000 10000 18000" chooses the sizes.
set -eu

MKCSR=${1:-${MKCSR:-mkcsr}}
case $MKCSR in */*) MKCSR=$(cd "$(dirname "$MKCSR")" && pwd)/$(basename "$MKCSR") ;; esac
COUNTS=${COUNTS:-1000 10000 18000}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mkcsr-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

PYTHON=
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import cryptography' > /dev/null 2>&1; then
		PYTHON=$p
		break
	fi
done
[ -n "$PYTHON" ] || { echo "bench-bundles: python3 with the cryptography module is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-bundles: /usr/bin/time (GNU time) is needed" >&2; exit 1; }

# measure LABEL CMD...: one run; "wall user rss_kb" in $WORK/m; the exit code is not judged
# (check exits 6 when the certificate is not trusted, which is beside the point here).
measure() {
	label=$1
	shift
	/usr/bin/time -f '%e %U %M' -o "$WORK/m" "$@" > /dev/null 2> "$WORK/stderr" || true
	# GNU time puts "Command exited with non-zero status N" first: the figures are the last line.
	read -r wall user rss <<-EOT
	$(tail -n 1 "$WORK/m")
	EOT
	eval "${label}_wall=\$wall ${label}_user=\$user ${label}_rss=\$rss"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'
}

echo "mkcsr:   $("$MKCSR" --version)"
echo "openssl: $(openssl version)"
echo "machine: $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-7s %-9s %-22s %8s %8s %9s %10s %10s\n' certs "file MB" command "wall s" "user s" "RSS MB" "wall/ref" "RSS/ref"
for n in $COUNTS; do
	"$PYTHON" "$HERE/make-bundle.py" "$n" bundle.pem
	size=$(wc -c < bundle.pem)
	mb=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
	measure ref openssl crl2pkcs7 -nocrl -certfile bundle.pem -out ref.p7b
	measure store openssl storeutl -certs bundle.pem
	measure inspect "$MKCSR" inspect bundle.pem
	measure inspect_json "$MKCSR" inspect --json bundle.pem
	measure check "$MKCSR" check --cert bundle.pem --host host0.example.com --role sstp
	rm -f host0.example.com.key host0.example.com.csr
	measure like "$MKCSR" new --like bundle.pem
	for c in ref store inspect inspect_json check like; do
		eval "wall=\$${c}_wall user=\$${c}_user rss=\$${c}_rss"
		case $c in
		ref) what="openssl crl2pkcs7" ;;
		store) what="openssl storeutl -certs" ;;
		inspect) what="mkcsr inspect" ;;
		inspect_json) what="mkcsr inspect --json" ;;
		check) what="mkcsr check" ;;
		like) what="mkcsr new --like" ;;
		esac
		printf '%-7s %-9s %-22s %8s %8s %9s %10s %10s\n' "$n" "$mb" "$what" "$wall" "$user" \
			"$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')" "$(ratio "$wall" "$ref_wall")" \
			"$(ratio "$rss" "$ref_rss")"
	done
	printf '%-7s %-9s %-22s %8s %8s %9s\n' "$n" "$mb" "target" "$([ "$n" -ge 18000 ] && echo 1.00 || echo -)" "" \
		"$(awk -v s="$size" 'BEGIN { printf "%.1f", 4 * s / 1048576 + 20 }')"
	echo
done

# Instructions (callgrind), which a busy machine does not change: 1,000
# certificates, each command against openssl crl2pkcs7 on the same file.
# Without valgrind this part is left out.
if command -v valgrind > /dev/null 2>&1; then
	"$PYTHON" "$HERE/make-bundle.py" 1000 small.pem
	# instructions CMD...: the number callgrind counts for one run.
	instructions() {
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null |
			sed -n 's/^==[0-9]*== Collected : *//p'
	}
	ref=$(instructions openssl crl2pkcs7 -nocrl -certfile small.pem -out ref.p7b)
	printf '%-24s %16s %10s\n' "1000 certificates" instructions "/ref"
	printf '%-24s %16s %10s\n' "openssl crl2pkcs7" "$ref" 1.00
	for c in inspect inspect_json check like; do
		rm -f host0.example.com.key host0.example.com.csr
		case $c in
		inspect) what="mkcsr inspect" count=$(instructions "$MKCSR" inspect small.pem) ;;
		inspect_json) what="mkcsr inspect --json" count=$(instructions "$MKCSR" inspect --json small.pem) ;;
		check) what="mkcsr check" count=$(instructions "$MKCSR" check --cert small.pem --host host0.example.com --role sstp) ;;
		like) what="mkcsr new --like" count=$(instructions "$MKCSR" new --like small.pem) ;;
		esac
		printf '%-24s %16s %10s\n' "$what" "$count" "$(ratio "$count" "$ref")"
	done
fi
