package e2e_test

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/conformhq/conform/suites"
)

// TestUnreachableTargetStillWritesReports: a CI step that publishes the reports must find them
// when the target never answered: the JSON report says CUT SHORT and why, the JUnit report has
// an error case, the HTML report the same; the exit code stays 2.
func TestUnreachableTargetStillWritesReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	junit, html := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "r.html")
	r := conform(t, "run", "--target", "http://"+freeAddr(t), "--config", "fixtures/reference.yaml", "--profile", "jwt", "--junit-report", junit, "--html-report", html)
	if r.code != 2 || !strings.Contains(r.stderr, "unreachable") {
		t.Fatalf("exit %d, stderr %s; want 2 and the target unreachable", r.code, r.stderr)
	}
	if r.report == nil || r.report.Verdict != suites.VerdictCutShort || !strings.Contains(r.report.Interrupted, "unreachable") || r.report.FormatVersion == "" {
		t.Fatalf("JSON report %+v; want CUT SHORT, unreachable", r.report)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Errors int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Errors != 1 {
		t.Errorf("JUnit %s: %v, want one error", data, err)
	}
	if page, err := os.ReadFile(html); err != nil || !strings.Contains(string(page), "unreachable") {
		t.Errorf("HTML report: %v", err)
	}
}

// TestInitWritesAConfigRunAccepts: `conform init --profile jwt` writes the example config,
// which `conform run --config` reads without a config error once its variables are set (it
// then stops at the account preflight: the example's accounts are not the reference's).
func TestInitWritesAConfigRunAccepts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cmd := exec.Command(bin, "init", "--profile", "jwt")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "wrote jwt.yaml") {
		t.Fatalf("init: %v\n%s", err, out)
	}
	url := startReference(t)
	cmd = exec.Command(bin, "run", "--target", url, "--config", "jwt.yaml", "--profile", "jwt")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "JWT_PASSWORD_1=one-password", "JWT_PASSWORD_2=two-password", "JWT_SECRET=a-jwt-secret")
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "cannot log in") || strings.Contains(string(out), "jwt.yaml:") {
		t.Errorf("run with the written config: want the account preflight, not a config error:\n%s", out)
	}
	if out, err := exec.Command(bin, "--version").Output(); err != nil || !strings.HasPrefix(string(out), "conform ") {
		t.Errorf("--version: %v %q", err, out)
	}
}

// TestReportsOfABrokenRunMatchTheirSchemas: a real run against a broken reference, with every
// exchange kept (-v), writes a JSON report that docs/report.schema.json accepts, a JUnit report
// testdata/junit.xsd accepts (with xmllint, where installed), and an HTML report naming the
// failed requirement with its sentence and reproducer.
func TestReportsOfABrokenRunMatchTheirSchemas(t *testing.T) {
	t.Parallel()
	url := startReference(t, "jwt.accept-alg-none")
	dir := t.TempDir()
	jsonPath, junit, page := filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml"), filepath.Join(dir, "r.html")
	cmd := exec.Command(bin, "run", "--target", url, "--config", "fixtures/reference.yaml", "--profile", "jwt", "--strict", "-v",
		"--json-report", jsonPath, "--junit-report", junit, "--html-report", page, "--reproducers", filepath.Join(dir, "repro"))
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "sh "+filepath.Join(dir, "repro", "jwt.security.alg-none-refused.sh")) {
		t.Fatalf("run: %v, want exit 1 and how to run the reproducer\n%s", err, out)
	}
	schema, err := jsonschema.NewCompiler().Compile("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("the JSON report does not match docs/report.schema.json: %v", err)
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		if out, err := exec.Command("xmllint", "--noout", "--schema", "../suites/testdata/junit.xsd", junit).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"jwt.security.alg-none-refused", "Uses JSON Web Tokens", "conform reproducer of jwt.security.alg-none-refused"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
}
