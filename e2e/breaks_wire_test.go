package e2e_test

// The breaks of the wire specs (specs/wire, the documents' examples; reference/wirebreaks.go):
// each refuses one form of the wire catalogue (package wireform) that a standard makes the same
// request, or all of them (<profile>.wire-any-form-refused, which make test's break cover runs
// in place of the single forms). Kept apart from breakCatches' own file; merged into it before
// the tests run.
func init() {
	for name, reqs := range wireCatches {
		if _, dup := breakCatches[name]; dup {
			panic("breakCatches: " + name + " twice")
		}
		breakCatches[name] = reqs
	}
	for name, reqs := range wireAlsoCatches {
		if _, ok := breakCatches[name]; !ok {
			panic("wireAlsoCatches: " + name + " is not in breakCatches")
		}
		breakCatches[name] = append(breakCatches[name], reqs...)
	}
	for name, specs := range wireAlsoSpecs {
		if _, ok := breakSpecs[name]; !ok {
			panic("wireAlsoSpecs: " + name + " is not in breakSpecs")
		}
		breakSpecs[name] = append(breakSpecs[name], specs...)
	}
}

// wireIDs returns the requirement ids of profile p's wire specs of the forms given.
func wireIDs(p string, forms ...string) []string {
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = p + ".wire." + f
	}
	return out
}

// The forms each profile's wire specs send, by what they change.
var (
	// jsonForms change a JSON login's body or its Content-Type.
	jsonForms = []string{"charset-utf8", "media-type-case", "json-member-order", "json-whitespace", "expect-continue"}
	// headerForms change every request's headers: the login's, the probe's and the logout's.
	headerForms = []string{"header-name-case", "accept-any", "accept-json", "connection-close", "connection-keep-alive"}
	// formForms change a form login's body or its Content-Type (doc 000).
	formForms = []string{"charset-utf8", "media-type-case", "percent-encoded", "unencoded"}
	// queryForms change a login's or a view's query (doc 002).
	queryForms = []string{"percent-encoded", "unencoded", "space-percent-20", "query-order", "query-extra"}
)

func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

var wireCatches = map[string][]string{
	"lptracker.wire-charset-utf8-refused":      {"lptracker.wire.charset-utf8"},
	"lptracker.wire-media-type-case-refused":   {"lptracker.wire.media-type-case"},
	"lptracker.wire-json-member-order-refused": {"lptracker.wire.json-member-order"},
	"lptracker.wire-json-whitespace-refused":   {"lptracker.wire.json-whitespace"},
	"lptracker.wire-expect-continue-refused":   {"lptracker.wire.expect-continue"},
	"lptracker.wire-connection-close-refused":  {"lptracker.wire.connection-close"},
	"lptracker.wire-member-case-folded":        {"lptracker.wire.member-case"},
	// curl's Accept: */* is a header form of its own.
	"lptracker.wire-any-form-refused": cat(wireIDs("lptracker", jsonForms...), wireIDs("lptracker", headerForms...), wireIDs("lptracker", "member-case"),
		[]string{"lptracker.example.login-curl", "lptracker.example.logout-curl"}),
	"lptracker.example-curl-refused":  {"lptracker.example.login-curl"},
	"lptracker.logout-empty-json-400": {"lptracker.example.logout-curl"},

	"jwt.wire-accept-json-refused":           {"jwt.wire.accept-json"},
	"jwt.wire-connection-keep-alive-refused": {"jwt.wire.connection-keep-alive"},
	"jwt.wire-any-form-refused":              cat(wireIDs("jwt", jsonForms...), wireIDs("jwt", headerForms...), []string{"jwt.example.me-curl-header", "jwt.example.me-curl-query"}),
	"jwt.example-spaced-json-refused":        {"jwt.example.login-body"},
	"jwt.example-curl-header-refused":        {"jwt.example.me-curl-header"},
	"jwt.example-curl-query-refused":         {"jwt.example.me-curl-query"},

	"flylogs.wire-auth-scheme-case-refused": {"flylogs.wire.auth-scheme-case"},
	// curl -d sends the email's @ as it is.
	"flylogs.wire-unencoded-refused":       {"flylogs.wire.unencoded", "flylogs.example.curl"},
	"flylogs.wire-percent-encoded-refused": {"flylogs.wire.percent-encoded"},
	"flylogs.example-curl-refused":         {"flylogs.example.curl"},
	"flylogs.wire-any-form-refused":        flylogsAll,

	"newapikey.wire-query-order-refused":      {"newapikey.wire.query-order"},
	"newapikey.wire-query-extra-refused":      {"newapikey.wire.query-extra"},
	"newapikey.wire-space-percent-20-refused": {"newapikey.wire.space-percent-20"},
	"newapikey.wire-accept-any-refused":       {"newapikey.wire.accept-any"},
	"newapikey.wire-unencoded-refused":        {"newapikey.wire.unencoded"},
	// doc 002's requests carry no header to spell otherwise: no header-name-case spec.
	"newapikey.wire-any-form-refused": cat(wireIDs("newapikey", queryForms...), wireIDs("newapikey", headerForms[1:]...)),
	// The tfkey example starts with the login example.
	"newapikey.example-login-order-refused": {"newapikey.example.login", "newapikey.example.login-tfkey"},
	"newapikey.example-tfkey-order-refused": {"newapikey.example.login-tfkey"},
	// The query-order form of the view's key, user is the example's user, key.
	"newapikey.example-view-order-refused": {"newapikey.example.view", "newapikey.wire.query-order"},

	"apikey.example-unindented-json-refused": {"apikey.example.login-body"},
	"apikey.wire-header-name-case-refused":   {"apikey.wire.header-name-case"},
	// The example's body is one member a line.
	"apikey.wire-any-form-refused": cat(wireIDs("apikey", jsonForms...), wireIDs("apikey", headerForms...), wireIDs("apikey", "auth-scheme-case"),
		[]string{"apikey.example.login-body"}),
}

