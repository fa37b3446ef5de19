/*
 * The plan rule sets as JSON: data/plan-rules.json (who signs each kind
 * of plan, when it is first due and reviewed) and
 * data/advance-directive.json (a state's rules for psychiatric advance
 * directives), parsed into core's struct rules. Every problem is reported
 * by its place in the file, so an administrator's edit that breaks a
 * rule set is refused with a reason.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "access/actor.h"
#include "interop/plan_rules_json.h"
#include "util/xalloc.h"

#define TEXT_MAX	2000

/* A copy of key's string value, or NULL; *bad set when present but not a
 * string, empty or too long. */
static char *
opt_text(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	if (v == NULL || json_is_null(v))
		return NULL;
	s = json_string_value(v);
	if (s == NULL || *s == '\0' || strlen(s) > TEXT_MAX) {
		*bad = 1;
		return NULL;
	}
	return xstrdup(s);
}

static char *
need_text(json_t *o, const char *key, const char *where, char *why,
    size_t whylen)
{
	int bad = 0;
	char *s = opt_text(o, key, &bad);

	if (s == NULL)
		snprintf(why, whylen, "%s.%s must be text of 1 to %d bytes",
		    where, key, TEXT_MAX);
	return s;
}

/* A whole number from lo to hi at key; def when absent. -1 when bad. */
static int
opt_int(json_t *o, const char *key, int lo, int hi, int def)
{
	json_t *v = json_object_get(o, key);
	json_int_t n;

	if (v == NULL)
		return def;
	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	return n < lo || n > hi ? -1 : (int)n;
}

static enum err
parse_statements(json_t *arr, const char *where, int need_rule,
    struct statement **out, int *n, char *why, size_t whylen)
{
	size_t i, j;

	*out = NULL;
	*n = 0;
	if (arr == NULL)
		return ERR_OK;
	if (!json_is_array(arr) || json_array_size(arr) > 32) {
		snprintf(why, whylen, "%s must be a list of at most 32 "
		    "statements", where);
		return ERR_INVALID;
	}
	*out = xcalloc(json_array_size(arr) + 1, sizeof **out);
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		struct statement *s = &(*out)[i];
		int bad = 0;
		char at[96];

		snprintf(at, sizeof at, "%s[%zu]", where, i);
		(*n)++;
		if ((s->code = need_text(o, "code", at, why, whylen)) == NULL ||
		    (s->label = need_text(o, "label", at, why, whylen)) ==
		    NULL)
			return ERR_INVALID;
		if (strlen(s->code) > 64) {
			snprintf(why, whylen, "%s.code must be at most 64 "
			    "bytes", at);
			return ERR_INVALID;
		}
		s->rule = opt_text(o, "rule", &bad);
		s->unless = opt_text(o, "unless", &bad);
		if (bad || (need_rule && s->rule == NULL)) {
			snprintf(why, whylen, "%s needs a rule (its citation)",
			    at);
			return ERR_INVALID;
		}
		for (j = 0; j < i; j++)
			if (strcmp((*out)[j].code, s->code) == 0) {
				snprintf(why, whylen, "%s.code repeats an "
				    "earlier code", at);
				return ERR_INVALID;
			}
	}
	return ERR_OK;
}

static enum err
parse_signer(json_t *o, const char *where, struct plan_signer *s,
    char *why, size_t whylen)
{
	static const char *const by[] = { "person", "staff" };
	const char *b = json_string_value(json_object_get(o, "signed_by"));
	json_t *roles = json_object_get(o, "staff_roles"), *req;
	size_t i;

	if ((s->role = need_text(o, "role", where, why, whylen)) == NULL ||
	    (s->label = need_text(o, "label", where, why, whylen)) == NULL)
		return ERR_INVALID;
	if (strlen(s->role) > 32) {
		snprintf(why, whylen, "%s.role must be at most 32 bytes",
		    where);
		return ERR_INVALID;
	}
	for (i = 0; i < sizeof by / sizeof by[0]; i++)
		if (b != NULL && strcmp(b, by[i]) == 0)
			break;
	if (i == sizeof by / sizeof by[0]) {
		snprintf(why, whylen, "%s.signed_by must be \"person\" or "
		    "\"staff\"", where);
		return ERR_INVALID;
	}
	s->by = i == 0 ? SIGNED_BY_PERSON : SIGNED_BY_STAFF;
	if (s->by == SIGNED_BY_STAFF) {
		if (!json_is_array(roles) || json_array_size(roles) == 0) {
			snprintf(why, whylen, "%s.staff_roles must list the "
			    "staff roles that may sign", where);
			return ERR_INVALID;
		}
		for (i = 0; i < json_array_size(roles); i++) {
			const char *rn =
			    json_string_value(json_array_get(roles, i));
			enum role r = rn ? role_parse(rn) : ROLE__COUNT;

			if (r != ROLE_PEER && r != ROLE_SUPERVISOR) {
				snprintf(why, whylen, "%s.staff_roles[%zu] "
				    "must be \"peer\" or \"supervisor\"",
				    where, i);
				return ERR_INVALID;
			}
			s->staff_roles |= 1u << r;
		}
	} else if (roles != NULL) {
		snprintf(why, whylen, "%s.staff_roles is only for signers "
		    "signed_by staff", where);
		return ERR_INVALID;
	}
	req = json_object_get(o, "required");
	if (req != NULL && !json_is_boolean(req)) {
		snprintf(why, whylen, "%s.required must be true or false",
		    where);
		return ERR_INVALID;
	}
	s->required = json_is_true(req);
	return ERR_OK;
}

