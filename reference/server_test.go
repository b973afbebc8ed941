package reference

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func TestNewRejectsBadOptions(t *testing.T) {
	base := func() Options { return Options{Users: testUsers(), BcryptCost: bcrypt.MinCost} }
	cases := []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"unknown profile", func(o *Options) { o.Profiles = []string{"nope"} }, "valid profiles: lptracker, jwt, flylogs, apikey, newapikey"},
		{"unknown break", func(o *Options) { o.Breaks = []string{"nope"} }, "jwt.accept-alg-none"},
		{"break of unserved profile", func(o *Options) { o.Profiles = []string{"jwt"}; o.Breaks = []string{"lptracker.ttl-none"} }, "not served"},
		{"no users", func(o *Options) { o.Users = nil }, "no users"},
		{"negative ttl", func(o *Options) { o.TokenTTL = -time.Second }, "TTL"},
		{"bad cost", func(o *Options) { o.BcryptCost = 99 }, "bcrypt cost"},
		{"duplicate email", func(o *Options) { u := append([]User(nil), testUsers()...); u[1].Email = u[0].Email; o.Users = u }, "users[1].email"},
	}
	for _, tc := range cases {
		o := base()
		tc.edit(&o)
		s, err := New(o)
		if err == nil {
			s.Close()
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %q does not mention %q", tc.name, err, tc.want)
		}
	}
}

