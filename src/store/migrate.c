/*
 * Versioned schema migrations, one set of definitions for both backends.
 * Each step runs in one write transaction and records itself in
 * schema_migration. SQL stays in the subset both backends share; the
 * audit table's append-only triggers are written in each dialect.
 */
#include <stddef.h>
#include <string.h>

#include "store/db.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

/*
 * One migration: statements both backends run, then each backend's own
 * (NULL-terminated lists). Shared statements may say COLLATE "C" (byte
 * order); SQLite runs that as its own byte order, BINARY. A single-column
 * PRIMARY KEY says NOT NULL: PostgreSQL implies it, but SQLite accepts
 * NULL in any primary key but an INTEGER one (the rowid).
 */
struct migration {
	int			 version;
	const char *const	*sql;
	const char *const	*sqlite;
	const char *const	*pg;
};

static const char *const v1[] = {
	"CREATE TABLE setting ("
	"  name TEXT NOT NULL PRIMARY KEY,"
	"  value TEXT NOT NULL)",
	"CREATE TABLE ruleset ("
	"  name TEXT NOT NULL PRIMARY KEY,"
	"  version TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  loaded_at BIGINT NOT NULL)",
	"CREATE TABLE team ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  name TEXT COLLATE \"C\" NOT NULL UNIQUE,"
	"  display_name TEXT NOT NULL,"
	"  version BIGINT NOT NULL,"
	"  created_at BIGINT NOT NULL)",
	"CREATE TABLE staff ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  username TEXT COLLATE \"C\" NOT NULL UNIQUE,"
	"  display_name TEXT NOT NULL,"
	"  role TEXT NOT NULL CHECK (role IN"
	"    ('peer', 'supervisor', 'admin', 'privacy')),"
	"  password_hash TEXT NOT NULL,"
	"  disabled INTEGER NOT NULL DEFAULT 0,"
	"  version BIGINT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL)",
	"CREATE TABLE staff_team ("
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  team_id TEXT NOT NULL REFERENCES team(id),"
	"  PRIMARY KEY (staff_id, team_id))",
	"CREATE INDEX staff_team_team ON staff_team(team_id)",
	"CREATE TABLE session ("
	"  token_hash TEXT NOT NULL PRIMARY KEY,"
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  csrf_token TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  last_seen_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL)",
	"CREATE INDEX session_staff ON session(staff_id)",
	"CREATE TABLE signin_throttle ("
	"  key TEXT NOT NULL PRIMARY KEY,"
	"  failed_count INTEGER NOT NULL,"
	"  locked_until BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL)",
	"CREATE TABLE person ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  team_id TEXT NOT NULL REFERENCES team(id),"
	"  preferred_name TEXT NOT NULL,"
	"  sort_name TEXT COLLATE \"C\" NOT NULL,"
	"  legal_name TEXT,"
	"  pronouns TEXT,"
	"  date_of_birth TEXT,"
	"  phone TEXT,"
	"  language TEXT,"
	"  primary_peer_id TEXT REFERENCES staff(id),"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('outreach', 'active', 'discharged')),"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL REFERENCES staff(id))",
	"CREATE INDEX person_team_sort ON person(team_id, sort_name, id)",
	"CREATE INDEX person_sort ON person(sort_name, id)",
	"CREATE TABLE person_name_token ("
	"  token TEXT COLLATE \"C\" NOT NULL,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  PRIMARY KEY (token, person_id))",
	"CREATE INDEX person_name_token_person"
	" ON person_name_token(person_id)",
	"CREATE TABLE person_contact ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  position INTEGER NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN"
	"    ('natural_support', 'emergency_contact')),"
	"  name TEXT NOT NULL,"
	"  relationship TEXT,"
	"  phone TEXT,"
	"  note TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  removed_at BIGINT,"
	"  removed_by TEXT REFERENCES staff(id))",
	"CREATE INDEX person_contact_person"
	" ON person_contact(person_id, removed_at, position)",
	"CREATE TABLE person_link ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  other_id TEXT NOT NULL REFERENCES person(id),"
	"  relationship TEXT NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  removed_at BIGINT,"
	"  removed_by TEXT REFERENCES staff(id))",
	"CREATE INDEX person_link_person"
	" ON person_link(person_id, removed_at, position)",
	"CREATE INDEX person_link_other ON person_link(other_id)",
	"CREATE TABLE person_field_history ("
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  version BIGINT NOT NULL,"
	"  field TEXT NOT NULL,"
	"  old_value TEXT,"
	"  changed_at BIGINT NOT NULL,"
	"  changed_by TEXT NOT NULL REFERENCES staff(id),"
	"  PRIMARY KEY (person_id, version, field))",
	"CREATE TABLE episode ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  version BIGINT NOT NULL,"
	"  agreement_date TEXT NOT NULL,"
	"  agreement_witness TEXT NOT NULL,"
	"  intake_date TEXT NOT NULL,"
	"  referral_source TEXT NOT NULL,"
	"  discharge_date TEXT,"
	"  discharge_reason TEXT,"
	"  exit_strategy TEXT,"
	"  follow_up_due TEXT,"
	"  rules_version TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL REFERENCES staff(id))",
	"CREATE INDEX episode_person ON episode(person_id, intake_date)",
	"CREATE TABLE audit ("
	"  seq BIGINT NOT NULL PRIMARY KEY,"
	"  at BIGINT NOT NULL,"
	"  actor_id TEXT,"
	"  actor_role TEXT,"
	"  person_id TEXT,"
	"  object_type TEXT NOT NULL,"
	"  object_id TEXT,"
	"  action TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  client_addr TEXT,"
	"  detail TEXT,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL)",
	"CREATE INDEX audit_person ON audit(person_id, seq)",
	"CREATE INDEX audit_actor ON audit(actor_id, seq)",
	"CREATE INDEX audit_at ON audit(at, seq)",
	"CREATE TABLE audit_head ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  seq BIGINT NOT NULL,"
	"  hash TEXT NOT NULL)",
	"INSERT INTO audit_head (id, seq, hash)"
	" VALUES (1, 0,  "
	"'0000000000000000000000000000000000000000000000000000000000000000')",
	NULL,
};

