#ifndef HTTP_API_BODIES_H
#define HTTP_API_BODIES_H

#include "http/validate.h"

/*
 * The shape of every request body the API takes, one table per body,
 * checked by validate_object() before a handler reads it. The fuzz target
 * tests/fuzz/fuzz_json_body.c runs each of them.
 */

extern const struct vfield body_sign_in[];
extern const struct vfield body_second_factor[];
extern const struct vfield body_two_factor_confirm[];
extern const struct vfield body_two_factor_code[];
extern const struct vfield body_security_settings[];
extern const struct vfield body_person_create[];
extern const struct vfield body_person_patch[];
extern const struct vfield body_episode[];
extern const struct vfield body_discharge[];
extern const struct vfield body_team[];
extern const struct vfield body_staff_create[];
extern const struct vfield body_staff_patch[];
extern const struct vfield body_plan_create[];
extern const struct vfield body_plan_patch[];
extern const struct vfield body_plan_sign[];
extern const struct vfield body_plan_progress[];
extern const struct vfield body_plan_event[];
extern const struct vfield body_contact[];
extern const struct vfield body_contact_patch[];
extern const struct vfield body_contact_sign[];
extern const struct vfield body_contact_addendum[];
extern const struct vfield body_contact_comment[];
extern const struct vfield body_language_check[];
extern const struct vfield body_language_dictionary[];
extern const struct vfield body_safety_concern[];
extern const struct vfield body_safety_step[];
extern const struct vfield body_safety_close[];
extern const struct vfield body_inpatient_stay[];
extern const struct vfield body_inpatient_stay_patch[];
extern const struct vfield body_group[];
extern const struct vfield body_group_patch[];
extern const struct vfield body_group_member[];
extern const struct vfield body_group_session[];
extern const struct vfield body_group_session_patch[];
extern const struct vfield body_consent[];
extern const struct vfield body_consent_revoke[];
extern const struct vfield body_disclosure[];
extern const struct vfield body_emergency_disclosure[];
extern const struct vfield body_break_glass[];
extern const struct vfield body_break_glass_review[];
extern const struct vfield body_portal_activate[];
extern const struct vfield body_portal_sign_in[];
extern const struct vfield body_portal_comment[];
extern const struct vfield body_proposal[];
extern const struct vfield body_proposal_decline[];
extern const struct vfield body_resource[];
extern const struct vfield body_resource_patch[];
extern const struct vfield body_referral[];
extern const struct vfield body_referral_status[];
extern const struct vfield body_referral_link[];
extern const struct vfield body_referral_link_update[];

/* All of the above, ending with NULL. */
extern const struct vfield *const body_tables[];

#endif
