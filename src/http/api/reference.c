#include <stdlib.h>

#include "core/glass.h"
#include "core/group_rules.h"
#include "core/rules.h"
#include "http/api/api.h"
#include "http/json.h"
#include "util/timeutil.h"

static json_t *
list_json(const struct code_label *l, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(l[i].code));
		json_object_set_new(o, "label", json_string(l[i].label));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
elements_json(unsigned m)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} el[] = {
		{ NOTE_EL_LOCATION, "location" },
		{ NOTE_EL_INTERVENTION, "intervention" },
		{ NOTE_EL_RESPONSE, "response" },
		{ NOTE_EL_NEXT_STEPS, "next_steps" },
		{ NOTE_EL_GOALS, "goals" },
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof el / sizeof el[0]; i++)
		if (m & el[i].bit)
			json_array_append_new(a, json_string(el[i].name));
	return a;
}

static json_t *
roles_json(unsigned roles)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < ROLE__COUNT; i++)
		if (roles & (1u << i))
			json_array_append_new(a, json_string(role_name(i)));
	return a;
}

enum err
api_reference(struct req *r)
{
	const struct rules *rl = rules_get();
	json_t *j = json_object(), *st = json_array(), *ver = json_object();

	json_array_append_new(st, json_string("outreach"));
	json_array_append_new(st, json_string("active"));
	json_array_append_new(st, json_string("discharged"));
	json_object_set_new(j, "statuses", st);
	json_object_set_new(j, "languages", list_json(rl->languages,
	    rl->nlanguages));
	json_object_set_new(j, "referral_sources",
	    list_json(rl->referral_sources, rl->nreferral_sources));
	json_object_set_new(j, "discharge_reasons",
	    list_json(rl->discharge_reasons, rl->ndischarge_reasons));
	json_object_set_new(j, "exit_strategies",
	    list_json(rl->exit_strategies, rl->nexit_strategies));
	json_object_set_new(j, "follow_up_days",
	    json_integer(rl->follow_up_days));
	{
		const struct billing_rules *br = &rl->billing;
		json_t *types = json_array(), *settings = json_array();
		json_t *programs = json_array();
		int i;

		for (i = 0; i < br->ntypes; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code",
			    json_string(br->types[i].code));
			json_object_set_new(o, "label",
			    json_string(br->types[i].label));
			json_object_set_new(o, "billed",
			    json_boolean(br->types[i].billing_code != NULL));
			json_array_append_new(types, o);
		}
		for (i = 0; i < br->nsettings; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code",
			    json_string(br->settings[i].code));
			json_object_set_new(o, "label",
			    json_string(br->settings[i].label));
			json_array_append_new(settings, o);
		}
		for (i = 0; i < br->nprograms; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code",
			    json_string(br->programs[i].code));
			json_object_set_new(o, "label",
			    json_string(br->programs[i].label));
			json_array_append_new(programs, o);
		}
		{
			const struct note_rules *nr = &rl->notes;
			json_t *nj = json_object(), *by = json_object();
			json_t *places = json_array();

			json_object_set_new(nj, "required",
			    elements_json(nr->nrequired ?
			    nr->required[0].elements : 0));
			json_object_set_new(nj, "required_when_billed",
			    elements_json(nr->billable_elements));
			for (i = 1; i < nr->nrequired; i++)
				json_object_set_new(by, nr->required[i].type,
				    elements_json(nr->required[i].elements));
			json_object_set_new(nj, "required_by_type", by);
			json_object_set_new(nj, "required_rule",
			    jstr_or_null(nr->required_rule));
			json_object_set_new(nj, "cosign_for_roles",
			    roles_json(nr->cosign_roles));
			json_object_set_new(nj, "cosigner_roles",
			    roles_json(nr->cosigner_roles));
			json_object_set_new(j, "note_rules", nj);
			for (i = 0; i < br->nplaces; i++) {
				json_t *o = json_object();

				json_object_set_new(o, "code",
				    json_string(br->places[i].code));
				json_object_set_new(o, "label",
				    json_string(br->places[i].label));
				json_array_append_new(places, o);
			}
			json_object_set_new(j, "places_of_service", places);
		}
		json_object_set_new(j, "contact_types", types);
		json_object_set_new(j, "contact_settings", settings);
		json_object_set_new(j, "programs", programs);
		json_object_set_new(ver, "billing", jstr_or_null(br->version));
		json_object_set_new(ver, "notes",
		    jstr_or_null(rl->notes.version));
	}
	{
		const struct group_rules *gr = &rl->groups;
		json_t *cur = json_array();
		int i, k;

		for (i = 0; i < gr->ncurricula; i++) {
			const struct group_curriculum *c = &gr->curricula[i];
			json_t *o = json_object(), *t = json_array();

			json_object_set_new(o, "code", json_string(c->code));
			json_object_set_new(o, "label", json_string(c->label));
			json_object_set_new(o, "description",
			    jstr_or_null(c->description));
			json_object_set_new(o, "facilitation",
			    jstr_or_null(c->facilitation));
			json_object_set_new(o, "source", jstr_or_null(c->source));
			for (k = 0; k < c->ntopics; k++) {
				json_t *x = json_object();

				json_object_set_new(x, "code",
				    json_string(c->topics[k].code));
				json_object_set_new(x, "label",
				    json_string(c->topics[k].label));
				json_array_append_new(t, x);
			}
			json_object_set_new(o, "topics", t);
			json_array_append_new(cur, o);
		}
		json_object_set_new(j, "group_curricula", cur);
		json_object_set_new(j, "group_size", json_pack("{s:i, s:s?}",
		    "max_attendees_per_facilitator",
		    rl->billing.group_max_per_facilitator, "rule",
		    rl->billing.group_rule));
		json_object_set_new(ver, "groups", jstr_or_null(gr->version));
	}
	{
		const struct consent_rules *cr = &rl->consents;
		json_t *c = json_object(), *kinds = json_array();
		json_t *els = json_array();
		int i, k;

		for (i = 0; i < CE__COUNT; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code",
			    json_string(consent_element_codes[i]));
			json_object_set_new(o, "label",
			    jstr_or_null(cr->element_labels[i]));
			json_array_append_new(els, o);
		}
		for (i = 0; i < cr->nkinds; i++) {
			const struct consent_kind *kd = &cr->kinds[i];
			json_t *o = json_object(), *req = json_array();
			json_t *ev = json_array(), *pw = json_array();

			for (k = 0; k < CE__COUNT; k++)
				if (kd->required & (1u << k))
					json_array_append_new(req,
					    json_string(consent_element_codes[k]));
			for (k = 0; k < kd->nexpiry_events; k++)
				json_array_append_new(ev,
				    json_string(kd->expiry_events[k]));
			for (k = 0; k < kd->npurposes_within; k++)
				json_array_append_new(pw,
				    json_string(kd->purposes_within[k]));
			json_object_set_new(o, "code", json_string(kd->code));
			json_object_set_new(o, "label", json_string(kd->label));
			json_object_set_new(o, "discloses",
			    json_boolean(kd->discloses));
			json_object_set_new(o, "part2", json_boolean(kd->part2));
			json_object_set_new(o, "required", req);
			json_object_set_new(o, "expiry_events", ev);
			json_object_set_new(o, "purposes_within", pw);
			json_object_set_new(o, "rule", jstr_or_null(kd->rule));
			json_array_append_new(kinds, o);
		}
		json_object_set_new(c, "kinds", kinds);
		json_object_set_new(c, "elements", els);
		json_object_set_new(c, "categories", list_json(cr->categories,
		    cr->ncategories));
		json_object_set_new(c, "purposes", list_json(cr->purposes,
		    cr->npurposes));
		json_object_set_new(c, "signer_authorities",
		    list_json(cr->authorities, cr->nauthorities));
		json_object_set_new(c, "expiry_events",
		    list_json(cr->expiry_events, cr->nexpiry_events));
		json_object_set_new(c, "revocation_methods",
		    list_json(cr->revocation_methods, cr->nrevocation_methods));
		json_object_set_new(c, "part2_years",
		    json_integer(cr->part2_years));
		json_object_set_new(c, "hipaa_years",
		    json_integer(cr->hipaa_years));
		json_object_set_new(j, "consents", c);
		json_object_set_new(ver, "consents", jstr_or_null(cr->version));
	}
	json_object_set_new(j, "break_glass", json_pack("{s:i}", "minutes",
	    (glass_seconds() + 59) / 60));
	json_object_set_new(ver, "episode", jstr_or_null(rl->episode_version));
	json_object_set_new(ver, "languages",
	    jstr_or_null(rl->languages_version));
	json_object_set_new(j, "rules_versions", ver);
	{
		/* "Today" is the organisation's, not the device's. */
		const char *tz = getenv("TZ");
		char today[11];

		date_format(time_today(), today);
		json_object_set_new(j, "time_zone", json_string(tz && *tz ?
		    tz : "UTC"));
		json_object_set_new(j, "today", json_string(today));
	}
	http_json(r, 200, j);
	return ERR_OK;
}
