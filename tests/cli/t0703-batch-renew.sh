#!/bin/sh
# --renew-within DAYS: a host whose certificate (like column, or
# --like-dir DIR/HOST.crt|.cer|.pem) is valid for more than DAYS is
# "current" and untouched; a due one gets a fresh key and a request with
# the certificate's names ("renewed"), its old pair kept aside; a host with
# no certificate is made; a second run keeps the renewals already made.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
need_python json

# cert HOST DAYS: certs/HOST.crt, a server certificate valid for DAYS more days.
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null -subj "/CN=$1" \
		-addext "subjectAltName=DNS:$1,DNS:pool.example.com" -addext extendedKeyUsage=serverAuth \
		-addext basicConstraints=critical,CA:FALSE -days "$2" -out "certs/$1.crt" 2> /dev/null ||
		fail "openssl could not make the certificate of $1"
}

mkdir certs
cert a.example.com 10
cert b.example.com 200
cert d.example.com 45
# c.example.com's pair exists and its certificate, from that key, is due.
printf 'c.example.com\n' > first
run 0 batch first
openssl x509 -req -in c.example.com.csr -signkey c.example.com.key -days 5 -copy_extensions copy \
	-out certs/c.example.com.cer 2> /dev/null || fail "openssl could not sign c.example.com's request"
cp c.example.com.key c.key.orig

printf 'host,like\na.example.com,certs/a.example.com.crt\nb.example.com,certs/b.example.com.crt\nc.example.com,\nd.example.com,\ne.example.com,\n' > fleet.csv
run 0 batch fleet.csv --renew-within 30 --like-dir certs --json
"$PYTHON" - "$WORK/out" << 'PY' || fail "the statuses are not as expected"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
got = {l["host"]: l["status"] for l in lines if "host" in l}
want = {"a.example.com": "renewed", "b.example.com": "current", "c.example.com": "renewed",
        "d.example.com": "current", "e.example.com": "created"}
if got != want:
    sys.exit("got %r" % got)
c = [l for l in lines if l.get("host") == "c.example.com"][0]
if not c["kept_aside"]["key"].startswith("./c.example.com.key.old-"):
    sys.exit("c's old key is not said to be kept aside: %r" % c)
s = lines[-1]["summary"]
if (s["renewed"], s["current"], s["created"], s["kept"], s["failed"]) != (2, 2, 1, 0, 0):
    sys.exit("summary %r" % s)
PY
[ -f b.example.com.key ] && fail "a current host got a key"
# The renewal has the names of the certificate; the key of the valid certificate is kept aside.
csr_text a.example.com.csr > a.txt
grep -q 'DNS:a.example.com, DNS:pool.example.com' a.txt || { cat a.txt >&2; fail "a's request lacks the certificate's names"; }
expect_same c.example.com.key.old-* c.key.orig
expect_mode c.example.com.key 600

# Again: the renewals made are waiting for their certificates: kept, not made again.
cp a.example.com.key a.key.new
run 0 batch fleet.csv --renew-within 30 --like-dir certs
expect_out "0 created, 0 renewed, 0 replaced, 3 kept, 2 current, 0 failed of 5 hosts in "
expect_same a.example.com.key a.key.new
# A wider window makes d due.
run 0 batch fleet.csv --renew-within 60 --like-dir certs
expect_out "0 created, 1 renewed, 0 replaced, 3 kept, 1 current, 0 failed of 5 hosts in "
exit 0
