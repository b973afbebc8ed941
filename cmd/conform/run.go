package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/suites"
)

// runMemoryLimit is conform run's soft memory limit (GOMEMLIMIT) unless the environment sets one.
const runMemoryLimit = 96 << 20

func newRunCmd() *cobra.Command {
	var o suites.Options
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the specs against a target (or the embedded reference)",
		Long: `Run checks a server against the documents of the chosen profiles and prints a summary
per profile and category. Each failure shows the document sentence, what was expected and
what came back, the HTTP exchange (secrets masked) and a curl line that sends the failing
request again.

Without --target, run starts the built-in reference on a free loopback port and checks it,
with its own config. With --target, --config names the target config: accounts, the request
that proves a token valid, the idle TTL, and how to send from two client addresses (see
fixtures/*.example.yaml).

Specs at level "should" check what the documents do not say (security practice); they run
only with --strict. Waivers (--waivers FILE) list known failures by requirement id, each
with a reason; they run but do not fail the exit code, and a waiver whose spec now passes is
reported as stale.

Before any spec runs, conform checks that the target answers, that the selection (profiles,
--label-filter, --focus, --strict) runs at least one spec, and that every account of the
selected profiles without two_factor logs in; each problem is one line and exit code 2.

The model specs (label model; leave them out with --label-filter '!model') explore random
sequences of each document's operations (logins right and wrong, from each client address,
probes with every token ever issued, logouts, clock moves) and judge every answer by a model
of the document; a sequence it cannot explain is shrunk against the target to the shortest
that still fails. --explore-steps and --explore-time bound the exploration per profile (it goes
on, up to 10 times the steps, while a rule it can reach has judged no answer; a rule that
judged none is skipped, naming the operation that never came up); --seed replays one (the seed
is printed on every run and in every report).

Exit codes: 0 every spec that ran passed (and one at least checked something), 1 a spec
failed (any config problems found are listed beside it), the load of --under-load was refused
where the run's model says it should have been accepted, or the target stopped answering
mid-run, 2 bad usage or config that conform can show is the cause (a selection that runs no
spec, an account the target refuses as wrong credentials, a base path or probe path that is
not there, a config value a spec proved wrong while no spec failed, every selected spec
skipped), an unreachable target, or a spec that does not cite its requirement, 3 conform
could not finish (e.g. a report file could not be written; the summary is printed), 130
interrupted (Ctrl-C): the reports say "interrupted".`,
		Example: `  conform run
  conform run --strict --junit-report junit.xml --json-report conform.json
  conform run --target http://127.0.0.1:8080 --profile lptracker --config lptracker.yaml
  conform run --target http://127.0.0.1:8080 --config target.yaml --label-filter 'ttl || per-ip'
  conform run --target http://127.0.0.1:8080 --config target.yaml --waivers known-failures.yaml
  conform run --label-filter model --explore-steps 5000 --explore-time 5m --seed 42`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out, o.Err = cmd.OutOrStdout(), cmd.ErrOrStderr()
			o.Color = os.Getenv("NO_COLOR") == "" && term.IsTerminal(int(os.Stdout.Fd()))
			// While the specs run, Ginkgo takes Ctrl-C too (it stops the spec in progress);
			// this context covers the preflight before them.
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			warnInsecure(cmd.ErrOrStderr(), o.Transport)
			if !cmd.Flags().Changed("seed") {
				o.Explore.Seed = rand.Uint64()
			}
			// A run's live heap is small (answers of at most 4 MiB each, exchanges clipped),
			// but a hostile target's answers of megabytes, read side by side, leave garbage
			// that Go's default pacing lets pile up past the run's 150 MB bound (e2e's hostile
			// test met 157 MB). A soft limit makes the collector run, and return memory, before
			// that; the user's GOMEMLIMIT stands.
			if os.Getenv("GOMEMLIMIT") == "" {
				debug.SetMemoryLimit(runMemoryLimit)
			}
			res, err := suites.Run(ctx, o)
			return runVerdict(ctx, res, err)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Target, "target", "", "base URL of the server under test, e.g. http://127.0.0.1:8080 (default: start the embedded reference)")
	f.StringSliceVar(&o.Profiles, "profile", nil, "profiles to run, comma-separated or repeated: "+strings.Join(profile.Names(), ", ")+" (default: every profile in the config)")
	f.StringVar(&o.ConfigPath, "config", "", "target config file (YAML); required with --target")
	f.StringVar(&o.LabelFilter, "label-filter", "", "run only specs whose labels match, e.g. 'ttl || per-ip', 'req:jwt.token.query', '!security'")
	f.StringSliceVar(&o.Focus, "focus", nil, "run only specs whose text matches this regexp (repeatable)")
	f.StringVar(&o.JUnitReport, "junit-report", "", "write a JUnit XML report to this file")
	f.StringVar(&o.JSONReport, "json-report", "", "write a JSON report to this file")
	f.StringVar(&o.HTMLReport, "html-report", "", "write a self-contained HTML report to this file")
	f.StringVar(&o.Reproducers, "reproducers", "", "write a shell script (curl) per failure to this directory, replaying its whole sequence; run one with sh FILE (exit 1: reproduced)")
	transportFlags(f, &o.Transport)
	f.BoolVar(&o.Strict, "strict", false, "also run should-level specs (what the documents leave open, e.g. JWT security)")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Second, "timeout of one request")
	f.DurationVar(&o.MaxWait, "max-wait", 10*time.Second, "longest real wait a TTL spec may make; longer ones skip unless the config has a clock hook")
	f.IntVar(&o.Race.N, "race-n", 0, "requests each race spec releases together (default 4), e.g. --race-n 8")
	f.IntVar(&o.Race.Rounds, "race-rounds", 0, "rounds of each race spec (default 3), e.g. --race-rounds 50 to show a race spec reliable")
	f.Uint64Var(&o.Explore.Seed, "seed", 0, "seed of the model specs' exploration (printed on every run and in every report); the same seed sends the same sequences again, e.g. --seed 1234 (default: a random seed)")
	f.IntVar(&o.Explore.Steps, "explore-steps", env.DefaultExploreSteps, "operations the model specs' exploration sends per profile (up to 10 times as many while a rule it can reach has judged no answer), e.g. --explore-steps 2000 for a deeper run in CI")
	f.DurationVar(&o.Explore.Time, "explore-time", env.DefaultExploreTime, "time the model specs' exploration spends per profile at most (shrinking a failure not counted), e.g. --explore-time 2m")
	f.StringVar(&o.UnderLoad.Rate, "under-load", "", "run the specs without load, then again while conform load's validate scenario sends this rate to the same target, and report which requirements failed only under load, e.g. --under-load 200/s")
	f.StringVar(&o.UnderLoad.Profile, "under-load-profile", "", "the profile whose probe --under-load sends (default: the run's first profile), e.g. jwt")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "keep every spec's HTTP exchanges in the JSON report, not only failures'")
	f.StringVar(&o.Waivers, "waivers", "", "YAML file of known failures: waivers: [{id: REQUIREMENT-ID, reason: WHY}]")
	return cmd
}

// runVerdict turns a run's outcome into the command's error: an interrupt first (the counts
// are partial), then an error of the run, then the verdict (suites' verdict rule): a failed
// spec is exit 1 even with config problems beside it; a config value a spec proved wrong while
// none failed, and a run where every spec skipped itself, are the config's to fix (exit code
// 2): neither is a verdict on the target.
func runVerdict(ctx context.Context, res *suites.Result, err error) error {
	switch {
	case ctx.Err() != nil || res != nil && res.InterruptedByUser:
		return &interruptedError{what: "run"}
	case err != nil:
		return err
	}
	switch res.Verdict {
	case suites.VerdictPass:
		return nil
	case suites.VerdictConfigError:
		return usageErr("the config is wrong for this target: %s", strings.Join(res.ConfigProblems, "; "))
	case suites.VerdictNothingChecked:
		return usageErr("nothing was checked: every selected spec skipped itself (the SKIPPED list above says what each needs)")
	}
	return &failedError{what: "specs failed"}
}
