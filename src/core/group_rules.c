#include <stdlib.h>
#include <string.h>

#include "core/group_rules.h"

const struct group_curriculum *
group_curriculum_find(const struct group_rules *g, const char *code)
{
	int i;

	for (i = 0; g != NULL && code != NULL && i < g->ncurricula; i++)
		if (strcmp(g->curricula[i].code, code) == 0)
			return &g->curricula[i];
	return NULL;
}

const struct group_topic *
group_topic_find(const struct group_curriculum *c, const char *code)
{
	int i;

	for (i = 0; c != NULL && code != NULL && i < c->ntopics; i++)
		if (strcmp(c->topics[i].code, code) == 0)
			return &c->topics[i];
	return NULL;
}

static void
curriculum_free(struct group_curriculum *c)
{
	int i;

	free(c->code);
	free(c->label);
	free(c->description);
	free(c->facilitation);
	free(c->source);
	for (i = 0; c->topics != NULL && i < c->ntopics; i++) {
		free(c->topics[i].code);
		free(c->topics[i].label);
	}
	free(c->topics);
}

void
group_rules_clear(struct group_rules *g)
{
	int i;

	if (g == NULL)
		return;
	for (i = 0; g->curricula != NULL && i < g->ncurricula; i++)
		curriculum_free(&g->curricula[i]);
	free(g->curricula);
	free(g->version);
	memset(g, 0, sizeof *g);
}
