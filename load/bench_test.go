//go:build unix

package load

import (
	"bufio"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conformhq/conform/client"
)

// benchServerEnv, set in the environment of this test binary, makes it the bare server of
// BenchmarkLoad ("http" or "https") instead of running tests: see TestMain.
const benchServerEnv = "CONFORM_LOAD_BENCH_SERVER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(benchServerEnv); mode != "" {
		serveBare(mode)
		return
	}
	os.Exit(m.Run())
}

// serveBare serves the bench's bare handler (scripts/benchtool's: a constant login and a
// constant probe answer) over mode, prints its URL (and, over https, writes its certificate to
// the path in CONFORM_LOAD_BENCH_CA) and serves until its stdin closes.
func serveBare(mode string) {
	login := []byte(`{"uid":"00000000-0000-4000-8000-000000000001","token":"bare-token"}`)
	body := []byte(`{"status":"success","result":[]}`)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /users/login", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(login)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Write(body)
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if mode == "https" {
		srv.StartTLS() // HTTP/1.1 only: httptest enables HTTP/2 only when asked
		ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
		if err := os.WriteFile(os.Getenv("CONFORM_LOAD_BENCH_CA"), ca, 0o600); err != nil {
			fmt.Println("error:", err)
			return
		}
	} else {
		srv.Start()
	}
	fmt.Println(srv.URL)
	io.Copy(io.Discard, os.Stdin)
}

// BenchmarkLoad is conform load's validate scenario at its ceiling (asked for more than it can
// send, for 2 s) against the bare handler in another process, over plain HTTP and over TLS: the
// whole path of a hit (the dispatcher over vegeta's pacer and targets, the transport, the
// judging of each answer). It reports the CPU (user+sys, from rusage) this process spent per
// answer, the figure make bench's (d') and (f') compare with bombardier's, which the machine's
// other load disturbs less than the rate (also reported), though not nothing: compare runs
// interleaved. With -cpuprofile it shows where a hit's time goes, without the server's. Run with
// -benchtime 1x (each iteration is a 2 s load).
func BenchmarkLoad(b *testing.B) {
	for _, mode := range []string{"http", "https"} {
		b.Run(mode, func(b *testing.B) {
			ca := filepath.Join(b.TempDir(), "ca.pem")
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), benchServerEnv+"="+mode, "CONFORM_LOAD_BENCH_CA="+ca)
			in, err := cmd.StdinPipe()
			if err != nil {
				b.Fatal(err)
			}
			out, err := cmd.StdoutPipe()
			if err != nil {
				b.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			defer cmd.Wait()
			defer in.Close()
			url, err := bufio.NewReader(out).ReadString('\n')
			if url = strings.TrimSpace(url); err != nil || !strings.HasPrefix(url, "http") {
				b.Fatalf("bench server: %q %v", url, err)
			}
			o := Options{Profile: "jwt", Scenario: "validate", Target: url, Config: jwtConfig(b), Users: 1,
				Rate: Rate{From: 200000, To: 200000}, Duration: 2 * time.Second, Name: "bench-most"}
			if mode == "https" {
				o.Transport = client.TransportOptions{CACert: ca}
			}
			defer TuneGC()() // as conform load does
			var answers uint64
			var cpu, wall time.Duration
			for b.Loop() {
				before, start := cpuTime(b), time.Now()
				rep, err := Run(context.Background(), o)
				if err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime(b) - before
				wall += time.Since(start)
				if rep.Successes != rep.Requests {
					b.Fatalf("%d of %d requests succeeded: %v", rep.Successes, rep.Requests, rep.Errors)
				}
				answers += rep.Requests
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(answers), "cpu-ns/answer")
			b.ReportMetric(float64(answers)/wall.Seconds(), "answers/s")
		})
	}
}

// cpuTime is the user and system time this process has used.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
