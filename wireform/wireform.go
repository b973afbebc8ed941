// Package wireform is the catalogue of a request's wire forms: the other ways a real client
// puts one documented request on the wire (a charset parameter, another letter case, members in
// another order, an Accept header it sends by default, ...) that a standard makes the same
// request, and the forms a standard makes a different one (a member name in another letter
// case). Each entry names its standard and the sentence of it that decides.
//
// It is pure data and functions, like package profile: the specs (specs/wire) send the forms and
// judge the answers, and a generator of request sequences can draw its forms from Equivalents.
// A form works on a client.Request as the specs and load build it (a JSON body as a map, a form
// body or query as url.Values) and returns the request with the form's bytes spelled out (a raw
// body, a query in the path), so client.Request.Encode sends them as they are.
package wireform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/conformhq/conform/client"
)

// Form is one entry of the catalogue.
type Form struct {
	// ID is a stable slug: specs' requirement ids and break names key on it.
	ID string
	// Sends says what the form puts on the wire, for spec texts: "Content-Type
	// application/json; charset=utf-8".
	Sends string
	// Standard names the standard and section that decide, and quotes the sentence.
	Standard string
	// Same says a conforming server answers the form as the request it varies; when false
	// the form is another request (a required member renamed is a missing member) and is
	// refused where the request's own form is accepted.
	Same bool
	// Open, when not empty, says why a conforming server may still answer the form
	// differently (the standard leaves it to the server, or a common framework reads it
	// otherwise): a spec of the form is then a should, with Open as its reason.
	Open string
	// Member is the member or parameter a form of a named member varies (see On); empty
	// for the other forms.
	Member string
	// ByMember marks the forms that need a Member.
	ByMember bool

	applies func(r client.Request, member string) bool
	apply   func(r client.Request, member string) client.Request
}

// On returns f varying the member (JSON member, form field or query parameter) named member:
// for the forms with ByMember.
func (f Form) On(member string) Form {
	f.Member = member
	return f
}

// Applies reports whether f changes r: a form of a JSON body does not apply to a request
// without one, a member's form not to a request without that member.
func (f Form) Applies(r client.Request) bool {
	if f.ByMember && f.Member == "" {
		return false
	}
	return f.applies(r, f.Member)
}

// Apply returns r in form f; r itself is not changed. A form that does not apply returns r.
func (f Form) Apply(r client.Request) client.Request {
	if !f.Applies(r) {
		return r
	}
	return f.apply(clone(r), f.Member)
}

// Variant is a request in one form.
type Variant struct {
	Form    Form
	Request client.Request
}

// Equivalents returns r in every form of the catalogue that a standard makes the same request
// and that changes r, in catalogue order: what a generator may send in r's place and expect
// r's answer to. Forms with Open set are included; a judge that must not fail a conforming
// server reads Form.Open.
func Equivalents(r client.Request) []Variant {
	var out []Variant
	for _, f := range Catalogue() {
		if f.Same && f.Applies(r) {
			out = append(out, Variant{Form: f, Request: f.Apply(r)})
		}
	}
	return out
}

// Get returns the catalogue's form of id.
func Get(id string) (Form, bool) {
	for _, f := range Catalogue() {
		if f.ID == id {
			return f, true
		}
	}
	return Form{}, false
}

// MustGet is Get for ids written in the code, where a typo is a programming error.
func MustGet(id string) Form {
	f, ok := Get(id)
	if !ok {
		panic("wireform: no form " + id)
	}
	return f
}

// The catalogue's ids.
const (
	Charset        = "charset-utf8"
	MediaTypeCase  = "media-type-case"
	MemberOrder    = "json-member-order"
	Whitespace     = "json-whitespace"
	PercentAll     = "percent-encoded"
	Unencoded      = "unencoded"
	SpacePercent20 = "space-percent-20"
	QueryOrder     = "query-order"
	QueryExtra     = "query-extra"
	HeaderNameCase = "header-name-case"
	AuthSchemeCase = "auth-scheme-case"
	AcceptAny      = "accept-any"
	AcceptJSON     = "accept-json"
	ConnectionKeep = "connection-keep-alive"
	ConnectionEnd  = "connection-close"
	ExpectContinue = "expect-continue"
	MemberCase     = "member-case"
)

