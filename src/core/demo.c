#include <stdio.h>
#include <string.h>

#include "access/actor.h"
#include "access/session.h"
#include "core/demo.h"
#include "core/person.h"
#include "core/rules.h"
#include "core/staff.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"

const struct demo_account demo_accounts[] = {
	{ "admin", "Alex Rivera", "admin", NULL },
	{ "privacy", "Priya Shah", "privacy", NULL },
	{ "super.north", "Sam Okafor", "supervisor", "north" },
	{ "super.south", "Dana Whitfield", "supervisor", "south" },
	{ "peer.north", "Jordan Lee", "peer", "north" },
	{ "peer.north2", "Casey Morgan", "peer", "north" },
	{ "peer.south", "Riley Chen", "peer", "south" },
	{ NULL, NULL, NULL, NULL },
};

/* Generated, fictional names. The first forty are distinct. */
static const char *const first[] = {
	"Jonathan", "José", "Zoë", "Amara", "Renée", "Malik", "Mei", "Tomás",
	"Aaliyah", "Björn", "Chloé", "Dmitri", "Esperanza", "Farah", "Gideon",
	"Hana", "Ignacio", "Jasmine", "Kofi", "Leilani", "Marisol", "Nikhil",
	"Oluwaseun", "Paloma", "Quinn", "Rosalind", "Santiago", "Tamsin",
	"Uriel", "Valentina", "Wren", "Xiomara", "Yusuf", "Zainab", "Ángel",
	"Beatriz", "Cormac", "Dalia", "Emeka", "Fiona",
};

static const char *const last[] = {
	"Abernathy", "Baptiste", "Castellanos", "Delacroix", "Eastwood",
	"Fairweather", "Galloway", "Haverford", "Iwu", "Jankowski", "Kealoha",
	"Lindqvist", "Montoya", "Nakamura", "O'Rourke", "Pemberton", "Quintero",
	"Ravensworth", "Sørensen", "Thistlewood", "Underhill", "Valdés",
	"Whitacre", "Yellowhorse", "Zamora", "Ashdown", "Brightwater",
	"Coldfield", "Dunmore", "Everhart", "Nguyễn", "Müller",
};

static const char *const pronouns[] = {
	"she/her", "he/him", "they/them", NULL, "she/they", "he/they",
};

static const char *const languages[] = {
	"en", "en", "en", "en", "es", "en", "vi", "en", "zh", "en", "ar", "ht",
};

static const char *const relationships[] = {
	"friend", "sister", "brother", "partner", "sponsor", "neighbour",
	"cousin", "aunt", "mentor", "coworker",
};

/* A small deterministic generator, so every demo looks the same. */
static unsigned
next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static const char *
pick(unsigned *s, const char *const *list, size_t n)
{
	return list[next(s) % n];
}

#define PICK(s, list) pick(s, list, sizeof list / sizeof list[0])

static enum err
add_staff(struct db *db, const struct actor *sys, const char *password)
{
	const struct demo_account *d;
	struct verr v;
	enum err e;

	for (d = demo_accounts; d->username; d++) {
		struct staff_input in;
		const char *teams[1];

		memset(&in, 0, sizeof in);
		in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME |
		    STAFF_SET_ROLE | STAFF_SET_PASSWORD;
		in.username = d->username;
		in.display_name = d->display_name;
		in.role = role_parse(d->role);
		in.password = password;
		if (d->team) {
			teams[0] = d->team;
			in.teams = teams;
			in.nteams = 1;
			in.set |= STAFF_SET_TEAMS;
		}
		verr_init(&v);
		if ((e = staff_create(db, sys, &in, &v, NULL)) != ERR_OK) {
			log_error("demo: cannot add %s: %s%s%s", d->username,
			    err_str(e), v.n ? ": " : "",
			    v.n ? v.e[0].message : "");
			return e;
		}
	}
	return ERR_OK;
}

/* An actor for the team's supervisor, who records the demo people. */
static enum err
team_actor(struct db *db, const char *username, struct actor *a)
{
	enum err e;

	const struct demo_account *d;

	memset(a, 0, sizeof *a);
	if ((e = staff_id_by_username(db, username, a->id)) != ERR_OK)
		return e;
	snprintf(a->username, sizeof a->username, "%s", username);
	for (d = demo_accounts; d->username; d++)
		if (strcmp(d->username, username) == 0)
			snprintf(a->display_name, sizeof a->display_name, "%s",
			    d->display_name);
	a->role = ROLE_SUPERVISOR;
	snprintf(a->client_addr, sizeof a->client_addr, "%s", "demo");
	return auth_load_teams(db, a);
}

static void
date_ago(struct date today, int days, char out[11])
{
	date_format(date_add_days(today, -days), out);
}

void
demo_staff_name(unsigned *seed, char *out, size_t n)
{
	const char *given = PICK(seed, first);

	snprintf(out, n, "%s %s", given, PICK(seed, last));
}

