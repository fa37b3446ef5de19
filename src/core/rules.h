#ifndef CORE_RULES_H
#define CORE_RULES_H

#include "store/db.h"
#include "util/err.h"

/*
 * Rules that differ by organisation, state or payer live as data
 * (the JSON files in data/, stored in the ruleset table at init, editable later).
 * interop/rules_json.c parses them into these structs; core reads them.
 */

struct code_label {
	char	*code;
	char	*label;
};

struct rules {
	char			*episode_version;
	struct code_label	*referral_sources;
	int			 nreferral_sources;
	struct code_label	*discharge_reasons;
	int			 ndischarge_reasons;
	struct code_label	*exit_strategies;
	int			 nexit_strategies;
	int			 follow_up_days;
	char			*languages_version;
	struct code_label	*languages;
	int			 nlanguages;
};

/* The rules in force. Borrowed; valid until rules_install() again. */
const struct rules *rules_get(void);

/* Puts r in force; takes ownership. Call before threads start. */
void rules_install(struct rules *r);
void rules_free(struct rules *r);

/* 1 when code is one of list's codes. */
int rules_has(const struct code_label *list, int n, const char *code);

/*
 * Stores a rule set's text under name unless one is already there (an
 * administrator's edits win over the shipped defaults).
 */
enum err rules_store(struct db *db, const char *name, const char *version,
    const char *body);

/* A new copy of the stored text of name; caller frees with free(). */
enum err rules_fetch(struct db *db, const char *name, char **body);

/* Organisation settings (name -> text), e.g. "time_zone". */
enum err setting_get(struct db *db, const char *name, char **value);
enum err setting_set(struct db *db, const char *name, const char *value);

#endif
