//go:build conform_badspecs

package suites

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
)

// declareBadSpecs declares two specs that must not register, for a binary built with
// -tags conform_badspecs: one whose requirement quotes no sentence, one declared with ginkgo.It
// around the Book. `conform list` and `conform run` of that binary exit 2 naming both, and run
// no spec (cmd/conform's TestUncitedSpecsStopListAndRun).
func declareBadSpecs(book *cite.Book) {
	ginkgo.Describe("bad specs (-tags conform_badspecs)", func() {
		uncited := cite.Requirement{ID: "jwt.badspecs.uncited", Profile: "jwt", Doc: "004", Level: cite.Must, Category: cite.Auth}
		// The body is never declared, so nil serves whatever type Book.It takes.
		book.It(uncited, "a spec registered without a citation", nil)
		ginkgo.It("a spec declared around the Book", func() {})
	})
}
