#!/bin/sh
# One certificate request for each Always On VPN role, made in the current
# directory, then shown with OpenSSL as a CA would read it.
#
#   sh requests-for-vpn-roles.sh            (MKCSR=/path/to/mkcsr to choose the program)
set -eu
MKCSR=${MKCSR:-mkcsr}

# RRAS SSTP: exactly what certlm's custom request makes (public CA).
"$MKCSR" new -q --host vpn.example.com

# RRAS IKEv2: Server Authentication plus IP security IKE intermediate (internal CA).
"$MKCSR" new -q --host ikev2.example.com --eku serverAuth --eku ikeIntermediate

# NPS: a subject that names the server, as the clients' EAP settings expect.
"$MKCSR" new -q --host nps1.corp.example.com --subject "O=Example Ltd, C=GB"

# Device tunnel client: Client Authentication and IKE intermediate, subject and SAN = device FQDN.
"$MKCSR" new -q --host laptop7.corp.example.com --eku clientAuth --eku ikeIntermediate

# User tunnel client: Client Authentication with the user's UPN.
"$MKCSR" new -q --host ws12.corp.example.com --san upn:alice@corp.example.com --eku clientAuth \
	--key vpnuser-alice.key --csr vpnuser-alice.csr

# What a CA will see: signature check, subject, names and usages of each request.
for csr in *.csr; do
	echo "== $csr"
	openssl req -in "$csr" -noout -verify 2>&1
	openssl req -in "$csr" -noout -subject
	openssl req -in "$csr" -noout -text |
		sed -n '/Alternative Name/{n;p;}; /Extended Key Usage/{n;p;}'
done
