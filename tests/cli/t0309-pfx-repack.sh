#!/bin/sh
# mkcsr pfx --cert old.pfx --in-pass SOURCE re-packs a PFX: the AES-256
# one OpenSSL 3 writes by default (as Windows Server 2019 and later
# export, which Server 2016 refuses) becomes a compat PFX with the same
# key, the same leaf and its intermediate, read back with openssl pkcs12
# (3DES, SHA-1 MAC, friendlyName on the certificate only).  The summary
# and --json name the old file and the Windows it imported on, and note
# the key bag's friendlyName left out; the certificate keeps its own.  --chain
# adds to the PFX's certificates.  Both passwords may come from stdin,
# line by line.  A wrong --in-pass, --key with a PFX, a PFX without a key
# and no --in-pass without a terminal each end with one line and the
# documented status, and leave no file.

. "$TESTS_SRCDIR/cli/lib.sh"
need openssl
pfx_setup
printf 'old-pfx-password\n' > in/old.pw

openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -certfile in/inter-ca.pem -name vpn.example.com \
	-passout file:in/old.pw -out in/old.pfx 2> in/openssl.err || { cat in/openssl.err >&2; fail "openssl cannot make a PFX"; }
pfx_info in/old.pfx in/old.pw
expect_info_line "MAC: sha256, Iteration 2048"
thumb=$(thumbprint in/good.pem)
spki=$(openssl pkey -in in/leaf.key -pubout | openssl dgst -sha256 -r | cut -d' ' -f1)

# The re-pack, and its summary.
run 0 pfx --cert in/old.pfx --in-pass file:in/old.pw --pass file:in/pw --profile compat --out new.pfx
expect_no_err
cat > in/expected <<EOF
Created new.pfx
  Certificate:    CN=vpn.example.com
  Thumbprint:     $thumb
  Friendly name:  vpn.example.com
  Contents:       certificate, private key and 1 CA certificate
  Key provider:   Microsoft Software Key Storage Provider, machine key set
  Encryption:     3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC (profile compat)
  Imports on:     every Windows from Server 2012 R2 and Windows 8.1 on
  Re-packed from: in/old.pfx (which imports on Windows 10 1709 and later, Windows Server 2019 and later)

Notes:
  - left out the friendlyName 'vpn.example.com' of the key in 'in/old.pfx': Windows would take it as the key container name

On the Windows server, in an elevated PowerShell:
  \$password = Read-Host -AsSecureString -Prompt 'PFX password'
  Import-PfxCertificate -FilePath .\\new.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password \$password
  \$cert = Get-ChildItem Cert:\\LocalMachine\\My\\$thumb
  Set-RemoteAccess -SslCertificate \$cert
  Restart-Service RemoteAccess -PassThru
EOF
diff -u in/expected out >&2 || fail "the summary differs (diff -u above: - expected, + got)"
expect_mode new.pfx 600

# Read back with OpenSSL: the compat algorithms, the leaf and its CA, the same key.
pfx_info new.pfx
expect_info_line "MAC: sha1, Iteration 2048"
expect_info_line "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"
expect_info_line "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"
[ "$(pfx_subjects new.pfx | tr '\n' '|')" = "CN = vpn.example.com|C = US, O = mkcsr Test PKI, CN = mkcsr Test Issuing CA|" ] ||
	fail "the certificates in new.pfx are: $(pfx_subjects new.pfx | tr '\n' '|')"
openssl pkcs12 -in new.pfx -passin file:in/pw -nocerts -nodes 2> in/pkcs12.err | openssl pkey -pubout |
	openssl dgst -sha256 -r | cut -d' ' -f1 > in/new-spki
[ "$(cat in/new-spki)" = "$spki" ] || fail "the key in new.pfx is not leaf.key"
[ "$(pfx_key_attributes new.pfx | grep -c friendlyName)" -eq 0 ] || fail "the key bag of new.pfx has a friendlyName"
rm new.pfx

