/*
 * The groups rule set (data/groups.json) into core's struct group_rules:
 * the curricula a peer group may follow and the topics of each. An
 * administrator edits this file to match the groups the organisation
 * runs, and groups and sessions store its codes, so it is parsed
 * strictly: every problem is refused with its place in the file, and a
 * refused rule set leaves nothing half-parsed behind.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/group_rules.h"
#include "interop/groups_json.h"
#include "util/xalloc.h"

#define CURRICULA_MAX	100
#define SOURCES_MAX	64
#define CODE_MAX	40	/* bytes: ^[a-z][a-z0-9_]*$ */
#define LABEL_MAX	120	/* characters */
#define TEXT_MAX	2000	/* bytes */
#define VERSION_MAX	64	/* bytes */
#define WHERE_MAX	96

struct pctx {
	char	*why;
	size_t	 whylen;
};

/* The shapes a text may have. */
enum shape {
	SHAPE_CODE,
	SHAPE_LABEL,
	SHAPE_TEXT,
};

static const char *const shape_words[] = {
	"a code of 1 to 40 lower-case letters, digits and _, from a letter",
	"a label of 1 to 120 characters",
	"text of 1 to 2000 bytes",
};

static int refuse(struct pctx *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes the reason into p->why; returns -1. */
static int
refuse(struct pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, p->whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int
shaped(const char *s, enum shape sh)
{
	size_t n = strlen(s), i, chars;

	switch (sh) {
	case SHAPE_CODE:
		if (n < 1 || n > CODE_MAX || s[0] < 'a' || s[0] > 'z')
			return 0;
		for (i = 1; i < n; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
				return 0;
		return 1;
	case SHAPE_LABEL:
		/* jansson has checked the UTF-8; count lead bytes. */
		for (i = 0, chars = 0; i < n; i++)
			chars += ((unsigned char)s[i] & 0xC0) != 0x80;
		return chars >= 1 && chars <= LABEL_MAX;
	case SHAPE_TEXT:
		return n >= 1 && n <= TEXT_MAX;
	}
	return 0;
}

/* Refuses o unless it is an object whose keys are all in allowed. */
static int
known_keys(struct pctx *p, json_t *o, const char *where,
    const char *const *allowed)
{
	const char *k;
	json_t *v;
	size_t i;

	if (!json_is_object(o))
		return refuse(p, "%s must be an object", where);
	json_object_foreach(o, k, v) {
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(k, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return refuse(p, "%s: unknown key %.64s", where, k);
	}
	return 0;
}

/*
 * A copy of the text at o.key into *out, of shape sh. Absent or null is
 * refused when required, else leaves *out NULL.
 */
static int
get_text(struct pctx *p, json_t *o, const char *where, const char *key,
    enum shape sh, int required, char **out)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return refuse(p, "%s.%s is missing: it must be %s",
			    where, key, shape_words[sh]);
		return 0;
	}
	if ((s = json_string_value(v)) == NULL || !shaped(s, sh))
		return refuse(p, "%s.%s must be %s", where, key,
		    shape_words[sh]);
	*out = xstrdup(s);
	return 0;
}

static int
parse_sources(struct pctx *p, json_t *root)
{
	json_t *arr = json_object_get(root, "sources");
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > SOURCES_MAX)
		return refuse(p, "groups.sources must list 1 to %d sources the "
		    "curricula come from", SOURCES_MAX);
	for (i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));

		if (s == NULL || !shaped(s, SHAPE_TEXT))
			return refuse(p, "groups.sources[%zu] must be %s", i,
			    shape_words[SHAPE_TEXT]);
	}
	return 0;
}

static int
parse_topics(struct pctx *p, json_t *arr, const char *where,
    struct group_curriculum *c)
{
	static const char *const keys[] = { "code", "label", NULL };
	char at[WHERE_MAX];
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) > GROUP_TOPICS_MAX)
		return refuse(p, "%s.topics must list at most %d topics (an "
		    "empty list is allowed)", where, GROUP_TOPICS_MAX);
	if (json_array_size(arr) > 0)
		c->topics = xcalloc(json_array_size(arr), sizeof *c->topics);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct group_topic *t = &c->topics[i];

		/* Counted before it is filled, so a refusal frees it. */
		c->ntopics++;
		snprintf(at, sizeof at, "%.48s.topics[%zu]", where, i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, 1, &t->code) < 0 ||
		    get_text(p, o, at, "label", SHAPE_LABEL, 1, &t->label) < 0)
			return -1;
		for (k = 0; k < i; k++)
			if (strcmp(c->topics[k].code, t->code) == 0)
				return refuse(p, "%s.code %s repeats "
				    "%s.topics[%zu]", at, t->code, where, k);
	}
	return 0;
}

static int
parse_curricula(struct pctx *p, json_t *root, struct group_rules *g)
{
	static const char *const keys[] = { "code", "label", "description",
	    "facilitation", "source", "topics", NULL };
	json_t *arr = json_object_get(root, "curricula");
	char at[WHERE_MAX];
	size_t i, k;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > CURRICULA_MAX)
		return refuse(p, "groups.curricula must list 1 to %d curricula",
		    CURRICULA_MAX);
	g->curricula = xcalloc(json_array_size(arr), sizeof *g->curricula);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct group_curriculum *c = &g->curricula[i];

		/* Counted before it is filled, so a refusal frees it. */
		g->ncurricula++;
		snprintf(at, sizeof at, "curricula[%zu]", i);
		if (known_keys(p, o, at, keys) < 0 ||
		    get_text(p, o, at, "code", SHAPE_CODE, 1, &c->code) < 0)
			return -1;
		for (k = 0; k < i; k++)
			if (strcmp(g->curricula[k].code, c->code) == 0)
				return refuse(p, "%s.code %s repeats "
				    "curricula[%zu]", at, c->code, k);
		if (get_text(p, o, at, "label", SHAPE_LABEL, 1,
		    &c->label) < 0 ||
		    get_text(p, o, at, "description", SHAPE_TEXT, 1,
		    &c->description) < 0 ||
		    get_text(p, o, at, "facilitation", SHAPE_TEXT, 0,
		    &c->facilitation) < 0 ||
		    get_text(p, o, at, "source", SHAPE_TEXT, 1,
		    &c->source) < 0 ||
		    parse_topics(p, json_object_get(o, "topics"), at, c) < 0)
			return -1;
	}
	return 0;
}

enum err
groups_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	static const char *const keys[] = { "name", "version", "description",
	    "sources", "curricula", NULL };
	struct group_rules *g = &r->groups;
	struct pctx p = { why, whylen };
	const char *version = json_string_value(json_object_get(root,
	    "version"));
	char *desc = NULL;

	group_rules_clear(g);
	if (known_keys(&p, root, "groups", keys) < 0)
		goto fail;
	if (version == NULL || *version == '\0' ||
	    strlen(version) > VERSION_MAX) {
		refuse(&p, "groups.version must be text of 1 to %d bytes",
		    VERSION_MAX);
		goto fail;
	}
	if (get_text(&p, root, "groups", "description", SHAPE_TEXT, 1,
	    &desc) < 0 ||
	    parse_sources(&p, root) < 0 ||
	    parse_curricula(&p, root, g) < 0)
		goto fail;
	free(desc);
	g->version = xstrdup(version);
	return ERR_OK;
fail:
	free(desc);
	group_rules_clear(g);
	return ERR_INVALID;
}
