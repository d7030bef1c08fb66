#!/bin/sh
# The request check of mkcsr check (--csr): the certificate must be for the
# request's key (else exit 5, as for --key), carry every name the request
# asked for (else exit 6, CERT_E_CN_NO_MATCH) and the requested CN; a
# subject the CA changed otherwise is a warning.  certlm's Base64 request
# (NEW CERTIFICATE REQUEST, CRLF), plain PEM and DER are read alike.

. "$TESTS_SRCDIR/cli/lib.sh"
copy_certs

# The request the good leaf answers.
run_check 0 --cert fullchain.pem --key leaf.key --csr leaf.csr --ca-file root-ca.pem
expect_no_err
expect_statuses "PASS PASS PASS PASS PASS PASS PASS PASS"
expect_check PASS request "same key, every requested name present, subject CN=vpn.example.com as requested"
expect_no_windows request
expect_result "fit for the role (0 failed, 0 warnings; exit 0)"
# The same request in DER and in plain PEM (CERTIFICATE REQUEST, LF).
openssl req -in leaf.csr -outform DER -out leaf-csr.der || fail "openssl cannot convert leaf.csr"
openssl req -in leaf.csr -out leaf-plain.csr || fail "openssl cannot convert leaf.csr"
for csr in leaf-csr.der leaf-plain.csr; do
	run_check 0 --cert fullchain.pem --csr "$csr" --ca-file root-ca.pem
	expect_check PASS request "same key, every requested name present, subject CN=vpn.example.com as requested"
done

# A request for another key (made by mkcsr new): exit 5.
run 0 new --host vpn.example.com --csr other.csr --key other-new.key -q
run_check 5 --cert fullchain.pem --csr other.csr --ca-file root-ca.pem
expect_no_err
expect_statuses "SKIP FAIL PASS PASS PASS PASS PASS PASS"
expect_check FAIL request "the certificate is for another key than the request 'other.csr': it was not issued for this request"
expect_windows request "NTE_BAD_KEYSET 0x80090016 (-2146893802)"
expect_result "the key and the certificate do not belong together (1 failed, 0 warnings; exit 5)"
# The certificate for another key than leaf.csr's.
run_check 5 --cert leaf-otherkey.pem --chain inter-ca.pem --csr leaf.csr --ca-file root-ca.pem
expect_check FAIL request "the certificate is for another key than the request 'leaf.csr': it was not issued for this request"
# A request mismatch beats a failed requirement.
run_check 5 --cert leaf-expired.pem --chain inter-ca.pem --csr other.csr --ca-file root-ca.pem
expect_statuses "SKIP FAIL FAIL PASS PASS PASS PASS PASS"
expect_result "the key and the certificate do not belong together (2 failed, 0 warnings; exit 5)"

# The same key, a name the CA left out.
openssl req -new -key leaf.key -subj /CN=vpn.example.com \
	-addext "subjectAltName=DNS:vpn.example.com,DNS:vpn2.example.com,IP:192.0.2.7" -out extra.csr ||
	fail "openssl cannot make extra.csr"
run_check 6 --cert fullchain.pem --csr extra.csr --ca-file root-ca.pem
expect_check FAIL request "the CA left out requested names: DNS:vpn2.example.com, IP:192.0.2.7 (requested in 'extra.csr')"
expect_windows request "CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)"
expect_result "the certificate fails a requirement (1 failed, 0 warnings; exit 6)"
# Names and CN in another case are the same names and the same subject.
openssl req -new -key leaf.key -subj /CN=VPN.example.com -addext "subjectAltName=DNS:VPN.Example.com" -out case.csr ||
	fail "openssl cannot make case.csr"
run_check 0 --cert fullchain.pem --csr case.csr --ca-file root-ca.pem
expect_check PASS request "same key, every requested name present, subject CN=vpn.example.com as requested"

# The same key and names, another CN: a failure.
openssl req -new -key leaf.key -subj /CN=other.example.com -addext "subjectAltName=DNS:vpn.example.com" -out cn.csr ||
	fail "openssl cannot make cn.csr"
run_check 6 --cert fullchain.pem --csr cn.csr --ca-file root-ca.pem
expect_check FAIL request "the subject is CN=vpn.example.com, but the request asked for CN=other.example.com"
expect_windows request "CERT_E_CN_NO_MATCH 0x800B010F (-2146762481)"
# The host for the name check is the request's first DNS name, not its CN.
expect_check PASS name "vpn.example.com is covered by the certificate's names (DNS:vpn.example.com)"

# The same CN, more in the subject: the CA dropped O and C, a warning (exit 0).
openssl req -new -key leaf.key -subj "/C=US/O=Example Ltd/CN=vpn.example.com" -addext "subjectAltName=DNS:vpn.example.com" \
	-out subject.csr || fail "openssl cannot make subject.csr"
run_check 0 --cert fullchain.pem --csr subject.csr --ca-file root-ca.pem
expect_statuses "SKIP WARN PASS PASS PASS PASS PASS PASS"
expect_check WARN request "same key and names, but the CA changed the subject: requested CN=vpn.example.com, O=Example Ltd, C=US, issued CN=vpn.example.com"
expect_no_windows request
expect_result "fit for the role (0 failed, 1 warning; exit 0)"

exit 0
