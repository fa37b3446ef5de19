/*
 * GET /api/v1/settings/encryption: which key seals the records' free
 * text, how many values each key seals, and the last rotation. Key ids,
 * times and counts only; never a key.
 */
#include "core/encryption.h"
#include "http/api/api.h"
#include "http/json.h"

enum err
api_settings_encryption(struct req *r)
{
	struct encryption_status s;
	json_t *j, *keys, *rot = NULL;
	enum err e;
	int i;

	if (r->db == NULL)
		return ERR_BUSY;
	if ((e = encryption_status(r->db, &r->actor, &s)) != ERR_OK)
		return e;
	keys = json_array();
	for (i = 0; i < s.nkeys; i++) {
		json_t *k = json_object();

		json_object_set_new(k, "id", json_string(s.keys[i].id));
		json_object_set_new(k, "created_at", s.keys[i].in_file ?
		    json_string(s.keys[i].created_at) : json_null());
		json_object_set_new(k, "in_key_file",
		    json_boolean(s.keys[i].in_file));
		json_object_set_new(k, "values",
		    json_integer(s.keys[i].values));
		json_array_append_new(keys, k);
	}
	if (s.has_rotation) {
		rot = json_object();
		json_object_set_new(rot, "key_id",
		    json_string(s.rotation.key_id));
		json_object_set_new(rot, "started_at",
		    jtime(s.rotation.started_at));
		json_object_set_new(rot, "finished_at",
		    jtime_or_null(s.rotation.finished_at));
		json_object_set_new(rot, "values_resealed",
		    json_integer(s.rotation.values_resealed));
		json_object_set_new(rot, "values_failed",
		    json_integer(s.rotation.values_failed));
	}
	j = json_object();
	json_object_set_new(j, "algorithm", json_string("XChaCha20-Poly1305"));
	json_object_set_new(j, "current_key_id", json_string(s.current));
	json_object_set_new(j, "keys", keys);
	json_object_set_new(j, "values_not_sealed", json_integer(s.clear));
	json_object_set_new(j, "rotation", rot ? rot : json_null());
	encryption_status_clear(&s);
	http_json(r, 200, j);
	return ERR_OK;
}
