/*
 * inf: reading certreq INF files (every encoding, surrogate pairs, line
 * ends, comments, quotes, _continue_, %name% from defines and [Strings]),
 * the errors with their exact "path:line:" details, applying a file to a
 * request, and inf_write's exact text for a known request.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <strings.h>

#include <openssl/objects.h>

#include "inf.h"
#include "request.h"

/* ---- helpers ---- */

/*
 * UTF-8 text to UTF-16 (little- or big-endian) with a BOM, by hand (not
 * through iconv, which the code under test uses): code points above U+FFFF
 * become surrogate pairs.  *len receives the byte count.
 */
static unsigned char *utf16(const char *text, bool big_endian, size_t *len)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned char *out = malloc(strlen(text) * 4 + 2), *o = out;

	assert_non_null(out);
#define PUT16(u) do { unsigned u16_ = (u); if (big_endian) { *o++ = u16_ >> 8; *o++ = u16_ & 0xff; } \
			else { *o++ = u16_ & 0xff; *o++ = u16_ >> 8; } } while (0)
	PUT16(0xfeff);
	while (*p) {
		uint32_t cp;

		if (*p < 0x80) {
			cp = *p++;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
			p += 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = (uint32_t)(p[0] & 0x0f) << 12 | (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
			p += 3;
		} else {
			cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3f) << 12 | (uint32_t)(p[2] & 0x3f) << 6 |
			     (p[3] & 0x3f);
			p += 4;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			PUT16(0xd800 | (cp >> 10));
			PUT16(0xdc00 | (cp & 0x3ff));
		} else {
			PUT16(cp);
		}
	}
#undef PUT16
	*len = (size_t)(o - out);
	return out;
}

/* UTF-16LE bytes (no BOM) to UTF-8 by hand, surrogate pairs joined; malloc'ed. */
static char *from_utf16le(const unsigned char *data, size_t len)
{
	char *out = malloc(len * 2 + 1), *o = out;

	assert_non_null(out);
	assert_int_equal(len % 2, 0);
	for (size_t i = 0; i < len; i += 2) {
		uint32_t cp = data[i] | (uint32_t)data[i + 1] << 8;

		if (cp >= 0xd800 && cp < 0xdc00) {
			uint32_t low;

			assert_true(i + 3 < len);
			low = data[i + 2] | (uint32_t)data[i + 3] << 8;
			assert_true(low >= 0xdc00 && low < 0xe000);
			cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			i += 2;
		}
		if (cp < 0x80) {
			*o++ = (char)cp;
		} else if (cp < 0x800) {
			*o++ = (char)(0xc0 | cp >> 6);
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			*o++ = (char)(0xe0 | cp >> 12);
			*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		} else {
			*o++ = (char)(0xf0 | cp >> 18);
			*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
			*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
			*o++ = (char)(0x80 | (cp & 0x3f));
		}
	}
	*o = '\0';
	return out;
}

/* LF to CRLF, malloc'ed. */
static char *crlf(const char *text)
{
	char *out = malloc(strlen(text) * 2 + 1), *o = out;

	assert_non_null(out);
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			*o++ = '\r';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* The entry for section/key (case-insensitively, as the reader does), or fail. */
static const struct inf_entry *entry(const struct inf_file *inf, const char *section, const char *key)
{
	for (size_t i = 0; i < inf->count; i++)
		if (strcasecmp(inf->entries[i].section, section) == 0 && strcasecmp(inf->entries[i].key, key) == 0)
			return &inf->entries[i];
	fail_msg("no %s in [%s]", key, section);
	return NULL;
}

static void expect_entry(const struct inf_file *inf, size_t i, const char *section, const char *key, const char *value,
			 unsigned line)
{
	assert_true(i < inf->count);
	assert_string_equal(inf->entries[i].section, section);
	assert_string_equal(inf->entries[i].key, key);
	assert_string_equal(inf->entries[i].value, value);
	assert_int_equal(inf->entries[i].line, line);
}

/* inf_load of TEXT (written as NAME in dir) fails with BAD_INF and exactly "PATH:DETAIL". */
static void expect_load_error(const char *dir, const char *name, const char *text, const char *detail)
{
	char *path = unit_write_text(dir, name, text);
	struct inf_file inf;
	char *want = NULL;

	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_BAD_INF);
	assert_true(asprintf(&want, "%s%s", path, detail) > 0);
	assert_string_equal(err_detail(), want);
	/* Nothing is left to free after a failed load. */
	assert_int_equal(inf.count, 0);
	assert_null(inf.entries);
	assert_null(inf.path);
	free(want);
	free(path);
}

/* A request from a file's text: inf_load + inf_apply on a fresh request. */
static void load_and_apply(const char *dir, const char *text, struct mkcsr_request *req, struct inf_file *inf)
{
	char *path = unit_write_text(dir, "req.inf", text);

	assert_err(request_init(req), MKCSR_E_OK);
	assert_err(inf_load(path, NULL, 0, inf), MKCSR_E_OK);
	assert_err(inf_apply(inf, req), MKCSR_E_OK);
	free(path);
}

static const char hicks[] =
	"[NewRequest]\n"
	"Subject = \"CN=vpn.example.net\"\n"
	"FriendlyName = vpn.example.net\n"
	"KeyAlgorithm = ECDSA_P256\n"
	"KeyLength = 256\n"
	"MachineKeySet = True\n"
	"Exportable = True\n"
	"\n"
	"[Extensions]\n"
	"2.5.29.17 = \"{text}\"\n"
	"_continue_ = \"dns=vpn.example.net&\"\n"
	"\n"
	"[EnhancedKeyUsageExtension]\n"
	"OID=1.3.6.1.5.5.7.3.1\n";

