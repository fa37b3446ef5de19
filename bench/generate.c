/*
 * bench-generate: fills a database with a fictional state-wide peer
 * network for the load scenarios in bench/run.sh. Built with the program
 * (build/bench-generate), never installed.
 *
 *   build/bench-generate --db FILE|postgresql://... [--scale S]
 *       [--services N] [--password PW] [--key-file FILE]
 *
 * At scale 1: 200 teams of one supervisor and nine peer specialists
 * (2,002 staff with an administrator and a privacy officer), 100,000
 * people we support (300 to 700 a team; team north, where the bench signs
 * in as peer.north, has about 500) and 2,000,000 audit entries. --scale
 * multiplies the number of teams, people and audit entries; the size of
 * a team stays, so a roster looks the same at every scale.
 *
 * The resource directory (docs/resources.md) gets --services services
 * (20,000 at any scale; 0 for none) of about half as many organisations,
 * fictional, in a state-sized area (latitude 37 to 42.5, longitude -91.5
 * to -87.5): each at one or two places clustered around a dozen towns,
 * whose 300 postal codes (one per 12 km cell of a town's area) hold from
 * a handful of places to many hundred; one to three categories of
 * data/resources.json; English mostly, Spanish often, another language
 * sometimes; weekday hours, some evenings and Saturdays, some around the
 * clock or overnight; a phone; about 5% inactive. They are written with
 * the core's SQL, 2,000 services a transaction, and search_text comes
 * from resource_search_text_refresh(). The count is kept in the setting
 * bench_services.
 *
 * Teams, staff and people go through the core functions the server uses
 * (team_create, staff_create, person_create, episode_start and
 * episode_discharge by way of demo_add_person), so name tokens, contacts,
 * links, episodes and their audit entries are real. Every account shares
 * one password, hashed once. The rest of the audit entries, a history of
 * reads, roster lists and sign-ins, are appended in large batches with
 * audit_append_many(), which keeps the hash chain whole: `alongside audit
 * verify` passes on the result. Commits are not waited for (SQLite
 * synchronous=OFF, PostgreSQL synchronous_commit=off) on this connection
 * only; the server keeps its own settings. The scale is kept in the
 * setting bench_scale, set last, for bench/run.sh to reuse the database.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "access/actor.h"
#include "access/audit.h"
#include "access/password.h"
#include "access/session.h"
#include "cli/cli.h"
#include "core/demo.h"
#include "core/resource.h"
#include "core/rules.h"
#include "core/staff.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/seal.h"
#include "util/timeutil.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#define TEAMS_AT_1	200
#define PEOPLE_AT_1	100000
#define AUDIT_AT_1	2000000
#define PEERS_PER_TEAM	9
#define STAFF_PER_TEAM	(1 + PEERS_PER_TEAM)
#define AUDIT_BATCH	20000
#define SCALE_ONE	1000000		/* --scale in millionths */

static const char usage[] =
    "usage: bench-generate --db FILE|URI [--scale S] [--services N]\n"
    "                      [--password PW] [--key-file FILE]\n"
    "\n"
    "Fills a new database with a fictional state-wide peer network: at\n"
    "scale 1 (the default) 200 teams, 2,002 staff, 100,000 people and\n"
    "2,000,000 audit entries; --scale 0.05 makes a twentieth of it. The\n"
    "resource directory gets --services services (default 20000 at any\n"
    "scale; 0 for none). Every\n"
    "account has the password given (default bench-password-not-real);\n"
    "the bench signs in as peer.north. The key file that seals the\n"
    "records is made as alongside init makes it (--key-file, or\n"
    "ALONGSIDE_KEY_FILE, or FILE.key beside a SQLite database).\n";

struct staff_ref {
	char	 id[37];
	char	 name[128];
	char	 addr[48];
	int	 team;
	int	 supervisor;
};

struct world {
	int			 nteams;
	char			(*team_ids)[37];
	int			*first_person;	/* per team, into person_ids */
	int			*npeople;	/* per team */
	int			 nstaff;
	struct staff_ref	*staff;		/* STAFF_PER_TEAM per team */
	int			 npersons;
	char			(*person_ids)[37];
};

/* --scale as millionths: digits with an optional fraction of up to six. */
static int
scale_parse(const char *s, int64_t *out)
{
	char whole[16], frac[8] = "000000";
	const char *dot = strchr(s, '.');
	size_t n = dot ? (size_t)(dot - s) : strlen(s), f;
	int64_t w = 0, d = 0;

	if (n >= sizeof whole)
		return -1;
	memcpy(whole, s, n);
	whole[n] = '\0';
	if (n > 0 && parse_int64(whole, 0, 100, &w) != ERR_OK)
		return -1;
	if (dot) {
		f = strlen(dot + 1);
		if (f == 0 || f > 6 || strspn(dot + 1, "0123456789") != f)
			return -1;
		memcpy(frac, dot + 1, f);
		if (parse_int64(frac, 0, 999999, &d) != ERR_OK)
			return -1;
	} else if (n == 0) {
		return -1;
	}
	*out = w * SCALE_ONE + d;
	return *out > 0 ? 0 : -1;
}

