package suites

import (
	"conform/specs/cite"
	"conform/specs/env"
	"conform/specs/jwt"
	"conform/specs/lptracker"
)

// registrars maps each profile with specs to the function that declares them.
var registrars = map[string]func(*cite.Book, *env.Env){
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
