package env

import (
	"fmt"
	"sync"

	"github.com/onsi/ginkgo/v2"
)

// ConfigWrongEntry names the report entry ConfigWrong adds to a spec, which the runner reads.
const ConfigWrongEntry = "conform-config-wrong"

// ConfigWrong skips the running spec because a value of the config proved wrong against the
// target (not missing: wrong, like a signing key the target does not verify). Such a spec
// cannot check what it claims, so it must not pass; nor has the target been shown to fail.
// The runner lists the problem; the run's verdict is a config error (exit code 2) rather than
// a pass, unless a spec failed on evidence of its own (see suites' verdict rule). field is the
// config path, e.g. jwt.jwt.secret; why starts lower-case.
//
// A spec with the run's Env uses Env.ConfigWrong, which first asks whether the value worked
// earlier in the run.
func ConfigWrong(field, why string) {
	ginkgo.GinkgoHelper()
	msg := fmt.Sprintf("%s %s", field, why)
	ginkgo.AddReportEntry(ConfigWrongEntry, msg, ginkgo.ReportEntryVisibilityNever)
	ginkgo.Skip(msg)
}

// ConfigWrong is the package's ConfigWrong, unless the value worked earlier in this run
// (Env.ConfigWorked): a value that proved right against the target and then stopped working
// is the target changing, not the config, and the spec fails saying so.
func (e *Env) ConfigWrong(field, why string) {
	ginkgo.GinkgoHelper()
	if where, ok := e.Proofs.worked(field); ok {
		Expect(false, fmt.Sprintf("%s to keep working as it did earlier in this run (%s): the config did not change, so the target did", field, where),
			fmt.Sprintf("%s %s", field, why))
	}
	ConfigWrong(field, why)
}

// ConfigWorked records that the config value field just proved right against the target
// (e.g. jwt.secret re-signed a token the probe accepted), in the running spec.
func (e *Env) ConfigWorked(field string) {
	e.Proofs.record(field, fmt.Sprintf("in %q", ginkgo.CurrentSpecReport().LeafNodeText))
}

// Proofs are the config values that proved right against the target during one run, both
// passes of a run under load included: the runner makes one per run and gives it to every Env.
// A nil *Proofs records nothing (a dry run).
type Proofs struct {
	mu    sync.Mutex
	first map[string]string // field -> where it first worked
}

func (p *Proofs) record(field, where string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first == nil {
		p.first = map[string]string{}
	}
	if _, ok := p.first[field]; !ok {
		p.first[field] = where
	}
}

func (p *Proofs) worked(field string) (string, bool) {
	if p == nil {
		return "", false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	w, ok := p.first[field]
	return w, ok
}
