package repro

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
)

// TestCksumMatchesPOSIX checks the Go CRC against the cksum the scripts run.
func TestCksumMatchesPOSIX(t *testing.T) {
	if _, err := exec.LookPath("cksum"); err != nil {
		t.Skip("no cksum")
	}
	for _, s := range []string{"", "a", "hello world", strings.Repeat("swagger: 2.0\n", 300)} {
		cmd := exec.Command("cksum")
		cmd.Stdin = strings.NewReader(s)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Fields(string(out))[0]
		if got := strconv.FormatUint(uint64(cksum([]byte(s))), 10); got != want {
			t.Errorf("cksum(%q) = %s, cksum says %s", s, got, want)
		}
	}
}

// TestStable keeps messages and emails as values to compare, and leaves out what a run makes
// up: tokens, times, generated keys.
func TestStable(t *testing.T) {
	for s, want := range map[string]bool{
		`"Invalid login or password"`: true, `"bob@example.com"`: true, `"ok"`: true, `401`: true,
		`"mhpihxYwPG"`: false, `"SMBQsxcpbc"`: false, `"Incorrect"`: true, `"afcd712040dd512621623615eb0ba292"`: false, `"2026-12-01T10:31:16Z"`: false, `"a****b"`: false,
	} {
		if got := stable(s); got != want {
			t.Errorf("stable(%s) = %v, want %v", s, got, want)
		}
	}
}

// TestGeneratedValuesNeverCompared leaves out what a document's server makes up per login,
// even when a random key happens to look like a word.
func TestGeneratedValuesNeverCompared(t *testing.T) {
	c := checkOf(&client.Exchange{Status: 200, RespBody: `{"status":"ok","key":"abcdefghij","api_token":"short"}`})
	if got := strings.Join(c.fragments, " "); got != `"status":"ok"` {
		t.Errorf("fragments %q, want only the status", got)
	}
}

// The script's shape function and shapeOf agree, date-times included: a reproducer compares
// the shape its sh computes with the one Go computed from the failing run.
func TestScriptShapeIsShapeOf(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	for _, body := range []string{
		`{"id":1,"createdAt":"2024-01-15T09:30:00Z","updatedAt":"2026-12-06T04:19:36.123+01:00","at":"2024-01-15T09:30:00","name":"x"}`,
		`{"response":{"result":true,"token":"abc","n":-1.5e3}}`,
		`<a><b>2024-01-15T09:30:00</b></a>`,
	} {
		f := filepath.Join(t.TempDir(), "b")
		if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("sh", "-c", preamble+"\nshape \"$1\"", "sh", f).Output()
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if want := shapeOf(stripSpace(body)); string(out) != want {
			t.Errorf("%s:\n  sh: %s\n  Go: %s", body, out, want)
		}
	}
}
