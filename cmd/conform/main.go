// Command conform tells whether a login API does what its public document says, and how
// fast its login path is. See `conform --help`.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/suites"
)

// Exit codes, the same for every subcommand.
const (
	exitOK     = 0 // everything run passed
	exitFailed = 1 // a spec or a threshold failed
	exitUsage  = 2 // bad flags or config, or an unreachable target
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var failed *failedError
	if errors.As(err, &failed) {
		return exitFailed
	}
	fmt.Fprintln(os.Stderr, "conform: "+err.Error())
	var ue *suites.UsageError
	var unreachable *client.UnreachableError
	if errors.As(err, &ue) || errors.As(err, &unreachable) || isFlagError(err) {
		return exitUsage
	}
	return exitUsage
}

// failedError means the command ran and its verdict is "fail"; the details are printed.
type failedError struct{ what string }

func (e *failedError) Error() string { return e.what }
