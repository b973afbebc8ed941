package reference

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"sync"
)

// Go's HTTP server canonicalises header names before a handler sees them (token arrives as
// Token), so a server that matches names byte for byte, as hand-written parsers do, cannot be
// built on r.Header. The header-name-case break needs the names as they came: rawListener
// keeps the bytes each connection read, and rawHeaderNames finds a request's header block in
// them. Only a broken reference (Options.Breaks given) records anything: WrapListener returns
// the listener itself otherwise.

// rawKeep bounds what a connection keeps of what it read: a request's head is at most
// MaxHeaderBytes, and what came before it is dropped once a request has been found.
const rawKeep = 2*MaxHeaderBytes + 64<<10

// rawConn is a connection that keeps what it read since its last request was found.
type rawConn struct {
	net.Conn
	mu   sync.Mutex
	seen []byte
}

func (c *rawConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.mu.Lock()
		c.seen = append(c.seen, p[:n]...)
		if over := len(c.seen) - rawKeep; over > 0 {
			c.seen = append(c.seen[:0], c.seen[over:]...)
		}
		c.mu.Unlock()
	}
	return n, err
}

// takeHead returns the header block of the request whose request line is line, the last one
// read, and forgets what was read up to its end.
func (c *rawConn) takeHead(line []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := bytes.LastIndex(c.seen, line)
	if i < 0 {
		return nil
	}
	rest := c.seen[i+len(line):]
	end := bytes.Index(rest, []byte("\r\n\r\n"))
	if end < 0 {
		return nil
	}
	head := bytes.Clone(rest[:end])
	c.seen = append(c.seen[:0], rest[end+4:]...)
	return head
}

type rawListener struct{ net.Listener }

func (l rawListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c}, nil
}

type rawConnKey struct{}

// ConnContext is the http.Server's ConnContext for a listener from WrapListener: it puts a
// recording connection in the context of its requests (HTTPServer sets it; a connection that
// is not one adds nothing).
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if rc, ok := c.(*rawConn); ok {
		return context.WithValue(ctx, rawConnKey{}, rc)
	}
	return ctx
}

// WrapListener returns ln wrapped to record what each connection reads when the server has a
// break (one reads header names as they came), else ln. Plain HTTP only: over TLS what a
// connection reads is ciphertext, and net/http needs its *tls.Conn to see TLS, so a TLS
// listener stays as it is and those breaks see no names.
func (s *Server) WrapListener(ln net.Listener) net.Listener {
	if !s.rawHeaders {
		return ln
	}
	return rawListener{ln}
}

// rawHeaderNames returns the header names of r as the client wrote them, and false when they
// are not known (the listener does not record, or r is not HTTP/1).
func rawHeaderNames(r *http.Request) ([]string, bool) {
	rc, ok := r.Context().Value(rawConnKey{}).(*rawConn)
	if !ok || r.ProtoMajor != 1 {
		return nil, false
	}
	head := rc.takeHead([]byte(r.Method + " " + r.RequestURI + " " + r.Proto + "\r\n"))
	if head == nil {
		return nil, false
	}
	var names []string
	for _, l := range bytes.Split(head, []byte("\r\n")) {
		if name, _, ok := bytes.Cut(l, []byte(":")); ok && len(name) > 0 {
			names = append(names, string(name))
		}
	}
	return names, true
}
