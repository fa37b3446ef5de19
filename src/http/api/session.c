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
	json_object_set_new(j, "two_factor", two_factor_json(db, a->id));
	return j;
}

/* A new session: its cookie and the member of staff, 201. */
static void
signed_in(struct req *r, struct sign_in *s)
{
	char cookie[160];

	snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%lld%s", http_session_cookie, s->token,
	    (long long)(auth_current()->lifetime_ms / 1000),
	    secure_cookie(r) ? "; Secure" : "");
	http_header_out(r, "Set-Cookie", cookie);
	crypto_wipe(cookie, sizeof cookie);
	crypto_wipe(s->token, sizeof s->token);
	http_json(r, 201, me_json(r->db, &s->actor));
	crypto_wipe(s, sizeof *s);
}

static void
locked(struct req *r, const struct sign_in *s)
{
	char ra[24];

	snprintf(ra, sizeof ra, "%lld", (long long)s->retry_after_s);
	http_header_out(r, "Retry-After", ra);
	http_problem(r, 429, "urn:alongside:problem:sign-in-locked",
	    "Too many sign-in attempts",
	    "Wait before trying again, or ask an administrator.");
}

enum err
api_session_create(struct req *r)
{
	struct db *db = r->db;
	struct sign_in s;
	struct verr v;
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
		locked(r, &s);
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
	if (s.second_factor) {
		/* No session yet: the second step answers this challenge. */
		json_t *j = json_object();

		json_object_set_new(j, "second_factor", json_string("totp"));
		json_object_set_new(j, "challenge", json_string(s.challenge));
		json_object_set_new(j, "expires_at",
		    jtime(s.challenge_expires));
		http_json(r, 200, j);
		crypto_wipe(&s, sizeof s);
		return ERR_OK;
	}
	signed_in(r, &s);
	return ERR_OK;
}

enum err
api_session_second_factor(struct req *r)
{
	const char *code, *recovery;
	struct sign_in s;
	struct verr v;
	enum err e;

	verr_init(&v);
	if (!validate_object(r->json, body_second_factor, NULL, &v))
		goto invalid;
	code = jstr(r->json, "code");
	recovery = jstr(r->json, "recovery_code");
	if (code == NULL && recovery == NULL)
		verr_add(&v, "code", "is required: the code from your "
		    "authenticator app, or a recovery_code instead");
	else if (code != NULL && recovery != NULL)
		verr_add(&v, "recovery_code", "must not be sent with code");
	if (v.n)
		goto invalid;
	if (r->db == NULL)
		return ERR_BUSY;
	e = auth_second_factor(r->db, jstr(r->json, "challenge"), code,
	    recovery, r->actor.client_addr, &s);
	if (e == ERR_RATE_LIMITED) {
		locked(r, &s);
		return e;
	}
	if (e == ERR_UNAUTHENTICATED && s.tries_left > 0) {
		json_t *j = json_object();

		json_object_set_new(j, "type", json_string(
		    "urn:alongside:problem:second-factor-failed"));
		json_object_set_new(j, "title", json_string("The code is not "
		    "right"));
		json_object_set_new(j, "status", json_integer(401));
		json_object_set_new(j, "detail", json_string(recovery ?
		    "That is not one of your unused recovery codes." :
		    "Type the code your authenticator app shows now; each "
		    "code works once."));
		json_object_set_new(j, "tries_left",
		    json_integer(s.tries_left));
		http_json(r, 401, j);
		r->content_type = "application/problem+json";
		return e;
	}
	if (e == ERR_UNAUTHENTICATED) {
		http_problem(r, 401, "urn:alongside:problem:challenge-ended",
		    "Sign in again", "This sign-in took too long or had too "
		    "many wrong codes. Sign in again with your password.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	signed_in(r, &s);
	return ERR_OK;
invalid:
	http_problem_fields(r, &v);
	return ERR_INVALID;
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
