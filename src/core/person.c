#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/person.h"
#include "core/record.h"
#include "core/rules.h"
#include "core/staff.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

static const char *const statuses[] = { "outreach", "active", "discharged" };

static int
is_status(const char *s)
{
	size_t i;

	for (i = 0; s && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(s, statuses[i]) == 0)
			return 1;
	return 0;
}

/* Records a denial after rolling back, and hands the error on. */
static enum err
deny(struct db *db, const struct actor *a, const char *person_id,
    const char *object, const char *action, enum err e)
{
	return record_deny(db, a, person_id, object, person_id, action, e);
}

static enum err
records_allowed(struct db *db, const struct actor *a, const char *id,
    const char *object, const char *action)
{
	return record_allowed(db, a, object, id, id, action);
}

void
episode_clear(struct episode *e)
{
	if (e == NULL)
		return;
	free(e->agreement_date);
	free(e->agreement_witness);
	free(e->intake_date);
	free(e->referral_source);
	free(e->discharge_date);
	free(e->discharge_reason);
	free(e->exit_strategy);
	free(e->follow_up_due);
	free(e->rules_version);
	memset(e, 0, sizeof *e);
}

void
person_clear(struct person *p)
{
	int i;

	if (p == NULL)
		return;
	free(p->team);
	free(p->preferred_name);
	free(p->legal_name);
	free(p->pronouns);
	free(p->date_of_birth);
	free(p->phone);
	free(p->language);
	free(p->primary_peer_id);
	free(p->primary_peer_name);
	free(p->status);
	for (i = 0; i < p->ncontacts; i++) {
		free(p->contacts[i].kind);
		free(p->contacts[i].name);
		free(p->contacts[i].relationship);
		free(p->contacts[i].phone);
		free(p->contacts[i].note);
	}
	free(p->contacts);
	for (i = 0; i < p->nlinks; i++)
		free(p->links[i].relationship);
	free(p->links);
	for (i = 0; i < p->nepisodes; i++)
		episode_clear(&p->episodes[i]);
	free(p->episodes);
	memset(p, 0, sizeof *p);
}

#define EPISODE_COLS \
    "id, version, agreement_date, agreement_witness, intake_date," \
    " referral_source, discharge_date, discharge_reason, exit_strategy," \
    " follow_up_due, rules_version, created_at, updated_at, part2"

static void
fill_episode(struct db_stmt *st, struct episode *e)
{
	memset(e, 0, sizeof *e);
	snprintf(e->id, sizeof e->id, "%s", db_col_text(st, 0));
	e->version = db_col_int(st, 1);
	e->agreement_date = db_col_dup(st, 2);
	e->agreement_witness = db_col_dup(st, 3);
	e->intake_date = db_col_dup(st, 4);
	e->referral_source = db_col_dup(st, 5);
	e->discharge_date = db_col_dup(st, 6);
	e->discharge_reason = db_col_dup(st, 7);
	e->exit_strategy = db_col_dup(st, 8);
	e->follow_up_due = db_col_dup(st, 9);
	e->rules_version = db_col_dup(st, 10);
	e->created_at = db_col_int(st, 11);
	e->updated_at = db_col_int(st, 12);
	e->part2 = (int)db_col_int(st, 13);
}

/* Reads a record with no policy check or audit: callers have done both. */
static enum err
load_person(struct db *db, const char *id, struct person *p)
{
	struct db_stmt *st = NULL;
	enum err e;
	int row, cap;

	memset(p, 0, sizeof *p);
	if ((e = db_prepare(db,
	    "SELECT p.id, p.version, p.team_id, t.name, p.preferred_name,"
	    " p.legal_name, p.pronouns, p.date_of_birth, p.phone, p.language,"
	    " p.primary_peer_id, s.display_name, p.status, p.created_at,"
	    " p.updated_at"
	    " FROM person p JOIN team t ON t.id = p.team_id"
	    " LEFT JOIN staff s ON s.id = p.primary_peer_id"
	    " WHERE p.id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) != ERR_OK)
		goto fail;
	if (!row) {
		e = ERR_NOT_FOUND;
		goto fail;
	}
	snprintf(p->id, sizeof p->id, "%s", db_col_text(st, 0));
	p->version = db_col_int(st, 1);
	snprintf(p->team_id, sizeof p->team_id, "%s", db_col_text(st, 2));
	p->team = db_col_dup(st, 3);
	p->preferred_name = db_col_dup(st, 4);
	p->legal_name = db_col_dup(st, 5);
	p->pronouns = db_col_dup(st, 6);
	p->date_of_birth = db_col_dup(st, 7);
	p->phone = db_col_dup(st, 8);
	p->language = db_col_dup(st, 9);
	p->primary_peer_id = db_col_dup(st, 10);
	p->primary_peer_name = db_col_dup(st, 11);
	p->status = db_col_dup(st, 12);
	p->created_at = db_col_int(st, 13);
	p->updated_at = db_col_int(st, 14);
	db_done(st);

	if ((e = db_prepare(db,
	    "SELECT kind, name, relationship, phone, note FROM person_contact"
	    " WHERE person_id = $1 AND removed_at IS NULL ORDER BY position", &st)) != ERR_OK)
		goto fail_clear;
	db_bind_text(st, 1, id);
	cap = 0;
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		struct contact *c;

		if (p->ncontacts == cap) {
			cap = cap ? cap * 2 : 4;
			p->contacts = xreallocarray(p->contacts, (size_t)cap,
			    sizeof *p->contacts);
		}
		c = &p->contacts[p->ncontacts++];
		c->kind = db_col_dup(st, 0);
		c->name = db_col_dup(st, 1);
		c->relationship = db_col_dup(st, 2);
		c->phone = db_col_dup(st, 3);
		c->note = db_col_unsealed(st, 4, "person_contact.note", &e);
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail_clear;

	if ((e = db_prepare(db,
	    "SELECT other_id, relationship FROM person_link"
	    " WHERE person_id = $1 AND removed_at IS NULL ORDER BY position", &st)) != ERR_OK)
		goto fail_clear;
	db_bind_text(st, 1, id);
	cap = 0;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		struct person_link *l;

		if (p->nlinks == cap) {
			cap = cap ? cap * 2 : 4;
			p->links = xreallocarray(p->links, (size_t)cap,
			    sizeof *p->links);
		}
		l = &p->links[p->nlinks++];
		snprintf(l->person_id, sizeof l->person_id, "%s",
		    db_col_text(st, 0));
		l->relationship = db_col_dup(st, 1);
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail_clear;

	if ((e = db_prepare(db, "SELECT " EPISODE_COLS " FROM episode"
	    " WHERE person_id = $1 ORDER BY intake_date DESC, id DESC",
	    &st)) != ERR_OK)
		goto fail_clear;
	db_bind_text(st, 1, id);
	cap = 0;
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (p->nepisodes == cap) {
			cap = cap ? cap * 2 : 4;
			p->episodes = xreallocarray(p->episodes, (size_t)cap,
			    sizeof *p->episodes);
		}
		fill_episode(st, &p->episodes[p->nepisodes++]);
	}
	db_done(st);
	if (e != ERR_OK)
		goto fail_clear;
	return ERR_OK;
fail:
	db_done(st);
fail_clear:
	person_clear(p);
	return e;
}

/* The team, version and status of a person, for checks before a change. */
static enum err
person_head(struct db *db, const char *id, char team_id[37],
    int64_t *version, char status[16])
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db,
	    "SELECT team_id, version, status FROM person WHERE id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row) {
			snprintf(team_id, 37, "%s", db_col_text(st, 0));
			*version = db_col_int(st, 1);
			snprintf(status, 16, "%s", db_col_text(st, 2));
		} else {
			e = ERR_NOT_FOUND;
		}
	}
	db_done(st);
	return e;
}