/* What every encoding of the Hicks file must give. */
static void expect_hicks(const struct inf_file *inf)
{
	assert_int_equal(inf->count, 8);
	expect_entry(inf, 0, "NewRequest", "Subject", "CN=vpn.example.net", 2);
	expect_entry(inf, 1, "NewRequest", "FriendlyName", "vpn.example.net", 3);
	expect_entry(inf, 2, "NewRequest", "KeyAlgorithm", "ECDSA_P256", 4);
	expect_entry(inf, 3, "NewRequest", "KeyLength", "256", 5);
	expect_entry(inf, 4, "NewRequest", "MachineKeySet", "True", 6);
	expect_entry(inf, 5, "NewRequest", "Exportable", "True", 7);
	expect_entry(inf, 6, "Extensions", "2.5.29.17", "{text}dns=vpn.example.net&", 10);
	expect_entry(inf, 7, "EnhancedKeyUsageExtension", "OID", "1.3.6.1.5.5.7.3.1", 14);
	assert_int_equal(inf->comment_count, 0);
}

/* ---- decoding ---- */

static void test_decode_utf8(void **state)
{
	const char *dir = *state;
	char *text_crlf = crlf(hicks), *with_bom = NULL, *path;
	struct inf_file inf;

	/* UTF-8 without a BOM, LF. */
	path = unit_write_text(dir, "lf.inf", hicks);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_string_equal(inf.path, path);
	expect_hicks(&inf);
	inf_clear(&inf);
	assert_null(inf.entries);
	free(path);
	/* CRLF: the CRs never reach a value. */
	path = unit_write_text(dir, "crlf.inf", text_crlf);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	expect_hicks(&inf);
	inf_clear(&inf);
	free(path);
	/* UTF-8 with a BOM and CRLF. */
	assert_true(asprintf(&with_bom, "\xef\xbb\xbf%s", text_crlf) > 0);
	path = unit_write_text(dir, "bom.inf", with_bom);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	expect_hicks(&inf);
	inf_clear(&inf);
	free(path);
	free(with_bom);
	free(text_crlf);
}

static void test_decode_utf16(void **state)
{
	const char *dir = *state;
	char *text_crlf = crlf(hicks), *path;
	unsigned char *data;
	size_t len;
	struct inf_file inf;

	for (int big = 0; big <= 1; big++) {
		data = utf16(text_crlf, big, &len);
		assert_int_equal(data[0], big ? 0xfe : 0xff);
		assert_int_equal(data[1], big ? 0xff : 0xfe);
		path = unit_write_file(dir, big ? "be.inf" : "le.inf", data, len);
		assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
		expect_hicks(&inf);
		inf_clear(&inf);
		free(path);
		free(data);
	}
	free(text_crlf);
}

static void test_decode_non_ascii(void **state)
{
	const char *dir = *state;
	/* A BMP letter (U+00FC), a CJK one (U+6771) and one outside the BMP (U+1F510, a surrogate pair). */
	static const char text[] = "[NewRequest]\r\nSubject = \"CN=vpn.example.net, O=J\xc3\xbcrgen \xe6\x9d\xb1 \xf0\x9f\x94\x90\"\r\n";
	unsigned char *data;
	size_t len;
	struct inf_file inf;
	char *path;

	for (int big = 0; big <= 1; big++) {
		data = utf16(text, big, &len);
		path = unit_write_file(dir, "u.inf", data, len);
		assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
		assert_int_equal(inf.count, 1);
		expect_entry(&inf, 0, "NewRequest", "Subject", "CN=vpn.example.net, O=J\xc3\xbcrgen \xe6\x9d\xb1 \xf0\x9f\x94\x90", 2);
		inf_clear(&inf);
		free(path);
		free(data);
	}
	/* The same text as UTF-8 reads the same. */
	path = unit_write_text(dir, "u8.inf", text);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	expect_entry(&inf, 0, "NewRequest", "Subject", "CN=vpn.example.net, O=J\xc3\xbcrgen \xe6\x9d\xb1 \xf0\x9f\x94\x90", 2);
	inf_clear(&inf);
	free(path);
}

static void test_decode_errors(void **state)
{
	const char *dir = *state;
	/* "[N" in UTF-16LE, then a high surrogate followed by 'A' (no low surrogate). */
	static const unsigned char lone_high[] = { 0xff, 0xfe, '[', 0, 'N', 0, 0x00, 0xd8, 'A', 0 };
	/* A low surrogate with nothing before it. */
	static const unsigned char lone_low[] = { 0xff, 0xfe, '[', 0, 0x00, 0xdc, 'A', 0 };
	/* A high surrogate at the very end. */
	static const unsigned char cut_pair[] = { 0xfe, 0xff, 0, '[', 0xd8, 0x3d };
	/* A BOM and three bytes. */
	static const unsigned char odd[] = { 0xff, 0xfe, '[', 0, 'N' };
	/* UTF-16LE without a BOM. */
	static const unsigned char bomless[] = { '[', 0, 'N', 0, ']', 0, '\r', 0, '\n', 0 };
	/* Windows-1252 (e-acute as the single byte E9). */
	static const char latin1[] = "[NewRequest]\nSubject = \"O=Caf\xe9\"\n";
	static const struct {
		const char *name;
		const unsigned char *data;
		size_t len;
		const char *detail;
	} cases[] = {
		{ "high.inf", lone_high, sizeof(lone_high), "': not valid UTF-16 text (a broken surrogate pair?)" },
		{ "low.inf", lone_low, sizeof(lone_low), "': not valid UTF-16 text (a broken surrogate pair?)" },
		{ "cut.inf", cut_pair, sizeof(cut_pair), "': not valid UTF-16 text (a broken surrogate pair?)" },
		{ "odd.inf", odd, sizeof(odd), "': UTF-16 text of an odd number of bytes (cut short?)" },
		{ "bomless.inf", bomless, sizeof(bomless),
		  "' has NUL bytes: UTF-16 without a byte-order mark? Save it with one (as PowerShell's Out-File does) or as UTF-8" },
		{ "latin1.inf", (const unsigned char *)latin1, sizeof(latin1) - 1,
		  "' is not UTF-8 or UTF-16 text (a Windows code page? save it as UTF-8)" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = unit_write_file(dir, cases[i].name, cases[i].data, cases[i].len);
		char *want = NULL;
		struct inf_file inf;

		assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_BAD_INF);
		assert_true(asprintf(&want, "'%s%s", path, cases[i].detail) > 0);
		assert_string_equal(err_detail(), want);
		assert_null(inf.path);
		free(want);
		free(path);
	}
}

