/*
 * Unit tests: core/person.c (the people we support and their enrollment
 * episodes) with real accounts, teams and rules in a temporary database.
 * The accounts are made once for the group; each test makes its own
 * people with names no other test uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/audit.h"
#include "access/session.h"
#include "core/person.h"
#include "core/rules.h"
#include "core/staff.h"
#include "interop/rules_json.h"
#include "store/db.h"
#include "util/asset.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"
#include "tmpdb.h"

struct fx {
	struct tmpdir	 dir;
	struct db	*db;
	struct actor	 peer;		/* peer.north */
	struct actor	 peer2;		/* peer.north2 */
	struct actor	 super;		/* super.north */
	struct actor	 south;		/* peer.south */
	struct actor	 both;		/* peer.both, on north and south */
	struct actor	 admin;
	struct actor	 privacy;
};

static struct fx *fx;

static void
add_team(struct db *db, const char *name)
{
	struct team_rec t;
	struct actor sys;
	struct verr v;

	actor_system(&sys);
	verr_init(&v);
	assert_int_equal(team_create(db, &sys, name, name, &v, &t), ERR_OK);
	free(t.name);
	free(t.display_name);
}

/* Makes an account and the actor it signs in as. */
static void
add_staff(struct db *db, const char *username, enum role role,
    const char *const *teams, int nteams, struct actor *out)
{
	struct staff_input in;
	struct staff_rec rec;
	struct actor sys;
	struct verr v;

	actor_system(&sys);
	verr_init(&v);
	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME | STAFF_SET_ROLE |
	    STAFF_SET_PASSWORD | STAFF_SET_TEAMS;
	in.username = username;
	in.display_name = username;
	in.role = role;
	in.password = "a long enough password";
	in.teams = teams;
	in.nteams = nteams;
	assert_int_equal(staff_create(db, &sys, &in, &v, &rec), ERR_OK);
	memset(out, 0, sizeof *out);
	snprintf(out->id, sizeof out->id, "%s", rec.id);
	snprintf(out->username, sizeof out->username, "%s", username);
	out->role = role;
	snprintf(out->client_addr, sizeof out->client_addr, "%s",
	    "192.0.2.10");
	assert_int_equal(auth_load_teams(db, out), ERR_OK);
	assert_int_equal(out->nteams, nteams);
	staff_rec_clear(&rec);
}

static int
group_setup(void **state)
{
	static const char *const north[] = { "north" };
	static const char *const south[] = { "south" };
	static const char *const both[] = { "north", "south" };
	char why[200];

	(void)state;
	fx = xcalloc(1, sizeof *fx);
	tmpdir_make(&fx->dir);
	if ((fx->db = tmpdb_open(&fx->dir, "person.db")) == NULL)
		return -1;
	if (rules_seed(fx->db) != ERR_OK ||
	    rules_load(fx->db, why, sizeof why) != ERR_OK) {
		fprintf(stderr, "rules: %s\n", why);
		return -1;
	}
	add_team(fx->db, "north");
	add_team(fx->db, "south");
	add_staff(fx->db, "peer.north", ROLE_PEER, north, 1, &fx->peer);
	add_staff(fx->db, "peer.north2", ROLE_PEER, north, 1, &fx->peer2);
	add_staff(fx->db, "super.north", ROLE_SUPERVISOR, north, 1,
	    &fx->super);
	add_staff(fx->db, "peer.south", ROLE_PEER, south, 1, &fx->south);
	add_staff(fx->db, "peer.both", ROLE_PEER, both, 2, &fx->both);
	add_staff(fx->db, "admin", ROLE_ADMIN, NULL, 0, &fx->admin);
	add_staff(fx->db, "privacy", ROLE_PRIVACY, NULL, 0, &fx->privacy);
	return 0;
}

static int
group_teardown(void **state)
{
	struct audit_check r;

	(void)state;
	/* Everything the tests did left the audit chain whole. */
	if (audit_verify(fx->db, &r) != ERR_OK) {
		fprintf(stderr, "audit: %s\n", r.problem);
		return -1;
	}
	db_close(fx->db);
	tmpdir_remove(&fx->dir);
	free(fx);
	rules_install(NULL);
	return 0;
}

/* Today in the organisation's zone plus n days, as YYYY-MM-DD. */
static void
day(int64_t n, char out[11])
{
	date_format(date_add_days(time_today(), n), out);
}