/* The append-only guard on the audit table, in each dialect. */
static const char *const v1_sqlite[] = {
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit "
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
	" BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END",
	NULL,
};

static const char *const v1_pg[] = {
	"CREATE FUNCTION audit_append_only() RETURNS trigger"
	" LANGUAGE plpgsql AS"
	" $$ BEGIN RAISE EXCEPTION 'audit is append-only'; END $$",
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
	"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit"
	"  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()",
	NULL,
};

/*
 * 2: name-search tokens carry their person's team, so a search reads only
 * the tokens of the teams it covers rather than every match in the state.
 */
static const char *const v2[] = {
	"ALTER TABLE person_name_token ADD COLUMN team_id TEXT"
	" REFERENCES team(id)",
	"UPDATE person_name_token SET team_id ="
	" (SELECT p.team_id FROM person p"
	"  WHERE p.id = person_name_token.person_id)",
	"CREATE INDEX person_name_token_team"
	" ON person_name_token(team_id, token, person_id)",
	NULL,
};

/*
 * 3: plans the person writes. A plan has numbered versions; a version is
 * a draft until its first signature freezes it. The content of a version
 * is one JSON document in the structure of its kind (data/plan-kinds.json);
 * plan_item lists the ids of its items that other records point at.
 */
static const char *const v3[] = {
	"CREATE TABLE plan ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL,"
	"  title TEXT,"
	"  status TEXT NOT NULL,"
	"  latest INTEGER NOT NULL,"
	"  in_force INTEGER NOT NULL,"
	"  review_due TEXT,"
	"  executed_on TEXT,"
	"  expires_on TEXT,"
	"  rules_version TEXT,"
	"  version BIGINT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL REFERENCES staff(id))",
	"CREATE INDEX plan_person ON plan(person_id, id)",
	"CREATE TABLE plan_version ("
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  n INTEGER NOT NULL,"
	"  status TEXT NOT NULL,"
	"  content TEXT NOT NULL,"
	"  structure_version TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL REFERENCES staff(id),"
	"  signed_on TEXT,"
	"  PRIMARY KEY (plan_id, n))",
	"CREATE TABLE plan_item ("
	"  plan_id TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  path TEXT COLLATE \"C\" NOT NULL,"
	"  item_id TEXT COLLATE \"C\" NOT NULL,"
	"  progress INTEGER NOT NULL,"
	"  PRIMARY KEY (plan_id, n, path, item_id),"
	"  FOREIGN KEY (plan_id, n) REFERENCES plan_version(plan_id, n))",
	"CREATE TABLE plan_signature ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  plan_id TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  role TEXT NOT NULL,"
	"  signed_by TEXT NOT NULL,"
	"  typed_name TEXT NOT NULL,"
	"  staff_id TEXT REFERENCES staff(id),"
	"  credential TEXT,"
	"  address TEXT,"
	"  affirmed TEXT,"
	"  denied TEXT,"
	"  rules_version TEXT NOT NULL,"
	"  signed_on TEXT NOT NULL,"
	"  signed_at BIGINT NOT NULL,"
	"  recorded_by TEXT NOT NULL REFERENCES staff(id),"
	"  FOREIGN KEY (plan_id, n) REFERENCES plan_version(plan_id, n))",
	"CREATE INDEX plan_signature_version ON plan_signature(plan_id, n)",
	"CREATE TABLE plan_progress ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  item_id TEXT NOT NULL,"
	"  entry_date TEXT NOT NULL,"
	"  note TEXT NOT NULL,"
	"  achievement_status TEXT,"
	"  author_id TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL)",
	"CREATE INDEX plan_progress_plan ON plan_progress(plan_id, id)",
	"CREATE TABLE plan_copy ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  ord INTEGER NOT NULL,"
	"  holder TEXT NOT NULL,"
	"  relationship TEXT,"
	"  given_on TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  retired_at BIGINT)",
	"CREATE INDEX plan_copy_plan ON plan_copy(plan_id, retired_at, ord)",
	"CREATE TABLE plan_event ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  event TEXT NOT NULL,"
	"  on_date TEXT NOT NULL,"
	"  basis TEXT,"
	"  physician TEXT,"
	"  delivered_on TEXT,"
	"  rules_version TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL)",
	"CREATE INDEX plan_event_plan ON plan_event(plan_id, id)",
	NULL,
};

/*
 * 4: the peer contacts a person has had, as far as the community
 * integration plan needs them (minutes on a day); the services work
 * extends this record into the full contact note.
 */
static const char *const v4[] = {
	"CREATE TABLE encounter ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  service_date TEXT COLLATE \"C\" NOT NULL,"
	"  minutes INTEGER NOT NULL,"
	"  created_at BIGINT NOT NULL)",
	"CREATE INDEX encounter_person ON encounter(person_id, service_date)",
	NULL,
};

