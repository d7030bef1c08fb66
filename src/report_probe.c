/*
 * mkcsr probe's renderers: a block per target, a line per target, and one
 * JSON document, all from the same results.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "display.h"
#include "pfx.h"
#include "probe.h"
#include "report.h"

/* Subjects and details come from a server: printed only through display_guard(). */
#define SAFE_SIZE 4096

const char *report_probe_result_text(int exit_code)
{
	switch (exit_code) {
	case MKCSR_EXIT_OK: return "fit for the role";
	case MKCSR_EXIT_MISMATCH: return "not the expected certificate";
	case MKCSR_EXIT_FAILED: return "fails a requirement";
	case MKCSR_EXIT_EXPIRING: return "valid, but expiring within the warning window";
	case MKCSR_EXIT_UNREACHABLE: return "unreachable";
	default: return "not probed";
	}
}

static const char *summary_word(int exit_code)
{
	switch (exit_code) {
	case MKCSR_EXIT_OK: return "OK";
	case MKCSR_EXIT_MISMATCH: return "MISMATCH";
	case MKCSR_EXIT_FAILED: return "FAILED";
	case MKCSR_EXIT_EXPIRING: return "EXPIRING";
	case MKCSR_EXIT_UNREACHABLE: return "UNREACHABLE";
	default: return "NOT-PROBED";
	}
}

/* The checks in the order they are shown: how the server was reached, then the certificate, then SSTP. */
struct shown {
	const char *key;
	const struct mkcsr_check_item *item;
	const char *title;
};

static size_t shown_items(const struct mkcsr_probe_result *r, struct shown *out)
{
	static const enum mkcsr_check_id cert_checks[] = { MKCSR_CHECK_VALIDITY, MKCSR_CHECK_NAME, MKCSR_CHECK_USAGE,
							   MKCSR_CHECK_KEY_USAGE, MKCSR_CHECK_CHAIN };
	size_t n = 0;

	if (!r->probed)
		return 0;
	out[n++] = (struct shown){ probe_check_key(MKCSR_PROBE_REACH), &r->items[MKCSR_PROBE_REACH],
				   probe_check_title(MKCSR_PROBE_REACH) };
	if (!r->judged)
		return n;
	out[n++] = (struct shown){ probe_check_key(MKCSR_PROBE_TLS), &r->items[MKCSR_PROBE_TLS],
				   probe_check_title(MKCSR_PROBE_TLS) };
	for (size_t i = 0; i < sizeof(cert_checks) / sizeof(cert_checks[0]); i++)
		out[n++] = (struct shown){ check_id_key(cert_checks[i]), &r->check.items[cert_checks[i]],
					   check_id_title(cert_checks[i]) };
	out[n++] = (struct shown){ probe_check_key(MKCSR_PROBE_SENT_CHAIN), &r->items[MKCSR_PROBE_SENT_CHAIN],
				   probe_check_title(MKCSR_PROBE_SENT_CHAIN) };
	out[n++] = (struct shown){ check_id_key(MKCSR_CHECK_REVOCATION), &r->check.items[MKCSR_CHECK_REVOCATION],
				   check_id_title(MKCSR_CHECK_REVOCATION) };
	out[n++] = (struct shown){ probe_check_key(MKCSR_PROBE_SSTP), &r->items[MKCSR_PROBE_SSTP],
				   probe_check_title(MKCSR_PROBE_SSTP) };
	out[n++] = (struct shown){ probe_check_key(MKCSR_PROBE_EXPECT), &r->items[MKCSR_PROBE_EXPECT],
				   probe_check_title(MKCSR_PROBE_EXPECT) };
	return n;
}

#define MAX_SHOWN 12

