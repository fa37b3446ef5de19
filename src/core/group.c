#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/group.h"
#include "core/group_rules.h"
#include "core/record.h"
#include "core/rules.h"
#include "core/staff.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

void
group_clear(struct group_rec *g)
{
	int i;

	free(g->team);
	free(g->name);
	free(g->curriculum);
	free(g->description);
	free(g->setting);
	free(g->location);
	free(g->program);
	for (i = 0; i < g->nmembers && g->members; i++)
		free(g->members[i].name);
	free(g->members);
	group_session_summaries_free(g->sessions, g->nsessions);
	memset(g, 0, sizeof *g);
}

void
group_session_summaries_free(struct group_session_summary *s, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(s[i].group_name);
		free(s[i].topic);
		free(s[i].status);
		free(s[i].author_name);
	}
	free(s);
}

void
groups_free(struct group_rec *g, int n)
{
	int i;

	for (i = 0; i < n; i++)
		group_clear(&g[i]);
	free(g);
}

void
group_session_clear(struct group_session *s)
{
	int i, j;

	free(s->group_name);
	free(s->curriculum);
	free(s->topic);
	free(s->setting);
	free(s->location);
	free(s->program);
	free(s->narrative);
	free(s->credential);
	free(s->status);
	free(s->author_id);
	free(s->author_name);
	for (i = 0; i < s->nfacilitators; i++)
		free(s->facilitators[i].name);
	free(s->facilitators);
	for (i = 0; i < s->nattendees; i++) {
		struct group_attendee *t = &s->attendees[i];

		free(t->name);
		free(t->note);
		free(t->next_steps);
		for (j = 0; j < t->ngoals; j++)
			free(t->goals[j]);
		free(t->goals);
		contact_clear(&t->contact);
	}
	free(s->attendees);
	memset(s, 0, sizeof *s);
}

/* ---- reading ------------------------------------------------------ */

#define GROUP_COLS "g.id, g.version, g.team_id, t.name, g.name," \
	" g.curriculum, g.description, g.setting, g.location, g.program," \
	" g.max_size, g.active, g.created_at, g.updated_at," \
	" (SELECT count(*) FROM peer_group_member m WHERE m.group_id = g.id" \
	"  AND m.left_at IS NULL)" \
	" FROM peer_group g JOIN team t ON t.id = g.team_id"

static void
fill_group(struct db_stmt *st, struct group_rec *g)
{
	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "%s", db_col_text(st, 0));
	g->version = db_col_int(st, 1);
	snprintf(g->team_id, sizeof g->team_id, "%s", db_col_text(st, 2));
	g->team = db_col_dup(st, 3);
	g->name = db_col_dup(st, 4);
	g->curriculum = db_col_dup(st, 5);
	g->description = db_col_dup(st, 6);
	g->setting = db_col_dup(st, 7);
	g->location = db_col_dup(st, 8);
	g->program = db_col_dup(st, 9);
	g->max_size = (int)db_col_int(st, 10);
	g->active = (int)db_col_int(st, 11);
	g->created_at = db_col_int(st, 12);
	g->updated_at = db_col_int(st, 13);
	g->nmembers = (int)db_col_int(st, 14);
}

static enum err
load_members(struct db *db, struct group_rec *g)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0, n = 0;

	if ((e = db_prepare(db, "SELECT m.person_id, p.preferred_name,"
	    " m.joined_at FROM peer_group_member m"
	    " JOIN person p ON p.id = m.person_id"
	    " WHERE m.group_id = $1 AND m.left_at IS NULL"
	    " ORDER BY p.preferred_name, m.person_id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, g->id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct group_member *m;

		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			g->members = xreallocarray(g->members, (size_t)cap,
			    sizeof *g->members);
		}
		m = &g->members[n++];
		snprintf(m->person_id, sizeof m->person_id, "%s",
		    db_col_text(st, 0));
		m->name = db_col_dup(st, 1);
		m->joined_at = db_col_int(st, 2);
	}
	db_done(st);
	g->nmembers = n;
	return e;
}

static enum err
load_sessions(struct db *db, struct group_rec *g, int limit)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT s.id, s.version, s.started_at,"
	    " s.ended_at, s.topic, s.status, a.display_name,"
	    " (SELECT count(*) FROM group_attendance x"
	    "  WHERE x.session_id = s.id AND x.present = 1),"
	    " (SELECT count(*) FROM group_attendance x"
	    "  WHERE x.session_id = s.id)"
	    " FROM group_session s JOIN staff a ON a.id = s.author_id"
	    " WHERE s.group_id = $1 ORDER BY s.started_at DESC, s.id DESC"
	    " LIMIT $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, g->id);
	db_bind_int(st, 2, limit);
	g->sessions = xcalloc((size_t)limit, sizeof *g->sessions);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row &&
	    g->nsessions < limit) {
		struct group_session_summary *s = &g->sessions[g->nsessions++];

		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->version = db_col_int(st, 1);
		s->started_at = db_col_int(st, 2);
		s->ended_at = db_col_int(st, 3);
		s->topic = db_col_unsealed(st, 4, "group_session.topic", &e);
		s->status = db_col_dup(st, 5);
		s->author_name = db_col_dup(st, 6);
		s->present = (int)db_col_int(st, 7);
		s->listed = (int)db_col_int(st, 8);
		snprintf(s->group_id, sizeof s->group_id, "%s", g->id);
		s->due_at = contact_due_at("group", s->ended_at);
	}
	db_done(st);
	return e;
}

