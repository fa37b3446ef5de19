/*
 * Referrals with a closed loop. See core/referral.h and
 * docs/referrals.md.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/plan.h"
#include "core/record.h"
#include "core/referral.h"
#include "core/rules.h"
#include "util/crypto.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static const char *const states[] = { "requested", "accepted", "rejected",
    "in-progress", "on-hold", "completed", "cancelled", "failed", NULL };

/* The moves a referral can make (FHIR TaskStatus as the SDOH Clinical
 * Care IG's referral workflow uses it); everything else is refused. */
static const struct {
	const char	*from;
	const char	*to;
} moves[] = {
	{ "requested", "accepted" }, { "requested", "rejected" },
	{ "requested", "cancelled" }, { "requested", "failed" },
	{ "accepted", "in-progress" }, { "accepted", "on-hold" },
	{ "accepted", "completed" }, { "accepted", "cancelled" },
	{ "accepted", "failed" },
	{ "in-progress", "on-hold" }, { "in-progress", "completed" },
	{ "in-progress", "cancelled" }, { "in-progress", "failed" },
	{ "on-hold", "in-progress" }, { "on-hold", "completed" },
	{ "on-hold", "cancelled" }, { "on-hold", "failed" },
};

const char *const referral_link_moves[] = { "accepted", "rejected",
    "in-progress", "on-hold", "completed", "failed", NULL };

int
referral_status_valid(const char *status)
{
	int i;

	for (i = 0; status != NULL && states[i] != NULL; i++)
		if (strcmp(states[i], status) == 0)
			return 1;
	return 0;
}

int
referral_may_move(const char *from, const char *to)
{
	size_t i;

	for (i = 0; from && to && i < sizeof moves / sizeof moves[0]; i++)
		if (strcmp(moves[i].from, from) == 0 &&
		    strcmp(moves[i].to, to) == 0)
			return 1;
	return 0;
}

int
referral_open(const char *status)
{
	return status != NULL && (strcmp(status, "requested") == 0 ||
	    strcmp(status, "accepted") == 0 ||
	    strcmp(status, "in-progress") == 0 ||
	    strcmp(status, "on-hold") == 0);
}

void
referral_clear(struct referral *r)
{
	int i;

	free(r->person_name);
	free(r->service_name);
	free(r->organization_name);
	free(r->plan_id);
	free(r->goal_id);
	free(r->category);
	free(r->reason);
	free(r->status);
	free(r->outcome);
	free(r->disclosure_id);
	free(r->made_by_name);
	for (i = 0; i < r->nevents; i++) {
		free(r->events[i].status);
		free(r->events[i].actor_name);
		free(r->events[i].via);
		free(r->events[i].note);
	}
	free(r->events);
	memset(r, 0, sizeof *r);
}

void
referrals_free(struct referral *r, int n)
{
	int i;

	for (i = 0; r != NULL && i < n; i++)
		referral_clear(&r[i]);
	free(r);
}

void
referral_link_view_clear(struct referral_link_view *w)
{
	free(w->service_name);
	free(w->organization_name);
	free(w->person_name);
	free(w->category);
	free(w->made_by_name);
	free(w->status);
	memset(w, 0, sizeof *w);
}

static int64_t
follow_up_ms(void)
{
	int d = rules_get()->resources.referral_follow_up_days;

	return (int64_t)(d > 0 ? d : 7) * 86400000;
}

#define REFERRAL_COLS \
	"r.id, r.version, r.person_id, p.preferred_name, r.team_id," \
	" r.service_id, s.name, o.name, r.plan_id, r.goal_id, r.category," \
	" r.reason, r.status, r.outcome, r.shared_outside, r.disclosure_id," \
	" m.display_name, r.made_at, r.status_at, r.link_hash," \
	" r.link_expires_at" \
	" FROM referral r JOIN person p ON p.id = r.person_id" \
	" JOIN dir_service s ON s.id = r.service_id" \
	" LEFT JOIN dir_organization o ON o.id = s.organization_id" \
	" JOIN staff m ON m.id = r.made_by"

