#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

static struct rules *current;

const struct rules *
rules_get(void)
{
	static const struct rules empty;

	return current ? current : &empty;
}

static void
free_list(struct code_label *l, int n)
{
	int i;

	for (i = 0; l != NULL && i < n; i++) {
		free(l[i].code);
		free(l[i].label);
	}
	free(l);
}

void
rules_free(struct rules *r)
{
	if (r == NULL)
		return;
	free(r->episode_version);
	free_list(r->referral_sources, r->nreferral_sources);
	free_list(r->discharge_reasons, r->ndischarge_reasons);
	free_list(r->exit_strategies, r->nexit_strategies);
	free(r->languages_version);
	free_list(r->languages, r->nlanguages);
	free(r);
}

void
rules_install(struct rules *r)
{
	rules_free(current);
	current = r;
}

int
rules_has(const struct code_label *list, int n, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < n; i++)
		if (strcmp(list[i].code, code) == 0)
			return 1;
	return 0;
}

enum err
rules_store(struct db *db, const char *name, const char *version,
    const char *body)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db,
	    "INSERT INTO ruleset (name, version, body, loaded_at)"
	    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, version);
	db_bind_text(st, 3, body);
	db_bind_int(st, 4, time_now_ms());
	e = db_run(st, NULL);
	db_done(st);
	return e;
}

/* A copy of the text in the one row sql ($1 = key) finds. */
static enum err
text_by(struct db *db, const char *sql, const char *key, char **out)
{
	struct db_stmt *st;
	enum err e;
	int row;

	*out = NULL;
	if ((e = db_prepare(db, sql, &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, key);
	if ((e = db_step(st, &row)) == ERR_OK) {
		if (row)
			*out = xstrdup(db_col_text(st, 0));
		else
			e = ERR_NOT_FOUND;
	}
	db_done(st);
	return e;
}

enum err
rules_fetch(struct db *db, const char *name, char **body)
{
	return text_by(db, "SELECT body FROM ruleset WHERE name = $1", name,
	    body);
}

enum err
setting_get(struct db *db, const char *name, char **value)
{
	return text_by(db, "SELECT value FROM setting WHERE name = $1", name,
	    value);
}

enum err
setting_set(struct db *db, const char *name, const char *value)
{
	struct db_stmt *st;
	enum err e;

	if ((e = db_prepare(db,
	    "INSERT INTO setting (name, value) VALUES ($1, $2)"
	    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
	    &st)) != ERR_OK)
		return e;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, value);
	e = db_run(st, NULL);
	db_done(st);
	return e;
}
