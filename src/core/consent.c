#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/audit.h"
#include "access/policy.h"
#include "core/check.h"
#include "core/consent.h"
#include "core/record.h"
#include "core/rules.h"
#include "util/buf.h"
#include "util/parse.h"
#include "util/text.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

void
consent_clear(struct consent_rec *c)
{
	int i;

	free(c->kind);
	free(c->person_name);
	free(c->disclosers);
	free(c->information);
	free(c->intermediary);
	free(c->categories);
	free(c->purposes);
	free(c->purpose_text);
	free(c->expires_on);
	free(c->expiry_event);
	free(c->signer_name);
	free(c->signer_authority);
	free(c->signed_on);
	free(c->revoked_on);
	free(c->revocation_method);
	free(c->revocation_note);
	free(c->revoked_by_name);
	free(c->rules_version);
	free(c->recorded_by_name);
	for (i = 0; i < c->nrecipients; i++) {
		free(c->recipients[i].name);
		free(c->recipients[i].address);
	}
	free(c->recipients);
	memset(c, 0, sizeof *c);
}

void
consents_free(struct consent_rec *c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		consent_clear(&c[i]);
	free(c);
}

void
disclosure_clear(struct disclosure_rec *d)
{
	free(d->basis);
	free(d->consent_id);
	free(d->consent_kind);
	free(d->recipient_name);
	free(d->recipient_address);
	free(d->information);
	free(d->categories);
	free(d->purpose);
	free(d->method);
	free(d->notice_code);
	free(d->notice_version);
	free(d->discloser_name);
	free(d->emergency_facility);
	free(d->emergency_nature);
	memset(d, 0, sizeof *d);
}

void
disclosures_free(struct disclosure_rec *d, int n)
{
	int i;

	for (i = 0; i < n; i++)
		disclosure_clear(&d[i]);
	free(d);
}

/* ---- small helpers ------------------------------------------------ */

/* 1 when code is in the comma-separated list csv. */
static int
csv_has(const char *csv, const char *code)
{
	size_t n = strlen(code);
	const char *p = csv;

	while (p != NULL && *p) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && strncmp(p, code, n) == 0)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

static char *
join(const char *const *codes, int n)
{
	struct buf b;
	char *s;
	int i;

	if (n <= 0)
		return NULL;
	buf_init(&b, 128);
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? "," : "", codes[i]);
	s = buf_take(&b);
	buf_free(&b);
	return s;
}

/* A name folded for matching (case and accents), in a new string. */
static char *
folded(const char *s)
{
	struct buf b;
	char *out;

	buf_init(&b, 128);
	if (text_fold(s ? s : "", &b) != ERR_OK) {
		buf_free(&b);
		return xstrdup("");
	}
	out = buf_take(&b);
	buf_free(&b);
	return out;
}

static const char *
label_of(const struct code_label *l, int n, const char *code)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].code, code) == 0)
			return l[i].label;
	return code;
}

/* ---- reading ------------------------------------------------------ */

#define CONSENT_COLS "c.id, c.version, c.person_id, p.team_id, c.kind," \
	" c.part2, c.discloses, c.person_name, c.disclosers, c.information," \
	" c.intermediary, c.categories, c.purposes, c.purpose_text," \
	" c.revocation_statement, c.expires_on, c.expiry_event," \
	" c.signer_name, c.signer_authority, c.signed_on," \
	" c.conditioning_statement, c.redisclosure_statement, c.revoked_on," \
	" c.revocation_method, c.revocation_note, rb.display_name," \
	" c.revoked_at, c.rules_version, s.display_name, c.created_at" \
	" FROM consent c JOIN person p ON p.id = c.person_id" \
	" JOIN staff s ON s.id = c.recorded_by" \
	" LEFT JOIN staff rb ON rb.id = c.revoked_by"

/* Fills c from a row of CONSENT_COLS; an error when a sealed part does
 * not open. */
static enum err
fill(struct db_stmt *st, struct consent_rec *c)
{
	enum err e = ERR_OK;

	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", db_col_text(st, 0));
	c->version = db_col_int(st, 1);
	snprintf(c->person_id, sizeof c->person_id, "%s", db_col_text(st, 2));
	snprintf(c->team_id, sizeof c->team_id, "%s", db_col_text(st, 3));
	c->kind = db_col_dup(st, 4);
	c->part2 = (int)db_col_int(st, 5);
	c->discloses = (int)db_col_int(st, 6);
	c->person_name = db_col_dup(st, 7);
	c->disclosers = db_col_dup(st, 8);
	c->information = db_col_unsealed(st, 9, "consent.information", &e);
	c->intermediary = db_col_dup(st, 10);
	c->categories = db_col_dup(st, 11);
	c->purposes = db_col_dup(st, 12);
	c->purpose_text = db_col_unsealed(st, 13, "consent.purpose_text", &e);
	c->revocation_statement = (int)db_col_int(st, 14);
	c->expires_on = db_col_dup(st, 15);
	c->expiry_event = db_col_dup(st, 16);
	c->signer_name = db_col_dup(st, 17);
	c->signer_authority = db_col_dup(st, 18);
	c->signed_on = db_col_dup(st, 19);
	c->conditioning_statement = (int)db_col_int(st, 20);
	c->redisclosure_statement = (int)db_col_int(st, 21);
	c->revoked_on = db_col_dup(st, 22);
	c->revocation_method = db_col_dup(st, 23);
	c->revocation_note = db_col_unsealed(st, 24, "consent.revocation_note",
	    &e);
	c->revoked_by_name = db_col_dup(st, 25);
	c->revoked_at = db_col_int(st, 26);
	c->rules_version = db_col_dup(st, 27);
	c->recorded_by_name = db_col_dup(st, 28);
	c->created_at = db_col_int(st, 29);
	return e;
}

