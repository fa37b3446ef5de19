#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/plan.h"
#include "core/record.h"
#include "core/rules.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

const char *const plan_kinds[] = {
	"recovery", "wellness", "crisis", "family-crisis",
	"recovery-management", "advance-directive", "community-integration",
	NULL,
};

static const char directive[] = "advance-directive";

int
plan_kind_known(const char *kind)
{
	int i;

	for (i = 0; kind != NULL && plan_kinds[i] != NULL; i++)
		if (strcmp(kind, plan_kinds[i]) == 0)
			return 1;
	return 0;
}

int
plan_kind_is_directive(const char *kind)
{
	return kind != NULL && strcmp(kind, directive) == 0;
}

static void
today_text(char out[11])
{
	date_format(time_today(), out);
}

static void
date_plus_months(const char *from, int months, char out[11])
{
	struct date d;

	out[0] = '\0';
	if (from != NULL && date_parse(from, &d) == ERR_OK)
		date_format(date_add_months(d, months), out);
}

void
plan_version_clear(struct plan_version *v)
{
	int i;

	free(v->status);
	free(v->content);
	free(v->structure_version);
	free(v->signed_on);
	free(v->created_by);
	free(v->created_by_name);
	for (i = 0; i < v->nsigs; i++) {
		struct plan_signature *s = &v->sigs[i];

		free(s->role);
		free(s->signed_by);
		free(s->typed_name);
		free(s->staff_id);
		free(s->credential);
		free(s->address);
		free(s->affirmed);
		free(s->denied);
		free(s->rules_version);
		free(s->signed_on);
		free(s->recorded_by);
	}
	free(v->sigs);
	memset(v, 0, sizeof *v);
}

void
plan_progress_clear(struct plan_progress *p)
{
	free(p->item_id);
	free(p->entry_date);
	free(p->note);
	free(p->achievement_status);
	free(p->author_id);
	free(p->author_name);
	memset(p, 0, sizeof *p);
}

void
plan_clear(struct plan *p)
{
	int i;

	free(p->kind);
	free(p->title);
	free(p->status);
	free(p->review_due);
	free(p->executed_on);
	free(p->expires_on);
	free(p->rules_version);
	plan_version_clear(&p->current);
	for (i = 0; i < p->nneeds; i++) {
		free(p->needs[i].role);
		free(p->needs[i].label);
	}
	free(p->needs);
	for (i = 0; i < p->ncopies; i++) {
		free(p->copies[i].holder);
		free(p->copies[i].relationship);
		free(p->copies[i].given_on);
	}
	free(p->copies);
	for (i = 0; i < p->nprogress; i++)
		plan_progress_clear(&p->progress[i]);
	free(p->progress);
	for (i = 0; i < p->nevents; i++) {
		free(p->events[i].event);
		free(p->events[i].on_date);
		free(p->events[i].basis);
		free(p->events[i].physician);
		free(p->events[i].delivered_on);
		free(p->events[i].rules_version);
		free(p->events[i].recorded_by);
	}
	free(p->events);
	memset(p, 0, sizeof *p);
}

static enum err
deny(struct db *db, const struct actor *a, const char *person_id,
    const char *object_id, const char *action, enum err e)
{
	return record_deny(db, a, person_id, "plan", object_id, action, e);
}

static enum err
records_allowed(struct db *db, const struct actor *a, const char *id,
    const char *action)
{
	return record_allowed(db, a, "plan", NULL, id, action);
}

struct head {
	char	person_id[37];
	char	team_id[37];
	char	kind[32];
	char	status[16];
	int64_t	version;
	int	latest;
	int	in_force;
	char	expires_on[11];
};

static enum err
plan_head(struct db *db, const char *id, struct head *h)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(h, 0, sizeof *h);
	if ((e = db_prepare(db,
	    "SELECT p.person_id, per.team_id, p.kind, p.status, p.version,"
	    " p.latest, p.in_force, p.expires_on"
	    " FROM plan p JOIN person per ON per.id = p.person_id"
	    " WHERE p.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			snprintf(h->person_id, sizeof h->person_id, "%s",
			    db_col_text(st, 0));
			snprintf(h->team_id, sizeof h->team_id, "%s",
			    db_col_text(st, 1));
			snprintf(h->kind, sizeof h->kind, "%s",
			    db_col_text(st, 2));
			snprintf(h->status, sizeof h->status, "%s",
			    db_col_text(st, 3));
			h->version = db_col_int(st, 4);
			h->latest = (int)db_col_int(st, 5);
			h->in_force = (int)db_col_int(st, 6);
			if (!db_col_is_null(st, 7))
				snprintf(h->expires_on, sizeof h->expires_on,
				    "%s", db_col_text(st, 7));
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	return e;
}

/* The status as shown: an executed directive past its end has expired. */
static char *
shown_status(const char *kind, const char *status, const char *expires_on)
{
	char today[11];

	if (plan_kind_is_directive(kind) && strcmp(status, "executed") == 0 &&
	    expires_on != NULL) {
		today_text(today);
		if (strcmp(today, expires_on) > 0)
			return xstrdup("expired");
	}
	return xstrdup(status);
}

#define SIG_COLS "id, role, signed_by, typed_name, staff_id, credential," \
	" address, affirmed, denied, rules_version, signed_on, signed_at," \
	" recorded_by"

static enum err
load_signatures(struct db *db, const char *id, struct plan_version *v)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT " SIG_COLS " FROM plan_signature"
	    " WHERE plan_id = $1 AND n = $2 ORDER BY signed_at, id",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, v->n);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct plan_signature *s;

		if (v->nsigs == cap) {
			cap = cap ? cap * 2 : 4;
			v->sigs = xreallocarray(v->sigs, (size_t)cap,
			    sizeof *v->sigs);
		}
		s = &v->sigs[v->nsigs++];
		memset(s, 0, sizeof *s);
		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->role = db_col_dup(st, 1);
		s->signed_by = db_col_dup(st, 2);
		s->typed_name = db_col_dup(st, 3);
		s->staff_id = db_col_dup(st, 4);
		s->credential = db_col_dup(st, 5);
		s->address = db_col_dup(st, 6);
		s->affirmed = db_col_dup(st, 7);
		s->denied = db_col_dup(st, 8);
		s->rules_version = db_col_dup(st, 9);
		s->signed_on = db_col_dup(st, 10);
		s->signed_at = db_col_int(st, 11);
		s->recorded_by = db_col_dup(st, 12);
	}
	db_done(st);
	return e;
}

