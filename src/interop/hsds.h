#ifndef INTEROP_HSDS_H
#define INTEROP_HSDS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "access/actor.h"
#include "store/db.h"
#include "util/err.h"

/*
 * Open Referral HSDS 3.0 packages in and out of the resource directory
 * (docs/resources.md, "Importing and exporting HSDS").
 *
 * Reading is pure: hsds_read_tabular() and hsds_read_json() turn a
 * package held in memory into rows of the kept objects, every value
 * checked and normalised, and collect every rejected value; then
 * hsds_resolve() checks references against the package and, through a
 * callback, the directory. hsds_import() does the whole in one write
 * transaction. Nothing here is about a person.
 *
 * Limits: a package of at most HSDS_PACKAGE_MAX bytes and HSDS_ROWS_MAX
 * rows (every file's, kept or not); names at most HSDS_NAME_MAX
 * characters, other short text HSDS_SHORT_MAX, URIs HSDS_URI_MAX,
 * descriptions and other long text HSDS_LONG_MAX (the only text that may
 * hold tab and line breaks); at most HSDS_REJECT_MAX rejections are kept
 * (the rest counted).
 */

#define HSDS_PACKAGE_MAX	(50 * 1024 * 1024)
#define HSDS_ROWS_MAX		200000
#define HSDS_NAME_MAX		300
#define HSDS_SHORT_MAX		300
#define HSDS_URI_MAX		2000
#define HSDS_LONG_MAX		4000
#define HSDS_REJECT_MAX		10000

/* The objects the directory keeps, in the order they are applied. */
enum hsds_obj {
	HO_TAXONOMY,
	HO_TAXONOMY_TERM,
	HO_ORGANIZATION,
	HO_LOCATION,
	HO_ADDRESS,
	HO_SERVICE,
	HO_SERVICE_AT_LOCATION,
	HO_PHONE,
	HO_SCHEDULE,
	HO_LANGUAGE,
	HO_COST_OPTION,
	HO_ATTRIBUTE,
	HO__COUNT
};

/* The objects it leaves aside. */
enum hsds_aside {
	HA_CONTACT,
	HA_FUNDING,
	HA_PROGRAM,
	HA_SERVICE_AREA,
	HA_REQUIRED_DOCUMENT,
	HA_ACCESSIBILITY,
	HA_ORGANIZATION_IDENTIFIER,
	HA_METADATA,
	HA_META_TABLE_DESCRIPTION,
	HA__COUNT
};

/* HSDS names ("service") and file names ("services.csv"). Static. */
const char *hsds_obj_name(enum hsds_obj o);
const char *hsds_obj_file(enum hsds_obj o);
const char *hsds_aside_name(enum hsds_aside a);
const char *hsds_aside_file(enum hsds_aside a);

/* One file of a tabular package; borrowed. */
struct hsds_file {
	const char	*name;		/* "services.csv" */
	const char	*text;
	size_t		 len;
};

/* A rejected value: file, line (the CSV line the record starts on; 0 in
 * JSON), field (a column, or a JSON path such as
 * "services[3].phones[0].number"; "" for the whole file) and why. */
struct hsds_reject {
	char	*file;
	int	 line;
	char	*field;
	char	*reason;
};

struct hsds_counts {
	int64_t	 created[HO__COUNT];
	int64_t	 changed[HO__COUNT];
	int64_t	 unchanged[HO__COUNT];
	int64_t	 aside[HA__COUNT];
};

struct hsds_package;

/* Returns a new empty package; caller frees with hsds_package_free(). */
struct hsds_package *hsds_package_new(void);
void hsds_package_free(struct hsds_package *p);

/*
 * Reads the n files of a tabular package: the kept objects' files by
 * their HSDS names, the others' rows counted, datapackage.json checked to
 * be a JSON object, other files ignored. Headers are matched by name in
 * any order; unknown columns are ignored.
 */
void hsds_read_tabular(struct hsds_package *p, const struct hsds_file *f,
    int n);

/*
 * Reads HSDS JSON: a list of dereferenced services, or a page object with
 * them in "contents". file names the source in rejections ("body" for
 * the API). An object met again under the same id is merged; values that
 * differ are rejected.
 */
void hsds_read_json(struct hsds_package *p, const char *file,
    const json_t *doc);
/* As hsds_read_json(), from text. */
void hsds_read_json_text(struct hsds_package *p, const char *file,
    const char *text, size_t len);

/* 1 when the directory holds a row of object o with this id. */
typedef int (*hsds_exists_fn)(void *ctx, enum hsds_obj o, const char *id);

/*
 * Checks that every reference names a row of the package or, through
 * exists (may be NULL: nothing outside the package), of the directory.
 */
void hsds_resolve(struct hsds_package *p, hsds_exists_fn exists, void *ctx);

/* The rejections so far. Borrowed; valid until the package is freed.
 * *total counts those not kept too. */
const struct hsds_reject *hsds_rejects(const struct hsds_package *p, int *n,
    int *total);
/* Rows read of object o; rows left aside of a. */
int hsds_rows(const struct hsds_package *p, enum hsds_obj o);
int64_t hsds_aside_rows(const struct hsds_package *p, enum hsds_aside a);

/*
 * Resolves the package against the directory and, when nothing is
 * rejected, applies it in one write transaction: rows matched by id,
 * created or changed only when a kept value differs (a changed service,
 * or one whose phones, schedules, languages, places, costs or attributes
 * changed, gets version + 1), search text refreshed for the services
 * touched, one audit entry (object type "resource", action "import",
 * the counts). With dry_run everything is rolled back and nothing
 * audited. ERR_INVALID when rows are rejected (see hsds_rejects()).
 */
enum err hsds_import(struct db *db, const struct actor *a,
    struct hsds_package *p, int dry_run, struct hsds_counts *c);

/* The counts as JSON: {"service": {"created": 1, ...}, ...,
 * "left_aside": {"contact": 0, ...}}. Returns a new reference. */
json_t *hsds_counts_json(const struct hsds_counts *c);

/*
 * Reads the files of a tabular package from directory dir into a new
 * array (caller frees with hsds_files_free()): the HSDS file names only,
 * regular files only, datapackage.json required. ERR_TOO_LARGE past
 * HSDS_PACKAGE_MAX; ERR_NOT_FOUND without datapackage.json; ERR_IO.
 */
enum err hsds_files_read_dir(const char *dir, struct hsds_file **out,
    int *n);
void hsds_files_free(struct hsds_file *f, int n);

/*
 * Export. hsds_export_tabular() writes the kept objects' files, with the
 * HSDS columns in HSDS order (those not kept empty), and datapackage.json
 * listing them: a new array (names and texts owned; free with
 * hsds_files_free()). hsds_export_json() answers a new list of
 * dereferenced services. Both read in one transaction of their own.
 */
enum err hsds_export_tabular(struct db *db, struct hsds_file **out, int *n);
enum err hsds_export_json(struct db *db, json_t **out);

#endif
