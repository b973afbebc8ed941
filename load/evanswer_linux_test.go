//go:build linux

package load

import (
	"bufio"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// FuzzLoopAnswer: any bytes, arriving in any pieces, are read by an event loop as
// http.ReadResponse and its body read them: the same status and kept body, or an error
// where net/http has one. A loop judges an answer whole as soon as its framing says so, and
// bytes after it are another matter (the connection is closed), so only the answer is
// compared.
func FuzzLoopAnswer(f *testing.F) {
	for i, raw := range readResponseCorpus {
		f.Add(raw, uint64(i))
	}
	for i, raw := range []string{
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
		"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n1\na\n0\n\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\n\r\nx",
	} {
		f.Add(raw, uint64(i))
	}
	f.Fuzz(func(t *testing.T, raw string, seed uint64) {
		req, _ := http.NewRequest("GET", "http://localhost:1/", nil)
		var wantCode int
		var wantBody []byte
		resp, werr := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), req)
		if werr == nil {
			wantCode = resp.StatusCode
			wantBody, werr = readAtMost(nil, resp.Body, maxBody)
			if werr == nil {
				_, werr = io.Copy(io.Discard, resp.Body)
			}
		}

		c := &evConn{}
		c.br = bufio.NewReaderSize(&c.snap, 4<<10)
		r := rand.New(rand.NewPCG(seed, 0))
		var (
			done bool
			gerr error
		)
		for rest := raw; !done && gerr == nil; {
			n := len(rest)
			if n > 1 {
				n = 1 + r.IntN(n)
			}
			c.in = append(c.in, rest[:n]...)
			if rest = rest[n:]; rest == "" {
				c.rerr = io.EOF
			}
			done, gerr = c.step(req)
			if !done && gerr == nil && c.rerr != nil {
				t.Fatalf("%q: neither done nor failed at the end", raw)
			}
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: the loop's error %v, net/http's %v", raw, gerr, werr)
		}
		if werr != nil {
			return
		}
		if c.ans.resp.StatusCode != wantCode || string(c.ans.body) != string(wantBody) {
			t.Fatalf("%q: the loop read %d %q, net/http %d %q", raw, c.ans.resp.StatusCode, c.ans.body, wantCode, wantBody)
		}
	})
}