static enum err
load_recipients(struct db *db, struct consent_rec *c)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	if ((e = db_prepare(db, "SELECT name, address FROM consent_recipient"
	    " WHERE consent_id = $1 ORDER BY position", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, c->id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (c->nrecipients == cap) {
			cap = cap ? cap * 2 : 4;
			c->recipients = xreallocarray(c->recipients,
			    (size_t)cap, sizeof *c->recipients);
		}
		c->recipients[c->nrecipients].name = db_col_dup(st, 0);
		c->recipients[c->nrecipients++].address = db_col_dup(st, 1);
	}
	db_done(st);
	return e;
}

/* 1 when the person has an open episode (services have not ended). */
static enum err
in_services(struct db *db, const char *person_id, int *open)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*open = 0;
	if ((e = db_prepare(db, "SELECT 1 FROM episode WHERE person_id = $1"
	    " AND discharge_date IS NULL", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK)
		*open = row;
	db_done(st);
	return e;
}

/* Its standing today: revoked, expired (by date, or by the end of
 * services), not yet signed, or active. *open caches whether the person
 * has an open episode: -1 until asked, for the consents of one person. */
static enum err
standing(struct db *db, struct consent_rec *c, int *open)
{
	char today[11];
	enum err e;

	date_format(time_today(), today);
	if (c->revoked_on != NULL && strcmp(c->revoked_on, today) <= 0) {
		c->status = "revoked";
		return ERR_OK;
	}
	if (c->signed_on != NULL && strcmp(c->signed_on, today) > 0) {
		c->status = "not_yet";
		return ERR_OK;
	}
	if (c->expires_on != NULL && strcmp(c->expires_on, today) < 0) {
		c->status = "expired";
		return ERR_OK;
	}
	c->status = "active";
	if (c->expiry_event != NULL &&
	    strcmp(c->expiry_event, "end_of_treatment") == 0) {
		if (*open < 0 && (e = in_services(db, c->person_id, open)) !=
		    ERR_OK)
			return e;
		if (!*open)
			c->status = "expired";
	}
	return ERR_OK;
}

static enum err
load(struct db *db, const char *id, struct consent_rec *c, int *open)
{
	struct db_stmt *st;
	enum err e;
	int row;

	memset(c, 0, sizeof *c);
	if ((e = db_prepare(db, "SELECT " CONSENT_COLS " WHERE c.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			e = fill(st, c);
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	if (e == ERR_OK && (e = load_recipients(db, c)) == ERR_OK)
		e = standing(db, c, open);
	if (e != ERR_OK)
		consent_clear(c);
	return e;
}

enum err
consent_get(struct db *db, const struct actor *a, const char *id,
    struct consent_rec *out)
{
	enum err e;
	int open = -1;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "consent", NULL, id, "read")) != ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, DB_TX_READ)) != ERR_OK)
		return e;
	e = load(db, id, out, &open);
	db_rollback(db);
	if (e != ERR_OK)
		return e;
	if ((e = record_policy(a, POL_PERSON_READ, out->team_id,
	    out->person_id)) != ERR_OK) {
		char person[37];

		snprintf(person, sizeof person, "%s", out->person_id);
		consent_clear(out);
		return record_deny(db, a, person, "consent", id, "read", e);
	}
	if ((e = audit_actor_alone(db, a, out->person_id, "consent", id,
	    "read", "success", NULL)) != ERR_OK)
		consent_clear(out);
	return e;
}

/* Opens a read of the person's record after the policy check. */
static enum err
begin_person(struct db *db, const struct actor *a, const char *person_id,
    const char *object, const char *action, enum db_tx tx,
    enum policy_action act)
{
	char team[37];
	enum err e;

	if ((e = record_allowed(db, a, object, person_id, NULL, action)) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(person_id))
		return ERR_NOT_FOUND;
	if ((e = db_begin(db, tx)) != ERR_OK)
		return e;
	if ((e = record_person_team(db, person_id, team)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	if ((e = record_policy(a, act, team, person_id)) != ERR_OK)
		return record_deny(db, a, person_id, object, NULL, action, e);
	return ERR_OK;
}

enum err
consent_list(struct db *db, const struct actor *a, const char *person_id,
    struct consent_rec **items, int *n)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0, i, open;

	*items = NULL;
	*n = 0;
	open = -1;
	if ((e = begin_person(db, a, person_id, "consent", "list", DB_TX_READ,
	    POL_PERSON_READ)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT " CONSENT_COLS " WHERE c.person_id = $1"
	    " ORDER BY c.signed_on DESC, c.id DESC LIMIT $2", &st)) != ERR_OK)
		goto out;
	db_bind_text(st, 1, person_id);
	db_bind_int(st, 2, CONSENT_LIST_MAX);
	while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK && row) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 8;
			*items = xreallocarray(*items, (size_t)cap,
			    sizeof **items);
		}
		e = fill(st, &(*items)[(*n)++]);
	}
	db_done(st);
	for (i = 0; e == ERR_OK && i < *n; i++)
		if ((e = load_recipients(db, &(*items)[i])) == ERR_OK)
			e = standing(db, &(*items)[i], &open);
