/*
 * Plans for the demo organisation: for some of each team's active people,
 * a signed recovery plan with goals in their words, a signed crisis plan,
 * a community integration plan with milestones and a year of peer contacts
 * that grow shorter, and a draft advance directive; and for each team a
 * signed agreement to peer services and, for some, a release of
 * information to a housing program; and for each team a
 * wellness group whose roster holds them, with a session signed last week
 * and one from yesterday still a draft. Content is written as
 * JSON and goes through the same check as the API's, so the demo holds
 * nothing the API would refuse. Every name is generated and fictional.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "access/session.h"
#include "core/consent.h"
#include "core/contact.h"
#include "core/group.h"
#include "core/person.h"
#include "core/plan.h"
#include "core/portal.h"
#include "core/staff.h"
#include "interop/plan_demo.h"
#include "interop/plan_json.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/timeutil.h"

static enum err
actor_for(struct db *db, const char *username, enum role role,
    const char *display, struct actor *a)
{
	enum err e;

	memset(a, 0, sizeof *a);
	if ((e = staff_id_by_username(db, username, a->id)) != ERR_OK)
		return e;
	snprintf(a->username, sizeof a->username, "%s", username);
	snprintf(a->display_name, sizeof a->display_name, "%s", display);
	a->role = role;
	snprintf(a->client_addr, sizeof a->client_addr, "%s", "demo");
	return auth_load_teams(db, a);
}

/* Starts a plan of kind with content (JSON text) for the person. */
static enum err
start(struct db *db, const struct actor *a, const char *person_id,
    const char *kind, const char *title, const char *content,
    struct plan *out)
{
	struct plan_input in;
	struct plan_content c;
	struct plan_doc doc;
	struct verr v;
	json_t *j = json_loads(content, 0, NULL);
	enum err e;

	verr_init(&v);
	if (j == NULL || (e = plan_doc_check(kind, j, &v, &doc)) != ERR_OK) {
		log_error("demo: %s content does not pass its check%s%s",
		    kind, v.n ? ": " : "", v.n ? v.e[0].field : "");
		json_decref(j);
		return ERR_INTERNAL;
	}
	json_decref(j);
	memset(&in, 0, sizeof in);
	in.kind = kind;
	in.set_title = 1;
	in.title = title;
	c.text = doc.text;
	c.structure_version = plan_structure_version();
	c.items = doc.items;
	c.nitems = doc.nitems;
	in.content = &c;
	e = plan_create(db, a, person_id, &in, &v, out);
	plan_doc_clear(&doc);
	return e;
}

static enum err
sign_as(struct db *db, const struct actor *a, struct plan *p,
    const char *role, const char *typed_name)
{
	struct sign_input in;
	struct plan q;
	struct verr v;
	const char *rule;
	int64_t cur;
	enum err e;

	memset(&in, 0, sizeof in);
	in.role = role;
	in.typed_name = typed_name;
	in.confirmed = 1;
	verr_init(&v);
	if ((e = plan_sign(db, a, p->id, p->version, &in, &v, &rule, &q,
	    &cur)) != ERR_OK) {
		log_error("demo: signing as %s: %s", role, err_str(e));
		return e;
	}
	plan_clear(p);
	*p = q;
	return ERR_OK;
}

static const char *const goal_pairs[][2] = {
	{ "I want a place of my own where I feel safe.",
	    "Get back to playing guitar with other people." },
	{ "Find work that lets me help people.",
	    "Sleep through the night most nights." },
	{ "Be there for my kids on weekends.",
	    "Cook real meals for myself three times a week." },
	{ "Finish my GED this year.",
	    "Walk to the park every morning." },
};

/* The id of the first goal in a plan's content, into goal. */
static void
first_goal(const struct plan *p, char goal[37])
{
	json_t *j = json_loads(p->current.content, 0, NULL);
	const char *id = json_string_value(json_object_get(json_array_get(
	    json_object_get(j, "goals"), 0), "id"));

	snprintf(goal, 37, "%s", id ? id : "");
	json_decref(j);
}

