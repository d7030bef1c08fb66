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