// Catalogue lists every form, in a fixed order.
func Catalogue() []Form {
	return []Form{
		{ID: Charset, Sends: "Content-Type with charset=utf-8", Same: true,
			Standard: `RFC 8259 §11 (application/json): "No 'charset' parameter is defined for this registration. Adding one really has no effect on compliant recipients."; WHATWG URL §5.1 (application/x-www-form-urlencoded is UTF-8 throughout)`,
			applies:  func(r client.Request, _ string) bool { return mediaType(r) != "" },
			apply: func(r client.Request, _ string) client.Request {
				return withContentType(r, mediaType(r)+"; charset=utf-8")
			}},
		{ID: MediaTypeCase, Sends: "the Content-Type's type and subtype in upper case", Same: true,
			Standard: `RFC 9110 §8.3.1: "The type and subtype tokens are case-insensitive."`,
			applies:  func(r client.Request, _ string) bool { return mediaType(r) != "" },
			apply: func(r client.Request, _ string) client.Request {
				t, sub, _ := strings.Cut(mediaType(r), "/")
				return withContentType(r, strings.ToUpper(t[:1])+t[1:]+"/"+strings.ToUpper(sub))
			}},
		{ID: MemberOrder, Sends: "the JSON body's members in reverse order", Same: true,
			Standard: `RFC 8259 §1: "An object is an unordered collection of zero or more name/value pairs"`,
			applies:  func(r client.Request, _ string) bool { m, ok := jsonObject(r); return ok && len(m) > 1 },
			apply: func(r client.Request, _ string) client.Request {
				m, _ := jsonObject(r)
				keys := sortedKeys(m)
				slices.Reverse(keys)
				return withJSONText(r, objectText(m, keys, false))
			}},
		{ID: Whitespace, Sends: "the JSON body indented over several lines", Same: true,
			Standard: `RFC 8259 §2: "Insignificant whitespace is allowed before or after any of the six structural characters."`,
			applies:  func(r client.Request, _ string) bool { _, ok := jsonObject(r); return ok },
			apply: func(r client.Request, _ string) client.Request {
				m, _ := jsonObject(r)
				return withJSONText(r, objectText(m, sortedKeys(m), true))
			}},
		{ID: PercentAll, Sends: "every byte of every form or query value percent-encoded", Same: true,
			Standard: `WHATWG URL §5.1 application/x-www-form-urlencoded parsing: "percent-decode name and value"; RFC 3986 §6.2.2.2: "URIs that differ in the replacement of an unreserved character with its corresponding percent-encoded US-ASCII octet are equivalent"`,
			applies:  func(r client.Request, _ string) bool { return len(r.Form) > 0 || len(r.Query) > 0 },
			apply: func(r client.Request, _ string) client.Request {
				return encodePairs(r, sortedPairs, escapeAll)
			}},
		{ID: Unencoded, Sends: "form or query values with the characters that delimit nothing (@ : / ...) left unencoded, as curl -d sends them", Same: true,
			Standard: `WHATWG URL §5.1 application/x-www-form-urlencoded parsing splits on "&" and "=" and percent-decodes: a byte other than "%", "+", "&", "=" and "#" reads the same encoded or not`,
			applies: func(r client.Request, _ string) bool {
				return (len(r.Form) > 0 || len(r.Query) > 0) && hasPairs(r, func(v string) bool { return escapeRaw(v) != url.QueryEscape(v) })
			},
			apply: func(r client.Request, _ string) client.Request { return encodePairs(r, sortedPairs, escapeRaw) }},
		{ID: SpacePercent20, Sends: "spaces in form or query values as %20, not +", Same: true,
			Standard: `WHATWG URL §5.1 application/x-www-form-urlencoded parsing: "replace any 0x2B (+) in name and value with 0x20 (SP)", then percent-decode, so "+" and "%20" are both a space`,
			applies: func(r client.Request, _ string) bool {
				return hasPairs(r, func(v string) bool { return strings.Contains(v, " ") })
			},
			apply: func(r client.Request, _ string) client.Request {
				return encodePairs(r, sortedPairs, func(v string) string { return strings.ReplaceAll(url.QueryEscape(v), "+", "%20") })
			}},
		{ID: QueryOrder, Sends: "the query parameters in another order (the last first)", Same: true,
			Standard: `RFC 3986 §3.4 leaves the query's structure to the server; WHATWG URL §6.2 URLSearchParams get(name) finds a parameter by its name, wherever it stands`,
			Open:     "No standard makes the order of query parameters insignificant: RFC 3986 leaves the query to the server, and a server reading its parameters by position conforms to it. The documents name their parameters and fix no order, and every common framework (PHP's $_GET, Express's req.query, Go's url.Values) reads them by name.",
			applies:  func(r client.Request, _ string) bool { return len(pairsOf(r.Query)) > 1 },
			apply: func(r client.Request, _ string) client.Request {
				return encodePairs(r, func(v url.Values) [][2]string {
					p := sortedPairs(v)
					return append(p[len(p)-1:], p[:len(p)-1]...)
				}, url.QueryEscape)
			}},
		{ID: QueryExtra, Sends: "an unrelated query parameter added (conform_unrelated=1)", Same: true,
			Standard: `RFC 3986 §3.4 leaves the query's structure to the server; WHATWG URL §6.2 URLSearchParams get(name) finds a parameter by its name, whatever else the query holds`,
			Open:     "No standard obliges a server to ignore a query parameter it does not know: one that validates its parameters strictly and refuses an unknown one conforms to RFC 3986. The documents list their parameters and say nothing of others; clients and proxies add some (cache busters, tracking), and the common frameworks ignore them.",
			applies:  func(r client.Request, _ string) bool { return len(r.Query) > 0 },
			apply: func(r client.Request, _ string) client.Request {
				r.Query.Set("conform_unrelated", "1")
				return r
			}},
		{ID: HeaderNameCase, Sends: "header names in another letter case (token as Token, Content-Type as content-type)", Same: true,
			Standard: `RFC 9110 §5.1: "Field names are case-insensitive"`,
			applies:  func(r client.Request, _ string) bool { return len(r.Header) > 0 || mediaType(r) != "" },
			apply: func(r client.Request, _ string) client.Request {
				if ct := mediaType(r); ct != "" && r.Header.Get("Content-Type") == "" {
					r = withContentType(r, ct)
				}
				h := http.Header{}
				for k, v := range r.Header {
					h[otherCase(k)] = v
				}
				r.Header = h
				return r
			}},
		{ID: AuthSchemeCase, Sends: "the Authorization scheme in lower case (basic, bearer)", Same: true,
			Standard: `RFC 9110 §11.1: "It uses a case-insensitive token to identify the authentication scheme"`,
			applies: func(r client.Request, _ string) bool {
				s, _, ok := strings.Cut(r.Header.Get("Authorization"), " ")
				return ok && s != strings.ToLower(s)
			},
			apply: func(r client.Request, _ string) client.Request {
				s, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
				r.Header.Set("Authorization", strings.ToLower(s)+" "+rest)
				return r
			}},
		{ID: AcceptAny, Sends: "Accept: */* (curl's default)", Same: true,
			Standard: `RFC 9110 §12.5.1: "*/*" accepts every media type; a client that sends no Accept field "accepts any media type in response" alike`,
			applies:  func(client.Request, string) bool { return true },
			apply:    func(r client.Request, _ string) client.Request { r.Header.Set("Accept", "*/*"); return r }},
		{ID: AcceptJSON, Sends: "Accept: application/json, text/plain, */* (axios's default)", Same: true,
			Standard: `RFC 9110 §12.5.1: the Accept field lists the media types the client takes in response; every documented answer is JSON, which this one takes first`,
			applies:  func(client.Request, string) bool { return true },
			apply: func(r client.Request, _ string) client.Request {
				r.Header.Set("Accept", "application/json, text/plain, */*")
				return r
			}},
		{ID: ConnectionKeep, Sends: "Connection: keep-alive (Node.js's default)", Same: true,
			Standard: `RFC 9110 §7.6.1: "the Connection header field allows the sender to list desired control options for the current connection"; they govern the connection, not the request`,
			applies:  func(client.Request, string) bool { return true },
			apply:    func(r client.Request, _ string) client.Request { r.Header.Set("Connection", "keep-alive"); return r }},
		{ID: ConnectionEnd, Sends: "Connection: close", Same: true,
			Standard: `RFC 9112 §9.6: "close" signals that the connection will be closed after the current request/response is complete; it governs the connection, not the request`,
			applies:  func(client.Request, string) bool { return true },
			apply:    func(r client.Request, _ string) client.Request { r.Header.Set("Connection", "close"); return r }},
		{ID: ExpectContinue, Sends: "Expect: 100-continue on a request with a body (curl's for a large body)", Same: true,
			Standard: `RFC 9110 §10.1.1: a server that receives a 100-continue expectation sends 100 (Continue) or its final answer, and "MAY omit sending a 100 (Continue) response if it has already received some or all of the content"`,
			applies:  func(r client.Request, _ string) bool { return r.JSON != nil || r.Form != nil || r.Body != "" },
			apply:    func(r client.Request, _ string) client.Request { r.Header.Set("Expect", "100-continue"); return r }},
		{ID: MemberCase, Sends: "a required member's name in another letter case, the member itself left out", Same: false, ByMember: true,
			Standard: `RFC 8259 §8.3: strings, member names included, compare equal when their code units are equal, so "Password" is not "password"; WHATWG URL §5.1 names form fields by their bytes alike`,
			Open:     `ASP.NET Core binds JSON members to its model case-insensitively by default (and Go's encoding/json matches member names so), so a server on it reads "Password" as password: it answers a request the documents do not describe, which they leave to it.`,
			applies: func(r client.Request, m string) bool {
				_, ok := memberOf(r, m)
				return ok
			},
			apply: func(r client.Request, m string) client.Request { return renameMember(r, m, otherFirstCase(m)) }},
	}
}

