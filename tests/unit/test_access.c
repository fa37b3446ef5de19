/*
 * Unit tests: access/ (the policy table, roles, passwords, sign-in,
 * sessions and lock-out) with real accounts in a temporary database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "access/actor.h"
#include "access/password.h"
#include "access/policy.h"
#include "access/session.h"
#include "core/staff.h"
#include "store/db.h"
#include "util/crypto.h"
#include "util/timeutil.h"
#include "util/log.h"
#include "tmpdb.h"

#define PW	"correct horse battery"
#define TEAM_A	"team-a-id"
#define TEAM_B	"team-b-id"

static struct actor
make_actor(enum role role, const char *team)
{
	struct actor a;

	memset(&a, 0, sizeof a);
	snprintf(a.id, sizeof a.id, "%s",
	    "00000000-0000-7000-8000-000000000001");
	a.role = role;
	if (team != NULL) {
		snprintf(a.teams[0], sizeof a.teams[0], "%s", team);
		a.nteams = 1;
	}
	return a;
}

static void
test_policy_person_records(void **state)
{
	struct actor peer = make_actor(ROLE_PEER, TEAM_A);
	struct actor sup = make_actor(ROLE_SUPERVISOR, TEAM_A);
	struct actor admin = make_actor(ROLE_ADMIN, TEAM_A);
	struct actor priv = make_actor(ROLE_PRIVACY, TEAM_A);
	struct actor lone = make_actor(ROLE_PEER, NULL);

	(void)state;
	/* Peers and supervisors reach their own team's roster... */
	assert_int_equal(policy_check(&peer, POL_PERSON_READ, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_UPDATE, TEAM_A),
	    ERR_OK);
	assert_int_equal(policy_check(&sup, POL_PERSON_READ, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&sup, POL_PERSON_UPDATE, TEAM_A), ERR_OK);
	/* ...and may not even learn of another team's people. */
	assert_int_equal(policy_check(&peer, POL_PERSON_READ, TEAM_B),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&peer, POL_PERSON_UPDATE, TEAM_B),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&sup, POL_PERSON_READ, TEAM_B),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&peer, POL_PERSON_READ, NULL),
	    ERR_NOT_FOUND);
	assert_int_equal(policy_check(&lone, POL_PERSON_READ, TEAM_A),
	    ERR_NOT_FOUND);
	/* Administrators and privacy officers have no roster, even when
	 * listed on a team. */
	assert_int_equal(policy_check(&admin, POL_PERSON_READ, TEAM_A),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&admin, POL_PERSON_UPDATE, TEAM_A),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&priv, POL_PERSON_READ, TEAM_A),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&priv, POL_PERSON_UPDATE, TEAM_B),
	    ERR_FORBIDDEN);

	/* Lists and creation: own team or no team named. */
	assert_int_equal(policy_check(&peer, POL_PERSON_LIST, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_LIST, NULL), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_CREATE, TEAM_A),
	    ERR_OK);
	assert_int_equal(policy_check(&sup, POL_PERSON_CREATE, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_LIST, TEAM_B),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&peer, POL_PERSON_CREATE, TEAM_B),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&sup, POL_PERSON_CREATE, TEAM_B),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&admin, POL_PERSON_LIST, NULL),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&admin, POL_PERSON_CREATE, TEAM_A),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&priv, POL_PERSON_LIST, TEAM_A),
	    ERR_FORBIDDEN);
}

