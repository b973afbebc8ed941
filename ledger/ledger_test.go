package ledger

import (
	"reflect"
	"strings"
	"testing"
)

func TestStatementsCutsLinesAndSentences(t *testing.T) {
	doc := "Title\n\n{\n  \"message\": \"Authentication failed. Wrong password.\",\n}\n" +
		"One sentence. Another one! e.g. not cut. Fx. api.[json, xml]\n" +
		"  • У токена есть \"время жизни\" - 24 часа. Если нет - всё.\n---|---|\nPOST\u00a0 /auth/login\n"
	want := []string{
		"Title",
		`"message": "Authentication failed. Wrong password.",`,
		"One sentence.", "Another one! e.g. not cut.", "Fx. api.[json, xml]",
		`• У токена есть "время жизни" - 24 часа.`, "Если нет - всё.",
		"POST /auth/login",
	}
	if got := Statements(doc, Plain); !reflect.DeepEqual(got, want) {
		t.Errorf("Statements:\n got %q\nwant %q", got, want)
	}
	html := "<p>Done <strong>once</strong>. Then use it.</p>\n<div class=\"x\"><pre>\n$ /a?b=c\n</pre></div>"
	if got, want := Statements(html, HTML), []string{"Done once.", "Then use it.", "$ /a?b=c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Statements(html):\n got %q\nwant %q", got, want)
	}
}

const sample = `doc: "009"
profile: demo
statements:
  - text: Title
    kind: heading
    not-checkable: a heading
  - text: The token is required.
    kind: prose
    checked: [demo.token.required]
    tries: without a token, refused
  - text: '"ok": true'
    kind: answer
    checked: [demo.login.shape]
    tries: ok is true
`

const sampleDoc = "Title\n\nThe token is required.\n{\n \"ok\": true\n}\n"

func TestCheckAcceptsALedgerOfEveryStatement(t *testing.T) {
	l, err := Parse("demo.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if errs := l.Check(sampleDoc); len(errs) != 0 {
		t.Errorf("Check: %v", errs)
	}
	if l.Statements[1].Line != 7 {
		t.Errorf("line of the second entry %d, want 7", l.Statements[1].Line)
	}
	if c := l.Count(""); c != (Count{Statements: 3, Checked: 2, NotCheckable: 1}) {
		t.Errorf("Count %+v", c)
	}
}

// TestCheckNamesWhatIsWrong: a statement the ledger leaves out, an entry the document does not
// have, an entry out of order, each one error naming it.
func TestCheckNamesWhatIsWrong(t *testing.T) {
	l, err := Parse("demo.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, doc string
		want      []string
	}{
		{"a statement left out", strings.Replace(sampleDoc, "Title\n", "Title\nA new sentence.\n", 1),
			[]string{`statement 2 of doc 009 is not in the ledger (add it after line 4, "Title"): "A new sentence."`}},
		{"an entry not in the document", strings.Replace(sampleDoc, "The token is required.", "", 1),
			[]string{`demo.yaml:7: "The token is required." is not a statement of the document`}},
		{"an entry cut otherwise", strings.Replace(sampleDoc, "The token is required.", "The token is required. always.", 1),
			[]string{`statement 2 of doc 009 is not in the ledger`, `"The token is required." is in the document, but not as one whole statement`}},
		{"out of order", "Title\n\"ok\": true\nThe token is required.\n",
			[]string{`is statement 2 of doc 009, but not at this place`, `statement 2 of doc 009 is not in the ledger`}},
	} {
		errs := l.Check(c.doc)
		var got []string
		for _, e := range errs {
			got = append(got, e.Error())
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %d errors %q, want %d", c.name, len(got), got, len(c.want))
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(strings.Join(got, "\n"), w) {
				t.Errorf("%s: errors %q, want one with %q", c.name, got, w)
			}
		}
	}
}

func TestUnknownNamesTheMissingRequirement(t *testing.T) {
	l, err := Parse("demo.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	errs := l.Unknown(map[string]bool{"demo.login.shape": true, "demo.other": true})
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "demo.yaml:7:") || !strings.Contains(errs[0].Error(), "requirement demo.token.required does not exist") {
		t.Errorf("Unknown: %v", errs)
	}
}

func TestUnnamedListsTheRequirementsNoStatementNames(t *testing.T) {
	l, err := Parse("demo.yaml", []byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	got := Unnamed([]*Ledger{l}, []string{"demo.new", "demo.login.shape", "demo.token.required", "demo.other"})
	if want := []string{"demo.new", "demo.other"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Unnamed = %v, want %v", got, want)
	}
}

func TestParseRefusesAnUnfitEntry(t *testing.T) {
	for _, c := range []struct{ name, entry, want string }{
		{"neither", "kind: prose", "neither checked"},
		{"both", "kind: prose\n    checked: [demo.a]\n    tries: x\n    not-checkable: y", "both checked and not-checkable"},
		{"no tries", "kind: prose\n    checked: [demo.a]", "checked without tries"},
		{"answer not checkable", "kind: answer\n    not-checkable: y", "it must be checked"},
		{"schema not checkable", "kind: schema\n    not-checkable: y", "it must be checked"},
		{"unknown kind", "kind: footnote\n    not-checkable: y", `kind "footnote" is unknown`},
		{"thin unchecked", "kind: prose\n    not-checkable: y\n    thin: z", "thin is for a checked statement"},
		{"unknown field", "kind: prose\n    not-checkable: y\n    because: z", "field because not found"},
	} {
		data := "doc: \"009\"\nprofile: demo\nstatements:\n  - text: X\n    " + c.entry + "\n"
		_, err := Parse("demo.yaml", []byte(data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

func TestBuiltinLedgersParse(t *testing.T) {
	ls, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, l := range ls {
		docs = append(docs, l.Doc)
	}
	if want := []string{"000", "001", "002", "003", "004"}; !reflect.DeepEqual(docs, want) {
		t.Errorf("ledgers of docs %v, want %v", docs, want)
	}
}
