/*
 * The directory as HSDS: a tabular data package (the kept objects' CSV
 * files with HSDS's columns in HSDS's order, and the published
 * datapackage.json narrowed to them) or HSDS JSON (dereferenced
 * services). Coordinates go out in degrees with up to six places.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interop/hsds_intern.h"
#include "util/asset.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/parse.h"
#include "util/xalloc.h"

/* The largest file written. */
#define EXPORT_FILE_MAX	((size_t)1 << 30)

/* One table read whole: rows of nf values (NULL for SQL NULL and
 * columns not kept), sorted by id. */
struct etab {
	char	***row;
	int	   n, cap;
};

/* Rows of a table by the value of one column. */
struct eidx {
	const char	**key;
	int		 *row;
	int		  n;
};

static enum err
load(struct db *db, enum hsds_obj o, struct etab *t)
{
	const struct hobj *ob = &hsds_objs[o];
	struct db_stmt *st;
	struct buf sql;
	enum err e;
	int i, c, row, first = 1;

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT ");
	for (i = 0; i < ob->nf; i++)
		if (ob->f[i].kind != K_SKIP) {
			buf_printf(&sql, "%s\"%s\"", first ? "" : ", ",
			    hsds_col(&ob->f[i]));
			first = 0;
		}
	buf_printf(&sql, " FROM %s ORDER BY id", ob->table);
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		char **v = xcalloc((size_t)ob->nf, sizeof *v);

		for (i = 0, c = 0; i < ob->nf; i++) {
			char num[32];

			if (ob->f[i].kind == K_SKIP)
				continue;
			if (db_col_is_null(st, c))
				v[i] = NULL;
			else if (ob->f[i].kind == K_COORD) {
				hsds_e6_format(db_col_int(st, c), num);
				v[i] = xstrdup(num);
			} else if (ob->f[i].kind == K_INT) {
				snprintf(num, sizeof num, "%lld",
				    (long long)db_col_int(st, c));
				v[i] = xstrdup(num);
			} else
				v[i] = db_col_dup(st, c);
			c++;
		}
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 64;
			t->row = xreallocarray(t->row, (size_t)t->cap,
			    sizeof *t->row);
		}
		t->row[t->n++] = v;
	}
	db_done(st);
	return e;
}

static void
etab_free(struct etab *t, enum hsds_obj o)
{
	int i, k;

	for (i = 0; i < t->n; i++) {
		for (k = 0; k < hsds_objs[o].nf; k++)
			free(t->row[i][k]);
		free(t->row[i]);
	}
	free(t->row);
}

static enum err
write_csv(enum hsds_obj o, const struct etab *t, struct hsds_file *out)
{
	const struct hobj *ob = &hsds_objs[o];
	struct buf b;
	enum err e = ERR_OK;
	int i, k;

	buf_init(&b, EXPORT_FILE_MAX);
	for (k = 0; k < ob->nf && e == ERR_OK; k++)
		e = csv_put(&b, ob->f[k].name, k == 0);
	if (e == ERR_OK)
		e = csv_end(&b);
	for (i = 0; i < t->n && e == ERR_OK; i++) {
		for (k = 0; k < ob->nf && e == ERR_OK; k++)
			e = csv_put(&b, t->row[i][k], k == 0);
		if (e == ERR_OK)
			e = csv_end(&b);
	}
	if (e != ERR_OK) {
		buf_free(&b);
		return e;
	}
	out->name = xstrdup(ob->file);
	out->len = b.len;
	buf_putc(&b, '\0');
	out->text = buf_take(&b);
	return ERR_OK;
}

/* The published datapackage.json with only the resources written. */
static enum err
write_datapackage(struct hsds_file *out)
{
	const struct asset *a = asset_find(hsds_assets, "/datapackage.json");
	json_t *j, *res, *keep;
	size_t i;
	char *s;
	int o;

	if (a == NULL || (j = json_loadb((const char *)a->data, a->len, 0,
	    NULL)) == NULL)
		return ERR_INTERNAL;
	res = json_object_get(j, "resources");
	keep = json_array();
	for (i = 0; i < json_array_size(res); i++) {
		const char *name = json_string_value(json_object_get(
		    json_array_get(res, i), "name"));

		for (o = 0; name && o < HO__COUNT; o++)
			if (strcmp(name, hsds_objs[o].name) == 0)
				json_array_append(keep, json_array_get(res, i));
	}
	json_object_set_new(j, "resources", keep);
	s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (s == NULL)
		return ERR_INTERNAL;
	out->name = xstrdup("datapackage.json");
	out->len = strlen(s) + 1;
	out->text = xmalloc(out->len + 1);
	memcpy((char *)out->text, s, out->len - 1);
	((char *)out->text)[out->len - 1] = '\n';
	((char *)out->text)[out->len] = '\0';
	free(s);
	return ERR_OK;
}

