package reference

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestHTTPServerBoundsHeaders checks the limits every documented request fits in: a header
// block of a few KiB is served, one past MaxHeaderBytes is answered 431 and closed before the
// client has sent it all.
func TestHTTPServerBoundsHeaders(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = HTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Start()
	defer srv.Close()
	send := func(header int, finish bool) (string, error) {
		c, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		go func() {
			io.WriteString(c, "GET /jwt/users/me HTTP/1.1\r\nHost: x\r\n")
			line := "X-Pad: " + strings.Repeat("p", 1000) + "\r\n"
			for n := 0; n < header; n += len(line) {
				if _, err := io.WriteString(c, line); err != nil {
					return
				}
			}
			if finish {
				io.WriteString(c, "\r\n")
			}
		}()
		status, err := bufio.NewReader(c).ReadString('\n')
		return strings.TrimSpace(status), err
	}
	if status, err := send(4<<10, true); err != nil || !strings.Contains(status, " 200 ") {
		t.Errorf("4 KiB of headers: %q, %v; want 200", status, err)
	}
	// 1 MiB, never finished: the server answers as soon as the limit is passed.
	if status, err := send(1<<20, false); err != nil || !strings.Contains(status, " 431 ") {
		t.Errorf("1 MiB of headers: %q, %v; want 431", status, err)
	}
	if hs := HTTPServer(nil); hs.ReadHeaderTimeout <= 0 || hs.ReadHeaderTimeout > 10*time.Second || hs.MaxHeaderBytes > 16<<10 {
		t.Errorf("ReadHeaderTimeout %s, MaxHeaderBytes %d", hs.ReadHeaderTimeout, hs.MaxHeaderBytes)
	}
}
