package e2e_test

import (
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
)

// breakCatches maps each break of the reference (one documented behavior switched off) to
// exactly the requirements whose specs must then fail. A break that no spec notices, or that
// fails more than its own requirements without saying so here, fails this test: every spec has
// been seen to fail, and each failure points at the right sentence.
var breakCatches = map[string][]string{
	"lptracker.accept-missing-login":    {"lptracker.login.field-required"},
	"lptracker.accept-missing-password": {"lptracker.login.field-required"},
	"lptracker.accept-missing-service":  {"lptracker.login.field-required"},
	"lptracker.accept-missing-version":  {"lptracker.login.field-required"},
	"lptracker.accept-any-version":      {"lptracker.login.version-1-0-only", "lptracker.login.version-spelling-refused"},
	"lptracker.accept-wrong-password":   {"lptracker.login.wrong-password-refused", "lptracker.login.error-shape"},
	// Every spec that needs a token reads result.token.
	"lptracker.success-shape": {"lptracker.login.success-shape", "lptracker.logout.deletes-token", "lptracker.logout.requires-token",
		"lptracker.logout.success-shape", "lptracker.logout.other-services-kept", "lptracker.per-ip.ips-independent", "lptracker.per-ip.many-services", "lptracker.per-ip.one-user",
		"lptracker.token.header", "lptracker.token.required", "lptracker.token.unknown-refused", "lptracker.ttl.activity-extends",
		"lptracker.ttl.expires-when-idle", "lptracker.ttl.valid-within-idle",
		"lptracker.race.logout-final", "lptracker.race.many-services", "lptracker.race.services-distinct-tokens"},
	"lptracker.error-shape": {"lptracker.login.error-shape"},
	// Every spec that expects a token in header `token` to work.
	"lptracker.token-header-authorization": {"lptracker.token.header", "lptracker.logout.deletes-token", "lptracker.logout.success-shape",
		"lptracker.per-ip.ips-independent", "lptracker.per-ip.many-services", "lptracker.ttl.activity-extends", "lptracker.ttl.valid-within-idle",
		"lptracker.race.logout-final", "lptracker.race.many-services"},
	// A probe that accepts anything cannot show a token ending, so the per-IP invariant fails too.
	"lptracker.ignore-token": {"lptracker.token.required", "lptracker.token.unknown-refused", "lptracker.logout.deletes-token",
		"lptracker.ttl.expires-when-idle", "lptracker.per-ip.one-user", "lptracker.race.logout-final", "lptracker.race.one-user-per-ip"},
	"lptracker.logout-shape":            {"lptracker.logout.success-shape"},
	"lptracker.logout-keeps-token":      {"lptracker.logout.deletes-token", "lptracker.race.logout-final"},
	"lptracker.logout-without-token-ok": {"lptracker.logout.requires-token"},
	"lptracker.logout-unknown-token-ok": {"lptracker.logout.unknown-token-refused"},
	"lptracker.logout-ends-services":    {"lptracker.logout.other-services-kept"},
	"lptracker.ttl-absolute":            {"lptracker.ttl.activity-extends"},
	"lptracker.ttl-none":                {"lptracker.ttl.expires-when-idle"},
	"lptracker.multi-user-per-ip":       {"lptracker.per-ip.one-user", "lptracker.race.one-user-per-ip"},
	"lptracker.one-service-per-ip":      {"lptracker.per-ip.many-services", "lptracker.race.many-services"},
	"lptracker.global-single-user":      {"lptracker.per-ip.ips-independent"},
	// The race breaks: each splits one atomic step in two; only its race spec sees it.
	"lptracker.race-one-user-per-ip": {"lptracker.race.one-user-per-ip"},
	"lptracker.race-lost-services":   {"lptracker.race.many-services"},
	// The uniqueness spec's logins after the first go side by side: they meet in the window too.
	"lptracker.race-shared-token":      {"lptracker.race.services-distinct-tokens", "lptracker.security.tokens-unpredictable"},
	"lptracker.race-logout-resurrects": {"lptracker.race.logout-final"},
	// Busy only above 200 probes a second, which the specs alone never send: no spec fails in
	// a plain run. Under load it fails the logout spec (TestOnlyUnderLoad, underload_test.go).
	"lptracker.busy-cache": {},
	// Busy only above 100 valid probes a second, and only for tokens first probed over 500 ms
	// before: no spec meets it, alone or under load. The load's own answers do
	// (e2e/underload_test.go).
	"lptracker.busy-refuses-live": {},

	// Its key changes at the fourth login: only a config with jwt.secret sees it, and the run
	// then fails jwt.security.expired-refused (the key worked earlier in the run: the target
	// changed, e2e/verdict_table_test.go); without one every spec passes.
	"jwt.key-changes": {},
	// The interleaving breaks: only a sequence shows them, which no spec but the model specs'
	// exploration sends (left out here; TestExplorationCatchesInterleavingBreaks).
	"lptracker.probe-wears-out":            {},
	"lptracker.second-session-ends-others": {},
	"jwt.token-wears-out":                  {},
	"jwt.two-token-table":                  {},
	"flylogs.failed-login-ends-sessions":   {},
	"apikey.near-miss-revokes":             {},
	"newapikey.login-ends-used-keys":       {},
	// The concurrent interleaving breaks: only requests in flight together show them, which
	// only the exploration's groups send (TestExplorationCatchesConcurrentBreaks).
	"flylogs.login-ends-probed-token":        {},
	"apikey.concurrent-probes-refused":       {},
	"newapikey.login-key-for-queried-user":   {},
	"lptracker.logout-ends-concurrent-login": {},
	"jwt.login-signs-probed-user":            {},

	"jwt.success-shape":        {"jwt.login.success-shape"},
	"jwt.opaque-token":         {"jwt.login.token-is-jwt"}, // the security specs skip: nothing to forge from
	"jwt.login-fail-200":       {"jwt.login.failure-401"},
	"jwt.login-fail-shape":     {"jwt.login.failure-shape"},
	"jwt.no-header-token":      {"jwt.token.header", "jwt.me.returns-logged-in-user"}, // doc 004's /users/me example uses the header
	"jwt.no-query-token":       {"jwt.token.query", "jwt.me.returns-logged-in-user"},  // the /users/me spec of the query parameter
	"jwt.me-wrong-user":        {"jwt.me.returns-logged-in-user"},
	"jwt.accept-missing-token": {"jwt.token.required"},
	// A token without its signature segment is malformed, which this break takes as the first user.
	"jwt.accept-garbage-token": {"jwt.token.required", "jwt.security.signature-stripped-refused"},
	"jwt.accept-alg-none":      {"jwt.security.alg-none-refused"},
	// Any HS256 signature passes: an emptied or cut one, one made with a key a kid chose or a
	// jwk of kty "oct" carried.
	"jwt.skip-signature": {"jwt.security.tampered-signature-refused", "jwt.security.signature-stripped-refused",
		"jwt.security.signature-truncated-refused", "jwt.security.kid-header-ignored", "jwt.security.jwk-header-ignored"},
	// No claim checked: nbf and a missing exp neither.
	"jwt.ignore-exp": {"jwt.security.expired-refused", "jwt.security.not-yet-valid-refused", "jwt.security.exp-required"},
	// jwt_tool's attacks (reference/jwtattacks.go), each caught by its spec alone.
	"jwt.accept-empty-signature":     {"jwt.security.signature-stripped-refused"},
	"jwt.accept-truncated-signature": {"jwt.security.signature-truncated-refused"},
	"jwt.accept-other-hmac":          {"jwt.security.one-alg-per-key"},
	"jwt.trust-jwk":                  {"jwt.security.jwk-header-ignored"},
	"jwt.trust-jku":                  {"jwt.security.jku-header-ignored"},
	"jwt.kid-file":                   {"jwt.security.kid-header-ignored"},
	"jwt.ignore-nbf":                 {"jwt.security.not-yet-valid-refused"},
	"jwt.accept-no-exp":              {"jwt.security.exp-required"},
	"jwt.password-in-payload":        {"jwt.security.no-password-in-payload"},
	// The break serves a wrong key as well as a missing one.
	// Check, a delay, then use up: the second of one code's logins at one instant meets a 500.
	"flylogs.race-code-500": {"flylogs.race.code-checked-twice"},
	"flylogs.no-api-key":    {"flylogs.api-key.required", "flylogs.api-key.unknown-refused"},
	// Every spec that reads response.token after a login (the probe specs log in first).
	"flylogs.success-shape": {"flylogs.login.success-shape", "flylogs.login.form-post", "flylogs.2fa.correct-code",
		"flylogs.api-key.required", "flylogs.token.accepted", "flylogs.token.required", "flylogs.race.code-checked-twice"},
	"flylogs.failure-shape": {"flylogs.login.failure-shape"},
	// The failure example's url (should): both refusals the example's message names.
	"flylogs.failure-url": {"flylogs.login.example-url-null"},
	// The wrong password gets a success, so the failure's shape is missing too.
	"flylogs.accept-wrong-password": {"flylogs.login.wrong-password-refused", "flylogs.login.failure-shape"},
	// A token at once means no code is generated, so none is mailed.
	"flylogs.2fa-token-without-code": {"flylogs.2fa.code-required", "flylogs.2fa.code-delivered"},
	// correct-code, wrong-code and code-bound-to-user skip: no code to use (they name code-delivered).
	"flylogs.2fa-no-delivery": {"flylogs.2fa.code-delivered"},
	// Any code logs in, another user's included.
	"flylogs.2fa-accept-wrong-code": {"flylogs.2fa.wrong-code-refused", "flylogs.security.code-bound-to-user"},
	"flylogs.2fa-cross-user-code":   {"flylogs.security.code-bound-to-user"},
	"flylogs.2fa-flag-for-non-2fa":  {"flylogs.2fa.null-without-2fa"},
	"flylogs.ignore-token":          {"flylogs.token.required"},
	// Every spec sends the document's form (curl -d): each one that needs the login to work fails;
	// the 2FA specs that need a code skip, naming code-delivered.
	// The example message's spec reads the 415's message.
	"flylogs.json-only": {"flylogs.login.example-message", "flylogs.login.form-post", "flylogs.login.success-shape", "flylogs.2fa.null-without-2fa",
		"flylogs.2fa.code-required", "flylogs.2fa.code-delivered", "flylogs.api-key.required", "flylogs.token.accepted",
		"flylogs.token.required"},

	"apikey.accept-missing-key":    {"apikey.login.field-required"},
	"apikey.accept-missing-secret": {"apikey.login.field-required"},
	"apikey.accept-wrong-secret":   {"apikey.login.wrong-secret-refused"},
	"apikey.id-string":             {"apikey.login.id-integer"},
	"apikey.bad-date":              {"apikey.login.date-time"},
	"apikey.missing-email":         {"apikey.login.required-fields"},
	"apikey.account-missing-name":  {"apikey.login.account-schema"},
	// Each date-time field, and each way a date-time goes wrong: another word, SQL's layout
	// (a space for T, no offset), no offset.
	"apikey.bad-updated-date": {"apikey.login.date-time"},
	"apikey.date-sql":         {"apikey.login.date-time"},
	"apikey.date-no-offset":   {"apikey.login.date-time"},
	// The Account schema in every accounts[] item, not only in primaryAccount.
	"apikey.accounts-item-missing-id": {"apikey.login.account-schema"},
	"apikey.no-swagger":               {"apikey.swagger.served"},
	"apikey.ignore-token":             {"apikey.token.required"},

	// Check, a delay, then use up: the second of one tfkey's logins at one instant meets a 500.
	"newapikey.race-tfkey-500": {"newapikey.race.tfkey-checked-twice"},
	"newapikey.success-shape":  {"newapikey.login.added-key", "newapikey.2fa.tfkey"}, // the tfkey login's ADDED_KEY too
	// The ADDED_KEY after a tfkey alone: the second example answer read in full.
	"newapikey.tfkey-answer-shape": {"newapikey.2fa.tfkey"},
	// No ADDED_TF means no code is sent.
	"newapikey.2fa-skip": {"newapikey.2fa.added-tf", "newapikey.2fa.code-delivered"},
	// A wrong tfkey gets a key, so its error's shape is missing too.
	"newapikey.2fa-accept-wrong-tfkey": {"newapikey.2fa.wrong-tfkey-refused", "newapikey.login.error-shape"},
	// tfkey and wrong-tfkey skip: no code to use (they name code-delivered).
	"newapikey.2fa-no-delivery": {"newapikey.2fa.code-delivered"},
	// The wrong password gets ADDED_KEY, so the error's shape is missing too.
	"newapikey.accept-wrong-password": {"newapikey.login.wrong-credentials-refused", "newapikey.login.error-shape"},
	"newapikey.error-shape":           {"newapikey.login.error-shape"},
	// A server that ignores the key also takes one user's key with another's name.
	"newapikey.ignore-key":     {"newapikey.key.required", "newapikey.key.bound-to-user"},
	"newapikey.other-user-key": {"newapikey.key.bound-to-user"},
	// The XML spec queries .json and .xml with one key: the second use fails.
	"newapikey.key-single-use": {"newapikey.key.reusable", "newapikey.format.xml-same-data"},
	"newapikey.xml-differs":    {"newapikey.format.xml-same-data"},
	"newapikey.xml-malformed":  {"newapikey.format.xml-well-formed"},
}