static void served_text(const struct mkcsr_probe_result *r, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->served.count; i++) {
		char subject[512];
		char safe[SAFE_SIZE];
		int n = snprintf(buf + used, size - used, "%s%s", i ? " <- " : "",
				 display_guard(chain_name_text(X509_get_subject_name(chain_x509(&r->served.items[i])), subject,
								sizeof(subject)),
						safe, sizeof(safe)));

		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static void text_header(FILE *out, const struct mkcsr_probe_result *r)
{
	X509 *leaf = chain_x509(r->check.leaf);
	char subject[512], issuer[512], from[40], to[40], thumb[41], served[SAFE_SIZE], safe[SAFE_SIZE];

	pfx_thumbprint(leaf, thumb);
	served_text(r, served, sizeof(served));
	fprintf(out, "  Certificate: %s\n",
		display_guard(chain_name_text(X509_get_subject_name(leaf), subject, sizeof(subject)), safe, sizeof(safe)));
	fprintf(out, "  Issuer:      %s\n",
		display_guard(chain_name_text(X509_get_issuer_name(leaf), issuer, sizeof(issuer)), safe, sizeof(safe)));
	fprintf(out, "  Valid:       %s to %s\n", chain_time_text(X509_get0_notBefore(leaf), from, sizeof(from)),
		chain_time_text(X509_get0_notAfter(leaf), to, sizeof(to)));
	fprintf(out, "  Thumbprint:  %s\n", thumb);
	fprintf(out, "  Sent:        %zu certificate%s: %s\n", r->served.count, r->served.count == 1 ? "" : "s", served);
	fprintf(out, "  TLS:         %s, %s\n", r->tls.version, r->tls.cipher);
	fprintf(out, "  Role:        %s (%s), host %s\n", check_role_key(r->check.role), check_role_description(r->check.role),
		r->check.host);
}

void report_probe_text(FILE *out, const struct mkcsr_probe_result *r, bool verbose)
{
	struct shown items[MAX_SHOWN];
	size_t n = shown_items(r, items);
	unsigned fails = 0, warns = 0;
	char code[96], safe[SAFE_SIZE];

	fprintf(out, "Target: %s\n", r->target->label);
	if (!r->probed) {
		fprintf(out, "  not probed: interrupted\n\n");
		return;
	}
	fprintf(out, "  Address:     %s\n", r->address[0] ? r->address : "(none)");
	if (r->judged)
		text_header(out, r);
	if (r->judged && r->tls.sstp != TLSPROBE_SSTP_NOT_TRIED)
		fprintf(out, "  SSTP:        %s (correlation ID %s)\n", probe_sstp_key(r->tls.sstp), r->tls.correlation_id);
	fprintf(out, "  Time:        connect %ld ms, TLS %ld ms, SSTP %ld ms, total %ld ms\n", r->tls.ms_connect,
		r->tls.ms_handshake, r->tls.ms_sstp, r->ms_total);
	if (verbose && r->judged) {
		char subject[512];

		for (int i = 0; r->check.path && i < sk_X509_num(r->check.path); i++)
			fprintf(out, "  Chain %d:     %s\n", i,
				display_guard(chain_name_text(X509_get_subject_name(sk_X509_value(r->check.path, i)),
							       subject, sizeof(subject)),
					       safe, sizeof(safe)));
	}
	fprintf(out, "\n");
	for (size_t i = 0; i < n; i++) {
		fails += items[i].item->status == MKCSR_CHECK_FAIL;
		warns += items[i].item->status == MKCSR_CHECK_WARN;
		fprintf(out, "  %s  %-10s  %s\n", report_status_label(items[i].item->status), items[i].key,
			display_guard(items[i].item->detail, safe, sizeof(safe)));
		if (items[i].item->win_code != 0 && items[i].item->status != MKCSR_CHECK_PASS &&
		    items[i].item->status != MKCSR_CHECK_SKIP)
			fprintf(out, "        %-10s  Windows: %s\n", "", winerr_format(items[i].item->win_code, code, sizeof(code)));
	}
	fprintf(out, "\nResult: %s (%u failed, %u warning%s; exit %d)\n\n", report_probe_result_text(r->exit_code), fails,
		warns, warns == 1 ? "" : "s", r->exit_code);
}

/* The check that decides the target's result: the first failure, else the first warning that counts. */
static const struct shown *deciding_item(const struct shown *items, size_t n, int exit_code)
{
	if (exit_code == MKCSR_EXIT_OK)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if ((int)items[i].item->exit_code == exit_code && items[i].item->status == MKCSR_CHECK_FAIL)
			return &items[i];
	for (size_t i = 0; i < n; i++)
		if ((int)items[i].item->exit_code == exit_code)
			return &items[i];
	return NULL;
}

void report_probe_summary(FILE *out, const struct mkcsr_probe_result *r)
{
	struct shown items[MAX_SHOWN];
	size_t n = shown_items(r, items);
	const struct shown *why = deciding_item(items, n, r->exit_code);
	char code[96] = "", to[40], thumb[41], safe[SAFE_SIZE];

	if (!r->probed) {
		fprintf(out, "%s  %s  interrupted\n", r->target->label, summary_word(-1));
		return;
	}
	if (why != NULL) {
		winerr_format(why->item->win_code, code, sizeof(code));
		fprintf(out, "%s  %s  %s: %s%s%s%s\n", r->target->label, summary_word(r->exit_code), why->key,
			display_guard(why->item->detail, safe, sizeof(safe)), code[0] ? " [" : "", code, code[0] ? "]" : "");
		return;
	}
	pfx_thumbprint(chain_x509(r->check.leaf), thumb);
	fprintf(out, "%s  OK  %s, %s, valid to %s (%ld days), thumbprint %s\n", r->target->label, r->tls.version,
		r->tls.sstp == TLSPROBE_SSTP_CALL_ACK ? "SSTP call accepted" : "no SSTP exchange", chain_time_text(X509_get0_notAfter(chain_x509(r->check.leaf)), to, sizeof(to)),
		r->check.days_left, thumb);
}

static json_t *cert_json(X509 *cert)
{
	char subject[512], issuer[512], from[40], to[40], thumb[41], safe_subject[SAFE_SIZE], safe_issuer[SAFE_SIZE];

	pfx_thumbprint(cert, thumb);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "subject",
			 display_guard(chain_name_text(X509_get_subject_name(cert), subject, sizeof(subject)), safe_subject,
					sizeof(safe_subject)),
			 "issuer",
			 display_guard(chain_name_text(X509_get_issuer_name(cert), issuer, sizeof(issuer)), safe_issuer,
					sizeof(safe_issuer)),
			 "not_before",
			 report_iso_time(X509_get0_notBefore(cert), from, sizeof(from)), "not_after",
			 report_iso_time(X509_get0_notAfter(cert), to, sizeof(to)), "thumbprint", thumb);
}

