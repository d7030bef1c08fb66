#!/bin/sh
# The table of bad inputs in the manual (BAD INPUT): one example of each
# row, with the exit status and the start of the message the table gives.
# A FIFO is refused at once, never waited on.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python cryptography
copy_certs

# expect_refused STATUS START ARGS...: mkcsr ARGS exits STATUS, within 10
# seconds, and its first stderr line starts with START.
expect_refused() {
	er_status=$1
	er_start=$2
	shift 2
	status=0
	timeout 10 "$MKCSR" "$@" > "$WORK/out" 2> "$WORK/err" < /dev/null || status=$?
	[ "$status" -ne 124 ] || fail "mkcsr $* did not finish within 10 seconds"
	[ "$status" -eq "$er_status" ] || { cat "$WORK/err" >&2; fail "mkcsr $* exited $status, expected $er_status"; }
	er_first=$(sed -n 1p "$WORK/err")
	case $er_first in
	"$er_start"*) ;;
	*) fail "mkcsr $*: first stderr line is: $er_first
expected it to start with: $er_start" ;;
	esac
}

# Missing or unreadable.
expect_refused 3 "mkcsr inspect: cannot read file: 'nosuch.pem': No such file or directory" inspect nosuch.pem
expect_refused 3 "mkcsr check: cannot read file: 'leaf.key/x': Not a directory" check --cert leaf.key/x
if [ "$(id -u)" -ne 0 ]; then
	cp leaf-good.pem locked.pem && chmod 000 locked.pem
	expect_refused 3 "mkcsr inspect: cannot read file: 'locked.pem': Permission denied" inspect locked.pem
fi

# A directory.
mkdir adir
expect_refused 3 "mkcsr inspect: cannot read file: 'adir' is a directory" inspect adir
expect_refused 3 "mkcsr check: cannot read file: 'adir' is a directory" check --cert adir

# A FIFO (no writer ever comes), a character device: refused, not waited on.
mkfifo fifo || fail "cannot make a FIFO"
expect_refused 3 "mkcsr inspect: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" inspect fifo
expect_refused 3 "mkcsr check: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" check --cert fifo
expect_refused 3 "mkcsr check: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" \
	check --cert leaf-good.pem --key fifo
mkdir outdir
expect_refused 3 "mkcsr new: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" new --inf fifo -o outdir
expect_refused 3 "mkcsr new: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" new --like fifo -o outdir
expect_refused 3 "mkcsr pfx: cannot read file: 'fifo' is a FIFO (named pipe), not a regular file" \
	pfx --cert fifo --key leaf.key --pass env:NONE
expect_refused 3 "mkcsr inspect: cannot read file: '/dev/null' is a character device, not a regular file" inspect /dev/null
[ -z "$(ls outdir)" ] || fail "a refused input left files in outdir/"

# Empty.
: > empty.pem
expect_refused 3 "mkcsr inspect: malformed input: 'empty.pem' is empty" inspect empty.pem

# Oversized: more than 10 MiB.
head -c 11000000 /dev/zero > big.pem
expect_refused 3 "mkcsr check: malformed input: 'big.pem' is larger than 10 MiB" check --cert big.pem

# Truncated, PEM and DER.
head -n 8 leaf-good.pem > cut.pem
expect_refused 3 "mkcsr check: malformed input: 'cut.pem' holds no certificate: it is damaged or truncated" check --cert cut.pem
head -c 300 leaf-good.der > cut.der
expect_refused 3 "mkcsr inspect: malformed input: 'cut.der' is binary (DER) data, but not a certificate" inspect cut.der

# Of the wrong type.
expect_refused 3 "mkcsr check: malformed input: 'leaf.key' holds no certificate: it is a private key" check --cert leaf.key
expect_refused 3 "mkcsr check: malformed input: 'leaf-good.pem' is a certificate, not a private key" \
	check --cert leaf-good.pem --key leaf-good.pem
expect_refused 3 "mkcsr inspect: malformed input: 'garbage.bin' is not a certificate, request" inspect garbage.bin

# A wrong password, and none.
export GOOD_PW="$(cat leaf-enc.pass)" WRONG_PW=not-the-password
expect_refused 3 "mkcsr check: malformed input: 'leaf-enc.key': the passphrase is wrong" \
	check --cert leaf-good.pem --key leaf-enc.key --key-pass env:WRONG_PW
expect_refused 3 "mkcsr check: cannot read the passphrase: 'leaf-enc.key' is encrypted: give its passphrase with --key-pass" \
	check --cert leaf-good.pem --key leaf-enc.key
expect_refused 3 "mkcsr check: cannot read the passphrase: the environment variable UNSET_PW" \
	check --cert leaf-good.pem --key leaf-enc.key --key-pass env:UNSET_PW
now_leaf now.pem vpn.example.com DNS:vpn.example.com serverAuth
run 0 pfx --cert now.pem --key leaf.key --pass env:GOOD_PW -o now.pfx
expect_refused 3 "mkcsr inspect: malformed input: 'now.pfx': the password is wrong" inspect --pass env:WRONG_PW now.pfx
expect_refused 3 "mkcsr inspect: cannot read the passphrase: 'now.pfx' is a PFX: give its password with --pass" \
	inspect now.pfx

# Text that is not UTF-8 (a Windows code page), and control characters.
printf '[NewRequest]\nSubject = "CN=caf\351.example.com"\n' > latin1.inf
expect_refused 3 "mkcsr new: invalid certreq INF file: 'latin1.inf' is not UTF-8 or UTF-16 text" new --inf latin1.inf -o outdir
printf '[NewRequest]\nSubject = "CN=vpn.example.com, O=a\033[2Jb"\n' > ctl.inf
expect_refused 3 "mkcsr new: invalid certreq INF file: ctl.inf:2: invalid subject: O='a\\u001B[2Jb' is not valid UTF-8" \
	new --inf ctl.inf -o outdir
expect_refused 2 "mkcsr new: invalid subject: O='a\\u001B[2Jb' is not valid UTF-8" \
	new --host vpn.example.com --subject "O=a$(printf '\033')[2Jb" -o outdir
[ -z "$(ls outdir)" ] || fail "a refused input left files in outdir/"

# A huge bundle: 2,000 different certificates in one PEM file are all read.
"$PYTHON" - <<'PYEOF' || fail "cannot make the bundle"
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

key = ec.generate_private_key(ec.SECP256R1())
now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
with open("huge.pem", "wb") as f:
    for i in range(2000):
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "host%d.example.com" % i)])
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(i + 1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=365))
                .sign(key, hashes.SHA256()))
        f.write(cert.public_bytes(serialization.Encoding.PEM))
PYEOF
run 0 inspect --json huge.pem
[ "$("$PYTHON" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))[0]["certificates"]))' "$WORK/out")" = 2000 ] ||
	fail "inspect did not show the 2,000 certificates of huge.pem"
