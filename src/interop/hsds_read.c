/*
 * Reading an HSDS package held in memory: tabular (CSV files) or JSON (a
 * list of dereferenced services) into checked, normalised rows of the
 * kept objects, collecting every rejected value. No database here: the
 * directory is consulted through hsds_resolve()'s callback only.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/resource.h"
#include "interop/hsds_intern.h"
#include "util/csv.h"
#include "util/parse.h"
#include "util/text.h"
#include "util/uuid.h"
#include "util/xalloc.h"


static uint64_t
hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* 1 when s was added, 0 when it was there. */
int
hsds_sset_add(struct sset *s, const char *k)
{
	size_t i;

	if (s->n * 2 >= s->cap) {
		struct sset g = { NULL, s->cap ? s->cap * 2 : 64, 0 };

		g.key = xcalloc(g.cap, sizeof *g.key);
		for (i = 0; i < s->cap; i++)
			if (s->key[i] != NULL) {
				size_t j = hash_str(s->key[i]) & (g.cap - 1);

				while (g.key[j] != NULL)
					j = (j + 1) & (g.cap - 1);
				g.key[j] = s->key[i];
				g.n++;
			}
		free(s->key);
		*s = g;
	}
	for (i = hash_str(k) & (s->cap - 1); s->key[i] != NULL;
	    i = (i + 1) & (s->cap - 1))
		if (strcmp(s->key[i], k) == 0)
			return 0;
	s->key[i] = xstrdup(k);
	s->n++;
	return 1;
}

static void
sset_free(struct sset *s)
{
	size_t i;

	for (i = 0; i < s->cap; i++)
		free(s->key[i]);
	free(s->key);
}

/* The row index of id in t, or -1. */
int
hsds_tab_find(const struct htab *t, const char *id)
{
	size_t i;

	if (t->nslot == 0 || id == NULL)
		return -1;
	for (i = hash_str(id) & (t->nslot - 1); t->slot[i] != 0;
	    i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->rows[t->slot[i] - 1].v[0], id) == 0)
			return t->slot[i] - 1;
	return -1;
}

void
hsds_tab_index(struct htab *t, int row)
{
	size_t i;

	if ((size_t)t->n * 2 >= t->nslot) {
		size_t cap = t->nslot ? t->nslot * 2 : 64;
		int r;

		free(t->slot);
		t->slot = xcalloc(cap, sizeof *t->slot);
		t->nslot = cap;
		for (r = 0; r < t->n; r++)
			if (r != row)
				hsds_tab_index(t, r);
	}
	for (i = hash_str(t->rows[row].v[0]) & (t->nslot - 1);
	    t->slot[i] != 0; i = (i + 1) & (t->nslot - 1))
		;
	t->slot[i] = row + 1;
}

/* Appends an empty row to object o's table (not yet indexed). */
struct hrow *
hsds_tab_add(struct hsds_package *p, enum hsds_obj o)
{
	struct htab *t = &p->t[o];
	struct hrow *r;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->rows = xreallocarray(t->rows, (size_t)t->cap,
		    sizeof *t->rows);
	}
	r = &t->rows[t->n++];
	r->v = xcalloc((size_t)hsds_objs[o].nf, sizeof *r->v);
	r->line = 0;
	r->path = NULL;
	return r;
}

static void
row_clear(struct hrow *r, int nf)
{
	int i;

	for (i = 0; i < nf; i++)
		free(r->v[i]);
	free(r->v);
	free(r->path);
}

/* Drops the last row of o's table (not indexed). */
void
hsds_tab_drop_last(struct hsds_package *p, enum hsds_obj o)
{
	struct htab *t = &p->t[o];

	row_clear(&t->rows[--t->n], hsds_objs[o].nf);
}

struct hsds_package *
hsds_package_new(void)
{
	return xcalloc(1, sizeof(struct hsds_package));
}

