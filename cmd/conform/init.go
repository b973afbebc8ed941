package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/profile"
)

func newInitCmd() *cobra.Command {
	var name, output string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example target config for a profile",
		Long: `Init writes the example target config of a profile, every field commented, to a file
(default PROFILE.yaml) or to stdout (--output -). Fill in your accounts and the values the
document leaves open; secrets stay in the environment as ${VAR}. Then:

  conform run --target URL --profile PROFILE --config PROFILE.yaml

It does not overwrite an existing file unless --force is given.`,
		Example: "  conform init --profile jwt\n  conform init --profile lptracker --output staging.yaml\n  conform init --profile flylogs --output -",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, ok := profile.Get(name); !ok {
				return usageErr("--profile %q is not a profile; known: %s", name, strings.Join(profile.Names(), ", "))
			}
			data, err := fs.ReadFile(fixtures.Examples, name+".example.yaml")
			if err != nil {
				return fmt.Errorf("example config of %s: %w", name, err)
			}
			if output == "-" {
				_, err := cmd.OutOrStdout().Write(data)
				return err
			}
			if output == "" {
				output = name + ".yaml"
			}
			flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if force {
				flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(output, flag, 0o644)
			if errors.Is(err, fs.ErrExist) {
				return usageErr("%s exists: give another --output, or --force to overwrite it", output)
			}
			if err != nil {
				return usageErr("write %s: %w", output, err)
			}
			if _, err := f.Write(data); err != nil {
				f.Close()
				return fmt.Errorf("write %s: %w", output, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("write %s: %w", output, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: fill in your accounts, then\n  conform run --target URL --profile %s --config %s\n", output, name, output)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&name, "profile", "", "profile whose example config to write: "+strings.Join(profile.Names(), ", "))
	f.StringVarP(&output, "output", "o", "", "file to write (default PROFILE.yaml; - for stdout)")
	f.BoolVar(&force, "force", false, "overwrite an existing file")
	_ = cmd.MarkFlagRequired("profile") // defined just above
	return cmd
}
