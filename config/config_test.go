package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// schema is every registered document's config rules: the config tests check the rules the
// product uses.
var schema = profile.Schema()

const good = `
lptracker:
  accounts:
    - {login: alice@example.com, password: "${ALICE_PW}"}
    - {login: bob@example.com, password: bob}
  probe: {path: /projects}
  ttl: {idle: 2s}
jwt:
  accounts: [{login: a@example.com, password: x}]
`

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParseGoodFillsDefaults(t *testing.T) {
	f, err := schema.Parse("t.yaml", []byte(good), env(map[string]string{"ALICE_PW": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Section("lptracker").Accounts[0].Password; got != "s3cret" {
		t.Errorf("env not expanded: %q", got)
	}
	if f.Section("jwt").Probe == nil || f.Section("jwt").Probe.Path != "/users/me" || f.Section("jwt").Probe.Method != "GET" {
		t.Errorf("jwt probe default (doc 004 GET /users/me) not set: %+v", f.Section("jwt").Probe)
	}
	if f.Section("lptracker").Probe.ValidJSON["status"] != "success" {
		t.Errorf("lptracker probe envelope default not set: %+v", f.Section("lptracker").Probe)
	}
	if len(f.Section("lptracker").Services) != 2 {
		t.Errorf("services default: %v", f.Section("lptracker").Services)
	}
	if got := strings.Join(f.Present(), ","); got != "lptracker,jwt" {
		t.Errorf("Present = %s", got)
	}
}

func TestParseErrorsNameFileAndField(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown top", "lptrackr: {}", "t.yaml:1: lptrackr: unknown field"},
		{"unknown nested", "jwt:\n  accounts:\n    - {login: a, pasword: b}", "t.yaml:3: jwt.accounts[0].pasword: unknown field"},
		{"missing password", "jwt:\n  accounts: [{login: a}]", "t.yaml:2: jwt.accounts[0].password: required"},
		{"missing accounts", "jwt: {probe: {path: /me}}", "jwt.accounts: required"},
		{"lptracker needs probe", "lptracker:\n  accounts: [{login: a, password: b}]", "lptracker.probe: required"},
		{"bad duration", "jwt:\n  accounts: [{login: a, password: b}]\n  ttl: {idle: soon}", "jwt.ttl.idle: \"soon\" is not a duration"},
		{"unset env", "jwt:\n  accounts: [{login: a, password: '${NOPE}'}]", "jwt.accounts[0].password: environment variable NOPE is not set"},
		{"bad mode", "client_ips: {mode: magic}\njwt:\n  accounts: [{login: a, password: b}]", "client_ips.mode: \"magic\" is not one of"},
		{"non-loopback source", "client_ips: {addresses: [10.0.0.1, 10.0.0.2]}\njwt:\n  accounts: [{login: a, password: b}]", "is not a loopback address"},
		{"one address", "client_ips: {mode: header, addresses: [1.2.3.4]}\njwt:\n  accounts: [{login: a, password: b}]", "at least two addresses"},
		{"list expected", "jwt:\n  accounts: {login: a}", "jwt.accounts: must be a list"},
		{"empty", "", "empty config"},
		{"no section", "client_ips: {mode: none}", "no profile section"},
		{"bad yaml", "jwt: [", "not valid YAML"},
		{"jwt section elsewhere", "lptracker:\n  accounts: [{login: a, password: b}]\n  probe: {path: /p}\n  jwt: {secret: x}", "lptracker.jwt: only the jwt profile"},
		{"bad status", "jwt:\n  accounts: [{login: a, password: b}]\n  probe: {path: /me, valid_status: [42]}", "jwt.probe.valid_status[0]: 42 is not an HTTP status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := schema.Parse("t.yaml", []byte(c.yaml), env(nil))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want it to contain %q", err, c.want)
			}
			assertLine(t, err, c.name)
		})
	}
}

