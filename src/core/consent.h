#ifndef CORE_CONSENT_H
#define CORE_CONSENT_H

#include <stdint.h>

#include "access/actor.h"
#include "core/rules.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * Consents and disclosures (42 CFR Part 2, HIPAA). A consent is recorded
 * with every element its kind requires (data/consents.json) and changes
 * only by being revoked. Every path that sends a person's information
 * outside the organisation asks disclosure_check() whether an active
 * consent covers that recipient, purpose and information; a disclosure is
 * then written with the notice that travels with it. Disclosures in a
 * medical emergency are recorded with the four facts of 42 CFR 2.51. The
 * accounting lists them for a window of years.
 */

#define CONSENT_TEXT_MAX	2000
#define CONSENT_SHORT_MAX	200
#define CONSENT_RECIPIENTS_MAX	10
#define CONSENT_CODES_MAX	16
#define CONSENT_LIST_MAX	200
#define DISCLOSURE_LIST_MAX	1000

struct consent_recipient {
	char	*name;
	char	*address;
};

struct consent_rec {
	char				 id[37];
	int64_t				 version;
	char				 person_id[37];
	char				 team_id[37];
	char				*kind;
	int				 part2;
	int				 discloses;
	char				*person_name;
	char				*disclosers;
	char				*information;
	char				*intermediary;
	char				*categories;	/* comma-separated */
	char				*purposes;	/* comma-separated */
	char				*purpose_text;
	int				 revocation_statement;
	char				*expires_on;
	char				*expiry_event;
	char				*signer_name;
	char				*signer_authority;
	char				*signed_on;
	int				 conditioning_statement;
	int				 redisclosure_statement;
	char				*revoked_on;
	char				*revocation_method;
	char				*revocation_note;
	char				*revoked_by_name;
	int64_t				 revoked_at;
	char				*rules_version;
	char				*recorded_by_name;
	int64_t				 created_at;
	const char			*status;	/* active, revoked, expired,
							   not_yet */
	struct consent_recipient	*recipients;
	int				 nrecipients;
};

void consent_clear(struct consent_rec *c);
void consents_free(struct consent_rec *c, int n);

/* A new consent. Booleans are -1 when not given. Borrowed. */
struct consent_input {
	const char			*kind;
	const char			*person_name;
	const char			*disclosers;
	const char			*information;
	const char			*intermediary;
	const char *const		*categories;
	int				 ncategories;
	const char *const		*purposes;
	int				 npurposes;
	const char			*purpose_text;
	int				 revocation_statement;
	const char			*expires_on;
	const char			*expiry_event;
	const char			*signer_name;
	const char			*signer_authority;
	const char			*signed_on;
	int				 conditioning_statement;
	int				 redisclosure_statement;
	const struct consent_recipient	*recipients;	/* borrowed strings */
	int				 nrecipients;
};

/*
 * Records a consent for the person. ERR_INVALID (v) for values that are
 * wrong whatever the kind; ERR_RULE (v names each missing element, *rule
 * the kind's source) when an element its kind requires is missing.
 */
enum err consent_create(struct db *db, const struct actor *a,
    const char *person_id, const struct consent_input *in, struct verr *v,
    const char **rule, struct consent_rec *out);
enum err consent_get(struct db *db, const struct actor *a, const char *id,
    struct consent_rec *out);
/* The person's consents, newest signed first. */
enum err consent_list(struct db *db, const struct actor *a,
    const char *person_id, struct consent_rec **items, int *n);
/* Revokes it from revoked_on (a date, not in the future) by method;
 * disclosures made before stand. ERR_CONFLICT when already revoked. */
enum err consent_revoke(struct db *db, const struct actor *a, const char *id,
    int64_t if_version, const char *revoked_on, const char *method,
    const char *note, struct verr *v, struct consent_rec *out,
    int64_t *current);

/* ---- disclosures -------------------------------------------------- */

struct disclosure_request {
	const char		*recipient_name;
	const char		*recipient_address;
	const char		*purpose;	/* a purpose code */
	const char *const	*categories;	/* category codes */
	int			 ncategories;
	const char		*method;	/* print, export, ... */
	const char		*information;	/* in words; NULL: the
						   categories' labels */
};

struct disclosure_answer {
	int				 allowed;
	char				 consent_id[37];
	int				 part2;		/* the record is Part 2 */
	const char			*field;		/* what did not match */
	char				 reason[300];
	const struct consent_notice	*notice;	/* borrowed */
};

/*
 * The one question every outbound path asks: does an active consent of
 * the person cover this recipient, purpose and information now? A record
 * under Part 2 (an episode marked so) needs a consent of a Part 2 kind.
 * No policy check or audit; runs in the caller's transaction.
 */
enum err disclosure_check(struct db *db, const char *person_id,
    const struct disclosure_request *q, struct disclosure_answer *ans);

struct disclosure_rec {
	char	 id[37];
	char	 person_id[37];
	char	*basis;		/* consent, medical_emergency */
	char	*consent_id;
	char	*consent_kind;
	char	*recipient_name;
	char	*recipient_address;
	int64_t	 disclosed_at;
	char	*information;
	char	*categories;
	char	*purpose;
	char	*method;
	char	*notice_code;
	char	*notice_version;
	int	 part2;
	char	*discloser_name;
	char	*emergency_facility;
	char	*emergency_nature;
};

void disclosure_clear(struct disclosure_rec *d);
void disclosures_free(struct disclosure_rec *d, int n);

/* Answers the check for the actor (audited as a read); writes nothing. */
enum err disclosure_ask(struct db *db, const struct actor *a,
    const char *person_id, const struct disclosure_request *q,
    struct verr *v, struct disclosure_answer *ans);

/*
 * Discloses: the check, then the disclosure entry and its audit in one
 * transaction. Refused (ERR_RULE, ans saying why) when no consent covers
 * it. The caller sends what it disclosed with ans->notice.
 */
enum err disclosure_make(struct db *db, const struct actor *a,
    const char *person_id, const struct disclosure_request *q,
    struct verr *v, struct disclosure_answer *ans,
    struct disclosure_rec *out);

/*
 * The check and the disclosure entry with its audit, in the caller's
 * write transaction (a referral that shares information outside records
 * its disclosure with it). ERR_RULE with the field and reason in v when
 * no consent covers it; the caller rolls back and audits the denial.
 * id gets the disclosure's id.
 */
enum err disclosure_record(struct db *db, const struct actor *a,
    const char *person_id, const struct disclosure_request *q,
    struct verr *v, struct disclosure_answer *ans, char id[37]);

/* A disclosure without consent to medical personnel in a medical
 * emergency (42 CFR 2.51): who received it and their facility, the nature
 * of the emergency, what was disclosed, and when (now, or a time in the
 * last 7 days); the actor is who disclosed. No notice goes with it. */
struct emergency_input {
	const char	*personnel_name;
	const char	*facility;
	const char	*nature;
	const char	*information;
	const char	*method;
	const char	*disclosed_at;	/* RFC 3339; NULL: now */
};

enum err disclosure_emergency(struct db *db, const struct actor *a,
    const char *person_id, const struct emergency_input *in,
    struct verr *v, struct disclosure_rec *out);

/* The accounting of disclosures from from_ms to to_ms, newest first. */
enum err disclosure_list(struct db *db, const struct actor *a,
    const char *person_id, int64_t from_ms, int64_t to_ms,
    struct disclosure_rec **items, int *n);

#endif
