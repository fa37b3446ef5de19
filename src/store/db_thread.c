/*
 * One connection per server thread, opened on first use and closed by a
 * pthread key destructor when the thread exits.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/db.h"
#include "util/log.h"
#include "util/xalloc.h"

static pthread_key_t key;
static char *thread_uri;

static void
close_conn(void *p)
{
	db_close(p);
}

enum err
db_thread_setup(const char *uri)
{
	if (pthread_key_create(&key, close_conn) != 0)
		return ERR_INTERNAL;
	thread_uri = xstrdup(uri);
	return ERR_OK;
}

struct db *
db_thread(void)
{
	struct db *db = pthread_getspecific(key);

	if (db != NULL)
		return db;
	if (db_open(thread_uri, 0, &db) != ERR_OK) {
		log_error("db: cannot open a connection for this thread");
		return NULL;
	}
	pthread_setspecific(key, db);
	return db;
}

void
db_thread_teardown(void)
{
	struct db *db = pthread_getspecific(key);

	if (db != NULL) {
		pthread_setspecific(key, NULL);
		db_close(db);
	}
	pthread_key_delete(key);
	free(thread_uri);
	thread_uri = NULL;
}
