package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/conformhq/conform/version"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print conform's version and the revision it was built from",
		Long: `Version prints the module version conform was installed at (a tag for
go install github.com/conformhq/conform/cmd/conform@v1.2.3, "(devel)" for a build from a
checkout), the VCS revision and time of a build from a git checkout, and the Go version.
conform --version prints the first line only.`,
		Example: "  conform version\n  conform --version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), version.Get())
			return err
		},
	}
}