static enum err
recovery_plan(struct db *db, const struct actor *peer,
    const struct actor *super, const char *person_id, const char *name,
    int k, char goal[37])
{
	char content[2048];
	struct plan p;
	enum err e;

	snprintf(content, sizeof content,
	    "{\"life_areas\":[\"home\",\"purpose\",\"community\"],"
	    "\"strengths\":[\"I don't give up\",\"I'm good with people\"],"
	    "\"barriers\":[\"Bus fare at the end of the month\"],"
	    "\"natural_supports\":[{\"name\":\"Marisol Haverford\","
	    "\"relationship\":\"friend\",\"phone\":\"555-0161\","
	    "\"how_they_help\":\"Listens, and drives me to appointments\"}],"
	    "\"goals\":[{\"words\":\"%s\",\"life_area\":\"home\","
	    "\"lifecycle_status\":\"active\",\"achievement_status\":"
	    "\"improving\",\"objectives\":[{\"what\":\"Apply for housing\","
	    "\"measure\":\"Applications sent\",\"target\":\"3 this season\"}],"
	    "\"steps\":[{\"what\":\"Call the housing office\",\"who\":"
	    "\"person\"},{\"what\":\"Go with them to the viewing\",\"who\":"
	    "\"peer\"}]},{\"words\":\"%s\",\"life_area\":\"community\","
	    "\"lifecycle_status\":\"active\",\"steps\":[{\"what\":\"Find a "
	    "group that meets on weekends\",\"who\":\"support\","
	    "\"support_name\":\"Marisol Haverford\"}]}]}",
	    goal_pairs[k % 4][0], goal_pairs[k % 4][1]);
	if ((e = start(db, peer, person_id, "recovery", "My recovery plan",
	    content, &p)) != ERR_OK)
		return e;
	first_goal(&p, goal);
	if ((e = sign_as(db, peer, &p, "person", name)) == ERR_OK &&
	    (e = sign_as(db, peer, &p, "peer", NULL)) == ERR_OK)
		e = sign_as(db, super, &p, "professional", NULL);
	plan_clear(&p);
	return e;
}

static enum err
crisis_plan(struct db *db, const struct actor *peer, const char *person_id,
    const char *name)
{
	static const char content[] =
	    "{\"when_well\":[\"Talkative and curious\",\"Up early\"],"
	    "\"take_over_signs\":[\"Not eating for two days\","
	    "\"Not answering the phone\"],"
	    "\"supporters\":{\"people\":[{\"name\":\"Marisol Haverford\","
	    "\"role\":\"Stay with me and call the team\",\"phone\":"
	    "\"555-0161\"},{\"name\":\"Peer line\",\"role\":\"Talk it "
	    "through\",\"phone\":\"555-0100\"}],\"not_involved\":[{\"name\":"
	    "\"Dmitri Galloway\",\"note\":\"Makes things worse\"}]},"
	    "\"treatments\":{\"acceptable\":[\"Talking with my peer "
	    "specialist\"],\"avoid\":[\"Being restrained\"]},"
	    "\"facilities\":{\"preferred\":[\"Crisis respite house\"],"
	    "\"avoid\":[\"County hospital ward 4\"]},"
	    "\"help_from_others\":{\"helps\":[\"A quiet room\",\"Music "
	    "through headphones\",\"Someone sitting with me\"],"
	    "\"does_not_help\":[\"Raised voices\",\"Being left alone\"]},"
	    "\"inactivation\":[\"Sleeping and eating again for three days\"]}";
	struct plan p;
	enum err e;

	if ((e = start(db, peer, person_id, "crisis", "My crisis plan",
	    content, &p)) != ERR_OK)
		return e;
	e = sign_as(db, peer, &p, "person", name);
	plan_clear(&p);
	return e;
}

/* One signed contact on day d at 10:00, minutes long, on the goal. */
static enum err
contact_on(struct db *db, const struct actor *peer, const char *person_id,
    struct date d, int minutes, const char *goal, int k)
{
	static const char *const types[] = { "individual", "community_integration",
	    "phone", "accompaniment" };
	static const char *const settings[] = { "community", "office", NULL,
	    "community" };
	struct contact_input in;
	struct contact_rec c, signed_c;
	struct verr v;
	const char *goals[1] = { goal };
	const char *rule;
	char start[25], end[25];
	int64_t t = time_day_start_ms(d) + 10 * 3600000, cur;
	enum err e;

