package main

import (
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/suites"
)

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

Exit codes: 0 all run specs passed, 1 a spec failed, 2 bad usage or config, an unreachable
target, or a spec that does not cite its requirement (reported before any spec runs), 3
conform could not finish (e.g. a report file could not be written; the summary is printed).`,
		Example: `  conform run
  conform run --strict --junit-report junit.xml --json-report conform.json
  conform run --target http://127.0.0.1:8080 --profile lptracker --config lptracker.yaml
  conform run --target http://127.0.0.1:8080 --config target.yaml --label-filter 'ttl || per-ip'
  conform run --target http://127.0.0.1:8080 --config target.yaml --waivers known-failures.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = cmd.OutOrStdout()
			o.Color = os.Getenv("NO_COLOR") == "" && term.IsTerminal(int(os.Stdout.Fd()))
			res, err := suites.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			if res.Failed() {
				return &failedError{what: "specs failed"}
			}
			return nil
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
	f.BoolVar(&o.Strict, "strict", false, "also run should-level specs (what the documents leave open, e.g. JWT security)")
	f.DurationVar(&o.Timeout, "timeout", 5*time.Second, "timeout of one request")
	f.DurationVar(&o.MaxWait, "max-wait", 10*time.Second, "longest real wait a TTL spec may make; longer ones skip unless the config has a clock hook")
	f.BoolVarP(&o.Verbose, "verbose", "v", false, "keep every spec's HTTP exchanges in the JSON report, not only failures'")
	f.StringVar(&o.Waivers, "waivers", "", "YAML file of known failures: waivers: [{id: REQUIREMENT-ID, reason: WHY}]")
	return cmd
}