out:
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "consent", NULL, "list",
		    "success", NULL);
	if (e != ERR_OK) {
		consents_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}

/* ---- recording ---------------------------------------------------- */

static void
check_codes(struct verr *v, const char *field, const char *const *codes,
    int n, const struct code_label *list, int nlist, const char *what)
{
	char f[48];
	int i, j;

	if (n > CONSENT_CODES_MAX)
		verr_add(v, field, "must name at most %d", CONSENT_CODES_MAX);
	for (i = 0; i < n && i < CONSENT_CODES_MAX; i++) {
		snprintf(f, sizeof f, "%s[%d]", field, i);
		if (codes[i] == NULL || !rules_has(list, nlist, codes[i]))
			verr_add(v, f, "must be one of the %s", what);
		for (j = 0; j < i; j++)
			if (codes[i] && codes[j] &&
			    strcmp(codes[i], codes[j]) == 0)
				verr_add(v, f, "repeats itself");
	}
}

/* Values that are wrong whatever the kind. */
static void
check_values(const struct consent_input *in, struct verr *v)
{
	const struct consent_rules *cr = &rules_get()->consents;
	struct date d;
	char f[48];
	int i;

	if (in->kind == NULL)
		verr_add(v, "kind", "is required");
	else if (consent_kind_find(cr, in->kind) == NULL)
		verr_add(v, "kind", "must be one of the kinds of consent");
	check_text(v, "person_name", in->person_name, CONSENT_SHORT_MAX, 0);
	check_text(v, "disclosers", in->disclosers, CONSENT_SHORT_MAX, 0);
	check_text(v, "information", in->information, CONSENT_TEXT_MAX,
	    CHECK_MULTILINE);
	check_text(v, "intermediary", in->intermediary, CONSENT_SHORT_MAX, 0);
	check_text(v, "purpose_text", in->purpose_text, CONSENT_TEXT_MAX,
	    CHECK_MULTILINE);
	check_text(v, "signer_name", in->signer_name, CONSENT_SHORT_MAX, 0);
	check_codes(v, "categories", in->categories, in->ncategories,
	    cr->categories, cr->ncategories, "categories of information");
	check_codes(v, "purposes", in->purposes, in->npurposes, cr->purposes,
	    cr->npurposes, "purposes");
	if (in->signer_authority != NULL && !rules_has(cr->authorities,
	    cr->nauthorities, in->signer_authority))
		verr_add(v, "signer_authority", "must be one of the signer's "
		    "authorities");
	if (in->expiry_event != NULL && !rules_has(cr->expiry_events,
	    cr->nexpiry_events, in->expiry_event))
		verr_add(v, "expiry_event", "must be one of the expiry events");
	if (in->expires_on != NULL && in->expiry_event != NULL)
		verr_add(v, "expiry_event", "is for a consent without an "
		    "expiry date: give one or the other");
	if (in->signed_on != NULL)
		check_date(v, "signed_on", in->signed_on, 0, 1, &d);
	if (in->expires_on != NULL && check_date(v, "expires_on",
	    in->expires_on, 0, 0, &d) && in->signed_on != NULL &&
	    strcmp(in->expires_on, in->signed_on) < 0)
		verr_add(v, "expires_on", "must not be before it was signed");
	if (in->nrecipients > CONSENT_RECIPIENTS_MAX)
		verr_add(v, "recipients", "must name at most %d",
		    CONSENT_RECIPIENTS_MAX);
	for (i = 0; i < in->nrecipients && i < CONSENT_RECIPIENTS_MAX; i++) {
		snprintf(f, sizeof f, "recipients[%d].name", i);
		check_text(v, f, in->recipients[i].name, CONSENT_SHORT_MAX,
		    CHECK_REQUIRED);
		snprintf(f, sizeof f, "recipients[%d].address", i);
		check_text(v, f, in->recipients[i].address, CONSENT_SHORT_MAX,
		    0);
	}
}

/* The elements the kind requires that are missing, into v. */
static void
check_required(const struct consent_kind *k, const struct consent_input *in,
    struct verr *v)
{
	const struct consent_rules *cr = &rules_get()->consents;
	int i, j, has[CE__COUNT];