	time_format_utc(t, start);
	time_format_utc(t + (int64_t)minutes * 60000, end);
	memset(&in, 0, sizeof in);
	in.set = CF_TYPE | CF_STARTED_AT | CF_ENDED_AT | CF_LOCATION |
	    CF_INTERVENTION | CF_RESPONSE | CF_NEXT_STEPS | CF_TOGETHER |
	    CF_CREDENTIAL | (settings[k % 4] ? CF_SETTING : 0) |
	    (goal[0] ? CF_GOALS : 0);
	in.type = types[k % 4];
	in.started_at = start;
	in.ended_at = end;
	in.setting = settings[k % 4];
	in.location = k % 4 == 2 ? "By phone" : "Library and the bus stop";
	in.intervention = "Practised the bus route together and talked "
	    "through what felt hard last week.";
	in.response = "Took the lead on the second leg and said it felt "
	    "easier than last time.";
	in.next_steps = "Ride the route alone on Thursday; call me after.";
	in.written_together = 1;
	in.credential = "CPRS";
	in.goals = goals;
	in.ngoals = goal[0] ? 1 : 0;
	verr_init(&v);
	if ((e = contact_create(db, peer, person_id, &in, &v, &c)) != ERR_OK) {
		log_error("demo: contact: %s%s%s", err_str(e), v.n ? ": " : "",
		    v.n ? v.e[0].field : "");
		return e;
	}
	verr_init(&v);
	e = contact_sign(db, peer, c.id, c.version, 0, &v, &rule, &signed_c,
	    &cur);
	if (e != ERR_OK)
		log_error("demo: signing a contact: %s%s%s", err_str(e),
		    v.n ? ": " : "", v.n ? v.e[0].field : "");
	else
		contact_clear(&signed_c);
	contact_clear(&c);
	return e;
}

/* Milestones, and a year of contacts that grow shorter as the person
 * relies on peer support less. */
static enum err
community_plan(struct db *db, const struct actor *peer,
    const char *person_id, int k, const char *goal)
{
	static const char content[] =
	    "{\"my_picture\":\"Getting around on my own, singing with the "
	    "choir, and helping at the food bank.\","
	    "\"milestones\":[{\"what\":\"Take the bus to the library on my "
	    "own\",\"domain\":\"transportation\",\"status\":\"achieved\"},"
	    "{\"what\":\"Join the Tuesday choir\",\"domain\":\"social\","
	    "\"status\":\"working-on-it\"},{\"what\":\"Volunteer at the food "
	    "bank once a month\",\"domain\":\"volunteer\",\"status\":"
	    "\"planned\"}],\"fewer_contacts_plan\":\"We meet every week now, "
	    "then every other week once I'm at choir.\"}";
	struct date today = time_today();
	struct plan p;
	enum err e;
	int m, c;

	if ((e = start(db, peer, person_id, "community-integration",
	    "Out and about", content, &p)) != ERR_OK)
		return e;
	plan_clear(&p);
	for (m = 11; m >= 0; m--) {
		struct date d = today;

		d.d = 1;
		d.m -= m;
		while (d.m < 1) {
			d.m += 12;
			d.y--;
		}
		for (c = 0; c < 1 + m / 3; c++) {
			struct date day = date_add_days(d, 3 + 7 * c);

			if (date_cmp(day, today) >= 0)
				break;
			if ((e = contact_on(db, peer, person_id, day,
			    30 + 4 * m + 5 * ((k + c) % 3), goal, k + c)) !=
			    ERR_OK)
				return e;
		}
	}
	return ERR_OK;
}

static enum err
directive_draft(struct db *db, const struct actor *peer,
    const char *person_id)
{
	static const char content[] =
	    "{\"when_incapable\":\"I stop sleeping and talk very fast.\","
	    "\"medications\":{\"choice\":\"consent\",\"consent_list\":[\"The "
	    "medication that helped in 2024\"],\"refuse_list\":[\"Anything "
	    "that made me gain weight before\"]},"
	    "\"ect\":{\"choice\":\"refuse\"},"
	    "\"facility\":{\"choice\":\"consent\",\"preferred\":[\"Crisis "
	    "respite house\"],\"avoid\":[\"County hospital ward 4\"]},"
	    "\"attorney_in_fact\":{\"name\":\"Marisol Haverford\","
	    "\"phone\":\"555-0161\"},"
	    "\"preferences\":{\"de_escalation\":[\"Speak slowly\","
	    "\"Let me walk\"],\"people_to_notify\":[{\"name\":\"Marisol "
	    "Haverford\",\"phone\":\"555-0161\"}],\"children_and_pets\":"
	    "\"My cat goes to my neighbour.\"}}";
	struct plan p;
	enum err e;

	if ((e = start(db, peer, person_id, "advance-directive",
	    "Declaration for mental health treatment", content, &p)) != ERR_OK)
		return e;
	plan_clear(&p);
	return ERR_OK;
}

/* The person's agreement to peer services and, when release is set, a
 * release of their plans and attendance to a housing program. */
