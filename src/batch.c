/*
 * mkcsr batch's engine: plan every row first, then make the keys and
 * requests with a worker pool (ninja's job pool, git's
 * run_processes_parallel): the only shared state is the job counter, the
 * list of staged pairs waiting for their group commit and the stop flag.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "batch.h"
#include "input.h"
#include "like.h"
#include "pairfile.h"

static const char *const status_names[] = {
	"created", "renewed", "replaced", "kept", "current", "failed", "not done",
};

const char *batch_status_name(enum batch_status status)
{
	return (unsigned)status < BATCH_STATUS_COUNT_ ? status_names[status] : "unknown";
}

/* ---- one row's options ---- */

/* DIR/HOST.crt, .cer or .pem, whichever exists first; NULL if none. */
static char *like_dir_cert(const char *dir, const char *host)
{
	static const char *const exts[] = { "crt", "cer", "pem" };
	struct stat st;

	for (size_t i = 0; host != NULL && i < sizeof(exts) / sizeof(exts[0]); i++) {
		char *path = NULL;

		if (asprintf(&path, "%s/%s.%s", dir, host, exts[i]) < 0)
			return NULL;
		if (stat(path, &st) == 0)
			return path;
		free(path);
	}
	return NULL;
}

/*
 * Row i's options over the defaults.  With --like-dir, the host's deployed
 * certificate becomes its --like when the row has no other base; with a
 * template or INF, *date_cert names it for the renewal date only.
 */
static enum mkcsr_err row_options(const struct batch_settings *s, size_t i, struct order_options *o,
				  char **date_cert)
{
	enum mkcsr_err rc = manifest_row_options(s->manifest, i, s->defaults, o);
	char *found;

	*date_cert = NULL;
	if (rc != MKCSR_E_OK || s->like_dir == NULL || o->like != NULL)
		return rc;
	found = like_dir_cert(s->like_dir, order_options_first(o, ORDER_OPT_HOST));
	if (found != NULL && o->template == NULL && o->inf == NULL)
		o->like = found;
	else
		*date_cert = found;
	return MKCSR_E_OK;
}

/*
 * The order for row i: options, request, file names; the renewal date into
 * *not_after and, when deployed is not NULL, the certificate it is from.
 */
static enum mkcsr_err row_order(const struct batch_settings *s, size_t i, struct mkcsr_order *ord, time_t *not_after,
				X509 **deployed)
{
	struct order_options o = { 0 };
	char *date_cert = NULL;
	X509 *cert = NULL;
	enum mkcsr_err rc = row_options(s, i, &o, &date_cert);

	memset(ord, 0, sizeof(*ord));
	*not_after = 0;
	if (rc == MKCSR_E_OK && order_options_first(&o, ORDER_OPT_HOST) == NULL && o.template == NULL &&
	    o.inf == NULL && o.like == NULL && order_options_first(&o, ORDER_OPT_SAN) == NULL)
		rc = err_set(MKCSR_E_USAGE, "no host: give a host (or san) column, or a template, inf or like");
	if (rc == MKCSR_E_OK)
		rc = order_plan(&o, ord);
	if (rc == MKCSR_E_OK)
		rc = order_name_files(&o, ord);
	if (rc == MKCSR_E_OK && date_cert != NULL) {
		bool is_pfx = false;

		rc = like_load(date_cert, o.like_pass, &cert, &is_pfx);
	}
	if (rc == MKCSR_E_OK && (cert != NULL || ord->like_cert != NULL)) {
		struct tm tm;

		if (!ASN1_TIME_to_tm(X509_get0_notAfter(cert ? cert : ord->like_cert), &tm))
			rc = err_set(MKCSR_E_BAD_LIKE, "'%s': its expiry date cannot be read", date_cert ? date_cert : o.like);
		else
			*not_after = timegm(&tm);
	}
	if (rc == MKCSR_E_OK && deployed != NULL && (cert != NULL || ord->like_cert != NULL)) {
		*deployed = cert ? cert : ord->like_cert;
		X509_up_ref(*deployed);
	}
	X509_free(cert);
	free(date_cert);
	order_options_clear(&o);
	return rc;
}

