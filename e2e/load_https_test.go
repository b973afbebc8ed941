package e2e_test

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/reference"
)

// TestLoadOverHTTPS loads the reference served over TLS with a self-signed certificate: with
// --ca-cert the load runs over TLS and every answer is a success; without it, one line names
// the certificate problem and the exit code is 2.
func TestLoadOverHTTPS(t *testing.T) {
	t.Parallel()
	hs := httptest.NewUnstartedServer(referenceHandler(t, reference.Options{}))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake refused below
	hs.StartTLS()
	t.Cleanup(hs.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"load", "--target", hs.URL, "--config", "fixtures/reference.yaml", "--profile", "jwt",
		"--scenario", "validate", "--users", "4", "--workers", "8", "--rate", "200/s", "--duration", "1s", "--report", "json"}

	r := conform(t, append(args, "--ca-cert", ca)...)
	// Beside the rest of make test on a crowded machine a 1 s run may miss its rate, and says so.
	if r.code != 0 && !(r.code == 1 && strings.Contains(r.stderr, "threshold valid")) {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var rep load.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, r.stdout)
	}
	if rep.Requests == 0 || rep.Successes != rep.Requests || rep.Settings == nil || rep.Settings.Protocol != "HTTP/1.1 over TLS" {
		t.Errorf("%d requests, %d successes, settings %+v; want every one a success over TLS", rep.Requests, rep.Successes, rep.Settings)
	}

	r = conform(t, args...)
	if r.code != 2 || r.stdout != "" || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "signed by an unknown authority") {
		t.Errorf("no --ca-cert: exit %d, stdout %q, stderr %q; want 2 and one line", r.code, r.stdout, r.stderr)
	}
}
