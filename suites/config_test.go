package suites_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/suites"
)

// TestRunReadsOnlyTheSelectedProfiles shows that --profile jwt needs neither lptracker's
// variables nor its required fields, that a config warning reaches Err, and that without
// --profile every section is read.
func TestRunReadsOnlyTheSelectedProfiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "target.yaml")
	cfg := "jwt:\n  accounts: [{login: a, password: \"$JWT_PW_TEST\"}]\nlptracker:\n  accounts: [{login: b, password: \"${LPT_PW_TEST_UNSET}\"}]\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JWT_PW_TEST", "x")
	var out, warn bytes.Buffer
	o := suites.Options{Target: "http://127.0.0.1:1", ConfigPath: path, Profiles: []string{"jwt"}, Out: &out, Err: &warn}
	_, err := suites.Run(context.Background(), o)
	var unreachable *client.UnreachableError
	if !errors.As(err, &unreachable) {
		t.Fatalf("got %v; want the config read and the target found unreachable", err)
	}
	if want := "conform: warning: " + path + ":2: jwt.accounts[0].password: $JWT_PW_TEST is taken literally"; !strings.HasPrefix(warn.String(), want) {
		t.Errorf("warnings %q, want %q", warn.String(), want)
	}

	o.Profiles = nil
	_, err = suites.Run(context.Background(), o)
	var ue *suites.UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), ":4: lptracker.accounts[0].password: environment variable LPT_PW_TEST_UNSET is not set") {
		t.Fatalf("got %v; want lptracker's variable named", err)
	}
}
