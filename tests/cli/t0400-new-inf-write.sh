#!/bin/sh
# --write-inf: the certreq INF for the request, exactly (UTF-16LE with a BOM
# and CRLF by default, UTF-8 with a BOM with --inf-encoding utf-8); read
# back with --inf it gives a byte-identical INF and a request of the same
# shape, for options and for every good fixture; it is refused onto the key
# or the request (exit 2), over an existing file (exit 4, unless --force),
# and when it cannot be written nothing else is either.

. "$TESTS_SRCDIR/cli/lib.sh"

need iconv

expect_is() {
	[ "$2" = "$3" ] || fail "$1 is: $2
expected: $3"
}
# same_shape CSR1 CSR2: the two requests are shaped alike.
same_shape() {
	csr_shape "$1" > "$WORK/shape1" || exit 1
	csr_shape "$2" > "$WORK/shape2" || exit 1
	cmp -s "$WORK/shape1" "$WORK/shape2" || { diff "$WORK/shape1" "$WORK/shape2" >&2; fail "$1 and $2 differ (diff above)"; }
	rm -f "$WORK/shape1" "$WORK/shape2"
}

# ---- a request with every kind of value ----
run 0 new --host vpn.example.net --san ip:192.0.2.1 --san email:admin@example.net --san upn:svc@corp.example \
	--subject 'O=Example "Q" Ltd, OU=IT\, Ops, C=US' --key-type rsa:2048 --hash sha384 --eku serverAuth \
	--eku ikeIntermediate --eku 1.3.6.1.4.1.311.10.3.4 --key-usage digitalSignature,keyEncipherment --write-inf a.inf
expect_no_err
expect_files vpn.example.net.key vpn.example.net.csr a.inf
expect_out_line "  certreq INF file:     a.inf"
expect_mode a.inf 644
# UTF-16LE with a BOM, CRLF everywhere.
[ "$(head -c 2 a.inf | od -An -tx1 | tr -d ' \n')" = fffe ] || fail "a.inf does not start with FF FE"
utf16_text a.inf > a.txt
expect_crlf a.txt
tr -d '\r' < a.txt > a.lf
cat > a.want <<'INF'
; certreq request file written by mkcsr.
; On the Windows server, in the folder of this file: certreq -new THIS-FILE.inf request.csr

[Version]
Signature = "$Windows NT$"

[NewRequest]
Subject = "CN=vpn.example.net, O=""Example """"Q"""" Ltd"", OU=""IT, Ops"", C=US"
KeyAlgorithm = RSA
KeyLength = 2048
HashAlgorithm = sha384
KeyUsage = 0xa0
MachineKeySet = TRUE
Exportable = TRUE
ProviderName = "Microsoft Software Key Storage Provider"
RequestType = PKCS10