/*
 * 5: the contact record and its note. The peer contacts of migration 4
 * become contacts (signed notes with their minutes); a contact carries its
 * type, times, setting, the plan goals it worked on, the note's elements,
 * signatures and deadline, and takes addenda and the person's comments.
 */
static const char *const v5[] = {
	"ALTER TABLE encounter RENAME TO contact",
	"ALTER TABLE contact ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
	"ALTER TABLE contact ADD COLUMN type TEXT NOT NULL"
	" DEFAULT 'individual'",
	"ALTER TABLE contact ADD COLUMN started_at BIGINT NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN ended_at BIGINT NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN setting TEXT",
	"ALTER TABLE contact ADD COLUMN location TEXT",
	"ALTER TABLE contact ADD COLUMN program TEXT",
	"ALTER TABLE contact ADD COLUMN person_at_home INTEGER NOT NULL"
	" DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN intervention TEXT",
	"ALTER TABLE contact ADD COLUMN response TEXT",
	"ALTER TABLE contact ADD COLUMN next_steps TEXT",
	"ALTER TABLE contact ADD COLUMN written_together INTEGER NOT NULL"
	" DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN credential TEXT",
	"ALTER TABLE contact ADD COLUMN status TEXT NOT NULL DEFAULT 'signed'",
	"ALTER TABLE contact ADD COLUMN due_at BIGINT NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN signed_at BIGINT",
	"ALTER TABLE contact ADD COLUMN late INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN cosign_required INTEGER NOT NULL"
	" DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN cosign_due_at BIGINT",
	"ALTER TABLE contact ADD COLUMN cosigned_by TEXT REFERENCES staff(id)",
	"ALTER TABLE contact ADD COLUMN cosigned_at BIGINT",
	"ALTER TABLE contact ADD COLUMN group_session_id TEXT",
	"ALTER TABLE contact ADD COLUMN rules_version TEXT",
	"ALTER TABLE contact ADD COLUMN billing_code TEXT",
	"ALTER TABLE contact ADD COLUMN modifiers TEXT",
	"ALTER TABLE contact ADD COLUMN place_of_service TEXT",
	"ALTER TABLE contact ADD COLUMN units INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN counted_minutes INTEGER NOT NULL"
	" DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN billable INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN not_billable TEXT",
	"ALTER TABLE contact ADD COLUMN billing_version TEXT",
	"ALTER TABLE contact ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN updated_by TEXT REFERENCES staff(id)",
	"DROP INDEX encounter_person",
	"CREATE INDEX contact_person ON contact(person_id, service_date)",
	"CREATE INDEX contact_staff_status ON contact(staff_id, status, due_at)",
	"CREATE TABLE contact_goal ("
	"  contact_id TEXT NOT NULL REFERENCES contact(id),"
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  item_id TEXT NOT NULL,"
	"  PRIMARY KEY (contact_id, item_id))",
	"CREATE TABLE contact_addendum ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  contact_id TEXT NOT NULL REFERENCES contact(id),"
	"  body TEXT NOT NULL,"
	"  author_id TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL)",
	"CREATE INDEX contact_addendum_contact ON contact_addendum(contact_id, id)",
	"CREATE TABLE contact_comment ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  contact_id TEXT NOT NULL REFERENCES contact(id),"
	"  body TEXT,"
	"  acknowledged INTEGER NOT NULL,"
	"  typed_name TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL)",
	"CREATE INDEX contact_comment_contact ON contact_comment(contact_id, id)",
	NULL,
};

/* The contacts of migration 4 had a day and minutes: they start at 10:00
 * UTC that day, and were signed when they were recorded. */
static const char *const v5_sqlite[] = {
	"UPDATE contact SET"
	" started_at = (CAST(strftime('%s', service_date) AS INTEGER) + 36000)"
	"  * 1000,"
	" ended_at = (CAST(strftime('%s', service_date) AS INTEGER) + 36000)"
	"  * 1000 + minutes * 60000,"
	" signed_at = created_at, due_at = created_at, updated_at = created_at,"
	" updated_by = staff_id",
	NULL,
};

static const char *const v5_pg[] = {
	"UPDATE contact SET"
	" started_at = (CAST(extract(epoch FROM CAST(service_date AS date))"
	"  AS BIGINT) + 36000) * 1000,"
	" ended_at = (CAST(extract(epoch FROM CAST(service_date AS date))"
	"  AS BIGINT) + 36000) * 1000 + minutes * 60000,"
	" signed_at = created_at, due_at = created_at, updated_at = created_at,"
	" updated_by = staff_id",
	"ALTER TABLE contact RENAME CONSTRAINT encounter_pkey TO contact_pkey",
	NULL,
};

/*
 * 6: safety concerns. A member of staff raises a concern that a person
 * intends serious harm; the supervisors of the person's team are told
 * (a notification each) and one acknowledges it, or it is passed on at
 * escalate_at. safety_step is the append-only log of what was done, by
 * whom and when (actor_id NULL: the program, escalating).
 */
