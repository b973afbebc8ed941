package load

import (
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// TuneGC sets the collector for a run and restores what was set before; a GOGC or GOMEMLIMIT
// in the environment is the user's choice and stays.
func TestTuneGC(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: TuneGC leaves the collector alone")
	}
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	restore := TuneGC()
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	restore()
	if percent != GCPercent || limit != GCMemoryLimit {
		t.Errorf("during a run: GOGC %d, limit %d; want %d, %d", percent, limit, GCPercent, GCMemoryLimit)
	}
	if p := debug.SetGCPercent(before); p != 150 {
		t.Errorf("after: GOGC %d, want 150 as before", p)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Errorf("after: memory limit %d, want none", l)
	}
}
