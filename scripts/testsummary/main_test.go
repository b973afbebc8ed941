package main

import (
	"os"
	"strings"
	"testing"
)

// testdata/fail.json is `go test -json ./...` over three packages: tsx/a with a passing test
// and a parent whose parallel subtest sub1 fails while sub2 passes, tsx/b that does not
// compile, and tsx/c without tests.
func TestFailingRunShowsFailuresOnlyAndEndsWithFAIL(t *testing.T) {
	in, err := os.Open("testdata/fail.json")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var out strings.Builder
	ok, err := summarize(in, &out, 3)
	if err != nil || ok {
		t.Fatalf("summarize: ok %v, err %v; want a failure", ok, err)
	}
	want := `# tsx/b [tsx/b.test]
b/b_test.go:3:40: cannot use "s" (untyped string constant) as int value in variable declaration
FAIL	tsx/b [build failed]
?   	tsx/c	[no test files]
    a_test.go:5: sub1 broke
--- FAIL: TestBad/sub1 (0.00s)
--- FAIL: TestBad (0.00s)
FAIL
FAIL	tsx/a	0.004s
packages: 0 ok, 2 failed, 1 without tests; slowest: tsx/a 0.0s, tsx/b 0.0s
failed: tsx/b tsx/a
FAIL
`
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestPassingRunPrintsOkLinesAndTheSlowest(t *testing.T) {
	in := `{"Action":"start","Package":"m/fast"}
{"Action":"start","Package":"m/slow"}
{"Action":"run","Package":"m/slow","Test":"TestS"}
{"Action":"output","Package":"m/slow","Test":"TestS","Output":"=== RUN   TestS\n"}
{"Action":"output","Package":"m/slow","Test":"TestS","Output":"    s_test.go:9: chatter\n"}
{"Action":"pass","Package":"m/slow","Test":"TestS","Elapsed":12.3}
{"Action":"output","Package":"m/slow","Output":"PASS\n"}
go: a line that is not JSON
{"Action":"output","Package":"m/fast","Output":"ok  \tm/fast\t0.100s\n"}
{"Action":"pass","Package":"m/fast","Elapsed":0.1}
{"Action":"output","Package":"m/slow","Output":"ok  \tm/slow\t12.400s\n"}
{"Action":"pass","Package":"m/slow","Elapsed":12.4}
`
	var out strings.Builder
	ok, err := summarize(strings.NewReader(in), &out, 1)
	if err != nil || !ok {
		t.Fatalf("summarize: ok %v, err %v; want a pass", ok, err)
	}
	want := "go: a line that is not JSON\nok  \tm/fast\t0.100s\nok  \tm/slow\t12.400s\npackages: 2 ok, 0 failed, 0 without tests; slowest: m/slow 12.4s\n"
	if out.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", out.String(), want)
	}
}

func TestCutOffRunFails(t *testing.T) {
	in := `{"Action":"start","Package":"m/hung"}
{"Action":"run","Package":"m/hung","Test":"TestH"}
{"Action":"output","Package":"m/hung","Test":"TestH","Output":"    h_test.go:3: waiting\n"}
`
	var out strings.Builder
	ok, err := summarize(strings.NewReader(in), &out, 3)
	if err != nil || ok || !strings.Contains(out.String(), "h_test.go:3: waiting\nFAIL\tm/hung\t[unfinished") || !strings.HasSuffix(out.String(), "\nFAIL\n") {
		t.Errorf("ok %v, err %v, output:\n%s", ok, err, out.String())
	}
	if ok, err := summarize(strings.NewReader(""), &out, 3); ok || err == nil {
		t.Errorf("empty input: ok %v, err %v; want an error", ok, err)
	}
}
