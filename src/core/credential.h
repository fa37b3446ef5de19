#ifndef CORE_CREDENTIAL_H
#define CORE_CREDENTIAL_H

#include <stdint.h>

#include "util/err.h"

/*
 * Peer credentials as data (data/credentials/, a file each): what an initial
 * certification needs (training hours by category, work and supervision
 * hours, an exam), how long it lasts, and what renewing it takes (a total
 * of continuing education and minimums by domain, a domain possibly
 * counted within another: Illinois CPRS's 6 hours of ethics are part of
 * its 20 in the peer role). Hours are kept in tenths. The arithmetic of
 * progress is here; nothing here reads the database.
 */

#define CRED_MAX_CATEGORIES	16
#define CRED_CODE_MAX		64

struct cred_bucket {
	char	 code[CRED_CODE_MAX + 1];
	char	*label;
	int	 tenths;		/* hours needed, in tenths */
	int	 within;		/* index of the domain it counts within,
					 * or -1 */
};

struct credential_def {
	char			*code;
	char			*name;
	char			*issuer;
	char			*version;
	struct cred_bucket	 training[CRED_MAX_CATEGORIES];
	int			 ntraining;
	int			 training_total;	/* tenths */
	int			 work_hours;
	int			 supervision_hours;
	char			*exam;
	int			 validity_months;
	int			 renewal_total;		/* tenths */
	struct cred_bucket	 renewal[CRED_MAX_CATEGORIES];
	int			 nrenewal;
};

void credential_def_clear(struct credential_def *d);

/* Hours earned in one domain or category (tenths). */
struct cred_hours {
	const char	*code;
	int		 tenths;
};

/* What is done and what is short, per bucket and in total (tenths). */
struct cred_progress {
	int	total_done;
	int	total_needed;
	int	total_short;
	int	done[CRED_MAX_CATEGORIES];	/* counting what lies within */
	int	shortfall[CRED_MAX_CATEGORIES];
	int	complete;	/* every minimum and the total met */
};

/*
 * Renewal progress: each entry counts toward its domain, toward the
 * domain that holds that one, and toward the total; hours in a domain the
 * credential does not name count toward the total only.
 */
void credential_renewal(const struct credential_def *d,
    const struct cred_hours *h, int n, struct cred_progress *out);

/* The same over the initial training categories (no nesting). */
void credential_training(const struct credential_def *d,
    const struct cred_hours *h, int n, struct cred_progress *out);

/* Days from today_days to the expiry (days since 1970), and which alert
 * is due: 90, 60, 30, 0 when expired, or -1 when none (more than 90 days
 * away). */
int credential_alert(int64_t today_days, int64_t expires_days,
    int64_t *days_left);

#endif
