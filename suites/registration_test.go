package suites

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/extensions/globals"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// badSpec is one spec a registrar declares, and what the registration error must say of it.
type badSpec struct {
	text   string
	reason string // "" for a spec that registers
	line   int
}

// badRegistrar declares a good spec, then one spec of every kind that must not register,
// each by a direct call on its own line so the error can be checked to name that line. ran is
// set when the good spec's body runs.
func badRegistrar(ran *bool) (func(*cite.Book, *env.Env), *[]badSpec) {
	var specs []badSpec
	add := func(text, reason string) {
		specs = append(specs, badSpec{text: text, reason: reason, line: types.NewCodeLocation(1).LineNumber + 1})
	}
	return func(book *cite.Book, _ *env.Env) {
		specs = nil
		good := jwtDoc.Must("login.ok", cite.Auth, "A sentence.")
		uncited := good
		uncited.ID, uncited.Quote = "jwt.login.uncited", ""
		reasonless := jwtDoc.Should("login.reasonless", cite.Security, "A sentence.", "")
		other := good
		other.Quote = "Another sentence under the same id."
		body := specBody(book.It, func() { *ran = true })
		ginkgo.Describe("jwt", func() {
			add("logs in", "")
			book.It(good, "logs in", body)
			add("sends no quote", "requirement jwt.login.uncited: no quoted sentence")
			book.It(uncited, "sends no quote", body)
			add("should without a reason", "a should requirement needs a reason")
			book.It(reasonless, "should without a reason", body)
			add("one id, two requirements", "requirement id jwt.login.ok already names a different requirement")
			book.It(other, "one id, two requirements", body)
			add("logs in", "a spec with this text is already registered for requirement jwt.login.ok")
			book.It(good, "logs in", body)
			add("around the Book", "declared without a requirement: use cite.Book.It")
			ginkgo.It("around the Book", func() { *ran = true })
			add("labelled by hand", "label req:jwt.login.by-hand names no requirement")
			ginkgo.It("labelled by hand", ginkgo.Label("req:jwt.login.by-hand"), func() { *ran = true })
		})
	}, &specs
}

// checkNamesEveryBadSpec asserts err is a *RegistrationError naming each bad spec, at its line
// of this file, with its reason, and nothing else.
func checkNamesEveryBadSpec(t *testing.T, err error, specs []badSpec) {
	t.Helper()
	var re *RegistrationError
	if !errors.As(err, &re) {
		t.Fatalf("error %T %v, want a *RegistrationError", err, err)
	}
	var want []badSpec
	for _, s := range specs {
		if s.reason != "" {
			want = append(want, s)
		}
	}
	if len(re.Problems) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(re.Problems), len(want), err)
	}
	for i, w := range want {
		p := re.Problems[i]
		if p.Spec != w.text || !strings.Contains(p.Reason, w.reason) || p.Location.LineNumber != w.line || !strings.HasSuffix(p.Location.FileName, "registration_test.go") {
			t.Errorf("problem %d: %s\nwant registration_test.go:%d: spec %q: %s", i, p, w.line, w.text, w.reason)
		}
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want)+1 || !strings.Contains(lines[0], "not registered") {
		t.Errorf("message should be a heading and one line per spec:\n%v", err)
	}
	for i, l := range lines[1:] {
		if !strings.Contains(l, `registration_test.go:`) || !strings.Contains(l, `: spec "`+want[i].text+`": `) {
			t.Errorf("line %q: want file:line: spec %q: problem", l, want[i].text)
		}
	}
}

func TestListReportsEveryRegistrationProblemTogether(t *testing.T) {
	var ran bool
	register, specs := badRegistrar(&ran)
	entries, err := list([]string{"jwt"}, Options{registrars: map[string]func(*cite.Book, *env.Env){"jwt": register}})
	checkNamesEveryBadSpec(t, err, *specs)
	if entries != nil || ran {
		t.Errorf("entries %v, ran %v: want neither", entries, ran)
	}
}

func TestRunReportsRegistrationProblemsBeforeAnySpecRuns(t *testing.T) {
	var ran bool
	register, specs := badRegistrar(&ran)
	var out bytes.Buffer
	res, err := Run(context.Background(), Options{Profiles: []string{"jwt"}, Out: &out, registrars: map[string]func(*cite.Book, *env.Env){"jwt": register}})
	checkNamesEveryBadSpec(t, err, *specs)
	if res != nil || ran || out.Len() > 0 {
		t.Errorf("result %v, ran %v, output %q: want no spec run and nothing printed", res, ran, out.String())
	}
}

func TestDeclareForGoTestRefusesSpecsThatDidNotRegister(t *testing.T) {
	defer globals.Reset()
	var ran bool
	register, specs := badRegistrar(&ran)
	stop, err := declareForGoTest(Options{Profiles: []string{"jwt"}, registrars: map[string]func(*cite.Book, *env.Env){"jwt": register}})
	if err == nil {
		stop()
	}
	checkNamesEveryBadSpec(t, err, *specs)
}

func TestEveryProfileRegisters(t *testing.T) {
	start := time.Now()
	entries, err := List(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) < 50 {
		t.Errorf("%d requirements", len(entries))
	}
	t.Logf("listed %d requirements of every profile in %s", len(entries), time.Since(start))
}

// BenchmarkPreviewEveryProfile measures the walk `conform run` makes before running any spec.
func BenchmarkPreviewEveryProfile(b *testing.B) {
	bd := &binding{cfg: &config.File{}, profiles: Available(), stop: func() {}}
	o := Options{Strict: true}.withDefaults()
	for b.Loop() {
		if err := registrationError(preview(bd, o)); err != nil {
			b.Fatal(err)
		}
	}
}
