#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/password.h"
#include "access/policy.h"
#include "access/session.h"
#include "core/staff.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#define NAME_MAX_CHARS	100
#define ANY_PASSWORD	(STAFF_SET_PASSWORD | STAFF_SET_PASSWORD_HASH)

static int
team_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > 40)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || (s[i] == '-' && i > 0)))
			return 0;
	return 1;
}

int
staff_username_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static void
check_display_name(const char *s, const char *field, struct verr *v)
{
	size_t n;

	if (s == NULL || *s == '\0') {
		verr_add(v, field, "is required");
		return;
	}
	n = strlen(s);
	if (!utf8_valid(s, n) || text_has_control(s, 0))
		verr_add(v, field, "must be text without control characters");
	else if (utf8_chars(s) > NAME_MAX_CHARS)
		verr_add(v, field, "must be at most %d characters",
		    NAME_MAX_CHARS);
}

/* Denials are recorded after the transaction is rolled back. */
static enum err
deny(struct db *db, const struct actor *a, const char *object,
    const char *action, enum err e)
{
	db_rollback(db);
	audit_actor_alone(db, a, NULL, object, NULL, action, "denied", NULL);
	return e;
}

/* The id in the one row sql ($1 = key) finds; ERR_NOT_FOUND for none. */
static enum err
id_by(struct db *db, const char *sql, const char *key, char id[37])
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, key);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			snprintf(id, 37, "%s", db_col_text(st, 0));
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

enum err
team_id_by_name(struct db *db, const char *name, char id[37])
{
	return id_by(db, "SELECT id FROM team WHERE name = $1", name, id);
}

