package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryAfterZeroBacksOffAndIsCapped(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var retryAfter atomic.Value
	retryAfter.Store("0")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", retryAfter.Load().(string))
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, Timeout: 5 * time.Second})
	start := time.Now()
	resp, err := tg.Do(context.Background(), Request{Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	// The first attempt and three retries after 250, 500 and 1000 ms.
	if n := calls.Load(); n != 1+maxRetries {
		t.Errorf("%d attempts, want %d", n, 1+maxRetries)
	}
	if took < 1750*time.Millisecond || took > 4*time.Second {
		t.Errorf("took %s, want about 1.75s of back-off", took)
	}
	if !resp.Throttled || resp.FailedInRow != 1 {
		t.Errorf("throttled %v, %d in a row; want true, 1", resp.Throttled, resp.FailedInRow)
	}
	// A wait past the budget is not made at all, and the throttled requests add up.
	retryAfter.Store("86400")
	start = time.Now()
	resp, _ = tg.Do(context.Background(), Request{Path: "/x"})
	if took := time.Since(start); took > 2*time.Second || !resp.Throttled || resp.FailedInRow != 2 {
		t.Errorf("Retry-After: 86400: took %s, throttled %v, %d in a row", took, resp.Throttled, resp.FailedInRow)
	}
	if n := len(tg.Transcript().Exchanges()); n != 2+maxRetries {
		t.Errorf("%d exchanges recorded, want %d", n, 2+maxRetries)
	}
}

func TestRetryWaitsStayWithinTheBudget(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	// 250 ms, then 500 ms would pass the 600 ms budget: one retry.
	tg, _ := New(Options{URL: srv.URL, MaxRetryWait: 600 * time.Millisecond})
	if _, err := tg.Do(context.Background(), Request{Path: "/x"}); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}

func TestRetryAfterOutOfRange(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"9999999999":           24 * time.Hour, // seconds past what a Duration holds
		"99999999999999999999": 24 * time.Hour, // past uint64
		"86400":                24 * time.Hour,
		"-1":                   time.Second,
		"":                     time.Second,
		" 3 ":                  3 * time.Second,
	} {
		if got := retryAfter(v); got != want {
			t.Errorf("Retry-After %q: %s, want %s", v, got, want)
		}
	}
}

func TestBodyThatStallsIsATransportFailure(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"tok`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL, Timeout: 200 * time.Millisecond})
	for i := 1; i <= 2; i++ {
		start := time.Now()
		_, err := tg.Do(context.Background(), Request{Path: "/x"})
		var te *TransportError
		if !errors.As(err, &te) || te.Consecutive != i {
			t.Fatalf("request %d: %v, want a TransportError, %d in a row", i, err, i)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("took %s with a 200ms timeout", took)
		}
		if !strings.Contains(err.Error(), "no whole answer: HTTP 200, then the body broke off after 5 bytes: no answer in time") {
			t.Errorf("message: %v", err)
		}
	}
	ex := tg.Transcript().Exchanges()
	if s := ex[len(ex)-1].String(); !strings.Contains(s, "< 200 OK") || !strings.Contains(s, "the body broke off after 5 bytes") {
		t.Errorf("transcript:\n%s", s)
	}
}

func TestLongBodyIsMarkedAndClipped(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := strings.Repeat("a", 1<<20)
		for range 6 {
			io.WriteString(w, chunk)
		}
	}))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL})
	resp, err := tg.Do(context.Background(), Request{Path: "/x"})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || len(resp.Body) != maxBody || !strings.Contains(resp.NotJSON(), "4 MiB") {
		t.Errorf("truncated %v, %d bytes, %q", resp.Truncated, len(resp.Body), resp.NotJSON())
	}
	ex := tg.Transcript().Exchanges()[0]
	if len(ex.RespBody) != keptBody || ex.RespBodyClipped != maxBody-keptBody || !ex.RespTruncated || ex.RespBodyBytes != maxBody {
		t.Errorf("kept %d, clipped %d, truncated %v, read %d", len(ex.RespBody), ex.RespBodyClipped, ex.RespTruncated, ex.RespBodyBytes)
	}
	if s := ex.String(); !strings.Contains(s, "more bytes not shown; the target sent more") {
		t.Errorf("rendering does not say the body was cut:\n%s", s[len(s)-300:])
	}
}

