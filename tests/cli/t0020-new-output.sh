#!/bin/sh
# Where mkcsr new writes: --out-dir/-o, --key and --csr (both or one), the
# key and the request on one path (however spelt), a missing --out-dir and a
# file given as --out-dir.

. "$TESTS_SRCDIR/cli/lib.sh"

# key_matches KEY CSR: fails unless KEY is the private half of CSR.
key_matches() {
	[ "$(key_spki_sha256 "$1")" = "$(csr_spki_sha256 "$2")" ] || fail "$1 does not belong to $2"
}

# --out-dir DIR: NAME.key and NAME.csr in DIR, nothing in the current directory.
mkdir certs
run 0 --host vpn.example.com --out-dir certs
expect_no_err
expect_files certs
[ "$(ls -A certs | tr '\n' ' ')" = "vpn.example.com.csr vpn.example.com.key " ] || fail "certs holds: $(ls -A certs)"
expect_mode certs/vpn.example.com.key 600
key_matches certs/vpn.example.com.key certs/vpn.example.com.csr
expect_out_line "  Private key file:     certs/vpn.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)"
expect_out_line "  Request file:         certs/vpn.example.com.csr (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it))"
expect_out_line "  1. Submit certs/vpn.example.com.csr to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form."
rm -r certs

# -o is --out-dir; an absolute directory works too.
mkdir out2
run 0 new -o "$WORK/out2" --host vpn.example.com
expect_files out2
[ -f out2/vpn.example.com.key ] && [ -f out2/vpn.example.com.csr ] || fail "-o did not write in out2: $(ls -A out2)"
expect_out_line "  Private key file:     $WORK/out2/vpn.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)"
rm -r out2

# --key FILE --csr FILE: exactly those names, whatever the host.
mkdir keys reqs
run 0 --host vpn.example.com --key keys/server.pem --csr reqs/server.req
expect_files keys reqs
[ "$(ls -A keys)" = server.pem ] || fail "keys holds: $(ls -A keys)"
[ "$(ls -A reqs)" = server.req ] || fail "reqs holds: $(ls -A reqs)"
expect_mode keys/server.pem 600
key_matches keys/server.pem reqs/server.req
expect_out_line "  Private key file:     keys/server.pem (PKCS#8 PEM, mode 0600, not encrypted)"
expect_out_line "  Request file:         reqs/server.req (Base64, BEGIN NEW CERTIFICATE REQUEST, CRLF (as certlm writes it))"
expect_out_line "  1. Submit reqs/server.req to your CA: certreq -submit, an ACME client with --csr (lego, certbot), or the CA's web form."
expect_out_line "  2. Keep keys/server.pem private (it is not encrypted): the certificate is useless without it."
rm -r keys reqs

# Only --key: the request keeps its default name.
run 0 --host vpn.example.com --key my.key
expect_files my.key vpn.example.com.csr
expect_mode my.key 600
key_matches my.key vpn.example.com.csr
rm -f my.key vpn.example.com.csr

# Only --csr: the key keeps its default name.
run 0 --host vpn.example.com --csr my.csr
expect_files vpn.example.com.key my.csr
expect_mode vpn.example.com.key 600
key_matches vpn.example.com.key my.csr
rm -f vpn.example.com.key my.csr

# Only --csr with --out-dir: the key goes in the directory, the request where --csr says.
mkdir d
run 0 --host vpn.example.com -o d --csr my.csr
expect_files d my.csr
[ "$(ls -A d)" = vpn.example.com.key ] || fail "d holds: $(ls -A d)"
rm -r d my.csr

# The key and the request on one path: a usage error, before anything is written.
run 2 --host vpn.example.com --key same.pem --csr same.pem
expect_err_first "mkcsr new: invalid usage: the key and the request cannot both be written to 'same.pem'"
expect_err_line "mkcsr new: hint: see --help"
expect_no_files

# ... however it is spelt: with --force the request would replace the key.
mkdir sub
run 2 --host vpn.example.com --key ./same.pem --csr same.pem --force
expect_err_first "mkcsr new: invalid usage: the key and the request cannot both be written to './same.pem'"
run 2 --host vpn.example.com --key sub/../same.pem --csr same.pem --force
expect_err_first "mkcsr new: invalid usage: the key and the request cannot both be written to 'sub/../same.pem'"
run 2 --host vpn.example.com --key "$WORK/same.pem" --csr same.pem --force
expect_err_first "mkcsr new: invalid usage: the key and the request cannot both be written to '$WORK/same.pem'"
# ... and the default key name given again as --csr.
run 2 --host vpn.example.com --csr vpn.example.com.key
expect_err_first "mkcsr new: invalid usage: the key and the request cannot both be written to './vpn.example.com.key'"
expect_files sub
rmdir sub

# An --out-dir that does not exist: an I/O error naming it; nothing is created.
run 1 --host vpn.example.com --out-dir missing
expect_err_first "mkcsr new: cannot write file: --out-dir 'missing': No such file or directory"
expect_no_files

# A regular file as --out-dir.
echo data > afile
run 1 --host vpn.example.com --out-dir afile
expect_err_first "mkcsr new: cannot write file: --out-dir 'afile': not a directory"
expect_files afile
[ "$(cat afile)" = data ] || fail "afile was changed"
run 1 --host vpn.example.com -o afile/sub
expect_err_first "mkcsr new: cannot write file: --out-dir 'afile/sub': Not a directory"
expect_files afile


# A trailing slash on --out-dir is not doubled in what is printed.
mkdir outdir
run 0 --host vpn.example.com -o outdir/
expect_out_line "  Private key file:     outdir/vpn.example.com.key (PKCS#8 PEM, mode 0600, not encrypted)"
rm -rf outdir

exit 0
