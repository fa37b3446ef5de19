#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/portal.h"
#include "core/record.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

const char *
portal_state(const struct portal_status *s)
{
	if (s->account_id[0] == '\0')
		return "none";
	if (s->ended_at)
		return "ended";
	if (s->invite_expires_at)
		return "invited";
	return s->activated_at ? "active" : "none";
}

/* Inside a transaction: the person's account, if any, into out. */
static enum err
load_status(struct db *db, const char *person_id, struct portal_status *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(out, 0, sizeof *out);
	if ((e = db_prepare(db, "SELECT id, sign_in_name, invited_at,"
	    " invite_expires_at, activated_at, last_sign_in_at, ended_at"
	    " FROM portal_account WHERE person_id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		snprintf(out->account_id, sizeof out->account_id, "%s",
		    db_col_text(st, 0));
		if (!db_col_is_null(st, 1))
			snprintf(out->sign_in_name, sizeof out->sign_in_name,
			    "%s", db_col_text(st, 1));
		out->invited_at = db_col_int(st, 2);
		out->invite_expires_at = db_col_int(st, 3);
		out->activated_at = db_col_int(st, 4);
		out->last_sign_in_at = db_col_int(st, 5);
		out->ended_at = db_col_int(st, 6);
	}
	db_done(st);
	return e;
}

/*
 * Opens a transaction of kind on the person's record after the policy
 * check for act; on failure it is closed (and a refusal audited).
 */
static enum err
begin_person(struct db *db, const struct actor *a, const char *person_id,
    enum policy_action act, enum db_tx kind, const char *action)
{
	char team[37];
	enum err e;

	if ((e = record_allowed(db, a, "portal_account", person_id, NULL,
	    action)) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, kind)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, act, team, person_id)) != ERR_OK)
		return record_deny(db, a, person_id, "portal_account", NULL,
		    action, e);
	return ERR_OK;
}

enum err
portal_status_get(struct db *db, const struct actor *a,
    const char *person_id, struct portal_status *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = begin_person(db, a, person_id, POL_PERSON_READ, DB_TX_READ,
	    "read")) != ERR_OK)
		return e;
	e = load_status(db, person_id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	return audit_actor_alone(db, a, person_id, "portal_account",
	    out->account_id[0] ? out->account_id : NULL, "read", "success",
	    NULL);
}