static const char *const v6[] = {
	"CREATE TABLE safety_concern ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  team_id TEXT NOT NULL REFERENCES team(id),"
	"  contact_id TEXT REFERENCES contact(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('self', 'others')),"
	"  what TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('raised', 'acknowledged', 'escalated', 'closed')),"
	"  level INTEGER NOT NULL,"
	"  raised_by TEXT NOT NULL REFERENCES staff(id),"
	"  raised_at BIGINT NOT NULL,"
	"  escalate_at BIGINT NOT NULL,"
	"  acknowledged_by TEXT REFERENCES staff(id),"
	"  acknowledged_at BIGINT,"
	"  escalated_at BIGINT,"
	"  closed_by TEXT REFERENCES staff(id),"
	"  closed_at BIGINT,"
	"  outcome TEXT,"
	"  rules_version TEXT NOT NULL,"
	"  updated_at BIGINT NOT NULL)",
	"CREATE INDEX safety_concern_person ON safety_concern(person_id, id)",
	"CREATE INDEX safety_concern_due ON safety_concern(status, escalate_at)",
	"CREATE TABLE safety_step ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  concern_id TEXT NOT NULL REFERENCES safety_concern(id),"
	"  at BIGINT NOT NULL,"
	"  actor_id TEXT REFERENCES staff(id),"
	"  action TEXT NOT NULL,"
	"  note TEXT)",
	"CREATE INDEX safety_step_concern ON safety_step(concern_id, id)",
	"CREATE TABLE notification ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  recipient_id TEXT NOT NULL REFERENCES staff(id),"
	"  kind TEXT NOT NULL,"
	"  concern_id TEXT REFERENCES safety_concern(id),"
	"  created_at BIGINT NOT NULL,"
	"  read_at BIGINT)",
	"CREATE INDEX notification_recipient ON notification(recipient_id,"
	" read_at, id)",
	"CREATE INDEX notification_concern ON notification(concern_id)",
	NULL,
};

/*
 * 7: peer groups. A group belongs to a team and follows a curriculum
 * (data/groups.json); its roster lists the people who take part. A
 * session is written once: one shared narrative, its facilitators, and
 * each attendee's own short note, response and goals. Signing it makes a
 * signed contact in each attendee's record (contact.group_session_id),
 * billed as a group of group_size with group_facilitators leading it.
 */
static const char *const v7[] = {
	"CREATE TABLE peer_group ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  team_id TEXT NOT NULL REFERENCES team(id),"
	"  name TEXT NOT NULL,"
	"  curriculum TEXT NOT NULL,"
	"  description TEXT,"
	"  setting TEXT,"
	"  location TEXT,"
	"  program TEXT,"
	"  max_size INTEGER,"
	"  active INTEGER NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  created_by TEXT NOT NULL REFERENCES staff(id),"
	"  updated_at BIGINT NOT NULL)",
	"CREATE UNIQUE INDEX peer_group_team_name ON peer_group(team_id, name)",
	"CREATE TABLE peer_group_member ("
	"  group_id TEXT NOT NULL REFERENCES peer_group(id),"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  joined_at BIGINT NOT NULL,"
	"  added_by TEXT NOT NULL REFERENCES staff(id),"
	"  left_at BIGINT,"
	"  PRIMARY KEY (group_id, person_id))",
	"CREATE INDEX peer_group_member_person ON peer_group_member(person_id)",
	"CREATE TABLE group_session ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  group_id TEXT NOT NULL REFERENCES peer_group(id),"
	"  started_at BIGINT NOT NULL,"
	"  ended_at BIGINT NOT NULL,"
	"  topic TEXT,"
	"  setting TEXT,"
	"  location TEXT,"
	"  program TEXT,"
	"  narrative TEXT,"
	"  credential TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('draft', 'signed')),"
	"  author_id TEXT NOT NULL REFERENCES staff(id),"
	"  signed_at BIGINT,"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL,"
	"  updated_by TEXT NOT NULL REFERENCES staff(id))",
	"CREATE INDEX group_session_group ON group_session(group_id, started_at)",
	"CREATE INDEX group_session_author ON group_session(author_id, status)",
	"CREATE TABLE group_facilitator ("
	"  session_id TEXT NOT NULL REFERENCES group_session(id),"
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  PRIMARY KEY (session_id, staff_id))",
	"CREATE TABLE group_attendance ("
	"  session_id TEXT NOT NULL REFERENCES group_session(id),"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  present INTEGER NOT NULL,"
	"  note TEXT,"
	"  next_steps TEXT,"
	"  goals TEXT,"
	"  contact_id TEXT REFERENCES contact(id),"
	"  PRIMARY KEY (session_id, person_id))",
	"CREATE INDEX group_attendance_person ON group_attendance(person_id)",
	"ALTER TABLE contact ADD COLUMN group_size INTEGER NOT NULL DEFAULT 0",
	"ALTER TABLE contact ADD COLUMN group_facilitators INTEGER NOT NULL"
	" DEFAULT 0",
	"CREATE INDEX contact_group_session ON contact(group_session_id)",
	NULL,
};

/*
 * 8: two-step sign-in (TOTP, RFC 6238) for staff. staff.totp_secret is the
 * confirmed secret (base32), totp_pending the one being set up until a
 * first code confirms it, totp_last_step the last time step a code was
 * accepted for (a code is good once). recovery_code keeps only the
 * SHA-256 of each one-time code. signin_challenge holds the second step of
 * a sign-in between requests, which any server process may answer: only
 * the hash of its token, its account, its end and the wrong tries so far.
 */
static const char *const v8[] = {
	"ALTER TABLE staff ADD COLUMN totp_secret TEXT",
	"ALTER TABLE staff ADD COLUMN totp_pending TEXT",
	"ALTER TABLE staff ADD COLUMN totp_enabled_at BIGINT",
	"ALTER TABLE staff ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0",
	"CREATE TABLE recovery_code ("
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  code_hash TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  used_at BIGINT,"
	"  PRIMARY KEY (staff_id, code_hash))",
	"CREATE TABLE signin_challenge ("
	"  token_hash TEXT NOT NULL PRIMARY KEY,"
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL,"
	"  attempts INTEGER NOT NULL)",
	"CREATE INDEX signin_challenge_staff ON signin_challenge(staff_id)",
	NULL,
};