	has[CE_PERSON_NAME] = !text_blank(in->person_name);
	has[CE_DISCLOSERS] = !text_blank(in->disclosers);
	has[CE_RECIPIENTS] = in->nrecipients > 0;
	has[CE_INFORMATION] = !text_blank(in->information);
	has[CE_CATEGORIES] = in->ncategories > 0;
	has[CE_PURPOSES] = in->npurposes > 0;
	has[CE_REVOCATION_STATEMENT] = in->revocation_statement == 1;
	has[CE_EXPIRY] = in->expires_on != NULL || in->expiry_event != NULL;
	has[CE_SIGNER_NAME] = !text_blank(in->signer_name);
	has[CE_SIGNER_AUTHORITY] = in->signer_authority != NULL;
	has[CE_SIGNED_ON] = in->signed_on != NULL;
	has[CE_CONDITIONING_STATEMENT] = in->conditioning_statement == 1;
	has[CE_REDISCLOSURE_STATEMENT] = in->redisclosure_statement == 1;
	for (i = 0; i < CE__COUNT; i++)
		if ((k->required & (1u << i)) && !has[i])
			verr_add(v, consent_element_codes[i], "is required for "
			    "this kind of consent (%s)", cr->element_labels[i] ?
			    cr->element_labels[i] : consent_element_codes[i]);
	if (in->expiry_event != NULL) {
		for (j = 0; j < k->nexpiry_events; j++)
			if (strcmp(k->expiry_events[j], in->expiry_event) == 0)
				break;
		if (j == k->nexpiry_events)
			verr_add(v, "expiry_event", "is not an expiry this kind "
			    "of consent allows");
	}
	for (i = 0; k->npurposes_within > 0 && i < in->npurposes; i++) {
		for (j = 0; j < k->npurposes_within; j++)
			if (in->purposes[i] && strcmp(k->purposes_within[j],
			    in->purposes[i]) == 0)
				break;
		if (j == k->npurposes_within) {
			char f[48];

			snprintf(f, sizeof f, "purposes[%d]", i);
			verr_add(v, f, "is outside what this kind of consent "
			    "covers");
		}
	}
}

enum err
consent_create(struct db *db, const struct actor *a, const char *person_id,
    const struct consent_input *in, struct verr *v, const char **rule,
    struct consent_rec *out)
{
	const struct rules *r = rules_get();
	const struct consent_kind *k;
	struct db_stmt *st;
	char id[37], detail[64], *cats, *purps;
	int64_t now = time_now_ms();
	enum err e;
	int open = -1;
	int i;

	memset(out, 0, sizeof *out);
	*rule = NULL;
	check_values(in, v);
	if ((e = begin_person(db, a, person_id, "consent", "create",
	    DB_TX_WRITE, POL_PERSON_UPDATE)) != ERR_OK)
		return e;
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	k = consent_kind_find(&r->consents, in->kind);
	check_required(k, in, v);
	if (v->n) {
		*rule = k->rule;
		db_rollback(db);
		return ERR_RULE;
	}
	uuid_v7(id);
	cats = join(in->categories, in->ncategories);
	purps = join(in->purposes, in->npurposes);
	if ((e = db_prepare(db, "INSERT INTO consent (id, version, person_id,"
	    " kind, part2, discloses, person_name, disclosers, information,"
	    " intermediary, categories, purposes, purpose_text,"
	    " revocation_statement, expires_on, expiry_event, signer_name,"
	    " signer_authority, signed_on, conditioning_statement,"
	    " redisclosure_statement, rules_version, recorded_by, created_at,"
	    " updated_at) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
	    " $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23,"
	    " $23)", &st)) == ERR_OK) {
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, person_id);
		db_bind_text(st, 3, k->code);
		db_bind_int(st, 4, k->part2);
		db_bind_int(st, 5, k->discloses);
		db_bind_text(st, 6, in->person_name);
		db_bind_text(st, 7, in->disclosers);
		db_bind_sealed(st, 8, "consent.information", in->information);
		db_bind_text(st, 9, in->intermediary);
		db_bind_text(st, 10, cats);
		db_bind_text(st, 11, purps);
		db_bind_sealed(st, 12, "consent.purpose_text", in->purpose_text);
		db_bind_int(st, 13, in->revocation_statement == 1);
		db_bind_text(st, 14, in->expires_on);
		db_bind_text(st, 15, in->expiry_event);
		db_bind_text(st, 16, in->signer_name);
		db_bind_text(st, 17, in->signer_authority);
		db_bind_text(st, 18, in->signed_on);
		db_bind_int(st, 19, in->conditioning_statement == 1);
		db_bind_int(st, 20, in->redisclosure_statement == 1);
		db_bind_text(st, 21, r->consents.version);
		db_bind_text(st, 22, a->id);
		db_bind_int(st, 23, now);
		e = db_run(st, NULL);
		db_done(st);
	}
	free(cats);
	free(purps);
	for (i = 0; e == ERR_OK && i < in->nrecipients; i++) {
		char *f = folded(in->recipients[i].name);

		if ((e = db_prepare(db, "INSERT INTO consent_recipient"
		    " (consent_id, position, name, name_folded, address)"
		    " VALUES ($1, $2, $3, $4, $5)", &st)) == ERR_OK) {
			db_bind_text(st, 1, id);
			db_bind_int(st, 2, i);
			db_bind_text(st, 3, in->recipients[i].name);
			db_bind_text(st, 4, f);
			db_bind_text(st, 5, !text_blank(in->recipients[i].address) ?
			    in->recipients[i].address : NULL);
			e = db_run(st, NULL);
			db_done(st);
		}
		free(f);
	}
	snprintf(detail, sizeof detail, "kind=%.40s", k->code);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "consent", id, "create",
		    "success", detail);
	if (e == ERR_OK && (e = load(db, id, out, &open)) == ERR_OK &&
	    (e = db_commit(db)) != ERR_OK)
		consent_clear(out);
	if (e != ERR_OK)
		db_rollback(db);
	return e;
}

