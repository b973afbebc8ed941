package reference

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// flylogs implements doc 000:
//
//	every request   HTTP basic auth, user = the company API key, empty password (curl -u KEY:)
//	                else 401 {"response":{"result":false,"message":"API key required","url":null}}
//	POST /users/login.json  form or JSON {email, password, code}
//	     -> {"response":{"result":true,"two_factor":null,"message":null,"url":"/users","token":"..."}}
//	     2FA user, code missing or wrong: 200 {"response":{"result":true,"two_factor":false,
//	        "message":"Two-factor code required","url":null}} and a new code is mailed
//	     2FA user, right code: {"response":{"result":true,"two_factor":true,...,"token":"..."}}
//	     else 401 {"response":{"result":false,"message":"Incorrect email or password","url":null}}
//	GET  /users/me.json  header token -> {"response":{"result":true,"user":{"id","email","name"}}}
//	                     or 401 {"response":{"result":false,"message":"Invalid token","url":null}}
//
// Doc 000 gives no HTTP statuses and no probe; /users/me.json and header
// token are ours (a target's config names them). We answer 400 for a
// malformed body, 401 for a missing API key, bad credentials or token, 413
// for bodies over 1 MiB, 415 for a body neither form nor JSON and 503 when
// the session store fails. The doc's
// curl sends the password as "species", a typo we do not honour: only
// "password" is the password. Tokens live for TokenTTL of inactivity.
type flylogs struct {
	e    *deps
	mint *mint
	brk  flylogsBreaks
	tf   *secondFactor
	key  []byte // the company API key
	// companies maps the API key of each other company of the users (User.Company) to that
	// company: its users log in with it, and this company's users do not.
	companies map[string]string
	// tokens is the flylogs.token-* breaks' lax token match.
	tokens laxTokens
	owned  ownedTokens // flylogs.failed-login-ends-sessions
	probes spans       // flylogs.login-ends-probed-token

	noKey, badLogin, badToken, malformed, tooLarge, jsonOnly, unsupported []byte
	// wrongPassword and unknownEmail are badLogin but for the message breaks.
	wrongPassword, unknownEmail []byte
	storeFailed                 func(error) []byte
}

// flylogsBreaks are the documented behaviours of doc 000 that
// Options.Breaks can switch off; see flylogsBreakDefs.
type flylogsBreaks struct {
	noAPIKey, successShape, failureShape, acceptWrongPassword bool
	tokenWithoutCode, noDelivery, acceptWrongCode, crossUser  bool
	codeReusable, earlierCode                                 bool
	noMailAfterWrongCode                                      bool // flylogs.2fa-no-mail-after-wrong-code
	flagForNon2FA, ignoreToken, jsonOnly, laterUserShape      bool
	unknownEmailShape, messageWrongPassword, failureURL       bool
	messageUnknownEmail, noKeyForChallenge, noKeyWithCode     bool
	anyCompany, laterUserProbe                                bool
	failedLoginEnds                                           bool // flylogs.failed-login-ends-sessions
	acct                                                      accountBreaks
	mint                                                      mintBreaks
	raceCode                                                  bool    // flylogs.race-code-500
	loginEndsProbed                                           bool    // interleave_concurrent.go
	password, key, code                                       laxForm // how a password, the company key and a 2FA code are compared
	token                                                     laxForm // how a sent token is matched
	wire                                                      wireBreaks
}

