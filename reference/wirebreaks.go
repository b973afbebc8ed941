package reference

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// wireBreaks are the wire forms a broken reference refuses: each break
// "<profile>.wire-<form>-refused" makes a profile answer 400 to every request
// that shows one form a standard makes the same request as the form conform
// sends by default (package wireform's catalogue: a charset parameter, a
// member order, an Accept header...), as servers that parse by hand do. Each
// form is the break of one profile only; one is enough to see its spec fail.
type wireBreaks struct {
	charset, mediaTypeCase, memberOrder, whitespace bool
	percentAll, unencoded, space20                  bool
	queryOrder, queryExtra                          bool
	authSchemeCase, acceptAny, acceptJSON           bool
	connectionKeep, connectionClose, expectContinue bool
	headerNameCase                                  bool
	// memberCaseFolded is read by the JSON decoders (decodeBody), not by guard.
	memberCaseFolded bool

	// The documents' example requests, each refused by one break (exampleBreakDefs).
	curl, curlHeader, curlQuery                 bool
	spacedJSON, emptyJSONLogout, unindentedJSON bool
	docOrderLogin, docOrderTfkey, docOrderView  bool
}

// wireBreakDef is one wire break: the form's id, what the broken server does,
// and its switch.
type wireBreakDef struct {
	form, what string
	set        func(*wireBreaks)
}

var wireBreakTable = []wireBreakDef{
	{"charset-utf8", "refuses a body whose Content-Type has a charset parameter", func(w *wireBreaks) { w.charset = true }},
	{"media-type-case", "refuses a Content-Type not in lower case", func(w *wireBreaks) { w.mediaTypeCase = true }},
	{"json-member-order", "refuses a JSON body whose members are not in alphabetical order", func(w *wireBreaks) { w.memberOrder = true }},
	{"json-whitespace", "refuses a JSON body with a line break in it", func(w *wireBreaks) { w.whitespace = true }},
	{"percent-encoded", "refuses a form or query value with a percent-encoded letter or digit", func(w *wireBreaks) { w.percentAll = true }},
	{"unencoded", "refuses a form or query value with an @ not percent-encoded", func(w *wireBreaks) { w.unencoded = true }},
	{"space-percent-20", "refuses a space encoded as %20 in a form or query value", func(w *wireBreaks) { w.space20 = true }},
	{"query-order", "reads query parameters by position: refuses a query in neither alphabetical nor the document's order", func(w *wireBreaks) { w.queryOrder = true }},
	{"query-extra", "refuses a query with a parameter the document does not name", func(w *wireBreaks) { w.queryExtra = true }},
	{"auth-scheme-case", "refuses an Authorization scheme in lower case", func(w *wireBreaks) { w.authSchemeCase = true }},
	{"accept-any", "answers 400 to Accept: */*", func(w *wireBreaks) { w.acceptAny = true }},
	{"accept-json", "answers 400 to an Accept that names application/json", func(w *wireBreaks) { w.acceptJSON = true }},
	{"connection-keep-alive", "answers 400 to Connection: keep-alive", func(w *wireBreaks) { w.connectionKeep = true }},
	{"connection-close", "answers 400 to Connection: close", func(w *wireBreaks) { w.connectionClose = true }},
	{"expect-continue", "answers 400 to Expect: 100-continue", func(w *wireBreaks) { w.expectContinue = true }},
	{"header-name-case", "matches header names byte for byte: refuses a request with a standard header name not in canonical case (content-type for Content-Type), or a document's field not as the document spells it", func(w *wireBreaks) { w.headerNameCase = true }},
	{"member-case", "reads JSON member names in any letter case (Password as password), as Go's encoding/json does", func(w *wireBreaks) { w.memberCaseFolded = true }},
}

// wireBreakDefs returns the breaks "<profile>.wire-<form>-refused" (or, for
// member-case, "-folded") of the given forms, for a profile's break table.
func wireBreakDefs[T any](profile string, get func(*T) *wireBreaks, forms ...string) []breakDef[T] {
	var out []breakDef[T]
	for _, d := range wireBreakTable {
		if !slices.Contains(forms, d.form) {
			continue
		}
		name := profile + ".wire-" + d.form + "-refused"
		if d.form == "member-case" {
			name = profile + ".wire-member-case-folded"
		}
		out = append(out, breakDef[T]{name, d.what, func(x *T) { d.set(get(x)) }})
	}
	return out
}

