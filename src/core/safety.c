#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/record.h"
#include "core/rules.h"
#include "core/safety.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

const char *const safety_actions[] = {
	"contacted_person",	/* spoke with the person */
	"followed_crisis_plan",	/* did what the person's crisis plan asks */
	"contacted_supporter",	/* called someone the person named */
	"called_crisis_line",	/* 988 or the local crisis service */
	"other",
	NULL,
};

static int escalate_seconds;	/* 0: the rules' minutes */

void
safety_set_escalate_seconds(int seconds)
{
	escalate_seconds = seconds;
}

int64_t
safety_escalate_ms(void)
{
	int m = rules_get()->safety.escalate_minutes;

	if (escalate_seconds > 0)
		return (int64_t)escalate_seconds * 1000;
	return (int64_t)(m > 0 ? m : 10) * 60000;
}

void
safety_concern_clear(struct safety_concern *c)
{
	int i;

	free(c->person_name);
	free(c->contact_id);
	free(c->kind);
	free(c->what);
	free(c->status);
	free(c->raised_by);
	free(c->raised_by_name);
	free(c->acknowledged_by);
	free(c->acknowledged_by_name);
	free(c->closed_by);
	free(c->closed_by_name);
	free(c->outcome);
	free(c->rules_version);
	for (i = 0; i < c->nsteps; i++) {
		free(c->steps[i].actor_id);
		free(c->steps[i].actor_name);
		free(c->steps[i].action);
		free(c->steps[i].note);
	}
	free(c->steps);
	free(c->plan_id);
	free(c->plan_kind);
	free(c->plan_title);
	free(c->plan_content);
	memset(c, 0, sizeof *c);
}

void
safety_concerns_free(struct safety_concern *c, int n)
{
	int i;

	for (i = 0; c != NULL && i < n; i++)
		safety_concern_clear(&c[i]);
	free(c);
}

void
notifications_free(struct notification *x, int n)
{
	int i;

	for (i = 0; x != NULL && i < n; i++) {
		free(x[i].kind);
		free(x[i].concern_id);
		free(x[i].break_glass_id);
		free(x[i].person_name);
		free(x[i].concern_kind);
		free(x[i].status);
	}
	free(x);
}

static enum err
deny(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, enum err e)
{
	return record_deny(db, a, person_id, "safety_concern", id, action, e);
}

static int64_t
col_time(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? 0 : db_col_int(st, i);
}

#define CONCERN_COLS \
	"c.id, c.version, c.person_id, p.preferred_name, c.team_id," \
	" c.contact_id, c.kind, c.what, c.status, c.level, c.raised_by," \
	" r.display_name, c.raised_at, c.escalate_at, c.acknowledged_by," \
	" k.display_name, c.acknowledged_at, c.escalated_at, c.closed_by," \
	" d.display_name, c.closed_at, c.outcome, c.rules_version" \
	" FROM safety_concern c JOIN person p ON p.id = c.person_id" \
	" JOIN staff r ON r.id = c.raised_by" \
	" LEFT JOIN staff k ON k.id = c.acknowledged_by" \
	" LEFT JOIN staff d ON d.id = c.closed_by"

/* Fills c from a row of CONCERN_COLS; an error when what was said or
 * the outcome does not open. */
static enum err
concern_row(struct db_stmt *st, struct safety_concern *c)
{
	enum err e = ERR_OK;

	snprintf(c->id, sizeof c->id, "%s", db_col_text(st, 0));
	c->version = db_col_int(st, 1);
	snprintf(c->person_id, sizeof c->person_id, "%s", db_col_text(st, 2));
	c->person_name = db_col_dup(st, 3);
	snprintf(c->team_id, sizeof c->team_id, "%s", db_col_text(st, 4));
	c->contact_id = db_col_dup(st, 5);
	c->kind = db_col_dup(st, 6);
	c->what = db_col_unsealed(st, 7, "safety_concern.what", &e);
	c->status = db_col_dup(st, 8);
	c->level = (int)db_col_int(st, 9);
	c->raised_by = db_col_dup(st, 10);
	c->raised_by_name = db_col_dup(st, 11);
	c->raised_at = db_col_int(st, 12);
	c->escalate_at = db_col_int(st, 13);
	c->acknowledged_by = db_col_dup(st, 14);
	c->acknowledged_by_name = db_col_dup(st, 15);
	c->acknowledged_at = col_time(st, 16);
	c->escalated_at = col_time(st, 17);
	c->closed_by = db_col_dup(st, 18);
	c->closed_by_name = db_col_dup(st, 19);
	c->closed_at = col_time(st, 20);
	c->outcome = db_col_unsealed(st, 21, "safety_concern.outcome", &e);
	c->rules_version = db_col_dup(st, 22);
	return e;
}