func TestBreakNames(t *testing.T) {
	want := []string{
		"apikey.accept-missing-key", "apikey.accept-missing-secret", "apikey.accept-wrong-secret", "apikey.account-missing-name",
		"apikey.bad-date", "apikey.id-string", "apikey.ignore-token", "apikey.key-appended-ok", "apikey.key-case-folded",
		"apikey.key-empty-ok", "apikey.key-prefix-ok", "apikey.later-user-schema", "apikey.missing-email", "apikey.no-swagger",
		"apikey.secret-appended-ok", "apikey.secret-case-folded", "apikey.secret-empty-ok", "apikey.secret-other-account",
		"apikey.secret-prefix-ok", "apikey.swagger-drift", "apikey.token-appended-ok", "apikey.token-prefix-ok",
		"flylogs.2fa-accept-wrong-code", "flylogs.2fa-code-appended-ok", "flylogs.2fa-code-prefix-ok", "flylogs.2fa-cross-user-code", "flylogs.2fa-flag-for-non-2fa", "flylogs.2fa-no-delivery",
		"flylogs.2fa-token-without-code", "flylogs.accept-wrong-password", "flylogs.api-key-appended-ok",
		"flylogs.api-key-case-folded", "flylogs.api-key-empty-ok", "flylogs.api-key-other-account", "flylogs.api-key-prefix-ok", "flylogs.failure-shape", "flylogs.failure-url", "flylogs.ignore-token",
		"flylogs.any-company", "flylogs.json-only", "flylogs.no-key-for-challenge", "flylogs.no-key-with-code", "flylogs.message-unknown-email", "flylogs.message-wrong-password", "flylogs.unknown-email-shape", "flylogs.later-user-shape", "flylogs.no-api-key", "flylogs.password-appended-ok", "flylogs.password-case-folded",
		"flylogs.password-empty-ok", "flylogs.password-other-account", "flylogs.password-prefix-ok", "flylogs.success-shape", "flylogs.token-appended-ok", "flylogs.token-prefix-ok", "flylogs.race-code-500",
		"jwt.accept-alg-none", "jwt.accept-garbage-query-token", "jwt.accept-garbage-token", "jwt.accept-missing-token", "jwt.ignore-exp",
		"jwt.later-user-shape", "jwt.login-fail-200", "jwt.other-message", "jwt.unknown-email-shape", "jwt.login-fail-shape", "jwt.me-wrong-user", "jwt.me-wrong-user-query", "jwt.no-header-token",
		"jwt.no-query-token", "jwt.opaque-token", "jwt.password-appended-ok", "jwt.password-case-folded",
		"jwt.password-empty-ok", "jwt.password-in-payload", "jwt.password-other-account", "jwt.password-prefix-ok", "jwt.query-unverified", "jwt.skip-signature",
		"jwt.success-shape",
		"lptracker.accept-any-version", "lptracker.accept-missing-login", "lptracker.accept-missing-password",
		"lptracker.accept-missing-service", "lptracker.accept-missing-version", "lptracker.accept-wrong-password",
		"lptracker.error-shape", "lptracker.message-unknown-login", "lptracker.message-wrong-password", "lptracker.unknown-login-shape", "lptracker.later-user-shape", "lptracker.global-single-user", "lptracker.ignore-token",
		"lptracker.logout-ends-services", "lptracker.logout-keeps-token", "lptracker.logout-shape", "lptracker.logout-without-token-ok", "lptracker.logout-unknown-token-ok",
		"lptracker.multi-user-per-ip", "lptracker.one-service-per-ip", "lptracker.password-appended-ok",
		"lptracker.password-case-folded", "lptracker.password-empty-ok", "lptracker.password-other-account",
		"lptracker.password-prefix-ok", "lptracker.race-logout-resurrects", "lptracker.race-lost-services",
		"lptracker.race-one-user-per-ip", "lptracker.race-shared-token", "lptracker.success-shape",
		"lptracker.token-appended-ok", "lptracker.token-header-authorization", "lptracker.token-prefix-ok", "lptracker.ttl-absolute", "lptracker.ttl-long", "lptracker.ttl-none", "lptracker.ttl-short",
		"newapikey.2fa-accept-wrong-tfkey", "newapikey.2fa-no-delivery", "newapikey.2fa-skip", "newapikey.accept-wrong-password",
		"newapikey.error-shape", "newapikey.ignore-key", "newapikey.key-appended-ok", "newapikey.key-case-folded",
		"newapikey.key-prefix-ok", "newapikey.new-login-revokes", "newapikey.view-wrong-user", "newapikey.view-unnamed", "newapikey.xml-extra-user", "newapikey.xml-missing-key-ok", "newapikey.xml-other-user-key", "newapikey.tfkey-error-shape", "newapikey.unknown-user-shape", "newapikey.later-user-shape", "newapikey.key-single-use", "newapikey.other-user-key", "newapikey.key-without-user-ok",
		"newapikey.password-appended-ok", "newapikey.password-case-folded", "newapikey.password-empty-ok",
		"newapikey.password-other-account", "newapikey.password-prefix-ok",
		"newapikey.success-shape", "newapikey.tfkey-appended-ok", "newapikey.tfkey-empty-ok", "newapikey.tfkey-other-account",
		"newapikey.tfkey-prefix-ok", "newapikey.xml-differs", "newapikey.xml-malformed", "newapikey.race-tfkey-500",
		// The negative specs' breaks (reference/hostile.go and each profile's file).
		"lptracker.500-on-hostile", "jwt.500-on-hostile", "flylogs.500-on-hostile", "apikey.500-on-hostile", "newapikey.500-on-hostile",
		"lptracker.predictable-tokens", "lptracker.echo-password", "lptracker.busy-cache", "jwt.well-known-key", "jwt.accept-alg-none-any-case", "jwt.no-exp",
		"jwt.accept-injection", "jwt.wedged-by-oversize", "flylogs.2fa-code-reusable", "flylogs.2fa-earlier-code-ok", "newapikey.2fa-earlier-tfkey-ok",
		// The verdict breaks (issue 18): a key that changes mid-run, live tokens refused when busy.
		"jwt.key-changes", "lptracker.busy-refuses-live",
		// The mint breaks (reference/mint.go), each on the profiles where a spec sees it.
		"apikey.predictable-tokens", "flylogs.predictable-tokens",
		"lptracker.hands-out-first-users-token", "jwt.hands-out-first-users-token", "flylogs.hands-out-first-users-token", "apikey.hands-out-first-users-token", "newapikey.hands-out-first-users-token",
		"lptracker.accept-injection", "flylogs.accept-injection", "apikey.accept-injection", "newapikey.accept-injection",
		"lptracker.wedged-by-oversize", "flylogs.wedged-by-oversize", "apikey.wedged-by-oversize", "newapikey.wedged-by-oversize",
		"jwt.echo-password", "flylogs.echo-password", "apikey.echo-password",
		"newapikey.same-key-each-login", "newapikey.2fa-tfkey-reusable", "newapikey.hash-in-answer",
		"newapikey.tfkey-answer-shape", "flylogs.2fa-no-mail-after-wrong-code",
		"apikey.bad-updated-date", "apikey.date-sql", "apikey.date-no-offset", "apikey.accounts-item-missing-id",
		// Doc 003's "only version 1.0": other versions, other spellings of 1.0.
		"lptracker.version-newer-minor-ok", "lptracker.version-older-ok", "lptracker.version-empty-ok",
		"lptracker.version-no-minor-ok", "lptracker.version-trailing-zeros-ok", "lptracker.version-patch-ok", "lptracker.version-number-ok",
		"lptracker.version-padded-ok", "lptracker.version-prefixed-ok", "lptracker.version-null-ok",
		// Doc 003's "all fields are required": service given as null, or empty.
		"lptracker.service-null-ok", "lptracker.service-empty-ok",
		// The interleaving breaks (reference/interleave.go), only the model specs see them.
		"lptracker.probe-wears-out", "lptracker.second-session-ends-others", "jwt.two-token-table",
		"flylogs.failed-login-ends-sessions", "apikey.near-miss-revokes", "newapikey.login-ends-used-keys",
		"flylogs.login-ends-probed-token", "apikey.concurrent-probes-refused", "newapikey.login-key-for-queried-user",
		"lptracker.logout-ends-concurrent-login", "jwt.login-signs-probed-user",
		// The wire breaks (reference/wirebreaks.go): one form of the catalogue refused each, or all;
		// and the documents' example requests.
		"apikey.wire-any-form-refused", "apikey.example-unindented-json-refused", "flylogs.example-curl-refused", "flylogs.wire-any-form-refused", "flylogs.wire-auth-scheme-case-refused",
		"flylogs.wire-percent-encoded-refused", "flylogs.wire-unencoded-refused", "jwt.example-curl-header-refused", "jwt.example-curl-query-refused",
		"jwt.example-spaced-json-refused", "jwt.wire-accept-json-refused", "jwt.wire-any-form-refused", "jwt.wire-connection-keep-alive-refused",
		"lptracker.example-curl-refused", "lptracker.logout-empty-json-400", "lptracker.wire-any-form-refused", "lptracker.wire-charset-utf8-refused",
		"lptracker.wire-connection-close-refused", "lptracker.wire-expect-continue-refused", "lptracker.wire-json-member-order-refused",
		"lptracker.wire-json-whitespace-refused", "lptracker.wire-media-type-case-refused", "lptracker.wire-member-case-folded",
		"newapikey.example-login-order-refused", "newapikey.example-tfkey-order-refused", "newapikey.example-view-order-refused",
		"newapikey.wire-accept-any-refused", "newapikey.wire-any-form-refused", "newapikey.wire-query-extra-refused",
		"newapikey.wire-query-order-refused", "newapikey.wire-space-percent-20-refused", "newapikey.wire-unencoded-refused",
		"apikey.wire-header-name-case-refused",
		// The per-account 2FA breaks (reference/breaks_accounts.go).
		"flylogs.2fa-no-delivery-second", "flylogs.2fa-later-user-challenge", "flylogs.2fa-later-user-shape", "flylogs.2fa-code-skips-password",
		"newapikey.2fa-no-delivery-second", "newapikey.2fa-later-user-challenge", "newapikey.2fa-later-user-shape", "newapikey.2fa-code-skips-password",
		"flylogs.later-user-token-refused", "apikey.later-user-token-refused",
		// jwt_tool's attacks (reference/jwtattacks.go).
		"jwt.accept-empty-signature", "jwt.accept-truncated-signature", "jwt.accept-other-hmac", "jwt.trust-jwk", "jwt.trust-jku",
		"jwt.kid-file", "jwt.ignore-nbf", "jwt.accept-no-exp",
	}
	slices.Sort(want) // BreakNames is sorted; the list above is grouped by hand
	if got := BreakNames(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("BreakNames() =\n%v\nwant\n%v", got, want)
	}
}

