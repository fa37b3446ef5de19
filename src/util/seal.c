/*
 * Sealing of free text at rest: the key file, the keyring and the stored
 * form (see util/seal.h). Keys live in memory only here, and are wiped
 * when a ring is freed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/seal.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define KEY_BYTES	crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define NONCE_BYTES	crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_BYTES	crypto_aead_xchacha20poly1305_ietf_ABYTES
#define KEY_B64_LEN	44	/* base64 of 32 bytes, with its padding */
#define CHECK_MS	1000	/* how often the key file is looked at */

struct seal_key {
	char		id[SEAL_ID_LEN + 1];
	char		created[32];
	unsigned char	key[KEY_BYTES];
};

struct seal_ring {
	struct seal_key	*keys;		/* oldest first; the last is current */
	int		 n;
	int		 refs;		/* the process's rings: holders */
};

void
seal_ring_free(struct seal_ring *r)
{
	if (r == NULL)
		return;
	if (r->keys != NULL) {
		sodium_memzero(r->keys, (size_t)r->n * sizeof *r->keys);
		free(r->keys);
	}
	free(r);
}

int
seal_ring_count(const struct seal_ring *r)
{
	return r ? r->n : 0;
}

void
seal_ring_key(const struct seal_ring *r, int i, struct seal_key_info *out)
{
	memset(out, 0, sizeof *out);
	if (r == NULL || i < 0 || i >= r->n)
		return;
	memcpy(out->id, r->keys[i].id, sizeof out->id);
	memcpy(out->created, r->keys[i].created, sizeof out->created);
}