static void test_size_limit(void **state)
{
	const char *dir = *state;
	size_t len = INF_MAX_BYTES + 1;
	char *text = malloc(len), *path, *want = NULL;
	struct inf_file inf;

	assert_non_null(text);
	memset(text, ';', len);
	memcpy(text, "[NewRequest]\n", 13);
	text[len - 1] = '\n';
	path = unit_write_file(dir, "big.inf", text, len);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_BAD_INF);
	assert_true(asprintf(&want, "'%s' is 1048577 bytes: a certreq INF file is a few kilobytes (at most 1 MiB here)", path) > 0);
	assert_string_equal(err_detail(), want);
	free(want);
	free(path);
	/* Exactly 1 MiB is still read. */
	path = unit_write_file(dir, "limit.inf", text, len - 1);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_int_equal(inf.count, 0);
	assert_int_equal(inf.comment_count, 1);
	inf_clear(&inf);
	free(path);
	free(text);
}

/* ---- lines, comments, quotes, _continue_ ---- */

static void test_comments_and_quotes(void **state)
{
	const char *dir = *state;
	static const char text[] =
		"; first comment\r\n"
		"   ;   indented comment ; with a second ';'  \r\n"
		"[NewRequest] ; a comment after a section\r\n"
		"Bare = value with spaces   ; comment after a bare value\r\n"
		"Double = \"a ; b\" ; the ';' inside quotes stays\r\n"
		"Single = 'it''s \"x\"'\r\n"
		"Doubled = \"say \"\"hi\"\"\"\r\n"
		"Empty = \"\"\r\n"
		"BareEmpty =\r\n"
		"Spaced   =   \"  kept  \"   \r\n"
		"\t Tabbed\t=\tx\t\r\n"
		"Equals = a=b=c\r\n"
		"Percent = 100% sure\r\n"
		"\r\n"
		"[ Other Section ]\r\n"
		"Key = 'v'\r\n";
	char *path = unit_write_text(dir, "q.inf", text);
	struct inf_file inf;

	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_int_equal(inf.count, 11);
	expect_entry(&inf, 0, "NewRequest", "Bare", "value with spaces", 4);
	expect_entry(&inf, 1, "NewRequest", "Double", "a ; b", 5);
	expect_entry(&inf, 2, "NewRequest", "Single", "it's \"x\"", 6);
	expect_entry(&inf, 3, "NewRequest", "Doubled", "say \"hi\"", 7);
	expect_entry(&inf, 4, "NewRequest", "Empty", "", 8);
	expect_entry(&inf, 5, "NewRequest", "BareEmpty", "", 9);
	expect_entry(&inf, 6, "NewRequest", "Spaced", "  kept  ", 10);
	expect_entry(&inf, 7, "NewRequest", "Tabbed", "x", 11);
	expect_entry(&inf, 8, "NewRequest", "Equals", "a=b=c", 12);
	expect_entry(&inf, 9, "NewRequest", "Percent", "100% sure", 13);
	expect_entry(&inf, 10, "Other Section", "Key", "v", 16);
	/* Only whole-line comments are kept, trimmed, without the ';'. */
	assert_int_equal(inf.comment_count, 2);
	assert_string_equal(inf.comments[0], "first comment");
	assert_string_equal(inf.comments[1], "indented comment ; with a second ';'");
	inf_clear(&inf);
	free(path);
}

static void test_continue(void **state)
{
	const char *dir = *state;
	static const char text[] =
		"[Extensions]\n"
		"2.5.29.17 = \"{text}\"\n"
		"_continue_ = \"dns=a.example.net&\"\n"
		"; a comment between continuation lines\n"
		"\n"
		"_CONTINUE_ = 'dns=b.example.net&'\n"
		"_Continue_ = ipaddress=192.0.2.1 ; bare, with a comment\n"
		"2.5.29.37 = \"{text}1.3.6.1.5.5.7.3.1,\"\n"
		"_continue_ = \"1.3.6.1.5.5.7.3.2\"\n";
	char *path = unit_write_text(dir, "c.inf", text);
	struct inf_file inf;

	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_int_equal(inf.count, 2);
	/* Joined as they are, keeping the line of the first. */
	expect_entry(&inf, 0, "Extensions", "2.5.29.17", "{text}dns=a.example.net&dns=b.example.net&ipaddress=192.0.2.1", 2);
	expect_entry(&inf, 1, "Extensions", "2.5.29.37", "{text}1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2", 8);
	inf_clear(&inf);
	free(path);
}