enum err
portal_invite(struct db *db, const struct actor *a, const char *person_id,
    char code[PORTAL_CODE_MAX], struct portal_status *out)
{
	struct db_stmt *st = NULL;
	struct portal_status cur;
	char hash[65], id[37];
	int64_t now = time_now_ms();
	enum err e;

	code[0] = '\0';
	memset(out, 0, sizeof *out);
	if ((e = begin_person(db, a, person_id, POL_PERSON_UPDATE,
	    DB_TX_WRITE, "invite")) != ERR_OK)
		return e;
	if ((e = load_status(db, person_id, &cur)) != ERR_OK)
		goto fail;
	portal_code_new(code, hash);
	if (cur.account_id[0] == '\0') {
		uuid_v7(id);
		if ((e = db_prepare(db, "INSERT INTO portal_account (id,"
		    " person_id, invite_hash, invite_expires_at, invited_by,"
		    " invited_at, version, created_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, 1, $6)", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, person_id);
		db_bind_text(st, 3, hash);
		db_bind_int(st, 4, now + PORTAL_INVITE_MS);
		db_bind_text(st, 5, a->id);
		db_bind_int(st, 6, now);
	} else {
		/* A new code replaces everything that let the person in:
		 * whoever has the old passphrase or an open session is out. */
		snprintf(id, sizeof id, "%s", cur.account_id);
		if ((e = db_prepare(db, "UPDATE portal_account SET"
		    " invite_hash = $1, invite_expires_at = $2,"
		    " invited_by = $3, invited_at = $4, passphrase_hash = NULL,"
		    " ended_at = NULL, ended_by = NULL, version = version + 1"
		    " WHERE id = $5", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, hash);
		db_bind_int(st, 2, now + PORTAL_INVITE_MS);
		db_bind_text(st, 3, a->id);
		db_bind_int(st, 4, now);
		db_bind_text(st, 5, id);
	}
	e = db_run(st, NULL);
	db_done(st);
	st = NULL;
	if (e != ERR_OK || (e = portal_end_sessions(db, id)) != ERR_OK ||
	    (e = audit_actor(db, a, person_id, "portal_account", id, "invite",
	    "success", cur.account_id[0] ? "reissued" : NULL)) != ERR_OK ||
	    (e = load_status(db, person_id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		goto wipe;
	return ERR_OK;
fail:
	db_rollback(db);
wipe:
	crypto_wipe(code, PORTAL_CODE_MAX);
	code[0] = '\0';
	return e;
}

enum err
portal_end(struct db *db, const struct actor *a, const char *person_id)
{
	struct db_stmt *st;
	struct portal_status cur;
	int64_t now = time_now_ms();
	enum err e;

	if ((e = begin_person(db, a, person_id, POL_PERSON_UPDATE,
	    DB_TX_WRITE, "end")) != ERR_OK)
		return e;
	if ((e = load_status(db, person_id, &cur)) != ERR_OK)
		goto fail;
	if (cur.account_id[0] == '\0') {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	if (cur.ended_at) {
		/* Ended already: nothing more to end. */
		db_rollback(db);
		return ERR_OK;
	}
	if ((e = db_prepare(db, "UPDATE portal_account SET ended_at = $1,"
	    " ended_by = $2, invite_hash = NULL, invite_expires_at = NULL,"
	    " passphrase_hash = NULL, version = version + 1 WHERE id = $3",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, cur.account_id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK ||
	    (e = portal_end_sessions(db, cur.account_id)) != ERR_OK ||
	    (e = audit_actor(db, a, person_id, "portal_account",
	    cur.account_id, "end", "success", NULL)) != ERR_OK)
		goto fail;
	return db_commit(db);
fail:
	db_rollback(db);
	return e;
}

/* ---- suggested changes to a draft plan -------------------------- */

void
proposal_clear(struct proposal_rec *p)
{
	free(p->content);
	free(p->note);
	free(p->status);
	free(p->reason);
	free(p->decided_by_name);
	memset(p, 0, sizeof *p);
}

void
proposals_free(struct proposal_rec *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		proposal_clear(&p[i]);
	free(p);
}

#define PROPOSAL_COLS "x.id, x.plan_id, p.person_id, x.n, x.base_version," \
	" x.content, x.note, x.status, x.reason, x.created_at," \
	" s.display_name, x.decided_at FROM plan_proposal x" \
	" JOIN plan p ON p.id = x.plan_id" \
	" LEFT JOIN staff s ON s.id = x.decided_by"

/* Fills p from a row of PROPOSAL_COLS; an error when its sealed text
 * does not open (p then holds what did, for proposal_clear()). */
static enum err
fill(struct db_stmt *st, struct proposal_rec *p)
{
	enum err e = ERR_OK;

	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", db_col_text(st, 0));
	snprintf(p->plan_id, sizeof p->plan_id, "%s", db_col_text(st, 1));
	snprintf(p->person_id, sizeof p->person_id, "%s", db_col_text(st, 2));
	p->n = (int)db_col_int(st, 3);
	p->base_version = db_col_int(st, 4);
	p->content = db_col_unsealed(st, 5, "plan_proposal.content", &e);
	p->note = db_col_unsealed(st, 6, "plan_proposal.note", &e);
	p->status = db_col_dup(st, 7);
	p->reason = db_col_unsealed(st, 8, "plan_proposal.reason", &e);
	p->created_at = db_col_int(st, 9);
	p->decided_by_name = db_col_dup(st, 10);
	p->decided_at = db_col_int(st, 11);
	return e;
}

static enum err
load_proposal(struct db *db, const char *id, struct proposal_rec *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(out, 0, sizeof *out);
	if ((e = db_prepare(db, "SELECT " PROPOSAL_COLS " WHERE x.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = fill(st, out);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e != ERR_OK)
		proposal_clear(out);
	return e;
}

/* The plan's person, team, version, newest version and its status. */
static enum err
plan_state(struct db *db, const char *plan_id, char person[37],
    char team[37], int64_t *version, int *latest, char status[16])
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT p.person_id, per.team_id, p.version,"
	    " p.latest, v.status FROM plan p"
	    " JOIN person per ON per.id = p.person_id"
	    " JOIN plan_version v ON v.plan_id = p.id AND v.n = p.latest"
	    " WHERE p.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, plan_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			snprintf(person, 37, "%s", db_col_text(st, 0));
			snprintf(team, 37, "%s", db_col_text(st, 1));
			*version = db_col_int(st, 2);
			*latest = (int)db_col_int(st, 3);
			snprintf(status, 16, "%s", db_col_text(st, 4));
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	return e;
}

enum err
proposal_create(struct db *db, const struct actor *a, const char *plan_id,
    int64_t if_version, const char *content, const char *note,
    struct verr *v, struct proposal_rec *out, int64_t *current)
{
	struct db_stmt *st;
	char person[37], team[37], status[16], id[37], detail[32];
	int64_t version, now = time_now_ms();
	int latest;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "plan_proposal", NULL, plan_id,
	    "create")) != ERR_OK)
		return e;
	if (!uuid_valid(plan_id))
		return ERR_NOT_FOUND;
	check_text(v, "note", note, PROPOSAL_NOTE_MAX, CHECK_MULTILINE);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = plan_state(db, plan_id, person, team, &version, &latest,
	    status)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_RESPOND, team, person)) != ERR_OK)
		return record_deny(db, a, person, "plan_proposal", NULL,
		    "create", e);
	if (version != if_version) {
		*current = version;
		e = ERR_STALE;
		goto fail;
	}
	if (strcmp(status, "draft") != 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO plan_proposal (id, plan_id, n,"
	    " base_version, account_id, content, note, status, created_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, plan_id);
	db_bind_int(st, 3, latest);
	db_bind_int(st, 4, version);
	db_bind_text(st, 5, a->id);
	db_bind_sealed(st, 6, "plan_proposal.content", content);
	db_bind_sealed(st, 7, "plan_proposal.note", text_blank(note) ? NULL :
	    note);
	db_bind_int(st, 8, now);
	e = db_run(st, NULL);
	db_done(st);
	snprintf(detail, sizeof detail, "plan n=%d", latest);
	if (e != ERR_OK || (e = audit_actor(db, a, person, "plan_proposal", id,
	    "create", "success", detail)) != ERR_OK ||
	    (e = load_proposal(db, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		proposal_clear(out);
	return e;
fail:
	db_rollback(db);
	return e;
}

enum err
proposal_list(struct db *db, const struct actor *a, const char *plan_id,
    struct proposal_rec **items, int *n)
{
	struct db_stmt *st;
	char person[37], team[37], status[16];
	int64_t version;
	int latest, row, cap = 0;
	enum err e;

	*items = NULL;
	*n = 0;
	if ((e = record_allowed(db, a, "plan_proposal", NULL, plan_id,
	    "read")) != ERR_OK)
		return e;
	if (!uuid_valid(plan_id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = plan_state(db, plan_id, person, team, &version, &latest,
	    status)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, team, person)) != ERR_OK)
		return record_deny(db, a, person, "plan_proposal", NULL,
		    "read", e);
	if ((e = db_prepare(db, "SELECT " PROPOSAL_COLS " WHERE x.plan_id = $1"
	    " ORDER BY x.id DESC LIMIT $2", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, plan_id);
	db_bind_int(st, 2, PROPOSAL_LIST_MAX);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*items = xreallocarray(*items, (size_t)cap,
			    sizeof **items);
		}
		if ((e = fill(st, &(*items)[(*n)++])) != ERR_OK)
			break;
	}
	db_done(st);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person, "plan_proposal", NULL,
		    "read", "success", NULL);
	if (e != ERR_OK) {
		proposals_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

/* Opens a transaction of kind on proposal id after the policy check for
 * act on its plan's person; on failure it is closed. */
static enum err
begin_proposal(struct db *db, const struct actor *a, const char *id,
    enum policy_action act, enum db_tx kind, const char *action,
    struct proposal_rec *out)
{
	char team[37];
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "plan_proposal", NULL, id, action)) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, kind)) != ERR_OK)
		return e;
	if ((e = load_proposal(db, id, out)) != ERR_OK ||
	    (e = record_person_team(db, out->person_id, team)) != ERR_OK) {
		proposal_clear(out);
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, act, team, out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		proposal_clear(out);
		return record_deny(db, a, person, "plan_proposal", id, action,
		    e);
	}
	return ERR_OK;
}

enum err
proposal_get(struct db *db, const struct actor *a, const char *id,
    struct proposal_rec *out)
{
	enum err e;

	if ((e = begin_proposal(db, a, id, POL_PERSON_UPDATE, DB_TX_READ,
	    "read", out)) != ERR_OK)
		return e;
	db_rollback(db);
	if ((e = audit_actor_alone(db, a, out->person_id, "plan_proposal", id,
	    "read", "success", NULL)) != ERR_OK)
		proposal_clear(out);
	return e;
}

enum err
proposal_decline(struct db *db, const struct actor *a, const char *id,
    const char *reason, struct verr *v, struct proposal_rec *out)
{
	struct db_stmt *st;
	char person[37];
	int64_t now = time_now_ms(), changed = 0;
	enum err e;

	check_text(v, "reason", reason, PROPOSAL_REASON_MAX, CHECK_MULTILINE);
	if ((e = begin_proposal(db, a, id, POL_PERSON_UPDATE, DB_TX_WRITE,
	    "decline", out)) != ERR_OK)
		return e;
	snprintf(person, sizeof person, "%s", out->person_id);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if ((e = db_prepare(db, "UPDATE plan_proposal SET status = 'declined',"
	    " reason = $1, decided_by = $2, decided_at = $3"
	    " WHERE id = $4 AND status = 'open'", &st)) != ERR_OK)
		goto fail;
	db_bind_sealed(st, 1, "plan_proposal.reason", text_blank(reason) ?
	    NULL : reason);
	db_bind_text(st, 2, a->id);
	db_bind_int(st, 3, now);
	db_bind_text(st, 4, id);
	e = db_run(st, &changed);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if (changed == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	proposal_clear(out);
	if ((e = audit_actor(db, a, person, "plan_proposal", id, "decline",
	    "success", NULL)) != ERR_OK ||
	    (e = load_proposal(db, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		proposal_clear(out);
	return e;
fail:
	proposal_clear(out);
	db_rollback(db);
	return e;
}
