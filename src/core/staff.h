#ifndef CORE_STAFF_H
#define CORE_STAFF_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/* Teams and staff accounts, managed by administrators. */

struct team_rec {
	char	 id[37];
	char	*name;		/* short, stable, e.g. "north" */
	char	*display_name;
	int64_t	 version;
	int64_t	 created_at;
};

/* Creates a team; field errors in v with ERR_INVALID, ERR_CONFLICT when
 * the name is taken. out (may be NULL) gets the new team. */
enum err team_create(struct db *db, const struct actor *a, const char *name,
    const char *display_name, struct verr *v, struct team_rec *out);

/* The id of the team called name; ERR_NOT_FOUND when there is none. */
enum err team_id_by_name(struct db *db, const char *name, char id[37]);

/*
 * Teams the actor may see, by name: every team for administrators and
 * privacy officers, their own teams for others. A page starts after the
 * team with id after (NULL: the first) and holds at most limit (0: all);
 * next (may be NULL) gets the cursor for the following page or "".
 * ERR_INVALID when after is not a team of the list. Returns a new array;
 * caller frees with team_recs_free().
 */
enum err team_list(struct db *db, const struct actor *a, const char *after,
    int limit, struct team_rec **out, int *n, char next[37]);
void team_recs_free(struct team_rec *t, int n);

#define STAFF_SET_USERNAME	0x01
#define STAFF_SET_DISPLAY_NAME	0x02
#define STAFF_SET_ROLE		0x04
#define STAFF_SET_TEAMS		0x08
#define STAFF_SET_PASSWORD	0x10
#define STAFF_SET_DISABLED	0x20
#define STAFF_SET_PASSWORD_HASH	0x40	/* a hash instead of a password */

struct staff_input {
	unsigned	 set;		/* STAFF_SET_* of the fields given */
	const char	*username;
	const char	*display_name;
	enum role	 role;
	const char	*const *teams;	/* team names */
	int		 nteams;
	const char	*password;
	/* As made by password_hash(), so many accounts can be loaded
	 * with one password hashed once (bench/generate.c); never taken
	 * from a request. */
	const char	*password_hash;
	int		 disabled;
};

struct staff_rec {
	char	 id[37];
	char	*username;
	char	*display_name;
	enum role role;
	int	 disabled;
	int64_t	 version;
	int64_t	 created_at;
	int64_t	 updated_at;
	int	 nteams;
	char	**teams;	/* team names */
	int	 two_factor;	/* two-step sign-in is on */
};

/* 1 when s is an acceptable username: 2-64 of [a-z0-9._-], starting with
 * a letter. */
int staff_username_valid(const char *s);

/* Creates an account with every field of in set. */
enum err staff_create(struct db *db, const struct actor *a,
    const struct staff_input *in, struct verr *v, struct staff_rec *out);

/*
 * Changes the fields set in in of the account with this id, when its
 * version is if_version (ERR_STALE otherwise, *current set); if_version
 * -1 skips the check. A new password, disabling, or a change of role or
 * teams ends the account's sessions; a new password or re-enabling lifts
 * a sign-in lock.
 */
enum err staff_update(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const struct staff_input *in, struct verr *v,
    struct staff_rec *out, int64_t *current);

/* The id of the account called username; ERR_NOT_FOUND otherwise. */
enum err staff_id_by_username(struct db *db, const char *username,
    char id[37]);

/*
 * Accounts the actor may see, by username: all for administrators and
 * privacy officers, enabled colleagues on the actor's teams for others.
 * Paged as team_list(). Returns a new array; caller frees with
 * staff_recs_free().
 */
enum err staff_list(struct db *db, const struct actor *a, const char *after,
    int limit, struct staff_rec **out, int *n, char next[37]);
enum err staff_get(struct db *db, const struct actor *a, const char *id,
    struct staff_rec *out);
void staff_rec_clear(struct staff_rec *s);
void staff_recs_free(struct staff_rec *s, int n);

#endif
