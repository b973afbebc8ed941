package load

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// Options configures a load run. The zero value of every field but Profile, Scenario and Rate
// picks a default (see Normalize).
type Options struct {
	// Profile is the document whose login path is loaded, one of profile.Names().
	Profile string
	// Scenario is "login" (login requests rotating over the accounts) or "validate" (Users
	// accounts log in first, uncounted, then probe requests carry their tokens round-robin).
	Scenario string

	// Target is the base URL of the server under test; empty starts the embedded reference
	// on a free loopback port for the run.
	Target string
	// Config is the target config; required with Target (accounts, base path, probe).
	Config *config.File

	// Rate is the requested rate, constant or a ramp over Duration.
	Rate Rate
	// Stages, when set, is the load shape instead of Rate and Duration (see Stage); the
	// thresholds are judged on its hold stages, or on the whole run when none holds.
	Stages []Stage
	// Duration is how long requests are sent (per step with FindMax); at most MaxDuration.
	Duration time.Duration
	// Workers bounds the requests in flight at once: the event loops' connections (see
	// evloop_linux.go), or the fixed number of goroutines sending them. vegeta's growing
	// pool collapses when asked for more than it can send; a fixed pool holds its ceiling.
	Workers int
	// Connections bounds the open connections to the target (default Workers), so an overload
	// cannot exhaust ephemeral ports.
	Connections int
	// Timeout bounds one request.
	Timeout time.Duration
	// Transport holds the proxy, CA and --insecure options of the target client; the config's
	// headers are added to them (see transport).
	Transport client.TransportOptions
	// NoKeepAlive opens a new connection per request.
	NoKeepAlive bool
	// HTTP2 sends over HTTP/2 (net/http's): negotiated by ALPN with an https target (HTTP/1.1
	// if the target does not offer h2; the report says which was used), with prior knowledge
	// (h2c) to an http one. Without it, HTTP/1.1, as wrk and bombardier send, so their
	// figures compare.
	HTTP2 bool

	// Users is how many accounts take part: synthetic users seeded in the embedded reference,
	// or the number of sessions logged in before a validate run on a target.
	Users int
	// BcryptCost is the cost of the embedded reference's password hashes (4-31; default 10).
	BcryptCost int

	// Name names the attack in results files; distinct per machine in a distributed run.
	// Default: the host name.
	Name string
	// Segment is this generator's share of a load sent from several (see Segment); the zero
	// value sends the whole load.
	Segment Segment
	// StartAt, when set, is when the load starts (the validate scenario's sessions log in
	// before): the shares of a distributed run start together. At most maxStartWait ahead.
	StartAt time.Time

	// LateAfter is how far behind its schedule a send may start before it counts as late.
	LateAfter time.Duration

	// FindMax steps the rate up from Rate until a step breaks MinSuccess or MaxP99 (or falls
	// short of its rate) and reports the highest rate that held.
	FindMax bool
	// Thresholds are the CI verdict; with FindMax, MinSuccess and MaxP99 also define the knee.
	Thresholds Thresholds

	// OnResult, when set, receives every result as it will be stored (see the package
	// comment), from one goroutine; an error stops the run and is returned.
	OnResult func(*vegeta.Result) error
	// OnAnswer, when set in the validate scenario, receives every answer with the session
	// whose token it carried (see Answer), from one goroutine; `conform run --under-load`
	// judges the load's answers with it.
	OnAnswer func(Answer)
	// Progress, when set, is called every ProgressEvery (default 1s) while requests are sent.
	Progress      func(Progress)
	ProgressEvery time.Duration
	// Waiting, when set, is called while the run waits for StartAt: when the wait begins and
	// then every WaitEvery (default 10s), with the time left, so a user sees it waits.
	// Cancelling the context during the wait ends Run with the context's error, nothing sent.
	Waiting   func(left time.Duration)
	WaitEvery time.Duration
}

// MaxDuration bounds every run (and every find-max step): a load run always ends.
const MaxDuration = 30 * time.Minute

// maxFindMaxSteps bounds a find-max search.
const maxFindMaxSteps = 16

// OptionError is an option out of range or at odds with the others (or with the config): the
// caller's mistake, which cmd/conform maps to exit code 2. Option is the flag's name.
type OptionError struct {
	Option string
	Msg    string
}

func (e *OptionError) Error() string { return "--" + e.Option + ": " + e.Msg }

