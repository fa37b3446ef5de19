#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/xalloc.h"

#define INTERN_SLOTS	4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *slots[INTERN_SLOTS];

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

const char *
db_intern(const char *sql)
{
	unsigned h = hash(sql), i;
	const char *r = NULL;

	pthread_mutex_lock(&lock);
	for (i = 0; i < INTERN_SLOTS; i++) {
		char **s = &slots[(h + i) % INTERN_SLOTS];

		if (*s == NULL) {
			*s = xstrdup(sql);
			r = *s;
			break;
		}
		if (strcmp(*s, sql) == 0) {
			r = *s;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
	if (r == NULL)
		abort();	/* more shapes than any caller builds: a bug */
	return r;
}

void
db_intern_free(void)
{
	unsigned i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < INTERN_SLOTS; i++) {
		free(slots[i]);
		slots[i] = NULL;
	}
	pthread_mutex_unlock(&lock);
}