/* The newest signed crisis plan (or, failing one, wellness plan, whose
 * crisis section serves) of the person, read in the caller's transaction
 * so the concern's one audited read covers it. */
static enum err
load_crisis_plan(struct db *db, struct safety_concern *c)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT p.id, p.kind, p.title, v.n, v.content"
	    " FROM plan p JOIN plan_version v ON v.plan_id = p.id"
	    " AND v.n = p.in_force"
	    " WHERE p.person_id = $1 AND p.in_force > 0"
	    " AND p.kind IN ('crisis', 'wellness')"
	    " ORDER BY CASE WHEN p.kind = 'crisis' THEN 0 ELSE 1 END,"
	    " p.updated_at DESC, p.id DESC LIMIT 1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		c->plan_id = db_col_dup(st, 0);
		c->plan_kind = db_col_dup(st, 1);
		c->plan_title = db_col_unsealed(st, 2, "plan.title", &e);
		c->plan_n = (int)db_col_int(st, 3);
		c->plan_content = db_col_unsealed(st, 4,
		    "plan_version.content", &e);
	}
	db_done(st);
	return e;
}

static enum err
load_steps(struct db *db, struct safety_concern *c)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT s.id, s.at, s.actor_id,"
	    " f.display_name, s.action, s.note FROM safety_step s"
	    " LEFT JOIN staff f ON f.id = s.actor_id"
	    " WHERE s.concern_id = $1 ORDER BY s.id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->id);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct safety_step *s;

		if (c->nsteps == cap) {
			cap = cap ? cap * 2 : 8;
			c->steps = xreallocarray(c->steps, (size_t)cap,
			    sizeof *c->steps);
		}
		s = &c->steps[c->nsteps++];
		memset(s, 0, sizeof *s);
		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->at = db_col_int(st, 1);
		s->actor_id = db_col_dup(st, 2);
		s->actor_name = db_col_dup(st, 3);
		s->action = db_col_dup(st, 4);
		s->note = db_col_unsealed(st, 5, "safety_step.note", &e);
	}
	db_done(st);
	return e;
}

