#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/billing.h"
#include "core/check.h"
#include "core/outreach.h"
#include "core/record.h"
#include "core/rules.h"
#include "util/buf.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

/* ---- date arithmetic ---------------------------------------------- */

struct date
outreach_months_before(struct date d, int months)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int m = d.y * 12 + (d.m - 1) - months, last;

	d.y = m / 12;
	d.m = m % 12 + 1;
	last = mdays[d.m - 1];
	if (d.m == 2 && ((d.y % 4 == 0 && d.y % 100 != 0) || d.y % 400 == 0))
		last = 29;
	if (d.d > last)
		d.d = last;
	return d;
}

int64_t
outreach_days_between(struct date a, struct date b)
{
	return date_to_days(b) - date_to_days(a);
}

int
outreach_overdue(struct date today, struct date due)
{
	return date_cmp(due, today) < 0;
}

/* ---- inpatient stays ---------------------------------------------- */

void
inpatient_stay_clear(struct inpatient_stay *s)
{
	if (s == NULL)
		return;
	free(s->kind);
	free(s->admitted_on);
	free(s->discharged_on);
	free(s->facility);
	free(s->recorded_by);
	free(s->recorded_by_name);
	memset(s, 0, sizeof *s);
}

void
inpatient_stays_free(struct inpatient_stay *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		inpatient_stay_clear(&s[i]);
	free(s);
}

#define STAY_COLS \
	"i.id, i.version, i.person_id, i.kind, i.admitted_on," \
	" i.discharged_on, i.facility, i.recorded_by, f.display_name," \
	" i.recorded_at FROM inpatient_stay i" \
	" LEFT JOIN staff f ON f.id = i.recorded_by"

static enum err
stay_row(struct db_stmt *st, struct inpatient_stay *s)
{
	enum err e = ERR_OK;

	snprintf(s->id, sizeof s->id, "%s", db_col_text(st, 0));
	s->version = db_col_int(st, 1);
	snprintf(s->person_id, sizeof s->person_id, "%s", db_col_text(st, 2));
	s->kind = db_col_dup(st, 3);
	s->admitted_on = db_col_dup(st, 4);
	s->discharged_on = db_col_dup(st, 5);
	s->facility = db_col_unsealed(st, 6, "inpatient_stay.facility", &e);
	s->recorded_by = db_col_dup(st, 7);
	s->recorded_by_name = db_col_dup(st, 8);
	s->recorded_at = db_col_int(st, 9);
	return e;
}