// exampleBreakDefs are the breaks of the documents' example requests: each
// refuses a request as a document's example writes it, by what that example
// alone sends (curl's User-Agent, the example's spacing or parameter order, a
// Content-Type without a body).
func exampleBreakDefs[T any](get func(*T) *wireBreaks, names ...string) []breakDef[T] {
	table := []struct {
		name, what string
		set        func(*wireBreaks)
	}{
		{"flylogs.example-curl-refused", "refuses requests from curl (User-Agent curl/...), as a bot filter does", func(w *wireBreaks) { w.curl = true }},
		{"lptracker.example-curl-refused", "refuses requests from curl (User-Agent curl/...) to /login, as a bot filter does", func(w *wireBreaks) { w.curl = true }},
		{"lptracker.logout-empty-json-400", "answers 400 to a logout with Content-Type application/json and no body, and keeps the token", func(w *wireBreaks) { w.emptyJSONLogout = true }},
		{"apikey.example-unindented-json-refused", "refuses a JSON body with a member at the start of a line (no indentation)", func(w *wireBreaks) { w.unindentedJSON = true }},
		{"jwt.example-spaced-json-refused", `refuses a JSON body with a space after a comma ({"email": "...", "password": "..."})`, func(w *wireBreaks) { w.spacedJSON = true }},
		{"jwt.example-curl-header-refused", "refuses curl's requests (User-Agent curl/...) with header x-access-token", func(w *wireBreaks) { w.curlHeader = true }},
		{"jwt.example-curl-query-refused", "refuses curl's requests (User-Agent curl/...) with query parameter token", func(w *wireBreaks) { w.curlQuery = true }},
		{"newapikey.example-login-order-refused", "refuses a login whose query is user, pass, description in that order (the document's)", func(w *wireBreaks) { w.docOrderLogin = true }},
		{"newapikey.example-tfkey-order-refused", "refuses a login whose query is user, pass, description, tfkey in that order (the document's)", func(w *wireBreaks) { w.docOrderTfkey = true }},
		{"newapikey.example-view-order-refused", "refuses a view whose query is user, key in that order (the document's)", func(w *wireBreaks) { w.docOrderView = true }},
	}
	var out []breakDef[T]
	for _, d := range table {
		if slices.Contains(names, d.name) {
			out = append(out, breakDef[T]{d.name, d.what, func(x *T) { d.set(get(x)) }})
		}
	}
	return out
}

// wireStrictDef is the break "<profile>.wire-any-form-refused": every form of
// the catalogue refused, only conform's default form served. It fails every
// wire spec of the profile at once, so one run of it (e2e's break cover) shows
// them all failing; each form's own break shows its spec alone.
func wireStrictDef[T any](profile string, get func(*T) *wireBreaks) breakDef[T] {
	return breakDef[T]{profile + ".wire-any-form-refused", "serves only conform's default form of each request: every other form of the wire catalogue refused", func(x *T) {
		w := get(x)
		for _, d := range wireBreakTable {
			d.set(w)
		}
		w.memberCaseFolded = profile == "lptracker" // only lptracker's member-case spec sees it; elsewhere it would fail no more
	}}
}

// on reports whether any break that guard checks is on.
func (w *wireBreaks) on() bool {
	c := *w
	c.memberCaseFolded = false
	return c != (wireBreaks{})
}

// guard wraps next with the wire breaks: a request showing a broken form is
// answered 400 before next sees it. Without a break it returns next itself.
func (w *wireBreaks) guard(next http.Handler) http.Handler {
	if !w.on() {
		return next
	}
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, maxBodyBytes))
		if err != nil {
			writeJSON(rw, http.StatusRequestEntityTooLarge, map[string]string{"error": "body too large"})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if why := w.refuses(r, body); why != "" {
			writeJSON(rw, http.StatusBadRequest, map[string]any{"status": "error", "success": false, "error": why})
			return
		}
		next.ServeHTTP(rw, r)
	})
}

// refuses says why the broken server refuses r, "" when it serves it.
func (w *wireBreaks) refuses(r *http.Request, body []byte) string {
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	rawType, _, _ := strings.Cut(ct, ";")
	isForm := mt == "application/x-www-form-urlencoded"
	encoded := [][]byte{[]byte(r.URL.RawQuery)}
	if isForm {
		encoded = append(encoded, body)
	}
	has := func(pred func([]byte) bool) bool { return slices.ContainsFunc(encoded, pred) }
	lowerName := ""
	if w.headerNameCase {
		lowerName = oddCaseName(r)
	}
	switch {
	case lowerName != "":
		return "unknown header " + lowerName
	case w.charset && params["charset"] != "":
		return "charset parameter not supported"
	case w.mediaTypeCase && strings.TrimSpace(rawType) != strings.ToLower(strings.TrimSpace(rawType)):
		return "unsupported media type " + rawType
	case w.memberOrder && !isForm && !membersSorted(body):
		return "unexpected member order"
	case w.whitespace && !isForm && bytes.ContainsAny(body, "\r\n"):
		return "unexpected line break in the body"
	case w.percentAll && has(percentEncodesUnreserved):
		return "unexpected percent-encoding"
	case w.unencoded && has(func(b []byte) bool { return bytes.IndexByte(b, '@') >= 0 }):
		return "unencoded @"
	case w.space20 && has(func(b []byte) bool { return bytes.Contains(b, []byte("%20")) }):
		return "unexpected %20"
	case w.queryOrder && !w.orderKnown(r):
		return "query parameters out of order"
	case w.queryExtra && !w.queryNamed(r):
		return "unknown query parameter"
	case w.authSchemeCase && startsLower(r.Header.Get("Authorization")):
		return "unknown authorization scheme"
	case w.acceptAny && r.Header.Get("Accept") == "*/*":
		return "Accept */* not supported"
	case w.acceptJSON && strings.Contains(r.Header.Get("Accept"), "application/json"):
		return "Accept application/json not supported"
	case w.connectionKeep && strings.EqualFold(r.Header.Get("Connection"), "keep-alive"):
		return "Connection keep-alive not supported"
	case w.connectionClose && (r.Close || strings.EqualFold(r.Header.Get("Connection"), "close")):
		return "Connection close not supported"
	case w.expectContinue && r.Header.Get("Expect") != "":
		return "Expect not supported"
	}
	return w.refusesExample(r, body, isForm)
}

