package suites

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/net/html"

	"github.com/conformhq/conform/redact"
)

// reportsFixture writes the three reports of the fixture run, its failure with a reproducer
// and a secret in its message, and returns their paths.
func reportsFixture(t *testing.T) (res *Result, jsonPath, junitPath, htmlPath string) {
	t.Helper()
	_, res = junitFixture(t)
	res.StartedAt, res.ConformVersion, res.Target = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), "(devel)", "http://127.0.0.1:8080"
	res.StaleWaivers = []Waiver{{ID: "jwt.token.header", Reason: "fixed since"}}
	for i := range res.Specs {
		if res.Specs[i].State == Failed {
			res.Specs[i].Message += "\n     got: hunter2-secret <script>alert(1)</script>"
			res.Specs[i].Reproducer = "#!/bin/sh\n# conform reproducer\nexit 1\n"
		}
	}
	dir := t.TempDir()
	jsonPath, junitPath, htmlPath = filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml"), filepath.Join(dir, "r.html")
	o := Options{JSONReport: jsonPath, JUnitReport: junitPath, HTMLReport: htmlPath}
	if err := writeReports(res, o, redact.New("hunter2-secret")); err != nil {
		t.Fatal(err)
	}
	return res, jsonPath, junitPath, htmlPath
}

// TestJSONReportMatchesItsSchema validates the JSON report against docs/report.schema.json,
// and shows the schema can say no.
func TestJSONReportMatchesItsSchema(t *testing.T) {
	_, jsonPath, _, _ := reportsFixture(t)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("hunter2-secret")) {
		t.Error("the JSON report holds the secret")
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("JSON report does not match its schema: %v", err)
	}
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	if m["format_version"] != FormatVersion || m["conform_version"] == "" || m["started_at"] != "2026-12-01T10:00:00Z" {
		t.Errorf("format_version %v, conform_version %v, started_at %v", m["format_version"], m["conform_version"], m["started_at"])
	}
	m["verdict"] = "MAYBE"
	if err := schema.Validate(m); err == nil {
		t.Error("the schema accepts a verdict that is none")
	}
}

// TestJUnitReportMatchesXSD validates the JUnit report against testdata/junit.xsd with
// xmllint (where installed; .ci/run installs it), and checks in Go what the XSD cannot: the
// counts agree with the test cases, and each failure carries its requirement.
func TestJUnitReportMatchesXSD(t *testing.T) {
	_, _, junitPath, _ := reportsFixture(t)
	data, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("hunter2-secret")) {
		t.Error("the JUnit report holds the secret")
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		if out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", junitPath).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s\n%s", err, out, data)
		}
		bad := filepath.Join(t.TempDir(), "bad.xml")
		os.WriteFile(bad, []byte(`<testsuites><testsuite tests="1"><testcase/></testsuite></testsuites>`), 0o644)
		if exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", bad).Run() == nil {
			t.Error("the XSD accepts a suite and a case without names")
		}
	} else {
		t.Log("xmllint not installed: checked the structure in Go only")
	}
	var doc junitSuites
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var tests, failures, skipped int
	for _, s := range doc.Suites {
		var st, sf, ss int
		for _, c := range s.Cases {
			st++
			if c.Failure != nil {
				sf++
				if !strings.HasPrefix(c.Failure.Message, "jwt.") || !strings.Contains(c.Failure.Text, "requirement: doc 004") {
					t.Errorf("failure %+v lacks its requirement", c.Failure)
				}
			}
			if c.Skipped != nil {
				ss++
			}
			if c.Classname == "" || c.Name == "" {
				t.Errorf("case without classname or name: %+v", c)
			}
		}
		if st != s.Tests || sf != s.Failures || ss != s.Skipped {
			t.Errorf("suite %s says %d/%d/%d, has %d/%d/%d tests/failures/skipped", s.Name, s.Tests, s.Failures, s.Skipped, st, sf, ss)
		}
		tests, failures, skipped = tests+st, failures+sf, skipped+ss
	}
	if tests != doc.Tests || failures != doc.Failures || skipped != doc.Skipped {
		t.Errorf("testsuites says %d/%d/%d, has %d/%d/%d", doc.Tests, doc.Failures, doc.Skipped, tests, failures, skipped)
	}
}

// TestHTMLReportStructure parses the HTML report: verdict, totals, a failure with its
// sentence, message and reproducer, stale waivers, the traceability matrix with a row per
// spec; nothing from the network, no script, the target's text escaped, no secret.
func TestHTMLReportStructure(t *testing.T) {
	res, _, _, htmlPath := reportsFixture(t)
	data, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("hunter2-secret")) || bytes.Contains(data, []byte("<script")) {
		t.Error("the HTML report holds the secret or a script")
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]*html.Node{}
	var rows, failures int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					ids[a.Val] = n
				case a.Key == "src" || a.Key == "href" && !strings.HasPrefix(a.Val, "#"):
					t.Errorf("<%s %s=%q>: the report must not load anything", n.Data, a.Key, a.Val)
				case a.Key == "class" && strings.Contains(a.Val, "failure") && n.Data == "div":
					failures++
				}
			}
			if n.Data == "link" || n.Data == "script" || n.Data == "img" {
				t.Errorf("<%s> in a self-contained report", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	for _, id := range []string{"verdict", "totals", "by-category", "failures", "stale-waivers", "traceability", "advisories", "waived"} {
		if ids[id] == nil {
			t.Errorf("no #%s", id)
		}
	}
	if tb := ids["traceability"]; tb != nil {
		var count func(*html.Node)
		count = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "tr" {
				rows++
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				count(c)
			}
		}
		count(tb)
		if rows != len(res.Specs)+1 {
			t.Errorf("traceability matrix has %d rows, want a header and %d specs", rows, len(res.Specs))
		}
	}
	if failures != res.Totals.Failed {
		t.Errorf("%d failure cards, want %d", failures, res.Totals.Failed)
	}
	page := string(data)
	for _, want := range []string{"Pass the token as a query parameter.", "conform reproducer", "&lt;script&gt;alert(1)", "fixed since", string(res.Verdict)} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