static int
is_hex_id(const char *s, size_t n)
{
	size_t i;

	if (n != SEAL_ID_LEN)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static const struct seal_key *
find_key(const struct seal_ring *r, const char *id)
{
	int i;

	for (i = 0; r != NULL && i < r->n; i++)
		if (memcmp(r->keys[i].id, id, SEAL_ID_LEN) == 0)
			return &r->keys[i];
	return NULL;
}

/* Splits the next field off [*p, end) at spaces or tabs. */
static int
field(const char **p, const char *end, const char **f, size_t *n)
{
	const char *s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*f = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*n = (size_t)(s - *f);
	*p = s;
	return *n > 0;
}

/* Parses one key line [s, end) into k; 0 when it is not one. */
static int
parse_line(const char *s, const char *end, struct seal_key *k)
{
	const char *f, *b64end;
	char created[32];
	size_t n, got = 0;
	int64_t ms;

	memset(k, 0, sizeof *k);
	if (!field(&s, end, &f, &n) || !is_hex_id(f, n))
		return 0;
	memcpy(k->id, f, SEAL_ID_LEN);
	if (!field(&s, end, &f, &n) || n != KEY_B64_LEN)
		return 0;
	if (sodium_base642bin(k->key, sizeof k->key, f, n, NULL, &got,
	    &b64end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    got != KEY_BYTES || b64end != f + n)
		goto bad;
	if (!field(&s, end, &f, &n) || n >= sizeof created)
		goto bad;
	memcpy(created, f, n);
	created[n] = '\0';
	if (time_parse_utc(created, &ms) != ERR_OK)
		goto bad;
	memcpy(k->created, created, n + 1);
	/* Nothing may follow but white space. */
	if (field(&s, end, &f, &n))
		goto bad;
	return 1;
bad:
	sodium_memzero(k, sizeof *k);
	return 0;
}

enum err
seal_ring_parse(const char *text, size_t len, struct seal_ring **out,
    int *line)
{
	struct seal_ring *r;
	const char *p = text, *end = text + len, *nl, *e;
	int ln = 0, i, cap = 0;

	*out = NULL;
	if (line)
		*line = 0;
	if (len > SEAL_FILE_MAX)
		return ERR_TOO_LARGE;
	r = xcalloc(1, sizeof *r);
	while (p < end) {
		struct seal_key k;

		ln++;
		nl = memchr(p, '\n', (size_t)(end - p));
		e = nl ? nl : end;
		if (e > p && e[-1] == '\r')
			e--;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p == e || *p == '#')
			goto next;
		if (memchr(p, '\0', (size_t)(e - p)) != NULL)
			goto bad;
		if (r->n == SEAL_MAX_KEYS || !parse_line(p, e, &k))
			goto bad;
		for (i = 0; i < r->n; i++)
			if (memcmp(r->keys[i].id, k.id, SEAL_ID_LEN) == 0)
				break;
		if (i < r->n) {
			sodium_memzero(&k, sizeof k);
			goto bad;	/* two keys with one id */
		}
		if (r->n == cap) {
			struct seal_key *grown;

			/* Grown by hand so no copy of a key is left behind
			 * in memory given back. */
			cap = cap ? cap * 2 : 4;
			grown = xcalloc((size_t)cap, sizeof *grown);
			if (r->n > 0) {
				memcpy(grown, r->keys,
				    (size_t)r->n * sizeof *grown);
				sodium_memzero(r->keys,
				    (size_t)r->n * sizeof *grown);
			}
			free(r->keys);
			r->keys = grown;
		}
		r->keys[r->n++] = k;
		sodium_memzero(&k, sizeof k);
next:
		p = nl ? nl + 1 : end;
	}
	if (r->n == 0) {
		seal_ring_free(r);
		return ERR_INVALID;
	}
	*out = r;
	return ERR_OK;
bad:
	if (line)
		*line = ln;
	seal_ring_free(r);
	return ERR_INVALID;
}

int
seal_key_of(const char *stored, char id[SEAL_ID_LEN + 1])
{
	if (stored == NULL || strncmp(stored, SEAL_PREFIX, 5) != 0 ||
	    strlen(stored) < SEAL_TAG_LEN || stored[SEAL_TAG_LEN - 1] != ':' ||
	    !is_hex_id(stored + 5, SEAL_ID_LEN))
		return 0;
	if (id != NULL) {
		memcpy(id, stored + 5, SEAL_ID_LEN);
		id[SEAL_ID_LEN] = '\0';
	}
	return 1;
}

enum err
seal_ring_seal(const struct seal_ring *r, const char *ad, const char *plain,
    char **out)
{
	const struct seal_key *k;
	unsigned char *box;
	unsigned long long clen;
	size_t plen, blen, b64;
	char *s;

	*out = NULL;
	if (r == NULL || r->n == 0 || plain == NULL || ad == NULL)
		return ERR_INTERNAL;
	k = &r->keys[r->n - 1];
	plen = strlen(plain);
	if (plen > (size_t)1 << 30)
		return ERR_TOO_LARGE;
	blen = NONCE_BYTES + plen + TAG_BYTES;
	box = xmalloc(blen);
	randombytes_buf(box, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE_BYTES, &clen,
	    (const unsigned char *)plain, plen, (const unsigned char *)ad,
	    strlen(ad), NULL, box, k->key);
	b64 = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	s = xmalloc(SEAL_TAG_LEN + b64);
	memcpy(s, SEAL_PREFIX, 5);
	memcpy(s + 5, k->id, SEAL_ID_LEN);
	s[SEAL_TAG_LEN - 1] = ':';
	sodium_bin2base64(s + SEAL_TAG_LEN, b64, box, blen,
	    sodium_base64_VARIANT_ORIGINAL);
	free(box);
	*out = s;
	return ERR_OK;
}

enum err
seal_ring_open(const struct seal_ring *r, const char *ad, const char *stored,
    char **out, const char **why)
{
	const struct seal_key *k;
	const char *b64, *b64end;
	unsigned char *box = NULL;
	unsigned long long plen;
	size_t n, blen = 0;
	char id[SEAL_ID_LEN + 1], *plain;

	*out = NULL;
	if (why)
		*why = "not a sealed value";
	if (!seal_key_of(stored, id) || ad == NULL)
		return ERR_INVALID;
	if ((k = find_key(r, id)) == NULL) {
		if (why)
			*why = "its key is not in the key file";
		return ERR_NOT_FOUND;
	}
	b64 = stored + SEAL_TAG_LEN;
	n = strlen(b64);
	box = xmalloc(n / 4 * 3 + 3);
	if (sodium_base642bin(box, n / 4 * 3 + 3, b64, n, NULL, &blen,
	    &b64end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    b64end != b64 + n || blen < NONCE_BYTES + TAG_BYTES) {
		free(box);
		if (why)
			*why = "its stored form is damaged";
		return ERR_INVALID;
	}
	plain = xmalloc(blen - NONCE_BYTES - TAG_BYTES + 1);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
	    (unsigned char *)plain, &plen, NULL, box + NONCE_BYTES,
	    blen - NONCE_BYTES, (const unsigned char *)ad, strlen(ad), box,
	    k->key) != 0) {
		free(plain);
		free(box);
		if (why)
			*why = "it does not authenticate (changed, or sealed "
			    "for another column)";
		return ERR_INVALID;
	}
	free(box);
	plain[plen] = '\0';
	*out = plain;
	return ERR_OK;
}

