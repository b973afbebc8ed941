package profile

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
)

// Wire is how one document's login and token look on the wire. Specs build their requests
// from it and vary them (a field left out, a wrong key); load builds its requests from it as
// they are. Paths are relative to the profile's base path.
type Wire struct {
	// Login builds the document's login request for account a, every field present. n numbers
	// the sessions of one run, for documents that tell one user's sessions apart by a field
	// (doc 003's service, see Service). A JSON body is a map[string]any and a form is
	// url.Values, so a spec can leave a field out.
	Login func(sec *config.Profile, a config.Account, n int) client.Request
	// TokenPath is the gjson path of the token in a successful login answer.
	TokenPath string
	// Success, when not nil, is the envelope the document gives every successful login
	// answer: each gjson path holds its value (a string or a bool, compared with its JSON
	// type), e.g. doc 003's status: "success". LoginToken requires it; Token does not, so that
	// a spec's login still goes on when only the shape spec's requirement is broken.
	Success map[string]any
	// Failure, when not nil, is the envelope the document gives a refused login, for an
	// answer that refuses with HTTP 200: doc 003's status: "error".
	Failure map[string]any
	// Logout, when not nil, is the document's logout of session s: what ends a session that
	// conform opened outside a spec (the account preflight), for documents where a leftover
	// session changes what later logins get (OneUserPerIP).
	Logout func(sec *config.Profile, s Session) client.Request
	// Placements are the ways the document lets a token travel on later requests, the one
	// load and most specs use first. Where the document is silent, the config's token says.
	Placements func(sec *config.Profile) []Placement
	// Authorize, when not nil, puts on a request what the document asks of every request
	// besides the token (doc 000's company API key).
	Authorize func(sec *config.Profile, r *client.Request)
	// OneUserPerIP says the document lets one user at a time be logged in from a client IP
	// (doc 003), so N users' sessions from one address cannot all stay valid.
	OneUserPerIP bool
}

// Placement is one way a token travels.
type Placement struct {
	// Name says where, e.g. "header x-access-token", for spec texts and messages.
	Name string
	// Put places the session's token on r.
	Put func(r *client.Request, s Session)
}

// Session is a logged-in account: what a later request carries.
type Session struct {
	Account config.Account
	Token   string
}

// Token returns the token of a login answer, or "" when there is none (not JSON, JSON nested
// deeper than conform parses, no string at TokenPath).
func (w Wire) Token(body []byte) string {
	if !client.ValidJSON(body) {
		return ""
	}
	v := gjson.GetBytes(body, w.TokenPath)
	if v.Type != gjson.String {
		return ""
	}
	return v.Str
}

// LoginToken is Token for an answer that must prove a login (load counts its logins by it):
// the token only when the answer is JSON, the token a non-empty string at TokenPath, and the
// document's success envelope holds. why says what the answer lacks, "" when it has a token.
func (w Wire) LoginToken(body []byte) (token, why string) {
	if !client.ValidJSON(body) {
		return "", "the answer is not JSON (or nested deeper than conform parses)"
	}
	if path, got, ok := holds(body, w.Success); !ok {
		return "", fmt.Sprintf("the answer has %s = %s, not the documented %s", path, got, jsonOf(w.Success[path]))
	}
	v := gjson.GetBytes(body, w.TokenPath)
	if v.Type != gjson.String || strings.TrimSpace(v.Str) == "" {
		return "", fmt.Sprintf("the answer has no token at %s", w.TokenPath)
	}
	return v.Str, ""
}

// Refused reports whether a login answer without a token says the credentials were refused:
// HTTP 401 or 403, or a 2xx answer in the document's failure envelope. Any other answer without
// a token (a 200 with the token elsewhere, a 400, a 5xx) is the specs' to judge.
func (w Wire) Refused(status int, body []byte) bool {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return true
	case status < 200 || status > 299 || w.Failure == nil:
		return false
	}
	_, _, ok := holds(body, w.Failure)
	return ok
}

// holds reports whether each gjson path of env holds its value in body, else the first path
// (in sorted order) that does not and what it holds.
func holds(body []byte, env map[string]any) (path, got string, ok bool) {
	for _, path := range slices.Sorted(maps.Keys(env)) {
		if v := gjson.GetBytes(body, path); !v.Exists() || v.Value() != env[path] {
			return path, orMissing(v), false
		}
	}
	return "", "", true
}

func orMissing(r gjson.Result) string {
	if !r.Exists() {
		return "nothing"
	}
	return r.Raw
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Place puts the session's token on r the default way (Placements' first), with what every
// request carries (Authorize).
func (w Wire) Place(sec *config.Profile, r *client.Request, s Session) {
	if w.Authorize != nil {
		w.Authorize(sec, r)
	}
	w.Placements(sec)[0].Put(r, s)
}

// Service is doc 003's service name of session n: the config's services in turn, then the
// first with "-n" appended, so every session of a run has its own.
func Service(sec *config.Profile, n int) string {
	switch {
	case len(sec.Services) == 0:
		return fmt.Sprintf("conform-%d", n)
	case n < len(sec.Services):
		return sec.Services[n]
	}
	return fmt.Sprintf("%s-%d", sec.Services[0], n)
}

// BasicAuth is the Authorization value of `curl -u KEY:`: the key as user, no password.
func BasicAuth(key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))
}

// header returns a Placement that sets a header as written (names are case-insensitive on
// the wire; the document's spelling shows in transcripts).
func header(name string) Placement {
	return Placement{Name: "header " + name, Put: func(r *client.Request, s Session) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header[name] = []string{s.Token}
	}}
}

// query returns a Placement that sets a query parameter.
func query(name string) Placement {
	return Placement{Name: "query parameter " + name, Put: func(r *client.Request, s Session) {
		if r.Query == nil {
			r.Query = url.Values{}
		}
		r.Query.Set(name, s.Token)
	}}
}

// configured is the placement the config's token gives, for documents that are silent.
func configured(sec *config.Profile) []Placement {
	t := sec.Token
	switch {
	case t == nil:
		return []Placement{{Name: "nowhere (the config gives no token placement)", Put: func(*client.Request, Session) {}}}
	case t.Header != "":
		return []Placement{header(t.Header)}
	case t.Query != "":
		return []Placement{query(t.Query)}
	}
	return []Placement{{Name: "Authorization: Bearer", Put: func(r *client.Request, s Session) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Set("Authorization", "Bearer "+s.Token)
	}}}
}

// fixed returns a Placements for documents that say where the token goes.
func fixed(p ...Placement) func(*config.Profile) []Placement {
	return func(*config.Profile) []Placement { return p }
}
