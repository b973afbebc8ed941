package negative

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"strings"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// variant is one hostile form of the document's login: what is sent, never what must happen
// (the specs say that).
type variant struct {
	// name says what is sent, for messages.
	name string
	// parsed says the request is in the document's own encoding with the document's field
	// names, so the target reads it as a login and answers a refused one in the document's
	// failure envelope (Plan.Shape). The others (a body that does not parse, another content
	// type, an oversize body, a long query) are often refused before the application sees
	// them, by a framework or a proxy, in a shape of their own: the shape spec accepts that
	// reading and checks only no token and no 5xx for them.
	parsed bool
	req    client.Request
}

// mayClose reports whether v is an oversize request (a body of 1 MiB or more): a target may
// answer before reading it all and close the connection (Go's server does), so conform may get
// no answer while still writing. That is a refusal too.
func (v variant) mayClose() bool {
	n := len(v.req.Body)
	if m, ok := v.req.JSON.(map[string]any); ok {
		for _, x := range m {
			if s, ok := x.(string); ok {
				n += len(s)
			}
		}
	}
	for _, vs := range v.req.Form {
		for _, x := range vs {
			n += len(x)
		}
	}
	return n >= oneMiB
}

// login is the document's login of one account with the names of its two credential fields,
// found by value: the field that holds the account's login (or API key) and the one that holds
// its secret. Every variant is built from it, so every other field (doc 003's service and
// version, doc 000's company key) stays as the document has it.
type login struct {
	req           client.Request
	user, secret  string // the field names
	userValue     string // the account's login or API key
	secretPrefix  string // the account's secret, to build values that only start with it
	encoding      encoding
	jsonBody      map[string]any
	values        url.Values // the form or the query
	inQuery       bool
	hasCredential bool
}

type encoding int

const (
	encJSON encoding = iota
	encForm
	encQuery
)

// Sizes of the oversize and long variants. The 10 MiB body is the survives spec's: it sends
// one and then checks the target still logs users in.
const (
	oneMiB   = 1 << 20
	tenMiB   = 10 << 20
	longJSON = 64 << 10 // a long field in a body
	longURL  = 2000     // a long field in a URL: most servers and proxies refuse 8 KiB lines
)

// injections are strings that look like SQL injection: a server that builds its query from
// them logs anyone in. One is enough to see a query built from input; each costs the target a
// password hash, so the list stays short.
var injections = []string{`' OR 1=1 --`}

// newLogin finds the credential fields of a's login request r; hasCredential is false when
// the wire's login holds neither (then the variants cannot be built).
func newLogin(r client.Request, a config.Account) login {
	l := login{req: r, userValue: a.Login, secretPrefix: a.Password}
	if l.userValue == "" {
		l.userValue, l.secretPrefix = a.APIKey, a.APISecret
	}
	var pairs map[string]string
	switch {
	case r.JSON != nil:
		m, _ := r.JSON.(map[string]any)
		l.encoding, l.jsonBody = encJSON, m
		pairs = map[string]string{}
		for k, v := range m {
			if s, ok := v.(string); ok {
				pairs[k] = s
			}
		}
	case r.Form != nil:
		l.encoding, l.values = encForm, r.Form
	default:
		l.encoding, l.values, l.inQuery = encQuery, r.Query, true
	}
	if pairs == nil {
		pairs = map[string]string{}
		for k, v := range l.values {
			if len(v) == 1 {
				pairs[k] = v[0]
			}
		}
	}
	for k, v := range pairs {
		switch v {
		case l.userValue:
			l.user = k
		case l.secretPrefix:
			l.secret = k
		}
	}
	l.hasCredential = l.user != "" && l.secret != ""
	return l
}