/* ---- planning ---- */

static bool is_file(const char *path, bool *other)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return false;
	*other = *other || !S_ISREG(st.st_mode);
	return true;
}

/* Whether the request on disk is for another key than the deployed certificate's: a renewal already made. */
static bool request_is_newer(const char *csr_path, X509 *deployed)
{
	X509_REQ *req = NULL;
	bool newer = deployed != NULL && input_load_csr(csr_path, &req) == MKCSR_E_OK &&
		     EVP_PKEY_eq(X509_REQ_get0_pubkey(req), X509_get0_pubkey(deployed)) != 1;

	X509_REQ_free(req);
	err_clear();
	return newer;
}

static enum batch_action decide(const struct batch_settings *s, const struct mkcsr_order *ord, X509 *deployed,
				time_t not_after, enum mkcsr_err *rc)
{
	bool other = false, key = is_file(ord->key_path, &other), csr = is_file(ord->csr_path, &other);

	if (other) {
		*rc = err_set(MKCSR_E_WRITE, "'%s' or '%s' exists and is not a regular file; it is never replaced",
			      ord->key_path, ord->csr_path);
		return BATCH_FAIL_LONE;
	}
	if (s->renew_within_days >= 0 && not_after != 0) {
		if (not_after - s->now > (time_t)s->renew_within_days * 86400)
			return BATCH_SKIP_CURRENT;
		/* Due: unless the pair there is the renewal made by an earlier run, waiting for its certificate. */
		return key && csr && !s->force && request_is_newer(ord->csr_path, deployed) ? BATCH_SKIP_KEPT
											   : BATCH_MAKE_RENEW;
	}
	if (key && csr)
		return s->force ? BATCH_MAKE_REPLACE : BATCH_SKIP_KEPT;
	if (key && !s->force)
		return BATCH_FAIL_LONE;
	/* A request without its key is what an interrupted install leaves: it is made again. */
	return key || csr ? BATCH_MAKE_REPLACE : BATCH_MAKE;
}

/* A file a row writes: a hash of its resolved path, for finding two rows writing one file. */
struct target {
	uint64_t hash;
	uint32_t line;
};

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Resolves the directory once per distinct spelling (rows mostly share one). */
struct dir_cache {
	char *spelt;
	char *resolved;
};

static uint64_t target_hash(struct dir_cache *cache, const char *path)
{
	char *copy = strdup(path), *base_copy = strdup(path);
	uint64_t h = 0xcbf29ce484222325ULL;

	if (copy == NULL || base_copy == NULL) {
		free(copy);
		free(base_copy);
		return fnv1a(h, path);
	}
	if (cache->spelt == NULL || strcmp(cache->spelt, dirname(copy)) != 0) {
		free(cache->spelt);
		free(cache->resolved);
		strcpy(copy, path);
		cache->spelt = strdup(dirname(copy));
		cache->resolved = cache->spelt ? realpath(cache->spelt, NULL) : NULL;
	}
	h = fnv1a(fnv1a(h, cache->resolved ? cache->resolved : cache->spelt ? cache->spelt : ""), "/");
	h = fnv1a(h, basename(base_copy));
	free(copy);
	free(base_copy);
	return h;
}

static int target_cmp(const void *a, const void *b)
{
	const struct target *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash ? 1 : (x->line > y->line) - (x->line < y->line);
}

static bool already_said(const struct manifest_problems *problems, size_t from, unsigned line, const char *text)
{
	for (size_t i = from; i < problems->count; i++)
		if (problems->items[i].line == line && strcmp(problems->items[i].text, text) == 0)
			return true;
	return false;
}

