/*
 * The structure of each kind of plan (data/plan-kinds.json, compiled into
 * the binary) and the check of a plan's content against it. The check is
 * strict: unknown keys, wrong types, codes outside their list, bad dates,
 * over-long text and missing required fields are field errors named by
 * their path ("content.goals[1].words"). What passes is written back in
 * the structure's order, empty values dropped, text kept exactly as
 * written, and every item that takes an id given one that stays with it
 * from version to version.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/plan.h"
#include "interop/plan_json.h"
#include "util/asset.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/text.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#define MAX_DEPTH	6
#define MAX_FIELDS	40

enum ptype { PT_TEXT, PT_DATE, PT_BOOL, PT_CODE, PT_CODES, PT_LIST,
    PT_OBJECT };

struct pfield {
	const char	*key;		/* borrowed from the parsed file */
	enum ptype	 type;
	int		 required;
	size_t		 max;
	int		 multiline;
	json_t		*list;		/* the code list's items */
	struct pfield	*item;		/* PT_LIST */
	struct pfield	*fields;	/* PT_OBJECT */
	int		 nfields;
	int		 has_id;
	int		 progress;
	const char	*req_key;
	json_t		*req_equals;
};

struct pkind {
	const char	*kind;
	struct pfield	 root;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static json_t *doc;
static struct pkind kinds[16];
static int nkinds;
static int loaded;

static const char *const type_names[] = { "text", "date", "bool", "code",
    "codes", "list", "object" };

static int parse_field(json_t *o, struct pfield *f, int depth, int keyed,
    const char *where);

static int
parse_fields(json_t *arr, struct pfield *f, int depth, const char *where)
{
	size_t i, j;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > MAX_FIELDS) {
		log_error("plan-kinds: %s: fields must list 1 to %d fields",
		    where, MAX_FIELDS);
		return 0;
	}
	f->fields = xcalloc(json_array_size(arr), sizeof *f->fields);
	for (i = 0; i < json_array_size(arr); i++) {
		if (!parse_field(json_array_get(arr, i), &f->fields[i],
		    depth + 1, 1, where))
			return 0;
		f->nfields++;
		for (j = 0; j < i; j++)
			if (strcmp(f->fields[j].key, f->fields[i].key) == 0) {
				log_error("plan-kinds: %s: key %s repeats",
				    where, f->fields[i].key);
				return 0;
			}
	}
	return 1;
}

static int
parse_field(json_t *o, struct pfield *f, int depth, int keyed,
    const char *where)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	json_t *max = json_object_get(o, "max"), *rw;
	size_t t;

	if (depth > MAX_DEPTH || !json_is_object(o) || type == NULL) {
		log_error("plan-kinds: %s: a field needs a type (depth %d)",
		    where, depth);
		return 0;
	}
	if (keyed && (f->key = json_string_value(json_object_get(o, "key"))) ==
	    NULL) {
		log_error("plan-kinds: %s: a field needs a key", where);
		return 0;
	}
	for (t = 0; t < sizeof type_names / sizeof type_names[0]; t++)
		if (strcmp(type, type_names[t]) == 0)
			break;
	if (t == sizeof type_names / sizeof type_names[0]) {
		log_error("plan-kinds: %s: unknown type %s", where, type);
		return 0;
	}
	f->type = (enum ptype)t;
	f->required = json_is_true(json_object_get(o, "required"));
	f->multiline = json_is_true(json_object_get(o, "multiline"));
	f->max = json_is_integer(max) ? (size_t)json_integer_value(max) :
	    f->type == PT_TEXT ? 2000 : 100;
	if (f->max == 0 || f->max > 8000) {
		log_error("plan-kinds: %s.%s: max out of range", where,
		    f->key ? f->key : "item");
		return 0;
	}
	if ((rw = json_object_get(o, "required_when")) != NULL) {
		f->req_key = json_string_value(json_object_get(rw, "key"));
		f->req_equals = json_object_get(rw, "equals");
		if (f->req_key == NULL || f->req_equals == NULL) {
			log_error("plan-kinds: %s: bad required_when", where);
			return 0;
		}
	}
	switch (f->type) {
	case PT_CODE:
	case PT_CODES: {
		const char *ln = json_string_value(json_object_get(o, "list"));

		f->list = json_object_get(json_object_get(json_object_get(doc,
		    "lists"), ln ? ln : ""), "items");
		if (!json_is_array(f->list)) {
			log_error("plan-kinds: %s: no list %s", where,
			    ln ? ln : "(none)");
			return 0;
		}
		break;
	}
	case PT_LIST:
		f->item = xcalloc(1, sizeof *f->item);
		if (!parse_field(json_object_get(o, "item"), f->item,
		    depth + 1, 0, where))
			return 0;
		if (f->item->type != PT_TEXT && f->item->type != PT_OBJECT) {
			log_error("plan-kinds: %s: list items are text or "
			    "objects", where);
			return 0;
		}
		break;
	case PT_OBJECT:
		f->has_id = json_is_true(json_object_get(o, "id"));
		f->progress = json_is_true(json_object_get(o, "progress"));
		if (!parse_fields(json_object_get(o, "fields"), f, depth,
		    where))
			return 0;
		break;
	default:
		break;
	}
	return 1;
}

