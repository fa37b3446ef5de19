/*
 * /api/v1/resources/import and /export: the resource directory in and out
 * as Open Referral HSDS 3.0 (docs/resources.md). A package comes in as
 * the body, so its size is bounded by the server's --max-body; bigger
 * packages go through `alongside import hsds`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/policy.h"
#include "http/api/api.h"
#include "interop/hsds.h"
#include "util/xalloc.h"

static int
is_format(const char *s, const char *a, const char *b)
{
	return s != NULL && (strcmp(s, a) == 0 || strcmp(s, b) == 0);
}

/* The 422 naming every rejected row. */
static void
rejected(struct req *r, struct hsds_package *p)
{
	const struct hsds_reject *rej;
	json_t *j = json_object(), *list = json_array(), *errs = json_array();
	char detail[160], field[512];
	int n, total, i;

	rej = hsds_rejects(p, &n, &total);
	for (i = 0; i < n; i++) {
		json_t *o = json_object(), *e = json_object();

		json_object_set_new(o, "file", json_string(rej[i].file));
		json_object_set_new(o, "line", json_integer(rej[i].line));
		json_object_set_new(o, "field", json_string(rej[i].field));
		json_object_set_new(o, "reason", json_string(rej[i].reason));
		json_array_append_new(list, o);
		if (rej[i].line > 0)
			snprintf(field, sizeof field, "%s:%d:%s", rej[i].file,
			    rej[i].line, rej[i].field);
		else if (*rej[i].field != '\0')
			snprintf(field, sizeof field, "%s", rej[i].field);
		else
			snprintf(field, sizeof field, "%s", rej[i].file);
		json_object_set_new(e, "field", json_string(field));
		json_object_set_new(e, "message", json_string(rej[i].reason));
		json_array_append_new(errs, e);
	}
	snprintf(detail, sizeof detail, "%d %s; nothing was imported.", total,
	    total == 1 ? "value needs attention" : "values need attention");
	json_object_set_new(j, "type",
	    json_string("urn:alongside:problem:import-rejected"));
	json_object_set_new(j, "title",
	    json_string("The package was not imported"));
	json_object_set_new(j, "status", json_integer(422));
	json_object_set_new(j, "detail", json_string(detail));
	json_object_set_new(j, "rejected", list);
	json_object_set_new(j, "rejected_total", json_integer(total));
	json_object_set_new(j, "errors", errs);
	http_json(r, 422, j);
	r->content_type = "application/problem+json";
}

/* The body's files as a package's; 0 with v filled when they are not
 * text. */
static int
body_files(const json_t *files, struct hsds_file **out, int *n,
    struct verr *v)
{
	const char *name;
	json_t *val;
	int k = 0;

	*out = xcalloc(json_object_size(files) + 1, sizeof **out);
	json_object_foreach((json_t *)files, name, val) {
		if (!json_is_string(val)) {
			char field[160];

			snprintf(field, sizeof field, "files.%.120s", name);
			verr_add(v, field, "must be the file's text");
			continue;
		}
		(*out)[k].name = name;
		(*out)[k].text = json_string_value(val);
		(*out)[k].len = json_string_length(val);
		k++;
	}
	*n = k;
	return v->n == 0;
}

enum err
api_resources_import(struct req *r)
{
	static const char *const allowed[] = { "dry_run", NULL };
	struct hsds_package *p;
	struct hsds_file *files = NULL;
	struct hsds_counts c;
	const char *fmt, *dry;
	const json_t *files_j, *services_j;
	const char *key;
	json_t *val, *j;
	struct verr v;
	int dry_run = 0, nfiles = 0;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = policy_check(&r->actor, POL_RESOURCE_IMPORT, NULL)) != ERR_OK)
		return e;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	dry = http_query(r, "dry_run");
	if (dry != NULL) {
		if (strcmp(dry, "true") == 0)
			dry_run = 1;
		else if (strcmp(dry, "false") != 0)
			verr_add(&v, "dry_run", "must be true or false");
	}
	json_object_foreach(r->json, key, val)
		if (strcmp(key, "format") != 0 && strcmp(key, "files") != 0 &&
		    strcmp(key, "services") != 0)
			verr_add(&v, key, "is not a field of an import");
	fmt = json_string_value(json_object_get(r->json, "format"));
	files_j = json_object_get(r->json, "files");
	services_j = json_object_get(r->json, "services");
	if (is_format(fmt, "hsds-tabular", "tabular")) {
		if (!json_is_object(files_j))
			verr_add(&v, "files", "must be an object of file "
			    "names and their text");
		if (services_j != NULL)
			verr_add(&v, "services", "is for hsds-json");
	} else if (is_format(fmt, "hsds-json", "json")) {
		if (!json_is_array(services_j))
			verr_add(&v, "services", "must be a list of services");
		if (files_j != NULL)
			verr_add(&v, "files", "is for hsds-tabular");
	} else {
		verr_add(&v, "format", "must be hsds-tabular or hsds-json");
	}
	if (v.n == 0 && files_j != NULL)
		body_files(files_j, &files, &nfiles, &v);
	if (v.n > 0) {
		free(files);
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	p = hsds_package_new();
	if (files_j != NULL)
		hsds_read_tabular(p, files, nfiles);
	else
		hsds_read_json(p, "body", services_j);
	free(files);
	e = hsds_import(r->db, &r->actor, p, dry_run, &c);
	if (e == ERR_INVALID) {
		rejected(r, p);
		hsds_package_free(p);
		return e;
	}
	hsds_package_free(p);
	if (e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "applied", json_boolean(!dry_run));
	json_object_set_new(j, "dry_run", json_boolean(dry_run));
	json_object_set_new(j, "counts", hsds_counts_json(&c));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_resources_export(struct req *r)
{
	static const char *const allowed[] = { "format", NULL };
	const char *fmt;
	struct verr v;
	json_t *j = NULL;
	char *s;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = policy_check(&r->actor, POL_RESOURCE_READ, NULL)) != ERR_OK)
		return e;
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	fmt = http_query(r, "format");
	if (fmt != NULL && strcmp(fmt, "json") != 0 &&
	    strcmp(fmt, "tabular") != 0)
		verr_add(&v, "format", "must be json or tabular");
	if (v.n > 0) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (fmt != NULL && strcmp(fmt, "tabular") == 0) {
		struct hsds_file *f;
		json_t *files;
		int n, i;

		if ((e = hsds_export_tabular(r->db, &f, &n)) != ERR_OK)
			return e;
		files = json_object();
		for (i = 0; i < n; i++)
			json_object_set_new(files, f[i].name,
			    json_stringn(f[i].text, f[i].len));
		hsds_files_free(f, n);
		j = json_object();
		json_object_set_new(j, "files", files);
	} else if ((e = hsds_export_json(r->db, &j)) != ERR_OK) {
		return e;
	}
	s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(15));
	json_decref(j);
	buf_reset(&r->out);
	if (s == NULL || buf_puts(&r->out, s) != ERR_OK) {
		free(s);
		buf_reset(&r->out);
		http_problem(r, 413, NULL, "Content Too Large", "The directory "
		    "is larger than the server answers; export it with "
		    "alongside export hsds.");
		return ERR_TOO_LARGE;
	}
	free(s);
	r->status = 200;
	r->content_type = "application/json";
	r->responded = 1;
	return ERR_OK;
}
