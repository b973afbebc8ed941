package suites

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/redact"
)

// TestMaskFileMasksGinkgosReports: a password and a 2FA code in a Ginkgo JSON report (one
// JSON-escaped, one equal to a duration) and in a JUnit report are masked, and the JSON
// report stays valid JSON with its numbers.
func TestMaskFileMasksGinkgosReports(t *testing.T) {
	red := redact.New(`p&ss<word>1`, "482913")
	dir := t.TempDir()
	jsonPath, xmlPath := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	report := `[{"SpecReports":[{"Failure":{"Message":"sent pass=p\u0026ss\u003cword\u003e1, code 482913"},"RunTime":482913}]}]`
	if err := os.WriteFile(jsonPath, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(xmlPath, []byte(`<failure message="pass=p&amp;ss&lt;word&gt;1 code 482913"></failure>`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{jsonPath, xmlPath} {
		if err := maskFile(p, red); err != nil {
			t.Fatal(err)
		}
	}
	data, _ := os.ReadFile(jsonPath)
	if !json.Valid(data) || strings.Contains(string(data), "word") || strings.Contains(string(data), "code 482913") || !strings.Contains(string(data), `"RunTime":482913`) {
		t.Errorf("JSON report after masking: %s", data)
	}
	data, _ = os.ReadFile(xmlPath)
	if strings.Contains(string(data), "word") || strings.Contains(string(data), "482913") {
		t.Errorf("JUnit report after masking: %s", data)
	}
	if err := maskFile(filepath.Join(dir, "none.json"), red); err != nil {
		t.Errorf("a report Ginkgo did not write: %v", err)
	}
}
