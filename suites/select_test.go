package suites

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/conformhq/conform/profile"
)

// twoSections is a target config with lptracker and jwt sections, in the order opposite to
// the documents'.
const twoSections = `
jwt:
  accounts: [{login: qa-one@example.com, password: pw}]
lptracker:
  accounts: [{login: qa-one, password: pw}]
  probe: {path: /projects}
`

func TestSelectProfiles(t *testing.T) {
	cfg, err := profile.Schema().Parse("target.yaml", []byte(twoSections), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		asked    []string
		embedded bool
		want     []string
		err      string // "" when the selection is valid
	}{
		{name: "embedded, none asked: every profile with specs", embedded: true, want: Available()},
		{name: "none asked: the config's sections, in the documents' order", want: []string{"lptracker", "jwt"}},
		{name: "asked in any order, repeated: once each, in the documents' order", asked: []string{"jwt", "lptracker", "jwt"}, want: []string{"lptracker", "jwt"}},
		{name: "one asked", asked: []string{"jwt"}, want: []string{"jwt"}},
		{name: "not a profile", asked: []string{"jwt", "nope"}, err: `--profile "nope" is not a profile; known: `},
		{name: "no section in the config", asked: []string{"flylogs"}, err: "config target.yaml has no flylogs section: add one (see fixtures/flylogs.example.yaml)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := selectProfiles(c.asked, cfg, c.embedded)
			if c.err == "" {
				if err != nil || !reflect.DeepEqual(got, c.want) {
					t.Errorf("%v, %v; want %v", got, err, c.want)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%v, %v; want a usage error %q", got, err, c.err)
			}
		})
	}
}
