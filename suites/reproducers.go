package suites

import (
	"cmp"
	"fmt"
	"github.com/conformhq/conform/specs/cite"
	"os"
	"path/filepath"
	"strings"

	"github.com/conformhq/conform/repro"
)

// addReproducers builds the reproducer script of every failed or waived spec that sent
// something (package repro).
func addReproducers(res *Result, vars *repro.Vars) {
	for i := range res.Specs {
		s := &res.Specs[i]
		if s.State != Failed && s.State != Waived {
			continue
		}
		sc := repro.Build(repro.Failure{ID: s.ID, Text: s.Text, Citation: s.Citation(), Message: s.Message, Target: res.Target, Exchanges: s.Exchanges, Unjudged: cmp.Or(s.unjudged, unjudged(s.Category))}, vars)
		s.Reproducer, s.ReproducerLimits = sc.Text, sc.Limits
	}
}

// unjudged says why a spec of category c cannot be judged by replaying its requests one after
// another and comparing each answer with the failing run's: race specs send at one instant,
// security specs judge many answers together (distinct tokens, their entropy) or offline (a
// token's key), robustness specs send bodies of megabytes a script does not hold, wire specs
// hinge on bytes curl does not send as recorded. "" when a replay can judge.
func unjudged(c cite.Category) string {
	switch c {
	case cite.Race:
		return "a race spec sends its requests at one instant; replayed one after another they cannot show the race"
	case cite.Security:
		return "the check is over several answers taken together or made offline, not one answer the replay can compare"
	case cite.Robustness:
		return "a robustness spec's requests include bodies of megabytes and side-by-side sends that the script does not hold"
	case cite.Wire:
		return "a wire spec's verdict rests on the exact form of its requests (header case, Connection, Expect, body bytes), which curl rewrites or adds to; a replay through curl cannot show the form"
	}
	return ""
}

// writeReproducers writes each spec's reproducer to dir as <requirement-id>.sh (.2.sh, ...
// for further specs of the same requirement), executable, and records the file in the spec.
func writeReproducers(res *Result, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write reproducers: %w", err)
	}
	seen := map[string]int{}
	for i := range res.Specs {
		s := &res.Specs[i]
		if s.Reproducer == "" {
			continue
		}
		seen[s.ID]++
		name := s.ID + ".sh"
		if k := seen[s.ID]; k > 1 {
			name = fmt.Sprintf("%s.%d.sh", s.ID, k)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(s.Reproducer), 0o755); err != nil {
			return fmt.Errorf("write reproducer: %w", err)
		}
		s.ReproducerFile = path
	}
	return nil
}

// reproducerHint is the console's line on how to run a spec's reproducer.
func reproducerHint(s SpecResult, target string) string {
	if s.ReproducerFile == "" {
		return ""
	}
	var env []string
	for _, l := range strings.Split(s.Reproducer, "\n") {
		if name, ok := strings.CutPrefix(l, "need "); ok {
			env = append(env, strings.Fields(name)[0]+"=...")
		}
	}
	hint := "CONFORM_TARGET=" + target + " "
	if len(env) > 0 {
		hint += strings.Join(env, " ") + " "
	}
	hint += "sh " + s.ReproducerFile + "   (exit 1: reproduced, 0: not, 2: could not replay)"
	if len(s.ReproducerLimits) > 0 {
		hint += "\n    cannot replay by itself: " + strings.Join(s.ReproducerLimits, "; ")
	}
	return hint
}