enum err
team_create(struct db *db, const struct actor *a, const char *name,
    const char *display_name, struct verr *v, struct team_rec *out)
{
	struct db_stmt *st = NULL;
	char id[37];
	int64_t now = time_now_ms();
	enum err e;

	if (name == NULL || !team_name_valid(name))
		verr_add(v, "name", "must be 1-40 lowercase letters, digits "
		    "or hyphens");
	check_display_name(display_name, "display_name", v);
	if (v->n)
		return ERR_INVALID;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if (!a->system && (e = policy_check(a, POL_TEAM_MANAGE, NULL)) !=
	    ERR_OK)
		return deny(db, a, "team", "create", e);
	uuid_v7(id);
	if ((e = db_prepare(db,
	    "INSERT INTO team (id, name, display_name, version, created_at)"
	    " VALUES ($1, $2, $3, 1, $4)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, display_name);
	db_bind_int(st, 4, now);
	if ((e = db_run(st, NULL)) != ERR_OK) {
		if (e == ERR_CONFLICT)
			verr_add(v, "name", "is already taken");
		goto fail;
	}
	db_done(st);
	st = NULL;
	if ((e = audit_actor(db, a, NULL, "team", id, "create", "success",
	    NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		return e;
	if (out) {
		snprintf(out->id, sizeof out->id, "%s", id);
		out->name = xstrdup(name);
		out->display_name = xstrdup(display_name);
		out->version = 1;
		out->created_at = now;
	}
	return ERR_OK;
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

void
team_recs_free(struct team_rec *t, int n)
{
	int i;

	for (i = 0; t != NULL && i < n; i++) {
		free(t[i].name);
		free(t[i].display_name);
	}
	free(t);
}

/*
 * SQL for a page of a list ordered by a unique text key. where (may be
 * NULL) is a condition holding "$%d" for the actor's id; with a cursor,
 * only rows whose key sorts after the cursor row's come back. Interned.
 */
static const char *
page_sql(struct buf *b, const char *select, const char *key,
    const char *where, const char *cursor_lookup, int cursor)
{
	int p = 1;

	buf_reset(b);
	buf_puts(b, select);
	if (where) {
		buf_puts(b, " WHERE ");
		buf_printf(b, where, p++);
	}
	if (cursor)
		buf_printf(b, " %s %s > (%s WHERE id = $%d)", where ? "AND" :
		    "WHERE", key, cursor_lookup, p++);
	buf_printf(b, " ORDER BY %s LIMIT $%d", key, p);
	return db_intern(buf_cstr(b));
}

/*
 * ERR_OK when after names a row of the list (sql's $1; $2 is the actor's
 * id when the list is the actor's own), ERR_INVALID when not.
 */
static enum err
cursor_known(struct db *db, const char *sql, const char *after,
    const char *actor_id)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, after);
	if (actor_id)
		db_bind_text(st, 2, actor_id);
	if ((e = db_step(st, &row)) == ERR_OK && !row)
		e = ERR_INVALID;
	db_done(st);
	return e;
}

enum err
team_list(struct db *db, const struct actor *a, const char *after,
    int limit, struct team_rec **out, int *n, char next[37])
{
	struct db_stmt *st;
	struct team_rec *t = NULL;
	struct buf sql;
	int cap = 0, row, all, p = 1;
	enum err e;

	*out = NULL;
	*n = 0;
	if (next)
		next[0] = '\0';
	all = a->system || a->role == ROLE_ADMIN || a->role == ROLE_PRIVACY;
	if (after && (e = cursor_known(db, all ?
	    "SELECT 1 FROM team WHERE id = $1" :
	    "SELECT 1 FROM staff_team WHERE team_id = $1 AND staff_id = $2",
	    after, all ? NULL : a->id)) != ERR_OK)
		return e;
	buf_init(&sql, 2048);
	if ((e = db_prepare(db, page_sql(&sql,
	    "SELECT t.id, t.name, t.display_name, t.version, t.created_at"
	    " FROM team t", "t.name", all ? NULL :
	    "t.id IN (SELECT team_id FROM staff_team WHERE staff_id = $%d)",
	    "SELECT name FROM team", after != NULL), &st)) != ERR_OK) {
		buf_free(&sql);
		return e;
	}
	buf_free(&sql);
	if (!all)
		db_bind_text(st, p++, a->id);
	if (after)
		db_bind_text(st, p++, after);
	db_bind_int(st, p, limit > 0 ? limit + 1 : 1000000);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct team_rec *r;

		if (limit > 0 && *n == limit) {
			if (next)
				snprintf(next, 37, "%s", t[*n - 1].id);
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			t = xreallocarray(t, (size_t)cap, sizeof *t);
		}
		r = &t[(*n)++];
		snprintf(r->id, sizeof r->id, "%s", db_col_text(st, 0));
		r->name = db_col_dup(st, 1);
		r->display_name = db_col_dup(st, 2);
		r->version = db_col_int(st, 3);
		r->created_at = db_col_int(st, 4);
	}
	db_done(st);
	if (e != ERR_OK) {
		team_recs_free(t, *n);
		*n = 0;
		return e;
	}
	*out = t;
	return ERR_OK;
}

enum err
staff_id_by_username(struct db *db, const char *username, char id[37])
{
	return id_by(db, "SELECT id FROM staff WHERE username = $1", username,
	    id);
}

void
staff_rec_clear(struct staff_rec *s)
{
	int i;

	if (s == NULL)
		return;
	free(s->username);
	free(s->display_name);
	for (i = 0; i < s->nteams; i++)
		free(s->teams[i]);
	free(s->teams);
	memset(s, 0, sizeof *s);
}

void
staff_recs_free(struct staff_rec *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		staff_rec_clear(&s[i]);
	free(s);
}

static enum err
load_staff_teams(struct db *db, struct staff_rec *r)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db,
	    "SELECT t.name FROM staff_team m JOIN team t ON t.id = m.team_id"
	    " WHERE m.staff_id = $1 ORDER BY t.name", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, r->id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (r->nteams == cap) {
			cap = cap ? cap * 2 : 4;
			r->teams = xreallocarray(r->teams, (size_t)cap,
			    sizeof *r->teams);
		}
		r->teams[r->nteams++] = db_col_dup(st, 0);
	}
	db_done(st);
	return e;
}

static void
fill_staff(struct db_stmt *st, struct staff_rec *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->id, sizeof r->id, "%s", db_col_text(st, 0));
	r->username = db_col_dup(st, 1);
	r->display_name = db_col_dup(st, 2);
	r->role = role_parse(db_col_text(st, 3));
	r->disabled = db_col_int(st, 4) != 0;
	r->version = db_col_int(st, 5);
	r->created_at = db_col_int(st, 6);
	r->updated_at = db_col_int(st, 7);
	r->two_factor = db_col_int(st, 8) != 0;
}

static enum err
read_staff(struct db *db, const char *id, struct staff_rec *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db,
	    "SELECT id, username, display_name, role, disabled, version,"
	    " created_at, updated_at,"
	    " CASE WHEN totp_enabled_at IS NULL THEN 0 ELSE 1 END"
	    " FROM staff WHERE id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			fill_staff(st, out);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e == ERR_OK && (e = load_staff_teams(db, out)) != ERR_OK)
		staff_rec_clear(out);
	return e;
}

enum err
staff_list(struct db *db, const struct actor *a, const char *after,
    int limit, struct staff_rec **out, int *n, char next[37])
{
	struct db_stmt *st;
	struct staff_rec *s = NULL;
	struct buf sql;
	int cap = 0, row, i, all, p = 1;
	enum err e;

	*out = NULL;
	*n = 0;
	if (next)
		next[0] = '\0';
	if (!a->system && (e = policy_check(a, POL_STAFF_DIRECTORY, NULL)) !=
	    ERR_OK)
		return e;
	/* Privacy officers need every name to read the audit log; others
	 * see the colleagues on their teams. */
	all = a->system || a->role == ROLE_ADMIN || a->role == ROLE_PRIVACY;
	if (after && (e = cursor_known(db, all ?
	    "SELECT 1 FROM staff WHERE id = $1" :
	    "SELECT 1 FROM staff s WHERE s.id = $1 AND s.disabled = 0"
	    " AND EXISTS (SELECT 1 FROM staff_team m JOIN staff_team x"
	    "  ON x.team_id = m.team_id"
	    "  WHERE m.staff_id = s.id AND x.staff_id = $2)",
	    after, all ? NULL : a->id)) != ERR_OK)
		return e;
	buf_init(&sql, 2048);
	e = db_prepare(db, page_sql(&sql,
	    "SELECT s.id, s.username, s.display_name, s.role, s.disabled,"
	    " s.version, s.created_at, s.updated_at,"
	    " CASE WHEN s.totp_enabled_at IS NULL THEN 0 ELSE 1 END"
	    " FROM staff s",
	    "s.username", all ? NULL :
	    "s.disabled = 0 AND EXISTS (SELECT 1 FROM staff_team m"
	    " JOIN staff_team x ON x.team_id = m.team_id"
	    " WHERE m.staff_id = s.id AND x.staff_id = $%d)",
	    "SELECT username FROM staff", after != NULL), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	if (!all)
		db_bind_text(st, p++, a->id);
	if (after)
		db_bind_text(st, p++, after);
	db_bind_int(st, p, limit > 0 ? limit + 1 : 1000000);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (limit > 0 && *n == limit) {
			if (next)
				snprintf(next, 37, "%s", s[*n - 1].id);
			break;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			s = xreallocarray(s, (size_t)cap, sizeof *s);
		}
		fill_staff(st, &s[(*n)++]);
	}
	db_done(st);
	for (i = 0; e == ERR_OK && i < *n; i++)
		e = load_staff_teams(db, &s[i]);
	if (e != ERR_OK) {
		staff_recs_free(s, *n);
		*n = 0;
		return e;
	}
	*out = s;
	return ERR_OK;
}

enum err
staff_get(struct db *db, const struct actor *a, const char *id,
    struct staff_rec *out)
{
	enum err e;

	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK)
		return e;
	return read_staff(db, id, out);
}