static enum err
load_group(struct db *db, const char *id, struct group_rec *g)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(g, 0, sizeof *g);
	if ((e = db_prepare(db, "SELECT " GROUP_COLS " WHERE g.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			fill_group(st, g);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

/* The group with its roster and latest sessions. */
static enum err
load_group_whole(struct db *db, const char *id, struct group_rec *g)
{
	enum err e;

	if ((e = load_group(db, id, g)) != ERR_OK)
		return e;
	if ((e = load_members(db, g)) != ERR_OK ||
	    (e = load_sessions(db, g, 20)) != ERR_OK)
		group_clear(g);
	return e;
}

/* Audits one entry for each person on the roster (or none: one entry). */
static enum err
audit_members(struct db *db, const struct actor *a, const struct group_rec *g,
    const char *action)
{
	const char **ids;
	enum err e;
	int i;

	if (g->nmembers == 0 || g->members == NULL)
		return audit_actor(db, a, NULL, "group", g->id, action,
		    "success", NULL);
	ids = xcalloc((size_t)g->nmembers, sizeof *ids);
	for (i = 0; i < g->nmembers; i++)
		ids[i] = g->members[i].person_id;
	e = audit_actor_people(db, a, ids, g->nmembers, "group", g->id,
	    action, "success", NULL);
	free(ids);
	return e;
}

enum err
group_list(struct db *db, const struct actor *a, const char *team, int all,
    struct verr *v, struct group_rec **items, int *n)
{
	struct db_stmt *st;
	struct buf sql;
	char team_id[37];
	enum err e;
	int row, cap = 0, i, nb = 0;

	*items = NULL;
	*n = 0;
	if ((e = record_allowed(db, a, "group", NULL, NULL, "list")) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if (team != NULL) {
		e = team_id_by_name(db, team, team_id);
		if (e == ERR_NOT_FOUND) {
			verr_add(v, "team", "names no team");
			e = ERR_INVALID;
		}
		if (e != ERR_OK) {
			db_rollback(db);
			return e;
		}
		if ((e = policy_check(a, POL_PERSON_LIST, team_id)) != ERR_OK)
			return record_deny(db, a, NULL, "group", NULL, "list",
			    e);
	}
	buf_init(&sql, 1024);
	buf_puts(&sql, "SELECT " GROUP_COLS " WHERE g.team_id IN (");
	if (team != NULL) {
		buf_puts(&sql, "$1");
		nb = 1;
	} else {
		for (i = 0; i < a->nteams; i++)
			buf_printf(&sql, "%s$%d", i ? ", " : "", i + 1);
		nb = a->nteams;
		if (nb == 0)
			buf_puts(&sql, "NULL");
	}
	buf_puts(&sql, ")");
	if (!all)
		buf_puts(&sql, " AND g.active = 1");
	buf_puts(&sql, " ORDER BY g.name, g.id");
	if ((e = db_prepare(db, buf_cstr(&sql), &st)) != ERR_OK) {
		buf_free(&sql);
		db_rollback(db);
		return e;
	}
	buf_free(&sql);
	for (i = 0; i < nb; i++)
		db_bind_text(st, i + 1, team != NULL ? team_id : a->teams[i]);
	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    *n < GROUP_LIST_MAX) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*items = xreallocarray(*items, (size_t)cap,
			    sizeof **items);
		}
		fill_group(st, &(*items)[(*n)++]);
	}
	db_done(st);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, NULL, "group", NULL, "list",
		    "success", NULL);
	if (e != ERR_OK) {
		groups_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

enum err
group_get(struct db *db, const struct actor *a, const char *id,
    struct group_rec *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "group", NULL, id, "read")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_group_whole(db, id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = policy_check(a, POL_PERSON_READ, out->team_id)) != ERR_OK) {
		group_clear(out);
		return record_deny(db, a, NULL, "group", id, "read", e);
	}
	if ((e = db_begin(db, DB_TX_APPEND)) != ERR_OK) {
		group_clear(out);
		return e;
	}
	if ((e = audit_members(db, a, out, "read")) == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e != ERR_OK)
		group_clear(out);
	return e;
}

/* ---- groups: changes ---------------------------------------------- */

static int
code_ok(const char *s)
{
	size_t i;

	if (s == NULL || *s < 'a' || *s > 'z')
		return 0;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_') || i >= 40)
			return 0;
	return 1;
}

static void
check_group(const struct group_input *in, int creating, struct verr *v)
{
	const struct rules *r = rules_get();

	if (creating && !(in->set & GF_TEAM))
		verr_add(v, "team", "is required");
	if ((in->set & GF_NAME) || creating)
		check_text(v, "name", in->name, GROUP_NAME_MAX, CHECK_REQUIRED);
	if ((in->set & GF_CURRICULUM) || creating) {
		if (in->curriculum == NULL)
			verr_add(v, "curriculum", "is required");
		else if (!code_ok(in->curriculum) ||
		    group_curriculum_find(&r->groups, in->curriculum) == NULL)
			verr_add(v, "curriculum", "must be one of the "
			    "curricula in the groups rule set");
	}
	if (in->set & GF_DESCRIPTION)
		check_text(v, "description", in->description, GROUP_TEXT_MAX,
		    CHECK_MULTILINE);
	if ((in->set & GF_SETTING) && in->setting != NULL &&
	    billing_setting_find(&r->billing, in->setting) == NULL)
		verr_add(v, "setting", "must be one of the settings");
	if ((in->set & GF_PROGRAM) && in->program != NULL &&
	    billing_program_find(&r->billing, in->program) == NULL)
		verr_add(v, "program", "must be one of the programs");
	if (in->set & GF_LOCATION)
		check_text(v, "location", in->location, GROUP_SHORT_MAX, 0);
	if ((in->set & GF_MAX_SIZE) && (in->max_size < 0 ||
	    in->max_size > GROUP_SIZE_MAX))
		verr_add(v, "max_size", "must be from 1 to %d, or null for "
		    "no limit of the group's own", GROUP_SIZE_MAX);
}

/* Commits after reloading the group into out; rolls back on failure. */
static enum err
finish_group(struct db *db, const char *id, struct group_rec *out)
{
	enum err e;

	if ((e = load_group_whole(db, id, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		group_clear(out);
	return e;
}

enum err
group_create(struct db *db, const struct actor *a,
    const struct group_input *in, struct verr *v, struct group_rec *out)
{
	struct db_stmt *st;
	char team_id[37], id[37];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "group", NULL, NULL, "create")) !=
	    ERR_OK)
		return e;
	check_group(in, 1, v);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	team_id[0] = '\0';
	if (in->team != NULL) {
		e = team_id_by_name(db, in->team, team_id);
		if (e == ERR_NOT_FOUND) {
			verr_add(v, "team", "names no team");
			e = ERR_OK;
		} else if (e != ERR_OK) {
			goto fail;
		} else if ((e = policy_check(a, POL_PERSON_CREATE, team_id)) !=
		    ERR_OK) {
			return record_deny(db, a, NULL, "group", NULL, "create",
			    e);
		}
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO peer_group (id, version, team_id,"
	    " name, curriculum, description, setting, location, program,"
	    " max_size, active, created_at, created_by, updated_at)"
	    " VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10)",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, team_id);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, in->curriculum);
	db_bind_text(st, 5, (in->set & GF_DESCRIPTION) ? in->description :
	    NULL);
	db_bind_text(st, 6, (in->set & GF_SETTING) ? in->setting : NULL);
	db_bind_text(st, 7, (in->set & GF_LOCATION) ? in->location : NULL);
	db_bind_text(st, 8, (in->set & GF_PROGRAM) ? in->program : NULL);
	if ((in->set & GF_MAX_SIZE) && in->max_size > 0)
		db_bind_int(st, 9, in->max_size);
	else
		db_bind_null(st, 9);
	db_bind_int(st, 10, now);
	db_bind_text(st, 11, a->id);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_CONFLICT) {
		verr_add(v, "name", "is taken by another group of this team");
		e = ERR_INVALID;
	}
	if (e != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, NULL, "group", id, "create", "success",
	    NULL)) != ERR_OK)
		goto fail;
	return finish_group(db, id, out);