/*
 * 9: consents and disclosures. A consent is recorded once, with the
 * elements its kind requires (data/consents.json), and changes only by
 * being revoked. Every disclosure outside the organisation is a row of
 * disclosure: made under a consent, or in a medical emergency with the
 * four facts of 42 CFR 2.51. Episodes can be marked as Part 2.
 */
static const char *const v9[] = {
	"CREATE TABLE consent ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL,"
	"  part2 INTEGER NOT NULL,"
	"  discloses INTEGER NOT NULL,"
	"  person_name TEXT,"
	"  disclosers TEXT,"
	"  information TEXT,"
	"  intermediary TEXT,"
	"  categories TEXT,"
	"  purposes TEXT,"
	"  purpose_text TEXT,"
	"  revocation_statement INTEGER NOT NULL,"
	"  expires_on TEXT,"
	"  expiry_event TEXT,"
	"  signer_name TEXT,"
	"  signer_authority TEXT,"
	"  signed_on TEXT,"
	"  conditioning_statement INTEGER NOT NULL,"
	"  redisclosure_statement INTEGER NOT NULL,"
	"  revoked_on TEXT,"
	"  revocation_method TEXT,"
	"  revocation_note TEXT,"
	"  revoked_by TEXT REFERENCES staff(id),"
	"  revoked_at BIGINT,"
	"  rules_version TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL REFERENCES staff(id),"
	"  created_at BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL)",
	"CREATE INDEX consent_person ON consent(person_id, signed_on)",
	"CREATE TABLE consent_recipient ("
	"  consent_id TEXT NOT NULL REFERENCES consent(id),"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  name_folded TEXT NOT NULL,"
	"  address TEXT,"
	"  PRIMARY KEY (consent_id, position))",
	"CREATE TABLE disclosure ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  basis TEXT NOT NULL CHECK (basis IN"
	"    ('consent', 'medical_emergency')),"
	"  consent_id TEXT REFERENCES consent(id),"
	"  recipient_name TEXT NOT NULL,"
	"  recipient_address TEXT,"
	"  disclosed_at BIGINT NOT NULL,"
	"  information TEXT NOT NULL,"
	"  categories TEXT,"
	"  purpose TEXT NOT NULL,"
	"  method TEXT NOT NULL,"
	"  notice_code TEXT,"
	"  notice_version TEXT,"
	"  part2 INTEGER NOT NULL,"
	"  discloser_id TEXT NOT NULL REFERENCES staff(id),"
	"  emergency_facility TEXT,"
	"  emergency_nature TEXT)",
	"CREATE INDEX disclosure_person ON disclosure(person_id, disclosed_at)",
	"ALTER TABLE episode ADD COLUMN part2 INTEGER NOT NULL DEFAULT 0",
	NULL,
};

/*
 * 10: break-glass. A member of staff who is not on a person's team opens
 * that one record for a set time after giving a reason; the privacy
 * officers are notified and one reviews it.
 */
static const char *const v10[] = {
	"CREATE TABLE break_glass ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  version BIGINT NOT NULL,"
	"  staff_id TEXT NOT NULL REFERENCES staff(id),"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  reason TEXT NOT NULL,"
	"  started_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL,"
	"  reviewed_by TEXT REFERENCES staff(id),"
	"  reviewed_at BIGINT,"
	"  review_outcome TEXT,"
	"  review_note TEXT)",
	"CREATE INDEX break_glass_staff ON break_glass(staff_id, expires_at)",
	"CREATE INDEX break_glass_review ON break_glass(reviewed_at, started_at)",
	"ALTER TABLE notification ADD COLUMN break_glass_id TEXT"
	" REFERENCES break_glass(id)",
	NULL,
};

/*
 * 11: the person's own portal. A member of staff invites the person (a
 * one-time code, stored only as its hash); the person chooses a sign-in
 * name and a passphrase, reads their record, comments on their notes and
 * suggests changes to a draft plan, which their peer specialist accepts
 * or declines with them. A comment is recorded by a member of staff (read
 * with the person) or by the person in the portal.
 */
static const char *const v11[] = {
	"CREATE TABLE portal_account ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL UNIQUE REFERENCES person(id),"
	"  sign_in_name TEXT UNIQUE,"
	"  passphrase_hash TEXT,"
	"  invite_hash TEXT UNIQUE,"
	"  invite_expires_at BIGINT,"
	"  invited_by TEXT NOT NULL REFERENCES staff(id),"
	"  invited_at BIGINT NOT NULL,"
	"  activated_at BIGINT,"
	"  last_sign_in_at BIGINT,"
	"  ended_at BIGINT,"
	"  ended_by TEXT REFERENCES staff(id),"
	"  version BIGINT NOT NULL,"
	"  created_at BIGINT NOT NULL)",
	"CREATE TABLE portal_session ("
	"  token_hash TEXT NOT NULL PRIMARY KEY,"
	"  account_id TEXT NOT NULL REFERENCES portal_account(id),"
	"  csrf_token TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  last_seen_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL)",
	"CREATE INDEX portal_session_account ON portal_session(account_id)",
	"CREATE TABLE contact_comment_v11 ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  contact_id TEXT NOT NULL REFERENCES contact(id),"
	"  body TEXT,"
	"  acknowledged INTEGER NOT NULL,"
	"  typed_name TEXT NOT NULL,"
	"  recorded_by TEXT REFERENCES staff(id),"
	"  portal_account_id TEXT REFERENCES portal_account(id),"
	"  created_at BIGINT NOT NULL)",
	"INSERT INTO contact_comment_v11 (id, contact_id, body, acknowledged,"
	" typed_name, recorded_by, created_at) SELECT id, contact_id, body,"
	" acknowledged, typed_name, recorded_by, created_at"
	" FROM contact_comment",
	"DROP TABLE contact_comment",
	"ALTER TABLE contact_comment_v11 RENAME TO contact_comment",
	"CREATE INDEX contact_comment_contact ON contact_comment(contact_id, id)",
	"CREATE TABLE plan_proposal ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  plan_id TEXT NOT NULL REFERENCES plan(id),"
	"  n INTEGER NOT NULL,"
	"  base_version BIGINT NOT NULL,"
	"  account_id TEXT NOT NULL REFERENCES portal_account(id),"
	"  content TEXT NOT NULL,"
	"  note TEXT,"
	"  status TEXT NOT NULL,"
	"  reason TEXT,"
	"  created_at BIGINT NOT NULL,"
	"  decided_by TEXT REFERENCES staff(id),"
	"  decided_at BIGINT)",
	"CREATE INDEX plan_proposal_plan ON plan_proposal(plan_id, id)",
	NULL,
};

