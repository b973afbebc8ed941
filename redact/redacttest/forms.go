// Package redacttest computes, with the standard library alone, the encodings of a secret
// that package redact must mask: the reference its tests (and the end-to-end tests) check
// against, written apart from redact's own list so that a form missing there shows.
package redacttest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf16"
)

// WireForms are the forms a secret takes on the wire and in reports, computed with the standard
// library alone, independently of package redact: what a target or a report encoder writes.
// The redact package's tests check that it masks each; the end-to-end tests count each in
// every output conform writes.
func WireForms(s string) map[string]string {
	inner := func(b []byte) string { return string(b[1 : len(b)-1]) }
	jsonHTML := func(s string) string { b, _ := json.Marshal(s); return inner(b) }
	jsonPlain := func(s string) string {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		e.Encode(s)
		return inner(bytes.TrimSpace(b.Bytes()))
	}
	jsonASCII := func(s string) string {
		var b strings.Builder
		for _, r := range jsonPlain(s) {
			switch {
			case r < 0x80:
				b.WriteRune(r)
			case r > 0xffff: // a surrogate pair, as every JSON encoder writes it
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
			default:
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		}
		return b.String()
	}
	xmlEsc := func(s string) string { var b strings.Builder; xml.EscapeText(&b, []byte(s)); return b.String() }
	lowerHex := func(s string) string {
		b := []byte(s)
		for i := range b {
			if b[i] == '%' && i+2 < len(b) {
				copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
			}
		}
		return string(b)
	}
	q := url.QueryEscape(s)
	b64 := base64.StdEncoding.EncodeToString
	return map[string]string{
		"raw":                 s,
		"json (go)":           jsonHTML(s),
		"json (plain)":        jsonPlain(s),
		"json (ascii)":        jsonASCII(s),
		"json (php)":          strings.ReplaceAll(jsonASCII(s), "/", `\/`),
		"json of json":        jsonHTML(jsonHTML(s)),
		"json of json plain":  jsonPlain(jsonHTML(s)),
		"go %q":               inner([]byte(strconv.Quote(s))),
		"go %+q":              inner([]byte(strconv.QuoteToASCII(s))),
		"query":               q,
		"query lower hex":     lowerHex(q),
		"query %20":           strings.ReplaceAll(q, "+", "%20"),
		"form value":          strings.TrimPrefix(url.Values{"k": {s}}.Encode(), "k="),
		"path":                url.PathEscape(s),
		"path lower hex":      lowerHex(url.PathEscape(s)),
		"xml":                 xmlEsc(s),
		"html":                html.EscapeString(s),
		"xml named entities":  strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s),
		"xml of json":         xmlEsc(jsonHTML(s)),
		"xml of json of json": xmlEsc(jsonHTML(jsonHTML(s))),
		"json of xml":         jsonHTML(xmlEsc(s)),
		"base64":              b64([]byte(s)),
		"base64 key:":         b64([]byte(s + ":")),
		"base64url":           base64.URLEncoding.EncodeToString([]byte(s)),
		"base64url raw":       base64.RawURLEncoding.EncodeToString([]byte(s)),
		"query mixed hex":     mixedHex(q),
		"base64 in a query":   url.QueryEscape(b64([]byte(s))),
		"base64 key: in form": lowerHex(url.QueryEscape(b64([]byte(s + ":")))),
	}
}

// mixedHex writes the hex digits of s's percent escapes in alternating case (%2a%2B).
func mixedHex(s string) string {
	b := []byte(s)
	n := 0
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			if n++; n%2 == 1 {
				copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
			}
			i += 2
		}
	}
	return string(b)
}