/* Checks the values given in in, without touching the database. */
static void
check_values(const struct person_input *in, struct verr *v)
{
	const struct rules *r = rules_get();
	char field[48];
	int i;

	if (in->set & PF_PREFERRED_NAME)
		check_text(v, "preferred_name", in->preferred_name,
		    PERSON_NAME_MAX, CHECK_REQUIRED);
	if (in->set & PF_LEGAL_NAME)
		check_text(v, "legal_name", in->legal_name, PERSON_NAME_MAX, 0);
	if (in->set & PF_PRONOUNS)
		check_text(v, "pronouns", in->pronouns, PERSON_SHORT_MAX, 0);
	if ((in->set & PF_DATE_OF_BIRTH) && in->date_of_birth)
		check_date(v, "date_of_birth", in->date_of_birth, 0, 1, NULL);
	if ((in->set & PF_PHONE) && in->phone)
		check_phone(v, "phone", in->phone, 0);
	if ((in->set & PF_LANGUAGE) && in->language &&
	    !rules_has(r->languages, r->nlanguages, in->language))
		verr_add(v, "language", "must be a code from the language "
		    "list");
	if ((in->set & PF_PRIMARY_PEER) && in->primary_peer)
		check_uuid(v, "primary_peer", in->primary_peer, 0);
	if ((in->set & PF_STATUS) && !is_status(in->status))
		verr_add(v, "status", "must be one of outreach, active, "
		    "discharged");
	if ((in->set & PF_TEAM) && in->team == NULL)
		verr_add(v, "team", "is required");
	if ((in->set & PF_CONTACTS) && in->ncontacts > PERSON_MAX_CONTACTS)
		verr_add(v, "contacts", "must hold at most %d contacts",
		    PERSON_MAX_CONTACTS);
	for (i = 0; (in->set & PF_CONTACTS) && i < in->ncontacts &&
	    i < PERSON_MAX_CONTACTS; i++) {
		const struct contact *c = &in->contacts[i];

		snprintf(field, sizeof field, "contacts[%d].kind", i);
		if (c->kind == NULL || (strcmp(c->kind, "natural_support") &&
		    strcmp(c->kind, "emergency_contact")))
			verr_add(v, field, "must be natural_support or "
			    "emergency_contact");
		snprintf(field, sizeof field, "contacts[%d].name", i);
		check_text(v, field, c->name, PERSON_NAME_MAX, CHECK_REQUIRED);
		snprintf(field, sizeof field, "contacts[%d].relationship", i);
		check_text(v, field, c->relationship, PERSON_SHORT_MAX, 0);
		snprintf(field, sizeof field, "contacts[%d].phone", i);
		check_phone(v, field, c->phone, c->kind &&
		    strcmp(c->kind, "emergency_contact") == 0 ?
		    CHECK_REQUIRED : 0);
		snprintf(field, sizeof field, "contacts[%d].note", i);
		check_text(v, field, c->note, PERSON_NOTE_MAX, CHECK_MULTILINE);
	}
	if ((in->set & PF_LINKS) && in->nlinks > PERSON_MAX_LINKS)
		verr_add(v, "links", "must hold at most %d links",
		    PERSON_MAX_LINKS);
	for (i = 0; (in->set & PF_LINKS) && i < in->nlinks &&
	    i < PERSON_MAX_LINKS; i++) {
		snprintf(field, sizeof field, "links[%d].person_id", i);
		check_uuid(v, field, in->links[i].person_id, CHECK_REQUIRED);
		snprintf(field, sizeof field, "links[%d].relationship", i);
		check_text(v, field, in->links[i].relationship,
		    PERSON_SHORT_MAX, CHECK_REQUIRED);
	}
}