/* Validates the fields set in in; looks team names up into ids. */
static void
check_input(struct db *db, const struct staff_input *in, struct verr *v,
    char (*team_ids)[37])
{
	char field[32];
	int i, j;

	if ((in->set & STAFF_SET_USERNAME) &&
	    (in->username == NULL || !staff_username_valid(in->username)))
		verr_add(v, "username", "must be 2-64 of a-z, 0-9, '.', '_' "
		    "or '-', starting with a letter");
	if (in->set & STAFF_SET_DISPLAY_NAME)
		check_display_name(in->display_name, "display_name", v);
	if ((in->set & STAFF_SET_ROLE) && in->role == ROLE__COUNT)
		verr_add(v, "role", "must be one of peer, supervisor, admin, "
		    "privacy");
	if ((in->set & STAFF_SET_PASSWORD) &&
	    password_acceptable(in->password) != ERR_OK)
		verr_add(v, "password", "must be %d to %d characters of text",
		    PASSWORD_MIN_CHARS, PASSWORD_MAX_BYTES);
	if ((in->set & ANY_PASSWORD) == ANY_PASSWORD)
		verr_add(v, "password", "is given twice, as text and as a "
		    "hash");
	else if ((in->set & STAFF_SET_PASSWORD_HASH) &&
	    (in->password_hash == NULL ||
	    strncmp(in->password_hash, "$argon2id$", 10) != 0 ||
	    strlen(in->password_hash) >= PASSWORD_HASH_MAX ||
	    text_has_control(in->password_hash, 0)))
		verr_add(v, "password_hash", "must be an encoded argon2id "
		    "hash");
	if (!(in->set & STAFF_SET_TEAMS))
		return;
	if (in->nteams > ACTOR_MAX_TEAMS)
		verr_add(v, "teams", "must name at most %d teams",
		    ACTOR_MAX_TEAMS);
	for (i = 0; i < in->nteams && i < ACTOR_MAX_TEAMS; i++) {
		snprintf(field, sizeof field, "teams[%d]", i);
		if (team_id_by_name(db, in->teams[i], team_ids[i]) != ERR_OK)
			verr_add(v, field, "names no team");
		for (j = 0; j < i; j++)
			if (strcmp(in->teams[i], in->teams[j]) == 0)
				verr_add(v, field, "is listed twice");
	}
}

