package suites_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/conformhq/conform/suites"
)

// TestEveryQuoteIsInItsDocument checks each requirement's quote against its document, read
// from CONFORM_DOCS (files NNN_*.txt, NNN the document number). The repository keeps only the
// quotes, as a citation does; `make test` sets CONFORM_DOCS to ../shared/seeds when that folder
// exists, and CI always does.
func TestEveryQuoteIsInItsDocument(t *testing.T) {
	dir := os.Getenv("CONFORM_DOCS")
	if dir == "" {
		t.Skip("CONFORM_DOCS is not set, so the quotes are not checked against their documents: " +
			"set it to the documents' folder (files NNN_*.txt), absolute or from the repository root, " +
			"e.g. CONFORM_DOCS=../shared/seeds go test ./suites")
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", dir) // go test runs in suites/, one below the repository root
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("CONFORM_DOCS=%s: %v", os.Getenv("CONFORM_DOCS"), err)
	}
	entries, err := suites.List(nil)
	if err != nil {
		t.Fatalf("list requirements: %v", err)
	}
	if len(entries) == 0 {
		t.Fatal("no requirements listed")
	}
	docs := map[string]string{} // document number -> file
	for _, e := range entries {
		file, ok := docs[e.Doc]
		if !ok {
			matches, err := filepath.Glob(filepath.Join(dir, e.Doc+"_*.txt"))
			if err != nil || len(matches) != 1 {
				t.Fatalf("CONFORM_DOCS=%s: want one file %s_*.txt for %s, found %v",
					os.Getenv("CONFORM_DOCS"), e.Doc, e.ID, matches)
			}
			file, docs[e.Doc] = matches[0], matches[0]
		}
		text, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("read document %s: %v", file, err)
		}
		if err := e.FindIn(string(text)); err != nil {
			t.Errorf("%s: %s: %v", e.ID, filepath.Base(file), err)
		}
	}
	t.Logf("%d quotes checked against %d documents in %s", len(entries), len(docs), dir)
}
