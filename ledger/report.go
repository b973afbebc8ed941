package ledger

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"text/tabwriter"

	"github.com/conformhq/conform/fixtures"
)

// Builtin reads the ledgers the binary carries (fixtures/ledger/*.yaml).
func Builtin() ([]*Ledger, error) {
	sub, err := fs.Sub(fixtures.Ledgers, "ledger")
	if err != nil {
		return nil, fmt.Errorf("ledgers: %w", err)
	}
	return Load(sub)
}

// Count is how many statements a ledger (or one kind of its statements) has, how many are
// checked, how many of those are marked thin, and how many are not checkable.
type Count struct {
	Statements   int `json:"statements"`
	Checked      int `json:"checked"`
	Thin         int `json:"thin"`
	NotCheckable int `json:"not_checkable"`
}

func (c *Count) add(s Statement) {
	c.Statements++
	if s.IsChecked() {
		c.Checked++
		if s.Thin != "" {
			c.Thin++
		}
	} else {
		c.NotCheckable++
	}
}

// Count counts the ledger's statements of kind k, or all of them when k is "".
func (l *Ledger) Count(k Kind) Count {
	var c Count
	for _, s := range l.Statements {
		if k == "" || s.Kind == k {
			c.add(s)
		}
	}
	return c
}

// WriteSummary writes one line per document: statements, checked (and of those, thin), not
// checkable; the plain-text report of `conform list --ledger`.
func WriteSummary(w io.Writer, ledgers []*Ledger) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "doc\tprofile\tstatements\tchecked\tthin\tnot checkable\t")
	var total Count
	for _, l := range ledgers {
		c := l.Count("")
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t\n", l.Doc, l.Profile, c.Statements, c.Checked, c.Thin, c.NotCheckable)
		total.Statements += c.Statements
		total.Checked += c.Checked
		total.Thin += c.Thin
		total.NotCheckable += c.NotCheckable
	}
	fmt.Fprintf(tw, "all\t\t%d\t%d\t%d\t%d\t\n", total.Statements, total.Checked, total.Thin, total.NotCheckable)
	return tw.Flush()
}

// Unnamed lists the ids among ids that no statement of ledgers names (checked or instead), in
// the order given: requirements whose sentence the ledger has not tied them to yet.
func Unnamed(ledgers []*Ledger, ids []string) []string {
	named := map[string]bool{}
	for _, l := range ledgers {
		for _, s := range l.Statements {
			for _, id := range append(append([]string(nil), s.Checked...), s.Instead...) {
				named[id] = true
			}
		}
	}
	var out []string
	for _, id := range ids {
		if !named[id] {
			out = append(out, id)
		}
	}
	return out
}

// WriteStatements writes every statement of every ledger with what checks it: the ids and
// what they try, or why nothing can. It is `conform list --ledger --statements`.
func WriteStatements(w io.Writer, ledgers []*Ledger) error {
	for _, l := range ledgers {
		c := l.Count("")
		fmt.Fprintf(w, "doc %s (%s): %d statements, %d checked (%d thin), %d not checkable\n",
			l.Doc, l.Profile, c.Statements, c.Checked, c.Thin, c.NotCheckable)
		for i, s := range l.Statements {
			fmt.Fprintf(w, "  %3d %-8s %s\n", i+1, s.Kind, oneLine(s.Text, 100))
			if s.English != "" {
				fmt.Fprintf(w, "               [%s]\n", s.English)
			}
			if s.IsChecked() {
				fmt.Fprintf(w, "               checked: %s\n", strings.Join(s.Checked, ", "))
				fmt.Fprintf(w, "               tries: %s\n", s.Tries)
				if s.Thin != "" {
					fmt.Fprintf(w, "               thin: %s\n", s.Thin)
				}
				continue
			}
			fmt.Fprintf(w, "               not checkable: %s\n", s.NotCheckable)
			if len(s.Instead) > 0 {
				fmt.Fprintf(w, "               instead: %s\n", strings.Join(s.Instead, ", "))
			}
		}
	}
	return nil
}

// WriteMarkdownSummary writes the README's ledger tables: one per document, a row per kind of
// statement (statements, checked, thin, not checkable).
func WriteMarkdownSummary(w io.Writer, ledgers []*Ledger) error {
	for i, l := range ledgers {
		if i > 0 {
			fmt.Fprintln(w)
		}
		c := l.Count("")
		fmt.Fprintf(w, "**doc %s (%s)**: %d statements, %d checked, %d not checkable\n\n", l.Doc, l.Profile, c.Statements, c.Checked, c.NotCheckable)
		fmt.Fprintln(w, "| kind | statements | checked | of which thin | not checkable |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for _, k := range Kinds() {
			if kc := l.Count(k); kc.Statements > 0 {
				fmt.Fprintf(w, "| %s | %d | %d | %d | %d |\n", k, kc.Statements, kc.Checked, kc.Thin, kc.NotCheckable)
			}
		}
	}
	return nil
}

// WriteMarkdown writes the full human-readable ledger (docs/ledger.md): per document, a row
// per statement with its kind and what checks it, or why nothing can.
func WriteMarkdown(w io.Writer, ledgers []*Ledger) error {
	fmt.Fprintln(w, "# The ledger: every statement of the five documents and what checks it")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Generated from fixtures/ledger/*.yaml by `make requirements` (`conform list --ledger --format markdown`); do not edit.")
	fmt.Fprintln(w, "A statement is a line of the document, cut after each sentence (package ledger says exactly how).")
	fmt.Fprintln(w, "*thin* names what a checked statement rules out that no requirement tries yet.")
	for _, l := range ledgers {
		c := l.Count("")
		fmt.Fprintf(w, "\n## doc %s (%s)\n\n%d statements: %d checked (%d thin), %d not checkable.\n\n",
			l.Doc, l.Profile, c.Statements, c.Checked, c.Thin, c.NotCheckable)
		fmt.Fprintln(w, "| # | statement | kind | checked by | tries, or why not checkable |")
		fmt.Fprintln(w, "|---|---|---|---|---|")
		for i, s := range l.Statements {
			text := "`" + strings.ReplaceAll(oneLine(s.Text, 90), "`", "'") + "`"
			if s.English != "" {
				text += " [" + s.English + "]"
			}
			if s.Where != "" {
				text += " (" + s.Where + ")"
			}
			by, why := "not checkable", s.NotCheckable
			if s.IsChecked() {
				by, why = "`"+strings.Join(s.Checked, "`, `")+"`", s.Tries
				if s.Thin != "" {
					why += " **thin:** " + s.Thin
				}
			} else if len(s.Instead) > 0 {
				why += " (instead: `" + strings.Join(s.Instead, "`, `") + "`)"
			}
			fmt.Fprintf(w, "| %d | %s | %s | %s | %s |\n", i+1, cell(text), s.Kind, by, cell(why))
		}
	}
	return nil
}

// cell escapes a table cell's pipes.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// oneLine clips s to n runes.
func oneLine(s string, n int) string { return clip(s, n) }
