#!/bin/sh
# mkcsr templates (the five role templates, one line each, and --json) and
# mkcsr new --template: each template makes the request its role needs (key
# type, EKUs, key usage, names), --host and --set UPN= fill it, what is
# missing is named (exit 2), a template can be a path; the key file starts
# with "mkcsr-role: ROLE" and stays a key openssl reads; and a certificate
# issued for each request (by the test CA, now) passes mkcsr check with no
# --role: the role comes from the key file.

. "$TESTS_SRCDIR/cli/lib.sh"

# The built-in templates, as the build tree has them with nothing set (the
# lookup order and MKCSR_TEMPLATE_DIR are t0411's); the shipped files for
# the tests that copy one.
unset MKCSR_TEMPLATE_DIR
SHIPPED=$TESTS_SRCDIR/../templates
INSTALLED=${TESTS_INSTALLED_TEMPLATES:?make check sets TESTS_INSTALLED_TEMPLATES}
[ ! -e "$INSTALLED" ] || fail "$INSTALLED exists: an installed mkcsr's templates would stand in for the built-in ones under test"

expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}

# ---- mkcsr templates ----
run 0 templates
expect_no_err
expect_out_text /dev/stdin <<'OUT'
device-tunnel  device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = the device FQDN  [built-in]
ikev2          RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate  [built-in]
nps            NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name  [built-in]
sstp           RRAS SSTP server: ECDSA P-256, Server Authentication (as certlm's custom request)  [built-in]
user-tunnel    user tunnel client: RSA 2048, Client Authentication, the user's UPN in the SAN  [built-in]
OUT
run 0 templates -q
expect_no_out
expect_no_err
run 2 templates sstp
expect_err_first "mkcsr templates: unexpected argument 'sstp'"
expect_no_out

# ---- mkcsr new --template: what each one requests ----
# made TEMPLATE STEM ROLE SUBJECT SAN EKU KU_HEX KEY SIGALG [OPTION...]: new
# --template TEMPLATE OPTION... makes STEM.key and STEM.csr with these
# values, says the role in the report and marks the key with it.
made() {
	md_template=$1 md_stem=$2 md_role=$3 md_subject=$4 md_san=$5 md_eku=$6 md_ku=$7 md_key=$8 md_sig=$9
	shift 9
	run 0 new --template "$md_template" "$@"
	expect_no_err
	expect_out_line "  Role:                 $md_role (marked in the key file for mkcsr check and pfx)"
	# A template's key-store settings are not news: no notes.
	expect_out_lacks "Notes:"
	[ -f "$md_stem.key" ] && [ -f "$md_stem.csr" ] || fail "--template $md_template did not write $md_stem.key and $md_stem.csr"
	expect_mode "$md_stem.key" 600
	expect_is "the first line of $md_stem.key" "$(head -n 1 "$md_stem.key")" "mkcsr-role: $md_role"
	expect_is "the second line of $md_stem.key" "$(sed -n 2p "$md_stem.key")" "-----BEGIN PRIVATE KEY-----"
	openssl pkey -in "$md_stem.key" -noout 2> /dev/null || fail "openssl cannot read $md_stem.key"
	[ "$(key_spki_sha256 "$md_stem.key")" = "$(csr_spki_sha256 "$md_stem.csr")" ] || fail "$md_stem.key does not fit the request"
	expect_is "the subject of $md_stem.csr" "$(csr_subject "$md_stem.csr")" "$md_subject"
	expect_is "the SAN of $md_stem.csr" "$(csr_san "$md_stem.csr")" "$md_san"
	expect_is "the EKU of $md_stem.csr" "$(csr_eku "$md_stem.csr")" "$md_eku"
	expect_is "the key usage of $md_stem.csr" "$(csr_ext_hex "$md_stem.csr" "X509v3 Key Usage")" "$md_ku"
	expect_is "the key of $md_stem.csr" "$(csr_key "$md_stem.csr")" "$md_key"
	expect_is "the signature of $md_stem.csr" "$(csr_sigalg "$md_stem.csr")" "$md_sig"
	if [ -n "$md_ku" ]; then
		md_exts="X509v3 Subject Alternative Name
X509v3 Key Usage critical
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
	else
		md_exts="X509v3 Subject Alternative Name
X509v3 Extended Key Usage
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier"
	fi
	expect_is "the extensions of $md_stem.csr" "$(csr_extensions "$md_stem.csr")" "$md_exts"
}

made sstp vpn.example.com sstp CN=vpn.example.com DNS:vpn.example.com "TLS Web Server Authentication" "" \
	"id-ecPublicKey 256" ecdsa-with-SHA256 --host vpn.example.com
made ikev2 ike.example.com ikev2 CN=ike.example.com DNS:ike.example.com "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2" \
	030205A0 "rsaEncryption 2048" sha256WithRSAEncryption --host ike.example.com
made nps nps1.corp.example.com nps CN=nps1.corp.example.com DNS:nps1.corp.example.com "TLS Web Server Authentication" \
	030205A0 "rsaEncryption 2048" sha256WithRSAEncryption --host nps1.corp.example.com
made device-tunnel laptop1.corp.example.com device CN=laptop1.corp.example.com DNS:laptop1.corp.example.com \
	"TLS Web Client Authentication, 1.3.6.1.5.5.8.2.2" 030205A0 "rsaEncryption 2048" sha256WithRSAEncryption \
	--host laptop1.corp.example.com
made user-tunnel alice@corp.example.com client CN=alice@corp.example.com "othername: UPN::alice@corp.example.com" \
	"TLS Web Client Authentication" 030205A0 "rsaEncryption 2048" sha256WithRSAEncryption --set UPN=alice@corp.example.com
# The host is normalized as --host always is, in the CN and the SAN.
run 0 new --template sstp --host VPN2.Example.COM -q
expect_is "the subject" "$(csr_subject vpn2.example.com.csr)" CN=vpn2.example.com
expect_is "the SAN" "$(csr_san vpn2.example.com.csr)" DNS:vpn2.example.com
rm -f vpn2.example.com.key vpn2.example.com.csr
# Options still apply over a template: another key type, another name.
run 0 new --template sstp --host vpn3.example.com --key-type ec:P-384 --san alt.example.com -q
expect_is "the key" "$(csr_key vpn3.example.com.csr)" "id-ecPublicKey 384"
expect_is "the SAN" "$(csr_san vpn3.example.com.csr)" "DNS:vpn3.example.com, DNS:alt.example.com"
expect_is "the role mark" "$(head -n 1 vpn3.example.com.key)" "mkcsr-role: sstp"
rm -f vpn3.example.com.key vpn3.example.com.csr
# An encrypted key is marked too, and still opens with its passphrase.
printf 'template-key-pass\n' > kp
run 0 new --template nps --host nps2.corp.example.com --key-pass file:kp -q
expect_is "the role mark" "$(head -n 1 nps2.corp.example.com.key)" "mkcsr-role: nps"
expect_is "the second line" "$(sed -n 2p nps2.corp.example.com.key)" "-----BEGIN ENCRYPTED PRIVATE KEY-----"
openssl pkey -in nps2.corp.example.com.key -passin file:kp -noout 2> /dev/null || fail "openssl cannot open the encrypted key"
rm -f nps2.corp.example.com.key nps2.corp.example.com.csr kp

# ---- what is missing or wrong: exit 2, nothing written ----
mkdir keep
mv ./*.key ./*.csr keep/
run 2 new --template ikev2
expect_err_first "mkcsr new: invalid usage: --template ikev2 needs --host NAME"
expect_err_line "mkcsr new: hint: see --help"
expect_lines "$WORK/err" 2
expect_no_out
expect_files keep
run 2 new --template user-tunnel
expect_err_first "mkcsr new: invalid usage: --template user-tunnel needs --set UPN=VALUE"
expect_lines "$WORK/err" 2
expect_files keep
# --host does not stand in for the UPN.
run 2 new --template user-tunnel --host alice.corp.example.com
expect_err_first "mkcsr new: invalid usage: --template user-tunnel needs --set UPN=VALUE"
expect_files keep
run 2 new --template nope --host vpn.example.com
expect_err_first "mkcsr new: unknown template: no template 'nope' in '$INSTALLED' or built in (device-tunnel, ikev2, nps, sstp, user-tunnel)"
expect_err_line "mkcsr new: hint: run mkcsr templates for the list, or give the path of an INF file"
expect_lines "$WORK/err" 2
expect_files keep
run 2 new --template 'ss tp' --host vpn.example.com
expect_err_first "mkcsr new: unknown template: 'ss tp' is not a template name"
expect_files keep
run 2 new --template sstp --host vpn.example.com --like "$CERTS/leaf-good.pem"
expect_err_first "mkcsr new: invalid usage: --template, --inf and --like each give the whole request: use one of them"
expect_files keep
# A bad UPN is refused where the template uses it, as an error in the
# template file (exit 3), not in the option.
run 3 new --template user-tunnel --set UPN=not-a-upn
expect_err_first "mkcsr new: invalid certreq INF file: built-in user-tunnel.inf:27: invalid subject alternative name: 'upn:not-a-upn': expected USER@DOMAIN"
expect_lines "$WORK/err" 2
expect_no_out
expect_files keep

# ---- a template given by path ----
mkdir mine
cp "$SHIPPED/device-tunnel.inf" mine/laptops.inf
run 0 new --template mine/laptops.inf --host laptop2.corp.example.com -q
expect_is "the role mark" "$(head -n 1 laptop2.corp.example.com.key)" "mkcsr-role: device"
expect_is "the EKU" "$(csr_eku laptop2.corp.example.com.csr)" "TLS Web Client Authentication, 1.3.6.1.5.5.8.2.2"
rm -f laptop2.corp.example.com.key laptop2.corp.example.com.csr
# A bare NAME.inf is a path too (in the current directory), not a template name.
cp "$SHIPPED/ikev2.inf" own.inf
run 0 new --template own.inf --host ike2.example.com -q
expect_is "the role mark" "$(head -n 1 ike2.example.com.key)" "mkcsr-role: ikev2"
rm -f ike2.example.com.key ike2.example.com.csr own.inf
run 2 new --template mine/laptops.inf
expect_err_first "mkcsr new: invalid usage: --template mine/laptops.inf needs --host NAME"
run 3 new --template mine/missing.inf --host vpn.example.com
expect_err_first "mkcsr new: cannot read file: 'mine/missing.inf': No such file or directory"
# A role mkcsr check would refuse is refused here, before any key is made.
sed 's/^; mkcsr-role: device$/; mkcsr-role: laptop/' mine/laptops.inf > mine/bad-role.inf
run 2 new --template mine/bad-role.inf --host laptop3.corp.example.com
expect_err_first "mkcsr new: unknown template: 'mine/bad-role.inf': mkcsr-role 'laptop' is not one of sstp, ikev2, nps, client, device"
expect_files keep mine
# The long names of the tunnel roles are taken, and written as check spells them.
sed 's/^; mkcsr-role: device$/; mkcsr-role: Device-Tunnel/' mine/laptops.inf > mine/long-role.inf
run 0 new --template mine/long-role.inf --host laptop4.corp.example.com -q
expect_is "the role mark" "$(head -n 1 laptop4.corp.example.com.key)" "mkcsr-role: device"
rm -f laptop4.corp.example.com.key laptop4.corp.example.com.csr
# An INF without a role comment makes a plain key.
grep -v '^; mkcsr-role:' mine/laptops.inf > mine/no-role.inf
run 0 new --template mine/no-role.inf --host laptop5.corp.example.com -q
expect_is "the first line" "$(head -n 1 laptop5.corp.example.com.key)" "-----BEGIN PRIVATE KEY-----"
expect_out_lacks "Role:"
rm -f laptop5.corp.example.com.key laptop5.corp.example.com.csr
# --inf with a file that has the role comment (a template's copy) marks the key the same way,
# and refuses a role check would refuse, naming the file.
cp "$SHIPPED/nps.inf" with-role.inf
run 0 new --inf with-role.inf --host nps3.corp.example.com -q
expect_is "the first line" "$(head -n 1 nps3.corp.example.com.key)" "mkcsr-role: nps"
rm -f nps3.corp.example.com.key nps3.corp.example.com.csr with-role.inf
run 2 new --inf mine/bad-role.inf --host laptop3.corp.example.com
expect_err_first "mkcsr new: unknown template: 'mine/bad-role.inf': mkcsr-role 'laptop' is not one of sstp, ikev2, nps, client, device"
expect_files keep mine
rm -r mine
mv keep/* .
rmdir keep

# ---- issued by the test CA, checked with no --role ----
cat > ext.cnf <<'CNF'
[ext]
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.example.com/inter.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.com
CNF
# issue_and_check STEM SERIAL ROLE DESCRIPTION HOST STATUSES RESULT
issue_and_check() {
	openssl x509 -req -in "$1.csr" -CA "$CERTS/inter-ca.pem" -CAkey "$CERTS/inter-ca.key" -copy_extensions copy \
		-days 30 -set_serial "$2" -extfile ext.cnf -extensions ext -out "$1.pem" 2> openssl.err ||
		{ cat openssl.err >&2; fail "openssl cannot issue $1.pem"; }
	rm -f openssl.err
	run 0 check --cert "$1.pem" --key "$1.key" --csr "$1.csr" --chain "$CERTS/inter-ca.pem" --ca-file "$CERTS/root-ca.pem"
	if [ -n "$5" ]; then
		expect_out_line "  Role:       $3 ($4), host $5"
	else
		expect_out_line "  Role:       $3 ($4)"
	fi
	expect_statuses "$6"
	expect_result "$7"
}
issue_and_check vpn.example.com 0x5001 sstp "RRAS SSTP server" vpn.example.com "PASS PASS PASS PASS PASS PASS PASS PASS" \
	"fit for the role (0 failed, 0 warnings; exit 0)"
expect_check PASS usage "Server Authentication present, as the sstp role needs"
issue_and_check ike.example.com 0x5002 ikev2 "RRAS IKEv2 server" ike.example.com "PASS PASS PASS PASS PASS PASS PASS PASS" \
	"fit for the role (0 failed, 0 warnings; exit 0)"
expect_check PASS usage "Server Authentication and IP security IKE intermediate present, as the ikev2 role needs"
issue_and_check nps1.corp.example.com 0x5003 nps "NPS server (PEAP, EAP-TLS)" nps1.corp.example.com \
	"PASS PASS PASS PASS PASS PASS PASS PASS" "fit for the role (0 failed, 0 warnings; exit 0)"
expect_check PASS usage "Server Authentication present, as the nps role needs"
issue_and_check laptop1.corp.example.com 0x5004 device "device tunnel client" laptop1.corp.example.com \
	"PASS PASS PASS PASS PASS PASS PASS PASS" "fit for the role (0 failed, 0 warnings; exit 0)"
expect_check PASS usage "Client Authentication and IP security IKE intermediate present, as the device role needs"
# The user tunnel: a user certificate names a user, so there is no host to check.
issue_and_check alice@corp.example.com 0x5005 client "user tunnel client" "" \
	"PASS PASS PASS SKIP PASS PASS PASS PASS" "fit for the role (0 failed, 0 warnings; exit 0)"
expect_check SKIP name "a user certificate names a user, not a host (give --host to check one)"
expect_check PASS usage "Client Authentication present, as the client role needs"
# --role on the command line wins over the mark.
run 6 check --cert laptop1.corp.example.com.pem --key laptop1.corp.example.com.key --role sstp \
	--chain "$CERTS/inter-ca.pem" --ca-file "$CERTS/root-ca.pem"
expect_out_line "  Role:       sstp (RRAS SSTP server)"
# A key marked with a role check does not know: exit 3, named.
{ printf 'mkcsr-role: laptop\n'; sed 1d laptop1.corp.example.com.key; } > bad-role.key
run 3 check --cert laptop1.corp.example.com.pem --key bad-role.key
expect_err_first "mkcsr check: malformed input: 'bad-role.key' is marked for role 'laptop', which is not one of sstp, ikev2, nps, client, device"

# ---- the JSON reports (python3 reads them) ----
need_python
run 0 templates --json
expect_no_err
json_equals '{
  "directories": [env["TESTS_INSTALLED_TEMPLATES"]],
  "templates": [
    {"name": "device-tunnel", "role": "device", "origin": "built-in", "file": None,
     "summary": "device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = the device FQDN"},
    {"name": "ikev2", "role": "ikev2", "origin": "built-in", "file": None,
     "summary": "RRAS IKEv2 server: RSA 2048, Server Authentication and IP security IKE intermediate"},
    {"name": "nps", "role": "nps", "origin": "built-in", "file": None,
     "summary": "NPS server (PEAP, EAP-TLS): RSA 2048, Server Authentication, subject = the server name"},
    {"name": "sstp", "role": "sstp", "origin": "built-in", "file": None,
     "summary": "RRAS SSTP server: ECDSA P-256, Server Authentication (as certlm'"'"'s custom request)"},
    {"name": "user-tunnel", "role": "client", "origin": "built-in", "file": None,
     "summary": "user tunnel client: RSA 2048, Client Authentication, the user'"'"'s UPN in the SAN"}
  ]
}'
# mkcsr new --json says the role.
run 0 new --template sstp --host json.example.com --json -o .
"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(not (d["role"] == "sstp" and d["notes"] == [] and d["warnings"] == []))' "$WORK/out" ||
	{ cat "$WORK/out" >&2; fail "the JSON report does not say role sstp with no notes"; }
rm -f json.example.com.key json.example.com.csr