static void
test_policy_other_actions(void **state)
{
	struct actor peer = make_actor(ROLE_PEER, TEAM_A);
	struct actor sup = make_actor(ROLE_SUPERVISOR, TEAM_A);
	struct actor admin = make_actor(ROLE_ADMIN, NULL);
	struct actor priv = make_actor(ROLE_PRIVACY, NULL);
	const struct actor *all[] = { &peer, &sup, &admin, &priv };
	size_t i;

	(void)state;
	/* Moves: a supervisor to any team, a peer only to their own. */
	assert_int_equal(policy_check(&sup, POL_PERSON_MOVE, TEAM_B), ERR_OK);
	assert_int_equal(policy_check(&sup, POL_PERSON_MOVE, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_MOVE, TEAM_A), ERR_OK);
	assert_int_equal(policy_check(&peer, POL_PERSON_MOVE, TEAM_B),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&admin, POL_PERSON_MOVE, TEAM_A),
	    ERR_FORBIDDEN);
	assert_int_equal(policy_check(&priv, POL_PERSON_MOVE, TEAM_A),
	    ERR_FORBIDDEN);

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		enum role r = all[i]->role;

		/* The directory: everyone but the privacy officer reads
		 * and changes it; only the administrator imports. */
		assert_int_equal(policy_check(all[i], POL_RESOURCE_READ, NULL),
		    r == ROLE_PRIVACY ? ERR_FORBIDDEN : ERR_OK);
		assert_int_equal(policy_check(all[i], POL_RESOURCE_WRITE,
		    NULL), r == ROLE_PRIVACY ? ERR_FORBIDDEN : ERR_OK);
		assert_int_equal(policy_check(all[i], POL_RESOURCE_IMPORT,
		    NULL), r == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN);
		/* The audit log is the privacy officer's alone. */
		assert_int_equal(policy_check(all[i], POL_AUDIT_READ, NULL),
		    r == ROLE_PRIVACY ? ERR_OK : ERR_FORBIDDEN);
		/* Accounts and teams are the administrator's alone. */
		assert_int_equal(policy_check(all[i], POL_STAFF_MANAGE, NULL),
		    r == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN);
		assert_int_equal(policy_check(all[i], POL_TEAM_MANAGE, NULL),
		    r == ROLE_ADMIN ? ERR_OK : ERR_FORBIDDEN);
		/* Everyone may see colleagues' names. */
		assert_int_equal(policy_check(all[i], POL_STAFF_DIRECTORY,
		    NULL), ERR_OK);
	}
	/* An action outside the enum is refused, not allowed. */
	assert_int_equal(policy_check(&sup, (enum policy_action)1000, TEAM_A),
	    ERR_FORBIDDEN);
}

static void
test_roles(void **state)
{
	int i;

	(void)state;
	assert_string_equal(role_name(ROLE_PEER), "peer");
	assert_string_equal(role_name(ROLE_SUPERVISOR), "supervisor");
	assert_string_equal(role_name(ROLE_ADMIN), "admin");
	assert_string_equal(role_name(ROLE_PRIVACY), "privacy");
	assert_string_equal(role_name(ROLE__COUNT), "unknown");
	assert_string_equal(role_name((enum role)-1), "unknown");
	for (i = 0; i < ROLE__COUNT; i++)
		assert_int_equal(role_parse(role_name((enum role)i)), i);
	assert_int_equal(role_parse("Peer"), ROLE__COUNT);
	assert_int_equal(role_parse("peer "), ROLE__COUNT);
	assert_int_equal(role_parse(""), ROLE__COUNT);
	assert_int_equal(role_parse("unknown"), ROLE__COUNT);
	assert_int_equal(role_parse(NULL), ROLE__COUNT);
}

static void
test_password_acceptable(void **state)
{
	char big[PASSWORD_MAX_BYTES + 2];

	(void)state;
	assert_int_equal(password_acceptable("123456789"), ERR_INVALID);
	assert_int_equal(password_acceptable("1234567890"), ERR_OK);
	/* Characters, not bytes: nine two-byte letters are too few. */
	assert_int_equal(password_acceptable("ééééééééé"), ERR_INVALID);
	assert_int_equal(password_acceptable("éééééééééé"), ERR_OK);
	memset(big, 'a', sizeof big);
	big[PASSWORD_MAX_BYTES] = '\0';
	assert_int_equal(password_acceptable(big), ERR_OK);
	big[PASSWORD_MAX_BYTES] = 'a';
	big[PASSWORD_MAX_BYTES + 1] = '\0';
	assert_int_equal(password_acceptable(big), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\x01"), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\t"), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\n"), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\x7f"), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\xff"), ERR_INVALID);
	assert_int_equal(password_acceptable("abcdefghij\xc0\xaf"),
	    ERR_INVALID);
	assert_int_equal(password_acceptable("a passphrase with spaces"),
	    ERR_OK);
	assert_int_equal(password_acceptable(NULL), ERR_INVALID);
}

