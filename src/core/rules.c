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

static void
free_statements(struct statement *s, int n)
{
	int i;

	for (i = 0; s != NULL && i < n; i++) {
		free(s[i].code);
		free(s[i].label);
		free(s[i].rule);
		free(s[i].unless);
	}
	free(s);
}

static void
free_plan_rules(struct plan_rule *p, int n)
{
	int i, j;

	for (i = 0; p != NULL && i < n; i++) {
		free(p[i].kind);
		for (j = 0; j < p[i].nsigners; j++) {
			free(p[i].signers[j].role);
			free(p[i].signers[j].label);
		}
		free(p[i].signers);
		for (j = 0; j < p[i].nsign_requires; j++)
			free(p[i].sign_requires[j]);
		free(p[i].sign_requires);
		free(p[i].rule);
	}
	free(p);
}

void
pad_rules_clear(struct pad_rules *p)
{
	free(p->state);
	free(p->title);
	free(p->statute);
	free(p->valid_rule);
	free(p->principal_rule);
	free(p->witness_rule);
	free_statements(p->witness_attest, p->nwitness_attest);
	free_statements(p->witness_disq, p->nwitness_disq);
	free(p->acceptance_rule);
	free_statements(p->agent_disq, p->nagent_disq);
	free_statements(p->agent_exempt, p->nagent_exempt);
	free(p->invocation_rule);
	free_list(p->invocation_bases, p->ninvocation_bases);
	free(p->revocation_rule);
	free(p->incapable_rule);
	memset(p, 0, sizeof *p);
}

void
safety_rules_clear(struct safety_rules *s)
{
	free(s->version);
	free(s->rule);
	memset(s, 0, sizeof *s);
}

void
resource_rules_clear(struct resource_rules *r)
{
	int i;

	free(r->version);
	for (i = 0; i < r->ntaxonomies; i++) {
		free(r->taxonomies[i].group);
		free(r->taxonomies[i].id);
		free(r->taxonomies[i].name);
		free(r->taxonomies[i].description);
		free(r->taxonomies[i].uri);
		free(r->taxonomies[i].version);
	}
	free(r->taxonomies);
	for (i = 0; i < r->ncategories; i++) {
		free(r->categories[i].code);
		free(r->categories[i].label);
		free(r->categories[i].group);
		free(r->categories[i].term_id);
	}
	free(r->categories);
	free(r->referral_rule);
	free(r->outreach_rule);
	for (i = 0; i < r->nstay_kinds; i++) {
		free(r->stay_kinds[i].code);
		free(r->stay_kinds[i].label);
	}
	free(r->stay_kinds);
	memset(r, 0, sizeof *r);
}

const struct resource_category *
resource_category_find(const struct resource_rules *r, const char *code)
{
	int i;

	for (i = 0; code != NULL && i < r->ncategories; i++)
		if (strcmp(r->categories[i].code, code) == 0)
			return &r->categories[i];
	return NULL;
}

void
plan_rules_clear(struct rules *r)
{
	free(r->plans_version);
	free_plan_rules(r->plan_rules, r->nplan_rules);
	r->plans_version = NULL;
	r->plan_rules = NULL;
	r->nplan_rules = 0;
}

const struct plan_rule *
rules_plan(const struct rules *r, const char *kind)
{
	int i;

	for (i = 0; kind != NULL && i < r->nplan_rules; i++)
		if (strcmp(r->plan_rules[i].kind, kind) == 0)
			return &r->plan_rules[i];
	return NULL;
}

void
rules_free(struct rules *r)
{
	if (r == NULL)
		return;
	plan_rules_clear(r);
	note_rules_clear(&r->notes);
	billing_rules_clear(&r->billing);
	safety_rules_clear(&r->safety);
	resource_rules_clear(&r->resources);
	group_rules_clear(&r->groups);
	consent_rules_clear(&r->consents);
	free(r->pad_version);
	pad_rules_clear(&r->pad);
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
