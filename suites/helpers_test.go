package suites

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// specBody adapts f to the body type of cite.Book.It (pass the book's It method), so these
// tests hold whatever a spec body takes.
func specBody[F any](_ func(cite.Requirement, string, F, ...any), f func()) F {
	t := reflect.TypeFor[F]()
	return reflect.MakeFunc(t, func([]reflect.Value) []reflect.Value { f(); return nil }).Interface().(F)
}

// it registers a spec of req whose body does nothing, located at its caller.
func it(book *cite.Book, req cite.Requirement, text string) {
	book.It(req, text, specBody(book.It, func() {}), ginkgo.Offset(1))
}

var (
	jwtDoc = cite.Document{Profile: "jwt", Number: "004"}
	lptDoc = cite.Document{Profile: "lptracker", Number: "003"}
)

// The fixture's requirements, one spec each; their outcomes are set on the report by the test.
var (
	reqPasses      = jwtDoc.Must("t.passes", cite.Auth, "A sentence that passes.")
	reqFails       = jwtDoc.Must("t.fails", cite.Placement, "Pass the token as a query parameter.")
	reqSkips       = jwtDoc.Must("t.skips", cite.TTL, "A token lives 24 hours.")
	reqFiltered    = jwtDoc.Must("t.filtered", cite.Shape, "A sentence filtered out.")
	reqShould      = jwtDoc.Should("t.should", cite.Security, "Uses JSON Web Tokens", "RFC 8725 practice")
	reqWaived      = jwtDoc.Must("t.waived", cite.Logout, "A sentence a waiver covers.")
	reqStale       = jwtDoc.Must("t.stale", cite.Logout, "A sentence whose waiver is stale.")
	reqNotSelected = lptDoc.Must("t.other", cite.Auth, "A sentence of another document.")
)

// fixtureSpecs maps each fixture spec's text to its requirement.
var fixtureSpecs = []struct {
	text string
	req  cite.Requirement
}{
	{"passes", reqPasses},
	{"fails", reqFails},
	{"skips itself", reqSkips},
	{"is filtered out", reqFiltered},
	{"is should-level", reqShould},
	{"fails under a waiver", reqWaived},
	{"passes under a waiver", reqStale},
	{"belongs to a profile not selected", reqNotSelected},
}

// fixtureRegistrars declares the fixture specs under jwt and lptracker.
func fixtureRegistrars() map[string]func(*cite.Book, *env.Env) {
	register := func(profile string) func(*cite.Book, *env.Env) {
		return func(book *cite.Book, _ *env.Env) {
			ginkgo.Describe(profile, func() {
				for _, s := range fixtureSpecs {
					if s.req.Profile == profile {
						it(book, s.req, s.text)
					}
				}
			})
		}
	}
	return map[string]func(*cite.Book, *env.Env){"jwt": register("jwt"), "lptracker": register("lptracker")}
}

// fixture previews the fixture specs: the Book that knows their requirements, and Ginkgo's
// report of them, every spec "passed" as in a dry run until the test sets its outcome.
func fixture(t *testing.T) (*cite.Book, types.Report) {
	t.Helper()
	b := &binding{cfg: &config.File{}, profiles: []string{"jwt", "lptracker"}, stop: func() {}}
	book, report := preview(b, Options{registrars: fixtureRegistrars()}.withDefaults())
	if err := registrationError(book, report); err != nil {
		t.Fatal(err)
	}
	if len(report.SpecReports) != len(fixtureSpecs) {
		t.Fatalf("preview has %d specs, want %d", len(report.SpecReports), len(fixtureSpecs))
	}
	return book, report
}

// spec finds the report of the fixture spec with the given text.
func spec(t *testing.T, report types.Report, text string) *types.SpecReport {
	t.Helper()
	for i := range report.SpecReports {
		if report.SpecReports[i].LeafNodeText == text {
			return &report.SpecReports[i]
		}
	}
	t.Fatalf("no spec %q in the fixture", text)
	return nil
}

// waiverFileOf writes a waivers file and loads it.
func waiverFileOf(t *testing.T, yaml string) *waiverSet {
	t.Helper()
	path := filepath.Join(t.TempDir(), "waivers.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := loadWaivers(path)
	if err != nil {
		t.Fatal(err)
	}
	return w
}
