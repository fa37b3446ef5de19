/*
 * Unit tests: the language coach (core/language.c) with the shipped
 * dictionary (data/language.json, parsed by interop/language_json.c):
 * every entry found in a sentence with its suggestion and category, in
 * any case and across line breaks; word boundaries; offsets in code
 * points; quoted speech; every exception (organisations and payers'
 * phrases); the longest match; the dictionary's own checks; storing a
 * new version and picking up one stored by another server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "access/actor.h"
#include "access/audit.h"
#include "core/language.h"
#include "interop/language_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "tmpdb.h"

static struct lang_dict *dict;		/* the shipped dictionary */
static struct lang_dict *bare;		/* the same without exceptions */

static json_t *
shipped_json(void)
{
	const struct asset *a = asset_find(data_assets, "/language.json");
	json_error_t jerr;
	json_t *j;

	if (a == NULL)
		return NULL;
	j = json_loadb((const char *)a->data, a->len, JSON_REJECT_DUPLICATES,
	    &jerr);
	if (j == NULL)
		fprintf(stderr, "language.json: line %d: %s\n", jerr.line,
		    jerr.text);
	return j;
}

static int
group_setup(void **state)
{
	json_t *j = shipped_json();
	struct verr v;
	int i;

	(void)state;
	log_quiet(1);
	if (j == NULL)
		return -1;
	verr_init(&v);
	if (language_parse(j, &dict, &v) != ERR_OK) {
		for (i = 0; i < v.n; i++)
			fprintf(stderr, "language.json: %s %s\n", v.e[i].field,
			    v.e[i].message);
		json_decref(j);
		return -1;
	}
	json_object_del(j, "exceptions");
	verr_init(&v);
	if (language_parse(j, &bare, &v) != ERR_OK) {
		json_decref(j);
		return -1;
	}
	json_decref(j);
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	lang_dict_free(dict);
	lang_dict_free(bare);
	lang_dict_install(NULL);
	return 0;
}

/* Findings of d in s, as "start-end:term|..." for comparison. Static;
 * valid until the next call. */
static const char *
found(const struct lang_dict *d, const char *s)
{
	static char out[8192];
	struct lang_finding *f;
	size_t used = 0;
	int n, i;

	lang_match(d, s, strlen(s), &f, &n);
	out[0] = '\0';
	for (i = 0; i < n && used < sizeof out; i++)
		used += (size_t)snprintf(out + used, sizeof out - used,
		    "%s%zu-%zu:%s", i ? "|" : "", f[i].start, f[i].end,
		    d->entries[f[i].entry].term);
	free(f);
	return out;
}

#define assert_found(d, text, want) do {				\
		const char *got_ = found((d), (text));			\
		if (strcmp(got_, (want)) != 0)				\
			fail_msg("%s\n  want: %s\n  got:  %s", (text),	\
			    (want), got_);				\
	} while (0)

static int
entry_index(const char *term)
{
	int i;

	for (i = 0; i < dict->nentries; i++)
		if (strcmp(dict->entries[i].term, term) == 0)
			return i;
	return -1;
}

