#ifndef CORE_DEMO_H
#define CORE_DEMO_H

#include <stddef.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"

/*
 * A fictional organisation for trying Alongside out: teams north and
 * south, seven staff accounts sharing one password, and people we support
 * with generated names, contacts, links and episodes. Nothing here is
 * drawn from real people.
 */

struct demo_account {
	const char	*username;
	const char	*display_name;
	const char	*role;		/* as role_parse() reads it */
	const char	*team;		/* NULL for none */
};

/* The demo accounts; ends with a NULL username. */
extern const struct demo_account demo_accounts[];

/*
 * Fills db with the demo organisation and people people (spread over both
 * teams). ERR_CONFLICT when the teams already exist.
 */
enum err demo_fill(struct db *db, const char *password, int people);

/*
 * The pieces demo_fill() is made of, for larger generated organisations
 * (bench/generate.c). demo_add_person() adds the i-th generated person to
 * the actor's only team with primary peer peer_id, drawing from *seed:
 * contacts, a parent link to parent_id (may be NULL) and, by i, an
 * episode open or closed. id_out gets the new person's id.
 */
enum err demo_add_person(struct db *db, const struct actor *a,
    const char *peer_id, int i, unsigned *seed, const char *parent_id,
    char id_out[37]);

/* Adds the demo's fictional community resources, as the actor (a member
 * of staff) would add local ones. */
enum err demo_resources(struct db *db, const struct actor *a);

/* Writes a generated, fictional full name into out (n bytes). */
void demo_staff_name(unsigned *seed, char *out, size_t n);

#endif
