#ifndef CORE_RESOURCE_H
#define CORE_RESOURCE_H

#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The resource directory: services in the community, shaped after Open
 * Referral HSDS 3.0 (tables dir_*, migration 13). A resource is an HSDS
 * service with its organisation, locations (with an address, coordinates
 * and schedules), phones, languages and categories (taxonomy terms
 * attached through attributes). Nothing here is about a person, so reads
 * are not audited; every change is (object type "resource"). Staff of
 * every role but the privacy officer search and read it; peers,
 * supervisors and administrators add, change and verify resources;
 * administrators import packages. See docs/resources.md.
 */

#define RESOURCE_NAME_MAX	300
#define RESOURCE_TEXT_MAX	4000
#define RESOURCE_SHORT_MAX	300
#define RESOURCE_LIST_MAX	100
#define RESOURCE_CATEGORIES_MAX	20
#define RESOURCE_LANGUAGES_MAX	30
#define RESOURCE_SCHEDULES_MAX	14
#define RESOURCE_OFFSET_MAX	10000

/* The service's own text fields, in this order in struct resource's
 * text[] and in the columns of dir_service. */
enum resource_text {
	RT_NAME,
	RT_ALTERNATE_NAME,
	RT_DESCRIPTION,
	RT_URL,
	RT_EMAIL,
	RT_STATUS,
	RT_INTERPRETATION,
	RT_APPLICATION,
	RT_FEES,
	RT_WAIT_TIME,
	RT_ACCREDITATIONS,
	RT_ELIGIBILITY,
	RT_ALERT,
	RT__COUNT
};

/* The JSON key and dir_service column of each text field. Static. */
const char *resource_text_key(enum resource_text f);

struct resource_schedule {
	char	*location_id;	/* NULL: the service's own */
	char	*freq;		/* WEEKLY, MONTHLY or NULL */
	char	*byday;		/* "MO,TU" */
	char	*opens_at;	/* "09:00" */
	char	*closes_at;
	char	*description;
};

struct resource_location {
	char	 id[37];
	char	*name;
	char	*description;
	char	*transportation;
	int	 has_point;
	int64_t	 lat_e6;	/* millionths of a degree */
	int64_t	 lon_e6;
	char	*address_1;
	char	*address_2;
	char	*city;
	char	*state_province;
	char	*postal_code;
	char	*country;
	double	 distance_km;	/* from the search's point; < 0 none */
};

struct resource_phone {
	char	*number;
	char	*extension;
	char	*type;
	char	*description;
};

struct resource_language {
	char	*code;
	char	*name;
	char	*note;
};

struct resource {
	char			 id[37];
	int64_t			 version;
	char			*text[RT__COUNT];
	int64_t			 minimum_age;	/* -1: none */
	int64_t			 maximum_age;
	char			 organization_id[37];
	char			*organization_name;
	char			*organization_description;
	char			*organization_website;
	char			*organization_email;
	int			 local;
	char			*added_by_name;
	int64_t			 added_at;
	char			*verified_by_name;
	int64_t			 verified_at;	/* 0: never */
	int			 stale;
	int			 open_now;	/* -1: no schedule says */
	char			**categories;	/* codes */
	int			 ncategories;
	struct resource_language *languages;
	int			 nlanguages;
	struct resource_phone	*phones;
	int			 nphones;
	struct resource_location *locations;	/* nearest first in a
						 * search */
	int			 nlocations;
	struct resource_schedule *schedules;
	int			 nschedules;
	/* Referrals to it (summaries: see core/referral.h). */
	int64_t			 referrals_made;
	int64_t			 referrals_accepted;
	int64_t			 referrals_completed;
};

void resource_clear(struct resource *r);
void resources_free(struct resource *r, int n);

/* What a search asks; borrowed. */
struct resource_query {
	const char	*q;		/* words, any order */
	const char	*category;	/* a category's code */
	const char	*language;	/* a BCP 47 code */
	int		 open_now;
	const char	*near;		/* a postal code, or "lat,lon" */
	int		 radius_km;	/* with near: 1 to 500 */
	int		 any_status;	/* inactive and defunct too */
	int		 local_only;
	int		 limit;
	int		 offset;
};

/* Where a search measured from. */
struct resource_point {
	int	 set;
	int64_t	 lat_e6;
	int64_t	 lon_e6;
	int	 from_postal_code;
};

/*
 * Services that match, best first (nearest when near is given, then by
 * name): summaries with their categories, languages, nearest location
 * and whether they are open now. *more is 1 when a further page exists.
 * ERR_INVALID with fields named in v (near: a postal code no location
 * has).
 */
enum err resource_search(struct db *db, const struct actor *a,
    const struct resource_query *q, struct verr *v, struct resource **out,
    int *n, int *more, struct resource_point *from);

/* One service in full. ERR_NOT_FOUND when there is none. */
enum err resource_get(struct db *db, const struct actor *a, const char *id,
    struct resource *out);

/* What a member of staff writes; borrowed. A NULL member of a change
 * leaves the field as it is; "" clears it. */
struct resource_input {
	const char	*text[RT__COUNT];
	int		 has_minimum_age, has_maximum_age;
	int64_t		 minimum_age, maximum_age;	/* -1: none */
	const char	*organization_id;	/* an existing one */
	const char	*organization_name;	/* or a new one by name */
	const char	*const *categories;	/* NULL: unchanged */
	int		 ncategories;
	const char	*const *languages;
	int		 nlanguages;
	const char	*phone;			/* NULL unchanged, "" none */
	int		 has_location;
	int		 location_cleared;	/* "location": null */
	const char	*location_name;
	const char	*address_1;
	const char	*address_2;
	const char	*city;
	const char	*state_province;
	const char	*postal_code;
	const char	*country;
	const char	*transportation;
	int		 has_point;
	int64_t		 lat_e6, lon_e6;
	const struct resource_schedule *schedules;	/* NULL unchanged */
	int		 nschedules;
	int		 has_schedules;
};

/* Adds a local resource. */
enum err resource_create(struct db *db, const struct actor *a,
    const struct resource_input *in, struct verr *v, struct resource *out);

/* Changes one; ERR_STALE when its version is not if_version. */
enum err resource_update(struct db *db, const struct actor *a,
    const char *id, int64_t if_version, const struct resource_input *in,
    struct verr *v, struct resource *out);

/* Marks it checked today by the actor. */
enum err resource_verify(struct db *db, const struct actor *a,
    const char *id, struct resource *out);

/*
 * Puts the rules' taxonomies and category terms into the directory
 * (dir_taxonomy, dir_taxonomy_term) when they are missing. In the
 * caller's write transaction.
 */
enum err resource_terms_seed(struct db *db);

/* Rewrites a service's search_text from its and its organisation's
 * words. In the caller's write transaction (imports call it too). */
enum err resource_search_text_refresh(struct db *db, const char *service_id);

/* 1 when s is a weekday list as HSDS byday has it ("MO,WE,FR"). */
int resource_byday_valid(const char *s);
/* 1 when s is a time of day HH:MM or HH:MM:SS. */
int resource_time_valid(const char *s);

#endif