static json_t *checks_json(const struct mkcsr_probe_result *r)
{
	struct shown items[MAX_SHOWN];
	size_t n = shown_items(r, items);
	json_t *checks = json_array();

	for (size_t i = 0; i < n; i++) {
		const struct mkcsr_check_item *item = items[i].item;
		char safe[SAFE_SIZE];
		json_t *o;

		o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", items[i].key, "title",
							items[i].title, "status", check_status_key(item->status), "detail",
							display_guard(item->detail, safe, sizeof(safe)), "windows_code",
							item->status == MKCSR_CHECK_PASS || item->status == MKCSR_CHECK_SKIP
								? json_null()
								: report_win_code_json(item->win_code));
		/* With --revocation fetch (probe's default), what each CRL and OCSP source answered, as check shows it. */
		if (o != NULL && item == &r->check.items[MKCSR_CHECK_REVOCATION] &&
		    r->check.revocation_mode == MKCSR_REVOCATION_FETCH)
			json_object_update_new(o, report_revocation_json(&r->check.revocation));
		json_array_append_new(checks, o);
	}
	return checks;
}

static json_t *sstp_json(const struct mkcsr_probe_result *r)
{
	const struct tlsprobe_result *t = &r->tls;
	json_t *o;

	if (!r->judged || t->sstp == TLSPROBE_SSTP_NOT_TRIED)
		return json_null();
	o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b}", "step", probe_sstp_key(t->sstp), "correlation_id",
		      t->correlation_id, "http_status", t->http.status ? json_integer(t->http.status) : json_null(),
		      "http_server", t->http.server[0] ? json_string(t->http.server) : json_null(), "reply",
		      t->sstp >= TLSPROBE_SSTP_CALL_NAK && sstp_msg_name(t->reply.type)
			      ? json_string(sstp_msg_name(t->reply.type))
			      : json_null(),
		      "status",
		      t->reply.has_status && sstp_status_name(t->reply.status) ? json_string(sstp_status_name(t->reply.status))
									      : json_null(),
		      "abort_answered", t->abort_answered);
	return o;
}

