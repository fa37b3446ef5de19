/*
 * The demo organisation's resource directory: a few fictional places in
 * the community near the demo teams, added as peers add local resources
 * (through resource_create), so `make run` has something to search and
 * refer people to. Names, addresses and phone numbers are invented.
 */
#include <stdint.h>
#include <string.h>

#include "core/demo.h"
#include "core/resource.h"

static const struct {
	const char	*name;
	const char	*org;
	const char	*description;
	const char	*cats[3];
	const char	*langs[3];
	const char	*address;
	const char	*postal;
	int64_t		 lat, lon;	/* millionths of a degree */
	const char	*byday;
	const char	*opens, *closes;
	const char	*phone;
} places[] = {
	{ "Housing navigation", "Maple Grove Housing Partners",
	    "Help finding and keeping a place to live: applications, "
	    "deposits, landlord mediation.", { "housing",
	    "housing-instability", NULL }, { "en", "es", NULL },
	    "410 Alder Street", "62701", 39801000, -89644000,
	    "MO,TU,WE,TH,FR", "09:00", "17:00", "555-0101" },
	{ "Ayuda con vivienda (Spanish-language housing help)",
	    "Casa Esperanza Community Center",
	    "Bilingual staff help with rental applications and tenant "
	    "rights.", { "housing", "language-access", NULL },
	    { "es", "en", NULL }, "22 Linden Avenue", "62702",
	    39812000, -89661000, "TU,TH,SA", "10:00", "14:00", "555-0102" },
	{ "Riverside Recovery Café", "Riverside Recovery Community",
	    "A place to drop in, have coffee and meet others in recovery. "
	    "All-recovery meetings every evening.", { "recovery-community",
	    "social-connection-peer", "mutual-aid" }, { "en", NULL, NULL },
	    "7 Mill Road", "62703", 39776000, -89632000,
	    "MO,TU,WE,TH,FR,SA,SU", "12:00", "21:00", "555-0103" },
	{ "Eastside Food Pantry", "Eastside Neighbours",
	    "Groceries once a week; no paperwork needed.",
	    { "food-insecurity", NULL, NULL }, { "en", "es", "vi" },
	    "115 Orchard Lane", "62703", 39781000, -89611000, "WE,SA",
	    "09:00", "12:00", "555-0104" },
	{ "Job readiness workshop", "Prairie Works",
	    "Résumés, interview practice and job leads, with employers "
	    "who hire people in recovery.", { "employment",
	    "employment-status", "vocational" }, { "en", NULL, NULL },
	    "300 Commerce Drive", "62704", 39789000, -89690000, "MO,WE",
	    "13:00", "16:00", "555-0105" },
	{ "High school equivalency classes", "Lincoln Adult Learning",
	    "Free GED preparation in small groups, days or evenings.",
	    { "education", "educational-attainment", NULL },
	    { "en", "es", NULL }, "18 School Street", "62702", 39815000,
	    -89650000, "MO,TU,WE,TH", "18:00", "20:30", "555-0106" },
	{ "Ride to appointments", "County Community Transit",
	    "Door-to-door rides to health care and benefits "
	    "appointments; book two days ahead.",
	    { "transportation", "transportation-insecurity", NULL },
	    { "en", NULL, NULL }, "1 Depot Plaza", "62701", 39799000,
	    -89640000, "MO,TU,WE,TH,FR", "07:00", "18:00", "555-0107" },
	{ "Benefits and insurance enrollment",
	    "Community Health Access Project",
	    "Help applying for Medicaid, SNAP and other benefits.",
	    { "health-care-access", "health-insurance-coverage-status",
	    "financial-insecurity" }, { "en", "es", "ar" },
	    "55 Main Street", "62701", 39802000, -89648000,
	    "MO,TU,WE,TH,FR", "08:30", "16:30", "555-0108" },
	{ "Money skills group", "Prairie Works",
	    "A six-week group on budgeting, banking and credit.",
	    { "financial-literacy", NULL, NULL }, { "en", NULL, NULL },
	    "300 Commerce Drive", "62704", 39789000, -89690000, "TH",
	    "17:30", "19:00", "555-0109" },
	{ "Community garden", "Eastside Neighbours",
	    "Neighbours grow vegetables together; tools and seeds shared.",
	    { "healthy-environments", "social-connection-peer",
	    "volunteer" }, { "en", "es", NULL }, "Orchard Lane and 3rd",
	    "62703", 39783000, -89615000, "SA,SU", "08:00", "12:00",
	    NULL },
	{ "Walking club", "Lakeside Parks",
	    "Gentle group walks around the lake, all paces welcome.",
	    { "recreation", "social-connection", NULL },
	    { "en", NULL, NULL }, "Lakeside Park pavilion", "62707",
	    39733000, -89600000, "TU,TH", "08:00", "09:00", NULL },
	{ "Interfaith recovery circle", "Hope Street Fellowship",
	    "A spiritual support group open to people of any faith or "
	    "none.", { "spiritual", "recovery-community", NULL },
	    { "en", NULL, NULL }, "90 Hope Street", "62702", 39820000,
	    -89630000, "SU", "16:00", "17:30", "555-0111" },
	{ "Peer-run warmline", "Riverside Recovery Community",
	    "Call and talk with a peer any evening; not a crisis line.",
	    { "peer-delivered-services", "stress", NULL },
	    { "en", "es", NULL }, "7 Mill Road", "62703", 39776000,
	    -89632000, "MO,TU,WE,TH,FR,SA,SU", "17:00", "23:00",
	    "555-0112" },
	{ "Computer and phone help", "Lincoln Public Library",
	    "One-to-one help with email, phones, online forms and "
	    "telehealth visits.", { "digital-literacy", "digital-access",
	    NULL }, { "en", "zh", NULL }, "200 Library Way", "62701",
	    39804000, -89652000, "MO,WE,FR", "10:00", "15:00",
	    "555-0113" },
};