func TestProfilesMounting(t *testing.T) {
	both := newClient(t, newTestServer(t, nil))
	lp := `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`
	if r := both.do("POST", "/lptracker/login", nil, lp); r.status != 200 {
		t.Errorf("/lptracker/login: %d %s", r.status, r.raw)
	}
	if r := both.do("POST", "/jwt/users/login", nil, `{"email":"alice@example.com","password":"alice-password-1"}`); r.status != 200 {
		t.Errorf("/jwt/users/login: %d %s", r.status, r.raw)
	}
	if r := both.do("POST", "/login", nil, lp); r.status != 404 {
		t.Errorf("/login with two profiles: %d, want 404", r.status)
	}
	one := newClient(t, newTestServer(t, lpOnly))
	if r := one.do("POST", "/login", nil, lp); r.status != 200 {
		t.Errorf("single profile /login: %d", r.status)
	}
}

func TestDescribe(t *testing.T) {
	lines := strings.Join(newTestServer(t, nil).Describe(), "\n")
	for _, want := range []string{"lptracker  POST /lptracker/login", "jwt        GET  /jwt/users/me", "/__conform/clock",
		"flylogs    POST /flylogs/users/login.json", "apikey     GET  /apikey/apikeys/swagger.yaml", "newapikey  GET  /newapikey/view/user/api.json"} {
		if !strings.Contains(lines, want) {
			t.Errorf("Describe() lacks %q:\n%s", want, lines)
		}
	}
}

