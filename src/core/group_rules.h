#ifndef CORE_GROUP_RULES_H
#define CORE_GROUP_RULES_H

/*
 * The curricula a peer group may follow (data/groups.json): each has a
 * code, what it is, who may lead it and its source, and the topics a
 * session may take up. interop/groups_json.c parses the rule set into
 * these structs; a group names its curriculum by code.
 */

#define GROUP_TOPICS_MAX 40

struct group_topic {
	char	*code;
	char	*label;
};

struct group_curriculum {
	char			*code;		/* "wham", "open_topic", ... */
	char			*label;
	char			*description;
	char			*facilitation;	/* who may lead it, or NULL */
	char			*source;
	struct group_topic	*topics;
	int			 ntopics;
};

struct group_rules {
	char			*version;
	struct group_curriculum	*curricula;
	int			 ncurricula;
};

/* The curriculum with code, or NULL. Borrowed from g. */
const struct group_curriculum *group_curriculum_find(
    const struct group_rules *g, const char *code);

/* The topic of c with code, or NULL. Borrowed from c. */
const struct group_topic *group_topic_find(const struct group_curriculum *c,
    const char *code);

/* Frees what g holds and zeroes it; g itself is not freed. */
void group_rules_clear(struct group_rules *g);

#endif