static void
load(void)
{
	const struct asset *a = asset_find(data_assets, "/plan-kinds.json");
	json_t *arr;
	json_error_t jerr;
	size_t i;

	if (a == NULL || (doc = json_loadb((const char *)a->data, a->len,
	    JSON_REJECT_DUPLICATES, &jerr)) == NULL) {
		log_error("plan-kinds: missing or not JSON");
		return;
	}
	arr = json_object_get(doc, "kinds");
	if (!json_is_array(arr) || json_array_size(arr) >
	    sizeof kinds / sizeof kinds[0]) {
		log_error("plan-kinds: kinds must be a list");
		return;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *k = json_array_get(arr, i);
		struct pkind *pk = &kinds[nkinds];

		pk->kind = json_string_value(json_object_get(k, "kind"));
		if (pk->kind == NULL || !plan_kind_known(pk->kind)) {
			log_error("plan-kinds: kinds[%zu] is not a kind the "
			    "program knows", i);
			return;
		}
		pk->root.type = PT_OBJECT;
		if (!parse_fields(json_object_get(k, "fields"), &pk->root, 0,
		    pk->kind))
			return;
		nkinds++;
	}
	for (i = 0; plan_kinds[i] != NULL; i++) {
		int j, found = 0;

		for (j = 0; j < nkinds; j++)
			found |= strcmp(kinds[j].kind, plan_kinds[i]) == 0;
		if (!found) {
			log_error("plan-kinds: no structure for %s",
			    plan_kinds[i]);
			return;
		}
	}
	loaded = 1;
}

enum err
plan_structure_load(void)
{
	pthread_once(&once, load);
	return loaded ? ERR_OK : ERR_INTERNAL;
}

json_t *
plan_structure_json(void)
{
	return plan_structure_load() == ERR_OK ? doc : NULL;
}

const char *
plan_structure_version(void)
{
	if (plan_structure_load() != ERR_OK)
		return "";
	return json_string_value(json_object_get(doc, "version"));
}

static int
in_list(json_t *items, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < json_array_size(items); i++)
		if (strcmp(json_string_value(json_object_get(
		    json_array_get(items, i), "code")), code) == 0)
			return 1;
	return 0;
}

int
plan_code_known(const char *list, const char *code)
{
	if (plan_structure_load() != ERR_OK)
		return 0;
	return in_list(json_object_get(json_object_get(json_object_get(doc,
	    "lists"), list), "items"), code);
}

struct ctx {
	struct verr		*v;
	struct plan_item	*items;
	int			 nitems;
	int			 cap;
};

static int
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static void
add_item(struct ctx *c, const char *path, const char *id, int progress)
{
	if (c->nitems == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->items = xreallocarray(c->items, (size_t)c->cap,
		    sizeof *c->items);
	}
	c->items[c->nitems].path = xstrdup(path);
	c->items[c->nitems].id = xstrdup(id);
	c->items[c->nitems].progress = progress;
	c->nitems++;
}

static int
id_seen(const struct ctx *c, const char *id)
{
	int i;

	for (i = 0; i < c->nitems; i++)
		if (strcmp(c->items[i].id, id) == 0)
			return 1;
	return 0;
}

static json_t *check_value(const struct pfield *f, json_t *val,
    const char *at, const char *ipath, struct ctx *c);