# --json says where it came from.
need_python json
run 0 pfx --cert in/old.pfx --in-pass file:in/old.pw --pass file:in/pw --out new.pfx --json
"$PYTHON" - "$WORK/out" <<'PY' || fail "the JSON report is wrong"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["repacked_from"] == {"file": "in/old.pfx",
                              "imports_on": "Windows 10 1709 and later, Windows Server 2019 and later"}, d["repacked_from"]
assert d["profile"] == "compat" and d["ca_certificates"] == 1, d
assert d["warnings"] == [], d["warnings"]
assert d["notes"] == ["left out the friendlyName 'vpn.example.com' of the key in 'in/old.pfx': "
                      "Windows would take it as the key container name"], d["notes"]
PY
rm new.pfx

# Both passwords from stdin: the old one on the first line, the new one on the second.
printf 'old-pfx-password\n%s\n' "$PFX_PASS" > in/both
run_in in/both 0 pfx --cert in/old.pfx --in-pass stdin --pass stdin --out new.pfx -q
expect_no_err
openssl pkcs12 -in new.pfx -passin file:in/pw -noout 2> in/pkcs12.err || fail "new.pfx does not open with the second line"
rm new.pfx

# --chain adds to what the PFX holds; the root comes in with --include-root.
openssl pkcs12 -export -in in/good.pem -inkey in/leaf.key -passout file:in/old.pw -out in/alone.pfx 2> in/openssl.err ||
	fail "openssl cannot make a PFX"
run 0 pfx --cert in/alone.pfx --in-pass file:in/old.pw --chain in/inter-ca.pem --chain in/root-ca.pem --include-root \
	--pass file:in/pw --out new.pfx -q
expect_no_err
[ "$(pfx_subjects new.pfx | wc -l)" -eq 3 ] || fail "new.pfx does not hold leaf, CA and root"
rm new.pfx

# Refusals: one line each, and no file.
printf 'wrong\n' > in/wrong
run 3 pfx --cert in/old.pfx --in-pass file:in/wrong --pass file:in/pw --out new.pfx
expect_no_out
expect_err_first "mkcsr pfx: malformed input: 'in/old.pfx': the password is wrong (the PFX's integrity check failed)"
expect_lines "$WORK/err" 1
run 2 pfx --cert in/old.pfx --key in/leaf.key --in-pass file:in/old.pw --pass file:in/pw --out new.pfx
expect_err_first "mkcsr pfx: invalid usage: --key: 'in/old.pfx' is a PFX, which carries its own key (its password is --in-pass)"
run 2 pfx --cert in/old.pfx --key-pass file:in/old.pw --pass file:in/pw --out new.pfx
expect_err_first "mkcsr pfx: invalid usage: --key-pass: 'in/old.pfx' is a PFX, which carries its own key (its password is --in-pass)"
run_notty 2 pfx --cert in/old.pfx --pass file:in/pw --out new.pfx
expect_err_first "mkcsr pfx: invalid usage: 'in/old.pfx' is a PFX, and there is no terminal to ask for its password on: use --in-pass env:VAR, file:PATH, fd:N or stdin"
openssl pkcs12 -export -nokeys -in in/good.pem -passout file:in/old.pw -out in/nokey.pfx 2> in/openssl.err ||
	fail "openssl cannot make a PFX without a key"
run 3 pfx --cert in/nokey.pfx --in-pass file:in/old.pw --pass file:in/pw --out new.pfx
expect_err_first "mkcsr pfx: malformed input: 'in/nokey.pfx' is a PFX without a private key: give the certificate with --cert and its key with --key"
expect_files in

# --in-pass with a certificate that is not a PFX: not read, and said.
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --in-pass file:in/old.pw --pass file:in/pw --out new.pfx -q
expect_err_first "mkcsr pfx: warning: --in-pass is not read: 'in/good-chain.pem' is not a PFX"
expect_lines "$WORK/err" 1
exit 0
