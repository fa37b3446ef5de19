#include <stddef.h>

#include "access/actor.h"
#include "core/language.h"
#include "core/outreach.h"
#include "core/consent.h"
#include "core/contact.h"
#include "core/glass.h"
#include "core/group.h"
#include "core/person.h"
#include "core/plan.h"
#include "core/portal.h"
#include "core/referral.h"
#include "core/resource.h"
#include "core/safety.h"
#include "http/api/bodies.h"

const struct vfield body_sign_in[] = {
	{ "username", VT_STRING, VF_REQUIRED, 256, NULL },
	{ "password", VT_STRING, VF_REQUIRED, 1024, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* Codes are 6 digits and recovery codes 16 characters; the room beyond
 * is for the spaces and hyphens people type. */
const struct vfield body_second_factor[] = {
	{ "challenge", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "code", VT_STRING, 0, 16, NULL },
	{ "recovery_code", VT_STRING, 0, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_two_factor_confirm[] = {
	{ "code", VT_STRING, VF_REQUIRED, 16, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_two_factor_code[] = {
	{ "code", VT_STRING, 0, 16, NULL },
	{ "recovery_code", VT_STRING, 0, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_security_settings[] = {
	{ "require_two_factor", VT_BOOL, VF_REQUIRED, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield contact_fields[] = {
	{ "kind", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "name", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "relationship", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "phone", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "note", VT_STRING, VF_NULLABLE, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield link_fields[] = {
	{ "person_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "relationship", VT_STRING, VF_REQUIRED, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A person as created or changed; read-only fields are named so the
 * answer can say so. Lengths in characters are core's to check. */
#define PERSON_FIELDS(name_flags) \
	{ "preferred_name", VT_STRING, name_flags, 0, NULL }, \
	{ "legal_name", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "pronouns", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "date_of_birth", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "phone", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "language", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "team", VT_STRING, 0, 64, NULL }, \
	{ "primary_peer", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "status", VT_STRING, 0, 64, NULL }, \
	{ "contacts", VT_ARRAY, 0, PERSON_MAX_CONTACTS, contact_fields }, \
	{ "links", VT_ARRAY, 0, PERSON_MAX_LINKS, link_fields }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "primary_peer_name", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "episodes", VT_ARRAY, VF_READONLY, 0, NULL }, \
	{ "created_at", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "updated_at", VT_STRING, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_person_create[] = { PERSON_FIELDS(VF_REQUIRED) };
const struct vfield body_person_patch[] = { PERSON_FIELDS(0) };

const struct vfield body_episode[] = {
	{ "agreement_date", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "agreement_witness", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "intake_date", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "referral_source", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "part2", VT_BOOL, 0, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_discharge[] = {
	{ "discharge_date", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "reason", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "exit_strategy", VT_STRING, VF_REQUIRED, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_team[] = {
	{ "name", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "display_name", VT_STRING, VF_REQUIRED, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

#define STAFF_FIELDS(req) \
	{ "username", VT_STRING, req, 128, NULL }, \
	{ "display_name", VT_STRING, req, 0, NULL }, \
	{ "role", VT_STRING, req, 64, NULL }, \
	{ "teams", VT_ARRAY, 0, ACTOR_MAX_TEAMS, NULL }, \
	{ "password", VT_STRING, req, 1024, NULL }, \
	{ "disabled", VT_BOOL, 0, 0, NULL }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_staff_create[] = { STAFF_FIELDS(VF_REQUIRED) };
const struct vfield body_staff_patch[] = { STAFF_FIELDS(0) };

static const struct vfield copy_fields[] = {
	{ "holder", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "relationship", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "given_on", VT_STRING, VF_NULLABLE, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A plan as created or changed; content is checked against its kind's
 * structure afterwards (interop/plan_json.c). */
#define PLAN_FIELDS \
	{ "title", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "content", VT_OBJECT, 0, 0, NULL }, \
	{ "copies", VT_ARRAY, 0, PLAN_MAX_COPIES, copy_fields }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "person_id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "status", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "current", VT_OBJECT, VF_READONLY, 0, NULL }

const struct vfield body_plan_create[] = {
	{ "kind", VT_STRING, 0, 64, NULL },
	PLAN_FIELDS,
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_plan_patch[] = {
	{ "kind", VT_STRING, VF_READONLY, 0, NULL },
	PLAN_FIELDS,
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_plan_sign[] = {
	{ "role", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "typed_name", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "confirmed", VT_BOOL, 0, 0, NULL },
	{ "credential", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "address", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "answers", VT_OBJECT, 0, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_plan_progress[] = {
	{ "item_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "entry_date", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "note", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "achievement_status", VT_STRING, VF_NULLABLE, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_plan_event[] = {
	{ "event", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "on_date", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "basis", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "physician", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "delivered_on", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "principal_typed_name", VT_STRING, VF_NULLABLE, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* Text to check; its length in characters is core's to check. */
const struct vfield body_language_check[] = {
	{ "text", VT_STRING, VF_REQUIRED, LANG_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield language_entry_fields[] = {
	{ "term", VT_STRING, VF_REQUIRED, LANG_TERM_MAX * 4, NULL },
	{ "suggestion", VT_STRING, VF_REQUIRED, LANG_SUGGESTION_MAX * 4, NULL },
	{ "why", VT_STRING, VF_REQUIRED, LANG_WHY_MAX * 4, NULL },
	{ "source", VT_STRING, VF_REQUIRED, LANG_SOURCE_MAX * 4, NULL },
	{ "category", VT_STRING, VF_REQUIRED, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield language_exception_fields[] = {
	{ "phrase", VT_STRING, VF_REQUIRED, LANG_PHRASE_MAX * 4, NULL },
	{ "kind", VT_STRING, VF_REQUIRED, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* The whole dictionary, as GET /api/v1/language/dictionary gives it. */
const struct vfield body_language_dictionary[] = {
	{ "name", VT_STRING, 0, 64, NULL },
	{ "version", VT_STRING, VF_REQUIRED, LANG_VERSION_MAX, NULL },
	{ "description", VT_STRING, VF_NULLABLE, LANG_DESCRIPTION_MAX * 4,
	    NULL },
	{ "sources", VT_ARRAY, 0, LANG_MAX_SOURCES, NULL },
	{ "entries", VT_ARRAY, VF_REQUIRED, LANG_MAX_ENTRIES,
	    language_entry_fields },
	{ "exceptions", VT_ARRAY, 0, LANG_MAX_EXCEPTIONS,
	    language_exception_fields },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A contact and its note; the goals are plan goal item ids. */
#define CONTACT_FIELDS(req) \
	{ "type", VT_STRING, req, 64, NULL }, \
	{ "started_at", VT_STRING, req, 64, NULL }, \
	{ "ended_at", VT_STRING, req, 64, NULL }, \
	{ "setting", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "location", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "program", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "person_at_home", VT_BOOL, 0, 0, NULL }, \
	{ "intervention", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "response", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "next_steps", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "written_together", VT_BOOL, 0, 0, NULL }, \
	{ "credential", VT_STRING, VF_NULLABLE, 0, NULL }, \
	{ "goals", VT_ARRAY, 0, CONTACT_MAX_GOALS, NULL }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "status", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "minutes", VT_INT, VF_READONLY, 0, NULL }, \
	{ "billing", VT_OBJECT, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_contact[] = { CONTACT_FIELDS(VF_REQUIRED) };
const struct vfield body_contact_patch[] = { CONTACT_FIELDS(0) };

const struct vfield body_contact_sign[] = {
	{ "as", VT_STRING, 0, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_contact_addendum[] = {
	{ "body", VT_STRING, VF_REQUIRED, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_contact_comment[] = {
	{ "typed_name", VT_STRING, VF_REQUIRED, 0, NULL },
	{ "body", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "acknowledged", VT_BOOL, 0, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* Lengths in characters are core's to check; these bound the bytes. */
const struct vfield body_safety_concern[] = {
	{ "person_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "contact_id", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "kind", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "what", VT_STRING, VF_REQUIRED, SAFETY_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_safety_step[] = {
	{ "action", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "note", VT_STRING, VF_NULLABLE, SAFETY_NOTE_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_safety_close[] = {
	{ "outcome", VT_STRING, VF_REQUIRED, SAFETY_NOTE_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* An inpatient stay; dates and the kind are core's to check. */
#define STAY_FIELDS(req) \
	{ "kind", VT_STRING, req, 64, NULL }, \
	{ "admitted_on", VT_STRING, req, 32, NULL }, \
	{ "discharged_on", VT_STRING, VF_NULLABLE, 32, NULL }, \
	{ "facility", VT_STRING, VF_NULLABLE, STAY_FACILITY_MAX * 4, NULL }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "person_id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_inpatient_stay[] = {
	STAY_FIELDS(VF_REQUIRED)
};

const struct vfield body_inpatient_stay_patch[] = {
	STAY_FIELDS(0)
};

/* A peer group; team is a team's name. */
#define GROUP_FIELDS(req) \
	{ "team", VT_STRING, req, 400, NULL }, \
	{ "name", VT_STRING, req, GROUP_NAME_MAX * 4, NULL }, \
	{ "curriculum", VT_STRING, req, 64, NULL }, \
	{ "description", VT_STRING, VF_NULLABLE, GROUP_TEXT_MAX * 4, NULL }, \
	{ "setting", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "location", VT_STRING, VF_NULLABLE, GROUP_SHORT_MAX * 4, NULL }, \
	{ "program", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "max_size", VT_INT, VF_NULLABLE, 0, NULL }, \
	{ "active", VT_BOOL, 0, 0, NULL }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "members", VT_ARRAY, VF_READONLY, 0, NULL }, \
	{ "sessions", VT_ARRAY, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_group[] = { GROUP_FIELDS(VF_REQUIRED) };
const struct vfield body_group_patch[] = { GROUP_FIELDS(0) };

const struct vfield body_group_member[] = {
	{ "person_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield attendance_fields[] = {
	{ "person_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "present", VT_BOOL, 0, 0, NULL },
	{ "note", VT_STRING, VF_NULLABLE, GROUP_TEXT_MAX * 4, NULL },
	{ "next_steps", VT_STRING, VF_NULLABLE, GROUP_TEXT_MAX * 4, NULL },
	{ "goals", VT_ARRAY, 0, CONTACT_MAX_GOALS, NULL },
	{ "name", VT_STRING, VF_READONLY, 0, NULL },
	{ "contact_id", VT_STRING, VF_READONLY, 0, NULL },
	{ "billing", VT_OBJECT, VF_READONLY, 0, NULL },
	{ "missing", VT_ARRAY, VF_READONLY, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A group session: one narrative, facilitators (staff ids) and the
 * attendance list with each person's own part. */
#define SESSION_FIELDS(req) \
	{ "started_at", VT_STRING, req, 64, NULL }, \
	{ "ended_at", VT_STRING, req, 64, NULL }, \
	{ "topic", VT_STRING, VF_NULLABLE, GROUP_SHORT_MAX * 4, NULL }, \
	{ "setting", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "location", VT_STRING, VF_NULLABLE, GROUP_SHORT_MAX * 4, NULL }, \
	{ "program", VT_STRING, VF_NULLABLE, 64, NULL }, \
	{ "narrative", VT_STRING, VF_NULLABLE, GROUP_TEXT_MAX * 4, NULL }, \
	{ "credential", VT_STRING, VF_NULLABLE, 240, NULL }, \
	{ "facilitators", VT_ARRAY, 0, GROUP_FACILITATORS_MAX, NULL }, \
	{ "attendance", VT_ARRAY, 0, GROUP_SIZE_MAX, attendance_fields }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ "status", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "minutes", VT_INT, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL }

const struct vfield body_group_session[] = { SESSION_FIELDS(VF_REQUIRED) };
const struct vfield body_group_session_patch[] = { SESSION_FIELDS(0) };

/* A consent; the elements its kind requires are core's to check. */
static const struct vfield consent_recipient_fields[] = {
	{ "name", VT_STRING, VF_REQUIRED, CONSENT_SHORT_MAX * 4, NULL },
	{ "address", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_consent[] = {
	{ "kind", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "person_name", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4, NULL },
	{ "disclosers", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4, NULL },
	{ "recipients", VT_ARRAY, 0, CONSENT_RECIPIENTS_MAX,
	    consent_recipient_fields },
	{ "intermediary", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4, NULL },
	{ "information", VT_STRING, VF_NULLABLE, CONSENT_TEXT_MAX * 4, NULL },
	{ "categories", VT_ARRAY, 0, CONSENT_CODES_MAX, NULL },
	{ "purposes", VT_ARRAY, 0, CONSENT_CODES_MAX, NULL },
	{ "purpose_text", VT_STRING, VF_NULLABLE, CONSENT_TEXT_MAX * 4, NULL },
	{ "revocation_statement", VT_BOOL, 0, 0, NULL },
	{ "expires_on", VT_STRING, VF_NULLABLE, 32, NULL },
	{ "expiry_event", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "signer_name", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4, NULL },
	{ "signer_authority", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "signed_on", VT_STRING, VF_NULLABLE, 32, NULL },
	{ "conditioning_statement", VT_BOOL, 0, 0, NULL },
	{ "redisclosure_statement", VT_BOOL, 0, 0, NULL },
	{ "id", VT_STRING, VF_READONLY, 0, NULL },
	{ "version", VT_INT, VF_READONLY, 0, NULL },
	{ "status", VT_STRING, VF_READONLY, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_consent_revoke[] = {
	{ "revoked_on", VT_STRING, VF_REQUIRED, 32, NULL },
	{ "method", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "note", VT_STRING, VF_NULLABLE, CONSENT_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A disclosure, or the question whether one may be made. */
const struct vfield body_disclosure[] = {
	{ "recipient_name", VT_STRING, VF_REQUIRED, CONSENT_SHORT_MAX * 4,
	    NULL },
	{ "recipient_address", VT_STRING, VF_NULLABLE, CONSENT_SHORT_MAX * 4,
	    NULL },
	{ "purpose", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "categories", VT_ARRAY, VF_REQUIRED, CONSENT_CODES_MAX, NULL },
	{ "method", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "information", VT_STRING, VF_NULLABLE, CONSENT_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A disclosure in a medical emergency (42 CFR 2.51). */
const struct vfield body_emergency_disclosure[] = {
	{ "personnel_name", VT_STRING, VF_REQUIRED, CONSENT_SHORT_MAX * 4,
	    NULL },
	{ "facility", VT_STRING, VF_REQUIRED, CONSENT_SHORT_MAX * 4, NULL },
	{ "nature", VT_STRING, VF_REQUIRED, CONSENT_TEXT_MAX * 4, NULL },
	{ "information", VT_STRING, VF_REQUIRED, CONSENT_TEXT_MAX * 4, NULL },
	{ "method", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "disclosed_at", VT_STRING, VF_NULLABLE, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_break_glass[] = {
	{ "reason", VT_STRING, VF_REQUIRED, GLASS_REASON_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_break_glass_review[] = {
	{ "outcome", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "note", VT_STRING, VF_NULLABLE, GLASS_REASON_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_portal_activate[] = {
	{ "code", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "sign_in_name", VT_STRING, VF_REQUIRED, 256, NULL },
	{ "passphrase", VT_STRING, VF_REQUIRED, 1024, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_portal_sign_in[] = {
	{ "sign_in_name", VT_STRING, VF_REQUIRED, 256, NULL },
	{ "passphrase", VT_STRING, VF_REQUIRED, 1024, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_portal_comment[] = {
	{ "body", VT_STRING, VF_NULLABLE, 0, NULL },
	{ "acknowledged", VT_BOOL, 0, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_proposal[] = {
	{ "content", VT_OBJECT, VF_REQUIRED, 0, NULL },
	{ "note", VT_STRING, VF_NULLABLE, PROPOSAL_NOTE_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_proposal_decline[] = {
	{ "reason", VT_STRING, VF_NULLABLE, PROPOSAL_REASON_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield resource_location_fields[] = {
	{ "name", VT_STRING, VF_NULLABLE, RESOURCE_NAME_MAX * 4, NULL },
	{ "address_1", VT_STRING, VF_NULLABLE, RESOURCE_SHORT_MAX * 4, NULL },
	{ "address_2", VT_STRING, VF_NULLABLE, RESOURCE_SHORT_MAX * 4, NULL },
	{ "city", VT_STRING, VF_NULLABLE, 400, NULL },
	{ "state_province", VT_STRING, VF_NULLABLE, 400, NULL },
	{ "postal_code", VT_STRING, VF_NULLABLE, 80, NULL },
	{ "country", VT_STRING, VF_NULLABLE, 8, NULL },
	{ "transportation", VT_STRING, VF_NULLABLE, RESOURCE_TEXT_MAX * 4,
	    NULL },
	{ "latitude", VT_NUMBER, VF_NULLABLE, 0, NULL },
	{ "longitude", VT_NUMBER, VF_NULLABLE, 0, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

static const struct vfield resource_schedule_fields[] = {
	{ "byday", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "opens_at", VT_STRING, VF_REQUIRED, 16, NULL },
	{ "closes_at", VT_STRING, VF_REQUIRED, 16, NULL },
	{ "description", VT_STRING, VF_NULLABLE, RESOURCE_SHORT_MAX * 4,
	    NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

/* A resource as added or changed; lengths in characters are core's to
 * check. */
#define RESOURCE_FIELDS(name_flags, list_flags) \
	{ "name", VT_STRING, name_flags, RESOURCE_NAME_MAX * 4, NULL }, \
	{ "alternate_name", VT_STRING, VF_NULLABLE, RESOURCE_NAME_MAX * 4, \
	    NULL }, \
	{ "description", VT_STRING, VF_NULLABLE, RESOURCE_TEXT_MAX * 4, \
	    NULL }, \
	{ "url", VT_STRING, VF_NULLABLE, 2000, NULL }, \
	{ "email", VT_STRING, VF_NULLABLE, 254, NULL }, \
	{ "status", VT_STRING, 0, 40, NULL }, \
	{ "interpretation_services", VT_STRING, VF_NULLABLE, \
	    RESOURCE_TEXT_MAX * 4, NULL }, \
	{ "application_process", VT_STRING, VF_NULLABLE, \
	    RESOURCE_TEXT_MAX * 4, NULL }, \
	{ "fees_description", VT_STRING, VF_NULLABLE, RESOURCE_TEXT_MAX * 4, \
	    NULL }, \
	{ "wait_time", VT_STRING, VF_NULLABLE, RESOURCE_SHORT_MAX * 4, NULL }, \
	{ "accreditations", VT_STRING, VF_NULLABLE, RESOURCE_TEXT_MAX * 4, \
	    NULL }, \
	{ "eligibility_description", VT_STRING, VF_NULLABLE, \
	    RESOURCE_TEXT_MAX * 4, NULL }, \
	{ "alert", VT_STRING, VF_NULLABLE, RESOURCE_TEXT_MAX * 4, NULL }, \
	{ "minimum_age", VT_INT, VF_NULLABLE, 0, NULL }, \
	{ "maximum_age", VT_INT, VF_NULLABLE, 0, NULL }, \
	{ "organization_id", VT_STRING, 0, 64, NULL }, \
	{ "organization_name", VT_STRING, VF_NULLABLE, \
	    RESOURCE_NAME_MAX * 4, NULL }, \
	{ "categories", VT_ARRAY, list_flags, RESOURCE_CATEGORIES_MAX, NULL }, \
	{ "languages", VT_ARRAY, 0, RESOURCE_LANGUAGES_MAX, NULL }, \
	{ "phone", VT_STRING, VF_NULLABLE, 160, NULL }, \
	{ "location", VT_OBJECT, VF_NULLABLE, 0, resource_location_fields }, \
	{ "schedules", VT_ARRAY, 0, RESOURCE_SCHEDULES_MAX, \
	    resource_schedule_fields }, \
	{ "id", VT_STRING, VF_READONLY, 0, NULL }, \
	{ "version", VT_INT, VF_READONLY, 0, NULL }, \
	{ NULL, VT_STRING, 0, 0, NULL },

const struct vfield body_resource[] = {
	RESOURCE_FIELDS(VF_REQUIRED, VF_REQUIRED)
};

const struct vfield body_resource_patch[] = {
	RESOURCE_FIELDS(0, 0)
};

static const struct vfield referral_share_fields[] = {
	{ "categories", VT_ARRAY, VF_REQUIRED, 10, NULL },
	{ "information", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_referral[] = {
	{ "service_id", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "goal_id", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "category", VT_STRING, VF_NULLABLE, 64, NULL },
	{ "reason", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ "share", VT_OBJECT, VF_NULLABLE, 0, referral_share_fields },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_referral_status[] = {
	{ "status", VT_STRING, VF_REQUIRED, 32, NULL },
	{ "note", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ "outcome", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_referral_link[] = {
	{ "token", VT_STRING, VF_REQUIRED, 64, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield body_referral_link_update[] = {
	{ "token", VT_STRING, VF_REQUIRED, 64, NULL },
	{ "status", VT_STRING, VF_REQUIRED, 32, NULL },
	{ "note", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ "outcome", VT_STRING, VF_NULLABLE, REFERRAL_TEXT_MAX * 4, NULL },
	{ NULL, VT_STRING, 0, 0, NULL },
};

const struct vfield *const body_tables[] = {
	body_sign_in, body_second_factor, body_two_factor_confirm,
	body_two_factor_code, body_security_settings, body_person_create,
	body_person_patch, body_episode, body_discharge, body_team, body_staff_create, body_staff_patch,
	body_plan_create, body_plan_patch, body_plan_sign, body_plan_progress,
	body_plan_event, body_language_check, body_language_dictionary,
	body_contact, body_contact_patch, body_contact_sign,
	body_contact_addendum, body_contact_comment, body_safety_concern,
	body_safety_step, body_safety_close, body_group, body_group_patch,
	body_group_member, body_group_session, body_group_session_patch,
	body_consent, body_consent_revoke, body_disclosure,
	body_emergency_disclosure, body_break_glass, body_break_glass_review,
	body_portal_activate, body_portal_sign_in, body_portal_comment,
	body_proposal, body_proposal_decline, body_resource,
	body_resource_patch, body_referral, body_referral_status,
	body_referral_link, body_referral_link_update,
	body_inpatient_stay, body_inpatient_stay_patch,
	NULL,
};