/* A primary peer works on the person's team and can carry a roster. */
static enum err
check_primary_peer(struct db *db, const char *peer_id, const char *team_id,
    struct verr *v)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db,
	    "SELECT s.role, s.disabled FROM staff s"
	    " JOIN staff_team m ON m.staff_id = s.id"
	    " WHERE s.id = $1 AND m.team_id = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, peer_id);
	db_bind_text(st, 2, team_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		const char *role = row ? db_col_text(st, 0) : NULL;

		if (!row || db_col_int(st, 1) != 0 || role == NULL ||
		    (strcmp(role, "peer") && strcmp(role, "supervisor")))
			verr_add(v, "primary_peer", "must be a peer specialist "
			    "or supervisor on the person's team");
	}
	db_done(st);
	return e;
}

/* Linked people must be on the actor's rosters, once each, not self. */
static enum err
check_links(struct db *db, const struct actor *a, const char *self,
    const struct person_input *in, struct verr *v)
{
	char field[48], team_id[37], status[16];
	int64_t version;
	enum err e;
	int i, j;

	for (i = 0; i < in->nlinks && i < PERSON_MAX_LINKS; i++) {
		const char *other = in->links[i].person_id;

		if (other == NULL || !uuid_valid(other))
			continue;
		snprintf(field, sizeof field, "links[%d].person_id", i);
		if (self && strcmp(other, self) == 0) {
			verr_add(v, field, "must name someone else");
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(in->links[j].person_id, other) == 0)
				break;
		if (j < i) {
			verr_add(v, field, "is listed twice");
			continue;
		}
		e = person_head(db, other, team_id, &version, status);
		if (e == ERR_OK && record_policy(a, POL_PERSON_READ, team_id,
		    other) != ERR_OK)
			e = ERR_NOT_FOUND;
		if (e == ERR_NOT_FOUND)
			verr_add(v, field, "names no person on your rosters");
		else if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}

struct token_ctx {
	struct db	*db;
	const char	*id;
	const char	*team_id;
	enum err	 e;
};

static void
insert_token(const char *tok, size_t len, void *arg)
{
	struct token_ctx *c = arg;
	struct db_stmt *st;
	char t[128];

	if (c->e != ERR_OK || len == 0)
		return;
	if (len >= sizeof t)
		len = sizeof t - 1;
	memcpy(t, tok, len);
	t[len] = '\0';
	if ((c->e = db_prepare(c->db,
	    "INSERT INTO person_name_token (token, person_id, team_id)"
	    " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", &st)) != ERR_OK)
		return;
	db_bind_text(st, 1, t);
	db_bind_text(st, 2, c->id);
	db_bind_text(st, 3, c->team_id);
	c->e = db_run(st, NULL);
	db_done(st);
}

/*
 * Rewrites the name-search tokens. Each carries the person's team, so a
 * search looks only at the tokens of the teams it covers.
 */
static enum err
write_names(struct db *db, const char *id, const char *team_id,
    const char *preferred, const char *legal)
{
	struct token_ctx c = { db, id, team_id, ERR_OK };
	struct db_stmt *st;
	struct buf f;
	enum err e;

	if ((e = db_prepare(db,
	    "DELETE FROM person_name_token WHERE person_id = $1", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		return e;
	buf_init(&f, 4096);
	if ((e = text_fold(preferred, &f)) == ERR_OK && legal) {
		buf_putc(&f, ' ');
		e = text_fold(legal, &f);
	}
	if (e == ERR_OK) {
		text_tokens(buf_cstr(&f), 32, insert_token, &c);
		e = c.e;
	}
	buf_free(&f);
	return e;
}

static enum err
sort_key(const char *preferred, struct buf *out)
{
	buf_init(out, 4096);
	return text_fold(preferred, out);
}

/*
 * Contacts and links are replaced as a list, but nothing a peer wrote is
 * deleted: the rows in force are marked removed (when and by whom) and
 * the new list is added after them.
 */
static enum err
retire_rows(struct db *db, const struct actor *a, const char *id,
    const char *sql)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_int(st, 1, time_now_ms());
	db_bind_text(st, 2, a->id);
	db_bind_text(st, 3, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
write_contacts(struct db *db, const struct actor *a, const char *id,
    const struct contact *c, int n)
{
	struct db_stmt *st;
	int64_t now = time_now_ms();
	enum err e;
	int i;

	e = retire_rows(db, a, id, "UPDATE person_contact SET removed_at = $1,"
	    " removed_by = $2 WHERE person_id = $3 AND removed_at IS NULL");
	for (i = 0; e == ERR_OK && i < n; i++) {
		char cid[37];

		uuid_v7(cid);
		if ((e = db_prepare(db,
		    "INSERT INTO person_contact (id, person_id, position, kind,"
		    " name, relationship, phone, note, created_at, created_by)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)", &st)) !=
		    ERR_OK)
			return e;
		db_bind_text(st, 1, cid);
		db_bind_text(st, 2, id);
		db_bind_int(st, 3, i);
		db_bind_text(st, 4, c[i].kind);
		db_bind_text(st, 5, c[i].name);
		db_bind_text(st, 6, c[i].relationship);
		db_bind_text(st, 7, c[i].phone);
		db_bind_sealed(st, 8, "person_contact.note", c[i].note);
		db_bind_int(st, 9, now);
		db_bind_text(st, 10, a->id);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

static enum err
write_links(struct db *db, const struct actor *a, const char *id,
    const struct person_link *l, int n)
{
	struct db_stmt *st;
	int64_t now = time_now_ms();
	enum err e;
	int i;

	e = retire_rows(db, a, id, "UPDATE person_link SET removed_at = $1,"
	    " removed_by = $2 WHERE person_id = $3 AND removed_at IS NULL");
	for (i = 0; e == ERR_OK && i < n; i++) {
		char lid[37];

		uuid_v7(lid);
		if ((e = db_prepare(db,
		    "INSERT INTO person_link (id, person_id, other_id,"
		    " relationship, position, created_at, created_by)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7)", &st)) != ERR_OK)
			return e;
		db_bind_text(st, 1, lid);
		db_bind_text(st, 2, id);
		db_bind_text(st, 3, l[i].person_id);
		db_bind_text(st, 4, l[i].relationship);
		db_bind_int(st, 5, i);
		db_bind_int(st, 6, now);
		db_bind_text(st, 7, a->id);
		e = db_run(st, NULL);
		db_done(st);
	}
	return e;
}

/* Keeps the value a change replaces, with the version it belonged to. */
static enum err
keep_old_value(struct db *db, const struct actor *a, const char *id,
    int64_t version, const char *field, const char *old)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db,
	    "INSERT INTO person_field_history (person_id, version, field,"
	    " old_value, changed_at, changed_by)"
	    " VALUES ($1, $2, $3, $4, $5, $6)", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, field);
	db_bind_text(st, 4, old);
	db_bind_int(st, 5, time_now_ms());
	db_bind_text(st, 6, a->id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
resolve_team(struct db *db, const struct actor *a, const char *name,
    char team_id[37], struct verr *v)
{
	enum err e;

	if (name == NULL) {
		if (a->nteams == 1) {
			snprintf(team_id, 37, "%s", a->teams[0]);
			return ERR_OK;
		}
		verr_add(v, "team", "is required");
		return ERR_OK;
	}
	e = team_id_by_name(db, name, team_id);
	if (e == ERR_NOT_FOUND) {
		verr_add(v, "team", "names no team");
		return ERR_OK;
	}
	return e;
}

enum err
person_create(struct db *db, const struct actor *a,
    const struct person_input *in, struct verr *v, struct person *out)
{
	struct db_stmt *st = NULL;
	struct buf sort;
	char id[37], team_id[37] = "";
	int64_t now = time_now_ms();
	enum err e;

	memset(out, 0, sizeof *out);
	buf_init(&sort, 0);
	if (!(in->set & PF_PREFERRED_NAME))
		verr_add(v, "preferred_name", "is required");
	check_values(in, v);
	if ((in->set & PF_STATUS) && is_status(in->status) &&
	    strcmp(in->status, "outreach") != 0)
		verr_add(v, "status", "a new person starts in outreach; "
		    "enrolling them makes them active");
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = resolve_team(db, a, (in->set & PF_TEAM) ? in->team : NULL,
	    team_id, v)) != ERR_OK)
		goto fail;
	if (team_id[0] && (e = policy_check(a, POL_PERSON_CREATE, team_id)) !=
	    ERR_OK)
		return deny(db, a, NULL, "person", "create", e);
	if (!team_id[0] && (e = policy_check(a, POL_PERSON_CREATE, NULL)) !=
	    ERR_OK)
		return deny(db, a, NULL, "person", "create", e);
	uuid_v7(id);
	if ((in->set & PF_PRIMARY_PEER) && in->primary_peer &&
	    uuid_valid(in->primary_peer) && team_id[0] &&
	    (e = check_primary_peer(db, in->primary_peer, team_id, v)) !=
	    ERR_OK)
		goto fail;
	if ((in->set & PF_LINKS) && (e = check_links(db, a, NULL, in, v)) !=
	    ERR_OK)
		goto fail;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if ((e = sort_key(in->preferred_name, &sort)) != ERR_OK)
		goto fail;
	if ((e = db_prepare(db,
	    "INSERT INTO person (id, version, team_id, preferred_name,"
	    " sort_name, legal_name, pronouns, date_of_birth, phone, language,"
	    " primary_peer_id, status, created_at, created_by, updated_at,"
	    " updated_by) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " 'outreach', $11, $12, $11, $12)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, team_id);
	db_bind_text(st, 3, in->preferred_name);
	db_bind_text(st, 4, buf_cstr(&sort));
	db_bind_text(st, 5, (in->set & PF_LEGAL_NAME) ? in->legal_name : NULL);
	db_bind_text(st, 6, (in->set & PF_PRONOUNS) ? in->pronouns : NULL);
	db_bind_text(st, 7, (in->set & PF_DATE_OF_BIRTH) ?
	    in->date_of_birth : NULL);
	db_bind_text(st, 8, (in->set & PF_PHONE) ? in->phone : NULL);
	db_bind_text(st, 9, (in->set & PF_LANGUAGE) ? in->language : NULL);
	db_bind_text(st, 10, (in->set & PF_PRIMARY_PEER) ?
	    in->primary_peer : NULL);
	db_bind_int(st, 11, now);
	db_bind_text(st, 12, a->id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = write_names(db, id, team_id, in->preferred_name,
	    (in->set & PF_LEGAL_NAME) ? in->legal_name : NULL)) != ERR_OK)
		goto fail;
	if ((in->set & PF_CONTACTS) && (e = write_contacts(db, a, id,
	    in->contacts, in->ncontacts)) != ERR_OK)
		goto fail;
	if ((in->set & PF_LINKS) && (e = write_links(db, a, id, in->links,
	    in->nlinks)) != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, id, "person", id, "create", "success",
	    NULL)) != ERR_OK)
		goto fail;
	if ((e = load_person(db, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		person_clear(out);
	buf_free(&sort);
	return e;
fail:
	db_done(st);
	db_rollback(db);
	buf_free(&sort);
	return e;
}

enum err
person_get(struct db *db, const struct actor *a, const char *id,
    struct person *out)
{
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, id, "person", "read")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	/* Read on a snapshot, then record the read; nothing is returned
	 * unless the audit entry is committed. */
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load_person(db, id, out);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->id)) != ERR_OK) {
		person_clear(out);
		return deny(db, a, id, "person", "read", e);
	}
	if ((e = audit_actor_alone(db, a, id, "person", id, "read", "success",
	    NULL)) != ERR_OK)
		person_clear(out);
	return e;
}

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
add_field(struct buf *f, const char *name)
{
	if (f->len)
		buf_putc(f, ',');
	buf_puts(f, name);
}

enum err
person_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct person_input *in, struct verr *v,
    struct person *out, int64_t *current)
{
	static const struct {
		unsigned	 bit;
		const char	*col;
	} cols[] = {
		{ PF_PREFERRED_NAME, "preferred_name" },
		{ PF_LEGAL_NAME, "legal_name" },
		{ PF_PRONOUNS, "pronouns" },
		{ PF_DATE_OF_BIRTH, "date_of_birth" },
		{ PF_PHONE, "phone" },
		{ PF_LANGUAGE, "language" },
		{ PF_PRIMARY_PEER, "primary_peer_id" },
		{ PF_STATUS, "status" },
	};
	struct db_stmt *st = NULL;
	struct person cur;
	struct buf sql, fields, sort;
	char team_id[37];
	const char *vals[8], *olds[8];
	int64_t now = time_now_ms();
	size_t i;
	int p;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&cur, 0, sizeof cur);
	buf_init(&sql, 4096);
	buf_init(&fields, 512);
	buf_init(&sort, 0);
	if ((e = records_allowed(db, a, id, "person", "update")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	check_values(in, v);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		goto out;
	if ((e = load_person(db, id, &cur)) != ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, cur.team_id,
	    cur.id)) != ERR_OK) {
		e = deny(db, a, id, "person", "update", e);
		goto out;
	}
	if (current)
		*current = cur.version;
	if (cur.version != if_version) {
		e = ERR_STALE;
		goto fail;
	}
	snprintf(team_id, sizeof team_id, "%s", cur.team_id);
	if ((in->set & PF_TEAM) && in->team) {
		if ((e = resolve_team(db, a, in->team, team_id, v)) != ERR_OK)
			goto fail;
		if (!v->n && strcmp(team_id, cur.team_id) != 0 &&
		    (e = policy_check(a, POL_PERSON_MOVE, team_id)) != ERR_OK) {
			e = deny(db, a, id, "person", "move", e);
			goto out;
		}
	}
	if ((in->set & PF_STATUS) && is_status(in->status) &&
	    strcmp(in->status, cur.status) != 0 &&
	    !(strcmp(in->status, "outreach") == 0 &&
	    strcmp(cur.status, "discharged") == 0))
		verr_add(v, "status", "becomes active through enrollment and "
		    "discharged through discharge; only a discharged person "
		    "may return to outreach");
	{
		/* The primary peer must work on the team the person ends up
		 * on, whether either of them changed or not. */
		const char *peer = (in->set & PF_PRIMARY_PEER) ?
		    in->primary_peer : cur.primary_peer_id;

		if (peer && uuid_valid(peer) && !verr_has(v, "team") &&
		    ((in->set & PF_PRIMARY_PEER) ||
		    strcmp(team_id, cur.team_id) != 0) &&
		    (e = check_primary_peer(db, peer, team_id, v)) != ERR_OK)
			goto fail;
	}
	if ((in->set & PF_LINKS) && (e = check_links(db, a, id, in, v)) !=
	    ERR_OK)
		goto fail;
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	vals[0] = in->preferred_name;
	vals[1] = in->legal_name;
	vals[2] = in->pronouns;
	vals[3] = in->date_of_birth;
	vals[4] = in->phone;
	vals[5] = in->language;
	vals[6] = in->primary_peer;
	vals[7] = in->status;
	olds[0] = cur.preferred_name;
	olds[1] = cur.legal_name;
	olds[2] = cur.pronouns;
	olds[3] = cur.date_of_birth;
	olds[4] = cur.phone;
	olds[5] = cur.language;
	olds[6] = cur.primary_peer_id;
	olds[7] = cur.status;
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		if (!(in->set & cols[i].bit) || same(olds[i], vals[i]))
			continue;
		if ((e = keep_old_value(db, a, id, cur.version, i == 6 ?
		    "primary_peer" : cols[i].col, olds[i])) != ERR_OK)
			goto fail;
	}
	if (strcmp(team_id, cur.team_id) != 0 && (e = keep_old_value(db, a,
	    id, cur.version, "team", cur.team)) != ERR_OK)
		goto fail;
	buf_puts(&sql, "UPDATE person SET version = version + 1,"
	    " updated_at = $1, updated_by = $2, team_id = $3");
	p = 4;
	if (in->set & PF_PREFERRED_NAME)
		buf_printf(&sql, ", sort_name = $%d", p++);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (in->set & cols[i].bit) {
			buf_printf(&sql, ", %s = $%d", cols[i].col, p++);
			add_field(&fields, i == 6 ? "primary_peer" :
			    cols[i].col);
		}
	buf_printf(&sql, " WHERE id = $%d", p);
	if (strcmp(team_id, cur.team_id) != 0)
		add_field(&fields, "team");
	if (in->set & PF_CONTACTS)
		add_field(&fields, "contacts");
	if (in->set & PF_LINKS)
		add_field(&fields, "links");
	if ((e = db_prepare(db, db_intern(buf_cstr(&sql)), &st)) != ERR_OK)
		goto fail;
	p = 1;
	db_bind_int(st, p++, now);
	db_bind_text(st, p++, a->id);
	db_bind_text(st, p++, team_id);
	if (in->set & PF_PREFERRED_NAME) {
		if ((e = sort_key(in->preferred_name, &sort)) != ERR_OK)
			goto fail;
		db_bind_text(st, p++, buf_cstr(&sort));
	}
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		if (in->set & cols[i].bit)
			db_bind_text(st, p++, vals[i]);
	db_bind_text(st, p, id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if (((in->set & (PF_PREFERRED_NAME | PF_LEGAL_NAME)) ||
	    strcmp(team_id, cur.team_id) != 0) &&
	    (e = write_names(db, id, team_id, (in->set & PF_PREFERRED_NAME) ?
	    in->preferred_name : cur.preferred_name,
	    (in->set & PF_LEGAL_NAME) ? in->legal_name : cur.legal_name)) !=
	    ERR_OK)
		goto fail;
	if ((in->set & PF_CONTACTS) && (e = write_contacts(db, a, id,
	    in->contacts, in->ncontacts)) != ERR_OK)
		goto fail;
	if ((in->set & PF_LINKS) && (e = write_links(db, a, id, in->links,
	    in->nlinks)) != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, id, "person", id, "update", "success",
	    fields.len ? buf_cstr(&fields) : NULL)) != ERR_OK)
		goto fail;
	if ((e = load_person(db, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK) {
		person_clear(out);
		goto out;
	}
	if (current)
		*current = out->version;
	goto out;
fail:
	db_done(st);
	db_rollback(db);
out:
	person_clear(&cur);
	buf_free(&sql);
	buf_free(&fields);
	buf_free(&sort);
	return e;
}

void
person_summaries_free(struct person_summary *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].preferred_name);
		free(s[i].pronouns);
		free(s[i].team);
		free(s[i].status);
		free(s[i].primary_peer_id);
		free(s[i].primary_peer_name);
	}
	free(s);
}

