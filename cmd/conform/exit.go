package main

import (
	"errors"
	"fmt"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/suites"
)

// Exit codes, the same for every subcommand; the README and `conform --help` document them.
const (
	exitOK         = 0 // everything run passed
	exitFailed     = 1 // the verdict: a spec or a threshold failed
	exitUsage      = 2 // bad flags or config, an unreachable target, or specs that did not register
	exitIncomplete = 3 // conform itself could not finish, e.g. a report file could not be written
	// exitInterrupted is what a shell reports for a process ended by Ctrl-C (128 + SIGINT):
	// the run was stopped, so there is no verdict.
	exitInterrupted = 130
)

// exitCode is the one place an error becomes an exit code. A mistake the caller can fix has a
// type, returned by the package that found it; an error of no such type is conform's own
// failure to finish, so it never passes for a usage mistake or a verdict.
func exitCode(err error) int {
	switch {
	case err == nil:
		return exitOK
	case is[*interruptedError](err):
		return exitInterrupted
	case is[*failedError](err):
		return exitFailed
	case is[*usageError](err), // a flag, an argument or a file on the command line (this package)
		is[*suites.UsageError](err),        // run: flags, target config, waivers
		is[*config.FieldError](err),        // a field of the target config
		is[*load.OptionError](err),         // load: an option, or a config without the profile
		is[*client.UnreachableError](err),  // the target does not answer
		is[*load.TLSError](err),            // load: the target's certificate is not trusted
		is[*profile.AccountError](err),     // an account of the config cannot log in
		is[*profile.ProbeError](err),       // the config's probe path or token placement is not the target's
		is[*suites.RegistrationError](err): // specs without a citation, found before any runs
		return exitUsage
	default:
		return exitIncomplete
	}
}

// is reports whether err, or an error it wraps, is a T.
func is[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// failedError means the command ran and its verdict is "fail"; the details are printed.
type failedError struct{ what string }

func (e *failedError) Error() string { return e.what }

// interruptedError means Ctrl-C (SIGINT) or SIGTERM stopped the command: whatever it
// printed is partial and says so.
type interruptedError struct{ what string }

func (e *interruptedError) Error() string { return e.what + " interrupted: the verdict is incomplete" }

// usageError is a mistake in how conform was called that this package finds itself: a flag
// value, an argument (cobra's errors are untyped, so each is wrapped where cobra reports it),
// a file named on the command line.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usageErr formats a usageError; %w keeps the cause inspectable.
func usageErr(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}
