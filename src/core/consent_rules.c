/*
 * The consents rule set in core (data/consents.json): the kinds of consent,
 * the elements each must hold and the notices that go with a disclosure.
 * interop/consents_json.c fills struct consent_rules; this file finds in
 * it and frees it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"

const char *const consent_element_codes[CE__COUNT] = {
	[CE_PERSON_NAME] = "person_name",
	[CE_DISCLOSERS] = "disclosers",
	[CE_RECIPIENTS] = "recipients",
	[CE_INFORMATION] = "information",
	[CE_CATEGORIES] = "categories",
	[CE_PURPOSES] = "purposes",
	[CE_REVOCATION_STATEMENT] = "revocation_statement",
	[CE_EXPIRY] = "expiry",
	[CE_SIGNER_NAME] = "signer_name",
	[CE_SIGNER_AUTHORITY] = "signer_authority",
	[CE_SIGNED_ON] = "signed_on",
	[CE_CONDITIONING_STATEMENT] = "conditioning_statement",
	[CE_REDISCLOSURE_STATEMENT] = "redisclosure_statement",
};

const struct consent_kind *
consent_kind_find(const struct consent_rules *c, const char *code)
{
	int i;

	for (i = 0; c != NULL && code != NULL && i < c->nkinds; i++)
		if (strcmp(c->kinds[i].code, code) == 0)
			return &c->kinds[i];
	return NULL;
}

const struct consent_notice *
consent_notice_find(const struct consent_rules *c, const char *code)
{
	int i;

	for (i = 0; c != NULL && code != NULL && i < c->nnotices; i++)
		if (strcmp(c->notices[i].code, code) == 0)
			return &c->notices[i];
	return NULL;
}

static void
list_free(struct code_label *l, int n)
{
	int i;

	for (i = 0; l != NULL && i < n; i++) {
		free(l[i].code);
		free(l[i].label);
	}
	free(l);
}

static void
codes_free(char **v, int n)
{
	int i;

	for (i = 0; v != NULL && i < n; i++)
		free(v[i]);
	free(v);
}

static void
kind_free(struct consent_kind *k)
{
	free(k->code);
	free(k->label);
	free(k->rule);
	codes_free(k->expiry_events, k->nexpiry_events);
	codes_free(k->purposes_within, k->npurposes_within);
}

void
consent_rules_clear(struct consent_rules *c)
{
	int i;

	if (c == NULL)
		return;
	free(c->version);
	for (i = 0; i < CE__COUNT; i++)
		free(c->element_labels[i]);
	list_free(c->categories, c->ncategories);
	list_free(c->purposes, c->npurposes);
	list_free(c->authorities, c->nauthorities);
	list_free(c->expiry_events, c->nexpiry_events);
	list_free(c->revocation_methods, c->nrevocation_methods);
	for (i = 0; c->kinds != NULL && i < c->nkinds; i++)
		kind_free(&c->kinds[i]);
	free(c->kinds);
	for (i = 0; c->notices != NULL && i < c->nnotices; i++) {
		free(c->notices[i].code);
		free(c->notices[i].version);
		free(c->notices[i].rule);
		free(c->notices[i].text);
	}
	free(c->notices);
	free(c->accounting_rule);
	memset(c, 0, sizeof *c);
}
