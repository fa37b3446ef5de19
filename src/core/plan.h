#ifndef CORE_PLAN_H
#define CORE_PLAN_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Plans the person writes: recovery and wellness plans, wellness and
 * recovery action plans, crisis plans, recovery-management plans,
 * psychiatric advance directives and community integration plans.
 *
 * A plan has numbered versions. The newest is edited freely while it is a
 * draft; its first signature freezes it, and it is signed when every
 * signer the rules require has signed. Starting a new version copies the
 * newest. The content of a version is a document in its kind's structure
 * (data/plan-kinds.json), checked and given item ids by interop before it
 * reaches core, which keeps it as text. Every read and write asks the
 * access policy and is audited.
 */

#define PLAN_TITLE_MAX		200
#define PLAN_MAX_COPIES		20
#define PLAN_MAX_ITEMS		2000
#define PLAN_NOTE_MAX		2000
#define PLAN_LIST_MAX		200

/* The kinds, in the order they are offered. */
extern const char *const plan_kinds[];
int plan_kind_known(const char *kind);
int plan_kind_is_directive(const char *kind);

/* An item of a version's content that other records point at: a goal, a
 * step, a milestone, a named agent. path is the field path ("goals",
 * "goals.steps", "attorney_in_fact"). */
struct plan_item {
	char	*path;
	char	*id;
	int	 progress;	/* takes progress entries */
};

/* What core needs to know of a version's content besides its text. */
struct plan_content {
	const char		*text;	/* the document, as stored */
	const char		*structure_version;
	const struct plan_item	*items;
	int			 nitems;
};

struct plan_signature {
	char	 id[37];
	char	*role;
	char	*signed_by;	/* "person", "staff", "witness", "agent" */
	char	*typed_name;
	char	*staff_id;	/* the member of staff who signed, if one did */
	char	*credential;
	char	*address;
	char	*affirmed;	/* statement codes affirmed, comma-separated */
	char	*denied;	/* statement codes denied */
	char	*rules_version;
	char	*signed_on;	/* the date, in the organisation's time zone */
	int64_t	 signed_at;
	char	*recorded_by;
};

struct plan_version {
	int			 n;
	char			*status;	/* draft, signing, signed,
						 * superseded */
	char			*content;
	char			*structure_version;
	char			*signed_on;
	int64_t			 created_at;
	char			*created_by;
	char			*created_by_name;
	int64_t			 updated_at;
	struct plan_signature	*sigs;
	int			 nsigs;
};

struct plan_copy {
	char	*holder;
	char	*relationship;
	char	*given_on;
};

struct plan_progress {
	char	 id[37];
	char	*item_id;
	char	*entry_date;
	char	*note;
	char	*achievement_status;
	char	*author_id;
	char	*author_name;
	int64_t	 created_at;
};

/* A change in an advance directive's standing after it was executed. */
struct plan_event {
	char	 id[37];
	char	*event;		/* "invoked", "capacity-restored", "revoked" */
	char	*on_date;
	char	*basis;		/* invoked: the basis's code */
	char	*physician;	/* revoked: the physician who signed */
	char	*delivered_on;	/* revoked: delivered to the physician */
	char	*rules_version;
	char	*recorded_by;
	int64_t	 created_at;
};

/* A signer still needed for the newest version. */
struct plan_need {
	char	*role;
	char	*label;
	int	 count;		/* how many more */
};

struct plan {
	char			 id[37];
	int64_t			 version;
	char			 person_id[37];
	char			 team_id[37];
	char			*kind;
	char			*title;
	char			*status;	/* see plan_status() */
	int			 latest;
	int			 in_force;	/* newest signed version, 0 none */
	char			*review_due;
	char			*executed_on;
	char			*expires_on;
	char			*rules_version;
	struct plan_version	 current;	/* the newest version */
	struct plan_need	*needs;
	int			 nneeds;
	struct plan_copy	*copies;
	int			 ncopies;
	struct plan_progress	*progress;	/* oldest first */
	int			 nprogress;
	struct plan_event	*events;	/* oldest first */
	int			 nevents;
	int64_t			 created_at;
	int64_t			 updated_at;
};

void plan_clear(struct plan *p);
void plan_version_clear(struct plan_version *v);

struct plan_input {
	const char		*kind;		/* create only */
	int			 set_title;
	const char		*title;
	const struct plan_content *content;	/* NULL: unchanged / empty */
	int			 set_copies;
	const struct plan_copy	*copies;
	int			 ncopies;
	/* Update only: the content is the person's suggestion with this id
	 * (core/portal.h), accepted with them in the same change. */
	const char		*proposal_id;
};

/* Starts a plan of in->kind for a person: version 1, a draft. */
enum err plan_create(struct db *db, const struct actor *a,
    const char *person_id, const struct plan_input *in, struct verr *v,
    struct plan *out);

