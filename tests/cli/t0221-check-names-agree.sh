#!/bin/sh
# new, check and inspect write a distinguished name the same way, as certlm
# shows it: most specific first, ", " between RDNs, "+" inside one, E for
# the e-mail address, RFC 4514 escapes ("CN=vpn.example.com, O=Example\,
# Inc., C=US"), in text and JSON; check and inspect write times the same
# way: "2026-01-01 00:00:00 UTC" in text, "2026-01-01T00:00:00Z" in JSON.
# Control characters in a name are written \XX, bidirectional ones \u{XXXX}.
. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

NAME='CN=vpn.example.com, OU=IT+OU=VPN, O=Example\, Inc., L=Zurich, C=CH, E=pki@example.com'
ISSUER='CN=mkcsr Test Issuing CA, O=mkcsr Test PKI, C=US'

# json_member KEY: the first "KEY": "VALUE" string member of the JSON on
# stdout, with JSON's backslash escape undone.
json_member() {
	sed -n "s/^ *\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" "$WORK/out" | sed -n '1{s/\\\\/\\/g;p;}'
}

# new: text and JSON.
mkdir text json
run 0 new --host vpn.example.com --subject "$NAME" -o text
expect_out_line "  Subject:              $NAME"
run 0 new --host vpn.example.com --subject "$NAME" -o json --json --force
[ "$(json_member subject)" = "$NAME" ] || { cat "$WORK/out" >&2; fail "new --json: subject $(json_member subject)"; }

# inspect of the request: text and JSON.
run 0 inspect json/vpn.example.com.csr
expect_out_line "$(printf '  %-30s%s' 'Subject:' "$NAME")"
run 0 inspect --json json/vpn.example.com.csr
[ "$(json_member subject)" = "$NAME" ] || { cat "$WORK/out" >&2; fail "inspect --json of the request: subject $(json_member subject)"; }

# The CA issues it with that subject; check and inspect of the certificate.
openssl x509 -req -in json/vpn.example.com.csr -CA inter-ca.pem -CAkey inter-ca.key -set_serial 0x4001 -days 30 \
	-sha256 -out issued.pem 2> openssl.err || { cat openssl.err >&2; fail "openssl cannot issue the certificate"; }
run 6 check --cert issued.pem --key json/vpn.example.com.key
expect_out_line "Certificate: $NAME (issued.pem)"
expect_out_line "  Issuer:     $ISSUER"
run 6 check --json --cert issued.pem --key json/vpn.example.com.key
[ "$(json_member subject)" = "$NAME" ] || { cat "$WORK/out" >&2; fail "check --json: subject $(json_member subject)"; }
[ "$(json_member issuer)" = "$ISSUER" ] || { cat "$WORK/out" >&2; fail "check --json: issuer $(json_member issuer)"; }
run 0 inspect issued.pem
expect_out_line "$(printf '  %-30s%s' 'Subject:' "$NAME")"
expect_out_line "$(printf '  %-30s%s' 'Issuer:' "$ISSUER")"
run 0 inspect --json issued.pem
[ "$(json_member subject)" = "$NAME" ] || { cat "$WORK/out" >&2; fail "inspect --json: subject $(json_member subject)"; }
[ "$(json_member issuer)" = "$ISSUER" ] || { cat "$WORK/out" >&2; fail "inspect --json: issuer $(json_member issuer)"; }

# Times: the same strings in check and inspect, text and JSON.
run 0 check --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem --at 2027-06-01T00:00:00Z
expect_out_line '  Valid:      2026-01-01 00:00:00 UTC to 2028-01-01 00:00:00 UTC'
run 0 inspect --at 2027-06-01T00:00:00Z leaf-good.pem
expect_out_line "$(printf '  %-30s%s' 'Valid from:' '2026-01-01 00:00:00 UTC')"
expect_out_line "$(printf '  %-30s%s' 'Valid to:' '2028-01-01 00:00:00 UTC')"
for cmd in "check --cert leaf-good.pem --chain inter-ca.pem --ca-file root-ca.pem" "inspect leaf-good.pem"; do
	# shellcheck disable=SC2086
	run 0 $cmd --json --at 2027-06-01T00:00:00Z
	[ "$(json_member not_before)" = 2026-01-01T00:00:00Z ] || { cat "$WORK/out" >&2; fail "$cmd --json: not_before"; }
	[ "$(json_member not_after)" = 2028-01-01T00:00:00Z ] || { cat "$WORK/out" >&2; fail "$cmd --json: not_after"; }
done

# What could mislead is escaped: a control character and a right-to-left
# override in the subject come out escaped, in every command.
openssl req -new -key leaf.key -utf8 -subj "/O=A$(printf '\033')[31mB/CN=x$(printf '\342\200\256')gpj.exe" -out odd.csr 2> openssl.err ||
	{ cat openssl.err >&2; fail "openssl cannot write odd.csr"; }
ODD='CN=x\u202Egpj.exe, O=A\u001B[31mB'
run 0 inspect odd.csr
expect_out_line "$(printf '  %-30s%s' 'Subject:' "$ODD")"
openssl x509 -req -in odd.csr -CA inter-ca.pem -CAkey inter-ca.key -set_serial 0x4002 -days 30 -out odd.pem 2> openssl.err ||
	{ cat openssl.err >&2; fail "openssl cannot issue odd.pem"; }
run 6 check --cert odd.pem
expect_out_line "Certificate: $ODD (odd.pem)"
exit 0
