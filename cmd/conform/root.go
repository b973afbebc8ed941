package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/version"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "conform",
		Short: "Check a login API against its public document, and load-test its login path",
		Long: `conform tells you, in one command, whether your login API does exactly what its
documentation says, and how fast its login path is.

It knows these documented login APIs (profiles):

` + profileList() + `
Every spec cites the document sentence it encodes; 'conform list' prints them all.

With no --target, 'conform run' starts the built-in reference implementation and checks it.

Exit codes: 0 everything passed, 1 a spec or threshold failed (or nothing succeeded), 2 bad
usage or config (a selection that runs no spec, an account that cannot log in), an
unreachable target, or a spec that does not cite its requirement (reported before any spec
runs), 3 conform itself could not finish (e.g. a report file could not be written), 130
interrupted by Ctrl-C: no verdict, and the reports say "interrupted".`,
		Example: `  conform run                                         # the embedded reference, all profiles
  conform run --target http://127.0.0.1:8080 --profile jwt --config jwt.yaml
  conform serve --test-clock                          # the reference on 127.0.0.1:8080
  conform list --format yaml                          # every requirement with its citation
  conform load --profile jwt --scenario validate --rate 2000/s --duration 5s`,
		// Runnable, so that cobra hands a word that is no subcommand to Args (below) rather
		// than failing with an untyped error of its own; alone, conform prints this help.
		Args:                       unknownCommand,
		RunE:                       func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		SuggestionsMinimumDistance: 2,
		DisableFlagsInUseLine:      true, // "conform" alone prints this help: no "conform [flags]"
		SilenceUsage:               true,
		SilenceErrors:              true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newRunCmd(), newServeCmd(), newListCmd(), newLoadCmd(), newReportCmd(), newVersionCmd(), newInitCmd())
	root.Version = version.Get().Short()
	root.SetVersionTemplate("conform {{.Version}}\n")
	// cobra's flag and argument errors are untyped: type them where cobra reports them.
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err: err} })
	typeArgErrors(root)
	return root
}

// unknownCommand refuses a word where a subcommand is expected, suggesting the nearest.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := nearest(args[0], cmd.SuggestionsFor(args[0])); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return errors.New(msg)
}

// typeArgErrors makes the argument errors of c and its subcommands usage errors.
func typeArgErrors(c *cobra.Command) {
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return &usageError{err: err}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		typeArgErrors(sub)
	}
}

// profileList is one help line per registered document.
func profileList() string {
	var b strings.Builder
	for _, d := range profile.All() {
		fmt.Fprintf(&b, "  %-10s doc %s: %s\n", d.Name, d.Number, d.Title)
	}
	return b.String()
}
