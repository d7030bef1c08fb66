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
expect_out_line "subject=CN = nps1.corp.example.com"
expect_out_line "                    TLS Web Server Authentication, 1.3.6.1.5.5.8.2.2"
expect_out_line "                    TLS Web Client Authentication, 1.3.6.1.5.5.8.2.2"
expect_out_line "                    othername: UPN::alice@corp.example.com"
expect_out_line "sstp           RRAS SSTP server: ECDSA P-256, Server Authentication (as certlm's custom request)  [built-in]"
# Each request is the one its role template makes: the same subject, names,
# usages, key usage, key type, signature, extensions and role mark.
mkdir ref
# same_as STEM TEMPLATE ARGS...: STEM.csr and STEM.key are what --template TEMPLATE ARGS... makes.
same_as() {
	stem=$1 template=$2
	shift 2
	run 0 new -q --template "$template" "$@" --key ref/key --csr ref/csr
	for part in csr_subject csr_san csr_eku csr_key csr_sigalg csr_extensions; do
		[ "$($part "$stem.csr")" = "$($part ref/csr)" ] ||
			fail "$part of $stem.csr is $($part "$stem.csr"); --template $template makes $($part ref/csr)"
	done
	[ "$(csr_ext_hex "$stem.csr" "X509v3 Key Usage")" = "$(csr_ext_hex ref/csr "X509v3 Key Usage")" ] ||
		fail "the key usage of $stem.csr is not that of --template $template"
	[ "$(head -n 1 "$stem.key")" = "$(head -n 1 ref/key)" ] || fail "the role mark of $stem.key is not that of --template $template"
	rm -f ref/key ref/csr
}
same_as vpn.example.com sstp --host vpn.example.com
same_as ikev2.example.com ikev2 --host ikev2.example.com
same_as nps1.corp.example.com nps --host nps1.corp.example.com
same_as laptop7.corp.example.com device-tunnel --host laptop7.corp.example.com
same_as vpnuser-alice user-tunnel --set UPN=alice@corp.example.com
exit 0