/* Two rows writing one file: each later row is a problem naming the first. */
static bool find_shared_targets(struct target *t, size_t n, struct manifest_problems *problems)
{
	size_t from = problems->count;
	bool ok = true;

	qsort(t, n, sizeof(*t), target_cmp);
	for (size_t i = 1; i < n; i++) {
		char text[128];
		size_t first = i - 1;

		if (t[i].line == 0 || t[i].hash != t[i - 1].hash || t[i - 1].line == 0)
			continue;
		while (first > 0 && t[first - 1].hash == t[i].hash)
			first--;
		if (t[i].line == t[first].line)
			snprintf(text, sizeof(text), "the key and the request would be one file");
		else
			snprintf(text, sizeof(text), "writes the same key or request file as line %u", t[first].line);
		if (!already_said(problems, from, t[i].line, text))
			ok = manifest_problem_add(problems, t[i].line, MKCSR_E_USAGE, text) && ok;
	}
	return ok;
}

/* Adds path's directory to the plan's list once. */
static bool add_dir(struct batch_plan *plan, const char *path)
{
	char *copy = strdup(path), *dir;
	char **grown;

	if (copy == NULL)
		return false;
	dir = dirname(copy);
	for (size_t i = 0; i < plan->dir_count; i++)
		if (strcmp(plan->dirs[i], dir) == 0) {
			free(copy);
			return true;
		}
	grown = realloc(plan->dirs, (plan->dir_count + 1) * sizeof(*grown));
	if (grown != NULL && (grown[plan->dir_count] = strdup(dir)) != NULL)
		plan->dir_count++;
	if (grown != NULL)
		plan->dirs = grown;
	free(copy);
	return grown != NULL;
}

/* Row i's job; a bad row becomes a problem. */
static bool plan_row(const struct batch_settings *s, size_t i, struct batch_plan *plan, struct target *targets,
		     struct dir_cache *cache, struct manifest_problems *problems, struct manifest_problems *warnings)
{
	struct batch_job *job = &plan->jobs[i];
	struct mkcsr_order ord;
	X509 *deployed = NULL;
	enum mkcsr_err rc;

	job->row = (uint32_t)i;
	job->line = s->manifest->rows[i].line;
	rc = row_order(s, i, &ord, &job->not_after, &deployed);
	if (rc == MKCSR_E_OK) {
		job->action = (uint8_t)decide(s, &ord, deployed, job->not_after, &rc);
		targets[2 * i].line = targets[2 * i + 1].line = job->line;  /* line 0: no file to compare */
		targets[2 * i].hash = target_hash(cache, ord.key_path);
		targets[2 * i + 1].hash = target_hash(cache, ord.csr_path);
		if (!add_dir(plan, ord.key_path) || !add_dir(plan, ord.csr_path))
			rc = err_set(MKCSR_E_NOMEM, "planning the batch");
		for (size_t w = 0; w < ord.req.warning_count; w++)
			if (!manifest_problem_add(warnings, job->line, MKCSR_E_OK, ord.req.warnings[w]))
				rc = err_set(MKCSR_E_NOMEM, "planning the batch");
	}
	order_clear(&ord);
	X509_free(deployed);
	if (rc != MKCSR_E_OK)
		return manifest_problem_add(problems, job->line, rc, err_detail());
	return true;
}

enum mkcsr_err batch_plan(const struct batch_settings *s, struct batch_plan *plan,
			  struct manifest_problems *problems, struct manifest_problems *warnings)
{
	size_t n = s->manifest->row_count, before = problems->count;
	struct target *targets = calloc(2 * n + 1, sizeof(*targets));
	struct dir_cache cache = { 0 };
	bool ok = targets != NULL;

	memset(plan, 0, sizeof(*plan));
	plan->jobs = calloc(n + 1, sizeof(*plan->jobs));
	plan->count = n;
	ok = ok && plan->jobs != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		ok = plan_row(s, i, plan, targets, &cache, problems, warnings);
		err_clear();
	}
	ok = ok && find_shared_targets(targets, 2 * n, problems);
	free(targets);
	free(cache.spelt);
	free(cache.resolved);
	if (!ok)
		return err_set(MKCSR_E_NOMEM, "planning the batch");
	return problems->count > before ? problems->items[before].code : MKCSR_E_OK;
}

void batch_sweep(struct batch_plan *plan)
{
	for (size_t i = 0; i < plan->dir_count; i++)
		plan->swept += pairfile_sweep(plan->dirs[i]);
}