static void
test_password_hash(void **state)
{
	char h1[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash(PW, h1), ERR_OK);
	assert_int_equal(strncmp(h1, "$argon2id$", 10), 0);
	assert_non_null(memchr(h1, '\0', sizeof h1));
	assert_null(strstr(h1, PW));
	assert_true(password_verify(h1, PW));
	assert_false(password_verify(h1, PW "x"));
	assert_false(password_verify(h1, ""));
	/* A fresh salt each time. */
	assert_int_equal(password_hash(PW, h2), ERR_OK);
	assert_string_not_equal(h1, h2);
	assert_true(password_verify(h2, PW));
	/* An unknown account never verifies. */
	assert_false(password_verify(NULL, PW));
	assert_false(password_verify(NULL, ""));
}

/* Sessions: a database with one team and accounts on it. */

struct fx {
	struct tmpdir		 dir;
	struct db		*db;
	char			 team_id[37];
	struct auth_config	 saved;
};

static void
add_staff(struct db *db, const char *username, enum role role)
{
	static const char *const teams[] = { "north" };
	struct staff_input in;
	struct staff_rec rec;
	struct actor sys;
	struct verr v;

	actor_system(&sys);
	verr_init(&v);
	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME | STAFF_SET_ROLE |
	    STAFF_SET_PASSWORD | STAFF_SET_TEAMS;
	in.username = username;
	in.display_name = username;
	in.role = role;
	in.password = PW;
	in.teams = teams;
	in.nteams = 1;
	assert_int_equal(staff_create(db, &sys, &in, &v, &rec), ERR_OK);
	assert_int_equal(v.n, 0);
	assert_string_equal(rec.username, username);
	staff_rec_clear(&rec);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	struct team_rec t;
	struct actor sys;
	struct verr v;

	if (f == NULL)
		return -1;
	tmpdir_make(&f->dir);
	if ((f->db = tmpdb_open(&f->dir, "access.db")) == NULL)
		return -1;
	actor_system(&sys);
	verr_init(&v);
	if (team_create(f->db, &sys, "north", "North", &v, &t) != ERR_OK)
		return -1;
	snprintf(f->team_id, sizeof f->team_id, "%s", t.id);
	free(t.name);
	free(t.display_name);
	add_staff(f->db, "peer.north", ROLE_PEER);
	f->saved = *auth_current();
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	auth_configure(&f->saved);
	db_close(f->db);
	tmpdir_remove(&f->dir);
	free(f);
	return 0;
}

