package jwt

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// jwkSet is a JWK Set served on a loopback port for the jku injection spec: the URL a forged
// token names, and a count of the fetches, which show that the target followed the header.
type jwkSet struct {
	url   string
	srv   *http.Server
	count *atomic.Int64
}

// serveJWKS serves set (RFC 7517 §5) at http://127.0.0.1:PORT/.well-known/jwks.json until
// close. Only a target on this machine can reach it; that is enough to see a target follow
// jku, and keeps conform from publishing anything.
func serveJWKS(set any) (*jwkSet, error) {
	body, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("encode JWK Set: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the JWK Set: %w", err)
	}
	s := &jwkSet{url: "http://" + ln.Addr().String() + "/.well-known/jwks.json", count: new(atomic.Int64)}
	s.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.count.Add(1)
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(body)
	})}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// fetched is how many requests the set has had.
func (s *jwkSet) fetched() int64 { return s.count.Load() }

// close stops serving.
func (s *jwkSet) close() { _ = s.srv.Close() }