enum err
demo_add_person(struct db *db, const struct actor *a, const char *peer_id,
    int i, unsigned *s, const char *parent_id, char id_out[37])
{
	const struct rules *r = rules_get();
	struct person_input in;
	struct person p;
	struct contact c[2];
	struct person_link link;
	struct verr v;
	struct date today = time_today();
	char name[128], legal[160], dob[11], phone[16], cname[2][128];
	char agreed[11], intake[11], left[11];
	const char *surname = PICK(s, last);
	int nc = 0, age, kind;
	enum err e;

	memset(&in, 0, sizeof in);
	snprintf(name, sizeof name, "%s %s",
	    first[i % (int)(sizeof first / sizeof first[0])], surname);
	in.set = PF_PREFERRED_NAME | PF_PRONOUNS | PF_DATE_OF_BIRTH |
	    PF_PHONE | PF_LANGUAGE | PF_PRIMARY_PEER | PF_CONTACTS;
	in.preferred_name = name;
	if (i % 5 == 0) {
		snprintf(legal, sizeof legal, "%s %c. %s",
		    first[i % (int)(sizeof first / sizeof first[0])],
		    'A' + (int)(next(s) % 26), surname);
		in.set |= PF_LEGAL_NAME;
		in.legal_name = legal;
	}
	in.pronouns = PICK(s, pronouns);
	age = 18 + (int)(next(s) % 55);
	date_format(date_add_days(today, -(int64_t)age * 365 -
	    (int64_t)(next(s) % 365)), dob);
	in.date_of_birth = dob;
	/* 555-01xx numbers are reserved for fiction. */
	snprintf(phone, sizeof phone, "555-01%02u", next(s) % 100);
	in.phone = phone;
	in.language = PICK(s, languages);
	in.primary_peer = peer_id;
	memset(c, 0, sizeof c);
	snprintf(cname[0], sizeof cname[0], "%s %s", PICK(s, first),
	    PICK(s, last));
	c[nc].kind = "natural_support";
	c[nc].name = cname[0];
	c[nc].relationship = (char *)(uintptr_t)PICK(s, relationships);
	nc++;
	if ((i / 2) % 2 == 0) {	/* half of each team */
		snprintf(cname[1], sizeof cname[1], "%s %s", PICK(s, first),
		    surname);
		c[nc].kind = "emergency_contact";
		c[nc].name = cname[1];
		c[nc].relationship = "family";
		c[nc].phone = "555-0199";
		nc++;
	}
	in.contacts = c;
	in.ncontacts = nc;
	if (parent_id) {
		snprintf(link.person_id, sizeof link.person_id, "%s",
		    parent_id);
		link.relationship = "parent";
		in.links = &link;
		in.nlinks = 1;
		in.set |= PF_LINKS;
	}
	verr_init(&v);
	if ((e = person_create(db, a, &in, &v, &p)) != ERR_OK) {
		log_error("demo: cannot add person %d: %s%s%s", i, err_str(e),
		    v.n ? ": " : "", v.n ? v.e[0].field : "");
		return e;
	}
	snprintf(id_out, 37, "%s", p.id);
	person_clear(&p);
	/* On each team a quarter in outreach, half active, a quarter
	 * discharged. */
	kind = (i / 2) % 4;	/* per team: people alternate teams */
	if (kind == 0 || r->nreferral_sources == 0)
		return ERR_OK;
	{
		struct episode_input ei;
		struct episode ep;
		int start = 20 + (int)(next(s) % 400);

		date_ago(today, start + 2, agreed);
		date_ago(today, start, intake);
		ei.agreement_date = agreed;
		ei.agreement_witness = a->display_name;
		ei.intake_date = intake;
		ei.referral_source = r->referral_sources[next(s) %
		    (unsigned)r->nreferral_sources].code;
		verr_init(&v);
		if ((e = episode_start(db, a, id_out, &ei, &v, &ep)) != ERR_OK)
			return e;
		if (kind == 3) {
			struct discharge_input di;
			struct episode done;

			date_ago(today, start / 2, left);
			di.discharge_date = left;
			di.reason = r->discharge_reasons[next(s) % 3].code;
			di.exit_strategy = r->exit_strategies[next(s) %
			    (unsigned)r->nexit_strategies].code;
			e = episode_discharge(db, a, id_out, ep.id, ep.version,
			    &di, &v, &done, NULL);
			episode_clear(&done);
		}
		episode_clear(&ep);
	}
	return e;
}

enum err
demo_fill(struct db *db, const char *password, int people)
{
	static const struct {
		const char *name, *display, *super, *peers[2];
	} teams[] = {
		{ "north", "North team", "super.north",
		    { "peer.north", "peer.north2" } },
		{ "south", "South team", "super.south",
		    { "peer.south", "peer.south" } },
	};
	struct actor sys, a[2];
	char peer_ids[2][2][37], id[37], prev[2][37] = { "", "" };
	unsigned seed = 0x2545F491u;
	struct verr v;
	enum err e;
	int i, t, j;

	actor_system(&sys);
	for (t = 0; t < 2; t++) {
		char tid[37];

		if (team_id_by_name(db, teams[t].name, tid) == ERR_OK)
			return ERR_CONFLICT;
	}
	for (t = 0; t < 2; t++) {
		verr_init(&v);
		if ((e = team_create(db, &sys, teams[t].name, teams[t].display,
		    &v, NULL)) != ERR_OK)
			return e;
	}
	if ((e = add_staff(db, &sys, password)) != ERR_OK)
		return e;
	for (t = 0; t < 2; t++) {
		if ((e = team_actor(db, teams[t].super, &a[t])) != ERR_OK)
			return e;
		for (j = 0; j < 2; j++)
			if ((e = staff_id_by_username(db, teams[t].peers[j],
			    peer_ids[t][j])) != ERR_OK)
				return e;
	}
	for (i = 0; i < people; i++) {
		const char *parent = NULL;

		t = i % 2;
		/* Now and then a person is a parent of the one before on
		 * the team (peer specialists also serve parents). */
		if (i % 9 == 4 && prev[t][0])
			parent = prev[t];
		if ((e = demo_add_person(db, &a[t],
		    peer_ids[t][(i / 2) % 2], i, &seed, parent, id)) != ERR_OK)
			return e;
		snprintf(prev[t], sizeof prev[t], "%s", id);
	}
	return demo_resources(db, &a[0]);
}