static int64_t
count(struct db *db, const char *sql, const char *arg)
{
	struct db_stmt *st;
	int64_t n;
	int row;

	assert_int_equal(db_prepare(db, sql, &st), ERR_OK);
	if (arg != NULL)
		db_bind_text(st, 1, arg);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_true(row);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

/* Failed sign-ins counted against a name (0 when none are). */
static int64_t
throttle(struct db *db, const char *username)
{
	char key[65];

	crypto_sha256_hex(username, strlen(username), key);
	return count(db, "SELECT coalesce((SELECT failed_count"
	    " FROM signin_throttle WHERE key = $1), 0)", key);
}

static int64_t
audit_count(struct db *db, const char *action, const char *outcome)
{
	struct db_stmt *st;
	int64_t n;
	int row;

	assert_int_equal(db_prepare(db, "SELECT count(*) FROM audit"
	    " WHERE object_type = 'session' AND action = $1"
	    " AND outcome = $2", &st), ERR_OK);
	db_bind_text(st, 1, action);
	db_bind_text(st, 2, outcome);
	assert_int_equal(db_step(st, &row), ERR_OK);
	n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static void
test_sign_in_out(void **state)
{
	struct fx *f = *state;
	struct sign_in si;
	struct actor a;
	char h[65];

	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, "192.0.2.1",
	    &si), ERR_OK);
	assert_int_equal(strlen(si.token), 43);
	assert_int_equal(strlen(si.actor.csrf_token), 43);
	assert_string_not_equal(si.token, si.actor.csrf_token);
	assert_string_equal(si.actor.username, "peer.north");
	assert_int_equal(si.actor.role, ROLE_PEER);
	assert_int_equal(si.actor.nteams, 1);
	assert_string_equal(si.actor.teams[0], f->team_id);
	assert_int_equal(si.actor.idle_timeout_s, auth_current()->idle_ms /
	    1000);
	assert_int_equal(audit_count(f->db, "sign_in", "success"), 1);

	/* The database keeps the token's hash, never the token. */
	crypto_sha256_hex(si.token, strlen(si.token), h);
	assert_string_equal(si.actor.token_hash, h);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"
	    " WHERE token_hash = $1", h), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session"
	    " WHERE token_hash = $1 OR csrf_token = $1", si.token), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE instr(coalesce(detail, ''), $1) > 0", si.token), 0);
	/* ...so the stored hash does not work as a token. */
	assert_int_equal(auth_resolve(f->db, h, NULL, &a),
	    ERR_UNAUTHENTICATED);

	assert_int_equal(auth_resolve(f->db, si.token, "192.0.2.1", &a),
	    ERR_OK);
	assert_string_equal(a.id, si.actor.id);
	assert_string_equal(a.csrf_token, si.actor.csrf_token);
	assert_string_equal(a.token_hash, h);
	assert_string_equal(a.client_addr, "192.0.2.1");
	assert_int_equal(a.role, ROLE_PEER);
	assert_int_equal(a.nteams, 1);
	assert_string_equal(a.teams[0], f->team_id);

	/* Bad tokens of every shape. */
	assert_int_equal(auth_resolve(f->db, NULL, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(auth_resolve(f->db, "", NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(auth_resolve(f->db,
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_string_equal(a.id, "");	/* cleared on failure */

	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	assert_int_equal(auth_sign_out(f->db, &a), ERR_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session", NULL),
	    0);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(audit_count(f->db, "sign_out", "success"), 1);
	/* Signing out twice is harmless and audited once. */
	assert_int_equal(auth_sign_out(f->db, &si.actor), ERR_OK);
	assert_int_equal(audit_count(f->db, "sign_out", "success"), 1);
	crypto_wipe(&si, sizeof si);
}

static void
test_wrong_password(void **state)
{
	struct fx *f = *state;
	struct sign_in si;

	assert_int_equal(auth_sign_in(f->db, "peer.north", PW "!", "192.0.2.1",
	    &si), ERR_UNAUTHENTICATED);
	assert_string_equal(si.token, "");
	assert_string_equal(si.actor.id, "");
	assert_int_equal(count(f->db, "SELECT count(*) FROM session", NULL),
	    0);
	assert_int_equal(throttle(f->db, "peer.north"), 1);
	/* An unknown account gets the same answer. */
	assert_int_equal(auth_sign_in(f->db, "nobody", PW, NULL, &si),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(audit_count(f->db, "sign_in", "failure"), 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_in' AND detail = $1", "unknown account"),
	    1);
	/* A success clears the failure count. */
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	assert_int_equal(throttle(f->db, "peer.north"), 0);
	crypto_wipe(&si, sizeof si);
}

static void
test_lock_out(void **state)
{
	struct fx *f = *state;
	struct auth_config c;
	struct sign_in si;
	int i;

	auth_config_default(&c);
	c.lock_after = 3;
	c.lock_ms = 60000;
	auth_configure(&c);
	for (i = 0; i < 3; i++)
		assert_int_equal(auth_sign_in(f->db, "peer.north",
		    "wrong guess", NULL, &si), ERR_UNAUTHENTICATED);
	/* Locked: even the right password is refused, with a wait. */
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_RATE_LIMITED);
	assert_true(si.retry_after_s > 0);
	assert_true(si.retry_after_s <= 60);
	assert_string_equal(si.token, "");
	assert_int_equal(count(f->db, "SELECT count(*) FROM session", NULL),
	    0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_in' AND detail = $1", "locked"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_in' AND outcome = $1", "denied"), 1);
	/* Attempts while locked do not count as failures. */
	assert_int_equal(throttle(f->db, "peer.north"), 3);
}

static void
test_lock_expires(void **state)
{
	struct fx *f = *state;
	struct auth_config c;
	struct sign_in si;
	int i;

	auth_config_default(&c);
	c.lock_after = 2;
	c.lock_ms = 30000;
	auth_configure(&c);
	for (i = 0; i < 2; i++)
		assert_int_equal(auth_sign_in(f->db, "peer.north",
		    "wrong guess", NULL, &si), ERR_UNAUTHENTICATED);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_RATE_LIMITED);
	assert_int_equal(si.retry_after_s, 30);
	time_shift_ms(40000);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	assert_int_equal(throttle(f->db, "peer.north"), 0);
	crypto_wipe(&si, sizeof si);
}

static void
test_back_off(void **state)
{
	struct fx *f = *state;
	struct sign_in si;
	int i;

	/* With the default lock after 5, three failures already make the
	 * next try wait. */
	assert_int_equal(auth_current()->lock_after, 5);
	for (i = 0; i < 3; i++)
		assert_int_equal(auth_sign_in(f->db, "peer.north",
		    "wrong guess", NULL, &si), ERR_UNAUTHENTICATED);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_RATE_LIMITED);
	assert_true(si.retry_after_s >= 1 && si.retry_after_s <= 2);
}

static void
test_idle_timeout(void **state)
{
	struct fx *f = *state;
	struct auth_config c;
	struct sign_in si;
	struct actor a;

	auth_config_default(&c);
	c.idle_ms = 60000;	/* touch interval: 6 s */
	auth_configure(&c);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	/* Activity keeps the session alive past the idle time... */
	time_shift_ms(35000);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	time_shift_ms(35000);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	/* ...and idleness ends it for good. */
	time_shift_ms(70000);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_string_equal(a.id, "");
	assert_int_equal(count(f->db, "SELECT count(*) FROM session", NULL),
	    0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_out' AND outcome = 'expired'"
	    " AND detail = $1", "idle"), 1);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);

	/* A 1 ms idle timeout expires at once. */
	c.idle_ms = 1;
	auth_configure(&c);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	time_shift_ms(5);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	crypto_wipe(&si, sizeof si);
}

/* Sets the session's last use to ms milliseconds ago. */
static void
age_session(struct db *db, int64_t ms)
{
	struct db_stmt *st;

	assert_int_equal(db_prepare(db, "UPDATE session SET last_seen_at = $1",
	    &st), ERR_OK);
	db_bind_int(st, 1, time_now_ms() - ms);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	db_done(st);
}

/*
 * The last use is written only every idle/10 (at most a minute), so it may
 * lag: a session must not end until a whole idle period plus that lag has
 * passed, never early.
 */
static void
test_idle_never_early(void **state)
{
	struct fx *f = *state;
	struct auth_config c;
	struct sign_in si;
	struct actor a;

	auth_config_default(&c);
	c.idle_ms = 100000;		/* touch interval: 10 s */
	auth_configure(&c);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	age_session(f->db, 100000 + 5000);	/* within the lag */
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	/* That resolve wrote a fresh last use. */
	assert_true(count(f->db, "SELECT count(*) FROM session WHERE"
	    " last_seen_at > 0", NULL) == 1);
	age_session(f->db, 100000 + 10000 + 1000);	/* past it */
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	crypto_wipe(&si, sizeof si);
}

static void
test_lifetime(void **state)
{
	struct fx *f = *state;
	struct auth_config c;
	struct sign_in si;
	struct actor a;

	auth_config_default(&c);
	c.lifetime_ms = 40000;
	auth_configure(&c);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	time_shift_ms(25000);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a), ERR_OK);
	time_shift_ms(25000);
	/* Active, yet past its absolute lifetime. */
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_out' AND detail = $1", "lifetime"), 1);
	crypto_wipe(&si, sizeof si);
}