static enum err
consent_demo(struct db *db, const struct actor *peer, const char *person_id,
    const char *name, int release)
{
	static const char *const agree[] = { "treatment" };
	static const char *const cats[] = { "plans", "attendance" };
	static const char *const purps[] = { "referral" };
	struct consent_recipient to = { "Sunrise Housing Coalition",
	    "12 Example Street" };
	struct consent_input in;
	struct consent_rec c;
	struct verr v;
	const char *rule;
	char today[11];
	enum err e;

	date_format(date_add_days(time_today(), -30), today);
	memset(&in, 0, sizeof in);
	in.kind = "peer_services";
	in.person_name = name;
	in.purposes = agree;
	in.npurposes = 1;
	in.expiry_event = "end_of_treatment";
	in.signer_name = name;
	in.signer_authority = "self";
	in.signed_on = today;
	in.revocation_statement = in.conditioning_statement =
	    in.redisclosure_statement = -1;
	verr_init(&v);
	if ((e = consent_create(db, peer, person_id, &in, &v, &rule, &c)) !=
	    ERR_OK) {
		log_error("demo: consent: %s%s%s", err_str(e), v.n ? ": " : "",
		    v.n ? v.e[0].field : "");
		return e;
	}
	consent_clear(&c);
	if (!release)
		return ERR_OK;
	in.kind = "release_of_information";
	in.recipients = &to;
	in.nrecipients = 1;
	in.information = "My housing plan and the dates I met my peer "
	    "specialist, so the housing program can support my application.";
	in.categories = cats;
	in.ncategories = 2;
	in.purposes = purps;
	in.revocation_statement = 1;
	verr_init(&v);
	if ((e = consent_create(db, peer, person_id, &in, &v, &rule, &c)) !=
	    ERR_OK) {
		log_error("demo: release: %s%s%s", err_str(e), v.n ? ": " : "",
		    v.n ? v.e[0].field : "");
		return e;
	}
	consent_clear(&c);
	return ERR_OK;
}

/* A session of group g on day d at 18:00 for the people with their goals,
 * everyone but the last present; signed when sign is set. */
static enum err
group_session_on(struct db *db, const struct actor *peer, const char *g,
    struct date d, char (*people)[37], char (*goals)[37], int n, int sign)
{
	struct group_attendance_input att[8];
	struct group_session_input in;
	struct group_session s, done;
	const char *goal[8][1];
	const char *rule;
	char start[25], end[25];
	int64_t t = time_day_start_ms(d) + 18 * 3600000, cur;
	struct verr v;
	enum err e;
	int i;

	time_format_utc(t, start);
	time_format_utc(t + 75 * 60000, end);
	memset(&in, 0, sizeof in);
	memset(att, 0, sizeof att);
	for (i = 0; i < n && i < 8; i++) {
		goal[i][0] = goals[i];
		att[i].person_id = people[i];
		att[i].present = i < n - 1;
		if (!att[i].present)
			continue;
		att[i].note = i % 2 ? "Shared one thing that helps on a hard "
		    "day and tried the breathing exercise." : "Listened at "
		    "first, then said walking the dog helps when stress "
		    "builds.";
		att[i].next_steps = "Try the breathing exercise before bed "
		    "three nights this week.";
		att[i].goals = goals[i][0] ? goal[i] : NULL;
		att[i].ngoals = goals[i][0] ? 1 : 0;
	}
	in.set = GS_STARTED_AT | GS_ENDED_AT | GS_TOPIC | GS_NARRATIVE |
	    GS_CREDENTIAL | GS_ATTENDANCE;
	in.started_at = start;
	in.ended_at = end;
	in.topic = "Stress management";
	in.narrative = "The group talked about what stress feels like in "
	    "the body, shared what helps, and practised a breathing "
	    "exercise together.";
	in.credential = "CPRS";
	in.attendance = att;
	in.nattendance = n < 8 ? n : 8;
	verr_init(&v);
	if ((e = group_session_create(db, peer, g, &in, &v, &s)) != ERR_OK) {
		log_error("demo: group session: %s%s%s", err_str(e),
		    v.n ? ": " : "", v.n ? v.e[0].field : "");
		return e;
	}
	if (sign) {
		verr_init(&v);
		e = group_session_sign(db, peer, g, s.id, s.version, &v, &rule,
		    &done, &cur);
		if (e != ERR_OK)
			log_error("demo: signing a group session: %s%s%s",
			    err_str(e), v.n ? ": " : "", v.n ? v.e[0].field :
			    "");
		else
			group_session_clear(&done);
	}
	group_session_clear(&s);
	return e;
}