static int64_t
count_people(const char *name)
{
	struct db_stmt *st;
	int64_t n;
	int row;

	assert_int_equal(db_prepare(fx->db,
	    "SELECT count(*) FROM person WHERE preferred_name = $1", &st),
	    ERR_OK);
	db_bind_text(st, 1, name);
	assert_int_equal(db_step(st, &row), ERR_OK);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/* Audit entries about person (or none) by actor with these values. */
static int64_t
audits(const struct actor *a, const char *person, const char *object,
    const char *action, const char *outcome)
{
	struct db_stmt *st;
	int64_t n;
	int row;

	assert_int_equal(db_prepare(fx->db, "SELECT count(*) FROM audit"
	    " WHERE actor_id = $1 AND coalesce(person_id, '') = $2"
	    " AND object_type = $3 AND action = $4 AND outcome = $5", &st),
	    ERR_OK);
	db_bind_text(st, 1, a->id);
	db_bind_text(st, 2, person ? person : "");
	db_bind_text(st, 3, object);
	db_bind_text(st, 4, action);
	db_bind_text(st, 5, outcome);
	assert_int_equal(db_step(st, &row), ERR_OK);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static void
create(const struct actor *a, const char *name, const char *team,
    struct person *out)
{
	struct person_input in;
	struct verr v;

	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | (team ? PF_TEAM : 0);
	in.preferred_name = name;
	in.team = team;
	verr_init(&v);
	assert_int_equal(person_create(fx->db, a, &in, &v, out), ERR_OK);
	assert_int_equal(v.n, 0);
}

/* Creates with in and expects ERR_INVALID naming field; nothing made. */
static void
create_invalid(const struct person_input *in, const char *field)
{
	struct person p;
	struct verr v;
	const char *name = in->preferred_name ? in->preferred_name : "";
	int64_t before = count_people(name);
	enum err e;

	verr_init(&v);
	e = person_create(fx->db, &fx->peer, in, &v, &p);
	if (e != ERR_INVALID || !verr_has(&v, field)) {
		int i;

		for (i = 0; i < v.n; i++)
			print_message("  got %s: %s\n", v.e[i].field,
			    v.e[i].message);
		fail_msg("expected ERR_INVALID naming %s, got %s", field,
		    err_str(e));
	}
	assert_string_equal(p.id, "");
	assert_int_equal(count_people(name), before);
	assert_false(db_in_tx(fx->db));
}

static void
test_create_and_get(void **state)
{
	struct contact c[2] = {
		{ "emergency_contact", "Ana Pérez", "sister", "555-0101", NULL },
		{ "natural_support", "Bo", NULL, NULL, "Sees him at\nchurch" },
	};
	struct person_input in;
	struct person p, g;
	struct verr v;
	char dob[11];

	(void)state;
	day(-365 * 30, dob);
	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | PF_LEGAL_NAME | PF_PRONOUNS |
	    PF_DATE_OF_BIRTH | PF_PHONE | PF_LANGUAGE | PF_TEAM | PF_CONTACTS |
	    PF_STATUS | PF_PRIMARY_PEER;
	in.preferred_name = "Createy";
	in.legal_name = "Createy Fullname";
	in.pronouns = "they/them";
	in.date_of_birth = dob;
	in.phone = "+1 (555) 010-0100";
	in.language = "es";
	in.team = "north";
	in.status = "outreach";
	in.primary_peer = fx->peer.id;
	in.contacts = c;
	in.ncontacts = 2;
	verr_init(&v);
	assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, &p),
	    ERR_OK);
	assert_int_equal(v.n, 0);
	assert_false(db_in_tx(fx->db));
	assert_true(uuid_valid(p.id));
	assert_int_equal(p.version, 1);
	assert_string_equal(p.team, "north");
	assert_string_equal(p.team_id, fx->peer.teams[0]);
	assert_string_equal(p.preferred_name, "Createy");
	assert_string_equal(p.legal_name, "Createy Fullname");
	assert_string_equal(p.pronouns, "they/them");
	assert_string_equal(p.date_of_birth, dob);
	assert_string_equal(p.phone, "+1 (555) 010-0100");
	assert_string_equal(p.language, "es");
	assert_string_equal(p.status, "outreach");
	assert_string_equal(p.primary_peer_id, fx->peer.id);
	assert_string_equal(p.primary_peer_name, "peer.north");
	assert_int_equal(p.ncontacts, 2);
	assert_string_equal(p.contacts[0].name, "Ana Pérez");
	assert_string_equal(p.contacts[0].phone, "555-0101");
	assert_string_equal(p.contacts[1].kind, "natural_support");
	assert_null(p.contacts[1].phone);
	assert_string_equal(p.contacts[1].note, "Sees him at\nchurch");
	assert_int_equal(p.nepisodes, 0);
	assert_true(p.created_at > 0 && p.created_at == p.updated_at);
	assert_int_equal(audits(&fx->peer, p.id, "person", "create",
	    "success"), 1);

	/* Read back by the team, and every read is audited. */
	assert_int_equal(person_get(fx->db, &fx->peer2, p.id, &g), ERR_OK);
	assert_string_equal(g.id, p.id);
	assert_string_equal(g.legal_name, "Createy Fullname");
	assert_int_equal(g.ncontacts, 2);
	assert_string_equal(g.contacts[0].relationship, "sister");
	person_clear(&g);
	assert_int_equal(person_get(fx->db, &fx->super, p.id, &g), ERR_OK);
	person_clear(&g);
	assert_int_equal(person_get(fx->db, &fx->both, p.id, &g), ERR_OK);
	person_clear(&g);
	assert_int_equal(audits(&fx->peer2, p.id, "person", "read",
	    "success"), 1);
	assert_int_equal(audits(&fx->super, p.id, "person", "read",
	    "success"), 1);

	/* Another team cannot know the record exists; administrators and
	 * privacy officers may not read it. Each refusal is audited. */
	assert_int_equal(person_get(fx->db, &fx->south, p.id, &g),
	    ERR_NOT_FOUND);
	assert_string_equal(g.id, "");
	assert_null(g.preferred_name);
	assert_int_equal(person_get(fx->db, &fx->admin, p.id, &g),
	    ERR_FORBIDDEN);
	assert_null(g.preferred_name);
	assert_int_equal(person_get(fx->db, &fx->privacy, p.id, &g),
	    ERR_FORBIDDEN);
	assert_int_equal(audits(&fx->south, p.id, "person", "read", "denied"),
	    1);
	assert_int_equal(audits(&fx->admin, p.id, "person", "read", "denied"),
	    1);
	assert_int_equal(audits(&fx->south, p.id, "person", "read",
	    "success"), 0);
	assert_false(db_in_tx(fx->db));

	/* Ids that name nobody. */
	assert_int_equal(person_get(fx->db, &fx->peer, "not-an-id", &g),
	    ERR_NOT_FOUND);
	assert_int_equal(person_get(fx->db, &fx->peer,
	    "01900000-0000-7000-8000-000000000000", &g), ERR_NOT_FOUND);
	person_clear(&p);
	person_clear(NULL);
}

