#ifndef INTEROP_HSDS_INTERN_H
#define INTEROP_HSDS_INTERN_H

/*
 * What the HSDS reader, importer and exporter share: each kept object's
 * columns in HSDS order, with how each is checked and kept. Internal to
 * src/interop/hsds_*.c.
 */

#include <stddef.h>
#include <stdint.h>

#include "interop/hsds.h"

enum hkind {
	K_ID,		/* the row's own UUID */
	K_REF,		/* a UUID naming a row of object ref */
	K_SOFT,		/* a UUID that may name a row outside the directory */
	K_LINK,		/* attribute.link_id: resolved by link_entity */
	K_NAME,		/* one line, HSDS_NAME_MAX */
	K_SHORT,	/* one line, HSDS_SHORT_MAX */
	K_LONG,		/* lines, HSDS_LONG_MAX */
	K_URI,
	K_EMAIL,
	K_ENUM,
	K_INT,		/* whole number in [min, max] */
	K_COORD,	/* degrees in [min, max] kept in millionths */
	K_NUM,		/* a decimal number in [min, max] kept as text */
	K_DATE,		/* YYYY-MM-DD */
	K_TIME,		/* HH:MM or HH:MM:SS */
	K_DATETIME,	/* a date, or an RFC 3339 date and time */
	K_BYDAY,	/* MO,TU (with an ordinal: 1MO, -1FR) */
	K_INTLIST,	/* whole numbers in [min, max], comma-separated */
	K_SKIP,		/* an HSDS column the directory does not keep */
};

#define HF_REQ	0x1	/* required */

struct hfield {
	const char		*name;
	enum hkind		 kind;
	unsigned		 flags;
	int			 ref;		/* K_REF: an enum hsds_obj */
	int64_t			 min, max;
	const char *const	*enums;		/* K_ENUM: NULL-terminated */
	const char		*col;		/* the column, when not name */
};

struct hobj {
	const char		*name;		/* "service" */
	const char		*file;		/* "services.csv" */
	const char		*table;		/* "dir_service" */
	const char		*list;		/* JSON key of a list: "phones" */
	const struct hfield	*f;		/* HSDS columns in order */
	int			 nf;
};

extern const struct hobj hsds_objs[HO__COUNT];

/* The column kept for field f (latitude_e6 for latitude). */
const char *hsds_col(const struct hfield *f);
/* 1 when f is kept as an integer (K_INT, K_COORD). */
int hsds_is_int(const struct hfield *f);
/* The field named name of object o, or -1. */
int hsds_field(enum hsds_obj o, const char *name);

/* Millionths of a degree as a decimal ("41.88", "-0.000001"). */
void hsds_e6_format(int64_t e6, char out[24]);

/* One row: nf values (NULL: empty or not kept), normalised. */
struct hrow {
	char	**v;
	int	 line;
	char	*path;		/* JSON: where it was first met */
};

struct htab {
	struct hrow	*rows;
	int		 n, cap;
	int		*slot;		/* id -> row + 1, open addressing */
	size_t		 nslot;
};

/* The rows of object o. Borrowed. */
const struct htab *hsds_tab(const struct hsds_package *p, enum hsds_obj o);
/* The row of o with this id, or NULL. */
const struct hrow *hsds_find(const struct hsds_package *p, enum hsds_obj o,
    const char *id);

/* A set of strings (ids of rows left aside, met in JSON). */
struct sset {
	char	**key;
	size_t	  cap, n;
};

struct hsds_package {
	struct htab		 t[HO__COUNT];
	int64_t			 aside[HA__COUNT];
	struct sset		 aside_ids[HA__COUNT];
	struct hsds_reject	*rej;
	int			 nrej, total;
	int64_t			 rows;
	int			 over;		/* a limit was passed */
	char			*json_file;	/* JSON: its name */
};

void hsds_reject_add(struct hsds_package *p, const char *file, int line,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int hsds_count_row(struct hsds_package *p, const char *file, int line);
int hsds_sset_add(struct sset *s, const char *k);
struct hrow *hsds_tab_add(struct hsds_package *p, enum hsds_obj o);
void hsds_tab_drop_last(struct hsds_package *p, enum hsds_obj o);
int hsds_tab_find(const struct htab *t, const char *id);
void hsds_tab_index(struct htab *t, int row);
int hsds_value_check(const struct hfield *f, const char *s, char **out,
    const char **why);
void hsds_row_check(struct hsds_package *p, enum hsds_obj o,
    const struct hrow *r, const char *file, const char *prefix,
    const unsigned char *bad);

#endif