static json_t *
check_object(const struct pfield *f, json_t *val, const char *at,
    const char *ipath, struct ctx *c)
{
	json_t *out, *x;
	const char *key;
	char sub[192], isub[128];
	int i, j;

	if (!json_is_object(val)) {
		verr_add(c->v, at, "must be an object");
		return NULL;
	}
	json_object_foreach(val, key, x) {
		int known = f->has_id && strcmp(key, "id") == 0;

		for (i = 0; !known && i < f->nfields; i++)
			known = strcmp(f->fields[i].key, key) == 0;
		if (!known) {
			/* Named only when short and plain, so an error never
			 * carries submitted text. */
			size_t n = strlen(key), k;
			int plain = n > 0 && n <= 40;

			for (k = 0; plain && k < n; k++)
				plain = (key[k] >= 'a' && key[k] <= 'z') ||
				    (key[k] >= '0' && key[k] <= '9') ||
				    key[k] == '_';
			snprintf(sub, sizeof sub, "%s.%s", at,
			    plain ? key : "(unknown)");
			verr_add(c->v, sub, "is not a field of this plan");
		}
	}
	out = json_object();
	if (f->has_id) {
		json_t *idv = json_object_get(val, "id");
		const char *id = json_string_value(idv);
		char fresh[37];

		snprintf(sub, sizeof sub, "%s.id", at);
		if (idv != NULL && !json_is_null(idv) &&
		    (id == NULL || !uuid_valid(id))) {
			verr_add(c->v, sub, "must be an item id given by the "
			    "server, or left out for a new item");
			id = NULL;
		} else if (id != NULL && id_seen(c, id)) {
			verr_add(c->v, sub, "repeats another item's id");
			id = NULL;
		} else if (id == NULL) {
			uuid_v7(fresh);
			id = fresh;
		}
		if (id != NULL) {
			json_object_set_new(out, "id", json_string(id));
			add_item(c, ipath, id, f->progress);
		}
	}
	for (i = 0; i < f->nfields; i++) {
		const struct pfield *g = &f->fields[i];
		json_t *y = json_object_get(val, g->key), *r;
		int required = g->required;

		if (g->req_key != NULL) {
			json_t *s = json_object_get(val, g->req_key);

			required |= s != NULL && json_equal(s, g->req_equals);
		}
		snprintf(sub, sizeof sub, "%s.%s", at, g->key);
		snprintf(isub, sizeof isub, "%s%s%s", ipath, *ipath ? "." : "",
		    g->key);
		r = y == NULL || json_is_null(y) ? NULL :
		    check_value(g, y, sub, isub, c);
		if (r == NULL) {
			/* Absent, empty or bad (bad ones are in v). */
			if (required && !verr_has(c->v, sub)) {
				int under = 0;
				size_t n = strlen(sub);

				for (j = 0; j < c->v->n; j++)
					under |= strncmp(c->v->e[j].field, sub,
					    n) == 0;
				if (!under)
					verr_add(c->v, sub, "is required");
			}
			continue;
		}
		json_object_set_new(out, g->key, r);
	}
	return out;
}