/* The team's wellness group with people on its roster and two sessions. */
static enum err
group_demo(struct db *db, const struct actor *peer, const char *team,
    char (*people)[37], char (*goals)[37], int n)
{
	struct group_input in;
	struct group_rec g, r;
	struct date d;
	struct verr v;
	enum err e;
	int i;

	memset(&in, 0, sizeof in);
	in.set = GF_TEAM | GF_NAME | GF_CURRICULUM | GF_DESCRIPTION |
	    GF_SETTING | GF_LOCATION;
	in.team = team;
	in.name = "Tuesday wellness group";
	in.curriculum = "wellness_coaching";
	in.description = "Stress, sleep, healthy leisure and speaking up for "
	    "yourself: a topic each week, chosen together.";
	in.setting = "community_mental_health_center";
	in.location = "Community room";
	verr_init(&v);
	if ((e = group_create(db, peer, &in, &v, &g)) != ERR_OK) {
		log_error("demo: group: %s", err_str(e));
		return e;
	}
	for (i = 0; i < n && e == ERR_OK; i++) {
		verr_init(&v);
		if ((e = group_member_add(db, peer, g.id, people[i], &v, &r)) ==
		    ERR_OK)
			group_clear(&r);
	}
	d = date_add_days(time_today(), -7);
	if (e == ERR_OK)
		e = group_session_on(db, peer, g.id, d, people, goals, n, 1);
	d = date_add_days(time_today(), -1);
	if (e == ERR_OK)
		e = group_session_on(db, peer, g.id, d, people, goals, n, 0);
	group_clear(&g);
	return e;
}

/* The person's own portal, open with a known name and passphrase. */
static enum err
portal_demo(struct db *db, const struct actor *peer, const char *person_id,
    const char *passphrase)
{
	struct portal_status st;
	struct portal_sign_in si;
	char code[PORTAL_CODE_MAX];
	struct verr v;
	enum err e;

	if ((e = portal_invite(db, peer, person_id, code, &st)) != ERR_OK)
		return e;
	verr_init(&v);
	e = portal_activate(db, code, DEMO_PORTAL_NAME, passphrase, "local",
	    &v, &si);
	crypto_wipe(code, sizeof code);
	if (e == ERR_OK)
		e = portal_sign_out(db, &si.actor);
	crypto_wipe(&si, sizeof si);
	return e;
}

enum err
plan_demo_fill(struct db *db, int per_team, const char *portal_passphrase,
    char *portal_person, size_t pn)
{
	static const struct {
		const char *peer, *peer_name, *super, *super_name;
	} teams[] = {
		{ "peer.north", "Jordan Lee", "super.north", "Sam Okafor" },
		{ "peer.south", "Riley Chen", "super.south", "Dana Whitfield" },
	};
	struct actor peer, super;
	struct person_query q;
	struct person_summary *s;
	struct verr v;
	char next[37], ids[8][37], goals[8][37];
	int t, i, n;
	enum err e;

	for (t = 0; t < 2; t++) {
		if ((e = actor_for(db, teams[t].peer, ROLE_PEER,
		    teams[t].peer_name, &peer)) != ERR_OK ||
		    (e = actor_for(db, teams[t].super, ROLE_SUPERVISOR,
		    teams[t].super_name, &super)) != ERR_OK)
			return e;
		memset(&q, 0, sizeof q);
		q.status = "active";
		q.limit = per_team;
		verr_init(&v);
		if ((e = person_list(db, &super, &q, &v, &s, &n, next)) !=
		    ERR_OK)
			return e;
		for (i = 0; i < n && e == ERR_OK; i++) {
			char *goal = goals[i < 8 ? i : 7];

			goal[0] = '\0';
			if (i < 8)
				snprintf(ids[i], sizeof ids[i], "%s", s[i].id);
			e = recovery_plan(db, &peer, &super, s[i].id,
			    s[i].preferred_name, i + t, goal);
			if (e == ERR_OK)
				e = consent_demo(db, &peer, s[i].id,
				    s[i].preferred_name, i % 2 == 0);
			if (e == ERR_OK && i % 2 == 0)
				e = crisis_plan(db, &peer, s[i].id,
				    s[i].preferred_name);
			if (e == ERR_OK && i % 2 == 0)
				e = community_plan(db, &peer, s[i].id, i, goal);
			if (e == ERR_OK && i % 3 == 0)
				e = directive_draft(db, &peer, s[i].id);
		}
		if (e == ERR_OK && t == 0 && n > 0 && portal_passphrase) {
			e = portal_demo(db, &peer, s[0].id, portal_passphrase);
			snprintf(portal_person, pn, "%s", s[0].preferred_name);
		}
		person_summaries_free(s, n);
		if (e == ERR_OK && n > 1)
			e = group_demo(db, &peer, t == 0 ? "north" : "south",
			    ids, goals, n < 8 ? n : 8);
		if (e != ERR_OK)
			return e;
	}
	return ERR_OK;
}
