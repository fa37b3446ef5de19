/*
 * Reading HSDS JSON (a list of dereferenced services, a page of them, or
 * one) into the rows of a package: each object's parent links come from
 * where it is nested; an object met again under the same id is merged.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop/hsds_intern.h"
#include "util/xalloc.h"

struct jctx {
	struct hsds_package	*p;
	const char		*file;
};

/* The value of a JSON scalar for field f as text to check. */
static int
json_scalar(const struct hfield *f, const json_t *j, char **out,
    const char **why)
{
	char buf[64];

	*out = NULL;
	if (j == NULL || json_is_null(j) || f->kind == K_SKIP)
		return 1;
	if (json_is_string(j))
		return hsds_value_check(f, json_string_value(j), out, why);
	if (json_is_integer(j) && (f->kind == K_INT || f->kind == K_NUM ||
	    f->kind == K_COORD)) {
		snprintf(buf, sizeof buf, "%lld",
		    (long long)json_integer_value(j));
		return hsds_value_check(f, buf, out, why);
	}
	if (json_is_real(j) && f->kind == K_COORD) {
		double d = json_real_value(j) * 1e6;

		if (!(d > (double)f->min - 1 && d < (double)f->max + 1) ||
		    llround(d) < f->min || llround(d) > f->max) {
			*why = f->max == 90000000 ? "is not a latitude from -90 "
			    "to 90" : "is not a longitude from -180 to 180";
			return 0;
		}
		snprintf(buf, sizeof buf, "%lld", (long long)llround(d));
		*out = xstrdup(buf);
		return 1;
	}
	if (json_is_real(j) && f->kind == K_NUM) {
		snprintf(buf, sizeof buf, "%.15g", json_real_value(j));
		return hsds_value_check(f, buf, out, why);
	}
	if (json_is_real(j) && f->kind == K_INT) {
		double d = json_real_value(j);

		if (d == floor(d) && fabs(d) < 1e15) {
			snprintf(buf, sizeof buf, "%.0f", d);
			return hsds_value_check(f, buf, out, why);
		}
	}
	*why = hsds_is_int(f) || f->kind == K_NUM ? "must be a number" :
	    "must be text";
	return 0;
}

/*
 * Reads the JSON object j (at path) as a row of o, with link fields
 * (name=value pairs) set by where it is nested, and merges it with a row
 * of the same id met before. Returns the row's id (borrowed from the
 * package) or NULL when it was rejected.
 */
static const char *
json_row(struct jctx *x, enum hsds_obj o, const json_t *j, const char *path,
    const char *const *links)
{
	const struct hobj *ob = &hsds_objs[o];
	struct hsds_package *p = x->p;
	struct hrow *r, *old;
	unsigned char badf[32];
	char field[512];
	int i, k, bad = 0, at;

	memset(badf, 0, sizeof badf);
	if (!json_is_object(j)) {
		hsds_reject_add(p, x->file, 0, path, "must be an object");
		return NULL;
	}
	if (!hsds_count_row(p, x->file, 0))
		return NULL;
	r = hsds_tab_add(p, o);
	for (i = 0; i < ob->nf; i++) {
		const char *why = NULL;

		if (!json_scalar(&ob->f[i], json_object_get(j, ob->f[i].name),
		    &r->v[i], &why)) {
			snprintf(field, sizeof field, "%s.%s", path,
			    ob->f[i].name);
			hsds_reject_add(p, x->file, 0, field, "%s", why);
			badf[i] = 1;
			bad = 1;
		}
	}
	for (k = 0; links && links[k]; k += 2) {
		i = hsds_field(o, links[k]);
		if (links[k + 1] == NULL || i < 0)
			continue;
		if (r->v[i] == NULL)
			r->v[i] = xstrdup(links[k + 1]);
		else if (strcmp(r->v[i], links[k + 1]) != 0) {
			snprintf(field, sizeof field, "%s.%s", path, links[k]);
			hsds_reject_add(p, x->file, 0, field, "names another row than "
			    "the one it is nested in");
			bad = 1;
		}
	}
	snprintf(field, sizeof field, "%s.", path);
	hsds_row_check(p, o, r, x->file, field, badf);
	if (r->v[0] == NULL) {
		hsds_tab_drop_last(p, o);
		return NULL;
	}
	(void)bad;
	if ((at = hsds_tab_find(&p->t[o], r->v[0])) < 0) {
		r->path = xstrdup(path);
		hsds_tab_index(&p->t[o], p->t[o].n - 1);
		return r->v[0];
	}
	/* Met before: the same values, or values it lacked then. */
	old = &p->t[o].rows[at];
	for (i = 1; i < ob->nf; i++) {
		if (r->v[i] == NULL)
			continue;
		if (old->v[i] == NULL) {
			old->v[i] = r->v[i];
			r->v[i] = NULL;
		} else if (strcmp(old->v[i], r->v[i]) != 0) {
			snprintf(field, sizeof field, "%s.%s", path,
			    ob->f[i].name);
			hsds_reject_add(p, x->file, 0, field, "differs from the same "
			    "id at %.120s", old->path);
		}
	}
	hsds_tab_drop_last(p, o);
	return p->t[o].rows[at].v[0];
}