/* How many of the checks shown have status, as check --json counts its own. */
static int count_shown(const struct mkcsr_probe_result *r, enum mkcsr_check_status status)
{
	struct shown items[MAX_SHOWN];
	size_t n = shown_items(r, items);
	int count = 0;

	for (size_t i = 0; i < n; i++)
		count += items[i].item->status == status;
	return count;
}

static json_t *target_json(const struct mkcsr_probe_result *r)
{
	const struct mkcsr_probe_target *t = r->target;
	json_t *o, *served = json_array();
	char connect[300];

	for (size_t i = 0; i < r->served.count; i++)
		json_array_append_new(served, cert_json(chain_x509(&r->served.items[i])));
	snprintf(connect, sizeof(connect), strchr(t->connect_host, ':') ? "[%s]:%s" : "%s:%s", t->connect_host,
		 t->connect_port);
	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "target", t->label, "name", t->name, "port", t->port, "connect",
		      t->connect_host[0] ? json_string(connect) : json_null(), "address",
		      r->address[0] ? json_string(r->address) : json_null(), "probed", r->probed);
	json_object_set_new(o, "reached", json_boolean(r->probed && r->items[MKCSR_PROBE_REACH].status == MKCSR_CHECK_PASS));
	json_object_set_new(o, "failed_step", r->probed ? json_string(probe_step_key(r->tls.failed_step)) : json_null());
	json_object_set_new(o, "tls", r->judged ? json_pack("{s:s, s:s}", "version", r->tls.version, "cipher", r->tls.cipher)
						 : json_null());
	json_object_set_new(o, "role", json_string(check_role_key(r->role)));
	json_object_set_new(o, "certificate", r->judged ? cert_json(chain_x509(r->check.leaf)) : json_null());
	if (r->judged)
		json_object_set_new(json_object_get(o, "certificate"), "days_left", json_integer(r->check.days_left));
	json_object_set_new(o, "served_chain", served);
	json_object_set_new(o, "sstp", sstp_json(r));
	json_object_set_new(o, "checks", checks_json(r));
	json_object_set_new(o, "timings_ms", json_pack("{s:I, s:I, s:I, s:I}", "connect", (json_int_t)r->tls.ms_connect,
						       "tls", (json_int_t)r->tls.ms_handshake, "sstp",
						       (json_int_t)r->tls.ms_sstp, "total", (json_int_t)r->ms_total));
	json_object_set_new(o, "result", json_pack("{s:i, s:s, s:i, s:i, s:i, s:i}", "exit_code", r->exit_code, "summary",
						   r->probed ? report_probe_result_text(r->exit_code) : "not probed",
						   "passed", count_shown(r, MKCSR_CHECK_PASS), "warned",
						   count_shown(r, MKCSR_CHECK_WARN), "failed", count_shown(r, MKCSR_CHECK_FAIL),
						   "skipped", count_shown(r, MKCSR_CHECK_SKIP)));
	return o;
}

json_t *report_probe_json(const struct mkcsr_probe_result *results, size_t count, int exit_code)
{
	json_t *doc = json_object(), *targets = json_array();

	for (size_t i = 0; i < count; i++) {
		json_t *t = target_json(&results[i]);

		if (t == NULL || json_object_get(t, "result") == NULL) {
			json_decref(t);
			json_decref(targets);
			json_decref(doc);
			return NULL;
		}
		json_array_append_new(targets, t);
	}
	json_object_set_new(doc, "targets", targets);
	json_object_set_new(doc, "result", json_pack("{s:i, s:s}", "exit_code", exit_code, "summary",
						     report_probe_result_text(exit_code)));
	return doc;
}
