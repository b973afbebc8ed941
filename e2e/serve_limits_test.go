package e2e_test

import (
	"bufio"
	"io"
	"net"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeBoundsHalfSentHeaders opens 300 connections to `conform serve` that each send a
// megabyte of header lines and never finish them: the attack, which took the server
// to 786 MB. With headers bounded at 16 KiB each connection is answered 431 and closed early,
// and the server's peak memory stays small.
func TestServeBoundsHalfSentHeaders(t *testing.T) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--profile", "jwt")
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	peak := watchPeakRSS(cmd.Process.Pid)
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := bufio.NewScanner(out)
	addr := ""
	for addr == "" && lines.Scan() {
		if _, a, ok := strings.Cut(lines.Text(), "serving on http://"); ok {
			addr = a
		}
	}
	if addr == "" {
		t.Fatal("conform serve did not say where it serves")
	}
	go io.Copy(io.Discard, out)

	const conns, header = 300, 1 << 20
	line := "X-Pad: " + strings.Repeat("p", 4000) + "\r\n"
	var wg sync.WaitGroup
	var mu sync.Mutex
	answered := 0
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(20 * time.Second))
			go func() {
				io.WriteString(c, "GET /users/me HTTP/1.1\r\nHost: x\r\n")
				for n := 0; n < header; n += len(line) {
					if _, err := io.WriteString(c, line); err != nil {
						return
					}
				}
			}()
			if status, _ := bufio.NewReader(c).ReadString('\n'); strings.Contains(status, " 431 ") {
				mu.Lock()
				answered++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	cmd.Process.Kill()
	cmd.Wait()
	rss := peak()
	t.Logf("%d half-sent header blocks of 1 MiB: %d answered 431 in %s; server peak RSS %.1f MB", conns, answered, took.Round(time.Millisecond), float64(rss)/1e6)
	if answered != conns {
		t.Errorf("%d of %d connections answered 431 Request Header Fields Too Large", answered, conns)
	}
	if rss > 100e6 {
		t.Errorf("server peak RSS %.1f MB, want under 100 MB", float64(rss)/1e6)
	}
}
