#ifndef HTTP_API_API_H
#define HTTP_API_API_H

#include <jansson.h>

#include "http/http.h"

struct contact_rec;

/* One thin handler per route; each validates, calls core, renders. */

enum err api_healthz(struct req *r);
enum err api_openapi(struct req *r);
enum err api_session_create(struct req *r);
enum err api_session_delete(struct req *r);
enum err api_me(struct req *r);
enum err api_session_second_factor(struct req *r);
enum err api_two_factor_start(struct req *r);
enum err api_two_factor_confirm(struct req *r);
enum err api_two_factor_disable(struct req *r);
enum err api_two_factor_recovery_codes(struct req *r);
enum err api_staff_two_factor_reset(struct req *r);
enum err api_settings_security(struct req *r);
enum err api_settings_security_put(struct req *r);
enum err api_settings_encryption(struct req *r);
enum err api_reference(struct req *r);
enum err api_teams_list(struct req *r);
enum err api_teams_create(struct req *r);
enum err api_staff_list(struct req *r);
enum err api_staff_create(struct req *r);
enum err api_staff_update(struct req *r);
enum err api_people_list(struct req *r);
enum err api_people_create(struct req *r);
enum err api_people_get(struct req *r);
enum err api_people_update(struct req *r);
enum err api_episode_create(struct req *r);
enum err api_episode_discharge(struct req *r);
enum err api_audit_list(struct req *r);
enum err api_plan_kinds(struct req *r);
enum err api_plans_list(struct req *r);
enum err api_plans_create(struct req *r);
enum err api_plan_get(struct req *r);
enum err api_plan_update(struct req *r);
enum err api_plan_sign(struct req *r);
enum err api_plan_versions(struct req *r);
enum err api_plan_version_new(struct req *r);
enum err api_plan_version_get(struct req *r);
enum err api_plan_progress(struct req *r);
enum err api_plan_event(struct req *r);
enum err api_contacts_list(struct req *r);
enum err api_contacts_create(struct req *r);
enum err api_contact_get(struct req *r);
enum err api_contact_update(struct req *r);
enum err api_contact_sign(struct req *r);
enum err api_contact_addendum(struct req *r);
enum err api_contact_comment(struct req *r);
enum err api_documentation_due(struct req *r);
enum err api_report_units(struct req *r);
enum err api_peer_minutes(struct req *r);
enum err api_language_check(struct req *r);
enum err api_language_dictionary(struct req *r);
enum err api_language_dictionary_put(struct req *r);
enum err api_referrals_create(struct req *r);
enum err api_referrals_person(struct req *r);
enum err api_referrals_list(struct req *r);
enum err api_referrals_get(struct req *r);
enum err api_referrals_status(struct req *r);
enum err api_referrals_link(struct req *r);
enum err api_referral_link_read(struct req *r);
enum err api_referral_link_update(struct req *r);
enum err api_resources_search(struct req *r);
enum err api_resources_categories(struct req *r);
enum err api_resources_get(struct req *r);
enum err api_resources_create(struct req *r);
enum err api_resources_update(struct req *r);
enum err api_resources_verify(struct req *r);
/* HSDS packages in and out, http/api/resources_import.c. */
enum err api_resources_import(struct req *r);
enum err api_resources_export(struct req *r);
enum err api_safety_list(struct req *r);
enum err api_safety_create(struct req *r);
enum err api_safety_get(struct req *r);
enum err api_safety_acknowledge(struct req *r);
enum err api_safety_step(struct req *r);
enum err api_safety_close(struct req *r);
enum err api_notifications_list(struct req *r);
enum err api_notification_read(struct req *r);
enum err api_outreach_lists(struct req *r);
enum err api_stays_list(struct req *r);
enum err api_stays_create(struct req *r);
enum err api_stay_update(struct req *r);
enum err api_portal_activate(struct req *r);
enum err api_portal_session_create(struct req *r);
enum err api_portal_session_delete(struct req *r);
enum err api_portal_me(struct req *r);
enum err api_portal_plans(struct req *r);
enum err api_portal_plan(struct req *r);
enum err api_portal_proposal_create(struct req *r);
enum err api_portal_notes(struct req *r);
enum err api_portal_note(struct req *r);
enum err api_portal_comment(struct req *r);
enum err api_portal_disclosures(struct req *r);
enum err api_portal_record(struct req *r);
enum err api_portal_status(struct req *r);
enum err api_portal_invite(struct req *r);
enum err api_portal_end(struct req *r);
enum err api_plan_proposals(struct req *r);
enum err api_proposal_accept(struct req *r);
enum err api_proposal_decline(struct req *r);
enum err api_groups_list(struct req *r);
enum err api_groups_create(struct req *r);
enum err api_group_get(struct req *r);
enum err api_group_update(struct req *r);
enum err api_group_member_add(struct req *r);
enum err api_group_member_remove(struct req *r);
enum err api_group_session_create(struct req *r);
enum err api_group_session_get(struct req *r);
enum err api_group_session_update(struct req *r);
enum err api_group_session_sign(struct req *r);
enum err api_consents_list(struct req *r);
/* One disclosure as the accounting shows it (consents.c). */
struct disclosure_rec;
json_t *api_disclosure_json(const struct disclosure_rec *d);
/* The accounting of disclosures of person_id's record, for the query's
 * window (consents.c). */
enum err api_accounting(struct req *r, const char *person_id);
enum err api_consents_create(struct req *r);
enum err api_consent_get(struct req *r);
enum err api_consent_revoke(struct req *r);
enum err api_disclosure_check(struct req *r);
enum err api_disclosures_list(struct req *r);
enum err api_disclosures_create(struct req *r);
enum err api_disclosure_emergency(struct req *r);
enum err api_glass_open(struct req *r);
enum err api_glass_list(struct req *r);
enum err api_glass_review(struct req *r);

/* A contact's billing object and its list of missing note elements, as
 * the contacts and groups routes show them. */
json_t *contact_billing_json(const struct contact_rec *c);
json_t *contact_missing_json(unsigned missing);
/* A note's addenda and the person's comments, as the contact routes and
 * the person's portal show them (contacts.c). */
json_t *api_contact_addenda_json(const struct contact_rec *c);
json_t *api_contact_comments_json(const struct contact_rec *c);

/* The staff member's two-step sign-in as /me shows it: enabled, required,
 * recovery_codes_left. */
json_t *two_factor_json(struct db *db, const char *staff_id);

/* Sends the plan as GET /plans/{id} does, with its ETag, and clears it
 * (plans.c). */
struct plan;
void api_reply_plan(struct req *r, int status, struct plan *p);

/* Reads If-Match, answering for the handler when it is missing or bad;
 * 1 when *version is set. */
int api_if_match(struct req *r, int64_t *version);

#endif