static enum err
load_stay(struct db *db, const char *id, struct inpatient_stay *s)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(s, 0, sizeof *s);
	if ((e = db_prepare(db, "SELECT " STAY_COLS " WHERE i.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = stay_row(st, s);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e != ERR_OK)
		inpatient_stay_clear(s);
	return e;
}

static int
stay_kind_known(const char *kind)
{
	const struct resource_rules *rr = &rules_get()->resources;

	return rules_has(rr->stay_kinds, rr->nstay_kinds, kind);
}

/* Checks the stay that in makes of cur (NULL for a new one). */
static void
check_stay(const struct stay_input *in, const struct inpatient_stay *cur,
    struct verr *v)
{
	const struct resource_rules *rr = &rules_get()->resources;
	const char *adm, *dis;
	struct date da, dd;
	int ok_a = 0, ok_d = 0;

	if (cur == NULL || (in->set & STAY_KIND)) {
		if (in->kind == NULL) {
			verr_add(v, "kind", "is required");
		} else if (!stay_kind_known(in->kind)) {
			if (rr->nstay_kinds == 0)
				verr_add(v, "kind", "names no kind of stay: "
				    "the rules list none");
			else
				verr_add(v, "kind", "must be one of the kinds "
				    "of stay in the rules");
		}
	}
	adm = (cur == NULL || (in->set & STAY_ADMITTED_ON)) ? in->admitted_on :
	    cur->admitted_on;
	dis = (cur == NULL || (in->set & STAY_DISCHARGED_ON)) ?
	    in->discharged_on : cur->discharged_on;
	if (cur == NULL || (in->set & STAY_ADMITTED_ON))
		ok_a = check_date(v, "admitted_on", adm, CHECK_REQUIRED, 1,
		    &da);
	else
		ok_a = date_parse(adm, &da) == ERR_OK;
	if (cur == NULL || (in->set & STAY_DISCHARGED_ON))
		ok_d = check_date(v, "discharged_on", dis, 0, 1, &dd);
	else
		ok_d = dis != NULL && date_parse(dis, &dd) == ERR_OK;
	if (ok_a && ok_d && date_cmp(dd, da) < 0)
		verr_add(v, "discharged_on", "must be on or after the admission date");
	if (cur == NULL || (in->set & STAY_FACILITY))
		check_text(v, "facility", in->facility, STAY_FACILITY_MAX, 0);
}

/* Audits, loads the stay afresh and commits. */
static enum err
finish(struct db *db, const struct actor *a, const char *person_id,
    const char *id, const char *action, const char *detail,
    struct inpatient_stay *out)
{
	enum err e;

	if ((e = audit_actor(db, a, person_id, "inpatient_stay", id, action,
	    "success", detail)) != ERR_OK ||
	    (e = load_stay(db, id, out)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = db_commit(db)) != ERR_OK)
		inpatient_stay_clear(out);
	return e;
}

/* An empty text clears an optional field as null does. */
static const char *
blank_null(const char *s)
{
	return s != NULL && *s == '\0' ? NULL : s;
}

enum err
inpatient_stay_create(struct db *db, const struct actor *a,
    const char *person_id, const struct stay_input *in, struct verr *v,
    struct inpatient_stay *out)
{
	struct db_stmt *st;
	char team_id[37], id[37], detail[96];
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "inpatient_stay", person_id, NULL,
	    "create")) != ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	check_stay(in, NULL, v);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id, person_id)) !=
	    ERR_OK)
		return record_deny(db, a, person_id, "inpatient_stay", NULL,
		    "create", e);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO inpatient_stay (id, person_id,"
	    " kind, admitted_on, discharged_on, facility, recorded_by,"
	    " recorded_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)",
	    &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, in->kind);
	db_bind_text(st, 4, in->admitted_on);
	db_bind_text(st, 5, blank_null(in->discharged_on));
	db_bind_sealed(st, 6, "inpatient_stay.facility",
	    blank_null(in->facility));
	db_bind_text(st, 7, a->id);
	db_bind_int(st, 8, time_now_ms());
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		goto fail;
	snprintf(detail, sizeof detail, "kind=%.64s", in->kind);
	return finish(db, a, person_id, id, "create", detail, out);
fail:
	db_rollback(db);
	return e;
}

