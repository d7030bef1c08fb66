#!/bin/sh
# The codes added for Always On VPN and NPS admins are explained under
# their Windows names, by number and by name alike: RAS 789, 807, 811,
# 835; IKE certificate and authorization codes; Schannel SEC_E_* and
# TRUST_E_* codes; the NTSTATUS codes of failed logons, decoded as NTSTATUS
# (severity 3, customer bit, 12-bit facility), also as a signed decimal.
# Those an admin meets most get a usual cause and a fix.  The list is
# written out here, so that a code dropped or renamed fails the test.

. "$TESTS_SRCDIR/cli/lib.sh"

# named CODE SYMBOL ADVISED: "mkcsr explain CODE" names SYMBOL; with ADVISED
# "yes" it gives a cause and a fix; by name, the same explanation.
named() {
	run 0 explain "$1"
	expect_no_err
	[ "$(sed -n 1p "$WORK/out")" = "$2 ($1)" ] || fail "mkcsr explain $1 begins: $(sed -n 1p "$WORK/out")"
	expect_out_lacks 'not in the table'
	if [ "$3" = yes ]; then
		expect_out '  Usual cause in Always On VPN: '
		expect_out '  Fix:        '
	fi
	sed 1d "$WORK/out" > by-code
	run 0 explain "$2"
	sed 1d "$WORK/out" > by-name
	diff -u by-code by-name >&2 || fail "mkcsr explain $2 differs from mkcsr explain $1"
}

n=0
while read -r code symbol advised; do
	named "$code" "$symbol" "$advised"
	n=$((n + 1))
done <<'EOT'
789 ERROR_OAKLEY_GENERAL_PROCESSING yes
807 ERROR_VPN_DISCONNECT yes
811 ERROR_VPN_BAD_PSK yes
835 ERROR_INVALID_SERVER_CERT yes
13875 ERROR_IPSEC_IKE_INVALID_SIG no
13881 ERROR_IPSEC_IKE_INVALID_CERT_KEYLEN yes
13887 ERROR_IPSEC_IKE_CERT_CHAIN_POLICY_MISMATCH yes
13889 ERROR_IPSEC_IKE_INVALID_AUTH_PAYLOAD no
13892 ERROR_IPSEC_IKE_CGA_AUTH_FAILED no
13905 ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE yes
13906 ERROR_IPSEC_IKE_STRONG_CRED_AUTHORIZATION_FAILURE no
13907 ERROR_IPSEC_IKE_AUTHORIZATION_FAILURE_WITH_OPTIONAL_RETRY no
0x80090302 SEC_E_UNSUPPORTED_FUNCTION yes
0x80090304 SEC_E_INTERNAL_ERROR yes
0x80090308 SEC_E_INVALID_TOKEN yes
0x80090324 SEC_E_TIME_SKEW yes
0x80090352 SEC_E_ISSUING_CA_UNTRUSTED yes
0x80090353 SEC_E_REVOCATION_OFFLINE_C yes
0x80090322 SEC_E_WRONG_PRINCIPAL yes
0x80090325 SEC_E_UNTRUSTED_ROOT yes
0x80090328 SEC_E_CERT_EXPIRED yes
0x80096004 TRUST_E_CERT_SIGNATURE yes
0x80096019 TRUST_E_BASIC_CONSTRAINTS yes
0x800B0004 TRUST_E_SUBJECT_NOT_TRUSTED no
0x800B0100 TRUST_E_NOSIGNATURE no
0xC000006D STATUS_LOGON_FAILURE yes
0xC000006A STATUS_WRONG_PASSWORD yes
0xC0000071 STATUS_PASSWORD_EXPIRED yes
0xC0000072 STATUS_ACCOUNT_DISABLED yes
0xC0000234 STATUS_ACCOUNT_LOCKED_OUT yes
0xC0000193 STATUS_ACCOUNT_EXPIRED yes
0xC0000224 STATUS_PASSWORD_MUST_CHANGE yes
0xC0000064 STATUS_NO_SUCH_USER yes
0xC000005E STATUS_NO_LOGON_SERVERS yes
EOT
[ "$n" -eq 34 ] || fail "read $n codes, expected 34"

# NTSTATUS fields, and the signed decimal that logs print.
run 0 explain -1073741260
expect_out_line 'STATUS_ACCOUNT_LOCKED_OUT (-1073741260)'
expect_out_line '  Hex:        0xC0000234'
expect_out_line '  Decimal:    -1073741260 (signed, as event logs print it), 3221226036 (unsigned)'
expect_out_line '  Fields:     an NTSTATUS: severity 3 (error), customer 0, facility 0, code 0x0234 (564)'
run 0 explain 0xE0070005
expect_out_line 'not in the table (0xE0070005)'
expect_out_line '  Fields:     an NTSTATUS: severity 3 (error), customer 1, facility 7 (NTWIN32), code 0x0005 (5)'
expect_out_lacks 'Wraps:'
# Security event 4625's line, pasted.
run 0 explain 'Sub Status:		0xC0000072'
expect_out_line 'STATUS_ACCOUNT_DISABLED (0xC0000072)'
exit 0
