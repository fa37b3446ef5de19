/*
 * The HSDS 3.0 objects the directory keeps: their columns in the order of
 * the HSDS tabular package, how each value is checked, which are
 * required (HSDS's required fields and the directory's NOT NULL ones)
 * and which name other rows. See docs/resources.md.
 */
#include <stdio.h>
#include <string.h>

#include "interop/hsds_intern.h"

static const char *const status_enum[] = { "active", "inactive", "defunct",
    "temporarily closed", NULL };
static const char *const place_enum[] = { "physical", "postal", "virtual",
    NULL };
static const char *const freq_enum[] = { "WEEKLY", "MONTHLY", NULL };
static const char *const day_enum[] = { "MO", "TU", "WE", "TH", "FR", "SA",
    "SU", NULL };

#define ID		{ "id", K_ID, HF_REQ, 0, 0, 0, NULL, NULL }
#define REF(n, o)	{ n, K_REF, 0, o, 0, 0, NULL, NULL }
#define SKIP(n)		{ n, K_SKIP, 0, 0, 0, 0, NULL, NULL }
#define F(n, k)		{ n, k, 0, 0, 0, 0, NULL, NULL }
#define FR(n, k)	{ n, k, HF_REQ, 0, 0, 0, NULL, NULL }
#define INT(n, lo, hi)	{ n, K_INT, 0, 0, lo, hi, NULL, NULL }
#define NUM(n, lo, hi)	{ n, K_NUM, 0, 0, lo, hi, NULL, NULL }
#define ENUM(n, e, fl)	{ n, K_ENUM, fl, 0, 0, 0, e, NULL }

static const struct hfield organization[] = {
	ID, FR("name", K_NAME), F("alternate_name", K_NAME),
	FR("description", K_LONG), F("email", K_EMAIL), F("website", K_URI),
	SKIP("tax_status"), SKIP("tax_id"),
	INT("year_incorporated", 1000, 9999), F("legal_status", K_SHORT),
	SKIP("logo"), F("uri", K_URI), F("parent_organization_id", K_SOFT),
};

static const struct hfield service[] = {
	ID, REF("organization_id", HO_ORGANIZATION), SKIP("program_id"),
	FR("name", K_NAME), F("alternate_name", K_NAME),
	F("description", K_LONG), F("url", K_URI), F("email", K_EMAIL),
	ENUM("status", status_enum, HF_REQ),
	F("interpretation_services", K_LONG),
	F("application_process", K_LONG), F("fees_description", K_LONG),
	F("wait_time", K_LONG), SKIP("fees"), F("accreditations", K_LONG),
	F("eligibility_description", K_LONG),
	INT("minimum_age", 0, 150), INT("maximum_age", 0, 150),
	F("assured_date", K_DATE), F("assurer_email", K_EMAIL),
	SKIP("licenses"), F("alert", K_LONG),
	F("last_modified", K_DATETIME),
};

static const struct hfield location[] = {
	ID, ENUM("location_type", place_enum, HF_REQ), F("url", K_URI),
	REF("organization_id", HO_ORGANIZATION), F("name", K_NAME),
	F("alternate_name", K_NAME), F("description", K_LONG),
	F("transportation", K_LONG),
	{ "latitude", K_COORD, 0, 0, -90000000, 90000000, NULL,
	    "latitude_e6" },
	{ "longitude", K_COORD, 0, 0, -180000000, 180000000, NULL,
	    "longitude_e6" },
	F("external_identifier", K_SHORT),
	F("external_identifier_type", K_SHORT),
};

static const struct hfield address[] = {
	ID, REF("location_id", HO_LOCATION), F("attention", K_SHORT),
	FR("address_1", K_SHORT), F("address_2", K_SHORT), FR("city", K_SHORT),
	F("region", K_SHORT), FR("state_province", K_SHORT),
	FR("postal_code", K_SHORT), FR("country", K_SHORT),
	ENUM("address_type", place_enum, HF_REQ),
};

static const struct hfield service_at_location[] = {
	ID, REF("service_id", HO_SERVICE), REF("location_id", HO_LOCATION),
	F("description", K_LONG),
};

static const struct hfield phone[] = {
	ID, REF("location_id", HO_LOCATION), REF("service_id", HO_SERVICE),
	REF("organization_id", HO_ORGANIZATION), SKIP("contact_id"),
	REF("service_at_location_id", HO_SERVICE_AT_LOCATION),
	FR("number", K_SHORT), NUM("extension", 0, 999999999999LL),
	F("type", K_SHORT), F("description", K_LONG),
};

static const struct hfield schedule[] = {
	ID, REF("service_id", HO_SERVICE), REF("location_id", HO_LOCATION),
	REF("service_at_location_id", HO_SERVICE_AT_LOCATION),
	F("valid_from", K_DATE), F("valid_to", K_DATE), F("dtstart", K_DATE),
	NUM("timezone", -14, 14), F("until", K_DATE),
	INT("count", 0, 1000000), ENUM("wkst", day_enum, 0),
	ENUM("freq", freq_enum, 0), INT("interval", 1, 1000),
	F("byday", K_BYDAY),
	{ "byweekno", K_INTLIST, 0, 0, -53, 53, NULL, NULL },
	{ "bymonthday", K_INTLIST, 0, 0, -31, 31, NULL, NULL },
	{ "byyearday", K_INTLIST, 0, 0, -366, 366, NULL, NULL },
	F("description", K_LONG), F("opens_at", K_TIME),
	F("closes_at", K_TIME), F("schedule_link", K_URI),
	F("attending_type", K_LONG), F("notes", K_LONG),
};

