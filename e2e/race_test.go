package e2e_test

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/conformhq/conform/suites"
)

// raceBreaks maps each race break of the reference to the one race requirement it fails.
var raceBreaks = map[string]string{
	"lptracker.race-one-user-per-ip":   "lptracker.race.one-user-per-ip",
	"lptracker.race-lost-services":     "lptracker.race.many-services",
	"lptracker.race-shared-token":      "lptracker.race.services-distinct-tokens",
	"lptracker.race-logout-resurrects": "lptracker.race.logout-final",
	"flylogs.race-code-500":            "flylogs.race.code-checked-twice",
	"newapikey.race-tfkey-500":         "newapikey.race.tfkey-checked-twice",
}

// raceProfiles are the profiles with race specs.
const raceProfiles = "lptracker,flylogs,newapikey"

// TestRaceSpecsAreReliable runs the race specs CONFORM_RACE_REPEAT times (make check: 50)
// against the reference, where every run must pass, and against each race break, where every
// run must fail exactly the break's requirement: a race spec that passes a conforming server
// only most of the time, or catches its race only some of the time, is not done. It runs every
// repetition and logs how often each race spec passed and failed, so a flake is counted, not
// only seen once. make test runs each once (TestEveryBreakIsCaughtByItsSpec and the suites),
// each spec three rounds.
func TestRaceSpecsAreReliable(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CONFORM_RACE_REPEAT"))
	if n <= 0 {
		t.Skip("set CONFORM_RACE_REPEAT=50 (make check) to run the race specs repeatedly")
	}
	cases := map[string][]string{"": nil}
	for b, req := range raceBreaks {
		cases[b] = []string{req}
	}
	for brk, want := range cases {
		name := brk
		if name == "" {
			name = "reference"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var breaks []string
			if brk != "" {
				breaks = []string{brk}
			}
			url, cfg := startReferenceWithSinks(t, breaks...)
			counts := map[string]*[2]int{} // requirement -> passed, failed
			wrong := 0
			for i := range n {
				r := conform(t, "run", "--target", url, "--config", cfg, "--profile", raceProfiles, "--label-filter", "race")
				if r.report == nil {
					t.Fatalf("run %d: no report; exit %d\n%s%s", i+1, r.code, r.stdout, r.stderr)
				}
				countRace(counts, r.report)
				if got := keys(failedIDs(r.report)); !slices.Equal(got, want) {
					wrong++
					t.Errorf("run %d of %d: failed requirements %v, want %v\n%s", i+1, n, got, want, r.stdout)
				}
			}
			t.Logf("%s: %d of %d runs failed exactly the requirements %v (none: [])\n%s", name, n-wrong, n, want, describeCounts(counts))
		})
	}
}

// countRace adds each race spec's outcome in rep to counts.
func countRace(counts map[string]*[2]int, rep *suites.Result) {
	for _, s := range rep.Specs {
		if !strings.Contains(s.ID, ".race.") {
			continue
		}
		c := counts[s.ID]
		if c == nil {
			c = &[2]int{}
			counts[s.ID] = c
		}
		switch s.State {
		case suites.Passed:
			c[0]++
		case suites.Failed:
			c[1]++
		}
	}
}

func describeCounts(counts map[string]*[2]int) string {
	var lines []string
	for id, c := range counts {
		lines = append(lines, fmt.Sprintf("  %-42s passed %3d  failed %3d", id, c[0], c[1]))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
