package profile_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/conformhq/conform/profile"
)

// genericDirs hold code that serves every document alike: a sixth document must not need a
// change there. (suites/profiles.go, the one line that registers a spec package, and the
// suites/<profile> entry points are the document's own.)
var genericDirs = []string{"../config", "../load", "../cmd/conform", "../client", "../twofactor", "../specs/env", "../specs/cite", "../suites", "../redact"}

// fieldNames are config field paths that share a profile's name without naming the profile:
// a section's jwt (jwt.secret) is named for the token format.
var fieldNames = []string{`fe("jwt",`}

// TestGenericCodeNamesNoProfile proves the layout's recipe for a new document: no code in the
// generic packages branches on a profile name. Comments and tests may name profiles; code may
// not, outside a struct tag.
func TestGenericCodeNamesNoProfile(t *testing.T) {
	var names []string
	for _, n := range profile.Names() {
		names = append(names, regexp.QuoteMeta(n))
	}
	literal := regexp.MustCompile(`"(` + strings.Join(names, "|") + `)"`)
	for _, dir := range genericDirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v): update genericDirs", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || f == "../suites/profiles.go" {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(string(data), "//go:build conform_") {
				continue // a test build's deliberately broken specs
			}
			for i, line := range strings.Split(string(data), "\n") {
				code, _, _ := strings.Cut(line, "//")
				code = regexp.MustCompile("`[^`]*`").ReplaceAllString(code, "") // struct tags
				for _, f := range fieldNames {
					code = strings.ReplaceAll(code, f, "")
				}
				if m := literal.FindString(code); m != "" {
					t.Errorf("%s:%d names profile %s: put the document's knowledge in package profile", f, i+1, m)
				}
			}
		}
	}
}
