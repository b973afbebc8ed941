// Command conform tells whether a login API does what its public document says, and how
// fast its login path is. See `conform --help`.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns its exit code (see exitCode). An error is printed
// on stderr as one "conform: ..." message, except a verdict's, whose details the command has
// printed already; conform's own failure to finish says so, since a verdict may precede it.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	code := exitCode(err)
	switch code {
	case exitUsage:
		fmt.Fprintln(stderr, "conform: "+err.Error())
	case exitIncomplete:
		fmt.Fprintln(stderr, "conform: could not finish: "+err.Error())
	case exitInterrupted:
		fmt.Fprintln(stderr, "conform: "+err.Error())
	}
	return code
}