fail:
	db_rollback(db);
	return e;
}

/* Opens a write on group id, loaded into cur, after the policy check and
 * (when if_version >= 0) the version check. */
static enum err
begin_group(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *action, struct group_rec *cur,
    int64_t *current)
{
	enum err e;

	if ((e = record_allowed(db, a, "group", NULL, id, action)) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load_group(db, id, cur)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = policy_check(a, POL_PERSON_UPDATE, cur->team_id)) != ERR_OK) {
		group_clear(cur);
		return record_deny(db, a, NULL, "group", id, action, e);
	}
	if (if_version >= 0 && cur->version != if_version) {
		if (current)
			*current = cur->version;
		group_clear(cur);
		db_rollback(db);
		return ERR_STALE;
	}
	return ERR_OK;
}

static enum err
bump_group(struct db *db, const char *id)
{
	return db_set_int(db, "UPDATE peer_group SET version = version + 1,"
	    " updated_at = $1 WHERE id = $2", time_now_ms(), id);
}

enum err
group_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct group_input *in, struct verr *v,
    struct group_rec *out, int64_t *current)
{
	struct group_rec cur;
	enum err e;

	memset(out, 0, sizeof *out);
	check_group(in, 0, v);
	if (in->set & GF_TEAM)
		verr_add(v, "team", "cannot change: a group stays with its "
		    "team");
	if (in->set == 0)
		verr_add(v, "body", "must change at least one field");
	if ((e = begin_group(db, a, id, if_version, "update", &cur,
	    current)) != ERR_OK)
		return e;
	if (v->n == 0 && (in->set & GF_MAX_SIZE) && in->max_size > 0 &&
	    cur.nmembers > in->max_size)
		verr_add(v, "max_size", "is smaller than the %d people on the "
		    "roster", cur.nmembers);
	group_clear(&cur);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	e = ERR_OK;
	if (in->set & GF_NAME)
		e = db_set_text(db, "UPDATE peer_group SET name = $1"
		    " WHERE id = $2", in->name, id);
	if (e == ERR_OK && (in->set & GF_CURRICULUM))
		e = db_set_text(db, "UPDATE peer_group SET curriculum = $1"
		    " WHERE id = $2", in->curriculum, id);
	if (e == ERR_OK && (in->set & GF_DESCRIPTION))
		e = db_set_text(db, "UPDATE peer_group SET description = $1"
		    " WHERE id = $2", in->description, id);
	if (e == ERR_OK && (in->set & GF_SETTING))
		e = db_set_text(db, "UPDATE peer_group SET setting = $1"
		    " WHERE id = $2", in->setting, id);
	if (e == ERR_OK && (in->set & GF_LOCATION))
		e = db_set_text(db, "UPDATE peer_group SET location = $1"
		    " WHERE id = $2", in->location, id);
	if (e == ERR_OK && (in->set & GF_PROGRAM))
		e = db_set_text(db, "UPDATE peer_group SET program = $1"
		    " WHERE id = $2", in->program, id);
	if (e == ERR_OK && (in->set & GF_MAX_SIZE)) {
		static const char sql[] = "UPDATE peer_group"
		    " SET max_size = $1 WHERE id = $2";

		if (in->max_size > 0)
			e = db_set_int(db, sql, in->max_size, id);
		else
			e = db_set_text(db, sql, NULL, id);
	}
	if (e == ERR_OK && (in->set & GF_ACTIVE))
		e = db_set_int(db, "UPDATE peer_group SET active = $1"
		    " WHERE id = $2", in->active != 0, id);
	if (e == ERR_CONFLICT) {
		verr_add(v, "name", "is taken by another group of this team");
		e = ERR_INVALID;
	}
	if (e == ERR_OK)
		e = bump_group(db, id);
	if (e == ERR_OK)
		e = audit_actor(db, a, NULL, "group", id, "update", "success",
		    NULL);
	if (e != ERR_OK)
		goto fail;
	return finish_group(db, id, out);
fail:
	db_rollback(db);
	return e;
}