void
hsds_package_free(struct hsds_package *p)
{
	int o, i;

	if (p == NULL)
		return;
	for (o = 0; o < HO__COUNT; o++) {
		for (i = 0; i < p->t[o].n; i++)
			row_clear(&p->t[o].rows[i], hsds_objs[o].nf);
		free(p->t[o].rows);
		free(p->t[o].slot);
	}
	for (o = 0; o < HA__COUNT; o++)
		sset_free(&p->aside_ids[o]);
	for (i = 0; i < p->nrej; i++) {
		free(p->rej[i].file);
		free(p->rej[i].field);
		free(p->rej[i].reason);
	}
	free(p->rej);
	free(p->json_file);
	free(p);
}

void
hsds_reject_add(struct hsds_package *p, const char *file, int line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

void
hsds_reject_add(struct hsds_package *p, const char *file, int line, const char *field,
    const char *fmt, ...)
{
	struct hsds_reject *r;
	char why[200];
	va_list ap;

	p->total++;
	if (p->nrej >= HSDS_REJECT_MAX)
		return;
	if (p->nrej % 64 == 0)
		p->rej = xreallocarray(p->rej, (size_t)p->nrej + 64,
		    sizeof *p->rej);
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	r = &p->rej[p->nrej++];
	r->file = xstrdup(file);
	r->line = line;
	r->field = xstrdup(field ? field : "");
	r->reason = xstrdup(why);
}

const struct hsds_reject *
hsds_rejects(const struct hsds_package *p, int *n, int *total)
{
	*n = p->nrej;
	if (total)
		*total = p->total;
	return p->rej;
}

int
hsds_rows(const struct hsds_package *p, enum hsds_obj o)
{
	return p->t[o].n;
}

int64_t
hsds_aside_rows(const struct hsds_package *p, enum hsds_aside a)
{
	return p->aside[a];
}

const struct htab *
hsds_tab(const struct hsds_package *p, enum hsds_obj o)
{
	return &p->t[o];
}

const struct hrow *
hsds_find(const struct hsds_package *p, enum hsds_obj o, const char *id)
{
	int i = hsds_tab_find(&p->t[o], id);

	return i < 0 ? NULL : &p->t[o].rows[i];
}

/* Counts one more row; 0 (and the package rejected once) past the
 * limit. */
int
hsds_count_row(struct hsds_package *p, const char *file, int line)
{
	if (p->over)
		return 0;
	if (++p->rows > HSDS_ROWS_MAX) {
		p->over = 1;
		hsds_reject_add(p, file, line, "", "the package holds more than %d "
		    "rows; split it", HSDS_ROWS_MAX);
		return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- */
/* Values */

/* Degrees as a decimal ("-87.6298") to millionths, rounded half away
 * from zero. */
static int
e6_parse(const char *s, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int neg = 0, nd = 0, nf = 0, round_up = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; isdigit((unsigned char)*s); s++) {
		if (++nd > 4)
			return 0;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s); s++) {
			if (++nf > 30)
				return 0;
			if (nf <= 6)
				frac = frac * 10 + (*s - '0');
			else if (nf == 7)
				round_up = *s >= '5';
		}
		if (nf == 0)
			return 0;
	}
	if (*s != '\0' || nd == 0)
		return 0;
	for (; nf < 6; nf++)
		frac *= 10;
	*out = whole * 1000000 + frac + round_up;
	if (neg)
		*out = -*out;
	return 1;
}

/* A decimal number: optional sign, digits, optional fraction. */
static int
num_syntax(const char *s)
{
	int nd = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; isdigit((unsigned char)*s); s++)
		nd++;
	if (*s == '.') {
		int nf = 0;

		for (s++; isdigit((unsigned char)*s); s++)
			nf++;
		if (nf == 0)
			return 0;
		nd += nf;
	}
	return *s == '\0' && nd > 0 && nd <= 30;
}

static int
byday_valid(const char *s)
{
	static const char *const days[] = { "MO", "TU", "WE", "TH", "FR",
	    "SA", "SU" };
	int n = 0;
	size_t i;

	for (;;) {
		if (*s == '-' || *s == '+')
			s++;
		if (*s >= '1' && *s <= '5')
			s++;
		for (i = 0; i < 7; i++)
			if (strncmp(s, days[i], 2) == 0)
				break;
		if (i == 7 || ++n > 35)
			return 0;
		s += 2;
		if (*s == '\0')
			return 1;
		if (*s++ != ',')
			return 0;
	}
}