/* Version n of plan id; content only when with_content. */
static enum err
load_version(struct db *db, const char *id, int n, int with_content,
    struct plan_version *v)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(v, 0, sizeof *v);
	if ((e = db_prepare(db,
	    "SELECT v.n, v.status, v.content, v.structure_version,"
	    " v.signed_on, v.created_at, v.created_by, s.display_name,"
	    " v.updated_at"
	    " FROM plan_version v JOIN staff s ON s.id = v.created_by"
	    " WHERE v.plan_id = $1 AND v.n = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, n);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			v->n = (int)db_col_int(st, 0);
			v->status = db_col_dup(st, 1);
			v->content = with_content ? db_col_unsealed(st, 2,
			    "plan_version.content", &e) : NULL;
			v->structure_version = db_col_dup(st, 3);
			v->signed_on = db_col_dup(st, 4);
			v->created_at = db_col_int(st, 5);
			v->created_by = db_col_dup(st, 6);
			v->created_by_name = db_col_dup(st, 7);
			v->updated_at = db_col_int(st, 8);
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	if (e == ERR_OK)
		e = load_signatures(db, id, v);
	if (e != ERR_OK)
		plan_version_clear(v);
	return e;
}

/* The number of items of version n at path. */
static enum err
count_items(struct db *db, const char *id, int n, const char *path,
    int *count)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*count = 0;
	if ((e = db_prepare(db, "SELECT count(*) FROM plan_item"
	    " WHERE plan_id = $1 AND n = $2 AND path = $3", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, n);
	db_bind_text(st, 3, path);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		*count = (int)db_col_int(st, 0);
	db_done(st);
	return e;
}

/* One signer the newest version needs, as the rules in force say. */
struct signer {
	const char	*role;
	const char	*label;
	enum signed_by	 by;
	unsigned	 staff_roles;
	int		 required;
	int		 count;
};

#define MAX_SIGNERS	12

/* The signers for a version of kind; for a directive, the agents it names
 * must accept. */
static enum err
signers_for(struct db *db, const char *id, int n, const char *kind,
    struct signer *out, int *nout)
{
	const struct rules *r = rules_get();
	const struct plan_rule *pr;
	static const char *const agents[] = { "attorney_in_fact",
	    "alternate_attorney_in_fact" };
	static const char *const agent_labels[] = { "Attorney-in-fact",
	    "Alternate attorney-in-fact" };
	enum err e;
	int i, c;

	*nout = 0;
	if (plan_kind_is_directive(kind)) {
		out[(*nout)++] = (struct signer){ "person",
		    "The person (principal)", SIGNED_BY_PERSON, 0, 1, 1 };
		if (r->pad.witness_count > 0)
			out[(*nout)++] = (struct signer){ "witness", "Witness",
			    SIGNED_BY_WITNESS, 0, 1, r->pad.witness_count };
		for (i = 0; i < 2; i++) {
			if ((e = count_items(db, id, n, agents[i], &c)) !=
			    ERR_OK)
				return e;
			if (c > 0)
				out[(*nout)++] = (struct signer){ agents[i],
				    agent_labels[i], SIGNED_BY_AGENT, 0, 1, 1 };
		}
		return ERR_OK;
	}
	if ((pr = rules_plan(r, kind)) == NULL) {
		out[(*nout)++] = (struct signer){ "person", "The person",
		    SIGNED_BY_PERSON, 0, 1, 1 };
		return ERR_OK;
	}
	for (i = 0; i < pr->nsigners && *nout < MAX_SIGNERS; i++)
		out[(*nout)++] = (struct signer){ pr->signers[i].role,
		    pr->signers[i].label, pr->signers[i].by,
		    pr->signers[i].staff_roles, pr->signers[i].required, 1 };
	return ERR_OK;
}

static int
signed_count(const struct plan_version *v, const char *role)
{
	int i, c = 0;

	for (i = 0; i < v->nsigs; i++)
		c += strcmp(v->sigs[i].role, role) == 0;
	return c;
}

/* Fills p->needs: required signers of the newest version still to sign. */
static enum err
fill_needs(struct db *db, struct plan *p)
{
	struct signer s[MAX_SIGNERS];
	enum err e;
	int i, ns;

	if (strcmp(p->current.status, "draft") != 0 &&
	    strcmp(p->current.status, "signing") != 0)
		return ERR_OK;
	if ((e = signers_for(db, p->id, p->current.n, p->kind, s, &ns)) !=
	    ERR_OK)
		return e;
	p->needs = xcalloc((size_t)ns + 1, sizeof *p->needs);
	for (i = 0; i < ns; i++) {
		int more = s[i].count - signed_count(&p->current, s[i].role);

		if (!s[i].required || more <= 0)
			continue;
		p->needs[p->nneeds].role = xstrdup(s[i].role);
		p->needs[p->nneeds].label = xstrdup(s[i].label);
		p->needs[p->nneeds].count = more;
		p->nneeds++;
	}
	return ERR_OK;
}

static enum err
load_extras(struct db *db, struct plan *p)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT holder, relationship, given_on"
	    " FROM plan_copy WHERE plan_id = $1 AND retired_at IS NULL"
	    " ORDER BY ord", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, p->id);
	p->copies = xcalloc(PLAN_MAX_COPIES, sizeof *p->copies);
	while ((e = db_step(st, &row)) == ERR_OK && row &&
	    p->ncopies < PLAN_MAX_COPIES) {
		p->copies[p->ncopies].holder = db_col_dup(st, 0);
		p->copies[p->ncopies].relationship = db_col_dup(st, 1);
		p->copies[p->ncopies].given_on = db_col_dup(st, 2);
		p->ncopies++;
	}
	db_done(st);
	if (e != ERR_OK)
		return e;
	if ((e = db_prepare(db,
	    "SELECT g.id, g.item_id, g.entry_date, g.note,"
	    " g.achievement_status, g.author_id, s.display_name, g.created_at"
	    " FROM plan_progress g JOIN staff s ON s.id = g.author_id"
	    " WHERE g.plan_id = $1 ORDER BY g.id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, p->id);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct plan_progress *g;

		if (p->nprogress == cap) {
			cap = cap ? cap * 2 : 8;
			p->progress = xreallocarray(p->progress, (size_t)cap,
			    sizeof *p->progress);
		}
		g = &p->progress[p->nprogress++];
		memset(g, 0, sizeof *g);
		snprintf(g->id, sizeof g->id, "%s", db_col_text(st, 0));
		g->item_id = db_col_dup(st, 1);
		g->entry_date = db_col_dup(st, 2);
		g->note = db_col_unsealed(st, 3, "plan_progress.note", &e);
		g->achievement_status = db_col_dup(st, 4);
		g->author_id = db_col_dup(st, 5);
		g->author_name = db_col_dup(st, 6);
		g->created_at = db_col_int(st, 7);
	}
	db_done(st);
	if (e != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT id, event, on_date, basis, physician,"
	    " delivered_on, rules_version, recorded_by, created_at"
	    " FROM plan_event WHERE plan_id = $1 ORDER BY id", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, p->id);
	cap = 0;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct plan_event *ev;

		if (p->nevents == cap) {
			cap = cap ? cap * 2 : 4;
			p->events = xreallocarray(p->events, (size_t)cap,
			    sizeof *p->events);
		}
		ev = &p->events[p->nevents++];
		memset(ev, 0, sizeof *ev);
		snprintf(ev->id, sizeof ev->id, "%s", db_col_text(st, 0));
		ev->event = db_col_dup(st, 1);
		ev->on_date = db_col_dup(st, 2);
		ev->basis = db_col_dup(st, 3);
		ev->physician = db_col_dup(st, 4);
		ev->delivered_on = db_col_dup(st, 5);
		ev->rules_version = db_col_dup(st, 6);
		ev->recorded_by = db_col_dup(st, 7);
		ev->created_at = db_col_int(st, 8);
	}
	db_done(st);
	return e;
}

/* Reads a whole plan; no policy check or audit (callers do both). */
static enum err
load_plan(struct db *db, const char *id, struct plan *p)
{
	struct db_stmt *st;
	enum err e;
	int row;
	char *status = NULL;

	memset(p, 0, sizeof *p);
	if ((e = db_prepare(db,
	    "SELECT p.id, p.version, p.person_id, per.team_id, p.kind,"
	    " p.title, p.status, p.latest, p.in_force, p.review_due,"
	    " p.executed_on, p.expires_on, p.rules_version, p.created_at,"
	    " p.updated_at"
	    " FROM plan p JOIN person per ON per.id = p.person_id"
	    " WHERE p.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			snprintf(p->id, sizeof p->id, "%s", db_col_text(st, 0));
			p->version = db_col_int(st, 1);
			snprintf(p->person_id, sizeof p->person_id, "%s",
			    db_col_text(st, 2));
			snprintf(p->team_id, sizeof p->team_id, "%s",
			    db_col_text(st, 3));
			p->kind = db_col_dup(st, 4);
			p->title = db_col_unsealed(st, 5, "plan.title", &e);
			status = db_col_dup(st, 6);
			p->latest = (int)db_col_int(st, 7);
			p->in_force = (int)db_col_int(st, 8);
			p->review_due = db_col_dup(st, 9);
			p->executed_on = db_col_dup(st, 10);
			p->expires_on = db_col_dup(st, 11);
			p->rules_version = db_col_dup(st, 12);
			p->created_at = db_col_int(st, 13);
			p->updated_at = db_col_int(st, 14);
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	if (e != ERR_OK) {
		free(status);
		plan_clear(p);
		return e;
	}
	p->status = shown_status(p->kind, status, p->expires_on);
	free(status);
	if ((e = load_version(db, id, p->latest, 1, &p->current)) != ERR_OK ||
	    (e = fill_needs(db, p)) != ERR_OK ||
	    (e = load_extras(db, p)) != ERR_OK)
		plan_clear(p);
	return e;
}

/* 1 for NULL, empty or only white space. */
static int
blank(const char *s)
{
	for (; s != NULL && *s; s++)
		if (*s != ' ' && *s != '\t')
			return 0;
	return 1;
}

static void
check_title(const struct plan_input *in, struct verr *v)
{
	if (in->set_title && in->title != NULL)
		check_text(v, "title", in->title, PLAN_TITLE_MAX, 0);
}

static void
check_copies(const struct plan_input *in, struct verr *v)
{
	char f[64];
	struct date d;
	int i;

	if (!in->set_copies)
		return;
	if (in->ncopies > PLAN_MAX_COPIES) {
		verr_add(v, "copies", "must list at most %d holders",
		    PLAN_MAX_COPIES);
		return;
	}
	for (i = 0; i < in->ncopies; i++) {
		snprintf(f, sizeof f, "copies[%d].holder", i);
		check_text(v, f, in->copies[i].holder, 100, CHECK_REQUIRED);
		snprintf(f, sizeof f, "copies[%d].relationship", i);
		check_text(v, f, in->copies[i].relationship, 60, 0);
		snprintf(f, sizeof f, "copies[%d].given_on", i);
		check_date(v, f, in->copies[i].given_on, 0, 1, &d);
	}
}

static enum err
write_items(struct db *db, const char *id, int n,
    const struct plan_content *c)
{
	struct db_stmt *st;
	enum err e;
	int i;

	if ((e = db_prepare(db, "DELETE FROM plan_item"
	    " WHERE plan_id = $1 AND n = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, n);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && c != NULL && i < c->nitems; i++) {
		if ((e = db_prepare(db, "INSERT INTO plan_item"
		    " (plan_id, n, path, item_id, progress)"
		    " VALUES ($1, $2, $3, $4, $5)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		db_bind_int(st, 2, n);
		db_bind_text(st, 3, c->items[i].path);
		db_bind_text(st, 4, c->items[i].id);
		db_bind_int(st, 5, c->items[i].progress);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

static enum err
write_copies(struct db *db, const char *id, const struct plan_input *in,
    int64_t now)
{
	struct db_stmt *st;
	enum err e;
	int i;

	if ((e = db_prepare(db, "UPDATE plan_copy SET retired_at = $1"
	    " WHERE plan_id = $2 AND retired_at IS NULL", &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, id);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < in->ncopies; i++) {
		char cid[37];

		uuid_v7(cid);
		if ((e = db_prepare(db, "INSERT INTO plan_copy (id, plan_id,"
		    " ord, holder, relationship, given_on, created_at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, cid);
		db_bind_text(st, 2, id);
		db_bind_int(st, 3, i);
		db_bind_text(st, 4, in->copies[i].holder);
		db_bind_text(st, 5, in->copies[i].relationship);
		db_bind_text(st, 6, in->copies[i].given_on);
		db_bind_int(st, 7, now);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

enum err
plan_create(struct db *db, const struct actor *a, const char *person_id,
    const struct plan_input *in, struct verr *v, struct plan *out)
{
	static const char empty[] = "{}";
	const struct rules *r = rules_get();
	const struct plan_content *c = in->content;
	struct db_stmt *st;
	char team_id[37], id[37], detail[64];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, person_id, "create")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if (!plan_kind_known(in->kind) && !verr_has(v, "kind"))
		verr_add(v, "kind", "must be one of recovery, wellness, "
		    "crisis, family-crisis, recovery-management, "
		    "advance-directive, community-integration");
	check_title(in, v);
	check_copies(in, v);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, NULL, "create", e);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO plan (id, person_id, kind, title,"
	    " status, latest, in_force, rules_version, version, created_at,"
	    " created_by, updated_at, updated_by)"
	    " VALUES ($1, $2, $3, $4, 'draft', 1, 0, $5, 1, $6, $7, $6, $7)",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, in->kind);
	db_bind_sealed(st, 4, "plan.title", in->set_title && !blank(in->title) ?
	    in->title : NULL);
	db_bind_text(st, 5, plan_kind_is_directive(in->kind) ?
	    r->pad_version : r->plans_version);
	db_bind_int(st, 6, now);
	db_bind_text(st, 7, a->id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "INSERT INTO plan_version (plan_id, n, status,"
	    " content, structure_version, created_at, created_by, updated_at,"
	    " updated_by) VALUES ($1, 1, 'draft', $2, $3, $4, $5, $4, $5)",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_sealed(st, 2, "plan_version.content", c ? c->text : empty);
	db_bind_text(st, 3, c ? c->structure_version : "");
	db_bind_int(st, 4, now);
	db_bind_text(st, 5, a->id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK ||
	    (e = write_items(db, id, 1, c)) != ERR_OK ||
	    (in->set_copies && (e = write_copies(db, id, in, now)) != ERR_OK))
		goto fail;
	snprintf(detail, sizeof detail, "kind=%s", in->kind);
	if ((e = audit_actor(db, a, person_id, "plan", id, "create",
	    "success", detail)) != ERR_OK ||
	    (e = load_plan(db, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		plan_clear(out);
	return e;
fail:
	db_rollback(db);
	return e;
}

enum err
plan_kind(struct db *db, const struct actor *a, const char *id,
    char kind[32])
{
	struct head h;
	enum err e;

	kind[0] = '\0';
	if ((e = records_allowed(db, a, id, "update")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = plan_head(db, id, &h);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_UPDATE, h.team_id,
	    h.person_id)) != ERR_OK)
		return deny(db, a, h.person_id, id, "update", e);
	snprintf(kind, 32, "%s", h.kind);
	return ERR_OK;
}

enum err
plan_get(struct db *db, const struct actor *a, const char *id,
    struct plan *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "read")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_plan(db, id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		plan_clear(out);
		return deny(db, a, person, id, "read", e);
	}
	if ((e = audit_actor_alone(db, a, out->person_id, "plan", id, "read",
	    "success", NULL)) != ERR_OK)
		plan_clear(out);
	return e;
}

/* Opens a write on plan id at if_version, with its head in h, after the
 * policy check. On failure the transaction is closed. */
static enum err
begin_change(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *action, struct head *h,
    int64_t *current)
{
	enum err e;

	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = plan_head(db, id, h)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_UPDATE, h->team_id,
	    h->person_id)) != ERR_OK)
		return deny(db, a, h->person_id, id, action, e);
	if (h->version != if_version) {
		*current = h->version;
		db_rollback(db);
		return ERR_STALE;
	}
	return ERR_OK;
}

static enum err
bump_plan(struct db *db, const struct actor *a, const char *id, int64_t now)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, "UPDATE plan SET version = version + 1,"
	    " updated_at = $1, updated_by = $2 WHERE id = $3", &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
version_status(struct db *db, const char *id, int n, char status[16])
{
	struct db_stmt *st;
	enum err e;
	int row;

	status[0] = '\0';
	if ((e = db_prepare(db, "SELECT status FROM plan_version"
	    " WHERE plan_id = $1 AND n = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, n);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			snprintf(status, 16, "%s", db_col_text(st, 0));
		else
			e = ERR_INTERNAL;
	}
	db_done(st);
	return e;
}

/* Commits a change made in the open transaction, audited, and reads the
 * plan back into out. */
static enum err
finish_change(struct db *db, const struct actor *a, const char *id,
    const char *person_id, const char *action, const char *detail,
    struct plan *out)
{
	enum err e;

	if ((e = audit_actor(db, a, person_id, "plan", id, action, "success",
	    detail)) != ERR_OK ||
	    (e = load_plan(db, id, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		plan_clear(out);
	return e;
}

/*
 * Inside plan_update()'s transaction: marks the person's suggestion
 * accepted by the actor, when it was made on the draft as it stands.
 */
static enum err
accept_proposal(struct db *db, const struct actor *a, const char *plan_id,
    const struct head *h, const char *proposal_id, int64_t now)
{
	struct db_stmt *st;
	int64_t base = -1;
	int row, n = 0, open = 0;
	enum err e;

	if (!uuid_valid(proposal_id))
		return ERR_NOT_FOUND;
	if ((e = db_prepare(db, "SELECT n, base_version, status"
	    " FROM plan_proposal WHERE id = $1 AND plan_id = $2", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, proposal_id);
	db_bind_text(st, 2, plan_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		n = (int)db_col_int(st, 0);
		base = db_col_int(st, 1);
		open = strcmp(db_col_text(st, 2), "open") == 0;
	}
	db_done(st);
	if (e != ERR_OK)
		return e;
	if (base < 0)
		return ERR_NOT_FOUND;
	if (!open || n != h->latest || base != h->version)
		return ERR_CONFLICT;
	if ((e = db_prepare(db, "UPDATE plan_proposal SET status = 'accepted',"
	    " decided_by = $1, decided_at = $2 WHERE id = $3", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, a->id);
	db_bind_int(st, 2, now);
	db_bind_text(st, 3, proposal_id);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = audit_actor(db, a, h->person_id, "plan_proposal",
		    proposal_id, "accept", "success", NULL);
	return e;
}

enum err
plan_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct plan_input *in, struct verr *v,
    struct plan *out, int64_t *current)
{
	struct db_stmt *st;
	struct head h;
	struct buf fields;
	char status[16], detail[96];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "update")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_title(in, v);
	check_copies(in, v);
	if (!in->set_title && !in->set_copies && in->content == NULL &&
	    v->n == 0)
		verr_add(v, "body", "must change the title, the copies or the "
		    "content");
	if ((e = begin_change(db, a, id, if_version, "update", &h, current)) !=
	    ERR_OK)
		return e;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	buf_init(&fields, 64);
	if (in->content != NULL) {
		if ((e = version_status(db, id, h.latest, status)) != ERR_OK)
			goto fail_buf;
		if (strcmp(status, "draft") != 0) {
			e = ERR_FROZEN;
			goto fail_buf;
		}
		if (in->proposal_id != NULL && (e = accept_proposal(db, a, id,
		    &h, in->proposal_id, now)) != ERR_OK)
			goto fail_buf;
		if ((e = db_prepare(db, "UPDATE plan_version SET content = $1,"
		    " structure_version = $2, updated_at = $3, updated_by = $4"
		    " WHERE plan_id = $5 AND n = $6", &st)) != ERR_OK)
			goto fail_buf;
		db_bind_sealed(st, 1, "plan_version.content", in->content->text);
		db_bind_text(st, 2, in->content->structure_version);
		db_bind_int(st, 3, now);
		db_bind_text(st, 4, a->id);
		db_bind_text(st, 5, id);
		db_bind_int(st, 6, h.latest);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK ||
		    (e = write_items(db, id, h.latest, in->content)) != ERR_OK)
			goto fail_buf;
		buf_puts(&fields, "content");
	}
	if (in->set_title) {
		if ((e = db_prepare(db, "UPDATE plan SET title = $1"
		    " WHERE id = $2", &st)) != ERR_OK)
			goto fail_buf;
		db_bind_sealed(st, 1, "plan.title", blank(in->title) ? NULL :
		    in->title);
		db_bind_text(st, 2, id);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK)
			goto fail_buf;
		buf_puts(&fields, fields.len ? ",title" : "title");
	}
	if (in->set_copies) {
		if ((e = write_copies(db, id, in, now)) != ERR_OK)
			goto fail_buf;
		buf_puts(&fields, fields.len ? ",copies" : "copies");
	}
	if ((e = bump_plan(db, a, id, now)) != ERR_OK)
		goto fail_buf;
	snprintf(detail, sizeof detail, "n=%d fields=%s", h.latest,
	    buf_cstr(&fields));
	buf_free(&fields);
	return finish_change(db, a, id, h.person_id, "update", detail, out);
fail_buf:
	buf_free(&fields);
fail:
	db_rollback(db);
	return e;
}

enum err
plan_new_version(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, struct plan *out, int64_t *current)
{
	struct db_stmt *st;
	struct head h;
	char status[16], detail[32];
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "version")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = begin_change(db, a, id, if_version, "version", &h,
	    current)) != ERR_OK)
		return e;
	if ((e = version_status(db, id, h.latest, status)) != ERR_OK)
		goto fail;
	/* A draft is changed in place; an executed directive stands as it
	 * was signed (it is revoked, and a new one written, instead). */
	if (strcmp(status, "draft") == 0 || (plan_kind_is_directive(h.kind) &&
	    strcmp(h.status, "draft") != 0 &&
	    strcmp(h.status, "signing") != 0)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (strcmp(status, "signing") == 0) {
		if ((e = db_prepare(db, "UPDATE plan_version SET"
		    " status = 'superseded' WHERE plan_id = $1 AND n = $2",
		    &st)) != ERR_OK)
			goto fail;
		db_bind_text(st, 1, id);
		db_bind_int(st, 2, h.latest);
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK)
			goto fail;
	}
	if ((e = db_prepare(db, "INSERT INTO plan_version (plan_id, n, status,"
	    " content, structure_version, created_at, created_by, updated_at,"
	    " updated_by) SELECT plan_id, n + 1, 'draft', content,"
	    " structure_version, $1, $2, $1, $2 FROM plan_version"
	    " WHERE plan_id = $3 AND n = $4", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, now);
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, id);
	db_bind_int(st, 4, h.latest);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "INSERT INTO plan_item (plan_id, n, path,"
	    " item_id, progress) SELECT plan_id, n + 1, path, item_id,"
	    " progress FROM plan_item WHERE plan_id = $1 AND n = $2",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, h.latest);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	/* The plan's status follows its newest version; the version in
	 * force stays so until the new one is signed. */
	if ((e = db_prepare(db, "UPDATE plan SET latest = $1,"
	    " status = CASE WHEN kind = $2 THEN 'draft'"
	    " WHEN in_force > 0 THEN 'revising' ELSE 'draft' END"
	    " WHERE id = $3", &st)) != ERR_OK)
		goto fail;
	db_bind_int(st, 1, h.latest + 1);
	db_bind_text(st, 2, directive);
	db_bind_text(st, 3, id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (e = bump_plan(db, a, id, now)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "n=%d", h.latest + 1);
	return finish_change(db, a, id, h.person_id, "version", detail, out);
fail:
	db_rollback(db);
	return e;
}

/* 1 when code is among the n codes of list. */
static int
among(const char *const *list, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], code) == 0)
			return 1;
	return 0;
}

/*
 * Checks a witness's or an agent's answers to the rule set's statements:
 * attestations must be affirmed, disqualifications denied (unless an
 * exemption affirmed lifts them). Every statement must be answered, and
 * nothing else. Writes the affirmed and denied codes into yes and no.
 * Returns ERR_RULE with *rule for an answer the rules refuse.
 */
static enum err
check_answers(const struct sign_input *in, const struct statement *attest,
    int nattest, const struct statement *disq, int ndisq,
    const struct statement *exempt, int nexempt, const char *attest_rule,
    struct verr *v, const char **rule, struct buf *yes, struct buf *no)
{
	char f[96];
	int i, j, known;
	enum err e = ERR_OK;

	for (i = 0; i < in->nyes + in->nno; i++) {
		const char *code = i < in->nyes ? in->yes[i] :
		    in->no[i - in->nyes];

		known = 0;
		for (j = 0; j < nattest; j++)
			known |= strcmp(attest[j].code, code) == 0;
		for (j = 0; j < ndisq; j++)
			known |= strcmp(disq[j].code, code) == 0;
		for (j = 0; j < nexempt; j++)
			known |= strcmp(exempt[j].code, code) == 0;
		if (!known) {
			snprintf(f, sizeof f, "answers.%.64s", code);
			verr_add(v, f, "is not a statement this signer "
			    "answers");
		}
	}
	for (i = 0; i < nattest + ndisq + nexempt; i++) {
		const struct statement *s = i < nattest ? &attest[i] :
		    i < nattest + ndisq ? &disq[i - nattest] :
		    &exempt[i - nattest - ndisq];

		snprintf(f, sizeof f, "answers.%.64s", s->code);
		if (!among(in->yes, in->nyes, s->code) &&
		    !among(in->no, in->nno, s->code))
			verr_add(v, f, "must be answered yes or no: %.100s",
			    s->label);
	}
	if (v->n)
		return ERR_INVALID;
	for (i = 0; i < nattest; i++) {
		if (among(in->yes, in->nyes, attest[i].code))
			continue;
		snprintf(f, sizeof f, "answers.%.64s", attest[i].code);
		verr_add(v, f, "must be affirmed for the signature to stand: "
		    "%.100s", attest[i].label);
		*rule = attest[i].rule ? attest[i].rule : attest_rule;
		e = ERR_RULE;
	}
	for (i = 0; e == ERR_OK && i < ndisq; i++) {
		int lifted = 0;

		if (!among(in->yes, in->nyes, disq[i].code))
			continue;
		for (j = 0; disq[i].unless && j < nexempt; j++)
			lifted |= strcmp(exempt[j].code, disq[i].unless) == 0 &&
			    among(in->yes, in->nyes, exempt[j].code);
		if (lifted)
			continue;
		snprintf(f, sizeof f, "answers.%.64s", disq[i].code);
		verr_add(v, f, "this signer cannot sign: %.100s",
		    disq[i].label);
		*rule = disq[i].rule;
		e = ERR_RULE;
	}
	for (i = 0; i < in->nyes; i++)
		buf_printf(yes, "%s%s", i ? "," : "", in->yes[i]);
	for (i = 0; i < in->nno; i++)
		buf_printf(no, "%s%s", i ? "," : "", in->no[i]);
	return e;
}

/* The directive's principal signing date, once signed. */
static enum err
principal_date(struct db *db, const char *id, int n, char out[11])
{
	struct db_stmt *st;
	enum err e;
	int row;

	out[0] = '\0';
	if ((e = db_prepare(db, "SELECT signed_on FROM plan_signature"
	    " WHERE plan_id = $1 AND n = $2 AND role = 'person'", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, n);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		snprintf(out, 11, "%s", db_col_text(st, 0));
	db_done(st);
	return e;
}

/* After a signature: when every required signer has signed, the version
 * is signed and the plan's dates follow the rules. */
static enum err
settle(struct db *db, const char *id, const struct head *h,
    const char *today)
{
	const struct rules *r = rules_get();
	const struct plan_rule *pr = rules_plan(r, h->kind);
	struct signer s[MAX_SIGNERS];
	struct plan_version cur;
	struct db_stmt *st;
	char due[11], executed[11], expires[11];
	int i, ns, done = 1, is_pad = plan_kind_is_directive(h->kind);
	enum err e;

	if ((e = load_version(db, id, h->latest, 0, &cur)) != ERR_OK)
		return e;
	if ((e = signers_for(db, id, h->latest, h->kind, s, &ns)) != ERR_OK) {
		plan_version_clear(&cur);
		return e;
	}
	for (i = 0; i < ns; i++)
		if (s[i].required &&
		    signed_count(&cur, s[i].role) < s[i].count)
			done = 0;
	plan_version_clear(&cur);
	if ((e = db_prepare(db, "UPDATE plan_version SET status = $1,"
	    " signed_on = $2 WHERE plan_id = $3 AND n = $4", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, done ? "signed" : "signing");
	db_bind_text(st, 2, done ? today : NULL);
	db_bind_text(st, 3, id);
	db_bind_int(st, 4, h->latest);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		return e;
	if (!done) {
		if ((e = db_prepare(db, "UPDATE plan SET status = 'signing'"
		    " WHERE id = $1 AND in_force = 0", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, id);
		e = db_run(st, NULL);
		db_done(st);
		return e;
	}
	due[0] = executed[0] = expires[0] = '\0';
	if (is_pad) {
		if ((e = principal_date(db, id, h->latest, executed)) != ERR_OK)
			return e;
		date_plus_months(executed, 12 * r->pad.valid_years, expires);
	} else if (pr != NULL && pr->review_months > 0) {
		date_plus_months(today, pr->review_months, due);
	}
	if ((e = db_prepare(db, "UPDATE plan SET status = $1, in_force = $2,"
	    " review_due = $3, executed_on = $4, expires_on = $5,"
	    " rules_version = $6 WHERE id = $7", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, is_pad ? "executed" : "signed");
	db_bind_int(st, 2, h->latest);
	db_bind_text(st, 3, due[0] ? due : NULL);
	db_bind_text(st, 4, executed[0] ? executed : NULL);
	db_bind_text(st, 5, expires[0] ? expires : NULL);
	db_bind_text(st, 6, is_pad ? r->pad_version : r->plans_version);
	db_bind_text(st, 7, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static int
same_name(const struct plan_version *v, const char *role, const char *name)
{
	int i;

	for (i = 0; i < v->nsigs; i++)
		if (strcmp(v->sigs[i].role, role) == 0 &&
		    strcasecmp(v->sigs[i].typed_name, name) == 0)
			return 1;
	return 0;
}

enum err
plan_sign(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct sign_input *in, struct verr *v,
    const char **rule, struct plan *out, int64_t *current)
{
	const struct rules *r = rules_get();
	const struct plan_rule *pr;
	const struct signer *who = NULL;
	struct signer s[MAX_SIGNERS];
	struct plan_version cur;
	struct db_stmt *st;
	struct head h;
	struct buf yes, no;
	char sid[37], today[11], detail[64];
	const char *typed, *version;
	int64_t now = time_now_ms();
	int i, ns, count;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&cur, 0, sizeof cur);
	*rule = NULL;
	if ((e = records_allowed(db, a, id, "sign")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if (in->role == NULL || *in->role == '\0')
		verr_add(v, "role", "is required");
	check_text(v, "typed_name", in->typed_name, 100, 0);
	check_text(v, "credential", in->credential, 60, 0);
	check_text(v, "address", in->address, 200, 0);
	if ((e = begin_change(db, a, id, if_version, "sign", &h, current)) !=
	    ERR_OK)
		return e;
	buf_init(&yes, 2048);
	buf_init(&no, 2048);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if ((e = load_version(db, id, h.latest, 0, &cur)) != ERR_OK)
		goto fail;
	if (strcmp(cur.status, "superseded") == 0) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if ((e = signers_for(db, id, h.latest, h.kind, s, &ns)) != ERR_OK)
		goto fail;
	for (i = 0; i < ns; i++)
		if (strcmp(s[i].role, in->role) == 0)
			who = &s[i];
	if (who == NULL) {
		struct buf roles;

		buf_init(&roles, 512);
		for (i = 0; i < ns; i++)
			buf_printf(&roles, "%s%s", i ? ", " : "", s[i].role);
		verr_add(v, "role", "must be one of the signers of this plan: "
		    "%.120s", buf_cstr(&roles));
		buf_free(&roles);
		e = ERR_INVALID;
		goto fail;
	}
	/* Once a version is signed, an optional signer who has not signed
	 * yet may still add their signature; nobody else. */
	if ((count = signed_count(&cur, who->role)) >= who->count ||
	    (strcmp(cur.status, "signed") == 0 && who->required)) {
		e = ERR_CONFLICT;
		goto fail;
	}
	pr = rules_plan(r, h.kind);
	version = plan_kind_is_directive(h.kind) ? r->pad_version :
	    r->plans_version;
	typed = in->typed_name;
	switch (who->by) {
	case SIGNED_BY_STAFF:
		if (!(who->staff_roles & (1u << a->role))) {
			verr_add(v, "role", "must be signed by a member of "
			    "staff whose role may sign as %.60s", who->label);
			*rule = pr && pr->rule ? pr->rule : "plans";
			e = ERR_RULE;
			goto fail;
		}
		if (typed == NULL || *typed == '\0')
			typed = a->display_name;
		break;
	case SIGNED_BY_PERSON:
		if (typed == NULL)
			verr_add(v, "typed_name", "is required: the person "
			    "types their name");
		if (in->confirmed != 1)
			verr_add(v, "confirmed", "must be true: the person "
			    "confirms on screen that this is their plan");
		break;
	case SIGNED_BY_WITNESS:
	case SIGNED_BY_AGENT:
		if (typed == NULL)
			verr_add(v, "typed_name", "is required");
		if (who->by == SIGNED_BY_WITNESS && (in->address == NULL ||
		    *in->address == '\0'))
			verr_add(v, "address", "is required for a witness");
		if (in->confirmed != 1)
			verr_add(v, "confirmed", "must be true: the signer "
			    "confirms on screen");
		break;
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (who->by == SIGNED_BY_WITNESS) {
		if (same_name(&cur, "witness", typed)) {
			verr_add(v, "typed_name", "must name a different "
			    "witness: the directive needs %d different people",
			    r->pad.witness_count);
			e = ERR_INVALID;
			goto fail;
		}
		if ((e = check_answers(in, r->pad.witness_attest,
		    r->pad.nwitness_attest, r->pad.witness_disq,
		    r->pad.nwitness_disq, NULL, 0, r->pad.witness_rule, v,
		    rule, &yes, &no)) != ERR_OK)
			goto fail;
	} else if (who->by == SIGNED_BY_AGENT) {
		if ((e = check_answers(in, NULL, 0, r->pad.agent_disq,
		    r->pad.nagent_disq, r->pad.agent_exempt,
		    r->pad.nagent_exempt, r->pad.acceptance_rule, v, rule,
		    &yes, &no)) != ERR_OK)
			goto fail;
	} else if (in->nyes + in->nno > 0) {
		verr_add(v, "answers", "are only for witnesses and agents");
		e = ERR_INVALID;
		goto fail;
	}
	/* What must be in a plan before anyone signs it. */
	for (i = 0; cur.nsigs == 0 && pr && i < pr->nsign_requires; i++) {
		int c;

		if ((e = count_items(db, id, h.latest, pr->sign_requires[i],
		    &c)) != ERR_OK)
			goto fail;
		if (c == 0) {
			char f[96];

			snprintf(f, sizeof f, "content.%.80s",
			    pr->sign_requires[i]);
			verr_add(v, f, "needs at least one entry before the "
			    "plan is signed");
			*rule = pr->rule ? pr->rule : "plans";
			e = ERR_RULE;
			goto fail;
		}
	}
	/* A directive is executed by the principal's signature; witnesses
	 * and agents sign after the principal. */
	if (plan_kind_is_directive(h.kind) && who->by != SIGNED_BY_PERSON &&
	    signed_count(&cur, "person") == 0) {
		verr_add(v, "role", "the person (principal) signs first");
		*rule = r->pad.principal_rule;
		e = ERR_RULE;
		goto fail;
	}
	today_text(today);
	uuid_v7(sid);
	if ((e = db_prepare(db, "INSERT INTO plan_signature (id, plan_id, n,"
	    " role, signed_by, typed_name, staff_id, credential, address,"
	    " affirmed, denied, rules_version, signed_on, signed_at,"
	    " recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " $11, $12, $13, $14, $15)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, sid);
	db_bind_text(st, 2, id);
	db_bind_int(st, 3, h.latest);
	db_bind_text(st, 4, who->role);
	db_bind_text(st, 5, who->by == SIGNED_BY_PERSON ? "person" :
	    who->by == SIGNED_BY_STAFF ? "staff" :
	    who->by == SIGNED_BY_WITNESS ? "witness" : "agent");
	db_bind_text(st, 6, typed);
	db_bind_text(st, 7, who->by == SIGNED_BY_STAFF ? a->id : NULL);
	db_bind_text(st, 8, in->credential);
	db_bind_text(st, 9, in->address);
	db_bind_text(st, 10, yes.len ? buf_cstr(&yes) : NULL);
	db_bind_text(st, 11, no.len ? buf_cstr(&no) : NULL);
	db_bind_text(st, 12, version ? version : "");
	db_bind_text(st, 13, today);
	db_bind_int(st, 14, now);
	db_bind_text(st, 15, a->id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (strcmp(cur.status, "signed") != 0 &&
	    (e = settle(db, id, &h, today)) != ERR_OK) ||
	    (e = bump_plan(db, a, id, now)) != ERR_OK)
		goto fail;
	plan_version_clear(&cur);
	buf_free(&yes);
	buf_free(&no);
	snprintf(detail, sizeof detail, "n=%d role=%.32s", h.latest,
	    who->role);
	return finish_change(db, a, id, h.person_id, "sign", detail, out);
fail:
	plan_version_clear(&cur);
	buf_free(&yes);
	buf_free(&no);
	db_rollback(db);
	return e;
}

void
plan_versions_free(struct plan_version *v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		plan_version_clear(&v[i]);
	free(v);
}

/* Reads plan id's head for a read, with the policy asked; on ERR_OK the
 * read transaction is open. */
static enum err
begin_read(struct db *db, const struct actor *a, const char *id,
    const char *action, struct head *h)
{
	enum err e;

	if ((e = records_allowed(db, a, id, action)) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = plan_head(db, id, h)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, h->team_id,
	    h->person_id)) != ERR_OK)
		return deny(db, a, h->person_id, id, action, e);
	return ERR_OK;
}

enum err
plan_versions(struct db *db, const struct actor *a, const char *id,
    struct plan_version **out, int *n)
{
	struct head h;
	enum err e = ERR_OK;
	int i;

	*out = NULL;
	*n = 0;
	if ((e = begin_read(db, a, id, "versions", &h)) != ERR_OK)
		return e;
	*out = xcalloc((size_t)h.latest, sizeof **out);
	for (i = h.latest; i >= 1 && e == ERR_OK; i--)
		if ((e = load_version(db, id, i, 0, &(*out)[*n])) == ERR_OK)
			(*n)++;
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, h.person_id, "plan", id,
		    "versions", "success", NULL);
	if (e != ERR_OK) {
		plan_versions_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return e;
}

enum err
plan_version_get(struct db *db, const struct actor *a, const char *id,
    int n, struct plan_version *out, char kind[32])
{
	struct head h;
	char detail[32];
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = begin_read(db, a, id, "read", &h)) != ERR_OK)
		return e;
	e = n >= 1 && n <= h.latest ? load_version(db, id, n, 1, out) :
	    ERR_NOT_FOUND;
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	snprintf(kind, 32, "%s", h.kind);
	snprintf(detail, sizeof detail, "n=%d", n);
	if ((e = audit_actor_alone(db, a, h.person_id, "plan", id, "read",
	    "success", detail)) != ERR_OK)
		plan_version_clear(out);
	return e;
}

/* Whether item_id is an item of any version of the plan that takes
 * progress entries. */
static enum err
item_takes_progress(struct db *db, const char *id, const char *item_id,
    int *yes)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*yes = 0;
	if ((e = db_prepare(db, "SELECT 1 FROM plan_item WHERE plan_id = $1"
	    " AND item_id = $2 AND progress = 1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, item_id);
	if ((e = db_step(st, &row)) == ERR_OK)
		*yes = row;
	db_done(st);
	return e;
}

enum err
plan_progress_add(struct db *db, const struct actor *a, const char *id,
    const struct progress_input *in, struct verr *v,
    struct plan_progress *out)
{
	struct db_stmt *st;
	struct head h;
	struct date d;
	char pid[37];
	int64_t now = time_now_ms();
	int takes;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "progress")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_uuid(v, "item_id", in->item_id, CHECK_REQUIRED);
	check_date(v, "entry_date", in->entry_date, CHECK_REQUIRED, 1, &d);
	check_text(v, "note", in->note, PLAN_NOTE_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = plan_head(db, id, &h)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, h.team_id,
	    h.person_id)) != ERR_OK)
		return deny(db, a, h.person_id, id, "progress", e);
	if (v->n == 0 && (e = item_takes_progress(db, id, in->item_id,
	    &takes)) != ERR_OK)
		goto fail;
	if (v->n == 0 && !takes)
		verr_add(v, "item_id", "must be the id of a goal or milestone "
		    "of this plan");
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(pid);
	if ((e = db_prepare(db, "INSERT INTO plan_progress (id, plan_id,"
	    " item_id, entry_date, note, achievement_status, author_id,"
	    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, pid);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, in->item_id);
	db_bind_text(st, 4, in->entry_date);
	db_bind_sealed(st, 5, "plan_progress.note", in->note);
	db_bind_text(st, 6, in->achievement_status);
	db_bind_text(st, 7, a->id);
	db_bind_int(st, 8, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (e = bump_plan(db, a, id, now)) != ERR_OK ||
	    (e = audit_actor(db, a, h.person_id, "plan", id, "progress",
	    "success", NULL)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		return e;
	snprintf(out->id, sizeof out->id, "%s", pid);
	out->item_id = xstrdup(in->item_id);
	out->entry_date = xstrdup(in->entry_date);
	out->note = xstrdup(in->note);
	out->achievement_status = in->achievement_status ?
	    xstrdup(in->achievement_status) : NULL;
	out->author_id = xstrdup(a->id);
	out->author_name = xstrdup(a->display_name);
	out->created_at = now;
	return ERR_OK;
fail:
	db_rollback(db);
	return e;
}

enum err
plan_event_add(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct event_input *in, struct verr *v,
    const char **rule, struct plan *out, int64_t *current)
{
	const struct rules *r = rules_get();
	struct db_stmt *st;
	struct head h;
	struct date on, delivered;
	char eid[37], today[11], executed[11], detail[48];
	const char *next = NULL;
	int64_t now = time_now_ms();
	int i, have_on, known;
	enum err e;

	memset(out, 0, sizeof *out);
	*rule = NULL;
	if ((e = records_allowed(db, a, id, "event")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if (in->event == NULL || (strcmp(in->event, "invoked") != 0 &&
	    strcmp(in->event, "capacity-restored") != 0 &&
	    strcmp(in->event, "revoked") != 0))
		verr_add(v, "event", "must be invoked, capacity-restored or "
		    "revoked");
	have_on = check_date(v, "on_date", in->on_date, CHECK_REQUIRED, 1,
	    &on);
	check_text(v, "physician", in->physician, 100, 0);
	check_text(v, "principal_typed_name", in->principal_typed_name, 100,
	    0);
	check_date(v, "delivered_on", in->delivered_on, 0, 1, &delivered);
	if ((e = begin_change(db, a, id, if_version, "event", &h, current)) !=
	    ERR_OK)
		return e;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if (!plan_kind_is_directive(h.kind)) {
		verr_add(v, "event", "only an advance directive is invoked or "
		    "revoked");
		e = ERR_INVALID;
		goto fail;
	}
	today_text(today);
	if (strcmp(in->event, "invoked") == 0) {
		for (i = known = 0; in->basis && i < r->pad.ninvocation_bases;
		    i++)
			known |= strcmp(r->pad.invocation_bases[i].code,
			    in->basis) == 0;
		if (!known) {
			verr_add(v, "basis", "must be one of the bases the "
			    "state's rules accept");
			e = ERR_INVALID;
			goto fail;
		}
		if (strcmp(h.status, "executed") != 0) {
			e = ERR_CONFLICT;
			goto fail;
		}
		if (have_on && h.expires_on[0] && strcmp(in->on_date,
		    h.expires_on) > 0) {
			verr_add(v, "on_date", "is after the directive "
			    "expired on %s", h.expires_on);
			*rule = r->pad.valid_rule;
			e = ERR_RULE;
			goto fail;
		}
		next = "invoked";
	} else if (strcmp(in->event, "capacity-restored") == 0) {
		if (strcmp(h.status, "invoked") != 0) {
			e = ERR_CONFLICT;
			goto fail;
		}
		next = "executed";
	} else {
		if (strcmp(h.status, "invoked") == 0) {
			verr_add(v, "event", "a directive cannot be revoked "
			    "while it is invoked: the person revokes it when "
			    "they are not incapable");
			*rule = r->pad.incapable_rule;
			e = ERR_RULE;
			goto fail;
		}
		if (strcmp(h.status, "executed") != 0) {
			e = ERR_CONFLICT;
			goto fail;
		}
		if (in->principal_typed_name == NULL ||
		    *in->principal_typed_name == '\0')
			verr_add(v, "principal_typed_name", "is required: the "
			    "person signs the revocation");
		if (r->pad.revocation_physician && (in->physician == NULL ||
		    *in->physician == '\0'))
			verr_add(v, "physician", "is required: a physician "
			    "signs the revocation with the person");
		if (v->n) {
			*rule = r->pad.revocation_rule;
			e = ERR_RULE;
			goto fail;
		}
		next = "revoked";
	}
	if ((e = principal_date(db, id, h.in_force, executed)) != ERR_OK)
		goto fail;
	if (have_on && executed[0] && strcmp(in->on_date, executed) < 0) {
		verr_add(v, "on_date", "must be on or after the day the "
		    "directive was executed");
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(eid);
	if ((e = db_prepare(db, "INSERT INTO plan_event (id, plan_id, event,"
	    " on_date, basis, physician, delivered_on, rules_version,"
	    " recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
	    " $9, $10)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, eid);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, in->event);
	db_bind_text(st, 4, in->on_date);
	db_bind_text(st, 5, strcmp(in->event, "invoked") == 0 ? in->basis :
	    NULL);
	db_bind_text(st, 6, in->physician);
	db_bind_text(st, 7, in->delivered_on);
	db_bind_text(st, 8, r->pad_version ? r->pad_version : "");
	db_bind_text(st, 9, a->id);
	db_bind_int(st, 10, now);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "UPDATE plan SET status = $1 WHERE id = $2",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, next);
	db_bind_text(st, 2, id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK || (e = bump_plan(db, a, id, now)) != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "event=%s", in->event);
	return finish_change(db, a, id, h.person_id, "event", detail, out);
fail:
	db_rollback(db);
	return e;
}

void
plan_summaries_free(struct plan_summary *s, int n, struct plan_due *d,
    int nd)
{
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].kind);
		free(s[i].title);
		free(s[i].status);
		free(s[i].review_due);
		free(s[i].expires_on);
	}
	free(s);
	for (i = 0; d != NULL && i < nd; i++) {
		free(d[i].kind);
		free(d[i].due_on);
		free(d[i].rule);
	}
	free(d);
}

/* The plans the rules expect within months of enrollment that the person
 * has not signed yet, counted from the open episode's intake. */
static enum err
plans_due(struct db *db, const char *person_id, struct plan_due **due,
    int *ndue)
{
	const struct rules *r = rules_get();
	struct db_stmt *st;
	char intake[11];
	enum err e;
	int i, row, has;

	*due = NULL;
	*ndue = 0;
	intake[0] = '\0';
	if ((e = db_prepare(db, "SELECT intake_date FROM episode"
	    " WHERE person_id = $1 AND discharge_date IS NULL", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row)
		snprintf(intake, sizeof intake, "%s", db_col_text(st, 0));
	db_done(st);
	if (e != ERR_OK || intake[0] == '\0')
		return e;
	*due = xcalloc((size_t)r->nplan_rules + 1, sizeof **due);
	for (i = 0; i < r->nplan_rules; i++) {
		const struct plan_rule *pr = &r->plan_rules[i];
		char on[11];

		if (pr->first_due_months == 0)
			continue;
		if ((e = db_prepare(db, "SELECT count(*) FROM plan"
		    " WHERE person_id = $1 AND kind = $2 AND in_force > 0",
		    &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, person_id);
		db_bind_text(st, 2, pr->kind);
		has = 0;
		if ((e = db_step(st, &row)) == ERR_OK && row)
			has = db_col_int(st, 0) > 0;
		db_done(st);
		if (e != ERR_OK)
			return e;
		if (has)
			continue;
		date_plus_months(intake, pr->first_due_months, on);
		(*due)[*ndue].kind = xstrdup(pr->kind);
		(*due)[*ndue].due_on = xstrdup(on);
		(*due)[*ndue].rule = pr->rule ? xstrdup(pr->rule) : NULL;
		(*ndue)++;
	}
	return ERR_OK;
}

enum err
plan_list(struct db *db, const struct actor *a, const char *person_id,
    const char *kind, const char *after, int limit, struct verr *v,
    struct plan_summary **items, int *n, char next[37],
    struct plan_due **due, int *ndue)
{
	struct db_stmt *st;
	char team_id[37];
	enum err e;
	int row;

	*items = NULL;
	*n = 0;
	*due = NULL;
	*ndue = 0;
	next[0] = '\0';
	if ((e = records_allowed(db, a, person_id, "list")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if (kind != NULL && !plan_kind_known(kind))
		verr_add(v, "kind", "must be one of the plan kinds");
	if (after != NULL && !uuid_valid(after))
		verr_add(v, "after", "must be the next cursor of an earlier "
		    "page");
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, NULL, "list", e);
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	if ((e = db_prepare(db, kind != NULL ?
	    "SELECT id, version, kind, title, status, latest, in_force,"
	    " review_due, expires_on, updated_at FROM plan"
	    " WHERE person_id = $1 AND id < $2 AND kind = $4"
	    " ORDER BY id DESC LIMIT $3" :
	    "SELECT id, version, kind, title, status, latest, in_force,"
	    " review_due, expires_on, updated_at FROM plan"
	    " WHERE person_id = $1 AND id < $2"
	    " ORDER BY id DESC LIMIT $3", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, after ? after : "g");
	db_bind_int(st, 3, limit + 1);
	if (kind != NULL)
		db_bind_text(st, 4, kind);
	*items = xcalloc((size_t)limit + 1, sizeof **items);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct plan_summary *s;
		char *status;

		if (*n == limit) {
			snprintf(next, 37, "%s", (*items)[*n - 1].id);
			break;
		}
		s = &(*items)[(*n)++];
		snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
		s->version = db_col_int(st, 1);
		s->kind = db_col_dup(st, 2);
		s->title = db_col_unsealed(st, 3, "plan.title", &e);
		status = db_col_dup(st, 4);
		s->latest = (int)db_col_int(st, 5);
		s->in_force = (int)db_col_int(st, 6);
		s->review_due = db_col_dup(st, 7);
		s->expires_on = db_col_dup(st, 8);
		s->updated_at = db_col_int(st, 9);
		s->status = shown_status(s->kind, status, s->expires_on);
		free(status);
	}
	db_done(st);
	if (e == ERR_OK)
		e = plans_due(db, person_id, due, ndue);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "plan", NULL, "list",
		    "success", kind ? kind : NULL);
	if (e != ERR_OK) {
		plan_summaries_free(*items, *n, *due, *ndue);
		*items = NULL;
		*due = NULL;
		*n = *ndue = 0;
		next[0] = '\0';
	}
	return e;
}

enum err
plan_peer_minutes(struct db *db, const struct actor *a,
    const char *person_id, int months, struct month_minutes *out)
{
	struct db_stmt *st;
	struct date d = time_today(), first;
	char team_id[37], from[11];
	enum err e;
	int i, row;

	if ((e = records_allowed(db, a, person_id, "minutes")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if (months < 1 || months > PLAN_MINUTES_MONTHS_MAX)
		return ERR_INVALID;
	/* The first day of the earliest month shown. */
	first.y = d.y;
	first.m = d.m;
	first.d = 1;
	first.m -= months - 1;
	while (first.m < 1) {
		first.m += 12;
		first.y--;
	}
	for (i = 0; i < months; i++) {
		struct date m = date_add_months(first, i);

		snprintf(out[i].month, sizeof out[i].month, "%04d-%02d", m.y,
		    m.m);
		out[i].minutes = out[i].contacts = 0;
	}
	date_format(first, from);
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, POL_PERSON_READ, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, NULL, "minutes", e);
	if ((e = db_prepare(db, "SELECT substr(service_date, 1, 7),"
	    " sum(minutes), count(*) FROM contact"
	    " WHERE person_id = $1 AND service_date >= $2"
	    " GROUP BY substr(service_date, 1, 7)", &st)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, from);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		const char *m = db_col_text(st, 0);

		for (i = 0; m != NULL && i < months; i++)
			if (strcmp(out[i].month, m) == 0) {
				out[i].minutes = db_col_int(st, 1);
				out[i].contacts = db_col_int(st, 2);
			}
	}
	db_done(st);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	return audit_actor_alone(db, a, person_id, "person", person_id,
	    "minutes", "success", NULL);
}

enum err
plan_of_goal(struct db *db, const char *person_id, const char *item_id,
    char plan_id[37])
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT i.plan_id FROM plan_item i"
	    " JOIN plan p ON p.id = i.plan_id WHERE p.person_id = $1"
	    " AND i.item_id = $2 AND i.path = 'goals'", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	db_bind_text(st, 2, item_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			snprintf(plan_id, 37, "%s", db_col_text(st, 0));
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}