func flylogsBreakDefs() []breakDef[flylogsBreaks] {
	type b = flylogsBreaks
	defs := []breakDef[b]{
		{"flylogs.login-ends-probed-token", "a login ends the token of every probe in flight with it (the session table written back from a copy read before the probe)", func(x *b) { x.loginEndsProbed = true }},
		{"flylogs.no-api-key", "requests without the API key, or with a wrong one, are served", func(x *b) { x.noAPIKey = true }},
		{"flylogs.success-shape", `login answers the token beside "response", not inside it`, func(x *b) { x.successShape = true }},
		{"flylogs.failure-shape", `failures answer {"response":{"result":false,"message":...}} without "url":null`, func(x *b) { x.failureShape = true }},
		{"flylogs.failure-url", `failures answer "url":"/users/login" where the example has "url":null`, func(x *b) { x.failureURL = true }},
		{"flylogs.accept-wrong-password", "any password is accepted for a known email", func(x *b) { x.acceptWrongPassword = true }},
		{"flylogs.2fa-token-without-code", "a 2FA user without a code gets a token and two_factor true", func(x *b) { x.tokenWithoutCode = true }},
		{"flylogs.2fa-no-delivery", "a missing or wrong code generates a new code but mails nothing", func(x *b) { x.noDelivery = true }},
		{"flylogs.2fa-no-mail-after-wrong-code", "a wrong code generates a new code but mails nothing (an empty code still mails one)", func(x *b) { x.noMailAfterWrongCode = true }},
		{"flylogs.2fa-accept-wrong-code", "any non-empty code logs a 2FA user in", func(x *b) { x.acceptWrongCode = true }},
		{"flylogs.2fa-cross-user-code", "any user's outstanding code logs any 2FA user in", func(x *b) { x.crossUser = true }},
		{"flylogs.2fa-code-reusable", "a mailed code stays valid after it logged its user in", func(x *b) { x.codeReusable = true }},
		{"flylogs.2fa-earlier-code-ok", "a mailed code stays valid after a later code was mailed", func(x *b) { x.earlierCode = true }},
		{"flylogs.2fa-flag-for-non-2fa", "a user without 2FA gets two_factor false instead of null", func(x *b) { x.flagForNon2FA = true }},
		{"flylogs.ignore-token", "/users/me.json answers the first user with any token or none", func(x *b) { x.ignoreToken = true }},
		{"flylogs.unknown-email-shape", `a login with an unknown email answers {"response":{"result":false,"message":...}} without "url":null`, func(x *b) { x.unknownEmailShape = true }},
		{"flylogs.message-wrong-password", `a wrong password answers the message "Wrong password"`, func(x *b) { x.messageWrongPassword = true }},
		{"flylogs.message-unknown-email", `an unknown email answers the message "No such user"`, func(x *b) { x.messageUnknownEmail = true }},
		{"flylogs.no-key-for-challenge", "a login form with an empty code (a 2FA user's first request) is served without the API key", func(x *b) { x.noKeyForChallenge = true }},
		{"flylogs.no-key-with-code", "a login form with a code is served without the API key", func(x *b) { x.noKeyWithCode = true }},
		{"flylogs.any-company", "a user of another company logs in with the company's API key", func(x *b) { x.anyCompany = true }},
		{"flylogs.later-user-shape", `the login of every user but the first answers without "url"`, func(x *b) { x.laterUserShape = true }},
		{"flylogs.later-user-token-refused", "/users/me.json (the probe) refuses the token of every user without 2FA but the first", func(x *b) { x.laterUserProbe = true }},
		{"flylogs.race-code-500", "a mailed code is checked, then used up after a delay (a second round trip to the database); a login whose code another login used up in the meantime answers HTTP 500", func(x *b) { x.raceCode = true }},
		{"flylogs.failed-login-ends-sessions", "a refused password ends every session token of its user (a lockout that also logs the user out)", func(x *b) { x.failedLoginEnds = true }},
		{"flylogs.json-only", "a form-encoded login (the doc's curl -d) is refused with 415", func(x *b) { x.jsonOnly = true }},
	}
	defs = append(defs, accountBreakDefs("flylogs", "code", "two_factor null", "two_factor null", func(x *b) *accountBreaks { return &x.acct })...)
	defs = append(defs, mintBreakDefs("flylogs", func(x *b) *mintBreaks { return &x.mint }, "predictable-tokens", "echo-password", "hands-out-first-users-token", "accept-injection", "wedged-by-oversize")...)
	defs = append(defs, laxBreakDefs("flylogs.password", "password", func(x *b, f laxForm) { x.password = f })...)
	defs = append(defs, laxBreakDefs("flylogs.token", "token", func(x *b, f laxForm) { x.token = f }, laxPrefix, laxAppended)...)
	// An empty code and another user's code have breaks of their own (2fa-token-without-code,
	// 2fa-cross-user-code); a code has no letter case.
	defs = append(defs, laxBreakDefs("flylogs.2fa-code", "2FA code", func(x *b, f laxForm) { x.code = f }, laxPrefix, laxAppended)...)
	defs = append(defs, wireBreakDefs("flylogs", func(x *b) *wireBreaks { return &x.wire }, "auth-scheme-case", "unencoded", "percent-encoded")...)
	defs = append(defs, exampleBreakDefs(func(x *b) *wireBreaks { return &x.wire }, "flylogs.example-curl-refused")...)
	defs = append(defs, wireStrictDef("flylogs", func(x *b) *wireBreaks { return &x.wire }))
	// other-account: another company's key logs this company's users in (the key is checked,
	// the company it names is not).
	return append(defs, laxBreakDefs("flylogs.api-key", "company API key", func(x *b, f laxForm) { x.key = f })...)
}