// breakSpecs maps each break of one variation of a behavior (one wrong form of a credential,
// one token placement, one output format, one account, one edge of a TTL) to exactly the specs,
// "requirement: spec text", that must then fail: the variation's own spec, which no other break
// fails alone, and no spec of the variations the break leaves alone.
var breakSpecs = merge(
	map[string][]string{
		// Token placements: doc 004's two ways, each checked for every token check.
		"jwt.accept-garbage-query-token": {"jwt.token.required: sends the probe with a garbage token in query parameter token",
			"jwt.security.signature-stripped-refused: sends the probe with the token's signature removed and emptied, its alg kept, in query parameter token"},
		"jwt.me-wrong-user-query": {"jwt.me.returns-logged-in-user: sends GET /users/me with each of two users' tokens in query parameter token"},
		// The header verified, the query parameter only decoded: every forgery in the query.
		"jwt.query-unverified": {
			`jwt.security.alg-none-refused: sends the probe with the token re-signed as "alg": "none", "None", "NONE" and "nOnE" in query parameter token`,
			"jwt.security.tampered-signature-refused: sends the probe with the token's payload changed and its signature kept, in query parameter token",
			"jwt.security.expired-refused: sends the probe with an expired token in query parameter token",
			"jwt.security.signature-stripped-refused: sends the probe with the token's signature removed and emptied, its alg kept, in query parameter token",
			"jwt.security.signature-truncated-refused: sends the probe with the token's signature cut short, in query parameter token",
			"jwt.security.one-alg-per-key: sends the probe with the token re-signed with jwt.secret under each other HMAC algorithm, in query parameter token",
			"jwt.security.jwk-header-ignored: sends the probe with the token re-signed with conform's own key, embedded in a jwk header, in query parameter token",
			"jwt.security.jku-header-ignored: sends the probe with the token re-signed with conform's own key, published at a jku header's URL, in query parameter token",
			"jwt.security.kid-header-ignored: sends the probe with the token re-signed under a path-traversal and an SQL kid, in query parameter token",
			"jwt.security.not-yet-valid-refused: sends the probe with the token re-signed with jwt.secret and an nbf an hour ahead, in query parameter token",
			"jwt.security.exp-required: sends the probe with the token re-signed with jwt.secret without its exp, in query parameter token",
		},

		// A session token compared over the shorter length, or truncated to its column: the
		// one form of the issued token each lets through.
		"lptracker.token-prefix-ok":   {"lptracker.token.unknown-refused: sends the probe with the token it was issued without its last character"},
		"lptracker.token-appended-ok": {"lptracker.token.unknown-refused: sends the probe with the token it was issued with one character appended"},
		"flylogs.token-prefix-ok":     {"flylogs.token.required: sends the probe with the API key and the token it was issued without its last character"},
		"flylogs.token-appended-ok":   {"flylogs.token.required: sends the probe with the API key and the token it was issued with one character appended"},
		"apikey.token-prefix-ok":      {"apikey.token.required: sends the probe with the token it was issued without its last character"},
		"apikey.token-appended-ok":    {"apikey.token.required: sends the probe with the token it was issued with one character appended"},

		// Every configured account for the shape and schema checks: the first account's
		// answer is right, the second's is not.
		"jwt.later-user-shape":     {"jwt.login.success-shape: sends a valid login of every configured account and reads each answer"},
		"flylogs.later-user-shape": {"flylogs.login.success-shape: sends a valid login of every configured account without 2FA and reads each answer"},
		"newapikey.later-user-shape": {"newapikey.login.added-key: sends a valid login of every configured account without 2FA and reads each answer",
			"newapikey.2fa.tfkey: sends each 2FA user's valid login again with tfkey set to the code"}, // the 2FA user is not the first
		"lptracker.later-user-shape": {"lptracker.login.success-shape: sends a valid login of every configured account, one after the other, and reads each answer"},
		// A wrong code mails a code again, as an empty one does ("This case, triggers ...").
		"flylogs.2fa-no-mail-after-wrong-code": {"flylogs.2fa.code-delivered: sends a 2FA user's valid login with a wrong code and waits for a code"},
		// "Only version 1.0": each break takes one other version, or one other spelling of 1.0.
		"lptracker.version-newer-minor-ok":    {"lptracker.login.version-1-0-only: sends a login with version 1.1"},
		"lptracker.version-older-ok":          {"lptracker.login.version-1-0-only: sends a login with version 0.9"},
		"lptracker.version-empty-ok":          {"lptracker.login.version-1-0-only: sends a login with an empty version"},
		"lptracker.version-no-minor-ok":       {`lptracker.login.version-spelling-refused: sends a login with version "1"`},
		"lptracker.version-trailing-zeros-ok": {`lptracker.login.version-spelling-refused: sends a login with version "1.00"`},
		"lptracker.version-patch-ok":          {`lptracker.login.version-spelling-refused: sends a login with version "1.0.0"`},
		"lptracker.version-number-ok":         {"lptracker.login.version-spelling-refused: sends a login with version 1.0 as a JSON number"},
		"lptracker.version-padded-ok":         {`lptracker.login.version-spelling-refused: sends a login with version " 1.0" (a leading space)`},
		"lptracker.version-prefixed-ok":       {`lptracker.login.version-spelling-refused: sends a login with version "v1.0"`},
		"lptracker.version-null-ok":           {"lptracker.login.version-1-0-only: sends a login with version null"},
		// "All fields are required": a field given without a value, null (must) or "" (should).
		"lptracker.service-null-ok":  {"lptracker.login.field-required: sends a login with service null"},
		"lptracker.service-empty-ok": {`lptracker.login.field-empty-refused: sends a login with an empty service ""`},
		// Every configured 2FA account for the per-account 2FA behaviors: the first 2FA
		// user's is right, the second's is not (reference/breaks_accounts.go). A code that
		// never comes is the delivery spec's failure; the specs that need the code skip.
		"flylogs.2fa-no-delivery-second":     {"flylogs.2fa.code-delivered: sends each 2FA user's valid login with an empty code and waits for each code"},
		"flylogs.2fa-later-user-challenge":   {"flylogs.2fa.code-required: sends each 2FA user's valid login with an empty code"},
		"flylogs.2fa-later-user-shape":       {"flylogs.2fa.correct-code: sends each 2FA user's valid login with the code"},
		"flylogs.2fa-code-skips-password":    {"flylogs.login.wrong-password-refused: sends each 2FA user's login with a wrong password, without a code and with its current code"},
		"newapikey.2fa-no-delivery-second":   {"newapikey.2fa.code-delivered: sends each 2FA user's valid login without tfkey and waits for each code"},
		"newapikey.2fa-later-user-challenge": {"newapikey.2fa.added-tf: sends each 2FA user's valid login without tfkey"},
		"newapikey.2fa-later-user-shape":     {"newapikey.2fa.tfkey: sends each 2FA user's valid login again with tfkey set to the code"},
		"newapikey.2fa-code-skips-password":  {"newapikey.login.wrong-credentials-refused: sends each 2FA user's login with a wrong password, without tfkey and with its current code"},

		// The probe with every account's token: the first user's is accepted, the second's not.
		"flylogs.later-user-token-refused": {"flylogs.token.accepted: sends the probe with the API key and each account's token"},
		"apikey.later-user-token-refused":  {"apikey.token.accepted: sends the probe with each account's token"},

		// The idle TTL at both edges.
		"lptracker.ttl-short": {"lptracker.ttl.valid-within-idle: sends the probe just before the idle TTL runs out without activity"},
		"lptracker.ttl-long":  {"lptracker.ttl.expires-when-idle: sends the probe just after the idle TTL without activity"},

		// .json and .xml for every check of data: the key checked, and the right user's
		// information, in both. A server answering another user's data in both formats fails
		// both formats' specs (and no comparison of the two); the .json spec cannot fail alone,
		// since .xml's data is compared with .json's.
		// The username left out of a query with a valid key (should).
		"newapikey.key-without-user-ok": {"newapikey.key.user-required: sends /view/user/api.json with the login's key and no user"},
		"newapikey.xml-missing-key-ok":  {"newapikey.key.required: sends /view/user/api.xml with the user and no key"},
		"newapikey.xml-other-user-key":  {"newapikey.key.bound-to-user: sends /view/user/api.xml with one user's key and another user's name"},
		"newapikey.xml-extra-user":      {"newapikey.view.personal-information: sends /view/user/api.xml with each of two users' names and keys"},
		// The user's name left out of its personal information (should).
		"newapikey.view-unnamed": {
			"newapikey.view.names-user: sends /view/user/api.json with a user's name and key and reads its user name",
			"newapikey.view.names-user: sends /view/user/api.xml with a user's name and key and reads its user name",
		},
		"newapikey.view-wrong-user": {
			"newapikey.view.personal-information: sends /view/user/api.json with each of two users' names and keys",
			"newapikey.view.personal-information: sends /view/user/api.xml with each of two users' names and keys",
			"newapikey.view.names-user: sends /view/user/api.json with a user's name and key and reads its user name",
			"newapikey.view.names-user: sends /view/user/api.xml with a user's name and key and reads its user name",
		},

		// Another company's user.
		"flylogs.any-company": {"flylogs.login.company-users-only: sends a valid login of another company's user with the company's API key"},
		// And this company's user with another company's key.
		"flylogs.api-key-other-account": {"flylogs.login.company-users-only: sends a valid login with another company's API key"},

		// The served swagger.yaml compared with doc 001's schemas.
		"apikey.swagger-drift": {"apikey.swagger.matches-document: fetches /apikeys/swagger.yaml and compares its schemas with doc 001's"},

		// The company key left off every kind of request.
		"flylogs.no-key-for-challenge": {"flylogs.api-key.required: sends a 2FA user's valid login with an empty code but without the API key"},
		"flylogs.no-key-with-code":     {"flylogs.api-key.required: sends a 2FA user's valid login with the code but without the API key"},

		// The documents' example messages, and an earlier key after a later login (should).
		"flylogs.message-wrong-password":   {"flylogs.login.example-message: sends a login with a wrong password and reads response.message"},
		"flylogs.message-unknown-email":    {"flylogs.login.example-message: sends a login with an unknown email and reads response.message"},
		"jwt.other-message":                {"jwt.login.example-message: sends a login with a wrong password and reads message"},
		"lptracker.message-wrong-password": {"lptracker.login.example-message: sends a login with a wrong password and reads errors[0].message"},
		"lptracker.message-unknown-login":  {"lptracker.login.example-message: sends a login with an unknown login and reads errors[0].message"},
		"newapikey.new-login-revokes":      {"newapikey.key.earlier-keys-kept: logs one user in for two applications (two descriptions) and queries with each key"},

		// The documented error shape on every documented refusal.
		"jwt.unknown-email-shape":       {"jwt.login.failure-shape: sends a login with an unknown email and reads the answer"},
		"flylogs.unknown-email-shape":   {"flylogs.login.failure-shape: sends a login with an unknown email and reads the answer"},
		"lptracker.unknown-login-shape": {"lptracker.login.error-shape: sends a login with an unknown login and reads the error"},
		"newapikey.unknown-user-shape":  {"newapikey.login.error-shape: sends a login with an unknown user and reads the answer"},
		"newapikey.tfkey-error-shape":   {"newapikey.login.error-shape: sends a 2FA user's valid login again with a wrong tfkey and reads the answer"},

		"apikey.later-user-schema": {
			"apikey.login.required-fields: sends a valid login of every configured account and validates its required fields id, email and token against the schema",
			"apikey.login.id-integer: sends a valid login of every configured account and validates its id against the schema",
			"apikey.login.date-time: sends a valid login of every configured account and validates its createdAt and updatedAt against the schema",
			"apikey.login.account-schema: sends a valid login of every configured account and validates its primaryAccount and accounts against the schema",
			"apikey.login.schema: sends a valid login of every configured account and validates the rest of its fields against the schema",
		},
	},
	// The reference's lax comparisons (reference/lax.go): each lets one wrong form through,
	// which the spec sending that form, and no other, sees.
	formBreaks("jwt.password", "jwt.login.failure-401", "sends a login with ", "password"),
	formBreaks("flylogs.password", "flylogs.login.wrong-password-refused", "sends a login with ", "password"),
	formBreaks("newapikey.password", "newapikey.login.wrong-credentials-refused", "sends a login with ", "pass"),
	formBreaks("lptracker.password", "lptracker.login.wrong-password-refused", "sends a login with ", "password"),
	formBreaks("flylogs.api-key", "flylogs.api-key.unknown-refused", "sends a valid login with ", "API key", "empty-ok", "case-folded", "prefix-ok", "appended-ok"),
	formBreaks("newapikey.key", "newapikey.key.required", "sends /view/user/api.json with the user and ", "key", "case-folded", "prefix-ok", "appended-ok"),
	formBreaks("flylogs.2fa-code", "flylogs.2fa.wrong-code-refused", "sends a 2FA user's valid login with ", "code", "prefix-ok", "appended-ok"),
	formBreaks("newapikey.tfkey", "newapikey.2fa.wrong-tfkey-refused", "sends a 2FA user's valid login again with ", "tfkey", "empty-ok", "prefix-ok", "appended-ok", "other-account"),
	formBreaks("apikey.secret", "apikey.login.wrong-secret-refused", "sends a login with ", "apiSecret"),
	formBreaks("apikey.key", "apikey.login.wrong-key-refused", "sends a login with ", "apiKey", "empty-ok", "case-folded", "prefix-ok", "appended-ok"),
)