/* Counts the rows of a list (or one object) the directory leaves aside,
 * once per id. */
static void
json_aside(struct jctx *x, enum hsds_aside a, const json_t *v)
{
	size_t i, n = json_is_array(v) ? json_array_size(v) : 1;

	if (v == NULL || json_is_null(v))
		return;
	for (i = 0; i < n; i++) {
		const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
		const char *id = json_string_value(json_object_get(e, "id"));

		if (!hsds_count_row(x->p, x->file, 0))
			return;
		if (id == NULL || hsds_sset_add(&x->p->aside_ids[a], id))
			x->p->aside[a]++;
	}
}

/* path + "." + name, cut short if it must be. */
static void
join(char *out, size_t n, const char *path, const char *name)
{
	size_t k = strlen(path);

	if (k + 1 + strlen(name) >= n) {
		snprintf(out, n, "%s", name);
		return;
	}
	memcpy(out, path, k);
	out[k] = '.';
	memcpy(out + k + 1, name, strlen(name) + 1);
}

typedef void (*json_child_fn)(struct jctx *x, const json_t *j,
    const char *path, const char *parent_id, int parent);

/* Calls fn on each element of the list j[key]. */
static void
json_list(struct jctx *x, const json_t *j, const char *path, const char *key,
    json_child_fn fn, const char *parent_id, int parent)
{
	const json_t *a = json_object_get(j, key);
	char sub[512];
	size_t i;

	if (a == NULL || json_is_null(a))
		return;
	if (!json_is_array(a)) {
		/* A path past the buffer is cut; it only names a place. */
		if (snprintf(sub, sizeof sub, "%s.%s", path, key) < 0)
			sub[0] = '\0';
		hsds_reject_add(x->p, x->file, 0, sub, "must be a list");
		return;
	}
	for (i = 0; i < json_array_size(a) && !x->p->over; i++) {
		if (snprintf(sub, sizeof sub, "%s.%s[%zu]", path, key, i) < 0)
			sub[0] = '\0';
		fn(x, json_array_get(a, i), sub, parent_id, parent);
	}
}

static void
j_taxonomy_term(struct jctx *x, const json_t *j, const char *path,
    const char **id_out)
{
	const json_t *d = json_object_get(j, "taxonomy_detail");
	const char *tax = NULL;
	const char *links[3] = { "taxonomy_id", NULL, NULL };
	char sub[512];

	if (d != NULL && !json_is_null(d)) {
		join(sub, sizeof sub, path, "taxonomy_detail");
		tax = json_row(x, HO_TAXONOMY, d, sub, NULL);
		if (tax == NULL)
			return;
	}
	links[1] = tax;
	*id_out = json_row(x, HO_TAXONOMY_TERM, j, path, links);
}

