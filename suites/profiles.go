package suites

import (
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/apikey"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/flylogs"
	"github.com/conformhq/conform/specs/jwt"
	"github.com/conformhq/conform/specs/lptracker"
	"github.com/conformhq/conform/specs/newapikey"
)

// registrars maps each profile with specs to the function that declares them.
var registrars = map[string]func(*cite.Book, *env.Env){
	"flylogs":   flylogs.Register,
	"apikey":    apikey.Register,
	"newapikey": newapikey.Register,
	"lptracker": lptracker.Register,
	"jwt":       jwt.Register,
}

// Available lists the profiles that have specs, in report order.
func Available() []string {
	var out []string
	for _, p := range profile.Names() {
		if _, ok := registrars[p]; ok {
			out = append(out, p)
		}
	}
	return out
}
