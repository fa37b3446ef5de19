/*
 * Applying a read HSDS package to the directory: references resolved
 * against it, then every row matched by id and written only when a kept
 * value differs, all in one write transaction with one audit entry.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/resource.h"
#include "interop/hsds_intern.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* ---------------------------------------------------------------- */
/* Files */

void
hsds_files_free(struct hsds_file *f, int n)
{
	int i;

	for (i = 0; f != NULL && i < n; i++) {
		free((char *)f[i].name);
		free((char *)f[i].text);
	}
	free(f);
}

/* Reads dir/name when it is a regular file; *text NULL when there is
 * none. */
static enum err
read_one(const char *dir, const char *name, size_t room, char **text,
    size_t *len)
{
	char path[4096];
	struct stat sb;
	size_t got = 0;
	ssize_t k;
	int fd;

	*text = NULL;
	*len = 0;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path)
		return ERR_IO;
	if ((fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK)) < 0)
		return errno == ENOENT ? ERR_OK : ERR_IO;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return ERR_OK;
	}
	if ((uint64_t)sb.st_size > room) {
		close(fd);
		return ERR_TOO_LARGE;
	}
	*text = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size &&
	    (k = read(fd, *text + got, (size_t)sb.st_size - got)) > 0)
		got += (size_t)k;
	close(fd);
	(*text)[got] = '\0';
	*len = got;
	return ERR_OK;
}

enum err
hsds_files_read_dir(const char *dir, struct hsds_file **out, int *n)
{
	const char *names[HO__COUNT + HA__COUNT + 1];
	struct hsds_file *f;
	size_t room = HSDS_PACKAGE_MAX;
	enum err e = ERR_OK;
	int i, k = 0, nn = 0;

	names[nn++] = "datapackage.json";
	for (i = 0; i < HO__COUNT; i++)
		names[nn++] = hsds_obj_file(i);
	for (i = 0; i < HA__COUNT; i++)
		names[nn++] = hsds_aside_file(i);
	f = xcalloc((size_t)nn, sizeof *f);
	for (i = 0; i < nn && e == ERR_OK; i++) {
		char *text;
		size_t len;

		if ((e = read_one(dir, names[i], room, &text, &len)) != ERR_OK)
			break;
		if (text == NULL) {
			if (i == 0)
				e = ERR_NOT_FOUND;
			continue;
		}
		room -= len;
		f[k].name = xstrdup(names[i]);
		f[k].text = text;
		f[k].len = len;
		k++;
	}
	if (e != ERR_OK) {
		hsds_files_free(f, k);
		return e;
	}
	*out = f;
	*n = k;
	return ERR_OK;
}

/* ---------------------------------------------------------------- */
/* SQL, one shape per object, interned for the statement cache */

