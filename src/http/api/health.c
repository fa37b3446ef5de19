#include "http/api/api.h"
#include "http/json.h"
#include "store/db.h"
#include "util/asset.h"

enum err
api_healthz(struct req *r)
{
	struct db *db = r->db;
	json_t *j = json_object();
	int version = 0;

	if (db == NULL || db_schema_version(db, &version) != ERR_OK) {
		json_decref(j);
		return ERR_BUSY;
	}
	json_object_set_new(j, "status", json_string("ok"));
	json_object_set_new(j, "schema", json_integer(version));
	http_json(r, 200, j);
	return ERR_OK;
}

enum err
api_openapi(struct req *r)
{
	const struct asset *a = asset_find(openapi_asset, "/openapi.json");

	if (a == NULL)
		return ERR_NOT_FOUND;
	r->status = 200;
	r->content_type = "application/json";
	r->static_body = a->data;
	r->static_len = a->len;
	r->responded = 1;
	return ERR_OK;
}