static void
test_create_team_rules(void **state)
{
	struct person_input in;
	struct person p;
	struct verr v;

	(void)state;
	/* No team named: the actor's only team. */
	create(&fx->peer, "Teamless", NULL, &p);
	assert_string_equal(p.team, "north");
	person_clear(&p);
	/* A supervisor may add to their own team only. */
	create(&fx->super, "Supervised", "north", &p);
	person_clear(&p);

	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | PF_TEAM;
	in.preferred_name = "Elsewhere";
	in.team = "south";
	verr_init(&v);
	assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, &p),
	    ERR_FORBIDDEN);
	assert_int_equal(person_create(fx->db, &fx->super, &in, &v, &p),
	    ERR_FORBIDDEN);
	assert_int_equal(person_create(fx->db, &fx->admin, &in, &v, &p),
	    ERR_FORBIDDEN);
	assert_int_equal(person_create(fx->db, &fx->privacy, &in, &v, &p),
	    ERR_FORBIDDEN);
	assert_int_equal(count_people("Elsewhere"), 0);
	assert_int_equal(audits(&fx->peer, NULL, "person", "create",
	    "denied"), 1);
	assert_false(db_in_tx(fx->db));

	/* The team named must exist, and be named when it is given. */
	in.set = PF_PREFERRED_NAME | PF_TEAM;
	in.team = "nowhere";
	create_invalid(&in, "team");
	in.team = NULL;
	create_invalid(&in, "team");
	/* On two teams, the team must be named. */
	verr_init(&v);
	in.set = PF_PREFERRED_NAME;
	assert_int_equal(person_create(fx->db, &fx->both, &in, &v, &p),
	    ERR_INVALID);
	assert_true(verr_has(&v, "team"));
	create(&fx->both, "Southbound", "south", &p);
	assert_string_equal(p.team, "south");
	person_clear(&p);
}

static void
test_check_values(void **state)
{
	struct contact c[PERSON_MAX_CONTACTS + 1];
	struct person_input in;
	struct person p;
	char tomorrow[11], today[11], name[512];
	int i;

	(void)state;
	day(1, tomorrow);
	day(0, today);
	memset(&in, 0, sizeof in);
	in.preferred_name = "Checked";
	in.set = PF_PREFERRED_NAME | PF_DATE_OF_BIRTH;

	in.date_of_birth = tomorrow;
	create_invalid(&in, "date_of_birth");
	in.date_of_birth = "1899-12-31";
	create_invalid(&in, "date_of_birth");
	in.date_of_birth = "2001-02-29";
	create_invalid(&in, "date_of_birth");
	in.date_of_birth = "01/02/2001";
	create_invalid(&in, "date_of_birth");

	in.set = PF_PREFERRED_NAME | PF_PHONE;
	in.phone = "call me";
	create_invalid(&in, "phone");
	in.phone = "12";
	create_invalid(&in, "phone");
	in.phone = "1234567890123456789012345678901234";
	create_invalid(&in, "phone");

	in.set = PF_PREFERRED_NAME | PF_LANGUAGE;
	in.language = "xx-nope";
	create_invalid(&in, "language");
	in.language = "ES";
	create_invalid(&in, "language");

	in.set = PF_PREFERRED_NAME;
	memset(name, 'n', 101);
	name[101] = '\0';
	in.preferred_name = name;
	create_invalid(&in, "preferred_name");
	in.preferred_name = "   ";
	create_invalid(&in, "preferred_name");
	in.preferred_name = NULL;
	create_invalid(&in, "preferred_name");
	in.preferred_name = "Bad\x01Name";
	create_invalid(&in, "preferred_name");
	in.preferred_name = "Two\nLines";
	create_invalid(&in, "preferred_name");
	in.preferred_name = "Bad \xff UTF-8";
	create_invalid(&in, "preferred_name");
	in.set = 0;	/* not given at all */
	in.preferred_name = "Checked";
	create_invalid(&in, "preferred_name");

	in.set = PF_PREFERRED_NAME | PF_LEGAL_NAME | PF_PRONOUNS;
	in.legal_name = name;
	in.pronouns = NULL;
	create_invalid(&in, "legal_name");
	in.legal_name = NULL;
	memset(name, 'p', 61);
	name[61] = '\0';
	in.pronouns = name;
	create_invalid(&in, "pronouns");

	in.set = PF_PREFERRED_NAME | PF_STATUS;
	in.status = "active";	/* only enrollment makes someone active */
	create_invalid(&in, "status");
	in.status = "paused";
	create_invalid(&in, "status");

	in.set = PF_PREFERRED_NAME | PF_PRIMARY_PEER;
	in.primary_peer = "peer.north";
	create_invalid(&in, "primary_peer");
	in.primary_peer = fx->south.id;	/* not on the person's team */
	create_invalid(&in, "primary_peer");
	in.primary_peer = fx->admin.id;	/* carries no roster */
	create_invalid(&in, "primary_peer");

	/* Contacts: an emergency contact needs a phone. */
	memset(c, 0, sizeof c);
	c[0].kind = "emergency_contact";
	c[0].name = "Ana";
	in.set = PF_PREFERRED_NAME | PF_CONTACTS;
	in.contacts = c;
	in.ncontacts = 1;
	create_invalid(&in, "contacts[0].phone");
	c[0].kind = "friend";
	create_invalid(&in, "contacts[0].kind");
	c[0].kind = NULL;
	create_invalid(&in, "contacts[0].kind");
	c[0].kind = "natural_support";
	c[0].name = NULL;
	create_invalid(&in, "contacts[0].name");
	c[0].name = "Ana";
	c[0].phone = "none";
	create_invalid(&in, "contacts[0].phone");
	c[0].phone = NULL;
	for (i = 0; i <= PERSON_MAX_CONTACTS; i++)
		c[i] = c[0];
	in.ncontacts = PERSON_MAX_CONTACTS + 1;
	create_invalid(&in, "contacts");

	/* The limits themselves pass: 100 characters (200 bytes), today's
	 * date, a natural support without a phone, the most contacts. */
	for (i = 0; i < 100; i++)
		memcpy(name + 2 * i, "é", 2);
	name[200] = '\0';
	in.set = PF_PREFERRED_NAME | PF_DATE_OF_BIRTH | PF_CONTACTS |
	    PF_PRONOUNS | PF_LANGUAGE | PF_PHONE;
	in.preferred_name = name;
	in.date_of_birth = today;
	in.ncontacts = PERSON_MAX_CONTACTS;
	in.pronouns = NULL;
	in.language = NULL;
	in.phone = NULL;
	create(&fx->peer, name, NULL, &p);
	person_clear(&p);
	{
		struct verr v;

		verr_init(&v);
		assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, &p),
		    ERR_OK);
		assert_int_equal(p.ncontacts, PERSON_MAX_CONTACTS);
		assert_null(p.phone);
		person_clear(&p);
	}
}