enum err
consent_revoke(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *revoked_on, const char *method,
    const char *note, struct verr *v, struct consent_rec *out,
    int64_t *current)
{
	const struct consent_rules *cr = &rules_get()->consents;
	struct consent_rec cur;
	struct db_stmt *st;
	struct date d;
	char person[37];
	enum err e;
	int open = -1;

	memset(out, 0, sizeof *out);
	if ((e = record_allowed(db, a, "consent", NULL, id, "revoke")) !=
	    ERR_OK)
		return e;
	if (!uuid_valid(id))
		return ERR_NOT_FOUND;
	if (revoked_on == NULL)
		verr_add(v, "revoked_on", "is required");
	else
		check_date(v, "revoked_on", revoked_on, 0, 1, &d);
	if (method == NULL)
		verr_add(v, "method", "is required");
	else if (!rules_has(cr->revocation_methods, cr->nrevocation_methods,
	    method))
		verr_add(v, "method", "must be one of the ways to revoke");
	check_text(v, "note", note, CONSENT_TEXT_MAX, CHECK_MULTILINE);
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = load(db, id, &cur, &open)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	snprintf(person, sizeof person, "%s", cur.person_id);
	if ((e = record_policy(a, POL_PERSON_UPDATE, cur.team_id,
	    cur.person_id)) != ERR_OK) {
		consent_clear(&cur);
		return record_deny(db, a, person, "consent", id, "revoke", e);
	}
	if (if_version >= 0 && cur.version != if_version) {
		*current = cur.version;
		e = ERR_STALE;
	} else if (cur.revoked_on != NULL) {
		e = ERR_CONFLICT;
	} else if (v->n) {
		e = ERR_INVALID;
	} else if (revoked_on != NULL && cur.signed_on != NULL &&
	    strcmp(revoked_on, cur.signed_on) < 0) {
		verr_add(v, "revoked_on", "must not be before it was signed");
		e = ERR_INVALID;
	}
	consent_clear(&cur);
	if (e != ERR_OK)
		goto fail;
	if ((e = db_prepare(db, "UPDATE consent SET revoked_on = $1,"
	    " revocation_method = $2, revocation_note = $3, revoked_by = $4,"
	    " revoked_at = $5, updated_at = $5, version = version + 1"
	    " WHERE id = $6", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, revoked_on);
	db_bind_text(st, 2, method);
	db_bind_sealed(st, 3, "consent.revocation_note", note);
	db_bind_text(st, 4, a->id);
	db_bind_int(st, 5, time_now_ms());
	db_bind_text(st, 6, id);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = audit_actor(db, a, person, "consent", id, "revoke",
		    "success", method);
	if (e != ERR_OK || (e = load(db, id, out, &open)) != ERR_OK)
		goto fail;
	if ((e = db_commit(db)) != ERR_OK)
		consent_clear(out);
	return e;
fail:
	db_rollback(db);
	return e;
}

/* ---- the disclosure check ----------------------------------------- */

/* 1 when an episode of the person is marked as Part 2. */
static enum err
record_part2(struct db *db, const char *person_id, int *part2)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*part2 = 0;
	if ((e = db_prepare(db, "SELECT 1 FROM episode WHERE person_id = $1"
	    " AND part2 = 1", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	if ((e = db_step(st, &row)) == ERR_OK)
		*part2 = row;
	db_done(st);
	return e;
}

/* Keeps the reason of the consent that came nearest to covering the
 * request: the higher rank got further through the checks. */
static void
refuse(struct disclosure_answer *ans, int rank, int *best, const char *field,
    const char *fmt, const char *arg)
{
	if (rank <= *best)
		return;
	*best = rank;
	ans->field = field;
	snprintf(ans->reason, sizeof ans->reason, fmt, arg ? arg : "");
}

enum err
disclosure_check(struct db *db, const char *person_id,
    const struct disclosure_request *q, struct disclosure_answer *ans)
{
	const struct consent_rules *cr = &rules_get()->consents;
	struct db_stmt *st;
	char (*ids)[37] = NULL, *want;
	enum err e;
	int row, n = 0, cap = 0, i, j, k, best = 0, open = -1;

	memset(ans, 0, sizeof *ans);
	ans->field = "recipient_name";
	snprintf(ans->reason, sizeof ans->reason, "The person has no active "
	    "consent to disclose to anyone.");
	if ((e = record_part2(db, person_id, &ans->part2)) != ERR_OK)
		return e;
	ans->notice = consent_notice_find(cr, ans->part2 ? "part2" : "hipaa");
	if ((e = db_prepare(db, "SELECT id FROM consent WHERE person_id = $1"
	    " AND discloses = 1 ORDER BY signed_on DESC, id DESC", &st)) !=
	    ERR_OK)
		return e;
	db_bind_text(st, 1, person_id);
	while ((e = db_step(st, &row)) == ERR_OK && row) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			ids = xreallocarray(ids, (size_t)cap, sizeof *ids);
		}
		snprintf(ids[n++], 37, "%s", db_col_text(st, 0));
	}
	db_done(st);
	want = folded(q->recipient_name);
	for (i = 0; e == ERR_OK && i < n && !ans->allowed; i++) {
		struct consent_rec c;
		int named = 0, covered = 1;

		if ((e = load(db, ids[i], &c, &open)) != ERR_OK)
			break;
		for (j = 0; j < c.nrecipients && !named; j++) {
			char *f = folded(c.recipients[j].name);

			named = strcmp(f, want) == 0;
			free(f);
		}
		if (strcmp(c.status, "active") != 0) {
			if (named)
				refuse(ans, 2, &best, "recipient_name", "The "
				    "consent naming this recipient is %s.",
				    strcmp(c.status, "revoked") == 0 ?
				    "revoked" : strcmp(c.status, "expired") ==
				    0 ? "no longer in force" : "not in force "
				    "yet");
		} else if (!named) {
			refuse(ans, 1, &best, "recipient_name", "No consent in "
			    "force names %s as a recipient.", q->recipient_name);
		} else if (ans->part2 && !c.part2) {
			refuse(ans, 3, &best, "recipient_name", "%s", "This "
			    "record is under 42 CFR Part 2: a general "
			    "authorisation is not enough; a Part 2 consent is "
			    "needed (2.31, 2.32).");
		} else if (q->purpose == NULL || !csv_has(c.purposes,
		    q->purpose)) {
			refuse(ans, 4, &best, "purpose", "The consent for this "
			    "recipient does not cover the purpose %s.",
			    q->purpose ? label_of(cr->purposes, cr->npurposes,
			    q->purpose) : "given");
		} else {
			for (k = 0; k < q->ncategories; k++)
				if (q->categories[k] == NULL ||
				    !csv_has(c.categories, q->categories[k])) {
					covered = 0;
					refuse(ans, 5, &best, "categories", "The "
					    "consent for this recipient does not "
					    "cover %s.", q->categories[k] ?
					    label_of(cr->categories,
					    cr->ncategories, q->categories[k]) :
					    "that information");
					break;
				}
			if (covered) {
				ans->allowed = 1;
				snprintf(ans->consent_id, 37, "%s", c.id);
				ans->field = NULL;
				ans->reason[0] = '\0';
			}
		}
		consent_clear(&c);
	}
	free(want);
	free(ids);
	return e;
}

/* ---- disclosures -------------------------------------------------- */

static const char *const methods[] = { "print", "export", "fax", "mail",
    "email", "phone", "in_person", "electronic_exchange", NULL };

static void
check_request(const struct disclosure_request *q, struct verr *v)
{
	const struct consent_rules *cr = &rules_get()->consents;
	size_t i;

	check_text(v, "recipient_name", q->recipient_name, CONSENT_SHORT_MAX,
	    CHECK_REQUIRED);
	check_text(v, "recipient_address", q->recipient_address,
	    CONSENT_SHORT_MAX, 0);
	if (q->purpose == NULL)
		verr_add(v, "purpose", "is required");
	else if (!rules_has(cr->purposes, cr->npurposes, q->purpose))
		verr_add(v, "purpose", "must be one of the purposes");
	if (q->ncategories == 0)
		verr_add(v, "categories", "must name what is disclosed");
	check_codes(v, "categories", q->categories, q->ncategories,
	    cr->categories, cr->ncategories, "categories of information");
	check_text(v, "information", q->information, CONSENT_TEXT_MAX,
	    CHECK_MULTILINE);
	if (q->method == NULL) {
		verr_add(v, "method", "is required");
		return;
	}
	for (i = 0; methods[i] != NULL; i++)
		if (strcmp(methods[i], q->method) == 0)
			return;
	verr_add(v, "method", "must be one of print, export, fax, mail, "
	    "email, phone, in_person, electronic_exchange");
}

enum err
disclosure_ask(struct db *db, const struct actor *a, const char *person_id,
    const struct disclosure_request *q, struct verr *v,
    struct disclosure_answer *ans)
{
	enum err e;

	memset(ans, 0, sizeof *ans);
	check_request(q, v);
	if ((e = begin_person(db, a, person_id, "disclosure", "check",
	    DB_TX_READ, POL_PERSON_READ)) != ERR_OK)
		return e;
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	e = disclosure_check(db, person_id, q, ans);
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "disclosure", NULL,
		    "check", "success", ans->allowed ? "allowed" : "refused");
	return e;
}

#define DISCLOSURE_COLS "d.id, d.person_id, d.basis, d.consent_id, c.kind," \
	" d.recipient_name, d.recipient_address, d.disclosed_at," \
	" d.information, d.categories, d.purpose, d.method, d.notice_code," \
	" d.notice_version, d.part2, s.display_name, d.emergency_facility," \
	" d.emergency_nature FROM disclosure d" \
	" JOIN staff s ON s.id = d.discloser_id" \
	" LEFT JOIN consent c ON c.id = d.consent_id"

/* Fills d from a row of DISCLOSURE_COLS; an error when a sealed part
 * does not open. */
static enum err
fill_disclosure(struct db_stmt *st, struct disclosure_rec *d)
{
	enum err e = ERR_OK;

	memset(d, 0, sizeof *d);
	snprintf(d->id, sizeof d->id, "%s", db_col_text(st, 0));
	snprintf(d->person_id, sizeof d->person_id, "%s", db_col_text(st, 1));
	d->basis = db_col_dup(st, 2);
	d->consent_id = db_col_dup(st, 3);
	d->consent_kind = db_col_dup(st, 4);
	d->recipient_name = db_col_dup(st, 5);
	d->recipient_address = db_col_dup(st, 6);
	d->disclosed_at = db_col_int(st, 7);
	d->information = db_col_unsealed(st, 8, "disclosure.information", &e);
	d->categories = db_col_dup(st, 9);
	d->purpose = db_col_dup(st, 10);
	d->method = db_col_dup(st, 11);
	d->notice_code = db_col_dup(st, 12);
	d->notice_version = db_col_dup(st, 13);
	d->part2 = (int)db_col_int(st, 14);
	d->discloser_name = db_col_dup(st, 15);
	d->emergency_facility = db_col_dup(st, 16);
	d->emergency_nature = db_col_unsealed(st, 17,
	    "disclosure.emergency_nature", &e);
	return e;
}

static enum err
load_disclosure(struct db *db, const char *id, struct disclosure_rec *d)
{
	struct db_stmt *st;
	enum err e;
	int row;

	if ((e = db_prepare(db, "SELECT " DISCLOSURE_COLS " WHERE d.id = $1",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row && (e = fill_disclosure(st, d)) != ERR_OK)
			disclosure_clear(d);
		else if (!row)
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

/* What a request discloses, in words: as given, or the categories'
 * labels. */
static char *
information_of(const struct disclosure_request *q)
{
	const struct consent_rules *cr = &rules_get()->consents;
	struct buf b;
	char *s;
	int i;

	if (!text_blank(q->information))
		return xstrdup(q->information);
	buf_init(&b, 256);
	for (i = 0; i < q->ncategories; i++)
		buf_printf(&b, "%s%s", i ? "; " : "", label_of(cr->categories,
		    cr->ncategories, q->categories[i]));
	s = buf_take(&b);
	buf_free(&b);
	return s;
}

enum err
disclosure_record(struct db *db, const struct actor *a, const char *person_id,
    const struct disclosure_request *q, struct verr *v,
    struct disclosure_answer *ans, char id[37])
{
	struct db_stmt *st;
	char *info, *cats;
	enum err e;

	memset(ans, 0, sizeof *ans);
	id[0] = '\0';
	check_request(q, v);
	if (v->n)
		return ERR_INVALID;
	if ((e = disclosure_check(db, person_id, q, ans)) != ERR_OK)
		return e;
	if (!ans->allowed) {
		verr_add(v, ans->field, "%s", ans->reason);
		return ERR_RULE;
	}
	uuid_v7(id);
	info = information_of(q);
	cats = join(q->categories, q->ncategories);
	if ((e = db_prepare(db, "INSERT INTO disclosure (id, person_id, basis,"
	    " consent_id, recipient_name, recipient_address, disclosed_at,"
	    " information, categories, purpose, method, notice_code,"
	    " notice_version, part2, discloser_id) VALUES ($1, $2, 'consent',"
	    " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)", &st)) ==
	    ERR_OK) {
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, person_id);
		db_bind_text(st, 3, ans->consent_id);
		db_bind_text(st, 4, q->recipient_name);
		db_bind_text(st, 5, q->recipient_address);
		db_bind_int(st, 6, time_now_ms());
		db_bind_sealed(st, 7, "disclosure.information", info);
		db_bind_text(st, 8, cats);
		db_bind_text(st, 9, q->purpose);
		db_bind_text(st, 10, q->method);
		db_bind_text(st, 11, ans->notice ? ans->notice->code : NULL);
		db_bind_text(st, 12, ans->notice ? ans->notice->version :
		    NULL);
		db_bind_int(st, 13, ans->part2);
		db_bind_text(st, 14, a->id);
		e = db_run(st, NULL);
		db_done(st);
	}
	free(info);
	free(cats);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "disclosure", id, "create",
		    "success", q->method);
	return e;
}

enum err
disclosure_make(struct db *db, const struct actor *a, const char *person_id,
    const struct disclosure_request *q, struct verr *v,
    struct disclosure_answer *ans, struct disclosure_rec *out)
{
	char id[37];
	enum err e;

	memset(out, 0, sizeof *out);
	memset(ans, 0, sizeof *ans);
	if ((e = begin_person(db, a, person_id, "disclosure", "create",
	    DB_TX_WRITE, POL_PERSON_READ)) != ERR_OK)
		return e;
	e = disclosure_record(db, a, person_id, q, v, ans, id);
	if (e == ERR_RULE) {
		db_rollback(db);
		audit_actor_alone(db, a, person_id, "disclosure", NULL,
		    "create", "denied", "no consent");
		return e;
	}
	if (e == ERR_OK && (e = load_disclosure(db, id, out)) == ERR_OK &&
	    (e = db_commit(db)) != ERR_OK)
		disclosure_clear(out);
	if (e != ERR_OK)
		db_rollback(db);
	return e;
}

enum err
disclosure_emergency(struct db *db, const struct actor *a,
    const char *person_id, const struct emergency_input *in, struct verr *v,
    struct disclosure_rec *out)
{
	struct db_stmt *st;
	char id[37];
	int part2;
	int64_t now = time_now_ms(), at = now;
	size_t i;
	enum err e;

	memset(out, 0, sizeof *out);
	/* Recorded right after the emergency, or up to a week later with
	 * the time it happened. */
	if (in->disclosed_at != NULL && (time_parse_utc(in->disclosed_at,
	    &at) != ERR_OK || at > now + 5 * 60000 ||
	    at < now - 7 * 86400000LL))
		verr_add(v, "disclosed_at", "must be an RFC 3339 UTC time in "
		    "the last 7 days, such as 2026-11-22T14:00:00Z");
	check_text(v, "personnel_name", in->personnel_name, CONSENT_SHORT_MAX,
	    CHECK_REQUIRED);
	check_text(v, "facility", in->facility, CONSENT_SHORT_MAX,
	    CHECK_REQUIRED);
	check_text(v, "nature", in->nature, CONSENT_TEXT_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	check_text(v, "information", in->information, CONSENT_TEXT_MAX,
	    CHECK_REQUIRED | CHECK_MULTILINE);
	if (in->method == NULL) {
		verr_add(v, "method", "is required");
	} else {
		for (i = 0; methods[i] != NULL; i++)
			if (strcmp(methods[i], in->method) == 0)
				break;
		if (methods[i] == NULL)
			verr_add(v, "method", "must be one of print, export, "
			    "fax, mail, email, phone, in_person, "
			    "electronic_exchange");
	}
	if ((e = begin_person(db, a, person_id, "disclosure", "emergency",
	    DB_TX_WRITE, POL_PERSON_READ)) != ERR_OK)
		return e;
	if (v->n) {
		db_rollback(db);
		return ERR_INVALID;
	}
	if ((e = record_part2(db, person_id, &part2)) != ERR_OK)
		goto fail;
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO disclosure (id, person_id, basis,"
	    " recipient_name, disclosed_at, information, purpose, method,"
	    " notice_code, notice_version, part2, discloser_id,"
	    " emergency_facility, emergency_nature) VALUES ($1, $2,"
	    " 'medical_emergency', $3, $4, $5, 'medical_emergency', $6, NULL,"
	    " NULL, $7, $8, $9, $10)", &st)) != ERR_OK)
		goto fail;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, person_id);
	db_bind_text(st, 3, in->personnel_name);
	db_bind_int(st, 4, at);
	db_bind_sealed(st, 5, "disclosure.information", in->information);
	db_bind_text(st, 6, in->method);
	db_bind_int(st, 7, part2);
	db_bind_text(st, 8, a->id);
	db_bind_text(st, 9, in->facility);
	db_bind_sealed(st, 10, "disclosure.emergency_nature", in->nature);
	e = db_run(st, NULL);
	db_done(st);
	if (e == ERR_OK)
		e = audit_actor(db, a, person_id, "disclosure", id, "emergency",
		    "success", in->method);
	if (e == ERR_OK && (e = load_disclosure(db, id, out)) == ERR_OK &&
	    (e = db_commit(db)) != ERR_OK)
		disclosure_clear(out);
	if (e == ERR_OK)
		return ERR_OK;
fail:
	db_rollback(db);
	return e;
}

