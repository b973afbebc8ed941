package load

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// selfSigned is a certificate for 127.0.0.1 that is its own CA, valid from notBefore to
// notAfter, and the path of a PEM file holding it (for --ca-cert).
func selfSigned(t testing.TB, notBefore, notAfter time.Time) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "conform test"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

// caFile writes srv's certificate (httptest's, its own CA) to a PEM file, for --ca-cert.
func caFile(t testing.TB, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// jwtConfig is a target config with one jwt account.
func jwtConfig(t testing.TB) *config.File {
	t.Helper()
	cf, err := profile.Schema().Parse("test.yaml", []byte("jwt:\n  accounts: [{login: a@example.com, password: pw}]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cf
}

// quietTLS is an https test server for handler that logs no handshake errors (the tests
// below fail handshakes on purpose).
func quietTLS(t testing.TB, handler http.Handler, cert *tls.Certificate) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(handler)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cert != nil {
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// A certificate conform cannot trust is one error naming the problem, before any request:
// the server sees none.
func TestTLSPreflightNamesTheProblem(t *testing.T) {
	var requests atomic.Int32
	count := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) })
	now := time.Now()
	expired, expiredCA := selfSigned(t, now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	good := quietTLS(t, count, nil)
	old := quietTLS(t, count, &expired)
	plain := httptest.NewServer(count)
	defer plain.Close()
	for _, c := range []struct {
		name, target, ca, want string
	}{
		{"self-signed, no --ca-cert", good.URL, "", "signed by an unknown authority"},
		{"another name", strings.Replace(good.URL, "127.0.0.1", "localhost", 1), caFile(t, good), "not for this host name"},
		{"expired", old.URL, expiredCA, "has expired"},
		{"plain HTTP", strings.Replace(plain.URL, "http:", "https:", 1), "", "did not answer in TLS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := Options{Profile: "jwt", Scenario: "login", Target: c.target, Config: jwtConfig(t),
				Rate: Rate{From: 50, To: 50}, Duration: 200 * time.Millisecond, Transport: client.TransportOptions{CACert: c.ca}}
			start := time.Now()
			_, err := Run(context.Background(), o)
			var te *TLSError
			if !errors.As(err, &te) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v; want a TLSError saying %q, in one line", err, c.want)
			}
			if n := requests.Load(); n != 0 {
				t.Errorf("the server saw %d requests, want none", n)
			}
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("took %s", took)
			}
		})
	}
}

// With --ca-cert the load runs over TLS on the fast transport: every request of the load
// came with ALPN http/1.1, which only the fast transport offers (net/http's, which sends the
// preflight and the account check, offers none; checked here too). The report says so.
func TestLoadOverTLSOnTheFastPath(t *testing.T) {
	var mu sync.Mutex
	alpn := map[string]int{}
	srv := quietTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		alpn[r.TLS.NegotiatedProtocol]++
		mu.Unlock()
		okLogin(w, r)
	}), nil)
	o := Options{Profile: "jwt", Scenario: "login", Target: srv.URL, Config: jwtConfig(t), Rate: Rate{From: 100, To: 100},
		Duration: 300 * time.Millisecond, Workers: 4, Transport: client.TransportOptions{CACert: caFile(t, srv)}}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	fast, other := alpn["http/1.1"], alpn[""]
	mu.Unlock()
	if rep.Requests == 0 || rep.Successes != rep.Requests || uint64(fast) != rep.Requests || other > 2 {
		t.Errorf("%d requests, %d successes; the server saw %v (ALPN: count); want every load request with http/1.1", rep.Requests, rep.Successes, alpn)
	}
	if p := rep.Settings.Protocol; p != "HTTP/1.1 over TLS" {
		t.Errorf("protocol %q", p)
	}
	// net/http's transport (a connection per request) offers no ALPN.
	o.NoKeepAlive = true
	c := newClient(o, srv.URL)
	if _, ok := c.Transport.(*fastTransport); ok {
		t.Fatal("no keep-alive: want net/http's transport")
	}
	resp, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || resp.TLS.NegotiatedProtocol != "" {
		t.Errorf("net/http's transport negotiated %+v: ALPN does not tell the fast path", resp.TLS)
	}
}