// clone returns the login request with its own copies of what a variant changes.
func (l login) clone() client.Request {
	r := l.req
	r.Header = l.req.Header.Clone()
	r.Query = cloneValues(l.req.Query)
	r.Form = cloneValues(l.req.Form)
	if l.jsonBody != nil {
		r.JSON = maps.Clone(l.jsonBody)
	}
	return r
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// withJSON is the login with fields set (a nil value is JSON null; absent deletes).
func (l login) withJSON(set map[string]any, drop ...string) client.Request {
	r := l.clone()
	m := r.JSON.(map[string]any)
	maps.Copy(m, set)
	for _, k := range drop {
		delete(m, k)
	}
	return r
}

// withValues is the login with form or query fields replaced (each value list as given) and
// drop removed.
func (l login) withValues(set url.Values, drop ...string) client.Request {
	r := l.clone()
	v := r.Form
	if l.inQuery {
		v = r.Query
	}
	for _, k := range drop {
		v.Del(k)
	}
	for k, vs := range set {
		v[k] = vs
	}
	return r
}

// rawBody is the login with body sent as is, labelled contentType.
func (l login) rawBody(body, contentType string) client.Request {
	r := l.clone()
	r.JSON, r.Form, r.Body = nil, nil, body
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("Content-Type", contentType)
	return r
}

// wrong is a secret that is not the account's.
const wrong = "conform-wrong-secret"

// variants lists the hostile logins of l. None carries the account's credentials as the
// document sends them, so a conforming target gives none of them a token.
func (l login) variants() []variant {
	switch l.encoding {
	case encJSON:
		return l.jsonVariants()
	}
	return l.valueVariants()
}

func (l login) jsonVariants() []variant {
	u, s := l.user, l.secret
	v := []variant{
		{"malformed JSON (cut off)", false, l.rawBody(`{"`+u+`": "`+l.userValue+`", "`+s+`": `, "application/json")},
		{"the login as JSON labelled Content-Type: text/plain (wrong secret)", false, withType(l.withJSON(map[string]any{s: wrong}), "text/plain")},
		{"an empty body", false, l.rawBody("", "application/json")},
		{"a JSON array body", true, l.rawBody(`[]`, "application/json")},
		{"a JSON null body", true, l.rawBody(`null`, "application/json")},
		{s + " as a number", true, l.withJSON(map[string]any{s: 12345})},
		{s + " as an array", true, l.withJSON(map[string]any{s: []any{wrong}})},
		{s + " as an object", true, l.withJSON(map[string]any{s: map[string]any{"value": wrong}})},
		{s + " as null", true, l.withJSON(map[string]any{s: nil})},
		{s + " as true", true, l.withJSON(map[string]any{s: true})},
		{u + " as a number", true, l.withJSON(map[string]any{u: 12345, s: wrong})},
		{u + " as null", true, l.withJSON(map[string]any{u: nil, s: wrong})},
		{"no " + s, true, l.withJSON(nil, s)},
		{"no " + u + " (the right " + s + ")", true, l.withJSON(nil, u)},
		{"no field at all", true, l.rawBody(`{}`, "application/json")},
		{s + " twice, both wrong", true, l.rawBody(duplicated(l.withJSON(nil, s).JSON, s, `"`+wrong+`"`, `{"$ne": null}`), "application/json")},
		{"a 64 KiB " + u + " and a 64 KiB " + s, true, l.withJSON(map[string]any{u: strings.Repeat("u", longJSON), s: strings.Repeat("p", longJSON)})},
		{s + " as the right one, a NUL byte and more", true, l.withJSON(map[string]any{s: l.secretPrefix + "\x00x"})},
		{u + " with unicode (bidi override, emoji, combining marks) and a NUL byte", true, l.withJSON(map[string]any{u: "ålice\u202e\U0001F600e\u0301" + l.userValue + "\x00", s: "pässwörd-\U0001F600"})},
		{s + ` {"$ne": null}`, true, l.withJSON(map[string]any{s: map[string]any{"$ne": nil}})},
		{s + ` {"$gt": ""}`, true, l.withJSON(map[string]any{s: map[string]any{"$gt": ""}})},
		{u + ` and ` + s + ` {"$ne": null}`, true, l.withJSON(map[string]any{u: map[string]any{"$ne": nil}, s: map[string]any{"$ne": nil}})},
	}
	for _, inj := range injections {
		v = append(v, variant{u + " and " + s + " " + inj, true, l.withJSON(map[string]any{u: inj, s: inj})})
	}
	return append(v,
		variant{"a 1 MiB body (" + s + " of 1 MiB)", false, l.withJSON(map[string]any{s: strings.Repeat("p", oneMiB)})},
	)
}

func (l login) valueVariants() []variant {
	u, s := l.user, l.secret
	one := func(x string) []string { return []string{x} }
	long := longJSON
	if l.inQuery {
		long = longURL
	}
	v := []variant{
		{s + "[$ne] (an object, as PHP and Express parse it)", true, l.withValues(url.Values{s + "[$ne]": one("")}, s)},
		{s + "[$gt] (an object, as PHP and Express parse it)", true, l.withValues(url.Values{s + "[$gt]": one("")}, s)},
		{s + "[] (an array, as PHP and Express parse it)", true, l.withValues(url.Values{s + "[]": one(wrong)}, s)},
		{"no " + s, true, l.withValues(nil, s)},
		{"no " + u + " (the right " + s + ")", true, l.withValues(nil, u)},
		{"no field at all", true, l.withValues(nil, u, s)},
		{s + " twice, both wrong", true, l.withValues(url.Values{s: {wrong, wrong + "-2"}})},
		{"a long " + u + " and a long " + s, !l.inQuery, l.withValues(url.Values{u: one(strings.Repeat("u", long)), s: one(strings.Repeat("p", long))})},
		{s + " as the right one, a NUL byte and more", true, l.withValues(url.Values{s: one(l.secretPrefix + "\x00x")})},
		{u + " with unicode (bidi override, emoji, combining marks) and a NUL byte", true, l.withValues(url.Values{u: one("ålice\u202e\U0001F600e\u0301" + l.userValue + "\x00"), s: one("pässwörd-\U0001F600")})},
		{"invalid UTF-8 in both", true, l.withValues(url.Values{u: one("\xff\xfe"), s: one("\xc3\x28" + wrong)})},
	}
	for _, inj := range injections {
		v = append(v, variant{u + " and " + s + " " + inj, true, l.withValues(url.Values{u: one(inj), s: one(inj)})})
	}
	if l.encoding == encForm {
		v = append(v,
			variant{"a malformed form body (bad percent escapes)", false, l.rawBody("%zz&"+u+"=%&&=", "application/x-www-form-urlencoded")},
			variant{"the form labelled Content-Type: application/json (wrong secret)", false, withType(l.withValues(url.Values{s: one(wrong)}), "application/json")},
			variant{"an empty body", false, l.rawBody("", "application/x-www-form-urlencoded")},
			variant{"a 1 MiB body (" + s + " of 1 MiB)", false, l.withValues(url.Values{s: one(strings.Repeat("p", oneMiB))})},
		)
		return v
	}
	// A query login: the body is not the document's, but a target must still survive one.
	big := func(n int) client.Request {
		r := l.withValues(url.Values{s: one(wrong)})
		r.Body = strings.Repeat("p", n)
		r.Header = http.Header{"Content-Type": {"text/plain"}}
		return r
	}
	return append(v,
		variant{"a JSON body beside the query (wrong secret)", false, withType(withBody(l.withValues(url.Values{s: one(wrong)}), `{"`+s+`": {"$ne": null}}`), "application/json")},
		variant{"a 1 MiB body (wrong secret in the query)", false, big(oneMiB)},
	)
}

// withType relabels a request's body; the JSON or form is encoded first, as the client would.
func withType(r client.Request, contentType string) client.Request {
	var body string
	switch {
	case r.JSON != nil:
		b, _ := json.Marshal(r.JSON)
		body = string(b)
	case r.Form != nil:
		body = r.Form.Encode()
	}
	r.JSON, r.Form = nil, nil
	r = withBody(r, body)
	r.Header = r.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header.Set("Content-Type", contentType)
	return r
}

func withBody(r client.Request, body string) client.Request {
	r.Body = body
	return r
}

// duplicated is the JSON of m with key written twice, with the raw JSON values a and b: a
// target's parser keeps the first or the last (both are wrong).
func duplicated(m any, key, a, b string) string {
	enc, _ := json.Marshal(m)
	rest := strings.TrimPrefix(string(enc), "{")
	k, _ := json.Marshal(key)
	sep := ","
	if rest == "}" {
		sep = ""
	}
	return "{" + string(k) + ":" + a + "," + string(k) + ":" + b + sep + rest
}
