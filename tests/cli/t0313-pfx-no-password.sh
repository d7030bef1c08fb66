#!/bin/sh
# A PFX without a password opens in every command that reads one: made
# with an empty password (openssl pkcs12 -export -passout pass:), with an
# empty password and no MAC at all (-nomac), and pyca's no-password.p12
# and name-*-no-pwd.p12.  Without --pass (or --in-pass) the empty password
# and no password are tried; "--pass pass:" opens them too.  inspect, new
# --like, check --cert and pfx --cert each say, in text and JSON, that the
# file is not protected by a password, and whether it has no integrity MAC.
# A PFX with a real password still needs it (same error, same exit code as
# before), and writing a PFX still refuses an empty password.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
need_python json cryptography_vectors
VECTORS=$("$PYTHON" -c 'import cryptography_vectors, os; print(os.path.dirname(cryptography_vectors.__file__))')/pkcs12
copy_certs
now_leaf now.pem vpn.example.com DNS:vpn.example.com serverAuth

mkpfx() {
	out=$1
	shift
	openssl pkcs12 -export -in now.pem -inkey leaf.key -certfile inter-ca.pem -name vpn.example.com \
		-out "$out" "$@" 2> openssl.err || { cat openssl.err >&2; fail "openssl cannot make $out"; }
}
mkpfx empty.p12 -passout pass:
mkpfx nomac.p12 -passout pass: -nomac
mkpfx secret.p12 -passout pass:secret-pw
mkpfx secret-nomac.p12 -passout pass:secret-pw -nomac
printf 'secret-pw\n' > pw

EMPTY="this PFX is not protected by a password: it opens with an empty one"
NOMAC="this PFX is not protected by a password and has no integrity MAC: anyone can read it or change it unnoticed"
NOMAC_PW="this PFX has no integrity MAC: a change to it cannot be detected (its contents are encrypted with the password)"

# inspect: the "Protection" line, and protection_note in JSON (null for a protected PFX).
run 0 inspect empty.p12
expect_no_err
expect_out_line "Protection:                     $EMPTY"
expect_out_line "Certificates:                   2"
run 0 inspect nomac.p12
expect_no_err
expect_out_line "Integrity check (MAC):          none (no integrity check)"
expect_out_line "Protection:                     $NOMAC"
run 0 inspect --pass file:pw secret-nomac.p12
expect_out_line "Protection:                     $NOMAC_PW"
run 0 inspect --pass pass: empty.p12
expect_out_line "Protection:                     $EMPTY"
run 0 inspect --json empty.p12 nomac.p12
"$PYTHON" - "$WORK/out" "$EMPTY" "$NOMAC" <<'PY' || fail "inspect --json is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert [f["protection_note"] for f in d] == sys.argv[2:4], d
assert [f["certificate_count"] for f in d] == [2, 2] and [f["key_count"] for f in d] == [1, 1], d
PY
run 0 inspect --pass file:pw --json secret.p12
"$PYTHON" - "$WORK/out" <<'PY' || fail "inspect --json of a protected PFX is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d[0]["protection_note"] is None, d
PY

# pyca's vectors: each opens, and says so.
for f in no-password.p12 name-1-no-pwd.p12 name-2-3-no-pwd.p12 name-all-no-pwd.p12 name-unicode-no-pwd.p12 \
	no-name-no-pwd.p12; do
	run 0 inspect "$VECTORS/$f"
	expect_no_err
	expect_out_line "Protection:                     $EMPTY"
done

# A protected PFX without its password: the error of before, exit 3; an empty
# --pass is refused by the MAC, exit 3, nothing on stdout.
run 3 inspect secret.p12
expect_no_out
expect_err_exactly "mkcsr inspect: cannot read the passphrase: 'secret.p12' is a PFX: give its password with --pass SOURCE"