/* ---- key files ---------------------------------------------------- */

/* Reads the whole of fd (a key file, so at most SEAL_FILE_MAX bytes). */
static enum err
read_all(int fd, struct buf *b)
{
	char chunk[4096];
	ssize_t got;
	enum err e = ERR_OK;

	for (;;) {
		got = read(fd, chunk, sizeof chunk);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			e = ERR_IO;
		else if (got > 0 && buf_append(b, chunk, (size_t)got) != ERR_OK)
			e = ERR_TOO_LARGE;
		if (got <= 0 || e != ERR_OK)
			break;
	}
	sodium_memzero(chunk, sizeof chunk);
	return e;
}

static enum err
write_all(int fd, const char *p, size_t n)
{
	ssize_t put;

	while (n > 0) {
		put = write(fd, p, n);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return ERR_IO;
		p += put;
		n -= (size_t)put;
	}
	return ERR_OK;
}

/* Checks what fstat says of an open key file. */
static enum err
check_mode(const char *path, const struct stat *sb, char *why, size_t n)
{
	if (!S_ISREG(sb->st_mode)) {
		snprintf(why, n, "the key file %s is not a regular file", path);
		return ERR_INVALID;
	}
	if (sb->st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(why, n, "the key file %s may be read or written by "
		    "others than its owner (mode %04o); run chmod 600 %s",
		    path, (unsigned)(sb->st_mode & 07777), path);
		return ERR_FORBIDDEN;
	}
	return ERR_OK;
}

/* Reads an open key file whole into b (made secret); sb gets what fstat
 * said of it. */
static enum err
read_raw(int fd, const char *path, struct stat *sb, struct buf *b, char *why,
    size_t n)
{
	enum err e;

	buf_init(b, SEAL_FILE_MAX);
	buf_secret(b);
	/* No strerror() here: a running server reloads through this. */
	if (fstat(fd, sb) != 0) {
		snprintf(why, n, "cannot look at the key file %s", path);
		return ERR_IO;
	}
	if ((e = check_mode(path, sb, why, n)) != ERR_OK)
		return e;
	if ((e = read_all(fd, b)) != ERR_OK)
		snprintf(why, n, e == ERR_TOO_LARGE ? "the key file %s is too "
		    "large to be one" : "cannot read the key file %s", path);
	return e;
}

static enum err
parse_raw(const char *path, struct buf *b, struct seal_ring **out, char *why,
    size_t n)
{
	enum err e;
	int line;

	e = seal_ring_parse(b->data ? b->data : "", b->len, out, &line);
	if (e != ERR_OK && line > 0)
		snprintf(why, n, "the key file %s: line %d is not a key "
		    "(key id, base64 key, time created)", path, line);
	else if (e != ERR_OK)
		snprintf(why, n, "the key file %s holds no key", path);
	return e;
}

/* Reads and parses an open key file; sb gets what fstat said. */
static enum err
read_ring(int fd, const char *path, struct seal_ring **out, struct stat *sb,
    char *why, size_t n)
{
	struct buf b;
	enum err e;

	if ((e = read_raw(fd, path, sb, &b, why, n)) == ERR_OK)
		e = parse_raw(path, &b, out, why, n);
	buf_free(&b);
	return e;
}

