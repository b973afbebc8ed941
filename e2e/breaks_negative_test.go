package e2e_test

// The breaks of the negative specs (specs/negative, specs/jwt/keys.go, specs/*/codeonce.go; the
// reference's mint breaks, reference/mint.go, are the same switch on every profile):
// how a server meets hostile input, and the token properties auditors check. Kept apart from
// breakCatches' own file; merged into it before the tests run.
func init() {
	for name, reqs := range negativeCatches {
		if _, dup := breakCatches[name]; dup {
			panic("breakCatches: " + name + " twice")
		}
		breakCatches[name] = reqs
	}
	for name, reqs := range alsoCatches {
		if _, ok := breakCatches[name]; !ok {
			panic("alsoCatches: " + name + " is not in breakCatches")
		}
		breakCatches[name] = append(breakCatches[name], reqs...)
	}
	for name, specs := range alsoSpecs {
		if _, ok := breakSpecs[name]; !ok {
			panic("alsoSpecs: " + name + " is not in breakSpecs")
		}
		breakSpecs[name] = append(breakSpecs[name], specs...)
	}
}

// The negative specs' texts, as "requirement: spec text" (breakSpecs' form) by profile.
func hostileLogins(p string) string {
	return p + ".robustness.hostile-login-refused: sends hostile logins (malformed, mistyped, missing, duplicated, 1 MiB, NUL, unicode, injection)"
}

func hostileShape(p string) string {
	return p + ".robustness.hostile-login-shape: sends hostile logins the target reads as logins (mistyped, missing, duplicated, NUL, unicode, injection)"
}

func hostileTokens(p string) string {
	return p + ".robustness.hostile-token-refused: sends the probe with hostile tokens (garbage, long, NUL, unicode, injection, JSON operators)"
}

func ownToken(p string) string {
	return p + ".security.own-token: logs two users in one after the other and compares their tokens and whose each says it is"
}

// alsoCatches are the requirements of the negative specs that breaks of other behaviors fail
// as well, each for the reason given.
var alsoCatches = map[string][]string{
	// A server that logs in without the password, or with any, also logs in a hostile login
	// (the secret null, missing, or an injection string).
	"lptracker.accept-wrong-password":   {"lptracker.robustness.hostile-login-refused"},
	"lptracker.accept-missing-password": {"lptracker.robustness.hostile-login-refused"},
	"lptracker.accept-missing-login":    {"lptracker.robustness.hostile-login-refused"},
	"flylogs.accept-wrong-password":     {"flylogs.robustness.hostile-login-refused"},
	"apikey.accept-wrong-secret":        {"apikey.robustness.hostile-login-refused"},
	"apikey.accept-missing-secret":      {"apikey.robustness.hostile-login-refused"},
	"apikey.accept-missing-key":         {"apikey.robustness.hostile-login-refused"},
	"newapikey.accept-wrong-password":   {"newapikey.robustness.hostile-login-refused"},
	// A server that takes any token also takes the hostile ones. flylogs' and apikey's probe then
	// answers the first user whatever the token: the second user's token gets an answer that
	// names the first user and not its own (own-token's reading of whose a token is).
	"lptracker.ignore-token":   {"lptracker.robustness.hostile-token-refused"},
	"flylogs.ignore-token":     {"flylogs.robustness.hostile-token-refused", "flylogs.security.own-token"},
	"apikey.ignore-token":      {"apikey.robustness.hostile-token-refused", "apikey.security.own-token"},
	"newapikey.ignore-key":     {"newapikey.robustness.hostile-token-refused"},
	"jwt.accept-garbage-token": {"jwt.robustness.hostile-token-refused"},
	"jwt.login-fail-shape":     {"jwt.robustness.hostile-login-shape"},
	// The survives, tokens and own-token specs read the token where the document puts it, and
	// the survives spec probes with it the document's way.
	"lptracker.success-shape":              {"lptracker.robustness.survives-oversize", "lptracker.security.tokens-unpredictable", "lptracker.security.own-token"},
	"flylogs.success-shape":                {"flylogs.robustness.survives-oversize", "flylogs.security.tokens-unpredictable", "flylogs.security.own-token"},
	"flylogs.json-only":                    {"flylogs.robustness.survives-oversize", "flylogs.security.tokens-unpredictable", "flylogs.security.own-token"},
	"lptracker.token-header-authorization": {"lptracker.robustness.survives-oversize"},
	"jwt.no-header-token":                  {"jwt.robustness.survives-oversize"},
	// Any code logs in, the one already used and one a later code superseded included.
	"flylogs.2fa-accept-wrong-code":    {"flylogs.security.code-single-use", "flylogs.security.superseded-code-refused"},
	"newapikey.2fa-accept-wrong-tfkey": {"newapikey.security.code-single-use", "newapikey.security.superseded-tfkey-refused"},
	// /users/me answers the other user for each token: own-token reads it too.
	"jwt.me-wrong-user": {"jwt.security.own-token"},
}

