package main

import (
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
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
	ok, err := summarize(&out, 3, input{"fail.json", in})
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
	ok, err := summarize(&out, 1, input{"pass", strings.NewReader(in)})
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
	ok, err := summarize(&out, 3, input{"hung", strings.NewReader(in)})
	if err != nil || ok || !strings.Contains(out.String(), "h_test.go:3: waiting\nFAIL\tm/hung\t[unfinished") || !strings.HasSuffix(out.String(), "\nFAIL\n") {
		t.Errorf("ok %v, err %v, output:\n%s", ok, err, out.String())
	}
}

// An input without packages is a go test that did not start (a bad pattern, a broken go.mod):
// the run fails even when the other input passed.
func TestInputWithoutPackagesFails(t *testing.T) {
	pass := `{"Action":"output","Package":"m/a","Output":"ok  \tm/a\t0.100s\n"}
{"Action":"pass","Package":"m/a","Elapsed":0.1}
`
	var out strings.Builder
	ok, err := summarize(&out, 3, input{"a", strings.NewReader(pass)}, input{"/dev/fd/63", strings.NewReader("")})
	want := "ok  \tm/a\t0.100s\nFAIL\t[/dev/fd/63 held no package: did its go test -json start?]\n" +
		"packages: 1 ok, 0 failed, 0 without tests; slowest: m/a 0.1s\nFAIL\n"
	if err != nil || ok || out.String() != want {
		t.Errorf("ok %v, err %v, output:\n%s\nwant:\n%s", ok, err, out.String(), want)
	}
}

// Two inputs are read side by side: a package's line comes when it ends, whichever input it is in.
func TestInputsAreReadSideBySide(t *testing.T) {
	slowR, slowW := io.Pipe()
	out := &signalWriter{on: "m/fast", seen: make(chan struct{})}
	done := make(chan bool)
	go func() {
		ok, _ := summarize(out, 3, input{"slow", slowR}, input{"fast", strings.NewReader(`{"Action":"output","Package":"m/fast","Output":"ok  \tm/fast\t0.1s\n"}
{"Action":"pass","Package":"m/fast","Elapsed":0.1}
`)})
		done <- ok
	}()
	select {
	case <-out.seen:
	case <-time.After(5 * time.Second):
		t.Fatal("m/fast was not reported while the slow input was still open")
	}
	io.WriteString(slowW, `{"Action":"output","Package":"m/slow","Output":"ok  \tm/slow\t9s\n"}`+"\n")
	io.WriteString(slowW, `{"Action":"pass","Package":"m/slow","Elapsed":9}`+"\n")
	slowW.Close()
	ok := <-done
	got := out.String()
	if !ok || !strings.HasSuffix(got, "slowest: m/slow 9.0s, m/fast 0.1s\n") {
		t.Errorf("ok %v, output:\n%s", ok, got)
	}
}

// signalWriter closes seen when a write contains on.
type signalWriter struct {
	mu   sync.Mutex
	b    strings.Builder
	on   string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if strings.Contains(string(p), w.on) {
		w.once.Do(func() { close(w.seen) })
	}
	return w.b.Write(p)
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