enum err
seal_file_read(const char *path, struct seal_ring **out, char *why, size_t n)
{
	struct stat sb;
	enum err e;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(why, n, "cannot open the key file %s: %s", path,
		    strerror(errno));
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	}
	e = read_ring(fd, path, out, &sb, why, n);
	close(fd);
	return e;
}

/* Flushes the directory holding path, so a new name in it lasts. */
static void
sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_CLOEXEC)) >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Appends one new key's line, with an id r does not hold, to b. */
static enum err
new_key_line(const struct seal_ring *r, struct buf *b,
    char id[SEAL_ID_LEN + 1])
{
	unsigned char key[KEY_BYTES], raw[SEAL_ID_LEN / 2];
	char b64[KEY_B64_LEN + 1], created[25];
	enum err e;

	do {
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(id, SEAL_ID_LEN + 1, raw, sizeof raw);
	} while (find_key(r, id) != NULL);
	randombytes_buf(key, sizeof key);
	sodium_bin2base64(b64, sizeof b64, key, sizeof key,
	    sodium_base64_VARIANT_ORIGINAL);
	time_format_utc(time_now_ms(), created);
	/* Whole seconds: "YYYY-MM-DDTHH:MM:SSZ". */
	created[19] = 'Z';
	created[20] = '\0';
	e = buf_printf(b, "%s %s %s\n", id, b64, created);
	sodium_memzero(key, sizeof key);
	sodium_memzero(b64, sizeof b64);
	return e;
}

enum err
seal_file_create(const char *path, char *why, size_t n)
{
	struct buf b;
	char id[SEAL_ID_LEN + 1];
	enum err e = ERR_OK;
	int fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    S_IRUSR | S_IWUSR)) < 0) {
		snprintf(why, n, "cannot create the key file %s: %s", path,
		    strerror(errno));
		return errno == EEXIST ? ERR_CONFLICT : ERR_IO;
	}
	buf_init(&b, 4096);
	buf_secret(&b);
	buf_puts(&b, "# Alongside key file: keep it apart from the database "
	    "and its backups.\n# One key a line (id, key, created); the last "
	    "is current. Never remove a line.\n");
	if (new_key_line(NULL, &b, id) != ERR_OK)
		abort();	/* one line in 4 KiB */
	/* The umask could have taken bits away but never adds any; say
	 * 0600 outright all the same. */
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
	    write_all(fd, b.data, b.len) != ERR_OK || fsync(fd) != 0) {
		snprintf(why, n, "cannot write the key file %s: %s", path,
		    strerror(errno));
		e = ERR_IO;
	}
	buf_free(&b);
	if (close(fd) != 0 && e == ERR_OK) {
		snprintf(why, n, "cannot write the key file %s", path);
		e = ERR_IO;
	}
	if (e != ERR_OK) {
		unlink(path);
		return e;
	}
	sync_dir(path);
	return ERR_OK;
}

/*
 * Opens path and takes the lock that rotations queue on, making sure the
 * file locked is still the one at path (a rotation before us renamed a
 * new file over it). Returns the descriptor, or -1.
 */
static int
lock_file(const char *path, char *why, size_t n)
{
	struct flock fl;
	struct stat a, b;
	int fd, tries;

	for (tries = 0; tries < 20; tries++) {
		if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0) {
			snprintf(why, n, "cannot open the key file %s: %s",
			    path, strerror(errno));
			return -1;
		}
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLKW, &fl) != 0) {
			snprintf(why, n, "cannot lock the key file %s: %s",
			    path, strerror(errno));
			close(fd);
			return -1;
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	snprintf(why, n, "the key file %s keeps changing", path);
	return -1;
}

