package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// maxBody bounds how much of an answer conform reads: a login answer is small, and a target
// that streams without end must not exhaust conform's memory. An answer cut there is marked
// (Response.Truncated) and its transcript says so.
const maxBody = 4 << 20

// Retries of a 429 answer: at most maxRetries after the first attempt, each wait at least
// minRetryWait doubled per retry (a Retry-After of 0 must not turn conform into a busy loop),
// and all waits of one request within Options.MaxRetryWait.
const (
	maxRetries   = 3
	minRetryWait = 250 * time.Millisecond
)

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
	// Together, when not 0, numbers the requests sent together with this one (released at
	// once, as concurrent requests): its exchange carries the number, and a reproducer sends
	// them concurrently too.
	Together int
}

// Response is what the target answered.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Truncated is set when the target sent more than conform reads (4 MiB): Body is the
	// first part only, and a JSON answer cut there does not parse.
	Truncated bool
	// Throttled is set when the target still answered 429 once conform's retries were spent.
	Throttled bool
	// FailedInRow counts, for a throttled answer, the requests in a row (this one included)
	// that got no answer or stayed throttled, as TransportError.Consecutive does; 0 otherwise.
	FailedInRow int
	// Instance is the base URL of the instance that answered, when the target is several
	// (Options.Instances); empty otherwise.
	Instance string
}

