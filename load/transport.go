package load

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// fastTransport is the http.RoundTripper conform load gives vegeta (through its Client
// option) for a target with keep-alive, plain HTTP or HTTPS: a bounded pool of HTTP/1.1
// connections, each request written and its answer read on the calling worker's goroutine.
//
// Why not net/http's Transport: profiled against a bare handler, the generator spent most of
// its CPU not in the bytes on the wire but in handing each request between goroutines: the
// Transport runs a read loop and a write loop per connection and passes every request and
// answer through channels and selects, and http.Client's Timeout adds a context and a timer
// per request. With a fixed pool of workers, each owning a connection while its request is in
// flight, none of that is needed. The wire format stays net/http's own (see http1.go: the
// bytes of Request.Write, the reading of http.ReadResponse), so what is sent and how answers
// are read is unchanged.
//
// The request timeout is the connection's deadline, set when the request starts (or kept from
// the request before when within a 64th of the timeout, see exchange): it bounds connecting,
// sending and the answer up to its last byte, as http.Client's Timeout does. A
// request on a reused connection that the server had closed meanwhile is sent again once on a
// new connection, as net/http does. Anything else (another scheme or host) goes to fallback.
// Requests are written and answers read by http1.go: net/http's wire format, fewer copies;
// on Linux over raw system calls (rawio_linux.go), for HTTPS under tls.Conn (the handshake,
// the records and the session tickets are crypto/tls's, see tls.go; the records it writes and
// reads go through the same raw system calls).
type fastTransport struct {
	scheme   string // "http", or "https" with tls set
	urlHost  string // the host of the requests it sends, as their URLs write it
	host     string // host:port the pool connects to
	tls      *tls.Config
	dialer   *net.Dialer
	timeout  time.Duration
	slots    chan struct{} // one per open connection: at most Connections
	idle     chan *fastConn
	fallback http.RoundTripper
}

type fastConn struct {
	nc       net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	rc       respCache // what its answers repeat
	deadline time.Time // the connection's deadline as last set
}

// newFastTransport returns the pool for the requests to scheme://urlHost, which connects to
// host (urlHost with its port); tlsConf is the TLS configuration of an https target (see
// fastTLSConfig), nil for http.
func newFastTransport(scheme, urlHost, host string, tlsConf *tls.Config, conns int, timeout time.Duration, fallback http.RoundTripper) *fastTransport {
	return &fastTransport{
		scheme:   scheme,
		urlHost:  urlHost,
		host:     host,
		tls:      tlsConf,
		dialer:   &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second},
		timeout:  timeout,
		slots:    make(chan struct{}, conns),
		idle:     make(chan *fastConn, conns),
		fallback: fallback,
	}
}

