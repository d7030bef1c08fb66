#!/bin/sh
# mkcsr pfx --json: one JSON document with exactly the keys file, subject,
# thumbprint, friendly_name, profile, provider (null when none is written),
# machine_keyset, ca_certificates, root_included, encryption, imports_on,
# password_file (null unless generate:FILE), role, store, overridden, the
# PowerShell steps the text shows (powershell_import, powershell_bind,
# console_step, line for line the same as the text's), repacked_from,
# warnings and notes, with the values the options ask for; -q does not
# silence it; on a failure stdout stays empty.

. "$TESTS_SRCDIR/cli/lib.sh"
need_python json
pfx_setup

MKCSR_TEST_THUMB=$(thumbprint in/good.pem)
export MKCSR_TEST_THUMB

# The defaults.
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw --json
expect_no_err
expect_files in vpn.example.com.pfx
json_equals '{
  "file": "vpn.example.com.pfx",
  "subject": "CN=vpn.example.com",
  "thumbprint": env["MKCSR_TEST_THUMB"],
  "friendly_name": "vpn.example.com",
  "profile": "compat",
  "provider": "Microsoft Software Key Storage Provider",
  "machine_keyset": true,
  "ca_certificates": 1,
  "root_included": false,
  "encryption": "3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC",
  "imports_on": "every Windows from Server 2012 R2 and Windows 8.1 on",
  "password_file": null,
  "role": "sstp",
  "store": "Cert:\\LocalMachine\\My",
  "overridden": [],
  "powershell_import": [
    "$password = Read-Host -AsSecureString -Prompt \x27PFX password\x27",
    "Import-PfxCertificate -FilePath .\\vpn.example.com.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password $password"
  ],
  "powershell_bind": [
    "$cert = Get-ChildItem Cert:\\LocalMachine\\My\\" + env["MKCSR_TEST_THUMB"],
    "Set-RemoteAccess -SslCertificate $cert",
    "Restart-Service RemoteAccess -PassThru"
  ],
  "console_step": null,
  "repacked_from": null,
  "warnings": [],
  "notes": []
}'
rm vpn.example.com.pfx

# The steps in the JSON are the text's lines, and the text's are in the JSON.
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw
sed -n '/^On the Windows server/,$p' out | sed -e '1d' -e 's/^  //' > in/text-steps
rm vpn.example.com.pfx
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw --json
"$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print("\n".join(d["powershell_import"] + d["powershell_bind"]))' \
	out > in/json-steps || fail "cannot read the steps from the JSON"
diff in/text-steps in/json-steps >&2 || fail "the JSON steps differ from the text (diff above)"
expect_lines in/json-steps 5
rm vpn.example.com.pfx

# Every option changed; -q does not silence --json.
run 0 pfx --cert in/good-chain.pem --chain in/root-ca.pem --include-root --key in/leaf.key --pass generate:in/gen.pass \
	--profile modern --friendly-name "VPN NPS" --provider "Microsoft Platform Crypto Provider" --no-machine-keyset \
	--role nps -o in/nps.pfx --json -q
expect_no_err
json_equals '{
  "file": "in/nps.pfx",
  "subject": "CN=vpn.example.com",
  "thumbprint": env["MKCSR_TEST_THUMB"],
  "friendly_name": "VPN NPS",
  "profile": "modern",
  "provider": "Microsoft Platform Crypto Provider",
  "machine_keyset": false,
  "ca_certificates": 2,
  "root_included": true,
  "encryption": "AES-256-CBC with PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC",
  "imports_on": "Windows 10 1709 and later, Windows Server 2019 and later",
  "password_file": "in/gen.pass",
  "role": "nps",
  "store": "Cert:\\LocalMachine\\My",
  "overridden": [],
  "powershell_import": [
    "$password = Read-Host -AsSecureString -Prompt \x27PFX password\x27",
    "Import-PfxCertificate -FilePath .\\nps.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password $password"
  ],
  "powershell_bind": [],
  "console_step": "Then in the NPS console: Policies > Network Policies > (the VPN policy) > Constraints >\n"
                  "Authentication Methods > Microsoft: Protected EAP (PEAP) > Edit, and choose the\n"
                  "certificate with thumbprint " + env["MKCSR_TEST_THUMB"] + ".",
  "repacked_from": null,
  "warnings": [],
  "notes": []
}'