// clone copies the parts of r a form changes.
func clone(r client.Request) client.Request {
	r.Header = r.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if r.Query != nil {
		r.Query = cloneValues(r.Query)
	}
	if r.Form != nil {
		r.Form = cloneValues(r.Form)
	}
	if m, ok := r.JSON.(map[string]any); ok {
		c := make(map[string]any, len(m))
		for k, v := range m {
			c[k] = v
		}
		r.JSON = c
	}
	return r
}

func cloneValues(v url.Values) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// mediaType is the media type r's body goes with: the Content-Type it sets (without
// parameters), else the one client.Request.Encode adds for a JSON or form body; "" without.
func mediaType(r client.Request) string {
	for k, v := range r.Header {
		if strings.EqualFold(k, "Content-Type") && len(v) > 0 {
			t, _, _ := strings.Cut(v[0], ";")
			return strings.ToLower(strings.TrimSpace(t))
		}
	}
	switch {
	case r.JSON != nil:
		return "application/json"
	case r.Form != nil:
		return "application/x-www-form-urlencoded"
	}
	return ""
}

// withContentType sets r's Content-Type to v, whatever the spelling of the name it had.
func withContentType(r client.Request, v string) client.Request {
	for k := range r.Header {
		if strings.EqualFold(k, "Content-Type") {
			delete(r.Header, k)
		}
	}
	r.Header.Set("Content-Type", v)
	return r
}

