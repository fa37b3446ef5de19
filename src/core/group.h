#ifndef CORE_GROUP_H
#define CORE_GROUP_H

#include <stdint.h>

#include "access/actor.h"
#include "core/contact.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Peer groups. A group belongs to a team and follows a curriculum from
 * the rule set (data/groups.json); its roster lists the people taking
 * part. A session is documented once: the time, place and topic, the
 * facilitators, one shared narrative, and for each person on the
 * attendance list whether they came, a short note of their own, next
 * steps and the plan goals it worked on. Signing the session makes a
 * signed "group" contact in each attendee's record, billed by the engine
 * as a group of the people present with the facilitators leading it.
 * Every read and write asks the access policy of the group's team and is
 * audited once for each person whose record it touches.
 */

#define GROUP_NAME_MAX		120
#define GROUP_TEXT_MAX		CONTACT_TEXT_MAX
#define GROUP_SHORT_MAX		CONTACT_SHORT_MAX
#define GROUP_SIZE_MAX		60	/* on a roster or attendance list */
#define GROUP_FACILITATORS_MAX	6
#define GROUP_LIST_MAX		200
#define GROUP_SESSIONS_MAX	200

struct group_member {
	char	 person_id[37];
	char	*name;
	int64_t	 joined_at;
};

struct group_session_summary {
	char	 id[37];
	char	 group_id[37];
	char	*group_name;	/* group_sessions_due() */
	int64_t	 due_at;	/* when its notes are due */
	int64_t	 version;
	int64_t	 started_at;
	int64_t	 ended_at;
	char	*topic;
	char	*status;
	char	*author_name;
	int	 present;
	int	 listed;
};

struct group_rec {
	char				 id[37];
	int64_t				 version;
	char				 team_id[37];
	char				*team;
	char				*name;
	char				*curriculum;
	char				*description;
	char				*setting;
	char				*location;
	char				*program;
	int				 max_size;	/* 0: none */
	int				 active;
	int64_t				 created_at;
	int64_t				 updated_at;
	int				 nmembers;
	struct group_member		*members;	/* group_get() */
	struct group_session_summary	*sessions;	/* newest first */
	int				 nsessions;
};

void group_clear(struct group_rec *g);
void groups_free(struct group_rec *g, int n);

#define GF_TEAM		0x001
#define GF_NAME		0x002
#define GF_CURRICULUM	0x004
#define GF_DESCRIPTION	0x008
#define GF_SETTING	0x010
#define GF_LOCATION	0x020
#define GF_PROGRAM	0x040
#define GF_MAX_SIZE	0x080
#define GF_ACTIVE	0x100

/* A new group or a change to one; team is a team's name. Borrowed. */
struct group_input {
	unsigned	 set;
	const char	*team;
	const char	*name;
	const char	*curriculum;
	const char	*description;
	const char	*setting;
	const char	*location;
	const char	*program;
	int		 max_size;	/* 0: none */
	int		 active;
};

/* The groups of the actor's teams (or of team, a team's name), by name;
 * inactive ones too when all. */
enum err group_list(struct db *db, const struct actor *a, const char *team,
    int all, struct verr *v, struct group_rec **items, int *n);
enum err group_create(struct db *db, const struct actor *a,
    const struct group_input *in, struct verr *v, struct group_rec *out);
/* A group with its roster and its latest sessions. */
enum err group_get(struct db *db, const struct actor *a, const char *id,
    struct group_rec *out);
enum err group_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct group_input *in, struct verr *v,
    struct group_rec *out, int64_t *current);
/* Adds a person of the group's team to its roster, or takes them off. */
enum err group_member_add(struct db *db, const struct actor *a,
    const char *id, const char *person_id, struct verr *v,
    struct group_rec *out);
enum err group_member_remove(struct db *db, const struct actor *a,
    const char *id, const char *person_id, struct group_rec *out);

struct group_attendee {
	char			 person_id[37];
	char			*name;
	int			 present;
	char			*note;
	char			*next_steps;
	char			**goals;	/* goal item ids */
	int			 ngoals;
	char			 contact_id[37];	/* once signed */
	/* billing and what is missing: worked out while a draft, the
	 * contact's own once signed */
	struct contact_rec	 contact;
};

struct group_facilitator {
	char	 staff_id[37];
	char	*name;
};

struct group_session {
	char			 id[37];
	int64_t			 version;
	char			 group_id[37];
	char			 team_id[37];
	char			*group_name;
	char			*curriculum;
	int64_t			 started_at;
	int64_t			 ended_at;
	int			 minutes;
	char			*topic;
	char			*setting;
	char			*location;
	char			*program;
	char			*narrative;
	char			*credential;
	char			*status;	/* draft, signed */
	char			*author_id;
	char			*author_name;
	int64_t			 signed_at;
	int64_t			 created_at;
	int64_t			 updated_at;
	struct group_facilitator *facilitators;
	int			 nfacilitators;
	struct group_attendee	*attendees;
	int			 nattendees;
	int			 present;	/* attendees present */
	int			 limit;		/* the payer's size limit; 0 none */
	int			 max_size;	/* the group's own; 0 none */
};

void group_session_clear(struct group_session *s);

struct group_attendance_input {
	const char		*person_id;
	int			 present;
	const char		*note;
	const char		*next_steps;
	const char *const	*goals;
	int			 ngoals;
};

#define GS_STARTED_AT	0x001
#define GS_ENDED_AT	0x002
#define GS_TOPIC	0x004
#define GS_SETTING	0x008
#define GS_LOCATION	0x010
#define GS_PROGRAM	0x020
#define GS_NARRATIVE	0x040
#define GS_CREDENTIAL	0x080
#define GS_FACILITATORS	0x100
#define GS_ATTENDANCE	0x200

/* A new session or a change to a draft. The attendance list, when given,
 * replaces the one before; a new session without one lists the roster,
 * nobody marked present yet. Facilitators are staff ids; a new session
 * without them is led by its author. Borrowed. */
struct group_session_input {
	unsigned				 set;
	const char				*started_at;
	const char				*ended_at;
	const char				*topic;
	const char				*setting;
	const char				*location;
	const char				*program;
	const char				*narrative;
	const char				*credential;
	const char *const			*facilitators;
	int					 nfacilitators;
	const struct group_attendance_input	*attendance;
	int					 nattendance;
};

enum err group_session_create(struct db *db, const struct actor *a,
    const char *group_id, const struct group_session_input *in,
    struct verr *v, struct group_session *out);
enum err group_session_get(struct db *db, const struct actor *a,
    const char *group_id, const char *id, struct group_session *out);
enum err group_session_update(struct db *db, const struct actor *a,
    const char *group_id, const char *id, int64_t if_version,
    const struct group_session_input *in, struct verr *v,
    struct group_session *out, int64_t *current);

/*
 * Signs the session as its author: every present attendee's note must hold
 * what the notes rules require (ERR_RULE with *rule, and v naming
 * "narrative", "location" or "attendance[i].note" and the like). Makes one
 * signed contact for each person present, in one transaction.
 */
enum err group_session_sign(struct db *db, const struct actor *a,
    const char *group_id, const char *id, int64_t if_version,
    struct verr *v, const char **rule, struct group_session *out,
    int64_t *current);

/* The actor's unsigned group sessions, soonest due first, with when
 * their notes are due. */
enum err group_sessions_due(struct db *db, const struct actor *a,
    struct group_session_summary **items, int *n);
void group_session_summaries_free(struct group_session_summary *s, int n);

#endif
