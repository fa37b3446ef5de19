#ifndef CORE_CONTACT_H
#define CORE_CONTACT_H

#include <stdint.h>

#include "access/actor.h"
#include "core/billing.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Contacts with the people we support and their notes. One contact record
 * produces what follows from it: the note's elements, its minutes and
 * billing units (core/billing.c under data/billing.json), its deadline and
 * co-signature (data/notes.json). A note is a draft until its author signs
 * it; signing freezes it, and corrections are addenda. The person reads a
 * signed note with their peer specialist and may comment on it and mark it
 * acknowledged. Every read and write asks the access policy and is audited.
 */

#define CONTACT_TEXT_MAX	4000
#define CONTACT_SHORT_MAX	200
#define CONTACT_MAX_GOALS	10
#define CONTACT_LIST_MAX	200

struct contact_goal {
	char	plan_id[37];
	char	item_id[37];
};

struct contact_addendum {
	char	 id[37];
	char	*body;
	char	*author_id;
	char	*author_name;
	int64_t	 created_at;
};

struct contact_comment {
	char	 id[37];
	char	*body;
	int	 acknowledged;
	char	*typed_name;
	char	*recorded_by;	/* staff; NULL when from_portal */
	int	 from_portal;	/* the person wrote it in their portal */
	int64_t	 created_at;
};

struct contact_rec {
	char			 id[37];
	int64_t			 version;
	char			 person_id[37];
	char			 team_id[37];
	char			*type;
	int64_t			 started_at;
	int64_t			 ended_at;
	int			 minutes;
	char			*service_date;
	char			*setting;
	char			*location;
	char			*program;
	int			 person_at_home;
	char			*intervention;
	char			*response;
	char			*next_steps;
	int			 written_together;
	char			*author_id;
	char			*author_name;
	char			*credential;
	char			*status;	/* draft, signed */
	int64_t			 due_at;
	int64_t			 signed_at;
	int			 late;
	int			 cosign_required;
	int64_t			 cosign_due_at;
	char			*cosigned_by;
	char			*cosigner_name;
	int64_t			 cosigned_at;
	char			*group_session_id;
	char			*group_id;	/* from the session */
	char			*group_name;
	char			*group_curriculum;
	char			*group_topic;
	int			 group_size;	/* people present, 0 alone */
	int			 group_facilitators;
	char			*rules_version;
	/* billing: stored once signed, worked out afresh for a draft */
	char			*billing_code;
	char			*modifiers;	/* comma-separated */
	char			*place_of_service;
	int			 units;
	int			 billable;
	char			*not_billable;	/* reason codes, comma-separated */
	struct billing_reason	 reasons[BILLING_REASONS_MAX];
	int			 nreasons;
	char			*billing_version;
	/* what the note still lacks before it is signed */
	unsigned		 missing;	/* NOTE_EL_* bits */
	struct contact_goal	*goals;
	int			 ngoals;
	struct contact_addendum	*addenda;
	int			 naddenda;
	struct contact_comment	*comments;
	int			 ncomments;
	int64_t			 created_at;
	int64_t			 updated_at;
};

void contact_clear(struct contact_rec *c);

#define CF_TYPE			0x0001
#define CF_STARTED_AT		0x0002
#define CF_ENDED_AT		0x0004
#define CF_SETTING		0x0008
#define CF_LOCATION		0x0010
#define CF_PROGRAM		0x0020
#define CF_AT_HOME		0x0040
#define CF_INTERVENTION		0x0080
#define CF_RESPONSE		0x0100
#define CF_NEXT_STEPS		0x0200
#define CF_TOGETHER		0x0400
#define CF_CREDENTIAL		0x0800
#define CF_GOALS		0x1000

/* A new contact or a change to a draft; the CF_* bits in set say which
 * fields are given. Times are RFC 3339 UTC text. Borrowed. */
struct contact_input {
	unsigned		 set;
	const char		*type;
	const char		*started_at;
	const char		*ended_at;
	const char		*setting;
	const char		*location;
	const char		*program;
	int			 person_at_home;
	const char		*intervention;
	const char		*response;
	const char		*next_steps;
	int			 written_together;
	const char		*credential;
	const char *const	*goals;		/* goal item ids */
	int			 ngoals;
};

/* When the note of a contact of type that ended at ended_at is due, under
 * the notes rules in force (business days skip weekends and holidays and
 * end at the close of the day, in the organisation's time zone). */
int64_t contact_due_at(const char *type, int64_t ended_at);

/* Records a contact and its draft note for a person. */
enum err contact_create(struct db *db, const struct actor *a,
    const char *person_id, const struct contact_input *in, struct verr *v,
    struct contact_rec *out);

