package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// TestListLedgerCountsEveryDocument: `conform list --ledger` prints a line per document with
// its statements, checked and not checkable, the two adding up, and a total line.
func TestListLedgerCountsEveryDocument(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"list", "--ledger"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	row := regexp.MustCompile(`^(\d{3}|all)\s+[a-z]*\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$`)
	docs := 0
	table, _, _ := strings.Cut(out.String(), "\n\n") // the requirements no statement names follow
	for _, line := range strings.Split(strings.TrimSpace(table), "\n")[1:] {
		m := row.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %q is not doc, profile, statements, checked, thin, not checkable", line)
			continue
		}
		var n [4]int
		for i := range n {
			for _, c := range m[i+2] {
				n[i] = n[i]*10 + int(c-'0')
			}
		}
		if n[0] == 0 || n[1]+n[3] != n[0] || n[2] > n[1] {
			t.Errorf("line %q: checked and not checkable do not add up to the statements", line)
		}
		if m[1] != "all" {
			docs++
		}
	}
	if docs != 5 {
		t.Errorf("%d documents listed, want 5:\n%s", docs, out.String())
	}
}