void batch_plan_clear(struct batch_plan *plan)
{
	for (size_t i = 0; i < plan->dir_count; i++)
		free(plan->dirs[i]);
	free(plan->dirs);
	free(plan->jobs);
	memset(plan, 0, sizeof(*plan));
}

/* ---- running ---- */

/* Pairs a group commit waits for at most (else a tenth of a second). */
#define GROUP_TARGET 256

/* A made (or failed) pair, from a worker to the group commit. */
struct made {
	struct made *next;
	const struct batch_job *job;
	char *key_path;
	char *csr_path;
	char *key_pem;             /* the made files, until the commit stages them */
	size_t key_pem_len;
	unsigned char *csr_bytes;
	size_t csr_len;
	struct pairfile pair;
	char *host;
	char spki[65];
	enum mkcsr_err rc;
	char *error;
};

struct pool {
	const struct batch_settings *s;
	const struct batch_job **work;   /* the jobs that make a pair */
	size_t work_count;
	atomic_size_t next;
	atomic_bool stop;                /* a signal, or a worker that cannot go on */
	pthread_mutex_t lock;
	pthread_cond_t ready_cond;
	pthread_cond_t space_cond;       /* the committer took a group: room for more */
	struct made *ready;              /* staged, waiting for the commit */
	size_t ready_count;
	size_t finished;                 /* work items handed back, under lock */
	unsigned active;                 /* workers still running, under lock */
};

static char *host_name(const struct mkcsr_order *ord)
{
	const char *slash = strrchr(ord->key_path, '/');
	const char *name = ord->req.host ? ord->req.host : slash ? slash + 1 : ord->key_path;

	return strdup(name);
}

/*
 * One pair: plan the row again, make the key and the request.  The files
 * are written by the group commit: threads creating files in one directory
 * only queue on its lock in the kernel, and their spinning takes the CPU
 * the keys need.
 */
static void make_one(struct pool *pool, struct keygen_cache *cache, struct made *m)
{
	const struct batch_settings *s = pool->s;
	struct mkcsr_order ord;
	struct order_product prod = { 0 };
	time_t not_after;
	enum mkcsr_err rc = row_order(s, m->job->row, &ord, &not_after, NULL);

	if (rc == MKCSR_E_OK) {
		m->host = host_name(&ord);
		rc = order_make(&ord, cache, s->key_pass, s->key_pass_len, s->client, &prod);
	}
	if (rc == MKCSR_E_OK)
		rc = csr_spki_sha256(prod.x, m->spki);
	if (ord.key_path != NULL && ((m->key_path = strdup(ord.key_path)) == NULL ||
				     (m->csr_path = strdup(ord.csr_path)) == NULL))
		rc = err_set(MKCSR_E_NOMEM, "making the request");
	if (rc == MKCSR_E_OK) {
		m->key_pem = prod.key_pem;
		m->key_pem_len = prod.key_pem_len;
		m->csr_bytes = prod.csr_bytes;
		m->csr_len = prod.csr_len;
		prod.key_pem = NULL;
		prod.csr_bytes = NULL;
	}
	m->rc = rc;
	if (rc != MKCSR_E_OK)
		m->error = strdup(err_detail());
	order_product_clear(&prod);
	order_clear(&ord);
}

static void *worker(void *arg)
{
	struct pool *pool = arg;
	struct keygen_cache cache = { 0 };

	for (;;) {
		size_t i;
		struct made *m;

		if (*pool->s->stop || atomic_load(&pool->stop))
			break;
		i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->work_count)
			break;
		m = calloc(1, sizeof(*m));
		if (m == NULL) {
			atomic_store(&pool->stop, true);
			break;
		}
		m->job = pool->work[i];
		make_one(pool, &cache, m);
		err_clear();
		pthread_mutex_lock(&pool->lock);
		/* A bounded queue: memory stays flat however large the fleet and slow the disk. */
		while (pool->ready_count >= 2 * GROUP_TARGET && !*pool->s->stop && !atomic_load(&pool->stop))
			pthread_cond_wait(&pool->space_cond, &pool->lock);
		m->next = pool->ready;
		pool->ready = m;
		pool->finished++;
		if (++pool->ready_count == GROUP_TARGET)
			pthread_cond_signal(&pool->ready_cond);
		pthread_mutex_unlock(&pool->lock);
	}
	keygen_cache_clear(&cache);
	OPENSSL_thread_stop();
	pthread_mutex_lock(&pool->lock);
	pool->active--;
	pthread_cond_signal(&pool->ready_cond);
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

