#!/bin/sh
# What mkcsr pfx refuses to build.  A key that does not belong to the
# certificate: always (exit 5, --force or not).  A certificate out of its
# validity period or without the role's EKU: exit 6 with the reason and a
# hint, unless --force, which builds it with a warning per overridden check
# and names them in the summary.  Nothing is written when it refuses.  (mkcsr
# pfx checks against the real clock: the valid leaves are issued here.)

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

now_leaf in/client.pem client01.corp.example.com "DNS:client01.corp.example.com" clientAuth
now_leaf in/wrong-eku.pem vpn.example.com "DNS:vpn.example.com" clientAuth
now_leaf in/ikev2.pem vpn.example.com "DNS:vpn.example.com" "serverAuth, 1.3.6.1.5.5.8.2.2"
key="--key in/leaf.key --pass file:in/pw"
expired_re='expired on 2021-01-01 00:00:00 UTC ([0-9]* days ago): every SSTP client fails, while IKEv2 may still work'
# Only SSTP's message says what the expiry does to SSTP clients.
expired_client_re='expired on 2021-01-01 00:00:00 UTC ([0-9]* days ago)$'

# expect_err_match N REGEX: line N of stderr matches the (basic) REGEX, whole.
expect_err_match() {
	eem_line=$(sed -n "$1p" "$WORK/err")
	printf '%s\n' "$eem_line" | grep -qx -- "$2" || { cat "$WORK/err" >&2; fail "stderr line $1 is: $eem_line
expected to match: $2"; }
}

# Expired: exit 6, the reason and the hint, nothing written.
# shellcheck disable=SC2086
run 6 pfx --cert in/leaf-expired.pem --chain in/inter-ca.pem $key
expect_no_out
expect_lines "$WORK/err" 2
expect_err_match 1 "mkcsr pfx: $expired_re"
expect_err_line "mkcsr pfx: hint: see mkcsr check; --force builds the PFX anyway"
expect_files in
# With --force: built, with a warning, and the summary says what was overridden.
# shellcheck disable=SC2086
run 0 pfx --cert in/leaf-expired.pem --chain in/inter-ca.pem $key --force
expect_lines "$WORK/err" 1
expect_err_match 1 "mkcsr pfx: warning: building the PFX anyway (--force): $expired_re"
expect_out_line "  Overridden:     validity (--force)"
expect_files in vpn.example.com.pfx
expect_mode vpn.example.com.pfx 600
[ "$(pfx_subjects vpn.example.com.pfx | wc -l)" -eq 2 ] || fail "the forced PFX does not hold the leaf and the CA"
rm vpn.example.com.pfx

# Not yet valid (leaf-notyet starts in 2035).
if [ "$(date -u +%Y)" -lt 2035 ]; then
	# shellcheck disable=SC2086
	run 6 pfx --cert in/leaf-notyet.pem $key
	expect_err_first "mkcsr pfx: not valid before 2035-01-01 00:00:00 UTC: a clock running behind, or a certificate dated ahead"
	expect_files in
fi

# No Server Authentication for SSTP (the default role), nor for the other server roles.
for role in "" ikev2 nps; do
	# shellcheck disable=SC2086
	run 6 pfx --cert in/wrong-eku.pem $key ${role:+--role "$role"}
	expect_no_out
	expect_err_first "mkcsr pfx: the ${role:-sstp} role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
	expect_err_line "mkcsr pfx: hint: see mkcsr check; --force builds the PFX anyway"
	expect_files in
done
# The client certificate is refused for SSTP, taken for the client and device roles.
# shellcheck disable=SC2086
run 6 pfx --cert in/client.pem $key
expect_err_first "mkcsr pfx: the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_files in
for role in client device; do
	# shellcheck disable=SC2086
	run 0 pfx --cert in/client.pem --chain in/inter-ca.pem $key --role "$role"
	expect_no_err
	expect_files in client01.corp.example.com.pfx
	expect_out_lacks "Overridden:"
	rm client01.corp.example.com.pfx
done
# The server certificate is refused for the client roles.
# shellcheck disable=SC2086
run 6 pfx --cert in/good.pem $key --role client
expect_err_first "mkcsr pfx: the client role needs Client Authentication (1.3.6.1.5.5.7.3.2), which the certificate lacks"
# IKEv2 without the IKE intermediate EKU is a warning in mkcsr check, not a refusal here.
# shellcheck disable=SC2086
run 0 pfx --chain in/inter-ca.pem --cert in/good.pem $key --role ikev2 -o ikev2.pfx
expect_no_err
# shellcheck disable=SC2086
run 0 pfx --chain in/inter-ca.pem --cert in/ikev2.pem $key --role ikev2 -o ikev2-eku.pfx
expect_no_err
rm ikev2.pfx ikev2-eku.pfx

# --force over the usage, and over both at once.
# shellcheck disable=SC2086
run 0 pfx --chain in/inter-ca.pem --cert in/wrong-eku.pem $key --force -o forced.pfx
expect_err_first "mkcsr pfx: warning: building the PFX anyway (--force): the sstp role needs Server Authentication (1.3.6.1.5.5.7.3.1), which the certificate lacks"
expect_out_line "  Overridden:     usage (--force)"
# shellcheck disable=SC2086
run 0 pfx --chain in/inter-ca.pem --cert in/leaf-expired.pem $key --role client --force -o both.pfx
expect_lines "$WORK/err" 2
expect_err_match 1 "mkcsr pfx: warning: building the PFX anyway (--force): $expired_client_re"
expect_err_line "mkcsr pfx: warning: building the PFX anyway (--force): the client role needs Client Authentication (1.3.6.1.5.5.7.3.2), which the certificate lacks"
expect_out_line "  Overridden:     validity, usage (--force)"
expect_files in forced.pfx both.pfx
rm forced.pfx both.pfx

# The wrong key: exit 5, with --force too, and nothing written.
mismatch="mkcsr pfx: 'in/leaf.key' is not the key of CN=vpn.example.com in 'in/leaf-otherkey.pem', nor of any other certificate given (key values mismatch)"
mismatch_hint="mkcsr pfx: hint: a PFX must pair a certificate with its own key; --force does not change that"
for force in "" --force; do
	# shellcheck disable=SC2086
	run 5 pfx --cert in/leaf-otherkey.pem --chain in/inter-ca.pem $key $force
	expect_no_out
	printf '%s\n%s\n' "$mismatch" "$mismatch_hint" > in/expected.err
	diff in/expected.err "$WORK/err" >&2 || fail "mkcsr pfx with the wrong key ${force}: stderr differs (diff above)"
	expect_files in
done
# The wrong key for an expired certificate: the mismatch is what counts.
run 5 pfx --cert in/leaf-expired.pem --key in/other.key --pass file:in/pw --force
expect_err_first "mkcsr pfx: 'in/other.key' is not the key of CN=vpn.example.com in 'in/leaf-expired.pem', nor of any other certificate given (key values mismatch)"
# Swapped files: the key belongs to the --chain certificate.
# shellcheck disable=SC2086
run 5 pfx --cert in/inter-ca.pem --chain in/good.pem $key --force
expect_err_first "mkcsr pfx: 'in/leaf.key' is not the key of CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US in 'in/inter-ca.pem'; it is the key of CN=vpn.example.com in 'in/good.pem': are --cert and --chain swapped?"
expect_err_line "$mismatch_hint"
# An RSA key for the EC certificate.
run 5 pfx --cert in/good.pem --key in/rsa1024.key --pass file:in/pw
expect_err_first "mkcsr pfx: 'in/rsa1024.key' is not the key of CN=vpn.example.com in 'in/good.pem', nor of any other certificate given (key values mismatch)"
expect_files in

# The encrypted key: --key-pass is needed, and enough.
run 3 pfx --cert in/good.pem --key in/leaf-enc.key --pass file:in/pw
expect_err_first "mkcsr pfx: cannot read the passphrase: 'in/leaf-enc.key' is encrypted: give its passphrase with --key-pass SOURCE"
run 3 pfx --cert in/good.pem --key in/leaf-enc.key --key-pass file:in/pw --pass file:in/pw
expect_err_first "mkcsr pfx: malformed input: 'in/leaf-enc.key': the passphrase is wrong, or the key is damaged"
expect_files in
run 0 pfx --chain in/inter-ca.pem --cert in/good.pem --key in/leaf-enc.key --key-pass file:in/leaf-enc.pass --pass file:in/pw
expect_no_err
expect_files in vpn.example.com.pfx

exit 0