static enum err
referral_row(struct db_stmt *st, struct referral *r)
{
	enum err e = ERR_OK;

	snprintf(r->id, sizeof r->id, "%s", db_col_text(st, 0));
	r->version = db_col_int(st, 1);
	snprintf(r->person_id, sizeof r->person_id, "%s", db_col_text(st, 2));
	r->person_name = db_col_dup(st, 3);
	snprintf(r->team_id, sizeof r->team_id, "%s", db_col_text(st, 4));
	snprintf(r->service_id, sizeof r->service_id, "%s",
	    db_col_text(st, 5));
	r->service_name = db_col_dup(st, 6);
	r->organization_name = db_col_dup(st, 7);
	r->plan_id = db_col_dup(st, 8);
	r->goal_id = db_col_dup(st, 9);
	r->category = db_col_dup(st, 10);
	r->reason = db_col_unsealed(st, 11, "referral.reason", &e);
	r->status = db_col_dup(st, 12);
	r->outcome = db_col_unsealed(st, 13, "referral.outcome", &e);
	r->shared_outside = (int)db_col_int(st, 14);
	r->disclosure_id = db_col_dup(st, 15);
	r->made_by_name = db_col_dup(st, 16);
	r->made_at = db_col_int(st, 17);
	r->status_at = db_col_int(st, 18);
	r->follow_up_at = r->status_at + follow_up_ms();
	r->link_expires_at = db_col_is_null(st, 20) ? 0 : db_col_int(st, 20);
	r->link_active = !db_col_is_null(st, 19) &&
	    r->link_expires_at > time_now_ms();
	return e;
}

static enum err
load_events(struct db *db, struct referral *r)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT x.at, x.status, f.display_name,"
	    " x.via, x.note FROM referral_event x"
	    " LEFT JOIN staff f ON f.id = x.actor_id"
	    " WHERE x.referral_id = $1 ORDER BY x.at, x.id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, r->id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct referral_event *x;

		if (r->nevents == cap) {
			cap = cap ? cap * 2 : 4;
			r->events = xreallocarray(r->events, cap,
			    sizeof *r->events);
		}
		x = &r->events[r->nevents++];
		memset(x, 0, sizeof *x);
		x->at = db_col_int(st, 0);
		x->status = db_col_dup(st, 1);
		x->actor_name = db_col_dup(st, 2);
		x->via = db_col_dup(st, 3);
		x->note = db_col_unsealed(st, 4, "referral_event.note", &e);
	}
	db_done(st);
	return e;
}

/* Reads one in the caller's transaction. */
static enum err
load(struct db *db, const char *id, int events, struct referral *r)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT " REFERRAL_COLS " WHERE r.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = referral_row(st, r);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e == ERR_OK && events)
		e = load_events(db, r);
	if (e != ERR_OK)
		referral_clear(r);
	return e;
}

static enum err
add_event(struct db *db, const char *referral_id, int64_t at,
    const char *status, const char *actor_id, const char *via,
    const char *note)
{
	struct db_stmt *st;
	char id[37];
	enum err e;

	if ((e = db_prepare(db, "INSERT INTO referral_event (id, referral_id,"
	    " at, status, actor_id, via, note) VALUES ($1, $2, $3, $4, $5,"
	    " $6, $7)", &st)) != ERR_OK)
		return e;
	uuid_v7(id);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, referral_id);
	db_bind_int(st, 3, at);
	db_bind_text(st, 4, status);
	db_bind_text(st, 5, actor_id);
	db_bind_text(st, 6, via);
	db_bind_sealed(st, 7, "referral_event.note",
	    note != NULL && *note ? note : NULL);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
deny(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, enum err e)
{
	return record_deny(db, a, person_id, "referral", id, action, e);
}

/* Copies the disclosure check's field errors under "share.". */
static void
prefixed(struct verr *to, const struct verr *from)
{
	char f[96];
	int i;

	for (i = 0; i < from->n; i++) {
		snprintf(f, sizeof f, "share.%s", from->e[i].field);
		verr_add(to, f, "%s", from->e[i].message);
	}
}

/* The service's name, its organisation's and the first address, for the
 * disclosure's recipient. ERR_NOT_FOUND when there is no such service. */