enum err
hsds_export_tabular(struct db *db, struct hsds_file **out, int *n)
{
	struct hsds_file *f = xcalloc(HO__COUNT + 1, sizeof *f);
	enum err e;
	int o, k = 0;

	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK) {
		free(f);
		return e;
	}
	for (o = 0; o < HO__COUNT && e == ERR_OK; o++) {
		struct etab t = { 0 };

		if ((e = load(db, o, &t)) == ERR_OK &&
		    (e = write_csv(o, &t, &f[k])) == ERR_OK)
			k++;
		etab_free(&t, o);
	}
	db_rollback(db);
	if (e == ERR_OK && (e = write_datapackage(&f[k])) == ERR_OK)
		k++;
	if (e != ERR_OK) {
		hsds_files_free(f, k);
		return e;
	}
	*out = f;
	*n = k;
	return ERR_OK;
}

/* ---------------------------------------------------------------- */
/* JSON */

struct ectx {
	struct etab	 t[HO__COUNT];
	struct eidx	 by_id[HO__COUNT];
	/* children by the column naming their parent */
	struct eidx	 org_locations, org_phones, loc_addresses, loc_phones,
			 loc_languages, loc_schedules, sal_phones,
			 sal_schedules, svc_sals, svc_phones, svc_schedules,
			 svc_languages, svc_costs, phone_languages, attr_link;
};

struct pair {
	const char	*key;
	int		 row;
};

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->row - y->row;
}

static void
index_build(struct eidx *ix, const struct etab *t, int col)
{
	struct pair *p = xcalloc((size_t)t->n + 1, sizeof *p);
	int i, n = 0;

	for (i = 0; i < t->n; i++)
		if (t->row[i][col] != NULL) {
			p[n].key = t->row[i][col];
			p[n].row = i;
			n++;
		}
	qsort(p, (size_t)n, sizeof *p, cmp_pair);
	ix->key = xcalloc((size_t)n + 1, sizeof *ix->key);
	ix->row = xcalloc((size_t)n + 1, sizeof *ix->row);
	for (i = 0; i < n; i++) {
		ix->key[i] = p[i].key;
		ix->row[i] = p[i].row;
	}
	ix->n = n;
	free(p);
}

static void
index_free(struct eidx *ix)
{
	free(ix->key);
	free(ix->row);
}

