#ifndef CORE_OUTREACH_H
#define CORE_OUTREACH_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/parse.h"
#include "util/verr.h"

/*
 * Outreach and follow-up: a person's inpatient stays (hospital, crisis
 * stabilisation and the other kinds of data/resources.json; no diagnosis
 * is kept), and the team's four lists of people to reach: a face-to-face
 * follow-up after discharge still to make, frequent stays, not seen for a
 * while, and people in outreach with the attempts made. Stays belong to
 * the person's record and ask its policy; the lists are read like a
 * roster. Everything is audited. See docs/outreach.md.
 */

#define STAY_FACILITY_MAX	200
#define STAY_LIST_MAX		200
#define OUTREACH_LIST_MAX	500	/* people on each list */
#define OUTREACH_RECENT		3	/* attempts shown for each person */

struct inpatient_stay {
	char	 id[37];
	int64_t	 version;
	char	 person_id[37];
	char	*kind;
	char	*admitted_on;
	char	*discharged_on;		/* NULL while the stay goes on */
	char	*facility;
	char	*recorded_by;
	char	*recorded_by_name;
	int64_t	 recorded_at;
};

void inpatient_stay_clear(struct inpatient_stay *s);
void inpatient_stays_free(struct inpatient_stay *s, int n);

#define STAY_KIND		0x1
#define STAY_ADMITTED_ON	0x2
#define STAY_DISCHARGED_ON	0x4
#define STAY_FACILITY		0x8

/* A new stay or a change to one: the STAY_* bits in set say which fields
 * are given; a given NULL clears an optional one. Borrowed. */
struct stay_input {
	unsigned	 set;
	const char	*kind;
	const char	*admitted_on;
	const char	*discharged_on;
	const char	*facility;
};

/* Records a stay in the person's record. out gets it; clear with
 * inpatient_stay_clear(). */
enum err inpatient_stay_create(struct db *db, const struct actor *a,
    const char *person_id, const struct stay_input *in, struct verr *v,
    struct inpatient_stay *out);

/* The person's stays, newest admission first (at most STAY_LIST_MAX);
 * audited. Returns a new array; free with inpatient_stays_free(). */
enum err inpatient_stay_list(struct db *db, const struct actor *a,
    const char *person_id, struct inpatient_stay **items, int *n);

/* Changes the fields given when the stay is at if_version (ERR_STALE
 * otherwise, with *current set and nothing changed). */
enum err inpatient_stay_update(struct db *db, const struct actor *a,
    const char *id, int64_t if_version, const struct stay_input *in,
    struct verr *v, struct inpatient_stay *out, int64_t *current);

struct outreach_attempt {
	char	 contact_id[37];
	char	 on[11];
	char	*type;
	char	*setting;	/* NULL when the contact names none */
	char	*status;	/* draft, signed */
};

/* One person on a list; the fields after the names are the list's own. */
struct outreach_item {
	char			 person_id[37];
	char			 team_id[37];
	char			*preferred_name;
	char			*primary_peer_name;
	/* follow_up */
	char			 discharge_date[11];
	char			 follow_up_due[11];
	int			 overdue;
	/* frequent_stays */
	int			 stays;
	char			 last_admitted_on[11];
	/* not_seen: last_seen empty when never seen */
	char			 last_seen[11];
	int			 days;
	/* outreach */
	int			 attempts;
	char			 last_attempt_on[11];
	struct outreach_attempt	 recent[OUTREACH_RECENT];
	int			 nrecent;
};

#define OUTREACH_CUT_FOLLOW_UP	0x1
#define OUTREACH_CUT_FREQUENT	0x2
#define OUTREACH_CUT_NOT_SEEN	0x4
#define OUTREACH_CUT_OUTREACH	0x8

struct outreach_lists {
	char			 today[11];
	int			 not_seen_days;
	char			 not_seen_before[11];	/* last seen on or before */
	int			 frequent_stays;
	int			 frequent_stays_months;
	char			 stays_since[11];	/* admitted on or after */
	int			 follow_up_days;
	int			 nteams;
	struct {
		char	 id[37];
		char	*name;
	}			 teams[ACTOR_MAX_TEAMS];
	struct outreach_item	*follow_up;
	int			 nfollow_up;
	struct outreach_item	*frequent;
	int			 nfrequent;
	struct outreach_item	*not_seen;
	int			 nnot_seen;
	struct outreach_item	*outreach;
	int			 noutreach;
	unsigned		 truncated;	/* OUTREACH_CUT_* */
};

void outreach_lists_clear(struct outreach_lists *l);

/*
 * The four lists for one team (team_id, which the actor must be on) or,
 * team_id NULL, every team of the actor; asks the policy as a roster read
 * does and is audited like one. ERR_INVALID with a field error for a
 * team_id that is not an id.
 */
enum err outreach_lists_get(struct db *db, const struct actor *a,
    const char *team_id, struct verr *v, struct outreach_lists *out);

/* Date arithmetic of the lists, pure for the unit tests. */

/* d less months, on the same day of the month or the month's last day
 * when it is shorter: 2026-03-31 less 1 is 2026-02-28. */
struct date outreach_months_before(struct date d, int months);

/* Whole days from a to b (negative when b is earlier). */
int64_t outreach_days_between(struct date a, struct date b);

/* 1 when a follow-up due on due is overdue today (due before today). */
int outreach_overdue(struct date today, struct date due);

#endif