/*
 * 12: encryption at rest. The free text of records is sealed under keys
 * kept in a key file outside the database (util/seal.h); the columns keep
 * their type TEXT, and alongside migrate seals the values already there
 * once this step is in. key_rotation records each rotation of the key:
 * the new key's id, when the values began and finished being re-sealed
 * under it (finished_at NULL while it runs, or when it stopped), and how
 * many were re-sealed or could not be opened.
 */
static const char *const v12[] = {
	"CREATE TABLE key_rotation ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  key_id TEXT NOT NULL,"
	"  started_at BIGINT NOT NULL,"
	"  finished_at BIGINT,"
	"  values_resealed BIGINT NOT NULL DEFAULT 0,"
	"  values_failed BIGINT NOT NULL DEFAULT 0)",
	NULL,
};

/*
 * The resource directory (docs/resources.md), shaped after Open Referral
 * HSDS 3.0: ids are the package's UUIDs, so importing a package again
 * finds its rows. Coordinates are kept in millionths of a degree. A
 * service's search_text is its words folded (names, description, the
 * organisation's name, eligibility) for search by words. Local resources
 * (local = 1) are the ones peers add; added_by and verified_at say who
 * and when. Nothing here is about a person.
 */
static const char *const v13[] = {
	"CREATE TABLE dir_organization ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  alternate_name TEXT,"
	"  description TEXT NOT NULL DEFAULT '',"
	"  email TEXT,"
	"  website TEXT,"
	"  legal_status TEXT,"
	"  year_incorporated BIGINT,"
	"  uri TEXT,"
	"  parent_organization_id TEXT)",
	"CREATE TABLE dir_service ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  organization_id TEXT REFERENCES dir_organization(id),"
	"  name TEXT NOT NULL,"
	"  alternate_name TEXT,"
	"  description TEXT,"
	"  url TEXT,"
	"  email TEXT,"
	"  status TEXT NOT NULL CHECK (status IN"
	"    ('active', 'inactive', 'defunct', 'temporarily closed')),"
	"  interpretation_services TEXT,"
	"  application_process TEXT,"
	"  fees_description TEXT,"
	"  wait_time TEXT,"
	"  accreditations TEXT,"
	"  eligibility_description TEXT,"
	"  minimum_age BIGINT,"
	"  maximum_age BIGINT,"
	"  assured_date TEXT,"
	"  assurer_email TEXT,"
	"  alert TEXT,"
	"  last_modified TEXT,"
	"  local INTEGER NOT NULL DEFAULT 0,"
	"  added_by TEXT REFERENCES staff(id),"
	"  added_at BIGINT NOT NULL,"
	"  verified_by TEXT REFERENCES staff(id),"
	"  verified_at BIGINT,"
	"  search_text TEXT NOT NULL DEFAULT '',"
	"  version BIGINT NOT NULL,"
	"  updated_at BIGINT NOT NULL)",
	"CREATE INDEX dir_service_org ON dir_service(organization_id)",
	"CREATE INDEX dir_service_name ON dir_service(name, id)",
	"CREATE TABLE dir_location ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  organization_id TEXT REFERENCES dir_organization(id),"
	"  location_type TEXT NOT NULL CHECK (location_type IN"
	"    ('physical', 'postal', 'virtual')),"
	"  url TEXT,"
	"  name TEXT,"
	"  alternate_name TEXT,"
	"  description TEXT,"
	"  transportation TEXT,"
	"  latitude_e6 BIGINT,"
	"  longitude_e6 BIGINT,"
	"  external_identifier TEXT,"
	"  external_identifier_type TEXT)",
	"CREATE INDEX dir_location_lat ON dir_location(latitude_e6)",
	"CREATE TABLE dir_address ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  location_id TEXT REFERENCES dir_location(id),"
	"  attention TEXT,"
	"  address_1 TEXT NOT NULL,"
	"  address_2 TEXT,"
	"  city TEXT NOT NULL,"
	"  region TEXT,"
	"  state_province TEXT NOT NULL,"
	"  postal_code TEXT NOT NULL,"
	"  country TEXT NOT NULL,"
	"  address_type TEXT NOT NULL CHECK (address_type IN"
	"    ('physical', 'postal', 'virtual')))",
	"CREATE INDEX dir_address_location ON dir_address(location_id)",
	"CREATE TABLE dir_service_at_location ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  service_id TEXT REFERENCES dir_service(id),"
	"  location_id TEXT REFERENCES dir_location(id),"
	"  description TEXT)",
	"CREATE INDEX dir_sal_service ON dir_service_at_location(service_id)",
	"CREATE INDEX dir_sal_location ON dir_service_at_location(location_id)",
	"CREATE TABLE dir_phone ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  organization_id TEXT REFERENCES dir_organization(id),"
	"  service_id TEXT REFERENCES dir_service(id),"
	"  location_id TEXT REFERENCES dir_location(id),"
	"  service_at_location_id TEXT"
	"    REFERENCES dir_service_at_location(id),"
	"  number TEXT NOT NULL,"
	"  extension TEXT,"
	"  type TEXT,"
	"  description TEXT)",
	"CREATE INDEX dir_phone_service ON dir_phone(service_id)",
	"CREATE TABLE dir_schedule ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  service_id TEXT REFERENCES dir_service(id),"
	"  location_id TEXT REFERENCES dir_location(id),"
	"  service_at_location_id TEXT"
	"    REFERENCES dir_service_at_location(id),"
	"  valid_from TEXT,"
	"  valid_to TEXT,"
	"  dtstart TEXT,"
	"  timezone TEXT,"
	"  until TEXT,"
	"  count BIGINT,"
	"  wkst TEXT,"
	"  freq TEXT,"
	"  interval BIGINT,"
	"  byday TEXT,"
	"  byweekno TEXT,"
	"  bymonthday TEXT,"
	"  byyearday TEXT,"
	"  description TEXT,"
	"  opens_at TEXT,"
	"  closes_at TEXT,"
	"  schedule_link TEXT,"
	"  attending_type TEXT,"
	"  notes TEXT)",
	"CREATE INDEX dir_schedule_service ON dir_schedule(service_id)",
	"CREATE INDEX dir_schedule_location ON dir_schedule(location_id)",
	"CREATE INDEX dir_schedule_sal"
	"  ON dir_schedule(service_at_location_id)",
	"CREATE TABLE dir_language ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  service_id TEXT REFERENCES dir_service(id),"
	"  location_id TEXT REFERENCES dir_location(id),"
	"  phone_id TEXT REFERENCES dir_phone(id),"
	"  name TEXT,"
	"  code TEXT,"
	"  note TEXT)",
	"CREATE INDEX dir_language_service ON dir_language(service_id)",
	"CREATE INDEX dir_language_location ON dir_language(location_id)",
	"CREATE TABLE dir_cost_option ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  service_id TEXT NOT NULL REFERENCES dir_service(id),"
	"  valid_from TEXT,"
	"  valid_to TEXT,"
	"  option TEXT,"
	"  currency TEXT,"
	"  amount TEXT,"
	"  amount_description TEXT)",
	"CREATE INDEX dir_cost_service ON dir_cost_option(service_id)",
	"CREATE TABLE dir_taxonomy ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  uri TEXT,"
	"  version TEXT)",
	"CREATE TABLE dir_taxonomy_term ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  code TEXT,"
	"  name TEXT NOT NULL,"
	"  description TEXT NOT NULL,"
	"  parent_id TEXT,"
	"  taxonomy TEXT,"
	"  language TEXT,"
	"  taxonomy_id TEXT REFERENCES dir_taxonomy(id),"
	"  term_uri TEXT)",
	"CREATE INDEX dir_term_code ON dir_taxonomy_term(code)",
	"CREATE TABLE dir_attribute ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  link_id TEXT NOT NULL,"
	"  taxonomy_term_id TEXT NOT NULL REFERENCES dir_taxonomy_term(id),"
	"  link_type TEXT,"
	"  link_entity TEXT NOT NULL,"
	"  value TEXT)",
	"CREATE INDEX dir_attribute_link ON dir_attribute(link_id)",
	"CREATE INDEX dir_attribute_term ON dir_attribute(taxonomy_term_id)",
	NULL,
};