static void
test_update(void **state)
{
	struct contact c = { "natural_support", "Cy", NULL, "555-0199", NULL };
	struct person_input in;
	struct person p, u, g;
	struct verr v;
	int64_t cur = 0;

	(void)state;
	create(&fx->peer, "Updatey", "north", &p);

	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | PF_PHONE | PF_LEGAL_NAME | PF_CONTACTS;
	in.preferred_name = "Updated";
	in.phone = "555-0100";
	in.legal_name = "Updated Legal";
	in.contacts = &c;
	in.ncontacts = 1;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer2, p.id, 1, &in, &v,
	    &u, &cur), ERR_OK);
	assert_int_equal(u.version, 2);
	assert_int_equal(cur, 2);
	assert_string_equal(u.preferred_name, "Updated");
	assert_string_equal(u.phone, "555-0100");
	assert_int_equal(u.ncontacts, 1);
	assert_true(u.updated_at >= p.updated_at);
	person_clear(&u);
	assert_int_equal(audits(&fx->peer2, p.id, "person", "update",
	    "success"), 1);

	/* A stale version changes nothing and reports the current one. */
	in.set = PF_PHONE;
	in.phone = "555-0111";
	cur = 0;
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 1, &in, &v,
	    &u, &cur), ERR_STALE);
	assert_int_equal(cur, 2);
	assert_null(u.phone);
	assert_false(db_in_tx(fx->db));
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_int_equal(g.version, 2);
	assert_string_equal(g.phone, "555-0100");
	person_clear(&g);

	/* Clearing an optional field with a given NULL; others untouched. */
	in.set = PF_LEGAL_NAME;
	in.legal_name = NULL;
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 2, &in, &v,
	    &u, &cur), ERR_OK);
	assert_null(u.legal_name);
	assert_string_equal(u.phone, "555-0100");
	assert_int_equal(u.ncontacts, 1);
	assert_int_equal(u.version, 3);
	person_clear(&u);

	/* Invalid values are refused whole. */
	in.set = PF_PHONE | PF_PREFERRED_NAME;
	in.phone = "x";
	in.preferred_name = "Renamed";
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 3, &in, &v,
	    &u, &cur), ERR_INVALID);
	assert_true(verr_has(&v, "phone"));
	assert_int_equal(count_people("Renamed"), 0);
	in.set = PF_PREFERRED_NAME;
	in.preferred_name = NULL;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 3, &in, &v,
	    &u, &cur), ERR_INVALID);
	assert_true(verr_has(&v, "preferred_name"));

	/* Others may not change it, nor learn it exists. */
	in.set = PF_PHONE;
	in.phone = "555-0123";
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->south, p.id, 3, &in, &v,
	    &u, &cur), ERR_NOT_FOUND);
	assert_int_equal(person_update(fx->db, &fx->admin, p.id, 3, &in, &v,
	    &u, &cur), ERR_FORBIDDEN);
	assert_int_equal(audits(&fx->south, p.id, "person", "update",
	    "denied"), 1);
	assert_int_equal(person_update(fx->db, &fx->peer, "nope", 3, &in, &v,
	    &u, &cur), ERR_NOT_FOUND);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_int_equal(g.version, 3);
	assert_string_equal(g.phone, "555-0100");
	person_clear(&g);
	person_clear(&p);
}

static void
test_update_audit_detail(void **state)
{
	struct person_input in;
	struct person p, u;
	struct db_stmt *st;
	struct verr v;
	int row;

	(void)state;
	create(&fx->peer, "Detailed", "north", &p);
	memset(&in, 0, sizeof in);
	in.set = PF_PHONE | PF_PREFERRED_NAME;
	in.phone = "555-0100";
	in.preferred_name = "Detailed Too";
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 1, &in, &v,
	    &u, NULL), ERR_OK);
	person_clear(&u);
	/* The entry names the fields changed, never their values. */
	assert_int_equal(db_prepare(fx->db, "SELECT detail FROM audit"
	    " WHERE person_id = $1 AND action = 'update'", &st), ERR_OK);
	db_bind_text(st, 1, p.id);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	assert_string_equal(db_col_text(st, 0), "preferred_name,phone");
	db_done(st);
	person_clear(&p);
}

static void
update_status(const struct actor *a, struct person *p, const char *status,
    enum err want)
{
	struct person_input in;
	struct person u;
	struct verr v;
	int64_t cur = 0;

	memset(&in, 0, sizeof in);
	in.set = PF_STATUS;
	in.status = status;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, a, p->id, p->version, &in, &v,
	    &u, &cur), want);
	if (want == ERR_INVALID)
		assert_true(verr_has(&v, "status"));
	if (want == ERR_OK) {
		assert_string_equal(u.status, status);
		p->version = u.version;
	}
	person_clear(&u);
}

static void
test_status_transitions(void **state)
{
	struct episode_input ei;
	struct discharge_input di;
	struct episode e, d;
	struct person p, g;
	struct verr v;
	char today[11];

	(void)state;
	day(0, today);
	create(&fx->peer, "Statusy", "north", &p);
	update_status(&fx->peer, &p, "active", ERR_INVALID);
	update_status(&fx->peer, &p, "discharged", ERR_INVALID);
	update_status(&fx->peer, &p, "paused", ERR_INVALID);
	update_status(&fx->peer, &p, "outreach", ERR_OK);	/* unchanged */

	/* Enrollment makes them active... */
	memset(&ei, 0, sizeof ei);
	ei.agreement_date = today;
	ei.agreement_witness = "Pat";
	ei.intake_date = today;
	ei.referral_source = "self";
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer, p.id, &ei, &v, &e),
	    ERR_OK);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_string_equal(g.status, "active");
	p.version = g.version;
	person_clear(&g);
	/* ...and only a discharged person may go back to outreach. */
	update_status(&fx->peer, &p, "outreach", ERR_INVALID);
	update_status(&fx->peer, &p, "discharged", ERR_INVALID);
	memset(&di, 0, sizeof di);
	di.discharge_date = today;
	di.reason = "chose_to_end";
	di.exit_strategy = "not_chosen";
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id,
	    e.version, &di, &v, &d, NULL), ERR_OK);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_string_equal(g.status, "discharged");
	p.version = g.version;
	person_clear(&g);
	update_status(&fx->peer, &p, "active", ERR_INVALID);
	update_status(&fx->peer, &p, "outreach", ERR_OK);
	episode_clear(&e);
	episode_clear(&d);
	person_clear(&p);
}