enum err
inpatient_stay_list(struct db *db, const struct actor *a,
    const char *person_id, struct inpatient_stay **items, int *n)
{
	struct db_stmt *st;
	char team_id[37];
	enum err e;
	int row;

	*items = NULL;
	*n = 0;
	if ((e = record_allowed(db, a, "inpatient_stay", person_id, NULL,
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
		return record_deny(db, a, person_id, "inpatient_stay", NULL,
		    "list", e);
	if ((e = db_prepare(db, "SELECT " STAY_COLS " WHERE i.person_id = $1"
	    " ORDER BY i.admitted_on DESC, i.id DESC LIMIT $2", &st)) !=
	    ERR_OK) {
		db_rollback(db);
		return e;
	}
	db_bind_text(st, 1, person_id);
	db_bind_int(st, 2, STAY_LIST_MAX);
	*items = xcalloc(STAY_LIST_MAX, sizeof **items);
	while (e == ERR_OK && *n < STAY_LIST_MAX &&
	    (e = db_step(st, &row)) == ERR_OK && row)
		e = stay_row(st, &(*items)[(*n)++]);
	db_done(st);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "inpatient_stay", NULL,
		    "list", "success", NULL);
	if (e != ERR_OK) {
		inpatient_stays_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

static void
add_field(struct buf *b, const char *name)
{
	buf_printf(b, "%s%s", buf_cstr(b)[0] ? "," : "fields=", name);
}

enum err
inpatient_stay_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct stay_input *in, struct verr *v,
    struct inpatient_stay *out, int64_t *current)
{
	struct inpatient_stay cur;
	struct db_stmt *st;
	struct buf fields;
	char team_id[37], person[37];
	int64_t changes = 0;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&cur, 0, sizeof cur);
	*current = 0;
	if ((e = record_allowed(db, a, "inpatient_stay", NULL, id,
	    "update")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load_stay(db, id, &cur)) != ERR_OK)
		goto fail;
	snprintf(person, sizeof person, "%s", cur.person_id);
	if ((e = record_person_team(db, person, team_id)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id, person)) !=
	    ERR_OK) {
		inpatient_stay_clear(&cur);
		return record_deny(db, a, person, "inpatient_stay", id,
		    "update", e);
	}
	if (cur.version != if_version) {
		*current = cur.version;
		e = ERR_STALE;
		goto fail;
	}
	check_stay(in, &cur, v);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	buf_init(&fields, 256);
	if (in->set & STAY_KIND)
		add_field(&fields, "kind");
	if (in->set & STAY_ADMITTED_ON)
		add_field(&fields, "admitted_on");
	if (in->set & STAY_DISCHARGED_ON)
		add_field(&fields, "discharged_on");
	if (in->set & STAY_FACILITY)
		add_field(&fields, "facility");
	if ((e = db_prepare(db, "UPDATE inpatient_stay SET kind = $2,"
	    " admitted_on = $3, discharged_on = $4, version = version + 1"
	    " WHERE id = $1 AND version = $5", &st)) != ERR_OK)
		goto fail_buf;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, (in->set & STAY_KIND) ? in->kind : cur.kind);
	db_bind_text(st, 3, (in->set & STAY_ADMITTED_ON) ? in->admitted_on :
	    cur.admitted_on);
	db_bind_text(st, 4, (in->set & STAY_DISCHARGED_ON) ?
	    blank_null(in->discharged_on) : cur.discharged_on);
	db_bind_int(st, 5, if_version);
	e = db_run(st, &changes);
	db_done(st);
	if (e == ERR_OK && changes != 1)
		e = ERR_CONFLICT;
	if (e == ERR_OK && (in->set & STAY_FACILITY))
		e = db_set_sealed(db, "UPDATE inpatient_stay SET facility = $1"
		    " WHERE id = $2", "inpatient_stay.facility",
		    blank_null(in->facility), id);
	if (e != ERR_OK)
		goto fail_buf;
	inpatient_stay_clear(&cur);
	e = finish(db, a, person, id, "update", buf_cstr(&fields), out);
	buf_free(&fields);
	return e;
fail_buf:
	buf_free(&fields);
fail:
	inpatient_stay_clear(&cur);
	db_rollback(db);
	return e;
}

/* ---- the lists ---------------------------------------------------- */

/* The contact types of the lists, from the billing rules in force: an
 * outreach attempt is a type whose activity is "outreach"; a face-to-face
 * follow-up is a type billed as time with the person whose method is face
 * to face (fixed by the type, or left to the contact, which the billing
 * engine takes as face to face). */
struct type_sets {
	const char	**attempt;
	int		  nattempt;
	const char	**f2f;
	int		  nf2f;
};

static void
type_sets_init(struct type_sets *t)
{
	const struct billing_rules *br = &rules_get()->billing;
	int i;

	memset(t, 0, sizeof *t);
	t->attempt = xcalloc((size_t)br->ntypes + 1, sizeof *t->attempt);
	t->f2f = xcalloc((size_t)br->ntypes + 1, sizeof *t->f2f);
	for (i = 0; i < br->ntypes; i++) {
		const struct billing_type *bt = &br->types[i];

		if (bt->activity != NULL && strcmp(bt->activity, "outreach") ==
		    0)
			t->attempt[t->nattempt++] = bt->code;
		else if (bt->billing_code != NULL && (bt->method < 0 ||
		    bt->method == BILLING_FACE_TO_FACE))
			t->f2f[t->nf2f++] = bt->code;
	}
}

static void
type_sets_free(struct type_sets *t)
{
	free(t->attempt);
	free(t->f2f);
}

/* Appends "($p, $p+1, ...)" for n parameters and advances *p. */
static void
placeholders(struct buf *b, int n, int *p)
{
	int i;

	buf_putc(b, '(');
	for (i = 0; i < n; i++)
		buf_printf(b, "%s$%d", i ? ", " : "", (*p)++);
	buf_putc(b, ')');
}

struct scope {
	const char	*teams[ACTOR_MAX_TEAMS];
	int		 nteams;
};

static int
bind_list(struct db_stmt *st, int p, const char *const *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		db_bind_text(st, p++, v[i]);
	return p;
}