enum err
disclosure_list(struct db *db, const struct actor *a, const char *person_id,
    int64_t from_ms, int64_t to_ms, struct disclosure_rec **items, int *n)
{
	struct db_stmt *st;
	enum err e;
	int row, cap = 0;

	*items = NULL;
	*n = 0;
	if ((e = begin_person(db, a, person_id, "disclosure", "accounting",
	    DB_TX_READ, POL_PERSON_READ)) != ERR_OK)
		return e;
	if ((e = db_prepare(db, "SELECT " DISCLOSURE_COLS
	    " WHERE d.person_id = $1 AND d.disclosed_at >= $2"
	    " AND d.disclosed_at < $3 ORDER BY d.disclosed_at DESC, d.id DESC"
	    " LIMIT $4", &st)) == ERR_OK) {
		db_bind_text(st, 1, person_id);
		db_bind_int(st, 2, from_ms);
		db_bind_int(st, 3, to_ms);
		db_bind_int(st, 4, DISCLOSURE_LIST_MAX);
		while (e == ERR_OK && (e = db_step(st, &row)) == ERR_OK &&
		    row) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 16;
				*items = xreallocarray(*items, (size_t)cap,
				    sizeof **items);
			}
			e = fill_disclosure(st, &(*items)[(*n)++]);
		}
		db_done(st);
	}
	db_rollback(db);
	if (e == ERR_OK)
		e = audit_actor_alone(db, a, person_id, "disclosure", NULL,
		    "accounting", "success", NULL);
	if (e != ERR_OK) {
		disclosures_free(*items, *n);
		*items = NULL;
		*n = 0;
	}
	return e;
}
