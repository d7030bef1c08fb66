#!/bin/sh
# mkcsr pfx drops nothing silently.  A PFX with no issuing CA in it (the
# leaf alone, no --chain; or a PFX given to --cert that holds none) gets a
# warning on stderr, and in --json's warnings, that Windows will have to
# find the intermediate itself (CERT_E_CHAINING); a self-signed
# certificate needs no issuer and gets none.  A root given and left out
# (no --include-root) gets a note in the summary and in --json's notes; with
# --include-root it is in the PFX and there is no note.  What the PFX holds
# is read back with openssl pkcs12.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
need_python json
pfx_setup

warning="the PFX holds no issuing CA certificate: Windows will have to find the intermediate (CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US) itself, and SSTP clients then fail with CERT_E_CHAINING unless the server can build the chain; give it with --chain FILE"
# shellcheck disable=SC2089 # the quotes are the message's own
note="left out the root CA CN=mkcsr Test Root CA,O=mkcsr Test PKI,C=US from 'in/root-ca.pem': clients must trust it already; --include-root puts it in the PFX"

# The leaf alone: the warning, once, and the PFX holds the leaf only.
run 0 pfx --cert in/good.pem --key in/leaf.key --pass file:in/pw --out alone.pfx
expect_err_first "mkcsr pfx: warning: $warning"
expect_lines "$WORK/err" 1
expect_out_line "  Contents:       certificate, private key"
expect_out_lacks "Notes:"
[ "$(pfx_subjects alone.pfx)" = "CN = vpn.example.com" ] || fail "alone.pfx holds: $(pfx_subjects alone.pfx)"
rm alone.pfx
MKCSR_TEST_WARNING=$warning
export MKCSR_TEST_WARNING
run 0 pfx --cert in/good.pem --key in/leaf.key --pass file:in/pw --out alone.pfx --json
expect_err_first "mkcsr pfx: warning: $warning"
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON warnings are wrong"
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["warnings"] == [os.environ["MKCSR_TEST_WARNING"]], d["warnings"]
assert d["notes"] == [], d["notes"]
PY
rm alone.pfx

# The same for a PFX given to --cert that holds the leaf alone.
openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -passout file:in/pw -out in/alone.pfx 2> in/openssl.err ||
	fail "openssl cannot make a PFX"
run 0 pfx --cert in/alone.pfx --in-pass file:in/pw --pass file:in/pw --out new.pfx -q
expect_err_first "mkcsr pfx: warning: $warning"
expect_lines "$WORK/err" 1
rm new.pfx

# The intermediate given: no warning.
run 0 pfx --cert in/good.pem --chain in/inter-ca.pem --key in/leaf.key --pass file:in/pw --out chain.pfx
expect_no_err
expect_out_lacks "Notes:"
rm chain.pfx

# The root given in --chain and left out: a note, in the summary and the JSON.
run 0 pfx --cert in/good.pem --chain in/inter-ca.pem --chain in/root-ca.pem --key in/leaf.key --pass file:in/pw \
	--out noroot.pfx
expect_no_err
sed -n '/^Notes:$/,/^$/p' out > in/notes
printf '%s\n' "Notes:" "  - $note" "" > in/notes.want
diff -u in/notes.want in/notes >&2 || fail "the notes differ (diff -u above: - expected, + got)"
[ "$(pfx_subjects noroot.pfx | wc -l)" -eq 2 ] || fail "noroot.pfx holds: $(pfx_subjects noroot.pfx)"
rm noroot.pfx
MKCSR_TEST_NOTE=$note
# shellcheck disable=SC2090
export MKCSR_TEST_NOTE
run 0 pfx --cert in/good.pem --chain in/inter-ca.pem --chain in/root-ca.pem --key in/leaf.key --pass file:in/pw \
	--out noroot.pfx --json
expect_no_err
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON notes are wrong"
import json, os, sys
d = json.load(open(sys.argv[1]))
assert d["notes"] == [os.environ["MKCSR_TEST_NOTE"]], d["notes"]
assert d["warnings"] == [], d["warnings"]
assert d["root_included"] is False, d
PY
rm noroot.pfx

# With --include-root: in the PFX, and nothing to note.
run 0 pfx --cert in/good.pem --chain in/inter-ca.pem --chain in/root-ca.pem --include-root --key in/leaf.key \
	--pass file:in/pw --out root.pfx
expect_no_err
expect_out_lacks "Notes:"
[ "$(pfx_subjects root.pfx | sed -n 3p)" = "C = US, O = mkcsr Test PKI, CN = mkcsr Test Root CA" ] ||
	fail "root.pfx does not end with the root: $(pfx_subjects root.pfx)"
rm root.pfx

# A self-signed certificate: no issuer to miss, no warning.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout in/self.key -out in/self.pem -days 30 \
	-subj /CN=lab.example.com -addext subjectAltName=DNS:lab.example.com -addext extendedKeyUsage=serverAuth \
	2> in/openssl.err || { cat in/openssl.err >&2; fail "openssl cannot make a self-signed certificate"; }
run 0 pfx --cert in/self.pem --key in/self.key --pass file:in/pw --out self.pfx
expect_no_err
expect_files in self.pfx
exit 0