// RoundTrip implements http.RoundTripper.
func (t *fastTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != t.scheme || req.URL.Host != t.urlHost {
		return t.fallback.RoundTrip(req)
	}
	deadline := time.Now().Add(t.timeout)
	if d, ok := req.Context().Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	for attempt := 0; ; attempt++ {
		c, reused, err := t.get(req.Context(), deadline)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(c, req, deadline)
		if err == nil {
			return resp, nil
		}
		t.discard(c)
		// A kept-alive connection the server closed while idle fails before any answer:
		// send again on a new one, when the body can be sent again.
		if !reused || attempt > 0 || !stale(err) || (req.Body != nil && req.GetBody == nil) {
			return nil, err
		}
		if req.GetBody != nil {
			if req.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

func (t *fastTransport) exchange(c *fastConn, req *http.Request, deadline time.Time) (*http.Response, error) {
	if err := t.setDeadline(c, deadline); err != nil {
		return nil, err
	}
	if err := writeRequest(c.bw, req); err != nil {
		return nil, err
	}
	return t.answer(c, req)
}

// setDeadline sets c's deadline for a request bounded by deadline.
func (t *fastTransport) setDeadline(c *fastConn, deadline time.Time) error {
	// A connection sends hundreds of requests a second; setting its deadline for each one
	// moves a runtime timer each time. The deadline set for a request a moment ago is kept
	// when it is at most a 64th of the timeout earlier than this request's own: the request
	// is then bounded by at least 63/64 of the timeout, never by more than all of it.
	if d := deadline.Sub(c.deadline); d < 0 || d > t.timeout/64 {
		if err := c.nc.SetDeadline(deadline); err != nil {
			return err
		}
		c.deadline = deadline
	}
	return nil
}

// sendWire is RoundTrip for a request written out beforehand (wire), seq put in at cut, the
// answer read as the answer to req.
func (t *fastTransport) sendWire(req *http.Request, wire []byte, cut int, seq uint64) (*http.Response, error) {
	deadline := time.Now().Add(t.timeout)
	for attempt := 0; ; attempt++ {
		c, reused, err := t.get(req.Context(), deadline)
		if err != nil {
			return nil, err
		}
		resp, err := t.exchangeWire(c, req, wire, cut, seq, deadline)
		if err == nil {
			return resp, nil
		}
		t.discard(c)
		// As RoundTrip: a kept-alive connection the server closed while idle; the bytes can
		// always be sent again.
		if !reused || attempt > 0 || !stale(err) {
			return nil, err
		}
	}
}

func (t *fastTransport) exchangeWire(c *fastConn, req *http.Request, wire []byte, cut int, seq uint64, deadline time.Time) (*http.Response, error) {
	if err := t.setDeadline(c, deadline); err != nil {
		return nil, err
	}
	c.bw.Write(wire[:cut])
	c.bw.Write(strconv.AppendUint(c.bw.AvailableBuffer(), seq, 10)) // no copy of the number to escape
	c.bw.Write(wire[cut:])
	return t.answer(c, req)
}

// answer flushes the request written to c and reads its answer.
func (t *fastTransport) answer(c *fastConn, req *http.Request) (*http.Response, error) {
	if err := c.bw.Flush(); err != nil {
		return nil, err
	}
	resp, plain, err := readResponse(c.br, req, &c.rc)
	if err != nil {
		return nil, err
	}
	if plain != nil {
		// A Content-Length body, read here from the connection's buffer.
		if plain.body.left == 0 {
			resp.Body = http.NoBody
			t.done(c, false)
			return resp, nil
		}
		plain.body.c, plain.body.t = c, t
		resp.Body = &plain.body
		return resp, nil
	}
	if resp.Body == http.NoBody || resp.Body == nil {
		t.done(c, resp.Close)
		resp.Body = http.NoBody
		return resp, nil
	}
	resp.Body = &fastBody{rc: resp.Body, c: c, t: t, close: resp.Close, left: -1}
	return resp, nil
}

// stale reports whether err is how a write to or read from a connection the server had
// already closed fails.
func stale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// get returns an idle connection, or a new one while fewer than the bound are open, else
// waits for one to become idle, until the deadline.
func (t *fastTransport) get(ctx context.Context, deadline time.Time) (c *fastConn, reused bool, err error) {
	select {
	case c := <-t.idle:
		return c, true, nil
	default:
	}
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case c := <-t.idle:
		return c, true, nil
	case t.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case <-timer.C:
		return nil, false, fmt.Errorf("no connection to %s within the timeout (%d open)", t.host, cap(t.slots))
	}
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	nc, _, tc, err := t.connect(dctx)
	if err != nil {
		<-t.slots
		return nil, false, err
	}
	if tc == nil {
		rw := newRawIO(nc)
		return &fastConn{nc: nc, br: bufio.NewReaderSize(rw, 4<<10), bw: bufio.NewWriterSize(rw, 4<<10)}, false, nil
	}
	// A TLS record holds up to 16 KiB: buffers of that size read and write one per call.
	return &fastConn{nc: tc, br: bufio.NewReaderSize(tc, 16<<10), bw: bufio.NewWriterSize(tc, 4<<10)}, false, nil
}

// connect dials the target and, over HTTPS, makes the TLS handshake, both bounded by ctx:
// the connection for the workers' pool and for an event loop alike. crypto/tls reads and
// writes its records through sw, with the same raw system calls as plain HTTP's requests.
func (t *fastTransport) connect(ctx context.Context) (nc net.Conn, sw *switchConn, tc *tls.Conn, err error) {
	if nc, err = t.dialer.DialContext(ctx, "tcp", t.host); err != nil {
		return nil, nil, nil, err
	}
	if t.tls == nil {
		return nc, nil, nil, nil
	}
	sw = &switchConn{Conn: nc, rw: newRawIO(nc)}
	tc = tls.Client(sw, t.tls)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, nil, nil, err
	}
	return nc, sw, tc, nil
}

// done returns c to the pool after a complete answer, or closes it when the answer said so.
func (t *fastTransport) done(c *fastConn, closeConn bool) {
	if closeConn {
		t.discard(c)
		return
	}
	select {
	case t.idle <- c:
	default:
		t.discard(c)
	}
}

func (t *fastTransport) discard(c *fastConn) {
	c.nc.Close()
	<-t.slots
}

// CloseIdleConnections closes the idle connections (http.Client.CloseIdleConnections).
func (t *fastTransport) CloseIdleConnections() {
	for {
		select {
		case c := <-t.idle:
			t.discard(c)
		default:
			if ci, ok := t.fallback.(interface{ CloseIdleConnections() }); ok {
				ci.CloseIdleConnections()
			}
			return
		}
	}
}

// fastBody gives the connection back once the answer has been read to its end; closed
// before that, the connection (holding the rest of the answer) is closed. A plain answer's
// body (left >= 0) is read from the connection's buffer; any other is net/http's (rc).
type fastBody struct {
	rc    io.ReadCloser
	c     *fastConn
	t     *fastTransport
	close bool
	done  bool
	left  int64 // bytes of a plain body still to read; -1 for rc
}

func (b *fastBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	if b.left < 0 {
		n, err := b.rc.Read(p)
		if err == io.EOF {
			b.done = true
			b.t.done(b.c, b.close)
		} else if err != nil {
			b.done = true
			b.t.discard(b.c)
		}
		return n, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.c.br.Read(p)
	b.left -= int64(n)
	switch {
	case b.left == 0:
		// The last bytes and the end together: the connection goes back at once.
		b.done = true
		b.t.done(b.c, false)
		return n, io.EOF
	case err == io.EOF:
		err = io.ErrUnexpectedEOF // as net/http's body says of an answer cut short
		fallthrough
	case err != nil:
		b.done = true
		b.t.discard(b.c)
	}
	return n, err
}

func (b *fastBody) Close() error {
	if !b.done {
		b.done = true
		b.t.discard(b.c)
	}
	return nil
}

// newClient is the HTTP client of every request of the run: connections bounded by
// Connections, no redirects followed (an answer is judged as it came), no gzip. A target with
// keep-alive, plain HTTP or HTTPS, gets fastTransport (HTTP/1.1); a proxy, a connection per
// request or --http2, net/http's, with the run's proxy, CA and --insecure applied.
func newClient(o Options, target string) *http.Client {
	d := &net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}
	std := &http.Transport{
		DialContext:         d.DialContext,
		MaxConnsPerHost:     o.Connections,
		MaxIdleConns:        o.Connections,
		MaxIdleConnsPerHost: o.Connections,
		IdleConnTimeout:     30 * time.Second,
		DisableKeepAlives:   o.NoKeepAlive,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	_ = o.transport().Apply(std) // the CA file was read by the preflight's client.New already
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if o.HTTP2 {
		// Offered by ALPN over TLS; over plain HTTP, HTTP/2 with prior knowledge (h2c).
		var p http.Protocols
		if strings.HasPrefix(target, "https:") {
			p.SetHTTP1(true)
			p.SetHTTP2(true)
		} else {
			p.SetUnencryptedHTTP2(true)
		}
		std.ForceAttemptHTTP2, std.Protocols = true, &p
		return &http.Client{Timeout: o.Timeout, Transport: &protoTransport{rt: std}, CheckRedirect: noRedirect}
	}
	// A proxy from the environment goes through net/http's transport, which speaks to it.
	if u, err := url.Parse(target); err == nil && (u.Scheme == "http" || u.Scheme == "https") && !o.NoKeepAlive && std.Proxy == nil {
		host, port := u.Host, map[string]string{"http": "80", "https": "443"}[u.Scheme]
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), port)
		}
		var tlsConf *tls.Config
		if u.Scheme == "https" {
			tlsConf = fastTLSConfig(std.TLSClientConfig, u.Hostname(), o.Connections)
		}
		// The transport bounds each request by its own deadline; the client adds none, so
		// the other host's requests (none in a run) get a timeout of their own.
		return &http.Client{Transport: newFastTransport(u.Scheme, u.Host, host, tlsConf, o.Connections, o.Timeout, timeoutTransport{std, o.Timeout}), CheckRedirect: noRedirect}
	}
	return &http.Client{Timeout: o.Timeout, Transport: std, CheckRedirect: noRedirect}
}

