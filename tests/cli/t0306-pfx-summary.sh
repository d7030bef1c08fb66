#!/bin/sh
# The summary mkcsr pfx prints, line for line: the file, the certificate,
# its thumbprint (openssl's SHA-1 fingerprint without colons, as certlm
# and Get-ChildItem Cert:\ show it), the contents, provider and profile,
# then what to run on the Windows server: Import-PfxCertificate, and for
# SSTP Set-RemoteAccess with the thumbprint; for NPS where to choose the
# certificate; for IKEv2 the service restart; nothing more for clients.

. "$TESTS_SRCDIR/cli/lib.sh"
pfx_setup

thumb=$(thumbprint in/good.pem)
[ "$thumb" = "$(openssl x509 -in in/good.pem -noout -fingerprint -sha1 | sed 's/^[A-Za-z0-9]* Fingerprint=//' | tr -d :)" ] ||
	fail "the thumbprint helper disagrees with openssl x509 -fingerprint"
printf '%s\n' "$thumb" | grep -qx '[0-9A-F]\{40\}' || fail "not a thumbprint: $thumb"

# summary EXPECTED_FILE: stdout is exactly that text.
summary() {
	diff "$1" "$WORK/out" >&2 || fail "the summary differs from the expected text (diff above)"
}

# SSTP (the default role), compat (the default profile).
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw
expect_no_err
cat > in/expected <<EOF
Created vpn.example.com.pfx
  Certificate:    CN=vpn.example.com
  Thumbprint:     $thumb
  Friendly name:  vpn.example.com
  Contents:       certificate, private key and 1 CA certificate
  Key provider:   Microsoft Software Key Storage Provider, machine key set
  Encryption:     3DES (pbeWithSHA1And3-KeyTripleDES-CBC), SHA-1 MAC (profile compat)
  Imports on:     every Windows from Server 2012 R2 and Windows 8.1 on

On the Windows server, in an elevated PowerShell:
  \$password = Read-Host -AsSecureString -Prompt 'PFX password'
  Import-PfxCertificate -FilePath .\\vpn.example.com.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password \$password
  \$cert = Get-ChildItem Cert:\\LocalMachine\\My\\$thumb
  Set-RemoteAccess -SslCertificate \$cert
  Restart-Service RemoteAccess -PassThru
EOF
summary in/expected
rm vpn.example.com.pfx

# NPS, modern, generated password, root included, another name and file.
run 0 pfx --cert in/good-chain.pem --chain in/root-ca.pem --include-root --key in/leaf.key --pass generate:in/nps.pass \
	--role nps --profile modern --friendly-name "NPS 2027" --no-machine-keyset -o in/nps.pfx
expect_no_err
cat > in/expected <<EOF
Created in/nps.pfx
  Certificate:    CN=vpn.example.com
  Thumbprint:     $thumb
  Friendly name:  NPS 2027
  Contents:       certificate, private key and 2 CA certificates (root included)
  Key provider:   Microsoft Software Key Storage Provider
  Encryption:     AES-256-CBC with PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC (profile modern)
  Imports on:     Windows 10 1709 and later, Windows Server 2019 and later
  Password:       generated, in in/nps.pass (mode 0600)

On the Windows server, in an elevated PowerShell:
  \$password = Read-Host -AsSecureString -Prompt 'PFX password'
  Import-PfxCertificate -FilePath .\\nps.pfx -CertStoreLocation Cert:\\LocalMachine\\My -Password \$password
Then in the NPS console: Policies > Network Policies > (the VPN policy) > Constraints >
Authentication Methods > Microsoft: Protected EAP (PEAP) > Edit, and choose the
certificate with thumbprint $thumb.
EOF
summary in/expected

# IKEv2: the restart only.
run 0 pfx --cert in/good-chain.pem --key in/leaf.key --pass file:in/pw --role ikev2 -o ikev2.pfx
expect_out_line "  Restart-Service RemoteAccess -PassThru   # IKEv2 picks the certificate up from LocalMachine\\My"
expect_out_lacks "Set-RemoteAccess"
expect_out_lacks "NPS console"
[ "$(tail -n 1 "$WORK/out")" = "  Restart-Service RemoteAccess -PassThru   # IKEv2 picks the certificate up from LocalMachine\\My" ] ||
	fail "the IKEv2 summary does not end with the restart"

# The client roles: the import and nothing after it.
now_leaf in/client.pem client01.corp.example.com "DNS:client01.corp.example.com" clientAuth
for role in client device; do
	run 0 pfx --cert in/client.pem --chain in/inter-ca.pem --key in/leaf.key --pass file:in/pw --role "$role" -o "$role.pfx"
	expect_out_line "Created $role.pfx"
	expect_out_line "  Certificate:    CN=client01.corp.example.com"
	expect_out_line "  Friendly name:  client01.corp.example.com"
	expect_out_line "  Thumbprint:     $(thumbprint in/client.pem)"
	# A user tunnel certificate goes to the user's store; a device tunnel one to the machine's.
	if [ "$role" = client ]; then store=CurrentUser; else store=LocalMachine; fi
	[ "$(tail -n 1 "$WORK/out")" = "  Import-PfxCertificate -FilePath .\\$role.pfx -CertStoreLocation Cert:\\$store\\My -Password \$password" ] ||
		{ cat "$WORK/out" >&2; fail "the $role summary goes on after the import"; }
done

# The same thumbprint from a DER certificate; the leaf alone.
openssl x509 -in in/good.pem -outform DER -out in/good.der || fail "openssl cannot convert good.pem"
run 0 pfx --cert in/good.der --key in/leaf.key --pass file:in/pw -o der.pfx
expect_out_line "  Thumbprint:     $thumb"
expect_out_line "  Contents:       certificate, private key"

exit 0