func flylogsProfile() profileDef {
	return profileDef{
		name:   "flylogs",
		doc:    "000",
		breaks: breakNamesOf(flylogsBreakDefs()),
		mount:  mountFlylogs,
	}
}

// flylogsService marks flylogs sessions in the shared store, so that
// another profile's token is not a flylogs token.
const flylogsService = "flylogs"

func mountFlylogs(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error) {
	h := &flylogs{e: e, brk: resolveBreaks(flylogsBreakDefs(), breaks), key: []byte(e.flylogsKey), companies: map[string]string{}}
	for _, u := range e.users.list {
		if u.Company != "" {
			h.companies[CompanyAPIKey(u.Company)] = u.Company
		}
	}
	h.mint = newMint(h.brk.mint, e.users.first().ID)
	h.tokens.form = h.brk.token
	h.tf = &secondFactor{
		e: e, book: e.codeBook("flylogs", 6), send: e.mail, channel: "email",
		subject: "Your Flylogs code", text: codeText("Your Flylogs code"),
		crossUser: h.brk.crossUser, lax: h.brk.code, reusable: h.brk.codeReusable, keepEarlier: h.brk.earlierCode,
	}
	h.noKey = h.failure("API key required")
	h.badLogin = h.failure("Incorrect email or password")
	h.wrongPassword, h.unknownEmail = h.badLogin, h.badLogin
	if h.brk.messageWrongPassword {
		h.wrongPassword = h.failure("Wrong password")
	}
	if h.brk.messageUnknownEmail {
		h.unknownEmail = h.failure("No such user")
	}
	h.badToken = h.failure("Invalid token")
	h.malformed = h.failure("Malformed request body: send a form or a JSON object with email, password and code")
	h.tooLarge = h.failure(errBodyTooLarge.Error())
	h.jsonOnly = h.failure("Only JSON bodies are accepted")
	h.unsupported = h.failure("Unsupported Content-Type: send application/x-www-form-urlencoded, multipart/form-data or application/json")
	h.storeFailed = func(err error) []byte { return h.failure(storeErrMessage(err)) }

	mux.Handle("POST "+prefix+"/users/login.json", h.brk.wire.guard(h.requireKey(h.login)))
	mux.Handle("GET "+prefix+"/users/me.json", h.brk.wire.guard(h.requireKey(h.me)))
	return []string{
		describeLine("flylogs", "POST", prefix+"/users/login.json", "-u KEY: form/JSON {email,password,code} -> response{token} (doc 000)"),
		describeLine("flylogs", "GET", prefix+"/users/me.json", "-u KEY: header token -> response{user} (probe; ours, doc 000 names none)"),
	}, nil
}

// flyFailure is doc 000's failure body inside "response".
type flyFailure struct {
	Result  bool    `json:"result"`
	Message string  `json:"message"`
	URL     *string `json:"url"`
}

// flyBrokenFailure is the failure body of flylogs.failure-shape.
type flyBrokenFailure struct {
	Result  bool   `json:"result"`
	Message string `json:"message"`
}

// flySuccess is doc 000's success body inside "response". TwoFactor is
// null for users without 2FA, false while a code is awaited, true once the
// code was right; a pending answer has no token.
type flySuccess struct {
	Result    bool    `json:"result"`
	TwoFactor *bool   `json:"two_factor"`
	Message   *string `json:"message"`
	URL       *string `json:"url"`
	Token     string  `json:"token,omitempty"`
}

// flyEnvelope is doc 000's outer object.
type flyEnvelope struct {
	Response any `json:"response"`
}

// failure encodes a failure envelope (or the broken one).
func (h *flylogs) failure(message string) []byte {
	if h.brk.failureShape {
		return encode(flyEnvelope{flyBrokenFailure{Message: message}})
	}
	if h.brk.failureURL {
		url := "/users/login"
		return encode(flyEnvelope{flyFailure{Message: message, URL: &url}})
	}
	return encode(flyEnvelope{flyFailure{Message: message}})
}

