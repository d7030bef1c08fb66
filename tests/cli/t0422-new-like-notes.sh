#!/bin/sh
# The note of new --like says exactly what was copied from the old
# certificate and what each option on the command line gave instead:
# --host (the CN, unless --subject is given or it is the CN already, and the
# first name, unless it is the first name already), --subject, --san, --eku
# and --key-type, alone and together; an old key type that would have been
# changed (RSA 1024) is not spoken of when --key-type replaces it.  --pass
# with a --like file that is no PFX draws a warning; with a PFX it does not.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs in

ca_sets="the CA sets key usage, validity, CRL and OCSP addresses and policies again"
# noted ARGS -- NOTE...: new --like in/leaf-good.pem ARGS succeeds, with
# exactly these notes and no warning; the files are removed.
noted() {
	nt_args=
	while [ "$1" != -- ]; do
		nt_args="$nt_args $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	run 0 new $nt_args -o out.d
	expect_no_err
	nt_got=$(awk '/^Notes:$/ { on = 1; next } on && /^$/ { exit } on { print }' "$WORK/out")
	nt_want=$(for n in "$@"; do printf '  - %s\n' "$n"; done)
	[ "$nt_got" = "$nt_want" ] || { cat "$WORK/out" >&2; fail "new$nt_args: the notes are:
$nt_got
expected:
$nt_want"; }
	rm -f out.d/*
}
mkdir out.d
good="--like in/leaf-good.pem"

# Nothing given: everything copied.
noted $good -- "in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 name, 1 usage and the key type; $ca_sets"
# The example of the report: neither the CN nor the key type was copied.
noted $good --host vpn2.example.com --key-type rsa:2048 -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com) but its CN, 1 name and 1 usage; --host made vpn2.example.com the CN and the first name; --key-type replaced the key type; $ca_sets"
expect_out_line "  Subject:              CN=vpn2.example.com"
expect_out_line "  Alternative names:    DNS:vpn2.example.com, DNS:vpn.example.com"
expect_out_line "  Key:                  RSA 2048, signed with sha256WithRSAEncryption"
# --host the same as the CN and first name: that is the copy.
noted $good --host VPN.Example.com -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 name, 1 usage and the key type; $ca_sets"
# --host not among the names: added in front; among them, not first: moved in front.
noted --like in/leaf-wildcard.pem --host vpn.example.com -- \
	"in/leaf-wildcard.pem: copied the subject (CN=*.example.com) but its CN, 2 names, 1 usage and the key type; --host made vpn.example.com the CN and the first name; $ca_sets"
expect_out_line "  Alternative names:    DNS:vpn.example.com, DNS:*.example.com, DNS:example.com"
noted --like in/leaf-wildcard.pem --host example.com -- \
	"in/leaf-wildcard.pem: copied the subject (CN=*.example.com) but its CN, 2 names, 1 usage and the key type; --host made example.com the CN and the first name; $ca_sets"
expect_out_line "  Alternative names:    DNS:example.com, DNS:*.example.com"
# A host too long for a CN: the first name only.
long=$(printf 'a%.0s' $(seq 1 60)).example.com
noted $good --host "$long" -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 name, 1 usage and the key type; --host made $long the first name; $ca_sets"
# --subject alone.
noted $good --subject CN=vpn.example.com,O=Example -- \
	"in/leaf-good.pem: copied 1 name, 1 usage and the key type; --subject replaced the subject; $ca_sets"
# --subject and --host: the host is the first name, the CN is the --subject's.
noted $good --subject CN=vpn.example.com,O=Example --host vpn2.example.com -- \
	"in/leaf-good.pem: copied 1 name, 1 usage and the key type; --subject replaced the subject; --host made vpn2.example.com the first name; $ca_sets"
expect_out_line "  Subject:              CN=vpn.example.com, O=Example"
# --san alone, and with --host.
noted $good --san dns:new.example.com -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 usage and the key type; --san replaced the names; $ca_sets"
expect_out_line "  Alternative names:    DNS:new.example.com"
noted $good --san dns:new.example.com --host vpn2.example.com -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com) but its CN, 1 usage and the key type; --host made vpn2.example.com the CN; --san and --host replaced the names; $ca_sets"
expect_out_line "  Alternative names:    DNS:vpn2.example.com, DNS:new.example.com"
# --eku alone.
noted $good --eku clientAuth --eku serverAuth -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 name and the key type; --eku replaced the usages; $ca_sets"
expect_out_line "  Enhanced key usage:   Client Authentication (1.3.6.1.5.5.7.3.2), Server Authentication (1.3.6.1.5.5.7.3.1)"
# --key-type alone; over a key too small to renew, no word of "the new key is RSA 2048".
noted $good --key-type ec:P-384 -- \
	"in/leaf-good.pem: copied the subject (CN=vpn.example.com), 1 name and 1 usage; --key-type replaced the key type; $ca_sets"
noted --like in/leaf-rsa1024.pem --key-type rsa:4096 -- \
	"in/leaf-rsa1024.pem: copied the subject (CN=vpn.example.com), 1 name and 1 usage; --key-type replaced the key type; $ca_sets"
expect_out_line "  Key:                  RSA 4096, signed with sha256WithRSAEncryption"
# Everything replaced: nothing copied.
noted $good --subject O=Example --san dns:a.example.com --eku clientAuth --key-type rsa:3072 -- \
	"in/leaf-good.pem: copied nothing; --subject replaced the subject; --san replaced the names; --eku replaced the usages; --key-type replaced the key type; $ca_sets"
# Everything at once, --host too.
noted $good --subject O=Example --san dns:a.example.com --eku clientAuth --key-type rsa:3072 --host b.example.com -- \
	"in/leaf-good.pem: copied nothing; --subject replaced the subject; --san and --host replaced the names; --eku replaced the usages; --key-type replaced the key type; $ca_sets"

# ---- --pass where it is not read ----
printf 'pfx-password\n' > in/pw
run 0 new --like in/leaf-good.pem --pass file:in/pw -o out.d -q
expect_err_exactly "mkcsr new: warning: --pass is not used: 'in/leaf-good.pem' is not a PFX"
rm -f out.d/* err.want
run 0 new --like in/leaf-good.der --pass file:in/missing -o out.d -q
expect_err_exactly "mkcsr new: warning: --pass is not used: 'in/leaf-good.der' is not a PFX"
rm -f out.d/* err.want
# Read from a PFX: no warning.
openssl pkcs12 -export -in in/leaf-good.pem -inkey in/leaf.key -passout file:in/pw -out in/old.pfx ||
	fail "openssl cannot make a PFX"
run 0 new --like in/old.pfx --pass file:in/pw -o out.d -q
expect_no_err
expect_files in out.d
exit 0
