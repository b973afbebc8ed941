// Command testsummary reads `go test -json` on stdin and writes what `go test` would have
// written, package by package as each finishes, then names the slowest packages. It is how
// `make test` shows progress and where its time goes; it is a build helper, not part of conform.
//
//	go test -json ./... | go run ./scripts/testsummary
//
// For each package it prints go test's own closing line ("ok  \tpkg\t1.2s", "?   \tpkg\t[no
// test files]", "FAIL\tpkg\t1.2s"); for a failing package it first prints, in full and in the
// order they came, the output of every failed (or unfinished) test and of the package itself,
// without the === RUN/PAUSE/CONT framing lines. Build errors are printed as they come. After
// the input ends it prints one line naming the slowest packages with their run times, and, when
// anything failed, the failed packages and a last line "FAIL", as go test does; it then exits 1.
// Input that is not JSON (several go test commands may share the pipe) is copied as it is.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	ok, err := summarize(os.Stdin, os.Stdout, 3)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json's TestEvent, with the build events'
// ImportPath).
type event struct {
	Time       time.Time
	Action     string
	Package    string
	Test       string
	Elapsed    float64 // seconds
	Output     string
	ImportPath string
}

// pkg is what is kept of a package until it finishes.
type pkg struct {
	lines []event         // output events in order, framing lines dropped
	done  map[string]bool // tests that passed or skipped; others are shown if the package fails
}

// finished is a package's outcome, for the closing lines.
type finished struct {
	name    string
	failed  bool
	elapsed time.Duration
	tests   bool // it ran a test binary (not "[no test files]")
}

// summarize copies in to w as described in the package comment, naming the slowest packages,
// and reports whether every package passed. A stream that ends with packages unfinished, or
// holds no package at all, did not pass.
func summarize(in io.Reader, w io.Writer, slowest int) (bool, error) {
	open := map[string]*pkg{}
	var order []string // packages in the order they started, for unfinished ones
	var results []finished
	buildFailed := false
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil || (e.Action == "" && e.ImportPath == "") {
			fmt.Fprintf(w, "%s\n", line)
			continue
		}
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
			continue
		case "build-fail":
			buildFailed = true
			continue
		}
		p := open[e.Package]
		if p == nil {
			p = &pkg{done: map[string]bool{}}
			open[e.Package] = p
			order = append(order, e.Package)
		}
		switch {
		case e.Action == "output":
			if !isFraming(e.Output) {
				p.lines = append(p.lines, e)
			}
		case e.Test != "" && (e.Action == "pass" || e.Action == "skip"):
			p.done[e.Test] = true
		case e.Test == "" && (e.Action == "pass" || e.Action == "skip" || e.Action == "fail"):
			failed := e.Action == "fail"
			for _, l := range p.lines {
				if failed && (l.Test == "" || !p.done[l.Test]) || !failed && l.Test == "" && isClosing(l.Output) {
					fmt.Fprint(w, l.Output)
				}
			}
			results = append(results, finished{name: e.Package, failed: failed,
				elapsed: time.Duration(e.Elapsed * float64(time.Second)), tests: e.Action != "skip"})
			delete(open, e.Package)
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("read go test -json: %w", err)
	}
	for _, name := range order {
		if p := open[name]; p != nil {
			// go test was killed, or a test binary died without its closing line.
			for _, l := range p.lines {
				fmt.Fprint(w, l.Output)
			}
			fmt.Fprintf(w, "FAIL\t%s\t[unfinished: the input ended before the package did]\n", name)
			results = append(results, finished{name: name, failed: true, tests: true})
		}
	}
	if len(results) == 0 {
		return false, fmt.Errorf("no package results on stdin: pipe `go test -json` into it")
	}
	ok := closing(w, results, slowest) && !buildFailed
	if !ok {
		fmt.Fprintln(w, "FAIL")
	}
	return ok, nil
}

// closing writes the line counting the packages and naming the slowest ones and, when some
// failed, the line naming those; it reports whether none failed.
func closing(w io.Writer, results []finished, slowest int) bool {
	ran := make([]finished, 0, len(results))
	var failed []string
	for _, r := range results {
		if r.tests {
			ran = append(ran, r)
		}
		if r.failed {
			failed = append(failed, r.name)
		}
	}
	sort.SliceStable(ran, func(i, j int) bool { return ran[i].elapsed > ran[j].elapsed })
	var names []string
	for _, r := range ran[:min(slowest, len(ran))] {
		names = append(names, fmt.Sprintf("%s %.1fs", r.name, r.elapsed.Seconds()))
	}
	fmt.Fprintf(w, "packages: %d ok, %d failed, %d without tests; slowest: %s\n",
		len(ran)-len(failed), len(failed), len(results)-len(ran), strings.Join(names, ", "))
	if len(failed) > 0 {
		fmt.Fprintf(w, "failed: %s\n", strings.Join(failed, " "))
	}
	return len(failed) == 0
}

// isFraming tells the lines go test -v adds around a test's own output, which plain go test
// does not print.
func isFraming(s string) bool {
	for _, p := range []string{"=== RUN ", "=== PAUSE ", "=== CONT ", "=== NAME "} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// isClosing tells go test's line for a package that passed or has no tests.
func isClosing(s string) bool {
	return strings.HasPrefix(s, "ok  \t") || strings.HasPrefix(s, "?   \t")
}
