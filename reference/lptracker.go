package reference

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// lptracker implements doc 003:
//
//	POST /login   {"login","password","service","version"} (all required, version "1.0")
//	              -> {"status":"success","result":{"token":"..."}}
//	              or {"status":"error","errors":[{"code":401,"message":"Invalid login or password"}]}
//	POST /logout  header token -> {"status":"success","result":true}
//	GET  /projects header token -> {"status":"success","result":[]}
//
// /projects is ours: doc 003 names no endpoint that proves a token valid,
// and conform needs one. Doc 003 gives no HTTP statuses; we answer 400 for
// bad input, 401 for bad credentials or token, 413 for bodies over 1 MiB
// and 503 when the session store fails. Tokens live for TokenTTL of
// inactivity; a login ends other users' sessions from the same IP ("from
// one IP address only one lptracker user can be authorized", newest wins)
// and keeps the same user's other services.
type lptracker struct {
	tokens laxTokens // the lptracker.token-* breaks' lax token match
	e      *deps
	brk    lptrackerBreaks
	rule   store.Rule
	race   *raceState // the race breaks' own tables
	busy   *busyCache // the lptracker.busy-cache break's cache; nil without it
	// refuse is the lptracker.busy-refuses-live break's state; nil without it.
	refuse *busyRefuse
	uses   useCounter     // lptracker.probe-wears-out
	byUser sessionsByUser // lptracker.second-session-ends-others
	// logouts are the logouts in flight, for lptracker.logout-ends-concurrent-login.
	logouts spans

	// Pre-encoded bodies of the frequent answers.
	projectsOK []byte
	logoutOK   []byte
	badToken   []byte
	badLogin   []byte
	// wrongPassword and unknownLogin are badLogin but for the message breaks.
	wrongPassword, unknownLogin []byte
	badJSON                     []byte
	tooLarge                    []byte
	storeFailed                 func(error) []byte
	mint                        *mint
}

// lptrackerBreaks are the documented behaviours of doc 003 that
// Options.Breaks can switch off; see lptrackerBreakDefs.
type lptrackerBreaks struct {
	acceptMissingLogin, acceptMissingPassword, acceptMissingService, acceptMissingVersion bool
	acceptAnyVersion, acceptWrongPassword                                                 bool
	versionNewerMinor, versionOlder, versionEmpty                                         bool // other versions taken
	versionNoMinor, versionTrailingZeros, versionPatch, versionNumber                     bool // other spellings of 1.0 taken
	versionPadded, versionPrefixed, versionNull                                           bool // " 1.0", "v1.0", null taken
	serviceNull, serviceEmpty                                                             bool // service null, "" taken
	successShape, errorShape, laterUserShape, unknownLoginShape                           bool
	messageWrongPassword, messageUnknownLogin                                             bool
	tokenAuthorization, ignoreToken                                                       bool
	logoutShape, logoutKeepsToken, logoutWithoutTokenOK, logoutEndsServices               bool
	logoutUnknownTokenOK                                                                  bool
	ttlAbsolute, ttlNone, ttlShort, ttlLong                                               bool
	multiUserPerIP, oneServicePerIP, globalSingleUser                                     bool
	password                                                                              laxForm // how a password is compared
	token                                                                                 laxForm // how a sent token is matched
	mint                                                                                  mintBreaks
	race                                                                                  lptrackerRace
	busyCache                                                                             bool
	busyRefusesLive                                                                       bool
	probeWearsOut, secondSessionEndsOthers                                                bool // interleave.go
	logoutEndsConcurrentLogin                                                             bool // interleave_concurrent.go
	wire                                                                                  wireBreaks
}

