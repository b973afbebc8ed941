package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/conformhq/conform/load"
)

func newReportCmd() *cobra.Command {
	var (
		mo         load.MergeOptions
		format     string
		plotPath   string
		minSuccess float64
	)
	cmd := &cobra.Command{
		Use:   "report FILE...",
		Short: "Merge results files of conform load (or vegeta) into one report",
		Long: `Report reads results files written by 'conform load --output' (vegeta's encoding; vegeta's
own gob, JSON and CSV results work too) and prints one report over all of them, with a section
per attack name: requests, success, latency percentiles, status codes, errors.

Use it to merge a distributed load: run 'conform load' on N machines at the same time, each
with its own --name and --output, copy the files to one place and run 'conform report' on them.
Two files with the same attack name are still merged, with a warning, since 'vegeta plot'
refuses them together.

A result counts as a success when its error field is empty: conform's rule for its own files
(a 2xx answer without a token is an error there). Latency in conform's files runs from the
scheduled send time. The rate shown is answers per second from the first scheduled send to the
last answer; the requested rate is not in the files.

The thresholds --max-p99, --min-success and --min-rps (successes per second) apply to the
merged total. Exit codes: 0 all held, 1 a threshold broke, 2 bad usage or an unreadable file,
3 conform could not finish (e.g. the plot could not be written).`,
		Example: `  conform report results.bin
  conform report machine-a.bin machine-b.bin --max-p99 50ms --min-success 0.999
  conform report --report json --plot merged.html a.bin b.bin`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--report %q: want text or json", format)
			}
			if minSuccess < 0 || minSuccess > 1 {
				return usageErr("--min-success %v: want a ratio in [0, 1], e.g. 0.99", minSuccess)
			}
			mo.Thresholds.MinSuccess = minSuccess
			var files []load.File
			for _, name := range args {
				fh, err := os.Open(name)
				if err != nil {
					return usageErr("%w", err)
				}
				defer fh.Close()
				files = append(files, load.File{Name: name, R: fh})
			}
			rep, warnings, err := load.Merge(files, mo)
			if err != nil {
				return usageErr("%w", err)
			}
			if err := writePlot(plotPath, rep, "conform report"); err != nil {
				return err
			}
			for _, w := range warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "conform: warning: "+w)
			}
			return writeVerdict(cmd.OutOrStdout(), cmd.ErrOrStderr(), rep, format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&format, "report", "text", "report format on stdout: text or json")
	fl.StringVar(&plotPath, "plot", "", "write an HTML plot of the merged rate, success and latency percentiles per second to this file")
	fl.DurationVar(&mo.Thresholds.MaxP99, "max-p99", 0, "threshold: highest acceptable p99 latency, e.g. 50ms")
	fl.Float64Var(&minSuccess, "min-success", 0, "threshold: lowest acceptable success ratio, e.g. 0.999")
	fl.Float64Var(&mo.Thresholds.MinRPS, "min-rps", 0, "threshold: lowest acceptable successes per second")
	return cmd
}