// requireKey refuses requests without the company API key: doc 000 "Any
// request that doesn't include an API key will return an error."
func (h *flylogs) requireKey(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.brk.noAPIKey && !h.keyExempt(r) {
			// The password is not checked: the doc's curl sends it empty,
			// and the key alone is the credential.
			user, _, ok := r.BasicAuth()
			if _, other := h.companies[user]; !ok || (!other && !laxEqual(string(h.key), user, h.brk.key)) {
				w.Header().Set("WWW-Authenticate", `Basic realm="flylogs"`)
				writeRaw(w, http.StatusUnauthorized, h.noKey)
				return
			}
		}
		next(w, r)
	})
}

// keyCompany is the company whose API key r carries: another company's, or "" for the
// company of Options.FlylogsAPIKey (whatever requireKey let through).
func (h *flylogs) keyCompany(r *http.Request) string {
	user, _, _ := r.BasicAuth()
	return h.companies[user]
}

// CompanyAPIKey is the flylogs API key of another company than Options.FlylogsAPIKey's: the
// key its users (User.Company) log in with.
func CompanyAPIKey(company string) string {
	return "conform-" + company + "-key"
}

// keyExempt reports whether a broken server serves r without the API key: a login form
// carrying a code field (flylogs.no-key-for-challenge: empty; flylogs.no-key-with-code: not).
// It reads the body and puts it back for the handler.
func (h *flylogs) keyExempt(r *http.Request) bool {
	if (!h.brk.noKeyForChallenge && !h.brk.noKeyWithCode) || r.Body == nil {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes))
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, perr := url.ParseQuery(string(body))
	if err != nil || perr != nil || !form.Has("code") {
		return false
	}
	if form.Get("code") == "" {
		return h.brk.noKeyForChallenge
	}
	return h.brk.noKeyWithCode
}

