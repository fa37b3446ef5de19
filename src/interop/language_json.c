/*
 * The language coach's dictionary as JSON (data/language.json), parsed
 * into core's struct lang_dict and written back the same shape, so an
 * administrator can GET it, edit it and PUT it. The dictionary in force
 * is swapped whole when the stored one changes (core/language.c counts
 * its readers), here at start-up and when another server stored a new
 * version.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "interop/language_json.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* A copy of o's string at key (NULL when absent); an error naming field
 * when present and not a string (or null where allowed). */
static char *
get_text(json_t *o, const char *key, const char *field, int nullable,
    struct verr *v)
{
	json_t *j = json_object_get(o, key);

	if (j == NULL || (nullable && json_is_null(j)))
		return NULL;
	if (!json_is_string(j) ||
	    strlen(json_string_value(j)) != json_string_length(j)) {
		verr_add(v, field, "must be a string");
		return NULL;
	}
	return xstrdup(json_string_value(j));
}

/* The array at key, or NULL (an error naming key when present and not
 * an array of at most max items). */
static json_t *
get_array(json_t *o, const char *key, size_t max, struct verr *v)
{
	json_t *a = json_object_get(o, key);

	if (a == NULL)
		return NULL;
	if (!json_is_array(a)) {
		verr_add(v, key, "must be an array");
		return NULL;
	}
	if (json_array_size(a) > max) {
		verr_add(v, key, "must hold at most %zu items", max);
		return NULL;
	}
	return a;
}

static void
parse_entries(json_t *arr, struct lang_dict *d, struct verr *v)
{
	size_t i;

	d->entries = xcalloc(json_array_size(arr) + 1, sizeof *d->entries);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct lang_entry *e = &d->entries[d->nentries++];
		char field[64], *cat;

		e->category = LANG__CATEGORIES;
		if (!json_is_object(o)) {
			snprintf(field, sizeof field, "entries[%zu]", i);
			verr_add(v, field, "must be an object");
			continue;
		}
		snprintf(field, sizeof field, "entries[%zu].term", i);
		e->term = get_text(o, "term", field, 0, v);
		snprintf(field, sizeof field, "entries[%zu].suggestion", i);
		e->suggestion = get_text(o, "suggestion", field, 0, v);
		snprintf(field, sizeof field, "entries[%zu].why", i);
		e->why = get_text(o, "why", field, 0, v);
		snprintf(field, sizeof field, "entries[%zu].source", i);
		e->source = get_text(o, "source", field, 0, v);
		snprintf(field, sizeof field, "entries[%zu].category", i);
		cat = get_text(o, "category", field, 0, v);
		/* lang_dict_check() names a missing or unknown one. */
		e->category = lang_category_parse(cat);
		free(cat);
	}
}

static void
parse_exceptions(json_t *arr, struct lang_dict *d, struct verr *v)
{
	size_t i;

	d->exceptions = xcalloc(json_array_size(arr) + 1,
	    sizeof *d->exceptions);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct lang_exception *x = &d->exceptions[d->nexceptions++];
		char field[64], *kind;

		x->kind = LANG__EXCEPTION_KINDS;
		if (!json_is_object(o)) {
			snprintf(field, sizeof field, "exceptions[%zu]", i);
			verr_add(v, field, "must be an object");
			continue;
		}
		snprintf(field, sizeof field, "exceptions[%zu].phrase", i);
		x->phrase = get_text(o, "phrase", field, 0, v);
		snprintf(field, sizeof field, "exceptions[%zu].kind", i);
		kind = get_text(o, "kind", field, 0, v);
		x->kind = lang_exception_kind_parse(kind);
		free(kind);
	}
}

enum err
language_parse(json_t *root, struct lang_dict **out, struct verr *v)
{
	struct lang_dict *d;
	json_t *a, *name;
	int before = v->n + v->dropped;
	size_t i;

	*out = NULL;
	if (!json_is_object(root)) {
		verr_add(v, "body", "must be a JSON object");
		return ERR_INVALID;
	}
	d = xcalloc(1, sizeof *d);
	name = json_object_get(root, "name");
	if (name != NULL && (!json_is_string(name) ||
	    strcmp(json_string_value(name), "language") != 0))
		verr_add(v, "name", "must be \"language\"");
	d->version = get_text(root, "version", "version", 0, v);
	d->description = get_text(root, "description", "description", 1, v);
	if ((a = get_array(root, "sources", LANG_MAX_SOURCES, v)) != NULL) {
		d->sources = xcalloc(json_array_size(a) + 1,
		    sizeof *d->sources);
		for (i = 0; i < json_array_size(a); i++) {
			json_t *s = json_array_get(a, i);
			char field[32];

			snprintf(field, sizeof field, "sources[%zu]", i);
			if (!json_is_string(s) || strlen(json_string_value(s)) !=
			    json_string_length(s))
				verr_add(v, field, "must be a string");
			else
				d->sources[d->nsources++] =
				    xstrdup(json_string_value(s));
		}
	}
	if ((a = get_array(root, "entries", LANG_MAX_ENTRIES, v)) != NULL)
		parse_entries(a, d, v);
	else if (json_object_get(root, "entries") == NULL)
		verr_add(v, "entries", "is required");
	if ((a = get_array(root, "exceptions", LANG_MAX_EXCEPTIONS, v)) !=
	    NULL)
		parse_exceptions(a, d, v);
	if (v->n + v->dropped == before && lang_dict_check(d, v) == ERR_OK) {
		*out = d;
		return ERR_OK;
	}
	lang_dict_free(d);
	return ERR_INVALID;
}

