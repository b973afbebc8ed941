package cite

import (
	"fmt"
	"sort"

	"github.com/onsi/ginkgo/v2"
)

// Book collects the requirements of the specs registered through it. The runner makes one
// per run and reads it back to put quotes in reports and to list the traceability matrix; it is
// never package state, so two runs never share one.
type Book struct {
	reqs  map[string]Requirement
	specs map[string][]string // requirement id -> spec texts
}

// NewBook returns an empty Book.
func NewBook() *Book {
	return &Book{reqs: map[string]Requirement{}, specs: map[string][]string{}}
}

// It registers a Ginkgo spec that encodes req. text says what is sent; req says what must
// happen. A spec whose requirement is incomplete does not register: It panics during tree
// construction with the problem, which Ginkgo reports against the spec's location.
//
// body takes Ginkgo's SpecContext, which makes the spec interruptible: Ctrl-C cancels ctx, and
// a body that passes it to every request and wait stops at once instead of being left running.
func (b *Book) It(req Requirement, text string, body func(ctx ginkgo.SpecContext), decorators ...any) {
	if err := req.Validate(); err != nil {
		panic(fmt.Sprintf("spec %q not registered: %v", text, err))
	}
	if prev, ok := b.reqs[req.ID]; ok && prev != req {
		panic(fmt.Sprintf("spec %q not registered: requirement id %s is used for two different requirements", text, req.ID))
	}
	b.reqs[req.ID] = req
	b.specs[req.ID] = append(b.specs[req.ID], text)
	args := append([]any{ginkgo.Label(req.Labels()...)}, decorators...)
	args = append(args, body)
	ginkgo.It(text, args...)
}

// Requirement returns the requirement with the given id.
func (b *Book) Requirement(id string) (Requirement, bool) {
	r, ok := b.reqs[id]
	return r, ok
}

// Entry is one row of the traceability matrix.
type Entry struct {
	Requirement `yaml:",inline"`
	Specs       []string `json:"specs" yaml:"specs"`
}

// Entries lists every registered requirement with its specs, sorted by id.
func (b *Book) Entries() []Entry {
	out := make([]Entry, 0, len(b.reqs))
	for id, r := range b.reqs {
		specs := append([]string(nil), b.specs[id]...)
		sort.Strings(specs)
		out = append(out, Entry{Requirement: r, Specs: specs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