static int64_t
scaled(int64_t at_one, int64_t ppm)
{
	return (at_one * ppm + SCALE_ONE / 2) / SCALE_ONE;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static unsigned
next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
team_name(int t, char *out, size_t n, char *display, size_t dn)
{
	if (t == 0) {
		snprintf(out, n, "north");
		snprintf(display, dn, "North team");
	} else if (t == 1) {
		snprintf(out, n, "south");
		snprintf(display, dn, "South team");
	} else {
		snprintf(out, n, "team-%03d", t + 1);
		snprintf(display, dn, "Team %03d", t + 1);
	}
}

/*
 * The account for member k of team t (0 the supervisor): the demo's own
 * names on teams north and south, generated ones elsewhere.
 */
static void
staff_name(int t, int k, const char *team, unsigned *seed, char *user,
    size_t un, char *display, size_t dn)
{
	static const char *const north[][2] = {
		{ "super.north", "Sam Okafor" }, { "peer.north", "Jordan Lee" },
		{ "peer.north2", "Casey Morgan" },
	};
	static const char *const south[][2] = {
		{ "super.south", "Dana Whitfield" },
		{ "peer.south", "Riley Chen" },
	};

	if (t == 0 && k < 3) {
		snprintf(user, un, "%s", north[k][0]);
		snprintf(display, dn, "%s", north[k][1]);
		return;
	}
	if (t == 1 && k < 2) {
		snprintf(user, un, "%s", south[k][0]);
		snprintf(display, dn, "%s", south[k][1]);
		return;
	}
	if (k == 0)
		snprintf(user, un, "super.%s", team);
	else
		snprintf(user, un, "peer.%s.%d", team, k);
	demo_staff_name(seed, display, dn);
}

static enum err
add_account(struct db *db, const struct actor *sys, const char *user,
    const char *display, enum role role, const char *team, const char *hash,
    char id[37])
{
	struct staff_input in;
	struct staff_rec rec;
	struct verr v;
	const char *teams[1];
	enum err e;

	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME |
	    STAFF_SET_ROLE | STAFF_SET_PASSWORD_HASH;
	in.username = user;
	in.display_name = display;
	in.role = role;
	in.password_hash = hash;
	if (team) {
		teams[0] = team;
		in.teams = teams;
		in.nteams = 1;
		in.set |= STAFF_SET_TEAMS;
	}
	verr_init(&v);
	memset(&rec, 0, sizeof rec);
	if ((e = staff_create(db, sys, &in, &v, &rec)) != ERR_OK) {
		fprintf(stderr, "bench-generate: cannot add %s: %s%s%s\n", user,
		    err_str(e), v.n ? ": " : "", v.n ? v.e[0].message : "");
		return e;
	}
	snprintf(id, 37, "%s", rec.id);
	staff_rec_clear(&rec);
	return ERR_OK;
}

/* Teams and their staff, through team_create and staff_create. */
static enum err
add_teams(struct db *db, struct world *w, const char *hash)
{
	struct actor sys;
	struct verr v;
	char name[41], display[64], user[65], id[37];
	unsigned seed = 0x6A09E667u;
	enum err e;
	int t, k;

	actor_system(&sys);
	if ((e = add_account(db, &sys, "admin", "Alex Rivera", ROLE_ADMIN,
	    NULL, hash, id)) != ERR_OK ||
	    (e = add_account(db, &sys, "privacy", "Priya Shah", ROLE_PRIVACY,
	    NULL, hash, id)) != ERR_OK)
		return e;
	for (t = 0; t < w->nteams; t++) {
		struct team_rec rec;

		team_name(t, name, sizeof name, display, sizeof display);
		verr_init(&v);
		memset(&rec, 0, sizeof rec);
		if ((e = team_create(db, &sys, name, display, &v, &rec)) !=
		    ERR_OK) {
			fprintf(stderr, "bench-generate: cannot add team %s: "
			    "%s\n", name, err_str(e));
			return e;
		}
		snprintf(w->team_ids[t], 37, "%s", rec.id);
		free(rec.name);
		free(rec.display_name);
		for (k = 0; k < STAFF_PER_TEAM; k++) {
			struct staff_ref *s = &w->staff[w->nstaff];

			staff_name(t, k, name, &seed, user, sizeof user,
			    s->name, sizeof s->name);
			if ((e = add_account(db, &sys, user, s->name, k == 0 ?
			    ROLE_SUPERVISOR : ROLE_PEER, name, hash, s->id)) !=
			    ERR_OK)
				return e;
			/* Each team works from one site of the network. */
			snprintf(s->addr, sizeof s->addr, "10.%d.%d.%d",
			    t / 250, t % 250, 10 + k);
			s->team = t;
			s->supervisor = k == 0;
			w->nstaff++;
		}
	}
	return ERR_OK;
}

/*
 * People, through person_create and the episode functions, recorded by
 * each team's supervisor. Team sizes vary from 300 to 700 around the
 * mean; team north keeps the mean.
 */
static enum err
add_people(struct db *db, struct world *w, int64_t total)
{
	int64_t *weight, sum = 0, given = 0;
	unsigned seed = 0x2545F491u;
	struct timespec t0;
	int t, j, i = 0, shown = 0;
	enum err e = ERR_OK;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	weight = xcalloc((size_t)w->nteams, sizeof *weight);
	for (t = 0; t < w->nteams; t++) {
		weight[t] = t == 0 ? 500 : 300 + (int64_t)((t * 7919u) % 401);
		sum += weight[t];
	}
	for (t = 0; t < w->nteams; t++) {
		w->npeople[t] = (int)(total * weight[t] / sum);
		given += w->npeople[t];
	}
	for (t = 1; given < total; t = t % (w->nteams - 1) + 1, given++)
		w->npeople[t]++;	/* the rounding, to teams but north */
	free(weight);
	w->person_ids = xcalloc((size_t)total + 1, sizeof *w->person_ids);
	for (t = 0; t < w->nteams && e == ERR_OK; t++) {
		struct staff_ref *team_staff = &w->staff[t * STAFF_PER_TEAM];
		struct actor a;

		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "%s", team_staff[0].id);
		snprintf(a.display_name, sizeof a.display_name, "%s",
		    team_staff[0].name);
		a.role = ROLE_SUPERVISOR;
		snprintf(a.client_addr, sizeof a.client_addr, "%s",
		    team_staff[0].addr);
		if ((e = auth_load_teams(db, &a)) != ERR_OK)
			break;
		w->first_person[t] = i;
		for (j = 0; j < w->npeople[t]; j++, i++) {
			/* Now and then a parent of the one before. */
			const char *parent = j > 0 && i % 9 == 4 ?
			    w->person_ids[i - 1] : NULL;

			if ((e = demo_add_person(db, &a, team_staff[1 +
			    j % PEERS_PER_TEAM].id, i, &seed, parent,
			    w->person_ids[i])) != ERR_OK) {
				fprintf(stderr, "bench-generate: cannot add a "
				    "person: %s\n", err_str(e));
				break;
			}
		}
		if (i * 10 / (total ? total : 1) > shown) {
			shown = (int)(i * 10 / total);
			fprintf(stderr, "  %d people (%.0f s)\n", i,
			    seconds_since(&t0));
		}
	}
	w->npersons = i;
	return e;
}