void
outreach_lists_clear(struct outreach_lists *l)
{
	struct outreach_item *lists[4];
	int counts[4], i, j, k;

	lists[0] = l->follow_up;
	counts[0] = l->nfollow_up;
	lists[1] = l->frequent;
	counts[1] = l->nfrequent;
	lists[2] = l->not_seen;
	counts[2] = l->nnot_seen;
	lists[3] = l->outreach;
	counts[3] = l->noutreach;
	for (i = 0; i < 4; i++) {
		for (j = 0; lists[i] != NULL && j < counts[i]; j++) {
			struct outreach_item *x = &lists[i][j];

			free(x->preferred_name);
			free(x->primary_peer_name);
			for (k = 0; k < x->nrecent; k++) {
				free(x->recent[k].type);
				free(x->recent[k].setting);
				free(x->recent[k].status);
			}
		}
		free(lists[i]);
	}
	for (i = 0; i < l->nteams; i++)
		free(l->teams[i].name);
	memset(l, 0, sizeof *l);
}

static void
copy_date(char out[11], const char *s)
{
	snprintf(out, 11, "%s", s ? s : "");
}

/* Runs a list's statement: columns 0-3 are the person's id, team,
 * preferred name and primary peer's name; fill() reads the rest. */
static enum err
run_list(struct db_stmt *st, struct outreach_item **items, int *n,
    unsigned cut, unsigned *truncated,
    void (*fill)(struct db_stmt *, struct outreach_item *, void *),
    void *arg)
{
	enum err e;
	int row;

	*items = xcalloc(OUTREACH_LIST_MAX, sizeof **items);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct outreach_item *x;

		if (*n == OUTREACH_LIST_MAX) {
			*truncated |= cut;
			break;
		}
		x = &(*items)[(*n)++];
		snprintf(x->person_id, sizeof x->person_id, "%s",
		    db_col_text(st, 0));
		snprintf(x->team_id, sizeof x->team_id, "%s",
		    db_col_text(st, 1));
		x->preferred_name = db_col_dup(st, 2);
		x->primary_peer_name = db_col_dup(st, 3);
		x->days = -1;
		fill(st, x, arg);
	}
	return e;
}

#define PERSON_COLS \
	"p.id, p.team_id, p.preferred_name, s.display_name"
#define PERSON_FROM \
	" FROM person p LEFT JOIN staff s ON s.id = p.primary_peer_id"

static void
fill_follow_up(struct db_stmt *st, struct outreach_item *x, void *arg)
{
	const struct date *today = arg;
	struct date due;

	copy_date(x->discharge_date, db_col_text(st, 4));
	copy_date(x->follow_up_due, db_col_text(st, 5));
	x->overdue = date_parse(x->follow_up_due, &due) == ERR_OK &&
	    outreach_overdue(*today, due);
}

/* Discharged people (their latest episode closed) with no signed
 * face-to-face contact on or after the discharge date. */
static enum err
list_follow_up(struct db *db, const struct scope *sc,
    const struct type_sets *t, struct date today, struct outreach_lists *l)
{
	struct db_stmt *st;
	struct buf sql;
	int p = 1;
	enum err e;

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT " PERSON_COLS ", e.discharge_date,"
	    " e.follow_up_due" PERSON_FROM " JOIN episode e"
	    " ON e.person_id = p.id WHERE p.team_id IN ");
	placeholders(&sql, sc->nteams, &p);
	buf_puts(&sql, " AND p.status = 'discharged'"
	    " AND e.discharge_date IS NOT NULL AND e.follow_up_due IS NOT NULL"
	    " AND NOT EXISTS (SELECT 1 FROM episode x"
	    " WHERE x.person_id = p.id AND (x.discharge_date IS NULL"
	    " OR x.discharge_date > e.discharge_date"
	    " OR (x.discharge_date = e.discharge_date AND x.id > e.id)))");
	if (t->nf2f > 0) {
		buf_puts(&sql, " AND NOT EXISTS (SELECT 1 FROM contact c"
		    " WHERE c.person_id = p.id AND c.status = 'signed'"
		    " AND c.service_date >= e.discharge_date AND c.type IN ");
		placeholders(&sql, t->nf2f, &p);
		buf_putc(&sql, ')');
	}
	buf_printf(&sql, " ORDER BY e.follow_up_due, p.sort_name, p.id"
	    " LIMIT $%d", p);
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	p = bind_list(st, 1, sc->teams, sc->nteams);
	p = bind_list(st, p, t->f2f, t->nf2f);
	db_bind_int(st, p, OUTREACH_LIST_MAX + 1);
	e = run_list(st, &l->follow_up, &l->nfollow_up, OUTREACH_CUT_FOLLOW_UP,
	    &l->truncated, fill_follow_up, &today);
	db_done(st);
	return e;
}

