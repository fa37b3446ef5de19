#ifndef HTTP_API_API_H
#define HTTP_API_API_H

#include "http/http.h"

/* One thin handler per route; each validates, calls core, renders. */

enum err api_healthz(struct req *r);
enum err api_openapi(struct req *r);
enum err api_session_create(struct req *r);
enum err api_session_delete(struct req *r);
enum err api_me(struct req *r);
enum err api_reference(struct req *r);
enum err api_teams_list(struct req *r);
enum err api_teams_create(struct req *r);
enum err api_staff_list(struct req *r);
enum err api_staff_create(struct req *r);
enum err api_staff_update(struct req *r);
enum err api_people_list(struct req *r);
enum err api_people_create(struct req *r);
enum err api_people_get(struct req *r);
enum err api_people_update(struct req *r);
enum err api_episode_create(struct req *r);
enum err api_episode_discharge(struct req *r);
enum err api_audit_list(struct req *r);

#endif
