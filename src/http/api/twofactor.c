/*
 * Two-step sign-in for the signed-in member of staff (/me/two-factor),
 * its reset by an administrator, and the organisation's security
 * settings. The second step of signing in is in session.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/twofactor.h"
#include "core/security.h"
#include "http/api/api.h"
#include "http/api/bodies.h"
#include "http/json.h"
#include "http/validate.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/qr.h"
#include "util/uuid.h"

json_t *
two_factor_json(struct db *db, const char *staff_id)
{
	struct twofactor_status s;
	json_t *j = json_object();

	if (twofactor_status(db, staff_id, &s) != ERR_OK)
		memset(&s, 0, sizeof s);
	json_object_set_new(j, "enabled", json_boolean(s.enabled));
	json_object_set_new(j, "required", json_boolean(s.required));
	json_object_set_new(j, "recovery_codes_left",
	    json_integer(s.recovery_left));
	return j;
}

/* Checks body against spec, answering for the handler; 1 when it passed. */
static int
valid(struct req *r, const struct vfield *spec, struct verr *v)
{
	verr_init(v);
	if (!validate_object(r->json, spec, NULL, v)) {
		http_problem_fields(r, v);
		return 0;
	}
	return 1;
}

/* A code or a recovery code, exactly one; 1 when so. */
static int
one_code(struct req *r, const char **code, const char **recovery)
{
	struct verr v;

	if (!valid(r, body_two_factor_code, &v))
		return 0;
	*code = jstr(r->json, "code");
	*recovery = jstr(r->json, "recovery_code");
	if (*code == NULL && *recovery == NULL)
		verr_add(&v, "code", "is required: the code from your "
		    "authenticator app, or a recovery_code instead");
	else if (*code != NULL && *recovery != NULL)
		verr_add(&v, "recovery_code", "must not be sent with code");
	if (v.n) {
		http_problem_fields(r, &v);
		return 0;
	}
	return 1;
}

static void
wrong_code(struct req *r, const char *field)
{
	json_t *j = json_object(), *errs = json_array(), *e = json_object();

	json_object_set_new(e, "field", json_string(field));
	json_object_set_new(e, "message", json_string(
	    strcmp(field, "code") == 0 ?
	    "is not the code from your authenticator app, or was used "
	    "already" : "is not one of your unused recovery codes"));
	json_array_append_new(errs, e);
	json_object_set_new(j, "type",
	    json_string("urn:alongside:problem:wrong-code"));
	json_object_set_new(j, "title", json_string("The code is not right"));
	json_object_set_new(j, "status", json_integer(422));
	json_object_set_new(j, "detail", json_string(
	    "Type the code your authenticator app shows now."));
	json_object_set_new(j, "errors", errs);
	http_json(r, 422, j);
	r->content_type = "application/problem+json";
}

static void
backing_off(struct req *r, int64_t retry_after_s)
{
	char ra[24];

	snprintf(ra, sizeof ra, "%lld", (long long)retry_after_s);
	http_header_out(r, "Retry-After", ra);
	http_problem(r, 429, "urn:alongside:problem:sign-in-locked",
	    "Too many wrong codes",
	    "Wait before trying again, or ask an administrator.");
}

static json_t *
codes_json(const struct twofactor_codes *c)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < TWOFACTOR_RECOVERY_CODES; i++)
		json_array_append_new(a, json_string(c->code[i]));
	return a;
}

enum err
api_two_factor_start(struct req *r)
{
	char secret[TOTP_SECRET_B32];
	char *uri = NULL, *svg = NULL;
	json_t *j;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = twofactor_start(r->db, &r->actor, secret)) == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:two-factor-on",
		    "Two-step sign-in is on already",
		    "Turn it off first to set it up with another app.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	uri = totp_uri(secret, r->actor.username);
	if ((e = qr_svg(uri, &svg)) != ERR_OK)
		goto out;
	j = json_object();
	json_object_set_new(j, "secret", json_string(secret));
	json_object_set_new(j, "otpauth_uri", json_string(uri));
	json_object_set_new(j, "qr_svg", json_string(svg));
	json_object_set_new(j, "issuer", json_string(TOTP_ISSUER));
	json_object_set_new(j, "account", json_string(r->actor.username));
	http_json(r, 200, j);
out:
	crypto_wipe(secret, sizeof secret);
	if (uri)
		crypto_wipe(uri, strlen(uri));
	if (svg)
		crypto_wipe(svg, strlen(svg));
	free(uri);
	free(svg);
	return e;
}

