package cite

import (
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// Book collects the requirements of the specs registered through it, and the problems of the
// specs that could not register. The runner makes one per run and reads it back to put quotes
// in reports, to list the traceability matrix, and to refuse to run when a spec did not
// register; it is never package state, so two runs never share one.
type Book struct {
	reqs  map[string]Requirement
	specs map[string][]string // requirement id -> spec texts
	// where says where each requirement id, and each (id, spec text) pair, was first
	// registered, so a clash names both places.
	where    map[string]types.CodeLocation
	problems []Problem
	// it declares a registered spec: ginkgo.It, or a recorder in this package's tests.
	it func(text string, args ...any) bool
}

// NewBook returns an empty Book.
func NewBook() *Book {
	return &Book{reqs: map[string]Requirement{}, specs: map[string][]string{}, where: map[string]types.CodeLocation{}, it: ginkgo.It}
}

// Problem is a spec that did not register: where it is declared, what it is called, and why
// it was refused.
type Problem struct {
	Location types.CodeLocation
	Spec     string
	Reason   string
}

// String renders p as `file:line: spec "text": reason`, the shape of a compiler message.
func (p Problem) String() string {
	return fmt.Sprintf("%s: spec %q: %s", p.Location, p.Spec, p.Reason)
}

// It registers a Ginkgo spec that encodes req. text says what is sent; req says what must
// happen. body takes Ginkgo's SpecContext, which makes the spec interruptible: Ctrl-C cancels
// ctx, and a body that passes it to every request and wait stops at once.
//
// A spec that cannot register is not declared, and the Book records why (Problems) instead of
// panicking, so the runner can report every such spec together before any spec
// runs, as Kubernetes' conformance wrapper does. It refuses an incomplete requirement (see
// Requirement.Validate), an id that already names a different requirement, and a second spec
// with the same text for one requirement.
//
// The spec's code location, in Ginkgo's reports and in a Problem, is the caller's; a
// ginkgo.Offset among the decorators moves it further up the stack, as it does for ginkgo.It.
func (b *Book) It(req Requirement, text string, body func(ctx ginkgo.SpecContext), decorators ...any) {
	loc := types.NewCodeLocation(1 + offset(decorators))
	if reason := b.refusal(req, text); reason != "" {
		b.problems = append(b.problems, Problem{Location: loc, Spec: text, Reason: reason})
		return
	}
	if _, ok := b.where[req.ID]; !ok {
		b.where[req.ID] = loc
	}
	b.where[req.ID+"\x00"+text] = loc
	b.reqs[req.ID] = req
	b.specs[req.ID] = append(b.specs[req.ID], text)
	args := append([]any{ginkgo.Label(req.Labels()...)}, decorators...)
	// The location goes last: it wins over an Offset among the decorators, which it includes.
	args = append(args, loc, body)
	b.it(text, args...)
}

// refusal says why a spec of req called text cannot register, or "" when it can.
func (b *Book) refusal(req Requirement, text string) string {
	if err := req.Validate(); err != nil {
		return err.Error()
	}
	// DeepEqual rather than ==, so a Requirement may grow fields that == cannot compare.
	if prev, ok := b.reqs[req.ID]; ok && !reflect.DeepEqual(prev, req) {
		return fmt.Sprintf("requirement id %s already names a different requirement (registered at %s)", req.ID, b.where[req.ID])
	}
	if first, ok := b.where[req.ID+"\x00"+text]; ok {
		return fmt.Sprintf("a spec with this text is already registered for requirement %s (at %s)", req.ID, first)
	}
	return ""
}

// offset is the ginkgo.Offset among decorators; the last one counts, as in Ginkgo.
func offset(decorators []any) int {
	n := 0
	for _, d := range decorators {
		if o, ok := d.(ginkgo.Offset); ok {
			n = int(o)
		}
	}
	return n
}

// Problems lists the specs that did not register, in the order they were declared.
func (b *Book) Problems() []Problem {
	return slices.Clone(b.problems)
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
