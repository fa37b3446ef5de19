#ifndef ACCESS_ACTOR_H
#define ACCESS_ACTOR_H

#define ACTOR_MAX_TEAMS	16
#define ACTOR_MAX_GLASS	4

enum role {
	ROLE_PEER,		/* peer specialist */
	ROLE_SUPERVISOR,
	ROLE_ADMIN,		/* administrator */
	ROLE_PRIVACY,		/* privacy officer */
	ROLE__COUNT,		/* the staff roles end here */
	/* The person served, signed in to their own portal: never a staff
	 * account, so role_parse() does not read it. */
	ROLE_PERSON
};

/*
 * Who is asking: a signed-in member of staff, resolved from a session for
 * each request. Fixed-size so it lives on the stack.
 */
struct actor {
	char		id[37];
	char		username[65];
	char		display_name[401];
	enum role	role;
	int		nteams;
	char		teams[ACTOR_MAX_TEAMS][37];	/* team ids */
	char		csrf_token[44];
	char		token_hash[65];	/* of the session; empty for CLI */
	char		client_addr[64];
	long long	idle_timeout_s;
	int		system;	/* the command line, acting for an operator */
	int		two_factor;	/* two-step sign-in is on */
	/* The organisation requires two-step sign-in and it is not on yet:
	 * the session reaches only the routes that set it up. */
	int		two_factor_missing;
	/* Break-glass grants in force: one person's record each, until a
	 * time (ms). */
	int		nglass;
	struct {
		char		person_id[37];
		long long	until_ms;
	}		glass[ACTOR_MAX_GLASS];
	/* ROLE_PERSON: whose record this is (id is the portal account). */
	char		person_id[37];
};

/* An actor for administrative commands run on the server itself. */
void actor_system(struct actor *a);

/* "peer", "supervisor", "admin", "privacy"; "person" for ROLE_PERSON.
 * Static. */
const char *role_name(enum role r);
/* ROLE__COUNT when s names no role. */
enum role role_parse(const char *s);

/* 1 when the actor belongs to the team. */
int actor_in_team(const struct actor *a, const char *team_id);

/* 1 when a break-glass grant in force now opens the person's record. */
int actor_glass(const struct actor *a, const char *person_id);

#endif
