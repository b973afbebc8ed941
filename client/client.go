// Package client is conform's HTTP client to the server under test. It sends from chosen
// client addresses (bound loopback source addresses or a trusted header), honours 429
// Retry-After within a bound, keeps a transcript of every exchange for failure reports, and
// renders each exchange as a curl command, with the run's secrets masked (package redact) in
// every exchange and error it records.
//
// Whatever a target sends, what conform holds of it is bounded: each attempt ends within the
// timeout (a body that stalls included), at most 4 MiB of a body is read, at most three 429
// retries are made, a transcript keeps clipped bodies and values of its spec's last 32
// exchanges, and no JSON answer is parsed deeper than MaxJSONDepth. What reaches a terminal is
// escaped (Printable).
package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/redact"
)

// Options configures a Target.
type Options struct {
	// URL is the target's base URL, e.g. http://127.0.0.1:8080.
	URL string
	// Timeout bounds each attempt of a request, from connecting to the last byte of the
	// answer's body; a body that stalls past it is a transport failure.
	Timeout time.Duration
	// MaxRetryWait bounds the total time one request spends waiting out 429 answers (at
	// most three retries, each at least 250 ms, doubling); default Timeout.
	MaxRetryWait time.Duration
	// ClientIPs says how to send from distinct client addresses; nil picks source mode on a
	// loopback target and none otherwise.
	ClientIPs *config.ClientIPs
	// Redactor masks the run's secrets in transcripts, curl lines and errors; nil masks
	// nothing.
	Redactor *redact.Redactor
	// Replay, when set, rewrites each request for reproducer scripts (Exchange.Replay).
	Replay Parameterizer
	// Transport holds the proxy, CA and extra-header options of every connection.
	Transport TransportOptions
	// Instances are base URLs of instances of the target's deployment (config instances),
	// sent to in turn instead of URL; see instances.go.
	Instances []string
}

// Client is a server under test.
type Client struct {
	base    *url.URL
	opts    Options
	ips     config.ClientIPs
	redact  *redact.Redactor
	mu      sync.Mutex
	clients map[string]*http.Client // by source address; "" is the default
	log     *Transcript
	failRun int // consecutive transport failures, to stop a run against a dead target early
	inst    instances
	turn    atomic.Uint64 // requests sent, for the instances' round-robin
}

// New checks opts and returns a Target. It does not contact the server: see Preflight.
func New(opts Options) (*Client, error) {
	u, err := url.Parse(opts.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("target %q is not an http(s) URL like http://127.0.0.1:8080", opts.URL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	if opts.Timeout <= 0 {
		opts.Timeout = 5 * time.Second
	}
	if opts.MaxRetryWait <= 0 {
		opts.MaxRetryWait = opts.Timeout
	}
	if _, err := opts.Transport.TLSConfig(); err != nil {
		return nil, err
	}
	t := &Client{base: u, opts: opts, clients: map[string]*http.Client{}, log: &Transcript{}, redact: opts.Redactor}
	t.ips = t.resolveClientIPs(opts.ClientIPs)
	if t.inst, err = parseInstances(opts.Instances); err != nil {
		return nil, err
	}
	return t, nil
}

// resolveClientIPs applies the default: bound source addresses work only when the target is on
// loopback, since a packet from 127.0.0.2 cannot leave the machine.
func (t *Client) resolveClientIPs(c *config.ClientIPs) config.ClientIPs {
	if c != nil {
		return *c
	}
	if t.IsLoopback() {
		return config.ClientIPs{Mode: "source", Addresses: []string{"127.0.0.2", "127.0.0.3"}}
	}
	return config.ClientIPs{Mode: "none"}
}

// IsLoopback reports whether the target's host is a loopback address or localhost.
func (t *Client) IsLoopback() bool {
	h := t.base.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// URL returns the target's base URL.
func (t *Client) URL() string { return t.base.String() }

// ClientIPs returns the client addresses per-IP specs may use and why there are none when
// there are none.
func (t *Client) ClientIPs() ([]string, string) {
	switch {
	case t.ips.Mode == "none":
		return nil, "client_ips.mode is none (set client_ips in the config: source addresses on a loopback target, or a header the target trusts)"
	case t.ips.Mode == "source" && !t.IsLoopback():
		return nil, "client_ips.mode is source but the target is not on loopback; use mode: header with a header the target trusts"
	case len(t.ips.Addresses) < 2:
		return nil, "fewer than two client_ips.addresses"
	}
	return t.ips.Addresses, ""
}

// Transcript returns the running transcript; the runner resets it before each spec.
func (t *Client) Transcript() *Transcript { return t.log }

func (t *Client) httpClient(source string) *http.Client {
	key := ""
	if t.ips.Mode == "source" {
		key = source
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if c, ok := t.clients[key]; ok {
		return c
	}
	d := &net.Dialer{Timeout: t.opts.Timeout}
	if key != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(key)}
	}
	tr := &http.Transport{
		DialContext:         d.DialContext,
		TLSHandshakeTimeout: t.opts.Timeout,
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     30 * time.Second,
		// Login answers carry a few headers; a target that sends megabytes of them is
		// a transport failure, not something to hold in memory (net/http allows 10 MiB).
		MaxResponseHeaderBytes: maxResponseHeader,
	}
	_ = t.opts.Transport.Apply(tr) // New checked the CA file already
	c := &http.Client{
		Timeout:   t.opts.Timeout,
		Transport: tr,
		// A spec looks at the answer the server gave, not where a redirect leads.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.clients[key] = c
	return c
}

// maxResponseHeader bounds the header block of an answer conform accepts.
const maxResponseHeader = 256 << 10

// Preflight proves the target answers HTTP at all, within a few seconds, so an unreachable
// target costs one clear line instead of a timeout per spec.
func (t *Client) Preflight(ctx context.Context) error {
	wait := min(t.opts.Timeout, 3*time.Second)
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.base.String()+"/", nil)
	if err != nil {
		return fmt.Errorf("target %s: %w", t.base, err)
	}
	resp, err := t.httpClient("").Do(req)
	if err != nil {
		return &UnreachableError{URL: t.base.String(), Err: cause(err)}
	}
	resp.Body.Close()
	if t.ips.Mode == "source" && t.IsLoopback() {
		// Binding 127.0.0.2 fails on systems that route only 127.0.0.1; say so before any spec.
		conn, err := (&net.Dialer{Timeout: wait, LocalAddr: &net.TCPAddr{IP: net.ParseIP(t.ips.Addresses[0])}}).DialContext(ctx, "tcp", t.base.Host)
		if err != nil {
			return fmt.Errorf("target %s: cannot send from client address %s (client_ips.mode source): %w", t.base, t.ips.Addresses[0], cause(err))
		}
		conn.Close()
	}
	return t.preflightInstances(ctx)
}

// UnreachableError says the target did not answer.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	var oe *net.OpError
	if errors.As(e.Err, &oe) || errors.Is(e.Err, errNoAnswer) {
		return fmt.Sprintf("target %s is unreachable: %v (is the server running and is --target right?)", e.URL, e.Err)
	}
	// It answered, with something that is not HTTP as net/http reads it.
	return fmt.Sprintf("target %s is unreachable: its answer is not valid HTTP: %v", e.URL, e.Err)
}

var errNoAnswer = errors.New("no answer in time")

func (e *UnreachableError) Unwrap() error { return e.Err }

// cause strips the url.Error wrapping, whose message repeats the method and URL.
func cause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return fmt.Errorf("%s %s: %w", oe.Op, oe.Addr, oe.Err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return errNoAnswer
	}
	return err
}