static int
intlist_valid(const char *s, int64_t min, int64_t max)
{
	char tok[16];
	int64_t v;
	int n = 0;

	for (;;) {
		size_t k = strcspn(s, ",");

		if (k == 0 || k >= sizeof tok || ++n > 400)
			return 0;
		memcpy(tok, s, k);
		tok[k] = '\0';
		if (parse_int64(tok, min, max, &v) != ERR_OK || v == 0)
			return 0;
		s += k;
		if (*s == '\0')
			return 1;
		s++;
	}
}

static int
two_digits(const char *s, int max)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    (s[0] - '0') * 10 + (s[1] - '0') <= max;
}

/* YYYY-MM-DD, or that with THH:MM[:SS[.fraction]] and Z or +HH:MM. */
static int
datetime_valid(const char *s)
{
	struct date d;
	char day[11];

	if (strlen(s) < 10)
		return 0;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d) != ERR_OK)
		return 0;
	s += 10;
	if (*s == '\0')
		return 1;
	if ((*s != 'T' && *s != 't' && *s != ' ') || !two_digits(s + 1, 23) ||
	    s[3] != ':' || !two_digits(s + 4, 59))
		return 0;
	s += 6;
	if (*s == ':') {
		if (!two_digits(s + 1, 60))
			return 0;
		s += 3;
		if (*s == '.') {
			int n = 0;

			for (s++; isdigit((unsigned char)*s); s++)
				if (++n > 9)
					return 0;
			if (n == 0)
				return 0;
		}
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	if (*s == '+' || *s == '-')
		return two_digits(s + 1, 23) && s[3] == ':' &&
		    two_digits(s + 4, 59) && s[6] == '\0';
	return *s == '\0';
}

static int
uri_valid(const char *s)
{
	const char *c;
	size_t k;

	for (c = s; *c; c++)
		if ((unsigned char)*c <= ' ')
			return 0;
	/* A scheme, if any, one a browser may follow safely. */
	k = strcspn(s, ":/?#");
	if (s[k] == ':') {
		if ((k == 4 && strncasecmp(s, "http", 4) == 0) ||
		    (k == 5 && strncasecmp(s, "https", 5) == 0) ||
		    (k == 6 && strncasecmp(s, "mailto", 6) == 0) ||
		    (k == 3 && strncasecmp(s, "tel", 3) == 0) ||
		    (k == 3 && strncasecmp(s, "ftp", 3) == 0) ||
		    (k == 3 && strncasecmp(s, "urn", 3) == 0))
			return 1;
		/* "host:port/path" is not a scheme. */
		return isdigit((unsigned char)s[k + 1]) &&
		    strchr(s, '.') != NULL && strchr(s, '.') < s + k;
	}
	return 1;
}

static int
email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *c;

	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (c = s; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' ||
		    *c == '"' || *c == ',')
			return 0;
	return 1;
}

static int
text_ok(const char *s, size_t max, int multiline, const char **why)
{
	if (!utf8_valid(s, strlen(s))) {
		*why = "is not valid UTF-8";
		return 0;
	}
	if (text_has_control(s, multiline)) {
		*why = multiline ? "holds a control character" :
		    "holds a line break or control character";
		return 0;
	}
	if (utf8_chars(s) > max) {
		*why = max == HSDS_NAME_MAX ? "is longer than 300 characters" :
		    max == HSDS_URI_MAX ? "is longer than 2000 characters" :
		    max == HSDS_LONG_MAX ? "is longer than 4000 characters" :
		    "is longer than 300 characters";
		return 0;
	}
	return 1;
}

/*
 * Checks the text value s of field f: *out gets the kept value (a new
 * string; NULL for an empty one). 0 with *why on a bad value.
 */
