package suites

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
)

// printSummary writes the per-profile, per-category table, then each failure with its
// citation, expected and got, the exchange and a curl line, then waivers and the verdict.
func printSummary(w io.Writer, r *Result, color bool) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "profile\tcategory\tpassed\tfailed\tskipped\twaived\tnot run\t")
	for _, p := range r.Profiles {
		for _, c := range cite.Categories() {
			var t Totals
			for _, s := range r.Specs {
				if s.Profile == p && s.Category == c {
					t.add(s.State)
				}
			}
			if t == (Totals{}) {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t\n", p, c, t.Passed, t.Failed, t.Skipped, t.Waived, t.NotRun)
		}
	}
	tw.Flush()

	for _, s := range r.Specs {
		if s.State == Failed {
			printFailure(w, s, color)
			if h := reproducerHint(s, r.Target); h != "" {
				fmt.Fprintf(w, "  reproduce the whole sequence:\n    %s\n", client.Printable(h))
			}
		}
	}
	var skipped, waived []SpecResult
	notRunShould := 0
	for _, s := range r.Specs {
		switch {
		case s.State == Skipped:
			skipped = append(skipped, s)
		case s.State == Waived:
			waived = append(waived, s)
		case s.State == NotRun && s.Level == cite.Should && !r.Strict:
			notRunShould++
		}
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "\n%s\n", paint(color, yellow, "SKIPPED"))
		for _, s := range skipped {
			fmt.Fprintf(w, "  - %s (%s): %s\n", s.ID, s.Text, client.Printable(s.SkipReason))
		}
	}
	if len(waived) > 0 {
		fmt.Fprintf(w, "\n%s (failed, not counted)\n", paint(color, yellow, "WAIVED"))
		for _, s := range waived {
			fmt.Fprintf(w, "  ~ %s (%s): %s\n", s.ID, s.Text, client.Printable(s.Waiver))
		}
	}
	if len(r.StaleWaivers) > 0 {
		fmt.Fprintf(w, "\n%s (these now pass: remove them from the waivers file)\n", paint(color, yellow, "STALE WAIVERS"))
		for _, x := range r.StaleWaivers {
			fmt.Fprintf(w, "  ! %s: %s\n", x.ID, client.Printable(x.Reason))
		}
	}
	if len(r.UnknownWaivers) > 0 {
		fmt.Fprintf(w, "\n%s: %s (see `conform list`)\n", paint(color, yellow, "WAIVERS NAMING NO REQUIREMENT"), strings.Join(r.UnknownWaivers, ", "))
	}
	printAdvisories(w, r.Advisories, color)
	printUnderLoad(w, r.UnderLoad, color)
	if notRunShould > 0 {
		fmt.Fprintf(w, "\n%d should-level specs not run (the documents are silent on them): add --strict to run them.\n", notRunShould)
	}
	if r.Interrupted != "" {
		fmt.Fprintf(w, "\n%s: %s\n", paint(color, red, "RUN CUT SHORT"), client.Printable(r.Interrupted))
	}
	if len(r.ConfigProblems) > 0 {
		why := "the specs that found them could not check what they claim"
		if r.Verdict == VerdictFail {
			why += "; the verdict is FAIL all the same: the failures above do not rest on them"
		}
		fmt.Fprintf(w, "\n%s (%s)\n", paint(color, red, "CONFIG PROBLEMS"), why)
		for _, p := range r.ConfigProblems {
			fmt.Fprintf(w, "  ! %s\n", p)
		}
	}
	verdict, in := paint(color, red+";"+bold, string(r.Verdict)), "in"
	switch r.Verdict {
	case VerdictPass:
		verdict = paint(color, green+";"+bold, string(r.Verdict))
	case VerdictInterrupted, VerdictCutShort:
		in = "after" // its counts are partial
	}
	t := r.Totals
	fmt.Fprintf(w, "\n%s %s %s against %s\n", verdict, in, r.Duration.Round(10*time.Millisecond), r.Target)
	fmt.Fprintf(w, "%d passed, %d failed, %d skipped, %d waived, %d not run\n", t.Passed, t.Failed, t.Skipped, t.Waived, t.NotRun)
}

func printFailure(w io.Writer, s SpecResult, color bool) {
	fmt.Fprintf(w, "\n%s %s: %s\n", paint(color, red, "✗ FAILED"), paint(color, bold, s.ID), s.Text)
	fmt.Fprintf(w, "  requirement: %s\n", s.Citation())
	// The message quotes what the target sent: its lines are indented and its control
	// characters escaped, so none passes for a line of conform's.
	fmt.Fprintf(w, "%s\n", indent(noCICommands(client.PrintableText(s.Message)), "  "))
	if s.Location != "" {
		fmt.Fprintf(w, "  at %s\n", s.Location)
	}
	if len(s.Exchanges) > 0 {
		fmt.Fprintf(w, "  exchange (last %d of %d):\n", min(3, len(s.Exchanges)), len(s.Exchanges))
		for _, ex := range s.Exchanges[max(0, len(s.Exchanges)-3):] {
			fmt.Fprintf(w, "%s\n", indent(ex.String(), "    "))
		}
		fmt.Fprintf(w, "  reproduce the last request:\n    %s\n", client.Printable(s.Curl[len(s.Curl)-1]))
	}
}

// noCICommands escapes the first character of any line that a CI runner would take as a
// command of its own (GitHub's "::error::", Azure's "##vso[", TeamCity's "##teamcity["),
// which the runners recognise after leading spaces too. conform's own text never starts a
// line so; a message that quotes the target might.
func noCICommands(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##") {
			lines[i] = l[:len(l)-len(t)] + fmt.Sprintf(`\x%02x`, t[0]) + t[1:]
		}
	}
	return strings.Join(lines, "\n")
}