static void test_line_errors(void **state)
{
	const char *dir = *state;

	expect_load_error(dir, "e1.inf", "[Version]\r\nSignature = \"$Windows NT$\"\r\n[NewRequest\r\nSubject = \"CN=a\"\r\n",
			  ":3: expected ']' to close the section name");
	expect_load_error(dir, "e2.inf", "[NewRequest]\nKeyLength = 256\nSubject = \"CN=a\n",
			  ":3: the value has no closing \"");
	expect_load_error(dir, "e3.inf", "[NewRequest]\nSubject = 'CN=a\n", ":2: the value has no closing '");
	expect_load_error(dir, "e4.inf", "[NewRequest]\nSubject = \"CN=a\" trailing\n", ":2: text after the closing quote: 'trailing'");
	expect_load_error(dir, "e5.inf", "; comment\nSubject = \"CN=a\"\n", ":2: 'Subject' stands before any [section]");
	expect_load_error(dir, "e6.inf", "[NewRequest]\nSubject\n", ":2: expected KEY = VALUE, found 'Subject'");
	expect_load_error(dir, "e7.inf", "[NewRequest]\n\"Subject\" = x\n", ":2: expected KEY = VALUE, found '\"Subject\" = x'");
	expect_load_error(dir, "e8.inf", "[NewRequest]\n  = x\n", ":2: a key is missing before '='");
	expect_load_error(dir, "e9.inf", "[]\n", ":1: expected a section name between '[' and ']'");
	expect_load_error(dir, "e10.inf", "[NewRequest] junk\n", ":1: text after the section name: 'junk'");
	expect_load_error(dir, "e11.inf", "[NewRequest]\n_continue_ = \"x\"\n",
			  ":2: _continue_ has no line before it in [NewRequest] to continue");
	expect_load_error(dir, "e12.inf", "[NewRequest]\nSubject = \"CN=a\"\n[Extensions]\n_continue_ = \"dns=a&\"\n",
			  ":4: _continue_ has no line before it in [Extensions] to continue");
	/* A section name of 127 characters is read; 128 is too long. */
	{
		char text[300];
		char *path;
		struct inf_file inf;

		snprintf(text, sizeof(text), "[%0127d]\nk = v\n", 0);
		path = unit_write_text(dir, "long.inf", text);
		assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
		assert_int_equal(strlen(inf.entries[0].section), 127);
		inf_clear(&inf);
		free(path);
		snprintf(text, sizeof(text), "[%0128d]\nk = v\n", 0);
		expect_load_error(dir, "toolong.inf", text, ":1: expected a section name between '[' and ']'");
	}
}

/* ---- %name% ---- */

static void test_strings(void **state)
{
	const char *dir = *state;
	static const char text[] =
		"[NewRequest]\n"
		"Subject = \"CN=%host%, O=%Org%, OU=%org%-%ORG%\"\n"
		"FriendlyName = '%Label% %not a name% %% 100%'\n"
		"Trailing = \"50%\"\n"
		"Defined = %From_Define%\n"
		"[strings]\n"
		"HOST = \"file.example.net\"\n"
		"Org = 'Example'\n"
		"Label = '%host% (not substituted inside [Strings])'\n"
		"From_Define = 'from the file'\n";
	static const struct inf_define defines[] = {
		{ "from_define", "from the command line" },
	};
	static const struct inf_define host[] = {
		{ "HOST", "cli.example.net" },
		{ "from_define", "x" },
	};
	char *path = unit_write_text(dir, "s.inf", text);
	struct inf_file inf;

	/* [Strings] alone, names case-insensitive, a define before the file's value; %% is one percent sign. */
	assert_err(inf_load(path, defines, 1, &inf), MKCSR_E_OK);
	assert_string_equal(entry(&inf, "NewRequest", "Subject")->value, "CN=file.example.net, O=Example, OU=Example-Example");
	assert_string_equal(entry(&inf, "NewRequest", "FriendlyName")->value,
			    "%host% (not substituted inside [Strings]) %not a name% % 100%");
	assert_string_equal(entry(&inf, "NewRequest", "Trailing")->value, "50%");
	assert_string_equal(entry(&inf, "NewRequest", "Defined")->value, "from the command line");
	assert_string_equal(entry(&inf, "Strings", "Label")->value, "%host% (not substituted inside [Strings])");
	/* The line of a substituted entry is kept. */
	assert_int_equal(entry(&inf, "NewRequest", "Subject")->line, 2);
	inf_clear(&inf);
	/* HOST from --host wins over the file's. */
	assert_err(inf_load(path, host, 2, &inf), MKCSR_E_OK);
	assert_string_equal(entry(&inf, "NewRequest", "Subject")->value, "CN=cli.example.net, O=Example, OU=Example-Example");
	assert_string_equal(entry(&inf, "NewRequest", "Defined")->value, "x");
	inf_clear(&inf);
	free(path);

	/* An undefined name: the line, and what to give. */
	expect_load_error(dir, "u1.inf", "[NewRequest]\nKeyLength = 256\nSubject = \"CN=%HOST%\"\n",
			  ":3: %HOST% is not defined in [Strings] (give --host)");
	expect_load_error(dir, "u2.inf", "[Strings]\nA = b\n[Extensions]\n2.5.29.17 = \"{text}dns=%A%&dns=%NOPE%\"\n",
			  ":4: %NOPE% is not defined in [Strings] (or give --set NAME=VALUE)");
	/* A name that is only a prefix of HOST is not HOST. */
	expect_load_error(dir, "u3.inf", "[NewRequest]\nSubject = \"CN=%HOS%\"\n",
			  ":2: %HOS% is not defined in [Strings] (or give --set NAME=VALUE)");
}

static void test_comment_value(void **state)
{
	const char *dir = *state;
	char *path = unit_write_text(dir, "t.inf",
				"; mkcsr-role: nps\n; mkcsr-summary:   NPS server, more text: here  \n"
				"; mkcsr-needs:HOST\n;mkcsr-rolex: no\n[NewRequest]\nSubject = \"CN=%HOST%\"\n");
	static const struct inf_define host[] = { { "HOST", "nps.example.net" } };
	struct inf_file inf;

	assert_err(inf_load(path, host, 1, &inf), MKCSR_E_OK);
	assert_string_equal(inf_comment_value(&inf, "mkcsr-role"), "nps");
	assert_string_equal(inf_comment_value(&inf, "MKCSR-SUMMARY"), "NPS server, more text: here");
	assert_string_equal(inf_comment_value(&inf, "mkcsr-needs"), "HOST");
	assert_null(inf_comment_value(&inf, "mkcsr-rol"));
	assert_null(inf_comment_value(&inf, "mkcsr-missing"));
	inf_clear(&inf);
	free(path);
}

/* ---- applying ---- */

