package load

import (
	"math"
	"os"
	"runtime/debug"
)

// The garbage collector's settings for a load run (see TuneGC).
const (
	// GCPercent is the heap growth between collections during a run (GOGC).
	GCPercent = 1000
	// GCMemoryLimit is the soft memory limit set with it (GOMEMLIMIT), so that a run with a
	// large live heap (the embedded reference with 100k users) grows to this, not to eleven
	// times its live heap.
	GCMemoryLimit = 512 << 20
)

// TuneGC sets the process's garbage collector for a load run and returns what restores the
// settings before. Unless GOGC or GOMEMLIMIT is set in the environment (then the user's
// choice stands), a collection runs when the heap has grown by GCPercent, up to a soft limit
// of GCMemoryLimit.
//
// Why: vegeta and net/http allocate about 2.5 KB per request (vegeta's http.Request built from
// the target, net/http's copy of its header for redirects, the body's buffer, the result) while
// the generator's live heap is a few MB. At Go's default the heap stays at its 4 MB floor and
// the collector runs dozens of times a second at a generator's ceiling. BenchmarkLoad's CPU
// per answer against a bare handler was 9.4 µs at GOGC=100, 7.6 at 400 (conform load's setting
// before) and 6.9 at 1000 (a heap of about 40 MB).
//
// It changes process-wide settings: the CLI calls it around a run, not the library.
func TuneGC() (restore func()) {
	percent, limit := -2, int64(-1) // -2, -1: left as they were
	if os.Getenv("GOGC") == "" {
		percent = debug.SetGCPercent(GCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) == math.MaxInt64 {
		limit = debug.SetMemoryLimit(GCMemoryLimit)
	}
	return func() {
		if percent != -2 {
			debug.SetGCPercent(percent)
		}
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}
