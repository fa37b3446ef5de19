#include <stdio.h>
#include <string.h>

#include "access/session.h"
#include "core/staff.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "store/db.h"
#include "util/crypto.h"

const char http_session_cookie[] = "alongside_session";

static int
secure_cookie(struct req *r)
{
	return r->tls || http_options()->secure_cookies;
}

/* The signed-in member of staff, with team names, as /me shows them. */
static json_t *
me_json(struct db *db, const struct actor *a)
{
	struct team_rec *teams = NULL;
	json_t *j = json_object(), *t = json_array();
	int n = 0, i;

	/* Administrators and privacy officers see every team but work on
	 * none; their list stays empty. */
	if ((a->role == ROLE_PEER || a->role == ROLE_SUPERVISOR) &&
	    team_list(db, a, NULL, 0, &teams, &n, NULL) == ERR_OK) {
		for (i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name", json_string(teams[i].name));
			json_object_set_new(o, "display_name",
			    json_string(teams[i].display_name));
			json_array_append_new(t, o);
		}
		team_recs_free(teams, n);
	}
	json_object_set_new(j, "id", json_string(a->id));
	json_object_set_new(j, "username", json_string(a->username));
	json_object_set_new(j, "display_name", json_string(a->display_name));
	json_object_set_new(j, "role", json_string(role_name(a->role)));
	json_object_set_new(j, "teams", t);
	json_object_set_new(j, "csrf_token", json_string(a->csrf_token));
	json_object_set_new(j, "idle_timeout_seconds",
	    json_integer(a->idle_timeout_s));
	return j;
}

enum err
api_session_create(struct req *r)
{
	struct db *db = r->db;
	struct sign_in s;
	struct verr v;
	char cookie[160];
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_sign_in, NULL, &v)) {
		http_problem_fields(r, &v);
		return ERR_INVALID;
	}
	if (db == NULL)
		return ERR_BUSY;
	e = auth_sign_in(db, jstr(r->json, "username"),
	    jstr(r->json, "password"), r->actor.client_addr, &s);
	if (e == ERR_RATE_LIMITED) {
		char ra[24];

		snprintf(ra, sizeof ra, "%lld", (long long)s.retry_after_s);
		http_header_out(r, "Retry-After", ra);
		http_problem(r, 429, "urn:alongside:problem:sign-in-locked",
		    "Too many sign-in attempts",
		    "Wait before trying again, or ask an administrator.");
		return e;
	}
	if (e == ERR_UNAUTHENTICATED) {
		http_problem(r, 401, "urn:alongside:problem:sign-in-failed",
		    "Sign-in failed", "The username or password is wrong, "
		    "or the account is disabled.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%lld%s", http_session_cookie, s.token,
	    (long long)(auth_current()->lifetime_ms / 1000),
	    secure_cookie(r) ? "; Secure" : "");
	http_header_out(r, "Set-Cookie", cookie);
	crypto_wipe(cookie, sizeof cookie);
	crypto_wipe(s.token, sizeof s.token);
	http_json(r, 201, me_json(db, &s.actor));
	crypto_wipe(&s, sizeof s);
	return ERR_OK;
}

enum err
api_session_delete(struct req *r)
{
	struct db *db = r->db;
	char cookie[128];
	enum err e;

	if (db == NULL)
		return ERR_BUSY;
	if ((e = auth_sign_out(db, &r->actor)) != ERR_OK)
		return e;
	snprintf(cookie, sizeof cookie, "%s=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0%s", http_session_cookie,
	    secure_cookie(r) ? "; Secure" : "");
	http_header_out(r, "Set-Cookie", cookie);
	http_empty(r, 204);
	return ERR_OK;
}

enum err
api_me(struct req *r)
{
	struct db *db = r->db;

	if (db == NULL)
		return ERR_BUSY;
	http_json(r, 200, me_json(db, &r->actor));
	return ERR_OK;
}
