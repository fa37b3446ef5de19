#ifndef CORE_NOTE_RULES_H
#define CORE_NOTE_RULES_H

/*
 * The rules for contact notes (data/notes.json): when a note is due, what
 * it must hold before it is signed, who co-signs, and the organisation's
 * holidays for counting business days.
 */

/* A deadline: business days after the contact's day (ending at the close
 * of that day), or hours after the contact ended. */
struct note_deadline {
	char	*type;		/* a contact type, or NULL for the default */
	int	 business_days;	/* 0 when hours is set */
	int	 hours;
	char	*rule;
};

/* Elements a note needs before it is signed. */
#define NOTE_EL_LOCATION	0x01
#define NOTE_EL_INTERVENTION	0x02
#define NOTE_EL_RESPONSE	0x04
#define NOTE_EL_NEXT_STEPS	0x08
#define NOTE_EL_GOALS		0x10

struct note_required {
	char		*type;		/* NULL: the default */
	unsigned	 elements;
};

struct note_rules {
	char			*version;
	struct note_deadline	*deadlines;	/* [0] is the default */
	int			 ndeadlines;
	struct note_required	*required;	/* [0] is the default */
	int			 nrequired;
	unsigned		 billable_elements;
	char			*required_rule;
	unsigned		 cosign_roles;		/* authors whose notes need one */
	unsigned		 cosigner_roles;
	int			 cosign_business_days;
	char			*cosign_rule;
	char			(*holidays)[11];	/* sorted YYYY-MM-DD */
	int			 nholidays;
};

void note_rules_clear(struct note_rules *n);

#endif