static void
test_move(void **state)
{
	struct person_input in;
	struct person p, u, g;
	struct verr v;

	(void)state;
	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | PF_PRIMARY_PEER;
	in.preferred_name = "Movey";
	in.primary_peer = fx->peer.id;
	verr_init(&v);
	assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, &p),
	    ERR_OK);

	/* A peer may not hand a person to a team they do not work in. */
	memset(&in, 0, sizeof in);
	in.set = PF_TEAM;
	in.team = "south";
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, p.id, 1, &in, &v,
	    &u, NULL), ERR_FORBIDDEN);
	assert_int_equal(audits(&fx->peer, p.id, "person", "move", "denied"),
	    1);
	/* A supervisor may, but the primary peer must work there too. */
	assert_int_equal(person_update(fx->db, &fx->super, p.id, 1, &in, &v,
	    &u, NULL), ERR_INVALID);
	assert_true(verr_has(&v, "primary_peer"));
	in.set = PF_TEAM | PF_PRIMARY_PEER;
	in.primary_peer = NULL;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->super, p.id, 1, &in, &v,
	    &u, NULL), ERR_OK);
	assert_string_equal(u.team, "south");
	assert_null(u.primary_peer_id);
	person_clear(&u);
	/* Now it is the south team's, and north no longer sees it. */
	assert_int_equal(person_get(fx->db, &fx->super, p.id, &g),
	    ERR_NOT_FOUND);
	assert_int_equal(person_get(fx->db, &fx->south, p.id, &g), ERR_OK);
	assert_string_equal(g.team, "south");
	person_clear(&g);
	/* A peer on both teams may move it back. */
	in.set = PF_TEAM;
	in.team = "north";
	assert_int_equal(person_update(fx->db, &fx->both, p.id, 2, &in, &v,
	    &u, NULL), ERR_OK);
	assert_string_equal(u.team, "north");
	person_clear(&u);
	person_clear(&p);
}

static void
test_links(void **state)
{
	struct person_link l[2];
	struct person_input in;
	struct person parent, child, other, u;
	struct verr v;

	(void)state;
	create(&fx->peer, "Linky Parent", "north", &parent);
	create(&fx->peer, "Linky Child", "north", &child);
	create(&fx->south, "Linky Other", "south", &other);
	memset(&in, 0, sizeof in);
	memset(l, 0, sizeof l);
	in.set = PF_LINKS;
	in.links = l;
	in.nlinks = 1;
	snprintf(l[0].person_id, sizeof l[0].person_id, "%s", child.id);
	l[0].relationship = "parent of";
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, parent.id, 1, &in,
	    &v, &u, NULL), ERR_OK);
	assert_int_equal(u.nlinks, 1);
	assert_string_equal(u.links[0].person_id, child.id);
	assert_string_equal(u.links[0].relationship, "parent of");
	person_clear(&u);

	/* Not to themselves, not twice, not to someone off the roster. */
	snprintf(l[0].person_id, sizeof l[0].person_id, "%s", parent.id);
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, parent.id, 2, &in,
	    &v, &u, NULL), ERR_INVALID);
	assert_true(verr_has(&v, "links[0].person_id"));
	snprintf(l[0].person_id, sizeof l[0].person_id, "%s", child.id);
	l[1] = l[0];
	in.nlinks = 2;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, parent.id, 2, &in,
	    &v, &u, NULL), ERR_INVALID);
	assert_true(verr_has(&v, "links[1].person_id"));
	snprintf(l[1].person_id, sizeof l[1].person_id, "%s", other.id);
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, parent.id, 2, &in,
	    &v, &u, NULL), ERR_INVALID);
	assert_true(verr_has(&v, "links[1].person_id"));
	l[1].relationship = NULL;
	verr_init(&v);
	assert_int_equal(person_update(fx->db, &fx->peer, parent.id, 2, &in,
	    &v, &u, NULL), ERR_INVALID);
	assert_true(verr_has(&v, "links[1].relationship"));
	person_clear(&parent);
	person_clear(&child);
	person_clear(&other);
}

/* Runs a roster query; returns the count and the names, "|"-joined. */
static int
roster(const struct actor *a, const char *q, char *names, size_t n)
{
	struct person_query query;
	struct person_summary *items = NULL;
	struct verr v;
	char next[37];
	int count = 0, i;

	memset(&query, 0, sizeof query);
	query.q = q;
	query.limit = 200;
	verr_init(&v);
	assert_int_equal(person_list(fx->db, a, &query, &v, &items, &count,
	    next), ERR_OK);
	assert_false(db_in_tx(fx->db));
	names[0] = '\0';
	for (i = 0; i < count; i++) {
		size_t used = strlen(names);

		snprintf(names + used, n - used, "%s%s", i ? "|" : "",
		    items[i].preferred_name);
	}
	person_summaries_free(items, count);
	return count;
}