static enum err
load_concern(struct db *db, const char *id, int full,
    struct safety_concern *c)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(c, 0, sizeof *c);
	if ((e = db_prepare(db, "SELECT " CONCERN_COLS " WHERE c.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = concern_row(st, c);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e == ERR_OK && full && (e = load_steps(db, c)) == ERR_OK)
		e = load_crisis_plan(db, c);
	if (e != ERR_OK)
		safety_concern_clear(c);
	return e;
}

static enum err
add_step(struct db *db, const char *concern_id, int64_t at,
    const char *actor_id, const char *action, const char *note)
{
	struct db_stmt *st;
	char id[37];
	enum err e;

	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO safety_step (id, concern_id, at,"
	    " actor_id, action, note) VALUES ($1, $2, $3, $4, $5, $6)",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, concern_id);
	db_bind_int(st, 3, at);
	db_bind_text(st, 4, actor_id);
	db_bind_text(st, 5, action);
	db_bind_sealed(st, 6, "safety_step.note", note);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* Notifies every member of staff the query (with $1 = param) finds; *n
 * gets how many. */
static enum err
notify_each(struct db *db, const char *sql, const char *param,
    const char *kind, const char *concern_id, int64_t now, int *n)
{
	struct db_stmt *st;
	char (*ids)[37] = NULL;
	int row, count = 0, cap = 0, i;
	enum err e;

	*n = 0;
	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, param);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			ids = xreallocarray(ids, (size_t)cap, sizeof *ids);
		}
		snprintf(ids[count++], 37, "%s", db_col_text(st, 0));
	}
	db_done(st);
	for (i = 0; e == ERR_OK && i < count; i++) {
		char nid[37];

		uuid_v7(nid);
		if ((e = db_prepare(db, "INSERT INTO notification (id,"
		    " recipient_id, kind, concern_id, created_at)"
		    " VALUES ($1, $2, $3, $4, $5)", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, nid);
		db_bind_text(st, 2, ids[i]);
		db_bind_text(st, 3, kind);
		db_bind_text(st, 4, concern_id);
		db_bind_int(st, 5, now);
		e = db_run(st, NULL);
		db_done(st);
	}
	free(ids);
	if (e == ERR_OK)
		*n = count;
	return e;
}

/* Audits action, loads the concern afresh and commits. */
static enum err
finish(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, const char *detail,
    struct safety_concern *out)
{
	enum err e;

	if ((e = audit_actor(db, a, person_id, "safety_concern", id, action,
	    "success", detail)) != ERR_OK ||
	    (e = load_concern(db, id, 1, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		safety_concern_clear(out);
	return e;
}

static void
check_kind(struct verr *v, const char *kind)
{
	if (kind == NULL || (strcmp(kind, "self") != 0 &&
	    strcmp(kind, "others") != 0))
		verr_add(v, "kind", "must be self or others");
}

enum err
safety_raise(struct db *db, const struct actor *a,
    const struct safety_input *in, struct verr *v,
    struct safety_concern *out)
{
	struct db_stmt *st;
	char team_id[37], id[37], detail[64];
	int64_t now = time_now_ms();
	int told = 0, row;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "safety_concern", in->person_id, NULL,
	    "create")) != ERR_OK)
		return e;
	check_kind(v, in->kind);
	check_text(v, "what", in->what, SAFETY_TEXT_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	if (in->contact_id != NULL)
		check_uuid(v, "contact_id", in->contact_id, CHECK_REQUIRED);
	if (!uuid_valid(in->person_id)) {
		if (in->person_id == NULL)
			verr_add(v, "person_id", "is required");
		else
			verr_add(v, "person_id", "must be a person's id");
		return ERR_INVALID;
	}
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, in->person_id, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id,
	    in->person_id)) != ERR_OK)
		return deny(db, a, in->person_id, NULL, "create", e);
	if (in->contact_id != NULL && uuid_valid(in->contact_id)) {
		if ((e = db_prepare(db, "SELECT 1 FROM contact WHERE id = $1"
		    " AND person_id = $2", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, in->contact_id);
		db_bind_text(st, 2, in->person_id);
		e = db_step(st, &row);
		db_done(st);
		if (e != ERR_OK)
			goto fail;
		if (!row)
			verr_add(v, "contact_id", "must be a contact with this "
			    "person");
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO safety_concern (id, version,"
	    " person_id, team_id, contact_id, kind, what, status, level,"
	    " raised_by, raised_at, escalate_at, rules_version, updated_at)"
	    " VALUES ($1, 1, $2, $3, $4, $5, $6, 'raised', 1, $7, $8, $9,"
	    " $10, $8)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, in->person_id);
	db_bind_text(st, 3, team_id);
	db_bind_text(st, 4, in->contact_id);
	db_bind_text(st, 5, in->kind);
	db_bind_sealed(st, 6, "safety_concern.what", in->what);
	db_bind_text(st, 7, a->id);
	db_bind_int(st, 8, now);
	db_bind_int(st, 9, now + safety_escalate_ms());
	db_bind_text(st, 10, rules_get()->safety.version ?
	    rules_get()->safety.version : "none");
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK ||
	    (e = add_step(db, id, now, a->id, "raised", NULL)) != ERR_OK ||
	    (e = notify_each(db, "SELECT s.id FROM staff s"
	    " JOIN staff_team t ON t.staff_id = s.id"
	    " WHERE t.team_id = $1 AND s.role = 'supervisor'"
	    " AND s.disabled = 0 ORDER BY s.id", team_id, "safety_raised", id,
	    now, &told)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "kind=%s notified=%d", in->kind,
	    told);
	return finish(db, a, in->person_id, id, "create", detail, out);
fail:
	db_rollback(db);
	return e;
}

enum err
safety_get(struct db *db, const struct actor *a, const char *id,
    struct safety_concern *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "safety_concern", NULL, id, "read")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	/* Lazily, so a concern is never shown unescalated past its time
	 * when the background sweep is late. */
	if ((e = safety_sweep(db, time_now_ms(), NULL)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_concern(db, id, 1, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		safety_concern_clear(out);
		return deny(db, a, person, id, "read", e);
	}
	if ((e = audit_actor_alone(db, a, out->person_id, "safety_concern",
	    id, "read", "success", NULL)) != ERR_OK)
		safety_concern_clear(out);
	return e;
}

enum err
safety_list_open(struct db *db, const struct actor *a,
    struct safety_concern **items, int *n)
{
	struct db_stmt *st;
	int row, i;
	enum err e;

	*items = NULL;
	*n = 0;
	if ((e = record_allowed(db, a, "safety_concern", NULL, NULL,
	    "list")) != ERR_OK)
		return e;
	if (a->nteams == 0)
		return ERR_OK;
	if ((e = safety_sweep(db, time_now_ms(), NULL)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	*items = xcalloc(SAFETY_LIST_MAX, sizeof **items);
	for (i = 0; i < a->nteams && e == ERR_OK; i++) {
		if ((e = db_prepare(db, "SELECT " CONCERN_COLS
		    " WHERE c.team_id = $1 AND c.status <> 'closed'"
		    " ORDER BY c.id DESC", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, a->teams[i]);
		while (e == ERR_OK && *n < SAFETY_LIST_MAX &&
		    (e = db_step(st, &row)) == ERR_OK && row)
			e = concern_row(st, &(*items)[(*n)++]);
		db_done(st);
	}
	db_rollback(db);
	if (e != ERR_OK) {
		safety_concerns_free(*items, *n);
		*items = NULL;
		*n = 0;
		return e;
	}
	return audit_actor_alone(db, a, NULL, "safety_concern", NULL, "list",
	    "success", NULL);
}

/* Opens a write on concern id after the policy check act. */
static enum err
begin_change(struct db *db, const struct actor *a, const char *id,
    enum policy_action act, const char *action, struct safety_concern *cur)
{
	enum err e;

	if ((e = record_allowed(db, a, "safety_concern", NULL, id, action)) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load_concern(db, id, 0, cur)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = policy_check(a, act, cur->team_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", cur->person_id);
		safety_concern_clear(cur);
		return deny(db, a, person, id, action, e);
	}
	return ERR_OK;
}

static enum err
set_status(struct db *db, const char *id, const char *sql,
    const char *actor_id, int64_t now, const char *text)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, actor_id);
	db_bind_int(st, 3, now);
	if (text != NULL)
		db_bind_sealed(st, 4, "safety_concern.outcome", text);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
touch(struct db *db, const char *id, int64_t now)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, "UPDATE safety_concern SET updated_at = $2,"
	    " version = version + 1 WHERE id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, now);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

enum err
safety_acknowledge(struct db *db, const struct actor *a, const char *id,
    struct verr *v, struct safety_concern *out)
{
	struct safety_concern cur;
	int64_t now = time_now_ms();
	enum err e;

	(void)v;
	memset(out, 0, sizeof *out);
	if ((e = begin_change(db, a, id, POL_SAFETY_ANSWER, "acknowledge",
	    &cur)) != ERR_OK)
		return e;
	if (strcmp(cur.status, "raised") != 0 &&
	    strcmp(cur.status, "escalated") != 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = set_status(db, id, "UPDATE safety_concern SET"
	    " status = 'acknowledged', acknowledged_by = $2,"
	    " acknowledged_at = $3, updated_at = $3, version = version + 1"
	    " WHERE id = $1", a->id, now, NULL)) != ERR_OK ||
	    (e = add_step(db, id, now, a->id, "acknowledged", NULL)) != ERR_OK)
		goto fail;
	e = finish(db, a, cur.person_id, id, "acknowledge", NULL, out);
	safety_concern_clear(&cur);
	return e;
fail:
	safety_concern_clear(&cur);
	db_rollback(db);
	return e;
}

enum err
safety_step_add(struct db *db, const struct actor *a, const char *id,
    const char *action, const char *note, struct verr *v,
    struct safety_concern *out)
{
	struct safety_concern cur;
	char detail[64];
	int64_t now = time_now_ms();
	int i, known = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	for (i = 0; action != NULL && safety_actions[i] != NULL; i++)
		if (strcmp(action, safety_actions[i]) == 0)
			known = 1;
	if (!known)
		verr_add(v, "action", "must be one of contacted_person, "
		    "followed_crisis_plan, contacted_supporter, "
		    "called_crisis_line, other");
	check_text(v, "note", note, SAFETY_NOTE_MAX,
	    CHECK_MULTILINE | (action != NULL && strcmp(action, "other") ==
	    0 ? CHECK_REQUIRED : 0));
	if ((e = begin_change(db, a, id, POL_PERSON_UPDATE, "step", &cur)) !=
	    ERR_OK)
		return e;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (strcmp(cur.status, "closed") == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = add_step(db, id, now, a->id, action, note)) != ERR_OK ||
	    (e = touch(db, id, now)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "action=%s", action);
	e = finish(db, a, cur.person_id, id, "step", detail, out);
	safety_concern_clear(&cur);
	return e;
fail:
	safety_concern_clear(&cur);
	db_rollback(db);
	return e;
}

enum err
safety_close(struct db *db, const struct actor *a, const char *id,
    const char *outcome, struct verr *v, struct safety_concern *out)
{
	struct safety_concern cur;
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	check_text(v, "outcome", outcome, SAFETY_NOTE_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	if ((e = begin_change(db, a, id, POL_SAFETY_ANSWER, "close", &cur)) !=
	    ERR_OK)
		return e;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (strcmp(cur.status, "closed") == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = set_status(db, id, "UPDATE safety_concern SET"
	    " status = 'closed', closed_by = $2, closed_at = $3,"
	    " outcome = $4, updated_at = $3, version = version + 1"
	    " WHERE id = $1", a->id, now, outcome)) != ERR_OK ||
	    (e = add_step(db, id, now, a->id, "closed", outcome)) != ERR_OK)
		goto fail;
	e = finish(db, a, cur.person_id, id, "close", NULL, out);
	safety_concern_clear(&cur);
	return e;
fail:
	safety_concern_clear(&cur);
	db_rollback(db);
	return e;
}

/* Claims and passes on one concern; *won is 1 when this call did. */
static enum err
escalate_one(struct db *db, const char *id, int64_t now, int *won)
{
	const struct safety_rules *r = &rules_get()->safety;
	unsigned to = r->escalate_to ? r->escalate_to :
	    SAFETY_TO_SUPERVISORS | SAFETY_TO_ADMINS;
	struct audit_entry ae;
	struct db_stmt *st;
	char person[37] = "", detail[64];
	int64_t changes = 0;
	int row, told = 0;
	enum err e;

	*won = 0;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	/* The claim: only one sweep sees the row still raised. */
	if ((e = db_prepare(db, "UPDATE safety_concern SET status ="
	    " 'escalated', escalated_at = $2, level = 2, updated_at = $2,"
	    " version = version + 1 WHERE id = $1 AND status = 'raised'"
	    " AND escalated_at IS NULL AND escalate_at <= $2", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, now);
	e = db_run(st, &changes);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (changes != 1) {
		db_rollback(db);
		return ERR_OK;
	}
	if ((e = db_prepare(db, "SELECT person_id FROM safety_concern"
	    " WHERE id = $1", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		snprintf(person, sizeof person, "%s", db_col_text(st, 0));
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = add_step(db, id, now, NULL, "escalated", NULL)) != ERR_OK)
		goto fail;
	if ((e = notify_each(db,
	    (to & SAFETY_TO_SUPERVISORS) && (to & SAFETY_TO_ADMINS) ?
	    "SELECT id FROM staff WHERE disabled = 0"
	    " AND role IN ('supervisor', 'admin') AND id NOT IN"
	    " (SELECT recipient_id FROM notification WHERE concern_id = $1)"
	    " ORDER BY id" : (to & SAFETY_TO_ADMINS) ?
	    "SELECT id FROM staff WHERE disabled = 0 AND role = 'admin'"
	    " AND id NOT IN (SELECT recipient_id FROM notification"
	    " WHERE concern_id = $1) ORDER BY id" :
	    "SELECT id FROM staff WHERE disabled = 0 AND role = 'supervisor'"
	    " AND id NOT IN (SELECT recipient_id FROM notification"
	    " WHERE concern_id = $1) ORDER BY id",
	    id, "safety_escalated", id, now, &told)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "notified=%d", told);
	memset(&ae, 0, sizeof ae);
	ae.actor_role = "system";
	ae.person_id = person;
	ae.object_type = "safety_concern";
	ae.object_id = id;
	ae.action = "escalate";
	ae.outcome = "success";
	ae.detail = detail;
	if ((e = audit_append(db, &ae)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		return e;
	log_info("safety: concern %s passed on to %d", id, told);
	*won = 1;
	return ERR_OK;
fail:
	db_rollback(db);
	return e;
}

enum err
safety_sweep(struct db *db, int64_t now, int *escalated)
{
	struct db_stmt *st;
	char (*ids)[37];
	int row, n = 0, i, won;
	enum err e;

	if (escalated)
		*escalated = 0;
	ids = xcalloc(SAFETY_LIST_MAX, sizeof *ids);
	/* A cheap look first (the index on status, escalate_at): most calls
	 * find nothing and write nothing. */
	if ((e = db_prepare(db, "SELECT id FROM safety_concern"
	    " WHERE status = 'raised' AND escalate_at <= $1"
	    " ORDER BY escalate_at", &st)) != ERR_OK) {
		free(ids);
		return e;
	}
	db_bind_int(st, 1, now);
	while (n < SAFETY_LIST_MAX && (e = db_step(st, &row)) == ERR_OK && row)
		snprintf(ids[n++], 37, "%s", db_col_text(st, 0));
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++) {
		if ((e = escalate_one(db, ids[i], now, &won)) == ERR_OK &&
		    won && escalated)
			(*escalated)++;
	}
	free(ids);
	return e;
}

enum err
notification_list(struct db *db, const struct actor *a, int limit,
    struct notification **items, int *n, int64_t *unread)
{
	struct db_stmt *st;
	int row, roster = a->role == ROLE_PEER || a->role == ROLE_SUPERVISOR;
	enum err e;

	*items = NULL;
	*n = 0;
	*unread = 0;
	if (a->id[0] == '\0')
		return ERR_FORBIDDEN;
	if ((e = safety_sweep(db, time_now_ms(), NULL)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT count(*) FROM notification"
	    " WHERE recipient_id = $1 AND read_at IS NULL", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, a->id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		*unread = db_col_int(st, 0);
	db_done(st);
	if (e != ERR_OK || limit <= 0)
		return e;
	if (limit > NOTIFY_LIST_MAX)
		limit = NOTIFY_LIST_MAX;
	if ((e = db_prepare(db, "SELECT n.id, n.kind, n.concern_id,"
	    " p.preferred_name, c.kind, c.status, n.created_at, n.read_at,"
	    " n.break_glass_id FROM notification n"
	    " LEFT JOIN safety_concern c ON c.id = n.concern_id"
	    " LEFT JOIN person p ON p.id = c.person_id"
	    " WHERE n.recipient_id = $1 ORDER BY n.id DESC LIMIT $2",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, limit);
	*items = xcalloc((size_t)limit, sizeof **items);
	while (*n < limit && (e = db_step(st, &row)) == ERR_OK && row) {
		struct notification *x = &(*items)[(*n)++];

		snprintf(x->id, sizeof x->id, "%s", db_col_text(st, 0));
		x->kind = db_col_dup(st, 1);
		x->concern_id = db_col_dup(st, 2);
		/* Administrators are told a concern waits, not whose. */
		x->person_name = roster ? db_col_dup(st, 3) : NULL;
		x->concern_kind = db_col_dup(st, 4);
		x->status = db_col_dup(st, 5);
		x->created_at = db_col_int(st, 6);
		x->read_at = col_time(st, 7);
		x->break_glass_id = db_col_dup(st, 8);
	}
	db_done(st);
	if (e != ERR_OK) {
		notifications_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

enum err
notification_read(struct db *db, const struct actor *a, const char *id)
{
	struct db_stmt *st;
	int64_t changes = 0;
	int row;
	enum err e;

	if (!uuid_valid(id) || a->id[0] == '\0')
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "UPDATE notification SET read_at = $3"
	    " WHERE id = $1 AND recipient_id = $2 AND read_at IS NULL",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, a->id);
	db_bind_int(st, 3, time_now_ms());
	e = db_run(st, &changes);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (changes != 1) {
		/* Read already, or not the actor's at all. */
		if ((e = db_prepare(db, "SELECT 1 FROM notification"
		    " WHERE id = $1 AND recipient_id = $2", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, a->id);
		if ((e = db_step(st, &row)) == ERR_OK && !row)
			e = ERR_NOT_FOUND;
		db_done(st);
		if (e != ERR_OK)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return e;
}
