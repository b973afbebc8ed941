package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/config"
)

// TestValueErrorsFullText pins the whole message of value errors found after decoding: each
// names the file, the line of the field (a missing field: its mapping's), the field and the
// problem.
func TestValueErrorsFullText(t *testing.T) {
	const fly = "flylogs:\n  api_key: k\n  token: {header: token}\n  probe: {path: /me}\n  accounts:\n    - login: a\n      password: b\n      two_factor:\n        source: static\n        code: '1'\n"
	cases := []struct{ name, yaml, want string }{
		{"missing password", "jwt:\n  accounts:\n    - {login: a}\n",
			"t.yaml:3: jwt.accounts[0].password: required"},
		{"missing password, block", "jwt:\n  accounts:\n    - login: a\n      # no password\n",
			"t.yaml:3: jwt.accounts[0].password: required"},
		{"missing accounts", "jwt:\n  probe: {path: /me}\n",
			"t.yaml:1: jwt.accounts: required: give at least one existing user (two for the per-user specs)"},
		{"bad base path", "jwt:\n  base_path: api\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:2: jwt.base_path: "api" must start with /`},
		{"bad probe path", "lptracker:\n  accounts: [{login: a, password: b}]\n  probe:\n    method: GET\n    path: projects\n",
			`t.yaml:5: lptracker.probe.path: "projects" must start with /`},
		{"bad status", "jwt:\n  accounts: [{login: a, password: b}]\n  probe:\n    path: /me\n    valid_status:\n      - 200\n      - 42\n",
			"t.yaml:7: jwt.probe.valid_status[1]: 42 is not an HTTP status"},
		{"status not a number", "jwt:\n  accounts: [{login: a, password: b}]\n  probe: {path: /me, valid_status: [ok]}\n",
			`t.yaml:3: jwt.probe.valid_status[0]: "ok" is not a whole number`},
		{"bearer not a bool", "apikey:\n  token: {bearer: maybe}\n  probe: {path: /me}\n  accounts: [{api_key: k, api_secret: s}]\n",
			`t.yaml:2: apikey.token.bearer: "maybe" is not true or false`},
		{"client ip", "client_ips:\n  mode: header\n  addresses:\n    - 1.2.3.4\n    - nope\njwt:\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:5: client_ips.addresses[1]: "nope" is not an IP address`},
		{"client ips mode", "client_ips: {mode: magic}\njwt:\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:1: client_ips.mode: "magic" is not one of source, header, none`},
		{"sink listen", "sinks:\n  smtp:\n    listen: localhost\njwt:\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:3: sinks.smtp.listen: "localhost" is not host:port`},
		{"two-factor code", strings.Replace(fly, "        code: '1'\n", "", 1),
			"t.yaml:8: flylogs.accounts[0].two_factor.code: required with source static: the fixed code the target accepts"},
		{"two-factor source", strings.Replace(fly, "source: static", "source: pigeon", 1),
			`t.yaml:9: flylogs.accounts[0].two_factor.source: "pigeon" is not one of static, totp, command, smtp, webhook`},
		{"regex on one line", fly + "        regex: \"((\\n\"\n",
			`t.yaml:11: flylogs.accounts[0].two_factor.regex: not a regular expression: missing closing ): "((\n"`},
		{"nested key twice", "jwt:\n  accounts:\n    - login: a\n      password: b\n      login: c\n",
			"t.yaml:5: jwt.accounts[0].login: given twice (first on line 3)"},
		{"api key on jwt", "jwt:\n  accounts: [{login: a, password: b}]\n  api_key: k\n",
			"t.yaml:3: jwt.api_key: only the flylogs profile uses a company API key"},
		{"token missing", "apikey:\n  probe: {path: /me}\n  accounts: [{api_key: k, api_secret: s}]\n",
			"t.yaml:1: apikey.token: required: the document does not say how the session token is sent; give {header: NAME}, {query: NAME} or {bearer: true}"},
		{"control characters escaped", "jwt:\n  accounts: [{login: a, password: b}]\n  \"probe\\e[2J\": 1\n",
			`t.yaml:3: jwt.probe\x1b[2J: unknown field (known:`},
		{"other company account on jwt", "jwt:\n  accounts: [{login: a, password: b}]\n  other_company_account: {login: c, password: d}\n",
			"t.yaml:3: jwt.other_company_account: only flylogs limits a login to the users of one company"},
		{"other company account without password", strings.Replace(fly, "  accounts:", "  other_company_account: {login: c}\n  accounts:", 1),
			"t.yaml:5: flylogs.other_company_account.password: required"},
		{"other company account with this company's key", strings.Replace(fly, "  accounts:", "  other_company_account: {login: c, password: d, api_key: k}\n  accounts:", 1),
			"t.yaml:5: flylogs.other_company_account.api_key: the same as api_key: give the key of the other company, which logs this user in"},
		{"not valid YAML", "jwt:\n  accounts: [\n",
			"t.yaml:2: not valid YAML: did not find expected node content"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := schema.Parse("t.yaml", []byte(c.yaml), env(nil))
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("got error\n\t%v\nwant\n\t%s", err, c.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r\x1b") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

const hook = "jwt:\n  accounts: [{login: a, password: b}]\n  ttl:\n    idle: 24h\n    clock_hook: %s\n"

func TestMethodsAndClockHook(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"no duration", strings.Replace(hook, "%s", "{path: /clock}", 1),
			`t.yaml:5: jwt.ttl.clock_hook: neither path nor body holds {duration}: put it where the target reads the time to advance, e.g. path: "/test/clock?advance={duration}"`},
		{"duration in path", strings.Replace(hook, "%s", `{path: "/clock?advance={duration}"}`, 1), ""},
		{"duration in body", strings.Replace(hook, "%s", `{method: PUT, path: /clock, body: '{"advance": "{duration}"}'}`, 1), ""},
		{"hook method unknown", strings.Replace(hook, "%s", `{method: FETCH, path: "/c?d={duration}"}`, 1),
			`t.yaml:5: jwt.ttl.clock_hook.method: "FETCH" is not an HTTP method conform sends (known: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)`},
		{"hook method lower case", strings.Replace(hook, "%s", "\n      method: post\n      path: /c?d={duration}", 1),
			`t.yaml:6: jwt.ttl.clock_hook.method: "post": methods are case-sensitive, write POST`},
		{"probe method unknown", "jwt:\n  accounts: [{login: a, password: b}]\n  probe: {method: 'GET /x', path: /me}\n",
			`t.yaml:3: jwt.probe.method: "GET /x" is not an HTTP method conform sends (known: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)`},
		{"probe method standard", "jwt:\n  accounts: [{login: a, password: b}]\n  probe: {method: OPTIONS, path: /me}\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := schema.Parse("t.yaml", []byte(c.yaml), env(nil))
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("got error\n\t%v\nwant\n\t%s", err, c.want)
			}
		})
	}
}

func TestEnvironment(t *testing.T) {
	vars := env(map[string]string{"PW": "s3cret", "EMPTY": "", "STATUS": "204", "BEARER": "true", "IDLE": "2s"})
	cases := []struct{ name, yaml, want string }{
		{"empty variable named", "jwt:\n  accounts:\n    - login: a\n      password: ${EMPTY}\n",
			"t.yaml:4: jwt.accounts[0].password: environment variable EMPTY is empty: required"},
		{"empty variable in an optional field", "jwt:\n  base_path: ${EMPTY}\n  accounts: [{login: a, password: b}]\n", ""},
		{"unset variable", "jwt:\n  accounts:\n    - {login: a, password: '${NOPE}'}\n",
			"t.yaml:3: jwt.accounts[0].password: environment variable NOPE is not set"},
		{"numbers and booleans from the environment", "apikey:\n  token: {bearer: \"${BEARER}\"}\n  probe:\n    path: /me\n    valid_status: [\"${STATUS}\"]\n  ttl:\n    idle: ${IDLE}\n  accounts: [{api_key: k, api_secret: s}]\n", ""},
		{"bad number from the environment", "jwt:\n  accounts: [{login: a, password: b}]\n  probe:\n    path: /me\n    valid_status:\n      - ${PW}\n",
			`t.yaml:6: jwt.probe.valid_status[0]: "${PW}" is not a whole number`},
		{"value from the environment not shown", "jwt:\n  base_path: ${PW}\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:2: jwt.base_path: "${PW}" must start with /`},
		{"value from the environment not shown through an alias", "jwt:\n  base_path: &b ${PW}\n  accounts: [{login: a, password: b}]\nlptracker:\n  base_path: *b\n  accounts: [{login: a, password: b}]\n",
			`t.yaml:5: lptracker.base_path: "${PW}" must start with /`},
		{"value from the environment checked through an alias", "jwt:\n  accounts:\n    - {login: a, password: &pw \"${PW}\"}\n  probe:\n    path: /me\n    valid_status: [*pw]\n",
			`t.yaml:6: jwt.probe.valid_status[0]: "${PW}" is not a whole number`},
		{"empty variable named through an alias", "jwt:\n  accounts:\n    - {login: a, password: &pw \"${EMPTY}\"}\nlptracker:\n  accounts:\n    - {login: a, password: *pw}\n",
			"t.yaml:6: lptracker.accounts[0].password: environment variable EMPTY is empty: required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := schema.Parse("t.yaml", []byte(c.yaml), vars)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if a := f.Section("apikey"); a != nil && (!a.Token.Bearer || a.Probe.ValidStatus[0] != 204 || a.TTL.Idle != 2*time.Second) {
					t.Errorf("values from the environment not decoded: %+v %+v %+v", a.Token, a.Probe, a.TTL)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("got error\n\t%v\nwant\n\t%s", err, c.want)
			}
		})
	}
}

func TestBareVariableWarns(t *testing.T) {
	vars := env(map[string]string{"LPT_PASSWORD": "s3cret", "HOME": "/root"})
	cases := []struct{ name, password, want string }{
		{"set variable", `"$LPT_PASSWORD"`,
			"t.yaml:4: jwt.accounts[0].password: $LPT_PASSWORD is taken literally: write ${LPT_PASSWORD} to read the environment variable"},
		{"set variable inside", `"x$HOME/y"`,
			"t.yaml:4: jwt.accounts[0].password: $HOME is taken literally: write ${HOME} to read the environment variable"},
		{"unset, the whole value, not named", `"$CI_SECRET"`,
			"t.yaml:4: jwt.accounts[0].password: the value looks like an environment variable without braces, which is taken literally: write ${NAME} to read one"},
		{"a password with a dollar", `"pa$word"`, ""},
		{"doubled dollar", `"$$HOME"`, ""},
		{"braces", `"${LPT_PASSWORD}"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			yaml := "jwt:\n  accounts:\n    - login: a\n      password: " + c.password + "\n"
			f, err := schema.Parse("t.yaml", []byte(yaml), vars)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range f.Warnings {
				got = append(got, w.Error())
			}
			if want := []string{c.want}; c.want == "" && len(got) != 0 || c.want != "" && strings.Join(got, "|") != c.want {
				t.Errorf("warnings %q, want %q", got, want)
			}
		})
	}
}

// twoProfiles has a jwt section the run selects and an lptracker section it does not, whose
// variables are unset and whose probe (required) is missing.
const twoProfiles = `
jwt:
  accounts: [{login: a, password: "${JWT_PW}"}]
lptracker:
  accounts:
    - {login: b, password: "${LPT_PW}"}
    - {login: c, password: "$LPT_PW"}
  ttl: {idle: "${LPT_IDLE}"}
`

func TestUseSelectsProfiles(t *testing.T) {
	vars := env(map[string]string{"JWT_PW": "j", "LPT_PW": "x"})
	if _, err := schema.Parse("t.yaml", []byte(twoProfiles), vars); err == nil || !strings.Contains(err.Error(), "LPT_IDLE is not set") {
		t.Fatalf("every section used: got %v, want lptracker's variable", err)
	}
	f, err := schema.ParseFor("t.yaml", []byte(twoProfiles), vars, config.Use{Profiles: []string{"jwt", "newapikey"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.Present(), ","); got != "jwt" || f.Section("jwt").Accounts[0].Password != "j" {
		t.Errorf("Present = %s, jwt %+v", got, f.Section("jwt"))
	}
	if len(f.Warnings) != 0 {
		t.Errorf("warnings from a section not used: %v", f.Warnings)
	}

	// The sections not used are still checked for shape.
	for _, c := range []struct{ add, want string }{
		{"  pasword: x\n", "t.yaml:9: lptracker.pasword: unknown field"},
		{"  probe: {valid_status: [ok]}\n", `t.yaml:9: lptracker.probe.valid_status[0]: "ok" is not a whole number`},
		{"  services: {a: b}\n", "t.yaml:9: lptracker.services: must be a list"},
	} {
		_, err := schema.ParseFor("t.yaml", []byte(twoProfiles+c.add), vars, config.Use{Profiles: []string{"jwt"}})
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("got %v, want %s", err, c.want)
		}
	}

	// A selection without a section leaves the caller to say so.
	f, err = schema.ParseFor("t.yaml", []byte(twoProfiles), vars, config.Use{Profiles: []string{"flylogs"}})
	if err != nil || len(f.Present()) != 0 {
		t.Fatalf("got %v, %v; want a file without sections", f, err)
	}
}

// loadFile has what conform load leaves out with unset variables: 2FA accounts, their sinks,
// ttl, jwt and client_ips.
const loadFile = `
client_ips: {mode: header, addresses: ["${IP1}", "${IP2}"]}
sinks:
  smtp: {listen: "${SMTP}"}
flylogs:
  api_key: ${FLY_KEY}
  token: {header: token}
  probe: {path: /me}
  ttl: {idle: "${IDLE}", clock_hook: {path: /no-duration}}
  accounts:
    - {login: a, password: "${A_PW}", two_factor: {source: totp, totp_secret: "${TOTP}"}}
    - {login: b, password: "${B_PW}"}
    - {login: c, password: "${C_PW}", two_factor: {source: smtp}}
    - {login: d, password: "${D_PW}"}
  other_company_account: {login: e, password: "${E_PW}"}
jwt:
  accounts: [{login: a, password: b}]
  jwt: {secret: "${JWT_SECRET}"}
`

func TestUseLoginOnly(t *testing.T) {
	vars := map[string]string{"FLY_KEY": "k", "B_PW": "b", "D_PW": "d"}
	u := config.Use{Profiles: []string{"flylogs"}, LoginOnly: true}
	f, err := schema.ParseFor("t.yaml", []byte(loadFile), env(vars), u)
	if err != nil {
		t.Fatal(err)
	}
	sec := f.Section("flylogs")
	if len(sec.Accounts) != 2 || sec.Accounts[0].Password != "b" || sec.Accounts[1].Password != "d" || sec.TTL != nil || sec.OtherCompanyAccount != nil || f.Sinks != nil || f.ClientIPs != nil {
		t.Errorf("load's view: %+v, sinks %v, client_ips %v", sec, f.Sinks, f.ClientIPs)
	}

	// A section given as an alias is pruned alike.
	aliased := loadFile + "newapikey: *fly\n"
	aliased = strings.Replace(aliased, "flylogs:\n", "flylogs: &fly\n", 1)
	aliased = strings.Replace(aliased, "  api_key: ${FLY_KEY}\n  token: {header: token}\n", "", 1)
	aliased = strings.Replace(aliased, "${TOTP}", "${T2}", 1) // not base32 if read
	if _, err := schema.ParseFor("t.yaml", []byte(aliased), env(vars), config.Use{Profiles: []string{"newapikey"}, LoginOnly: true}); err != nil {
		t.Errorf("aliased section: %v", err)
	}

	// An account keeps its index in the file in messages.
	delete(vars, "D_PW")
	if _, err := schema.ParseFor("t.yaml", []byte(loadFile), env(vars), u); err == nil || err.Error() != "t.yaml:14: flylogs.accounts[3].password: environment variable D_PW is not set" {
		t.Errorf("got %v", err)
	}
	// Without a login-only account, load has nothing to log in.
	only2FA := strings.NewReplacer(`{login: b, password: "${B_PW}"}`, "~", `{login: d, password: "${D_PW}"}`, "~").Replace(loadFile)
	only2FA = strings.ReplaceAll(only2FA, "    - ~\n", "")
	if _, err := schema.ParseFor("t.yaml", []byte(only2FA), env(vars), u); err == nil || !strings.HasPrefix(err.Error(), "t.yaml:10: flylogs.accounts: every account has two_factor") {
		t.Errorf("got %v", err)
	}
}

func TestAliases(t *testing.T) {
	shared := "jwt:\n  accounts: &acc\n    - {login: a, password: \"${PW}\"}\nlptracker:\n  probe: {path: /p}\n  accounts: *acc\n"
	f, err := schema.Parse("t.yaml", []byte(shared), env(map[string]string{"PW": "${PW}x"}))
	if err != nil {
		t.Fatal(err)
	}
	if a, b := f.Section("jwt").Accounts[0].Password, f.Section("lptracker").Accounts[0].Password; a != "${PW}x" || b != a {
		t.Errorf("an aliased value expanded twice or not at all: %q %q", a, b)
	}

	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		bomb.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				bomb.WriteString(", ")
			}
			bomb.WriteString("*a" + string(rune('0'+i-1)))
		}
		bomb.WriteString("]\n")
	}
	bomb.WriteString("jwt: {accounts: [{login: a, password: b}], services: *a8}\n")
	start := time.Now()
	_, err = schema.Parse("t.yaml", []byte(bomb.String()), env(nil))
	// An unbounded expansion never finishes (9^9 nodes); the bound leaves a busy CI machine
	// running the race detector plenty of room.
	if err == nil || time.Since(start) > 10*time.Second {
		t.Errorf("alias bomb: %v after %s", err, time.Since(start))
	}
}