// timeoutTransport bounds each request by d, as http.Client's Timeout would, up to the end
// of the answer's body.
type timeoutTransport struct {
	rt http.RoundTripper
	d  time.Duration
}

func (t timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.d)
	resp, err := t.rt.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelBody{resp.Body, cancel}
	return resp, nil
}

func (t timeoutTransport) CloseIdleConnections() {
	if ci, ok := t.rt.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// protoTransport notes which protocols answered a --http2 run: net/http falls back to
// HTTP/1.1 when an https target does not offer h2, and the report must not claim HTTP/2 then.
type protoTransport struct {
	rt     http.RoundTripper
	h1, h2 atomic.Bool
}

func (t *protoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(req)
	if err == nil {
		seen := &t.h1
		if resp.ProtoMajor == 2 {
			seen = &t.h2
		}
		if !seen.Load() { // a store per answer would bounce the cache line between cores
			seen.Store(true)
		}
	}
	return resp, err
}

func (t *protoTransport) CloseIdleConnections() {
	if ci, ok := t.rt.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// protocol says what the run's requests were sent over, for the report: HTTP/1.1 unless
// --http2, and then what the answers came in.
func protocol(c *http.Client, target string) string {
	p := "HTTP/1.1"
	if t, ok := c.Transport.(*protoTransport); ok {
		switch h1, h2 := t.h1.Load(), t.h2.Load(); {
		case h2 && h1:
			p = "HTTP/2 and HTTP/1.1 (--http2: some connections fell back)"
		case h2:
			p = "HTTP/2"
		case h1:
			p = "HTTP/1.1 (--http2 asked, the target did not offer HTTP/2)"
		default:
			p = "HTTP/2 asked (--http2), no answer came"
		}
	}
	if strings.HasPrefix(target, "https:") {
		p += " over TLS"
	}
	return p
}