func lptrackerBreakDefs() []breakDef[lptrackerBreaks] {
	type b = lptrackerBreaks
	defs := []breakDef[b]{
		{"lptracker.accept-missing-login", "a login without login succeeds, as the first user, without a password check", func(x *b) { x.acceptMissingLogin = true }},
		{"lptracker.accept-missing-password", "a login without password (the field left out) succeeds for a known login", func(x *b) { x.acceptMissingPassword = true }},
		{"lptracker.accept-missing-service", "a login without service succeeds", func(x *b) { x.acceptMissingService = true }},
		{"lptracker.accept-missing-version", "a login without version succeeds", func(x *b) { x.acceptMissingVersion = true }},
		{"lptracker.accept-any-version", "any non-empty version is accepted, not only 1.0", func(x *b) { x.acceptAnyVersion = true }},
		{"lptracker.version-newer-minor-ok", `a later minor version of 1 ("1.1", "1.2") is accepted as compatible`, func(x *b) { x.versionNewerMinor = true }},
		{"lptracker.version-older-ok", `a version below 1.0 ("0.9") is accepted for backward compatibility`, func(x *b) { x.versionOlder = true }},
		{"lptracker.version-empty-ok", `an empty version ("") is taken as the default, 1.0`, func(x *b) { x.versionEmpty = true }},
		{"lptracker.version-no-minor-ok", `version "1" is taken as 1.0`, func(x *b) { x.versionNoMinor = true }},
		{"lptracker.version-trailing-zeros-ok", `version "1.00" (1.0 and more zeros) is taken as 1.0`, func(x *b) { x.versionTrailingZeros = true }},
		{"lptracker.version-patch-ok", `version "1.0.0" is taken as 1.0`, func(x *b) { x.versionPatch = true }},
		{"lptracker.version-number-ok", `version 1.0 as a JSON number is taken as "1.0"`, func(x *b) { x.versionNumber = true }},
		{"lptracker.version-padded-ok", `version " 1.0" (spaces around it) is trimmed to 1.0`, func(x *b) { x.versionPadded = true }},
		{"lptracker.version-prefixed-ok", `version "v1.0" is taken as 1.0`, func(x *b) { x.versionPrefixed = true }},
		{"lptracker.version-null-ok", `version null is taken as the default, 1.0 (a version left out is still refused)`, func(x *b) { x.versionNull = true }},
		{"lptracker.service-null-ok", `service null is taken as no service name (a service left out or empty is still refused)`, func(x *b) { x.serviceNull = true }},
		{"lptracker.service-empty-ok", `an empty service ("") is taken as a name (a service left out or null is still refused)`, func(x *b) { x.serviceEmpty = true }},
		{"lptracker.accept-wrong-password", "any password is accepted for a known login", func(x *b) { x.acceptWrongPassword = true }},
		{"lptracker.success-shape", `login answers {"status":"success","token":...} instead of result.token`, func(x *b) { x.successShape = true }},
		{"lptracker.unknown-login-shape", `a login with an unknown login answers {"status":"error","message":...} without the errors array`, func(x *b) { x.unknownLoginShape = true }},
		{"lptracker.message-wrong-password", `a wrong password answers the message "Wrong password"`, func(x *b) { x.messageWrongPassword = true }},
		{"lptracker.message-unknown-login", `an unknown login answers the message "No such login"`, func(x *b) { x.messageUnknownLogin = true }},
		{"lptracker.later-user-shape", `the login of every user but the first answers status "ok"`, func(x *b) { x.laterUserShape = true }},
		{"lptracker.error-shape", `errors answer {"status":"error","message":...} without the errors array`, func(x *b) { x.errorShape = true }},
		{"lptracker.token-header-authorization", "the token is read only from Authorization: Bearer, not from header token", func(x *b) { x.tokenAuthorization = true }},
		{"lptracker.ignore-token", "the probe answers success with any token or none", func(x *b) { x.ignoreToken = true }},
		{"lptracker.logout-shape", `logout answers {"status":"success","result":"ok"}`, func(x *b) { x.logoutShape = true }},
		{"lptracker.logout-keeps-token", "logout answers success but the token stays valid", func(x *b) { x.logoutKeepsToken = true }},
		{"lptracker.logout-ends-services", "logout ends every session from the token's IP, the same user's tokens of other services too", func(x *b) { x.logoutEndsServices = true }},
		{"lptracker.logout-without-token-ok", "logout without a token answers success", func(x *b) { x.logoutWithoutTokenOK = true }},
		{"lptracker.logout-unknown-token-ok", "logout with a token that is no live session answers success (an idempotent logout); one without a token is still refused", func(x *b) { x.logoutUnknownTokenOK = true }},
		{"lptracker.ttl-absolute", "activity does not extend the token lifetime", func(x *b) { x.ttlAbsolute = true }},
		{"lptracker.ttl-none", "tokens never expire", func(x *b) { x.ttlNone = true }},
		{"lptracker.ttl-short", "tokens idle out at 0.9 of the TTL", func(x *b) { x.ttlShort = true }},
		{"lptracker.ttl-long", "tokens idle out at 1.1 of the TTL", func(x *b) { x.ttlLong = true }},
		{"lptracker.multi-user-per-ip", "several users stay logged in from one IP", func(x *b) { x.multiUserPerIP = true }},
		{"lptracker.one-service-per-ip", "a second login of the same user from one IP ends the first session", func(x *b) { x.oneServicePerIP = true }},
		{"lptracker.global-single-user", "a login from any IP ends other users' sessions on every IP", func(x *b) { x.globalSingleUser = true }},
		{"lptracker.busy-refuses-live", "while busy (100 valid probes a second), the probe refuses a live token first probed more than 500 ms ago two times out of three, as an invalid one: only a long-lived session under load (the load's own) meets it", func(x *b) { x.busyRefusesLive = true }},
		{"lptracker.probe-wears-out", "the third probe with one token, and every later one, is refused (a use counter meant for one-time links)", func(x *b) { x.probeWearsOut = true }},
		{"lptracker.logout-ends-concurrent-login", "a logout ends the token of every login in flight with it (it deletes the sessions written while it ran)", func(x *b) { x.logoutEndsConcurrentLogin = true }},
		{"lptracker.second-session-ends-others", "a login of a user who already holds a live session ends every other user's sessions, on every address", func(x *b) { x.secondSessionEndsOthers = true }},
		{"lptracker.busy-cache", "while busy (200 probes a second), the probe answers from a cache of tokens it saw valid: a logged-out or expired token works under load, and only then", func(x *b) { x.busyCache = true }},
	}
	defs = append(defs, lptrackerRaceBreakDefs()...)
	defs = append(defs, laxBreakDefs("lptracker.token", "token", func(x *b, f laxForm) { x.token = f }, laxPrefix, laxAppended)...)
	defs = append(defs, mintBreakDefs("lptracker", func(x *b) *mintBreaks { return &x.mint }, "predictable-tokens", "echo-password", "hands-out-first-users-token", "accept-injection", "wedged-by-oversize")...)
	defs = append(defs, wireBreakDefs("lptracker", func(x *b) *wireBreaks { return &x.wire },
		"charset-utf8", "media-type-case", "json-member-order", "json-whitespace", "expect-continue", "connection-close", "member-case")...)
	defs = append(defs, exampleBreakDefs(func(x *b) *wireBreaks { return &x.wire }, "lptracker.example-curl-refused", "lptracker.logout-empty-json-400")...)
	defs = append(defs, wireStrictDef("lptracker", func(x *b) *wireBreaks { return &x.wire }))
	return append(defs, laxBreakDefs("lptracker.password", "password", func(x *b, f laxForm) { x.password = f })...)
}

