#include <stdio.h>
#include <string.h>

#include "access/audit.h"
#include "http/api/api.h"
#include "http/json.h"
#include "store/db.h"
#include "util/parse.h"
#include "util/timeutil.h"
#include "util/uuid.h"

/*
 * A time filter: an RFC 3339 UTC time, or a date in the organisation's
 * time zone. Dates are whole days: from= starts at the day's first
 * moment, to= takes in the whole day (the bound is the next day's start).
 */
static int
parse_when(const char *s, int end_of_day, int64_t *ms)
{
	struct date d;

	if (time_parse_utc(s, ms) == ERR_OK)
		return 1;
	if (date_parse(s, &d) == ERR_OK) {
		*ms = time_day_start_ms(end_of_day ? date_add_days(d, 1) : d);
		return 1;
	}
	return 0;
}

enum err
api_audit_list(struct req *r)
{
	static const char *const allowed[] = { "person", "actor", "from", "to",
	    "limit", "after", NULL };
	struct db *db = r->db;
	struct audit_filter f;
	struct audit_row *rows = NULL;
	struct verr v;
	const char *s;
	int64_t lim = 100, next = 0;
	int n = 0, i;
	json_t *j, *items;
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	memset(&f, 0, sizeof f);
	verr_init(&v);
	http_query_allow(r, allowed, &v);
	if ((s = http_query(r, "person")) != NULL) {
		if (uuid_valid(s))
			f.person_id = s;
		else
			verr_add(&v, "person", "must be an id");
	}
	if ((s = http_query(r, "actor")) != NULL) {
		if (uuid_valid(s))
			f.actor_id = s;
		else
			verr_add(&v, "actor", "must be an id");
	}
	if ((s = http_query(r, "from")) != NULL && !parse_when(s, 0, &f.from_ms))
		verr_add(&v, "from", "must be a date or an RFC 3339 UTC time");
	if ((s = http_query(r, "to")) != NULL && !parse_when(s, 1, &f.to_ms))
		verr_add(&v, "to", "must be a date or an RFC 3339 UTC time");
	if ((s = http_query(r, "limit")) != NULL &&
	    parse_int64(s, 1, 200, &lim) != ERR_OK)
		verr_add(&v, "limit", "must be a whole number from 1 to 200");
	if ((s = http_query(r, "after")) != NULL &&
	    parse_int64(s, 0, INT64_MAX, &f.after_seq) != ERR_OK)
		verr_add(&v, "after", "is not a cursor from this list");
	if (v.n) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	f.limit = (int)lim;
	if ((e = audit_list(db, &r->actor, &f, &rows, &n, &next)) != ERR_OK)
		return e;
	j = json_object();
	items = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = json_object();
		char id[24];

		/* Entries never change: the sequence number is the id. */
		snprintf(id, sizeof id, "%lld", (long long)rows[i].seq);
		json_object_set_new(o, "id", json_string(id));
		json_object_set_new(o, "version", json_integer(1));
		json_object_set_new(o, "seq", json_integer(rows[i].seq));
		json_object_set_new(o, "at", jtime(rows[i].at));
		json_object_set_new(o, "actor", jstr_or_null(rows[i].actor_id));
		json_object_set_new(o, "role", jstr_or_null(rows[i].actor_role));
		json_object_set_new(o, "person",
		    jstr_or_null(rows[i].person_id));
		json_object_set_new(o, "object_type",
		    jstr_or_null(rows[i].object_type));
		json_object_set_new(o, "object_id",
		    jstr_or_null(rows[i].object_id));
		json_object_set_new(o, "action", jstr_or_null(rows[i].action));
		json_object_set_new(o, "outcome",
		    jstr_or_null(rows[i].outcome));
		json_object_set_new(o, "client_address",
		    jstr_or_null(rows[i].client_addr));
		json_object_set_new(o, "detail", jstr_or_null(rows[i].detail));
		json_array_append_new(items, o);
	}
	audit_rows_free(rows, n);
	json_object_set_new(j, "items", items);
	if (next) {
		char c[24];

		snprintf(c, sizeof c, "%lld", (long long)next);
		json_object_set_new(j, "next", json_string(c));
	} else {
		json_object_set_new(j, "next", json_null());
	}
	http_json(r, 200, j);
	return ERR_OK;
}