static void
fill_frequent(struct db_stmt *st, struct outreach_item *x, void *arg)
{
	(void)arg;
	x->stays = (int)db_col_int(st, 4);
	copy_date(x->last_admitted_on, db_col_text(st, 5));
}

/* People in outreach or active with at least the rules' number of stays
 * admitted since the window's first day. */
static enum err
list_frequent(struct db *db, const struct scope *sc,
    struct outreach_lists *l)
{
	struct db_stmt *st;
	struct buf sql;
	int p = 1;
	enum err e;

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT " PERSON_COLS ", count(*), max(i.admitted_on)"
	    PERSON_FROM " JOIN inpatient_stay i ON i.person_id = p.id"
	    " WHERE p.team_id IN ");
	placeholders(&sql, sc->nteams, &p);
	buf_printf(&sql, " AND p.status IN ('active', 'outreach')"
	    " AND i.admitted_on >= $%d GROUP BY p.id, p.team_id,"
	    " p.preferred_name, s.display_name, p.sort_name"
	    " HAVING count(*) >= $%d"
	    " ORDER BY count(*) DESC, p.sort_name, p.id LIMIT $%d", p, p + 1,
	    p + 2);
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	p = bind_list(st, 1, sc->teams, sc->nteams);
	db_bind_text(st, p, l->stays_since);
	db_bind_int(st, p + 1, l->frequent_stays);
	db_bind_int(st, p + 2, OUTREACH_LIST_MAX + 1);
	e = run_list(st, &l->frequent, &l->nfrequent, OUTREACH_CUT_FREQUENT,
	    &l->truncated, fill_frequent, NULL);
	db_done(st);
	return e;
}

static void
fill_not_seen(struct db_stmt *st, struct outreach_item *x, void *arg)
{
	const struct date *today = arg;
	struct date d;

	copy_date(x->last_seen, db_col_text(st, 5));
	x->days = date_parse(x->last_seen, &d) == ERR_OK ?
	    (int)outreach_days_between(d, *today) : -1;
}

/* Appends the condition that a contact c is not an outreach attempt. */
static void
not_attempt(struct buf *sql, const struct type_sets *t, int *p)
{
	if (t->nattempt == 0)
		return;
	buf_puts(sql, " AND c.type NOT IN ");
	placeholders(sql, t->nattempt, p);
}

/* People in outreach or active whose last signed contact (an outreach
 * attempt is not one) is on or before the cut-off day, or who have none,
 * and who were not enrolled after it. */
static enum err
list_not_seen(struct db *db, const struct scope *sc,
    const struct type_sets *t, struct date today, struct outreach_lists *l)
{
	struct db_stmt *st;
	struct buf sql;
	int p = 1, pcut;
	enum err e;

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT x.id, x.team_id, x.preferred_name, x.peer,"
	    " x.sort_name, x.seen FROM (SELECT p.id, p.team_id,"
	    " p.preferred_name, s.display_name AS peer, p.sort_name,"
	    " (SELECT max(c.service_date) FROM contact c"
	    " WHERE c.person_id = p.id AND c.status = 'signed'");
	not_attempt(&sql, t, &p);
	buf_puts(&sql, ") AS seen" PERSON_FROM " WHERE p.team_id IN ");
	placeholders(&sql, sc->nteams, &p);
	pcut = p++;
	buf_printf(&sql, " AND p.status IN ('active', 'outreach')"
	    " AND NOT EXISTS (SELECT 1 FROM episode e"
	    " WHERE e.person_id = p.id AND e.discharge_date IS NULL"
	    " AND e.intake_date > $%d)) x"
	    " WHERE x.seen IS NULL OR x.seen <= $%d"
	    " ORDER BY coalesce(x.seen, ''), x.sort_name, x.id LIMIT $%d",
	    pcut, pcut, p);
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	p = bind_list(st, 1, t->attempt, t->nattempt);
	p = bind_list(st, p, sc->teams, sc->nteams);
	db_bind_text(st, p, l->not_seen_before);
	db_bind_int(st, p + 1, OUTREACH_LIST_MAX + 1);
	e = run_list(st, &l->not_seen, &l->nnot_seen, OUTREACH_CUT_NOT_SEEN,
	    &l->truncated, fill_not_seen, &today);
	db_done(st);
	return e;
}

