#!/bin/sh
# pfx: a generated password never shares the PFX's file and is not left
# behind when the PFX cannot be written; an unrelated root is named when
# left out; a user tunnel certificate goes to the user's store.
. "$TESTS_SRCDIR/cli/lib.sh"
need_python
pfx_setup
key="--key in/leaf.key"

# The same file for both, however spelt: refused before anything is written.
run 2 pfx --cert in/good-chain.pem $key --pass generate:./x.pfx -o x.pfx --force
expect_err_first "mkcsr pfx: invalid usage: the PFX and its generated password cannot both be written to 'x.pfx'"
[ ! -e x.pfx ] || fail "x.pfx was written"

# The PFX's directory is missing: no password file is left behind either.
run 1 pfx --cert in/good-chain.pem $key --pass generate:vpn.pass -o nodir/x.pfx
expect_err_first "mkcsr pfx: cannot write file: 'nodir/x.pfx': cannot create a file in its directory: No such file or directory"
[ ! -e vpn.pass ] || fail "the password file was left without its PFX"
run 0 pfx --cert in/good-chain.pem $key --pass generate:vpn.pass -q
expect_mode vpn.pass 600
openssl pkcs12 -in vpn.example.com.pfx -noout -passin file:vpn.pass || fail "the PFX does not open with vpn.pass"
rm -f vpn.pass vpn.example.com.pfx

# A root from another hierarchy is left out with a word; the chain's own root silently.
run 0 pfx --cert in/good-chain.pem --chain in/other-root.pem --chain in/root-ca.pem $key --pass file:in/pw -q
expect_err_first "mkcsr pfx: warning: left out CN=Other Test Root CA, O=Other Test PKI, C=US from 'in/other-root.pem': it is not in the certificate's chain"
expect_lines "$WORK/err" 1
rm -f vpn.example.com.pfx

# --role client: Cert:\CurrentUser\My, and no machine key set attribute.
now_leaf in/client.pem client01.corp.example.com "DNS:client01.corp.example.com" clientAuth
run 0 pfx --cert in/client.pem $key --pass file:in/pw --role client --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "the client PFX report is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["store"] == "Cert:\\CurrentUser\\My", d["store"]
assert d["machine_keyset"] is False, d
PY
openssl pkcs12 -in client01.corp.example.com.pfx -nocerts -nodes -passin file:in/pw 2> /dev/null > key.txt ||
	fail "openssl cannot read the client PFX"
grep -q "Microsoft Local Key set" key.txt && fail "the client PFX marks the key for the machine key set"
exit 0
