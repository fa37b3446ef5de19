/*
 * The HSDS reader without a database: values checked and normalised, every
 * bad one named by file, line and field, JSON nesting giving the links and
 * the same object met twice merged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "interop/hsds.h"
#include "interop/hsds_intern.h"

static int
has(const struct hsds_package *p, const char *file, int line,
    const char *field)
{
	const struct hsds_reject *r;
	int n, i;

	r = hsds_rejects(p, &n, NULL);
	for (i = 0; i < n; i++)
		if (strcmp(r[i].file, file) == 0 && r[i].line == line &&
		    strcmp(r[i].field, field) == 0)
			return 1;
	return 0;
}

static void
test_values(void **state)
{
	static const char locs[] =
	    "longitude,id,latitude,location_type,extra\r\n"
	    "-87.6,3A19FF88-4620-4D17-9830-AC1D859EB5D5,41.8800004,physical,x\r\n"
	    "10,3a19ff88-4620-4d17-9830-ac1d859eb5d6,90.0000006,physical,\r\n"
	    "10,3a19ff88-4620-4d17-9830-ac1d859eb5d7,1e3,physical,\r\n"
	    "10,3a19ff88-4620-4d17-9830-ac1d859eb5d8,,place,\r\n"
	    "10,3a19ff88-4620-4d17-9830-ac1d859eb5d8,,physical,\r\n";
	static const char sched[] =
	    "id,opens_at,byday,freq,bymonthday\n"
	    "48102e86-bb50-41c4-8f1e-e269368c41d1,09:00,\"MO,1TU,-1FR\",WEEKLY,\"1,-31\"\n"
	    "48102e86-bb50-41c4-8f1e-e269368c41d2,9am,XX,DAILY,32\n";
	struct hsds_file f[2] = {
		{ "locations.csv", locs, sizeof locs - 1 },
		{ "schedules.csv", sched, sizeof sched - 1 },
	};
	struct hsds_package *p = hsds_package_new();
	const struct hrow *r;
	int n, total;

	(void)state;
	hsds_read_tabular(p, f, 2);
	r = hsds_find(p, HO_LOCATION, "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
	assert_non_null(r);
	assert_string_equal(r->v[hsds_field(HO_LOCATION, "latitude")],
	    "41880000");
	assert_string_equal(r->v[hsds_field(HO_LOCATION, "longitude")],
	    "-87600000");
	assert_true(has(p, "locations.csv", 3, "latitude"));
	assert_true(has(p, "locations.csv", 4, "latitude"));
	assert_true(has(p, "locations.csv", 5, "location_type"));
	assert_true(has(p, "locations.csv", 6, "id"));
	assert_false(has(p, "schedules.csv", 2, "byday"));
	assert_true(has(p, "schedules.csv", 3, "opens_at"));
	assert_true(has(p, "schedules.csv", 3, "byday"));
	assert_true(has(p, "schedules.csv", 3, "freq"));
	assert_true(has(p, "schedules.csv", 3, "bymonthday"));
	hsds_rejects(p, &n, &total);
	assert_int_equal(n, 8);
	assert_int_equal(total, 8);
	hsds_package_free(p);
}

static void
test_missing_column(void **state)
{
	static const char svc[] = "id,status\n"
	    "ac148810-d857-441c-9679-408f346de14b,active\n";
	struct hsds_file f = { "services.csv", svc, sizeof svc - 1 };
	struct hsds_package *p = hsds_package_new();

	(void)state;
	hsds_read_tabular(p, &f, 1);
	assert_true(has(p, "services.csv", 1, "name"));
	hsds_package_free(p);
}

static void
test_json(void **state)
{
	static const char doc[] = "{\"contents\": [{"
	    "\"id\": \"ac148810-d857-441c-9679-408f346de14b\", \"name\": \"S\","
	    " \"status\": \"active\", \"minimum_age\": 12,"
	    " \"phones\": [{\"id\": \"1554f2e2-a373-45db-a3fa-9fc48a61c15e\","
	    "   \"number\": \"1\", \"extension\": 100}],"
	    " \"service_at_locations\": [{"
	    "   \"id\": \"e94c9f38-1e8f-4564-91d4-d53501ab1765\","
	    "   \"location\": {\"id\": \"3a19ff88-4620-4d17-9830-ac1d859eb5d5\","
	    "     \"location_type\": \"physical\", \"latitude\": 41.88,"
	    "     \"phones\": [{\"id\": \"1554f2e2-a373-45db-a3fa-9fc48a61c15e\","
	    "       \"number\": \"2\"}]}}],"
	    " \"contacts\": [{\"id\": \"x\"}, {\"id\": \"x\"}]}, 5]}";
	struct hsds_package *p = hsds_package_new();
	const struct hrow *r;

	(void)state;
	hsds_read_json_text(p, "body", doc, sizeof doc - 1);
	r = hsds_find(p, HO_PHONE, "1554f2e2-a373-45db-a3fa-9fc48a61c15e");
	assert_non_null(r);
	assert_string_equal(r->v[hsds_field(HO_PHONE, "service_id")],
	    "ac148810-d857-441c-9679-408f346de14b");
	assert_string_equal(r->v[hsds_field(HO_PHONE, "location_id")],
	    "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
	assert_string_equal(r->v[hsds_field(HO_PHONE, "extension")], "100");
	assert_true(has(p, "body", 0, "services[0].phones[0].number"));
	assert_false(has(p, "body", 0, "services[0].service_at_locations[0]"
	    ".location.phones[0].number"));
	assert_true(has(p, "body", 0, "services[1]"));
	r = hsds_find(p, HO_SERVICE_AT_LOCATION,
	    "e94c9f38-1e8f-4564-91d4-d53501ab1765");
	assert_non_null(r);
	assert_string_equal(r->v[hsds_field(HO_SERVICE_AT_LOCATION,
	    "location_id")], "3a19ff88-4620-4d17-9830-ac1d859eb5d5");
	assert_int_equal(hsds_aside_rows(p, HA_CONTACT), 1);
	hsds_resolve(p, NULL, NULL);
	hsds_package_free(p);
}

static void
test_e6(void **state)
{
	char out[24];

	(void)state;
	hsds_e6_format(41880000, out);
	assert_string_equal(out, "41.88");
	hsds_e6_format(-1, out);
	assert_string_equal(out, "-0.000001");
	hsds_e6_format(-180000000, out);
	assert_string_equal(out, "-180");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_e6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
