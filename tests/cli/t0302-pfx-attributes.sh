#!/bin/sh
# The bag attributes Windows reads when it imports mkcsr's PFX.  The key
# bag: localKeyID (the SHA-1 thumbprint the summary prints, pairing key and
# certificate), the Microsoft CSP name (default: Microsoft Software Key
# Storage Provider) and the Microsoft Local Key set (machine key set)
# marker, and no friendlyName: Windows would take it as the key container
# name (windows-reference section 3).  The leaf's certificate bag:
# friendlyName (what certlm shows) and localKeyID.  The CA certificates:
# no attributes.  --friendly-name, --provider and --no-machine-keyset
# change them.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

thumb=$(thumbprint in/good.pem)
keyid=$(key_id_hex "$thumb")
ok="--cert in/good-chain.pem --key in/leaf.key --pass file:in/pw"

# attributes WHAT ACTUAL LINE...: ACTUAL (sorted lines) is exactly LINE... (sorted).
attributes() {
	attributes_what=$1
	printf '%s\n' "$2" > in/attributes.actual
	shift 2
	printf '%s\n' "$@" | LC_ALL=C sort > in/attributes.expected
	diff in/attributes.expected in/attributes.actual >&2 || fail "the $attributes_what attributes differ (diff above)"
}

for profile in compat modern; do
	# shellcheck disable=SC2086
	run 0 pfx $ok --profile "$profile" -o "$profile.pfx"
	expect_out_line "  Thumbprint:     $thumb"
	expect_out_line "  Friendly name:  vpn.example.com"
	expect_out_line "  Key provider:   Microsoft Software Key Storage Provider, machine key set"
	attributes "key bag ($profile)" "$(pfx_key_attributes "$profile.pfx")" \
		"localKeyID: $keyid" \
		"Microsoft CSP Name: Microsoft Software Key Storage Provider" \
		"Microsoft Local Key set: <No Values>"
	attributes "leaf certificate bag ($profile)" "$(pfx_leaf_attributes "$profile.pfx")" \
		"friendlyName: vpn.example.com" \
		"localKeyID: $keyid"
	# The CA certificate's bag has none.
	openssl pkcs12 -in "$profile.pfx" -passin file:in/pw -nokeys -cacerts 2> in/pkcs12.err | grep '^Bag Attributes' > in/ca-bags
	[ "$(cat in/ca-bags)" = "Bag Attributes: <No Attributes>" ] || fail "the CA certificate's bag attributes: $(cat in/ca-bags)"
done

# The localKeyID is the thumbprint openssl computes, which is Windows' thumbprint.
[ "$thumb" = "$(openssl x509 -in in/good.pem -noout -fingerprint -sha1 | sed 's/.*=//' | tr -d :)" ] ||
	fail "thumbprint helper differs from openssl"

# --friendly-name: the certificate bag only; the default file name stays the host's.
# shellcheck disable=SC2086
run 0 pfx $ok --friendly-name "VPN SSTP 2027 (ACME)"
expect_files in compat.pfx modern.pfx vpn.example.com.pfx
expect_out_line "  Friendly name:  VPN SSTP 2027 (ACME)"
attributes "key bag (--friendly-name)" "$(pfx_key_attributes vpn.example.com.pfx)" \
	"localKeyID: $keyid" \
	"Microsoft CSP Name: Microsoft Software Key Storage Provider" \
	"Microsoft Local Key set: <No Values>"
attributes "leaf certificate bag (--friendly-name)" "$(pfx_leaf_attributes vpn.example.com.pfx)" \
	"friendlyName: VPN SSTP 2027 (ACME)" \
	"localKeyID: $keyid"
rm vpn.example.com.pfx

# (A name that is not ASCII is checked in i0202-pfx-python.sh: openssl 3.0
# prints a BMPString's characters as Latin-1.)

# --no-machine-keyset: no Local Key set marker, the CSP name stays.
# shellcheck disable=SC2086
run 0 pfx $ok --no-machine-keyset -o user.pfx
expect_out_line "  Key provider:   Microsoft Software Key Storage Provider"
attributes "key bag (--no-machine-keyset)" "$(pfx_key_attributes user.pfx)" \
	"localKeyID: $keyid" \
	"Microsoft CSP Name: Microsoft Software Key Storage Provider"

# --provider: another KSP name.
# shellcheck disable=SC2086
run 0 pfx $ok --provider "Microsoft Platform Crypto Provider" -o tpm.pfx
expect_out_line "  Key provider:   Microsoft Platform Crypto Provider, machine key set"
attributes "key bag (--provider)" "$(pfx_key_attributes tpm.pfx)" \
	"localKeyID: $keyid" \
	"Microsoft CSP Name: Microsoft Platform Crypto Provider" \
	"Microsoft Local Key set: <No Values>"
# Both changed at once.
# shellcheck disable=SC2086
run 0 pfx $ok --provider "Microsoft Platform Crypto Provider" --no-machine-keyset -o both.pfx
attributes "key bag (--provider --no-machine-keyset)" "$(pfx_key_attributes both.pfx)" \
	"localKeyID: $keyid" \
	"Microsoft CSP Name: Microsoft Platform Crypto Provider"
# An empty provider name is a usage error.
# shellcheck disable=SC2086
run 2 pfx $ok --provider "" -o empty.pfx
expect_err_first "mkcsr pfx: invalid usage: --provider needs a name"
expect_files in compat.pfx modern.pfx user.pfx tpm.pfx both.pfx

exit 0