// Normalize fills defaults and checks the options.
func (o *Options) Normalize() error {
	bad := func(opt, format string, args ...any) error {
		return &OptionError{Option: opt, Msg: fmt.Sprintf(format, args...)}
	}
	if _, ok := profile.Get(o.Profile); !ok {
		return bad("profile", "%q is not a profile (%s)", o.Profile, strings.Join(profile.Names(), ", "))
	}
	if !slices.Contains([]string{"login", "validate"}, o.Scenario) {
		return bad("scenario", "%q is not a scenario (login, validate)", o.Scenario)
	}
	if o.HTTP2 && o.Target == "" {
		return bad("http2", "the embedded reference serves HTTP/1.1 only: give --http2 a --target that speaks HTTP/2")
	}
	if o.HTTP2 && o.NoKeepAlive {
		return bad("http2", "HTTP/2 keeps its connections: give it without --keepalive=false")
	}
	if o.Target != "" && o.Config == nil {
		return bad("config", "required with --target: the accounts, base path and probe of the target")
	}
	if len(o.Stages) > 0 {
		if o.FindMax {
			return bad("stages", "--find-max steps its own rates; give it --rate, not --stages")
		}
		st, err := checkStages(resolveHolds(slices.Clone(o.Stages)))
		if err != nil {
			return bad("stages", "%v", err)
		}
		o.Stages = st
		var peak float64
		o.Duration = 0
		for _, s := range o.Stages {
			o.Duration += s.Duration
			peak = max(peak, s.Target)
		}
		o.Rate = Rate{From: peak, To: peak} // for the notes that depend on the highest rate
	}
	if o.Rate.From <= 0 || o.Rate.To <= 0 {
		return bad("rate", "must be positive, e.g. 1000/s or 100/s:5000/s")
	}
	if o.FindMax && o.Rate.IsRamp() {
		return bad("rate", "--find-max takes a starting rate, not a ramp")
	}
	if !o.Segment.whole() {
		if _, err := SegmentOf(fmt.Sprint(o.Segment.Index), o.Segment.Count); err != nil {
			return bad("segment", "%v", err)
		}
		if o.FindMax {
			return bad("segment", "--find-max searches with one generator; run it without --segment")
		}
	}
	if !o.StartAt.IsZero() && time.Until(o.StartAt) > maxStartWait {
		return bad("start-at", "%s is more than %s ahead (a wrong date or time zone?)", o.StartAt.Format(time.RFC3339), maxStartWait)
	}
	if o.Duration == 0 {
		o.Duration = 10 * time.Second
	}
	if o.Duration < 0 || o.Duration > MaxDuration {
		return bad("duration", "%s is out of range (0, %s]", o.Duration, MaxDuration)
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers()
	}
	if o.Workers < 1 || o.Workers > 10000 {
		return bad("workers", "%d is out of range [1, 10000]", o.Workers)
	}
	if o.Connections == 0 {
		o.Connections = o.Workers
	}
	if o.Connections < 1 {
		return bad("connections", "must be at least 1")
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	if o.Timeout < 0 {
		return bad("timeout", "must be positive")
	}
	if o.Users == 0 {
		o.Users = 10
	}
	if o.Users < 1 || o.Users > 100000 {
		return bad("users", "%d is out of range [1, 100000]", o.Users)
	}
	if o.Users < o.Segment.Count {
		return bad("users", "%d users cannot be split over %d segments: each segment needs a user of its own", o.Users, o.Segment.Count)
	}
	if o.BcryptCost == 0 {
		o.BcryptCost = 10
	}
	if o.BcryptCost < 4 || o.BcryptCost > 31 {
		return bad("bcrypt-cost", "%d is out of range [4, 31]", o.BcryptCost)
	}
	if o.Name == "" {
		o.Name, _ = os.Hostname()
		if o.Name == "" {
			o.Name = "conform"
		}
	}
	if o.LateAfter == 0 {
		o.LateAfter = 5 * time.Millisecond
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = time.Second
	}
	if o.WaitEvery <= 0 {
		o.WaitEvery = 10 * time.Second
	}
	t := o.Thresholds
	if t.MinSuccess < 0 || t.MinSuccess > 1 {
		return bad("min-success", "%v is not a ratio in [0, 1] (e.g. 0.99)", t.MinSuccess)
	}
	if t.MaxP99 < 0 || t.MinRPS < 0 {
		return bad("max-p99", "thresholds must not be negative")
	}
	return nil
}

// DefaultWorkers is the default fixed worker pool: measured on a 2-core machine, 16 workers
// per core held the generator's ceiling against a bare handler and did not collapse at twice
// the ceiling; more only add scheduling and queueing.
func DefaultWorkers() int { return 16 * runtime.GOMAXPROCS(0) }