static void test_apply_hicks(void **state)
{
	struct mkcsr_request req;
	struct inf_file inf;
	char *note = NULL;

	load_and_apply(*state, hicks, &req, &inf);
	assert_int_equal(req.subject.count, 1);
	assert_string_equal(subject_get(&req.subject, NID_commonName), "vpn.example.net");
	assert_int_equal(req.name_count, 1);
	assert_int_equal(req.names[0].type, MKCSR_NAME_DNS);
	assert_string_equal(req.names[0].value, "vpn.example.net");
	assert_true(req.names_from_base);
	assert_int_equal(req.key.alg, MKCSR_KEY_EC);
	assert_int_equal(req.key.bits, 256);
	assert_null(req.hash);
	assert_int_equal(req.eku_count, 1);
	assert_string_equal(req.ekus[0], "1.3.6.1.5.5.7.3.1");
	/* A command-line --eku replaces the file's list. */
	assert_true(req.ekus_defaulted);
	assert_int_equal(req.key_usage, 0);
	assert_false(req.san_critical);
	assert_false(req.eku_critical);
	assert_true(req.subject_key_id);
	assert_int_equal(req.warning_count, 0);
	assert_int_equal(req.note_count, 3);
	assert_true(asprintf(&note, "%s:3: FriendlyName = vpn.example.net is a property of the key inside a Windows key store; "
				    "it does not apply to a request made here", inf.path) > 0);
	assert_string_equal(req.notes[0], note);
	free(note);
	assert_true(asprintf(&note, "%s:7: Exportable = True is a property of the key inside a Windows key store; "
				    "it does not apply to a request made here", inf.path) > 0);
	assert_string_equal(req.notes[2], note);
	free(note);
	inf_clear(&inf);
	request_clear(&req);
}

static void test_apply_everything(void **state)
{
	static const char text[] =
		"[newrequest]\n"
		"subject = \"CN=www.contoso.com, OU=Web, O=Contoso, L=Redmond, S=Washington, C=US\"\n"
		"keyalgorithm = rsa\n"
		"keylength = 3072\n"
		"hashalgorithm = SHA384\n"
		"keyusage = \"CERT_DIGITAL_SIGNATURE_KEY_USAGE | CERT_KEY_ENCIPHERMENT_KEY_USAGE | 0x10\"\n"
		"suppressdefaults = true\n"
		"requesttype = pkcs10\n"
		"Frobnicate = yes\n"
		"[EXTENSIONS]\n"
		"2.5.29.17 = \"{CRITICAL}{TEXT}DNS=www.contoso.com&IPAddress=192.0.2.7&email=a@contoso.com&UPN=svc@contoso.com\"\n"
		"2.5.29.37 = \"{text}1.3.6.1.5.5.7.3.1, 1.3.6.1.5.5.7.3.2\"\n"
		"Critical = 2.5.29.37, 2.5.29.19\n"
		"1.2.3.4 = \"{text}x\"\n"
		"[enhancedkeyusageextension]\n"
		"oid = 1.3.6.1.5.5.8.2.2\n"
		"oid = 1.3.6.1.5.5.7.3.1\n"
		"Other = 1\n"
		"[RequestAttributes]\n"
		"CertificateTemplate = WebServer\n"
		"[Unknown]\n"
		"A = b\n";
	struct mkcsr_request req;
	struct inf_file inf;
	char *subject, *want = NULL;

	load_and_apply(*state, text, &req, &inf);
	subject = subject_format(&req.subject);
	assert_string_equal(subject, "CN=www.contoso.com, OU=Web, O=Contoso, L=Redmond, ST=Washington, C=US");
	free(subject);
	assert_int_equal(req.name_count, 4);
	assert_int_equal(req.names[0].type, MKCSR_NAME_DNS);
	assert_int_equal(req.names[1].type, MKCSR_NAME_IP);
	assert_string_equal(req.names[1].value, "192.0.2.7");
	assert_int_equal(req.names[2].type, MKCSR_NAME_EMAIL);
	assert_int_equal(req.names[3].type, MKCSR_NAME_UPN);
	assert_string_equal(req.names[3].value, "svc@contoso.com");
	assert_int_equal(req.key.alg, MKCSR_KEY_RSA);
	assert_int_equal(req.key.bits, 3072);
	assert_string_equal(req.hash, "SHA384");
	assert_int_equal(req.key_usage, 1u << KU_BIT_DIGITAL_SIGNATURE | 1u << KU_BIT_KEY_ENCIPHERMENT |
						1u << KU_BIT_DATA_ENCIPHERMENT);
	assert_false(req.subject_key_id);
	assert_true(req.san_critical);
	assert_true(req.eku_critical);
	/* Both EKU sources, in file order, without duplicates. */
	assert_int_equal(req.eku_count, 3);
	assert_string_equal(req.ekus[0], "1.3.6.1.5.5.7.3.1");
	assert_string_equal(req.ekus[1], "1.3.6.1.5.5.7.3.2");
	assert_string_equal(req.ekus[2], "1.3.6.1.5.5.8.2.2");
	/* Everything not understood is a warning naming the line. */
	assert_int_equal(req.warning_count, 5);
#define WARNING(i, fmt) do { assert_true(asprintf(&want, "%s" fmt, inf.path) > 0); \
	assert_string_equal(req.warnings[i], want); free(want); } while (0)
	WARNING(0, ":9: unknown key Frobnicate in [NewRequest], ignored");
	WARNING(1, ":13: Critical = 2.5.29.19: no such extension is requested here, ignored");
	WARNING(2, ":14: extension 1.2.3.4 is not requested by mkcsr (it reads SAN 2.5.29.17 and EKU 2.5.29.37); left out");
	WARNING(3, ":18: unknown key Other in [EnhancedKeyUsageExtension], ignored");
	WARNING(4, ":22: section [Unknown] is not read by mkcsr; A = ... ignored");