static enum err
service_names(struct db *db, const char *id, char **name, char **org,
    char **address, int *active)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*name = *org = *address = NULL;
	if ((e = db_prepare(db, "SELECT s.name, o.name, s.status,"
	    " (SELECT ad.address_1 || ', ' || ad.city || ', ' ||"
	    " ad.state_province || ' ' || ad.postal_code"
	    " FROM dir_service_at_location x JOIN dir_address ad"
	    " ON ad.location_id = x.location_id WHERE x.service_id = s.id"
	    " ORDER BY ad.id LIMIT 1)"
	    " FROM dir_service s LEFT JOIN dir_organization o"
	    " ON o.id = s.organization_id WHERE s.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			*name = db_col_dup(st, 0);
			*org = db_col_dup(st, 1);
			*active = strcmp(db_col_text(st, 2), "active") == 0;
			*address = db_col_dup(st, 3);
		} else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

static enum err
commit_and_load(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, const char *detail, enum err e,
    struct referral *out)
{
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "referral", id, action,
		    "success", detail);
	if (e == ERR_OK)
		e = load(db, id, 1, out);
	if (e == ERR_OK && (e = db_commit(db)) != ERR_OK)
		referral_clear(out);
	if (e != ERR_OK)
		db_rollback(db);
	return e;
}

enum err
referral_create(struct db *db, const struct actor *a, const char *person_id,
    const struct referral_input *in, struct verr *v, struct referral *out)
{
	struct db_stmt *st;
	char team_id[37], id[37], plan_id[37], disclosure_id[37];
	char *sname = NULL, *oname = NULL, *address = NULL;
	int64_t now = time_now_ms();
	int active = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	plan_id[0] = disclosure_id[0] = '\0';
	if ((e = record_allowed(db, a, "referral", person_id, NULL,
	    "create")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	check_uuid(v, "service_id", in->service_id, CHECK_REQUIRED);
	if (in->goal_id != NULL)
		check_uuid(v, "goal_id", in->goal_id, 0);
	if (in->category != NULL && resource_category_find(
	    &rules_get()->resources, in->category) == NULL)
		verr_add(v, "category", "is not one of the directory's "
		    "categories");
	if (in->goal_id == NULL && in->category == NULL)
		verr_add(v, "category", "a goal of the person's plan or a "
		    "category names the need");
	check_text(v, "reason", in->reason, REFERRAL_TEXT_MAX,
	    CHECK_MULTILINE);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id, person_id)) !=
	    ERR_OK)
		return deny(db, a, person_id, NULL, "create", e);
	if (uuid_valid(in->service_id)) {
		e = service_names(db, in->service_id, &sname, &oname,
		    &address, &active);
		if (e == ERR_NOT_FOUND)
			verr_add(v, "service_id", "names no service in the "
			    "directory");
		else if (e != ERR_OK)
			goto fail;
		else if (!active)
			verr_add(v, "service_id", "names a service that is not "
			    "active");
		e = ERR_OK;
	}
	if (in->goal_id != NULL && uuid_valid(in->goal_id)) {
		e = plan_of_goal(db, person_id, in->goal_id, plan_id);
		if (e == ERR_NOT_FOUND)
			verr_add(v, "goal_id", "must be a goal of one of this "
			    "person's plans");
		else if (e != ERR_OK)
			goto fail;
		e = ERR_OK;
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (in->share) {
		struct disclosure_request q;
		struct disclosure_answer ans;
		struct verr dv;
		char recipient[700];

		/* A consent names the organisation; a service of no
		 * organisation is named itself. */
		snprintf(recipient, sizeof recipient, "%s",
		    oname != NULL && *oname ? oname : sname);
		memset(&q, 0, sizeof q);
		q.recipient_name = recipient;
		q.recipient_address = address;
		q.purpose = "referral";
		q.categories = in->share_categories;
		q.ncategories = in->nshare_categories;
		q.method = "electronic_exchange";
		q.information = in->share_information;
		verr_init(&dv);
		e = disclosure_record(db, a, person_id, &q, &dv, &ans,
		    disclosure_id);
		prefixed(v, &dv);
		if (e == ERR_RULE) {
			db_rollback(db);
			audit_actor_alone(db, a, person_id, "referral", NULL,
			    "create", "denied", "no consent");
			goto out;
		}
		if (e != ERR_OK)
			goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO referral (id, person_id, team_id,"
	    " service_id, plan_id, goal_id, category, reason, status,"
	    " shared_outside, disclosure_id, made_by, made_at, status_at,"
	    " version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'requested',"
	    " $9, $10, $11, $12, $12, 1)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, team_id);
	db_bind_text(st, 4, in->service_id);
	db_bind_text(st, 5, plan_id[0] ? plan_id : NULL);
	db_bind_text(st, 6, in->goal_id);
	db_bind_text(st, 7, in->category);
	db_bind_sealed(st, 8, "referral.reason", in->reason != NULL &&
	    *in->reason ? in->reason : NULL);
	db_bind_int(st, 9, in->share ? 1 : 0);
	db_bind_text(st, 10, disclosure_id[0] ? disclosure_id : NULL);
	db_bind_text(st, 11, a->id);
	db_bind_int(st, 12, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = add_event(db, id, now, "requested", a->id, "staff", NULL);
	e = commit_and_load(db, a, person_id, id, "create",
	    in->share ? "shared" : NULL, e, out);
	goto out;
fail:
	db_rollback(db);
out:
	free(sname);
	free(oname);
	free(address);
	return e;
}

enum err
referral_get(struct db *db, const struct actor *a, const char *id,
    struct referral *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "referral", NULL, id, "read")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load(db, id, 1, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		referral_clear(out);
		return deny(db, a, person, id, "read", e);
	}
	if ((e = audit_actor_alone(db, a, out->person_id, "referral", id,
	    "read", "success", NULL)) != ERR_OK)
		referral_clear(out);
	return e;
}

static enum err
collect(struct db_stmt *st, struct referral **out, int *n)
{
	enum err e;
	int row, cap = 0;

	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    *n < REFERRAL_LIST_MAX) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*out = xreallocarray(*out, cap, sizeof **out);
		}
		memset(&(*out)[*n], 0, sizeof **out);
		e = referral_row(st, &(*out)[(*n)++]);
		if (e != ERR_OK)
			break;
	}
	return e;
}