enum err
demo_resources(struct db *db, const struct actor *a)
{
	struct resource_schedule h;
	struct resource_input in;
	struct resource r;
	struct verr v;
	enum err e;
	size_t i;
	int nc, nl;

	/* The categories' terms, should the rules have been put in force
	 * without them (a program that did not start through the CLI). */
	if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
		return e;
	if ((e = resource_terms_seed(db)) != ERR_OK ||
	    (e = db_commit(db)) != ERR_OK) {
		db_rollback(db);
		return e;
	}
	for (i = 0; i < sizeof places / sizeof places[0]; i++) {
		memset(&in, 0, sizeof in);
		in.text[RT_NAME] = places[i].name;
		in.text[RT_DESCRIPTION] = places[i].description;
		in.organization_name = places[i].org;
		for (nc = 0; nc < 3 && places[i].cats[nc]; nc++)
			;
		for (nl = 0; nl < 3 && places[i].langs[nl]; nl++)
			;
		in.categories = places[i].cats;
		in.ncategories = nc;
		in.languages = places[i].langs;
		in.nlanguages = nl;
		in.phone = places[i].phone;
		in.has_location = 1;
		in.address_1 = places[i].address;
		in.city = "Springfield";
		in.state_province = "IL";
		in.postal_code = places[i].postal;
		in.country = "US";
		in.has_point = 1;
		in.lat_e6 = places[i].lat;
		in.lon_e6 = places[i].lon;
		memset(&h, 0, sizeof h);
		h.byday = (char *)places[i].byday;
		h.opens_at = (char *)places[i].opens;
		h.closes_at = (char *)places[i].closes;
		in.schedules = &h;
		in.nschedules = 1;
		in.has_schedules = 1;
		verr_init(&v);
		if ((e = resource_create(db, a, &in, &v, &r)) != ERR_OK)
			return e;
		resource_clear(&r);
	}
	return ERR_OK;
}
