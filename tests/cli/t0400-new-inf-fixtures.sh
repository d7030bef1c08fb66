#!/bin/sh
# tests/data/inf: make-inf.sh makes every committed INF fixture again byte
# for byte (so the UTF-16 files are reproducible), each in the encoding its
# README.md says, and --big makes the 10 MB file the size test needs.

. "$TESTS_SRCDIR/cli/lib.sh"

need iconv

# The script writes exactly the committed fixtures, byte for byte.
mkdir regen
sh "$INF_DATA/make-inf.sh" "$WORK/regen" || fail "make-inf.sh failed"
committed=$(cd "$INF_DATA" && ls *.inf | LC_ALL=C sort)
made=$(cd regen && ls | LC_ALL=C sort)
[ "$made" = "$committed" ] || fail "make-inf.sh makes:
$made
but tests/data/inf holds:
$committed"
[ "$made" = "bad-section.inf
bomless-utf16.inf
critical.inf
hicks-newcsr.inf
iis-schannel.inf
odd-utf16.inf
p384-ksp.inf
requesttype-cmc.inf
sha1.inf
strings.inf
undefined-string.inf
unknown-san-type.inf
unterminated-quote.inf
wildcard.inf" ] || fail "the fixtures are: $made"
for f in $made; do
	cmp -s "regen/$f" "$INF_DATA/$f" || fail "tests/data/inf/$f differs from what make-inf.sh makes"
done
rm -rf regen

# first_bytes FILE N: the first N bytes in hex.
first_bytes() {
	head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'
}

# The encodings.
[ "$(first_bytes "$INF_DATA/hicks-newcsr.inf" 4)" = fffe5b00 ] || fail "hicks-newcsr.inf is not UTF-16LE with a BOM"
[ "$(first_bytes "$INF_DATA/critical.inf" 4)" = fffe5b00 ] || fail "critical.inf is not UTF-16LE with a BOM"
[ "$(first_bytes "$INF_DATA/p384-ksp.inf" 4)" = feff005b ] || fail "p384-ksp.inf is not UTF-16BE with a BOM"
[ "$(first_bytes "$INF_DATA/strings.inf" 4)" = efbbbf3b ] || fail "strings.inf is not UTF-8 with a BOM"
[ "$(first_bytes "$INF_DATA/bomless-utf16.inf" 4)" = 5b004e00 ] || fail "bomless-utf16.inf is not UTF-16LE without a BOM"
[ "$(first_bytes "$INF_DATA/odd-utf16.inf" 2)" = fffe ] || fail "odd-utf16.inf has no UTF-16LE BOM"
[ $(($(wc -c < "$INF_DATA/odd-utf16.inf") % 2)) -eq 1 ] || fail "odd-utf16.inf has an even byte count"
[ $(($(wc -c < "$INF_DATA/odd-utf16.inf") - $(wc -c < "$INF_DATA/hicks-newcsr.inf"))) -eq 1 ] ||
	fail "odd-utf16.inf is not hicks-newcsr.inf and one byte"
for f in iis-schannel wildcard bad-section unterminated-quote unknown-san-type requesttype-cmc undefined-string sha1; do
	LC_ALL=C grep -q "$(printf '[\200-\377]')" "$INF_DATA/$f.inf" && fail "$f.inf is not plain ASCII"
done

# Line ends: CRLF where Windows tools write the file, LF elsewhere.
utf16_text "$INF_DATA/hicks-newcsr.inf" > hicks.txt
expect_crlf hicks.txt
tail -c +3 "$INF_DATA/p384-ksp.inf" | iconv -f UTF-16BE -t UTF-8 > p384.txt || fail "p384-ksp.inf is not UTF-16BE"
expect_crlf p384.txt
tail -c +4 "$INF_DATA/strings.inf" > strings.txt
expect_crlf strings.txt
expect_crlf "$INF_DATA/iis-schannel.inf"
utf16_text "$INF_DATA/critical.inf" > critical.txt
! grep -q "$(printf '\r')" critical.txt || fail "critical.inf has CR line ends"
! grep -q "$(printf '\r')" "$INF_DATA/wildcard.inf" || fail "wildcard.inf has CR line ends"

# The Hicks file is the New-Csr INF of windows-reference section 2, exactly.
tr -d '\r' < hicks.txt > hicks.lf
cat > hicks.want <<'INF'
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
INF
expect_same hicks.lf hicks.want

# --big: exactly 10,000,000 bytes, starting as a request file, made the same way every time.
sh "$INF_DATA/make-inf.sh" --big big.inf || fail "make-inf.sh --big failed"
[ "$(wc -c < big.inf)" -eq 10000000 ] || fail "big.inf has $(wc -c < big.inf) bytes"
[ "$(head -n 2 big.inf)" = '[NewRequest]
Subject = "CN=vpn.example.net"' ] || fail "big.inf does not start with a [NewRequest]"
big_sum=$(sha256_hex < big.inf)
rm big.inf
sh "$INF_DATA/make-inf.sh" --big big.inf || fail "make-inf.sh --big failed"
[ "$(sha256_hex < big.inf)" = "$big_sum" ] || fail "make-inf.sh --big made another file the second time"
expect_files big.inf hicks.txt p384.txt strings.txt critical.txt hicks.lf hicks.want