#undef WARNING
	assert_int_equal(req.note_count, 1);
	assert_true(asprintf(&want, "%s:20: request attribute CertificateTemplate = WebServer is not written; the CA decides",
			     inf.path) > 0);
	assert_string_equal(req.notes[0], want);
	free(want);
	inf_clear(&inf);
	request_clear(&req);
}

static void test_apply_key_algorithms(void **state)
{
	static const struct {
		const char *lines;
		enum mkcsr_key_alg alg;
		unsigned bits;
	} cases[] = {
		{ "", MKCSR_KEY_RSA, 2048 },  /* certreq's default algorithm, at mkcsr's smallest size */
		{ "KeyLength = 4096\n", MKCSR_KEY_RSA, 4096 },
		{ "KeyAlgorithm = ECDSA_P256\n", MKCSR_KEY_EC, 256 },
		{ "KeyAlgorithm = ecdsa_p384\nKeyLength = 384\n", MKCSR_KEY_EC, 384 },
		{ "KeyAlgorithm = Ecdsa_P521\n", MKCSR_KEY_EC, 521 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mkcsr_request req;
		struct inf_file inf;
		char *text = NULL;

		assert_true(asprintf(&text, "[NewRequest]\nSubject = \"CN=a.example.net\"\n%s", cases[i].lines) > 0);
		load_and_apply(*state, text, &req, &inf);
		assert_int_equal(req.key.alg, cases[i].alg);
		assert_int_equal(req.key.bits, cases[i].bits);
		inf_clear(&inf);
		request_clear(&req);
		free(text);
	}
}

/* inf_apply of TEXT fails with BAD_INF and exactly "PATH" DETAIL. */
static void expect_apply_error(const char *dir, const char *text, const char *detail)
{
	char *path = unit_write_text(dir, "bad.inf", text), *want = NULL;
	struct mkcsr_request req;
	struct inf_file inf;

	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_err(inf_apply(&inf, &req), MKCSR_E_BAD_INF);
	assert_true(asprintf(&want, "%s%s", path, detail) > 0);
	assert_string_equal(err_detail(), want);
	free(want);
	inf_clear(&inf);
	request_clear(&req);
	free(path);
}

static void test_apply_errors(void **state)
{
	const char *dir = *state;

	expect_apply_error(dir, "[Version]\nSignature = x\n", ": no [NewRequest] section: this is not a certreq request file");
	expect_apply_error(dir, "[NewRequest]\nSubject = \"CN=a\"\nRequestType = CMC\n",
			   ":3: RequestType = CMC: mkcsr makes PKCS10 requests only");
	expect_apply_error(dir, "[NewRequest]\nHashAlgorithm = sha1\n", ":2: HashAlgorithm = sha1: CAs refuse sha1 signatures; use sha256");
	expect_apply_error(dir, "[NewRequest]\nKeyUsage = CERT_FOO_KEY_USAGE | 0x80\n",
			   ":2: KeyUsage: unknown name 'CERT_FOO_KEY_USAGE' (expected 0xa0 or names such as "
			   "CERT_DIGITAL_SIGNATURE_KEY_USAGE joined by '|')");
	expect_apply_error(dir, "[NewRequest]\nKeyUsage = 0x80 | 0x10000\n", ":2: KeyUsage: '0x10000' is not a key usage value");
	expect_apply_error(dir, "[NewRequest]\nKeyAlgorithm = ECDH_P256\n",
			   ":2: KeyAlgorithm = ECDH_P256 makes a key that cannot sign a request; use ECDSA_P256");
	expect_apply_error(dir, "[NewRequest]\nKeyAlgorithm = ECDSA_P192\n",
			   ":2: ECDSA_P192 keys are not made here (choose one of ec:P-256, ec:P-384, ec:P-521, "
			   "rsa:2048, rsa:3072, rsa:4096)");
	expect_apply_error(dir, "[NewRequest]\nSubject = \"CN=a\"\n[Extensions]\n2.5.29.17 = \"{text}\"\n_continue_ = \"dns=a.example.net&\"\n"
				"_continue_ = \"url=http://a.example.net/&\"\n",
			   ":4: unknown SAN type 'url' (mkcsr requests dns=, ipaddress=, email= and upn= names)");
	expect_apply_error(dir, "[NewRequest]\n[Extensions]\n2.5.29.17 = \"dns=a.example.net\"\n",
			   ":3: 2.5.29.17: only \"{text}...\" values are read (found 'dns=a.example.net'); {hex} and Base64 values are not");
	expect_apply_error(dir, "[NewRequest]\n[Extensions]\n2.5.29.37 = \"{critical}{text}1.3.6.1.5.5.7.3.1,serverAuthX\"\n",
			   ":3: unknown extended key usage: 'serverAuthX'");
	expect_apply_error(dir, "[NewRequest]\nSubject = \"CN=a, C=USA\"\n",
			   ":2: invalid subject: C='USA' must be a two-letter ISO 3166 country code such as US");
}

/* ---- writing ---- */

/* A request with every kind of value, finalized as mkcsr new does. */
static void known_request(struct mkcsr_request *req)
{
	assert_err(request_init(req), MKCSR_E_OK);
	assert_err(request_set_host(req, "vpn.example.net"), MKCSR_E_OK);
	assert_err(request_add_san(req, "ip:192.0.2.1"), MKCSR_E_OK);
	assert_err(request_add_san(req, "email:admin@example.net"), MKCSR_E_OK);
	assert_err(request_add_san(req, "upn:svc@corp.example"), MKCSR_E_OK);
	assert_err(request_set_subject(req, "O=Example \"Q\" Ltd, OU=IT\\, Ops, C=US"), MKCSR_E_OK);
	assert_err(request_set_key_type(req, "rsa:3072"), MKCSR_E_OK);
	assert_err(request_set_hash(req, "sha384"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "serverAuth"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "ikeIntermediate"), MKCSR_E_OK);
	assert_err(request_add_eku(req, "1.3.6.1.4.1.311.10.3.4"), MKCSR_E_OK);
	assert_err(request_set_key_usage(req, "digitalSignature,keyEncipherment"), MKCSR_E_OK);
	assert_err(request_finalize(req), MKCSR_E_OK);
}

static const char known_text[] =
	"; certreq request file written by mkcsr.\r\n"
	"; On the Windows server, in the folder of this file: certreq -new THIS-FILE.inf request.csr\r\n"
	"\r\n"
	"[Version]\r\n"
	"Signature = \"$Windows NT$\"\r\n"
	"\r\n"
	"[NewRequest]\r\n"
	"Subject = \"CN=vpn.example.net, O=\"\"Example \"\"\"\"Q\"\"\"\" Ltd\"\", OU=\"\"IT, Ops\"\", C=US\"\r\n"
	"KeyAlgorithm = RSA\r\n"
	"KeyLength = 3072\r\n"
	"HashAlgorithm = sha384\r\n"
	"KeyUsage = 0xa0\r\n"
	"MachineKeySet = TRUE\r\n"
	"Exportable = TRUE\r\n"
	"ProviderName = \"Microsoft Software Key Storage Provider\"\r\n"
	"RequestType = PKCS10\r\n"
	"\r\n"
	"[Extensions]\r\n"
	"2.5.29.17 = \"{text}\"\r\n"
	"_continue_ = \"dns=vpn.example.net&\"\r\n"
	"_continue_ = \"ipaddress=192.0.2.1&\"\r\n"
	"_continue_ = \"email=admin@example.net&\"\r\n"
	"_continue_ = \"upn=svc@corp.example&\"\r\n"
	"\r\n"
	"[EnhancedKeyUsageExtension]\r\n"
	"OID = 1.3.6.1.5.5.7.3.1 ; Server Authentication\r\n"
	"OID = 1.3.6.1.5.5.8.2.2 ; IP security IKE intermediate\r\n"
	"OID = 1.3.6.1.4.1.311.10.3.4\r\n";

static void test_write_utf16(void **state)
{
	struct mkcsr_request req;
	unsigned char *data = NULL;
	size_t len = 0;
	char *text;

	(void)state;
	known_request(&req);
	assert_err(inf_write(&req, INF_UTF16LE, &data, &len), MKCSR_E_OK);
	assert_true(len > 2);
	assert_int_equal(data[0], 0xff);
	assert_int_equal(data[1], 0xfe);
	/* Two bytes for every character of the (ASCII) text, and nothing after it. */
	assert_int_equal(len, 2 + 2 * strlen(known_text));
	text = from_utf16le(data + 2, len - 2);
	assert_string_equal(text, known_text);
	free(text);
	free(data);
	request_clear(&req);
}

static void test_write_utf8(void **state)
{
	struct mkcsr_request req;
	unsigned char *data = NULL;
	size_t len = 0;

	(void)state;
	known_request(&req);
	assert_err(inf_write(&req, INF_UTF8, &data, &len), MKCSR_E_OK);
	assert_int_equal(len, 3 + strlen(known_text));
	assert_memory_equal(data, "\xef\xbb\xbf", 3);
	assert_memory_equal(data + 3, known_text, strlen(known_text));
	free(data);
	request_clear(&req);
}

static void test_write_non_ascii(void **state)
{
	struct mkcsr_request req;
	unsigned char *data = NULL;
	size_t len = 0;
	char *text;

	(void)state;
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_host(&req, "vpn.example.net"), MKCSR_E_OK);
	assert_err(request_set_subject(&req, "O=J\xc3\xbcrgen \xf0\x9f\x94\x90"), MKCSR_E_OK);
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_err(inf_write(&req, INF_UTF16LE, &data, &len), MKCSR_E_OK);
	/* U+1F510 is a surrogate pair in the file. */
	text = from_utf16le(data + 2, len - 2);
	assert_non_null(strstr(text, "Subject = \"CN=vpn.example.net, O=J\xc3\xbcrgen \xf0\x9f\x94\x90\"\r\n"));
	free(text);
	assert_non_null(memmem(data, len, "\x3d\xd8\x10\xdd", 4));
	free(data);
	request_clear(&req);
}