run 3 inspect --pass pass: secret.p12
expect_no_out
expect_err_line "mkcsr inspect: malformed input: 'secret.p12': the password is wrong: the PFX does not open with an empty one"
MKCSR_TEST_EMPTY_PW= run 3 inspect --pass env:MKCSR_TEST_EMPTY_PW secret.p12
export MKCSR_TEST_EMPTY_PW=
run 0 inspect --pass env:MKCSR_TEST_EMPTY_PW empty.p12
expect_no_err
run 3 check --cert secret-nomac.p12
expect_err_first "mkcsr check: cannot read the passphrase: 'secret-nomac.p12' is a PFX: give its password with --pass SOURCE"

# new --like: the request is made, and a note says so (text and JSON).
mkdir text json none2
run 0 new --like empty.p12 --out-dir text
expect_no_err
expect_out_line "  - 'empty.p12' is not protected by a password: it opens with an empty one"
[ -s text/vpn.example.com.key ] && [ -s text/vpn.example.com.csr ] || fail "new --like empty.p12 wrote no key and request"
run 0 new --like nomac.p12 --pass pass: --out-dir json --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "new --json does not carry the note"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["notes"][0] == "'nomac.p12' is not protected by a password and has no integrity MAC: anyone can read it or change it unnoticed", d["notes"]
PY
run 3 new --like secret.p12 --out-dir none2
expect_err_first "mkcsr new: cannot read the passphrase: 'secret.p12' is a PFX: give its password with --pass SOURCE"
[ -z "$(ls none2)" ] || fail "new --like of a PFX it cannot open wrote files"

# check --cert: a "Note:" line, and "note" in JSON (null for a protected PFX).
run 0 check --cert empty.p12 --ca-file root-ca.pem --host vpn.example.com --role sstp
expect_no_err
expect_out_line "  Note:       'empty.p12' is not protected by a password: it opens with an empty one"
expect_check PASS key "the key in 'empty.p12' is the private key of CN=vpn.example.com in 'empty.p12'"
run 0 check --cert nomac.p12 --ca-file root-ca.pem --host vpn.example.com --role sstp --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "check --json does not carry the note"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["note"] == "'nomac.p12' is not protected by a password and has no integrity MAC: anyone can read it or change it unnoticed", d["note"]
PY
run 0 check --cert empty.p12 --pass pass: --ca-file root-ca.pem --host vpn.example.com --role sstp
expect_out_line "  Note:       'empty.p12' is not protected by a password: it opens with an empty one"
run 3 check --cert secret.p12 --pass pass: --ca-file root-ca.pem
expect_err_line "mkcsr check: malformed input: 'secret.p12': the password is wrong: the PFX does not open with an empty one"
run 0 check --cert secret.p12 --pass file:pw --ca-file root-ca.pem --host vpn.example.com --role sstp --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "check --json of a protected PFX has a note"
import json, sys
assert json.load(open(sys.argv[1]))["note"] is None
PY

# pfx --cert: re-packed without --in-pass and without a terminal, with a note;
# the new PFX is protected by the password given.
printf 'new-password\n' > newpw
run_notty 0 pfx --cert empty.p12 --pass file:newpw -o out.pfx --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "pfx --json does not carry the note"
import json, sys
d = json.load(open(sys.argv[1]))
assert "'empty.p12' is not protected by a password: it opens with an empty one" in d["notes"], d["notes"]
PY
run 0 inspect --pass file:newpw out.pfx
expect_out_lacks "Protection:"
run_notty 0 pfx --cert nomac.p12 --in-pass pass: --pass file:newpw -o out2.pfx
expect_out_line "  - 'nomac.p12' is not protected by a password and has no integrity MAC: anyone can read it or change it unnoticed"
# Still: a protected one without --in-pass and no terminal, and an empty password to write.
run_notty 2 pfx --cert secret.p12 --pass file:newpw -o out3.pfx
expect_err_first "mkcsr pfx: invalid usage: 'secret.p12' is a PFX, and there is no terminal to ask for its password on: use --in-pass env:VAR, file:PATH, fd:N or stdin"
run_notty 3 pfx --cert empty.p12 --pass pass: -o out4.pfx
expect_err_line "mkcsr pfx: empty passphrase: the PFX password from pass: is empty"
[ ! -e out3.pfx ] && [ ! -e out4.pfx ] || fail "a PFX was written after an error"
