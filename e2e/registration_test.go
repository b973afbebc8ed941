package e2e_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUncitedSpecsStopListAndRun builds conform with -tags conform_badspecs, which adds a spec
// whose requirement quotes no sentence and one declared with ginkgo.It around the Book
// (suites/badspecs_on.go), and runs it as a user would: `conform list` and `conform run` exit
// 2 naming both specs at their lines, and run runs no spec.
func TestUncitedSpecsStopListAndRun(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "conform-badspecs")
	if out, err := exec.Command("go", "build", "-tags", "conform_badspecs", "-o", bad, "../cmd/conform").CombinedOutput(); err != nil {
		t.Fatalf("build with -tags conform_badspecs: %v\n%s", err, out)
	}
	uncited, around := lineOf(t, "../suites/badspecs_on.go", `"a spec registered without a citation"`), lineOf(t, "../suites/badspecs_on.go", `"a spec declared around the Book"`)
	for _, args := range [][]string{{"list"}, {"run", "--profile", "jwt"}} {
		cmd := exec.Command(bad, args...)
		cmd.Dir = ".."
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 2 { // exit 2: registration problems are a usage error
			t.Errorf("conform %s: %v, want exit %d\n%s", strings.Join(args, " "), err, 2, stderr.String())
			continue
		}
		for _, want := range []string{
			"2 spec(s) not registered",
			fmt.Sprintf(`badspecs_on.go:%d: spec "a spec registered without a citation": requirement jwt.badspecs.uncited: no quoted sentence`, uncited),
			fmt.Sprintf(`badspecs_on.go:%d: spec "a spec declared around the Book": declared without a requirement`, around),
		} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("conform %s: stderr lacks %q:\n%s", strings.Join(args, " "), want, stderr.String())
			}
		}
		if stdout.Len() > 0 {
			t.Errorf("conform %s printed before refusing (no spec may run):\n%s", strings.Join(args, " "), stdout.String())
		}
	}
}

// lineOf is the number of the first line of file that contains s.
func lineOf(t *testing.T, file, s string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %s", file, s)
	return 0
}
