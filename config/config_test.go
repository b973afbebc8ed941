package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	f, err := Parse("t.yaml", []byte(good), env(map[string]string{"ALICE_PW": "s3cret"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Lptracker.Accounts[0].Password; got != "s3cret" {
		t.Errorf("env not expanded: %q", got)
	}
	if f.JWT.Probe == nil || f.JWT.Probe.Path != "/users/me" || f.JWT.Probe.Method != "GET" {
		t.Errorf("jwt probe default (doc 004 GET /users/me) not set: %+v", f.JWT.Probe)
	}
	if f.Lptracker.Probe.ValidJSON["status"] != "success" {
		t.Errorf("lptracker probe envelope default not set: %+v", f.Lptracker.Probe)
	}
	if len(f.Lptracker.Services) != 2 {
		t.Errorf("services default: %v", f.Lptracker.Services)
	}
	if got := strings.Join(f.Present(), ","); got != "lptracker,jwt" {
		t.Errorf("Present = %s", got)
	}
}

func TestParseErrorsNameFileAndField(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown top", "lptrackr: {}", "t.yaml:1: lptrackr: unknown field"},
		{"unknown nested", "jwt:\n  accounts:\n    - {login: a, pasword: b}", "t.yaml:3: jwt.accounts[0].pasword: unknown field"},
		{"missing password", "jwt:\n  accounts: [{login: a}]", "t.yaml: jwt.accounts[0].password: required"},
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
			_, err := Parse("t.yaml", []byte(c.yaml), env(nil))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got error %v, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
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
			if _, err := Parse(p, data, func(string) (string, bool) { return "x", true }); err != nil {
				t.Fatal(err)
			}
		})
	}
}
