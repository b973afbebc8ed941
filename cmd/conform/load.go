package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"golang.org/x/term"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/profile"
)

// loadFlags are the flags of `conform load` that do not map one to one onto load.Options.
type loadFlags struct {
	rate       string
	configPath string
	keepAlive  bool
	format     string
	output     string
	plot       string
	minSuccess float64
	stages     string
	seg        segmentFlags
}

func newLoadCmd() *cobra.Command {
	var o load.Options
	var f loadFlags
	cmd := &cobra.Command{
		Use:   "load",
		Short: "Load-test the login path: logins per second, or token validations per second",
		Long: `Load sends requests to the login path of one profile at a fixed rate (or a ramp) and
reports the rate it achieved, the success ratio and latency percentiles.

The login scenario sends login requests rotating over the accounts; success means a token came
back. The validate scenario first logs --users sessions in (not counted), then sends the
profile's probe with their tokens, round-robin; success means the probe accepted the token.
Success is conform's rule, not HTTP 2xx.

Without --target, load starts the embedded reference with --users synthetic accounts hashed at
--bcrypt-cost. With --target, --config names the target config (accounts, base path, probe).

Latency is measured from the time each request was due to be sent, so a generator or target
that falls behind shows its queueing in the percentiles. A run that achieved less than 95% of
the requested rate is reported NOT VALID and exits 1. At most --workers requests are in flight
at once, over at most --connections connections: on Linux, against a target with keep-alive,
from one event loop per core (as wrk), elsewhere from --workers goroutines. Every run is
bounded by --duration (at most 30m) and stops cleanly on Ctrl-C, reporting the results
gathered so far as INTERRUPTED (exit code 130).

--stages shapes the load as k6's stages do: each DURATION:RATE ramps linearly from the rate
the previous stage ended at (0 before the first) to RATE, so 30s:2000/s,2m:2000/s,30s:0/s
ramps up, holds 2 minutes and ramps down (a 0s stage jumps); DURATION:hold keeps the rate the
stage before ended at (30s:2000/s,2m:hold,30s:0/s is the same shape). The thresholds are
judged on the stages that hold their rate: a threshold is about the target under a given load,
not under one that changes. A shape with no hold (30s:100/s,2m:2000/s,30s:0/s ramps all along)
is judged on the whole run, as k6 judges its thresholds. The report's "judged on" line (JSON
"judged") names the window; the report shows each stage and the run over time, and --plot the
rate, success and latency percentiles per second.

--find-max doubles the rate from --rate, each step lasting --duration, then bisects, and
reports the knee: the highest rate whose step achieved its rate with success of at least
--min-success (default 0.99) and p99 at most --max-p99 (if given).

A load too big for one machine runs as N shares: --segment I/N (I from 0; or --segments N
with the index from JOB_COMPLETION_INDEX, as a Kubernetes Indexed Job sets it) sends 1/N of
--rate with its own range of --users, under the attack name NAME#I/N; --start-at TIME makes
every share start at the same moment (while it waits, a line on stderr every 10s says how long
is left; Ctrl-C then ends it as interrupted, exit 130, nothing sent). 'conform report' merges
their --output files into one verdict (see examples/k8s/).

With --target, each account of the config without two_factor logs in once before any load; one
that cannot is one line and exit code 2. A login counts as a success only when its answer is
JSON of the document's success shape with a non-empty token.

Thresholds for CI: --max-p99, --min-success, --min-rps (successes per second; with --find-max,
the knee). Whatever the thresholds, a run where no answer was a success, and a --find-max where
no step held, fail. Exit codes: 0 all held, 1 a threshold broke, nothing succeeded or the run
was not valid (each is named), 2 bad usage or config, an account that cannot log in, an
unreachable target, or an https target whose certificate cannot be trusted (one line says why;
--ca-cert FILE trusts its CA), 3 conform could not finish (e.g. the results file could not be written),
130 interrupted (Ctrl-C): the report says INTERRUPTED. The JSON report opens with
"verdict": {"result": "pass" | "fail" | "interrupted", "broken": [the broken checks]}.`,
		Example: `  conform load --profile jwt --scenario validate --rate 2000/s --duration 5s
  conform load --profile lptracker --scenario login --rate 20/s --users 100 --bcrypt-cost 10
  conform load --profile jwt --scenario validate --rate 100/s:5000/s --duration 30s --plot plot.html
  conform load --profile jwt --scenario validate --find-max --rate 1000/s --duration 3s --max-p99 50ms
  conform load --profile jwt --scenario validate --stages 10s:2000/s,30s:2000/s,10s:0/s --max-p99 20ms --plot plot.html
  conform load --target http://127.0.0.1:8080 --config target.yaml --profile lptracker \
      --scenario validate --rate 500/s --max-p99 20ms --min-success 0.999 --output run-a.bin --name ci-a
  conform load --target http://127.0.0.1:8080 --config target.yaml --profile jwt --rate 1600/s \
      --users 40 --segment 0/4 --start-at 2026-12-01T12:00:00Z --output seg-0.bin   # and 1/4 .. 3/4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLoad(cmd, &o, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Profile, "profile", "", "profile to load: "+strings.Join(profile.Names(), ", ")+" (required)")
	fl.StringVar(&o.Scenario, "scenario", "validate", "login (login requests) or validate (probe requests with logged-in tokens)")
	fl.StringVar(&o.Target, "target", "", "base URL of the server under test, e.g. http://127.0.0.1:8080 (default: start the embedded reference)")
	fl.StringVar(&f.configPath, "config", "", "target config file (YAML); required with --target")
	transportFlags(fl, &o.Transport)
	fl.StringVar(&f.rate, "rate", "50/s", "requests per second: 1000/s, or a ramp over the duration 100/s:5000/s; the start with --find-max")
	fl.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to send (each step with --find-max); at most 30m")
	fl.IntVar(&o.Workers, "workers", 0, fmt.Sprintf("most requests in flight at once: event loops' connections, or sending goroutines (default %d: 16 per core)", load.DefaultWorkers()))
	fl.IntVar(&o.Connections, "connections", 0, "most open connections to the target (default: --workers)")
	fl.DurationVar(&o.Timeout, "timeout", 5*time.Second, "timeout of one request")
	fl.BoolVar(&f.keepAlive, "keepalive", true, "reuse connections; --keepalive=false opens one per request (and fills TIME_WAIT)")
	fl.BoolVar(&o.HTTP2, "http2", false, "send over HTTP/2 (negotiated with an https target, h2c with an http one); default HTTP/1.1, as wrk and bombardier send; the report's protocol line says which was used")
	fl.IntVar(&o.Users, "users", 10, "accounts taking part: synthetic users of the embedded reference, or sessions logged in for validate")
	fl.IntVar(&o.BcryptCost, "bcrypt-cost", 10, "bcrypt cost of the embedded reference's password hashes (4-31); logins cost one hash each")
	fl.StringVar(&o.Name, "name", "", "attack name stored in --output; unique per machine in a distributed run (default: host name)")
	fl.StringVar(&f.seg.segment, "segment", "", "send share I/N of the load (I from 0): 1/N of the rate, the I-th range of --users; the attack name gets #I/N")
	fl.IntVar(&f.seg.segments, "segments", 0, "send share JOB_COMPLETION_INDEX/N of the load (a Kubernetes Indexed Job with N completions)")
	fl.StringVar(&f.seg.startAt, "start-at", "", "start the load at this RFC 3339 time (sessions log in before), so all shares start together, e.g. 2026-12-01T12:00:00Z")
	fl.BoolVar(&o.FindMax, "find-max", false, "step the rate up from --rate and report the highest rate that held")
	fl.DurationVar(&o.Thresholds.MaxP99, "max-p99", 0, "threshold: highest acceptable p99 latency, e.g. 50ms")
	fl.Float64Var(&f.minSuccess, "min-success", 0, "threshold: lowest acceptable success ratio, e.g. 0.999")
	fl.Float64Var(&o.Thresholds.MinRPS, "min-rps", 0, "threshold: lowest acceptable successes per second (with --find-max: knee rate)")
	fl.StringVar(&f.format, "report", "text", "report format on stdout: text or json")
	fl.StringVar(&f.output, "output", "", "write every result to this file in vegeta's encoding (read by vegeta report/plot and conform report)")
	fl.StringVar(&f.plot, "plot", "", "write an HTML plot of the rate, success and latency percentiles per second to this file")
	fl.StringVar(&f.stages, "stages", "", "load shape instead of --rate and --duration: DURATION:RATE,... each ramping linearly from the previous rate (0 at first) to RATE, e.g. 30s:2000/s,2m:hold,30s:0/s (hold keeps the previous rate); or a YAML file of {duration, target}; thresholds are judged on the stages that hold their rate, or the whole run when none does")
	fl.DurationVar(&o.LateAfter, "late-after", 5*time.Millisecond, "a send starting this far behind its schedule counts as late")
	_ = fl.MarkHidden("late-after")
	return cmd
}

func runLoad(cmd *cobra.Command, o *load.Options, f *loadFlags) error {
	if o.Profile == "" {
		return usageErr("--profile is required: %s", strings.Join(profile.Names(), ", "))
	}
	if f.format != "text" && f.format != "json" {
		return usageErr("--report %q: want text or json", f.format)
	}
	rate, err := load.ParseRate(f.rate)
	if err != nil {
		return usageErr("--rate: %w", err)
	}
	o.Rate = rate
	if f.stages != "" {
		if cmd.Flags().Changed("rate") || cmd.Flags().Changed("duration") {
			return usageErr("--stages sets the rate and the duration: give it without --rate and --duration")
		}
		if o.Stages, err = load.ParseStages(f.stages); err != nil {
			var fe *config.FieldError
			if errors.As(err, &fe) {
				return &usageError{err: err} // file:line: as a config error
			}
			return usageErr("--stages: %w", err)
		}
	}
	o.NoKeepAlive = !f.keepAlive
	o.Thresholds.MinSuccess = f.minSuccess
	if err := f.seg.apply(o); err != nil {
		return err
	}
	if f.configPath != "" {
		// Load reads only what logs in and probes: its one profile's section, without the
		// 2FA accounts (which it cannot log in), ttl, jwt, sinks and client_ips.
		cf, err := profile.Schema().LoadFor(f.configPath, config.Use{Profiles: []string{o.Profile}, LoginOnly: true})
		if err != nil {
			return &usageError{err: err} // a *config.FieldError, or the file named by --config unread
		}
		for _, w := range cf.Warnings {
			fmt.Fprintf(cmd.ErrOrStderr(), "conform: warning: %s\n", w)
		}
		o.Config = cf
	}
	if err := o.Normalize(); err != nil {
		return err // a *load.OptionError
	}

	sink, err := newResultSink(f.output)
	if err != nil {
		return err
	}
	if f.output != "" {
		o.OnResult = sink.add
	}

	stderr := cmd.ErrOrStderr()
	clearProgress := func() {}
	if fd, ok := stderr.(*os.File); ok && term.IsTerminal(int(fd.Fd())) {
		o.Progress = func(p load.Progress) {
			fmt.Fprintf(stderr, "\r\033[K%s  %s/%s  %.0f/s  success %.2f%%  p99 %s",
				p.Name, p.Elapsed.Round(time.Second), p.Duration, p.Rate, 100*p.Success, p.P99.Round(10*time.Microsecond))
		}
		// Cleared before the report, which shares the terminal from stdout.
		clearProgress = func() { fmt.Fprint(stderr, "\r\033[K") }
	}

	// Every line, terminal or not: a pod's log shows it is waiting, not hung.
	o.Waiting = func(left time.Duration) {
		fmt.Fprintf(stderr, "conform: waiting for --start-at %s: the load starts in %s (Ctrl-C cancels)\n",
			o.StartAt.UTC().Format(time.RFC3339), left.Round(time.Second))
	}

	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C ends the process at once
	}()

	// The load generator allocates per request; fewer collections leave more CPU to send.
	defer load.TuneGC()()

	warnInsecure(cmd.ErrOrStderr(), o.Transport)
	rep, err := load.Run(ctx, *o)
	clearProgress()
	if cerr := sink.close(); err == nil && cerr != nil {
		err = cerr
	}
	var loginErr *load.LoginError
	switch {
	case err != nil && ctx.Err() != nil:
		return &interruptedError{what: "load"}
	case errors.As(err, &loginErr):
		// The target's answer, not the config: the accounts logged in during the preflight.
		fmt.Fprintln(stderr, "conform: "+err.Error())
		return &failedError{what: "the sessions could not log in"}
	case err != nil:
		return err
	}
	if err := writePlot(f.plot, rep, "conform load "+o.Profile+" "+o.Scenario); err != nil {
		return err
	}
	if err := writeVerdict(cmd.OutOrStdout(), stderr, rep, f.format); err != nil {
		return err
	}
	if rep.Interrupted {
		return &interruptedError{what: "load"}
	}
	return nil
}

// writeVerdict prints the report and turns broken thresholds into exit code 1, each named on
// stderr (main prints nothing for a failedError). An interrupted run has no verdict: its
// report is printed, and its thresholds are not judged.
func writeVerdict(stdout, stderr io.Writer, rep *load.Report, format string) error {
	var err error
	if format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	broken := rep.Broken()
	if len(broken) == 0 || rep.Interrupted {
		return nil
	}
	var names []string
	for _, c := range broken {
		names = append(names, c.Name)
		fmt.Fprintf(stderr, "conform: threshold %s %s broken: %s\n", c.Name, c.Limit, c.Value)
	}
	return &failedError{what: "thresholds broken: " + strings.Join(names, ", ")}
}

// resultSink writes results to a vegeta results file.
type resultSink struct {
	file *os.File
	buf  *bufio.Writer
	enc  vegeta.Encoder
}

func newResultSink(output string) (*resultSink, error) {
	s := &resultSink{}
	if output != "" {
		fh, err := os.Create(output)
		if err != nil {
			return nil, usageErr("--output: %w", err)
		}
		s.file, s.buf = fh, bufio.NewWriterSize(fh, 256<<10)
		s.enc = vegeta.NewEncoder(s.buf)
	}
	return s, nil
}

func (s *resultSink) add(r *vegeta.Result) error {
	if s.enc != nil {
		if err := s.enc.Encode(r); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	return nil
}

func (s *resultSink) close() error {
	if s.file == nil {
		return nil
	}
	return errors.Join(s.buf.Flush(), s.file.Close())
}
