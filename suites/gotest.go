package suites

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/formatter"

	"github.com/conformhq/conform/specs/cite"
)

// DeclareForGoTest declares one profile's specs into Ginkgo's tree for `go test` and the
// ginkgo CLI (the suites/<profile> packages). The target is CONFORM_TARGET with
// CONFORM_CONFIG when set, else the embedded reference; CONFORM_MAX_WAIT overrides the
// longest real TTL wait and CONFORM_TIMEOUT the per-request timeout (make test gives a crowded
// machine 30 s). Every spec runs, should-level included; filter with
// -ginkgo.label-filter='!should'. It starts from an empty tree: call it before declaring
// anything else. Specs that did not register are a *RegistrationError naming each, returned
// before any spec is declared, so the test fails with that list rather than running part of
// its specs; so is an account of the config that cannot log in (a *profile.AccountError, one
// line each). The returned function, to call once RunSpecs returns, masks the config's secrets
// in the reports Ginkgo wrote (-ginkgo.json-report, -ginkgo.junit-report) and stops the
// embedded reference.
func DeclareForGoTest(profile string) (func(), error) {
	o := Options{Target: os.Getenv("CONFORM_TARGET"), ConfigPath: fromModuleRoot(os.Getenv("CONFORM_CONFIG")), Profiles: []string{profile}, Strict: true}
	for name, d := range map[string]*time.Duration{"CONFORM_MAX_WAIT": &o.MaxWait, "CONFORM_TIMEOUT": &o.Timeout} {
		if s := os.Getenv(name); s != "" {
			v, err := time.ParseDuration(s)
			if err != nil {
				return nil, fmt.Errorf("%s=%q: %w", name, s, err)
			}
			*d = v
		}
	}
	return declareForGoTest(o)
}

// declareForGoTest is DeclareForGoTest with its options resolved.
func declareForGoTest(o Options) (func(), error) {
	o = o.withDefaults()
	b, err := bind(context.Background(), o)
	if err != nil {
		return nil, err
	}
	if err := preflight(context.Background(), b); err != nil {
		b.stop()
		return nil, err
	}
	if err := registrationError(preview(b, o)); err != nil {
		b.stop()
		return nil, err
	}
	if err := checkAccounts(context.Background(), b, b.profiles); err != nil {
		b.stop()
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "conform: %s against %s\n", strings.Join(b.profiles, ", "), b.client.URL())
	for _, n := range b.notes {
		fmt.Fprintf(os.Stderr, "conform: note: %s\n", n)
	}
	// Ginkgo's reporter prints failure messages to this writer: mask the config's secrets in
	// them. The reports Ginkgo writes itself are masked once RunSpecs has written them, when
	// the returned function runs.
	out := b.redact.Writer(formatter.ColorableStdOut)
	formatter.ColorableStdOut = out
	declare(b, cite.NewBook(), o, nil)
	return func() {
		_ = out.Flush()
		if err := maskGinkgoReports(b.redact); err != nil {
			fmt.Fprintf(os.Stderr, "conform: %v\n", err)
		}
		b.stop()
	}, nil
}

// fromModuleRoot resolves a relative path against the module root: `go test` runs in the
// package's directory, but a user writes CONFORM_CONFIG=fixtures/x.yaml from the top.
func fromModuleRoot(path string) string {
	if path == "" || filepath.IsAbs(path) {
		return path
	}
	if _, err := os.Stat(path); err == nil {
		return path
	}
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			return filepath.Join(dir, path)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return path
}
