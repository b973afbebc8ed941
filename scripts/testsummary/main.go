// Command testsummary reads `go test -json` and writes what `go test` would have written,
// package by package as each finishes, then names the slowest packages. It is how `make test`
// shows progress and where its time goes; it is a build helper, not part of conform.
//
//	go test -json ./... | go run ./scripts/testsummary
//	go run ./scripts/testsummary <(go test -json -race ./lib/...) <(go test -json ./e2e/...)
//
// It reads the files named as arguments, or stdin without any, all at the same time and line
// by line, so several go test commands can run side by side and report as their packages end.
// For each package it prints go test's own closing line ("ok  \tpkg\t1.2s", "?   \tpkg\t[no
// test files]", "FAIL\tpkg\t1.2s"); for a failing package it first prints, in full and in the
// order they came, the output of every failed (or unfinished) test and of the package itself,
// without the === RUN/PAUSE/CONT framing lines. Build errors are printed as they come. Lines
// that are not JSON are copied as they are. After the input ends it prints one line counting
// the packages and naming the slowest with their run times, and, when anything failed (or an
// input held no package at all: its go test did not start), the failed packages and a last
// line "FAIL", as go test does; it then exits 1.
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
	inputs := []input{{name: "stdin", r: os.Stdin}}
	if len(os.Args) > 1 {
		inputs = inputs[:0]
		for _, path := range os.Args[1:] {
			f, err := os.Open(path)
			if err != nil {
				fmt.Fprintln(os.Stderr, "testsummary:", err)
				os.Exit(1)
			}
			defer f.Close()
			inputs = append(inputs, input{name: path, r: f})
		}
	}
	ok, err := summarize(os.Stdout, 3, inputs...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// input is one go test -json stream.
type input struct {
	name string
	r    io.Reader
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

// line is one line of input i, or (err or end) the end of input i.
type line struct {
	i    int
	text []byte
	end  bool
	err  error
}

// summarize copies the inputs to w as described in the package comment, naming the slowest
// packages, and reports whether every package passed. An input that ends with packages
// unfinished, or holds no package at all, did not pass. The error is a failure to read.
func summarize(w io.Writer, slowest int, inputs ...input) (bool, error) {
	lines := make(chan line)
	for i, in := range inputs {
		go func() {
			sc := bufio.NewScanner(in.r)
			sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
			for sc.Scan() {
				lines <- line{i: i, text: append([]byte(nil), sc.Bytes()...)}
			}
			lines <- line{i: i, end: true, err: sc.Err()}
		}()
	}

	// A package is keyed by its input as well: one package may run in two inputs (the
	// reference's bcrypt-bound tests run outside the race detector).
	type key struct {
		input int
		name  string
	}
	open := map[key]*pkg{}
	var order []key // packages in the order they started, for unfinished ones
	var results []finished
	packages := make([]int, len(inputs)) // packages seen per input
	ok := true
	var readErr error
	for ended := 0; ended < len(inputs); {
		l := <-lines
		if l.end {
			ended++
			if l.err != nil && readErr == nil {
				readErr = fmt.Errorf("read %s: %w", inputs[l.i].name, l.err)
			}
			continue
		}
		var e event
		if len(l.text) == 0 || l.text[0] != '{' || json.Unmarshal(l.text, &e) != nil || (e.Action == "" && e.ImportPath == "") {
			fmt.Fprintf(w, "%s\n", l.text)
			continue
		}
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
			continue
		case "build-fail":
			ok = false
			continue
		}
		k := key{l.i, e.Package}
		p := open[k]
		if p == nil {
			p = &pkg{done: map[string]bool{}}
			open[k] = p
			order = append(order, k)
			packages[l.i]++
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
			delete(open, k)
		}
	}
	if readErr != nil {
		return false, readErr
	}
	for _, k := range order {
		name := k.name
		if p := open[k]; p != nil {
			// go test was killed, or a test binary died without its closing line.
			for _, l := range p.lines {
				fmt.Fprint(w, l.Output)
			}
			fmt.Fprintf(w, "FAIL\t%s\t[unfinished: the input ended before the package did]\n", name)
			results = append(results, finished{name: name, failed: true, tests: true})
		}
	}
	for i, n := range packages {
		if n == 0 {
			fmt.Fprintf(w, "FAIL\t[%s held no package: did its go test -json start?]\n", inputs[i].name)
			ok = false
		}
	}
	if !closing(w, results, slowest) {
		ok = false
	}
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