/* The kind of a plan the actor may change, so its content can be checked
 * before the change (not audited: the change is). */
enum err plan_kind(struct db *db, const struct actor *a, const char *id,
    char kind[32]);

/* Reads a plan with its newest version; the read is audited. */
enum err plan_get(struct db *db, const struct actor *a, const char *id,
    struct plan *out);

/*
 * Changes the title, the copies or the newest version's content when the
 * plan is at if_version. ERR_STALE with *current; ERR_FROZEN when the
 * content of a version that is being or has been signed would change.
 * With in->proposal_id: ERR_NOT_FOUND when the plan has no such
 * suggestion, ERR_CONFLICT when it has been answered or the plan has
 * changed since it was made.
 */
enum err plan_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct plan_input *in, struct verr *v,
    struct plan *out, int64_t *current);

/* Starts version latest + 1 as a draft copy of the newest version.
 * ERR_CONFLICT when the newest is still a draft or the plan is an
 * executed advance directive. */
enum err plan_new_version(struct db *db, const struct actor *a,
    const char *id, int64_t if_version, struct plan *out, int64_t *current);

struct sign_input {
	const char		*role;
	const char		*typed_name;
	int			 confirmed;	/* 1 true, 0 false, -1 absent */
	const char		*credential;
	const char		*address;
	const char *const	*yes;		/* statements answered yes */
	int			 nyes;
	const char *const	*no;		/* and no */
	int			 nno;
};

/*
 * Adds a signature to the newest version. ERR_INVALID with field errors;
 * ERR_RULE with *rule set to the citation of the rule the signature
 * would break (and v naming the field); ERR_CONFLICT when the role has
 * signed already or the version is superseded.
 */
enum err plan_sign(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct sign_input *in, struct verr *v,
    const char **rule, struct plan *out, int64_t *current);

/* All versions, newest first, without content. */
enum err plan_versions(struct db *db, const struct actor *a, const char *id,
    struct plan_version **out, int *n);
void plan_versions_free(struct plan_version *v, int n);

/* One version with its content and signatures. */
enum err plan_version_get(struct db *db, const struct actor *a,
    const char *id, int n, struct plan_version *out, char kind[32]);

struct progress_input {
	const char	*item_id;
	const char	*entry_date;
	const char	*note;
	const char	*achievement_status;	/* may be NULL */
};

/* Adds a dated progress entry on an item (a goal, a milestone). */
enum err plan_progress_add(struct db *db, const struct actor *a,
    const char *id, const struct progress_input *in, struct verr *v,
    struct plan_progress *out);
void plan_progress_clear(struct plan_progress *p);

struct event_input {
	const char	*event;		/* "invoked", "capacity-restored",
					 * "revoked" */
	const char	*on_date;
	const char	*basis;
	const char	*physician;
	const char	*delivered_on;
	const char	*principal_typed_name;
};

/* Records a change in an executed advance directive's standing. ERR_RULE
 * with *rule when the state's rules refuse it. */
enum err plan_event_add(struct db *db, const struct actor *a,
    const char *id, int64_t if_version, const struct event_input *in,
    struct verr *v, const char **rule, struct plan *out, int64_t *current);

struct plan_summary {
	char	 id[37];
	int64_t	 version;
	char	*kind;
	char	*title;
	char	*status;
	int	 latest;
	int	 in_force;
	char	*review_due;
	char	*expires_on;
	int64_t	 updated_at;
};

/* A plan the rules expect and the person does not have yet. */
struct plan_due {
	char	*kind;
	char	*due_on;
	char	*rule;
};

/* A person's plans (of kind, when given), newest first; and the plans the
 * rules say are due. */
enum err plan_list(struct db *db, const struct actor *a,
    const char *person_id, const char *kind, const char *after, int limit,
    struct verr *v, struct plan_summary **items, int *n, char next[37],
    struct plan_due **due, int *ndue);
void plan_summaries_free(struct plan_summary *s, int n,
    struct plan_due *d, int nd);

/* Peer contact minutes in one calendar month. */
struct month_minutes {
	char	month[8];	/* YYYY-MM */
	int64_t	minutes;
	int64_t	contacts;
};

#define PLAN_MINUTES_MONTHS_MAX	36

/*
 * The person's peer contact minutes per month for the months months up to
 * and including this one (in the organisation's time zone), oldest first:
 * how much they rely on peer support over time. out holds months entries.
 * The read is audited.
 */
enum err plan_peer_minutes(struct db *db, const struct actor *a,
    const char *person_id, int months, struct month_minutes *out);

/* The plan of the person's that holds goal item_id (its id into plan_id),
 * in the caller's transaction; ERR_NOT_FOUND when none does. No policy
 * check or audit: the caller's record read covers it. */
enum err plan_of_goal(struct db *db, const char *person_id,
    const char *item_id, char plan_id[37]);

#endif