[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=vpn.example.net&"
_continue_ = "ipaddress=192.0.2.1&"
_continue_ = "email=admin@example.net&"
_continue_ = "upn=svc@corp.example&"

[EnhancedKeyUsageExtension]
OID = 1.3.6.1.5.5.7.3.1 ; Server Authentication
OID = 1.3.6.1.5.5.8.2.2 ; IP security IKE intermediate
OID = 1.3.6.1.4.1.311.10.3.4
INF
cmp -s a.lf a.want || { diff a.want a.lf >&2; fail "a.inf is not what was expected (diff above)"; }
# The file is exactly BOM + that text with CRLF: nothing more (no trailing NUL, no second BOM).
{ printf '\377\376'; sed "s/\$/$(printf '\r')/" a.want | iconv -f UTF-8 -t UTF-16LE; } > a.expected
expect_same a.inf a.expected
rm a.txt a.lf a.expected

# Read back: the same INF, byte for byte, and a request of the same shape.
mkdir back
run 0 new --inf a.inf -o back --write-inf b.inf -q
expect_no_err
expect_same a.inf b.inf
same_shape vpn.example.net.csr back/vpn.example.net.csr
[ "$(subject_encoding vpn.example.net.csr)" = "$(subject_encoding back/vpn.example.net.csr)" ] ||
	fail "the subjects are encoded differently"
expect_is "the subject" "$(csr_subject back/vpn.example.net.csr)" 'CN=vpn.example.net,O=Example \"Q\" Ltd,OU=IT\, Ops,C=US'
rm -r back b.inf

# --inf-encoding utf-8: a UTF-8 BOM, then the same text, CRLF.
run 0 new --host vpn.example.net --san ip:192.0.2.1 --san email:admin@example.net --san upn:svc@corp.example \
	--subject 'O=Example "Q" Ltd, OU=IT\, Ops, C=US' --key-type rsa:2048 --hash sha384 --eku serverAuth \
	--eku ikeIntermediate --eku 1.3.6.1.4.1.311.10.3.4 --key-usage digitalSignature,keyEncipherment \
	--write-inf u.inf --inf-encoding utf-8 --force -q
[ "$(head -c 3 u.inf | od -An -tx1 | tr -d ' \n')" = efbbbf ] || fail "u.inf does not start with EF BB BF"
tail -c +4 u.inf > u.txt
expect_crlf u.txt
tr -d '\r' < u.txt > u.lf
expect_same u.lf a.want
# ... and UTF-16 again when it is read back without --inf-encoding; UTF-8 when asked ("UTF8" too).
mkdir back
run 0 new --inf u.inf -o back --write-inf b.inf -q
expect_same a.inf b.inf
run 0 new --inf u.inf -o back --write-inf c.inf --inf-encoding UTF8 --force -q
expect_same u.inf c.inf
rm -r back b.inf c.inf u.inf u.txt u.lf a.want
expect_files vpn.example.net.key vpn.example.net.csr a.inf
rm -f vpn.example.net.key vpn.example.net.csr a.inf

# ---- every good fixture goes round: INF -> request + INF -> the same INF and request ----
mkdir in one two
cp "$INF_DATA"/*.inf in/ || fail "cannot copy the fixtures"
for f in hicks-newcsr iis-schannel p384-ksp wildcard strings critical; do
	run 0 new --inf "in/$f.inf" -o one --write-inf "one/$f.inf" -q
	run 0 new --inf "one/$f.inf" -o two --write-inf "two/$f.inf" -q
	expect_no_err
	expect_same "one/$f.inf" "two/$f.inf"
	for c in one/*.csr; do
		same_shape "$c" "two/${c#one/}"
	done
	rm -f one/* two/*
done
# A backslash in a subject value is written as it is inside the quotes, as
# certreq reads it, and mkcsr reads it back the same (it used to refuse its
# own file: "invalid escape '\I'").
run 0 new --host vpn.example.net --subject 'CN=vpn.example.net, O=Dept\\IT' -o one --write-inf one/b.inf -q
utf16_text one/b.inf | tr -d '\r' | grep -qxF 'Subject = "CN=vpn.example.net, O=""Dept\IT"""' ||
	{ utf16_text one/b.inf >&2; fail "the subject line with a backslash is not as certreq reads it"; }
run 0 new --inf one/b.inf -o two --write-inf two/b.inf -q
expect_no_err
expect_same one/b.inf two/b.inf
[ "$(csr_subject two/vpn.example.net.csr)" = 'CN=vpn.example.net,O=Dept\\IT' ] ||
	fail "the request read back from the INF has the subject $(csr_subject two/vpn.example.net.csr)"
rm -f one/* two/*
# The critical fixture's INF says so with Critical =, and the SAN's criticality survives.
run 0 new --inf in/critical.inf -o one --write-inf one/c.inf -q
utf16_text one/c.inf | tr -d '\r' | sed -n '/^\[Extensions\]/,$p' > c.ext
cat > c.want <<'INF'
[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=vpn.example.net&"
_continue_ = "ipaddress=192.0.2.10&"
Critical = 2.5.29.17,2.5.29.37

[EnhancedKeyUsageExtension]
OID = 1.3.6.1.5.5.7.3.1 ; Server Authentication
OID = 1.3.6.1.5.5.8.2.2 ; IP security IKE intermediate
INF
expect_same c.ext c.want
rm -f one/* c.ext c.want
# A critical EKU in a request without a SAN is written too (it once was lost).
printf '[NewRequest]\r\nSubject = "CN=vpn.example.net"\r\nKeyAlgorithm = ECDSA_P256\r\n[Extensions]\r\n2.5.29.37 = "{text}1.3.6.1.5.5.7.3.1"\r\nCritical = 2.5.29.37\r\n' > in/eku-only.inf
run 0 new --inf in/eku-only.inf -o one --write-inf one/e.inf -q
utf16_text one/e.inf | tr -d '\r' | sed -n '/^\[Extensions\]/,$p' > e.ext
printf '[Extensions]\nCritical = 2.5.29.37\n\n[EnhancedKeyUsageExtension]\nOID = 1.3.6.1.5.5.7.3.1 ; Server Authentication\n' > e.want
expect_same e.ext e.want
run 0 new --inf one/e.inf -o two --write-inf two/e.inf -q
expect_same one/e.inf two/e.inf
[ "$(csr_extensions two/vpn.example.net.csr)" = "X509v3 Extended Key Usage critical
1.3.6.1.4.1.311.21.10
X509v3 Subject Key Identifier" ] || fail "the extensions read back are: $(csr_extensions two/vpn.example.net.csr)"
same_shape one/vpn.example.net.csr two/vpn.example.net.csr
rm -f one/* two/* e.ext e.want
# ECDSA P-384, the key usage and --minimal (SuppressDefaults: no SKI; no usages).
run 0 new --host vpn.example.net --key-type ec:P-384 --key-usage digitalSignature -o one --write-inf one/p.inf -q
utf16_text one/p.inf | tr -d '\r' | sed -n '/^\[NewRequest\]/,/^$/p' > p.req
cat > p.want <<'INF'
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P384
KeyLength = 384
HashAlgorithm = sha384
KeyUsage = 0x80
MachineKeySet = TRUE
Exportable = TRUE
ProviderName = "Microsoft Software Key Storage Provider"
RequestType = PKCS10

INF
expect_same p.req p.want
rm -f one/* p.req p.want
run 0 new --host vpn.example.net --minimal -o one --write-inf one/m.inf -q
utf16_text one/m.inf | tr -d '\r' | sed -n '/^\[NewRequest\]/,$p' > m.txt
cat > m.want <<'INF'
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P256
KeyLength = 256
HashAlgorithm = sha256
SuppressDefaults = TRUE
MachineKeySet = TRUE
Exportable = TRUE
ProviderName = "Microsoft Software Key Storage Provider"
RequestType = PKCS10

[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=vpn.example.net&"
INF
expect_same m.txt m.want
run 0 new --inf one/m.inf -o two -q
same_shape one/vpn.example.net.csr two/vpn.example.net.csr
rm -rf one two in m.txt m.want

# ---- where it may not be written ----
# Onto the key or the request: exit 2, nothing written.
run 2 new --host vpn.example.net --write-inf vpn.example.net.key
expect_err_first "mkcsr new: invalid usage: --write-inf 'vpn.example.net.key' would overwrite the key or the request"
expect_lines "$WORK/err" 2
expect_no_out
expect_no_files
run 2 new --host vpn.example.net --write-inf ./vpn.example.net.csr
expect_err_first "mkcsr new: invalid usage: --write-inf './vpn.example.net.csr' would overwrite the key or the request"
expect_no_files
run 2 new --host vpn.example.net --key k.pem --csr r.csr --write-inf k.pem --force
expect_err_first "mkcsr new: invalid usage: --write-inf 'k.pem' would overwrite the key or the request"
expect_no_files
# Over an existing file: exit 4, the file untouched, nothing else written.
printf 'keep me\n' > x.inf
run 4 new --host vpn.example.net --write-inf x.inf
expect_err_first "mkcsr new: refusing to overwrite an existing file: 'x.inf' exists"
expect_err_line "mkcsr new: hint: choose another output file name, or pass --force to replace it"
expect_lines "$WORK/err" 2
expect_files x.inf
[ "$(cat x.inf)" = "keep me" ] || fail "x.inf was changed"
# ... replaced with --force.
run 0 new --host vpn.example.net --write-inf x.inf --force -q
[ "$(head -c 2 x.inf | od -An -tx1 | tr -d ' \n')" = fffe ] || fail "x.inf was not replaced"
expect_files x.inf vpn.example.net.key vpn.example.net.csr
rm -f x.inf vpn.example.net.key vpn.example.net.csr
# In a directory that is not there: exit 1, and neither key nor request is left.
run 1 new --host vpn.example.net --write-inf nodir/x.inf
expect_err_first "mkcsr new: cannot write file: 'nodir/x.inf': cannot create a file in its directory: No such file or directory"
expect_no_files

# --inf-encoding needs --write-inf and a known name.
run 2 new --host vpn.example.net --inf-encoding utf-8
expect_err_first "mkcsr new: invalid usage: --inf-encoding applies to --write-inf"
expect_no_files
run 2 new --host vpn.example.net --write-inf y.inf --inf-encoding latin1
expect_err_first "mkcsr new: invalid output choice: --inf-encoding 'latin1': use utf-16 (the default) or utf-8"
expect_lines "$WORK/err" 1
expect_no_files

# --json names the INF file.
need_python
run 0 new --host vpn.example.net --write-inf j.inf --json --force
"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["inf_file"] != "j.inf")' "$WORK/out" ||
	fail "the JSON report does not say inf_file j.inf"
expect_files vpn.example.net.key vpn.example.net.csr j.inf
rm -f vpn.example.net.key vpn.example.net.csr j.inf

# A percent sign is written %% (as in every INF file, where %NAME% is a
# string), and %% reads back as one: the request made from the INF is the same.
run 0 new --host vpn.example.net --subject 'O=100% Sure' --san 'upn:x%y@corp.example' --write-inf p.inf \
	--inf-encoding utf-8 -q
tr -d '\r' < p.inf > p.lf
expect_file_line() {
	grep -qxF "$2" "$1" || fail "$1 has no line: $2"
}
expect_file_line p.lf 'Subject = "CN=vpn.example.net, O=100%% Sure"'
expect_file_line p.lf '_continue_ = "upn=x%%y@corp.example&"'
mkdir again
(cd again && "$MKCSR" new --inf ../p.inf -q) || fail "mkcsr new --inf p.inf failed"
[ "$(csr_subject again/vpn.example.net.csr)" = "CN=vpn.example.net,O=100% Sure" ] ||
	fail "the request from p.inf has the subject $(csr_subject again/vpn.example.net.csr)"
same_shape vpn.example.net.csr again/vpn.example.net.csr
rm -rf again p.inf p.lf vpn.example.net.key vpn.example.net.csr