int
hsds_value_check(const struct hfield *f, const char *s, char **out,
    const char **why)
{
	char buf[32];
	int64_t v;
	int i;

	*out = NULL;
	if (f->kind == K_SKIP || s == NULL || *s == '\0')
		return 1;
	if (!utf8_valid(s, strlen(s))) {
		*why = "is not valid UTF-8";
		return 0;
	}
	switch (f->kind) {
	case K_ID:
	case K_REF:
	case K_SOFT:
	case K_LINK: {
		char id[37];
		size_t n = strlen(s);

		if (n != 36) {
			*why = "is not a UUID";
			return 0;
		}
		for (i = 0; i < 36; i++)
			id[i] = (char)tolower((unsigned char)s[i]);
		id[36] = '\0';
		/* uuid_valid() is for ids we make; any version is welcome. */
		for (i = 0; i < 36; i++)
			if ((i == 8 || i == 13 || i == 18 || i == 23) ?
			    id[i] != '-' : !isxdigit((unsigned char)id[i])) {
				*why = "is not a UUID";
				return 0;
			}
		*out = xstrdup(id);
		return 1;
	}
	case K_NAME:
		if (!text_ok(s, HSDS_NAME_MAX, 0, why))
			return 0;
		break;
	case K_SHORT:
		if (!text_ok(s, HSDS_SHORT_MAX, 0, why))
			return 0;
		break;
	case K_LONG:
		if (!text_ok(s, HSDS_LONG_MAX, 1, why))
			return 0;
		break;
	case K_URI:
		if (!text_ok(s, HSDS_URI_MAX, 0, why))
			return 0;
		if (!uri_valid(s)) {
			*why = "is not a web address (http or https) or a URN";
			return 0;
		}
		break;
	case K_EMAIL:
		if (!text_ok(s, HSDS_SHORT_MAX, 0, why))
			return 0;
		if (!email_valid(s)) {
			*why = "is not an email address";
			return 0;
		}
		break;
	case K_ENUM:
		for (i = 0; f->enums[i] != NULL; i++)
			if (strcmp(f->enums[i], s) == 0)
				break;
		if (f->enums[i] == NULL) {
			*why = f->enums[0][0] == 'a' ? "is not one of active, "
			    "inactive, defunct, temporarily closed" :
			    f->enums[0][0] == 'p' ? "is not one of physical, "
			    "postal, virtual" : f->enums[0][0] == 'W' ?
			    "is not one of WEEKLY, MONTHLY" :
			    "is not a day (MO to SU)";
			return 0;
		}
		break;
	case K_INT:
		if (parse_int64(s, f->min, f->max, &v) != ERR_OK) {
			*why = f->max == 150 ? "is not a whole number from 0 "
			    "to 150" : f->max == 9999 ? "is not a year" :
			    "is not a whole number in range";
			return 0;
		}
		snprintf(buf, sizeof buf, "%lld", (long long)v);
		*out = xstrdup(buf);
		return 1;
	case K_COORD:
		if (!e6_parse(s, &v) || v < f->min || v > f->max) {
			*why = f->max == 90000000 ? "is not a latitude from -90 "
			    "to 90" : "is not a longitude from -180 to 180";
			return 0;
		}
		snprintf(buf, sizeof buf, "%lld", (long long)v);
		*out = xstrdup(buf);
		return 1;
	case K_NUM: {
		double d;

		if (!num_syntax(s) || (d = strtod(s, NULL), d < (double)f->min)
		    || d > (double)f->max) {
			*why = f->min < 0 ? "is not a UTC offset from -14 to 14" :
			    "is not a number of 0 or more";
			return 0;
		}
		break;
	}
	case K_DATE: {
		struct date d;

		if (date_parse(s, &d) != ERR_OK) {
			*why = "is not a date (YYYY-MM-DD)";
			return 0;
		}
		break;
	}
	case K_TIME:
		if (!resource_time_valid(s)) {
			*why = "is not a time (HH:MM or HH:MM:SS)";
			return 0;
		}
		break;
	case K_DATETIME:
		if (!datetime_valid(s)) {
			*why = "is not a date and time (RFC 3339)";
			return 0;
		}
		break;
	case K_BYDAY:
		if (!byday_valid(s)) {
			*why = "is not a list of days (MO,TU,...)";
			return 0;
		}
		break;
	case K_INTLIST:
		if (!intlist_valid(s, f->min, f->max)) {
			*why = "is not a list of whole numbers in range";
			return 0;
		}
		break;
	case K_SKIP:
		break;
	}
	*out = xstrdup(s);
	return 1;
}