enum err
plan_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	json_t *kinds = json_object_get(root, "kinds"), *k;
	const char *kind;
	int i;

	plan_rules_clear(r);
	r->plans_version =
	    xstrdup(json_string_value(json_object_get(root, "version")));
	if (!json_is_object(kinds) || json_object_size(kinds) == 0 ||
	    json_object_size(kinds) > 32) {
		snprintf(why, whylen, "kinds must map 1 to 32 plan kinds to "
		    "their rules");
		return ERR_INVALID;
	}
	r->plan_rules = xcalloc(json_object_size(kinds), sizeof *r->plan_rules);
	json_object_foreach(kinds, kind, k) {
		struct plan_rule *p = &r->plan_rules[r->nplan_rules++];
		json_t *signers = json_object_get(k, "signers");
		json_t *reqs = json_object_get(k, "sign_requires");
		char at[96];
		size_t j;
		int bad = 0;

		p->kind = xstrdup(kind);
		snprintf(at, sizeof at, "kinds.%.60s", kind);
		if (!json_is_array(signers) || json_array_size(signers) == 0 ||
		    json_array_size(signers) > 8) {
			snprintf(why, whylen, "%s.signers must list 1 to 8 "
			    "signers", at);
			return ERR_INVALID;
		}
		p->signers = xcalloc(json_array_size(signers),
		    sizeof *p->signers);
		for (j = 0; j < json_array_size(signers); j++) {
			char sat[128];

			snprintf(sat, sizeof sat, "%s.signers[%zu]", at, j);
			p->nsigners++;
			if (parse_signer(json_array_get(signers, j), sat,
			    &p->signers[j], why, whylen) != ERR_OK)
				return ERR_INVALID;
			for (i = 0; i < (int)j; i++)
				if (strcmp(p->signers[i].role,
				    p->signers[j].role) == 0) {
					snprintf(why, whylen, "%s.role repeats "
					    "an earlier signer's role", sat);
					return ERR_INVALID;
				}
		}
		p->first_due_months = opt_int(k,
		    "first_due_months_after_enrollment", 1, 60, 0);
		p->review_months = opt_int(k, "review_months", 1, 120, 0);
		if (p->first_due_months < 0 || p->review_months < 0) {
			snprintf(why, whylen, "%s: first_due_months_after_"
			    "enrollment and review_months must be whole "
			    "months (1 to 60 and 1 to 120)", at);
			return ERR_INVALID;
		}
		if (reqs != NULL) {
			if (!json_is_array(reqs) || json_array_size(reqs) > 8) {
				snprintf(why, whylen, "%s.sign_requires must "
				    "list at most 8 field paths", at);
				return ERR_INVALID;
			}
			p->sign_requires = xcalloc(json_array_size(reqs) + 1,
			    sizeof *p->sign_requires);
			for (j = 0; j < json_array_size(reqs); j++) {
				const char *s =
				    json_string_value(json_array_get(reqs, j));

				if (s == NULL || *s == '\0' || strlen(s) > 64) {
					snprintf(why, whylen, "%s.sign_requires"
					    "[%zu] must be a field path", at, j);
					return ERR_INVALID;
				}
				p->sign_requires[p->nsign_requires++] =
				    xstrdup(s);
			}
		}
		p->rule = opt_text(k, "rule", &bad);
		if (bad) {
			snprintf(why, whylen, "%s.rule must be text", at);
			return ERR_INVALID;
		}
	}
	return ERR_OK;
}