static const struct hfield language[] = {
	ID, REF("service_id", HO_SERVICE), REF("location_id", HO_LOCATION),
	REF("phone_id", HO_PHONE), F("name", K_NAME), F("code", K_SHORT),
	F("note", K_LONG),
};

static const struct hfield cost_option[] = {
	ID, { "service_id", K_REF, HF_REQ, HO_SERVICE, 0, 0, NULL, NULL },
	F("valid_from", K_DATE), F("valid_to", K_DATE), F("option", K_LONG),
	F("currency", K_SHORT), NUM("amount", 0, 999999999999LL),
	F("amount_description", K_LONG),
};

static const struct hfield taxonomy[] = {
	ID, FR("name", K_NAME), FR("description", K_LONG), F("uri", K_URI),
	F("version", K_SHORT),
};

static const struct hfield taxonomy_term[] = {
	ID, F("code", K_SHORT), FR("name", K_NAME), FR("description", K_LONG),
	F("parent_id", K_SOFT), F("taxonomy", K_SHORT), F("language", K_SHORT),
	REF("taxonomy_id", HO_TAXONOMY), F("term_uri", K_URI),
};

static const struct hfield attribute[] = {
	ID, FR("link_id", K_LINK),
	{ "taxonomy_term_id", K_REF, HF_REQ, HO_TAXONOMY_TERM, 0, 0, NULL,
	    NULL },
	F("link_type", K_SHORT), FR("link_entity", K_SHORT),
	F("value", K_LONG),
};

#define N(a)	(int)(sizeof a / sizeof a[0])

const struct hobj hsds_objs[HO__COUNT] = {
	[HO_TAXONOMY] = { "taxonomy", "taxonomies.csv", "dir_taxonomy",
	    NULL, taxonomy, N(taxonomy) },
	[HO_TAXONOMY_TERM] = { "taxonomy_term", "taxonomy_terms.csv",
	    "dir_taxonomy_term", NULL, taxonomy_term, N(taxonomy_term) },
	[HO_ORGANIZATION] = { "organization", "organizations.csv",
	    "dir_organization", NULL, organization, N(organization) },
	[HO_LOCATION] = { "location", "locations.csv", "dir_location",
	    "locations", location, N(location) },
	[HO_ADDRESS] = { "address", "addresses.csv", "dir_address",
	    "addresses", address, N(address) },
	[HO_SERVICE] = { "service", "services.csv", "dir_service", NULL,
	    service, N(service) },
	[HO_SERVICE_AT_LOCATION] = { "service_at_location",
	    "service_at_location.csv", "dir_service_at_location",
	    "service_at_locations", service_at_location,
	    N(service_at_location) },
	[HO_PHONE] = { "phone", "phones.csv", "dir_phone", "phones", phone,
	    N(phone) },
	[HO_SCHEDULE] = { "schedule", "schedules.csv", "dir_schedule",
	    "schedules", schedule, N(schedule) },
	[HO_LANGUAGE] = { "language", "languages.csv", "dir_language",
	    "languages", language, N(language) },
	[HO_COST_OPTION] = { "cost_option", "cost_options.csv",
	    "dir_cost_option", "cost_options", cost_option, N(cost_option) },
	[HO_ATTRIBUTE] = { "attribute", "attributes.csv", "dir_attribute",
	    "attributes", attribute, N(attribute) },
};

static const struct {
	const char	*name, *file;
} asides[HA__COUNT] = {
	[HA_CONTACT] = { "contact", "contacts.csv" },
	[HA_FUNDING] = { "funding", "funding.csv" },
	[HA_PROGRAM] = { "program", "programs.csv" },
	[HA_SERVICE_AREA] = { "service_area", "service_areas.csv" },
	[HA_REQUIRED_DOCUMENT] = { "required_document",
	    "required_documents.csv" },
	[HA_ACCESSIBILITY] = { "accessibility", "accessibility.csv" },
	[HA_ORGANIZATION_IDENTIFIER] = { "organization_identifier",
	    "organization_identifiers.csv" },
	[HA_METADATA] = { "metadata", "metadata.csv" },
	[HA_META_TABLE_DESCRIPTION] = { "meta_table_description",
	    "meta_table_descriptions.csv" },
};

const char *
hsds_obj_name(enum hsds_obj o)
{
	return hsds_objs[o].name;
}

const char *
hsds_obj_file(enum hsds_obj o)
{
	return hsds_objs[o].file;
}

const char *
hsds_aside_name(enum hsds_aside a)
{
	return asides[a].name;
}

const char *
hsds_aside_file(enum hsds_aside a)
{
	return asides[a].file;
}

const char *
hsds_col(const struct hfield *f)
{
	return f->col ? f->col : f->name;
}

int
hsds_is_int(const struct hfield *f)
{
	return f->kind == K_INT || f->kind == K_COORD;
}

int
hsds_field(enum hsds_obj o, const char *name)
{
	int i;

	for (i = 0; i < hsds_objs[o].nf; i++)
		if (strcmp(hsds_objs[o].f[i].name, name) == 0)
			return i;
	return -1;
}

void
hsds_e6_format(int64_t e6, char out[24])
{
	uint64_t u = e6 < 0 ? (uint64_t)0 - (uint64_t)e6 : (uint64_t)e6;
	char frac[8];
	int n;

	snprintf(frac, sizeof frac, "%06u", (unsigned)(u % 1000000));
	for (n = 6; n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	snprintf(out, 24, "%s%llu%s%s", e6 < 0 ? "-" : "",
	    (unsigned long long)(u / 1000000), n ? "." : "", frac);
}