func lptrackerProfile() profileDef {
	return profileDef{
		name:   "lptracker",
		doc:    "003",
		breaks: breakNamesOf(lptrackerBreakDefs()),
		mount:  mountLptracker,
	}
}

// lpError is one entry of doc 003's errors array.
type lpError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func mountLptracker(e *deps, breaks map[string]bool, mux *http.ServeMux, prefix string) ([]string, error) {
	h := &lptracker{e: e, brk: resolveBreaks(lptrackerBreakDefs(), breaks), rule: store.RuleOneUserPerIP, race: newRaceState()}
	h.mint = newMint(h.brk.mint, e.users.first().ID)
	h.tokens.form = h.brk.token
	// One rule applies; the more sweeping break wins if several are given.
	switch {
	case h.brk.globalSingleUser:
		h.rule = store.RuleOneUserGlobal
	case h.brk.oneServicePerIP:
		h.rule = store.RuleOneSessionPerIP
	case h.brk.multiUserPerIP:
		h.rule = store.RuleNone
	}
	if h.brk.busyRefusesLive {
		h.refuse = newBusyRefuse()
	}
	if h.brk.busyCache {
		h.busy = newBusyCache()
	}
	h.projectsOK = []byte(`{"status":"success","result":[]}`)
	h.logoutOK = []byte(`{"status":"success","result":true}`)
	if h.brk.logoutShape {
		h.logoutOK = []byte(`{"status":"success","result":"ok"}`)
	}
	h.badToken = h.errorBody(lpError{401, "Invalid or expired token"})
	h.badLogin = h.errorBody(lpError{401, "Invalid login or password"})
	h.wrongPassword, h.unknownLogin = h.badLogin, h.badLogin
	if h.brk.messageWrongPassword {
		h.wrongPassword = h.errorBody(lpError{401, "Wrong password"})
	}
	if h.brk.messageUnknownLogin {
		h.unknownLogin = h.errorBody(lpError{401, "No such login"})
	}
	h.badJSON = h.errorBody(lpError{400, "Request body must be a JSON object with login, password, service and version"})
	h.tooLarge = h.errorBody(lpError{413, errBodyTooLarge.Error()})
	h.storeFailed = func(err error) []byte { return h.errorBody(lpError{503, storeErrMessage(err)}) }

	mux.Handle("POST "+prefix+"/login", h.brk.wire.guard(http.HandlerFunc(h.login)))
	mux.Handle("POST "+prefix+"/logout", h.brk.wire.guard(http.HandlerFunc(h.logout)))
	mux.Handle("GET "+prefix+"/projects", h.brk.wire.guard(http.HandlerFunc(h.projects)))
	return []string{
		describeLine("lptracker", "POST", prefix+"/login", "{login,password,service,version} -> result.token (doc 003)"),
		describeLine("lptracker", "POST", prefix+"/logout", "header token -> result true (doc 003)"),
		describeLine("lptracker", "GET", prefix+"/projects", "header token -> result [] (probe; ours, doc 003 names none)"),
	}, nil
}

