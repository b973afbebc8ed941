package reference

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// TestSelfSignedCertServes: a client trusting only the PEM reaches the reference over TLS at
// 127.0.0.1 and at localhost, and gets the documented login.
func TestSelfSignedCertServes(t *testing.T) {
	cert, certPEM, err := SelfSignedCert(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", TLSConfig(cert))
	if err != nil {
		t.Fatal(err)
	}
	hs := HTTPServer(newTestServer(t, lpOnly).Handler())
	go hs.Serve(ln) //nolint:errcheck // ends at Close
	t.Cleanup(func() { hs.Close() })
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("the PEM holds no certificate")
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	for _, host := range []string{"127.0.0.1", "localhost"} {
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}, Timeout: 5 * time.Second}
		resp, err := c.Get("https://" + net.JoinHostPort(host, port) + "/projects")
		if err != nil {
			t.Errorf("%s: %v", host, err)
			continue
		}
		io.Copy(io.Discard, resp.Body) //nolint:errcheck // only the status matters
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: GET /projects without a token answered %d, want 401", host, resp.StatusCode)
		}
	}
}