// jsonObject returns r's JSON body when it is an object (a map).
func jsonObject(r client.Request) (map[string]any, bool) {
	m, ok := r.JSON.(map[string]any)
	return m, ok
}

// withJSONText replaces r's JSON body with text, keeping its Content-Type.
func withJSONText(r client.Request, text string) client.Request {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = "application/json"
	}
	r.JSON, r.Body = nil, text
	r.Header.Set("Content-Type", ct)
	return r
}

// objectText writes m as a JSON object with its members in the order of keys; indented puts
// each member on a line of its own.
func objectText(m map[string]any, keys []string, indented bool) string {
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(",")
		}
		if indented {
			b.WriteString("\n    ")
		}
		name, _ := json.Marshal(k)
		value, err := json.Marshal(m[k])
		if err != nil {
			value = []byte("null")
		}
		b.Write(name)
		b.WriteString(":")
		if indented {
			b.WriteString(" ")
		}
		b.Write(value)
	}
	if indented {
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// pairsOf lists v's name-value pairs in name order, as url.Values.Encode writes them.
func pairsOf(v url.Values) [][2]string {
	var out [][2]string
	for _, k := range sortedKeys(v) {
		for _, x := range v[k] {
			out = append(out, [2]string{k, x})
		}
	}
	return out
}

func sortedPairs(v url.Values) [][2]string { return pairsOf(v) }

// hasPairs reports whether some value of r's form body or query satisfies is.
func hasPairs(r client.Request, is func(string) bool) bool {
	for _, v := range []url.Values{r.Form, r.Query} {
		for _, p := range pairsOf(v) {
			if is(p[1]) {
				return true
			}
		}
	}
	return false
}

// encodePairs writes r's form body and query itself: the pairs in order's order, each value
// escaped by esc (names as url.QueryEscape does), the body raw and the query in the path.
func encodePairs(r client.Request, order func(url.Values) [][2]string, esc func(string) string) client.Request {
	text := func(v url.Values) string {
		var parts []string
		for _, p := range order(v) {
			parts = append(parts, url.QueryEscape(p[0])+"="+esc(p[1]))
		}
		return strings.Join(parts, "&")
	}
	if r.Form != nil {
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		r.Body, r.Form = text(r.Form), nil
		r.Header.Set("Content-Type", ct)
	}
	if len(r.Query) > 0 {
		sep := "?"
		if strings.Contains(r.Path, "?") {
			sep = "&"
		}
		r.Path += sep + text(r.Query)
		r.Query = nil
	}
	return r
}

// escapeAll percent-encodes every byte of v.
func escapeAll(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		fmt.Fprintf(&b, "%%%02X", v[i])
	}
	return b.String()
}