// errorBody encodes doc 003's error envelope (or the broken one).
func (h *lptracker) errorBody(errs ...lpError) []byte {
	if h.brk.errorShape {
		return encode(map[string]string{"status": "error", "message": errs[0].Message})
	}
	return encode(struct {
		Status string    `json:"status"`
		Errors []lpError `json:"errors"`
	}{"error", errs})
}

type lpLoginRequest struct {
	Login string `json:"login"`
	// Password is a pointer to tell a password given empty (a wrong password) from one left
	// out (a missing field); the reference refuses both.
	Password *string `json:"password"`
	Service  string  `json:"service"`
	// Version is the decoded JSON value, a string as documented: any, so that the
	// lptracker.version-number-ok break can take the number 1.0 (any other type is refused as
	// an unsupported version, nil is a missing field).
	Version any `json:"version"`
	// given and null name the members the body gives, and those it gives as JSON null, in
	// lower case as encoding/json matches them: the reference refuses a field left out, null
	// or empty alike, and a break may take one of those states and not the others.
	given, null map[string]bool
}

// UnmarshalJSON decodes the login and notes which members it gives, and which as null.
func (r *lpLoginRequest) UnmarshalJSON(data []byte) error {
	type plain lpLoginRequest
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	p.given, p.null = map[string]bool{}, map[string]bool{}
	for name, v := range members {
		name = strings.ToLower(name)
		p.given[name] = true
		p.null[name] = string(v) == "null"
	}
	*r = lpLoginRequest(p)
	return nil
}

// serviceOptional reports whether a break takes the login's service in the state it is given
// in (left out, null or empty); the reference refuses all three.
func (h *lptracker) serviceOptional(req lpLoginRequest) bool {
	switch {
	case !req.given["service"]:
		return h.brk.acceptMissingService
	case req.null["service"]:
		return h.brk.serviceNull
	}
	return h.brk.serviceEmpty
}

// versionRefused says why the login's version v (its decoded JSON value) is refused, or nil.
// Doc 003: all fields are required, and "only version 1.0 is available", the string "1.0" of
// its example; each break takes one other version or spelling.
func (h *lptracker) versionRefused(req lpLoginRequest) *lpError {
	required := &lpError{400, "Field version is required"}
	switch v := req.Version.(type) {
	case nil:
		if (!req.given["version"] && h.brk.acceptMissingVersion) || (req.null["version"] && h.brk.versionNull) {
			return nil
		}
		return required
	case string:
		switch {
		case v == "1.0":
			return nil
		case v == "":
			if h.brk.versionEmpty {
				return nil
			}
			return required
		case h.brk.acceptAnyVersion,
			h.brk.versionNoMinor && v == "1",
			h.brk.versionTrailingZeros && strings.HasPrefix(v, "1.0") && strings.Trim(v[len("1.0"):], "0") == "",
			h.brk.versionPatch && v == "1.0.0",
			h.brk.versionPadded && v != "1.0" && strings.TrimSpace(v) == "1.0",
			h.brk.versionPrefixed && v == "v1.0",
			h.brk.versionNewerMinor && laterMinorOfOne(v),
			h.brk.versionOlder && belowOne(v):
			return nil
		}
		return &lpError{400, fmt.Sprintf("Unsupported version %q: only 1.0 is available", v)}
	case float64:
		if h.brk.versionNumber && v == 1 {
			return nil
		}
	}
	return &lpError{400, "Unsupported version: only \"1.0\", a string, is available"}
}

