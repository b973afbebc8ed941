// Package ledger holds the other direction of conform's traceability: from every statement of a
// document to the requirements that hold a target to it, or to the reason none can.
//
// The requirements list (fixtures/requirements.yaml) runs from each requirement to the sentence
// it quotes; it cannot show a statement nobody checks, or one checked only in part. A ledger
// lists every statement of one document, in document order (what a statement is, mechanically,
// is Statements' doc comment), each either checked (requirement ids, and in a few words which
// readings and variations they try) or not checkable (why, and which should-level requirement or
// advisory covers it instead, if any). The files are fixtures/ledger/NNN.yaml, one per document,
// in this format:
//
//	doc: "003"            # the document number
//	profile: lptracker    # its profile
//	rendering: html       # optional: the markup the document is read through (see Rendering)
//	statements:
//	  - text: '"version": "1.0"'          # the statement, as Statements cuts it
//	    english: ...                      # optional, where the document is not English
//	    where: request example, version   # optional: where it sits (example, schema path)
//	    kind: request                     # chrome, heading, prose, request, answer, schema, table
//	    checked: [lptracker.login.version-1-0-only]
//	    tries: which readings and variations the requirements try
//	    thin: what the statement rules out that no requirement tries yet (optional)
//	  - text: Login
//	    kind: heading
//	    not-checkable: a heading, it names what follows
//	    instead: []                       # optional: should-level ids or advisories covering it
//
// A test with the documents at hand (suites/ledger_test.go) fails when a statement of a
// document is missing from its ledger, when an entry's text is not the document's, when an
// entry names a requirement that does not exist, and when a requirement of conform's list
// (fixtures/requirements.yaml) is named by no entry (Unnamed): each requirement is listed under
// the statement(s) its quote cites, so the ledger runs both ways.
package ledger

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Kind says what part of a document a statement is.
type Kind string

// The kinds of statement. An example answer's field and a schema entry say what the target
// answers, so each is always checkable: Parse refuses them "not checkable".
const (
	// Chrome is the page around the document: navigation, "Was this helpful?", site links.
	Chrome Kind = "chrome"
	// Heading names the section that follows.
	Heading Kind = "heading"
	// Prose is a sentence of the document's text.
	Prose Kind = "prose"
	// Request is a line of an example request (URL, curl, a request body field) or of a
	// request's field list.
	Request Kind = "request"
	// Answer is a line of an example answer.
	Answer Kind = "answer"
	// Schema is a line of a schema: a name, type, format, required entry, items, description.
	Schema Kind = "schema"
	// Table is a row of a table.
	Table Kind = "table"
)

// Kinds lists every kind in the order reports print them.
func Kinds() []Kind {
	return []Kind{Prose, Request, Answer, Schema, Table, Heading, Chrome}
}

func (k Kind) known() bool {
	for _, c := range Kinds() {
		if c == k {
			return true
		}
	}
	return false
}

// mustCheck reports whether a statement of kind k may never be "not checkable".
func (k Kind) mustCheck() bool { return k == Answer || k == Schema }

// Ledger is one document's statements, in document order.
type Ledger struct {
	// Doc is the document number, 000-004.
	Doc string `yaml:"doc"`
	// Profile is the document's profile.
	Profile string `yaml:"profile"`
	// Rendering is the markup the document is read through before it is cut into statements.
	Rendering Rendering `yaml:"rendering,omitempty"`
	// Statements are the document's statements, one entry each, in document order.
	Statements []Statement `yaml:"statements"`
	// File is where the ledger was read from, for errors.
	File string `yaml:"-"`
}

// Statement is one statement of a document and what holds a target to it.
type Statement struct {
	// Text is the statement as Statements cuts it from the document.
	Text string `yaml:"text" json:"text"`
	// English renders Text where the document is not English (doc 003).
	English string `yaml:"english,omitempty" json:"english,omitempty"`
	// Where says where the statement sits: which example, which schema and field.
	Where string `yaml:"where,omitempty" json:"where,omitempty"`
	// Kind says what part of the document it is.
	Kind Kind `yaml:"kind" json:"kind"`
	// Checked lists the requirement ids that hold a target to the statement.
	Checked []string `yaml:"checked,omitempty" json:"checked,omitempty"`
	// Tries says, in a few words, which readings and variations those requirements try.
	Tries string `yaml:"tries,omitempty" json:"tries,omitempty"`
	// Thin names, for a checked statement, what it rules out that no requirement tries yet:
	// the list of what to close next.
	Thin string `yaml:"thin,omitempty" json:"thin,omitempty"`
	// NotCheckable says why no requirement can hold a target to the statement.
	NotCheckable string `yaml:"not-checkable,omitempty" json:"not_checkable,omitempty"`
	// Instead lists should-level requirements or advisories that cover an uncheckable
	// statement in part, if any.
	Instead []string `yaml:"instead,omitempty" json:"instead,omitempty"`
	// Line is the entry's line in its file.
	Line int `yaml:"-" json:"-"`
}

var docPattern = regexp.MustCompile(`^[0-9]{3}$`)

