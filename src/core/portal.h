#ifndef CORE_PORTAL_H
#define CORE_PORTAL_H

#include <stdint.h>

#include "access/actor.h"
#include "access/portal.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The person's own portal, as staff manage it (invitations, ending
 * access) and the person's suggested changes to a draft plan. Signing in
 * is access/portal.c.
 */

#define PROPOSAL_NOTE_MAX	2000
#define PROPOSAL_REASON_MAX	2000
#define PROPOSAL_LIST_MAX	100

struct portal_status {
	char	 account_id[37];	/* empty: never invited */
	char	 sign_in_name[PORTAL_NAME_MAX + 1];
	int64_t	 invited_at;
	int64_t	 invite_expires_at;	/* 0: no code outstanding */
	int64_t	 activated_at;
	int64_t	 last_sign_in_at;
	int64_t	 ended_at;
};

/* "none", "invited", "active" or "ended". Static. */
const char *portal_state(const struct portal_status *s);

/* Where the person's portal access stands; audited as a read. */
enum err portal_status_get(struct db *db, const struct actor *a,
    const char *person_id, struct portal_status *out);

/*
 * Issues a new invitation code to the person (into code, shown once):
 * the first, or one replacing a lost passphrase, a used or expired code
 * or ended access. Any passphrase and portal session end with it.
 */
enum err portal_invite(struct db *db, const struct actor *a,
    const char *person_id, char code[PORTAL_CODE_MAX],
    struct portal_status *out);

/* Ends the person's portal access: no code, no passphrase, no session.
 * ERR_NOT_FOUND when they were never invited. */
enum err portal_end(struct db *db, const struct actor *a,
    const char *person_id);

struct proposal_rec {
	char	 id[37];
	char	 plan_id[37];
	char	 person_id[37];
	int	 n;		/* the draft version it was made on */
	int64_t	 base_version;	/* the plan's version then */
	char	*content;	/* JSON text, checked against the kind */
	char	*note;
	char	*status;	/* open, accepted, declined */
	char	*reason;
	int64_t	 created_at;
	char	*decided_by_name;
	int64_t	 decided_at;
};

void proposal_clear(struct proposal_rec *p);
void proposals_free(struct proposal_rec *p, int n);

/*
 * The person suggests content (checked by the caller against the plan's
 * kind) for the plan's draft, at if_version. ERR_STALE with *current;
 * ERR_CONFLICT when the newest version is not a draft.
 */
enum err proposal_create(struct db *db, const struct actor *a,
    const char *plan_id, int64_t if_version, const char *content,
    const char *note, struct verr *v, struct proposal_rec *out,
    int64_t *current);

/* The plan's suggestions, newest first (at most PROPOSAL_LIST_MAX). */
enum err proposal_list(struct db *db, const struct actor *a,
    const char *plan_id, struct proposal_rec **items, int *n);

/* One suggestion, for a member of staff who may change the plan. */
enum err proposal_get(struct db *db, const struct actor *a, const char *id,
    struct proposal_rec *out);

/* Declines an open suggestion with an optional reason. ERR_CONFLICT once
 * it has been answered. */
enum err proposal_decline(struct db *db, const struct actor *a,
    const char *id, const char *reason, struct verr *v,
    struct proposal_rec *out);

#endif