// login serves POST /users/login.json.
func (h *flylogs) login(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if h.brk.loginEndsProbed {
		time.Sleep(h.e.holdLong())
	}
	req, status := h.readLogin(w, r)
	switch status {
	case 0:
	case http.StatusRequestEntityTooLarge:
		h.mint.oversize()
		writeRaw(w, status, h.tooLarge)
		return
	case http.StatusUnsupportedMediaType:
		if h.brk.jsonOnly {
			writeRaw(w, status, h.jsonOnly)
			return
		}
		writeRaw(w, status, h.unsupported)
		return
	default:
		writeRaw(w, http.StatusBadRequest, h.malformed)
		return
	}
	if req.Email == "" || (req.Password == "" && h.brk.password != laxEmpty) {
		writeRaw(w, http.StatusUnauthorized, h.badLogin)
		return
	}
	u := h.e.users.byEmail[req.Email]
	injected := h.mint.injected(req.Email, req.Password)
	if injected {
		u = h.e.users.first()
	}
	if u == nil {
		h.e.passwordOK(nil, req.Password) // same time as a wrong password
		if h.brk.unknownEmailShape {
			writeJSON(w, http.StatusUnauthorized, flyEnvelope{flyBrokenFailure{Message: "Incorrect email or password"}})
			return
		}
		writeRaw(w, http.StatusUnauthorized, h.unknownEmail)
		return
	}
	passed := h.brk.acceptWrongPassword || injected || (h.brk.acct.codeSkipsPassword && u.TwoFactor != "" && req.Code != "")
	if !passed {
		var locked time.Duration
		if passed, locked = h.e.throttledSecretOK(w, r, "flylogs", u, passwordHash, req.Password, h.brk.password); locked > 0 {
			writeJSON(w, http.StatusTooManyRequests, flyEnvelope{map[string]any{"result": false, "message": tooManyMessage(locked), "url": nil}})
			return
		}
	}
	if !passed && h.brk.failedLoginEnds {
		if err := h.owned.endUser(r.Context(), h.e.store, u.ID); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	}
	if !passed {
		if h.mint.echo() {
			writeJSON(w, http.StatusUnauthorized, flyEnvelope{map[string]any{"result": false, "message": "Incorrect email or password", "url": nil, "password": req.Password}})
			return
		}
		writeRaw(w, http.StatusUnauthorized, h.wrongPassword)
		return
	}
	if co := h.keyCompany(r); co != u.Company && !(h.brk.anyCompany && co == "") && !(h.brk.key == laxOther && u.Company == "") {
		// Doc 000: "Valid email address of an existing user in your company": another
		// company's user is not one (the company is the API key's), and is answered as an
		// unknown email is.
		writeRaw(w, http.StatusUnauthorized, h.unknownEmail)
		return
	}

	var twoFactor *bool
	switch {
	case h.brk.raceCode && generated(u) && req.Code != "" && h.tf.book.outstanding(u, req.Code, h.e.now()):
		if !raceConsume(h.tf, u, req.Code, h.e.now) {
			writeRaw(w, http.StatusInternalServerError, h.failure("code vanished"))
			return
		}
		twoFactor = new(true)
	case u.TwoFactor == "":
		if h.brk.flagForNon2FA {
			twoFactor = new(false)
		}
	case req.Code == "" && h.brk.tokenWithoutCode,
		req.Code != "" && h.brk.acceptWrongCode,
		h.tf.check(u, req.Code, h.e.now()):
		twoFactor = new(true)
	default:
		// Doc 000: "If two_factor field is false, the provided code was
		// not correct or empty. This case, triggers a code generation
		// process and email."
		later := h.e.users.later2FA(u)
		h.tf.challenge(r.Context(), u, !h.brk.noDelivery && !(h.brk.noMailAfterWrongCode && req.Code != "") && !(h.brk.acct.noDeliveryLater && later))
		flag := new(false)
		if h.brk.acct.challengeLater && later {
			flag = nil
		}
		writeJSON(w, http.StatusOK, flyEnvelope{flySuccess{
			Result: true, TwoFactor: flag, Message: new("Two-factor code required"),
		}})
		return
	}
	if h.brk.acct.shapeLater && h.e.users.later2FA(u) {
		twoFactor = nil
	}

	if h.mint.stalled() {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(errors.New("busy")))
		return
	}
	now := h.e.now()
	s := store.Session{Token: h.mint.token(newToken), UserID: u.ID, Service: flylogsService, Created: now, TTL: h.e.ttl}
	if err := h.e.store.Create(r.Context(), s, store.RuleNone); err != nil {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
		return
	}
	if h.brk.loginEndsProbed {
		for _, tok := range h.probes.during(start, nil) {
			h.e.store.Delete(r.Context(), h.tokens.resolve(tok)) //nolint:errcheck // a broken server's write-back
		}
	}
	s.Token = h.mint.handOut(u.ID, s.Token)
	h.tokens.issue(s.Token)
	if h.brk.failedLoginEnds {
		h.owned.issue(s.Token, u.ID)
	}
	ok := flySuccess{Result: true, TwoFactor: twoFactor, URL: new("/users"), Token: s.Token}
	if h.brk.laterUserShape && u != h.e.users.first() {
		writeJSON(w, http.StatusOK, flyEnvelope{struct {
			Result    bool    `json:"result"`
			TwoFactor *bool   `json:"two_factor"`
			Message   *string `json:"message"`
			Token     string  `json:"token"`
		}{ok.Result, ok.TwoFactor, ok.Message, ok.Token}})
		return
	}
	if h.brk.successShape {
		ok.Token = ""
		writeJSON(w, http.StatusOK, struct {
			Response flySuccess `json:"response"`
			Token    string     `json:"token"`
		}{ok, s.Token})
		return
	}
	writeJSON(w, http.StatusOK, flyEnvelope{ok})
}

// me is the probe: the token's user, exactly when the token is valid.
func (h *flylogs) me(w http.ResponseWriter, r *http.Request) {
	if h.brk.loginEndsProbed {
		_, release := h.probes.held(r.Header.Get("Token"), h.e.holdShort())
		defer release()
	}
	u := h.e.users.first()
	if !h.brk.ignoreToken {
		var ok bool
		if u, ok = h.user(w, r); !ok {
			return
		}
	}
	if h.brk.laterUserProbe && u != h.e.users.first() && u.TwoFactor == "" {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return
	}
	type meUser struct {
		ID    int    `json:"id"`
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	writeJSON(w, http.StatusOK, flyEnvelope{struct {
		Result bool   `json:"result"`
		User   meUser `json:"user"`
	}{true, meUser{u.ID, u.Email, u.Name}}})
}

// user resolves header token to its user, refreshing the session. On
// failure it has already answered.
func (h *flylogs) user(w http.ResponseWriter, r *http.Request) (*User, bool) {
	var tok string
	if v := r.Header["Token"]; len(v) > 0 {
		tok = v[0]
	}
	if tok == "" {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return nil, false
	}
	s, ok, err := h.e.store.Lookup(r.Context(), h.tokens.resolve(tok), h.e.now())
	if err != nil {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
		return nil, false
	}
	u := h.e.users.byID[s.UserID]
	if !ok || s.Service != flylogsService || u == nil {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return nil, false
	}
	return u, true
}
