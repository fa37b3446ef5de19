/*
 * Server connections. SQLite wants one connection per thread (opened on
 * first use, closed by a pthread key destructor at thread exit).
 * PostgreSQL connections are dear on the server side, so a bounded pool
 * is shared by all threads; a request waits for one up to the busy
 * timeout.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "store/db.h"
#include "util/log.h"
#include "util/xalloc.h"

#define WAIT_MS		5000

static pthread_key_t key;
static char *pool_uri;
static int pg, pool_max, pool_open;
static struct db **idle;
static int nidle;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t freed = PTHREAD_COND_INITIALIZER;

static void
close_conn(void *p)
{
	db_close(p);
}

enum err
db_pool_setup(const char *uri, int max)
{
	pool_uri = xstrdup(uri);
	pg = db_uri_is_pg(uri);
	if (!pg)
		return pthread_key_create(&key, close_conn) == 0 ? ERR_OK :
		    ERR_INTERNAL;
	pool_max = max > 0 ? max : 1;
	idle = xcalloc((size_t)pool_max, sizeof *idle);
	return ERR_OK;
}

static struct db *
thread_conn(void)
{
	struct db *db = pthread_getspecific(key);

	if (db != NULL)
		return db;
	if (db_open(pool_uri, 0, &db) != ERR_OK) {
		log_error("db: cannot open a connection for this thread");
		return NULL;
	}
	pthread_setspecific(key, db);
	return db;
}

struct db *
db_acquire(void)
{
	struct timespec until;
	struct db *db = NULL;
	int rc = 0;

	if (!pg)
		return thread_conn();
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&lock);
	while (nidle == 0 && pool_open >= pool_max && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&freed, &lock, &until);
	if (nidle > 0) {
		db = idle[--nidle];
	} else if (pool_open < pool_max) {
		pool_open++;
		pthread_mutex_unlock(&lock);
		/* Connect outside the lock: it is a network round trip. */
		if (db_open(pool_uri, 0, &db) != ERR_OK) {
			log_error("db: cannot open a pooled connection");
			pthread_mutex_lock(&lock);
			pool_open--;
			pthread_cond_signal(&freed);
			pthread_mutex_unlock(&lock);
			return NULL;
		}
		return db;
	} else {
		log_warn("db: no pooled connection came free in %d ms",
		    WAIT_MS);
	}
	pthread_mutex_unlock(&lock);
	return db;
}

void
db_release(struct db *db)
{
	if (db == NULL || !pg)
		return;
	db_rollback(db);	/* a handler never leaves one open; be sure */
	pthread_mutex_lock(&lock);
	if (db_usable(db) && nidle < pool_max) {
		idle[nidle++] = db;
	} else {
		pool_open--;
		pthread_mutex_unlock(&lock);
		db_close(db);
		pthread_mutex_lock(&lock);
	}
	pthread_cond_signal(&freed);
	pthread_mutex_unlock(&lock);
}

void
db_pool_teardown(void)
{
	if (!pg) {
		struct db *db = pthread_getspecific(key);

		if (db != NULL) {
			pthread_setspecific(key, NULL);
			db_close(db);
		}
		pthread_key_delete(key);
	} else {
		pthread_mutex_lock(&lock);
		while (nidle > 0) {
			db_close(idle[--nidle]);
			pool_open--;
		}
		pthread_mutex_unlock(&lock);
		free(idle);
		idle = NULL;
	}
	free(pool_uri);
	pool_uri = NULL;
}
