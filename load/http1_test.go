package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// writeRequest writes the bytes Request.Write writes, on its fast path and off it.
func TestWriteRequestAsNetHTTP(t *testing.T) {
	type tc struct {
		name   string
		method string
		url    string
		body   string
		header http.Header
		edit   func(*http.Request)
	}
	cases := []tc{
		{name: "get", method: "GET", url: "http://127.0.0.1:8080/users/me"},
		{name: "get headers", method: "GET", url: "http://127.0.0.1:8080/users/me?a=1&b=%20",
			header: http.Header{"X-Vegeta-Seq": {"12"}, "Token": {"abc"}, "x-lower": {"v"}, "X-Two": {"1", "2"}, "Content-Type": {"application/json"}}},
		{name: "post body", method: "POST", url: "http://localhost:1/users/login", body: `{"login":"a","password":"b"}`,
			header: http.Header{"Content-Type": {"application/json"}, "X-Forwarded-For": {"10.0.0.1"}}},
		{name: "post empty", method: "POST", url: "http://localhost:1/x"},
		{name: "delete empty", method: "DELETE", url: "http://localhost:1/x"},
		{name: "head", method: "HEAD", url: "http://localhost:1/"},
		{name: "no path", method: "GET", url: "http://localhost:1"},
		{name: "escaped path", method: "GET", url: "http://localhost:1/a%2Fb/c%20d"},
		{name: "user agent", method: "GET", url: "http://localhost:1/", header: http.Header{"User-Agent": {"conform"}}},
		{name: "blank user agent", method: "GET", url: "http://localhost:1/", header: http.Header{"User-Agent": {""}}},
		{name: "many fields", method: "GET", url: "http://localhost:1/", header: manyFields(20)},
		{name: "excluded keys", method: "GET", url: "http://localhost:1/", header: http.Header{"Host": {"other"}, "Content-Length": {"9"}, "Trailer": {"x"}}},
		// Off the fast path: Request.Write cleans or refuses these.
		{name: "newline value", method: "GET", url: "http://localhost:1/", header: http.Header{"X-A": {"a\r\nb"}}},
		{name: "spaced value", method: "GET", url: "http://localhost:1/", header: http.Header{"X-A": {" a "}}},
		{name: "bad key", method: "GET", url: "http://localhost:1/", header: http.Header{"X A": {"a"}}},
		{name: "host override", method: "GET", url: "http://localhost:1/", edit: func(r *http.Request) { r.Host = "example.com" }},
		{name: "no Host field", method: "GET", url: "http://localhost:1/", edit: func(r *http.Request) { r.Host = "" }},
		{name: "zoned host", method: "GET", url: "http://localhost:1/", edit: func(r *http.Request) { r.Host = "[fe80::1%25eth0]:1" }},
		{name: "close", method: "GET", url: "http://localhost:1/", edit: func(r *http.Request) { r.Close = true }},
		{name: "chunked", method: "POST", url: "http://localhost:1/", body: "abc", edit: func(r *http.Request) {
			r.ContentLength = -1
			r.Body = io.NopCloser(strings.NewReader("abc"))
		}},
		{name: "unicode host", method: "GET", url: "http://bücher.example:1/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mk := func() *http.Request {
				var body io.Reader
				if c.body != "" {
					body = strings.NewReader(c.body)
				}
				req, err := http.NewRequest(c.method, c.url, body)
				if err != nil {
					t.Fatal(err)
				}
				for k, vs := range c.header {
					req.Header[k] = append([]string(nil), vs...)
				}
				if c.edit != nil {
					c.edit(req)
				}
				return req
			}
			var want, got bytes.Buffer
			werr := mk().Write(&want)
			bw := bufio.NewWriter(&got)
			gerr := writeRequest(bw, mk())
			bw.Flush()
			if (werr == nil) != (gerr == nil) || got.String() != want.String() {
				t.Errorf("writeRequest:\n%q, %v\nRequest.Write:\n%q, %v", got.String(), gerr, want.String(), werr)
			}
		})
	}
}

// manyFields is a header of n fields, more than writeRequest sorts on its stack.
func manyFields(n int) http.Header {
	h := http.Header{}
	for i := range n {
		h.Set(fmt.Sprintf("X-F%02d", n-i), "v")
	}
	return h
}

