package client

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"os"

	"golang.org/x/net/http/httpproxy"
)

// TransportOptions are how conform reaches a target beyond its URL: through the proxy the
// environment names, trusting an extra CA, or not verifying TLS at all, with extra headers on
// every request (a gateway key, a staging bypass header). `conform run` and `conform load`
// take the same ones.
type TransportOptions struct {
	// CACert is a PEM file of CA certificates trusted in addition to the system's.
	CACert string
	// Insecure skips TLS certificate verification. The CLI warns loudly when it is set.
	Insecure bool
	// NoProxy ignores HTTP_PROXY, HTTPS_PROXY and NO_PROXY. By default they are honoured
	// (http.ProxyFromEnvironment), which leaves loopback targets unproxied.
	NoProxy bool
	// Header is added to every request a spec or a load run sends, unless the request sets
	// the same header itself (the document's own headers win).
	Header http.Header
}

// TLSConfig returns the TLS settings of o: nil when o changes nothing.
func (o TransportOptions) TLSConfig() (*tls.Config, error) {
	if o.CACert == "" && !o.Insecure {
		return nil, nil
	}
	c := &tls.Config{InsecureSkipVerify: o.Insecure} //nolint:gosec // asked for with --insecure, and warned about
	if o.CACert != "" {
		pem, err := os.ReadFile(o.CACert)
		if err != nil {
			return nil, fmt.Errorf("read --ca-cert: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca-cert %s holds no PEM certificate", o.CACert)
		}
		c.RootCAs = pool
	}
	return c, nil
}

// Apply sets o's proxy and TLS settings on tr.
func (o TransportOptions) Apply(tr *http.Transport) error {
	if env := httpproxy.FromEnvironment(); !o.NoProxy && (env.HTTPProxy != "" || env.HTTPSProxy != "") {
		// As http.ProxyFromEnvironment, but read when the client is made rather than once
		// per process; no proxy, no per-request lookup (load sends tens of thousands a second).
		proxy := env.ProxyFunc()
		tr.Proxy = func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
	}
	c, err := o.TLSConfig()
	if err != nil {
		return err
	}
	tr.TLSClientConfig = c
	return nil
}

// AddHeaders adds o's extra headers to h where h has none of that name.
func (o TransportOptions) AddHeaders(h http.Header) {
	for k, vs := range o.Header {
		if len(h.Values(k)) == 0 {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
	}
}