static size_t
cps(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The terms REFERENCE.md section 7 and the issue name, and more. */
static void
test_shipped_covers_the_table(void **state)
{
	static const char *const stigmatising[] = {
		"addict", "addicts", "junkie", "drug user", "substance abuser",
		"drug abuser", "alcoholic", "drunk", "former addict",
		"reformed addict", "former alcoholic", "drug habit",
		"drug problem", "substance abuse", "drug abuse", "got clean",
		"stayed clean", "been dirty", "clean drug screen",
		"dirty drug screen", "clean urine", "dirty urine",
		"opioid replacement", "methadone maintenance",
		"substitution therapy", "relapse", "relapsed", "relapsing",
		"relapse prevention", "getting high", "strung out", "tweaking",
		"mentally ill", "is schizophrenic", "is bipolar",
		"suffering from", "victim of", "struggling with",
		"committed suicide", "successful suicide", "failed suicide",
		"unsuccessful suicide", "non-compliant", "noncompliant",
		"refused", "resistant", "unmotivated", "manipulative",
		"attention seeking", "acting out", "frequent flyer",
		"dangerous", "unrealistic", "poor judgement", "enabling",
		"homeless person", "failed treatment", "caseload",
	};
	static const char *const clinical[] = {
		"diagnosed with", "diagnose", "diagnosed", "prescribe",
		"prescribed", "symptoms of", "patient", "patients",
		"treatment plan",
	};
	size_t i;
	int k;

	(void)state;
	assert_string_equal(dict->version, "2026.1");
	assert_true(dict->nentries >= 150);
	for (i = 0; i < sizeof stigmatising / sizeof stigmatising[0]; i++) {
		if ((k = entry_index(stigmatising[i])) < 0)
			fail_msg("no entry for \"%s\"", stigmatising[i]);
		assert_int_equal(dict->entries[k].category, LANG_STIGMATISING);
	}
	for (i = 0; i < sizeof clinical / sizeof clinical[0]; i++) {
		if ((k = entry_index(clinical[i])) < 0)
			fail_msg("no entry for \"%s\"", clinical[i]);
		assert_int_equal(dict->entries[k].category,
		    LANG_CLINICAL_SCOPE);
	}
	k = entry_index("addict");
	assert_string_equal(dict->entries[k].suggestion,
	    "person with a substance use disorder");
	k = entry_index("patient");
	assert_string_equal(dict->entries[k].suggestion, "person");
	k = entry_index("treatment plan");
	assert_string_equal(dict->entries[k].suggestion, "recovery plan");
	k = entry_index("caseload");
	assert_string_equal(dict->entries[k].suggestion, "people I support");
	k = entry_index("committed suicide");
	assert_string_equal(dict->entries[k].suggestion, "died by suicide");
	for (k = 0; k < dict->nentries; k++) {
		assert_true(*dict->entries[k].why != '\0');
		assert_true(*dict->entries[k].source != '\0');
	}
}

/* Every entry, in a sentence, as written, in capitals and with its words
 * split across a line break: found once, at the right code points, with
 * its own suggestion and category. */
static void
test_every_entry(void **state)
{
	struct lang_finding *f;
	char text[512], upper[512];
	struct buf split;
	size_t at = cps("Today: we noted that "), i, len;
	int k, n;

	(void)state;
	for (k = 0; k < dict->nentries; k++) {
		const struct lang_entry *e = &dict->entries[k];

		snprintf(text, sizeof text, "Today: we noted that %s (see "
		    "below).", e->term);
		lang_match(dict, text, strlen(text), &f, &n);
		if (n != 1 || f[0].entry != k)
			fail_msg("\"%s\": %d findings, first %s", e->term, n,
			    n ? dict->entries[f[0].entry].term : "-");
		assert_int_equal(f[0].start, at);
		assert_int_equal(f[0].end, at + cps(e->term));
		assert_string_equal(dict->entries[f[0].entry].suggestion,
		    e->suggestion);
		assert_int_equal(dict->entries[f[0].entry].category,
		    e->category);
		free(f);

		len = strlen(text);
		for (i = 0; i <= len; i++)
			upper[i] = (char)(text[i] >= 'a' && text[i] <= 'z' ?
			    text[i] - 32 : text[i]);
		lang_match(dict, upper, len, &f, &n);
		if (n != 1 || f[0].entry != k)
			fail_msg("\"%s\" in capitals: %d findings", e->term, n);
		free(f);

		if (strchr(e->term, ' ') == NULL)
			continue;
		buf_init(&split, 4096);
		buf_puts(&split, "Today we noted ");
		for (i = 0; e->term[i]; i++)
			if (e->term[i] == ' ')
				buf_puts(&split, "\r\n   ");
			else
				buf_putc(&split, e->term[i]);
		buf_puts(&split, ".");
		lang_match(dict, buf_cstr(&split), split.len, &f, &n);
		if (n != 1 || f[0].entry != k)
			fail_msg("\"%s\" across a line break: %d findings",
			    e->term, n);
		assert_int_equal(f[0].end, cps(buf_cstr(&split)) - 1);
		free(f);
		buf_free(&split);
	}
}

static void
test_word_boundaries(void **state)
{
	(void)state;
	assert_found(dict, "She was cleaning the kitchen.", "");
	assert_found(dict, "The house is clean; a clean test.",
	    "22-32:clean test");
	assert_found(dict, "Addiction is a health condition.", "");
	assert_found(dict, "An outpatient visit, then the patients left.",
	    "30-38:patients");
	assert_found(dict, "He drove dangerously; a refusal; unrealistically",
	    "");
	assert_found(dict, "The addict's family", "4-10:addict");
	assert_found(dict, "addict2 addict\xc3\xa9 readdict", "");
	assert_found(dict, "(addict)", "1-7:addict");
	assert_found(dict, "addict", "0-6:addict");
	assert_found(dict, "ex-addict", "0-9:ex-addict");
	assert_found(dict, "She relapsed, not relapsing.",
	    "4-12:relapsed|18-27:relapsing");
	assert_found(dict, "caseloads", "0-9:caseloads");
	assert_found(dict, "", "");
}

static void
test_case(void **state)
{
	(void)state;
	assert_found(dict, "ADDICT Addict aDdIcT",
	    "0-6:addict|7-13:addict|14-20:addict");
	assert_found(dict, "FREQUENT FLYER", "0-14:frequent flyer");
	assert_found(dict, "Non-Compliant", "0-13:non-compliant");
	/* A typographic (non-breaking) hyphen is a hyphen. */
	assert_found(dict, "non\xe2\x80\x91" "compliant", "0-13:non-compliant");
}

static void
test_white_space_runs(void **state)
{
	(void)state;
	assert_found(dict, "He committed\n  suicide.",
	    "3-22:committed suicide");
	assert_found(dict, "relapse\r\n\r\nprevention",
	    "0-21:relapse prevention");
	assert_found(dict, "a frequent\tflyer", "2-16:frequent flyer");
	/* A no-break space (U+00A0) is white space too. */
	assert_found(dict, "frequent\xc2\xa0" "flyer", "0-14:frequent flyer");
	assert_found(dict, "frequent-flyer", "");
}

/* Offsets count code points, not bytes or UTF-16 units. */
static void
test_offsets_in_code_points(void **state)
{
	struct lang_finding *f;
	const char *s = "\xc3\x91" "and\xc3\xba \xf0\x9f\x99\x82 \xe2\x80\x94 "
	    "addict";	/* "Ñandú 🙂 — addict" */
	int n;

	(void)state;
	lang_match(dict, s, strlen(s), &f, &n);
	assert_int_equal(n, 1);
	assert_int_equal(f[0].start, 10);
	assert_int_equal(f[0].end, 16);
	free(f);
	assert_found(dict, "Jos\xc3\xa9 is not an addict.", "15-21:addict");
	/* Malformed bytes count one each (the API never passes them). */
	assert_found(dict, "\xff\xfe addict", "3-9:addict");
}

static void
test_quoted_speech(void **state)
{
	(void)state;
	/* Double quotes, straight, curly and angled. */
	assert_found(dict, "She said \"I'm an addict and proud of my "
	    "recovery\" today.", "");
	assert_found(dict, "\xe2\x80\x9cI was an addict,\xe2\x80\x9d he said.",
	    "");
	assert_found(dict, "\xc2\xab" "addict\xc2\xbb", "");
	assert_found(dict, "\"addict\" said the addict",
	    "18-24:addict");
	/* A quote closes in its paragraph; one that never closes quotes
	 * nothing. */
	assert_found(dict, "She said \"I am an addict", "18-24:addict");
	assert_found(dict, "\"I am an addict\n\nHe is an addict\"",
	    "9-15:addict|26-32:addict");
	assert_found(dict, "\"I am an\naddict\" she said", "");
	/* Single quotes only when clearly quotes. */
	assert_found(dict, "He calls it 'my relapse' and laughs.", "");
	assert_found(dict, "He calls it \xe2\x80\x98my relapse\xe2\x80\x99.",
	    "");
	assert_found(dict, "Don't call him an addict.", "18-24:addict");
	assert_found(dict, "Don\xe2\x80\x99t call him an addict.",
	    "18-24:addict");
	assert_found(dict, "The addicts' group met.", "4-11:addicts");
	assert_found(dict, "He is 5'10\" and not an addict.",
	    "23-29:addict");
	assert_found(dict, "It's rock 'n' roll for the addicts' sake",
	    "27-34:addicts");
}

/* Every exception: nothing inside it is flagged; where the phrase holds
 * a term, the same text without exceptions is flagged. */
static void
test_every_exception(void **state)
{
	struct lang_finding *f;
	char text[512];
	size_t at = cps("She goes to "), i;
	int k, n, organisations = 0, payers = 0, guarded = 0;

	(void)state;
	assert_true(dict->nexceptions >= 12);
	for (k = 0; k < dict->nexceptions; k++) {
		const struct lang_exception *x = &dict->exceptions[k];

		organisations += x->kind == LANG_EXC_ORGANISATION;
		payers += x->kind == LANG_EXC_PAYER;
		snprintf(text, sizeof text, "She goes to %s on Mondays.",
		    x->phrase);
		lang_match(dict, text, strlen(text), &f, &n);
		for (i = 0; i < (size_t)n; i++)
			if (f[i].start < at + cps(x->phrase) && f[i].end > at)
				fail_msg("\"%s\" flagged %s", x->phrase,
				    dict->entries[f[i].entry].term);
		free(f);
		/* In lower case too. */
		for (i = 0; text[i]; i++)
			if (text[i] >= 'A' && text[i] <= 'Z')
				text[i] = (char)(text[i] + 32);
		lang_match(dict, text, strlen(text), &f, &n);
		assert_int_equal(n, 0);
		free(f);
		lang_match(bare, text, strlen(text), &f, &n);
		guarded += n > 0;
		free(f);
	}
	assert_true(organisations >= 10);
	assert_true(payers >= 3);
	assert_true(guarded >= 8);	/* exceptions that matter */
	/* The ones the issue names. */
	assert_found(dict, "Narcotics Anonymous, Alcoholics Anonymous, Al-Anon,"
	    " Nar-Anon and SMART Recovery", "");
	assert_found(bare, "Alcoholics Anonymous", "0-10:alcoholics");
	assert_found(dict, "An alcoholic at Alcoholics Anonymous",
	    "3-12:alcoholic");
	assert_found(dict, "Adult Children of Alcoholics", "");
	assert_found(dict, "the National Institute on Drug Abuse says drug "
	    "abuse", "42-52:drug abuse");
	assert_found(dict, "Mothers Against Drunk Driving", "");
	assert_found(dict, "Clean and Sober Streets; clean and sober",
	    "25-40:clean and sober");
	assert_found(dict, "the National Coalition for the Homeless", "");
	/* Diagnostic wording payers require. */
	assert_found(dict, "Opioid use disorder; alcohol use disorder; "
	    "substance use disorder", "");
	assert_found(dict, "F11.10 Opioid abuse, uncomplicated",
	    "");
	assert_found(bare, "F11.10 Opioid abuse, uncomplicated",
	    "7-19:opioid abuse");
	assert_found(dict, "Opioid abuse, in remission; opioid abuse",
	    "28-40:opioid abuse");
	assert_found(dict, "Other psychoactive substance abuse", "");
}

/* Where matches overlap the longest wins; findings never overlap. */
static void
test_longest_match(void **state)
{
	(void)state;
	assert_found(dict, "relapse prevention group",
	    "0-18:relapse prevention");
	assert_found(dict, "the homeless person", "4-19:homeless person");
	assert_found(dict, "after a failed suicide attempt",
	    "8-30:failed suicide attempt");
	assert_found(dict, "a drug abuser", "2-13:drug abuser");
	assert_found(dict, "a former addict", "2-15:former addict");
	assert_found(dict, "addict addict", "0-6:addict|7-13:addict");
	assert_found(dict, "diagnosed with PTSD", "0-14:diagnosed with");
	assert_found(dict, "dirty drug screen", "0-17:dirty drug screen");
}

static struct lang_dict *
parse(const char *text, struct verr *v)
{
	struct lang_dict *d = NULL;

	verr_init(v);
	if (language_parse_text(text, strlen(text), &d, v) != ERR_OK)
		return NULL;
	return d;
}

#define ENTRY(t, c) "{\"term\": \"" t "\", \"suggestion\": \"s\", " \
	"\"why\": \"w\", \"source\": \"x\", \"category\": \"" c "\"}"

static void
expect_refused(const char *text, const char *field)
{
	struct verr v;
	struct lang_dict *d = parse(text, &v);

	if (d != NULL) {
		lang_dict_free(d);
		fail_msg("accepted: %s", text);
	}
	if (!verr_has(&v, field))
		fail_msg("%s: no error naming %s (first: %s)", text, field,
		    v.n ? v.e[0].field : "-");
}

static void
test_dictionary_checked(void **state)
{
	struct lang_dict *d;
	struct verr v;
	char longterm[256];

	(void)state;
	d = parse("{\"version\": \"t1\", \"entries\": [" ENTRY("Caf\xc3\xa9 "
	    "addict", "stigmatising") "]}", &v);
	assert_non_null(d);
	/* Accented capitals fold too. */
	assert_found(d, "CAF\xc3\x89 ADDICT", "0-11:Caf\xc3\xa9 addict");
	lang_dict_free(d);

	expect_refused("[]", "body");
	expect_refused("{\"entries\": [" ENTRY("a", "stigmatising") "]}",
	    "version");
	expect_refused("{\"version\": \"a b\", \"entries\": [" ENTRY("a",
	    "stigmatising") "]}", "version");
	expect_refused("{\"name\": \"plans\", \"version\": \"1\", "
	    "\"entries\": [" ENTRY("a", "stigmatising") "]}", "name");
	expect_refused("{\"version\": \"1\", \"entries\": []}", "entries");
	expect_refused("{\"version\": \"1\"}", "entries");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("a",
	    "rude") "]}", "entries[0].category");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("",
	    "stigmatising") "]}", "entries[0].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("-addict",
	    "stigmatising") "]}", "entries[0].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("addict!",
	    "stigmatising") "]}", "entries[0].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("a\\u0007b",
	    "stigmatising") "]}", "entries[0].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("Addict",
	    "stigmatising") ", " ENTRY("frequent  flyer", "stigmatising") ", "
	    ENTRY("addict", "stigmatising") "]}", "entries[2].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("frequent "
	    "flyer", "stigmatising") ", " ENTRY("FREQUENT   FLYER",
	    "stigmatising") "]}", "entries[1].term");
	expect_refused("{\"version\": \"1\", \"entries\": [{\"term\": \"a\"}]}",
	    "entries[0].suggestion");
	expect_refused("{\"version\": \"1\", \"entries\": [{\"term\": 3, "
	    "\"suggestion\": \"s\", \"why\": \"w\", \"source\": \"x\", "
	    "\"category\": \"stigmatising\"}]}", "entries[0].term");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("a",
	    "stigmatising") "], \"exceptions\": [{\"phrase\": \"NA\", "
	    "\"kind\": \"club\"}]}", "exceptions[0].kind");
	expect_refused("{\"version\": \"1\", \"entries\": [" ENTRY("a",
	    "stigmatising") "], \"exceptions\": [{\"phrase\": \" \", "
	    "\"kind\": \"payer\"}]}", "exceptions[0].phrase");
	memset(longterm, 'a', 101);
	longterm[101] = '\0';
	{
		char text[512];

		snprintf(text, sizeof text, "{\"version\": \"1\", \"entries\": "
		    "[{\"term\": \"%s\", \"suggestion\": \"s\", \"why\": "
		    "\"w\", \"source\": \"x\", \"category\": "
		    "\"clinical-scope\"}]}", longterm);
		expect_refused(text, "entries[0].term");
		longterm[100] = '\0';
		snprintf(text, sizeof text, "{\"version\": \"1\", \"entries\": "
		    "[{\"term\": \"%s\", \"suggestion\": \"s\", \"why\": "
		    "\"w\", \"source\": \"x\", \"category\": "
		    "\"clinical-scope\"}]}", longterm);
		d = parse(text, &v);
		assert_non_null(d);
		lang_dict_free(d);
	}
	/* What it writes, it reads back the same. */
	{
		json_t *j = language_to_json(dict), *k;
		struct lang_dict *again = NULL;

		verr_init(&v);
		assert_int_equal(language_parse(j, &again, &v), ERR_OK);
		k = language_to_json(again);
		assert_true(json_equal(j, k));
		json_decref(j);
		json_decref(k);
		lang_dict_free(again);
	}
}