static void tally(const struct batch_settings *s, struct batch_summary *sum, const struct batch_host *h)
{
	sum->count[h->status]++;
	if (h->status == BATCH_FAILED && (int)err_exit_code(h->rc) > sum->worst_exit)
		sum->worst_exit = (int)err_exit_code(h->rc);
	if (s->on_host != NULL)
		s->on_host(s->arg, h);
}

static enum batch_status made_status(const struct batch_job *job)
{
	return job->action == BATCH_MAKE_RENEW ? BATCH_RENEWED : job->action == BATCH_MAKE_REPLACE ? BATCH_REPLACED
												 : BATCH_CREATED;
}

static void report_made(const struct batch_settings *s, struct batch_summary *sum, const struct made *m)
{
	struct batch_host h = {
		.line = m->job->line,
		.host = m->host ? m->host : "",
		.status = m->rc == MKCSR_E_OK ? made_status(m->job) : BATCH_FAILED,
		.key_path = m->key_path,
		.csr_path = m->csr_path,
		.key_aside = m->pair.key_aside,
		.csr_aside = m->pair.csr_aside,
		.spki_sha256 = m->rc == MKCSR_E_OK ? m->spki : NULL,
		.not_after = m->job->not_after,
		.rc = m->rc,
		.error = m->error,
	};

	tally(s, sum, &h);
}

/* The key's bytes are wiped as soon as they are on disk, or not needed. */
static void drop_bytes(struct made *m)
{
	OPENSSL_clear_free(m->key_pem, m->key_pem_len);
	OPENSSL_free(m->csr_bytes);
	m->key_pem = NULL;
	m->csr_bytes = NULL;
}

static void free_made(struct made *m)
{
	pairfile_clear(&m->pair);  /* removes what was staged and not installed */
	drop_bytes(m);
	free(m->key_path);
	free(m->csr_path);
	free(m->host);
	free(m->error);
	free(m);
}

/* Every distinct directory of the group's files, once. */
struct dir_set {
	char **dirs;
	size_t count;
};

static void dir_set_add(struct dir_set *set, const char *path)
{
	char *copy = path ? strdup(path) : NULL, *dir, **grown;

	if (copy == NULL)
		return;
	dir = dirname(copy);
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->dirs[i], dir) == 0) {
			free(copy);
			return;
		}
	grown = realloc(set->dirs, (set->count + 1) * sizeof(*grown));
	if (grown != NULL) {
		set->dirs = grown;
		if ((grown[set->count] = strdup(dir)) != NULL)
			set->count++;
	}
	free(copy);
}

static void dir_set_clear(struct dir_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->dirs[i]);
	free(set->dirs);
	memset(set, 0, sizeof(*set));
}

/* One syncfs per file system holding the group's files. */
static enum mkcsr_err sync_filesystems(const struct dir_set *dirs)
{
	dev_t seen[16];
	size_t n = 0;

	for (size_t i = 0; i < dirs->count; i++) {
		struct stat st;
		bool done = false;
		int fd = open(dirs->dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0 || fstat(fd, &st) != 0) {
			if (fd >= 0)
				close(fd);
			return err_set(MKCSR_E_WRITE, "'%s': %s", dirs->dirs[i], strerror(errno));
		}
		for (size_t j = 0; j < n && !done; j++)
			done = seen[j] == st.st_dev;
		if (!done && syncfs(fd) != 0) {
			close(fd);
			return err_set(MKCSR_E_WRITE, "'%s': cannot make the files durable: %s", dirs->dirs[i], strerror(errno));
		}
		if (!done && n < sizeof(seen) / sizeof(seen[0]))
			seen[n++] = st.st_dev;
		close(fd);
	}
	return MKCSR_E_OK;
}