// wireAlsoCatches are the wire requirements that breaks of other behaviors fail as well.
var wireAlsoCatches = map[string][]string{
	// Every wire spec and example reads the login's token where the document puts it.
	"lptracker.success-shape": cat(wireIDs("lptracker", jsonForms...), wireIDs("lptracker", headerForms...),
		[]string{"lptracker.example.login-curl", "lptracker.example.logout-curl"}),
	"jwt.success-shape":     {"jwt.example.login-body"},
	"flylogs.success-shape": flylogsAll,
	// A JSON-only login refuses the form every flylogs wire spec sends.
	"flylogs.json-only": flylogsAll,
	// The header forms change the probe (token in header token) and the logout too; the logout
	// example's answer, and its token's deletion seen through header token and the probe.
	"lptracker.token-header-authorization": cat(wireIDs("lptracker", headerForms...), []string{"lptracker.example.logout-curl"}),
	"lptracker.logout-shape":               cat(wireIDs("lptracker", headerForms...), []string{"lptracker.example.logout-curl"}),
	"lptracker.logout-keeps-token":         {"lptracker.example.logout-curl"},
	"lptracker.ignore-token":               {"lptracker.example.logout-curl"},
	// The /users/me examples: the header one, the query one, or both.
	"jwt.no-header-token": cat(wireIDs("jwt", headerForms...), []string{"jwt.example.me-curl-header"}),
	"jwt.no-query-token":  {"jwt.example.me-curl-query"},
	"jwt.me-wrong-user":   {"jwt.example.me-curl-header", "jwt.example.me-curl-query"},
	// Password for password is a login without its password (or a wrong one).
	"lptracker.accept-missing-password": wireIDs("lptracker", "member-case"),
	"apikey.accept-missing-secret":      wireIDs("apikey", "member-case"),
	"newapikey.accept-wrong-password":   wireIDs("newapikey", "member-case"),
	// No ADDED_TF for the 2FA user's example login.
	"newapikey.2fa-skip": {"newapikey.example.login-tfkey"},
}

// flylogsAll are doc 000's wire specs that log in (all but member-case) and its example.
var flylogsAll = cat(wireIDs("flylogs", formForms...), wireIDs("flylogs", "auth-scheme-case", "expect-continue"), wireIDs("flylogs", headerForms...),
	[]string{"flylogs.example.curl"})

// wireAlsoSpecs are the wire specs that breaks of one variation fail as well.
var wireAlsoSpecs = map[string][]string{
	// A missing password reads as an empty one.
	"jwt.password-empty-ok":       {"jwt.wire.member-case: sends a login with password spelled Password and no password"},
	"flylogs.password-empty-ok":   {"flylogs.wire.member-case: sends a login with password spelled Password and no password"},
	"newapikey.password-empty-ok": {"newapikey.wire.member-case: sends a login with pass spelled Pass and no pass"},
	// The examples' /users/me and view answer another user.
	"jwt.me-wrong-user-query":   {"jwt.example.me-curl-query: sends doc 004's curl example for GET /users/me?token= as written"},
	"newapikey.view-wrong-user": {"newapikey.example.view: sends doc 002's example query of your personal information as written: user, then key"},
}