/*
 * Accounts made in bulk (the benchmark's generator) may share a hash made
 * once: an encoded argon2id string signs in like the password it came
 * from; anything else, or a password and a hash at once, is refused.
 */
static void
test_staff_password_hash(void **state)
{
	struct fx *f = *state;
	struct staff_input in;
	struct actor sys;
	struct sign_in si;
	struct verr v;
	char hash[PASSWORD_HASH_MAX];

	actor_system(&sys);
	assert_int_equal(password_hash(PW, hash), ERR_OK);
	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_USERNAME | STAFF_SET_DISPLAY_NAME | STAFF_SET_ROLE |
	    STAFF_SET_PASSWORD_HASH;
	in.username = "peer.hashed";
	in.display_name = "Hashed Peer";
	in.role = ROLE_PEER;
	in.password_hash = hash;
	verr_init(&v);
	assert_int_equal(staff_create(f->db, &sys, &in, &v, NULL), ERR_OK);
	assert_int_equal(auth_sign_in(f->db, "peer.hashed", PW, NULL, &si),
	    ERR_OK);
	crypto_wipe(&si, sizeof si);

	in.username = "peer.both";
	in.set |= STAFF_SET_PASSWORD;
	in.password = PW;
	verr_init(&v);
	assert_int_equal(staff_create(f->db, &sys, &in, &v, NULL),
	    ERR_INVALID);
	assert_true(verr_has(&v, "password"));

	in.username = "peer.badhash";
	in.set &= ~STAFF_SET_PASSWORD;
	in.password_hash = "$2b$10$not-an-argon2id-hash";
	verr_init(&v);
	assert_int_equal(staff_create(f->db, &sys, &in, &v, NULL),
	    ERR_INVALID);
	assert_true(verr_has(&v, "password_hash"));
	assert_int_equal(count(f->db, "SELECT count(*) FROM staff"
	    " WHERE username IN ('peer.both', 'peer.badhash')", NULL), 0);
}

