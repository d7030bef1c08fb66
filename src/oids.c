#include <config.h>

#include <string.h>
#include <strings.h>

#include "oids.h"

static const struct oids_eku ekus[] = {
	{ "serverAuth", OID_SERVER_AUTH, "Server Authentication" },
	{ "clientAuth", OID_CLIENT_AUTH, "Client Authentication" },
	{ "ikeIntermediate", OID_IKE_INTERMEDIATE, "IP security IKE intermediate" },
	{ "ipsecIKE", "1.3.6.1.5.5.7.3.17", "IP security IKE" },
	{ "codeSigning", "1.3.6.1.5.5.7.3.3", "Code Signing" },
	{ "emailProtection", "1.3.6.1.5.5.7.3.4", "Secure Email" },
	{ "timeStamping", "1.3.6.1.5.5.7.3.8", "Time Stamping" },
	{ "ocspSigning", "1.3.6.1.5.5.7.3.9", "OCSP Signing" },
	{ "smartcardLogon", "1.3.6.1.4.1.311.20.2.2", "Smart Card Logon" },
	{ "kdcAuth", "1.3.6.1.5.2.3.5", "KDC Authentication" },
};

/*
 * Usages without a keyword: names for showing only, as certlm shows them.
 * Kept apart from the table above so that --eku and what mkcsr new prints
 * for a dotted OID stay as they are.
 */
static const struct {
	const char *oid;
	const char *display;
} usage_names[] = {
	{ "2.5.29.37.0", "Any Purpose" },
	{ "1.3.6.1.5.5.7.3.5", "IP security end system" },
	{ "1.3.6.1.5.5.7.3.6", "IP security tunnel termination" },
	{ "1.3.6.1.5.5.7.3.7", "IP security user" },
	{ "1.3.6.1.5.5.7.3.13", "EAP over PPP" },
	{ "1.3.6.1.5.5.7.3.14", "EAP over LAN" },
	{ "1.3.6.1.4.1.311.10.3.1", "Microsoft Trust List Signing" },
	{ "1.3.6.1.4.1.311.10.3.3", "Microsoft Server Gated Crypto" },
	{ "1.3.6.1.4.1.311.10.3.4", "Encrypting File System" },
	{ "1.3.6.1.4.1.311.10.3.4.1", "File Recovery" },
	{ "1.3.6.1.4.1.311.10.3.5", "Windows Hardware Driver Verification" },
	{ "1.3.6.1.4.1.311.10.3.6", "Windows System Component Verification" },
	{ "1.3.6.1.4.1.311.10.3.9", "Root List Signer" },
	{ "1.3.6.1.4.1.311.10.3.10", "Qualified Subordination" },
	{ "1.3.6.1.4.1.311.10.3.11", "Key Recovery" },
	{ "1.3.6.1.4.1.311.10.3.12", "Document Signing" },
	{ "1.3.6.1.4.1.311.10.3.13", "Lifetime Signing" },
	{ "1.3.6.1.4.1.311.20.2.1", "Certificate Request Agent" },
	{ "1.3.6.1.4.1.311.21.5", "Private Key Archival" },
	{ "1.3.6.1.4.1.311.21.6", "Key Recovery Agent" },
	{ "1.3.6.1.4.1.311.21.19", "Directory Service Email Replication" },
	{ "1.3.6.1.4.1.311.54.1.2", "Remote Desktop Authentication" },
	{ "1.3.6.1.4.1.311.61.1.1", "Kernel Mode Code Signing" },
	{ "1.3.6.1.4.1.311.80.1", "Document Encryption" },
};

const char *oids_usage_name(const char *oid)
{
	const struct oids_eku *eku = oids_eku_by_oid(oid);

	if (eku != NULL)
		return eku->display;
	for (size_t i = 0; i < sizeof(usage_names) / sizeof(usage_names[0]); i++)
		if (strcmp(usage_names[i].oid, oid) == 0)
			return usage_names[i].display;
	return NULL;
}

const struct oids_eku *oids_eku_by_keyword(const char *keyword)
{
	for (size_t i = 0; i < sizeof(ekus) / sizeof(ekus[0]); i++)
		if (strcasecmp(ekus[i].keyword, keyword) == 0)
			return &ekus[i];
	return NULL;
}

const struct oids_eku *oids_eku_by_oid(const char *oid)
{
	for (size_t i = 0; i < sizeof(ekus) / sizeof(ekus[0]); i++)
		if (strcmp(ekus[i].oid, oid) == 0)
			return &ekus[i];
	return NULL;
}

const char *oids_eku_keywords(void)
{
	return "serverAuth, clientAuth, ikeIntermediate, ipsecIKE, codeSigning, emailProtection, "
	       "timeStamping, ocspSigning, smartcardLogon, kdcAuth";
}
