#!/bin/sh
# Every code of section 5 of the project's Windows reference ("Error codes
# the users bring", docs/windows-reference.md in shared/) is explained under
# its Windows name: the RasClient event 20227 table and its "other RAS
# neighbours" by number, the HRESULT table by name, hex and signed decimal
# (each form the same explanation), and the 0x800B01xx neighbours by hex.
# The codes of the two tables and the RAS neighbours also get a usual
# cause and a fix.  The list is written out here, so that a code dropped
# from src/winerr.def, or renamed, fails the test.

. "$TESTS_SRCDIR/cli/lib.sh"

# advised CODE SYMBOL: "mkcsr explain CODE" names SYMBOL and gives a usual
# cause and a fix.
advised() {
	run 0 explain "$1"
	expect_no_err
	first=$(sed -n 1p "$WORK/out")
	[ "$first" = "$2 ($1)" ] || fail "mkcsr explain $1 begins: $first (expected: $2 ($1))"
	expect_out '  Usual cause in Always On VPN: '
	expect_out '  Fix:        '
	expect_out_lacks 'not in the table'
}

# RasClient event 20227 "The error code returned on failure is N".
while read -r code symbol; do
	advised "$code" "$symbol"
	expect_out_line "  Decimal:    $code"
done <<'EOT'
691 ERROR_AUTHENTICATION_FAILURE
809 ERROR_VPN_TIMEOUT
812 ERROR_SERVER_POLICY
853 ERROR_EAP_USER_CERT_INVALID
858 ERROR_EAP_SERVER_CERT_EXPIRED
864 ERROR_EAP_SERVER_ROOT_CERT_NOT_FOUND
13801 ERROR_IPSEC_IKE_AUTH_FAIL
13806 ERROR_IPSEC_IKE_NO_CERT
13868 ERROR_IPSEC_IKE_POLICY_MATCH
854 ERROR_EAP_USER_CERT_EXPIRED
855 ERROR_EAP_USER_CERT_REVOKED
857 ERROR_EAP_SERVER_CERT_INVALID
859 ERROR_EAP_SERVER_CERT_REVOKED
861 ERROR_EAP_USER_ROOT_CERT_NOT_FOUND
862 ERROR_EAP_USER_ROOT_CERT_INVALID
863 ERROR_EAP_USER_ROOT_CERT_EXPIRED
865 ERROR_EAP_SERVER_ROOT_CERT_INVALID
866 ERROR_EAP_SERVER_ROOT_CERT_NAME_REQUIRED
868 ERROR_DNSNAME_NOT_RESOLVABLE
EOT

# The HRESULTs SSTP admins meet, as the reference gives them: name, hex,
# signed decimal.  All three forms explain the same code the same way.
n=0
while read -r symbol hex signed; do
	advised "$signed" "$symbol"
	sed 1d "$WORK/out" > by-signed
	expect_out_line "  Hex:        $hex"
	unsigned=$(printf '%u' "$hex")
	expect_out_line "  Decimal:    $signed (signed, as event logs print it), $unsigned (unsigned)"
	for form in "$hex" "$symbol" "$unsigned"; do
		advised "$form" "$symbol"
		sed 1d "$WORK/out" > by-form
		diff -u by-signed by-form >&2 || fail "mkcsr explain $form differs from mkcsr explain $signed"
	done
	n=$((n + 1))
done <<'EOT'
CERT_E_EXPIRED 0x800B0101 -2146762495
CERT_E_UNTRUSTEDROOT 0x800B0109 -2146762487
CERT_E_CHAINING 0x800B010A -2146762486
CERT_E_REVOKED 0x800B010C -2146762484
CERT_E_CN_NO_MATCH 0x800B010F -2146762481
CERT_E_WRONG_USAGE 0x800B0110 -2146762480
CRYPT_E_NO_REVOCATION_CHECK 0x80092012 -2146885614
CRYPT_E_REVOCATION_OFFLINE 0x80092013 -2146885613
NTE_BAD_KEYSET 0x80090016 -2146893802
SEC_E_CERT_EXPIRED 0x80090328 -2146893016
SEC_E_UNTRUSTED_ROOT 0x80090325 -2146893019
SEC_E_WRONG_PRINCIPAL 0x80090322 -2146893022
EOT
[ "$n" -eq 12 ] || fail "read $n HRESULTs, expected 12"

# The neighbours in the 0x800B01xx range: named, and decoded as facility CERT.
while read -r symbol hex; do
	run 0 explain "$hex"
	expect_no_err
	expect_out_line "$symbol ($hex)"
	low=${hex#0x800B}
	expect_out_line "  Fields:     severity 1 (failure), facility 11 (CERT), code 0x$low ($(printf '%u' "0x$low"))"
	expect_out_lacks 'not in the table'
done <<'EOT'
CERT_E_VALIDITYPERIODNESTING 0x800B0102
CERT_E_ROLE 0x800B0103
CERT_E_PATHLENCONST 0x800B0104
CERT_E_CRITICAL 0x800B0105
CERT_E_PURPOSE 0x800B0106
CERT_E_ISSUERCHAINING 0x800B0107
CERT_E_MALFORMED 0x800B0108
TRUST_E_FAIL 0x800B010B
CERT_E_UNTRUSTEDTESTROOT 0x800B010D
CERT_E_REVOCATION_FAILURE 0x800B010E
TRUST_E_EXPLICIT_DISTRUST 0x800B0111
EOT
exit 0