static enum err
clear_lock(struct db *db, const char *id)
{
	struct db_stmt *st;
	enum err e;
	int row;
	char name[65] = "";

	if ((e = db_prepare(db, "SELECT username FROM staff WHERE id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		snprintf(name, sizeof name, "%s", db_col_text(st, 0));
	db_done(st);
	if (e != ERR_OK || name[0] == '\0')
		return e;
	return auth_clear_throttle(db, name);
}

static enum err
set_teams(struct db *db, const char *id, char (*team_ids)[37], int n)
{
	struct db_stmt *st;
	enum err e;
	int i;

	if ((e = db_prepare(db, "DELETE FROM staff_team WHERE staff_id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++) {
		if ((e = db_prepare(db,
		    "INSERT INTO staff_team (staff_id, team_id) VALUES ($1, $2)",
		    &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, team_ids[i]);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

enum err
staff_create(struct db *db, const struct actor *a,
    const struct staff_input *in, struct verr *v, struct staff_rec *out)
{
	struct db_stmt *st = NULL;
	char team_ids[ACTOR_MAX_TEAMS][37], id[37], hash[PASSWORD_HASH_MAX];
	int64_t now = time_now_ms();
	unsigned need = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME |
	    STAFF_SET_ROLE;
	enum err e;

	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK) {
		audit_actor_alone(db, a, NULL, "staff", NULL, "create",
		    "denied", NULL);
		return e;
	}
	if (!(in->set & STAFF_SET_USERNAME))
		verr_add(v, "username", "is required");
	if (!(in->set & STAFF_SET_DISPLAY_NAME))
		verr_add(v, "display_name", "is required");
	if (!(in->set & STAFF_SET_ROLE))
		verr_add(v, "role", "is required");
	if (!(in->set & ANY_PASSWORD))
		verr_add(v, "password", "is required");
	if ((in->set & need) != need || !(in->set & ANY_PASSWORD))
		return ERR_INVALID;
	check_input(db, in, v, team_ids);
	if (v->n)
		return ERR_INVALID;
	/* Hash before the transaction: it is slow. */
	if (in->set & STAFF_SET_PASSWORD_HASH)
		snprintf(hash, sizeof hash, "%s", in->password_hash);
	else if ((e = password_hash(in->password, hash)) != ERR_OK)
		return e;
	uuid_v7(id);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		goto out;
	if ((e = db_prepare(db,
	    "INSERT INTO staff (id, username, display_name, role,"
	    " password_hash, disabled, version, created_at, updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, in->username);
	db_bind_text(st, 3, in->display_name);
	db_bind_text(st, 4, role_name(in->role));
	db_bind_text(st, 5, hash);
	db_bind_int(st, 6, (in->set & STAFF_SET_DISABLED) && in->disabled);
	db_bind_int(st, 7, now);
	if ((e = db_run(st, NULL)) != ERR_OK) {
		if (e == ERR_CONFLICT)
			verr_add(v, "username", "is already taken");
		goto fail;
	}
	db_done(st);
	st = NULL;
	if ((in->set & STAFF_SET_TEAMS) &&
	    (e = set_teams(db, id, team_ids, in->nteams)) != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, NULL, "staff", id, "create", "success",
	    NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto out;
	if (out)
		e = read_staff(db, id, out);
	goto out;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(hash, sizeof hash);
	return e;
}

enum err
staff_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct staff_input *in, struct verr *v,
    struct staff_rec *out, int64_t *current)
{
	struct db_stmt *st = NULL;
	char team_ids[ACTOR_MAX_TEAMS][37], hash[PASSWORD_HASH_MAX] = "";
	struct buf sql, fields;
	const char *q;
	int64_t version, now = time_now_ms();
	int row, p;
	enum err e;

	buf_init(&sql, 4096);
	buf_init(&fields, 256);
	if (!a->system && (e = policy_check(a, POL_STAFF_MANAGE, NULL)) !=
	    ERR_OK) {
		audit_actor_alone(db, a, NULL, "staff", id, "update", "denied",
		    NULL);
		return e;
	}
	check_input(db, in, v, team_ids);
	if (v->n)
		return ERR_INVALID;
	if (in->set & STAFF_SET_PASSWORD_HASH)
		snprintf(hash, sizeof hash, "%s", in->password_hash);
	else if ((in->set & STAFF_SET_PASSWORD) &&
	    (e = password_hash(in->password, hash)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		goto out;
	if ((e = db_prepare(db, "SELECT version FROM staff WHERE id = $1",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	if (!row) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	version = db_col_int(st, 0);
	db_done(st);
	st = NULL;
	if (current)
		*current = version;
	if (if_version >= 0 && version != if_version) {
		e = ERR_STALE;
		goto fail;
	}
	/* A new password or re-enabling lifts a sign-in lock: the one on
	 * the name as it was, before any rename below. */
	if (((in->set & ANY_PASSWORD) ||
	    ((in->set & STAFF_SET_DISABLED) && !in->disabled)) &&
	    (e = clear_lock(db, id)) != ERR_OK)
		goto fail;
	buf_puts(&sql, "UPDATE staff SET version = version + 1,"
	    " updated_at = $1");
	p = 2;
	if (in->set & STAFF_SET_USERNAME) {
		buf_printf(&sql, ", username = $%d", p++);
		buf_puts(&fields, ",username");
	}
	if (in->set & STAFF_SET_DISPLAY_NAME) {
		buf_printf(&sql, ", display_name = $%d", p++);
		buf_puts(&fields, ",display_name");
	}
	if (in->set & STAFF_SET_ROLE) {
		buf_printf(&sql, ", role = $%d", p++);
		buf_puts(&fields, ",role");
	}
	if (in->set & ANY_PASSWORD) {
		buf_printf(&sql, ", password_hash = $%d", p++);
		buf_puts(&fields, ",password");
	}
	if (in->set & STAFF_SET_DISABLED) {
		buf_printf(&sql, ", disabled = $%d", p++);
		buf_puts(&fields, in->disabled ? ",disabled" : ",enabled");
	}
	if (in->set & STAFF_SET_TEAMS)
		buf_puts(&fields, ",teams");
	buf_printf(&sql, " WHERE id = $%d", p);
	q = db_intern(buf_cstr(&sql));
	if ((e = db_prepare(db, q, &st)) != ERR_OK)
		goto fail;
	p = 1;
	db_bind_int(st, p++, now);
	if (in->set & STAFF_SET_USERNAME)
		db_bind_text(st, p++, in->username);
	if (in->set & STAFF_SET_DISPLAY_NAME)
		db_bind_text(st, p++, in->display_name);
	if (in->set & STAFF_SET_ROLE)
		db_bind_text(st, p++, role_name(in->role));
	if (in->set & ANY_PASSWORD)
		db_bind_text(st, p++, hash);
	if (in->set & STAFF_SET_DISABLED)
		db_bind_int(st, p++, in->disabled != 0);
	db_bind_text(st, p, id);
	if ((e = db_run(st, NULL)) != ERR_OK) {
		if (e == ERR_CONFLICT)
			verr_add(v, "username", "is already taken");
		goto fail;
	}
	db_done(st);
	st = NULL;
	if ((in->set & STAFF_SET_TEAMS) &&
	    (e = set_teams(db, id, team_ids, in->nteams)) != ERR_OK)
		goto fail;
	if ((in->set & ANY_PASSWORD) ||
	    ((in->set & STAFF_SET_DISABLED) && in->disabled) ||
	    (in->set & (STAFF_SET_ROLE | STAFF_SET_TEAMS))) {
		/* New rights or none at all: sign the account out. */
		if ((e = db_prepare(db,
		    "DELETE FROM session WHERE staff_id = $1", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, id);
		if ((e = db_run(st, NULL)) != ERR_OK)
			goto fail;
		db_done(st);
		st = NULL;
	}
	if ((e = audit_actor(db, a, NULL, "staff", id, "update", "success",
	    fields.len ? buf_cstr(&fields) + 1 : NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto out;
	if (current)
		*current = version + 1;
	if (out)
		e = read_staff(db, id, out);
	goto out;
fail:
	db_done(st);
	db_rollback(db);
out:
	crypto_wipe(hash, sizeof hash);
	buf_free(&sql);
	buf_free(&fields);
	return e;
}
