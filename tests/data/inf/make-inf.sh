#!/bin/sh
# Writes the certreq INF fixtures of the "mkcsr new --inf" tests into the
# directory this script lives in (or into DIR), so that the UTF-16 files,
# which no editor shows faithfully, can be made again byte for byte.
# README.md says what each file is for.
#
#   sh tests/data/inf/make-inf.sh [DIR]
#   sh tests/data/inf/make-inf.sh --big FILE   # big.inf: 10 MB, made by the test itself
#
# Needs only POSIX sh, printf, sed, cat and iconv.  Every file is written
# from the text below, so two runs give the same bytes; the tests run it
# into a scratch directory and compare with the committed files.

set -eu

# --big FILE: a 10 MB (10,000,000 bytes) "INF file": a real [NewRequest]
# followed by comment lines.  Too big to commit; the test makes it.
if [ "${1:-}" = --big ]; then
	[ $# -eq 2 ] || { echo "usage: make-inf.sh --big FILE" >&2; exit 2; }
	{
		printf '[NewRequest]\nSubject = "CN=vpn.example.net"\n'
		line='; padding padding padding padding padding padding padding padding padding padding'
		# 10 * 10 * 10 * 10 * 10 * 10 lines of 82 bytes (81 characters + LF), then the rest.
		block=$(printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s' "$line" "$line" "$line" "$line" "$line" "$line" "$line" "$line" "$line" "$line")
		block=$(printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s' "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block")
		block=$(printf '%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s' "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block" "$block")
		i=0
		while [ $i -lt 121 ]; do
			printf '%s\n' "$block"
			i=$((i + 1))
		done
	} > "$2.tmp"
	size=$(wc -c < "$2.tmp")
	# Pad with ';' to exactly 10,000,000 bytes (the lines above come to less).
	[ "$size" -le 10000000 ] || { echo "make-inf.sh: big.inf came out at $size bytes" >&2; exit 1; }
	pad=$((10000000 - size - 1))
	{
		cat "$2.tmp"
		while [ $pad -gt 0 ]; do
			n=$pad
			[ $n -le 64 ] || n=64
			printf '%.*s' "$n" ';;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;'
			pad=$((pad - n))
		done
		printf '\n'
	} > "$2"
	rm -f "$2.tmp"
	exit 0
fi

OUT=${1:-$(cd "$(dirname "$0")" && pwd)}
CR=$(printf '\r')

# The text comes on standard input with LF line ends.
crlf() { sed "s/\$/$CR/"; }
utf16le_bom() { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE; }
utf16be_bom() { printf '\376\377'; iconv -f UTF-8 -t UTF-16BE; }
utf8_bom() { printf '\357\273\277'; cat; }

# ---- good files ---------------------------------------------------------------

# Richard Hicks' New-Csr INF (windows-reference section 2), exactly, as
# PowerShell 5.1's Out-File writes it: UTF-16LE with a BOM, CRLF.
crlf <<'EOF' | utf16le_bom > "$OUT/hicks-newcsr.inf"
[NewRequest]
Subject = "CN=vpn.example.net"
FriendlyName = vpn.example.net
KeyAlgorithm = ECDSA_P256
KeyLength = 256
MachineKeySet = True
Exportable = True

[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=vpn.example.net&"

[EnhancedKeyUsageExtension]
OID=1.3.6.1.5.5.7.3.1
EOF

# The classic IIS request with the legacy SChannel CSP: ASCII, CRLF, no BOM.
crlf <<'EOF' > "$OUT/iis-schannel.inf"
;----------------- request.inf -----------------
[Version]
Signature="$Windows NT$"

[NewRequest]
Subject = "CN=www.contoso.com, OU=Web Services, O=Contoso Ltd, L=Redmond, S=Washington, C=US"
KeySpec = 1
KeyAlgorithm = RSA
KeyLength = 2048
KeyUsage = 0xa0
MachineKeySet = True
Exportable = TRUE
SMIME = False
PrivateKeyArchive = FALSE
UserProtected = FALSE
UseExistingKeySet = FALSE
ProviderName = "Microsoft RSA SChannel Cryptographic Provider"
ProviderType = 12
RequestType = PKCS10
HashAlgorithm = sha256

[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=www.contoso.com&"
_continue_ = "dns=contoso.com&"

[EnhancedKeyUsageExtension]
OID=1.3.6.1.5.5.7.3.1 ; Server Authentication
EOF

# ECDSA P-384 in the Software KSP, KeyUsage by its symbolic name: UTF-16BE with a BOM, CRLF.
crlf <<'EOF' | utf16be_bom > "$OUT/p384-ksp.inf"
[Version]
Signature = "$Windows NT$"

[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P384
KeyLength = 384
HashAlgorithm = sha384
KeyUsage = "CERT_DIGITAL_SIGNATURE_KEY_USAGE"
KeyUsageProperty = "NCRYPT_ALLOW_SIGNING_FLAG"
MachineKeySet = True
Exportable = True
ProviderName = "Microsoft Software Key Storage Provider"
RequestType = PKCS10

[Extensions]
2.5.29.17 = "{text}dns=vpn.example.net"

[EnhancedKeyUsageExtension]
OID = 1.3.6.1.5.5.7.3.1
OID = 1.3.6.1.5.5.8.2.2
EOF

# Hicks' wildcard form, the last SAN without a trailing '&': UTF-8, LF.
cat > "$OUT/wildcard.inf" <<'EOF'
[NewRequest]
Subject = "CN=*.example.net"
FriendlyName = *.example.net
KeyAlgorithm = ECDSA_P256
KeyLength = 256
MachineKeySet = True
Exportable = True

[Extensions]
2.5.29.17 = "{text}"
_continue_ = "dns=*.example.net&"
_continue_ = "dns=example.net"

[EnhancedKeyUsageExtension]
OID=1.3.6.1.5.5.7.3.1
EOF

# [Strings] used in Subject and SAN, ';' comments after values, single
# quotes (one with a doubled quote inside), lower-case section and key
# names, no [Version]: UTF-8 with a BOM, CRLF.
crlf <<'EOF' | utf8_bom > "$OUT/strings.inf"
; Values come from [strings]; nothing here says [Version].
[strings]
HostName = 'portal.example.org'   ; the public name
Alias = "www.%hostname%"          ; not substituted: [Strings] values are taken as they are
Org = 'O''Neil Trading'           ; a doubled quote stands for one
Address = 192.0.2.44

[newrequest]
subject = "CN=%HostName%, O=%org%, C=IE" ; %name% is case-insensitive
keyalgorithm = 'ECDSA_P256'
hashalgorithm = sha256      ; the default
friendlyname = '%hostname% (2026)'
requesttype = pkcs10

[extensions]
2.5.29.17 = "{text}dns=%HOSTNAME%&" ; first name
_continue_ = 'dns=mail.example.org&ipaddress=%address%&'

[enhancedkeyusageextension]
oid = 1.3.6.1.5.5.7.3.1 ; server
oid = 1.3.6.1.5.5.7.3.2 ; client
EOF

# A critical SAN ({critical}{text}) and a critical EKU (Critical =), EKUs as
# a comma list in [Extensions]: UTF-16LE with a BOM, LF line ends.
utf16le_bom <<'EOF' > "$OUT/critical.inf"
[Version]
Signature = "$Windows NT$"

[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P256

[Extensions]
2.5.29.17 = "{critical}{text}dns=vpn.example.net&ipaddress=192.0.2.10&"
2.5.29.37 = "{text}1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.8.2.2"
Critical = 2.5.29.37
EOF

# ---- malformed files: each fails at one known line ----------------------------

crlf <<'EOF' > "$OUT/bad-section.inf"
[Version]
Signature = "$Windows NT$"
[NewRequest
Subject = "CN=vpn.example.net"
EOF

crlf <<'EOF' > "$OUT/unterminated-quote.inf"
[NewRequest]
KeyAlgorithm = ECDSA_P256
Subject = "CN=vpn.example.net
KeyLength = 256
EOF

crlf <<'EOF' > "$OUT/unknown-san-type.inf"
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P256

[Extensions]
2.5.29.17 = "{text}dns=vpn.example.net&url=https://vpn.example.net/&"
EOF

crlf <<'EOF' > "$OUT/requesttype-cmc.inf"
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P256
RequestType = CMC
EOF

crlf <<'EOF' > "$OUT/undefined-string.inf"
[Strings]
HOST = "vpn.example.net"

[NewRequest]
Subject = "CN=%HOST%"
KeyAlgorithm = ECDSA_P256

[Extensions]
2.5.29.17 = "{text}dns=%HOST%&dns=%NOPE%&"
EOF

crlf <<'EOF' > "$OUT/sha1.inf"
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = RSA
KeyLength = 2048
HashAlgorithm = sha1
EOF

# hicks-newcsr.inf with one byte more: UTF-16LE with a BOM and an odd byte count.
{ cat "$OUT/hicks-newcsr.inf"; printf '\n'; } > "$OUT/odd-utf16.inf"

# hicks-newcsr.inf without its BOM: UTF-16LE that nothing marks as such.
crlf <<'EOF' | iconv -f UTF-8 -t UTF-16LE > "$OUT/bomless-utf16.inf"
[NewRequest]
Subject = "CN=vpn.example.net"
KeyAlgorithm = ECDSA_P256
EOF