static int64_t
audit_count(struct db *db)
{
	struct db_stmt *st;
	int64_t n = -1;
	int row;

	if (db_prepare(db, "SELECT seq FROM audit_head WHERE id = 1", &st) !=
	    ERR_OK)
		return -1;
	if (db_step(st, &row) == ERR_OK && row)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/*
 * One past event: mostly reads of people on the reader's own team, some
 * roster lists and sign-ins, now and then a read refused.
 */
static void
history_entry(const struct world *w, unsigned *seed, struct audit_entry *e)
{
	const struct staff_ref *s = &w->staff[next(seed) %
	    (unsigned)w->nstaff];
	unsigned kind = next(seed) % 1000, pick = next(seed);
	int t = kind >= 997 ? (s->team + 1) % w->nteams : s->team, p;

	memset(e, 0, sizeof *e);
	e->actor_id = s->id;
	e->actor_role = s->supervisor ? "supervisor" : "peer";
	e->client_addr = s->addr;
	e->outcome = "success";
	if ((kind < 800 || kind >= 997) && w->npeople[t] > 0) {
		p = w->first_person[t] + (int)(pick %
		    (unsigned)w->npeople[t]);
		e->person_id = w->person_ids[p];
		e->object_type = "person";
		e->object_id = w->person_ids[p];
		e->action = "read";
		if (kind >= 997)
			e->outcome = "denied";
	} else if (kind < 900 || kind >= 997) {
		e->object_type = "roster";
		e->action = "list";
		e->detail = "count=50";
	} else {
		e->object_type = "session";
		e->action = "sign_in";
		if (kind >= 960 && kind < 990) {
			e->action = "sign_out";
		} else if (kind >= 990) {
			e->outcome = "failure";
			e->detail = "wrong password";
		}
	}
}

/* Appends history until the log holds total entries. */
static enum err
add_history(struct db *db, const struct world *w, int64_t total)
{
	struct audit_entry *batch;
	unsigned seed = 0xBB67AE85u;
	struct timespec t0;
	int64_t have = audit_count(db), todo, done = 0;
	int n, i, shown = 0;
	enum err e = ERR_OK;

	if (have < 0)
		return ERR_DB;
	todo = total > have ? total - have : 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	batch = xcalloc(AUDIT_BATCH, sizeof *batch);
	while (done < todo) {
		n = todo - done > AUDIT_BATCH ? AUDIT_BATCH :
		    (int)(todo - done);
		for (i = 0; i < n; i++)
			history_entry(w, &seed, &batch[i]);
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			break;
		if ((e = audit_append_many(db, batch, n)) != ERR_OK) {
			db_rollback(db);
			break;
		}
		if ((e = db_commit(db)) != ERR_OK)
			break;
		done += n;
		if (done * 10 / todo > shown) {
			shown = (int)(done * 10 / todo);
			fprintf(stderr, "  %lld audit entries (%.0f s)\n",
			    (long long)(have + done), seconds_since(&t0));
		}
	}
	free(batch);
	return e;
}

/* ---------------------------------------------------------------- */
/* The resource directory */

/* A fictional state: towns (centre, weight) whose areas hold the postal
 * codes. Each town's area is a 5 x 5 grid of 12 km cells around its
 * centre, one postal code a cell: 300 codes, the middle ones crowded. */
static const struct town {
	const char	*name;
	double		 lat, lon;
	int		 weight;
} towns[] = {
	{ "Maple Grove", 41.85, -88.20, 20 },
	{ "Riverside", 41.50, -90.50, 10 },
	{ "Harlow", 40.70, -89.60, 12 },
	{ "Brookfield", 40.10, -88.25, 9 },
	{ "Cedar Bend", 39.80, -89.65, 10 },
	{ "Stonebridge", 42.20, -89.10, 8 },
	{ "Millbrook", 41.10, -87.85, 6 },
	{ "Fairhaven", 38.60, -90.00, 9 },
	{ "Ashford", 37.75, -89.20, 4 },
	{ "Willow Creek", 39.00, -88.55, 4 },
	{ "Pinecrest", 40.45, -91.10, 3 },
	{ "Oakridge", 38.30, -88.90, 3 },
};
#define NTOWNS		((int)(sizeof towns / sizeof towns[0]))
#define TOWN_GRID	5
#define TOWN_CELL_KM	12.0
#define DIR_BATCH	2000	/* services a transaction */

/* Kinds of service: a name, what it does, its categories (the first
 * always, one or two of the others now and then). */
static const struct service_kind {
	const char	*name[3];
	const char	*desc;
	const char	*cats[4];
} kinds[] = {
	{ { "Food Pantry", "Food Shelf", "Pantry" },
	  "Free groceries each week for individuals and families, with fresh "
	  "produce when the gardens are in.",
	  { "food-insecurity", "material-hardship" } },
	{ { "Community Meals", "Community Kitchen", "Soup Kitchen" },
	  "Hot meals served family style; everyone eats together and nobody "
	  "is asked why they came.",
	  { "food-insecurity", "social-connection-peer", "social-connection" } },
	{ { "Housing Help Desk", "Housing Services", "Housing Navigation" },
	  "Help finding housing: applications, landlord lists, deposits and "
	  "rental assistance.",
	  { "housing", "housing-instability", "financial-insecurity" } },
	{ { "Rental Assistance", "Eviction Prevention", "Rent Relief" },
	  "Emergency help with rent and utility arrears to keep people housed.",
	  { "housing-instability", "financial-insecurity",
	    "utility-insecurity", "housing" } },
	{ { "Emergency Shelter", "Overnight Shelter", "Warming Center" },
	  "Beds, showers and a safe place to sleep; case managers help with "
	  "next steps toward housing.",
	  { "homelessness", "housing" } },
	{ { "Recovery Café", "Recovery Center", "Recovery Community Center" },
	  "A recovery community space: coffee, meetings, peer support and "
	  "sober social events.",
	  { "recovery-community", "social-connection-peer",
	    "peer-delivered-services" } },
	{ { "Peer Support", "Peer Recovery Coaching", "Peer Warmline" },
	  "Peer recovery coaches with lived experience walk alongside people "
	  "in or seeking recovery.",
	  { "peer-delivered-services", "recovery-community", "stress" } },
	{ { "Recovery Meetings", "Mutual Aid Meetings", "Support Groups" },
	  "Open mutual-aid meetings several times a week; newcomers welcome.",
	  { "mutual-aid", "recovery-community", "social-connection-peer" } },
	{ { "Job Center", "Employment Services", "Career Center" },
	  "Job search help, resumes, interview practice and employer "
	  "connections, including second-chance employers.",
	  { "employment", "employment-status", "vocational" } },
	{ { "Job Training", "Career Training", "Trades Program" },
	  "Job training and certificates in the trades, warehouse work and "
	  "food service.",
	  { "vocational", "employment", "education" } },
	{ { "Adult Learning Center", "GED Classes", "Literacy Program" },
	  "Adult education: GED preparation, English classes and reading "
	  "tutors.",
	  { "education", "educational-attainment", "language-access" } },
	{ { "Community Health Clinic", "Health Center", "Free Clinic" },
	  "Primary care on a sliding scale, with help signing up for health "
	  "coverage.",
	  { "health-care-access", "health-insurance-coverage-status",
	    "medical-cost-burden" } },
	{ { "Benefits Enrollment", "Benefits Help", "Insurance Navigators" },
	  "Help applying for SNAP, Medicaid, disability and other benefits.",
	  { "health-insurance-coverage-status", "financial-insecurity",
	    "food-insecurity" } },
	{ { "Financial Coaching", "Money Management Class", "Tax Help" },
	  "One-to-one financial coaching, budgeting classes and free tax "
	  "preparation.",
	  { "financial-literacy", "financial-insecurity" } },
	{ { "Ride Program", "Transit Pass Program", "Medical Rides" },
	  "Rides to appointments and bus passes for work and treatment.",
	  { "transportation", "transportation-insecurity",
	    "health-care-access" } },
	{ { "Utility Assistance", "Energy Assistance", "Weatherization" },
	  "Help with heating and electric bills, shut-off notices and "
	  "weatherization.",
	  { "utility-insecurity", "material-hardship", "inadequate-housing" } },
	{ { "Reentry Services", "Reentry Center", "Second Chance Program" },
	  "Support after incarceration: IDs, record sealing, housing and work.",
	  { "incarceration-status", "employment", "housing" } },
	{ { "Safe Haven", "Domestic Violence Services", "Crisis Line" },
	  "Confidential support, safety planning and shelter for survivors of "
	  "domestic violence.",
	  { "intimate-partner-violence", "housing", "stress" } },
	{ { "Senior Services", "Senior Center", "Elder Care Line" },
	  "Activities, meals and protective services for older adults.",
	  { "elder-abuse", "social-connection", "food-insecurity" } },
	{ { "Veterans Outreach", "Veterans Center", "Veterans Services" },
	  "Veterans helping veterans with benefits, housing and peer support.",
	  { "veteran-status", "peer-delivered-services", "housing" } },
	{ { "Community Garden", "Urban Farm", "Green Space Project" },
	  "Garden plots, cooking classes and volunteer workdays in the open "
	  "air.",
	  { "healthy-environments", "volunteer", "recreation" } },
	{ { "Volunteer Center", "Service Corps", "Volunteer Program" },
	  "Volunteer placements with local groups; a way to give back and "
	  "meet people.",
	  { "volunteer", "social-connection-peer" } },
	{ { "Faith Community", "Fellowship", "Spiritual Care" },
	  "A welcoming faith community with weekly gatherings and recovery "
	  "fellowship.",
	  { "spiritual", "social-connection-peer", "mutual-aid" } },
	{ { "Wellness Center", "Recreation Center", "Fitness Program" },
	  "Gym, yoga, walking groups and stress management classes.",
	  { "recreation", "stress", "healthy-environments" } },
	{ { "Computer Lab", "Digital Skills Class", "Tech Help" },
	  "Free computers, internet access and classes in digital skills.",
	  { "digital-access", "digital-literacy", "employment" } },
	{ { "Interpreter Services", "Language Line", "Language Bank" },
	  "Interpreters and translated documents for appointments.",
	  { "language-access" } },
	{ { "Health Education", "Health Literacy Workshop", "Wellness "
	    "Education" },
	  "Workshops on understanding medications, appointments and health "
	  "forms.",
	  { "health-literacy", "personal-health-literacy" } },
	{ { "Clothing Closet", "Furniture Bank", "Household Goods" },
	  "Free clothing, furniture and household goods for people setting up "
	  "a home.",
	  { "material-hardship", "housing" } },
};
#define NKINDS	((int)(sizeof kinds / sizeof kinds[0]))

static const char *const name_prefixes[] = {
	"Good Neighbor", "Open Door", "Sunrise", "Harbor Light", "New Hope",
	"Bridges", "Lighthouse", "Common Ground", "Second Chance",
	"Fresh Start", "Helping Hands", "Unity", "Hearth", "Crossroads",
	"Northside", "Eastside", "Westside", "Southside", "St. Brigid's",
	"Grace", "Prairie", "Cornerstone", "Kindred", "Riverbend", "Safe Harbor",
};
static const char *const org_nouns[] = {
	"Community Services", "Family Center", "Outreach", "Alliance",
	"Coalition", "Mission", "Neighborhood Association", "Health Partners",
	"Recovery Network", "Foundation", "Collective", "Resource Center",
};
static const char *const extras[] = {
	"Walk-ins welcome.", "Call ahead for an appointment.",
	"Near the bus line.", "Free of charge.",
	"Peer volunteers with lived experience help you get started.",
	"Bring a photo ID if you have one; nobody is turned away without it.",
	"Wheelchair accessible.", "Childcare on site during sessions.",
	"Parking behind the building.", "Text or call; we answer quickly.",
};
static const char *const eligibilities[] = {
	"Open to everyone.", "Adults 18 and over.",
	"Residents of the county.",
	"Households at or below 200% of the federal poverty level.",
	"People in or seeking recovery.",
	"Veterans and their families.", "Young adults 16 to 24.",
	"Adults 55 and over.",
};
static const char *const streets[] = {
	"Main", "Oak", "Elm", "Washington", "Lincoln", "Park", "Lake", "Hill",
	"Church", "Mill", "River", "Maple", "Cedar", "Walnut", "Jefferson",
	"Market", "Spring", "Prairie", "Center", "Union",
};
static const char *const street_types[] = { "St", "Ave", "Rd", "Blvd",
	"Dr" };
/* Languages other than English and Spanish a service may offer. */
static const char *const other_langs[] = { "pl", "zh", "ar", "vi", "ko",
	"tl", "ru", "fr", "hi", "uk" };

#define PICK(seed, a)	((a)[next(seed) % (sizeof (a) / sizeof (a)[0])])

/* 1 in pct out of 100 times. */
static int
chance(unsigned *seed, unsigned pct)
{
	return next(seed) % 100 < pct;
}

/* Uniform in [-1, 1]. */
static double
unit(unsigned *seed)
{
	return (double)(next(seed) % 2000001u) / 1000000.0 - 1.0;
}

static const char *
language_name(const char *code)
{
	const struct rules *rl = rules_get();
	int i;

	for (i = 0; i < rl->nlanguages; i++)
		if (strcmp(rl->languages[i].code, code) == 0)
			return rl->languages[i].label;
	return code;
}

/* Runs sql with n text parameters (NULL binds NULL). */
static enum err
ins(struct db *db, const char *sql, int n, const char *const *v)
{
	struct db_stmt *st;
	enum err e;
	int i;

	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	for (i = 0; i < n; i++)
		db_bind_text(st, i + 1, v[i]);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* A location of organisation org near a town, with its address. */
static enum err
add_location(struct db *db, unsigned *seed, const char *org,
    const char *org_name, char id[37])
{
	struct db_stmt *st;
	char aid[37], addr[96], city[64], postal[8], name[192];
	const struct town *t;
	double dn, de, lat, lon;
	int k, w = 0, total = 0, gx, gy;
	unsigned pick;
	enum err e;

	for (k = 0; k < NTOWNS; k++)
		total += towns[k].weight;
	pick = next(seed) % (unsigned)total;
	for (k = 0; k < NTOWNS; k++) {
		w += towns[k].weight;
		if (pick < (unsigned)w)
			break;
	}
	t = &towns[k];
	/* Three in four in town (about 6 km around the centre), the rest
	 * anywhere within 30 km. */
	if (chance(seed, 75)) {
		dn = (unit(seed) + unit(seed) + unit(seed)) * 6.0;
		de = (unit(seed) + unit(seed) + unit(seed)) * 6.0;
	} else {
		dn = unit(seed) * 30.0;
		de = unit(seed) * 30.0;
	}
	lat = t->lat + dn / 111.195;
	lon = t->lon + de / (111.195 * cos(t->lat * 3.14159265358979 / 180));
	gx = (int)floor(de / TOWN_CELL_KM + TOWN_GRID / 2.0);
	gy = (int)floor(dn / TOWN_CELL_KM + TOWN_GRID / 2.0);
	gx = gx < 0 ? 0 : gx >= TOWN_GRID ? TOWN_GRID - 1 : gx;
	gy = gy < 0 ? 0 : gy >= TOWN_GRID ? TOWN_GRID - 1 : gy;
	snprintf(postal, sizeof postal, "%05d", 60100 + k * 97 +
	    (gy * TOWN_GRID + gx) * 3);
	snprintf(city, sizeof city, "%s", t->name);
	snprintf(addr, sizeof addr, "%u %s %s", 100 + next(seed) % 9800,
	    PICK(seed, streets), PICK(seed, street_types));
	snprintf(name, sizeof name, "%s, %s", org_name, PICK(seed, streets));
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO dir_location (id,"
	    " organization_id, location_type, name, transportation,"
	    " latitude_e6, longitude_e6) VALUES ($1, $2, 'physical', $3, $4,"
	    " $5, $6)", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, org);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, chance(seed, 40) ? "Bus routes stop out front."
	    : NULL);
	db_bind_int(st, 5, (int64_t)llround(lat * 1e6));
	db_bind_int(st, 6, (int64_t)llround(lon * 1e6));
	e = db_run(st, NULL);
	db_done(st);
	if (e != ERR_OK)
		return e;
	uuid_v7(aid);
	{
		const char *v[] = { aid, id, addr, city, "IL", postal };

		return ins(db, "INSERT INTO dir_address (id, location_id,"
		    " address_1, city, state_province, postal_code, country,"
		    " address_type) VALUES ($1, $2, $3, $4, $5, $6, 'US',"
		    " 'physical')", 6, v);
	}
}

/* One weekly schedule of the service (sal NULL) or of the service at a
 * location. */
static enum err
add_schedule(struct db *db, const char *service, const char *sal,
    const char *byday, const char *opens, const char *closes,
    const char *desc)
{
	char id[37];
	const char *v[] = { id, sal ? NULL : service, sal, byday, opens,
		closes, desc };

	uuid_v7(id);
	return ins(db, "INSERT INTO dir_schedule (id, service_id,"
	    " service_at_location_id, freq, byday, opens_at, closes_at,"
	    " description) VALUES ($1, $2, $3, 'WEEKLY', $4, $5, $6, $7)", 7,
	    v);
}

/* Weekday hours mostly, some evenings and Saturdays, some open around
 * the clock or overnight, a few with no hours at all. */
static enum err
add_schedules(struct db *db, unsigned *seed, const char *service,
    const char *sal)
{
	static const char *const opens[] = { "08:00", "08:30", "09:00",
		"10:00" };
	static const char *const closes[] = { "16:00", "16:30", "17:00",
		"18:00" };
	unsigned r = next(seed) % 100;
	enum err e = ERR_OK;

	if (r < 8)
		return ERR_OK;
	if (r < 14)
		return add_schedule(db, service, sal, "MO,TU,WE,TH,FR,SA,SU",
		    "00:00", "24:00", "Open 24 hours");
	if (r < 19)
		return add_schedule(db, service, sal, "MO,TU,WE,TH,FR,SA,SU",
		    "19:00", "07:00", "Overnight");
	if (r < 29)
		e = add_schedule(db, service, sal, "MO,WE,FR", PICK(seed, opens),
		    "13:00", NULL);
	else
		e = add_schedule(db, service, sal, "MO,TU,WE,TH,FR",
		    PICK(seed, opens), PICK(seed, closes), NULL);
	if (e == ERR_OK && chance(seed, 25))
		e = add_schedule(db, service, sal, chance(seed, 50) ? "TU,TH" :
		    "MO,WE", "18:00", "21:00", "Evenings");
	if (e == ERR_OK && chance(seed, 20))
		e = add_schedule(db, service, sal, "SA", "10:00", "14:00",
		    NULL);
	return e;
}

static enum err
add_language(struct db *db, const char *service, const char *location,
    const char *code)
{
	char id[37];
	const char *v[] = { id, service, location, language_name(code),
		code };

	uuid_v7(id);
	return ins(db, "INSERT INTO dir_language (id, service_id, location_id,"
	    " name, code) VALUES ($1, $2, $3, $4, $5)", 5, v);
}

static enum err
add_phone(struct db *db, unsigned *seed, const char *service,
    const char *location)
{
	char id[37], number[24];
	const char *v[] = { id, service, location, number };
	static const unsigned areas[] = { 217, 309, 618, 815, 779 };

	uuid_v7(id);
	snprintf(number, sizeof number, "%u-555-%04u", PICK(seed, areas),
	    next(seed) % 10000);
	return ins(db, "INSERT INTO dir_phone (id, service_id, location_id,"
	    " number, type) VALUES ($1, $2, $3, $4, 'voice')", 4, v);
}

/* One service of organisation org at one or two of its locations. */
static enum err
add_service(struct db *db, unsigned *seed, const char *org,
    const char *prefix, const char (*locs)[37], int nlocs, int64_t now)
{
	const struct resource_rules *rr = &rules_get()->resources;
	const struct service_kind *k = &kinds[next(seed) % NKINDS];
	struct db_stmt *st;
	char id[37], sal[2][37], name[200], desc[600], aid[37];
	const char *cats[3];
	int ncats = 0, nk, i, j, nsal;
	int64_t added, verified;
	enum err e;

	snprintf(name, sizeof name, "%s %s", prefix, k->name[next(seed) % 3]);
	snprintf(desc, sizeof desc, "%s %s%s%s", k->desc, PICK(seed, extras),
	    chance(seed, 50) ? " " : "", chance(seed, 50) ? PICK(seed, extras)
	    : "");
	/* The kind's first category, then one or two more of its own. */
	for (nk = 0; nk < 4 && k->cats[nk]; nk++)
		;
	cats[ncats++] = k->cats[0];
	for (i = 1; i < nk && ncats < 3; i++)
		if (chance(seed, 45))
			cats[ncats++] = k->cats[i];
	added = now - (int64_t)(next(seed) % (3 * 365)) * 86400000;
	verified = chance(seed, 65) ? now - (int64_t)(next(seed) % (2 * 365))
	    * 86400000 : 0;
	if (verified && verified < added)
		verified = added;
	uuid_v7(id);
	if ((e = db_prepare(db, "INSERT INTO dir_service (id,"
	    " organization_id, name, description, status,"
	    " eligibility_description, fees_description, local, added_at,"
	    " verified_at, version, updated_at) VALUES ($1, $2, $3, $4, $5,"
	    " $6, $7, 0, $8, $9, 1, $8)", &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, org);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, desc);
	db_bind_text(st, 5, chance(seed, 5) ? "inactive" : "active");
	db_bind_text(st, 6, PICK(seed, eligibilities));
	db_bind_text(st, 7, chance(seed, 70) ? "Free" : "Sliding scale");
	db_bind_int(st, 8, added);
	if (verified)
		db_bind_int(st, 9, verified);
	else
		db_bind_null(st, 9);
	e = db_run(st, NULL);
	db_done(st);
	for (i = 0; e == ERR_OK && i < ncats; i++) {
		const struct resource_category *c =
		    resource_category_find(rr, cats[i]);
		const char *v[] = { aid, id, c ? c->term_id : NULL };

		if (c == NULL) {
			fprintf(stderr, "bench-generate: no category %s in "
			    "data/resources.json\n", cats[i]);
			return ERR_INTERNAL;
		}
		uuid_v7(aid);
		e = ins(db, "INSERT INTO dir_attribute (id, link_id,"
		    " taxonomy_term_id, link_type, link_entity) VALUES ($1, $2,"
		    " $3, 'category', 'service')", 3, v);
	}
	/* At one of the organisation's places, sometimes two. */
	nsal = nlocs > 1 && chance(seed, 35) ? 2 : 1;
	j = (int)(next(seed) % (unsigned)nlocs);
	for (i = 0; e == ERR_OK && i < nsal; i++) {
		const char *v[] = { sal[i], id, locs[(j + i) % nlocs] };

		uuid_v7(sal[i]);
		e = ins(db, "INSERT INTO dir_service_at_location (id,"
		    " service_id, location_id) VALUES ($1, $2, $3)", 3, v);
	}
	/* English mostly, Spanish often (now and then at one place only),
	 * another language sometimes. */
	if (e == ERR_OK && chance(seed, 92))
		e = add_language(db, id, NULL, "en");
	if (e == ERR_OK && chance(seed, 35))
		e = chance(seed, 20) ? add_language(db, NULL, locs[j], "es") :
		    add_language(db, id, NULL, "es");
	if (e == ERR_OK && chance(seed, 12))
		e = add_language(db, id, NULL, PICK(seed, other_langs));
	if (e == ERR_OK)
		e = add_phone(db, seed, id, NULL);
	if (e == ERR_OK && chance(seed, 15))
		e = add_phone(db, seed, NULL, locs[j]);
	/* Hours of the service, or of the service at its first place. */
	if (e == ERR_OK)
		e = add_schedules(db, seed, id, chance(seed, 25) ? sal[0] :
		    NULL);
	if (e == ERR_OK)
		e = resource_search_text_refresh(db, id);
	return e;
}

/*
 * The directory: total services in organisations of one to three
 * services, each organisation at one to three places; written with the
 * SQL the core uses, DIR_BATCH services a transaction, search_text made
 * by resource_search_text_refresh().
 */
static enum err
add_directory(struct db *db, int64_t total)
{
	unsigned seed = 0x3C6EF372u;
	struct timespec t0;
	char org[37], org_name[160], locs[3][37];
	const char *prefix;
	int64_t done = 0, in_tx = 0, norgs = 0;
	int64_t now = time_now_ms();
	int i, nservices, nlocs, shown = 0;
	enum err e = ERR_OK;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (done < total && e == ERR_OK) {
		if (in_tx == 0 && (e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			return e;
		nservices = 1 + (int)(next(&seed) % 3);
		if (nservices > total - done)
			nservices = (int)(total - done);
		nlocs = 1 + (int)(next(&seed) % 3);
		prefix = chance(&seed, 45) ? towns[next(&seed) % NTOWNS].name :
		    PICK(&seed, name_prefixes);
		snprintf(org_name, sizeof org_name, "%s %s", prefix,
		    PICK(&seed, org_nouns));
		uuid_v7(org);
		{
			const char *v[] = { org, org_name };

			e = ins(db, "INSERT INTO dir_organization (id, name,"
			    " description) VALUES ($1, $2, '')", 2, v);
		}
		norgs++;
		for (i = 0; e == ERR_OK && i < nlocs; i++)
			e = add_location(db, &seed, org, org_name, locs[i]);
		for (i = 0; e == ERR_OK && i < nservices; i++)
			e = add_service(db, &seed, org, prefix,
			    (const char (*)[37])locs, nlocs, now);
		done += nservices;
		in_tx += nservices;
		if (e != ERR_OK) {
			db_rollback(db);
			break;
		}
		if (in_tx >= DIR_BATCH || done == total) {
			if ((e = db_commit(db)) != ERR_OK)
				break;
			in_tx = 0;
		}
		if (done * 10 / total > shown) {
			shown = (int)(done * 10 / total);
			fprintf(stderr, "  %lld services (%.0f s)\n",
			    (long long)done, seconds_since(&t0));
		}
	}
	if (e == ERR_OK)
		printf("  directory: %lld services of %lld organisations: "
		    "%.1f s\n", (long long)done, (long long)norgs,
		    seconds_since(&t0));
	return e;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "scale", required_argument, NULL, 's' },
		{ "password", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "services", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	const char *uri = NULL, *password = "bench-password-not-real";
	const char *scale = "1", *key_file = NULL, *services_arg = "20000";
	char *key_path = NULL;
	char hash[PASSWORD_HASH_MAX], id[37];
	struct timespec t0, t1;
	struct world w;
	struct db *db = NULL;
	int64_t ppm = SCALE_ONE, people, entries, services = 20000;
	int c, rc = 1, pg;
	enum err e;

	memset(&w, 0, sizeof w);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			uri = optarg;
			break;
		case 's':
			scale = optarg;
			if (scale_parse(optarg, &ppm) != 0) {
				fprintf(stderr, "bench-generate: --scale must "
				    "be a number above 0 such as 0.05\n");
				return 2;
			}
			break;
		case 'p':
			password = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'S':
			services_arg = optarg;
			if (parse_int64(optarg, 0, 1000000, &services) !=
			    ERR_OK) {
				fprintf(stderr, "bench-generate: --services "
				    "must be 0 to 1000000\n");
				return 2;
			}
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (uri == NULL || optind != argc ||
	    (key_path = cli_key_path(uri, key_file)) == NULL) {
		fputs(usage, stderr);
		return 2;
	}
	umask(077);
	if (crypto_init() != ERR_OK || password_acceptable(password) !=
	    ERR_OK) {
		fprintf(stderr, "bench-generate: no libsodium, or a password "
		    "too short\n");
		free(key_path);
		return 1;
	}
	w.nteams = (int)scaled(TEAMS_AT_1, ppm);
	if (w.nteams < 2)
		w.nteams = 2;
	people = scaled(PEOPLE_AT_1, ppm);
	entries = scaled(AUDIT_AT_1, ppm);
	w.team_ids = xcalloc((size_t)w.nteams, sizeof *w.team_ids);
	w.first_person = xcalloc((size_t)w.nteams, sizeof *w.first_person);
	w.npeople = xcalloc((size_t)w.nteams, sizeof *w.npeople);
	w.staff = xcalloc((size_t)w.nteams * STAFF_PER_TEAM, sizeof *w.staff);

	if ((db = cli_open_sealed(uri, key_path, 1)) == NULL)
		goto out;
	pg = db_uri_is_pg(uri);
	if (team_id_by_name(db, "north", id) == ERR_OK) {
		fprintf(stderr, "bench-generate: %s already holds a generated "
		    "network; start from an empty database\n", uri);
		goto out;
	}
	if (setting_set(db, "time_zone", "UTC") != ERR_OK ||
	    cli_load_rules(db) != 0)
		goto out;
	/* Bulk work: no waiting for commits to reach the disk, and no
	 * statement timeout (the vacuum at the end takes a while). */
	if (db_exec(db, pg ? "SET synchronous_commit = off;"
	    "SET statement_timeout = 0" : "PRAGMA synchronous = OFF") !=
	    ERR_OK)
		goto out;
	log_quiet(1);
	printf("generating %d teams, %d staff, %lld people, %lld audit "
	    "entries, %lld directory services into %s\n", w.nteams,
	    w.nteams * STAFF_PER_TEAM + 2, (long long)people,
	    (long long)entries, (long long)services, uri);
	fflush(stdout);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (password_hash(password, hash) != ERR_OK) {
		fprintf(stderr, "bench-generate: cannot hash the password\n");
		goto out;
	}
	if ((e = add_teams(db, &w, hash)) != ERR_OK)
		goto out;
	printf("  teams and staff: %.1f s\n", seconds_since(&t0));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((e = add_people(db, &w, people)) != ERR_OK)
		goto out;
	printf("  people: %.1f s (%lld audit entries so far)\n",
	    seconds_since(&t1), (long long)audit_count(db));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((e = add_history(db, &w, entries)) != ERR_OK) {
		fprintf(stderr, "bench-generate: audit history: %s\n",
		    err_str(e));
		goto out;
	}
	printf("  audit history: %.1f s (%lld entries in all)\n",
	    seconds_since(&t1), (long long)audit_count(db));
	fflush(stdout);
	if (services > 0 && (e = add_directory(db, services)) != ERR_OK) {
		fprintf(stderr, "bench-generate: directory: %s\n",
		    err_str(e));
		goto out;
	}
	fflush(stdout);
	/* bench/run.sh reuses a database made at the scale and with the
	 * directory it wants; bench_scale, last, says the whole is done. */
	if (setting_set(db, "bench_services", services_arg) != ERR_OK ||
	    setting_set(db, "bench_scale", scale) != ERR_OK)
		goto out;
	/* Leave the database as a server would find it after a while:
	 * PostgreSQL vacuumed and analysed, SQLite's log folded in. */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (db_exec(db, pg ? "VACUUM (ANALYZE)" :
	    "PRAGMA wal_checkpoint(TRUNCATE)") != ERR_OK)
		goto out;
	printf("  %s: %.1f s\ndone in %.1f s; sign in as peer.north "
	    "(team north, %d people) with the password %s\n",
	    pg ? "vacuum and analyse" : "checkpoint", seconds_since(&t1),
	    seconds_since(&t0), w.npeople[0], password);
	rc = 0;
out:
	log_quiet(0);
	crypto_wipe(hash, sizeof hash);
	db_close(db);
	free(w.team_ids);
	free(w.first_person);
	free(w.npeople);
	free(w.staff);
	free(w.person_ids);
	free(key_path);
	seal_unload();
	db_intern_free();
	return rc;
}