struct words {
	int	n;
	char	lo[PERSON_MAX_QUERY_WORDS + 1][128];
	char	hi[PERSON_MAX_QUERY_WORDS + 1][128];
};

static void
collect_word(const char *tok, size_t len, void *arg)
{
	struct words *w = arg;

	if (w->n > PERSON_MAX_QUERY_WORDS)
		return;
	if (len > 120)
		len = 120;
	memcpy(w->lo[w->n], tok, len);
	w->lo[w->n][len] = '\0';
	/* Every token with this prefix sorts (bytewise) below the prefix
	 * followed by U+10FFFF, the highest code point; the bound stays
	 * valid UTF-8, which PostgreSQL insists on. */
	memcpy(w->hi[w->n], tok, len);
	memcpy(w->hi[w->n] + len, "\xF4\x8F\xBF\xBF", 5);
	w->n++;
}

enum err
person_list(struct db *db, const struct actor *a,
    const struct person_query *q, struct verr *v,
    struct person_summary **items, int *n, char next[37])
{
	struct db_stmt *st = NULL;
	struct person_summary *s = NULL;
	struct words w;
	struct buf sql, folded, teams;
	char team_id[37] = "", after_sort[4096] = "", detail[64];
	int row, p, i, limit = q->limit, count = 0;
	enum err e;

