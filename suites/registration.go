package suites

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/extensions/globals"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/specs/cite"
)

// RegistrationError lists every spec that did not register: a requirement without a quote or
// with a bad id, level or category, an id that names two requirements, the same spec text
// twice for one requirement, or a spec declared with ginkgo.It instead of cite.Book.It. These
// are bugs in conform's specs; they are found by walking the spec tree without running it and
// reported together, before any spec runs (exit code 2).
type RegistrationError struct {
	Problems []cite.Problem
}

func (e *RegistrationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d spec(s) not registered (every spec cites its requirement through cite.Book.It):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

// preview declares the specs of b's profiles into a fresh Ginkgo tree and walks it without
// running anything, returning the Book it filled and Ginkgo's report of every spec. It leaves
// the tree empty: a run declares its specs again, into a new Book. Walking the five profiles
// takes a few milliseconds.
//
// With a configuration, the report marks the specs its label filter and focus leave out as
// skipped, and the others as passed; without one, Ginkgo's current configuration applies
// (under go test, the -ginkgo flags). Ginkgo's configuration is left as it was.
func preview(b *binding, o Options, cfg ...types.SuiteConfig) (*cite.Book, types.Report) {
	globals.Reset()
	defer globals.Reset()
	book := cite.NewBook()
	declare(b, book, o, nil)
	if len(cfg) == 0 {
		return book, ginkgo.PreviewSpecs("conform")
	}
	prior, reporter := ginkgo.GinkgoConfiguration()
	report := ginkgo.PreviewSpecs("conform", cfg[0], reporter)
	// PreviewSpecs keeps a configuration it is given: give the prior one back, walking an
	// empty tree.
	globals.Reset()
	ginkgo.PreviewSpecs("conform", prior, reporter)
	return book, report
}

// registrationError is a *RegistrationError listing the specs of a preview that did not
// register: those the Book refused, and those in the tree without a requirement the Book
// knows (declared with ginkgo.It, or labelled by hand). It is nil when every spec registered.
func registrationError(book *cite.Book, report types.Report) error {
	problems := book.Problems()
	for _, sr := range report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		id := cite.IDFromLabels(sr.Labels())
		if _, ok := book.Requirement(id); ok {
			continue
		}
		reason := "declared without a requirement: use cite.Book.It, not ginkgo.It"
		if id != "" {
			reason = fmt.Sprintf("label req:%s names no requirement registered through cite.Book.It", id)
		}
		problems = append(problems, cite.Problem{Location: sr.LeafNodeLocation, Spec: sr.LeafNodeText, Reason: reason})
	}
	if len(problems) == 0 {
		return nil
	}
	slices.SortStableFunc(problems, func(a, b cite.Problem) int {
		return cmp.Or(cmp.Compare(a.Location.FileName, b.Location.FileName), cmp.Compare(a.Location.LineNumber, b.Location.LineNumber))
	})
	return &RegistrationError{Problems: problems}
}
