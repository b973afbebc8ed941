package suites

import (
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
)

// List walks every spec of the given profiles (all with specs when empty) without running
// any, and returns the traceability matrix: each requirement with its citation and specs.
func List(profiles []string) ([]cite.Entry, error) {
	if len(profiles) == 0 {
		profiles = Available()
	}
	for _, p := range profiles {
		if _, ok := registrars[p]; !ok {
			return nil, usage("--profile %q has no specs; profiles with specs: %v", p, Available())
		}
	}
	b := &binding{cfg: &config.File{}, profiles: profiles, stop: func() {}}
	book := cite.NewBook()
	o := Options{Strict: true, dryRun: true}.withDefaults()
	runGinkgo(b, book, o, "", nil)
	return book.Entries(), nil
}
