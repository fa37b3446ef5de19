#include <stdlib.h>
#include <string.h>

#include "http/api/api.h"
#include "http/router.h"
#include "util/xalloc.h"

#define B	ROUTE_BODY
#define P	ROUTE_PUBLIC
#define E	ROUTE_ENROL
#define M	ROUTE_PORTAL

const struct route http_routes[] = {
	{ HTTP_GET, "/healthz", api_healthz, P },
	{ HTTP_GET, "/api/v1/openapi.json", api_openapi, P },
	{ HTTP_POST, "/api/v1/session", api_session_create, P | B },
	{ HTTP_POST, "/api/v1/session/second-factor",
	    api_session_second_factor, P | B },
	{ HTTP_DELETE, "/api/v1/session", api_session_delete, E },
	{ HTTP_GET, "/api/v1/me", api_me, E },
	{ HTTP_POST, "/api/v1/me/two-factor", api_two_factor_start, E },
	{ HTTP_POST, "/api/v1/me/two-factor/confirm", api_two_factor_confirm,
	    E | B },
	{ HTTP_DELETE, "/api/v1/me/two-factor", api_two_factor_disable, B },
	{ HTTP_POST, "/api/v1/me/two-factor/recovery-codes",
	    api_two_factor_recovery_codes, B },
	{ HTTP_GET, "/api/v1/settings/security", api_settings_security, 0 },
	{ HTTP_PUT, "/api/v1/settings/security", api_settings_security_put,
	    B },
	{ HTTP_GET, "/api/v1/settings/encryption", api_settings_encryption,
	    0 },
	{ HTTP_GET, "/api/v1/reference", api_reference, 0 },
	{ HTTP_GET, "/api/v1/teams", api_teams_list, 0 },
	{ HTTP_POST, "/api/v1/teams", api_teams_create, B },
	{ HTTP_GET, "/api/v1/staff", api_staff_list, 0 },
	{ HTTP_POST, "/api/v1/staff", api_staff_create, B },
	{ HTTP_PATCH, "/api/v1/staff/{id}", api_staff_update, B },
	{ HTTP_POST, "/api/v1/staff/{id}/two-factor/reset",
	    api_staff_two_factor_reset, 0 },
	{ HTTP_GET, "/api/v1/people", api_people_list, 0 },
	{ HTTP_POST, "/api/v1/people", api_people_create, B },
	{ HTTP_GET, "/api/v1/people/{id}", api_people_get, 0 },
	{ HTTP_PATCH, "/api/v1/people/{id}", api_people_update, B },
	{ HTTP_POST, "/api/v1/people/{id}/episodes", api_episode_create, B },
	{ HTTP_POST, "/api/v1/people/{id}/episodes/{episode_id}/discharge",
	    api_episode_discharge, B },
	{ HTTP_GET, "/api/v1/people/{id}/plans", api_plans_list, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/plans", api_plans_create, B },
	{ HTTP_GET, "/api/v1/people/{id}/peer-minutes", api_peer_minutes, 0 },
	{ HTTP_GET, "/api/v1/people/{id}/contacts", api_contacts_list, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/contacts", api_contacts_create, B },
	{ HTTP_GET, "/api/v1/contacts/{id}", api_contact_get, 0 },
	{ HTTP_PATCH, "/api/v1/contacts/{id}", api_contact_update, B },
	{ HTTP_POST, "/api/v1/contacts/{id}/sign", api_contact_sign, B },
	{ HTTP_POST, "/api/v1/contacts/{id}/addenda", api_contact_addendum, B },
	{ HTTP_POST, "/api/v1/contacts/{id}/comments", api_contact_comment, B },
	{ HTTP_GET, "/api/v1/documentation-due", api_documentation_due, 0 },
	{ HTTP_GET, "/api/v1/reports/units", api_report_units, 0 },
	{ HTTP_GET, "/api/v1/plan-kinds", api_plan_kinds, 0 },
	{ HTTP_GET, "/api/v1/plans/{id}", api_plan_get, 0 },
	{ HTTP_PATCH, "/api/v1/plans/{id}", api_plan_update, B },
	{ HTTP_POST, "/api/v1/plans/{id}/sign", api_plan_sign, B },
	{ HTTP_GET, "/api/v1/plans/{id}/versions", api_plan_versions, 0 },
	{ HTTP_POST, "/api/v1/plans/{id}/versions", api_plan_version_new, 0 },
	{ HTTP_GET, "/api/v1/plans/{id}/versions/{n}", api_plan_version_get,
	    0 },
	{ HTTP_POST, "/api/v1/plans/{id}/progress", api_plan_progress, B },
	{ HTTP_POST, "/api/v1/plans/{id}/events", api_plan_event, B },
	{ HTTP_GET, "/api/v1/audit", api_audit_list, 0 },
	{ HTTP_POST, "/api/v1/language/check", api_language_check, B },
	{ HTTP_GET, "/api/v1/language/dictionary", api_language_dictionary,
	    0 },
	{ HTTP_PUT, "/api/v1/language/dictionary",
	    api_language_dictionary_put, B },
	{ HTTP_GET, "/api/v1/people/{id}/consents", api_consents_list, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/consents", api_consents_create, B },
	{ HTTP_GET, "/api/v1/consents/{id}", api_consent_get, 0 },
	{ HTTP_POST, "/api/v1/consents/{id}/revoke", api_consent_revoke, B },
	{ HTTP_POST, "/api/v1/people/{id}/disclosures/check",
	    api_disclosure_check, B },
	{ HTTP_GET, "/api/v1/people/{id}/disclosures", api_disclosures_list,
	    0 },
	{ HTTP_POST, "/api/v1/people/{id}/disclosures", api_disclosures_create,
	    B },
	{ HTTP_POST, "/api/v1/people/{id}/emergency-disclosures",
	    api_disclosure_emergency, B },
	{ HTTP_POST, "/api/v1/people/{id}/break-glass", api_glass_open, B },
	{ HTTP_GET, "/api/v1/break-glass", api_glass_list, 0 },
	{ HTTP_POST, "/api/v1/break-glass/{id}/review", api_glass_review, B },
	{ HTTP_GET, "/api/v1/groups", api_groups_list, 0 },
	{ HTTP_POST, "/api/v1/groups", api_groups_create, B },
	{ HTTP_GET, "/api/v1/groups/{id}", api_group_get, 0 },
	{ HTTP_PATCH, "/api/v1/groups/{id}", api_group_update, B },
	{ HTTP_POST, "/api/v1/groups/{id}/members", api_group_member_add, B },
	{ HTTP_DELETE, "/api/v1/groups/{id}/members/{person_id}",
	    api_group_member_remove, 0 },
	{ HTTP_POST, "/api/v1/groups/{id}/sessions", api_group_session_create,
	    B },
	{ HTTP_GET, "/api/v1/groups/{id}/sessions/{session_id}",
	    api_group_session_get, 0 },
	{ HTTP_PATCH, "/api/v1/groups/{id}/sessions/{session_id}",
	    api_group_session_update, B },
	{ HTTP_POST, "/api/v1/groups/{id}/sessions/{session_id}/sign",
	    api_group_session_sign, 0 },
	{ HTTP_GET, "/api/v1/referrals", api_referrals_list, 0 },
	{ HTTP_GET, "/api/v1/referrals/{id}", api_referrals_get, 0 },
	{ HTTP_POST, "/api/v1/referrals/{id}/status", api_referrals_status, B },
	{ HTTP_POST, "/api/v1/referrals/{id}/link", api_referrals_link, 0 },
	{ HTTP_POST, "/api/v1/referral-link", api_referral_link_read, P | B },
	{ HTTP_POST, "/api/v1/referral-link/status", api_referral_link_update,
	    P | B },
	{ HTTP_GET, "/api/v1/people/{id}/referrals", api_referrals_person, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/referrals", api_referrals_create, B },
	{ HTTP_GET, "/api/v1/resources", api_resources_search, 0 },
	{ HTTP_POST, "/api/v1/resources", api_resources_create, B },
	{ HTTP_GET, "/api/v1/resources/categories", api_resources_categories,
	    0 },
	/* HSDS packages in and out; before /api/v1/resources/{id}. */
	{ HTTP_POST, "/api/v1/resources/import", api_resources_import, B },
	{ HTTP_GET, "/api/v1/resources/export", api_resources_export, 0 },
	/* end of HSDS packages */
	{ HTTP_GET, "/api/v1/resources/{id}", api_resources_get, 0 },
	{ HTTP_PATCH, "/api/v1/resources/{id}", api_resources_update, B },
	{ HTTP_POST, "/api/v1/resources/{id}/verify", api_resources_verify, 0 },
	{ HTTP_GET, "/api/v1/safety-concerns", api_safety_list, 0 },
	{ HTTP_POST, "/api/v1/safety-concerns", api_safety_create, B },
	{ HTTP_GET, "/api/v1/safety-concerns/{id}", api_safety_get, 0 },
	{ HTTP_POST, "/api/v1/safety-concerns/{id}/acknowledge",
	    api_safety_acknowledge, 0 },
	{ HTTP_POST, "/api/v1/safety-concerns/{id}/steps", api_safety_step, B },
	{ HTTP_POST, "/api/v1/safety-concerns/{id}/close", api_safety_close, B },
	{ HTTP_GET, "/api/v1/notifications", api_notifications_list, 0 },
	{ HTTP_POST, "/api/v1/notifications/{id}/read", api_notification_read,
	    0 },
	{ HTTP_GET, "/api/v1/outreach", api_outreach_lists, 0 },
	{ HTTP_GET, "/api/v1/people/{id}/inpatient-stays", api_stays_list, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/inpatient-stays", api_stays_create,
	    B },
	{ HTTP_PATCH, "/api/v1/inpatient-stays/{id}", api_stay_update, B },
	{ HTTP_GET, "/api/v1/people/{id}/portal", api_portal_status, 0 },
	{ HTTP_POST, "/api/v1/people/{id}/portal/invitation",
	    api_portal_invite, 0 },
	{ HTTP_DELETE, "/api/v1/people/{id}/portal", api_portal_end, 0 },
	{ HTTP_GET, "/api/v1/plans/{id}/proposals", api_plan_proposals, 0 },
	{ HTTP_POST, "/api/v1/plan-proposals/{id}/accept",
	    api_proposal_accept, 0 },
	{ HTTP_POST, "/api/v1/plan-proposals/{id}/decline",
	    api_proposal_decline, B },
	{ HTTP_POST, "/api/v1/portal/activate", api_portal_activate,
	    P | B | M },
	{ HTTP_POST, "/api/v1/portal/session", api_portal_session_create,
	    P | B | M },
	{ HTTP_DELETE, "/api/v1/portal/session", api_portal_session_delete,
	    M },
	{ HTTP_GET, "/api/v1/portal/me", api_portal_me, M },
	{ HTTP_GET, "/api/v1/portal/plan-kinds", api_plan_kinds, M },
	{ HTTP_GET, "/api/v1/portal/plans", api_portal_plans, M },
	{ HTTP_GET, "/api/v1/portal/plans/{id}", api_portal_plan, M },
	{ HTTP_POST, "/api/v1/portal/plans/{id}/proposals",
	    api_portal_proposal_create, B | M },
	{ HTTP_GET, "/api/v1/portal/notes", api_portal_notes, M },
	{ HTTP_GET, "/api/v1/portal/notes/{id}", api_portal_note, M },
	{ HTTP_POST, "/api/v1/portal/notes/{id}/comments", api_portal_comment,
	    B | M },
	{ HTTP_GET, "/api/v1/portal/disclosures", api_portal_disclosures, M },
	{ HTTP_GET, "/api/v1/portal/record", api_portal_record, M },
	{ HTTP_OTHER, NULL, NULL, 0 },
};

const char *
http_method_name(enum http_method m)
{
	static const char *const names[] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER",
	};

	return (unsigned)m <= HTTP_OTHER ? names[m] : "OTHER";
}

/*
 * Matches path against pattern segment by segment; {name} takes one
 * non-empty segment of at most 64 bytes. Fills params when not NULL.
 */
static int
match(const char *pattern, const char *path, char **params, int *nparams)
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *end = strchr(s, '/');
			size_t len = end ? (size_t)(end - s) : strlen(s);

			if (len == 0 || len > 64 || n >= HTTP_MAX_PARAMS)
				goto no;
			if (params)
				params[n] = xstrndup(s, len);
			n++;
			s += len;
			p = strchr(p, '}');
			if (p == NULL)
				goto no;
			p++;
			continue;
		}
		if (*p != *s)
			goto no;
		p++;
		s++;
	}
	if (*p || *s)
		goto no;
	if (nparams)
		*nparams = n;
	return 1;
no:
	while (params && n > 0)
		free(params[--n]), params[n] = NULL;
	return 0;
}

const struct route *
router_match(struct req *r, const char *path, int *other_method)
{
	const struct route *rt;
	enum http_method m = r->method == HTTP_HEAD ? HTTP_GET : r->method;

	*other_method = 0;
	for (rt = http_routes; rt->pattern != NULL; rt++) {
		if (rt->method != m) {
			if (match(rt->pattern, path, NULL, NULL))
				*other_method = 1;
			continue;
		}
		if (match(rt->pattern, path, r->params, &r->nparams))
			return rt;
	}
	return NULL;
}

void
router_allow(const char *path, char *out, size_t n)
{
	const struct route *rt;
	size_t used = 0;

	out[0] = '\0';
	for (rt = http_routes; rt->pattern != NULL; rt++) {
		const char *name = http_method_name(rt->method);
		size_t len = strlen(name);

		if (!match(rt->pattern, path, NULL, NULL))
			continue;
		if (used + len + 3 > n)
			break;
		if (used) {
			memcpy(out + used, ", ", 2);
			used += 2;
		}
		memcpy(out + used, name, len);
		used += len;
		out[used] = '\0';
	}
}
