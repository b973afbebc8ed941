package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// maxBody bounds how much of an answer conform reads: a login answer is small, and a target
// that streams without end must not exhaust conform's memory.
const maxBody = 4 << 20

// Request is one request a spec sends. Path is from the target's root, query included.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	// JSON, when not nil, is marshalled as the body with Content-Type application/json.
	JSON any
	// Form, when not nil, is sent as application/x-www-form-urlencoded.
	Form url.Values
	// Body is sent as is when JSON and Form are nil.
	Body string
	// From is the client address to send from ("" for the default).
	From string
}

// Response is what the target answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON returns the body parsed by gjson; a body that is not JSON gives a Result that does
// not exist, so a path lookup on it never matches by accident.
func (r *Response) JSON() gjson.Result {
	if r == nil || !gjson.ValidBytes(r.Body) {
		return gjson.Result{}
	}
	return gjson.ParseBytes(r.Body)
}

// Get looks up a gjson path in the body (see JSON).
func (r *Response) Get(path string) gjson.Result {
	j := r.JSON()
	if !j.Exists() {
		return j
	}
	return j.Get(path)
}

// TransportError is a request that got no HTTP answer. URL and Err have the run's secrets
// masked.
type TransportError struct {
	Method, URL string
	Err         error
	// Consecutive counts transport failures in a row, this one included.
	Consecutive int
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: no answer: %v", e.Method, e.URL, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// Do sends r, waiting out 429 answers within the retry bound, and records the exchange.
func (t *Client) Do(ctx context.Context, r Request) (*Response, error) {
	enc, err := r.Encode(t.base.String())
	if err != nil {
		return nil, err
	}
	method, u, body := enc.Method, enc.URL, enc.Body
	deadline := time.Now().Add(t.opts.MaxRetryWait)
	for {
		req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
		if err != nil {
			return nil, t.redact.Error(fmt.Errorf("build request %s %s: %w", method, u, err))
		}
		for k, vs := range enc.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		if r.From != "" && t.ips.Mode == "header" {
			req.Header.Set(t.ips.Header, r.From)
		}
		ex := &Exchange{Method: method, URL: u, ReqHeader: req.Header.Clone(), ReqBody: string(body), From: r.From, SourceMode: t.ips.Mode, At: time.Now()}
		resp, err := t.httpClient(r.From).Do(req)
		if err != nil {
			te := &TransportError{Method: method, URL: t.redact.String(u), Err: t.redact.Error(cause(err)), Consecutive: t.noteFailure(true)}
			ex.Err = te.Err.Error()
			t.log.add(t.mask(ex))
			return nil, te
		}
		t.noteFailure(false)
		data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
		resp.Body.Close()
		if err != nil {
			ex.Err = err.Error()
			t.log.add(t.mask(ex))
			return nil, t.redact.Error(fmt.Errorf("%s %s: read answer: %w", method, u, err))
		}
		out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
		// A copy of the header: masking the exchange must not change what the spec reads.
		ex.Status, ex.RespHeader, ex.RespBody, ex.Took = resp.StatusCode, resp.Header.Clone(), string(data), time.Since(ex.At)
		t.log.add(t.mask(ex))
		if resp.StatusCode != http.StatusTooManyRequests {
			return out, nil
		}
		wait := retryAfter(resp.Header.Get("Retry-After"))
		if time.Now().Add(wait).After(deadline) {
			return out, nil // the spec sees the 429 and says so
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

func (t *Client) noteFailure(failed bool) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if failed {
		t.failRun++
	} else {
		t.failRun = 0
	}
	return t.failRun
}

// retryAfter reads Retry-After as seconds or an HTTP date; missing or bad means one second.
func retryAfter(v string) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := time.Until(at); d > 0 {
			return d
		}
		return 0
	}
	return time.Second
}

// Encoded is a Request as it goes on the wire.
type Encoded struct {
	Method string
	URL    string
	// Header is the request's header with the Content-Type of a JSON or form body added
	// where the request sets none.
	Header http.Header
	Body   []byte
}

// Encode returns r as it goes on the wire to the target at base: the URL is base, then Path,
// then Query; an empty Method is GET. The load generator sends what Encode returns, so specs
// and load put the same bytes on the wire.
func (r Request) Encode(base string) (Encoded, error) {
	body, ctype, err := encodeBody(r)
	if err != nil {
		return Encoded{}, err
	}
	u := base + r.Path
	if len(r.Query) > 0 {
		sep := "?"
		if strings.Contains(r.Path, "?") {
			sep = "&"
		}
		u += sep + r.Query.Encode()
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if ctype != "" && h.Get("Content-Type") == "" {
		h.Set("Content-Type", ctype)
	}
	return Encoded{Method: method, URL: u, Header: h, Body: body}, nil
}

func encodeBody(r Request) ([]byte, string, error) {
	switch {
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, "", fmt.Errorf("encode request body: %w", err)
		}
		return b, "application/json", nil
	case r.Form != nil:
		return []byte(r.Form.Encode()), "application/x-www-form-urlencoded", nil
	case r.Body != "":
		return []byte(r.Body), "", nil
	}
	return nil, "", nil
}