static void
test_name_search(void **state)
{
	struct person_input in;
	struct person p;
	struct verr v;
	char names[1024];

	(void)state;
	create(&fx->peer, "Jonathan Smithers", "north", &p);
	person_clear(&p);
	create(&fx->peer, "José O'Bryan-Lee", "north", &p);
	person_clear(&p);
	create(&fx->south, "Jonquil Southey", "south", &p);
	person_clear(&p);
	create(&fx->peer, "Thảo Nguyễn", "north", &p);
	person_clear(&p);
	memset(&in, 0, sizeof in);
	in.set = PF_PREFERRED_NAME | PF_LEGAL_NAME;
	in.preferred_name = "ZOË";
	in.legal_name = "Zoë Quenby-Adamsky";
	verr_init(&v);
	assert_int_equal(person_create(fx->db, &fx->peer, &in, &v, &p),
	    ERR_OK);
	person_clear(&p);

	/* By prefix, ignoring case; only the actor's own rosters. */
	assert_int_equal(roster(&fx->peer, "jon", names, sizeof names), 1);
	assert_string_equal(names, "Jonathan Smithers");
	assert_int_equal(roster(&fx->peer, "JONATHAN", names, sizeof names),
	    1);
	assert_int_equal(roster(&fx->peer, "smith", names, sizeof names), 1);
	assert_int_equal(roster(&fx->south, "jon", names, sizeof names), 1);
	assert_string_equal(names, "Jonquil Southey");
	assert_int_equal(roster(&fx->both, "jon", names, sizeof names), 2);
	assert_string_equal(names, "Jonathan Smithers|Jonquil Southey");
	/* Accents, apostrophes and hyphens are folded away. */
	assert_int_equal(roster(&fx->peer, "jose", names, sizeof names), 1);
	assert_string_equal(names, "José O'Bryan-Lee");
	assert_int_equal(roster(&fx->peer, "JOSÉ", names, sizeof names), 1);
	assert_int_equal(roster(&fx->peer, "obryan", names, sizeof names), 1);
	assert_int_equal(roster(&fx->peer, "O'Bry", names, sizeof names), 1);
	assert_int_equal(roster(&fx->peer, "lee", names, sizeof names), 1);
	assert_int_equal(roster(&fx->peer, "zoe", names, sizeof names), 1);
	assert_string_equal(names, "ZOË");
	/* Vietnamese letters carry two marks; both go. */
	assert_int_equal(roster(&fx->peer, "nguyen thao", names,
	    sizeof names), 1);
	assert_string_equal(names, "Thảo Nguyễn");
	assert_int_equal(roster(&fx->peer, "NGUYỄN", names, sizeof names), 1);
	create(&fx->peer, "Trương Văn Hưng", "north", &p);
	person_clear(&p);
	assert_int_equal(roster(&fx->peer, "truong hung", names,
	    sizeof names), 1);
	assert_string_equal(names, "Trương Văn Hưng");
	/* The legal name is searched too. */
	assert_int_equal(roster(&fx->peer, "quenby adamsk", names,
	    sizeof names), 1);
	/* Every word must match. */
	assert_int_equal(roster(&fx->peer, "jon smi", names, sizeof names), 1);
	assert_int_equal(roster(&fx->peer, "jon lee", names, sizeof names), 0);
	assert_int_equal(roster(&fx->peer, "athan", names, sizeof names), 0);
	assert_int_equal(roster(&fx->peer, "nobodyhere", names, sizeof names),
	    0);

	/* A rename takes the old name out of the search. */
	{
		struct person_summary *items = NULL;
		struct person_query q;
		struct person u;
		char next[37];
		int n = 0;

		memset(&q, 0, sizeof q);
		q.q = "smithers";
		q.limit = 10;
		verr_init(&v);
		assert_int_equal(person_list(fx->db, &fx->peer, &q, &v, &items,
		    &n, next), ERR_OK);
		assert_int_equal(n, 1);
		memset(&in, 0, sizeof in);
		in.set = PF_PREFERRED_NAME;
		in.preferred_name = "Jonty Renamed";
		assert_int_equal(person_update(fx->db, &fx->peer, items[0].id,
		    items[0].version, &in, &v, &u, NULL), ERR_OK);
		person_clear(&u);
		person_summaries_free(items, n);
	}
	assert_int_equal(roster(&fx->peer, "smithers", names, sizeof names),
	    0);
	assert_int_equal(roster(&fx->peer, "jonty", names, sizeof names), 1);
}

static void
list_expect_invalid(const struct actor *a, const struct person_query *q,
    const char *field)
{
	char sentinel = 0;
	struct person_summary *items = (struct person_summary *)(void *)
	    &sentinel;
	struct verr v;
	char next[37] = "x";
	int n = -1;

	verr_init(&v);
	assert_int_equal(person_list(fx->db, a, q, &v, &items, &n, next),
	    ERR_INVALID);
	assert_true(verr_has(&v, field));
	assert_null(items);
	assert_int_equal(n, 0);
	assert_string_equal(next, "");
	assert_false(db_in_tx(fx->db));
}

