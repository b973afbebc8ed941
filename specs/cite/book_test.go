package cite

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// declared is one spec the Book handed to Ginkgo.
type declared struct {
	text   string
	labels []string
	loc    types.CodeLocation
}

// recordingBook is a Book that records what it declares instead of calling ginkgo.It, so its
// tests need no Ginkgo suite.
func recordingBook() (*Book, *[]declared) {
	b := NewBook()
	var got []declared
	b.it = func(text string, args ...any) bool {
		d := declared{text: text}
		for _, a := range args {
			switch a := a.(type) {
			case ginkgo.Labels:
				d.labels = a
			case types.CodeLocation:
				d.loc = a
			}
		}
		got = append(got, d)
		return true
	}
	return b, &got
}

// nextLine is the location of the line after the caller's.
func nextLine() types.CodeLocation {
	loc := types.NewCodeLocation(1)
	loc.LineNumber++
	return loc
}

func TestBookDeclaresACitedSpecWithItsLabelsAtTheCallersLine(t *testing.T) {
	b, got := recordingBook()
	want := nextLine()
	b.It(good(), "sends the token as ?token=", func(ginkgo.SpecContext) {})
	if len(*got) != 1 {
		t.Fatalf("declared %d specs, want 1", len(*got))
	}
	d := (*got)[0]
	if d.text != "sends the token as ?token=" || !reflect.DeepEqual([]string(d.labels), good().Labels()) {
		t.Errorf("declared %q with labels %v", d.text, d.labels)
	}
	if d.loc.FileName != want.FileName || d.loc.LineNumber != want.LineNumber {
		t.Errorf("location %s, want %s (the spec's line, not book.go)", d.loc, want)
	}
	if r, ok := b.Requirement(good().ID); !ok || !reflect.DeepEqual(r, good()) {
		t.Errorf("Requirement(%s) = %+v, %v", good().ID, r, ok)
	}
	if p := b.Problems(); len(p) != 0 {
		t.Errorf("problems %v", p)
	}
}

func TestBookHonoursGinkgoOffset(t *testing.T) {
	b, got := recordingBook()
	want := nextLine()
	registerThroughHelper(b)
	if loc := (*got)[0].loc; loc.LineNumber != want.LineNumber || filepath.Base(loc.FileName) != "book_test.go" {
		t.Errorf("location %s, want %s: the helper's caller", loc, want)
	}
}

func registerThroughHelper(b *Book) {
	b.It(good(), "through a helper", func(ginkgo.SpecContext) {}, ginkgo.Offset(1))
}

// TestBookCollectsEveryProblemInsteadOfPanicking registers one bad spec of each kind after a
// good one: none is declared, none panics, and each is a Problem naming its line, its text
// and what is wrong.
func TestBookCollectsEveryProblemInsteadOfPanicking(t *testing.T) {
	b, got := recordingBook()
	b.It(good(), "sends the token as ?token=", func(ginkgo.SpecContext) {})

	cases := []struct {
		text   string
		req    func() Requirement
		reason string
	}{
		{"no quote", func() Requirement { r := good(); r.ID, r.Quote = "jwt.token.other", ""; return r }, "requirement jwt.token.other: no quoted sentence"},
		{"position id", func() Requirement { r := good(); r.ID = "jwt.3/"; return r }, "is not a slug"},
		{"should without a reason", func() Requirement { r := good(); r.ID, r.Level = "jwt.token.should", Should; return r }, "needs a reason"},
		{"one id, another requirement", func() Requirement { r := good(); r.Quote = "another sentence"; return r }, "requirement id jwt.token.query already names a different requirement (registered at "},
		{"sends the token as ?token=", good, "a spec with this text is already registered for requirement jwt.token.query (at "},
	}
	var wantLines []int
	for _, c := range cases {
		wantLines = append(wantLines, nextLine().LineNumber)
		b.It(c.req(), c.text, func(ginkgo.SpecContext) {})
	}

	if len(*got) != 1 {
		t.Errorf("declared %d specs, want only the good one", len(*got))
	}
	problems := b.Problems()
	if len(problems) != len(cases) {
		t.Fatalf("%d problems, want %d: %v", len(problems), len(cases), problems)
	}
	for i, c := range cases {
		p := problems[i]
		if p.Spec != c.text || !strings.Contains(p.Reason, c.reason) || p.Location.LineNumber != wantLines[i] {
			t.Errorf("%s: problem %s; want its line %d and %q", c.text, p, wantLines[i], c.reason)
		}
		if s := p.String(); !strings.HasPrefix(s, p.Location.String()+": spec \""+c.text+"\": ") {
			t.Errorf("%s: rendered %q, want file:line: spec \"text\": reason", c.text, s)
		}
	}
	if r, _ := b.Requirement("jwt.token.query"); !reflect.DeepEqual(r, good()) {
		t.Errorf("a refused spec changed the registered requirement: %+v", r)
	}
	if e := b.Entries(); len(e) != 1 || len(e[0].Specs) != 1 {
		t.Errorf("entries %+v, want the good spec only", e)
	}
}

func TestBookTakesSeveralSpecsPerRequirement(t *testing.T) {
	b, got := recordingBook()
	b.It(good(), "sends the token as ?token=", func(ginkgo.SpecContext) {})
	b.It(good(), "sends the token as ?token= twice", func(ginkgo.SpecContext) {})
	if len(*got) != 2 || len(b.Problems()) != 0 {
		t.Fatalf("declared %d, problems %v", len(*got), b.Problems())
	}
	if e := b.Entries(); len(e) != 1 || len(e[0].Specs) != 2 {
		t.Errorf("entries %+v", e)
	}
}
