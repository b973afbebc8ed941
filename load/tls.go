package load

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"
)

// fastTLSConfig is the TLS configuration of the fast transport's connections to an https
// target: base (the run's --ca-cert and --insecure; nil for neither) with the target's name
// for SNI and verification, ALPN offering HTTP/1.1 only (the transport speaks nothing else,
// and a server that would pick h2 must not), and a session cache, so that a connection opened
// again (after the server closed one, or an answer said Connection: close) resumes its session
// instead of paying a full handshake.
func fastTLSConfig(base *tls.Config, serverName string, conns int) *tls.Config {
	c := &tls.Config{}
	if base != nil {
		c = base.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = serverName
	}
	c.NextProtos = []string{"http/1.1"}
	c.ClientSessionCache = tls.NewLRUClientSessionCache(max(conns, 64))
	return c
}

// TLSError says the TLS handshake with an https target failed before any request was sent:
// its certificate is not trusted, names another host, has expired, or the server does not
// speak TLS. The caller's to fix (--ca-cert, --insecure, --target), so cmd/conform maps it to
// exit code 2.
type TLSError struct {
	// URL is the target.
	URL string
	// Err is crypto/tls's error.
	Err error
}

func (e *TLSError) Error() string {
	return fmt.Sprintf("target %s: TLS handshake failed: %s", e.URL, tlsCause(e.Err))
}

func (e *TLSError) Unwrap() error { return e.Err }

// tlsCause words a handshake error as what is wrong and what to do about it.
func tlsCause(err error) string {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &unknown):
		by := ""
		if unknown.Cert != nil && unknown.Cert.Issuer.String() != "" {
			by = fmt.Sprintf(" (%q)", unknown.Cert.Issuer.String())
		}
		return fmt.Sprintf("its certificate is signed by an unknown authority%s: trust that CA with --ca-cert FILE (PEM), or skip verification with --insecure (testing only)", by)
	case errors.As(err, &hostname):
		return fmt.Sprintf("its certificate is not for this host name (%v): give --target the name the certificate was issued for", hostname.Error())
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Sprintf("its certificate has expired or is not yet valid (%v)", invalid.Error())
	case errors.As(err, &invalid):
		return fmt.Sprintf("its certificate is invalid (%v)", invalid.Error())
	case errors.As(err, &record):
		return "the server did not answer in TLS (if it serves plain HTTP, use an http:// --target)"
	case errors.As(err, &alert):
		return fmt.Sprintf("the server refused the handshake (%v)", err)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errHandshakeTimeout):
		return "no handshake within the timeout (is it a TLS server?)"
	}
	return err.Error()
}

var errHandshakeTimeout = errors.New("handshake timeout")

// preflightTLS completes one TLS handshake with an https target as the run's connections
// will (fastTLSConfig), so that a certificate problem is one error before anything is sent
// rather than a preflight request's failure or a run of failed requests. A target that
// cannot be reached at all is left to the target preflight, and one reached through a proxy
// to net/http, which handshakes through the tunnel.
func preflightTLS(ctx context.Context, o Options, target string) error {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "https" {
		return nil
	}
	std := &http.Transport{}
	if err := o.transport().Apply(std); err != nil {
		return nil // the target preflight's client reports the CA file
	}
	if std.Proxy != nil {
		if p, err := std.Proxy(&http.Request{URL: u}); err != nil || p != nil {
			return nil
		}
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "443")
	}
	wait := min(o.Timeout, 3*time.Second)
	ctx, cancel := context.WithTimeoutCause(ctx, wait, errHandshakeTimeout)
	defer cancel()
	nc, err := (&net.Dialer{}).DialContext(ctx, "tcp", host)
	if err != nil {
		return nil // unreachable: the target preflight says so
	}
	defer nc.Close()
	tc := tls.Client(nc, fastTLSConfig(std.TLSClientConfig, u.Hostname(), 1))
	if err := tc.HandshakeContext(ctx); err != nil {
		if ctx.Err() != nil && context.Cause(ctx) != errHandshakeTimeout {
			return ctx.Err() // the caller's context ended (Ctrl-C)
		}
		return &TLSError{URL: target, Err: err}
	}
	return nil
}
