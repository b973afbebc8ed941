package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// fastTransport is the http.RoundTripper conform load gives vegeta (through its Client
// option) for a plain-HTTP target with keep-alive: a bounded pool of HTTP/1.1 connections, each
// request written and its answer read on the calling worker's goroutine.
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
// new connection, as net/http does. Anything else (HTTPS, another host) goes to fallback.
// Requests are written and answers read by http1.go: net/http's wire format, fewer copies;
// on Linux over raw system calls (rawio_linux.go).
type fastTransport struct {
	host     string // host:port the pool connects to
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

func newFastTransport(host string, conns int, timeout time.Duration, fallback http.RoundTripper) *fastTransport {
	return &fastTransport{
		host:     host,
		dialer:   &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second},
		timeout:  timeout,
		slots:    make(chan struct{}, conns),
		idle:     make(chan *fastConn, conns),
		fallback: fallback,
	}
}

// RoundTrip implements http.RoundTripper.
func (t *fastTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "http" || req.URL.Host != t.host {
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
	// A connection sends hundreds of requests a second; setting its deadline for each one
	// moves a runtime timer each time. The deadline set for a request a moment ago is kept
	// when it is at most a 64th of the timeout earlier than this request's own: the request
	// is then bounded by at least 63/64 of the timeout, never by more than all of it.
	if d := deadline.Sub(c.deadline); d < 0 || d > t.timeout/64 {
		if err := c.nc.SetDeadline(deadline); err != nil {
			return nil, err
		}
		c.deadline = deadline
	}
	if err := writeRequest(c.bw, req); err != nil {
		return nil, err
	}
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
	nc, err := t.dialer.DialContext(dctx, "tcp", t.host)
	if err != nil {
		<-t.slots
		return nil, false, err
	}
	rw := newRawIO(nc)
	return &fastConn{nc: nc, br: bufio.NewReaderSize(rw, 4<<10), bw: bufio.NewWriterSize(rw, 4<<10)}, false, nil
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
// Connections, no redirects followed (an answer is judged as it came), no gzip. A plain-HTTP
// target with keep-alive gets fastTransport; HTTPS, a proxy, or a connection per request,
// net/http's, with the run's proxy, CA and --insecure applied.
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
	// A proxy from the environment goes through net/http's transport, which speaks to it.
	if u, err := url.Parse(target); err == nil && u.Scheme == "http" && !o.NoKeepAlive && std.Proxy == nil {
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), "80")
		}
		// The transport bounds each request by its own deadline; the client adds none, so
		// the other host's requests (none in a run) get a timeout of their own.
		return &http.Client{Transport: newFastTransport(host, o.Connections, o.Timeout, timeoutTransport{std, o.Timeout}), CheckRedirect: noRedirect}
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
