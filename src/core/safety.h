#ifndef CORE_SAFETY_H
#define CORE_SAFETY_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Safety concerns: a member of staff on a person's team records, in one
 * step, that the person intends serious harm to themselves or others. The
 * supervisors of the team get a notification each at once; one of them
 * acknowledges it. A concern nobody acknowledged by its escalate_at is
 * passed on (data/safety.json: every other supervisor, the
 * administrators) exactly once, by whichever sweep claims it first. Every
 * step is kept with its time and actor; nothing is deleted. Reads and
 * writes ask the access policy and are audited. See docs/safety.md.
 */

#define SAFETY_TEXT_MAX		4000
#define SAFETY_NOTE_MAX		2000
#define SAFETY_LIST_MAX		100
#define NOTIFY_LIST_MAX		100

struct safety_step {
	char	 id[37];
	int64_t	 at;
	char	*actor_id;	/* NULL: the program (escalation) */
	char	*actor_name;
	char	*action;
	char	*note;
};

struct safety_concern {
	char			 id[37];
	int64_t			 version;
	char			 person_id[37];
	char			*person_name;
	char			 team_id[37];
	char			*contact_id;
	char			*kind;		/* self, others */
	char			*what;
	char			*status;	/* raised, acknowledged,
						 * escalated, closed */
	int			 level;		/* 1 team, 2 passed on */
	char			*raised_by;
	char			*raised_by_name;
	int64_t			 raised_at;
	int64_t			 escalate_at;
	char			*acknowledged_by;
	char			*acknowledged_by_name;
	int64_t			 acknowledged_at;
	int64_t			 escalated_at;
	char			*closed_by;
	char			*closed_by_name;
	int64_t			 closed_at;
	char			*outcome;
	char			*rules_version;
	struct safety_step	*steps;		/* oldest first */
	int			 nsteps;
	/* the person's crisis plan in force, when there is one */
	char			*plan_id;
	char			*plan_kind;
	char			*plan_title;
	int			 plan_n;
	char			*plan_content;	/* the version's JSON text */
};

void safety_concern_clear(struct safety_concern *c);

/* Borrowed. */
struct safety_input {
	const char	*person_id;
	const char	*contact_id;	/* NULL: raised from the person's page */
	const char	*kind;
	const char	*what;
};

/*
 * Seconds a concern waits for an acknowledgement before it is passed on:
 * from the rules in force, unless serve set another (for tests and
 * drills). Call before threads start.
 */
void safety_set_escalate_seconds(int seconds);
int64_t safety_escalate_ms(void);

/* Raises a concern and notifies the team's supervisors, in one
 * transaction. */
enum err safety_raise(struct db *db, const struct actor *a,
    const struct safety_input *in, struct verr *v,
    struct safety_concern *out);

/* A concern with its steps and the person's crisis plan; audited. */
enum err safety_get(struct db *db, const struct actor *a, const char *id,
    struct safety_concern *out);

/* The concerns on the actor's teams not closed yet, newest first. */
enum err safety_list_open(struct db *db, const struct actor *a,
    struct safety_concern **items, int *n);
void safety_concerns_free(struct safety_concern *c, int n);

/* A supervisor of the team acknowledges; ERR_CONFLICT when it is
 * acknowledged or closed already. */
enum err safety_acknowledge(struct db *db, const struct actor *a,
    const char *id, struct verr *v, struct safety_concern *out);

/* Adds a step (an action code from safety_actions) with an optional
 * note; ERR_CONFLICT once closed. */
enum err safety_step_add(struct db *db, const struct actor *a,
    const char *id, const char *action, const char *note, struct verr *v,
    struct safety_concern *out);

/* A supervisor of the team closes it with an outcome; ERR_CONFLICT when
 * closed already. */
enum err safety_close(struct db *db, const struct actor *a, const char *id,
    const char *outcome, struct verr *v, struct safety_concern *out);

/* The step actions staff record; NULL-terminated. */
extern const char *const safety_actions[];

/*
 * Passes on every concern due at now that nobody acknowledged. Each is
 * claimed with a conditional UPDATE, so of several sweeps (threads or
 * serve processes) exactly one notifies. *escalated (may be NULL) gets how
 * many this call passed on.
 */
enum err safety_sweep(struct db *db, int64_t now, int *escalated);

struct notification {
	char	 id[37];
	char	*kind;		/* safety_raised, safety_escalated */
	char	*concern_id;
	char	*break_glass_id;	/* kind break_glass */
	char	*person_name;	/* NULL unless the recipient works rosters */
	char	*concern_kind;
	char	*status;
	int64_t	 created_at;
	int64_t	 read_at;
};

/* The actor's notifications, newest first (at most limit), and how many
 * are unread. limit 0 counts only. */
enum err notification_list(struct db *db, const struct actor *a, int limit,
    struct notification **items, int *n, int64_t *unread);
void notifications_free(struct notification *x, int n);

/* Marks one of the actor's own notifications read; ERR_NOT_FOUND for
 * anyone else's. */
enum err notification_read(struct db *db, const struct actor *a,
    const char *id);

#endif
