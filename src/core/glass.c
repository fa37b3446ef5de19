#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/glass.h"
#include "core/record.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static atomic_int grant_seconds = 60 * 60;

void
glass_set_seconds(int seconds)
{
	grant_seconds = seconds;
}

int
glass_seconds(void)
{
	return grant_seconds;
}

void
glass_clear(struct glass_rec *g)
{
	free(g->staff_name);
	free(g->reason);
	free(g->reviewed_by_name);
	free(g->review_outcome);
	free(g->review_note);
	memset(g, 0, sizeof *g);
}

void
glasses_free(struct glass_rec *g, int n)
{
	int i;

	for (i = 0; i < n; i++)
		glass_clear(&g[i]);
	free(g);
}

#define GLASS_COLS "g.id, g.version, g.staff_id, s.display_name," \
	" g.person_id, g.reason, g.started_at, g.expires_at, r.display_name," \
	" g.reviewed_at, g.review_outcome, g.review_note FROM break_glass g" \
	" JOIN staff s ON s.id = g.staff_id" \
	" LEFT JOIN staff r ON r.id = g.reviewed_by"

/* Fills g from a row of GLASS_COLS; an error when the reason or the
 * review's note does not open. */
static enum err
fill(struct db_stmt *st, struct glass_rec *g)
{
	enum err e = ERR_OK;

	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "%s", db_col_text(st, 0));
	g->version = db_col_int(st, 1);
	snprintf(g->staff_id, sizeof g->staff_id, "%s", db_col_text(st, 2));
	g->staff_name = db_col_dup(st, 3);
	snprintf(g->person_id, sizeof g->person_id, "%s", db_col_text(st, 4));
	g->reason = db_col_unsealed(st, 5, "break_glass.reason", &e);
	g->started_at = db_col_int(st, 6);
	g->expires_at = db_col_int(st, 7);
	g->reviewed_by_name = db_col_dup(st, 8);
	g->reviewed_at = db_col_is_null(st, 9) ? 0 : db_col_int(st, 9);
	g->review_outcome = db_col_dup(st, 10);
	g->review_note = db_col_unsealed(st, 11, "break_glass.review_note",
	    &e);
	return e;
}

static enum err
load(struct db *db, const char *id, struct glass_rec *g)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT " GLASS_COLS " WHERE g.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row && (e = fill(st, g)) != ERR_OK)
			glass_clear(g);
		else if (!row)
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

/* Tells every enabled privacy officer; *told gets how many. */
static enum err
notify_privacy(struct db *db, const char *glass_id, int64_t now, int *told)
{
	struct db_stmt *st;
	char (*ids)[37] = NULL, nid[37];
	enum err e;
	int row, n = 0, cap = 0, i;

	*told = 0;
	if ((e = db_prepare(db, "SELECT id FROM staff WHERE disabled = 0"
	    " AND role = 'privacy' ORDER BY id", &st)) != ERR_OK)
		return e;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			ids = xreallocarray(ids, (size_t)cap, sizeof *ids);
		}
		snprintf(ids[n++], 37, "%s", db_col_text(st, 0));
	}
	db_done(st);
	for (i = 0; e == ERR_OK && i < n; i++) {
		if ((e = db_prepare(db, "INSERT INTO notification (id,"
		    " recipient_id, kind, break_glass_id, created_at)"
		    " VALUES ($1, $2, 'break_glass', $3, $4)", &st)) != ERR_OK)
			break;
		uuid_v7(nid);
		db_bind_text(st, 1, nid);
		db_bind_text(st, 2, ids[i]);
		db_bind_text(st, 3, glass_id);
		db_bind_int(st, 4, now);
		e = db_run(st, NULL);
		db_done(st);
	}
	free(ids);
	*told = n;
	return e;
}

enum err
glass_open(struct db *db, const struct actor *a, const char *person_id,
    const char *reason, struct verr *v, struct glass_rec *out)
{
	struct db_stmt *st;
	char team[37], id[37], detail[48];
	int64_t now = time_now_ms();
	int told = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "break_glass", person_id, NULL,
	    "open")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if (check_text(v, "reason", reason, GLASS_REASON_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE) && utf8_chars(reason) <
	    GLASS_REASON_MIN)
		verr_add(v, "reason", "must say why in at least %d characters",
		    GLASS_REASON_MIN);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team)) != ERR_OK)
		goto fail;
	if (actor_in_team(a, team)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO break_glass (id, version,"
	    " staff_id, person_id, reason, started_at, expires_at)"
	    " VALUES ($1, 1, $2, $3, $4, $5, $6)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, person_id);
	db_bind_sealed(st, 4, "break_glass.reason", reason);
	db_bind_int(st, 5, now);
	db_bind_int(st, 6, now + (int64_t)grant_seconds * 1000);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = notify_privacy(db, id, now, &told);
	snprintf(detail, sizeof detail, "break_glass notified=%d", told);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "break_glass", id, "open",
		    "success", detail);
	if (e == ERR_OK && (e = load(db, id, out)) == ERR_OK &&
	    (e = db_commit(db)) != ERR_OK)
		glass_clear(out);
	if (e == ERR_OK)
		return ERR_OK;
fail:
	db_rollback(db);
	return e;
}