static const char *
sql_select(enum hsds_obj o)
{
	const struct hobj *ob = &hsds_objs[o];
	char sql[2048];
	struct buf b;
	const char *s;
	int i, first = 1;

	buf_init(&b, sizeof sql);
	buf_puts(&b, "SELECT ");
	for (i = 0; i < ob->nf; i++) {
		if (ob->f[i].kind == K_SKIP)
			continue;
		buf_printf(&b, "%s\"%s\"", first ? "" : ", ",
		    hsds_col(&ob->f[i]));
		first = 0;
	}
	buf_printf(&b, " FROM %s WHERE id = $1", ob->table);
	s = db_intern(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *
sql_exists(enum hsds_obj o)
{
	char sql[128];

	snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE id = $1",
	    hsds_objs[o].table);
	return db_intern(sql);
}

/* INSERT of the kept columns; a service also gets its own fields
 * ($n+1: the time). */
static const char *
sql_insert(enum hsds_obj o)
{
	const struct hobj *ob = &hsds_objs[o];
	struct buf b;
	const char *s;
	int i, n = 0;

	buf_init(&b, 4096);
	buf_printf(&b, "INSERT INTO %s (", ob->table);
	for (i = 0; i < ob->nf; i++)
		if (ob->f[i].kind != K_SKIP)
			buf_printf(&b, "%s\"%s\"", n++ ? ", " : "",
			    hsds_col(&ob->f[i]));
	if (o == HO_SERVICE)
		buf_puts(&b, ", local, added_at, version, updated_at");
	buf_puts(&b, ") VALUES (");
	for (i = 1; i <= n; i++)
		buf_printf(&b, "%s$%d", i > 1 ? ", " : "", i);
	if (o == HO_SERVICE)
		buf_printf(&b, ", 0, $%d, 1, $%d", n + 1, n + 1);
	buf_puts(&b, ")");
	s = db_intern(buf_cstr(&b));
	buf_free(&b);
	return s;
}

static const char *
sql_update(enum hsds_obj o)
{
	const struct hobj *ob = &hsds_objs[o];
	struct buf b;
	const char *s;
	int i, n = 0;

	buf_init(&b, 4096);
	buf_printf(&b, "UPDATE %s SET ", ob->table);
	for (i = 0; i < ob->nf; i++) {
		if (ob->f[i].kind == K_SKIP)
			continue;
		if (++n > 1)
			buf_printf(&b, "%s\"%s\" = $%d", n > 2 ? ", " : "",
			    hsds_col(&ob->f[i]), n);
	}
	if (o == HO_SERVICE)
		buf_printf(&b, ", version = version + 1, updated_at = $%d",
		    n + 1);
	buf_puts(&b, " WHERE id = $1");
	s = db_intern(buf_cstr(&b));
	buf_free(&b);
	return s;
}

/* ---------------------------------------------------------------- */
/* Applying */

static int
exists_db(void *ctx, enum hsds_obj o, const char *id)
{
	struct db_stmt *st;
	int row = 0;

	if (db_prepare(ctx, sql_exists(o), &st) != ERR_OK)
		return 0;
	db_bind_text(st, 1, id);
	if (db_step(st, &row) != ERR_OK)
		row = 0;
	db_done(st);
	return row;
}

/* Service ids to visit once each after the rows are written. */
struct idlist {
	char	**id;
	int	  n, cap;
};

static void
idlist_add(struct idlist *l, const char *id)
{
	if (id == NULL)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->id = xreallocarray(l->id, (size_t)l->cap, sizeof *l->id);
	}
	l->id[l->n++] = xstrdup(id);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
idlist_unique(struct idlist *l)
{
	int i, k = 0;

	if (l->n == 0)
		return;
	qsort(l->id, (size_t)l->n, sizeof *l->id, cmp_str);
	for (i = 1; i < l->n; i++) {
		if (strcmp(l->id[i], l->id[k]) == 0)
			free(l->id[i]);
		else
			l->id[++k] = l->id[i];
	}
	l->n = k + 1;
}

static int
idlist_has(const struct idlist *l, const char *id)
{
	return id != NULL && bsearch(&id, l->id, (size_t)l->n, sizeof *l->id,
	    cmp_str) != NULL;
}

static void
idlist_free(struct idlist *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->id[i]);
	free(l->id);
}

static void
bind_row(struct db_stmt *st, enum hsds_obj o, const struct hrow *r)
{
	const struct hobj *ob = &hsds_objs[o];
	int i, n = 0;
	int64_t v;

	for (i = 0; i < ob->nf; i++) {
		if (ob->f[i].kind == K_SKIP)
			continue;
		n++;
		if (r->v[i] == NULL)
			db_bind_null(st, n);
		else if (hsds_is_int(&ob->f[i]) && parse_int64(r->v[i],
		    INT64_MIN, INT64_MAX, &v) == ERR_OK)
			db_bind_int(st, n, v);
		else
			db_bind_text(st, n, r->v[i]);
	}
}

static int
kept_count(enum hsds_obj o)
{
	int i, n = 0;

	for (i = 0; i < hsds_objs[o].nf; i++)
		n += hsds_objs[o].f[i].kind != K_SKIP;
	return n;
}

/* Reads the stored row r names: *found, and *same when every kept value
 * is the same. */
