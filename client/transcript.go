package client

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Exchange is one request and its answer, secrets masked. What a transcript keeps is bounded
// whatever the target sends: bodies are clipped to their first 8 KiB and long URLs and header
// values to their first 4 KiB (as JSON-encoded), each with a note of how much was cut.
type Exchange struct {
	Method    string      `json:"method"`
	URL       string      `json:"url"`
	ReqHeader http.Header `json:"request_headers,omitempty"`
	ReqBody   string      `json:"request_body,omitempty"`
	// ReqBodyClipped counts the request body's bytes not kept in ReqBody.
	ReqBodyClipped int    `json:"request_body_clipped_bytes,omitempty"`
	From           string `json:"from,omitempty"`
	// Together, when not 0, numbers the exchanges whose requests were released together
	// (concurrently); the exchanges with one number are adjacent, in the order they ended.
	Together   int    `json:"together,omitempty"`
	SourceMode string `json:"-"`
	// Refused says why conform did not send the request (see RefusalError); the exchange
	// then has no answer.
	Refused    string      `json:"refused,omitempty"`
	Status     int         `json:"status,omitempty"`
	RespHeader http.Header `json:"response_headers,omitempty"`
	RespBody   string      `json:"response_body,omitempty"`
	// RespBodyBytes is how many bytes of the answer's body conform read; RespBodyClipped how
	// many of those are not kept in RespBody; RespTruncated says the target sent more than
	// conform reads (4 MiB).
	RespBodyBytes   int64  `json:"response_body_bytes,omitempty"`
	RespBodyClipped int    `json:"response_body_clipped_bytes,omitempty"`
	RespTruncated   bool   `json:"response_body_truncated,omitempty"`
	Err             string `json:"error,omitempty"`
	// Dropped counts the spec's earlier exchanges that the transcript did not keep.
	Dropped int           `json:"dropped_before,omitempty"`
	At      time.Time     `json:"at"`
	Took    time.Duration `json:"took_ns"`
	// Replay is the request as a reproducer script sends it (see Replay); nil when the
	// client has no Parameterizer. Reports leave it out: the reproducer is their form of it.
	Replay *Replay `json:"-"`
}

// What a transcript keeps of each exchange, and how many exchanges of one spec.
const (
	keptBody      = 8 << 10
	keptValue     = 4 << 10
	keptExchanges = 32
)

// Transcript is the list of exchanges of the running spec, the last keptExchanges of them.
// Specs run one at a time, but one spec may send from several goroutines, hence the lock.
type Transcript struct {
	mu      sync.Mutex
	ex      []*Exchange
	dropped int
}

func (l *Transcript) add(e *Exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ex) == keptExchanges {
		l.dropped++
		l.ex = append(l.ex[:0], l.ex[1:]...)
		l.ex[0].Dropped = l.dropped
	}
	l.ex = append(l.ex, e)
}

// Reset empties the transcript; the runner calls it before each spec.
func (l *Transcript) Reset() {
	l.mu.Lock()
	l.ex, l.dropped = nil, 0
	l.mu.Unlock()
}

// Restore replaces the transcript with ex, exchanges an earlier Exchanges returned: the
// exploration (package explore) runs in whichever of its specs runs first, and the spec whose
// rule it found broken shows the exchanges of the shrunk sequence as its own.
func (l *Transcript) Restore(ex []*Exchange) {
	l.mu.Lock()
	l.ex, l.dropped = append([]*Exchange(nil), ex...), 0
	if len(l.ex) > 0 {
		l.dropped = l.ex[0].Dropped
	}
	l.mu.Unlock()
}

// Exchanges returns a copy of the recorded exchanges.
func (l *Transcript) Exchanges() []*Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*Exchange(nil), l.ex...)
}

// record masks e, clips it and adds it to the transcript. A request body far longer than
// what is kept (a spec's 10 MiB body) is cut to maskedBody first: masking walks every byte once
// per form of every secret, and what lies past the kept start is dropped anyway.
func (t *Client) record(e *Exchange) {
	if requestSize(e) <= maskedBody {
		// A request of megabytes (a robustness spec's body, a hostile target's token sent
		// back) is not kept whole for a reproducer script: the script and every report that
		// carries it would grow by as much for each such request.
		e.Replay = t.replay(e)
	}
	cut := 0
	if len(e.ReqBody) > maskedBody {
		e.ReqBody, cut = e.ReqBody[:maskedBody], len(e.ReqBody)-maskedBody
	}
	e = t.mask(e).clip()
	e.ReqBodyClipped += cut
	t.log.add(e)
}

// requestSize is the bytes of e's request a replay would keep: URL, header values and body.
func requestSize(e *Exchange) int {
	n := len(e.URL) + len(e.ReqBody)
	for _, vs := range e.ReqHeader {
		for _, v := range vs {
			n += len(v)
		}
	}
	return n
}

// maskedBody is how much of a request body record masks: what clip keeps and a margin for the
// secrets that masking shortens before it.
const maskedBody = keptBody + 64<<10

