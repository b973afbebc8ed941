// Package suites binds the profile specs to a target and runs them in-process with Ginkgo:
// it resolves the config, starts the embedded reference when no target is given, proves the
// target reachable, runs the selected specs serially, applies waivers, and writes the summary
// and the JSON and JUnit reports.
//
// The JSON report (--json-report) is conform's own format, documented by the JSON Schema
// docs/report.schema.json (checked in formats_test.go):
//
//	{"format_version": "1.0", "conform_version": v, "started_at": RFC 3339,
//	 "target": URL, "embedded": bool, "strict": bool, "duration_ms": n,
//	 "verdict": PASS|FAIL|INTERRUPTED|CUT SHORT|CONFIG ERROR|NOTHING CHECKED,
//	 "interrupted": why the run was cut short, "interrupted_by_user": bool (Ctrl-C),
//	 "config_problems": ["requirement-id: config value the target proved wrong"],
//	 "totals": {"passed", "failed", "skipped", "waived", "not_run"},
//	 "specs": [{"id", "profile", "category", "level", "doc", "quote", "english", "text",
//	            "state": passed|failed|skipped|waived|not-run, "duration_ms",
//	            "message", "location", "skip_reason", "waiver",
//	            "exchanges": [...], "curl": [...],
//	            "reproducer": script, "reproducer_limits": [...], "reproducer_file": path}],
//	 "stale_waivers": [{"id", "reason"}],
//	 "advisories": [{"id", "spec", "finding", "reference"}],
//	 "under_load": {"rate", "profile", "achieved_rate", "requests", "success_ratio", "latency",
//	                "valid", "baseline": totals, "only_under_load", "fail_anyway", "only_without_load"}}
package suites

import (
	"fmt"

	"github.com/conformhq/conform/client"
	"io"
	"time"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// Options is everything `conform run` takes.
type Options struct {
	// Target is the base URL of the server under test; empty starts the embedded reference.
	Target string
	// Profiles to run; empty means every profile the config has (all, on the reference).
	Profiles []string
	// ConfigPath is the target config file; required with Target.
	ConfigPath string
	// LabelFilter is a Ginkgo label filter (e.g. "ttl || per-ip") applied on top.
	LabelFilter string
	// Focus runs only specs whose text or requirement id matches one of these regexps.
	Focus []string
	// JUnitReport and JSONReport are report files to write; empty writes none.
	JUnitReport, JSONReport string
	// Reproducers is a directory to write each failure's reproducer script to; empty writes
	// none (the JSON and HTML reports still carry them).
	Reproducers string
	// HTMLReport is a self-contained HTML report file to write; empty writes none.
	HTMLReport string
	// Transport holds the proxy, CA, --insecure and extra-header options of the client.
	Transport client.TransportOptions
	// Strict also runs should-level specs.
	Strict bool
	// Timeout bounds one request; default 5s.
	Timeout time.Duration
	// MaxWait is the longest real wait a TTL spec may make; default 10s.
	MaxWait time.Duration
	// Race sets how many requests the race specs release together, and how many rounds;
	// zero fields take env.DefaultRaceN and env.DefaultRaceRounds.
	Race env.Race
	// Explore is the model specs' exploration: its seed and budget per profile (zero
	// fields take env's defaults; seed 0 is a seed like any other).
	Explore env.Explore
	// UnderLoad runs the specs twice, the second time while conform load's validate scenario
	// runs against the target, and reports which requirements failed only under load.
	UnderLoad UnderLoad
	// Verbose prints every spec's exchanges, not only failures'.
	Verbose bool
	// Waivers is a YAML file of known failures that do not fail the run.
	Waivers string
	// Out receives progress and the summary.
	Out io.Writer
	// Err receives warnings, such as the config's (config.File.Warnings); nil sends them to Out.
	Err io.Writer
	// Color turns on ANSI colors in Out.
	Color bool

	// registrars, when set, replaces the specs of the profiles it names, so in-process tests
	// can declare their own: specs that cannot register, or requirements with known outcomes.
	registrars map[string]func(*cite.Book, *env.Env)
}

// UsageError is a mistake in how conform was called or configured (exit code 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usage(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}