# The leaf alone, for a client.
now_leaf in/client.pem client01.corp.example.com "DNS:client01.corp.example.com" clientAuth
MKCSR_TEST_CLIENT_THUMB=$(thumbprint in/client.pem)
export MKCSR_TEST_CLIENT_THUMB
run 0 pfx --cert in/client.pem --key in/leaf.key --pass file:in/pw --role client --json
json_equals '{
  "file": "client01.corp.example.com.pfx",
  "subject": "CN=client01.corp.example.com",
  "thumbprint": env["MKCSR_TEST_CLIENT_THUMB"],
  "friendly_name": "client01.corp.example.com",
  "profile": "compat",
  "provider": "Microsoft Software Key Storage Provider",
  "machine_keyset": false,
  "ca_certificates": 0,
  "root_included": false,
  "encryption": "3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC",
  "imports_on": "every Windows from Server 2012 R2 and Windows 8.1 on",
  "password_file": null,
  "role": "client",
  "store": "Cert:\\CurrentUser\\My",
  "overridden": [],
  "powershell_import": [
    "$password = Read-Host -AsSecureString -Prompt \x27PFX password\x27",
    "Import-PfxCertificate -FilePath .\\client01.corp.example.com.pfx -CertStoreLocation Cert:\\CurrentUser\\My -Password $password"
  ],
  "powershell_bind": [],
  "console_step": null,
  "repacked_from": null,
  "warnings": [
    "the PFX holds no issuing CA certificate: Windows will have to find the intermediate (CN=mkcsr Test Issuing CA,O=mkcsr Test PKI,C=US) itself, and SSTP clients then fail with CERT_E_CHAINING unless the server can build the chain; give it with --chain FILE"
  ],
  "notes": []
}'

# Failures: the error object alone on stdout, the lines on stderr as without --json.
run 5 pfx --cert in/leaf-otherkey.pem --key in/leaf.key --pass file:in/pw --json
expect_json_error KEY_MISMATCH 5 in/leaf.key \
	"'in/leaf.key' is not the key of CN=vpn.example.com in 'in/leaf-otherkey.pem', nor of any other certificate given (key values mismatch)" \
	"a PFX must pair a certificate with its own key; --force does not change that"
expect_err_first "mkcsr pfx: 'in/leaf.key' is not the key of CN=vpn.example.com in 'in/leaf-otherkey.pem', nor of any other certificate given (key values mismatch)"
expect_err_line "mkcsr pfx: hint: a PFX must pair a certificate with its own key; --force does not change that"
expect_lines "$WORK/err" 2
run 6 pfx --cert in/leaf-expired.pem --key in/leaf.key --pass file:in/pw --json
expired=$(sed -n '1s/^mkcsr pfx: //p' "$WORK/err")
case $expired in
"expired on 2021-01-01 00:00:00 UTC ("*" days ago): every SSTP client fails, while IKEv2 may still work") ;;
*) fail "the expiry line is: $expired" ;;
esac
expect_json_error CERT_UNFIT 6 in/leaf-expired.pem "$expired" \
	"see mkcsr check; --force builds the PFX anyway"
run 4 pfx --cert in/client.pem --key in/leaf.key --pass file:in/pw --role client --json
expect_json_error EXISTS 4 client01.corp.example.com.pfx \
	"refusing to overwrite an existing file: 'client01.corp.example.com.pfx' exists" \
	"choose another output file name, or pass --force to replace it"
expect_files in client01.corp.example.com.pfx

exit 0