static void
j_attribute(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *term = NULL;
	const char *links[7] = { "link_id", parent_id, "taxonomy_term_id",
	    NULL, "link_entity", NULL, NULL };
	const json_t *t;
	char sub[512];

	if (json_is_object(j) && (t = json_object_get(j, "taxonomy_term")) &&
	    !json_is_null(t)) {
		join(sub, sizeof sub, path, "taxonomy_term");
		j_taxonomy_term(x, t, sub, &term);
		if (term == NULL)
			return;
	}
	links[3] = term;
	/* The entity it is nested in, unless it says. */
	if (json_object_get(j, "link_entity") == NULL)
		links[5] = hsds_objs[parent].name;
	json_row(x, HO_ATTRIBUTE, j, path, links);
}

static void
j_language(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { parent == HO_PHONE ? "phone_id" :
	    parent == HO_LOCATION ? "location_id" : "service_id", parent_id,
	    NULL };

	json_row(x, HO_LANGUAGE, j, path, links);
}

static void
j_phone(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { parent == HO_ORGANIZATION ?
	    "organization_id" : parent == HO_LOCATION ? "location_id" :
	    parent == HO_SERVICE_AT_LOCATION ? "service_at_location_id" :
	    "service_id", parent_id, NULL };
	const char *id = json_row(x, HO_PHONE, j, path, links);

	if (id != NULL)
		json_list(x, j, path, "languages", j_language, id, HO_PHONE);
}

static void
j_schedule(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { parent == HO_LOCATION ? "location_id" :
	    parent == HO_SERVICE_AT_LOCATION ? "service_at_location_id" :
	    "service_id", parent_id, NULL };

	json_row(x, HO_SCHEDULE, j, path, links);
}

static void
j_address(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { "location_id", parent_id, NULL };

	(void)parent;
	json_row(x, HO_ADDRESS, j, path, links);
}

static void
j_cost(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { "service_id", parent_id, NULL };

	(void)parent;
	json_row(x, HO_COST_OPTION, j, path, links);
}

static void
j_location(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[3] = { "organization_id", parent ==
	    HO_ORGANIZATION ? parent_id : NULL, NULL };
	const char *id = json_row(x, HO_LOCATION, j, path, links);

	if (id == NULL)
		return;
	json_list(x, j, path, "addresses", j_address, id, HO_LOCATION);
	json_list(x, j, path, "phones", j_phone, id, HO_LOCATION);
	json_list(x, j, path, "languages", j_language, id, HO_LOCATION);
	json_list(x, j, path, "schedules", j_schedule, id, HO_LOCATION);
	json_list(x, j, path, "attributes", j_attribute, id, HO_LOCATION);
	json_aside(x, HA_CONTACT, json_object_get(j, "contacts"));
	json_aside(x, HA_ACCESSIBILITY, json_object_get(j, "accessibility"));
	json_aside(x, HA_METADATA, json_object_get(j, "metadata"));
}

static void
j_sal(struct jctx *x, const json_t *j, const char *path,
    const char *parent_id, int parent)
{
	const char *links[5] = { "service_id", parent_id, "location_id", NULL,
	    NULL };
	const json_t *l;
	const char *id;
	char sub[512];

	(void)parent;
	if (json_is_object(j) && (l = json_object_get(j, "location")) &&
	    !json_is_null(l)) {
		join(sub, sizeof sub, path, "location");
		j_location(x, l, sub, NULL, HO_SERVICE_AT_LOCATION);
		links[3] = json_string_value(json_object_get(l, "id"));
		if (links[3] == NULL ||
		    hsds_find(x->p, HO_LOCATION, links[3]) == NULL)
			links[3] = NULL;
	}
	if ((id = json_row(x, HO_SERVICE_AT_LOCATION, j, path, links)) ==
	    NULL)
		return;
	json_list(x, j, path, "phones", j_phone, id, HO_SERVICE_AT_LOCATION);
	json_list(x, j, path, "schedules", j_schedule, id,
	    HO_SERVICE_AT_LOCATION);
	json_list(x, j, path, "attributes", j_attribute, id,
	    HO_SERVICE_AT_LOCATION);
	json_aside(x, HA_CONTACT, json_object_get(j, "contacts"));
	json_aside(x, HA_METADATA, json_object_get(j, "metadata"));
}