/*
 * Referrals (docs/referrals.md): a person sent to a directory service for
 * a need (a goal of their plan or a category), its status after the FHIR
 * Task states, each change kept in referral_event (by staff, or by the
 * receiving organisation through a single-use link whose SHA-256 alone
 * is kept). status_at is when the status last changed: a referral quiet
 * for too long comes back to the team. inpatient_stay records a person's
 * stays in hospital or another inpatient setting, for the outreach lists
 * (docs/outreach.md); no diagnosis is kept.
 */
static const char *const v14[] = {
	"CREATE TABLE referral ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  team_id TEXT NOT NULL REFERENCES team(id),"
	"  service_id TEXT NOT NULL REFERENCES dir_service(id),"
	"  plan_id TEXT REFERENCES plan(id),"
	"  goal_id TEXT,"
	"  category TEXT,"
	"  reason TEXT,"
	"  status TEXT NOT NULL CHECK (status IN ('requested', 'accepted',"
	"    'rejected', 'in-progress', 'on-hold', 'completed', 'cancelled',"
	"    'failed')),"
	"  outcome TEXT,"
	"  shared_outside INTEGER NOT NULL DEFAULT 0,"
	"  disclosure_id TEXT REFERENCES disclosure(id),"
	"  made_by TEXT NOT NULL REFERENCES staff(id),"
	"  made_at BIGINT NOT NULL,"
	"  status_at BIGINT NOT NULL,"
	"  version BIGINT NOT NULL,"
	"  link_hash TEXT UNIQUE,"
	"  link_expires_at BIGINT)",
	"CREATE INDEX referral_person ON referral(person_id, made_at)",
	"CREATE INDEX referral_team ON referral(team_id, status_at)",
	"CREATE INDEX referral_service ON referral(service_id, status)",
	"CREATE TABLE referral_event ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  referral_id TEXT NOT NULL REFERENCES referral(id),"
	"  at BIGINT NOT NULL,"
	"  status TEXT NOT NULL,"
	"  actor_id TEXT REFERENCES staff(id),"
	"  via TEXT NOT NULL CHECK (via IN ('staff', 'link')),"
	"  note TEXT)",
	"CREATE INDEX referral_event_referral ON referral_event(referral_id, at)",
	"CREATE TABLE inpatient_stay ("
	"  id TEXT NOT NULL PRIMARY KEY,"
	"  person_id TEXT NOT NULL REFERENCES person(id),"
	"  kind TEXT NOT NULL,"
	"  admitted_on TEXT NOT NULL,"
	"  discharged_on TEXT,"
	"  facility TEXT,"
	"  recorded_by TEXT NOT NULL REFERENCES staff(id),"
	"  recorded_at BIGINT NOT NULL,"
	"  version BIGINT NOT NULL)",
	"CREATE INDEX inpatient_stay_person"
	"  ON inpatient_stay(person_id, admitted_on)",
	NULL,
};