// escapeRaw percent-encodes only what would change how v parses in a form or query (the
// delimiters "%", "+", "&", "=", "#", a space, and bytes that are not printable ASCII), as a
// client that sends values as written (curl -d) does for the values it can send.
func escapeRaw(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("%+&=#", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// otherCase spells a header name in another letter case: a name with an upper-case letter
// all in lower case (as HTTP/2 sends every name), an all-lower-case one canonical (Token).
func otherCase(name string) string {
	if lower := strings.ToLower(name); lower != name {
		return lower
	}
	return http.CanonicalHeaderKey(name)
}

// otherFirstCase is member with its first letter's case swapped: password -> Password.
func otherFirstCase(member string) string {
	if member == "" {
		return member
	}
	first := member[:1]
	if u := strings.ToUpper(first); u != first {
		return u + member[1:]
	}
	return strings.ToLower(first) + member[1:]
}

// memberOf returns the value of r's JSON member, form field or query parameter m.
func memberOf(r client.Request, m string) (any, bool) {
	if obj, ok := jsonObject(r); ok {
		v, ok := obj[m]
		return v, ok
	}
	for _, v := range []url.Values{r.Form, r.Query} {
		if vs, ok := v[m]; ok {
			return vs, true
		}
	}
	return nil, false
}

// renameMember renames r's member from to to.
func renameMember(r client.Request, from, to string) client.Request {
	if obj, ok := jsonObject(r); ok {
		obj[to] = obj[from]
		delete(obj, from)
		return r
	}
	for _, v := range []url.Values{r.Form, r.Query} {
		if vs, ok := v[from]; ok {
			v[to] = vs
			delete(v, from)
		}
	}
	return r
}

// CurlVersion is the curl conform's verbatim curl examples say they are; curl sends its
// version in User-Agent.
const CurlVersion = "8.5.0"

// AsCurl returns r with the headers curl sends of its own on every request (User-Agent
// curl/<version>, Accept: */*): a document's curl example, sent as written, carries them.
func AsCurl(r client.Request) client.Request {
	r = clone(r)
	r.Header.Set("User-Agent", "curl/"+CurlVersion)
	r.Header.Set("Accept", "*/*")
	return r
}

// CurlData is value as curl -d sends it: as written, but for the bytes that would change how
// the form parses (see Unencoded), which a value put into the example must not bring in.
func CurlData(value string) string { return escapeRaw(value) }