enum err
referral_list_person(struct db *db, const struct actor *a,
    const char *person_id, struct referral **out, int *n)
{
	struct db_stmt *st;
	char team_id[37];
	enum err e;

	*out = NULL;
	*n = 0;
	if ((e = record_allowed(db, a, "referral", person_id, NULL,
	    "list")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, team_id, person_id)) !=
	    ERR_OK)
		return deny(db, a, person_id, NULL, "list", e);
	if ((e = db_prepare(db, "SELECT " REFERRAL_COLS
	    " WHERE r.person_id = $1 ORDER BY CASE WHEN r.status IN"
	    " ('requested', 'accepted', 'in-progress', 'on-hold') THEN 0"
	    " ELSE 1 END, r.made_at DESC, r.id DESC", &st)) == ERR_OK) {
		db_bind_text(st, 1, person_id);
		e = collect(st, out, n);
		db_done(st);
	}
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "referral", NULL,
		    "list", "success", NULL);
	if (e != ERR_OK) {
		referrals_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

enum err
referral_follow_up(struct db *db, const struct actor *a, const char *team_id,
    struct referral **out, int *n)
{
	struct db_stmt *st;
	const char *people[REFERRAL_LIST_MAX];
	int64_t quiet = time_now_ms() - follow_up_ms();
	enum err e;
	int i, t;

	*out = NULL;
	*n = 0;
	if ((e = policy_check(a, POL_PERSON_LIST, team_id)) != ERR_OK)
		return e;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	/* One team at a time, each the actor's. */
	for (t = 0; t < a->nteams && e == ERR_OK; t++) {
		if (team_id != NULL && strcmp(team_id, a->teams[t]) != 0)
			continue;
		if ((e = db_prepare(db, "SELECT " REFERRAL_COLS
		    " WHERE r.team_id = $1 AND r.status IN ('requested',"
		    " 'accepted', 'in-progress', 'on-hold') AND r.status_at <= $2"
		    " ORDER BY r.status_at, r.id", &st)) != ERR_OK)
			break;
		db_bind_text(st, 1, a->teams[t]);
		db_bind_int(st, 2, quiet);
		e = collect(st, out, n);
		db_done(st);
	}
	db_rollback(db);
	for (i = 0; i < *n; i++)
		people[i] = (*out)[i].person_id;
	if (e == ERR_OK && *n > 0) {
		if ((e = db_begin(db, DB_TX_APPEND)) == ERR_OK &&
		    (e = audit_actor_people(db, a, people, *n, "referral",
		    NULL, "list", "success", "follow_up")) == ERR_OK)
			e = db_commit(db);
		if (e != ERR_OK)
			db_rollback(db);
	}
	if (e != ERR_OK) {
		referrals_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

/* Checks a move's status, note and outcome. */
static void
check_move(struct verr *v, const char *status, const char *note,
    const char *outcome)
{
	if (!referral_status_valid(status))
		verr_add(v, "status", "must be one of requested, accepted, "
		    "rejected, in-progress, on-hold, completed, cancelled, "
		    "failed");
	check_text(v, "note", note, REFERRAL_TEXT_MAX, CHECK_MULTILINE);
	check_text(v, "outcome", outcome, REFERRAL_TEXT_MAX, CHECK_MULTILINE);
	if (status != NULL && (strcmp(status, "completed") == 0 ||
	    strcmp(status, "failed") == 0) && (outcome == NULL ||
	    *outcome == '\0'))
		verr_add(v, "outcome", "says what came of it when it is "
		    "completed or failed");
}

/* Moves r (loaded) to status in the open write transaction. */
static enum err
move(struct db *db, const struct referral *r, const char *status,
    const char *note, const char *outcome, const char *actor_id,
    const char *via, int end_link)
{
	struct db_stmt *st;
	int64_t now = time_now_ms(), changed = 0;
	enum err e;

	if ((e = db_prepare(db, "UPDATE referral SET status = $1,"
	    " outcome = COALESCE($2, outcome), status_at = $3,"
	    " version = version + 1,"
	    " link_hash = CASE WHEN $4 = 1 THEN NULL ELSE link_hash END,"
	    " link_expires_at = CASE WHEN $4 = 1 THEN NULL"
	    " ELSE link_expires_at END"
	    " WHERE id = $5 AND version = $6", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, status);
	db_bind_sealed(st, 2, "referral.outcome", outcome != NULL &&
	    *outcome ? outcome : NULL);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, end_link);
	db_bind_text(st, 5, r->id);
	db_bind_int(st, 6, r->version);
	e = db_run(st, &changed);
	db_done(st);
	if (e == ERR_OK && changed == 0)
		e = ERR_STALE;
	if (e == ERR_OK)
		e = add_event(db, r->id, now, status, actor_id, via, note);
	return e;
}

enum err
referral_set_status(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *status, const char *note,
    const char *outcome, struct verr *v, struct referral *out)
{
	struct referral r;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if ((e = record_allowed(db, a, "referral", NULL, id, "update")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_move(v, status, note, outcome);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load(db, id, 0, &r)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, r.team_id,
	    r.person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", r.person_id);
		referral_clear(&r);
		return deny(db, a, person, id, "update", e);
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (r.version != if_version) {
		out->version = r.version;
		e = ERR_STALE;
		goto fail;
	}
	if (!referral_may_move(r.status, status)) {
		verr_add(v, "status", "a referral that is %s cannot become %s",
		    r.status, status);
		e = ERR_CONFLICT;
		goto fail;
	}
	e = move(db, &r, status, note, outcome, a->id, "staff", 0);
	{
		char person[37], detail[40];

		snprintf(person, sizeof person, "%s", r.person_id);
		snprintf(detail, sizeof detail, "status=%s", status);
		referral_clear(&r);
		return commit_and_load(db, a, person, id, "update", detail, e,
		    out);
	}
fail:
	referral_clear(&r);
	db_rollback(db);
	return e;
}

enum err
referral_link_issue(struct db *db, const struct actor *a, const char *id,
    char token[44], int64_t *expires_at)
{
	struct referral r;
	char hash[65];
	enum err e;

	token[0] = '\0';
	*expires_at = 0;
	memset(&r, 0, sizeof r);
	if ((e = record_allowed(db, a, "referral", NULL, id, "link")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load(db, id, 0, &r)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, r.team_id,
	    r.person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", r.person_id);
		referral_clear(&r);
		return deny(db, a, person, id, "link", e);
	}
	/* The link shows the person's name: only where a consent let it
	 * be shared, and only while there is something to update. */
	if (!r.shared_outside || !referral_open(r.status)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	crypto_token(token);
	crypto_sha256_hex(token, strlen(token), hash);
	*expires_at = time_now_ms() + (int64_t)REFERRAL_LINK_DAYS * 86400000;
	{
		struct db_stmt *st;

		if ((e = db_prepare(db, "UPDATE referral SET link_hash = $1,"
		    " link_expires_at = $2 WHERE id = $3", &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, hash);
		db_bind_int(st, 2, *expires_at);
		db_bind_text(st, 3, id);
		e = db_run(st, NULL);
		db_done(st);
	}
	if (e == ERR_OK)
		e = audit_actor(db, a, r.person_id, "referral", id, "link",
		    "success", NULL);
	if (e == ERR_OK)
		e = db_commit(db);
	if (e != ERR_OK)
		goto fail;
	referral_clear(&r);
	return ERR_OK;
fail:
	crypto_wipe(token, 44);
	token[0] = '\0';
	referral_clear(&r);
	db_rollback(db);
	return e;
}

/* The referral the token opens, in the open transaction; ERR_NOT_FOUND
 * for a token that is unknown, used or ended. */
static enum err
by_token(struct db *db, const char *token, struct referral *r)
{
	struct db_stmt *st;
	char hash[65];
	enum err e;
	int row;

	if (token == NULL || strlen(token) < 20 || strlen(token) > 64)
		return ERR_NOT_FOUND;
	crypto_sha256_hex(token, strlen(token), hash);
	if ((e = db_prepare(db, "SELECT " REFERRAL_COLS
	    " WHERE r.link_hash = $1 AND r.link_expires_at > $2", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, hash);
	db_bind_int(st, 2, time_now_ms());
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = referral_row(st, r);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

static enum err
link_audit(struct db *db, const char *client_addr, const struct referral *r,
    const char *action, const char *outcome, const char *detail)
{
	struct audit_entry x;

	memset(&x, 0, sizeof x);
	x.actor_role = "receiving_organisation";
	x.person_id = r != NULL ? r->person_id : NULL;
	x.object_type = "referral";
	x.object_id = r != NULL ? r->id : NULL;
	x.action = action;
	x.outcome = outcome;
	x.client_addr = client_addr;
	x.detail = detail;
	return r != NULL ? audit_append(db, &x) : audit_append_alone(db, &x);
}

static void
view_of(const struct referral *r, struct referral_link_view *w)
{
	w->service_name = r->service_name ? xstrdup(r->service_name) : NULL;
	w->organization_name = r->organization_name ?
	    xstrdup(r->organization_name) : NULL;
	w->person_name = r->person_name ? xstrdup(r->person_name) : NULL;
	w->category = r->category ? xstrdup(r->category) : NULL;
	w->for_goal = r->goal_id != NULL;
	w->made_by_name = r->made_by_name ? xstrdup(r->made_by_name) : NULL;
	w->made_at = r->made_at;
	w->status = r->status ? xstrdup(r->status) : NULL;
	w->expires_at = r->link_expires_at;
}

enum err
referral_link_read(struct db *db, const char *client_addr, const char *token,
    struct referral_link_view *out)
{
	struct referral r;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	e = by_token(db, token, &r);
	if (e == ERR_NOT_FOUND) {
		db_rollback(db);
		link_audit(db, client_addr, NULL, "read", "denied",
		    "link unknown, used or ended");
		return e;
	}
	if (e == ERR_OK)
		e = link_audit(db, client_addr, &r, "read", "success", "link");
	if (e == ERR_OK)
		e = db_commit(db);
	else
		db_rollback(db);
	if (e == ERR_OK)
		view_of(&r, out);
	referral_clear(&r);
	return e;
}

enum err
referral_link_update(struct db *db, const char *client_addr,
    const char *token, const char *status, const char *note,
    const char *outcome, struct verr *v, struct referral_link_view *out)
{
	struct referral r;
	char detail[40];
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	check_move(v, status, note, outcome);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	e = by_token(db, token, &r);
	if (e == ERR_NOT_FOUND) {
		db_rollback(db);
		link_audit(db, client_addr, NULL, "update", "denied",
		    "link unknown, used or ended");
		return e;
	}
	if (e != ERR_OK)
		goto fail;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (!referral_may_move(r.status, status) ||
	    strcmp(status, "cancelled") == 0) {
		if (strcmp(status, "cancelled") == 0)
			verr_add(v, "status", "the organisation rejects a "
			    "referral; cancelling is the referrer's");
		else
			verr_add(v, "status", "a referral that is %s cannot "
			    "become %s", r.status, status);
		e = ERR_CONFLICT;
		goto fail;
	}
	/* Used once: the link ends with this update. */
	if ((e = move(db, &r, status, note, outcome, NULL, "link", 1)) !=
	    ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "status=%s", status);
	if ((e = link_audit(db, client_addr, &r, "update", "success",
	    detail)) != ERR_OK || (e = db_commit(db)) != ERR_OK)
		goto fail;
	free(r.status);
	r.status = xstrdup(status);
	r.link_expires_at = 0;
	view_of(&r, out);
	referral_clear(&r);
	return ERR_OK;
fail:
	referral_clear(&r);
	db_rollback(db);
	return e;
}