const goodTwoFactor = `
sinks:
  smtp: {listen: "127.0.0.1:2525"}
  webhook: {listen: "127.0.0.1:0"}
flylogs:
  api_key: company
  token: {header: token}
  probe: {path: /users/me.json, valid_json: {response.result: "true"}}
  accounts:
    - {login: alice@example.com, password: a}
    - {login: carol@example.com, password: c, two_factor: {source: smtp}}
    - {login: erin@example.com, password: e, two_factor: {source: totp, totp_secret: JBSWY3DPEHPK3PXP}}
newapikey:
  accounts:
    - {login: dave@example.com, password: d, two_factor: {source: webhook, address: "+15550100004", json_path: code, timeout: 2s}}
    - {login: frank@example.com, password: f, two_factor: {source: static, code: "424242"}}
    - {login: gina@example.com, password: g, two_factor: {source: command, command: printf 1234}}
apikey:
  token: {bearer: true}
  probe: {path: /auth/me}
  accounts: [{api_key: k, api_secret: s}]
`

func TestParseTwoFactorAndAPIKeyFillDefaults(t *testing.T) {
	f, err := schema.Parse("t.yaml", []byte(goodTwoFactor), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	carol := f.Section("flylogs").Accounts[1].TwoFactor
	if carol.Address != "carol@example.com" || carol.Regex != config.DefaultCodeRegex || carol.Timeout != 10*time.Second {
		t.Errorf("smtp defaults (address = login, default regex, 10s) not set: %+v", carol)
	}
	if d := f.Section("newapikey").Accounts[0].TwoFactor; d.Address != "+15550100004" || d.Timeout != 2*time.Second {
		t.Errorf("webhook fields not kept: %+v", d)
	}
	if f.Section("newapikey").Probe == nil || f.Section("newapikey").Probe.Path != "/view/user/api.json" {
		t.Errorf("newapikey probe default (doc 002 /view/user/api.json) not set: %+v", f.Section("newapikey").Probe)
	}
	if !f.Section("apikey").Token.Bearer || f.Section("flylogs").Token.Header != "token" || f.Section("flylogs").APIKey != "company" {
		t.Errorf("token placement or api_key lost: %+v %+v", f.Section("apikey").Token, f.Section("flylogs").Token)
	}
}

func TestParseTwoFactorErrorsNameTheField(t *testing.T) {
	fly := "flylogs:\n  api_key: k\n  token: {header: token}\n  probe: {path: /me}\n  accounts:\n    - {login: a, password: b, two_factor: %s}\n"
	cases := []struct{ name, yaml, want string }{
		{"no source", fmt.Sprintf(fly, "{code: '1'}"), "flylogs.accounts[0].two_factor.source: required: one of static"},
		{"bad source", fmt.Sprintf(fly, "{source: carrier-pigeon}"), `two_factor.source: "carrier-pigeon" is not one of`},
		{"static without code", fmt.Sprintf(fly, "{source: static}"), "flylogs.accounts[0].two_factor.code: required with source static"},
		{"totp without secret", fmt.Sprintf(fly, "{source: totp}"), "two_factor.totp_secret: required with source totp"},
		{"totp not base32", fmt.Sprintf(fly, "{source: totp, totp_secret: 'not-base32!'}"), "two_factor.totp_secret: not base32"},
		{"command without command", fmt.Sprintf(fly, "{source: command}"), "two_factor.command: required with source command"},
		{"smtp without sink", fmt.Sprintf(fly, "{source: smtp}"), "two_factor.source: smtp needs sinks.smtp.listen"},
		{"webhook without sink", fmt.Sprintf(fly, "{source: webhook}"), "two_factor.source: webhook needs sinks.webhook.listen"},
		{"bad regex", fmt.Sprintf(fly, "{source: static, code: '1', regex: '(('}"), "two_factor.regex: not a regular expression"},
		{"bad timeout", fmt.Sprintf(fly, "{source: static, code: '1', timeout: soon}"), `two_factor.timeout: "soon" is not a duration`},
		{"unknown 2fa field", fmt.Sprintf(fly, "{source: static, cod: '1'}"), "flylogs.accounts[0].two_factor.cod: unknown field"},
		{"2fa on jwt", "jwt:\n  accounts: [{login: a, password: b, two_factor: {source: static, code: '1'}}]", "jwt.accounts[0].two_factor: only flylogs (doc 000) and newapikey (doc 002)"},
		{"flylogs without api key", "flylogs:\n  token: {header: token}\n  probe: {path: /me}\n  accounts: [{login: a, password: b}]", "flylogs.api_key: required"},
		{"api key on jwt", "jwt:\n  api_key: k\n  accounts: [{login: a, password: b}]", "jwt.api_key: only the flylogs profile"},
		{"flylogs without token", "flylogs:\n  api_key: k\n  probe: {path: /me}\n  accounts: [{login: a, password: b}]", "flylogs.token: required"},
		{"flylogs without probe", "flylogs:\n  api_key: k\n  token: {header: token}\n  accounts: [{login: a, password: b}]", "flylogs.probe: required"},
		{"two placements", "apikey:\n  token: {header: token, bearer: true}\n  probe: {path: /me}\n  accounts: [{api_key: k, api_secret: s}]", "apikey.token: give exactly one of"},
		{"flylogs bearer", "flylogs:\n  api_key: k\n  token: {bearer: true}\n  probe: {path: /me}\n  accounts: [{login: a, password: b}]", "flylogs.token: doc 000's API key already takes the Authorization header"},
		{"token on lptracker", "lptracker:\n  token: {bearer: true}\n  probe: {path: /p}\n  accounts: [{login: a, password: b}]", "lptracker.token: only flylogs and apikey"},
		{"apikey without secret", "apikey:\n  token: {bearer: true}\n  probe: {path: /me}\n  accounts: [{api_key: k}]", "apikey.accounts[0].api_secret: required"},
		{"apikey without key", "apikey:\n  token: {bearer: true}\n  probe: {path: /me}\n  accounts: [{login: a, password: b}]", "apikey.accounts[0].api_key: required"},
		{"api secret on jwt", "jwt:\n  accounts: [{login: a, password: b, api_secret: s}]", "jwt.accounts[0].api_key: only apikey accounts"},
		{"lptracker still needs password", "lptracker:\n  probe: {path: /p}\n  accounts: [{login: a, api_key: k, api_secret: s}]", "lptracker.accounts[0].password: required"},
		{"sink without listen", "sinks: {smtp: {}}\njwt:\n  accounts: [{login: a, password: b}]", "sinks.smtp.listen: required"},
		{"sink bad listen", "sinks: {webhook: {listen: localhost}}\njwt:\n  accounts: [{login: a, password: b}]", `sinks.webhook.listen: "localhost" is not host:port`},
		{"unknown sink", "sinks: {sms: {listen: ':1'}}\njwt:\n  accounts: [{login: a, password: b}]", "sinks.sms: unknown field"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := schema.Parse("t.yaml", []byte(c.yaml), env(nil))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want it to contain %q", err, c.want)
			}
			assertLine(t, err, c.name)
		})
	}
}

// noLine are the errors about the whole file, which have no line to name.
var noLine = map[string]bool{"empty": true, "no section": true}

// assertLine checks that an error is a *FieldError with a line, as the README promises.
func assertLine(t *testing.T, err error, name string) {
	t.Helper()
	var fe *config.FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("%T is not a *config.FieldError: %v", err, err)
	}
	if fe.Line == 0 && !noLine[name] {
		t.Errorf("no line in %q", err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := schema.Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("want error naming the file, got %v", err)
	}
}

func TestFixturesLoad(t *testing.T) {
	files, _ := filepath.Glob("../fixtures/*.yaml")
	for _, p := range files {
		if filepath.Base(p) == "users.yaml" || filepath.Base(p) == "requirements.yaml" {
			continue
		}
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Each variable its own value, as in a real environment (two keys are never one).
			if _, err := schema.Parse(p, data, func(name string) (string, bool) { return "x-" + name, true }); err != nil {
				t.Fatal(err)
			}
		})
	}
}
