#!/bin/sh
# mkcsr inspect on PFX files that mkcsr pfx makes, in both profiles: the
# MAC and its iterations, which Windows import the file, each safe's and
# bag's encryption, the bags' friendlyName, localKeyID, CSP name and
# machine-keyset mark, the certificates in chain order and the key (never
# its material), as text and JSON compared with tests/data/inspect/pfx-*.
# The PFX files are made from the fixtures here: their salts differ from
# run to run, but nothing mkcsr inspect shows does.  Without --pass, or with
# a wrong password: one line, exit 3, nothing on standard output.

. "$TESTS_SRCDIR/cli/lib.sh"
inspect_setup
printf '%s\n' "$PFX_PASS" > pw

# --force: the fixtures' dates are fixed, and mkcsr pfx checks them as of now.
for profile in compat modern; do
	"$MKCSR" pfx --cert fullchain.pem --key leaf.key --pass file:pw --profile "$profile" --force -q \
		-o "$profile.pfx" 2> pfx.err || { cat pfx.err >&2; fail "mkcsr pfx --profile $profile failed"; }
	inspect_expect "pfx-$profile.txt" --at "$INSPECT_AT" --pass file:pw "$profile.pfx"
	inspect_expect "pfx-$profile.json" --at "$INSPECT_AT" --pass file:pw --json "$profile.pfx"
done

# The whole chain, root included, without the machine-keyset mark.
"$MKCSR" pfx --cert chain-shuffled.pem --key leaf.key --pass file:pw --include-root --no-machine-keyset \
	--friendly-name "VPN (2027)" --force -q -o root.pfx 2> pfx.err || { cat pfx.err >&2; fail "mkcsr pfx failed"; }
inspect_expect pfx-root.txt --at "$INSPECT_AT" --pass file:pw root.pfx

# The password from standard input serves every file.
run_in pw 0 inspect --at "$INSPECT_AT" --pass stdin --json compat.pfx modern.pfx
expect_out '"mkcsr_profile": "compat",'
expect_out '"mkcsr_profile": "modern",'

# No password, a wrong one.
run 3 inspect compat.pfx
expect_no_out
expect_err_exactly "mkcsr inspect: cannot read the passphrase: 'compat.pfx' is a PFX: give its password with --pass SOURCE"
printf 'not-the-password\n' > wrong
run 3 inspect --pass file:wrong modern.pfx
expect_no_out
expect_err_exactly "mkcsr inspect: malformed input: 'modern.pfx': the password is wrong (the PFX's integrity check failed)"
run 3 inspect --pass file:wrong --json modern.pfx
need_python json
expect_json_error MALFORMED 3 modern.pfx "malformed input: 'modern.pfx': the password is wrong (the PFX's integrity check failed)" ""

# The password is never printed, not even with -v.
run 0 inspect -v --pass file:pw compat.pfx
expect_out_lacks "$PFX_PASS"
expect_err_lacks "$PFX_PASS"
exit 0