static const char *
j_organization(struct jctx *x, const json_t *j, const char *path)
{
	const char *id = json_row(x, HO_ORGANIZATION, j, path, NULL);

	if (id == NULL)
		return NULL;
	json_list(x, j, path, "locations", j_location, id, HO_ORGANIZATION);
	json_list(x, j, path, "phones", j_phone, id, HO_ORGANIZATION);
	json_list(x, j, path, "attributes", j_attribute, id, HO_ORGANIZATION);
	json_aside(x, HA_CONTACT, json_object_get(j, "contacts"));
	json_aside(x, HA_FUNDING, json_object_get(j, "funding"));
	json_aside(x, HA_PROGRAM, json_object_get(j, "programs"));
	json_aside(x, HA_ORGANIZATION_IDENTIFIER,
	    json_object_get(j, "organization_identifiers"));
	json_aside(x, HA_METADATA, json_object_get(j, "metadata"));
	return id;
}

static void
j_service(struct jctx *x, const json_t *j, const char *path)
{
	const char *links[3] = { "organization_id", NULL, NULL };
	const json_t *org;
	const char *id;
	char sub[512];

	if (json_is_object(j) && (org = json_object_get(j, "organization")) &&
	    !json_is_null(org)) {
		join(sub, sizeof sub, path, "organization");
		if ((links[1] = j_organization(x, org, sub)) == NULL)
			return;
	}
	if ((id = json_row(x, HO_SERVICE, j, path, links)) == NULL)
		return;
	json_list(x, j, path, "service_at_locations", j_sal, id, HO_SERVICE);
	json_list(x, j, path, "phones", j_phone, id, HO_SERVICE);
	json_list(x, j, path, "schedules", j_schedule, id, HO_SERVICE);
	json_list(x, j, path, "languages", j_language, id, HO_SERVICE);
	json_list(x, j, path, "cost_options", j_cost, id, HO_SERVICE);
	json_list(x, j, path, "attributes", j_attribute, id, HO_SERVICE);
	json_aside(x, HA_CONTACT, json_object_get(j, "contacts"));
	json_aside(x, HA_FUNDING, json_object_get(j, "funding"));
	json_aside(x, HA_PROGRAM, json_object_get(j, "program"));
	json_aside(x, HA_SERVICE_AREA, json_object_get(j, "service_areas"));
	json_aside(x, HA_REQUIRED_DOCUMENT,
	    json_object_get(j, "required_documents"));
	json_aside(x, HA_METADATA, json_object_get(j, "metadata"));
}

void
hsds_read_json(struct hsds_package *p, const char *file, const json_t *doc)
{
	struct jctx x = { p, file };
	const json_t *list = doc;
	char path[64];
	size_t i;

	free(p->json_file);
	p->json_file = xstrdup(file);
	if (json_is_object(doc) && json_object_get(doc, "contents") == NULL &&
	    json_object_get(doc, "id") != NULL) {
		/* One service on its own. */
		j_service(&x, doc, "services[0]");
		return;
	}
	if (json_is_object(doc))
		list = json_object_get(doc, "contents");
	if (!json_is_array(list)) {
		hsds_reject_add(p, file, 0, "", "is not a list of services (an array, "
		    "or a page with \"contents\")");
		return;
	}
	for (i = 0; i < json_array_size(list) && !p->over; i++) {
		snprintf(path, sizeof path, "services[%zu]", i);
		j_service(&x, json_array_get(list, i), path);
	}
}

void
hsds_read_json_text(struct hsds_package *p, const char *file,
    const char *text, size_t len)
{
	json_error_t e;
	json_t *j;

	if (len > HSDS_PACKAGE_MAX) {
		hsds_reject_add(p, file, 0, "", "the package is larger than 50 MB");
		return;
	}
	if ((j = json_loadb(text, len, 0, &e)) == NULL) {
		hsds_reject_add(p, file, e.line > 0 ? e.line : 0, "", "is not valid "
		    "JSON (line %d, column %d)", e.line, e.column);
		return;
	}
	hsds_read_json(p, file, j);
	json_decref(j);
}

