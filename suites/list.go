package suites

import (
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
)

// List walks every spec of the given profiles (all with specs when empty) without running
// any, and returns the traceability matrix: each requirement with its citation and specs. A
// spec that did not register makes it a *RegistrationError naming every such spec.
func List(profiles []string) ([]cite.Entry, error) {
	return list(profiles, Options{})
}

// list is List with the options' registrars (tests declare their own specs).
func list(profiles []string, o Options) ([]cite.Entry, error) {
	if len(profiles) == 0 {
		profiles = Available()
	}
	for _, p := range profiles {
		if _, ok := registrars[p]; !ok {
			return nil, usage("--profile %q has no specs; profiles with specs: %v", p, Available())
		}
	}
	b := &binding{cfg: &config.File{}, profiles: profiles, stop: func() {}}
	o.Strict = true
	book, report := preview(b, o.withDefaults())
	if err := registrationError(book, report); err != nil {
		return nil, err
	}
	return book.Entries(), nil
}
