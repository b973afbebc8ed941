package load

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"

	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/config"
)

// Wire is how one profile's login and token look on the wire: everything a load scenario
// needs to know about a document, so that a new profile is one entry in wires.
type Wire struct {
	// Doc is the document number, for messages.
	Doc string
	// Login builds the login request of account a. i numbers the sessions of one run, for
	// documents that let one user hold several sessions apart by a field (doc 003 service).
	Login func(p *config.Profile, a config.Account, i int) Request
	// TokenPath is the gjson path of the token in a successful login answer.
	TokenPath string
	// Place returns the function that puts a session's token on a request (header, query,
	// basic auth...), given the profile's config where the document leaves that open.
	Place func(p *config.Profile) func(r *Request, s Session)
	// OneUserPerIP says the document lets one user at a time be logged in from a client IP, so
	// N users' sessions from one load generator cannot all stay valid (doc 003).
	OneUserPerIP bool
}

// Request is one request before it becomes a vegeta.Target. Path is relative to the profile's
// base path and may carry a query string.
type Request struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Body   []byte
}

// Session is a logged-in account: what a probe carries.
type Session struct {
	Account config.Account
	Token   string
	// ClientIP, when set, is sent as X-Forwarded-For on every request of the session, so a
	// reference that trusts the header sees distinct clients.
	ClientIP string
}

// wires holds the profiles conform can load, one entry per document.
var wires = map[string]Wire{
	// Doc 003: POST /login {login, password, service, version: "1.0"}, "all fields in this
	// request are required"; the token comes back in result.token and goes "in the header, in
	// the field token"; "from one IP address only one lptracker user can be authorized".
	"lptracker": {
		Doc: "003",
		Login: func(p *config.Profile, a config.Account, i int) Request {
			service := "conform-load"
			if len(p.Services) > 0 {
				service = p.Services[0]
			}
			if i > 0 {
				service = fmt.Sprintf("%s-%d", service, i)
			}
			return jsonRequest("POST", "/login", map[string]string{
				"login": a.Login, "password": a.Password, "service": service, "version": "1.0",
			})
		},
		TokenPath:    "result.token",
		Place:        fixedPlacement(func(r *Request, s Session) { r.Header.Set("token", s.Token) }),
		OneUserPerIP: true,
	},
	// Doc 000: POST /users/login.json with email and password as a form (the document's curl),
	// the company API key as basic-auth user on every request ("any request that doesn't
	// include an API key will return an error"); the token comes back in response.token and
	// travels where the config's token says. Load accounts are users without 2FA.
	"flylogs": {
		Doc: "000",
		Login: func(p *config.Profile, a config.Account, _ int) Request {
			form := url.Values{"email": {a.Login}, "password": {a.Password}}
			h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
			h.Set("Authorization", basicAuth(p.APIKey))
			return Request{Method: "POST", Path: "/users/login.json", Header: h, Body: []byte(form.Encode())}
		},
		TokenPath: "response.token",
		Place: func(p *config.Profile) func(*Request, Session) {
			auth := basicAuth(p.APIKey)
			return func(r *Request, s Session) {
				r.Header.Set("Authorization", auth)
				p.Token.Place(r.Header, r.Query, s.Token)
			}
		},
	},
	// Doc 001: POST /auth/login {apiKey, apiSecret} answers ApiKeyLoginResponse with token;
	// the token travels where the config's token says.
	"apikey": {
		Doc: "001",
		Login: func(_ *config.Profile, a config.Account, _ int) Request {
			return jsonRequest("POST", "/auth/login", map[string]string{"apiKey": a.APIKey, "apiSecret": a.APISecret})
		},
		TokenPath: "token",
		Place:     configPlacement,
	},
	// Doc 002: GET /user/newapikey/login.json?user=&pass=&description= answers newapikey.key;
	// "you have to append your username and key to every query". Load accounts are users
	// without 2FA.
	"newapikey": {
		Doc: "002",
		Login: func(_ *config.Profile, a config.Account, _ int) Request {
			q := url.Values{"user": {a.Login}, "pass": {a.Password}, "description": {"conform-load"}}
			return Request{Method: "GET", Path: "/user/newapikey/login.json", Query: q, Header: http.Header{}}
		},
		TokenPath: "newapikey.key",
		Place: func(*config.Profile) func(*Request, Session) {
			return func(r *Request, s Session) {
				r.Query.Set("user", s.Account.Login)
				r.Query.Set("key", s.Token)
			}
		},
	},
	// Doc 004: POST /users/login {email, password} answers {uid, token}; the token goes in the
	// x-access-token header (or the token query parameter).
	"jwt": {
		Doc: "004",
		Login: func(_ *config.Profile, a config.Account, _ int) Request {
			return jsonRequest("POST", "/users/login", map[string]string{"email": a.Login, "password": a.Password})
		},
		TokenPath: "token",
		Place:     fixedPlacement(func(r *Request, s Session) { r.Header.Set("x-access-token", s.Token) }),
	},
}

// Profiles lists the profiles conform load supports.
func Profiles() []string {
	var out []string
	for p := range wires {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func jsonRequest(method, path string, body map[string]string) Request {
	b, _ := json.Marshal(body) // a map of strings always marshals
	return Request{Method: method, Path: path, Header: http.Header{"Content-Type": {"application/json"}}, Body: b}
}

// tokenOf returns the token of a login answer, or "" when there is none.
func (w Wire) tokenOf(body []byte) string {
	v := gjson.GetBytes(body, w.TokenPath)
	if v.Type != gjson.String {
		return ""
	}
	return v.Str
}

// fixedPlacement is a Place for documents that say where the token goes.
func fixedPlacement(f func(*Request, Session)) func(*config.Profile) func(*Request, Session) {
	return func(*config.Profile) func(*Request, Session) { return f }
}

// configPlacement is a Place for documents that do not: the config's token says.
func configPlacement(p *config.Profile) func(*Request, Session) {
	return func(r *Request, s Session) { p.Token.Place(r.Header, r.Query, s.Token) }
}

// basicAuth is the Authorization value of doc 000's `curl -u KEY:`: the key as user, no password.
func basicAuth(key string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))
}
