# The golden cases of "mkcsr explain": sourced, never run.
#
# explain_cases calls "explain_case NAME ARG..." once per case; the caller
# defines explain_case.  For each NAME, NAME.txt is the exact standard
# output of "mkcsr explain ARG..." and NAME.json that of
# "mkcsr explain --json ARG...".  The tests (tests/cli/t0500-explain-*.sh)
# compare with them; make-golden.sh (a developer tool) writes them.

explain_cases() {
	# The forms of one code, CERT_E_EXPIRED.
	explain_case signed-decimal -2146762495
	explain_case unsigned-decimal 2148204801
	explain_case hex-0x 0x800B0101
	explain_case hex-0X-mixed-case 0X800b0101
	explain_case hex-bare 800b0101
	explain_case name-lower-case cert_e_expired
	explain_case name-upper-case CERT_E_UNTRUSTEDROOT
	# Eight digits starting with 8 are hex: an HRESULT wrapping Win32 64, not in the table.
	explain_case hex-bare-digits 80070040
	# An HRESULT wrapping a RAS code that is in the table (853).
	explain_case hresult-wraps-ras 0x80070355
	# Win32, RAS and IKE numbers.
	explain_case ras-853 853
	explain_case ike-13801 13801
	explain_case ike-13868 13868
	# Not in the table: an HRESULT (E_FAIL), a Win32 number, zero.
	explain_case hresult-unknown 0x80004005
	explain_case win32-unknown 12345
	explain_case zero 0
	# As pasted: blanks around it, the full stop of the event's sentence.
	explain_case blanks ' 853 '
	explain_case full-stop 853.
	explain_case signed-full-stop -2146762495.
	# The sentences admins paste: the code in them is explained.
	explain_case sentence-error-809 'error 809'
	explain_case sentence-error-809-colon 'Error 809:'
	explain_case sentence-event-20227 'The error code returned on failure is 853.'
	explain_case sentence-aovpn 'The user DOMAIN\alice dialed a connection named AOVPN which has failed. The error code returned on failure is -2146762495.'
	# NTSTATUS: in the table, by signed decimal, not in the table, wrapping a Win32 code.
	explain_case ntstatus-logon-failure 0xC000006D
	explain_case ntstatus-signed -1073741260
	explain_case ntstatus-unknown 0xC0001234
	explain_case ntstatus-from-win32 0xC0070355
	# An HRESULT without the failure bit (SEC_I_CONTINUE_NEEDED): fields decoded in text and JSON alike.
	explain_case hresult-success 0x00090312
	# Codes added for Always On VPN admins.
	explain_case ras-807 807
	explain_case ike-13887 13887
	explain_case schannel-internal-error SEC_E_INTERNAL_ERROR
	explain_case trust-cert-signature 0x80096004
	# Several codes: in the order given, a blank line between them.
	explain_case several 853 -2146762495 0x800B0109 cert_e_chaining 13868
}
