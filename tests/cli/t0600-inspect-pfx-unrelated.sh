#!/bin/sh
# mkcsr inspect on a PFX whose certificates are not one chain: the
# certificate of the key heads the list, CA or not, and is never contradicted;
# every certificate outside its chain is called "unrelated ..." (never
# "leaf"), and each says whether the file holds its private key.
# - the key of a self-signed CA certificate (what openssl req -x509 makes)
#   with an unrelated leaf and an unrelated root, as pyca's
#   name-unicode-pwd.p12 is;
# - a leaf and its key with an unrelated root CA certificate;
# - pyca's name-unicode-pwd.p12 itself.
# Text and JSON compared with tests/data/inspect/pfx-unrelated-*.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
inspect_setup
printf '%s\n' "$PFX_PASS" > pw

cat root-ca.pem leaf-good.pem other-root.pem > ca-first.pem
cat leaf-good.pem other-root.pem > leaf-first.pem
openssl pkcs12 -export -in ca-first.pem -inkey root-ca.key -passout file:pw -out ca-key.pfx 2> openssl.err &&
	openssl pkcs12 -export -in leaf-first.pem -inkey leaf.key -passout file:pw -out leaf-key.pfx 2>> openssl.err ||
	{ cat openssl.err >&2; fail "openssl cannot make the PFX files"; }

inspect_expect pfx-unrelated-ca.txt --at "$INSPECT_AT" --pass file:pw ca-key.pfx
inspect_expect pfx-unrelated-ca.json --at "$INSPECT_AT" --pass file:pw --json ca-key.pfx
inspect_expect pfx-unrelated-root.txt --at "$INSPECT_AT" --pass file:pw leaf-key.pfx

# The headings and the lines that say how the certificates relate, exactly.
relations() {
	grep -E '^(Certificate [0-9]|  In certificate 1|  Private key in the file|  Matches certificate)' "$WORK/out"
}
run 0 inspect --at "$INSPECT_AT" --pass file:pw ca-key.pfx
[ "$(relations)" = "Certificate 1 of 3 (root CA)
  In certificate 1's chain:     yes
  Private key in the file:      yes
Certificate 2 of 3 (unrelated end-entity)
  In certificate 1's chain:     no
  Private key in the file:      no
Certificate 3 of 3 (unrelated root CA)
  In certificate 1's chain:     no
  Private key in the file:      no
  Matches certificate:          1" ] || { relations >&2; fail "ca-key.pfx: the certificates' relations are wrong"; }
expect_out_lacks "(leaf)"

need_python json cryptography_vectors
VECTORS=$("$PYTHON" -c 'import cryptography_vectors, os; print(os.path.dirname(cryptography_vectors.__file__))')/pkcs12
cp "$VECTORS/name-unicode-pwd.p12" .
printf 'password\n' > pyca-pw
run 0 inspect --at "$INSPECT_AT" --pass file:pyca-pw name-unicode-pwd.p12
[ "$(relations)" = "Certificate 1 of 3 (root CA)
  In certificate 1's chain:     yes
  Private key in the file:      yes
Certificate 2 of 3 (unrelated end-entity)
  In certificate 1's chain:     no
  Private key in the file:      no
Certificate 3 of 3 (unrelated intermediate CA)
  In certificate 1's chain:     no
  Private key in the file:      no
  Matches certificate:          1" ] || { relations >&2; fail "name-unicode-pwd.p12: the certificates' relations are wrong"; }
expect_out_line "  Subject:                      CN=cryptography CA, C=US"
run 0 inspect --at "$INSPECT_AT" --pass file:pyca-pw --json name-unicode-pwd.p12
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON of name-unicode-pwd.p12 is wrong"
import json, sys
d = json.load(open(sys.argv[1]))[0]
got = [(c["kind"], c["in_chain"], c["private_key_in_file"], c["subject"].split(",")[0]) for c in d["certificates"]]
assert got == [("root CA", True, True, "CN=cryptography CA"),
               ("unrelated end-entity", False, False, "CN=www.cryptography.io"),
               ("unrelated intermediate CA", False, False, "CN=Let's Encrypt Authority X3")], got
assert [k["matches_certificate"] for k in d["keys"]] == [1], d["keys"]
PY
exit 0