/* Reads a contact with its note, billing, addenda and comments; audited. */
enum err contact_get(struct db *db, const struct actor *a, const char *id,
    struct contact_rec *out);

/* Changes a draft at if_version (ERR_FROZEN once signed). */
enum err contact_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct contact_input *in, struct verr *v,
    struct contact_rec *out, int64_t *current);

/*
 * Signs the note: as its author (as_cosigner 0), when every element the
 * rules require is there (ERR_RULE with *rule and v naming what is
 * missing), marking it late past its deadline and freezing it with its
 * billing; or as co-signer (as_cosigner 1), when the rules want one and the
 * actor's role may give it.
 */
enum err contact_sign(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, int as_cosigner, struct verr *v, const char **rule,
    struct contact_rec *out, int64_t *current);

/* Adds a correction to a signed note. */
enum err contact_addendum_add(struct db *db, const struct actor *a,
    const char *id, const char *body, struct verr *v,
    struct contact_rec *out);

/* Adds the person's comment on a signed note: recorded by a member of
 * staff who read it with them, or (a of ROLE_PERSON) by the person in
 * their portal. */
enum err contact_comment_add(struct db *db, const struct actor *a,
    const char *id, const char *typed_name, const char *body,
    int acknowledged, struct verr *v, struct contact_rec *out);

/*
 * Works out, for a note not yet stored, its billing as if it were signed
 * now among the person's signed notes of its day, and what it still lacks
 * (draft->missing). The draft needs person_id, type, started_at,
 * service_date, minutes and what the engine reads; id may be empty.
 * Runs inside the caller's transaction and writes nothing.
 */
enum err contact_preview(struct db *db, struct contact_rec *draft);

/* Reads a whole contact with no policy check or audit, for a core module
 * that has done both inside its own transaction. */
enum err contact_load(struct db *db, const char *id, struct contact_rec *out);

/* A group session's note for one attendee (core/group.c). Borrowed. */
struct contact_group_note {
	const char		*session_id;
	const char		*person_id;
	int64_t			 started_at;
	int64_t			 ended_at;
	const char		*setting;
	const char		*location;
	const char		*program;
	const char		*intervention;	/* the shared narrative */
	const char		*response;	/* the attendee's own note */
	const char		*next_steps;
	const char		*credential;
	const char *const	*goals;		/* goal item ids */
	int			 ngoals;
	int			 group_size;
	int			 facilitators;
};

/*
 * Inside the caller's write transaction: records the attendee's contact
 * of type "group", signed now by the actor, with its goals, bills the
 * person's day and audits the contact's creation and signing. The caller
 * has checked the policy and the required elements (contact_preview()).
 */
enum err contact_group_sign(struct db *db, const struct actor *a,
    const struct contact_group_note *in, struct verr *v, char id[37]);

struct contact_summary {
	char	 id[37];
	int64_t	 version;
	char	 person_id[37];
	char	*person_name;
	char	*type;
	int64_t	 started_at;
	int	 minutes;
	char	*status;
	int64_t	 due_at;
	int	 late;
	int	 cosign_required;
	int64_t	 cosigned_at;
	char	*author_name;
	int	 units;		/* signed notes: the units billed */
	int	 billable;
	unsigned missing;	/* drafts: NOTE_EL_* bits still needed */
	char	 service_date[11];
	char	*credential;
	int	 ncomments;	/* the person's comments on it */
};

/* A person's contacts, newest first. */
enum err contact_list(struct db *db, const struct actor *a,
    const char *person_id, const char *after, int limit, struct verr *v,
    struct contact_summary **items, int *n, char next[37]);

/* The actor's documentation due: their unsigned notes, and the notes that
 * wait for their co-signature; soonest due first. */
enum err contact_due(struct db *db, const struct actor *a,
    struct contact_summary **items, int *n);

void contact_summaries_free(struct contact_summary *s, int n);

/* One line of the units report: a person's units of one code and set of
 * modifiers on one day. */
struct units_row {
	char	 person_id[37];
	char	*person_name;
	char	*legal_name;
	char	*service_date;
	char	*billing_code;
	char	*modifiers;
	char	*place_of_service;
	int	 units;
	int	 contacts;
};

#define UNITS_REPORT_MAX	50000

/*
 * The billable units of signed notes with service dates from..to
 * (inclusive) for the people on team (a team name), or on every team of
 * the actor when team is NULL; by date, then name. Supervisors only; the
 * report is audited.
 */
enum err contact_units_report(struct db *db, const struct actor *a,
    const char *from, const char *to, const char *team, struct verr *v,
    struct units_row **rows, int *n);
void units_rows_free(struct units_row *r, int n);

#endif