// refusesExample is refuses for the example breaks.
func (w *wireBreaks) refusesExample(r *http.Request, body []byte, isForm bool) string {
	curl := strings.HasPrefix(r.Header.Get("User-Agent"), "curl/")
	names := strings.Join(queryNames(r), ",")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case w.curl && curl && !strings.HasSuffix(r.URL.Path, "/logout"):
		return "no bots"
	case w.curlHeader && curl && r.Header.Get("X-Access-Token") != "":
		return "no bots"
	case w.curlQuery && curl && r.URL.Query().Has("token"):
		return "no bots"
	case w.spacedJSON && !isForm && bytes.Contains(body, []byte(`", "`)):
		return "unexpected space"
	case w.unindentedJSON && !isForm && bytes.Contains(body, []byte("\n\"")):
		return "unexpected layout"
	case w.emptyJSONLogout && strings.HasSuffix(r.URL.Path, "/logout") && mt == "application/json" && len(body) == 0:
		return "a JSON body is required"
	case w.docOrderLogin && names == "user,pass,description",
		w.docOrderTfkey && names == "user,pass,description,tfkey",
		w.docOrderView && names == "user,key":
		return "query parameters out of order"
	}
	return ""
}

// membersSorted reports whether a JSON object's top-level member names come
// in alphabetical order (conform's default form); a body that is not an
// object counts as sorted, for the handler to refuse.
func membersSorted(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return true
	}
	var names []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return true
		}
		name, _ := t.(string)
		names = append(names, name)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return true
		}
	}
	return slices.IsSorted(names)
}

// percentEncodesUnreserved reports whether b percent-encodes a letter or digit.
func percentEncodesUnreserved(b []byte) bool {
	for i := 0; i+2 < len(b); i++ {
		if b[i] != '%' {
			continue
		}
		c, ok := unhex2(b[i+1], b[i+2])
		if ok && (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

func unhex2(a, b byte) (byte, bool) {
	h := func(c byte) (byte, bool) {
		switch {
		case c >= '0' && c <= '9':
			return c - '0', true
		case c >= 'a' && c <= 'f':
			return c - 'a' + 10, true
		case c >= 'A' && c <= 'F':
			return c - 'A' + 10, true
		}
		return 0, false
	}
	x, ok1 := h(a)
	y, ok2 := h(b)
	return x<<4 | y, ok1 && ok2
}

func startsLower(v string) bool {
	return v != "" && v[0] >= 'a' && v[0] <= 'z'
}

// queryNames lists r's query parameter names in order.
func queryNames(r *http.Request) []string {
	var out []string
	for _, p := range strings.Split(r.URL.RawQuery, "&") {
		if p == "" {
			continue
		}
		name, _, _ := strings.Cut(p, "=")
		out = append(out, name)
	}
	return out
}

// documentedParams are the query parameters the documents name.
var documentedParams = []string{"user", "pass", "description", "tfkey", "key", "token"}

func (w *wireBreaks) queryNamed(r *http.Request) bool {
	for _, n := range queryNames(r) {
		if !slices.Contains(documentedParams, n) {
			return false
		}
	}
	return true
}

// orderKnown reports whether r's query names come in alphabetical order or in
// the order the document writes them (user, pass, description, tfkey; user,
// key): the two a server reading by position would know.
func (w *wireBreaks) orderKnown(r *http.Request) bool {
	names := queryNames(r)
	if slices.IsSorted(names) {
		return true
	}
	var doc []string
	for _, n := range []string{"user", "pass", "description", "tfkey", "key", "token"} {
		if slices.Contains(names, n) {
			doc = append(doc, n)
		}
	}
	return slices.Equal(doc, names)
}

// oddCaseName returns the first header name of r written in a letter case a byte-for-byte
// parser does not know, "" when there is none or the names as written are not known: it knows
// the standard fields in their canonical case (Content-Type) and the documents' own fields as
// the documents spell them (doc 003's token, doc 004's x-access-token). It reads the request's
// head once: call it once per request.
func oddCaseName(r *http.Request) string {
	names, _ := rawHeaderNames(r)
	for _, n := range names {
		if n != http.CanonicalHeaderKey(n) && n != "token" && n != "x-access-token" {
			return n
		}
	}
	return ""
}