enum err
api_two_factor_confirm(struct req *r)
{
	struct twofactor_codes codes;
	struct verr v;
	json_t *j;
	enum err e;

	if (!valid(r, body_two_factor_confirm, &v))
		return ERR_INVALID;
	if (r->db == NULL)
		return ERR_BUSY;
	e = twofactor_confirm(r->db, &r->actor, jstr(r->json, "code"), &codes);
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:two-factor-not-started",
		    "Nothing to confirm",
		    "Start setting up two-step sign-in first, or it is on "
		    "already.");
		return e;
	}
	if (e == ERR_RULE) {
		wrong_code(r, "code");
		return e;
	}
	if (e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "recovery_codes", codes_json(&codes));
	crypto_wipe(&codes, sizeof codes);
	json_object_set_new(j, "two_factor", two_factor_json(r->db,
	    r->actor.id));
	http_json(r, 200, j);
	return ERR_OK;
}

/* The answers shared by turning off and new recovery codes. */
static int
proof_problem(struct req *r, enum err e, const char *recovery,
    int64_t retry_after_s)
{
	switch (e) {
	case ERR_RULE:
		wrong_code(r, recovery ? "recovery_code" : "code");
		return 1;
	case ERR_RATE_LIMITED:
		backing_off(r, retry_after_s);
		return 1;
	case ERR_CONFLICT:
		http_problem(r, 409, "urn:alongside:problem:two-factor-off",
		    "Two-step sign-in is not on",
		    "Set it up first on your account page.");
		return 1;
	default:
		return 0;
	}
}

enum err
api_two_factor_disable(struct req *r)
{
	const char *code, *recovery;
	int64_t retry = 0;
	json_t *j;
	enum err e;

	if (!one_code(r, &code, &recovery))
		return ERR_INVALID;
	if (r->db == NULL)
		return ERR_BUSY;
	e = twofactor_disable(r->db, &r->actor, code, recovery, &retry);
	if (e == ERR_FORBIDDEN) {
		http_problem(r, 403, "urn:alongside:problem:two-factor-kept",
		    "Your organisation requires two-step sign-in",
		    "It cannot be turned off while the organisation "
		    "requires it. An administrator can reset it for a lost "
		    "phone.");
		return e;
	}
	if (proof_problem(r, e, recovery, retry) || e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "two_factor", two_factor_json(r->db,
	    r->actor.id));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_two_factor_recovery_codes(struct req *r)
{
	struct twofactor_codes codes;
	const char *code, *recovery;
	int64_t retry = 0;
	json_t *j;
	enum err e;

	if (!one_code(r, &code, &recovery))
		return ERR_INVALID;
	if (r->db == NULL)
		return ERR_BUSY;
	e = twofactor_new_codes(r->db, &r->actor, code, recovery, &retry,
	    &codes);
	if (proof_problem(r, e, recovery, retry) || e != ERR_OK)
		return e;
	j = json_object();
	json_object_set_new(j, "recovery_codes", codes_json(&codes));
	crypto_wipe(&codes, sizeof codes);
	json_object_set_new(j, "two_factor", two_factor_json(r->db,
	    r->actor.id));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_staff_two_factor_reset(struct req *r)
{
	const char *id = http_param(r, 0);
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	/* Not an id: audited without it, then not found. */
	e = twofactor_reset(r->db, &r->actor, uuid_valid(id) ? id : NULL);
	if (e == ERR_CONFLICT) {
		http_problem(r, 409, "urn:alongside:problem:own-two-factor",
		    "This is your own account",
		    "Turn your own two-step sign-in off on your account "
		    "page, with a code.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	http_empty(r, 204);
	return ERR_OK;
}

static json_t *
security_json(const struct security_settings *s)
{
	json_t *j = json_object();

	json_object_set_new(j, "require_two_factor",
	    json_boolean(s->require_two_factor));
	return j;
}

enum err
api_settings_security(struct req *r)
{
	struct security_settings s;
	enum err e;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = security_get(r->db, &r->actor, &s)) != ERR_OK)
		return e;
	http_json(r, 200, security_json(&s));
	return ERR_OK;
}

enum err
api_settings_security_put(struct req *r)
{
	struct security_settings s;
	struct verr v;
	enum err e;

	if (!valid(r, body_security_settings, &v))
		return ERR_INVALID;
	if (r->db == NULL)
		return ERR_BUSY;
	s.require_two_factor = json_is_true(json_object_get(r->json,
	    "require_two_factor"));
	if ((e = security_set(r->db, &r->actor, &s)) == ERR_CONFLICT) {
		http_problem(r, 409,
		    "urn:alongside:problem:two-factor-yourself-first",
		    "Set up your own two-step sign-in first",
		    "Before requiring two-step sign-in of all staff, set it "
		    "up for your own account on your account page.");
		return e;
	}
	if (e != ERR_OK)
		return e;
	if ((e = security_get(r->db, &r->actor, &s)) != ERR_OK)
		return e;
	http_json(r, 200, security_json(&s));
	return ERR_OK;
}
