package load

import "time"

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

// tagSessions makes the attacks hand every answer to OnAnswer with its session: the validate
// scenario's targets are its sessions' probes, in order, so a hit's target is its session.
func (e *prepared) tagSessions() { e.tagged = true }