// A connection opened again (here after an answer closing it) resumes its TLS session
// rather than paying a full handshake.
func TestFastTransportResumesTLSSessions(t *testing.T) {
	var resumed, full atomic.Int32
	srv := quietTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS.DidResume {
			resumed.Add(1)
		} else {
			full.Add(1)
		}
		w.Header().Set("Connection", "close")
		io.WriteString(w, "ok")
	}), nil)
	c := fastClient(t, srv.URL, 1, 5*time.Second, client.TransportOptions{CACert: caFile(t, srv)})
	for range 3 {
		resp, err := c.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if full.Load() != 1 || resumed.Load() != 2 {
		t.Errorf("%d full handshakes, %d resumed; want 1 and 2", full.Load(), resumed.Load())
	}
}

// recordingListener keeps what its connections read: behind a tls.Listener, the plaintext
// a client sent.
type recordingListener struct {
	net.Listener
	mu  *sync.Mutex
	got *bytes.Buffer
}

func (l recordingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return recordingConn{c, l.mu, l.got}, nil
}

type recordingConn struct {
	net.Conn
	mu  *sync.Mutex
	got *bytes.Buffer
}

func (c recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.got.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

// Over TLS the fast transport sends the bytes net/http's transport sends, request for
// request (TestWriteRequestAsNetHTTP compares the plain writer with Request.Write).
func TestFastTransportTLSSendsAsNetHTTP(t *testing.T) {
	cert, ca := selfSigned(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got bytes.Buffer
	ln := recordingListener{tls.NewListener(tcp, &tls.Config{Certificates: []tls.Certificate{cert}}), &mu, &got}
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "ok")
	}), ErrorLog: log.New(io.Discard, "", 0)}
	go hs.Serve(ln)
	defer hs.Close()
	base := "https://" + tcp.Addr().String()

	send := func(c *http.Client) string {
		t.Helper()
		mu.Lock()
		got.Reset()
		mu.Unlock()
		for _, r := range []struct {
			method, path, body string
			header             http.Header
		}{
			{"GET", "/users/me", "", http.Header{"Token": {"abc"}, "X-Forwarded-For": {"10.0.0.1"}}},
			{"POST", "/users/login?a=1", `{"login":"a@example.com","password":"pw"}`, http.Header{"Content-Type": {"application/json"}}},
			{"POST", "/empty", "", nil},
			{"DELETE", "/users/me", "", http.Header{"Authorization": {"Bearer x.y.z"}, "User-Agent": {"conform"}}},
		} {
			var body io.Reader
			if r.body != "" {
				body = strings.NewReader(r.body)
			}
			req, err := http.NewRequest(r.method, base+r.path, body)
			if err != nil {
				t.Fatal(err)
			}
			for k, vs := range r.header {
				req.Header[k] = vs
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		c.CloseIdleConnections()
		mu.Lock()
		defer mu.Unlock()
		return got.String()
	}
	fc := fastClient(t, base, 1, 5*time.Second, client.TransportOptions{CACert: ca})
	fast := send(fc)
	std := send(&http.Client{Transport: fc.Transport.(*fastTransport).fallback.(timeoutTransport).rt})
	if fast == "" || fast != std {
		t.Errorf("fast transport sent:\n%q\nnet/http's:\n%q", fast, std)
	}
}

// --http2 sends over HTTP/2 to a target that offers it, and the report says so; without it
// the same target is loaded over HTTP/1.1.
func TestHTTP2(t *testing.T) {
	var mu sync.Mutex
	protos := map[string]int{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		protos[r.Proto]++
		mu.Unlock()
		okLogin(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	ca := caFile(t, srv)
	for _, c := range []struct {
		http2      bool
		wire, want string
	}{
		{true, "HTTP/2.0", "HTTP/2 over TLS"},
		{false, "HTTP/1.1", "HTTP/1.1 over TLS"},
	} {
		mu.Lock()
		clear(protos)
		mu.Unlock()
		o := Options{Profile: "jwt", Scenario: "login", Target: srv.URL, Config: jwtConfig(t), Rate: Rate{From: 100, To: 100},
			Duration: 300 * time.Millisecond, Workers: 4, HTTP2: c.http2, Transport: client.TransportOptions{CACert: ca}}
		rep, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		n := protos[c.wire]
		mu.Unlock()
		if rep.Requests == 0 || rep.Successes != rep.Requests || uint64(n) < rep.Requests || rep.Settings.Protocol != c.want {
			t.Errorf("--http2=%v: %d requests, %d successes, the server saw %v, protocol %q; want every request over %s, %q",
				c.http2, rep.Requests, rep.Successes, protos, rep.Settings.Protocol, c.wire, c.want)
		}
	}

	// h2c: HTTP/2 with prior knowledge to an http target.
	h2c := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			w.WriteHeader(http.StatusHTTPVersionNotSupported)
			return
		}
		okLogin(w, r)
	}))
	h2c.Config.Protocols = new(http.Protocols)
	h2c.Config.Protocols.SetHTTP1(true) // the preflight and the account check are HTTP/1.1
	h2c.Config.Protocols.SetUnencryptedHTTP2(true)
	h2c.Start()
	defer h2c.Close()
	rep, err := Run(context.Background(), Options{Profile: "jwt", Scenario: "login", Target: h2c.URL, Config: jwtConfig(t),
		Rate: Rate{From: 100, To: 100}, Duration: 300 * time.Millisecond, Workers: 4, HTTP2: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests == 0 || rep.Successes != rep.Requests || rep.Settings.Protocol != "HTTP/2" {
		t.Errorf("h2c: %d requests, %d successes, protocol %q, codes %v", rep.Requests, rep.Successes, rep.Settings.Protocol, rep.Codes)
	}

	o := Options{Profile: "jwt", Scenario: "login", Rate: Rate{From: 1, To: 1}, HTTP2: true}
	var oe *OptionError
	if err := o.Normalize(); !errors.As(err, &oe) || oe.Option != "http2" {
		t.Errorf("--http2 on the embedded reference: %v", err)
	}
}

// --insecure loads a target whose certificate names another host (or no trusted CA), and the
// handshake names the target's host (SNI), as net/http's does.
func TestTLSInsecureAndSNI(t *testing.T) {
	var mu sync.Mutex
	names := map[string]int{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(okLogin))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	defer srv.Close()
	base := srv.TLS.Clone()
	srv.TLS.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		mu.Lock()
		names[hello.ServerName]++
		mu.Unlock()
		return base, nil
	}
	target := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	o := Options{Profile: "jwt", Scenario: "login", Target: target, Config: jwtConfig(t), Rate: Rate{From: 50, To: 50},
		Duration: 200 * time.Millisecond, Workers: 2, Transport: client.TransportOptions{Insecure: true}}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if rep.Requests == 0 || rep.Successes != rep.Requests || names["localhost"] == 0 || len(names) != 1 {
		t.Errorf("%d requests, %d successes, server names %v; want every handshake naming localhost", rep.Requests, rep.Successes, names)
	}
}

// A kept-alive TLS connection the server closed while idle is not an error: the request goes
// out again on a new connection.
func TestFastTransportTLSStaleConnection(t *testing.T) {
	srv := quietTLS(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }), nil)
	c := fastClient(t, srv.URL, 1, time.Second, client.TransportOptions{CACert: caFile(t, srv)})
	for i := range 3 {
		resp, err := c.Post(srv.URL, "text/plain", bytes.NewReader([]byte("body")))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		srv.CloseClientConnections()
		time.Sleep(10 * time.Millisecond)
	}
}