static void
test_list_cursor(void **state)
{
	struct person_summary *items = NULL;
	struct person_query q;
	struct person p;
	struct verr v;
	char next[37], after[37], seen[12][37], names[32];
	int n, i, j, nseen = 0, pages = 0;

	(void)state;
	for (i = 7; i >= 1; i--) {	/* made out of name order */
		snprintf(names, sizeof names, "Cursory %02d", i);
		create(&fx->peer, names, "north", &p);
		person_clear(&p);
	}
	create(&fx->south, "Cursory 99", "south", &p);
	person_clear(&p);

	memset(&q, 0, sizeof q);
	q.q = "cursory";
	q.limit = 3;
	do {
		verr_init(&v);
		assert_int_equal(person_list(fx->db, &fx->peer, &q, &v, &items,
		    &n, next), ERR_OK);
		for (i = 0; i < n; i++) {
			assert_true(nseen < 12);
			snprintf(seen[nseen], sizeof seen[0], "%s",
			    items[i].id);
			snprintf(names, sizeof names, "Cursory %02d",
			    nseen + 1);
			assert_string_equal(items[i].preferred_name, names);
			assert_string_equal(items[i].team, "north");
			nseen++;
		}
		if (next[0]) {
			assert_int_equal(n, 3);
			assert_string_equal(next, items[n - 1].id);
		}
		person_summaries_free(items, n);
		if (pages == 0) {
			/* Someone added before the cursor meanwhile: the
			 * following pages neither repeat nor skip. */
			create(&fx->peer2, "Cursory 00", "north", &p);
			person_clear(&p);
		}
		snprintf(after, sizeof after, "%s", next);
		q.after = after;
		pages++;
	} while (next[0] && pages < 10);
	assert_int_equal(pages, 3);
	assert_int_equal(nseen, 7);
	for (i = 0; i < nseen; i++)
		for (j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	assert_true(audits(&fx->peer, NULL, "roster", "list", "success") >= 3);

	/* Filters and bad queries. */
	memset(&q, 0, sizeof q);
	q.q = "cursory";
	q.limit = 200;
	q.status = "active";
	verr_init(&v);
	assert_int_equal(person_list(fx->db, &fx->peer, &q, &v, &items, &n,
	    next), ERR_OK);
	assert_int_equal(n, 0);
	person_summaries_free(items, n);
	q.status = "outreach";
	q.team = "north";
	assert_int_equal(person_list(fx->db, &fx->both, &q, &v, &items, &n,
	    next), ERR_OK);
	assert_int_equal(n, 8);
	assert_string_equal(next, "");
	person_summaries_free(items, n);

	memset(&q, 0, sizeof q);
	q.limit = 0;
	list_expect_invalid(&fx->peer, &q, "limit");
	q.limit = 201;
	list_expect_invalid(&fx->peer, &q, "limit");
	q.limit = 10;
	q.status = "sleeping";
	list_expect_invalid(&fx->peer, &q, "status");
	q.status = NULL;
	q.after = "not-a-cursor";
	list_expect_invalid(&fx->peer, &q, "after");
	q.after = seen[0];	/* north's cursor means nothing to south */
	list_expect_invalid(&fx->south, &q, "after");
	q.after = NULL;
	q.q = "one two three four five";
	list_expect_invalid(&fx->peer, &q, "q");
	q.q = "bad\x01query";
	list_expect_invalid(&fx->peer, &q, "q");
	q.q = NULL;
	q.team = "nowhere";
	list_expect_invalid(&fx->peer, &q, "team");

	/* Another team's roster, or none at all, is refused. */
	q.team = "south";
	verr_init(&v);
	assert_int_equal(person_list(fx->db, &fx->peer, &q, &v, &items, &n,
	    next), ERR_FORBIDDEN);
	assert_null(items);
	q.team = NULL;
	assert_int_equal(person_list(fx->db, &fx->admin, &q, &v, &items, &n,
	    next), ERR_FORBIDDEN);
	assert_int_equal(person_list(fx->db, &fx->privacy, &q, &v, &items, &n,
	    next), ERR_FORBIDDEN);
	assert_int_equal(audits(&fx->admin, NULL, "roster", "list", "denied"),
	    1);
	assert_false(db_in_tx(fx->db));
}

static void
enroll_input(struct episode_input *in, const char *agreed,
    const char *intake, const char *source)
{
	memset(in, 0, sizeof *in);
	in->agreement_date = agreed;
	in->agreement_witness = "Pat Witness";
	in->intake_date = intake;
	in->referral_source = source;
}

static void
start_invalid(const char *person_id, const struct episode_input *in,
    const char *field)
{
	struct episode e;
	struct verr v;

	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer, person_id, in, &v,
	    &e), ERR_INVALID);
	if (!verr_has(&v, field))
		fail_msg("episode_start: expected an error for %s", field);
	assert_string_equal(e.id, "");
	assert_false(db_in_tx(fx->db));
}

