package client

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Exchange is one request and its answer, secrets masked.
type Exchange struct {
	Method     string        `json:"method"`
	URL        string        `json:"url"`
	ReqHeader  http.Header   `json:"request_headers,omitempty"`
	ReqBody    string        `json:"request_body,omitempty"`
	From       string        `json:"from,omitempty"`
	SourceMode string        `json:"-"`
	Status     int           `json:"status,omitempty"`
	RespHeader http.Header   `json:"response_headers,omitempty"`
	RespBody   string        `json:"response_body,omitempty"`
	Err        string        `json:"error,omitempty"`
	At         time.Time     `json:"at"`
	Took       time.Duration `json:"took_ns"`
}

// Transcript is the list of exchanges of the running spec. Specs run one at a time, but one
// spec may send from several goroutines, hence the lock.
type Transcript struct {
	mu sync.Mutex
	ex []*Exchange
}

func (l *Transcript) add(e *Exchange) {
	l.mu.Lock()
	l.ex = append(l.ex, e)
	l.mu.Unlock()
}

// Reset empties the transcript; the runner calls it before each spec.
func (l *Transcript) Reset() {
	l.mu.Lock()
	l.ex = nil
	l.mu.Unlock()
}

// Exchanges returns a copy of the recorded exchanges.
func (l *Transcript) Exchanges() []*Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Exchange(nil), l.ex...)
}

// mask masks the run's secrets in e, before anything clips it: a clip could cut a secret
// where no redactor would recognise it.
func (t *Client) mask(e *Exchange) *Exchange {
	t.redact.Walk(e)
	return e
}

// String renders the exchange as HTTP/1.1-style text, bodies cut at 2 KiB.
func (e *Exchange) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "> %s %s\n", e.Method, e.URL)
	if e.From != "" {
		fmt.Fprintf(&b, "> (from client address %s)\n", e.From)
	}
	writeHeaders(&b, "> ", e.ReqHeader)
	if e.ReqBody != "" {
		fmt.Fprintf(&b, "> \n> %s\n", clip(e.ReqBody))
	}
	if e.Err != "" {
		fmt.Fprintf(&b, "< (no answer: %s)\n", e.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "< %d %s (%s)\n", e.Status, http.StatusText(e.Status), e.Took.Round(time.Microsecond))
	writeHeaders(&b, "< ", e.RespHeader)
	if e.RespBody != "" {
		fmt.Fprintf(&b, "< \n< %s\n", clip(e.RespBody))
	}
	return b.String()
}

// Curl renders the request as a curl command that sends it again.
func (e *Exchange) Curl() string {
	parts := []string{"curl", "-sS", "-i"}
	if e.Method != http.MethodGet {
		parts = append(parts, "-X", e.Method)
	}
	if e.From != "" && e.SourceMode == "source" {
		parts = append(parts, "--interface", e.From)
	}
	keys := make([]string, 0, len(e.ReqHeader))
	for k := range e.ReqHeader {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range e.ReqHeader[k] {
			parts = append(parts, "-H", shellQuote(k+": "+v))
		}
	}
	if e.ReqBody != "" {
		parts = append(parts, "--data-raw", shellQuote(e.ReqBody))
	}
	parts = append(parts, shellQuote(e.URL))
	return strings.Join(parts, " ")
}

func writeHeaders(b *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "Date" || k == "Content-Length" {
			continue
		}
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s%s: %s\n", prefix, k, v)
		}
	}
}

func clip(s string) string {
	const max = 2048
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("... (%d more bytes)", len(s)-max)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