/* The checked value, or NULL when it is empty or has an error. */
static json_t *
check_value(const struct pfield *f, json_t *val, const char *at,
    const char *ipath, struct ctx *c)
{
	const char *s;
	struct date d;
	json_t *out;
	size_t i, j;
	char sub[192];

	switch (f->type) {
	case PT_TEXT:
		if ((s = json_string_value(val)) == NULL) {
			verr_add(c->v, at, "must be text");
			return NULL;
		}
		if (blank(s))
			return NULL;
		if (text_has_control(s, f->multiline)) {
			verr_add(c->v, at, f->multiline ? "must be text "
			    "without control characters" : "must be one line "
			    "of text without control characters");
			return NULL;
		}
		if (utf8_chars(s) > f->max) {
			verr_add(c->v, at, "must be at most %zu characters",
			    f->max);
			return NULL;
		}
		return json_string(s);
	case PT_DATE:
		if ((s = json_string_value(val)) == NULL ||
		    date_parse(s, &d) != ERR_OK) {
			verr_add(c->v, at, "must be a date, YYYY-MM-DD");
			return NULL;
		}
		return json_string(s);
	case PT_BOOL:
		if (!json_is_boolean(val)) {
			verr_add(c->v, at, "must be true or false");
			return NULL;
		}
		return json_incref(val);
	case PT_CODE:
		if ((s = json_string_value(val)) == NULL)
			verr_add(c->v, at, "must be a code from its list");
		else if (*s == '\0')
			return NULL;
		else if (!in_list(f->list, s))
			verr_add(c->v, at, "must be a code from its list");
		else
			return json_string(s);
		return NULL;
	case PT_CODES:
		if (!json_is_array(val) || json_array_size(val) > f->max) {
			verr_add(c->v, at, "must be a list of at most %zu "
			    "codes", f->max);
			return NULL;
		}
		for (i = 0; i < json_array_size(val); i++) {
			s = json_string_value(json_array_get(val, i));
			snprintf(sub, sizeof sub, "%s[%zu]", at, i);
			if (s == NULL || !in_list(f->list, s)) {
				verr_add(c->v, sub, "must be a code from its "
				    "list");
				return NULL;
			}
			for (j = 0; j < i; j++)
				if (strcmp(s, json_string_value(
				    json_array_get(val, j))) == 0) {
					verr_add(c->v, sub, "repeats a code");
					return NULL;
				}
		}
		return json_array_size(val) ? json_incref(val) : NULL;
	case PT_LIST:
		if (!json_is_array(val) || json_array_size(val) > f->max) {
			verr_add(c->v, at, "must be a list of at most %zu "
			    "entries", f->max);
			return NULL;
		}
		out = json_array();
		for (i = 0; i < json_array_size(val); i++) {
			json_t *r;

			snprintf(sub, sizeof sub, "%s[%zu]", at, i);
			r = check_value(f->item, json_array_get(val, i), sub,
			    ipath, c);
			if (r != NULL)
				json_array_append_new(out, r);
		}
		if (json_array_size(out) == 0) {
			json_decref(out);
			return NULL;
		}
		return out;
	case PT_OBJECT:
		out = check_object(f, val, at, ipath, c);
		if (out != NULL && json_object_size(out) == 0) {
			json_decref(out);
			return NULL;
		}
		return out;
	}
	return NULL;
}

void
plan_doc_clear(struct plan_doc *d)
{
	int i;

	free(d->text);
	for (i = 0; i < d->nitems; i++) {
		free(d->items[i].path);
		free(d->items[i].id);
	}
	free(d->items);
	memset(d, 0, sizeof *d);
}

enum err
plan_doc_check(const char *kind, json_t *content, struct verr *v,
    struct plan_doc *out)
{
	struct ctx c;
	json_t *r;
	int i, n0 = v->n;

	memset(out, 0, sizeof *out);
	if (plan_structure_load() != ERR_OK)
		return ERR_INTERNAL;
	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			break;
	if (i == nkinds)
		return ERR_INVALID;
	memset(&c, 0, sizeof c);
	c.v = v;
	r = check_object(&kinds[i].root, content, "content", "", &c);
	if (v->n > n0 || r == NULL) {
		json_decref(r);
		out->items = c.items;
		out->nitems = c.nitems;
		plan_doc_clear(out);
		return ERR_INVALID;
	}
	if (c.nitems > PLAN_MAX_ITEMS) {
		verr_add(v, "content", "holds more than %d items",
		    PLAN_MAX_ITEMS);
		json_decref(r);
		out->items = c.items;
		out->nitems = c.nitems;
		plan_doc_clear(out);
		return ERR_INVALID;
	}
	/* The agents a directive names must accept in writing: each is an
	 * item, so its acceptance can be asked for. */
	if (plan_kind_is_directive(kind)) {
		static const char *const agents[] = { "attorney_in_fact",
		    "alternate_attorney_in_fact" };

		for (i = 0; i < 2; i++)
			if (json_object_get(json_object_get(r, agents[i]),
			    "name") != NULL)
				add_item(&c, agents[i], agents[i], 0);
	}
	out->text = json_dumps(r, JSON_COMPACT);
	json_decref(r);
	out->items = c.items;
	out->nitems = c.nitems;
	if (out->text == NULL) {
		plan_doc_clear(out);
		return ERR_INTERNAL;
	}
	return ERR_OK;
}
