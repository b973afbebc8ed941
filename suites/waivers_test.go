package suites

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/conformhq/conform/config"
)

func TestLoadWaivers(t *testing.T) {
	w := waiverFileOf(t, "waivers:\n  - {id: jwt.token.query, reason: PLAT-1}\n  - id: lptracker.per-ip.one-user\n    reason: gateway hides client IPs\n")
	want := []Waiver{{ID: "jwt.token.query", Reason: "PLAT-1"}, {ID: "lptracker.per-ip.one-user", Reason: "gateway hides client IPs"}}
	if !reflect.DeepEqual(w.list, want) {
		t.Errorf("waivers %+v, want %+v", w.list, want)
	}
	if r, ok := w.reason("jwt.token.query"); !ok || r != "PLAT-1" {
		t.Errorf("reason(jwt.token.query) = %q, %v", r, ok)
	}
	if _, ok := w.reason("jwt.token.header"); ok {
		t.Error("a requirement without a waiver has one")
	}
	if none, err := loadWaivers(""); err != nil || len(none.list) != 0 {
		t.Errorf("no file: %+v, %v; want an empty set", none, err)
	}
}

func TestLoadWaiversRefusesABadFile(t *testing.T) {
	cases := []struct {
		name, yaml string
		field      string // the config.FieldError's field, when the problem is one field
		line       int    // the line the error names
		want       string
	}{
		{"missing id", "waivers:\n  - {reason: PLAT-1}\n", "waivers[0].id", 2, "required (a requirement id from `conform list`)"},
		{"missing reason", "waivers:\n  - {id: jwt.token.query, reason: x}\n  - {id: jwt.token.header}\n", "waivers[1].reason", 3, "required: say why"},
		{"unknown field", "waivers:\n  - {id: jwt.token.query, reason: PLAT-1}\n  - {id: jwt.token.query, reason: PLAT-1, until: 2027-01-01}\n", "", 3, "field until not found"},
		{"not a list", "# baseline\nwaivers: jwt.token.query\n", "", 2, "expected waivers: [{id: REQUIREMENT-ID, reason: WHY}]"},
		{"not YAML", "waivers:\n\t- {id: a}\n", "", 2, "expected waivers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.yaml")
			if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := loadWaivers(path)
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("error %T %v; want a *UsageError naming %s and %q", err, err, path, c.want)
			}
			var fe *config.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || fe.Line != c.line {
				t.Errorf("error %v; want a field error at line %d, field %q", err, c.line, c.field)
			}
			if at := fmt.Sprintf("%s:%d: ", path, c.line); !strings.HasPrefix(err.Error(), at) {
				t.Errorf("error %q does not start with %q, as a config error does", err, at)
			}
		})
	}
	_, err := loadWaivers(filepath.Join(t.TempDir(), "missing.yaml"))
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "read waivers") {
		t.Errorf("missing file: %v, want a usage error", err)
	}
}
