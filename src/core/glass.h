#ifndef CORE_GLASS_H
#define CORE_GLASS_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Break-glass (45 CFR 164.312(a)(2)(ii), emergency access): a peer
 * specialist or supervisor who is not on a person's team opens that one
 * record after giving a reason. The grant lasts a set time (60 minutes
 * unless serve says otherwise); every action on the record meanwhile is
 * audited with the flag "break_glass" (access/audit.c); the privacy
 * officers are notified at once and one of them reviews it, and the review
 * is recorded.
 */

#define GLASS_REASON_MIN	10
#define GLASS_REASON_MAX	1000
#define GLASS_LIST_MAX		200

struct glass_rec {
	char	 id[37];
	int64_t	 version;
	char	 staff_id[37];
	char	*staff_name;
	char	 person_id[37];
	char	*reason;
	int64_t	 started_at;
	int64_t	 expires_at;
	char	*reviewed_by_name;
	int64_t	 reviewed_at;
	char	*review_outcome;	/* appropriate, not_appropriate */
	char	*review_note;
};

void glass_clear(struct glass_rec *g);
void glasses_free(struct glass_rec *g, int n);

/* How long a grant lasts, in seconds (serve --break-glass-minutes). */
void glass_set_seconds(int seconds);
int glass_seconds(void);

/* Opens the person's record to the actor for the set time. ERR_CONFLICT
 * when the actor is on the person's team already (no glass to break). */
enum err glass_open(struct db *db, const struct actor *a,
    const char *person_id, const char *reason, struct verr *v,
    struct glass_rec *out);

/* For privacy officers: the grants, newest first; waiting ones only when
 * pending. The actor's own grants for anyone else. */
enum err glass_list(struct db *db, const struct actor *a, int pending,
    struct glass_rec **items, int *n);

/* A privacy officer's review: outcome and a note. ERR_CONFLICT when it
 * was reviewed already. */
enum err glass_review(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *outcome, const char *note,
    struct verr *v, struct glass_rec *out, int64_t *current);

#endif