static void
test_check_limits(void **state)
{
	struct lang_finding *f;
	struct actor peer;
	struct verr v;
	char *text = xmalloc(LANG_TEXT_MAX * 2 + 8);
	int n;

	(void)state;
	memset(&peer, 0, sizeof peer);
	peer.role = ROLE_PEER;
	memset(text, 'a', LANG_TEXT_MAX);
	verr_init(&v);
	assert_int_equal(language_check(&peer, dict, text, LANG_TEXT_MAX, &v,
	    &f, &n), ERR_OK);
	assert_int_equal(n, 0);
	assert_int_equal(language_check(&peer, dict, text, LANG_TEXT_MAX + 1,
	    &v, &f, &n), ERR_INVALID);
	assert_true(verr_has(&v, "text"));
	/* Characters, not bytes: 20,000 two-byte letters pass. */
	for (n = 0; n < LANG_TEXT_MAX; n++)
		memcpy(text + 2 * n, "\xc3\xa9", 2);
	verr_init(&v);
	assert_int_equal(language_check(&peer, dict, text, LANG_TEXT_MAX * 2,
	    &v, &f, &n), ERR_OK);
	free(text);
}

/* A long note is checked quickly. */
static void
test_fast(void **state)
{
	static const char sentence[] = "We met at the caf\xc3\xa9 and talked "
	    "about her goals, \"the addict in me\", her Narcotics Anonymous "
	    "home group and the relapse prevention class; she declined a "
	    "ride. ";
	struct lang_finding *f;
	struct timespec a, b;
	struct buf t;
	double ms;
	int n, runs;

	(void)state;
	buf_init(&t, 1 << 20);
	while (cps(buf_cstr(&t)) + cps(sentence) <= LANG_TEXT_MAX)
		buf_puts(&t, sentence);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (runs = 0; runs < 20; runs++) {
		lang_match(dict, buf_cstr(&t), t.len, &f, &n);
		free(f);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 +
	    (double)(b.tv_nsec - a.tv_nsec) / 1e6) / runs;
	print_message("# %zu characters, %d findings, %.3f ms a check\n",
	    cps(buf_cstr(&t)), n, ms);
	assert_true(n > 100);
	/* Well under a millisecond in a release build; the bound leaves
	 * room for the sanitizers. */
	assert_true(ms < 50.0);
	buf_free(&t);
}

