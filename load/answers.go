package load

import (
	"net/http"
	"strconv"
	"time"
)

// Answer is one judged answer of the validate scenario, for a caller that models which answers
// should have been accepted (`conform run --under-load`): which session's token it carried, when
// it was due and how long it took, and conform's judgement.
type Answer struct {
	// Session numbers the scenario's sessions from 0 (its own range of a segment's users).
	Session int
	// Sent is when the request was due; Latency runs from then to the end of the answer.
	Sent    time.Time
	Latency time.Duration
	// Code is the HTTP status, 0 when no answer came (Err says why).
	Code int
	// Refusal is why the probe's rule refused the answer; empty when it accepted the token.
	Refusal string
	Err     string
	// Method and URL are the request's, secrets masked (a query placement carries the token).
	Method, URL string
}

// sessionHeader carries a probe's session number from the targeter to the answer: the tagging
// transport takes it off the request before it is sent and puts it on the answer's headers,
// which vegeta keeps with the result. The target never sees it.
const sessionHeader = "X-Conform-Load-Session"

// sessionTagger is the transport of a validate run whose caller wants its answers (OnAnswer).
type sessionTagger struct{ rt http.RoundTripper }

func (t sessionTagger) RoundTrip(req *http.Request) (*http.Response, error) {
	tag := req.Header.Get(sessionHeader)
	if tag == "" {
		return t.rt.RoundTrip(req)
	}
	out := req.Clone(req.Context())
	out.Header.Del(sessionHeader)
	resp, err := t.rt.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	// The fast transport may share one header map between answers: set on a copy.
	resp.Header = resp.Header.Clone()
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	resp.Header.Set(sessionHeader, tag)
	return resp, nil
}

// tagSessions numbers the validate scenario's probes and makes the client carry the numbers
// through to the answers.
func (e *prepared) tagSessions() {
	for i := range e.targets {
		h := e.targets[i].Header.Clone()
		if h == nil {
			h = http.Header{}
		}
		h.Set(sessionHeader, strconv.Itoa(i))
		e.targets[i].Header = h
	}
	e.client.Transport = sessionTagger{rt: e.client.Transport}
}

// session is the session number a tagged answer's headers carry, -1 for none.
func session(h http.Header) int {
	v := h.Get(sessionHeader)
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1
	}
	return n
}