enum err
group_member_add(struct db *db, const struct actor *a, const char *id,
    const char *person_id, struct verr *v, struct group_rec *out)
{
	struct group_rec cur;
	struct db_stmt *st;
	char team_id[37];
	enum err e;
	int row, was = 0;

	memset(out, 0, sizeof *out);
	if (!check_uuid(v, "person_id", person_id, CHECK_REQUIRED))
		return ERR_INVALID;
	if ((e = begin_group(db, a, id, -1, "member_add", &cur, NULL)) !=
	    ERR_OK)
		return e;
	e = record_person_team(db, person_id, team_id);
	if (e == ERR_NOT_FOUND || (e == ERR_OK &&
	    strcmp(team_id, cur.team_id) != 0)) {
		verr_add(v, "person_id", "must be a person on this group's "
		    "team");
		e = ERR_INVALID;
	}
	if (e == ERR_OK && cur.max_size > 0 && cur.nmembers >= cur.max_size) {
		verr_add(v, "person_id", "would make the roster larger than "
		    "the group's limit of %d", cur.max_size);
		e = ERR_INVALID;
	}
	if (e == ERR_OK && cur.nmembers >= GROUP_SIZE_MAX) {
		verr_add(v, "person_id", "would make the roster larger than "
		    "%d", GROUP_SIZE_MAX);
		e = ERR_INVALID;
	}
	group_clear(&cur);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "SELECT left_at FROM peer_group_member"
	    " WHERE group_id = $1 AND person_id = $2", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		was = db_col_is_null(st, 0) ? 2 : 1;
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (was == 2) {
		/* Already on the roster: nothing changes. */
		db_rollback(db);
		if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
			return e;
		e = load_group_whole(db, id, out);
		db_rollback(db);
		return e;
	}
	if ((e = db_prepare(db, was ? "UPDATE peer_group_member SET"
	    " left_at = NULL, joined_at = $3, added_by = $4"
	    " WHERE group_id = $1 AND person_id = $2" :
	    "INSERT INTO peer_group_member (group_id, person_id, joined_at,"
	    " added_by) VALUES ($1, $2, $3, $4)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_int(st, 3, time_now_ms());
	db_bind_text(st, 4, a->id);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = bump_group(db, id);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "group", id, "member_add",
		    "success", NULL);
	if (e != ERR_OK)
		goto fail;
	return finish_group(db, id, out);
fail:
	db_rollback(db);
	return e;
}

enum err
group_member_remove(struct db *db, const struct actor *a, const char *id,
    const char *person_id, struct group_rec *out)
{
	struct group_rec cur;
	struct db_stmt *st;
	enum err e;
	int64_t changed = 0;

	memset(out, 0, sizeof *out);
	if ((e = begin_group(db, a, id, -1, "member_remove", &cur, NULL)) !=
	    ERR_OK)
		return e;
	group_clear(&cur);
	if (!uuid_valid(person_id)) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if ((e = db_prepare(db, "UPDATE peer_group_member SET left_at = $1"
	    " WHERE group_id = $2 AND person_id = $3 AND left_at IS NULL",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, time_now_ms());
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, person_id);
	e = db_run(st, &changed);
	db_done(st);
	if (e == ERR_OK && changed == 0)
		e = ERR_NOT_FOUND;
	if (e == ERR_OK)
		e = bump_group(db, id);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "group", id, "member_remove",
		    "success", NULL);
	if (e != ERR_OK)
		goto fail;
	return finish_group(db, id, out);
fail:
	db_rollback(db);
	return e;
}

/* ---- sessions: reading ------------------------------------------- */

static void
split_goals(const char *csv, struct group_attendee *t)
{
	const char *p = csv, *c;
	int cap = 0;

	while (p != NULL && *p) {
		c = strchr(p, ',');
		if (t->ngoals == cap) {
			cap = cap ? cap * 2 : 4;
			t->goals = xreallocarray(t->goals, (size_t)cap,
			    sizeof *t->goals);
		}
		t->goals[t->ngoals++] = c ? xstrndup(p, (size_t)(c - p)) :
		    xstrdup(p);
		p = c ? c + 1 : NULL;
	}
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A present attendee's note as it would be signed now: its billing and
 * what it still lacks. */
static enum err
preview(struct db *db, const struct group_session *s,
    struct group_attendee *t)
{
	struct contact_rec *c = &t->contact;
	int i;

	contact_clear(c);
	snprintf(c->person_id, sizeof c->person_id, "%s", t->person_id);
	snprintf(c->team_id, sizeof c->team_id, "%s", s->team_id);
	c->type = xstrdup("group");
	c->status = xstrdup("draft");
	c->started_at = s->started_at;
	c->ended_at = s->ended_at;
	c->minutes = s->minutes;
	c->service_date = xcalloc(1, 11);
	date_format(time_date_of(s->started_at), c->service_date);
	c->setting = dup_or_null(s->setting);
	c->location = dup_or_null(s->location);
	c->program = dup_or_null(s->program);
	c->intervention = dup_or_null(s->narrative);
	c->response = dup_or_null(t->note);
	c->next_steps = dup_or_null(t->next_steps);
	c->group_size = s->present;
	c->group_facilitators = s->nfacilitators;
	if (t->ngoals > 0) {
		c->goals = xcalloc((size_t)t->ngoals, sizeof *c->goals);
		for (i = 0; i < t->ngoals; i++)
			snprintf(c->goals[i].item_id,
			    sizeof c->goals[i].item_id, "%s", t->goals[i]);
		c->ngoals = t->ngoals;
	}
	return contact_preview(db, c);
}

static enum err
load_session(struct db *db, const char *group_id, const char *id,
    struct group_session *s)
{
	const struct billing_rules *br = &rules_get()->billing;
	struct db_stmt *st;
	enum err e;
	int row, cap, i;

	memset(s, 0, sizeof *s);
	if ((e = db_prepare(db, "SELECT s.id, s.version, s.group_id,"
	    " g.team_id, g.name, g.curriculum, s.started_at, s.ended_at,"
	    " s.topic, s.setting, s.location, s.program, s.narrative,"
	    " s.credential, s.status, s.author_id, a.display_name,"
	    " s.signed_at, s.created_at, s.updated_at, g.max_size"
	    " FROM group_session s JOIN peer_group g ON g.id = s.group_id"
	    " JOIN staff a ON a.id = s.author_id"
	    " WHERE s.id = $1 AND s.group_id = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, group_id);
	if ((e = db_step(st, &row)) == ERR_OK && !row)
		e = ERR_NOT_FOUND;
	if (e == ERR_OK) {
		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->version = db_col_int(st, 1);
		snprintf(s->group_id, sizeof s->group_id, "%s",
		    db_col_text(st, 2));
		snprintf(s->team_id, sizeof s->team_id, "%s",
		    db_col_text(st, 3));
		s->group_name = db_col_dup(st, 4);
		s->curriculum = db_col_dup(st, 5);
		s->started_at = db_col_int(st, 6);
		s->ended_at = db_col_int(st, 7);
		s->minutes = (int)((s->ended_at - s->started_at) / 60000);
		s->topic = db_col_unsealed(st, 8, "group_session.topic", &e);
		s->setting = db_col_dup(st, 9);
		s->location = db_col_unsealed(st, 10, "group_session.location",
		    &e);
		s->program = db_col_dup(st, 11);
		s->narrative = db_col_unsealed(st, 12,
		    "group_session.narrative", &e);
		s->credential = db_col_dup(st, 13);
		s->status = db_col_dup(st, 14);
		s->author_id = db_col_dup(st, 15);
		s->author_name = db_col_dup(st, 16);
		s->signed_at = db_col_int(st, 17);
		s->created_at = db_col_int(st, 18);
		s->updated_at = db_col_int(st, 19);
		s->max_size = (int)db_col_int(st, 20);
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "SELECT f.staff_id, a.display_name"
	    " FROM group_facilitator f JOIN staff a ON a.id = f.staff_id"
	    " WHERE f.session_id = $1 ORDER BY a.display_name, f.staff_id",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	cap = 0;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (s->nfacilitators == cap) {
			cap = cap ? cap * 2 : 4;
			s->facilitators = xreallocarray(s->facilitators,
			    (size_t)cap, sizeof *s->facilitators);
		}
		snprintf(s->facilitators[s->nfacilitators].staff_id, 37, "%s",
		    db_col_text(st, 0));
		s->facilitators[s->nfacilitators++].name = db_col_dup(st, 1);
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "SELECT x.person_id, p.preferred_name,"
	    " x.present, x.note, x.next_steps, x.goals, x.contact_id"
	    " FROM group_attendance x JOIN person p ON p.id = x.person_id"
	    " WHERE x.session_id = $1 ORDER BY p.preferred_name, x.person_id",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	cap = 0;
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct group_attendee *t;

		if (s->nattendees == cap) {
			cap = cap ? cap * 2 : 16;
			s->attendees = xreallocarray(s->attendees, (size_t)cap,
			    sizeof *s->attendees);
		}
		t = &s->attendees[s->nattendees++];
		memset(t, 0, sizeof *t);
		snprintf(t->person_id, sizeof t->person_id, "%s",
		    db_col_text(st, 0));
		t->name = db_col_dup(st, 1);
		t->present = (int)db_col_int(st, 2);
		t->note = db_col_unsealed(st, 3, "group_attendance.note", &e);
		t->next_steps = db_col_unsealed(st, 4,
		    "group_attendance.next_steps", &e);
		split_goals(db_col_text(st, 5), t);
		if (!db_col_is_null(st, 6))
			snprintf(t->contact_id, sizeof t->contact_id, "%s",
			    db_col_text(st, 6));
		s->present += t->present;
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (br->group_max_per_facilitator > 0)
		s->limit = br->group_max_per_facilitator *
		    (s->nfacilitators > 0 ? s->nfacilitators : 1);
	for (i = 0; e == ERR_OK && i < s->nattendees; i++) {
		struct group_attendee *t = &s->attendees[i];

		if (t->contact_id[0])
			e = contact_load(db, t->contact_id, &t->contact);
		else if (t->present && strcmp(s->status, "draft") == 0)
			e = preview(db, s, t);
	}
	if (e == ERR_OK)
		return ERR_OK;
fail:
	group_session_clear(s);
	return e;
}

/* One audit entry for each person on the attendance list. */
static enum err
audit_attendees(struct db *db, const struct actor *a,
    const struct group_session *s, const char *action, const char *detail)
{
	const char **ids;
	enum err e;
	int i;

	if (s->nattendees == 0)
		return audit_actor(db, a, NULL, "group_session", s->id, action,
		    "success", detail);
	ids = xcalloc((size_t)s->nattendees, sizeof *ids);
	for (i = 0; i < s->nattendees; i++)
		ids[i] = s->attendees[i].person_id;
	e = audit_actor_people(db, a, ids, s->nattendees, "group_session",
	    s->id, action, "success", detail);
	free(ids);
	return e;
}

enum err
group_session_get(struct db *db, const struct actor *a, const char *group_id,
    const char *id, struct group_session *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "group_session", NULL, id, "read")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(group_id) || !uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_session(db, group_id, id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = policy_check(a, POL_PERSON_READ, out->team_id)) != ERR_OK) {
		group_session_clear(out);
		return record_deny(db, a, NULL, "group_session", id, "read", e);
	}
	if ((e = db_begin(db, DB_TX_APPEND)) != ERR_OK) {
		group_session_clear(out);
		return e;
	}
	if ((e = audit_attendees(db, a, out, "read", NULL)) == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e != ERR_OK)
		group_session_clear(out);
	return e;
}

/* ---- sessions: changes -------------------------------------------- */

struct span {
	int64_t	started;
	int64_t	ended;
};

static void
check_session(const struct group_session_input *in, int creating,
    struct verr *v, struct span *t)
{
	const struct billing_rules *br = &rules_get()->billing;
	char f[64];
	int i, j, k;

	if ((in->set & GS_STARTED_AT) || creating) {
		if (in->started_at == NULL)
			verr_add(v, "started_at", "is required");
		else if (time_parse_utc(in->started_at, &t->started) != ERR_OK)
			verr_add(v, "started_at", "must be an RFC 3339 UTC time, "
			    "such as 2026-11-22T14:00:00Z");
		else if (t->started > time_now_ms() + 5 * 60000)
			verr_add(v, "started_at", "must not be in the future: "
			    "a session is written up after it happens");
	}
	if ((in->set & GS_ENDED_AT) || creating) {
		if (in->ended_at == NULL)
			verr_add(v, "ended_at", "is required");
		else if (time_parse_utc(in->ended_at, &t->ended) != ERR_OK)
			verr_add(v, "ended_at", "must be an RFC 3339 UTC time, "
			    "such as 2026-11-22T15:30:00Z");
	}
	if (in->set & GS_TOPIC)
		check_text(v, "topic", in->topic, GROUP_SHORT_MAX, 0);
	if ((in->set & GS_SETTING) && in->setting != NULL &&
	    billing_setting_find(br, in->setting) == NULL)
		verr_add(v, "setting", "must be one of the settings");
	if ((in->set & GS_PROGRAM) && in->program != NULL &&
	    billing_program_find(br, in->program) == NULL)
		verr_add(v, "program", "must be one of the programs");
	if (in->set & GS_LOCATION)
		check_text(v, "location", in->location, GROUP_SHORT_MAX, 0);
	if (in->set & GS_NARRATIVE)
		check_text(v, "narrative", in->narrative, GROUP_TEXT_MAX,
		    CHECK_MULTILINE);
	if (in->set & GS_CREDENTIAL)
		check_text(v, "credential", in->credential, 60, 0);
	if (in->set & GS_FACILITATORS) {
		if (in->nfacilitators < 1 ||
		    in->nfacilitators > GROUP_FACILITATORS_MAX)
			verr_add(v, "facilitators", "must name from 1 to %d "
			    "members of staff", GROUP_FACILITATORS_MAX);
		for (i = 0; i < in->nfacilitators &&
		    i < GROUP_FACILITATORS_MAX; i++) {
			snprintf(f, sizeof f, "facilitators[%d]", i);
			if (!uuid_valid(in->facilitators[i]))
				verr_add(v, f, "must be a staff id");
			for (j = 0; j < i; j++)
				if (in->facilitators[i] && in->facilitators[j] &&
				    strcmp(in->facilitators[i],
				    in->facilitators[j]) == 0)
					verr_add(v, f, "repeats a facilitator");
		}
	}
	if (!(in->set & GS_ATTENDANCE))
		return;
	if (in->nattendance > GROUP_SIZE_MAX)
		verr_add(v, "attendance", "must list at most %d people",
		    GROUP_SIZE_MAX);
	for (i = 0; i < in->nattendance && i < GROUP_SIZE_MAX; i++) {
		const struct group_attendance_input *x = &in->attendance[i];

		snprintf(f, sizeof f, "attendance[%d].person_id", i);
		if (!uuid_valid(x->person_id))
			verr_add(v, f, "must be a person's id");
		for (j = 0; j < i; j++)
			if (x->person_id && in->attendance[j].person_id &&
			    strcmp(x->person_id,
			    in->attendance[j].person_id) == 0)
				verr_add(v, f, "lists a person twice");
		snprintf(f, sizeof f, "attendance[%d].note", i);
		check_text(v, f, x->note, GROUP_TEXT_MAX, CHECK_MULTILINE);
		snprintf(f, sizeof f, "attendance[%d].next_steps", i);
		check_text(v, f, x->next_steps, GROUP_TEXT_MAX,
		    CHECK_MULTILINE);
		if (x->ngoals > CONTACT_MAX_GOALS) {
			snprintf(f, sizeof f, "attendance[%d].goals", i);
			verr_add(v, f, "must name at most %d goals",
			    CONTACT_MAX_GOALS);
		}
		for (j = 0; j < x->ngoals && j < CONTACT_MAX_GOALS; j++) {
			snprintf(f, sizeof f, "attendance[%d].goals[%d]", i, j);
			if (!uuid_valid(x->goals[j]))
				verr_add(v, f, "must be a goal's id");
			for (k = 0; k < j; k++)
				if (x->goals[j] && x->goals[k] &&
				    strcmp(x->goals[j], x->goals[k]) == 0)
					verr_add(v, f, "repeats a goal");
		}
	}
}

/* Checks, inside the write, what needs the database: facilitators are
 * enabled staff, attendees are people of the group's team, and goals are
 * goals of that person's plans. */
static enum err
check_session_db(struct db *db, const char *team_id,
    const struct group_session_input *in, struct verr *v)
{
	struct db_stmt *st;
	char f[64], team[37];
	enum err e = ERR_OK;
	int i, j, row;

	for (i = 0; (in->set & GS_FACILITATORS) && i < in->nfacilitators;
	    i++) {
		if ((e = db_prepare(db, "SELECT 1 FROM staff WHERE id = $1"
		    " AND disabled = 0", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, in->facilitators[i]);
		e = db_step(st, &row);
		db_done(st);
		if (e != ERR_OK)
			return e;
		if (!row) {
			snprintf(f, sizeof f, "facilitators[%d]", i);
			verr_add(v, f, "must be an enabled member of staff");
		}
	}
	for (i = 0; (in->set & GS_ATTENDANCE) && i < in->nattendance; i++) {
		const struct group_attendance_input *x = &in->attendance[i];

		e = record_person_team(db, x->person_id, team);
		if (e == ERR_NOT_FOUND || (e == ERR_OK &&
		    strcmp(team, team_id) != 0)) {
			snprintf(f, sizeof f, "attendance[%d].person_id", i);
			verr_add(v, f, "must be a person on this group's team");
			e = ERR_OK;
			continue;
		}
		if (e != ERR_OK)
			return e;
		for (j = 0; j < x->ngoals; j++) {
			if ((e = db_prepare(db, "SELECT 1 FROM plan_item i"
			    " JOIN plan p ON p.id = i.plan_id"
			    " WHERE p.person_id = $1 AND i.item_id = $2"
			    " AND i.path = 'goals'", &st)) != ERR_OK)
				return e;
			db_bind_text(st, 1, x->person_id);
			db_bind_text(st, 2, x->goals[j]);
			e = db_step(st, &row);
			db_done(st);
			if (e != ERR_OK)
				return e;
			if (!row) {
				snprintf(f, sizeof f, "attendance[%d].goals[%d]",
				    i, j);
				verr_add(v, f, "must be a goal of one of this "
				    "person's plans");
			}
		}
	}
	return e;
}

static enum err
write_facilitators(struct db *db, const char *id, const char *const *ids,
    int n)
{
	struct db_stmt *st;
	enum err e;
	int i;

	if ((e = db_prepare(db, "DELETE FROM group_facilitator"
	    " WHERE session_id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++) {
		if ((e = db_prepare(db, "INSERT INTO group_facilitator"
		    " (session_id, staff_id) VALUES ($1, $2)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, ids[i]);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

static enum err
write_attendance(struct db *db, const char *id,
    const struct group_attendance_input *x, int n)
{
	struct db_stmt *st;
	struct buf b;
	enum err e;
	int i, j;

	if ((e = db_prepare(db, "DELETE FROM group_attendance"
	    " WHERE session_id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++) {
		if ((e = db_prepare(db, "INSERT INTO group_attendance"
		    " (session_id, person_id, present, note, next_steps, goals)"
		    " VALUES ($1, $2, $3, $4, $5, $6)", &st)) != ERR_OK)
			return e;
		buf_init(&b, 128);
		for (j = 0; j < x[i].ngoals; j++)
			buf_printf(&b, "%s%s", j ? "," : "", x[i].goals[j]);
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, x[i].person_id);
		db_bind_int(st, 3, x[i].present != 0);
		db_bind_sealed(st, 4, "group_attendance.note", x[i].note);
		db_bind_sealed(st, 5, "group_attendance.next_steps",
		    x[i].next_steps);
		db_bind_text(st, 6, b.len ? buf_cstr(&b) : NULL);
		e = db_run(st, NULL);
		db_done(st);
		buf_free(&b);
	}
	return e;
}

/* The roster, as a new session's attendance list: nobody present yet. */
static enum err
roster_attendance(struct db *db, const char *group_id, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, "INSERT INTO group_attendance (session_id,"
	    " person_id, present) SELECT $1, m.person_id, 0"
	    " FROM peer_group_member m JOIN person p ON p.id = m.person_id"
	    " JOIN peer_group g ON g.id = m.group_id"
	    " WHERE m.group_id = $2 AND m.left_at IS NULL"
	    " AND p.team_id = g.team_id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, group_id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* Reloads the session into out, audits it for each attendee and
 * commits; rolls back on failure. */
static enum err
finish_session(struct db *db, const struct actor *a, const char *group_id,
    const char *id, const char *action, const char *detail,
    struct group_session *out)
{
	enum err e;

	if ((e = load_session(db, group_id, id, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = audit_attendees(db, a, out, action, detail)) != ERR_OK ||
	    (e = db_commit(db)) != ERR_OK) {
		if (e != ERR_OK)
			db_rollback(db);
		group_session_clear(out);
	}
	return e;
}

enum err
group_session_create(struct db *db, const struct actor *a,
    const char *group_id, const struct group_session_input *in,
    struct verr *v, struct group_session *out)
{
	struct group_rec g;
	struct db_stmt *st;
	struct span t = { 0, 0 };
	char id[37];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	check_session(in, 1, v, &t);
	if (v->n == 0 && (t.ended <= t.started ||
	    t.ended - t.started > (int64_t)BILLING_MINUTES_MAX * 60000))
		verr_add(v, "ended_at", "must be after the start, and at most "
		    "24 hours later");
	if ((e = begin_group(db, a, group_id, -1, "session_create", &g,
	    NULL)) != ERR_OK)
		return e;
	if ((e = check_session_db(db, g.team_id, in, v)) != ERR_OK)
		goto fail;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO group_session (id, version,"
	    " group_id, started_at, ended_at, topic, setting, location,"
	    " program, narrative, credential, status, author_id, created_at,"
	    " updated_at, updated_by) VALUES ($1, 1, $2, $3, $4, $5, $6, $7,"
	    " $8, $9, $10, 'draft', $11, $12, $12, $11)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, group_id);
	db_bind_int(st, 3, t.started);
	db_bind_int(st, 4, t.ended);
	db_bind_sealed(st, 5, "group_session.topic", (in->set & GS_TOPIC) ?
	    in->topic : NULL);
	db_bind_text(st, 6, (in->set & GS_SETTING) ? in->setting : g.setting);
	db_bind_sealed(st, 7, "group_session.location", (in->set & GS_LOCATION) ?
	    in->location : g.location);
	db_bind_text(st, 8, (in->set & GS_PROGRAM) ? in->program : g.program);
	db_bind_sealed(st, 9, "group_session.narrative",
	    (in->set & GS_NARRATIVE) ? in->narrative : NULL);
	db_bind_text(st, 10, (in->set & GS_CREDENTIAL) ? in->credential :
	    NULL);
	db_bind_text(st, 11, a->id);
	db_bind_int(st, 12, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (in->set & GS_FACILITATORS)
		e = write_facilitators(db, id, in->facilitators,
		    in->nfacilitators);
	else {
		const char *me[1];

		me[0] = a->id;
		e = write_facilitators(db, id, me, 1);
	}
	if (e == ERR_OK)
		e = (in->set & GS_ATTENDANCE) ? write_attendance(db, id,
		    in->attendance, in->nattendance) :
		    roster_attendance(db, group_id, id);
	if (e != ERR_OK)
		goto fail;
	group_clear(&g);
	return finish_session(db, a, group_id, id, "create", NULL, out);
fail:
	group_clear(&g);
	db_rollback(db);
	return e;
}

/* Opens a write on a session of group_id, loaded into cur, after the
 * policy and version checks. */
static enum err
begin_session(struct db *db, const struct actor *a, const char *group_id,
    const char *id, int64_t if_version, const char *action,
    struct group_session *cur, int64_t *current)
{
	enum err e;

	if ((e = record_allowed(db, a, "group_session", NULL, id, action)) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(group_id) || !uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load_session(db, group_id, id, cur)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = policy_check(a, POL_PERSON_UPDATE, cur->team_id)) != ERR_OK) {
		group_session_clear(cur);
		return record_deny(db, a, NULL, "group_session", id, action,
		    e);
	}
	if (if_version >= 0 && cur->version != if_version) {
		*current = cur->version;
		group_session_clear(cur);
		db_rollback(db);
		return ERR_STALE;
	}
	return ERR_OK;
}

static enum err
bump_session(struct db *db, const struct actor *a, const char *id)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, "UPDATE group_session SET version ="
	    " version + 1, updated_at = $1, updated_by = $2 WHERE id = $3",
	    &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, time_now_ms());
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

enum err
group_session_update(struct db *db, const struct actor *a,
    const char *group_id, const char *id, int64_t if_version,
    const struct group_session_input *in, struct verr *v,
    struct group_session *out, int64_t *current)
{
	struct group_session cur;
	struct span t = { 0, 0 };
	enum err e;

	memset(out, 0, sizeof *out);
	check_session(in, 0, v, &t);
	if (in->set == 0)
		verr_add(v, "body", "must change at least one field");
	if ((e = begin_session(db, a, group_id, id, if_version, "update",
	    &cur, current)) != ERR_OK)
		return e;
	if (strcmp(cur.status, "draft") != 0) {
		e = ERR_FROZEN;
		goto fail;
	}
	if (!(in->set & GS_STARTED_AT))
		t.started = cur.started_at;
	if (!(in->set & GS_ENDED_AT))
		t.ended = cur.ended_at;
	if (v->n == 0 && (t.ended <= t.started ||
	    t.ended - t.started > (int64_t)BILLING_MINUTES_MAX * 60000))
		verr_add(v, (in->set & GS_ENDED_AT) ? "ended_at" : "started_at",
		    "must leave the session ending after it starts, and at "
		    "most 24 hours later");
	if ((e = check_session_db(db, cur.team_id, in, v)) != ERR_OK)
		goto fail;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	e = db_set_int(db, "UPDATE group_session SET started_at = $1"
	    " WHERE id = $2", t.started, id);
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE group_session SET ended_at = $1"
		    " WHERE id = $2", t.ended, id);
	if (e == ERR_OK && (in->set & GS_TOPIC))
		e = db_set_sealed(db, "UPDATE group_session SET topic = $1"
		    " WHERE id = $2", "group_session.topic", in->topic, id);
	if (e == ERR_OK && (in->set & GS_SETTING))
		e = db_set_text(db, "UPDATE group_session SET setting = $1"
		    " WHERE id = $2", in->setting, id);
	if (e == ERR_OK && (in->set & GS_LOCATION))
		e = db_set_sealed(db, "UPDATE group_session SET location = $1"
		    " WHERE id = $2", "group_session.location", in->location, id);
	if (e == ERR_OK && (in->set & GS_PROGRAM))
		e = db_set_text(db, "UPDATE group_session SET program = $1"
		    " WHERE id = $2", in->program, id);
	if (e == ERR_OK && (in->set & GS_NARRATIVE))
		e = db_set_sealed(db, "UPDATE group_session SET narrative = $1"
		    " WHERE id = $2", "group_session.narrative", in->narrative, id);
	if (e == ERR_OK && (in->set & GS_CREDENTIAL))
		e = db_set_text(db, "UPDATE group_session SET credential = $1"
		    " WHERE id = $2", in->credential, id);
	if (e == ERR_OK && (in->set & GS_FACILITATORS))
		e = write_facilitators(db, id, in->facilitators,
		    in->nfacilitators);
	if (e == ERR_OK && (in->set & GS_ATTENDANCE))
		e = write_attendance(db, id, in->attendance, in->nattendance);
	if (e == ERR_OK)
		e = bump_session(db, a, id);
	if (e != ERR_OK)
		goto fail;
	group_session_clear(&cur);
	return finish_session(db, a, group_id, id, "update", NULL, out);
fail:
	group_session_clear(&cur);
	db_rollback(db);
	return e;
}

enum err
group_session_sign(struct db *db, const struct actor *a,
    const char *group_id, const char *id, int64_t if_version,
    struct verr *v, const char **rule, struct group_session *out,
    int64_t *current)
{
	const struct note_rules *n = &rules_get()->notes;
	struct group_session cur;
	struct db_stmt *st;
	char f[64], team[37], detail[32];
	enum err e;
	int i, said_place = 0, said_narrative = 0;

	memset(out, 0, sizeof *out);
	*rule = NULL;
	if ((e = begin_session(db, a, group_id, id, if_version, "sign", &cur,
	    current)) != ERR_OK)
		return e;
	if (strcmp(cur.status, "draft") != 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	*rule = n->required_rule;
	if (strcmp(cur.author_id, a->id) != 0) {
		verr_add(v, "author", "the session's author signs it");
		e = ERR_RULE;
		goto fail;
	}
	if (cur.present == 0)
		verr_add(v, "attendance", "marks no one present: a session is "
		    "signed for the people who came");
	for (i = 0; i < cur.nattendees; i++) {
		struct group_attendee *t = &cur.attendees[i];
		unsigned m = t->contact.missing;

		if (!t->present)
			continue;
		e = record_person_team(db, t->person_id, team);
		if (e != ERR_OK && e != ERR_NOT_FOUND)
			goto fail;
		if (e == ERR_NOT_FOUND || strcmp(team, cur.team_id) != 0) {
			snprintf(f, sizeof f, "attendance[%d].person_id", i);
			verr_add(v, f, "is no longer on this group's team");
		}
		/* The session's own elements, once: the same for everyone. */
		if ((m & NOTE_EL_LOCATION) && !said_place)
			verr_add(v, "location", "is needed before the session "
			    "is signed (where it happened)");
		said_place |= (m & NOTE_EL_LOCATION) != 0;
		if ((m & NOTE_EL_INTERVENTION) && !said_narrative)
			verr_add(v, "narrative", "is needed before the session "
			    "is signed (what the group did together)");
		said_narrative |= (m & NOTE_EL_INTERVENTION) != 0;
		if (m & NOTE_EL_RESPONSE) {
			snprintf(f, sizeof f, "attendance[%d].note", i);
			verr_add(v, f, "is needed before the session is signed "
			    "(this person's response)");
		}
		if (m & NOTE_EL_NEXT_STEPS) {
			snprintf(f, sizeof f, "attendance[%d].next_steps", i);
			verr_add(v, f, "is needed before the session is signed "
			    "(this person's next steps)");
		}
		if (m & NOTE_EL_GOALS) {
			snprintf(f, sizeof f, "attendance[%d].goals", i);
			verr_add(v, f, "is needed before the session is signed "
			    "(the plan goal it worked on)");
		}
	}
	if (v->n) {
		e = ERR_RULE;
		goto fail;
	}
	*rule = NULL;
	for (i = 0; i < cur.nattendees; i++) {
		struct group_attendee *t = &cur.attendees[i];
		struct contact_group_note note;
		char cid[37];

		if (!t->present)
			continue;
		memset(&note, 0, sizeof note);
		note.session_id = cur.id;
		note.person_id = t->person_id;
		note.started_at = cur.started_at;
		note.ended_at = cur.ended_at;
		note.setting = cur.setting;
		note.location = cur.location;
		note.program = cur.program;
		note.intervention = cur.narrative;
		note.response = t->note;
		note.next_steps = t->next_steps;
		note.credential = cur.credential;
		note.goals = (const char *const *)t->goals;
		note.ngoals = t->ngoals;
		note.group_size = cur.present;
		note.facilitators = cur.nfacilitators;
		if ((e = contact_group_sign(db, a, &note, v, cid)) != ERR_OK)
			goto fail;
		if ((e = db_prepare(db, "UPDATE group_attendance SET"
		    " contact_id = $1 WHERE session_id = $2 AND person_id = $3",
		    &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, cid);
		db_bind_text(st, 2, cur.id);
		db_bind_text(st, 3, t->person_id);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK)
			goto fail;
	}
	if ((e = db_set_int(db, "UPDATE group_session SET status = 'signed',"
	    " signed_at = $1 WHERE id = $2", time_now_ms(), id)) != ERR_OK ||
	    (e = bump_session(db, a, id)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "present=%d", cur.present);
	group_session_clear(&cur);
	return finish_session(db, a, group_id, id, "sign", detail, out);
fail:
	group_session_clear(&cur);
	db_rollback(db);
	return e;
}

/* ---- documentation due -------------------------------------------- */

enum err
group_sessions_due(struct db *db, const struct actor *a,
    struct group_session_summary **items, int *n)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0, i, j;

	*items = NULL;
	*n = 0;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT s.id, s.version, s.group_id, g.name,"
	    " s.started_at, s.ended_at, s.topic, s.status, a.display_name,"
	    " (SELECT count(*) FROM group_attendance x"
	    "  WHERE x.session_id = s.id AND x.present = 1),"
	    " (SELECT count(*) FROM group_attendance x"
	    "  WHERE x.session_id = s.id)"
	    " FROM group_session s JOIN peer_group g ON g.id = s.group_id"
	    " JOIN staff a ON a.id = s.author_id"
	    " WHERE s.author_id = $1 AND s.status = 'draft'"
	    " ORDER BY s.ended_at, s.id LIMIT $2", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, GROUP_SESSIONS_MAX);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct group_session_summary *s;

		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xreallocarray(*items, (size_t)cap,
			    sizeof **items);
		}
		s = &(*items)[(*n)++];
		memset(s, 0, sizeof *s);
		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->version = db_col_int(st, 1);
		snprintf(s->group_id, sizeof s->group_id, "%s",
		    db_col_text(st, 2));
		s->group_name = db_col_dup(st, 3);
		s->started_at = db_col_int(st, 4);
		s->ended_at = db_col_int(st, 5);
		s->topic = db_col_unsealed(st, 6, "group_session.topic", &e);
		s->status = db_col_dup(st, 7);
		s->author_name = db_col_dup(st, 8);
		s->present = (int)db_col_int(st, 9);
		s->listed = (int)db_col_int(st, 10);
		s->due_at = contact_due_at("group", s->ended_at);
	}
	db_done(st);
	db_rollback(db);
	if (e != ERR_OK) {
		group_session_summaries_free(*items, *n);
		*items = NULL;
		*n = 0;
		return e;
	}
	/* Soonest due first: the deadline follows the end, but business
	 * days can tie. */
	for (i = 1; i < *n; i++)
		for (j = i; j > 0 &&
		    (*items)[j].due_at < (*items)[j - 1].due_at; j--) {
			struct group_session_summary t = (*items)[j];

			(*items)[j] = (*items)[j - 1];
			(*items)[j - 1] = t;
		}
	return ERR_OK;
}
