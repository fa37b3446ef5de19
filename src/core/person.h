#ifndef CORE_PERSON_H
#define CORE_PERSON_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The people we support: their profile, the people around them and their
 * enrollment episodes. Every function asks the access policy and writes
 * the audit log in the same transaction as the change (or the read).
 */

#define PERSON_MAX_CONTACTS	20
#define PERSON_MAX_LINKS	20
#define PERSON_MAX_QUERY_WORDS	4
#define PERSON_NAME_MAX		100
#define PERSON_SHORT_MAX	60
#define PERSON_NOTE_MAX		500

struct contact {
	char	*kind;		/* "natural_support" or "emergency_contact" */
	char	*name;
	char	*relationship;
	char	*phone;
	char	*note;
};

/* A family or parent-peer link to another person we support. */
struct person_link {
	char	 person_id[37];
	char	*relationship;
};

struct episode {
	char	 id[37];
	int64_t	 version;
	char	*agreement_date;	/* the person agreed to peer services */
	char	*agreement_witness;
	char	*intake_date;
	char	*referral_source;
	char	*discharge_date;	/* NULL while the episode is open */
	char	*discharge_reason;
	char	*exit_strategy;
	char	*follow_up_due;		/* face-to-face follow-up after discharge */
	int	 part2;			/* records under 42 CFR Part 2 */
	char	*rules_version;
	int64_t	 created_at;
	int64_t	 updated_at;
};

struct person {
	char			 id[37];
	int64_t			 version;
	char			 team_id[37];
	char			*team;		/* the team's name */
	char			*preferred_name;
	char			*legal_name;
	char			*pronouns;
	char			*date_of_birth;
	char			*phone;
	char			*language;
	char			*primary_peer_id;
	char			*primary_peer_name;
	char			*status;	/* outreach, active, discharged */
	struct contact		*contacts;
	int			 ncontacts;
	struct person_link	*links;
	int			 nlinks;
	struct episode		*episodes;	/* newest first */
	int			 nepisodes;
	int64_t			 created_at;
	int64_t			 updated_at;
};

#define PF_PREFERRED_NAME	0x0001
#define PF_LEGAL_NAME		0x0002
#define PF_PRONOUNS		0x0004
#define PF_DATE_OF_BIRTH	0x0008
#define PF_PHONE		0x0010
#define PF_LANGUAGE		0x0020
#define PF_TEAM			0x0040
#define PF_PRIMARY_PEER		0x0080
#define PF_STATUS		0x0100
#define PF_CONTACTS		0x0200
#define PF_LINKS		0x0400

/*
 * A new person or a change to one: the PF_* bits in set say which fields
 * are given; a given NULL clears an optional field. Borrowed strings.
 */
struct person_input {
	unsigned			 set;
	const char			*preferred_name;
	const char			*legal_name;
	const char			*pronouns;
	const char			*date_of_birth;
	const char			*phone;
	const char			*language;
	const char			*team;
	const char			*primary_peer;
	const char			*status;
	const struct contact		*contacts;
	int				 ncontacts;
	const struct person_link	*links;
	int				 nlinks;
};

/*
 * Adds a person to a team's roster (the actor's only team when none is
 * named). ERR_INVALID with field errors in v. out gets the new record;
 * caller clears it with person_clear().
 */
enum err person_create(struct db *db, const struct actor *a,
    const struct person_input *in, struct verr *v, struct person *out);

/* Reads a person's whole record; the read is audited. */
enum err person_get(struct db *db, const struct actor *a, const char *id,
    struct person *out);

/*
 * Applies the fields given in in when the record is at if_version
 * (ERR_STALE otherwise, with *current set and nothing changed).
 */
enum err person_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct person_input *in, struct verr *v,
    struct person *out, int64_t *current);

void person_clear(struct person *p);

struct person_summary {
	char	 id[37];
	int64_t	 version;
	char	*preferred_name;
	char	*pronouns;
	char	*team;
	char	*status;
	char	*primary_peer_id;
	char	*primary_peer_name;
	int64_t	 updated_at;
};

struct person_query {
	const char	*q;		/* name words, matched by prefix */
	const char	*team;		/* a team name */
	const char	*status;
	const char	*after;		/* cursor: the last id of the page before */
	int		 limit;		/* 1..200 */
};

/*
 * The roster: people on the actor's teams matching query, ordered by name.
 * Returns a new array in *items (caller frees with
 * person_summaries_free()); next gets the cursor of the following page or
 * an empty string.
 */
enum err person_list(struct db *db, const struct actor *a,
    const struct person_query *query, struct verr *v,
    struct person_summary **items, int *n, char next[37]);
void person_summaries_free(struct person_summary *s, int n);

struct episode_input {
	const char	*agreement_date;
	const char	*agreement_witness;
	const char	*intake_date;
	const char	*referral_source;
	int		 part2;		/* a Part 2 program's episode */
};

/*
 * Enrolls a person: opens an episode that starts with their recorded
 * agreement to peer services, and makes them active. ERR_CONFLICT when an
 * episode is already open. out gets the episode; clear with
 * episode_clear().
 */
enum err episode_start(struct db *db, const struct actor *a,
    const char *person_id, const struct episode_input *in, struct verr *v,
    struct episode *out);

struct discharge_input {
	const char	*discharge_date;
	const char	*reason;
	const char	*exit_strategy;	/* the one the person chose */
};

/*
 * Closes an open episode at if_version, setting the face-to-face
 * follow-up due date from the rules, and marks the person discharged.
 */
enum err episode_discharge(struct db *db, const struct actor *a,
    const char *person_id, const char *episode_id, int64_t if_version,
    const struct discharge_input *in, struct verr *v, struct episode *out,
    int64_t *current);

void episode_clear(struct episode *e);

#endif
