package e2e_test

import (
	"os"
	"slices"
	"strconv"
	"testing"
)

// raceBreaks maps each race break of the reference to the one race requirement it fails.
var raceBreaks = map[string]string{
	"lptracker.race-one-user-per-ip":   "lptracker.race.one-user-per-ip",
	"lptracker.race-lost-services":     "lptracker.race.many-services",
	"lptracker.race-shared-token":      "lptracker.race.services-distinct-tokens",
	"lptracker.race-logout-resurrects": "lptracker.race.logout-final",
}

// TestRaceSpecsAreReliable runs the race specs CONFORM_RACE_REPEAT times (make check: 50)
// against the reference, where every run must pass, and against each race break, where every
// run must fail exactly the break's requirement: a race spec that passes a conforming server
// only most of the time, or catches its race only some of the time, is not done. make test
// runs each once (TestEveryBreakIsCaughtByItsSpec and the suites), each spec three rounds.
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
			for i := range n {
				r := conform(t, "run", "--target", url, "--config", cfg, "--profile", "lptracker", "--label-filter", "race")
				if r.report == nil {
					t.Fatalf("run %d: no report; exit %d\n%s%s", i+1, r.code, r.stdout, r.stderr)
				}
				if got := keys(failedIDs(r.report)); !slices.Equal(got, want) {
					t.Fatalf("run %d of %d: failed requirements %v, want %v\n%s", i+1, n, got, want, r.stdout)
				}
			}
		})
	}
}