enum err
language_parse_text(const char *text, size_t len, struct lang_dict **out,
    struct verr *v)
{
	json_error_t jerr;
	json_t *root;
	enum err e;

	*out = NULL;
	if ((root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		verr_add(v, "body", "is not valid JSON (line %d, column %d)",
		    jerr.line, jerr.column);
		return ERR_INVALID;
	}
	e = language_parse(root, out, v);
	json_decref(root);
	return e;
}

json_t *
language_to_json(const struct lang_dict *d)
{
	json_t *j = json_object(), *a;
	int i;

	json_object_set_new(j, "name", json_string("language"));
	json_object_set_new(j, "version", json_string(d->version));
	if (d->description != NULL)
		json_object_set_new(j, "description",
		    json_string(d->description));
	a = json_array();
	for (i = 0; i < d->nsources; i++)
		json_array_append_new(a, json_string(d->sources[i]));
	json_object_set_new(j, "sources", a);
	a = json_array();
	for (i = 0; i < d->nentries; i++) {
		const struct lang_entry *e = &d->entries[i];
		json_t *o = json_object();

		json_object_set_new(o, "term", json_string(e->term));
		json_object_set_new(o, "suggestion",
		    json_string(e->suggestion));
		json_object_set_new(o, "why", json_string(e->why));
		json_object_set_new(o, "source", json_string(e->source));
		json_object_set_new(o, "category",
		    json_string(lang_category_name(e->category)));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "entries", a);
	a = json_array();
	for (i = 0; i < d->nexceptions; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "phrase",
		    json_string(d->exceptions[i].phrase));
		json_object_set_new(o, "kind",
		    json_string(lang_exception_kind_name(
		    d->exceptions[i].kind)));
		json_array_append_new(a, o);
	}
	json_object_set_new(j, "exceptions", a);
	return j;
}

/* Reads and parses the stored dictionary; *d is new (caller frees). */
static enum err
read_stored(struct db *db, struct lang_dict **d, char *why, size_t whylen)
{
	char *version = NULL, *body = NULL;
	int64_t stamp;
	struct verr v;
	enum err e;

	*d = NULL;
	verr_init(&v);
	if ((e = language_stored(db, &version, &stamp, &body)) != ERR_OK) {
		snprintf(why, whylen, e == ERR_NOT_FOUND ? "rule set language "
		    "is missing; run alongside migrate" : "rule set language "
		    "cannot be read: %s", err_str(e));
		goto done;
	}
	if ((e = language_parse_text(body, strlen(body), d, &v)) != ERR_OK) {
		snprintf(why, whylen, "rule set language: %s %s",
		    v.n ? v.e[0].field : "body", v.n ? v.e[0].message :
		    "is not valid");
		goto done;
	}
	(*d)->stamp = stamp;
done:
	free(version);
	free(body);
	return e;
}

enum err
language_load(struct db *db, char *why, size_t whylen)
{
	struct lang_dict *d;
	enum err e;

	if ((e = read_stored(db, &d, why, whylen)) != ERR_OK)
		return e;
	lang_dict_install(d);
	return ERR_OK;
}

static pthread_mutex_t poll_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t next_poll;
static int64_t bad_stamp = -1;	/* a stored copy that did not parse */

void
language_refresh(struct db *db)
{
	struct lang_dict *cur, *d;
	char *version = NULL, why[256];
	int64_t stamp, now = time_now_ms();
	int due, same;

	/* One thread at a time asks, at most every LANGUAGE_POLL_MS. */
	pthread_mutex_lock(&poll_lock);
	if ((due = now >= next_poll))
		next_poll = now + LANGUAGE_POLL_MS;
	pthread_mutex_unlock(&poll_lock);
	if (!due || language_stored(db, &version, &stamp, NULL) != ERR_OK) {
		free(version);
		return;
	}
	cur = lang_dict_get();
	same = cur != NULL && cur->stamp == stamp &&
	    strcmp(cur->version, version) == 0;
	lang_dict_put(cur);
	free(version);
	pthread_mutex_lock(&poll_lock);
	same = same || stamp == bad_stamp;
	pthread_mutex_unlock(&poll_lock);
	if (same)
		return;
	if (read_stored(db, &d, why, sizeof why) != ERR_OK) {
		/* Said once per stored copy, not at every poll. */
		pthread_mutex_lock(&poll_lock);
		bad_stamp = stamp;
		pthread_mutex_unlock(&poll_lock);
		log_warn("language: keeping the dictionary in force: %s", why);
		return;
	}
	log_info("language: dictionary version %s now in force", d->version);
	lang_dict_install(d);
}
