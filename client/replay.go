package client

import (
	"net/http"
	"strings"
)

// Part is where in a request a value sits, which decides how a secret is encoded there.
type Part int

// The parts of a request a Parameterizer rewrites.
const (
	PartURL    Part = iota // the URL, query included: percent-encoded
	PartHeader             // a header value: raw, or inside a Basic credential
	PartBody               // the body, encoded as its Content-Type says
)

// Parameterizer rewrites one part of a request for a reproducer script: each secret it knows
// is replaced by a placeholder (see Placeholder) naming the environment variable the script
// reads it from, so that a script holds no secret and no masked literal. contentType is the
// request's Content-Type, for PartBody.
type Parameterizer interface {
	Parameterize(part Part, contentType, s string) string
}

// Replay is a request as a reproducer sends it again: its parts parameterized, then masked, so
// that a secret no Parameterizer knew (a 2FA code read at run time) shows as the mask, for
// the script to ask for. It holds no secret.
type Replay struct {
	Method string
	URL    string
	Header http.Header
	Body   string
	// From and SourceMode say which client address sent it and how (source, header).
	From, SourceMode string
}

// PlaceholderMark delimits a placeholder in a parameterized part: MARK expression MARK,
// where expression is a POSIX shell expression that yields the value (e.g. ${CONFORM_X}).
// A NUL byte never reaches the wire in a part conform sends as text.
const PlaceholderMark = "\x00"

// Placeholder marks expr (a shell expression) as a placeholder in a parameterized part.
func Placeholder(expr string) string { return PlaceholderMark + expr + PlaceholderMark }

// replay builds e's Replay from the request as it went on the wire, before e is masked.
func (t *Client) replay(e *Exchange) *Replay {
	p := t.opts.Replay
	if p == nil {
		return nil
	}
	ct := e.ReqHeader.Get("Content-Type")
	r := &Replay{Method: e.Method, URL: p.Parameterize(PartURL, "", e.URL), Body: p.Parameterize(PartBody, ct, e.ReqBody),
		Header: make(http.Header, len(e.ReqHeader)), From: e.From, SourceMode: e.SourceMode}
	for k, vs := range e.ReqHeader {
		for _, v := range vs {
			r.Header.Add(k, p.Parameterize(PartHeader, "", v))
		}
	}
	t.redact.Walk(r)
	return r
}

// Literal reports whether a parameterized part holds no placeholder.
func Literal(s string) bool { return !strings.Contains(s, PlaceholderMark) }
