package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/conformhq/conform/profile"
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

Exit codes: 0 everything passed, 1 a spec or threshold failed, 2 bad usage or config, or an
unreachable target.`,
		Example: `  conform run                                         # the embedded reference, all profiles
  conform run --target http://127.0.0.1:8080 --profile jwt --config jwt.yaml
  conform serve --test-clock                          # the reference on 127.0.0.1:8080
  conform list --format yaml                          # every requirement with its citation
  conform load --profile jwt --scenario validate --rate 2000/s --duration 5s`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newRunCmd(), newServeCmd(), newListCmd(), newLoadCmd(), newReportCmd())
	return root
}

// isFlagError tells cobra's flag parsing errors, which are usage errors, from the rest.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "unknown flag") || strings.Contains(s, "unknown shorthand") ||
		strings.Contains(s, "flag needs an argument") || strings.Contains(s, "invalid argument") ||
		strings.Contains(s, "unknown command") || strings.Contains(s, "accepts ")
}

// profileList is one help line per registered document.
func profileList() string {
	var b strings.Builder
	for _, d := range profile.All() {
		fmt.Fprintf(&b, "  %-10s doc %s: %s\n", d.Name, d.Number, d.Title)
	}
	return b.String()
}