// laterMinorOfOne reports whether v is "1.N" with N a whole number above 0.
func laterMinorOfOne(v string) bool {
	major, minor, ok := strings.Cut(v, ".")
	n, err := strconv.Atoi(minor)
	return ok && major == "1" && err == nil && n > 0
}

// belowOne reports whether v is a decimal number above 0 and below 1 ("0.9").
func belowOne(v string) bool {
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f > 0 && f < 1
}

// login serves POST /login. Doc 003: "All fields in this request are
// required"; "only version 1.0 is available".
func (h *lptracker) login(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if h.brk.logoutEndsConcurrentLogin {
		time.Sleep(h.e.holdLong())
	}
	var req lpLoginRequest
	if err := decodeMembers(w, r, &req, h.brk.wire.memberCaseFolded); err != nil {
		if err == errBodyTooLarge {
			h.mint.oversize()
			writeRaw(w, http.StatusRequestEntityTooLarge, h.tooLarge)
			return
		}
		writeRaw(w, http.StatusBadRequest, h.badJSON)
		return
	}
	password := ""
	if req.Password != nil {
		password = *req.Password
	}
	var errs []lpError
	for _, f := range []struct {
		name, value string
		optional    bool
	}{
		{"login", req.Login, h.brk.acceptMissingLogin},
		{"password", password, (req.Password == nil && h.brk.acceptMissingPassword) || (req.Password != nil && h.brk.password == laxEmpty)},
		{"service", req.Service, h.serviceOptional(req)},
	} {
		if f.value == "" && !f.optional {
			errs = append(errs, lpError{400, "Field " + f.name + " is required"})
		}
	}
	if e := h.versionRefused(req); e != nil {
		errs = append(errs, *e)
	}
	if len(errs) > 0 {
		writeRaw(w, http.StatusBadRequest, h.errorBody(errs...))
		return
	}

	var u *User
	switch {
	case req.Login == "": // only with accept-missing-login
		u = h.e.users.first()
	case h.mint.injected(req.Login, password):
		u = h.e.users.first()
	default:
		u = h.e.users.byLogin[req.Login]
		if u == nil {
			h.e.passwordOK(nil, password) // same time as a wrong password
			if h.brk.unknownLoginShape {
				writeJSON(w, http.StatusUnauthorized, map[string]string{"status": "error", "message": "Invalid login or password"})
				return
			}
			writeRaw(w, http.StatusUnauthorized, h.unknownLogin)
			return
		}
		ok := req.Password == nil || h.brk.acceptWrongPassword
		if !ok {
			var locked time.Duration
			if ok, locked = h.e.throttledSecretOK(w, r, "lptracker", u, passwordHash, password, h.brk.password); locked > 0 {
				writeJSON(w, http.StatusTooManyRequests, map[string]any{"status": "error", "errors": []lpError{{http.StatusTooManyRequests, tooManyMessage(locked)}}})
				return
			}
		}
		if !ok {
			if h.mint.echo() {
				writeJSON(w, http.StatusUnauthorized, map[string]any{"status": "error", "errors": []lpError{{401, "Invalid login or password"}}, "password": password})
				return
			}
			writeRaw(w, http.StatusUnauthorized, h.wrongPassword)
			return
		}
	}

	if h.mint.stalled() {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(errors.New("busy")))
		return
	}
	now := h.e.now()
	s := store.Session{
		Token:    h.mint.token(newToken),
		UserID:   u.ID,
		IP:       h.e.clientIP(r),
		Service:  req.Service,
		Created:  now,
		TTL:      h.e.ttl,
		Absolute: h.brk.ttlAbsolute,
	}
	switch {
	case h.brk.ttlNone:
		s.TTL = 0
	case h.brk.ttlShort:
		s.TTL = h.e.ttl * 9 / 10
	case h.brk.ttlLong:
		s.TTL = h.e.ttl * 11 / 10
	}
	if err := h.create(r.Context(), &s); err != nil {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
		return
	}
	if h.brk.logoutEndsConcurrentLogin && len(h.logouts.during(start, nil)) > 0 {
		h.e.store.Delete(r.Context(), s.Token) //nolint:errcheck // a broken server's cleanup
	}
	if h.brk.secondSessionEndsOthers {
		if err := h.byUser.issued(r.Context(), h.e.store, now, u.ID, s.Token); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	}
	tok := h.mint.handOut(u.ID, s.Token)
	h.tokens.issue(tok)
	if h.brk.successShape {
		writeJSON(w, http.StatusOK, map[string]string{"status": "success", "token": tok})
		return
	}
	if h.brk.laterUserShape && u != h.e.users.first() {
		writeRaw(w, http.StatusOK, []byte(`{"status":"ok","result":{"token":"`+tok+`"}}`))
		return
	}
	writeRaw(w, http.StatusOK, []byte(`{"status":"success","result":{"token":"`+tok+`"}}`))
}