// readResponse reads every answer as http.ReadResponse does, and leaves the same bytes unread.
func TestReadResponseAsNetHTTP(t *testing.T) {
	for _, raw := range readResponseCorpus {
		compareReadResponse(t, "GET", raw)
	}
	compareReadResponse(t, "HEAD", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nnext")
	// The common answer takes the fast path, again and again on one connection: a repeated
	// header block shares the last answer's Header, a new Date makes a new one.
	var rc respCache
	answer := func(date string) string {
		return "HTTP/1.1 200 OK\r\nDate: " + date + "\r\nContent-Length: 2\r\n\r\n{}"
	}
	a, b := "Tue, 01 Dec 2026 13:00:00 GMT", "Tue, 01 Dec 2026 13:00:01 GMT"
	br := bufio.NewReader(strings.NewReader(answer(a) + answer(a) + answer(b)))
	req, _ := http.NewRequest("GET", "http://localhost:1/", nil)
	var headers []http.Header
	for i, want := range []string{a, a, b} {
		resp, plain, err := readResponse(br, req, &rc)
		if plain == nil || err != nil || resp.Header.Get("Date") != want || resp.ContentLength != 2 {
			t.Fatalf("answer %d: plain %v, %v, header %v", i, plain != nil, err, resp.Header)
		}
		br.Discard(int(plain.body.left))
		headers = append(headers, resp.Header)
	}
	if headers[0].Get("Date") != a || reflect.ValueOf(headers[0]).Pointer() != reflect.ValueOf(headers[1]).Pointer() {
		t.Errorf("headers %v: the first two answers should share one, the third not change it", headers)
	}
}

// FuzzReadResponse: any bytes are read as http.ReadResponse reads them.
func FuzzReadResponse(f *testing.F) {
	for _, raw := range readResponseCorpus {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw string) { compareReadResponse(t, "GET", raw) })
}

var readResponseCorpus = []string{
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Tue, 01 Dec 2026 13:00:00 GMT\r\nContent-Length: 33\r\n\r\n" +
		`{"status":"success","result":[]}` + "HTTP/1.1 200",
	"HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\nX-A: 1\r\nx-a: 2\r\n\r\nno",
	"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 204 No Content\r\n\r\n",
	"HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nbye",
	"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold",
	"HTTP/1.1 200 OK\r\n\r\nuntil close",
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
	"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
	"HTTP/1.1 200 OK\r\nContent-Length: +3\r\n\r\nabc",
	"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
	"HTTP/1.1 200 OK\r\nPragma: no-cache\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nBad Key: a\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Ctl: a\x01b\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Space:   a b \t\r\ncontent-length:1\r\n\r\nz",
	"HTTP/1.1 200 OK\nContent-Length: 1\n\nz",
	"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/1.1  200 OK\r\nContent-Length: 0\r\n\r\n",
	"HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
	"garbage\r\n\r\n",
	"",
}

func compareReadResponse(t *testing.T, method, raw string) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://localhost:1/", nil)
	wantBR := bufio.NewReaderSize(strings.NewReader(raw), 4096)
	want, werr := http.ReadResponse(wantBR, req)
	gotBR := bufio.NewReaderSize(strings.NewReader(raw), 4096)
	var rc respCache
	got, plain, gerr := readResponse(gotBR, req, &rc)
	if (werr == nil) != (gerr == nil) {
		t.Fatalf("%q: readResponse error %v, http.ReadResponse %v", raw, gerr, werr)
	}
	if werr != nil {
		return
	}
	wantBody, wantErr := io.ReadAll(want.Body)
	var gotBody []byte
	var gotErr error
	if plain != nil {
		n := plain.body.left
		gotBody = make([]byte, min(n, int64(gotBR.Buffered())))
		if _, err := io.ReadFull(gotBR, gotBody); err != nil || int64(len(gotBody)) < n {
			gotErr = io.ErrUnexpectedEOF
		}
	} else {
		gotBody, gotErr = io.ReadAll(got.Body)
	}
	wantRest, _ := io.ReadAll(wantBR)
	gotRest, _ := io.ReadAll(gotBR)
	want.Body, got.Body = nil, nil
	if !reflect.DeepEqual(got, want) || string(gotBody) != string(wantBody) || (gotErr == nil) != (wantErr == nil) || string(gotRest) != string(wantRest) {
		t.Errorf("%q (plain %v):\nreadResponse    %+v body %q (%v) rest %q\nhttp.ReadResponse %+v body %q (%v) rest %q",
			raw, plain, got, gotBody, gotErr, gotRest, want, wantBody, wantErr, wantRest)
	}
}

// A load run's requests, as vegeta builds them, take the fast path.
func TestVegetaRequestIsPlain(t *testing.T) {
	tgt := vegeta.Target{Method: "GET", URL: "http://127.0.0.1:8080/users/me", Header: http.Header{"X-Access-Token": {"a.b.c"}}}
	post := vegeta.Target{Method: "POST", URL: "http://127.0.0.1:8080/users/login", Body: []byte(`{"a":1}`), Header: http.Header{"Content-Type": {"application/json"}}}
	for _, tg := range []vegeta.Target{tgt, post} {
		req, err := tg.Request()
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Vegeta-Seq", "1")
		if !plainRequest(req, new(plainReq)) {
			t.Errorf("%s %s: not on the fast path", tg.Method, tg.URL)
		}
	}
}
