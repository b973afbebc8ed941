package suites

import (
	"errors"
	"strings"
	"testing"
)

func TestLabelFilterCombinesProfilesLevelAndTheUsersFilter(t *testing.T) {
	cases := []struct {
		profiles []string
		strict   bool
		user     string
		want     string
	}{
		{[]string{"jwt"}, false, "", "(jwt) && !should"},
		{[]string{"lptracker", "jwt"}, true, "", "(lptracker || jwt)"},
		{[]string{"jwt"}, false, "ttl || per-ip", "(jwt) && !should && (ttl || per-ip)"},
		{[]string{"jwt"}, true, "  req:jwt.token.query ", "(jwt) && (req:jwt.token.query)"},
		{[]string{"jwt"}, false, "   ", "(jwt) && !should"},
	}
	for _, c := range cases {
		got, err := labelFilter(Options{Strict: c.strict, LabelFilter: c.user}, c.profiles)
		if err != nil || got != c.want {
			t.Errorf("%v strict=%v %q: %q, %v; want %q", c.profiles, c.strict, c.user, got, err, c.want)
		}
	}
}

func TestLabelFilterRefusesAnInvalidFilter(t *testing.T) {
	for _, f := range []string{"jwt &&", "(ttl", "ttl ||| per-ip"} {
		_, err := labelFilter(Options{LabelFilter: f}, []string{"jwt"})
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--label-filter") || !strings.Contains(err.Error(), "example:") {
			t.Errorf("%q: %v; want a usage error naming --label-filter with an example", f, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: the message should be one line: %q", f, err)
		}
	}
}