/* Storing a new version (administrators only, audited) puts it in force;
 * a version stored by another server is picked up by language_refresh. */
static void
test_store_and_refresh(void **state)
{
	struct tmpdir dir;
	struct db *db;
	struct actor admin, peer;
	struct lang_dict *d, *cur;
	struct audit_check chk;
	struct verr v;
	char why[256], *version, *body;
	int64_t stamp;
	json_t *j;

	(void)state;
	tmpdir_make(&dir);
	assert_non_null(db = tmpdb_open(&dir, "language.db"));
	assert_int_equal(language_load(db, why, sizeof why), ERR_NOT_FOUND);
	assert_non_null(strstr(why, "migrate"));
	{
		const struct asset *a = asset_find(data_assets,
		    "/language.json");
		struct db_stmt *st;

		assert_int_equal(db_prepare(db, "INSERT INTO ruleset (name, "
		    "version, body, loaded_at) VALUES ('language', '2026.1', "
		    "$1, 1)", &st), ERR_OK);
		db_bind_text(st, 1, (const char *)a->data);
		assert_int_equal(db_run(st, NULL), ERR_OK);
		db_done(st);
	}
	assert_int_equal(language_load(db, why, sizeof why), ERR_OK);
	cur = lang_dict_get();
	assert_string_equal(cur->version, "2026.1");
	assert_int_equal(cur->stamp, 1);

	actor_system(&admin);
	memset(&peer, 0, sizeof peer);
	peer.role = ROLE_PEER;
	snprintf(peer.id, sizeof peer.id, "%s",
	    "01900000-0000-7000-8000-000000000001");
	assert_int_equal(language_edit_allowed(db, &peer), ERR_FORBIDDEN);
	assert_int_equal(language_edit_allowed(db, &admin), ERR_OK);

	j = language_to_json(dict);
	json_object_set_new(j, "version", json_string("2026.2"));
	verr_init(&v);
	assert_int_equal(language_parse(j, &d, &v), ERR_OK);
	assert_int_equal(language_replace(db, &peer, d, "{}", &v),
	    ERR_FORBIDDEN);
	assert_int_equal(language_replace(db, &admin, d, "{\"x\": 1}", &v),
	    ERR_OK);
	/* In force at once; a reader still holding the old one keeps it. */
	assert_string_equal(cur->version, "2026.1");
	lang_dict_put(cur);
	cur = lang_dict_get();
	assert_string_equal(cur->version, "2026.2");
	lang_dict_put(cur);
	assert_int_equal(language_stored(db, &version, &stamp, &body), ERR_OK);
	assert_string_equal(version, "2026.2");
	assert_string_equal(body, "{\"x\": 1}");
	assert_true(stamp > 1);
	free(version);
	free(body);
	/* The same version again is refused, naming it. */
	verr_init(&v);
	assert_int_equal(language_parse(j, &d, &v), ERR_OK);
	assert_int_equal(language_replace(db, &admin, d, "{}", &v),
	    ERR_INVALID);
	assert_true(verr_has(&v, "version"));
	lang_dict_free(d);

	/* Another server stores 2026.3 straight into the table. */
	json_object_set_new(j, "version", json_string("2026.3"));
	body = json_dumps(j, 0);
	{
		struct db_stmt *st;

		assert_int_equal(db_prepare(db, "UPDATE ruleset SET version = "
		    "'2026.3', body = $1, loaded_at = loaded_at + 5 WHERE "
		    "name = 'language'", &st), ERR_OK);
		db_bind_text(st, 1, body);
		assert_int_equal(db_run(st, NULL), ERR_OK);
		db_done(st);
	}
	free(body);
	json_decref(j);
	language_refresh(db);
	cur = lang_dict_get();
	assert_string_equal(cur->version, "2026.3");
	lang_dict_put(cur);

	assert_int_equal(audit_verify(db, &chk), ERR_OK);
	assert_true(chk.entries >= 3);	/* two denials, one update */
	db_close(db);
	tmpdir_remove(&dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_covers_the_table),
		cmocka_unit_test(test_every_entry),
		cmocka_unit_test(test_word_boundaries),
		cmocka_unit_test(test_case),
		cmocka_unit_test(test_white_space_runs),
		cmocka_unit_test(test_offsets_in_code_points),
		cmocka_unit_test(test_quoted_speech),
		cmocka_unit_test(test_every_exception),
		cmocka_unit_test(test_longest_match),
		cmocka_unit_test(test_dictionary_checked),
		cmocka_unit_test(test_check_limits),
		cmocka_unit_test(test_fast),
		cmocka_unit_test(test_store_and_refresh),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