func TestClockHook(t *testing.T) {
	off := newClient(t, newTestServer(t, func(o *Options) { o.TestClock = false }))
	if r := off.do("POST", clockPath+"?advance=1h", nil, ""); r.status != 404 {
		t.Errorf("clock with TestClock off: %d, want 404", r.status)
	}
	c := newClient(t, newTestServer(t, nil))
	r := c.do("POST", clockPath+"?advance=25h", nil, "")
	now, err := time.Parse(time.RFC3339, r.body["now"].(string))
	if r.status != 200 || err != nil || now.Before(time.Now().Add(24*time.Hour)) {
		t.Errorf("advance 25h: %d %s (%v)", r.status, r.raw, err)
	}
	for _, bad := range []string{"-1h", "soon", ""} {
		if r := c.do("POST", clockPath+"?advance="+bad, nil, ""); r.status != 400 {
			t.Errorf("advance=%q: %d, want 400", bad, r.status)
		}
	}
	if r := c.do("GET", clockPath, nil, ""); r.status != 405 {
		t.Errorf("GET clock: %d, want 405", r.status)
	}
}

func TestCloseIdempotent(t *testing.T) {
	s := newTestServer(t, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestFixtureUsers(t *testing.T) {
	skipBcryptBound(t)
	path := filepath.Join("..", "fixtures", "users.yaml")
	users, err := LoadUsers(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 7 || users[0].Email != "alice@example.com" || users[0].ID != 1 || users[2].Name != "Carol Example" {
		t.Fatalf("unexpected users %+v", users)
	}
	twoFactor := []string{"", "", TwoFactorEmail, TwoFactorSMS, TwoFactorTOTP, TwoFactorStatic, ""}
	for i, u := range users {
		if cost, _ := bcrypt.Cost([]byte(u.PasswordHash)); cost != 10 {
			t.Errorf("%s: bcrypt cost %d, want 10", u.Email, cost)
		}
		// The header comment lists the plaintext passwords; they must match.
		if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(testPasswords[u.Email])) != nil {
			t.Errorf("%s's fixture hash does not match %s", u.Email, testPasswords[u.Email])
		}
		if u.TwoFactor != twoFactor[i] {
			t.Errorf("%s: two_factor %q, want %q", u.Email, u.TwoFactor, twoFactor[i])
		}
	}
	for i, who := range []string{"alice", "bob"} {
		u := users[i]
		if u.APIKey != who+"-api-key" || bcrypt.CompareHashAndPassword([]byte(u.APISecretHash), []byte(who+"-api-secret")) != nil {
			t.Errorf("%s: api key %q or secret hash does not match %s-api-secret", who, u.APIKey, who)
		}
	}
	if users[3].Phone != "+15550100004" || users[4].TOTPSecret != testTOTPSecret || users[5].StaticCode != "424242" || users[6].Company != "other-company" {
		t.Errorf("2FA fixture details: %+v %+v %+v", users[3], users[4], users[5])
	}
	def, err := DefaultUsers()
	if err != nil || len(def) != 7 {
		t.Errorf("DefaultUsers: %d users, %v", len(def), err)
	}
}

func TestLoadUsersErrors(t *testing.T) {
	dir := t.TempDir()
	hash := testUsers()[0].PasswordHash
	cases := map[string]string{
		"pasword_hash":                  "users:\n  - {id: 1, uid: u, email: a@x, pasword_hash: x}\n",
		"users[1].id":                   "users:\n  - {id: 1, uid: u1, email: a@x, password_hash: '" + hash + "'}\n  - {id: 1, uid: u2, email: b@x, password_hash: '" + hash + "'}\n",
		"password_hash":                 "users:\n  - {id: 1, uid: u, email: a@x, password_hash: plain}\n",
		"empty file":                    "",
		"users[0].uid":                  "users:\n  - {id: 1, email: a@x, password_hash: '" + hash + "'}\n",
		"login or email":                "users:\n  - {id: 1, uid: u, password_hash: '" + hash + "'}\n",
		"two_factor":                    "users:\n  - {id: 1, uid: u, email: a@x, two_factor: pigeon, password_hash: '" + hash + "'}\n",
		"sms needs":                     "users:\n  - {id: 1, uid: u, email: a@x, two_factor: sms, password_hash: '" + hash + "'}\n",
		"totp_secret":                   "users:\n  - {id: 1, uid: u, email: a@x, two_factor: totp, totp_secret: 'not base32!', password_hash: '" + hash + "'}\n",
		"static_code":                   "users:\n  - {id: 1, uid: u, email: a@x, two_factor: static, password_hash: '" + hash + "'}\n",
		"go together":                   "users:\n  - {id: 1, uid: u, email: a@x, api_key: k, password_hash: '" + hash + "'}\n",
		"api_secret_hash: not a bcrypt": "users:\n  - {id: 1, uid: u, email: a@x, api_key: k, api_secret_hash: plain, password_hash: '" + hash + "'}\n",
		"users[1].api_key":              "users:\n  - {id: 1, uid: u1, email: a@x, api_key: k, api_secret_hash: '" + hash + "', password_hash: '" + hash + "'}\n  - {id: 2, uid: u2, email: b@x, api_key: k, api_secret_hash: '" + hash + "', password_hash: '" + hash + "'}\n",
	}
	for want, content := range cases {
		path := filepath.Join(dir, "u.yaml")
		os.WriteFile(path, []byte(content), 0o600)
		_, err := LoadUsers(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("want error naming %q and the path, got %v", want, err)
		}
	}
	if _, err := LoadUsers(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestSyntheticUsers(t *testing.T) {
	users, pw, err := SyntheticUsers(10000, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 10000 || len(pw) != 10000 || users[0].Email != "user0001@load.test" || users[9999].Email != "user10000@load.test" {
		t.Fatalf("unexpected users: %+v ... %+v", users[0], users[9999])
	}
	if err := validateUsers(users); err != nil {
		t.Fatal(err)
	}
	if bcrypt.CompareHashAndPassword([]byte(users[42].PasswordHash), []byte(pw[42])) != nil {
		t.Error("password does not match hash")
	}
	if _, _, err := SyntheticUsers(0, 4); err == nil {
		t.Error("n=0 accepted")
	}
	// The synthetic users log in.
	c := newClient(t, newTestServer(t, func(o *Options) { jwtOnly(o); o.Users = users }))
	if r := c.do("POST", "/users/login", nil, `{"email":"user0042@load.test","password":"`+pw[41]+`"}`); r.status != 200 {
		t.Errorf("synthetic login: %d %s", r.status, r.raw)
	}
}

func TestClientIP(t *testing.T) {
	cases := []struct {
		remote, xff string
		trust       bool
		want        string
	}{
		{"10.1.2.3:5555", "", false, "10.1.2.3"},
		{"10.1.2.3:5555", "203.0.113.9", false, "10.1.2.3"},
		{"10.1.2.3:5555", "203.0.113.9, 10.0.0.1", true, "203.0.113.9"},
		{"10.1.2.3:5555", "203.0.113.9:1234", true, "203.0.113.9"},
		{"10.1.2.3:5555", "not-an-ip", true, "10.1.2.3"},
		{"[::ffff:10.1.2.3]:5555", "", false, "10.1.2.3"},
		{"[2001:db8::1]:80", "", false, "2001:db8::1"},
		{"pipe", "", false, "pipe"},
	}
	for _, tc := range cases {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = tc.remote
		if tc.xff != "" {
			req.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientIP(req, tc.trust); got != tc.want {
			t.Errorf("clientIP(%q, xff %q, trust %v) = %q, want %q", tc.remote, tc.xff, tc.trust, got, tc.want)
		}
	}
}