/* Makes the group durable, installs each pair, fsyncs each directory once, reports. */
static void commit_group(struct pool *pool, struct made *list, const char *stamp, struct batch_summary *sum)
{
	struct dir_set dirs = { 0 };
	enum mkcsr_err rc = MKCSR_E_OK;

	for (struct made *m = list; m != NULL; m = m->next) {
		if (m->rc == MKCSR_E_OK)
			m->rc = pairfile_stage(&m->pair, m->key_path, m->csr_path, m->key_pem, m->key_pem_len, m->csr_bytes,
					       m->csr_len, pool->s->fsync_each);
		if (m->rc != MKCSR_E_OK && m->error == NULL)
			m->error = strdup(err_detail());
		drop_bytes(m);
		if (m->rc == MKCSR_E_OK) {
			dir_set_add(&dirs, m->key_path);
			dir_set_add(&dirs, m->csr_path);
		}
	}
	if (!pool->s->fsync_each)
		rc = sync_filesystems(&dirs);
	for (struct made *m = list; m != NULL; m = m->next) {
		if (m->rc == MKCSR_E_OK)
			m->rc = rc != MKCSR_E_OK ? rc : pairfile_install(&m->pair, true, stamp);
		if (m->rc != MKCSR_E_OK && m->error == NULL)
			m->error = strdup(err_detail());
	}
	for (size_t i = 0; i < dirs.count; i++)
		pairfile_sync_dir(dirs.dirs[i]);
	dir_set_clear(&dirs);
	while (list != NULL) {
		struct made *next = list->next;

		report_made(pool->s, sum, list);
		free_made(list);
		list = next;
	}
}

/* Reports a row that needs no new pair (kept, current) or cannot have one. */
static void report_skipped(const struct batch_settings *s, const struct batch_job *job, struct batch_summary *sum)
{
	struct mkcsr_order ord;
	time_t not_after;
	enum mkcsr_err rc = row_order(s, job->row, &ord, &not_after, NULL);
	char *host = rc == MKCSR_E_OK ? host_name(&ord) : NULL;
	struct batch_host h = {
		.line = job->line,
		.host = host ? host : "",
		.status = job->action == BATCH_SKIP_KEPT ? BATCH_KEPT
			: job->action == BATCH_SKIP_CURRENT ? BATCH_CURRENT : BATCH_FAILED,
		.key_path = ord.key_path,
		.csr_path = ord.csr_path,
		.not_after = job->not_after,
	};
	char text[1024];

	if (h.status == BATCH_FAILED) {
		h.rc = MKCSR_E_EXISTS;
		snprintf(text, sizeof(text), "'%s' exists without its request '%s': --force replaces it (the key is kept aside)",
			 ord.key_path ? ord.key_path : "", ord.csr_path ? ord.csr_path : "");
		h.error = text;
	}
	tally(s, sum, &h);
	free(host);
	order_clear(&ord);
	err_clear();
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * Takes what the workers have staged, oldest first: a group of GROUP_TARGET
 * pairs, or what a tenth of a second brought, so that one syncfs and one
 * fsync per directory serve many hosts.
 */
static struct made *take_ready(struct pool *pool, bool *workers_done)
{
	struct timespec deadline;
	struct made *list, *reversed = NULL;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 100 * 1000 * 1000;
	if (deadline.tv_nsec >= 1000 * 1000 * 1000) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000 * 1000 * 1000;
	}
	pthread_mutex_lock(&pool->lock);
	while (pool->ready_count < GROUP_TARGET && pool->active > 0 && !*pool->s->stop &&
	       pthread_cond_timedwait(&pool->ready_cond, &pool->lock, &deadline) == 0)
		;
	list = pool->ready;
	pool->ready = NULL;
	pool->ready_count = 0;
	pthread_cond_broadcast(&pool->space_cond);
	*workers_done = pool->active == 0;
	pthread_mutex_unlock(&pool->lock);
	while (list != NULL) {
		struct made *next = list->next;

		list->next = reversed;
		reversed = list;
		list = next;
	}
	return reversed;
}

static void discard(struct made *list)
{
	while (list != NULL) {
		struct made *next = list->next;

		free_made(list);
		list = next;
	}
}