// mask masks the run's secrets in e, before anything clips it: a clip could cut a secret
// where no redactor would recognise it.
func (t *Client) mask(e *Exchange) *Exchange {
	t.redact.Walk(e)
	return e
}

// clip cuts what e keeps down to its bounds, copying what it keeps so that the whole body
// read from the target is not held on to.
func (e *Exchange) clip() *Exchange {
	e.ReqBody, e.ReqBodyClipped = clipKept(e.ReqBody, keptBody)
	e.RespBody, e.RespBodyClipped = clipKept(e.RespBody, keptBody)
	e.URL = clipValue(e.URL)
	for _, h := range []http.Header{e.ReqHeader, e.RespHeader} {
		for _, vs := range h {
			for i := range vs {
				vs[i] = clipValue(vs[i])
			}
		}
	}
	return e
}

// clipKept returns a copy of the longest start of s, in whole runes, whose JSON encoding
// takes at most n bytes, and how many bytes of s it left out. Counting the encoding rather
// than the bytes keeps a report bounded when a target sends control bytes or broken UTF-8,
// each of which takes six bytes in JSON (\u0001, \ufffd).
func clipKept(s string, n int) (string, int) {
	if len(s)*6 <= n {
		return s, 0
	}
	cost, cut := 0, 0
	for cut < len(s) {
		r, size := utf8.DecodeRuneInString(s[cut:])
		if cost += jsonCost(r, size); cost > n {
			break
		}
		cut += size
	}
	if cut == len(s) {
		return s, 0
	}
	return strings.Clone(s[:cut]), len(s) - cut
}

// jsonCost is how many bytes encoding/json writes for one rune of a string (size bytes of
// UTF-8 in the original); HTML characters are escaped, as json.Marshal does by default.
func jsonCost(r rune, size int) int {
	switch {
	case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t':
		return 2
	case r < 0x20, r == '<', r == '>', r == '&', r == 0x2028, r == 0x2029, r == utf8.RuneError && size == 1:
		return 6
	}
	return size
}

// clipValue clips a URL or a header value, saying inline how much was cut: such a value is
// shown whole in curl lines, so a clipped one must not pass for the whole.
func clipValue(s string) string {
	kept, cut := clipKept(s, keptValue)
	if cut == 0 {
		return s
	}
	return kept + fmt.Sprintf("...[conform: %d more bytes not kept]", cut)
}

// String renders the exchange as HTTP/1.1-style text for a terminal: bodies cut at 2 KiB,
// every line of a body prefixed with its direction, and control characters from either side
// escaped (see Printable), so that nothing the target sends can move the cursor or start a
// line of its own in a CI log.
func (e *Exchange) String() string {
	var b strings.Builder
	if e.Dropped > 0 {
		fmt.Fprintf(&b, "(%d earlier exchanges of this spec not kept)\n", e.Dropped)
	}
	fmt.Fprintf(&b, "> %s %s\n", Printable(e.Method), Printable(e.URL))
	if e.From != "" {
		fmt.Fprintf(&b, "> (from client address %s)\n", Printable(e.From))
	}
	writeHeaders(&b, "> ", e.ReqHeader)
	if e.ReqBody != "" {
		writeBody(&b, "> ", e.ReqBody, e.ReqBodyClipped, "")
	}
	switch {
	case e.Refused != "":
		fmt.Fprintf(&b, "< (not sent: conform refused: %s)\n", Printable(e.Refused))
		return b.String()
	case e.Err != "" && e.Status == 0:
		fmt.Fprintf(&b, "< (no answer: %s)\n", Printable(e.Err))
		return b.String()
	}
	fmt.Fprintf(&b, "< %d %s (%s)\n", e.Status, http.StatusText(e.Status), e.Took.Round(time.Microsecond))
	writeHeaders(&b, "< ", e.RespHeader)
	if e.RespBody != "" {
		note := ""
		if e.RespTruncated {
			note = "; the target sent more: conform reads at most 4 MiB of an answer"
		}
		writeBody(&b, "< ", e.RespBody, e.RespBodyClipped, note)
	}
	if e.Err != "" {
		fmt.Fprintf(&b, "< (the body broke off after %d bytes: %s)\n", e.RespBodyBytes, Printable(e.Err))
	}
	return b.String()
}

// writeBody writes a body, its first 2 KiB, each line behind prefix, with a note of how much
// is not shown (clipped already counts bytes the transcript did not keep).
func writeBody(b *strings.Builder, prefix, body string, clipped int, note string) {
	shown, cut := clipKept(body, 2048)
	fmt.Fprintf(b, "%s\n", prefix)
	for _, line := range strings.Split(PrintableText(shown), "\n") {
		fmt.Fprintf(b, "%s%s\n", prefix, line)
	}
	if cut += clipped; cut > 0 || note != "" {
		fmt.Fprintf(b, "%s(%d more bytes not shown%s)\n", prefix, cut, note)
	}
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
			fmt.Fprintf(b, "%s%s: %s\n", prefix, Printable(k), Printable(v))
		}
	}
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