// token returns the request's token: doc 003 puts it "in the header, in
// the field token".
func (h *lptracker) token(r *http.Request) string {
	if h.brk.tokenAuthorization {
		a := r.Header.Get("Authorization")
		if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
			return strings.TrimSpace(a[7:])
		}
		return ""
	}
	if v := r.Header["Token"]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// session looks up (and so refreshes) the request's token. On failure it
// has already answered.
func (h *lptracker) session(w http.ResponseWriter, r *http.Request) (store.Session, bool) {
	tok := h.token(r)
	if tok == "" {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return store.Session{}, false
	}
	s, ok, err := h.e.store.Lookup(r.Context(), h.tokens.resolve(tok), h.e.now())
	if err != nil {
		writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
		return store.Session{}, false
	}
	if !ok {
		writeRaw(w, http.StatusUnauthorized, h.badToken)
		return store.Session{}, false
	}
	return s, true
}

// projects is the probe: success exactly when the token is valid.
func (h *lptracker) projects(w http.ResponseWriter, r *http.Request) {
	if h.busy != nil && h.busy.arrive(time.Now()) && h.busy.has(h.token(r)) {
		writeRaw(w, http.StatusOK, h.projectsOK)
		return
	}
	if !h.brk.ignoreToken {
		s, ok := h.session(w, r)
		if !ok {
			return
		}
		if h.brk.probeWearsOut && h.uses.use(s.Token) >= wearsOutAt {
			writeRaw(w, http.StatusUnauthorized, h.badToken)
			return
		}
		if h.busy != nil {
			h.busy.remember(s.Token)
		}
		if h.refuse != nil && h.refuse.refuse(s.Token, time.Now()) {
			writeRaw(w, http.StatusUnauthorized, h.badToken)
			return
		}
		if err := h.touch(r.Context(), s); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	}
	writeRaw(w, http.StatusOK, h.projectsOK)
}

// logout serves POST /logout: "your token will be deleted from the
// database". The body, if any, is not read.
func (h *lptracker) logout(w http.ResponseWriter, r *http.Request) {
	if h.brk.logoutEndsConcurrentLogin {
		_, release := h.logouts.held("", h.e.holdShort())
		defer release()
	}
	tok := h.token(r)
	if h.brk.logoutWithoutTokenOK && tok == "" {
		writeRaw(w, http.StatusOK, h.logoutOK)
		return
	}
	if h.brk.logoutUnknownTokenOK && tok != "" {
		_, ok, err := h.e.store.Lookup(r.Context(), h.tokens.resolve(tok), h.e.now())
		if err == nil && !ok {
			writeRaw(w, http.StatusOK, h.logoutOK)
			return
		}
	}
	s, ok := h.session(w, r)
	if !ok {
		return
	}
	if h.brk.logoutEndsServices {
		if err := h.endIP(r.Context(), s); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	}
	if !h.brk.logoutKeepsToken {
		if _, err := h.e.store.Delete(r.Context(), s.Token); err != nil {
			writeRaw(w, http.StatusServiceUnavailable, h.storeFailed(err))
			return
		}
	}
	writeRaw(w, http.StatusOK, h.logoutOK)
}

// endIP ends every session from s's IP, for the logout-ends-services break: a session created
// under RuleOneSessionPerIP ends the others in the store's one step (with Redis too), and is
// deleted at once.
func (h *lptracker) endIP(ctx context.Context, s store.Session) error {
	end := store.Session{Token: newToken(), UserID: s.UserID, IP: s.IP, Service: s.Service, Created: h.e.now(), TTL: h.e.ttl}
	if err := h.e.store.Create(ctx, end, store.RuleOneSessionPerIP); err != nil {
		return err
	}
	_, err := h.e.store.Delete(ctx, end.Token)
	return err
}
