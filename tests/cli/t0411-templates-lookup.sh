#!/bin/sh
# Where a template name is found: the templates are compiled into mkcsr, so
# the program finds them with nothing set, run from anywhere (the build
# tree, or installed with make install DESTDIR=... prefix=... and run from
# elsewhere); MKCSR_TEMPLATE_DIR, then the installed directory, come first:
# a file there overrides the built-in template of its name and other files
# add templates.  mkcsr templates says where each one comes from; a missing
# name, or a MKCSR_TEMPLATE_DIR that is not there, is named with where
# mkcsr looked.

. "$TESTS_SRCDIR/cli/lib.sh"

unset MKCSR_TEMPLATE_DIR
SHIPPED=$TESTS_SRCDIR/../templates
INSTALLED=${TESTS_INSTALLED_TEMPLATES:?make check sets TESTS_INSTALLED_TEMPLATES}
[ ! -e "$INSTALLED" ] || fail "$INSTALLED exists: an installed mkcsr's templates would stand in for the built-in ones under test"

expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}

cat > builtin.out <<'OUT'
device-tunnel  device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = the device FQDN  [built-in]
ikev2          RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate  [built-in]
nps            NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name  [built-in]
sstp           RRAS SSTP server: ECDSA P-256, Server Authentication (as certlm's custom request)  [built-in]
user-tunnel    user tunnel client: RSA 2048, Client Authentication, the user's UPN in the SAN  [built-in]
OUT

# ---- nothing set: the built-in templates, and where a name is looked up ----
run 0 templates -v
expect_no_err
{
	cat builtin.out
	printf '\nA name is looked up in this order, the first found wins:\n'
	printf '  installed           %s (not there)\n' "$INSTALLED"
	printf '  built-in            device-tunnel, ikev2, nps, sstp, user-tunnel\n'
} > want.out
expect_out_text want.out
# A built-in template makes the request that its file makes when given by path
# (test_template compares all five with the files byte for byte; t0410 checks
# each one's request).
for t in sstp user-tunnel; do
	run 0 new --template "$t" --host "$t.example.com" --set UPN=alice@corp.example.com -o . --key a.key --csr a.csr
	run 0 new --template "$SHIPPED/$t.inf" --host "$t.example.com" --set UPN=alice@corp.example.com --key b.key --csr b.csr
	for part in csr_subject csr_san csr_eku csr_key csr_sigalg csr_extensions; do
		expect_is "$part of --template $t" "$($part a.csr)" "$($part b.csr)"
	done
	expect_is "the key usage of --template $t" "$(csr_ext_hex a.csr "X509v3 Key Usage")" "$(csr_ext_hex b.csr "X509v3 Key Usage")"
	expect_is "the role mark of --template $t" "$(head -n 1 a.key)" "$(head -n 1 b.key)"
	rm -f a.key a.csr b.key b.csr
done
run 2 new --template nope --host vpn.example.com
expect_err_exactly "mkcsr new: unknown template: no template 'nope' in '$INSTALLED' or built in (device-tunnel, ikev2, nps, sstp, user-tunnel)" \
	"mkcsr new: hint: run mkcsr templates for the list, or give the path of an INF file"
expect_no_out

# ---- MKCSR_TEMPLATE_DIR: overrides by name, adds the others ----
mkdir tdir
sed -e 's/^KeyAlgorithm = ECDSA_P256$/KeyAlgorithm = ECDSA_P384/' -e 's/^KeyLength = 256$/KeyLength = 384/' \
	-e 's/^; mkcsr-summary: .*/; mkcsr-summary: our SSTP server: ECDSA P-384/' "$SHIPPED/sstp.inf" > tdir/sstp.inf
cp "$SHIPPED/nps.inf" tdir/aa-mine.inf
printf 'not a template\n' > tdir/README
printf '; mkcsr-role: sstp\n' > tdir/.hidden.inf
cp "$SHIPPED/nps.inf" "tdir/not a name.inf"
MKCSR_TEMPLATE_DIR=$WORK/tdir
export MKCSR_TEMPLATE_DIR
run 0 templates
expect_no_err
expect_out_text /dev/stdin <<OUT
aa-mine        NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name  [$WORK/tdir/aa-mine.inf]
device-tunnel  device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = the device FQDN  [built-in]
ikev2          RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate  [built-in]
nps            NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name  [built-in]
sstp           our SSTP server: ECDSA P-384  [$WORK/tdir/sstp.inf]
user-tunnel    user tunnel client: RSA 2048, Client Authentication, the user's UPN in the SAN  [built-in]
OUT
run 0 templates -v
expect_out_line "  MKCSR_TEMPLATE_DIR  $WORK/tdir"
expect_out_line "  installed           $INSTALLED (not there)"
[ "$(grep -n 'MKCSR_TEMPLATE_DIR' "$WORK/out" | cut -d: -f1)" -lt "$(grep -n '  installed ' "$WORK/out" | cut -d: -f1)" ] ||
	fail "MKCSR_TEMPLATE_DIR is not said to come first"
run 0 new --template sstp --host vpn.example.com -q
expect_is "the key of the overridden sstp" "$(csr_key vpn.example.com.csr)" "id-ecPublicKey 384"
expect_is "its role mark" "$(head -n 1 vpn.example.com.key)" "mkcsr-role: sstp"
rm -f vpn.example.com.key vpn.example.com.csr
run 0 new --template aa-mine --host nps9.corp.example.com -q
expect_is "the role mark of aa-mine" "$(head -n 1 nps9.corp.example.com.key)" "mkcsr-role: nps"
rm -f nps9.corp.example.com.key nps9.corp.example.com.csr
# A template that is not overridden stays the built-in one; its errors name it so.
run 3 new --template user-tunnel --set UPN=not-a-upn
expect_err_first "mkcsr new: invalid certreq INF file: built-in user-tunnel.inf:27: invalid subject alternative name: 'upn:not-a-upn': expected USER@DOMAIN"
run 2 new --template nope --host vpn.example.com
expect_err_first "mkcsr new: unknown template: no template 'nope' in MKCSR_TEMPLATE_DIR '$WORK/tdir', in '$INSTALLED' or built in (device-tunnel, ikev2, nps, sstp, user-tunnel)"
# A broken link in the directory is reported, not passed over for the built-in template.
ln -s "$WORK/tdir/gone.inf" tdir/ikev2.inf
run 3 new --template ikev2 --host ike.example.com
expect_err_exactly "mkcsr new: cannot read file: '$WORK/tdir/ikev2.inf': No such file or directory"
run 3 templates
expect_err_exactly "mkcsr templates: cannot read file: '$WORK/tdir/ikev2.inf': No such file or directory"
rm tdir/ikev2.inf
# A file that is not a template name is not offered, and not found by name.
run 2 new --template 'not a name' --host vpn.example.com
expect_err_first "mkcsr new: unknown template: 'not a name' is not a template name"
need_python
run 0 templates --json
expect_no_err
json_equals '{
  "directories": [env["MKCSR_TEMPLATE_DIR"], env["TESTS_INSTALLED_TEMPLATES"]],
  "templates": [
    {"name": "aa-mine", "role": "nps", "origin": "MKCSR_TEMPLATE_DIR", "file": env["MKCSR_TEMPLATE_DIR"] + "/aa-mine.inf",
     "summary": "NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name"},
    {"name": "device-tunnel", "role": "device", "origin": "built-in", "file": None,
     "summary": "device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = the device FQDN"},
    {"name": "ikev2", "role": "ikev2", "origin": "built-in", "file": None,
     "summary": "RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate"},
    {"name": "nps", "role": "nps", "origin": "built-in", "file": None,
     "summary": "NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name"},
    {"name": "sstp", "role": "sstp", "origin": "MKCSR_TEMPLATE_DIR", "file": env["MKCSR_TEMPLATE_DIR"] + "/sstp.inf",
     "summary": "our SSTP server: ECDSA P-384"},
    {"name": "user-tunnel", "role": "client", "origin": "built-in", "file": None,
     "summary": "user tunnel client: RSA 2048, Client Authentication, the user'"'"'s UPN in the SAN"}
  ]
}'
# What a template file says is shown as every text from a file: valid UTF-8
# as it is, controls and bidi overrides as \uXXXX, bad bytes as \xNN, in
# text and JSON alike.
printf '; mkcsr-summary: evil \033[2J\342\200\256 text, caf\303\251 \351\n[NewRequest]\n' > tdir/esc.inf
cafe=$(printf 'caf\303\251')
run 0 templates
expect_out_line "esc            evil \\u001B[2J\\u202E text, $cafe \\xE9  [$WORK/tdir/esc.inf]"
run 0 templates --json
expect_out "\"summary\": \"evil \\\\u001B[2J\\\\u202E text, $cafe \\\\xE9\","

rm -r tdir

# A MKCSR_TEMPLATE_DIR that is not there is an error (exit 3), for the list and for a name.
MKCSR_TEMPLATE_DIR=$WORK/none
run 3 templates
expect_err_exactly "mkcsr templates: cannot read file: MKCSR_TEMPLATE_DIR '$WORK/none': No such file or directory"
expect_no_out
run 3 new --template sstp --host vpn.example.com
expect_err_exactly "mkcsr new: cannot read file: MKCSR_TEMPLATE_DIR '$WORK/none': No such file or directory"
: > plain-file
MKCSR_TEMPLATE_DIR=$WORK/plain-file
run 3 new --template sstp --host vpn.example.com
expect_err_exactly "mkcsr new: cannot read file: MKCSR_TEMPLATE_DIR '$WORK/plain-file': not a directory"
run 3 templates
expect_err_exactly "mkcsr templates: cannot read file: MKCSR_TEMPLATE_DIR '$WORK/plain-file': not a directory"
rm plain-file
# Set but empty is not set.
MKCSR_TEMPLATE_DIR=
run 0 templates
expect_out_text builtin.out
unset MKCSR_TEMPLATE_DIR

# ---- installed with make install DESTDIR=... prefix=..., run from elsewhere ----
need make
top=$TESTS_BUILDDIR/..
[ -f "$top/Makefile" ] || fail "no Makefile in $top"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top" install DESTDIR="$WORK/stage" prefix=/opt/x \
	> make.out 2>&1 || { cat make.out >&2; fail "make install DESTDIR=$WORK/stage prefix=/opt/x failed"; }
rm make.out
installed=$WORK/stage/opt/x/bin/mkcsr
[ -x "$installed" ] || fail "make install did not install $installed"
# The files are installed too, for certreq users and as the base of one's own.
for t in device-tunnel ikev2 nps sstp user-tunnel; do
	expect_same "$SHIPPED/$t.inf" "$WORK/stage/opt/x/share/mkcsr/templates/$t.inf"
done
mkdir elsewhere
(cd elsewhere && "$installed" templates > ../out 2> ../err) || { cat err >&2; fail "the installed mkcsr templates failed"; }
expect_no_err
expect_out_text builtin.out
(cd elsewhere && "$installed" new --template ikev2 --host ike.example.com -q 2> ../err) ||
	{ cat err >&2; fail "the installed mkcsr new --template ikev2 failed"; }
expect_is "the EKU of its request" "$(csr_eku elsewhere/ike.example.com.csr)" "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
expect_is "its role mark" "$(head -n 1 elsewhere/ike.example.com.key)" "mkcsr-role: ikev2"
rm -r stage elsewhere
exit 0