static const struct migration migrations[] = {
	{ 1, v1, v1_sqlite, v1_pg },
	{ 2, v2, NULL, NULL },
	{ 3, v3, NULL, NULL },
	{ 4, v4, NULL, NULL },
	{ 5, v5, v5_sqlite, v5_pg },
	{ 6, v6, NULL, NULL },
	{ 7, v7, NULL, NULL },
	{ 8, v8, NULL, NULL },
	{ 9, v9, NULL, NULL },
	{ 10, v10, NULL, NULL },
	{ 11, v11, NULL, NULL },
	{ 12, v12, NULL, NULL },
	{ 13, v13, NULL, NULL },
	{ 14, v14, NULL, NULL },
};

#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

int
db_schema_latest(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

enum err
db_schema_version(struct db *db, int *version)
{
	struct db_stmt *st = NULL;
	enum err e;
	int row, exists;

	*version = 0;
	if ((e = db_table_exists(db, "schema_migration", &exists)) != ERR_OK ||
	    !exists)
		return e;
	if ((e = db_prepare(db,
	    "SELECT coalesce(max(version), 0) FROM schema_migration",
	    &st)) != ERR_OK)
		return e;
	if ((e = db_step(st, &row)) == ERR_OK && row)
		*version = (int)db_col_int(st, 0);
	db_done(st);
	return e;
}

/* Runs one statement of a migration in this backend's dialect. */
static enum err
run_ddl(struct db *db, const char *sql)
{
	static const char c[] = "COLLATE \"C\"";
	struct buf b;
	const char *p, *hit;
	enum err e;

	if (strcmp(db_backend(db), "sqlite") != 0 || strstr(sql, c) == NULL)
		return db_exec(db, sql);
	buf_init(&b, 1 << 20);
	for (p = sql; (hit = strstr(p, c)) != NULL; p = hit + sizeof c - 1) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, "COLLATE BINARY");
	}
	buf_puts(&b, p);
	e = db_exec(db, buf_cstr(&b));
	buf_free(&b);
	return e;
}

enum err
db_migrate(struct db *db, int *from, int *to)
{
	return db_migrate_to(db, db_schema_latest(), from, to);
}

enum err
db_migrate_to(struct db *db, int target, int *from, int *to)
{
	const char *const *stmt, *const *own;
	struct db_stmt *st;
	enum err e;
	size_t i;
	int v;

	if ((e = db_schema_version(db, &v)) != ERR_OK)
		return e;
	if (from)
		*from = v;
	if (to)
		*to = v;
	if (v > db_schema_latest()) {
		log_error("db: schema version %d is newer than this build "
		    "knows (%d)", v, db_schema_latest());
		return ERR_SCHEMA;
	}
	if (v == 0 && (e = db_exec(db,
	    "CREATE TABLE IF NOT EXISTS schema_migration ("
	    "  version INTEGER PRIMARY KEY,"
	    "  applied_at BIGINT NOT NULL)")) != ERR_OK)
		return e;
	for (i = 0; i < NMIGRATIONS; i++) {
		if (migrations[i].version <= v || migrations[i].version > target)
			continue;
		if ((e = db_begin(db, DB_TX_WRITE)) != ERR_OK)
			return e;
		own = strcmp(db_backend(db), "sqlite") == 0 ?
		    migrations[i].sqlite : migrations[i].pg;
		for (stmt = migrations[i].sql; *stmt; stmt++)
			if ((e = run_ddl(db, *stmt)) != ERR_OK)
				goto fail;
		for (stmt = own; stmt && *stmt; stmt++)
			if ((e = run_ddl(db, *stmt)) != ERR_OK)
				goto fail;
		if ((e = db_prepare(db,
		    "INSERT INTO schema_migration (version, applied_at)"
		    " VALUES ($1, $2)", &st)) != ERR_OK)
			goto fail;
		db_bind_int(st, 1, migrations[i].version);
		db_bind_int(st, 2, time_now_ms());
		e = db_run(st, NULL);
		db_done(st);
		if (e != ERR_OK)
			goto fail;
		if ((e = db_commit(db)) != ERR_OK)
			return e;
		log_info("db: schema migrated to version %d",
		    migrations[i].version);
		if (to)
			*to = migrations[i].version;
	}
	return ERR_OK;
fail:
	db_rollback(db);
	return e;
}
