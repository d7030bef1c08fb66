#!/bin/sh
# --inf with a broken file: exit 3, exactly one error line naming the file
# and the line ("mkcsr new: invalid certreq INF file: PATH:LINE: ..."), or
# the file-level message for encoding and size problems, then the hint, no
# report on stdout (with --json, the error object naming the file), and no
# key or request written.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json

mkdir in
cp "$INF_DATA"/*.inf in/ || fail "cannot copy the fixtures"

hint="mkcsr new: hint: mkcsr reads certreq's INF syntax: [NewRequest], [Extensions] with {text} values, [EnhancedKeyUsageExtension], [Strings]"
prefix="mkcsr new: invalid certreq INF file:"

# refused FILE MESSAGE [OPTION...]: new --inf in/FILE fails with exit 3,
# stderr is exactly "PREFIX MESSAGE" and the hint, stdout is empty and
# nothing is written.  Then the same with --json.
refused() {
	rf_file=$1
	rf_message=$2
	shift 2
	run 3 new --inf "in/$rf_file" "$@"
	expect_err_first "$prefix $rf_message"
	expect_err_line "$hint"
	expect_lines "$WORK/err" 2
	expect_no_out
	expect_files in
	run 3 new --inf "in/$rf_file" --json "$@"
	expect_err_first "$prefix $rf_message"
	expect_lines "$WORK/err" 2
	expect_json_error BAD_INF 3 "in/$rf_file" "invalid certreq INF file: $rf_message" "${hint#mkcsr new: hint: }"
	expect_files in
}

refused bad-section.inf "in/bad-section.inf:3: expected ']' to close the section name"
refused unterminated-quote.inf 'in/unterminated-quote.inf:3: the value has no closing "'
refused unknown-san-type.inf "in/unknown-san-type.inf:6: unknown SAN type 'url' (mkcsr requests dns=, ipaddress=, email= and upn= names)"
refused requesttype-cmc.inf "in/requesttype-cmc.inf:4: RequestType = CMC: mkcsr makes PKCS10 requests only"
refused undefined-string.inf "in/undefined-string.inf:9: %NOPE% is not defined in [Strings] (or give --set NAME=VALUE)"
refused sha1.inf "in/sha1.inf:5: HashAlgorithm = sha1: CAs refuse sha1 signatures; use sha256"
# The file-level problems: no line to name.
refused odd-utf16.inf "'in/odd-utf16.inf': UTF-16 text of an odd number of bytes (cut short?)"
refused bomless-utf16.inf "'in/bomless-utf16.inf' has NUL bytes: UTF-16 without a byte-order mark? Save it with one (as PowerShell's Out-File does) or as UTF-8"
sh "$INF_DATA/make-inf.sh" --big in/big.inf || fail "make-inf.sh --big failed"
refused big.inf "'in/big.inf' is 10000000 bytes: a certreq INF file is a few kilobytes (at most 1 MiB here)"
rm in/big.inf

# Options do not rescue a broken file, and the error comes before any other check.
refused sha1.inf "in/sha1.inf:5: HashAlgorithm = sha1: CAs refuse sha1 signatures; use sha256" --hash sha256
refused undefined-string.inf "in/undefined-string.inf:9: %NOPE% is not defined in [Strings] (or give --set NAME=VALUE)" \
	--set NOPEX=1 --write-inf out.inf
# ... but --set can define the missing name.
run 0 new --inf in/undefined-string.inf --set NOPE=alt.example.net -q
expect_no_err
expect_files in vpn.example.net.key vpn.example.net.csr
[ "$(csr_san vpn.example.net.csr)" = "DNS:vpn.example.net, DNS:alt.example.net" ] || fail "the SAN is $(csr_san vpn.example.net.csr)"
rm -f vpn.example.net.key vpn.example.net.csr

# More broken files, written here: one per error the parser names.
# bad NAME TEXT MESSAGE: in/NAME.inf holding TEXT (printf format) is refused with MESSAGE.
bad() {
	printf "$2" > "in/$1.inf"
	refused "$1.inf" "$3"
	rm "in/$1.inf"
}
bad no-section 'Subject = "CN=vpn.example.net"\r\n' "in/no-section.inf:1: 'Subject' stands before any [section]"
bad no-newrequest '[Version]\r\nSignature = "$Windows NT$"\r\n' "in/no-newrequest.inf: no [NewRequest] section: this is not a certreq request file"
bad empty-section '[NewRequest]\r\n[ ]\r\n' "in/empty-section.inf:2: expected a section name between '[' and ']'"
bad after-section '[NewRequest] x\r\n' "in/after-section.inf:1: text after the section name: 'x'"
bad no-equals '[NewRequest]\r\nSubject\r\n' "in/no-equals.inf:2: expected KEY = VALUE, found 'Subject'"
bad no-key '[NewRequest]\r\n = x\r\n' "in/no-key.inf:2: a key is missing before '='"
bad after-quote '[NewRequest]\r\nSubject = "CN=a" b\r\n' "in/after-quote.inf:2: text after the closing quote: 'b'"
bad single-quote "[NewRequest]\r\nSubject = 'CN=a\r\n" "in/single-quote.inf:2: the value has no closing '"
bad first-continue '[NewRequest]\r\nSubject = "CN=a"\r\n[Extensions]\r\n_continue_ = "dns=a&"\r\n' \
	"in/first-continue.inf:4: _continue_ has no line before it in [Extensions] to continue"
bad hex-san '[NewRequest]\r\nSubject = "CN=a"\r\n[Extensions]\r\n2.5.29.17 = "{hex}3000"\r\n' \
	"in/hex-san.inf:4: 2.5.29.17: only \"{text}...\" values are read (found '{hex}3000'); {hex} and Base64 values are not"
bad san-no-type '[NewRequest]\r\nSubject = "CN=a"\r\n[Extensions]\r\n2.5.29.17 = "{text}vpn.example.net"\r\n' \
	"in/san-no-type.inf:4: SAN entry 'vpn.example.net': expected TYPE=VALUE (dns=, ipaddress=, email=, upn=)"
bad san-bad-name '[NewRequest]\r\nSubject = "CN=a"\r\n[Extensions]\r\n2.5.29.17 = "{text}dns=bad_name&"\r\n' \
	"in/san-bad-name.inf:4: invalid subject alternative name: 'bad_name': '_' is not allowed in a host name"
bad san-ip-as-dns '[NewRequest]\r\nSubject = "CN=a"\r\n[Extensions]\r\n2.5.29.17 = "{text}dns=192.0.2.1"\r\n' \
	"in/san-ip-as-dns.inf:4: invalid subject alternative name: 'dns:192.0.2.1': an IP address goes in an IP name: ip:192.0.2.1"
bad bad-eku '[NewRequest]\r\nSubject = "CN=a"\r\n[EnhancedKeyUsageExtension]\r\nOID = 1.3.6.1.5.5.7.3.1\r\nOID = 1.x\r\n' \
	"in/bad-eku.inf:5: unknown extended key usage: '1.x'"
bad bad-subject '[NewRequest]\r\nSubject = "XX=a"\r\n' \
	"in/bad-subject.inf:2: invalid subject: unknown attribute type 'XX' (use CN, O, OU, L, ST, C, STREET, E, DC, SERIALNUMBER, or a dotted OID)"
bad md5 '[NewRequest]\r\nSubject = "CN=a"\r\nHashAlgorithm = MD5\r\n' "in/md5.inf:3: HashAlgorithm = MD5: CAs refuse MD5 signatures; use sha256"
bad sha999 '[NewRequest]\r\nSubject = "CN=a"\r\nHashAlgorithm = sha999\r\n' "in/sha999.inf:3: unsupported signature hash: 'sha999'"
bad pss '[NewRequest]\r\nSubject = "CN=a"\r\nAlternateSignatureAlgorithm = TRUE\r\n' \
	"in/pss.inf:3: AlternateSignatureAlgorithm = TRUE asks for RSA-PSS signatures, which mkcsr does not make"
bad suppress '[NewRequest]\r\nSubject = "CN=a"\r\nSuppressDefaults = maybe\r\n' "in/suppress.inf:3: SuppressDefaults = 'maybe': expected TRUE or FALSE"
bad dsa '[NewRequest]\r\nSubject = "CN=a"\r\nKeyAlgorithm = DSA\r\n' \
	"in/dsa.inf:3: KeyAlgorithm = DSA: mkcsr makes RSA, ECDSA_P256, ECDSA_P384 and ECDSA_P521 keys"
bad ecdh '[NewRequest]\r\nSubject = "CN=a"\r\nKeyAlgorithm = ecdh_p256\r\n' \
	"in/ecdh.inf:3: KeyAlgorithm = ecdh_p256 makes a key that cannot sign a request; use ECDSA_P256"
bad ec-length '[NewRequest]\r\nSubject = "CN=a"\r\nKeyAlgorithm = ECDSA_P256\r\nKeyLength = 384\r\n' \
	"in/ec-length.inf:4: KeyLength = 384 does not fit KeyAlgorithm = ECDSA_P256"
bad rsa1024 '[NewRequest]\r\nSubject = "CN=a"\r\nKeyAlgorithm = RSA\r\nKeyLength = 1024\r\n' \
	"in/rsa1024.inf:4: RSA keys of 1024 bits are not made here (choose one of ec:P-256, ec:P-384, ec:P-521, rsa:2048, rsa:3072, rsa:4096)"
bad length-text '[NewRequest]\r\nSubject = "CN=a"\r\nKeyLength = big\r\n' "in/length-text.inf:3: KeyLength = 'big' is not a number of bits"
# The name in the message is the one in the file (it once showed freed memory).
bad ku-name '[NewRequest]\r\nSubject = "CN=a"\r\nKeyUsage = CERT_DIGITAL_SIGNATURE_KEY_USAGE | CERT_NO_SUCH_KEY_USAGE\r\n' \
	"in/ku-name.inf:3: KeyUsage: unknown name 'CERT_NO_SUCH_KEY_USAGE' (expected 0xa0 or names such as CERT_DIGITAL_SIGNATURE_KEY_USAGE joined by '|')"
bad ku-value '[NewRequest]\r\nSubject = "CN=a"\r\nKeyUsage = 0x1zz\r\n' "in/ku-value.inf:3: KeyUsage: '0x1zz' is not a key usage value"
bad ku-zero '[NewRequest]\r\nSubject = "CN=a"\r\nKeyUsage = 0\r\n' "in/ku-zero.inf:3: KeyUsage = 0 names no usage"
bad latin1 '[NewRequest]\r\nSubject = "CN=a, O=Caf\351"\r\n' \
	"'in/latin1.inf' is not UTF-8 or UTF-16 text (a Windows code page? save it as UTF-8)"
# A lone UTF-16 surrogate: U+D800 followed by 'A'.
printf '\377\376[\000N\000e\000w\000R\000e\000q\000u\000e\000s\000t\000]\000\n\000\000\330A\000' > in/surrogate.inf
refused surrogate.inf "'in/surrogate.inf': not valid UTF-16 text (a broken surrogate pair?)"
rm in/surrogate.inf

# Files that are not there, or not files.
run 3 new --inf in/missing.inf
expect_err_first "mkcsr new: cannot read file: 'in/missing.inf': No such file or directory"
expect_lines "$WORK/err" 1
expect_files in
run 3 new --inf in
expect_err_first "mkcsr new: cannot read file: 'in' is a directory"
expect_files in
: > in/empty.inf
run 3 new --inf in/empty.inf
expect_err_first "mkcsr new: malformed input: 'in/empty.inf' is empty"
expect_files in
rm in/empty.inf

# One base at a time.
run 2 new --inf in/hicks-newcsr.inf --template sstp --host vpn.example.net
expect_err_first "mkcsr new: invalid usage: --template, --inf and --like each give the whole request: use one of them"
expect_files in
