#ifndef HTTP_ROUTER_H
#define HTTP_ROUTER_H

#include "http/http.h"

typedef enum err (*http_handler)(struct req *r);

#define ROUTE_PUBLIC	0x1	/* no session needed */
#define ROUTE_BODY	0x2	/* takes a JSON body */
/* Open to a session whose member of staff must still set up the two-step
 * sign-in the organisation requires; every other route refuses it. */
#define ROUTE_ENROL	0x4
/* The person's own portal: the session is the portal's cookie, never a
 * member of staff's, and the actor is ROLE_PERSON. */
#define ROUTE_PORTAL	0x8

struct route {
	enum http_method	 method;
	const char		*pattern;	/* "/api/v1/people/{id}" */
	http_handler		 fn;
	unsigned		 flags;
};

/* Every API route; ends with a NULL pattern. */
extern const struct route http_routes[];

/*
 * The route for method and path, with its {params} copied into r. NULL
 * when none matches; *other_method is then 1 when the path matches a
 * route of another method (405 rather than 404).
 */
const struct route *router_match(struct req *r, const char *path,
    int *other_method);

/* "GET", "POST", ... Static. */
const char *http_method_name(enum http_method m);

/* Writes the methods allowed on path, comma-separated, into out. */
void router_allow(const char *path, char *out, size_t n);

#endif
