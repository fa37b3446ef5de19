#ifndef UTIL_ASSET_H
#define UTIL_ASSET_H

#include <stddef.h>

/* A file compiled into the binary by tools/embed.c. */
struct asset {
	const char		*path;	/* "/index.html", "/episode.json" */
	const unsigned char	*data;	/* NUL-terminated past len */
	size_t			 len;
	const char		*type;	/* content type */
};

/* Arrays ending with a NULL path. */
extern const struct asset web_assets[];
extern const struct asset data_assets[];
extern const struct asset openapi_asset[];
extern const struct asset hsds_assets[];	/* data/hsds */
extern const struct asset credential_assets[];	/* data/credentials */

/* The asset at path, or NULL. */
const struct asset *asset_find(const struct asset *list, const char *path);

#endif
