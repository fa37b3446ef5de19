#include <stdio.h>
#include <string.h>

#include "access/actor.h"
#include "util/timeutil.h"

static const char *const names[ROLE__COUNT] = {
	[ROLE_PEER] = "peer",
	[ROLE_SUPERVISOR] = "supervisor",
	[ROLE_ADMIN] = "admin",
	[ROLE_PRIVACY] = "privacy",
};

const char *
role_name(enum role r)
{
	if (r == ROLE_PERSON)
		return "person";
	return (unsigned)r < ROLE__COUNT ? names[r] : "unknown";
}

enum role
role_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < ROLE__COUNT; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum role)i;
	return ROLE__COUNT;
}

int
actor_in_team(const struct actor *a, const char *team_id)
{
	int i;

	if (team_id == NULL)
		return 0;
	for (i = 0; i < a->nteams; i++)
		if (strcmp(a->teams[i], team_id) == 0)
			return 1;
	return 0;
}

void
actor_system(struct actor *a)
{
	memset(a, 0, sizeof *a);
	a->role = ROLE_ADMIN;
	a->system = 1;
	snprintf(a->username, sizeof a->username, "%s", "system");
	snprintf(a->display_name, sizeof a->display_name, "%s", "system");
	snprintf(a->client_addr, sizeof a->client_addr, "%s", "local");
}

int
actor_glass(const struct actor *a, const char *person_id)
{
	long long now = time_now_ms();
	int i;

	if (person_id == NULL)
		return 0;
	for (i = 0; i < a->nglass; i++)
		if (a->glass[i].until_ms > now &&
		    strcmp(a->glass[i].person_id, person_id) == 0)
			return 1;
	return 0;
}