	*items = NULL;
	*n = 0;
	next[0] = '\0';
	memset(&w, 0, sizeof w);
	buf_init(&sql, 8192);
	buf_init(&folded, 1024);
	if (limit < 1 || limit > 200)
		verr_add(v, "limit", "must be between 1 and 200");
	if (q->status && !is_status(q->status))
		verr_add(v, "status", "must be one of outreach, active, "
		    "discharged");
	if (q->q) {
		if (!check_text(v, "q", q->q, 200, 0))
			;
		else if (text_fold(q->q, &folded) != ERR_OK)
			verr_add(v, "q", "is too long");
		else if (text_tokens(buf_cstr(&folded),
		    PERSON_MAX_QUERY_WORDS + 1, collect_word, &w) >
		    PERSON_MAX_QUERY_WORDS)
			verr_add(v, "q", "must have at most %d words",
			    PERSON_MAX_QUERY_WORDS);
	}
	if (q->after)
		check_uuid(v, "after", q->after, 0);
	/* The query runs on a read snapshot; only the audit entry takes the
	 * write lock, after it. */
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		goto out;
	if (q->team && (e = resolve_team(db, a, q->team, team_id, v)) !=
	    ERR_OK)
		goto fail;
	if (!verr_has(v, "team") && (e = policy_check(a, POL_PERSON_LIST,
	    team_id[0] ? team_id : NULL)) != ERR_OK) {
		e = deny(db, a, NULL, "roster", "list", e);
		goto out;
	}
	if (q->after && uuid_valid(q->after)) {
		char tid[37], status[16];
		int64_t version;

		/* The cursor names the last person of the page before; the
		 * page goes on after that person's place in name order. */
		e = person_head(db, q->after, tid, &version, status);
		if (e == ERR_OK && policy_check(a, POL_PERSON_READ, tid) !=
		    ERR_OK)
			e = ERR_NOT_FOUND;
		if (e == ERR_NOT_FOUND) {
			verr_add(v, "after", "is not a cursor from this list");
			e = ERR_OK;
		} else if (e != ERR_OK) {
			goto fail;
		} else {
			if ((e = db_prepare(db,
			    "SELECT sort_name FROM person WHERE id = $1",
			    &st)) != ERR_OK)
				goto fail;
			db_bind_text(st, 1, q->after);
			if ((e = db_step(st, &row)) != ERR_OK)
				goto fail;
			snprintf(after_sort, sizeof after_sort, "%s",
			    row ? db_col_text(st, 0) : "");
			db_done(st);
			st = NULL;
		}
	}
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	/* Only the filters in use appear in the SQL, so each shape of query
	 * gets its own plan and the statement cache keeps them all. */
	buf_puts(&sql,
	    "SELECT p.id, p.version, p.preferred_name, p.pronouns, t.name,"
	    " p.status, p.primary_peer_id, s.display_name, p.updated_at"
	    " FROM person p JOIN team t ON t.id = p.team_id"
	    " LEFT JOIN staff s ON s.id = p.primary_peer_id");
	/* The teams are spelled out (one team: "=", which walks the
	 * (team_id, sort_name, id) index in order and stops at the limit). */
	p = 1;
	buf_init(&teams, 1024);
	if (team_id[0] || a->nteams == 1) {
		buf_printf(&teams, "= $%d", p++);
	} else {
		buf_puts(&teams, "IN (");
		for (i = 0; i < a->nteams; i++)
			buf_printf(&teams, "%s$%d", i ? ", " : "", p++);
		buf_putc(&teams, ')');
	}
	buf_printf(&sql, " WHERE p.team_id %s", buf_cstr(&teams));
	if (q->status)
		buf_printf(&sql, " AND p.status = $%d", p++);
	if (q->after) {
		buf_printf(&sql, " AND (p.sort_name > $%d OR (p.sort_name = $%d"
		    " AND p.id > $%d))", p, p, p + 1);
		p += 2;
	}
	/* Each word: a range of the teams' own tokens, whatever the size
	 * of the state. */
	for (i = 0; i < w.n; i++) {
		buf_printf(&sql, " AND p.id IN (SELECT person_id"
		    " FROM person_name_token WHERE team_id %s"
		    " AND token >= $%d AND token < $%d)", buf_cstr(&teams), p,
		    p + 1);
		p += 2;
	}
	buf_free(&teams);
	buf_printf(&sql, " ORDER BY p.sort_name, p.id LIMIT $%d", p);
	s = xcalloc((size_t)limit + 1, sizeof *s);
	if (!team_id[0] && a->nteams == 0)
		goto done;	/* on no team: an empty roster */
	if ((e = db_prepare(db, db_intern(buf_cstr(&sql)), &st)) != ERR_OK)
		goto fail;
	p = 1;
	if (team_id[0]) {
		db_bind_text(st, p++, team_id);
	} else {
		for (i = 0; i < a->nteams; i++)
			db_bind_text(st, p++, a->teams[i]);
	}
	if (q->status)
		db_bind_text(st, p++, q->status);
	if (q->after) {
		db_bind_text(st, p++, after_sort);
		db_bind_text(st, p++, q->after);
	}
	for (i = 0; i < w.n; i++) {
		db_bind_text(st, p++, w.lo[i]);
		db_bind_text(st, p++, w.hi[i]);
	}
	db_bind_int(st, p, limit + 1);
	for (;;) {
		struct person_summary *r;

		if ((e = db_step(st, &row)) != ERR_OK)
			goto fail;
		if (!row)
			break;
		if (count == limit) {
			snprintf(next, 37, "%s", s[count - 1].id);
			break;
		}
		r = &s[count++];
		snprintf(r->id, sizeof r->id, "%s", db_col_text(st, 0));
		r->version = db_col_int(st, 1);
		r->preferred_name = db_col_dup(st, 2);
		r->pronouns = db_col_dup(st, 3);
		r->team = db_col_dup(st, 4);
		r->status = db_col_dup(st, 5);
		r->primary_peer_id = db_col_dup(st, 6);
		r->primary_peer_name = db_col_dup(st, 7);
		r->updated_at = db_col_int(st, 8);
	}
	db_done(st);
	st = NULL;
done:
	db_rollback(db);	/* ends the read snapshot */
	snprintf(detail, sizeof detail, "count=%d", count);
	if ((e = audit_actor_alone(db, a, NULL, "roster", team_id[0] ?
	    team_id : NULL, "list", "success", detail)) != ERR_OK)
		goto fail_free;
	*items = s;
	*n = count;
	goto out;
fail:
	db_done(st);
	db_rollback(db);
fail_free:
	person_summaries_free(s, count);
	next[0] = '\0';
out:
	buf_free(&sql);
	buf_free(&folded);
	return e;
}