// forms are the suffixes of a credential's lax breaks and what the spec of each form sends in
// place of the credential, as env.Form.What says it.
var forms = []struct{ suffix, what string }{
	{"empty-ok", "an empty %s"},
	{"case-folded", "the %s in another letter case"},
	{"prefix-ok", "the %s without its last character"},
	{"appended-ok", "the %s with one character appended"},
	{"other-account", "another account's %s"},
}

// formBreaks maps the lax breaks of one credential (name-<form>) to the spec of their form:
// requirement req, text prefix then the form's what of noun.
func formBreaks(name, req, prefix, noun string, only ...string) map[string][]string {
	out := map[string][]string{}
	for _, f := range forms {
		if len(only) > 0 && !slices.Contains(only, f.suffix) {
			continue
		}
		out[name+"-"+f.suffix] = []string{req + ": " + prefix + strings.ReplaceAll(f.what, "%s", noun)}
	}
	return out
}

// merge merges maps whose keys do not overlap.
func merge(ms ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range ms {
		for k, v := range m {
			if _, dup := out[k]; dup {
				panic("breakSpecs: " + k + " twice")
			}
			out[k] = v
		}
	}
	return out
}

// TestEveryBreakIsCaughtByItsSpec runs the binary against the reference with each break and
// asserts the exact set of requirements (or specs) that fail. make test runs a cover of the
// breaks (see breakCover): every requirement a break catches is seen to fail in every make
// test; make check (CONFORM_BREAKS=all) runs every break, the partial ones included.
func TestEveryBreakIsCaughtByItsSpec(t *testing.T) {
	t.Parallel()
	wants := map[string][]string{}
	for _, name := range reference.BreakNames() {
		want, ok := breakCatches[name]
		specs, bySpec := breakSpecs[name]
		switch {
		case ok && bySpec:
			t.Errorf("break %s is in both breakCatches and breakSpecs: keep one", name)
			continue
		case bySpec:
			want = specIDs(specs)
		case !ok:
			t.Errorf("break %s has no entry in breakCatches or breakSpecs: which spec catches it?", name)
			continue
		}
		wants[name] = want
	}
	run := breakCover(wants)
	switch only := os.Getenv("CONFORM_BREAKS"); only {
	case "":
	case "all":
		run = reference.BreakNames()
	default: // a comma-separated list of breaks, to try one while writing it
		run = strings.Split(only, ",")
	}
	t.Logf("%d of %d breaks (CONFORM_BREAKS=all runs every one, CONFORM_BREAKS=NAME,... the ones named)", len(run), len(wants))
	for _, name := range run {
		want, ok := wants[name]
		if !ok {
			t.Errorf("no break %s with an entry in breakCatches or breakSpecs", name)
			continue
		}
		profile := strings.SplitN(name, ".", 2)[0]
		_, bySpec := breakSpecs[name]
		specs := breakSpecs[name]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			url, cfg := startReferenceHolding(t, time.Millisecond, name)
			r := conform(t, "run", "--target", url, "--config", cfg, "--profile", profile, "--strict")
			if r.report == nil {
				t.Fatalf("no report; exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			got := keys(failedIDs(r.report))
			if !slices.Equal(got, sorted(want)) {
				t.Errorf("break %s: failed requirements %v, want %v\n%s", name, got, sorted(want), r.stdout)
			}
			if bySpec {
				if got := keys(failedSpecs(r.report)); !slices.Equal(got, sorted(specs)) {
					t.Errorf("break %s: failed specs\n  %s\nwant\n  %s", name, strings.Join(got, "\n  "), strings.Join(sorted(specs), "\n  "))
				}
			}
			if wantCode := map[bool]int{true: 0, false: 1}[len(want) == 0]; r.code != wantCode {
				t.Errorf("exit code %d, want %d", r.code, wantCode)
			}
		})
	}
}