func TestHeaderWithCRLFIsConformsRefusal(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	tg, _ := New(Options{URL: srv.URL})
	for _, h := range []http.Header{{"X-Access-Token": {"abc\r\nX-Evil: 1"}}, {"Bad Name": {"v"}}} {
		_, err := tg.Do(context.Background(), Request{Path: "/users/me", Header: h})
		var re *RefusalError
		if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "conform did not send GET ") {
			t.Errorf("%v: %v, want conform's refusal", h, err)
		}
	}
	if _, err := tg.Do(context.Background(), Request{Path: "/ spaces\x7f"}); err == nil || !strings.Contains(err.Error(), "conform did not send") {
		t.Errorf("a URL that does not parse: %v", err)
	}
	if calls.Load() != 0 {
		t.Errorf("%d requests reached the target", calls.Load())
	}
	if n := tg.noteFailure(false); n != 0 {
		t.Errorf("refusals counted as target failures")
	}
	ex := tg.Transcript().Exchanges()[0]
	if s := ex.String(); !strings.Contains(s, `> X-Access-Token: abc\r\nX-Evil: 1`) || !strings.Contains(s, "not sent: conform refused") {
		t.Errorf("rendering:\n%s", s)
	}
}

func TestTranscriptKeepsTheLastExchanges(t *testing.T) {
	var l Transcript
	for i := range keptExchanges + 8 {
		l.add(&Exchange{Method: "GET", URL: "/" + string(rune('a'+i%26))})
	}
	ex := l.Exchanges()
	if len(ex) != keptExchanges || ex[0].Dropped != 8 {
		t.Fatalf("%d kept, first says %d dropped", len(ex), ex[0].Dropped)
	}
	if !strings.HasPrefix(ex[0].String(), "(8 earlier exchanges of this spec not kept)") {
		t.Errorf("rendering: %s", ex[0].String())
	}
	l.Reset()
	l.add(&Exchange{})
	if ex := l.Exchanges(); len(ex) != 1 || ex[0].Dropped != 0 {
		t.Errorf("reset kept the count")
	}
}

func TestRenderingEscapesTheTarget(t *testing.T) {
	e := (&Exchange{Method: "GET", URL: "http://t/x", Status: 200,
		RespHeader: http.Header{"X-Evil": {"a\x1b[31m"}},
		RespBody:   "line one\r\n::error::forged\x1b[2K\u202e\xff\nlast"}).clip()
	s := e.String()
	for _, bad := range []string{"\r", "\x1b", "\u202e", "\xff"} {
		if strings.Contains(s, bad) {
			t.Errorf("rendering holds %q:\n%s", bad, s)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if !strings.HasPrefix(line, "> ") && !strings.HasPrefix(line, "< ") {
			t.Errorf("line without direction: %q", line)
		}
	}
	if !strings.Contains(s, `< ::error::forged\x1b[2K\u202e\xff`) {
		t.Errorf("rendering:\n%s", s)
	}
}

func TestClipKeepsWholeRunes(t *testing.T) {
	s := strings.Repeat("é", keptBody) // two bytes each
	kept, cut := clipKept(s, keptBody+1)
	if len(kept) != keptBody || cut != len(s)-keptBody {
		t.Errorf("kept %d, cut %d", len(kept), cut)
	}
	if v := clipValue(strings.Repeat("t", 3<<20)); len(v) > keptValue+64 || !strings.Contains(v, "more bytes not kept") {
		t.Errorf("clipped value: %d bytes, %q", len(v), v[len(v)-50:])
	}
}

// TestClippedBodyIsBoundedAsJSON: a body of control bytes and broken UTF-8 takes six bytes a
// byte in a JSON report; what a transcript keeps is bounded by its encoding, not its length.
func TestClippedBodyIsBoundedAsJSON(t *testing.T) {
	var b strings.Builder
	for i := range 1 << 20 {
		b.WriteByte(byte(i))
	}
	e := (&Exchange{Method: "GET", URL: "http://t/", Status: 200, RespBody: b.String()}).clip()
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > keptBody+1024 {
		t.Errorf("exchange encodes to %d bytes, want at most about %d", len(data), keptBody)
	}
	if e.RespBodyClipped != 1<<20-len(e.RespBody) {
		t.Errorf("clipped %d, kept %d", e.RespBodyClipped, len(e.RespBody))
	}
}