static void
fill_outreach(struct db_stmt *st, struct outreach_item *x, void *arg)
{
	(void)arg;
	x->attempts = (int)db_col_int(st, 5);
	copy_date(x->last_attempt_on, db_col_text(st, 6));
}

static int
by_person(const void *a, const void *b)
{
	const struct outreach_item *const *x = a, *const *y = b;

	return strcmp((*x)->person_id, (*y)->person_id);
}

/* The latest attempts of the people on the outreach list, in one
 * statement for the whole list. */
static enum err
recent_attempts(struct db *db, const struct scope *sc,
    const struct type_sets *t, struct outreach_lists *l)
{
	struct outreach_item **index, key, *kp = &key, **hit;
	struct db_stmt *st;
	struct buf sql;
	int p = 1, row, i;
	enum err e;

	if (l->noutreach == 0 || t->nattempt == 0)
		return ERR_OK;
	index = xcalloc((size_t)l->noutreach, sizeof *index);
	for (i = 0; i < l->noutreach; i++)
		index[i] = &l->outreach[i];
	qsort(index, (size_t)l->noutreach, sizeof *index, by_person);
	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT c.person_id, c.id, c.service_date, c.type,"
	    " c.setting, c.status FROM contact c JOIN person p"
	    " ON p.id = c.person_id WHERE p.team_id IN ");
	placeholders(&sql, sc->nteams, &p);
	buf_puts(&sql, " AND p.status = 'outreach' AND c.type IN ");
	placeholders(&sql, t->nattempt, &p);
	buf_puts(&sql, " ORDER BY c.person_id, c.started_at DESC, c.id DESC");
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK) {
		free(index);
		return e;
	}
	p = bind_list(st, 1, sc->teams, sc->nteams);
	bind_list(st, p, t->attempt, t->nattempt);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct outreach_attempt *at;
		struct outreach_item *x;

		snprintf(key.person_id, sizeof key.person_id, "%s",
		    db_col_text(st, 0));
		hit = bsearch(&kp, index, (size_t)l->noutreach, sizeof *index,
		    by_person);
		if (hit == NULL || (*hit)->nrecent == OUTREACH_RECENT)
			continue;
		x = *hit;
		at = &x->recent[x->nrecent++];
		snprintf(at->contact_id, sizeof at->contact_id, "%s",
		    db_col_text(st, 1));
		copy_date(at->on, db_col_text(st, 2));
		at->type = db_col_dup(st, 3);
		at->setting = db_col_dup(st, 4);
		at->status = db_col_dup(st, 5);
	}
	db_done(st);
	free(index);
	return e;
}

/* People in outreach with how many attempts were recorded (drafts too:
 * the attempt happened when it is written down) and the last one's day;
 * the longest without an attempt first. */