static enum err
stored(struct db *db, enum hsds_obj o, const struct hrow *r, int *found,
    int *same)
{
	const struct hobj *ob = &hsds_objs[o];
	struct db_stmt *st;
	enum err e;
	int i, c = 0;
	int64_t v;

	if ((e = db_prepare(db, sql_select(o), &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, r->v[0]);
	if ((e = db_step(st, found)) == ERR_OK && *found) {
		*same = 1;
		for (i = 0; i < ob->nf && *same; i++) {
			if (ob->f[i].kind == K_SKIP)
				continue;
			if (db_col_is_null(st, c) || r->v[i] == NULL)
				*same = db_col_is_null(st, c) &&
				    r->v[i] == NULL;
			else if (hsds_is_int(&ob->f[i]))
				*same = parse_int64(r->v[i], INT64_MIN,
				    INT64_MAX, &v) == ERR_OK &&
				    v == db_col_int(st, c);
			else
				*same = strcmp(db_col_text(st, c), r->v[i]) ==
				    0;
			c++;
		}
	}
	db_done(st);
	return e;
}

/* The service a row of o hangs on, if any. */
static const char *
service_of(enum hsds_obj o, const struct hrow *r)
{
	int i;

	if (o == HO_ATTRIBUTE) {
		i = hsds_field(o, "link_entity");
		return r->v[i] && strcmp(r->v[i], "service") == 0 ?
		    r->v[hsds_field(o, "link_id")] : NULL;
	}
	if (o == HO_SERVICE || (i = hsds_field(o, "service_id")) < 0)
		return NULL;
	return r->v[i];
}

static enum err
apply(struct db *db, const struct hsds_package *p, struct hsds_counts *c)
{
	struct idlist written = { 0 }, touched = { 0 }, orgs = { 0 };
	int64_t now = time_now_ms();
	struct db_stmt *st;
	enum err e = ERR_OK;
	int o, i, found, same, row;

	for (o = 0; o < HO__COUNT && e == ERR_OK; o++) {
		const struct htab *t = hsds_tab(p, o);

		for (i = 0; i < t->n && e == ERR_OK; i++) {
			const struct hrow *r = &t->rows[i];

			found = same = 0;
			if ((e = stored(db, o, r, &found, &same)) != ERR_OK)
				break;
			if (found && same) {
				c->unchanged[o]++;
				continue;
			}
			if ((e = db_prepare(db, found ? sql_update(o) :
			    sql_insert(o), &st)) != ERR_OK)
				break;
			bind_row(st, o, r);
			if (o == HO_SERVICE)
				db_bind_int(st, kept_count(o) + 1, now);
			e = db_run(st, NULL);
			db_done(st);
			if (found)
				c->changed[o]++;
			else
				c->created[o]++;
			if (o == HO_SERVICE)
				idlist_add(&written, r->v[0]);
			else if (o == HO_ORGANIZATION && found)
				idlist_add(&orgs, r->v[0]);
			else
				idlist_add(&touched, service_of(o, r));
		}
	}
	idlist_unique(&written);
	idlist_unique(&touched);
	/* A service whose parts changed is a new version of it. */
	for (i = 0; i < touched.n && e == ERR_OK; i++) {
		if (idlist_has(&written, touched.id[i]))
			continue;
		if ((e = db_prepare(db, "UPDATE dir_service SET version ="
		    " version + 1, updated_at = $1 WHERE id = $2", &st)) !=
		    ERR_OK)
			break;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, touched.id[i]);
		e = db_run(st, NULL);
		db_done(st);
	}
	/* Search text holds the organisation's name too. */
	for (i = 0; i < orgs.n && e == ERR_OK; i++) {
		if ((e = db_prepare(db, "SELECT id FROM dir_service"
		    " WHERE organization_id = $1", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, orgs.id[i]);
		while ((e = db_step(st, &row)) == ERR_OK && row)
			idlist_add(&written, db_col_text(st, 0));
		db_done(st);
	}
	idlist_unique(&written);
	for (i = 0; i < written.n && e == ERR_OK; i++)
		e = resource_search_text_refresh(db, written.id[i]);
	idlist_free(&written);
	idlist_free(&touched);
	idlist_free(&orgs);
	return e;
}

enum err
hsds_import(struct db *db, const struct actor *a, struct hsds_package *p,
    int dry_run, struct hsds_counts *c)
{
	int64_t created = 0, changed = 0, unchanged = 0, aside = 0;
	char detail[160];
	enum err e;
	int n, i;

	memset(c, 0, sizeof *c);
	if ((e = policy_check(a, POL_RESOURCE_IMPORT, NULL)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	hsds_resolve(p, exists_db, db);
	hsds_rejects(p, &n, NULL);
	if (n > 0) {
		db_rollback(db);
		return ERR_INVALID;
	}
	for (i = 0; i < HA__COUNT; i++)
		c->aside[i] = hsds_aside_rows(p, i);
	if ((e = apply(db, p, c)) != ERR_OK || dry_run) {
		db_rollback(db);
		return e;
	}
	for (i = 0; i < HO__COUNT; i++) {
		created += c->created[i];
		changed += c->changed[i];
		unchanged += c->unchanged[i];
	}
	for (i = 0; i < HA__COUNT; i++)
		aside += c->aside[i];
	snprintf(detail, sizeof detail, "created=%lld changed=%lld "
	    "unchanged=%lld left_aside=%lld", (long long)created,
	    (long long)changed, (long long)unchanged, (long long)aside);
	if ((e = audit_actor(db, a, NULL, "resource", NULL, "import", "ok",
	    detail)) != ERR_OK || (e = db_commit(db)) != ERR_OK)
		db_rollback(db);
	return e;
}

json_t *
hsds_counts_json(const struct hsds_counts *c)
{
	json_t *j = json_object(), *aside = json_object();
	int i;

	for (i = 0; i < HO__COUNT; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "created", json_integer(c->created[i]));
		json_object_set_new(o, "changed", json_integer(c->changed[i]));
		json_object_set_new(o, "unchanged",
		    json_integer(c->unchanged[i]));
		json_object_set_new(j, hsds_obj_name(i), o);
	}
	for (i = 0; i < HA__COUNT; i++)
		json_object_set_new(aside, hsds_aside_name(i),
		    json_integer(c->aside[i]));
	json_object_set_new(j, "left_aside", aside);
	return j;
}
