#ifndef CORE_REFERRAL_H
#define CORE_REFERRAL_H

#include <stdint.h>

#include "access/actor.h"
#include "core/consent.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Referrals with a closed loop: a person sent to a service of the
 * directory for a need (a goal of their plan, or a category). Its status
 * follows the FHIR Task states a referral takes (requested, accepted or
 * rejected, in-progress, on-hold, completed with the outcome, cancelled,
 * failed); every change is kept with who made it. A referral that
 * shares information with the receiving organisation passes the consent
 * check and records a disclosure in the same transaction. A receiving
 * organisation without Alongside updates the status once through a
 * single-use link that shows only the minimum. A referral whose status
 * has not moved for the rules' number of days comes back to the team.
 * Reads and writes ask the access policy of the person's record and are
 * audited. See docs/referrals.md.
 */

#define REFERRAL_TEXT_MAX	2000
#define REFERRAL_LIST_MAX	200
#define REFERRAL_LINK_DAYS	14

struct referral_event {
	int64_t	 at;
	char	*status;
	char	*actor_name;	/* NULL: through the link */
	char	*via;		/* staff, link */
	char	*note;
};

struct referral {
	char			 id[37];
	int64_t			 version;
	char			 person_id[37];
	char			*person_name;
	char			 team_id[37];
	char			 service_id[37];
	char			*service_name;
	char			*organization_name;
	char			*plan_id;
	char			*goal_id;
	char			*category;
	char			*reason;
	char			*status;
	char			*outcome;
	int			 shared_outside;
	char			*disclosure_id;
	char			*made_by_name;
	int64_t			 made_at;
	int64_t			 status_at;
	int64_t			 follow_up_at;	/* when it comes back if
						 * still open and quiet */
	int			 link_active;
	int64_t			 link_expires_at;
	struct referral_event	*events;	/* oldest first */
	int			 nevents;
};

void referral_clear(struct referral *r);
void referrals_free(struct referral *r, int n);

/* What staff send to make one; borrowed. */
struct referral_input {
	const char		*service_id;
	const char		*goal_id;	/* a goal of the person's plans */
	const char		*category;	/* or a directory category */
	const char		*reason;
	int			 share;		/* share with the service */
	const char *const	*share_categories; /* consent categories */
	int			 nshare_categories;
	const char		*share_information;
};

/* 1 when status is one of the states. */
int referral_status_valid(const char *status);
/* 1 when a referral may go from one state to the other. */
int referral_may_move(const char *from, const char *to);
/* The moves the receiving organisation may make through its link:
 * every one but cancelled, which is the referrer's (the organisation
 * rejects). NULL-terminated. */
extern const char *const referral_link_moves[];

/* 1 when status is open (requested, accepted, in-progress, on-hold). */
int referral_open(const char *status);

/* Makes a referral. ERR_RULE with the field named in v when sharing is
 * asked and no consent covers it (the denial is audited). */
enum err referral_create(struct db *db, const struct actor *a,
    const char *person_id, const struct referral_input *in, struct verr *v,
    struct referral *out);

enum err referral_get(struct db *db, const struct actor *a, const char *id,
    struct referral *out);

/* The person's referrals, open ones first, newest first. */
enum err referral_list_person(struct db *db, const struct actor *a,
    const char *person_id, struct referral **out, int *n);

/* The open referrals of the actor's teams (or of team_id) that have been
 * quiet past their follow-up time, quietest first. */
enum err referral_follow_up(struct db *db, const struct actor *a,
    const char *team_id, struct referral **out, int *n);

/* Moves it on; ERR_STALE when its version is not if_version; ERR_CONFLICT
 * when the move is not one a referral can make. completed and failed
 * need an outcome. */
enum err referral_set_status(struct db *db, const struct actor *a,
    const char *id, int64_t if_version, const char *status,
    const char *note, const char *outcome, struct verr *v,
    struct referral *out);

/* A new single-use link for the receiving organisation (any earlier one
 * stops working): the token, shown once, and when it ends. Only for a
 * referral that shares information with the service. */
enum err referral_link_issue(struct db *db, const struct actor *a,
    const char *id, char token[44], int64_t *expires_at);

/* What the link shows: the service, the person's preferred name, the
 * need's category, who referred and when, the status. */
struct referral_link_view {
	char	*service_name;
	char	*organization_name;
	char	*person_name;
	char	*category;
	int	 for_goal;
	char	*made_by_name;
	int64_t	 made_at;
	char	*status;
	int64_t	 expires_at;
};

void referral_link_view_clear(struct referral_link_view *w);

enum err referral_link_read(struct db *db, const char *client_addr,
    const char *token, struct referral_link_view *out);

/* Moves the referral on through the link, which then stops working. */
enum err referral_link_update(struct db *db, const char *client_addr,
    const char *token, const char *status, const char *note,
    const char *outcome, struct verr *v, struct referral_link_view *out);

#endif