/* The first position of key in ix (ix->n when none). */
static int
index_first(const struct eidx *ix, const char *key)
{
	int lo = 0, hi = ix->n;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (strcmp(ix->key[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && strcmp(ix->key[lo], key) == 0 ? lo : ix->n;
}

static json_t *
num_json(const char *s)
{
	char again[64];
	double d = strtod(s, NULL);
	int64_t v;

	if (parse_int64(s, INT64_MIN, INT64_MAX, &v) == ERR_OK) {
		snprintf(again, sizeof again, "%lld", (long long)v);
		if (strcmp(again, s) == 0)
			return json_integer(v);
	}
	snprintf(again, sizeof again, "%.15g", d);
	return strcmp(again, s) == 0 && isfinite(d) ? json_real(d) :
	    json_string(s);
}

/* The row's own fields: every kept one but those naming a parent. */
static json_t *
fields_json(enum hsds_obj o, char **v)
{
	const struct hobj *ob = &hsds_objs[o];
	json_t *j = json_object();
	int64_t n;
	int i;

	for (i = 0; i < ob->nf; i++) {
		const struct hfield *f = &ob->f[i];
		json_t *x;

		if (f->kind == K_SKIP || f->kind == K_REF || f->kind == K_LINK)
			continue;
		if (v[i] == NULL)
			x = json_null();
		else if (f->kind == K_INT && parse_int64(v[i], INT64_MIN,
		    INT64_MAX, &n) == ERR_OK)
			x = json_integer(n);
		else if (f->kind == K_COORD || f->kind == K_NUM)
			x = num_json(v[i]);
		else
			x = json_string(v[i]);
		json_object_set_new(j, f->name, x);
	}
	return j;
}

typedef json_t *(*emit_fn)(struct ectx *x, int row);

/* A list of the rows of child table o whose indexed column is key. */
static json_t *
children(struct ectx *x, const struct eidx *ix, const char *key, emit_fn fn)
{
	json_t *a = json_array();
	int i;

	for (i = index_first(ix, key); i < ix->n &&
	    strcmp(ix->key[i], key) == 0; i++)
		json_array_append_new(a, fn(x, ix->row[i]));
	return a;
}

static json_t *
emit_plain(struct ectx *x, enum hsds_obj o, int row)
{
	return fields_json(o, x->t[o].row[row]);
}

static json_t *
e_language(struct ectx *x, int row)
{
	return emit_plain(x, HO_LANGUAGE, row);
}

static json_t *
e_schedule(struct ectx *x, int row)
{
	return emit_plain(x, HO_SCHEDULE, row);
}

static json_t *
e_address(struct ectx *x, int row)
{
	return emit_plain(x, HO_ADDRESS, row);
}

static json_t *
e_cost(struct ectx *x, int row)
{
	return emit_plain(x, HO_COST_OPTION, row);
}

static json_t *
e_phone(struct ectx *x, int row)
{
	json_t *j = emit_plain(x, HO_PHONE, row);

	json_object_set_new(j, "languages", children(x, &x->phone_languages,
	    x->t[HO_PHONE].row[row][0], e_language));
	return j;
}

static json_t *
e_attribute(struct ectx *x, int row)
{
	char **v = x->t[HO_ATTRIBUTE].row[row];
	const char *term = v[hsds_field(HO_ATTRIBUTE, "taxonomy_term_id")];
	json_t *j = emit_plain(x, HO_ATTRIBUTE, row);
	int i;

	i = term ? index_first(&x->by_id[HO_TAXONOMY_TERM], term) :
	    x->by_id[HO_TAXONOMY_TERM].n;
	if (i < x->by_id[HO_TAXONOMY_TERM].n) {
		int tr = x->by_id[HO_TAXONOMY_TERM].row[i], k;
		char **tv = x->t[HO_TAXONOMY_TERM].row[tr];
		const char *tax = tv[hsds_field(HO_TAXONOMY_TERM,
		    "taxonomy_id")];
		json_t *t = fields_json(HO_TAXONOMY_TERM, tv);

		k = tax ? index_first(&x->by_id[HO_TAXONOMY], tax) :
		    x->by_id[HO_TAXONOMY].n;
		if (k < x->by_id[HO_TAXONOMY].n)
			json_object_set_new(t, "taxonomy_detail",
			    fields_json(HO_TAXONOMY, x->t[HO_TAXONOMY].row[
			    x->by_id[HO_TAXONOMY].row[k]]));
		json_object_set_new(j, "taxonomy_term", t);
	}
	return j;
}

/* The attributes linked to the row id of entity. */
static json_t *
attributes(struct ectx *x, const char *id, enum hsds_obj entity)
{
	const struct eidx *ix = &x->attr_link;
	int ent = hsds_field(HO_ATTRIBUTE, "link_entity");
	json_t *a = json_array();
	int i;

	for (i = index_first(ix, id); i < ix->n && strcmp(ix->key[i], id) == 0;
	    i++) {
		const char *e = x->t[HO_ATTRIBUTE].row[ix->row[i]][ent];

		if (e != NULL && strcmp(e, hsds_objs[entity].name) == 0)
			json_array_append_new(a, e_attribute(x, ix->row[i]));
	}
	return a;
}

static json_t *
e_location(struct ectx *x, int row)
{
	const char *id = x->t[HO_LOCATION].row[row][0];
	json_t *j = emit_plain(x, HO_LOCATION, row);

	json_object_set_new(j, "addresses", children(x, &x->loc_addresses, id,
	    e_address));
	json_object_set_new(j, "phones", children(x, &x->loc_phones, id,
	    e_phone));
	json_object_set_new(j, "languages", children(x, &x->loc_languages, id,
	    e_language));
	json_object_set_new(j, "schedules", children(x, &x->loc_schedules, id,
	    e_schedule));
	json_object_set_new(j, "attributes", attributes(x, id, HO_LOCATION));
	return j;
}

static json_t *
e_sal(struct ectx *x, int row)
{
	char **v = x->t[HO_SERVICE_AT_LOCATION].row[row];
	const char *loc = v[hsds_field(HO_SERVICE_AT_LOCATION, "location_id")];
	json_t *j = emit_plain(x, HO_SERVICE_AT_LOCATION, row);
	int i;

	i = loc ? index_first(&x->by_id[HO_LOCATION], loc) :
	    x->by_id[HO_LOCATION].n;
	json_object_set_new(j, "location", i < x->by_id[HO_LOCATION].n ?
	    e_location(x, x->by_id[HO_LOCATION].row[i]) : json_null());
	json_object_set_new(j, "phones", children(x, &x->sal_phones, v[0],
	    e_phone));
	json_object_set_new(j, "schedules", children(x, &x->sal_schedules,
	    v[0], e_schedule));
	json_object_set_new(j, "attributes", attributes(x, v[0],
	    HO_SERVICE_AT_LOCATION));
	return j;
}

static json_t *
e_organization(struct ectx *x, const char *id)
{
	int i = index_first(&x->by_id[HO_ORGANIZATION], id);
	json_t *j;

	if (i >= x->by_id[HO_ORGANIZATION].n)
		return json_null();
	j = emit_plain(x, HO_ORGANIZATION, x->by_id[HO_ORGANIZATION].row[i]);
	json_object_set_new(j, "locations", children(x, &x->org_locations, id,
	    e_location));
	json_object_set_new(j, "phones", children(x, &x->org_phones, id,
	    e_phone));
	json_object_set_new(j, "attributes", attributes(x, id,
	    HO_ORGANIZATION));
	return j;
}

static json_t *
e_service(struct ectx *x, int row)
{
	char **v = x->t[HO_SERVICE].row[row];
	const char *org = v[hsds_field(HO_SERVICE, "organization_id")];
	json_t *j = emit_plain(x, HO_SERVICE, row);

	json_object_set_new(j, "organization", org ? e_organization(x, org) :
	    json_null());
	json_object_set_new(j, "service_at_locations", children(x,
	    &x->svc_sals, v[0], e_sal));
	json_object_set_new(j, "phones", children(x, &x->svc_phones, v[0],
	    e_phone));
	json_object_set_new(j, "schedules", children(x, &x->svc_schedules,
	    v[0], e_schedule));
	json_object_set_new(j, "languages", children(x, &x->svc_languages,
	    v[0], e_language));
	json_object_set_new(j, "cost_options", children(x, &x->svc_costs,
	    v[0], e_cost));
	json_object_set_new(j, "attributes", attributes(x, v[0], HO_SERVICE));
	return j;
}

static void
by(struct ectx *x, struct eidx *ix, enum hsds_obj o, const char *col)
{
	index_build(ix, &x->t[o], hsds_field(o, col));
}

enum err
hsds_export_json(struct db *db, json_t **out)
{
	struct ectx *x = xcalloc(1, sizeof *x);
	struct eidx *all[] = { &x->org_locations, &x->org_phones,
	    &x->loc_addresses, &x->loc_phones, &x->loc_languages,
	    &x->loc_schedules, &x->sal_phones, &x->sal_schedules,
	    &x->svc_sals, &x->svc_phones, &x->svc_schedules,
	    &x->svc_languages, &x->svc_costs, &x->phone_languages,
	    &x->attr_link };
	enum err e;
	size_t k;
	int o, i;

	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK) {
		free(x);
		return e;
	}
	for (o = 0; o < HO__COUNT && e == ERR_OK; o++)
		e = load(db, o, &x->t[o]);
	db_rollback(db);
	if (e == ERR_OK) {
		json_t *list = json_array();
		struct eidx svc;

		for (o = 0; o < HO__COUNT; o++)
			index_build(&x->by_id[o], &x->t[o], 0);
		by(x, &x->org_locations, HO_LOCATION, "organization_id");
		by(x, &x->org_phones, HO_PHONE, "organization_id");
		by(x, &x->loc_addresses, HO_ADDRESS, "location_id");
		by(x, &x->loc_phones, HO_PHONE, "location_id");
		by(x, &x->loc_languages, HO_LANGUAGE, "location_id");
		by(x, &x->loc_schedules, HO_SCHEDULE, "location_id");
		by(x, &x->sal_phones, HO_PHONE, "service_at_location_id");
		by(x, &x->sal_schedules, HO_SCHEDULE, "service_at_location_id");
		by(x, &x->svc_sals, HO_SERVICE_AT_LOCATION, "service_id");
		by(x, &x->svc_phones, HO_PHONE, "service_id");
		by(x, &x->svc_schedules, HO_SCHEDULE, "service_id");
		by(x, &x->svc_languages, HO_LANGUAGE, "service_id");
		by(x, &x->svc_costs, HO_COST_OPTION, "service_id");
		by(x, &x->phone_languages, HO_LANGUAGE, "phone_id");
		by(x, &x->attr_link, HO_ATTRIBUTE, "link_id");
		svc = x->by_id[HO_SERVICE];
		for (i = 0; i < svc.n; i++)
			json_array_append_new(list, e_service(x, svc.row[i]));
		*out = list;
	}
	for (k = 0; k < sizeof all / sizeof all[0]; k++)
		index_free(all[k]);
	for (o = 0; o < HO__COUNT; o++) {
		index_free(&x->by_id[o]);
		etab_free(&x->t[o], o);
	}
	free(x);
	return e;
}