// JSON returns the body parsed by gjson; a body that is not JSON (or nests deeper than
// conform walks, see ValidJSON) gives a Result that does not exist, so a path lookup on it
// never matches by accident.
func (r *Response) JSON() gjson.Result {
	if r == nil || !ValidJSON(r.Body) {
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

// TransportError is a request that got no HTTP answer, or an answer whose body did not come
// (cut off, or stalled past the timeout). URL and Err have the run's secrets masked.
type TransportError struct {
	Method, URL string
	Err         error
	// Status is the answer's status when its headers came and its body did not; 0 when
	// there was no answer at all. BodyBytes is how much of the body came.
	Status, BodyBytes int
	// Consecutive counts transport failures in a row, this one included.
	Consecutive int
}

func (e *TransportError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s %s: no whole answer: HTTP %d, then the body broke off after %d bytes: %v", e.Method, e.URL, e.Status, e.BodyBytes, e.Err)
	}
	return fmt.Sprintf("%s %s: no answer: %v", e.Method, e.URL, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// RefusalError is a request conform would not send: one it cannot build (a URL that does not
// parse) or that HTTP does not allow (a header value with CR, LF or another control byte,
// typically a token the target returned). It is conform's refusal, not the target's failure:
// it does not count toward stopping the run.
type RefusalError struct {
	Method, URL string
	Reason      string
}

func (e *RefusalError) Error() string {
	return fmt.Sprintf("conform did not send %s %s: %s", e.Method, e.URL, e.Reason)
}

// Do sends r, waiting out 429 answers within the retry bound, and records the exchange.
func (t *Client) Do(ctx context.Context, r Request) (*Response, error) {
	base := t.nextBase()
	enc, err := r.Encode(base)
	if err != nil {
		return nil, err
	}
	method, u, body := enc.Method, enc.URL, enc.Body
	// Each field name as the request spells it: Add would canonicalise it, and a spec sending
	// a name in another letter case (RFC 9110 §5.1, wireform's header-name-case) would send
	// the canonical one instead.
	h := make(http.Header, len(enc.Header)+1)
	for k, vs := range enc.Header {
		h[k] = append(h[k], vs...)
	}
	t.opts.Transport.AddHeaders(h)
	if r.From != "" && t.ips.Mode == "header" {
		h.Set(t.ips.Header, r.From)
	}
	enc.Header = h
	var waited time.Duration
	for attempt := 0; ; attempt++ {
		ex := &Exchange{Method: method, URL: u, ReqHeader: enc.Header.Clone(), ReqBody: string(body), From: r.From, SourceMode: t.ips.Mode, Together: r.Together, At: time.Now()}
		req, refused := t.build(ctx, enc)
		if refused != nil {
			ex.Refused = refused.Reason
			t.record(ex)
			refused.URL = ex.URL // as recorded: masked and clipped
			return nil, refused
		}
		resp, err := t.httpClient(r.From).Do(req)
		if err != nil {
			return nil, t.failed(ex, &TransportError{Err: cause(err)})
		}
		data, truncated, err := readBody(resp)
		if err != nil {
			ex.Status, ex.RespHeader, ex.Took = resp.StatusCode, resp.Header.Clone(), time.Since(ex.At)
			ex.RespBody, ex.RespBodyBytes = string(data), int64(len(data))
			return nil, t.failed(ex, &TransportError{Err: cause(err), Status: resp.StatusCode, BodyBytes: len(data)})
		}
		out := &Response{Status: resp.StatusCode, Header: resp.Header, Body: data, Truncated: truncated}
		if len(t.inst.urls) > 0 {
			out.Instance = base
		}
		ex.Status, ex.RespHeader, ex.Took = resp.StatusCode, resp.Header.Clone(), time.Since(ex.At)
		ex.RespBody, ex.RespBodyBytes, ex.RespTruncated = string(data), int64(len(data)), truncated
		t.record(ex)
		if resp.StatusCode != http.StatusTooManyRequests {
			t.noteFailure(false)
			return out, nil
		}
		wait := max(retryAfter(resp.Header.Get("Retry-After")), minRetryWait<<attempt)
		if attempt == maxRetries || waited+wait > t.opts.MaxRetryWait {
			// The spec sees the 429 and says so; a target that throttles every request
			// counts toward stopping the run like one that does not answer.
			out.Throttled, out.FailedInRow = true, t.noteFailure(true)
			return out, nil
		}
		waited += wait
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// build makes the http.Request for enc, or says why conform will not send it.
func (t *Client) build(ctx context.Context, enc Encoded) (*http.Request, *RefusalError) {
	refuse := func(format string, args ...any) *RefusalError {
		return &RefusalError{Method: enc.Method, URL: t.redact.String(enc.URL), Reason: t.redact.String(fmt.Sprintf(format, args...))}
	}
	for k, vs := range enc.Header {
		if !validHeaderName(k) {
			return nil, refuse("header name %q is not valid HTTP", k)
		}
		for _, v := range vs {
			if i := invalidHeaderByte(v); i >= 0 {
				return nil, refuse("header %s holds byte %q at offset %d of %d, which HTTP does not allow in a header value (a token the target returned?)", k, v[i], i, len(v))
			}
		}
	}
	req, err := http.NewRequestWithContext(ctx, enc.Method, enc.URL, bytes.NewReader(enc.Body))
	if err != nil {
		return nil, refuse("cannot build the request: %v", cause(err))
	}
	req.Header = enc.Header.Clone()
	// RFC 9112 §9.6: "A client that sends a "close" connection option MUST NOT send further
	// requests on that connection". Go's transport reads only Request.Close for that, not the
	// header, and a server that closes without saying so in its answer would meet the next
	// request on a closed connection.
	for k, vs := range req.Header {
		if strings.EqualFold(k, "Connection") && slices.ContainsFunc(vs, func(v string) bool {
			return slices.ContainsFunc(strings.Split(v, ","), func(t string) bool { return strings.EqualFold(strings.TrimSpace(t), "close") })
		}) {
			req.Close = true
		}
	}
	return req, nil
}

// failed records an exchange that got no (whole) answer and completes te.
func (t *Client) failed(ex *Exchange, te *TransportError) error {
	te.Method, te.Consecutive = ex.Method, t.noteFailure(true)
	te.Err = t.redact.Error(te.Err)
	ex.Err = te.Err.Error()
	t.record(ex)
	te.URL = ex.URL // as recorded: masked and clipped
	return te
}

// readBody reads at most maxBody bytes of the answer and says whether there was more. The
// http.Client's timeout covers the read, so a body that stalls ends in an error.
func readBody(resp *http.Response) ([]byte, bool, error) {
	defer resp.Body.Close()
	data, err := readAtMost(resp.Body, resp.ContentLength, maxBody+1)
	if err != nil {
		return data, false, err
	}
	if len(data) > maxBody {
		return data[:maxBody:maxBody], true, nil
	}
	return data, false, nil
}

// readAtMost reads r to its end or to limit bytes, into one buffer sized from the answer's
// Content-Length (size, -1 when unknown) where it gives one: io.ReadAll grows its buffer step
// by step, and a few answers of megabytes read side by side (a hostile target's) left several
// times their size of garbage, enough to take a run past its memory bound.
func readAtMost(r io.Reader, size int64, limit int) ([]byte, error) {
	n := 512
	if size >= 0 && size < int64(limit) {
		n = int(size) + 1 // the 1: room to read the EOF without growing
	}
	buf := make([]byte, 0, n)
	lr := io.LimitReader(r, int64(limit))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grow as append does
		}
		m, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
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
// A value too large for a time.Duration is taken as a day: longer than any retry bound.
func retryAfter(v string) time.Duration {
	const long = 24 * time.Hour
	v = strings.TrimSpace(v)
	if s, err := strconv.ParseUint(v, 10, 64); err == nil {
		if s > uint64(long/time.Second) {
			return long
		}
		return time.Duration(s) * time.Second
	} else if errors.Is(err, strconv.ErrRange) {
		return long
	}
	if at, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(at), 0), long)
	}
	return time.Second
}

// validHeaderName reports whether k is an HTTP token (RFC 9110 section 5.6.2).
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// invalidHeaderByte returns the offset of the first byte HTTP does not allow in a header
// value (a control byte other than tab), or -1.
func invalidHeaderByte(v string) int {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
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
	if ctype != "" && !hasField(h, "Content-Type") {
		h.Set("Content-Type", ctype)
	}
	return Encoded{Method: method, URL: u, Header: h, Body: body}, nil
}

// hasField reports whether h holds the field name in any letter case: a request may spell a
// name as it pleases (RFC 9110 §5.1), and one spelled content-type must not get a second
// Content-Type.
func hasField(h http.Header, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
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
