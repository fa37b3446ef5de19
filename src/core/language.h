#ifndef CORE_LANGUAGE_H
#define CORE_LANGUAGE_H

#include <stddef.h>
#include <stdint.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"
#include "util/verr.h"

/*
 * The language coach: a dictionary of words to avoid in notes and plans
 * (stigmatising language, and clinical words outside a peer specialist's
 * scope), each with a suggestion, why and its source, and a matcher that
 * finds them in text. It warns; nothing here refuses text. The dictionary
 * is data (data/language.json, stored as the "language" rule set and
 * replaced by administrators); interop/language_json.c parses it into the
 * structs below. See docs/language.md.
 */

#define LANG_TEXT_MAX		20000	/* code points of text to check */
#define LANG_MAX_ENTRIES	1000
#define LANG_MAX_EXCEPTIONS	1000
#define LANG_MAX_SOURCES	20
#define LANG_TERM_MAX		100	/* code points */
#define LANG_PHRASE_MAX		200
#define LANG_SUGGESTION_MAX	300
#define LANG_WHY_MAX		1000
#define LANG_SOURCE_MAX		500
#define LANG_DESCRIPTION_MAX	2000
#define LANG_VERSION_MAX	64	/* bytes of [A-Za-z0-9._-] */

enum lang_category {
	LANG_STIGMATISING,	/* "stigmatising" */
	LANG_CLINICAL_SCOPE,	/* "clinical-scope": diagnosing, prescribing */
	LANG__CATEGORIES
};

enum lang_exception_kind {
	LANG_EXC_ORGANISATION,	/* "organisation": Narcotics Anonymous */
	LANG_EXC_PAYER,		/* "payer": "opioid use disorder" */
	LANG__EXCEPTION_KINDS
};

struct lang_entry {
	char			*term;
	char			*suggestion;
	char			*why;
	char			*source;
	enum lang_category	 category;
};

/* A phrase never flagged, nor anything inside it. */
struct lang_exception {
	char				*phrase;
	enum lang_exception_kind	 kind;
};

/* A term or phrase compiled for matching (lang_dict_check()). */
struct lang_pattern {
	uint32_t	*cp;	/* folded code points; ' ' stands for any
				 * run of white space */
	int		 n;
	int		 index;	/* of its entry or exception */
};

struct lang_dict {
	char			*version;
	char			*description;	/* may be NULL */
	char			**sources;
	int			 nsources;
	struct lang_entry	*entries;
	int			 nentries;
	struct lang_exception	*exceptions;
	int			 nexceptions;
	int64_t			 stamp;		/* loaded_at of the stored
						 * copy it was read from */
	/* Filled by lang_dict_check(): */
	struct lang_pattern	*terms;		/* sorted */
	struct lang_pattern	*phrases;	/* sorted */
	int			 refs;		/* lang_dict_get() holders */
};

/* A word to reconsider: code points [start, end) of the text. */
struct lang_finding {
	size_t	start;
	size_t	end;
	int	entry;		/* index into the dictionary's entries */
};

/* "stigmatising", "clinical-scope"; "organisation", "payer". Static. */
const char *lang_category_name(enum lang_category c);
const char *lang_exception_kind_name(enum lang_exception_kind k);
/* LANG__CATEGORIES / LANG__EXCEPTION_KINDS when s names none. */
enum lang_category lang_category_parse(const char *s);
enum lang_exception_kind lang_exception_kind_parse(const char *s);

/* 1 when s is an acceptable version: 1 to 64 of [A-Za-z0-9._-], starting
 * with a letter or digit. */
int lang_version_valid(const char *s);

/*
 * Checks a dictionary filled by a parser (lengths in characters, terms
 * that begin and end with a letter or digit, no term or phrase twice)
 * and compiles it for lang_match(). Field errors go into v named as in
 * the JSON ("entries[3].term"); ERR_INVALID when there are any.
 */
enum err lang_dict_check(struct lang_dict *d, struct verr *v);

/* Frees a dictionary nobody holds. Accepts NULL. */
void lang_dict_free(struct lang_dict *d);

/*
 * Finds the dictionary's terms in s[0..len): case-insensitive, on word
 * boundaries (letters and digits of any script are word characters), a
 * space in a term matching any run of white space. Where matches overlap
 * the longest wins (the earlier on a tie), so findings never overlap.
 * Nothing is found inside quoted speech or inside an exception's phrase.
 * Offsets are in code points; malformed UTF-8 counts one code point a
 * byte. Returns a new array sorted by start in *out (caller frees with
 * free(); NULL when *n is 0).
 */
void lang_match(const struct lang_dict *d, const char *s, size_t len,
    struct lang_finding **out, int *n);

/*
 * The dictionary in force, shared by the server's threads: lang_dict_get()
 * returns a reference (NULL when none is installed) that stays valid
 * until lang_dict_put(), even when another dictionary is installed
 * meanwhile. lang_dict_install() takes ownership of d (NULL uninstalls);
 * the one it replaces is freed when its last holder puts it.
 */
struct lang_dict *lang_dict_get(void);
void lang_dict_put(struct lang_dict *d);
void lang_dict_install(struct lang_dict *d);

/*
 * Checks text (len bytes) against d for actor a: ERR_INVALID with "text"
 * in v when it is longer than LANG_TEXT_MAX characters. Findings as for
 * lang_match(); they refer to d's entries.
 */
enum err language_check(const struct actor *a, const struct lang_dict *d,
    const char *text, size_t len, struct verr *v,
    struct lang_finding **out, int *n);

/* ERR_OK when a may read the dictionary. */
enum err language_read_allowed(const struct actor *a);

/*
 * ERR_OK when a may replace the dictionary; otherwise the refusal is
 * audited and the policy's error returned. Asked before the body is read.
 */
enum err language_edit_allowed(struct db *db, const struct actor *a);

/*
 * The version and stamp (loaded_at) of the stored "language" rule set,
 * and (when body is not NULL) a new copy of its text; caller frees with
 * free(). ERR_NOT_FOUND when there is none.
 */
enum err language_stored(struct db *db, char **version, int64_t *stamp,
    char **body);

/*
 * Stores d, checked, as the new "language" rule set with body (its JSON
 * text), audits it and puts it in force in this process. ERR_INVALID with
 * "version" in v when d's version is the one already stored. Takes
 * ownership of d on ERR_OK; otherwise the caller still owns it.
 */
enum err language_replace(struct db *db, const struct actor *a,
    struct lang_dict *d, const char *body, struct verr *v);

#endif