static void
test_episodes(void **state)
{
	struct episode_input ei;
	struct discharge_input di;
	struct episode e, d;
	struct person p, g;
	struct verr v;
	char d10[11], d5[11], today[11], due[11], tomorrow[11];
	int64_t cur = 0;

	(void)state;
	day(-10, d10);
	day(-5, d5);
	day(0, today);
	day(1, tomorrow);
	create(&fx->peer, "Episodic", "north", &p);

	/* Values checked before anything is written. */
	enroll_input(&ei, d5, d10, "self");	/* agreed after intake */
	start_invalid(p.id, &ei, "agreement_date");
	enroll_input(&ei, d10, tomorrow, "self");
	start_invalid(p.id, &ei, "intake_date");
	enroll_input(&ei, d10, d5, "carrier_pigeon");
	start_invalid(p.id, &ei, "referral_source");
	enroll_input(&ei, d10, d5, NULL);
	start_invalid(p.id, &ei, "referral_source");
	enroll_input(&ei, NULL, d5, "self");
	start_invalid(p.id, &ei, "agreement_date");
	enroll_input(&ei, d10, d5, "self");
	ei.agreement_witness = " ";
	start_invalid(p.id, &ei, "agreement_witness");

	/* Not another team's person, nor by an administrator. */
	enroll_input(&ei, d10, d5, "self");
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->south, p.id, &ei, &v, &e),
	    ERR_NOT_FOUND);
	assert_int_equal(episode_start(fx->db, &fx->admin, p.id, &ei, &v, &e),
	    ERR_FORBIDDEN);
	assert_int_equal(audits(&fx->south, p.id, "episode", "create",
	    "denied"), 1);
	assert_int_equal(episode_start(fx->db, &fx->peer, "nope", &ei, &v, &e),
	    ERR_NOT_FOUND);
	assert_int_equal(episode_start(fx->db, &fx->peer,
	    "01900000-0000-7000-8000-000000000000", &ei, &v, &e),
	    ERR_NOT_FOUND);

	/* Enroll. */
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer, p.id, &ei, &v, &e),
	    ERR_OK);
	assert_true(uuid_valid(e.id));
	assert_int_equal(e.version, 1);
	assert_string_equal(e.agreement_date, d10);
	assert_string_equal(e.agreement_witness, "Pat Witness");
	assert_string_equal(e.intake_date, d5);
	assert_string_equal(e.referral_source, "self");
	assert_null(e.discharge_date);
	assert_null(e.follow_up_due);
	assert_string_equal(e.rules_version, rules_get()->episode_version);
	assert_int_equal(audits(&fx->peer, p.id, "episode", "create",
	    "success"), 1);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_string_equal(g.status, "active");
	assert_int_equal(g.version, 2);
	assert_int_equal(g.nepisodes, 1);
	assert_string_equal(g.episodes[0].id, e.id);
	person_clear(&g);

	/* One open episode at a time. */
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer2, p.id, &ei, &v, &d),
	    ERR_CONFLICT);

	/* Discharge: checks, then a stale version, then for real. */
	memset(&di, 0, sizeof di);
	di.discharge_date = d10;	/* before the intake */
	di.reason = "goals_reached";
	di.exit_strategy = "own_plan";
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 1,
	    &di, &v, &d, &cur), ERR_INVALID);
	assert_true(verr_has(&v, "discharge_date"));
	di.discharge_date = tomorrow;
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 1,
	    &di, &v, &d, &cur), ERR_INVALID);
	assert_true(verr_has(&v, "discharge_date"));
	di.discharge_date = today;
	di.reason = "bored";
	di.exit_strategy = NULL;
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 1,
	    &di, &v, &d, &cur), ERR_INVALID);
	assert_true(verr_has(&v, "reason"));
	assert_true(verr_has(&v, "exit_strategy"));
	di.reason = "goals_reached";
	di.exit_strategy = "own_plan";
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 7,
	    &di, &v, &d, &cur), ERR_STALE);
	assert_int_equal(cur, 1);
	assert_int_equal(episode_discharge(fx->db, &fx->south, p.id, e.id, 1,
	    &di, &v, &d, &cur), ERR_NOT_FOUND);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id,
	    "01900000-0000-7000-8000-000000000000", 1, &di, &v, &d, &cur),
	    ERR_NOT_FOUND);
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 1,
	    &di, &v, &d, &cur), ERR_OK);
	assert_int_equal(d.version, 2);
	assert_int_equal(cur, 2);
	assert_string_equal(d.discharge_date, today);
	assert_string_equal(d.discharge_reason, "goals_reached");
	assert_string_equal(d.exit_strategy, "own_plan");
	/* The face-to-face follow-up falls due the rules' days later. */
	assert_int_equal(rules_get()->follow_up_days, 30);
	day(30, due);
	assert_string_equal(d.follow_up_due, due);
	assert_int_equal(audits(&fx->peer, p.id, "episode", "update",
	    "success"), 1);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_string_equal(g.status, "discharged");
	assert_string_equal(g.episodes[0].follow_up_due, due);
	person_clear(&g);
	episode_clear(&d);

	/* Closed is closed. */
	verr_init(&v);
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 2,
	    &di, &v, &d, &cur), ERR_CONFLICT);

	/* A new episode cannot start before the last one ended. */
	enroll_input(&ei, d10, d5, "self");
	start_invalid(p.id, &ei, "intake_date");
	episode_clear(&e);
	enroll_input(&ei, today, today, "other");
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer, p.id, &ei, &v, &e),
	    ERR_OK);
	assert_int_equal(person_get(fx->db, &fx->peer, p.id, &g), ERR_OK);
	assert_int_equal(g.nepisodes, 2);
	assert_string_equal(g.status, "active");
	person_clear(&g);

	/* An episode is reached only through its own person. */
	{
		struct person q;

		create(&fx->peer, "Episodic Other", "north", &q);
		verr_init(&v);
		assert_int_equal(episode_discharge(fx->db, &fx->peer, q.id,
		    e.id, 1, &di, &v, &d, &cur), ERR_NOT_FOUND);
		person_clear(&q);
	}
	episode_clear(&e);
	episode_clear(NULL);
	person_clear(&p);
}

/* The rules in force, parsed from the copies compiled into the binary. */
static struct rules *
shipped_rules(void)
{
	static const char *const files[] = { "/episode.json",
	    "/languages.json" };
	struct rules *r = xcalloc(1, sizeof *r);
	char why[200];
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct asset *a = asset_find(data_assets, files[i]);

		assert_non_null(a);
		if (rules_parse((const char *)a->data, r, why, sizeof why) !=
		    ERR_OK)
			fail_msg("%s: %s", files[i], why);
	}
	return r;
}

static void
test_follow_up_from_rules(void **state)
{
	struct episode_input ei;
	struct discharge_input di;
	struct episode e, d;
	struct person p;
	struct rules *r;
	struct verr v;
	char today[11], due[11], why[200];

	(void)state;
	/* An organisation that follows up after 14 days. */
	r = shipped_rules();
	r->follow_up_days = 14;
	free(r->episode_version);
	r->episode_version = xstrdup("test.14");
	rules_install(r);

	day(0, today);
	create(&fx->peer, "Followed", "north", &p);
	enroll_input(&ei, today, today, "crisis_service");
	verr_init(&v);
	assert_int_equal(episode_start(fx->db, &fx->peer, p.id, &ei, &v, &e),
	    ERR_OK);
	assert_string_equal(e.rules_version, "test.14");
	memset(&di, 0, sizeof di);
	di.discharge_date = today;
	di.reason = "moved";
	di.exit_strategy = "other_program";
	assert_int_equal(episode_discharge(fx->db, &fx->peer, p.id, e.id, 1,
	    &di, &v, &d, NULL), ERR_OK);
	day(14, due);
	assert_string_equal(d.follow_up_due, due);
	assert_string_equal(d.rules_version, "test.14");
	episode_clear(&e);
	episode_clear(&d);
	person_clear(&p);

	/* Back to the stored rules for the other tests. */
	assert_int_equal(rules_load(fx->db, why, sizeof why), ERR_OK);
	assert_int_equal(rules_get()->follow_up_days, 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_and_get),
		cmocka_unit_test(test_create_team_rules),
		cmocka_unit_test(test_check_values),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_update_audit_detail),
		cmocka_unit_test(test_status_transitions),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_name_search),
		cmocka_unit_test(test_list_cursor),
		cmocka_unit_test(test_episodes),
		cmocka_unit_test(test_follow_up_from_rules),
	};
	int rc;

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	db_intern_free();
	return rc;
}