enum err
seal_file_add_key(const char *path, char id[SEAL_ID_LEN + 1], char *why,
    size_t n)
{
	struct seal_ring *r = NULL;
	struct stat sb;
	struct buf b;
	char *tmp = NULL;
	enum err e;
	int fd, out = -1;

	if ((fd = lock_file(path, why, n)) < 0)
		return ERR_IO;
	/* The file as it is, then the new key. */
	if ((e = read_raw(fd, path, &sb, &b, why, n)) != ERR_OK ||
	    (e = parse_raw(path, &b, &r, why, n)) != ERR_OK)
		goto out;
	if (seal_ring_count(r) >= SEAL_MAX_KEYS ||
	    (b.len > 0 && b.data[b.len - 1] != '\n' &&
	    buf_putc(&b, '\n') != ERR_OK) ||
	    new_key_line(r, &b, id) != ERR_OK) {
		snprintf(why, n, "the key file %s holds as many keys as it "
		    "may", path);
		e = ERR_TOO_LARGE;
		goto out;
	}
	tmp = xmalloc(strlen(path) + 8);
	snprintf(tmp, strlen(path) + 8, "%s.XXXXXX", path);
	if ((out = mkstemp(tmp)) < 0) {
		snprintf(why, n, "cannot create a file beside the key file "
		    "%s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		e = ERR_IO;
		goto out;
	}
	if (fchmod(out, S_IRUSR | S_IWUSR) != 0 ||
	    write_all(out, b.data, b.len) != ERR_OK || fsync(out) != 0)
		e = ERR_IO;
	if (close(out) != 0)
		e = ERR_IO;
	out = -1;
	if (e != ERR_OK) {
		snprintf(why, n, "cannot write beside the key file %s", path);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		snprintf(why, n, "cannot put the new key file in place at %s: "
		    "%s", path, strerror(errno));
		e = ERR_IO;
		goto out;
	}
	free(tmp);
	tmp = NULL;
	sync_dir(path);
	e = ERR_OK;
out:
	if (out >= 0)
		close(out);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	buf_free(&b);
	seal_ring_free(r);
	close(fd);	/* and with it the lock */
	return e;
}

/* ---- the process's keyring ---------------------------------------- */

/*
 * The current ring is shared by reference: a thread holds it for one
 * seal or open (ring_hold(), ring_drop()), and a reload puts a new one in
 * its place. The mutex guards only the pointer and the counts, so a
 * reload never waits behind a stream of readers, and a ring is wiped and
 * freed when the last thread using it lets go.
 */
static pthread_mutex_t ring_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t check_mu = PTHREAD_MUTEX_INITIALIZER;
static struct seal_ring *ring;		/* ring_mu; holds one reference */
static char *ring_path;			/* set before threads, then read */
static struct stat ring_stat;		/* of the file loaded; check_mu */
static int64_t checked_at;		/* monotonic ms; check_mu */

static struct seal_ring *
ring_hold(void)
{
	struct seal_ring *r;

	pthread_mutex_lock(&ring_mu);
	if ((r = ring) != NULL)
		r->refs++;
	pthread_mutex_unlock(&ring_mu);
	return r;
}

static void
ring_drop(struct seal_ring *r)
{
	int last;

	if (r == NULL)
		return;
	pthread_mutex_lock(&ring_mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&ring_mu);
	if (last)
		seal_ring_free(r);
}

/* Makes fresh (may be NULL) the current ring. */
static void
ring_set(struct seal_ring *fresh)
{
	struct seal_ring *old;

	if (fresh != NULL)
		fresh->refs = 1;
	pthread_mutex_lock(&ring_mu);
	old = ring;
	ring = fresh;
	pthread_mutex_unlock(&ring_mu);
	ring_drop(old);
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* 1 when every key of old is in fresh (rotations only ever add keys). */
static int
keeps_all(const struct seal_ring *fresh, const struct seal_ring *old)
{
	int i;

	for (i = 0; old != NULL && i < old->n; i++)
		if (find_key(fresh, old->keys[i].id) == NULL)
			return 0;
	return 1;
}

/*
 * Looks at the key file again when a second has passed since the last
 * look (or at once with now set) and takes it up when it changed. Threads
 * that find a look under way go on with the keys they have.
 */
static void
refresh(int now)
{
	struct seal_ring *fresh = NULL, *cur;
	struct stat sb, loaded;
	char why[512];
	int64_t t = time_mono_ms();
	int fd, keeps;

	if (ring_path == NULL)
		return;
	if (now)
		pthread_mutex_lock(&check_mu);
	else if (pthread_mutex_trylock(&check_mu) != 0)
		return;
	if (!now && t - checked_at < CHECK_MS) {
		pthread_mutex_unlock(&check_mu);
		return;
	}
	checked_at = t;
	if (stat(ring_path, &sb) != 0 || same_file(&sb, &ring_stat)) {
		pthread_mutex_unlock(&check_mu);
		return;
	}
	if ((fd = open(ring_path, O_RDONLY | O_CLOEXEC)) < 0 ||
	    read_ring(fd, ring_path, &fresh, &loaded, why, sizeof why) !=
	    ERR_OK) {
		if (fd < 0)
			snprintf(why, sizeof why, "cannot open the key file "
			    "%s", ring_path);
		log_warn("seal: %s; the keys loaded before stay in use", why);
		/* Not again until the file changes once more. */
		ring_stat = sb;
		goto out;
	}
	cur = ring_hold();
	keeps = keeps_all(fresh, cur);
	ring_drop(cur);
	ring_stat = loaded;
	if (!keeps) {
		log_warn("seal: the key file %s lacks a key loaded before; the "
		    "keys loaded before stay in use", ring_path);
		seal_ring_free(fresh);
		goto out;
	}
	log_info("seal: key file reloaded, current key %s",
	    fresh->keys[fresh->n - 1].id);
	ring_set(fresh);
out:
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&check_mu);
}

enum err
seal_load(const char *path, char *why, size_t n)
{
	struct seal_ring *r = NULL;
	struct stat sb;
	enum err e;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(why, n, "cannot open the key file %s: %s", path,
		    strerror(errno));
		return errno == ENOENT ? ERR_NOT_FOUND : ERR_IO;
	}
	e = read_ring(fd, path, &r, &sb, why, n);
	close(fd);
	if (e != ERR_OK)
		return e;
	seal_unload();
	ring_set(r);
	ring_path = xstrdup(path);
	ring_stat = sb;
	checked_at = time_mono_ms();
	return ERR_OK;
}