// Parse reads one ledger file; name is its path, for errors. It refuses an entry that is not
// exactly one of checked (with tries) and not checkable (with its reason), and an example
// answer or schema entry that is not checkable. Errors read name:line: problem.
func Parse(name string, data []byte) (*Ledger, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var l Ledger
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l.File = name
	if lines := statementLines(&root); len(lines) == len(l.Statements) {
		for i := range l.Statements {
			l.Statements[i].Line = lines[i]
		}
	}
	var problems []error
	if !docPattern.MatchString(l.Doc) {
		problems = append(problems, fmt.Errorf("%s: doc %q is not a document number like 003", name, l.Doc))
	}
	if l.Profile == "" {
		problems = append(problems, fmt.Errorf("%s: no profile", name))
	}
	if !l.Rendering.known() {
		problems = append(problems, fmt.Errorf("%s: rendering %q is unknown (known: %q, %q)", name, l.Rendering, Plain, HTML))
	}
	if len(l.Statements) == 0 {
		problems = append(problems, fmt.Errorf("%s: no statements", name))
	}
	for _, s := range l.Statements {
		if p := s.problem(); p != "" {
			problems = append(problems, fmt.Errorf("%s:%d: %q: %s", name, s.Line, s.Text, p))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	return &l, nil
}

// statementLines finds the line of each entry under the statements key.
func statementLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "statements" {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

// problem says what makes s unfit, or "".
func (s Statement) problem() string {
	switch {
	case strings.TrimSpace(s.Text) == "":
		return "no text"
	case !s.Kind.known():
		return fmt.Sprintf("kind %q is unknown (known: %v)", s.Kind, Kinds())
	case len(s.Checked) > 0 && s.NotCheckable != "":
		return "both checked and not-checkable: it is one or the other"
	case len(s.Checked) == 0 && s.NotCheckable == "":
		return "neither checked (requirement ids) nor not-checkable (a reason)"
	case len(s.Checked) > 0 && strings.TrimSpace(s.Tries) == "":
		return "checked without tries: say which readings and variations the requirements try"
	case s.Thin != "" && len(s.Checked) == 0:
		return "thin is for a checked statement"
	case len(s.Checked) > 0 && len(s.Instead) > 0:
		return "instead is for a statement that is not checkable"
	case s.NotCheckable != "" && s.Kind.mustCheck():
		return fmt.Sprintf("an %s statement says what the target answers: it must be checked", s.Kind)
	}
	return ""
}

// IsChecked reports whether some requirement holds a target to s.
func (s Statement) IsChecked() bool { return len(s.Checked) > 0 }

// Load reads every *.yaml file of fsys's root as a ledger, sorted by document number.
func Load(fsys fs.FS) ([]*Ledger, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list ledgers: %w", err)
	}
	var out []*Ledger
	var problems []error
	seen := map[string]string{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read ledger %s: %w", n, err)
		}
		l, err := Parse(path.Join("fixtures/ledger", n), data)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if prev, ok := seen[l.Doc]; ok {
			problems = append(problems, fmt.Errorf("%s: doc %s already has a ledger, %s", l.File, l.Doc, prev))
			continue
		}
		seen[l.Doc] = l.File
		out = append(out, l)
	}
	if err := errors.Join(problems...); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Doc < out[j].Doc })
	return out, nil
}

// Check compares the ledger with its document's full text: every statement of the document
// must be an entry, in document order, and every entry a statement of the document. It
// returns one error per statement the ledger does not account for and per entry that is not
// the document's (matching them as a diff does, so one missing line is one error).
func (l *Ledger) Check(document string) []error {
	doc := Statements(document, l.Rendering)
	var errs []error
	di, li := 0, 0
	for _, m := range match(doc, l.Statements) {
		for ; di < m[0]; di++ {
			errs = append(errs, fmt.Errorf("%s: statement %d of doc %s is not in the ledger (add it after %s): %q",
				l.File, di+1, l.Doc, l.before(li), doc[di]))
		}
		for ; li < m[1]; li++ {
			s := l.Statements[li]
			where := "is not a statement of the document"
			if idx := indexOf(doc, s.Text); idx >= 0 {
				where = fmt.Sprintf("is statement %d of doc %s, but not at this place in document order", idx+1, l.Doc)
			} else if strings.Contains(strings.Join(strings.Fields(document), " "), s.Text) {
				where = "is in the document, but not as one whole statement (cut it as Statements does)"
			}
			errs = append(errs, fmt.Errorf("%s:%d: %q %s", l.File, s.Line, s.Text, where))
		}
		di, li = m[0]+1, m[1]+1
	}
	return errs
}

// before names the ledger entry a missing statement would follow.
func (l *Ledger) before(li int) string {
	if li == 0 {
		return "the start of the statements"
	}
	s := l.Statements[li-1]
	return fmt.Sprintf("line %d, %q", s.Line, clip(s.Text, 40))
}

// match pairs document statements with ledger entries of the same text, keeping both orders
// (a longest common subsequence); it ends with the pair (len(doc), len(entries)) as a sentinel.
func match(doc []string, entries []Statement) [][2]int {
	n, m := len(doc), len(entries)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			switch {
			case doc[i] == entries[j].Text:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var out [][2]int
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case doc[i] == entries[j].Text:
			out = append(out, [2]int{i, j})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	return append(out, [2]int{n, m})
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// Unknown returns one error per requirement id an entry names (checked or instead) that is not
// among known.
func (l *Ledger) Unknown(known map[string]bool) []error {
	var errs []error
	for _, s := range l.Statements {
		for _, id := range append(append([]string(nil), s.Checked...), s.Instead...) {
			if !known[id] {
				errs = append(errs, fmt.Errorf("%s:%d: %q: requirement %s does not exist (see conform list)", l.File, s.Line, clip(s.Text, 40), id))
			}
		}
	}
	return errs
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "..."
	}
	return s
}