static enum err
list_outreach(struct db *db, const struct scope *sc,
    const struct type_sets *t, struct outreach_lists *l)
{
	struct db_stmt *st;
	struct buf sql;
	int p = 1;
	enum err e;

	buf_init(&sql, 4096);
	buf_puts(&sql, "SELECT x.id, x.team_id, x.preferred_name, x.peer,"
	    " x.sort_name, x.n, x.latest FROM (SELECT p.id, p.team_id,"
	    " p.preferred_name, s.display_name AS peer, p.sort_name,");
	if (t->nattempt > 0) {
		buf_puts(&sql, " (SELECT count(*) FROM contact c"
		    " WHERE c.person_id = p.id AND c.type IN ");
		placeholders(&sql, t->nattempt, &p);
		buf_puts(&sql, ") AS n, (SELECT max(c.service_date)"
		    " FROM contact c WHERE c.person_id = p.id AND c.type IN ");
		placeholders(&sql, t->nattempt, &p);
		buf_puts(&sql, ") AS latest");
	} else {
		buf_puts(&sql, " 0 AS n, NULL AS latest");
	}
	buf_puts(&sql, PERSON_FROM " WHERE p.team_id IN ");
	placeholders(&sql, sc->nteams, &p);
	buf_printf(&sql, " AND p.status = 'outreach') x"
	    " ORDER BY coalesce(x.latest, ''), x.sort_name, x.id LIMIT $%d",
	    p);
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	p = bind_list(st, 1, t->attempt, t->nattempt);
	p = bind_list(st, p, t->attempt, t->nattempt);
	p = bind_list(st, p, sc->teams, sc->nteams);
	db_bind_int(st, p, OUTREACH_LIST_MAX + 1);
	e = run_list(st, &l->outreach, &l->noutreach, OUTREACH_CUT_OUTREACH,
	    &l->truncated, fill_outreach, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = recent_attempts(db, sc, t, l);
	return e;
}

static enum err
team_names(struct db *db, const struct scope *sc, struct outreach_lists *l)
{
	struct db_stmt *st;
	struct buf sql;
	int p = 1, row;
	enum err e;

	buf_init(&sql, 1024);
	buf_puts(&sql, "SELECT id, name FROM team WHERE id IN ");
	placeholders(&sql, sc->nteams, &p);
	buf_puts(&sql, " ORDER BY name, id");
	e = db_prepare(db, db_intern(buf_cstr(&sql)), &st);
	buf_free(&sql);
	if (e != ERR_OK)
		return e;
	bind_list(st, 1, sc->teams, sc->nteams);
	while (l->nteams < ACTOR_MAX_TEAMS &&
	    (e = db_step(st, &row)) == ERR_OK && row) {
		snprintf(l->teams[l->nteams].id, 37, "%s", db_col_text(st, 0));
		l->teams[l->nteams++].name = db_col_dup(st, 1);
	}
	db_done(st);
	return e;
}

enum err
outreach_lists_get(struct db *db, const struct actor *a,
    const char *team_id, struct verr *v, struct outreach_lists *out)
{
	const struct rules *r = rules_get();
	const struct resource_rules *rr = &r->resources;
	struct type_sets t;
	struct scope sc;
	struct date today;
	char detail[128];
	enum err e;
	int i;

	memset(out, 0, sizeof *out);
	if (team_id != NULL && !uuid_valid(team_id)) {
		verr_add(v, "team", "must be the id of one of your teams");
		return ERR_INVALID;
	}
	if ((e = policy_check(a, POL_PERSON_LIST, team_id)) != ERR_OK)
		return record_deny(db, a, NULL, "outreach", team_id, "list", e);
	memset(&sc, 0, sizeof sc);
	if (team_id != NULL) {
		sc.teams[sc.nteams++] = team_id;
	} else {
		for (i = 0; i < a->nteams; i++)
			sc.teams[sc.nteams++] = a->teams[i];
	}
	today = time_today();
	date_format(today, out->today);
	out->not_seen_days = rr->outreach_not_seen_days;
	date_format(date_add_days(today, -rr->outreach_not_seen_days),
	    out->not_seen_before);
	out->frequent_stays = rr->outreach_frequent_stays;
	out->frequent_stays_months = rr->outreach_frequent_months;
	date_format(outreach_months_before(today, rr->outreach_frequent_months),
	    out->stays_since);
	out->follow_up_days = r->follow_up_days;
	if (sc.nteams > 0) {
		type_sets_init(&t);
		if ((e = db_begin(db, DB_TX_READ)) == ERR_OK) {
			if ((e = team_names(db, &sc, out)) == ERR_OK &&
			    (e = list_follow_up(db, &sc, &t, today, out)) ==
			    ERR_OK && (e = list_frequent(db, &sc, out)) ==
			    ERR_OK && (e = list_not_seen(db, &sc, &t, today,
			    out)) == ERR_OK)
				e = list_outreach(db, &sc, &t, out);
			db_rollback(db);	/* ends the read snapshot */
		}
		type_sets_free(&t);
		if (e != ERR_OK) {
			outreach_lists_clear(out);
			return e;
		}
	}
	snprintf(detail, sizeof detail, "follow_up=%d frequent_stays=%d "
	    "not_seen=%d outreach=%d", out->nfollow_up, out->nfrequent,
	    out->nnot_seen, out->noutreach);
	if ((e = audit_actor_alone(db, a, NULL, "outreach", team_id, "list",
	    "success", detail)) != ERR_OK)
		outreach_lists_clear(out);
	return e;
}
