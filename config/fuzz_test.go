package config_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/config"
)

// fuzzEnv is the environment of FuzzParse: EMPTY is set but empty, UNSET* is unset, NUM and
// DUR hold a status and a duration, and every other variable holds a value marked secret.
func fuzzEnv(name string) (string, bool) {
	switch {
	case name == "EMPTY":
		return "", true
	case strings.HasPrefix(name, "UNSET"):
		return "", false
	case name == "NUM":
		return "204", true
	case name == "DUR":
		return "2s", true
	}
	return fuzzSecret + name, true
}

const fuzzSecret = "s3cr3t-"

// FuzzParse feeds the parser any bytes, with any selection: use's low five bits select
// profiles of the schema (none set: Use.Profiles nil, every section), bit 5 is LoginOnly. Parse
// must not panic, must return a File or a *FieldError, one-line errors with a line wherever
// they name a field, the same answer twice, never a variable's value in a message, and a File
// whose used sections hold what the specs and load rely on.
func FuzzParse(f *testing.F) {
	f.Add([]byte(good), uint8(0))
	f.Add([]byte(goodTwoFactor), uint8(1<<5|1))
	f.Add([]byte(loadFile), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, use uint8) {
		var u config.Use
		for i, n := range schema.Names() {
			if i < 5 && use&(1<<i) != 0 {
				u.Profiles = append(u.Profiles, n)
			}
		}
		u.LoginOnly = use&(1<<5) != 0
		file, err := schema.ParseFor("f.yaml", data, fuzzEnv, u)
		again, err2 := schema.ParseFor("f.yaml", data, fuzzEnv, u)
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() || err == nil && len(file.Warnings) != len(again.Warnings) {
			t.Fatalf("two parses differ: %v / %v", err, err2)
		}
		secretsOK := !strings.Contains(string(data), fuzzSecret)
		if err != nil {
			if file != nil {
				t.Fatalf("both a File and an error: %v", err)
			}
			var fe *config.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%T is not a *config.FieldError: %v", err, err)
			}
			checkMessage(t, fe, secretsOK)
			return
		}
		if file == nil {
			t.Fatal("neither a File nor an error")
		}
		for _, w := range file.Warnings {
			checkMessage(t, w, secretsOK)
		}
		for _, name := range file.Present() {
			if u.Profiles != nil && !slices.Contains(u.Profiles, name) {
				t.Fatalf("section %s not selected but present", name)
			}
			sec := file.Section(name)
			if len(sec.Accounts) == 0 || sec.Probe == nil || !slices.Contains(config.Methods(), sec.Probe.Method) || !strings.HasPrefix(sec.Probe.Path, "/") {
				t.Fatalf("section %s not normalized: %+v", name, sec)
			}
			for _, a := range sec.Accounts {
				if u.LoginOnly && a.TwoFactor != nil {
					t.Fatalf("a 2FA account in a login-only read of %s", name)
				}
				if a.TwoFactor != nil && (a.TwoFactor.Timeout <= 0 || a.TwoFactor.Regex == "") {
					t.Fatalf("two_factor not normalized: %+v", a.TwoFactor)
				}
			}
			if tt := sec.TTL; tt != nil {
				if tt.Idle <= 0 || u.LoginOnly {
					t.Fatalf("ttl %+v in %s (login only %v)", tt, name, u.LoginOnly)
				}
				if h := tt.ClockHook; h != nil && !strings.Contains(h.Path+h.Body, config.DurationPlaceholder) {
					t.Fatalf("clock hook without %s: %+v", config.DurationPlaceholder, h)
				}
			}
		}
	})
}

func checkMessage(t *testing.T, fe *config.FieldError, secretsOK bool) {
	t.Helper()
	msg := fe.Error()
	if strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		t.Fatalf("not one line: %q", msg)
	}
	if fe.Field != "" && fe.Line == 0 {
		t.Fatalf("a field without its line: %q", msg)
	}
	if secretsOK && strings.Contains(msg, fuzzSecret) {
		t.Fatalf("a variable's value in a message: %q", msg)
	}
}