void
seal_unload(void)
{
	ring_set(NULL);
	free(ring_path);
	ring_path = NULL;
	memset(&ring_stat, 0, sizeof ring_stat);
}

int
seal_loaded(void)
{
	struct seal_ring *r = ring_hold();

	ring_drop(r);
	return r != NULL;
}

enum err
seal_current(char id[SEAL_ID_LEN + 1])
{
	struct seal_ring *r;

	refresh(0);
	if ((r = ring_hold()) == NULL)
		return ERR_INTERNAL;
	memcpy(id, r->keys[r->n - 1].id, SEAL_ID_LEN + 1);
	ring_drop(r);
	return ERR_OK;
}

enum err
seal_keys(struct seal_key_info **out, int *n)
{
	struct seal_ring *r;
	int i;

	*out = NULL;
	*n = 0;
	refresh(0);
	if ((r = ring_hold()) == NULL)
		return ERR_INTERNAL;
	*out = xcalloc((size_t)r->n, sizeof **out);
	for (i = 0; i < r->n; i++)
		seal_ring_key(r, i, &(*out)[i]);
	*n = r->n;
	ring_drop(r);
	return ERR_OK;
}

enum err
seal_text(const char *ad, const char *plain, char **out)
{
	struct seal_ring *r;
	enum err e;

	*out = NULL;
	refresh(0);
	if ((r = ring_hold()) == NULL)
		return ERR_INTERNAL;
	e = seal_ring_seal(r, ad, plain, out);
	ring_drop(r);
	return e;
}

enum err
seal_open(const char *ad, const char *stored, char **out, const char **why)
{
	struct seal_ring *r;
	enum err e = ERR_INTERNAL;
	int again;

	*out = NULL;
	for (again = 0; again < 2; again++) {
		/* A key id the ring lacks may be a rotation's new key:
		 * look at the file at once. */
		refresh(again);
		if ((r = ring_hold()) == NULL) {
			if (why)
				*why = "no key file is loaded";
			return ERR_INTERNAL;
		}
		e = seal_ring_open(r, ad, stored, out, why);
		ring_drop(r);
		if (e != ERR_NOT_FOUND)
			break;
	}
	return e;
}
