/*
 * The CRL and OCSP verdicts of check and probe (revocation_judge_crl_der,
 * revocation_judge_ocsp_der): the input is judged both as a DER CRL and as
 * a DER OCSP response, about a fixed leaf and its issuer and about that
 * issuer and its root (tests/data/certs: leaf-good.pem, inter-ca.pem,
 * root-ca.pem, parsed once at start), at FUZZ_NOW; no network.  The corpus
 * (make-corpus.sh) holds answers signed by those CAs' keys, fresh at
 * FUZZ_NOW, so that the fuzzer starts past the signature checks.
 * Properties: a status within the enum; GOOD and REVOKED with no detail,
 * every other verdict with one; no control character in the detail or in
 * the text printed for it; a revocation date only on REVOKED.
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "fuzz.h"
#include "revocation.h"

static const char issuer_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDVDCCAbygAwIBAgICEAIwDQYJKoZIhvcNAQELBQAwQzELMAkGA1UEBhMCVVMx\n"
	"FzAVBgNVBAoMDm1rY3NyIFRlc3QgUEtJMRswGQYDVQQDDBJta2NzciBUZXN0IFJv\n"
	"b3QgQ0EwHhcNMjUwMTAxMDAwMDAwWhcNNDUwMTAxMDAwMDAwWjBGMQswCQYDVQQG\n"
	"EwJVUzEXMBUGA1UECgwObWtjc3IgVGVzdCBQS0kxHjAcBgNVBAMMFW1rY3NyIFRl\n"
	"c3QgSXNzdWluZyBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGg3hIkNBCrA\n"
	"xfei6Fy+0fzO1kUGz7JhJ7Wm7uhVfJsU7b44mMkFjitVYfhe5qOSSKHPdNAGan07\n"
	"DmT6W3MR+YSjgZkwgZYwEgYDVR0TAQH/BAgwBgEB/wIBADAOBgNVHQ8BAf8EBAMC\n"
	"AQYwHQYDVR0OBBYEFLPv0gMOSm/9UVY7g3DjNhBgGV1dMB8GA1UdIwQYMBaAFEyV\n"
	"Q5Ljjo3JSii6fQ1VfSVUnKQlMDAGA1UdHwQpMCcwJaAjoCGGH2h0dHA6Ly9jcmwu\n"
	"ZXhhbXBsZS5jb20vcm9vdC5jcmwwDQYJKoZIhvcNAQELBQADggGBAHEycfIOha0h\n"
	"JxW83exUAeZXOt3d7EHc7RpLcGSgXKug71k1+pYYrBVBy/kdOf16pidjoJlVtPJM\n"
	"ZeMEJb9BfC+p9aBOnGlPwf/a4wCEdNBtbxY7bk56dq/H5w1XiqZ8avqAt2YchtFi\n"
	"1OB47ieWLYRjFL8shkG3PWptzCrDIAtfUnOS469H6jICkkKhYQcrA7uZhSCgKaf1\n"
	"zsakAuBnD8UzG9q1DVj99/dCYg6G5FSF3Z8PifoClqZKr0JGgpfuZt85PyPPjecx\n"
	"VEQAq6L4xjdHDG+OZIPCY6utuL4pebRjaUsMseFONO33kzAI30GyyRjblIzuZSQz\n"
	"+lr+TvW0+xN1XSLdf0BOYD8SO4vNvNSE6p1tav7U/ZPQ7LlFXpFceTN/Ubs93jCQ\n"
	"pe9St6IfCqIbu1QSWrGtI4ho8roa+G0LEaVNN3GDe4fh7pdHSp53xET73w9SLDeE\n"
	"4jupmnSzwa9yuRBm8CsIvgiT4Szbkh7/zqjaoBwhpXdjTKsrchaUzg==\n"
	"-----END CERTIFICATE-----\n"
	;

static const char root_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIERDCCAqygAwIBAgICEAEwDQYJKoZIhvcNAQELBQAwQzELMAkGA1UEBhMCVVMx\n"
	"FzAVBgNVBAoMDm1rY3NyIFRlc3QgUEtJMRswGQYDVQQDDBJta2NzciBUZXN0IFJv\n"
	"b3QgQ0EwHhcNMjUwMTAxMDAwMDAwWhcNNDUwMTAxMDAwMDAwWjBDMQswCQYDVQQG\n"
	"EwJVUzEXMBUGA1UECgwObWtjc3IgVGVzdCBQS0kxGzAZBgNVBAMMEm1rY3NyIFRl\n"
	"c3QgUm9vdCBDQTCCAaIwDQYJKoZIhvcNAQEBBQADggGPADCCAYoCggGBAL/ZHuYq\n"
	"fSCwLrNsa5swydHtAh/jo0h8QfIw/ZNBWbwpY9UJnbBh8fDgLE6z48jAK0zdsjx+\n"
	"l66/L/rXOQ6TNEnuvDrRyvPgncRFb3AEJR67o8L5lCCErFLoWf9EmY+wiLH3bKsz\n"
	"etMoKlHE0EPMpr0TUVXnDBKBJuouR9hE60AjK3gnjoCA/EEw7MoQzCepC+qcZVCa\n"
	"C2LHH/v54Jtpfr7NnmCBF88Q1S7L4u/D2sCiebkRO2zO1OzE4BE6bgbMHIcm8Uqp\n"
	"WCccvzgCxWW48FaV0HbMUkLxkwyaz2Capor8kdxpw43G62AfTKiFPVs7Vibw20rQ\n"
	"DMa77hHf3E/sGVmiHh4haEOWQUM3GICQUV1lvlC85lx8STXYkYKADsBxBcGiypt8\n"
	"VXqc6bsQR+zeIygpC3G/IGS4jqtT0oB7CJ4oLYoEhCdkBVc4mNEx7BrSf5ABZmOf\n"
	"gaIa0r6iSISaqsKfnuvCzyEHPsfmZOKALBSorGzZn8T2/F+KFPk9t/5/TwIDAQAB\n"
	"o0IwQDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4EFgQU\n"
	"TJVDkuOOjclKKLp9DVV9JVScpCUwDQYJKoZIhvcNAQELBQADggGBAFKBXhGwWc9P\n"
	"8zlAHn3JLdlWsVLsKY+L6L6st9wUNsxNKUAebLAMVOa7V6Ru8kfyRaPIqoUTB+uS\n"
	"6oH1KkhlS+uZWIrzx984TLffei0mNwLG7nxakiHoe5UZJwi4aUIJlk7LneTCpoNO\n"
	"Q2emKSshJUVhtAMrZ6z59pryEnb3ZKxIBhtSO+0ZD4oslSRB4aw20sDrpNhW1BAj\n"
	"m/CLwraV7VeZJxJFKTWofDCYecuSJ85ppu/daeJI9lIquE7dUuDgzSrLxHWyJUy6\n"
	"9GTVpnTg4LWAIainE9CzMR8+Tqi2NO/hdnMzFPlJepelHya7OnO2GMpXXRM366r8\n"
	"uEG+hMgBRP0qZerP8x1Ywsey/4Yqe9bXzCX5hUn5yNkB9LNnGTo8VY7hef+mmrNb\n"
	"TLgbwkzF+GxVPUcEy6NxPM1NvkQDmezUK5SYzCLXA3V3CJ68sr2igX4wrIVhPsWD\n"
	"S8sYY/9bkcje1Fy6Uch32P23MDnaOSLl2g8q05v/CDoMDJaQUaTKog==\n"
	"-----END CERTIFICATE-----\n"
	;

static X509 *leaf, *issuer, *root;

static X509 *parse(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	if (cert == NULL) {
		fprintf(stderr, "fuzz_revocation: a built-in certificate does not parse\n");
		exit(1);
	}
	return cert;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	leaf = parse(fuzz_leaf_good_pem());
	issuer = parse(issuer_pem);
	root = parse(root_pem);
	return 0;
}

static bool printable(const char *text)
{
	for (; *text; text++)
		if ((unsigned char)*text < 0x20 || *text == 0x7f)
			return false;
	return true;
}

static void check_source(const struct mkcsr_revocation_source *s)
{
	char text[1024];
	bool answered = s->status == MKCSR_REVOCATION_GOOD || s->status == MKCSR_REVOCATION_REVOKED;

	FUZZ_ASSERT(s->status >= MKCSR_REVOCATION_GOOD && s->status <= MKCSR_REVOCATION_WRONG_SCOPE);
	FUZZ_ASSERT(memchr(s->detail, '\0', sizeof(s->detail)) != NULL && memchr(s->reason, '\0', sizeof(s->reason)) != NULL);
	FUZZ_ASSERT(answered == (s->detail[0] == '\0'));
	FUZZ_ASSERT(s->status == MKCSR_REVOCATION_REVOKED || (s->revoked_at == 0 && s->reason[0] == '\0'));
	FUZZ_ASSERT(printable(s->detail) && printable(s->reason));
	FUZZ_ASSERT(revocation_status_key(s->status) != NULL);
	revocation_source_text(s, text, sizeof(text));
	FUZZ_ASSERT(text[0] != '\0' && printable(text));
}

static void judge(const uint8_t *data, size_t size, X509 *cert, X509 *ca)
{
	struct mkcsr_revocation_source crl = { .kind = MKCSR_REVOCATION_CRL, .status = MKCSR_REVOCATION_NOT_TRIED };
	struct mkcsr_revocation_source ocsp = { .kind = MKCSR_REVOCATION_OCSP, .status = MKCSR_REVOCATION_NOT_TRIED };

	revocation_judge_crl_der(data, size, cert, ca, FUZZ_NOW, &crl);
	check_source(&crl);
	revocation_judge_ocsp_der(data, size, cert, ca, FUZZ_NOW, &ocsp);
	check_source(&ocsp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 256 * 1024)
		return 0;
	judge(data, size, leaf, issuer);
	judge(data, size, issuer, root);
	ERR_clear_error();
	return 0;
}
