package suites

import (
	"conform/specs/apikey"
	"conform/specs/cite"
	"conform/specs/env"
	"conform/specs/flylogs"
	"conform/specs/jwt"
	"conform/specs/lptracker"
	"conform/specs/newapikey"
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
	for _, p := range []string{"flylogs", "apikey", "newapikey", "lptracker", "jwt"} {
		if _, ok := registrars[p]; ok {
			out = append(out, p)
		}
	}
	return out
}
