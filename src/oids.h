#ifndef MKCSR_OIDS_H
#define MKCSR_OIDS_H

/*
 * Object identifiers mkcsr writes or names, with the names Windows
 * shows for them.
 */

#define OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"
#define OID_IKE_INTERMEDIATE "1.3.6.1.5.5.8.2.2"
#define OID_MS_APPLICATION_POLICIES "1.3.6.1.4.1.311.21.10"
#define OID_MS_ENROLLMENT_CSP "1.3.6.1.4.1.311.13.2.2"
#define OID_MS_CLIENT_INFO "1.3.6.1.4.1.311.21.20"
#define OID_MS_OS_VERSION "1.3.6.1.4.1.311.13.2.3"
#define OID_MS_UPN "1.3.6.1.4.1.311.20.2.3"
#define OID_MS_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_MS_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"

struct oids_eku {
	const char *keyword;   /* what --eku accepts */
	const char *oid;
	const char *display;   /* what certlm shows */
};

/* The EKU for a keyword (case-insensitive), or NULL. */
const struct oids_eku *oids_eku_by_keyword(const char *keyword);
/* The EKU for a dotted OID, or NULL when mkcsr has no name for it. */
const struct oids_eku *oids_eku_by_oid(const char *oid);
/* Comma-separated keywords, for messages and --help. */
const char *oids_eku_keywords(void);

/*
 * The name Windows shows for a usage or application policy OID: the EKUs
 * above, and the others certlm names (Encrypting File System, Smart Card
 * Logon, ...), which --eku takes only as dotted OIDs.  NULL when unknown.
 */
const char *oids_usage_name(const char *oid);

#endif
