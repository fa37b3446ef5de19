/*
 * The language coach: POST /api/v1/language/check, and the dictionary
 * (GET and PUT /api/v1/language/dictionary). The text checked is never
 * logged, stored or echoed: errors name the field only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/language.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "interop/language_json.h"

static json_t *
finding_json(const struct lang_dict *d, const struct lang_finding *f)
{
	const struct lang_entry *e = &d->entries[f->entry];
	json_t *o = json_object();

	json_object_set_new(o, "start", json_integer((json_int_t)f->start));
	json_object_set_new(o, "end", json_integer((json_int_t)f->end));
	json_object_set_new(o, "term", json_string(e->term));
	json_object_set_new(o, "suggestion", json_string(e->suggestion));
	json_object_set_new(o, "category",
	    json_string(lang_category_name(e->category)));
	json_object_set_new(o, "why", json_string(e->why));
	return o;
}

enum err
api_language_check(struct req *r)
{
	struct lang_finding *f = NULL;
	struct lang_dict *d;
	json_t *text, *j, *a;
	struct verr v;
	int n = 0, i;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	verr_init(&v);
	if (!validate_object(r->json, body_language_check, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	language_refresh(r->db);
	if ((d = lang_dict_get()) == NULL)
		return ERR_INTERNAL;
	text = json_object_get(r->json, "text");
	e = language_check(&r->actor, d, json_string_value(text),
	    json_string_length(text), &v, &f, &n);
	if (e != ERR_OK) {
		if (e == ERR_INVALID)
			http_problem_fields(r, &v);
		lang_dict_put(d);
		return e;
	}
	j = json_object();
	a = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(a, finding_json(d, &f[i]));
	json_object_set_new(j, "findings", a);
	json_object_set_new(j, "version", json_string(d->version));
	free(f);
	lang_dict_put(d);
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_language_dictionary(struct req *r)
{
	struct lang_dict *d;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = language_read_allowed(&r->actor)) != ERR_OK)
		return e;
	language_refresh(r->db);
	if ((d = lang_dict_get()) == NULL)
		return ERR_INTERNAL;
	http_json(r, 200, language_to_json(d));
	lang_dict_put(d);
	return ERR_OK;
}

enum err
api_language_dictionary_put(struct req *r)
{
	struct lang_dict *d = NULL;
	struct verr v;
	json_t *j;
	char *body;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	/* Refused before the body is read, so only an administrator learns
	 * what is wrong with one. */
	if ((e = language_edit_allowed(r->db, &r->actor)) != ERR_OK)
		return e;
	verr_init(&v);
	if (!validate_object(r->json, body_language_dictionary, NULL, &v) ||
	    language_parse(r->json, &d, &v) != ERR_OK) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	/* Stored as the server writes it, so every server reads the same. */
	j = language_to_json(d);
	body = json_dumps(j, JSON_INDENT(2));
	if (body == NULL) {
		json_decref(j);
		lang_dict_free(d);
		return ERR_INTERNAL;
	}
	e = language_replace(r->db, &r->actor, d, body, &v);
	free(body);
	if (e != ERR_OK) {
		lang_dict_free(d);
		json_decref(j);
		if (e == ERR_INVALID)
			http_problem_fields(r, &v);
		return e;
	}
	http_json(r, 200, j);
	return ERR_OK;
}
