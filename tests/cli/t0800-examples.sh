# The examples run as documented, and make what they say.
. "$TESTS_SRCDIR/cli/lib.sh"

EXAMPLES="$TESTS_SRCDIR/../examples"

MKCSR="$MKCSR" sh "$EXAMPLES/requests-for-vpn-roles.sh" > "$WORK/out" 2> "$WORK/err" ||
	{ cat "$WORK/err" >&2; fail "requests-for-vpn-roles.sh failed"; }

for stem in vpn.example.com ikev2.example.com nps1.corp.example.com laptop7.corp.example.com vpnuser-alice; do
	[ -f "$stem.key" ] && [ -f "$stem.csr" ] || fail "the example did not make $stem.key and $stem.csr"
	expect_mode "$stem.key" 600
done
[ "$(grep -c '^Certificate request self-signature verify OK$' "$WORK/out")" -eq 5 ] ||
	{ cat "$WORK/out" >&2; fail "not all five requests verify"; }
expect_out "subject=C = GB, O = Example Ltd, CN = nps1.corp.example.com"
expect_out "TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
expect_out "TLS Web Client Authentication, 1.3.6.1.5.5.8.2.2"
expect_out "DNS:ws12.corp.example.com, othername: UPN::alice@corp.example.com"
exit 0
