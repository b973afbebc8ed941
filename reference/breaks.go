package reference

import (
	"fmt"
	"slices"
)

// breakDef switches off one documented behaviour of a profile, so that
// conform's self-tests can show a spec failing against a server wrong in
// exactly that way. T is the profile's struct of plain bools: breaks are
// resolved into it once in New, never looked up per request.
type breakDef[T any] struct {
	name string   // "<profile>.<behaviour>", the value of Options.Breaks
	what string   // what the broken server does instead
	set  func(*T) // turns the break on
}

// breakNamesOf lists the names of defs, for profileDef.breaks.
func breakNamesOf[T any](defs []breakDef[T]) []string {
	out := make([]string, len(defs))
	for i, d := range defs {
		out[i] = d.name
	}
	return out
}

// resolveBreaks returns T with every requested break of defs turned on.
func resolveBreaks[T any](defs []breakDef[T], requested map[string]bool) T {
	var t T
	for _, d := range defs {
		if requested[d.name] {
			d.set(&t)
		}
	}
	return t
}

// BreakNames returns every valid Options.Breaks name, sorted.
func BreakNames() []string {
	var out []string
	for _, p := range builtinProfiles() {
		out = append(out, p.breaks...)
	}
	slices.Sort(out)
	return out
}

// checkBreaks validates requested break names against the profiles served:
// an unknown name, or one of a profile not served, would make a self-test
// pass for the wrong reason.
func checkBreaks(requested []string, served []profileDef) (map[string]bool, error) {
	owner := map[string]string{}
	for _, p := range builtinProfiles() {
		for _, b := range p.breaks {
			owner[b] = p.name
		}
	}
	isServed := map[string]bool{}
	for _, p := range served {
		isServed[p.name] = true
	}
	set := make(map[string]bool, len(requested))
	for _, b := range requested {
		p, ok := owner[b]
		if !ok {
			return nil, fmt.Errorf("unknown break %q; valid breaks: %s", b, names(BreakNames()))
		}
		if !isServed[p] {
			return nil, fmt.Errorf("break %q belongs to profile %s, which is not served", b, p)
		}
		set[b] = true
	}
	return set, nil
}