static void test_write_flags(void **state)
{
	struct mkcsr_request req;
	unsigned char *data = NULL;
	size_t len = 0;
	char *text;

	(void)state;
	/* ECDSA P-521 with its hash, digitalSignature, both criticalities, no SKI. */
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_host(&req, "vpn.example.net"), MKCSR_E_OK);
	assert_err(request_set_key_type(&req, "ec:P-521"), MKCSR_E_OK);
	assert_err(request_set_key_usage(&req, "digitalSignature"), MKCSR_E_OK);
	req.san_critical = true;
	req.eku_critical = true;
	req.subject_key_id = false;
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_err(inf_write(&req, INF_UTF8, &data, &len), MKCSR_E_OK);
	text = strndup((const char *)data + 3, len - 3);
	assert_non_null(strstr(text, "[NewRequest]\r\n"
				     "Subject = \"CN=vpn.example.net\"\r\n"
				     "KeyAlgorithm = ECDSA_P521\r\n"
				     "KeyLength = 521\r\n"
				     "HashAlgorithm = sha512\r\n"
				     "KeyUsage = 0x80\r\n"
				     "SuppressDefaults = TRUE\r\n"
				     "MachineKeySet = TRUE\r\n"));
	assert_non_null(strstr(text, "_continue_ = \"dns=vpn.example.net&\"\r\n"
				     "Critical = 2.5.29.17,2.5.29.37\r\n"
				     "\r\n"
				     "[EnhancedKeyUsageExtension]\r\n"
				     "OID = 1.3.6.1.5.5.7.3.1 ; Server Authentication\r\n"));
	free(text);
	free(data);
	request_clear(&req);

	/* No SAN: a critical EKU is still said (the [Extensions] section holds only Critical). */
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_subject(&req, "CN=vpn.example.net"), MKCSR_E_OK);
	req.eku_critical = true;
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_err(inf_write(&req, INF_UTF8, &data, &len), MKCSR_E_OK);
	text = strndup((const char *)data + 3, len - 3);
	assert_non_null(strstr(text, "RequestType = PKCS10\r\n"
				     "\r\n"
				     "[Extensions]\r\n"
				     "Critical = 2.5.29.37\r\n"
				     "\r\n"
				     "[EnhancedKeyUsageExtension]\r\n"));
	free(text);
	free(data);
	request_clear(&req);

	/* No usage at all (--minimal): no [EnhancedKeyUsageExtension], no KeyUsage line. */
	assert_err(request_init(&req), MKCSR_E_OK);
	assert_err(request_set_host(&req, "vpn.example.net"), MKCSR_E_OK);
	req.minimal = true;
	assert_err(request_finalize(&req), MKCSR_E_OK);
	assert_err(inf_write(&req, INF_UTF8, &data, &len), MKCSR_E_OK);
	text = strndup((const char *)data + 3, len - 3);
	assert_null(strstr(text, "EnhancedKeyUsageExtension"));
	assert_null(strstr(text, "KeyUsage"));
	assert_null(strstr(text, "Critical"));
	assert_non_null(strstr(text, "SuppressDefaults = TRUE\r\n"));
	{
		static const char last[] = "\r\n[Extensions]\r\n2.5.29.17 = \"{text}\"\r\n_continue_ = \"dns=vpn.example.net&\"\r\n";

		/* The file ends with the SAN. */
		assert_true(strlen(text) > sizeof(last));
		assert_string_equal(text + strlen(text) - (sizeof(last) - 1), last);
	}
	free(text);
	free(data);
	request_clear(&req);
}

