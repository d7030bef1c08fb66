#!/bin/sh
# One certificate request for each Always On VPN role, made in the current
# directory from mkcsr's role templates (mkcsr templates lists them), then
# shown with OpenSSL as a CA would read it.
#
#   sh requests-for-vpn-roles.sh            (MKCSR=/path/to/mkcsr to choose the program)
set -eu
MKCSR=${MKCSR:-mkcsr}

# The templates, and where each comes from (built in, or a file that overrides it).
"$MKCSR" templates

# RRAS SSTP: exactly what certlm's custom request makes (public CA): ECDSA P-256, Server Authentication.
"$MKCSR" new -q --template sstp --host vpn.example.com

# RRAS IKEv2: RSA 2048, Server Authentication plus IP security IKE intermediate (internal CA).
"$MKCSR" new -q --template ikev2 --host ikev2.example.com

# NPS: RSA 2048, Server Authentication, a subject that names the server, as the clients' EAP settings expect.
"$MKCSR" new -q --template nps --host nps1.corp.example.com

# Device tunnel client: RSA 2048, Client Authentication and IKE intermediate, subject and SAN = device FQDN.
"$MKCSR" new -q --template device-tunnel --host laptop7.corp.example.com

# User tunnel client: RSA 2048, Client Authentication with the user's UPN.
"$MKCSR" new -q --template user-tunnel --set UPN=alice@corp.example.com \
	--key vpnuser-alice.key --csr vpnuser-alice.csr

# What a CA will see: signature check, subject, names and usages of each request.
for csr in *.csr; do
	echo "== $csr"
	openssl req -in "$csr" -noout -verify 2>&1
	openssl req -in "$csr" -noout -subject
	openssl req -in "$csr" -noout -text |
		sed -n '/Alternative Name/{n;p;}; /Extended Key Usage/{n;p;}'
done
