#!/bin/sh
# friendlyName belongs on the certificate bag (the name certlm shows), not
# on the key bag, where Windows takes it as the key container name
# (windows-reference section 3).  mkcsr pfx writes it on the certificate
# bag alone, read back from the bags' attributes with openssl pkcs12 and
# with Python cryptography; a PFX re-packed from one whose key bag has a
# name loses that name, with a note, and keeps its certificate's.  mkcsr inspect says which bag carries which name
# and what Windows makes of it, in text and JSON.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
need_python json cryptography
pfx_setup

# key_bag_names FILE: the friendlyName attributes of FILE's key bag, as openssl prints them.
key_bag_names() {
	pfx_key_attributes "$1" | grep '^friendlyName' || true
}

run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw --friendly-name "VPN 2027" --out vpn.pfx -q
expect_no_err
[ -z "$(key_bag_names vpn.pfx)" ] || fail "the key bag has: $(key_bag_names vpn.pfx)"
[ "$(pfx_leaf_attributes vpn.pfx | grep '^friendlyName')" = "friendlyName: VPN 2027" ] ||
	fail "the certificate bag's attributes: $(pfx_leaf_attributes vpn.pfx)"
# Python cryptography: the certificate carries the name; no other certificate does.
"$PYTHON" - vpn.pfx "$PFX_PASS" <<'PY' || fail "Python cryptography reads other names"
import sys
from cryptography.hazmat.primitives.serialization import pkcs12
p = pkcs12.load_pkcs12(open(sys.argv[1], "rb").read(), sys.argv[2].encode())
assert p.cert.friendly_name == b"VPN 2027", p.cert.friendly_name
assert [c.friendly_name for c in p.additional_certs] == [None], [c.friendly_name for c in p.additional_certs]
PY

# inspect: which bag carries which name.
run 0 inspect --pass file:in/pw vpn.pfx
expect_no_err
sed -n '/^Friendly names:/,/^$/p' out > in/names
printf '%s\n' \
	"Friendly names:                 Bag: 1, kind: certificate, Friendly name: VPN 2027, On import: certlm shows it as the certificate's name" \
	"                                Bag: 3, kind: shrouded key, On import: no name: Windows makes a unique key container name" \
	"" > in/names.want
diff -u in/names.want in/names >&2 || fail "inspect's friendly names differ (diff -u above: - expected, + got)"

# A PFX as openssl -name writes it: the name on both bags, and inspect says what the key bag's does.
openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -certfile in/inter-ca.pem -name vpn.example.com \
	-passout file:in/pw -out in/both.pfx 2> in/openssl.err || fail "openssl cannot make a PFX"
[ "$(key_bag_names in/both.pfx)" = "friendlyName: vpn.example.com" ] || fail "openssl wrote no name on the key bag"
run 0 inspect --pass file:in/pw --json in/both.pfx
"$PYTHON" - "$WORK/out" <<'PY' || fail "inspect --json's friendly_names are wrong"
import json, sys
d = json.load(open(sys.argv[1]))[0]
assert d["friendly_names"] == [
    {"bag": 1, "bag_kind": "certificate", "friendly_name": "vpn.example.com",
     "windows_use": "certlm shows it as the certificate's name"},
    {"bag": 3, "bag_kind": "shrouded key", "friendly_name": "vpn.example.com",
     "windows_use": "Windows takes it as the key container name: every import asks for the same one"},
], d["friendly_names"]
PY

# Re-packed: the certificate keeps its name (not the host's default), the
# key bag has none, and the summary notes the name left out.
openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -certfile in/inter-ca.pem -name "Old SSTP 2025" \
	-passout file:in/pw -out in/named.pfx 2> in/openssl.err || fail "openssl cannot make a PFX"
run 0 pfx --cert in/named.pfx --in-pass file:in/pw --pass file:in/pw --out repacked.pfx
expect_no_err
expect_out_line "  Friendly name:  Old SSTP 2025"
expect_out_line "  - left out the friendlyName 'Old SSTP 2025' of the key in 'in/named.pfx': Windows would take it as the key container name"
[ -z "$(key_bag_names repacked.pfx)" ] || fail "the re-packed key bag has: $(key_bag_names repacked.pfx)"
[ "$(pfx_leaf_attributes repacked.pfx | grep '^friendlyName')" = "friendlyName: Old SSTP 2025" ] ||
	fail "the re-packed certificate bag's attributes: $(pfx_leaf_attributes repacked.pfx)"
rm repacked.pfx
# --friendly-name still decides.
run 0 pfx --cert in/named.pfx --in-pass file:in/pw --pass file:in/pw --friendly-name "SSTP 2027" --out repacked.pfx -q
[ "$(pfx_leaf_attributes repacked.pfx | grep '^friendlyName')" = "friendlyName: SSTP 2027" ] ||
	fail "the re-packed certificate bag's attributes: $(pfx_leaf_attributes repacked.pfx)"
exit 0
