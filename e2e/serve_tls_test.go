package e2e_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
)

// TestServeOverTLSPassesEverySpec runs every spec, should-level included, against `conform
// serve --tls-self-signed`, trusting the certificate whose path serve prints (--ca-cert): the
// reference over HTTPS is the same service. The binary serves the fixture users hashed at
// bcrypt cost 4 (fastUsersFile), as the in-process references of these tests do.
func TestServeOverTLSPassesEverySpec(t *testing.T) {
	t.Parallel()
	smtpAddr, webhookAddr, addr := freeAddr(t), freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin, "serve", "--addr", addr, "--test-clock", "--tls-self-signed", "--users", fastUsersFile(t),
		"--bcrypt-cost", "4", "--smtp", smtpAddr, "--sms-webhook", "http://"+webhookAddr+"/sms", "--jwt-secret", e2eJWTKey)
	cmd.Dir = ".."
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	banner := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "Check it with") {
				banner <- b.String()
				break
			}
		}
		for sc.Scan() { // keep the pipe drained
		}
		close(banner)
	}()
	var text string
	select {
	case text = <-banner:
	case <-time.After(10 * time.Second):
		t.Fatal("conform serve printed no banner within 10 s")
	}
	ca := regexp.MustCompile(`--ca-cert: (\S+)`).FindStringSubmatch(text)
	if ca == nil || !strings.Contains(text, "serving on https://"+addr) {
		t.Fatalf("the banner names no https URL on %s and certificate path:\n%s", addr, text)
	}
	cfg := configWith(t, fixtures.ReferenceConfig, map[string]string{
		"127.0.0.1:2525": smtpAddr, "127.0.0.1:8025": webhookAddr,
		"timeout: " + referenceCodeTimeout: "timeout: " + fastCodeTimeout,
		jwtSection:                         jwtSectionWithKey(e2eJWTKey),
	})
	r := conform(t, "run", "--target", "https://"+addr, "--ca-cert", ca[1], "--config", cfg, "--strict", "--seed", "1", "--explore-steps", "200", "--explore-time", "60s")
	if r.code != 0 || r.report == nil {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, s := range r.report.Specs {
		if s.State != suites.Passed {
			t.Errorf("%s: %s %s", s.ID, s.State, s.SkipReason)
		}
	}
	if !strings.HasPrefix(r.report.Target, "https://") {
		t.Errorf("report target %q, want the https URL", r.report.Target)
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if _, err := os.Stat(ca[1]); !os.IsNotExist(err) {
		t.Errorf("the certificate file %s outlived the server: %v", ca[1], err)
	}
}

// fastUsersFile writes fixtures/users.yaml with every hash replaced by fastUsers' (bcrypt cost
// 4), for a `conform serve` binary.
func fastUsersFile(t *testing.T) string {
	t.Helper()
	slow, err := reference.DefaultUsers()
	if err != nil {
		t.Fatal(err)
	}
	fast, err := fastUsers()
	if err != nil {
		t.Fatal(err)
	}
	text := string(fixtures.Users)
	for i := range slow {
		text = strings.Replace(text, slow[i].PasswordHash, fast[i].PasswordHash, 1)
		if slow[i].APISecretHash != "" {
			text = strings.Replace(text, slow[i].APISecretHash, fast[i].APISecretHash, 1)
		}
	}
	p := filepath.Join(t.TempDir(), "users.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
