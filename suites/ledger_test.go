package suites_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/conformhq/conform/ledger"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/suites"
)

// TestEveryStatementIsInTheLedger checks each document's ledger (fixtures/ledger/NNN.yaml)
// against the document, read from CONFORM_DOCS as TestEveryQuoteIsInItsDocument reads it: every
// statement of the document is an entry, in order, and every entry's text is the document's.
// It fails on a statement the ledger leaves out, so a document line nobody has accounted for
// cannot pass unseen. The requirement ids are checked without the documents
// (TestEveryLedgerIDExists).
func TestEveryStatementIsInTheLedger(t *testing.T) {
	dir := docsDir(t)
	ledgers := builtinLedgers(t)
	for _, l := range ledgers {
		text := readDoc(t, dir, l.Doc)
		for _, err := range l.Check(text) {
			t.Error(err)
		}
	}
	t.Logf("%d ledgers checked against their documents in %s", len(ledgers), dir)
}

// TestLedgerMissingAStatementFails removes, from each document's ledger, one entry at a time
// (every one of them) and checks that the comparison with the document then names exactly
// that statement: what TestEveryStatementIsInTheLedger would say of a ledger that forgot it.
func TestLedgerMissingAStatementFails(t *testing.T) {
	dir := docsDir(t)
	for _, l := range builtinLedgers(t) {
		text := readDoc(t, dir, l.Doc)
		for i, s := range l.Statements {
			cp := *l
			cp.Statements = slices.Delete(slices.Clone(l.Statements), i, i+1)
			errs := cp.Check(text)
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), "is not in the ledger") || !strings.Contains(errs[0].Error(), strconv.Quote(s.Text)) {
				t.Errorf("doc %s without entry %d (%q): %v, want one error naming the statement as missing", l.Doc, i+1, s.Text, errs)
			}
		}
	}
}

// TestEveryLedgerIDExists fails on a ledger entry naming a requirement conform does not have.
// The other direction, a requirement no entry names, is TestEveryRequirementIsInTheLedger.
func TestEveryLedgerIDExists(t *testing.T) {
	entries := requirements(t)
	known := map[string]bool{}
	for _, e := range entries {
		known[e.ID] = true
	}
	for _, l := range builtinLedgers(t) {
		for _, err := range l.Unknown(known) {
			t.Error(err)
		}
		for _, s := range l.Statements {
			for _, id := range append(slices.Clone(s.Checked), s.Instead...) {
				if !strings.HasPrefix(id, l.Profile+".") {
					t.Errorf("%s:%d: %s is not a requirement of doc %s's profile %s", l.File, s.Line, id, l.Doc, l.Profile)
				}
			}
		}
	}
}

// TestEveryRequirementIsInTheLedger fails on a requirement of conform's list (the registry that
// fixtures/requirements.yaml is generated from) that no ledger entry names, checked or instead:
// every requirement holds a target to some statement, the one its quote cites, and the ledger
// must say so, or a statement's list of checks would be short of what conform tries.
func TestEveryRequirementIsInTheLedger(t *testing.T) {
	entries := requirements(t)
	byID := map[string]cite.Entry{}
	var ids []string
	for _, e := range entries {
		byID[e.ID] = e
		ids = append(ids, e.ID)
	}
	for _, id := range ledger.Unnamed(builtinLedgers(t), ids) {
		e := byID[id]
		t.Errorf("requirement %s is named by no entry of fixtures/ledger/%s.yaml: add it to the entry of the statement its quote cites (%q), with what it tries",
			id, e.Doc, e.Quote)
	}
}

// TestLedgerMissingARequirementFails removes each requirement in turn from every entry of the
// ledgers and checks that the comparison then names exactly that requirement: what
// TestEveryRequirementIsInTheLedger would say of a ledger that forgot it.
func TestLedgerMissingARequirementFails(t *testing.T) {
	ledgers := builtinLedgers(t)
	var ids []string
	for _, e := range requirements(t) {
		ids = append(ids, e.ID)
	}
	for _, id := range ids {
		var cp []*ledger.Ledger
		for _, l := range ledgers {
			c := *l
			c.Statements = slices.Clone(l.Statements)
			for i, s := range c.Statements {
				c.Statements[i].Checked = slices.DeleteFunc(slices.Clone(s.Checked), func(x string) bool { return x == id })
				c.Statements[i].Instead = slices.DeleteFunc(slices.Clone(s.Instead), func(x string) bool { return x == id })
			}
			cp = append(cp, &c)
		}
		if got := ledger.Unnamed(cp, ids); !slices.Equal(got, []string{id}) {
			t.Errorf("the ledgers without %s: unnamed %v, want exactly [%s]", id, got, id)
		}
	}
}

// requirements is conform's list of requirements, every profile.
func requirements(t *testing.T) []cite.Entry {
	t.Helper()
	entries, err := suites.List(nil)
	if err != nil {
		t.Fatalf("list requirements: %v", err)
	}
	return entries
}

func builtinLedgers(t *testing.T) []*ledger.Ledger {
	t.Helper()
	ledgers, err := ledger.Builtin()
	if err != nil {
		t.Fatalf("read the ledgers: %v", err)
	}
	if len(ledgers) != 5 {
		t.Fatalf("%d ledgers, want one per document (5)", len(ledgers))
	}
	return ledgers
}

// docsDir is CONFORM_DOCS from the repository root; the test skips without it.
func docsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CONFORM_DOCS")
	if dir == "" {
		t.Skip("CONFORM_DOCS is not set, so the ledgers are not checked against their documents: " +
			"set it to the documents' folder (files NNN_*.txt), e.g. CONFORM_DOCS=../shared/seeds go test ./suites")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir) // go test runs in suites/, one below the repository root
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("CONFORM_DOCS=%s: %v", os.Getenv("CONFORM_DOCS"), err)
	}
	return dir
}

func readDoc(t *testing.T, dir, doc string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, doc+"_*.txt"))
	if err != nil || len(matches) != 1 {
		t.Fatalf("CONFORM_DOCS=%s: want one file %s_*.txt, found %v", os.Getenv("CONFORM_DOCS"), doc, matches)
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatalf("read document: %v", err)
	}
	return string(b)
}