enum err
glass_list(struct db *db, const struct actor *a, int pending,
    struct glass_rec **items, int *n)
{
	struct db_stmt *st;
	int row, cap = 0, officer = policy_check(a, POL_AUDIT_READ, NULL) ==
	    ERR_OK;
	enum err e;

	*items = NULL;
	*n = 0;
	if (!officer && policy_check(a, POL_PERSON_RECORDS, NULL) != ERR_OK)
		return ERR_FORBIDDEN;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, officer ? (pending ?
	    "SELECT " GLASS_COLS " WHERE g.reviewed_at IS NULL"
	    " ORDER BY g.started_at DESC, g.id DESC LIMIT $1" :
	    "SELECT " GLASS_COLS " ORDER BY g.started_at DESC, g.id DESC"
	    " LIMIT $1") : "SELECT " GLASS_COLS " WHERE g.staff_id = $2"
	    " ORDER BY g.started_at DESC, g.id DESC LIMIT $1", &st)) ==
	    ERR_OK) {
		db_bind_int(st, 1, GLASS_LIST_MAX);
		if (!officer)
			db_bind_text(st, 2, a->id);
		while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK &&
		    row) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				*items = xreallocarray(*items, (size_t)cap,
				    sizeof **items);
			}
			e = fill(st, &(*items)[(*n)++]);
		}
		db_done(st);
	}
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, NULL, "break_glass", NULL, "list",
		    "success", NULL);
	if (e != ERR_OK) {
		glasses_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

enum err
glass_review(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *outcome, const char *note,
    struct verr *v, struct glass_rec *out, int64_t *current)
{
	struct glass_rec cur;
	struct db_stmt *st;
	int64_t now = time_now_ms();
	char person[37];
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = policy_check(a, POL_AUDIT_READ, NULL)) != ERR_OK) {
		audit_actor_alone(db, a, NULL, "break_glass",
		    uuid_valid(id) ? id : NULL, "review", "denied", NULL);
		return e;
	}
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if (outcome == NULL)
		verr_add(v, "outcome", "is required");
	else if (strcmp(outcome, "appropriate") != 0 &&
	    strcmp(outcome, "not_appropriate") != 0)
		verr_add(v, "outcome", "must be appropriate or not_appropriate");
	if (!check_text(v, "note", note, GLASS_REASON_MAX, CHECK_MULTILINE) &&
	    (note == NULL || *note == '\0') && outcome != NULL &&
	    strcmp(outcome, "not_appropriate") == 0)
		verr_add(v, "note", "is needed to say what follows when access "
		    "was not appropriate");
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load(db, id, &cur)) != ERR_OK)
		goto fail;
	snprintf(person, sizeof person, "%s", cur.person_id);
	if (if_version >= 0 && cur.version != if_version) {
		*current = cur.version;
		e = ERR_STALE;
	} else if (cur.reviewed_at != 0) {
		e = ERR_CONFLICT;
	} else if (v->n) {
		e = ERR_INVALID;
	}
	glass_clear(&cur);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "UPDATE break_glass SET reviewed_by = $1,"
	    " reviewed_at = $2, review_outcome = $3, review_note = $4,"
	    " version = version + 1 WHERE id = $5", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, now);
	db_bind_text(st, 3, outcome);
	db_bind_sealed(st, 4, "break_glass.review_note", note);
	db_bind_text(st, 5, id);
	e = db_run(st, NULL);
	db_done(st);
	/* Reviewed by one, it waits for none of the others. */
	if (e == ERR_OK)
		e = db_set_int(db, "UPDATE notification SET read_at = $1"
		    " WHERE break_glass_id = $2 AND read_at IS NULL", now, id);
	if (e == ERR_OK)
		e = audit_actor(db, a, person, "break_glass", id, "review",
		    "success", outcome);
	if (e == ERR_OK && (e = load(db, id, out)) == ERR_OK &&
	    (e = db_commit(db)) != ERR_OK)
		glass_clear(out);
	if (e == ERR_OK)
		return ERR_OK;
fail:
	db_rollback(db);
	return e;
}
