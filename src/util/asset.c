#include <string.h>

#include "util/asset.h"

const struct asset *
asset_find(const struct asset *list, const char *path)
{
	for (; list->path != NULL; list++)
		if (strcmp(list->path, path) == 0)
			return list;
	return NULL;
}