// alsoSpecs are the negative specs that breaks of one variation fail as well: a lax form of
// a secret lets a hostile login in (appended: the secret, a NUL byte and more; empty: the
// secret null or missing), and the hostile logins of an unknown user meet the broken shape.
var alsoSpecs = map[string][]string{
	"lptracker.password-appended-ok": {hostileLogins("lptracker")},
	"jwt.password-appended-ok":       {hostileLogins("jwt")},
	"jwt.password-empty-ok":          {hostileLogins("jwt")},
	"flylogs.password-appended-ok":   {hostileLogins("flylogs")},
	"flylogs.password-empty-ok":      {hostileLogins("flylogs")},
	"apikey.secret-appended-ok":      {hostileLogins("apikey")},
	"newapikey.password-appended-ok": {hostileLogins("newapikey")},
	"newapikey.password-empty-ok":    {hostileLogins("newapikey")},
	"jwt.unknown-email-shape":        {hostileShape("jwt")},
	"jwt.accept-garbage-query-token": {hostileTokens("jwt")},
	// The view names another user for each user's key; the second user's login answers
	// status ok, not the documented success.
	"newapikey.view-wrong-user":  {ownToken("newapikey")},
	"lptracker.later-user-shape": {ownToken("lptracker")},
}

var negativeCatches = map[string][]string{
	// The 500 comes back for the hostile logins; where the document gives a failure
	// envelope, those it reads as logins miss it too; where the token travels in a query,
	// the hostile tokens get the 500 as well.
	"lptracker.500-on-hostile": {"lptracker.robustness.no-5xx", "lptracker.robustness.hostile-login-shape"},
	"jwt.500-on-hostile":       {"jwt.robustness.no-5xx", "jwt.robustness.hostile-login-shape", "jwt.robustness.hostile-token-refused"},
	"flylogs.500-on-hostile":   {"flylogs.robustness.no-5xx", "flylogs.robustness.hostile-login-shape"},
	"apikey.500-on-hostile":    {"apikey.robustness.no-5xx"},
	"newapikey.500-on-hostile": {"newapikey.robustness.no-5xx", "newapikey.robustness.hostile-login-shape", "newapikey.robustness.hostile-token-refused"},

	"lptracker.predictable-tokens": {"lptracker.security.tokens-unpredictable"},
	"lptracker.echo-password":      {"lptracker.security.no-password-in-answer"},
	"jwt.well-known-key":           {"jwt.security.well-known-key"},
	"jwt.accept-alg-none-any-case": {"jwt.security.alg-none-refused"},
	// The server takes a token without exp, the one conform signs with jwt.secret too.
	"jwt.no-exp":                {"jwt.security.exp-present", "jwt.security.exp-required"},
	"jwt.accept-injection":      {"jwt.robustness.hostile-login-refused"},
	"jwt.wedged-by-oversize":    {"jwt.robustness.survives-oversize"},
	"flylogs.2fa-code-reusable": {"flylogs.security.code-single-use"},
	// A code sent before a later one (specs/*/codeonce.go).
	"flylogs.2fa-earlier-code-ok":    {"flylogs.security.superseded-code-refused"},
	"newapikey.2fa-earlier-tfkey-ok": {"newapikey.security.superseded-tfkey-refused"},

	// The mint breaks (reference/mint.go): one implementation, each on every profile where
	// its spec applies.
	"flylogs.predictable-tokens":            {"flylogs.security.tokens-unpredictable"},
	"apikey.predictable-tokens":             {"apikey.security.tokens-unpredictable"},
	"newapikey.same-key-each-login":         {"newapikey.security.tokens-unpredictable"},
	"jwt.echo-password":                     {"jwt.security.no-password-in-answer"},
	"flylogs.echo-password":                 {"flylogs.security.no-password-in-answer"},
	"apikey.echo-password":                  {"apikey.security.no-password-in-answer"},
	"lptracker.accept-injection":            {"lptracker.robustness.hostile-login-refused"},
	"flylogs.accept-injection":              {"flylogs.robustness.hostile-login-refused"},
	"apikey.accept-injection":               {"apikey.robustness.hostile-login-refused"},
	"newapikey.accept-injection":            {"newapikey.robustness.hostile-login-refused"},
	"lptracker.wedged-by-oversize":          {"lptracker.robustness.survives-oversize"},
	"flylogs.wedged-by-oversize":            {"flylogs.robustness.survives-oversize"},
	"apikey.wedged-by-oversize":             {"apikey.robustness.survives-oversize"},
	"newapikey.wedged-by-oversize":          {"newapikey.robustness.survives-oversize"},
	"lptracker.hands-out-first-users-token": {"lptracker.security.own-token"},
	// /users/me answers the user of the token handed out: the other one.
	"jwt.hands-out-first-users-token":     {"jwt.security.own-token", "jwt.me.returns-logged-in-user"},
	"flylogs.hands-out-first-users-token": {"flylogs.security.own-token"},
	"apikey.hands-out-first-users-token":  {"apikey.security.own-token"},
	// The second user's key is the first user's: it does not open the second user's information,
	// nor, in the tfkey race, does any key handed out for the code's user (not the first) work.
	"newapikey.hands-out-first-users-token": {"newapikey.security.own-token", "newapikey.view.personal-information", "newapikey.race.tfkey-checked-twice"},
	"newapikey.2fa-tfkey-reusable":          {"newapikey.security.code-single-use"},
	"newapikey.hash-in-answer":              {"newapikey.security.no-password-in-answer"},
}