/* Checks what one row needs whole: required fields, ages in order. */
void
hsds_row_check(struct hsds_package *p, enum hsds_obj o, const struct hrow *r,
    const char *file, const char *prefix, const unsigned char *bad)
{
	const struct hobj *ob = &hsds_objs[o];
	char field[256];
	int i, lo, hi;

	for (i = 0; i < ob->nf; i++) {
		if (!(ob->f[i].flags & HF_REQ) || r->v[i] != NULL || bad[i])
			continue;
		snprintf(field, sizeof field, "%s%s", prefix, ob->f[i].name);
		hsds_reject_add(p, file, r->line, field, "is required");
	}
	if (o == HO_SERVICE) {
		lo = hsds_field(o, "minimum_age");
		hi = hsds_field(o, "maximum_age");
		if (r->v[lo] && r->v[hi] && strtol(r->v[lo], NULL, 10) >
		    strtol(r->v[hi], NULL, 10)) {
			snprintf(field, sizeof field, "%smaximum_age",
			    prefix);
			hsds_reject_add(p, file, r->line, field, "is less than "
			    "minimum_age");
		}
	}
}

/* ---------------------------------------------------------------- */
/* Tabular */

static void
read_csv(struct hsds_package *p, const struct hsds_file *fl, int obj,
    int aside)
{
	const struct hobj *ob = obj >= 0 ? &hsds_objs[obj] : NULL;
	int col[CSV_FIELDS_MAX], seen[32], ncol = 0, i, more, line, bad;
	unsigned char badf[32];
	struct csv c;

	csv_open(&c, fl->text, fl->len);
	if (csv_next(&c, &more) != ERR_OK) {
		hsds_reject_add(p, fl->name, c.line, "", "%s", c.why);
		goto done;
	}
	if (!more)
		goto done;
	ncol = c.nfield;
	memset(seen, 0, sizeof seen);
	for (i = 0; i < ncol; i++) {
		col[i] = ob ? hsds_field((enum hsds_obj)obj, c.field[i]) : -1;
		if (col[i] >= 0 && seen[col[i]]++) {
			hsds_reject_add(p, fl->name, c.line, c.field[i],
			    "is a column named twice");
			goto done;
		}
	}
	for (i = 0; ob && i < ob->nf; i++)
		if ((ob->f[i].flags & HF_REQ) && !seen[i]) {
			hsds_reject_add(p, fl->name, c.line, ob->f[i].name,
			    "is a required column the file lacks");
			goto done;
		}
	for (;;) {
		struct hrow *r;

		if (csv_next(&c, &more) != ERR_OK) {
			hsds_reject_add(p, fl->name, c.line, "", "%s", c.why);
			break;
		}
		if (!more)
			break;
		line = c.line;
		/* A blank line is no record. */
		if (c.nfield == 1 && c.field[0][0] == '\0' && ncol > 1)
			continue;
		if (!hsds_count_row(p, fl->name, line))
			break;
		if (c.nfield != ncol) {
			hsds_reject_add(p, fl->name, line, "", "has %d fields; the "
			    "header has %d", c.nfield, ncol);
			continue;
		}
		if (ob == NULL) {
			p->aside[aside]++;
			continue;
		}
		r = hsds_tab_add(p, (enum hsds_obj)obj);
		r->line = line;
		bad = 0;
		memset(badf, 0, sizeof badf);
		for (i = 0; i < ncol; i++) {
			const char *why = NULL;

			if (col[i] < 0)
				continue;
			if (!hsds_value_check(&ob->f[col[i]], c.field[i],
			    &r->v[col[i]], &why)) {
				hsds_reject_add(p, fl->name, line, ob->f[col[i]].name,
				    "%s", why);
				badf[col[i]] = 1;
				bad = 1;
			}
		}
		hsds_row_check(p, (enum hsds_obj)obj, r, fl->name, "", badf);
		/* A row with a bad value stays, so references to it are
		 * not reported as well; the package is rejected anyway. */
		(void)bad;
		if (r->v[0] != NULL) {
			i = hsds_tab_find(&p->t[obj], r->v[0]);
			if (i >= 0) {
				hsds_reject_add(p, fl->name, line, "id", "is the id of "
				    "line %d too", p->t[obj].rows[i].line);
				bad = 2;
			}
		}
		if (r->v[0] == NULL || bad == 2)
			hsds_tab_drop_last(p, (enum hsds_obj)obj);
		else
			hsds_tab_index(&p->t[obj], p->t[obj].n - 1);
	}
done:
	csv_close(&c);
}

