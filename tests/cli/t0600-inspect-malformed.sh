#!/bin/sh
# mkcsr inspect on what it cannot read: a truncated PEM certificate,
# request and key, truncated DER and PFX files, bytes that are nothing,
# a PEM block of another kind, a missing file, a directory, an empty file
# and one over the 10 MiB limit.  Each gives exactly one line naming the
# file, exit 3, and nothing on standard output (with --json, the error
# object alone); with several files the others are still shown as text,
# and the exit status is the worst.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json
inspect_setup

# expect_bad FILE LINE: "mkcsr inspect FILE" exits 3 with LINE alone on
# stderr and nothing on stdout, as text and as JSON.
expect_bad() {
	run 3 inspect "$1"
	expect_no_out
	expect_err_exactly "$2"
	run 3 inspect --json "$1"
	case $2 in
	"mkcsr inspect: malformed input: "*) eb_code=MALFORMED ;;
	*) eb_code=READ ;;
	esac
	expect_json_error $eb_code 3 "$1" "${2#mkcsr inspect: }" ""
	expect_err_exactly "$2"
}

expect_bad malformed.pem "mkcsr inspect: malformed input: 'malformed.pem' holds no certificate: it is damaged or truncated"
expect_bad garbage.bin \
	"mkcsr inspect: malformed input: 'garbage.bin' is not a certificate, request, PKCS#7 bundle, PFX, private key or certreq INF file"

sed 5q leaf.csr > cut.csr
expect_bad cut.csr "mkcsr inspect: malformed input: 'cut.csr': the certificate request is damaged or truncated"
sed 3q leaf.key > cut.key
expect_bad cut.key "mkcsr inspect: malformed input: 'cut.key': the private key is damaged or truncated"
head -c 300 leaf-good.der > cut.der
expect_bad cut.der "mkcsr inspect: malformed input: 'cut.der' is binary (DER) data, but not a certificate, request, PKCS#7 bundle, PFX or private key: damaged or truncated?"
printf '%s\n' "$PFX_PASS" > pw
"$MKCSR" pfx --cert fullchain.pem --key leaf.key --pass file:pw --force -q -o full.pfx 2> /dev/null || fail "mkcsr pfx failed"
head -c 1000 full.pfx > cut.pfx
run 3 inspect --pass file:pw cut.pfx
expect_no_out
expect_err_exactly "mkcsr inspect: malformed input: 'cut.pfx' is binary (DER) data, but not a certificate, request, PKCS#7 bundle, PFX or private key: damaged or truncated?"
# A bundle cut after its first certificate: not shown in part.
{ cat leaf-good.pem && sed 6q inter-ca.pem; } > cut-chain.pem
expect_bad cut-chain.pem "mkcsr inspect: malformed input: 'cut-chain.pem': the PEM block after certificate 1 is damaged or truncated"
openssl pkey -in leaf.key -pubout -out public.pem || fail "openssl cannot write the public key"
expect_bad public.pem "mkcsr inspect: malformed input: 'public.pem' holds a PEM block 'PUBLIC KEY', which mkcsr inspect does not read"

expect_bad missing.pem "mkcsr inspect: cannot read file: 'missing.pem': No such file or directory"
mkdir dir
expect_bad dir "mkcsr inspect: cannot read file: 'dir' is a directory"
: > empty.pem
expect_bad empty.pem "mkcsr inspect: malformed input: 'empty.pem' is empty"
dd if=/dev/zero of=big.pem bs=1024 count=11264 2> /dev/null || fail "cannot make big.pem"
expect_bad big.pem "mkcsr inspect: malformed input: 'big.pem' is larger than 10 MiB: not a certificate, key or request"

# Several files: each bad one reported, the good ones shown in full, the
# exit status the worst; with --json the array holds the good ones only.
run 3 inspect --at "$INSPECT_AT" leaf-good.pem garbage.bin missing.pem sample4.csr
expect_err_exactly \
	"mkcsr inspect: malformed input: 'garbage.bin' is not a certificate, request, PKCS#7 bundle, PFX, private key or certreq INF file" \
	"mkcsr inspect: cannot read file: 'missing.pem': No such file or directory"
expect_out_line "File:                           leaf-good.pem"
expect_out_line "File:                           sample4.csr"
expect_out_lacks "garbage.bin"
expect_out_lacks "missing.pem"
# With --json a failure is the error object alone, no partial array: the
# first error of the worst status (1 over 3), with the exit status.
run 3 inspect --at "$INSPECT_AT" --json garbage.bin leaf-good.pem missing.pem
expect_json_error MALFORMED 3 garbage.bin \
	"malformed input: 'garbage.bin' is not a certificate, request, PKCS#7 bundle, PFX, private key or certreq INF file" ""
run 3 inspect --at "$INSPECT_AT" --json leaf-good.pem missing.pem
expect_json_error READ 3 missing.pem "cannot read file: 'missing.pem': No such file or directory" ""
exit 0
