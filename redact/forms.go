package redact

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
)

// forms returns the forms secret s takes on the wire and in reports (see the package
// comment), s first; some may repeat.
func forms(s string) []string {
	q := url.QueryEscape(s)
	q20 := strings.ReplaceAll(q, "+", "%20") // QueryEscape writes + only for a space
	p := url.PathEscape(s)
	once := []string{s,
		jsonString(s, true), jsonString(s, false), jsonASCII(s), strings.ReplaceAll(jsonASCII(s), "/", `\/`),
		goQuote(s), goQuoteASCII(s),
		xmlText(s), xmlNamed(s), html.EscapeString(s),
		q, lowerHex(q), q20, lowerHex(q20), p, lowerHex(p),
	}
	out := make([]string, 0, 8*len(once)+16)
	for _, f := range once {
		// Encoded once more: an echoed JSON body inside a JSON answer, JSON inside JUnit XML,
		// a quoted message quoted again.
		j := jsonString(f, true)
		out = append(out, f, j, jsonString(f, false), xmlText(f), goQuote(f))
		// And a third time on the one path that takes three: a JSON body echoed in a JSON
		// answer, in a JSON report or a JUnit property.
		jj := jsonString(j, true)
		out = append(out, jj, jsonString(jj, true), xmlText(jj))
	}
	b64 := append(basicForms(s), basicForms(s+":")...) // curl -u KEY: (doc 000's company key)
	b64 = append(b64, base64Fragments(s)...)
	for _, b := range b64 {
		// Base64 in a query or form value: + / = escaped (a Basic credential or a JWT passed on
		// in a URL).
		out = append(out, b)
		if q := url.QueryEscape(b); q != b {
			out = append(out, q, lowerHex(q))
		}
	}
	return out
}

// jsonString is s as the inside of a JSON string, with or without Go's HTML escaping.
func jsonString(s string, escapeHTML bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(escapeHTML)
	_ = enc.Encode(s) // a string always encodes
	out := bytes.TrimSuffix(b.Bytes(), []byte("\n"))
	return string(out[1 : len(out)-1])
}

// jsonASCII is s as the inside of a JSON string with every non-ASCII character escaped, as
// Python's json.dumps and PHP's json_encode write it.
func jsonASCII(s string) string {
	var b strings.Builder
	for _, r := range jsonString(s, false) {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r > 0xffff:
			r -= 0x10000
			fmt.Fprintf(&b, `\u%04x\u%04x`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func goQuote(s string) string      { q := strconv.Quote(s); return q[1 : len(q)-1] }
func goQuoteASCII(s string) string { q := strconv.QuoteToASCII(s); return q[1 : len(q)-1] }

// xmlText is s as encoding/xml writes text and attributes (&#34; &#39;).
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// xmlNamed is s with XML's named entities (&quot; &apos;).
var xmlNamed = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace

// lowerHex turns the hex digits of s's percent escapes to lower case.
func lowerHex(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lowerASCII(b[i+1]), lowerASCII(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// basicForms is s in base64, standard and URL alphabets, unpadded: a prefix of the padded form
// too.
func basicForms(s string) []string {
	return []string{base64.RawStdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))}
}

// minFragment is the shortest base64 fragment masked: shorter ones would turn up by chance in
// the base64 of tokens.
const minFragment = 6

// base64Fragments are the base64 characters that s alone decides wherever it sits in a longer
// text: for each of the three alignments of s to base64's 3-byte groups, the characters whose
// 6 bits all come from s. They find s inside a JWT payload or a Basic credential of any user.
func base64Fragments(s string) []string {
	var out []string
	for k := range 3 {
		b := append(make([]byte, k), s...)
		bits := 8 * len(b)
		from, to := (8*k+5)/6, bits/6 // first character after the k bytes before s; last one inside s
		if to-from < minFragment {
			continue
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			out = append(out, enc.EncodeToString(b)[from:to])
		}
	}
	return out
}