enum err
pad_rules_parse(json_t *root, struct rules *r, char *why, size_t whylen)
{
	struct pad_rules *p = &r->pad;
	json_t *w = json_object_get(root, "witnesses");
	json_t *ag = json_object_get(root, "agents");
	json_t *inv = json_object_get(root, "invocation");
	json_t *rev = json_object_get(root, "revocation");
	json_t *bases, *phys;
	size_t i;

	pad_rules_clear(p);
	free(r->pad_version);
	r->pad_version =
	    xstrdup(json_string_value(json_object_get(root, "version")));
	if ((p->state = need_text(root, "state", "advance-directive", why,
	    whylen)) == NULL ||
	    (p->title = need_text(root, "title", "advance-directive", why,
	    whylen)) == NULL ||
	    (p->statute = need_text(root, "statute", "advance-directive", why,
	    whylen)) == NULL ||
	    (p->valid_rule = need_text(root, "valid_rule",
	    "advance-directive", why, whylen)) == NULL ||
	    (p->principal_rule = need_text(root, "principal_rule",
	    "advance-directive", why, whylen)) == NULL)
		return ERR_INVALID;
	if ((p->valid_years = opt_int(root, "valid_years", 1, 99, -1)) < 0) {
		snprintf(why, whylen, "valid_years must be a whole number of "
		    "years from 1 to 99");
		return ERR_INVALID;
	}
	if (!json_is_object(w) ||
	    (p->witness_count = opt_int(w, "count", 0, 4, -1)) < 0) {
		snprintf(why, whylen, "witnesses.count must be 0 to 4");
		return ERR_INVALID;
	}
	if ((p->witness_rule = need_text(w, "rule", "witnesses", why,
	    whylen)) == NULL ||
	    parse_statements(json_object_get(w, "attestations"),
	    "witnesses.attestations", 1, &p->witness_attest,
	    &p->nwitness_attest, why, whylen) != ERR_OK ||
	    parse_statements(json_object_get(w, "disqualifications"),
	    "witnesses.disqualifications", 1, &p->witness_disq,
	    &p->nwitness_disq, why, whylen) != ERR_OK)
		return ERR_INVALID;
	if (!json_is_object(ag) ||
	    (p->acceptance_rule = need_text(ag, "acceptance_rule", "agents",
	    why, whylen)) == NULL ||
	    parse_statements(json_object_get(ag, "disqualifications"),
	    "agents.disqualifications", 1, &p->agent_disq, &p->nagent_disq,
	    why, whylen) != ERR_OK ||
	    parse_statements(json_object_get(ag, "exemptions"),
	    "agents.exemptions", 0, &p->agent_exempt, &p->nagent_exempt,
	    why, whylen) != ERR_OK) {
		if (why[0] == '\0')
			snprintf(why, whylen, "agents must be an object");
		return ERR_INVALID;
	}
	for (i = 0; i < (size_t)p->nagent_disq; i++) {
		const char *u = p->agent_disq[i].unless;
		int k, found = u == NULL;

		for (k = 0; u && k < p->nagent_exempt; k++)
			found |= strcmp(p->agent_exempt[k].code, u) == 0;
		if (!found) {
			snprintf(why, whylen, "agents.disqualifications[%zu]."
			    "unless must name one of agents.exemptions", i);
			return ERR_INVALID;
		}
	}
	if (!json_is_object(inv) ||
	    (p->invocation_rule = need_text(inv, "rule", "invocation", why,
	    whylen)) == NULL)
		return ERR_INVALID;
	bases = json_object_get(inv, "bases");
	if (!json_is_array(bases) || json_array_size(bases) == 0 ||
	    json_array_size(bases) > 8) {
		snprintf(why, whylen, "invocation.bases must list 1 to 8 "
		    "bases");
		return ERR_INVALID;
	}
	p->invocation_bases = xcalloc(json_array_size(bases),
	    sizeof *p->invocation_bases);
	for (i = 0; i < json_array_size(bases); i++) {
		json_t *b = json_array_get(bases, i);
		char at[64];

		snprintf(at, sizeof at, "invocation.bases[%zu]", i);
		p->ninvocation_bases++;
		if ((p->invocation_bases[i].code = need_text(b, "code", at, why,
		    whylen)) == NULL ||
		    (p->invocation_bases[i].label = need_text(b, "label", at,
		    why, whylen)) == NULL)
			return ERR_INVALID;
	}
	phys = json_object_get(rev, "requires_physician");
	if (!json_is_object(rev) || !json_is_boolean(phys)) {
		snprintf(why, whylen, "revocation.requires_physician must be "
		    "true or false");
		return ERR_INVALID;
	}
	p->revocation_physician = json_is_true(phys);
	if ((p->revocation_rule = need_text(rev, "rule", "revocation", why,
	    whylen)) == NULL ||
	    (p->incapable_rule = need_text(rev, "not_while_incapable_rule",
	    "revocation", why, whylen)) == NULL)
		return ERR_INVALID;
	return ERR_OK;
}