/* Starts up to jobs workers with the signals blocked in them: only the main thread sees a signal. */
static size_t start_workers(struct pool *pool, pthread_t *threads, size_t want)
{
	sigset_t block, old;
	size_t started = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pool->active = (unsigned)want;
	for (; started < want; started++)
		if (pthread_create(&threads[started], NULL, worker, pool) != 0)
			break;
	pthread_mutex_lock(&pool->lock);
	pool->active -= (unsigned)(want - started);  /* the workers that did start may have finished already */
	pthread_mutex_unlock(&pool->lock);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return started;
}

static size_t reported(const struct batch_summary *sum)
{
	size_t n = 0;

	for (int i = 0; i < BATCH_STATUS_COUNT_; i++)
		n += sum->count[i];
	return n;
}

static void tick(const struct batch_settings *s, const struct batch_summary *sum)
{
	struct batch_progress progress = { reported(sum), sum->total };

	if (s->on_tick != NULL)
		s->on_tick(s->arg, &progress);
}

/* The group commits, until the work is done or a signal came. */
static void commit_loop(struct pool *pool, const char *stamp, struct batch_summary *sum)
{
	bool workers_done = false;

	while (!workers_done) {
		struct made *list = take_ready(pool, &workers_done);

		if (*pool->s->stop) {
			discard(list);  /* staged, not installed: the temporary files go */
			break;
		}
		commit_group(pool, list, stamp, sum);
		tick(pool->s, sum);
	}
}

static const struct batch_job **work_list(const struct batch_plan *plan, size_t *count)
{
	const struct batch_job **work = calloc(plan->count + 1, sizeof(*work));

	*count = 0;
	for (size_t i = 0; work != NULL && i < plan->count; i++)
		if (plan->jobs[i].action <= BATCH_MAKE_REPLACE)
			work[(*count)++] = &plan->jobs[i];
	return work;
}

enum mkcsr_err batch_run(const struct batch_settings *s, const struct batch_plan *plan, struct batch_summary *out)
{
	struct pool pool = { .s = s };
	pthread_t *threads = NULL;
	size_t started = 0;
	struct timespec start;
	struct tm tm;
	char stamp[32];

	memset(out, 0, sizeof(*out));
	clock_gettime(CLOCK_MONOTONIC, &start);
	out->total = plan->count;
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime_r(&s->now, &tm));
	pool.work = work_list(plan, &pool.work_count);
	threads = calloc(s->jobs ? s->jobs : 1, sizeof(*threads));
	if (pool.work == NULL || threads == NULL) {
		free(pool.work);
		free(threads);
		return err_set(MKCSR_E_NOMEM, "starting the batch");
	}
	for (size_t i = 0; i < plan->count && !*s->stop; i++)
		if (plan->jobs[i].action > BATCH_MAKE_REPLACE)
			report_skipped(s, &plan->jobs[i], out);
	tick(s, out);
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.ready_cond, NULL);
	pthread_cond_init(&pool.space_cond, NULL);
	if (pool.work_count > 0 && !*s->stop)
		started = start_workers(&pool, threads, s->jobs < pool.work_count ? s->jobs : pool.work_count);
	if (started > 0)
		commit_loop(&pool, stamp, out);
	atomic_store(&pool.stop, true);
	pthread_mutex_lock(&pool.lock);
	pthread_cond_broadcast(&pool.space_cond);  /* a worker waiting for room after a signal */
	pthread_mutex_unlock(&pool.lock);
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	discard(pool.ready);  /* made after a signal: never installed */
	pthread_cond_destroy(&pool.ready_cond);
	pthread_cond_destroy(&pool.space_cond);
	pthread_mutex_destroy(&pool.lock);
	free(threads);
	free(pool.work);
	out->interrupted = *s->stop != 0;
	out->count[BATCH_NOT_DONE] = out->total - reported(out);
	out->seconds = seconds_since(&start);
	if (pool.work_count > 0 && started == 0 && !out->interrupted)
		return err_set(MKCSR_E_INTERNAL, "cannot start a worker thread");
	return MKCSR_E_OK;
}