void
hsds_read_tabular(struct hsds_package *p, const struct hsds_file *f, int n)
{
	size_t total = 0;
	int i, o;

	for (i = 0; i < n; i++) {
		total += f[i].len;
		if (total > HSDS_PACKAGE_MAX) {
			hsds_reject_add(p, f[i].name, 0, "", "the package is larger "
			    "than 50 MB");
			return;
		}
	}
	for (i = 0; i < n && !p->over; i++) {
		if (strcmp(f[i].name, "datapackage.json") == 0) {
			json_t *j = json_loadb(f[i].text, f[i].len, 0, NULL);

			if (!json_is_object(j))
				hsds_reject_add(p, f[i].name, 0, "", "is not a JSON "
				    "object");
			json_decref(j);
			continue;
		}
		for (o = 0; o < HO__COUNT; o++)
			if (strcmp(f[i].name, hsds_objs[o].file) == 0)
				break;
		if (o < HO__COUNT) {
			read_csv(p, &f[i], o, -1);
			continue;
		}
		for (o = 0; o < HA__COUNT; o++)
			if (strcmp(f[i].name, hsds_aside_file(o)) == 0)
				break;
		if (o < HA__COUNT)
			read_csv(p, &f[i], -1, o);
	}
}

/* ---------------------------------------------------------------- */
/* References */

static int
link_entity_obj(const char *entity)
{
	int o;

	for (o = 0; entity && o < HO__COUNT; o++)
		if (strcmp(entity, hsds_objs[o].name) == 0)
			return o;
	return -1;
}

static const char *
where(const struct hrow *r, const char *name, char *buf, size_t n)
{
	if (r->path == NULL)
		return name;
	snprintf(buf, n, "%s.%s", r->path, name);
	return buf;
}

void
hsds_resolve(struct hsds_package *p, hsds_exists_fn exists, void *ctx)
{
	char field[512];
	int o, i, k, to;

	for (o = 0; o < HO__COUNT; o++) {
		const struct hobj *ob = &hsds_objs[o];

		for (i = 0; i < p->t[o].n; i++) {
			const struct hrow *r = &p->t[o].rows[i];

			for (k = 0; k < ob->nf; k++) {
				const char *id = r->v[k];

				if (id == NULL)
					continue;
				if (ob->f[k].kind == K_REF)
					to = ob->f[k].ref;
				else if (ob->f[k].kind == K_LINK)
					to = link_entity_obj(r->v[hsds_field(
					    o, "link_entity")]);
				else
					continue;
				if (to < 0 || hsds_tab_find(&p->t[to], id) >= 0 ||
				    (exists && exists(ctx, to, id)))
					continue;
				hsds_reject_add(p, r->path ? p->json_file : ob->file,
				    r->line,
				    where(r, ob->f[k].name, field,
				    sizeof field), "names no %s in the package "
				    "or the directory", hsds_objs[to].name);
			}
		}
	}
}