/* What inf_write writes, inf_load + inf_apply read back as the same request. */
static void test_write_read_back(void **state)
{
	const char *dir = *state;
	struct mkcsr_request req, back;
	struct inf_file inf;
	unsigned char *data = NULL, *again = NULL;
	size_t len = 0, again_len = 0;
	char *path, *a, *b;

	known_request(&req);
	req.san_critical = true;
	assert_err(inf_write(&req, INF_UTF16LE, &data, &len), MKCSR_E_OK);
	path = unit_write_file(dir, "written.inf", data, len);
	assert_err(request_init(&back), MKCSR_E_OK);
	assert_err(inf_load(path, NULL, 0, &inf), MKCSR_E_OK);
	assert_err(inf_apply(&inf, &back), MKCSR_E_OK);
	assert_err(request_finalize(&back), MKCSR_E_OK);
	a = subject_format(&req.subject);
	b = subject_format(&back.subject);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(back.name_count, req.name_count);
	for (size_t i = 0; i < req.name_count; i++) {
		assert_int_equal(back.names[i].type, req.names[i].type);
		assert_string_equal(back.names[i].value, req.names[i].value);
	}
	assert_int_equal(back.eku_count, req.eku_count);
	for (size_t i = 0; i < req.eku_count; i++)
		assert_string_equal(back.ekus[i], req.ekus[i]);
	assert_int_equal(back.key.alg, req.key.alg);
	assert_int_equal(back.key.bits, req.key.bits);
	assert_string_equal(back.hash, req.hash);
	assert_int_equal(back.key_usage, req.key_usage);
	assert_true(back.san_critical);
	assert_false(back.eku_critical);
	assert_int_equal(back.subject_key_id, req.subject_key_id);
	assert_int_equal(back.warning_count, 0);
	/* The store settings it writes for certreq are notes when read back. */
	assert_int_equal(back.note_count, 3);
	/* And written again, the same bytes. */
	assert_err(inf_write(&back, INF_UTF16LE, &again, &again_len), MKCSR_E_OK);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, data, len);
	free(again);
	inf_clear(&inf);
	request_clear(&back);
	request_clear(&req);
	free(data);
	free(path);
}

static void test_parse_encoding(void **state)
{
	enum inf_encoding enc = INF_UTF8;

	(void)state;
	assert_err(inf_parse_encoding("utf-16", &enc), MKCSR_E_OK);
	assert_int_equal(enc, INF_UTF16LE);
	assert_err(inf_parse_encoding("UTF-8", &enc), MKCSR_E_OK);
	assert_int_equal(enc, INF_UTF8);
	assert_err(inf_parse_encoding("UTF16LE", &enc), MKCSR_E_BAD_FORMAT);
	assert_err(inf_parse_encoding("utf-16le", &enc), MKCSR_E_OK);
	assert_int_equal(enc, INF_UTF16LE);
	assert_err(inf_parse_encoding("utf8", &enc), MKCSR_E_OK);
	assert_int_equal(enc, INF_UTF8);
	assert_err(inf_parse_encoding("utf-16be", &enc), MKCSR_E_BAD_FORMAT);
	assert_string_equal(err_detail(), "--inf-encoding 'utf-16be': use utf-16 (the default) or utf-8");
	assert_err(inf_parse_encoding("", &enc), MKCSR_E_BAD_FORMAT);
}

#define T(name) cmocka_unit_test_setup_teardown(name, unit_setup_tempdir, unit_teardown_tempdir)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_decode_utf8),
		T(test_decode_utf16),
		T(test_decode_non_ascii),
		T(test_decode_errors),
		T(test_size_limit),
		T(test_comments_and_quotes),
		T(test_continue),
		T(test_line_errors),
		T(test_strings),
		T(test_comment_value),
		T(test_apply_hicks),
		T(test_apply_everything),
		T(test_apply_key_algorithms),
		T(test_apply_errors),
		T(test_write_utf16),
		T(test_write_utf8),
		T(test_write_non_ascii),
		T(test_write_flags),
		T(test_write_read_back),
		T(test_parse_encoding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