// breakCover picks, greedily and in name order (the same choice every run), the fewest
// breaks that between them make every caught requirement fail, plus every break that
// catches nothing (a behavior no must or should spec may fail on: it must pass).
func breakCover(wants map[string][]string) []string {
	names := slices.Sorted(maps.Keys(wants))
	uncovered := map[string]bool{}
	var out []string
	for _, n := range names {
		if len(wants[n]) == 0 {
			out = append(out, n)
		}
		for _, id := range wants[n] {
			uncovered[id] = true
		}
	}
	for len(uncovered) > 0 {
		best, most := "", 0
		for _, n := range names {
			c := 0
			for _, id := range wants[n] {
				if uncovered[id] {
					c++
				}
			}
			if c > most {
				best, most = n, c
			}
		}
		for _, id := range wants[best] {
			delete(uncovered, id)
		}
		out = append(out, best)
	}
	sort.Strings(out)
	return out
}

// specIDs lists the requirement ids of "requirement: spec text" entries, each once.
func specIDs(specs []string) []string {
	seen := map[string]bool{}
	for _, s := range specs {
		id, _, _ := strings.Cut(s, ": ")
		seen[id] = true
	}
	return keys(seen)
}

// failedSpecs lists the failed specs of a report as "requirement: spec text".
func failedSpecs(r *suites.Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Specs {
		if s.State == suites.Failed {
			out[s.ID+": "+s.Text] = true
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}