/* The person's open episode, if any, and the last discharge date. */
static enum err
episode_state(struct db *db, const char *person_id, int *open,
    char last_discharge[11])
{
	struct db_stmt *st;
	enum err e;
	int row;

	*open = 0;
	last_discharge[0] = '\0';
	if ((e = db_prepare(db,
	    "SELECT count(*) - count(discharge_date), max(discharge_date)"
	    " FROM episode WHERE person_id = $1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK && row) {
		*open = db_col_int(st, 0) > 0;
		if (!db_col_is_null(st, 1))
			snprintf(last_discharge, 11, "%s", db_col_text(st, 1));
	}
	db_done(st);
	return e;
}

static enum err
set_person_status(struct db *db, const struct actor *a, const char *id,
    const char *status)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db,
	    "UPDATE person SET status = $1, version = version + 1,"
	    " updated_at = $2, updated_by = $3 WHERE id = $4", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, status);
	db_bind_int(st, 2, time_now_ms());
	db_bind_text(st, 3, a->id);
	db_bind_text(st, 4, id);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

static enum err
load_episode(struct db *db, const char *person_id, const char *id,
    struct episode *out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT " EPISODE_COLS " FROM episode"
	    " WHERE id = $1 AND person_id = $2", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			fill_episode(st, out);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

enum err
episode_start(struct db *db, const struct actor *a, const char *person_id,
    const struct episode_input *in, struct verr *v, struct episode *out)
{
	const struct rules *r = rules_get();
	struct db_stmt *st = NULL;
	struct date agreed, intake;
	char team_id[37], status[16], id[37], last[11];
	int64_t version, now = time_now_ms();
	int open, have_agreed, have_intake;
	enum err e;

	memset(out, 0, sizeof *out);
	if ((e = records_allowed(db, a, person_id, "episode", "create")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	have_agreed = check_date(v, "agreement_date", in->agreement_date,
	    CHECK_REQUIRED, 1, &agreed);
	check_text(v, "agreement_witness", in->agreement_witness,
	    PERSON_NAME_MAX, CHECK_REQUIRED);
	have_intake = check_date(v, "intake_date", in->intake_date,
	    CHECK_REQUIRED, 1, &intake);
	if (have_agreed && have_intake && date_cmp(agreed, intake) > 0)
		verr_add(v, "agreement_date", "must be on or before the intake "
		    "date: services start with the person's agreement");
	if (in->referral_source == NULL)
		verr_add(v, "referral_source", "is required");
	else if (!rules_has(r->referral_sources, r->nreferral_sources,
	    in->referral_source))
		verr_add(v, "referral_source", "must be a code from the "
		    "referral source list");
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = person_head(db, person_id, team_id, &version, status)) !=
	    ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, "episode", "create", e);
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	if ((e = episode_state(db, person_id, &open, last)) != ERR_OK)
		goto fail;
	if (open) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (last[0] && strcmp(in->intake_date, last) < 0) {
		verr_add(v, "intake_date", "must not be before the end of the "
		    "last episode");
		e = ERR_INVALID;
		goto fail;
	}
	uuid_v7(id);
	if ((e = db_prepare(db,
	    "INSERT INTO episode (id, person_id, version, agreement_date,"
	    " agreement_witness, intake_date, referral_source, rules_version,"
	    " created_at, created_by, updated_at, updated_by, part2)"
	    " VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $8, $9, $10)",
	    &st)) !=
	    ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, in->agreement_date);
	db_bind_text(st, 4, in->agreement_witness);
	db_bind_text(st, 5, in->intake_date);
	db_bind_text(st, 6, in->referral_source);
	db_bind_text(st, 7, r->episode_version ? r->episode_version : "none");
	db_bind_int(st, 8, now);
	db_bind_text(st, 9, a->id);
	db_bind_int(st, 10, in->part2 != 0);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = set_person_status(db, a, person_id, "active")) != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, person_id, "episode", id, "create",
	    "success", "enroll")) != ERR_OK)
		goto fail;
	if ((e = load_episode(db, person_id, id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		episode_clear(out);
	return e;
fail:
	db_done(st);
	db_rollback(db);
	return e;
}

enum err
episode_discharge(struct db *db, const struct actor *a,
    const char *person_id, const char *episode_id, int64_t if_version,
    const struct discharge_input *in, struct verr *v, struct episode *out,
    int64_t *current)
{
	const struct rules *r = rules_get();
	struct db_stmt *st = NULL;
	struct episode cur;
	struct date left, intake;
	char team_id[37], status[16], due[11];
	int64_t version;
	int have_left;
	enum err e;

	memset(out, 0, sizeof *out);
	memset(&cur, 0, sizeof cur);
	if ((e = records_allowed(db, a, person_id, "episode", "update")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(person_id) || !uuid_valid(episode_id))
		return ERR_NOT_FOUND;
	have_left = check_date(v, "discharge_date", in->discharge_date,
	    CHECK_REQUIRED, 1, &left);
	if (in->reason == NULL)
		verr_add(v, "reason", "is required");
	else if (!rules_has(r->discharge_reasons, r->ndischarge_reasons,
	    in->reason))
		verr_add(v, "reason", "must be a code from the discharge "
		    "reason list");
	if (in->exit_strategy == NULL)
		verr_add(v, "exit_strategy", "is required");
	else if (!rules_has(r->exit_strategies, r->nexit_strategies,
	    in->exit_strategy))
		verr_add(v, "exit_strategy", "must be a code from the exit "
		    "strategy list");
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = person_head(db, person_id, team_id, &version, status)) !=
	    ERR_OK)
		goto fail;
	if ((e = record_policy(a, POL_PERSON_UPDATE, team_id,
	    person_id)) != ERR_OK)
		return deny(db, a, person_id, "episode", "update", e);
	if ((e = load_episode(db, person_id, episode_id, &cur)) != ERR_OK)
		goto fail;
	if (current)
		*current = cur.version;
	if (cur.version != if_version) {
		e = ERR_STALE;
		goto fail;
	}
	if (cur.discharge_date != NULL) {
		e = ERR_CONFLICT;
		goto fail;
	}
	if (have_left && date_parse(cur.intake_date, &intake) == ERR_OK &&
	    date_cmp(left, intake) < 0)
		verr_add(v, "discharge_date", "must not be before the intake "
		    "date");
	if (v->n) {
		e = ERR_INVALID;
		goto fail;
	}
	date_format(date_add_days(left, r->follow_up_days), due);
	if ((e = db_prepare(db,
	    "UPDATE episode SET discharge_date = $1, discharge_reason = $2,"
	    " exit_strategy = $3, follow_up_due = $4, rules_version = $5,"
	    " version = version + 1, updated_at = $6, updated_by = $7"
	    " WHERE id = $8", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, in->discharge_date);
	db_bind_text(st, 2, in->reason);
	db_bind_text(st, 3, in->exit_strategy);
	db_bind_text(st, 4, due);
	db_bind_text(st, 5, r->episode_version ? r->episode_version : "none");
	db_bind_int(st, 6, time_now_ms());
	db_bind_text(st, 7, a->id);
	db_bind_text(st, 8, episode_id);
	if ((e = db_run(st, NULL)) != ERR_OK)
		goto fail;
	db_done(st);
	st = NULL;
	if ((e = set_person_status(db, a, person_id, "discharged")) != ERR_OK)
		goto fail;
	if ((e = audit_actor(db, a, person_id, "episode", episode_id,
	    "update", "success", "discharge")) != ERR_OK)
		goto fail;
	if ((e = load_episode(db, person_id, episode_id, out)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK) {
		episode_clear(out);
		goto out;
	}
	if (current)
		*current = out->version;
	goto out;
fail:
	db_done(st);
	db_rollback(db);
out:
	episode_clear(&cur);
	return e;
}