static void
test_disabled(void **state)
{
	struct fx *f = *state;
	struct staff_input in;
	struct sign_in si;
	struct actor a, sys;
	struct verr v;
	char id[37];

	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	/* Disabled behind the session's back: the session stops working. */
	assert_int_equal(db_exec(f->db,
	    "UPDATE staff SET disabled = 1 WHERE username = 'peer.north'"),
	    ERR_OK);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_out' AND detail = $1", "disabled"), 1);
	/* The right password does not sign a disabled account in, and the
	 * answer is the same as for a wrong one. */
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(count(f->db, "SELECT count(*) FROM audit"
	    " WHERE action = 'sign_in' AND detail = $1", "disabled"), 1);
	assert_int_equal(count(f->db, "SELECT count(*) FROM session", NULL),
	    0);

	/* Enabled again through staff_update, then disabled the same way:
	 * that ends the account's sessions too. */
	actor_system(&sys);
	assert_int_equal(staff_id_by_username(f->db, "peer.north", id),
	    ERR_OK);
	memset(&in, 0, sizeof in);
	in.set = STAFF_SET_DISABLED;
	in.disabled = 0;
	verr_init(&v);
	assert_int_equal(staff_update(f->db, &sys, id, -1, &in, &v, NULL,
	    NULL), ERR_OK);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_OK);
	in.disabled = 1;
	assert_int_equal(staff_update(f->db, &sys, id, -1, &in, &v, NULL,
	    NULL), ERR_OK);
	assert_int_equal(auth_resolve(f->db, si.token, NULL, &a),
	    ERR_UNAUTHENTICATED);
	assert_int_equal(auth_sign_in(f->db, "peer.north", PW, NULL, &si),
	    ERR_UNAUTHENTICATED);
	crypto_wipe(&si, sizeof si);
}

static void
test_load_teams(void **state)
{
	struct fx *f = *state;
	struct actor a;

	memset(&a, 0, sizeof a);
	assert_int_equal(staff_id_by_username(f->db, "peer.north", a.id),
	    ERR_OK);
	a.nteams = 5;
	assert_int_equal(auth_load_teams(f->db, &a), ERR_OK);
	assert_int_equal(a.nteams, 1);
	assert_string_equal(a.teams[0], f->team_id);
	snprintf(a.id, sizeof a.id, "%s", "no-such-account");
	assert_int_equal(auth_load_teams(f->db, &a), ERR_OK);
	assert_int_equal(a.nteams, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_person_records),
		cmocka_unit_test(test_policy_other_actions),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_password_acceptable),
		cmocka_unit_test(test_password_hash),
		cmocka_unit_test_setup_teardown(test_sign_in_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_expires, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_back_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_idle_never_early, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lifetime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_password_hash,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_teams, setup,
		    teardown),
	};

	if (crypto_init() != ERR_OK)
		return 1;
	log_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
